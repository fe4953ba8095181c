/**
 * `seatplan run` on a terminal shows one bar per phase (read, validate, store, run, write: issue 18, where a
 * province's run takes minutes), and the files it writes are those of a run without the bars. The terminal
 * is real: the command runs under `script`, which gives it a pseudo-terminal.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { root, seatplan, temp } from "./seatplan.js"

/** Runs `seatplan ARGS…` on a pseudo-terminal; resolves with what the terminal showed (stdout and stderr). */
const onTerminal = (args: ReadonlyArray<string>): Promise<{ readonly status: number | null; readonly shown: string }> =>
  new Promise((resolve) => {
    const command = [process.execPath, "packages/cli/bin/seatplan.mjs", ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ")
    const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: root })
    let shown = ""
    child.stdout.on("data", (d: Buffer) => (shown += d.toString()))
    child.on("close", (status) => resolve({ status, shown }))
  })

describe("seatplan run: progress by phase", () => {
  it("shows read, validate, store, run and write in order on a terminal, and writes what a quiet run writes", async () => {
    const dir = temp("seatplan-phases-")
    const scenario = path.join(dir, "region.json")
    const generated = await seatplan(["generate", "--settlements", "300", "--seed", "3", "--out", scenario])
    expect(generated.status).toBe(0)
    const shown = await onTerminal(["run", scenario, "--out", path.join(dir, "bars"), "--files", "csv,json", "--format", "csv"])
    expect(shown.status).toBe(0)
    // each phase's bar ends with its count done and stays on its line
    const ends = ["read", "validate", "store", "run", "write"].map((phase) => {
      const at = shown.shown.search(new RegExp(`${phase} +[░█]+ (\\d+)/\\1 `))
      expect(at, `${phase} in ${JSON.stringify(shown.shown.slice(0, 2000))}`).toBeGreaterThanOrEqual(0)
      return at
    })
    expect([...ends].sort((a, b) => a - b)).toEqual(ends)
    const quiet = await seatplan(["run", scenario, "--out", path.join(dir, "quiet"), "--files", "csv,json", "--format", "csv", "--quiet"])
    expect(quiet.status).toBe(0)
    expect(quiet.stderr).not.toMatch(/[░█]/)
    const files = fs.readdirSync(path.join(dir, "quiet")).filter((f) => /\.(csv|json)$/.test(f))
    expect(files).toContain("standards.csv")
    for (const f of files) {
      expect(fs.readFileSync(path.join(dir, "bars", f), "utf8"), f).toBe(fs.readFileSync(path.join(dir, "quiet", f), "utf8"))
    }
  }, 240_000)
})
