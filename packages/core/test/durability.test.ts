import { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Context, Effect, Layer } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { EventStore, SqliteEventStore } from "../src/index.js"

/** Runs the appender until it has acknowledged `acks` appends, then SIGKILLs it; returns the last acked version. */
const appendThenKill = (filename: string, acks: number) =>
  Effect.async<number, Error>((resume) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "fixtures/appender.ts"), filename], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let last = 0
    let seen = 0
    let buffered = ""
    let stderr = ""
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.stdout.on("data", (d: Buffer) => {
      buffered += d.toString()
      const lines = buffered.split("\n")
      buffered = lines.pop() ?? ""
      for (const line of lines) {
        const m = /^ack (\d+)$/.exec(line)
        if (m !== null) {
          last = Number(m[1])
          if (++seen === acks) child.kill("SIGKILL")
        }
      }
    })
    child.on("exit", (_code, signal) =>
      signal === "SIGKILL" ? resume(Effect.succeed(last)) : resume(Effect.fail(new Error(`appender exited: ${stderr}`)))
    )
  })

const fixture = path.join(import.meta.dirname, "fixtures/appender.ts")

interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the appender fixture with `args` to its end, SIGKILLed after `timeoutMs` (then signal is SIGKILL). */
const runFixture = (args: ReadonlyArray<string>, timeoutMs: number): Promise<Finished> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", fixture, ...args], { stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })

/** Starts the forever appender; `stop` SIGKILLs it and resolves with its acks and stderr. */
const startWriter = (filename: string) => {
  const child = spawn(process.execPath, ["--import", "tsx", fixture, filename], { stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal }))
  )
  const acks = () =>
    stdout
      .split("\n")
      .filter((l) => l.startsWith("ack "))
      .map((l) => Number(l.slice(4)))
  return {
    acks,
    stop: async () => {
      child.kill("SIGKILL")
      return { ...(await exited), acks: acks(), stderr }
    }
  }
}

/** Children start with tsx (seconds of CPU each on a shared machine): generous, but bounded. */
const childTimeoutMs = 150_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const integrity = (filename: string) => {
  const db = new Database(filename, { readonly: true })
  try {
    return db.pragma("integrity_check", { simple: true })
  } finally {
    db.close()
  }
}

describe("SQLite durability", () => {
  it.scoped(
    "after SIGKILL mid-run every acknowledged append is there, no batch is partial, no repair is needed",
    () =>
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const dir = yield* fs.makeTempDirectoryScoped()
        const filename = path.join(dir, "durable.sqlite")
        const firstAck = yield* appendThenKill(filename, 40)
        const secondAck = yield* appendThenKill(filename, 25)
        assert.isAtLeast(secondAck, firstAck + 25 * 50)

        const db = new Database(filename, { readonly: true })
        assert.strictEqual(db.pragma("integrity_check", { simple: true }), "ok")
        db.close()

        const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename })), EventStore.EventStore)
        const events = yield* store.readStream(EventStore.baseline)
        assert.isAtLeast(events.length, secondAck)
        assert.strictEqual(events.length % 50, 0, "a batch was stored in part")
        assert.strictEqual(yield* store.version(EventStore.baseline), events.length)
        for (const [i, e] of events.entries()) assert.strictEqual(e.id, `d${i + 1}`)
      }).pipe(Effect.provide(NodeFileSystem.layer)),
    120_000
  )

  it("eight processes open the store and append beside a busy writer: each append succeeds or meets a true conflict", {
    timeout: 300_000
  }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-busy-"))
    const filename = path.join(dir, "busy.sqlite")
    const writer = startWriter(filename)
    try {
      const started = Date.now()
      while (writer.acks().length < 5 && Date.now() - started < 60_000) await sleep(50)
      assert.isAtLeast(writer.acks().length, 5, "the writer never got going")
      const perChild = 5
      const children = await Promise.all(
        Array.from({ length: 8 }, (_, i) => runFixture([filename, "contend", "plan/shared", `p${i}`, String(perChild)], childTimeoutMs))
      )
      const writing = await writer.stop()
      assert.strictEqual(writing.signal, "SIGKILL", `the writer stopped by itself: ${writing.stderr}`)
      let acked = 0
      for (const [i, c] of children.entries()) {
        assert.strictEqual(c.code, 0, `child ${i} (${c.signal ?? "exited"}): ${c.stderr}`)
        const lines = c.stdout.trim().split("\n")
        for (const line of lines.filter((l) => l.startsWith("conflict "))) {
          const [, expected, actual] = line.split(" ").map(Number)
          assert.isAbove(actual, expected, `child ${i}: a conflict that is no conflict: ${line}`)
        }
        acked += lines.filter((l) => l.startsWith("ack ")).length
      }
      assert.strictEqual(acked, 8 * perChild)
      assert.strictEqual(integrity(filename), "ok")
      const db = new Database(filename, { readonly: true })
      const shared = db
        .prepare(
          "SELECT e.version, e.id FROM events e JOIN streams s ON s.seq = e.stream_seq WHERE s.stream = 'plan/shared' ORDER BY e.version"
        )
        .all() as ReadonlyArray<{ version: number; id: string }>
      const baseline = db
        .prepare("SELECT count(*) AS n FROM events e JOIN streams s ON s.seq = e.stream_seq WHERE s.stream = 'baseline'")
        .get() as { n: number }
      db.close()
      assert.strictEqual(shared.length, acked, "events stored = events acknowledged")
      assert.deepStrictEqual(
        shared.map((r) => r.version),
        shared.map((_, i) => i + 1)
      )
      assert.strictEqual(new Set(shared.map((r) => r.id)).size, acked)
      assert.isAtLeast(baseline.n, writing.acks[writing.acks.length - 1])
      assert.strictEqual(baseline.n % 50, 0, "a writer batch was stored in part")
    } finally {
      await writer.stop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("ten processes creating the same new store at once all succeed", { timeout: 240_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-create-"))
    const filename = path.join(dir, "new.sqlite")
    try {
      const children = await Promise.all(
        Array.from({ length: 10 }, (_, i) => runFixture([filename, "contend", `plan/p${i}`, `c${i}`, "1"], childTimeoutMs))
      )
      for (const [i, c] of children.entries()) {
        assert.strictEqual(c.code, 0, `child ${i} (${c.signal ?? "exited"}): ${c.stderr}`)
      }
      assert.strictEqual(integrity(filename), "ok")
      const db = new Database(filename, { readonly: true })
      const streams = db.prepare("SELECT stream, version FROM streams ORDER BY stream").all()
      db.close()
      assert.deepStrictEqual(
        streams,
        Array.from({ length: 10 }, (_, i) => ({ stream: `plan/p${i}`, version: 1 }))
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
