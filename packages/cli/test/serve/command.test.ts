/**
 * `seatplan serve` as a person starts it: the command loads a scenario into a workspace file, prints the
 * address (and, when shared with --host, the token), and serves until stopped; reopening the file serves
 * the same workspace.
 */
import { assert, describe, it } from "@effect/vitest"
import { Postgres } from "@seatplan/core/testing"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import { root, seatplan, temp } from "../seatplan.js"

interface Started {
  readonly out: string
  /** Sends the signal; resolves with the exit code and all that was printed. */
  readonly stop: (signal?: NodeJS.Signals) => Promise<{ readonly code: number | null; readonly out: string; readonly err: string }>
}

/** Starts the command, resolves with what it printed once it prints the address; `stop` ends it. */
const start = (args: ReadonlyArray<string>) =>
  new Promise<Started>((resolve, reject) => {
    const child = spawn(process.execPath, ["packages/cli/bin/seatplan.mjs", "serve", ...args], { cwd: root })
    let out = ""
    let err = ""
    const closed = new Promise<number | null>((r) => child.on("close", r))
    const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
      child.kill(signal)
      return { code: await closed, out, err }
    }
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
      await first.stop()
    }
    const again = await start([db, "--port", "0", "--lang", "en"])
    try {
      const url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(again.out)![1]
      assert.strictEqual((await fetch(`${url}api/variants`)).status, 200)
    } finally {
      await again.stop()
    }
  }, 120_000)

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} (Ctrl-C) closes the server and the store and exits 0`, async () => {
      const db = path.join(temp("seatplan-serve-cli-"), "ws.sqlite")
      const server = await start([path.join(root, "scenarios/tiny/scenario.yaml"), "--port", "0", "--db", db, "--lang", "en"])
      const url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(server.out)![1]
      const forked = await fetch(`${url}api/variants/baseline/fork`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "kept" })
      })
      assert.strictEqual(forked.status, 201)
      const ended = await server.stop(signal)
      assert.strictEqual(ended.code, 0, ended.err)
      assert.include(ended.out, "server stopped")
      // the port is closed, and the store was closed cleanly: SQLite removes its write-ahead log on the last close
      await fetch(`${url}api/variants`).then(
        () => assert.fail("the server still answers"),
        () => undefined
      )
      assert.isFalse(fs.existsSync(`${db}-wal`), "the store's write-ahead log is left: the store was not closed")
      // and what was done before the signal is in the workspace when it is opened again
      const again = await start([db, "--port", "0"])
      try {
        const url2 = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(again.out)![1]
        const variants = (await (await fetch(`${url2}api/variants`)).json()) as ReadonlyArray<{ name: string }>
        assert.include(
          variants.map((v) => v.name),
          "kept"
        )
      } finally {
        await again.stop()
      }
    }, 120_000)
  }

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
      await server.stop()
    }
  }, 120_000)

  it.scoped(
    "--store postgres://…: the page's edits are events in PostgreSQL (the tests' cluster), the workspace log in the file",
    () =>
      Effect.gen(function* () {
        const url = `${yield* Postgres.freshDatabase}?schema=serve_ws`
        const db = path.join(temp("seatplan-serve-pg-"), "ws.sqlite")
        const server = yield* Effect.acquireRelease(
          Effect.promise(() => start([path.join(root, "scenarios/tiny/scenario.yaml"), "--port", "0", "--db", db, "--store", url])),
          (s) => Effect.promise(() => s.stop())
        )
        assert.include(server.out, "events in postgres://")
        const base = /open (http:\/\/127\.0\.0\.1:\d+)\//.exec(server.out)![1]
        const post = (p: string, body: unknown) =>
          Effect.promise(async () => {
            const r = await fetch(`${base}${p}`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(body)
            })
            return {
              status: r.status,
              body: (await r.json()) as { id?: string; version?: number; result?: { events: ReadonlyArray<string> } }
            }
          })
        // open a variant (a fork of the baseline) and edit it, as the page does
        const forked = yield* post("/api/variants/baseline/fork", { name: "pg" })
        assert.strictEqual(forked.status, 201)
        const id = forked.body.id!
        const viewed = yield* Effect.promise(async () => (await (await fetch(`${base}/api/variants/${id}`)).json()) as { version: number })
        const edited = yield* post(`/api/variants/${id}/edits`, {
          expectedVersion: viewed.version,
          step: { type: "hire", year: 2027, school: "DONG-PRI", count: 2 }
        })
        assert.strictEqual(edited.status, 200, JSON.stringify(edited.body))
        assert.strictEqual(edited.body.version, viewed.version + 1)
        // the events are in PostgreSQL: the baseline's, and the edit's on the variant's own stream
        const rows = yield* Postgres.query<{ stream: string; type: string; version: number }>(
          url,
          `SELECT s.stream, e.type, e.version FROM serve_ws.seatplan_events e JOIN serve_ws.seatplan_streams s ON s.seq = e.stream_seq ORDER BY e.position`
        )
        assert.isAbove(rows.filter((r) => r.stream === "baseline").length, 10)
        const mine = rows.filter((r) => r.stream.startsWith(`ws:${id}:`))
        assert.deepStrictEqual(
          mine.map((r) => [r.type, Number(r.version)]),
          [[edited.body.result!.events[0], viewed.version + 1]]
        )
        // and the SQLite file holds no events, only the workspace's log
        const Database = (yield* Effect.promise(() => import("better-sqlite3"))).default
        const file = new Database(db, { readonly: true })
        try {
          const tables = (file.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as ReadonlyArray<{ name: string }>).map(
            (t) => t.name
          )
          assert.include(tables, "serve_log")
          assert.notInclude(tables, "events")
        } finally {
          file.close()
        }
      }),
    180_000
  )

  it("says what is wrong with a file that is neither a scenario nor a workspace", async () => {
    const ran = await seatplan(["serve", path.join(root, "README.md"), "--port", "0", "--db", path.join(temp(), "x.sqlite")])
    assert.strictEqual(ran.status, 1, ran.stderr)
    assert.include(ran.stderr, "README.md")
  }, 60_000)

  it("a port in use or out of range is refused in words, never an internal error", async () => {
    const busy = net.createServer()
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve))
    const taken = (busy.address() as net.AddressInfo).port
    try {
      const scenario = path.join(root, "scenarios/tiny/scenario.yaml")
      const inUse = await seatplan(["serve", scenario, "--port", String(taken), "--db", path.join(temp(), "w.sqlite")])
      assert.strictEqual(inUse.status, 1, inUse.stderr)
      assert.include(inUse.stderr, `--port ${taken}: cannot listen on 127.0.0.1:${taken}: another program listens there`)
      const outOfRange = await seatplan(["serve", scenario, "--port", "99999"])
      assert.strictEqual(outOfRange.status, 2, outOfRange.stderr)
      assert.include(outOfRange.stderr, "--port: expected a port from 0 to 65535 (0: any free port), found 99999")
      for (const r of [inUse, outOfRange]) assert.notInclude(r.stderr, "internal error")
    } finally {
      busy.close()
    }
  }, 60_000)
})
