/**
 * The SQLite durability and race tests, against the real PostgreSQL: an appender SIGKILLed mid-run, the
 * server itself crashing (`pg_ctl stop -m immediate`) mid-run, eight processes contending for one stream
 * beside a busy writer, and ten processes creating the store's tables in one new database at once.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { spawn } from "node:child_process"
import * as path from "node:path"
import { EventStore, PostgresEventStore } from "../src/index.js"
import { Postgres } from "../src/testing/index.js"

const { freshDatabase, pgCtl } = Postgres

const fixture = path.join(import.meta.dirname, "fixtures/appender.ts")

interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Starts the appender fixture; `acks` lists the versions it acknowledged so far, `stop` SIGKILLs it. */
const startAppender = (args: ReadonlyArray<string>) => {
  const child = spawn(process.execPath, ["--import", "tsx", fixture, ...args], { stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<Finished>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })))
  return {
    acks: () =>
      stdout
        .split("\n")
        .filter((l) => l.startsWith("ack "))
        .map((l) => Number(l.slice(4))),
    stderr: () => stderr,
    exited,
    stop: async () => {
      child.kill("SIGKILL")
      return exited
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const waitFor = async (what: string, ok: () => boolean, ms = 90_000) => {
  const started = Date.now()
  while (!ok()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** The baseline's events as stored: versions dense, ids d1…dN, whole batches of 50. */
const checkBaseline = (url: string, acked: number) =>
  Effect.gen(function* () {
    const store = Context.get(yield* Layer.build(PostgresEventStore.layer({ url })), EventStore.EventStore)
    const events = yield* store.readStream(EventStore.baseline)
    assert.isAtLeast(events.length, acked, "an acknowledged append is missing")
    assert.strictEqual(events.length % 50, 0, "a batch was stored in part")
    for (const [i, e] of events.entries()) {
      assert.strictEqual(e.id, `d${i + 1}`)
      assert.strictEqual(e.version, i + 1)
    }
    return events.length
  })

describe("PostgreSQL durability", () => {
  it.scoped(
    "after SIGKILL mid-run every acknowledged append is there and no batch is partial; the next writer goes on",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase
        for (const acks of [30, 20]) {
          const writer = startAppender([url])
          yield* Effect.promise(() => waitFor("acks", () => writer.acks().length >= acks))
          const done = yield* Effect.promise(() => writer.stop())
          assert.strictEqual(done.signal, "SIGKILL", done.stderr)
        }
        const stored = yield* checkBaseline(url, 50 * 50)
        assert.isAtLeast(stored, 50 * 50)
      }),
    180_000
  )

  it.scoped(
    "the server crashing mid-run (immediate shutdown) loses no acknowledged append, no batch is partial, and the store reopens after restart",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase
        const writer = startAppender([url])
        let acked = 0
        try {
          yield* Effect.promise(() => waitFor("acks", () => writer.acks().length >= 10))
          pgCtl("stop", "-m", "immediate") // like a power cut for the server: no checkpoint, recovery from WAL
          const before = writer.acks()
          acked = before[before.length - 1]
          pgCtl("start")
        } finally {
          yield* Effect.promise(() => writer.stop())
        }
        yield* checkBaseline(url, acked)
      }),
    180_000
  )

  it.scoped(
    "eight processes append to one stream beside a busy writer: each append succeeds or meets a true conflict",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase
        const writer = startAppender([url])
        yield* Effect.addFinalizer(() => Effect.promise(() => writer.stop()))
        yield* Effect.promise(() => waitFor("the writer", () => writer.acks().length >= 5))
        const perChild = 5
        const children = Array.from({ length: 8 }, (_, i) => startAppender([url, "contend", "plan/shared", `p${i}`, String(perChild)]))
        const finished = yield* Effect.promise(() => Promise.all(children.map((c) => c.exited)))
        const writing = yield* Effect.promise(() => writer.stop())
        assert.strictEqual(writing.signal, "SIGKILL", `the writer stopped by itself: ${writing.stderr}`)
        let acked = 0
        for (const [i, c] of finished.entries()) {
          assert.strictEqual(c.code, 0, `child ${i} (${c.signal ?? "exited"}): ${c.stderr}`)
          const lines = c.stdout.trim().split("\n")
          for (const line of lines.filter((l) => l.startsWith("conflict "))) {
            const [, expected, actual] = line.split(" ").map(Number)
            assert.isAbove(actual, expected, `child ${i}: a conflict that is no conflict: ${line}`)
          }
          acked += lines.filter((l) => l.startsWith("ack ")).length
        }
        assert.strictEqual(acked, 8 * perChild)
        const store = Context.get(yield* Layer.build(PostgresEventStore.layer({ url })), EventStore.EventStore)
        const shared = yield* store.readStream(EventStore.planStream("shared"))
        assert.deepStrictEqual(
          shared.map((e) => e.version),
          shared.map((_, i) => i + 1)
        )
        assert.strictEqual(new Set(shared.map((e) => e.id)).size, acked)
        assert.strictEqual(shared.length, acked)
        const all = yield* store.readAll()
        assert.deepStrictEqual(
          all.map((e) => e.position),
          all.map((_, i) => i + 1),
          "global positions are dense"
        )
        const writerAcks = writing.stdout.split("\n").filter((l) => l.startsWith("ack "))
        yield* checkBaseline(url, Number(writerAcks[writerAcks.length - 1].slice(4)))
      }),
    300_000
  )

  it.scoped(
    "ten processes creating the store's tables in one new database at once all succeed",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase
        const children = Array.from({ length: 10 }, (_, i) => startAppender([url, "contend", `plan/p${i}`, `c${i}`, "1"]))
        const finished = yield* Effect.promise(() => Promise.all(children.map((c) => c.exited)))
        for (const [i, c] of finished.entries()) assert.strictEqual(c.code, 0, `child ${i}: ${c.stderr}`)
        const store = Context.get(yield* Layer.build(PostgresEventStore.layer({ url })), EventStore.EventStore)
        const streams = yield* store.streams
        assert.deepStrictEqual(
          streams.map((s) => [s.stream, s.version]).sort(),
          Array.from({ length: 10 }, (_, i) => [`plan/p${i}`, 1])
        )
      }),
    240_000
  )
})
