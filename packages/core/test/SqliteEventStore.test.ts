import { FileSystem } from "@effect/platform"
import Database from "better-sqlite3"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import * as path from "node:path"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { EventStore, Ids, SqliteEventStore } from "../src/index.js"
import { eventStoreContract } from "./EventStoreContract.js"

/** A SQLite store in a fresh file of a scoped temporary directory. */
export const freshSqlite = (file = "events.sqlite") =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "seatplan-" })
    const context = yield* Layer.build(SqliteEventStore.layer({ filename: path.join(dir, file) }))
    return Context.get(context, EventStore.EventStore)
  }).pipe(Effect.provide(NodeFileSystem.layer))

eventStoreContract("sqlite", freshSqlite())

describe("sqlite event store", () => {
  it.scoped("sets synchronous = FULL on the connection it opens", () =>
    Effect.gen(function* () {
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
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("keeps events across reopening the file, with WAL and synchronous = FULL", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const filename = path.join(dir, "kept.sqlite")
      const at = "2026-03-01T08:00:00.000Z"
      yield* Effect.scoped(
        Effect.gen(function* () {
          const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename })), EventStore.EventStore)
          yield* store.append(
            EventStore.baseline,
            [
              {
                id: Ids.eventId("e1"),
                recordedAt: at,
                event: { _tag: "StandardChanged", year: Ids.schoolYear(2024), key: "classCap.primary", value: 40 }
              }
            ],
            0
          )
          yield* store.fork(EventStore.baseline, 1, EventStore.planStream("a"))
        })
      )
      const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename })), EventStore.EventStore)
      const read = yield* store.readStream(EventStore.planStream("a"))
      assert.deepStrictEqual(
        read.map((e) => e.id),
        ["e1"]
      )
      const db = new Database(filename, { readonly: true })
      assert.strictEqual(db.pragma("journal_mode", { simple: true }), "wal")
      db.close()
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("reads rows written by an older schema version through the upcasters", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const filename = path.join(dir, "old.sqlite")
      yield* Effect.scoped(Layer.build(SqliteEventStore.layer({ filename })))
      const db = new Database(filename)
      db.prepare("INSERT INTO streams (stream, version) VALUES ('baseline', 1)").run()
      db.prepare(
        "INSERT INTO events (stream_seq, version, id, type, year, v, data) VALUES (1, 1, 'm1', 'MigrationRecorded', 2019, 1, ?)"
      ).run(
        JSON.stringify({
          id: "m1",
          recordedAt: "2019-09-01T00:00:00.000Z",
          event: { _tag: "MigrationRecorded", year: 2019, from: "outside", to: "outside", age: 9, count: 4, migrant: false }
        })
      )
      db.close()
      const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename })), EventStore.EventStore)
      const [stored] = yield* store.readAll()
      assert.deepStrictEqual(stored.event._tag === "MigrationRecorded" && stored.event.ages, { min: 9, max: 9 })
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("refuses another application's SQLite file and leaves it untouched", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const filename = path.join(dir, "theirs.sqlite")
      const db = new Database(filename)
      db.exec("CREATE TABLE pupils (name TEXT); INSERT INTO pupils VALUES ('Li Lei')")
      db.close()
      const error = yield* Effect.flip(Layer.build(SqliteEventStore.layer({ filename })))
      assert.include(error.message, "another kind")
      assert.include(error.message, "pupils")
      const check = new Database(filename, { readonly: true })
      const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()
      check.close()
      assert.deepStrictEqual(tables, [{ name: "pupils" }])
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("refuses a file that is not a seatplan store, naming the file", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const filename = path.join(dir, "notes.sqlite")
      yield* fs.writeFileString(filename, "these are my notes, not a database")
      const error = yield* Effect.flip(Layer.build(SqliteEventStore.layer({ filename })))
      assert.strictEqual(error._tag, "StorageError")
      assert.include(error.message, filename)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("opens an existing store while another connection holds the write lock: nothing to create, nothing written", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const filename = path.join(dir, "held.sqlite")
      yield* Effect.scoped(Layer.build(SqliteEventStore.layer({ filename })))
      const other = new Database(filename)
      yield* Effect.addFinalizer(() => Effect.sync(() => other.close()))
      other.exec("BEGIN IMMEDIATE")
      const started = Date.now()
      const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename, busyTimeoutMs: 2000 })), EventStore.EventStore)
      assert.strictEqual(yield* store.version(EventStore.baseline), 0)
      assert.isBelow(Date.now() - started, 1500, "the open waited for the writer")
      other.exec("ROLLBACK")
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("an append that cannot get the write lock in time fails as StoreBusy naming the file and the wait", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const filename = path.join(dir, "busy.sqlite")
      const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename, busyTimeoutMs: 300 })), EventStore.EventStore)
      const other = new Database(filename)
      yield* Effect.addFinalizer(() => Effect.sync(() => other.close()))
      other.exec("BEGIN IMMEDIATE")
      const error = yield* Effect.flip(store.append(EventStore.baseline, [births("b1")], 0))
      other.exec("ROLLBACK")
      assert.strictEqual(error._tag, "StoreBusy", error.message)
      if (error._tag === "StoreBusy") {
        assert.strictEqual(error.file, filename)
        assert.strictEqual(error.timeoutMs, 300)
        assert.isAtLeast(error.waitedMs, 250)
        assert.include(error.message, "more than 0.3 s")
        assert.include(error.message, filename)
      }
      assert.notInclude(error.message, "expected 0")
      const after = yield* store.append(EventStore.baseline, [births("b1")], 0)
      assert.strictEqual(after.version, 1)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("a fork beside a writer that holds the lock is StoreBusy too", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const filename = path.join(dir, "fork.sqlite")
      const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename, busyTimeoutMs: 200 })), EventStore.EventStore)
      yield* store.append(EventStore.baseline, [births("b1")], 0)
      const other = new Database(filename)
      yield* Effect.addFinalizer(() => Effect.sync(() => other.close()))
      other.exec("BEGIN IMMEDIATE")
      const error = yield* Effect.flip(store.fork(EventStore.baseline, 1, EventStore.planStream("a")))
      other.exec("ROLLBACK")
      assert.strictEqual(error._tag, "StoreBusy", error.message)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})

const births = (id: string) => ({
  id: Ids.eventId(id),
  recordedAt: "2026-03-01T08:00:00.000Z",
  event: { _tag: "BirthsRecorded" as const, year: Ids.schoolYear(2024), settlementId: Ids.settlementId("S0"), births: 3 }
})
