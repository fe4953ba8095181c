/**
 * Engine benchmarks: a synthetic county (≈ 400 settlements, 150 schools, 15 years); the province
 * (100,000 settlements, 20,000 schools, 20 years) is in province.ts, against the reference kernel.
 * Compiling ("loading") is timed apart from running.
 * Runs keep the fastest of several replications (Mesa's benchmarks).
 */
import { Compile, Engine, type Model, MonteCarlo, Synthetic } from "@seatplan/sim"
import { Effect } from "effect"
import type { Figure } from "./store.js"

const ms = (f: () => unknown): number => {
  const start = process.hrtime.bigint()
  f()
  return Number(process.hrtime.bigint() - start) / 1e6
}

export const run = async (quick: boolean): Promise<ReadonlyArray<Figure>> => {
  const figures: Array<Figure> = []
  const county = Synthetic.county(1)
  let compileMs = Infinity
  let runMs = Infinity
  const reps = quick ? 5 : 30
  for (let r = 0; r < reps; r++) {
    let model: Model.Model | undefined
    compileMs = Math.min(
      compileMs,
      ms(() => (model = Compile.compile(county.events, { horizon: 15 })))
    )
    runMs = Math.min(
      runMs,
      ms(() => Engine.run(model!, { population: false }))
    )
  }
  figures.push({
    name: "county: compile (load) 400 settl., 150 schools",
    events: county.events.length,
    seconds: compileMs / 1000,
    perSecond: county.events.length / (compileMs / 1000)
  })
  figures.push({
    name: "county: run 15 years, deterministic",
    events: 15,
    seconds: runMs / 1000,
    perSecond: 15 / (runMs / 1000),
    goalSeconds: 0.02
  })
  const replicates = quick ? 100 : 1000
  const start = process.hrtime.bigint()
  await Effect.runPromise(MonteCarlo.run({ model: Compile.compile(county.events, { horizon: 15 }), replicates, seed: 1, workers: 2 }))
  const mcSeconds = Number(process.hrtime.bigint() - start) / 1e9
  figures.push({
    name: `county: Monte Carlo ${replicates} replicates, 2 workers`,
    events: replicates,
    seconds: mcSeconds,
    perSecond: replicates / mcSeconds,
    ...(quick ? {} : { goalSeconds: 20 }),
    note: "workers start in ~3 s"
  })
  return figures
}
