/**
 * `seatplan serve` as a person starts it: the command loads a scenario into a workspace file, prints the
 * address (and, when shared with --host, the token), and serves until stopped; reopening the file serves
 * the same workspace.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as path from "node:path"
import { root, seatplan, temp } from "../seatplan.js"

/** Starts the command, resolves with what it printed once it prints the address; `stop` ends it. */
const start = (args: ReadonlyArray<string>) =>
  new Promise<{ readonly out: string; readonly stop: () => void }>((resolve, reject) => {
    const child = spawn(process.execPath, ["packages/cli/bin/seatplan.mjs", "serve", ...args], { cwd: root })
    let out = ""
    let err = ""
    const stop = () => child.kill("SIGTERM")
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString()
      if (/Ctrl-C/.test(out)) resolve({ out, stop })
    })
    child.stderr.on("data", (d: Buffer) => (err += d.toString()))
    child.on("close", (code) => reject(new Error(`seatplan serve ended (${code}) before serving: ${out}${err}`)))
  })

describe("seatplan serve (the command)", () => {
  it("creates a workspace from a scenario, prints its address and serves it; the file reopens", async () => {
    const db = path.join(temp("seatplan-serve-cli-"), "ws.sqlite")
    const first = await start([path.join(root, "scenarios/tiny/scenario.yaml"), "--port", "0", "--db", db])
    try {
      assert.include(first.out, `workspace ${db}`)
      const url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(first.out)![1]
      assert.notInclude(first.out, "token")
      const variants = (await (await fetch(`${url}api/variants`)).json()) as ReadonlyArray<{ id: string }>
      assert.deepStrictEqual(
        variants.map((v) => v.id),
        ["baseline", "township"]
      )
    } finally {
      first.stop()
    }
    await new Promise((r) => setTimeout(r, 500))
    const again = await start([db, "--port", "0", "--lang", "en"])
    try {
      const url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(again.out)![1]
      assert.strictEqual((await fetch(`${url}api/variants`)).status, 200)
    } finally {
      again.stop()
    }
  }, 120_000)

  it("shared with --host: prints the token, and refuses requests without it", async () => {
    const db = path.join(temp("seatplan-serve-cli-"), "ws.sqlite")
    const server = await start([path.join(root, "scenarios/tiny/scenario.yaml"), "--port", "0", "--db", db, "--host", "0.0.0.0"])
    try {
      const token = /x-seatplan-token\): ([0-9a-f]{64})/.exec(server.out)![1]
      const port = /:(\d+)\/\?token=/.exec(server.out)![1]
      const base = `http://127.0.0.1:${port}`
      assert.strictEqual((await fetch(`${base}/api/variants`)).status, 401)
      assert.strictEqual((await fetch(`${base}/api/variants`, { headers: { "x-seatplan-token": token } })).status, 200)
    } finally {
      server.stop()
    }
  }, 120_000)

  it("says what is wrong with a file that is neither a scenario nor a workspace", async () => {
    const ran = await seatplan(["serve", path.join(root, "README.md"), "--port", "0", "--db", path.join(temp(), "x.sqlite")])
    assert.strictEqual(ran.status, 1, ran.stderr)
    assert.include(ran.stderr, "README.md")
  }, 60_000)
})
