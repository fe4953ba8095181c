/**
 * The event store a `--store` names: a SQLite file, or a PostgreSQL database (`postgres://…`, see
 * `PostgresEventStore`). Every command that takes a store opens it here.
 */
import { type EventStore, type EventStoreError, PostgresEventStore, SqliteEventStore } from "@seatplan/core"
import type { Layer } from "effect"

/** Whether a `--store` names a PostgreSQL database. */
export const isPostgres = (spec: string): boolean => PostgresEventStore.isUrl(spec)

/** The store's layer. */
export const layer = (spec: string): Layer.Layer<EventStore.EventStore, EventStoreError.StorageError | EventStoreError.StoreBusy> =>
  isPostgres(spec) ? PostgresEventStore.layer({ url: spec }) : SqliteEventStore.layer({ filename: spec })

/** The store as messages name it (a URL without its password). */
export const name = (spec: string): string => (isPostgres(spec) ? PostgresEventStore.redact(spec) : spec)
