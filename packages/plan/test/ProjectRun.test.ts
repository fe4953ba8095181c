/**
 * One compile per variant per run (issue 12): the tables, Monte Carlo (in this thread and in workers),
 * provenance and the explanations all come from the variant's one compiled model, and the explanations
 * cite the events read from the store.
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore } from "@seatplan/core"
import { Compile, Engine, MonteCarlo, Provenance, Tables } from "@seatplan/sim"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Explain, Project, Scenario, ScenarioLoader } from "../src/index.js"

const root = path.resolve(import.meta.dirname, "../../..")
const file = "scenarios/tiny/scenario.yaml"
const loaded = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(path.join(root, file), "utf8"), file))
const short = { ...loaded, scenario: { ...loaded.scenario, horizon: 4 } }

/** `Compile.compile`, counting its calls per stream length (variants differ in length). */
const counting = () => {
  const calls: Array<number> = []
  const compile: typeof Compile.compile = (events, options) => {
    calls.push(events.length)
    return Compile.compile(events, options)
  }
  return { calls, compile }
}

describe("Project.run compiles each variant once", () => {
  it.effect("tells its progress from the start: 0 done before the first variant is read back and compiled, then each run", () =>
    Effect.gen(function* () {
      yield* Project.store(short)
      const { calls, compile } = counting()
      const told: Array<readonly [done: number, total: number, compiled: number]> = []
      yield* Project.run(short, { variants: [], compile, onProgress: (done, total) => told.push([done, total, calls.length]) })
      // a bar shows the run from the first call on: the streams read back and compiled are inside it
      assert.deepStrictEqual(told, [
        [0, 2, 0],
        [1, 2, 1],
        [2, 2, 2]
      ])
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect(
    "a run with replicates (in worker threads) and explanations of every school compiles exactly once per variant",
    () =>
      Effect.gen(function* () {
        yield* Project.store(short)
        const { calls, compile } = counting()
        const results = yield* Project.run(short, { variants: [], replicates: 2, workers: 2, compile })
        assert.deepStrictEqual(
          results.map((r) => r.variant),
          ["baseline", "township"]
        )
        assert.isAbove(results[0].bands.length, 0)
        const year = short.scenario.baseYear + 3
        for (const r of results) {
          const traced = Either.getOrThrow(Provenance.traceAll(r.model, year))
          assert.isAbove(traced.length, 0)
          const explained = traced.map((t) => Explain.explain(r.variant, "pupils", t, r.events))
          // the explanations cite the events the store holds, by their stored ids
          const stored = new Set<string>(r.events.map((e) => e.id))
          for (const e of explained) for (const c of e.events) assert.isTrue(stored.has(c.id), c.id)
          // and the trace's figures are the tables'
          for (const t of traced) {
            const row = r.schools.find((x) => x.year === year && x.school_id === t.schoolId && x.level === t.level)!
            assert.approximately(t.pupils, row.pupils, 1e-9)
          }
        }
        assert.deepStrictEqual(
          calls,
          results.map((r) => r.events.length),
          "one compile per variant"
        )
      }).pipe(Effect.provide(EventStore.layerMemory)),
    120_000
  )

  it.effect(
    "the bands and tables from the one model are those of compiling again (same seed, same bits, any workers)",
    () =>
      Effect.gen(function* () {
        yield* Project.store(short)
        const [a] = yield* Project.run(short, { variants: [], replicates: 3, seed: 9, workers: 0 })
        const [b] = yield* Project.run(short, { variants: [], replicates: 3, seed: 9, workers: 2 })
        assert.deepStrictEqual(b.bands, a.bands)
        const again = Compile.compile(
          a.events.map((e) => e.event),
          Scenario.compileOptions(short.scenario)
        )
        const mc = yield* MonteCarlo.run({ model: again, replicates: 3, seed: 9, workers: 0 })
        assert.deepStrictEqual(
          a.bands.map(({ variant: _, ...row }) => row),
          mc.rows
        )
        assert.deepStrictEqual(Tables.county(again, Engine.run(again, { seed: 9 }), "baseline"), a.county)
      }).pipe(Effect.provide(EventStore.layerMemory)),
    120_000
  )

  it.effect(
    "baseline: false runs only the chosen variants, with the same figures as beside the baseline",
    () =>
      Effect.gen(function* () {
        yield* Project.store(short)
        const both = yield* Project.run(short, { variants: ["township"] })
        const alone = yield* Project.run(short, { variants: ["township"], baseline: false })
        assert.deepStrictEqual(
          alone.map((r) => r.variant),
          ["township"]
        )
        assert.deepStrictEqual([...alone[0].schools], [...both[1].schools])
        assert.deepStrictEqual(alone[0].county, both[1].county)
      }).pipe(Effect.provide(EventStore.layerMemory)),
    120_000
  )
})
