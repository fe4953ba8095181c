/**
 * `pnpm bench --only=sweep` (issue 17): the county example, 1,000 futures × 3 variants, with 2 worker
 * threads (goal 30 s on this 2-core machine), run as the real command (`seatplan sweep`, the built bundle
 * and its worker); the time is the sweep's own as the command reports it (futures drawn, projected and
 * gathered; not loading the scenario, nor writing the files, which the note gives). Beside it, in the same
 * run, one projection of a future on a variant's compiled model (best of 5) × 3,000: what the sweep would
 * take in one thread with nothing shared, and the ratio of the two.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { EventStore } from "@seatplan/core"
import { Project, ScenarioLoader, Sweep } from "@seatplan/plan"
import { Effect } from "effect"
import type { Figure } from "./store.js"

const root = path.resolve(import.meta.dirname, "..")
const scenario = path.join(root, "scenarios/county/scenario.yaml")

export const run = async (quick: boolean): Promise<ReadonlyArray<Figure>> => {
  const futures = quick ? 100 : 1000
  const loaded = await Effect.runPromise(ScenarioLoader.load(scenario))
  const models = await Effect.runPromise(
    Effect.gen(function* () {
      yield* Project.store(loaded)
      return yield* Sweep.compileVariants(loaded)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )
  const draw = Sweep.drawOf(loaded, "lhs", 5, 1)
  let one = Infinity
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    Sweep.runRange(models[1].model, draw, 1, 2)
    one = Math.min(one, (performance.now() - started) / 1000)
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-bench-sweep-"))
  const started = performance.now()
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, "packages/cli/bin/seatplan.mjs"),
      "sweep",
      scenario,
      "--futures",
      String(futures),
      "--workers",
      "2",
      "--quiet",
      "--lang",
      "en",
      "--out",
      out
    ],
    { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }
  )
  const wall = (performance.now() - started) / 1000
  fs.rmSync(out, { recursive: true, force: true })
  if (r.status !== 0) throw new Error(`seatplan sweep exited ${r.status}: ${r.stderr.slice(0, 500)}`)
  const reported = /futures × (\d+) variants in ([\d.]+) s/.exec(r.stdout)
  if (reported === null) throw new Error(`seatplan sweep did not report its time: ${r.stdout.slice(-500)}`)
  const variants = Number(reported[1])
  const seconds = Number(reported[2])
  const serial = one * futures * variants
  return [
    {
      name: `sweep: county ${futures.toLocaleString("en")} futures × ${variants} variants, 2 workers`,
      events: futures * variants,
      seconds,
      perSecond: (futures * variants) / seconds,
      ...(quick ? {} : { goalSeconds: 30 }),
      note: `one projection ${(one * 1000).toFixed(0)} ms × ${(futures * variants).toLocaleString("en")} = ${serial.toFixed(1)} s; sweep / that = ${(seconds / serial).toFixed(2)}; whole command ${wall.toFixed(1)} s (loading the scenario and writing the files)`
    }
  ]
}
