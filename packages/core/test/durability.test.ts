import { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Context, Effect, Layer } from "effect"
import { spawn } from "node:child_process"
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
      signal === "SIGKILL" ? resume(Effect.succeed(last)) : resume(Effect.fail(new Error(`appender exited: ${stderr}`))))
  })

describe("SQLite durability", () => {
  it.scoped("after SIGKILL mid-run every acknowledged append is there, no batch is partial, no repair is needed", () =>
    Effect.gen(function*() {
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
      events.forEach((e, i) => assert.strictEqual(e.id, `d${i + 1}`))
    }).pipe(Effect.provide(NodeFileSystem.layer)), 120_000)
})
