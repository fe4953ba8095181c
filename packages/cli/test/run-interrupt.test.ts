/**
 * `seatplan run` stopped by a signal before it finished: it used to exit 70 ("internal error") with nothing
 * on stderr, as if it had failed. Now Ctrl-C exits 130 and SIGTERM 143, as a shell shows a process the
 * signal ended, and stderr says the output may be incomplete.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { root, temp } from "./seatplan.js"

/** Runs the county example into `out` and sends `signal` once the event store is written (the run then projects and writes). */
const stopped = async (out: string, signal: "SIGINT" | "SIGTERM") => {
  const child = spawn(process.execPath, ["packages/cli/bin/seatplan.mjs", "run", "scenarios/county/scenario.yaml", "--out", out], {
    cwd: root
  })
  let stderr = ""
  child.stdout.on("data", () => {})
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
  const poll = setInterval(() => {
    if (fs.existsSync(path.join(out, "county.csv"))) {
      clearInterval(poll)
      child.kill(signal)
    }
  }, 50)
  const watchdog = setTimeout(() => child.kill("SIGKILL"), 240_000)
  const [code, by] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])))
  clearInterval(poll)
  clearTimeout(watchdog)
  return { code, by, stderr }
}

describe("seatplan run stopped by a signal", () => {
  it("Ctrl-C exits 130, SIGTERM 143, each saying the output may be incomplete; never 70", { timeout: 600_000 }, async () => {
    const dir = temp("seatplan-run-int-")
    const int = await stopped(path.join(dir, "int"), "SIGINT")
    assert.deepStrictEqual([int.code, int.by], [130, null], int.stderr)
    assert.match(int.stderr, /seatplan: stopped by Ctrl-C \(SIGINT\) before it finished: a file it was writing may be incomplete/)
    assert.notMatch(int.stderr, /internal error/)
    const term = await stopped(path.join(dir, "term"), "SIGTERM")
    assert.deepStrictEqual([term.code, term.by], [143, null], term.stderr)
    assert.match(term.stderr, /seatplan: stopped by SIGTERM before it finished/)
  })
})
