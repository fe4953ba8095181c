/**
 * The bundled example, end to end: the generator reproduces the committed log, and the replay script
 * imports it into a real SQLite file and prints both streams (Mesa's "every example runs" smoke test).
 */
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../..")
/** Runs a script in a child process, asynchronously (a blocked worker would starve vitest's RPC). */
const tsx = (args: ReadonlyArray<string>) =>
  new Promise<{ readonly status: number | null; readonly stdout: string; readonly stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: root })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

describe("the tiny example", () => {
  it("the generator reproduces scenarios/tiny/events.jsonl byte for byte", async () => {
    const committed = fs.readFileSync(path.join(root, "scenarios/tiny/events.jsonl"), "utf8")
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-gen-"))
    try {
      const out = path.join(dir, "events.jsonl")
      const generated = await tsx(["packages/core/examples/tiny-county.ts", out])
      assert.strictEqual(generated.status, 0, generated.stderr)
      assert.strictEqual(fs.readFileSync(out, "utf8"), committed)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
    assert.match(committed, /^# SYNTHETIC example data/)
  })

  it("replays into SQLite, idempotently, and shows the plan's consolidation", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-replay-"))
    const db = path.join(dir, "tiny.sqlite")
    try {
      const first = await tsx(["packages/core/examples/replay.ts", "scenarios/tiny/events.jsonl", "--year", "2027", "--db", db])
      assert.strictEqual(first.status, 0, first.stderr)
      assert.include(first.stdout, "296 new events")
      assert.include(first.stdout, "== baseline as of school year 2027/28")
      assert.include(first.stdout, "== plan/township as of school year 2027/28")
      const plan = first.stdout.slice(first.stdout.indexOf("== plan/township"))
      assert.match(plan, /ZHANG-TP\s+kindergarten\s+open/)
      assert.match(plan, /SEAT-PRI-2\s+primary\s+open\s+1620/)
      const again = await tsx(["packages/core/examples/replay.ts", "scenarios/tiny/events.jsonl", "--db", db])
      assert.strictEqual(again.status, 0, again.stderr)
      assert.include(again.stdout, "0 new events, 296 already stored")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("bad input exits 1 with the file, line and field, and no stack trace", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-bad-"))
    try {
      const bad = path.join(dir, "bad.jsonl")
      fs.writeFileSync(bad, '# a comment\n{"position":1}\n')
      const result = await tsx(["packages/core/examples/replay.ts", bad, "--db", path.join(dir, "x.sqlite")])
      assert.strictEqual(result.status, 1)
      assert.include(result.stderr, `${bad}:2: stream:`)
      assert.notInclude(result.stderr, "    at ")
      const usage = await tsx(["packages/core/examples/replay.ts"])
      assert.strictEqual(usage.status, 2)
      assert.include(usage.stderr, "usage:")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
