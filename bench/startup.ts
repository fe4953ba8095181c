/**
 * How long the `seatplan` command takes to start: `seatplan --help` (goal 0.5 s) and `seatplan validate` of
 * the tiny example (goal 1 s), best of 3 wall-clock runs of the real command (the built bundle, compiled
 * from V8's code cache as a user's second and later runs are), beside a bare `node -e 0` measured in the
 * same run. The goals are for this machine when idle, where bare Node starts in 0.1 s; on a busy shared
 * machine every start slows alike, so each goal is scaled by (bare node in this run / 0.1 s) when that
 * is above 1, i.e. --help within 5× and validate within 10× of bare Node's start.
 */
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import type { Figure } from "./store.js"

const root = path.resolve(import.meta.dirname, "..")
const bin = path.join(root, "packages/cli/bin/seatplan.mjs")

const bestOf = (args: ReadonlyArray<string>, runs = 3): number => {
  let best = Infinity
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] })
    const seconds = (performance.now() - started) / 1000
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`)
    best = Math.min(best, seconds)
  }
  return best
}

export const run = (): ReadonlyArray<Figure> => {
  bestOf([bin, "--help"], 1) // builds the bundle if a source is newer, so the runs below time the start alone
  const node = bestOf(["-e", "0"])
  const help = bestOf([bin, "--help"])
  const validate = bestOf([bin, "validate", "scenarios/tiny/scenario.yaml"])
  const scale = Math.max(1, node / 0.1)
  const figure = (name: string, seconds: number, idleGoal?: number): Figure => {
    const goalSeconds = idleGoal === undefined ? undefined : idleGoal * scale
    return {
      name,
      events: 1,
      seconds,
      perSecond: 1 / seconds,
      ...(goalSeconds === undefined ? {} : { goalSeconds }),
      note:
        `best of 3; bare node ${node.toFixed(3)} s in the same run` +
        (idleGoal === undefined ? "" : `; goal ${idleGoal} s idle × ${scale.toFixed(2)}; ${(seconds / node).toFixed(1)}× bare node`)
    }
  }
  return [
    figure("startup: node -e 0 (reference)", node),
    figure("startup: seatplan --help", help, 0.5),
    figure("startup: seatplan validate tiny", validate, 1)
  ]
}
