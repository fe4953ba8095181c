import { assert, describe, it } from "@effect/vitest"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Context, Effect, Layer, Redacted } from "effect"
import { EventStore, Ids, Jsonl, PostgresEventStore } from "../src/index.js"
import { eventStoreContract } from "./EventStoreContract.js"
import { Postgres } from "../src/testing/index.js"

const { freshDatabase, freshPostgres } = Postgres

eventStoreContract("postgres", freshPostgres)

const at = "2026-03-01T08:00:00.000Z"
const births = (n: number, id = `b${n}`) => ({
  id: Ids.eventId(id),
  recordedAt: at,
  event: { _tag: "BirthsRecorded" as const, year: Ids.schoolYear(2024), settlementId: Ids.settlementId("S0"), births: n }
})

describe("postgres event store", () => {
  it.scoped("keeps events across reopening, and two stores on one database see each other's appends", () =>
    Effect.gen(function* () {
      const url = yield* freshDatabase
      yield* Effect.scoped(
        Effect.gen(function* () {
          const store = Context.get(yield* Layer.build(PostgresEventStore.layer({ url })), EventStore.EventStore)
          yield* store.append(EventStore.baseline, [births(1), births(2)], 0)
        })
      )
      const a = Context.get(yield* Layer.build(PostgresEventStore.layer({ url })), EventStore.EventStore)
      const b = Context.get(yield* Layer.build(PostgresEventStore.layer({ url })), EventStore.EventStore)
      assert.strictEqual(yield* a.version(EventStore.baseline), 2)
      yield* b.append(Ids.streamId("plan/county-b"), [births(3)], 0)
      const conflict = yield* Effect.flip(a.append(EventStore.baseline, [births(4)], 1))
      assert.strictEqual(conflict._tag, "VersionConflict")
      assert.deepStrictEqual(
        (yield* a.readAll()).map((e) => [e.position, e.stream, e.id]),
        [
          [1, "baseline", "b1"],
          [2, "baseline", "b2"],
          [3, "plan/county-b", "b3"]
        ]
      )
    })
  )

  it.scoped("two bureaus' stores in two schemas of one database (?schema=) are separate; a bad schema name is refused", () =>
    Effect.gen(function* () {
      const url = yield* freshDatabase
      const open = (u: string) =>
        Effect.map(Layer.build(PostgresEventStore.layer({ url: u })), (c) => Context.get(c, EventStore.EventStore))
      const a = yield* open(`${url}?schema=county_a`)
      const b = yield* open(`${url}?schema=county_b`)
      yield* a.append(EventStore.baseline, [births(1, "a1"), births(2, "a2")], 0)
      yield* b.append(EventStore.baseline, [births(1, "b1")], 0)
      assert.deepStrictEqual(
        (yield* a.readAll()).map((e) => e.id),
        ["a1", "a2"]
      )
      assert.deepStrictEqual(
        (yield* b.readAll()).map((e) => [e.id, e.position]),
        [["b1", 1]]
      )
      assert.strictEqual(yield* (yield* open(`${url}?schema=county_a`)).version(EventStore.baseline), 2)
      const bad = yield* Effect.flip(open(`${url}?schema=x;drop`))
      assert.match(bad.message, /\?schema=: expected a lower-case name/)
    })
  )

  it.scoped("twenty concurrent appenders at one version over four connections: exactly one wins, positions stay dense", () =>
    Effect.gen(function* () {
      const store = yield* freshPostgres
      yield* store.append(EventStore.baseline, [births(0)], 0)
      const results = yield* Effect.all(
        Array.from({ length: 20 }, (_, w) =>
          Effect.either(
            store.append(
              EventStore.baseline,
              Array.from({ length: 5 }, (_, i) => births(i, `w${w}-${i}`)),
              1
            )
          )
        ),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(results.filter((r) => r._tag === "Right").length, 1)
      for (const r of results) if (r._tag === "Left") assert.strictEqual(r.left._tag, "VersionConflict")
      const all = yield* store.readAll()
      assert.deepStrictEqual(
        all.map((e) => e.position),
        [1, 2, 3, 4, 5, 6]
      )
      assert.deepStrictEqual(
        all.map((e) => e.version),
        [1, 2, 3, 4, 5, 6]
      )
    })
  )

  it.scopedLive(
    "a store opened while another process is creating its schema (the distributed job tables do) waits for it and opens",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase
        // the job tables' creation, held open for a second: without the shared lock the store's own
        // CREATE SCHEMA IF NOT EXISTS blocks on the uncommitted schema, then fails on pg_namespace (23505)
        const holder = yield* Effect.fork(
          Postgres.query(url, `${PostgresEventStore.ddlLock}; CREATE SCHEMA IF NOT EXISTS jobs; SELECT pg_sleep(1)`)
        )
        yield* Effect.sleep("300 millis")
        const store = Context.get(yield* Layer.build(PostgresEventStore.layer({ url: `${url}?schema=jobs` })), EventStore.EventStore)
        const held = yield* holder.await
        assert.isTrue(held._tag === "Success", String(held))
        yield* store.append(EventStore.baseline, [births(3)], 0)
        assert.deepStrictEqual(
          (yield* store.readAll()).map((e) => e.id),
          ["b3"]
        )
      }),
    60_000
  )

  it.scoped("a database whose seatplan tables carry another format is refused, nothing changed", () =>
    Effect.gen(function* () {
      const url = yield* freshDatabase
      const sql = Context.get(yield* Layer.build(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })), PgClient.PgClient)
      yield* sql.unsafe(`CREATE TABLE seatplan_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`)
      yield* sql.unsafe(`INSERT INTO seatplan_meta VALUES ('format', 'something-else/9')`)
      const error = yield* Effect.flip(Layer.build(PostgresEventStore.layer({ url })))
      assert.strictEqual(error._tag, "StorageError")
      assert.match(error.message, /format something-else\/9, expected seatplan-event-store\/1/)
      const tables = yield* sql.unsafe<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name LIKE 'seatplan_%'`
      )
      assert.strictEqual(tables[0].n, 1)
    })
  )

  it.scoped("an unreachable server is a StorageError naming the URL without its password", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Layer.build(PostgresEventStore.layer({ url: "postgres://planner:secret@127.0.0.1:1/none" })))
      assert.strictEqual(error._tag, "StorageError")
      assert.include(error.message, "postgres://planner:***@127.0.0.1:1/none")
      assert.notInclude(error.message, "secret")
    })
  )

  it.scoped("a log exported from SQLite-shaped JSONL imports into PostgreSQL and exports identically", () =>
    Effect.gen(function* () {
      const store = yield* freshPostgres
      yield* store.append(EventStore.baseline, [births(1), births(2), births(3)], 0)
      yield* store.fork(EventStore.baseline, 2, Ids.streamId("plan/a"))
      yield* store.append(Ids.streamId("plan/a"), [births(9, "a9")], 2)
      const text = Jsonl.encode(yield* store.log)
      const other = yield* freshPostgres
      const entries = Jsonl.decode(text, "log.jsonl")
      assert.strictEqual(entries._tag, "Right")
      if (entries._tag === "Right") yield* other.importLog(entries.right)
      assert.strictEqual(Jsonl.encode(yield* other.log), text)
    })
  )
})
