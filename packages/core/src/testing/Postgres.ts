/**
 * The tests' PostgreSQL: the throwaway cluster the global set-up started (Cluster.ts), its URL in
 * `SEATPLAN_TEST_PG_URL`. A test that needs it fails, never skips, without it. Each store gets a new
 * database of its own, dropped when the test's scope closes.
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import { execFileSync } from "node:child_process"
import { Context, Effect, Layer, Redacted } from "effect"
import * as EventStore from "../EventStore.js"
import * as PostgresEventStore from "../PostgresEventStore.js"

/** The cluster's URL (its `postgres` database). */
export const clusterUrl = (): string => {
  const url = process.env.SEATPLAN_TEST_PG_URL
  if (url === undefined)
    throw new Error("SEATPLAN_TEST_PG_URL is not set: run the tests through vitest (its global set-up starts PostgreSQL)")
  return url
}

/** The URL of database `name` on the cluster. */
export const databaseUrl = (name: string): string => clusterUrl().replace(/\/[^/]*$/, `/${name}`)

let counter = 0

/** A new empty database on the cluster, dropped when the scope closes; its URL. */
export const freshDatabase = Effect.gen(function* () {
  const name = `seatplan_t${process.pid}_${Date.now().toString(36)}_${counter++}`
  const admin = Context.get(yield* Layer.build(PgClient.layer({ url: Redacted.make(clusterUrl()), maxConnections: 1 })), PgClient.PgClient)
  yield* admin.unsafe(`CREATE DATABASE ${name}`)
  yield* Effect.addFinalizer(() => Effect.orDie(admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)))
  return databaseUrl(name)
}).pipe(Effect.orDie)

/** A PostgreSQL store over a new empty database. */
export const freshPostgres = Effect.gen(function* () {
  const url = yield* freshDatabase
  return Context.get(yield* Layer.build(PostgresEventStore.layer({ url })), EventStore.EventStore)
})

/** `pg_ctl` for the cluster, with `args` added (restart, stop -m immediate, start). */
export const pgCtl = (...args: ReadonlyArray<string>): void => {
  const argv = JSON.parse(process.env.SEATPLAN_TEST_PG_CTL ?? "null") as ReadonlyArray<string> | null
  if (argv === null) throw new Error("SEATPLAN_TEST_PG_CTL is not set: this test restarts the cluster the global set-up started")
  execFileSync(argv[0], [...argv.slice(1), ...args], { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 })
}

/** Rows of one query on a database of the cluster (a URL's `?schema=` is ignored: name tables with their schema). */
export const query = <R extends object>(url: string, text: string): Effect.Effect<ReadonlyArray<R>> =>
  Effect.scoped(
    Effect.gen(function* () {
      const sql = Context.get(
        yield* Layer.build(PgClient.layer({ url: Redacted.make(url.replace(/\?.*$/, "")), maxConnections: 1 })),
        PgClient.PgClient
      )
      return yield* sql.unsafe<R>(text)
    })
  ).pipe(Effect.orDie)
