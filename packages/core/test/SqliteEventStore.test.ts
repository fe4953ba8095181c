import { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import * as path from "node:path"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { EventStore, Ids, SqliteEventStore } from "../src/index.js"
import { eventStoreContract } from "./EventStoreContract.js"

/** A SQLite store in a fresh file of a scoped temporary directory. */
export const freshSqlite = (file = "events.sqlite") =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "seatplan-" })
    const context = yield* Layer.build(SqliteEventStore.layer({ filename: path.join(dir, file) }))
    return Context.get(context, EventStore.EventStore)
  }).pipe(Effect.provide(NodeFileSystem.layer))

eventStoreContract("sqlite", freshSqlite())

describe("sqlite event store", () => {
  it.scoped("sets synchronous = FULL on the connection it opens", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const context = yield* Layer.build(
        Layer.merge(SqliteEventStore.layerFromClient, Layer.empty).pipe(
          Layer.provideMerge(SqliteClient.layer({ filename: path.join(dir, "s.sqlite") }))
        )
      )
      const sql = Context.get(context, SqliteClient.SqliteClient)
      const [row] = yield* sql.unsafe<{ synchronous: number }>("PRAGMA synchronous")
      assert.strictEqual(row.synchronous, 2)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.scoped("keeps events across reopening the file, with WAL and synchronous = FULL", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const filename = path.join(dir, "kept.sqlite")
      const at = "2026-03-01T08:00:00.000Z"
      yield* Effect.scoped(Effect.gen(function*() {
        const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename })), EventStore.EventStore)
        yield* store.append(EventStore.baseline, [{
          id: Ids.eventId("e1"),
          recordedAt: at,
          event: { _tag: "StandardChanged", year: Ids.schoolYear(2024), key: "classCap.primary", value: 40 }
        }], 0)
        yield* store.fork(EventStore.baseline, 1, EventStore.planStream("a"))
      }))
      const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename })), EventStore.EventStore)
      const read = yield* store.readStream(EventStore.planStream("a"))
      assert.deepStrictEqual(read.map((e) => e.id), ["e1"])
      const Database = (yield* Effect.promise(() => import("better-sqlite3"))).default
      const db = new Database(filename, { readonly: true })
      assert.strictEqual(db.pragma("journal_mode", { simple: true }), "wal")
      db.close()
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.scoped("refuses a file that is not a seatplan store, naming the file", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const filename = path.join(dir, "notes.sqlite")
      yield* fs.writeFileString(filename, "these are my notes, not a database")
      const error = yield* Effect.flip(Layer.build(SqliteEventStore.layer({ filename })))
      assert.strictEqual(error._tag, "StorageError")
      assert.include(error.message, filename)
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
