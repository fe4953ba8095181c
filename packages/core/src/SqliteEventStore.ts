/**
 * The SQLite event store: one file, no server. Every open sets WAL journaling with `synchronous = FULL`
 * (an acknowledged append survives a crash or power loss), each append is one transaction, and the
 * tables index streams (`UNIQUE (stream, version)`), event ids (`UNIQUE (id)`) and the global position
 * (the integer primary key).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Cause, Effect, Either, Layer, Option } from "effect"
import type * as Event from "./Event.js"
import { EventStore, type StreamInfo } from "./EventStore.js"
import { StorageError, VersionConflict } from "./EventStoreError.js"
import type { StreamId } from "./Ids.js"
import * as Append from "./internal/append.js"
import * as Codec from "./internal/codec.js"
import * as Upcast from "./Upcast.js"

export interface Options {
  /** The database file; created when missing. */
  readonly filename: string
}

/** Events per INSERT statement (9 parameters each, well under SQLite's 32,766 limit). */
const insertChunk = 500

const migrations = [
  `CREATE TABLE IF NOT EXISTS seatplan_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS streams (
    seq INTEGER PRIMARY KEY,
    stream TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    parent TEXT,
    parent_version INTEGER,
    forked_at_position INTEGER NOT NULL DEFAULT 0
  )`,
  `CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY,
    stream TEXT NOT NULL,
    version INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    year INTEGER NOT NULL,
    v INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    causation_id TEXT,
    payload TEXT NOT NULL,
    UNIQUE (stream, version)
  )`,
  `CREATE INDEX IF NOT EXISTS events_type_year ON events (type, year)`,
  `INSERT INTO seatplan_meta (key, value) VALUES ('format', 'seatplan-event-store/1') ON CONFLICT (key) DO NOTHING`
]

interface EventRow {
  readonly position: number
  readonly stream: string
  readonly version: number
  readonly id: string
  readonly type: string
  readonly v: number
  readonly recorded_at: string
  readonly causation_id: string | null
  readonly payload: string
}

interface StreamRow {
  readonly stream: string
  readonly version: number
  readonly parent: string | null
  readonly parent_version: number | null
  readonly forked_at_position: number
}

const eventColumns = "position, stream, version, id, type, v, recorded_at, causation_id, payload"

/** Builds the store over an `SqlClient` for SQLite (schema created if missing, pragmas set). */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const storage = (operation: string) => (cause: SqlError) =>
    new StorageError({ operation, reason: sqliteReason(cause), cause })

  yield* Effect.forEach(
    ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA busy_timeout = 10000", ...migrations],
    (statement) => sql.unsafe(statement),
    { discard: true }
  ).pipe(Effect.mapError(storage("open")))
  const [format] = yield* sql.unsafe<{ value: string }>(`SELECT value FROM seatplan_meta WHERE key = 'format'`).pipe(
    Effect.mapError(storage("open"))
  )
  if (format?.value !== "seatplan-event-store/1") {
    return yield* new StorageError({
      operation: "open",
      reason: `the file is a SQLite database of another kind (format ${format?.value ?? "missing"}), expected a seatplan event store`
    })
  }

  const streamRow = (stream: string) =>
    Effect.map(
      sql.unsafe<StreamRow>(
        `SELECT stream, version, parent, parent_version, forked_at_position FROM streams WHERE stream = ?`,
        [stream]
      ),
      (rows) => rows[0]
    )

  const decodeRows = (rows: ReadonlyArray<EventRow>, operation: string) =>
    Effect.suspend(() => {
      const out: Array<Event.StoredEvent> = new Array(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const decoded = decodeRow(rows[i])
        if (Either.isLeft(decoded)) {
          return Effect.fail(new StorageError({ operation, reason: decoded.left }))
        }
        out[i] = decoded.right
      }
      return Effect.succeed(out)
    })

  const readRange = (stream: string, from: number, to: number): Effect.Effect<ReadonlyArray<EventRow>, SqlError> =>
    Effect.gen(function*() {
      if (to < from) return []
      const row = yield* streamRow(stream)
      if (row === undefined) return []
      const inherited = row.parent !== null && row.parent_version !== null && from <= row.parent_version
        ? yield* readRange(row.parent, from, Math.min(to, row.parent_version))
        : []
      const own = yield* sql.unsafe<EventRow>(
        `SELECT ${eventColumns} FROM events WHERE stream = ? AND version BETWEEN ? AND ? ORDER BY version`,
        [stream, from, to]
      )
      return inherited.length === 0 ? own : [...inherited, ...own]
    })

  const version = (stream: StreamId) => Effect.map(streamRow(stream), (row) => row?.version ?? 0)

  const findIds = (ids: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const found = new Map<string, Append.Located>()
      for (let i = 0; i < ids.length; i += insertChunk) {
        const chunk = ids.slice(i, i + insertChunk)
        const rows = yield* sql.unsafe<{ id: string; stream: string; version: number; position: number }>(
          `SELECT id, stream, version, position FROM events WHERE id IN (${placeholders(chunk.length)})`,
          chunk
        )
        for (const r of rows) found.set(r.id, r)
      }
      return found
    })

  const lastPosition = (stream: StreamId) =>
    Effect.map(
      readRange(stream, 1, Number.MAX_SAFE_INTEGER),
      (rows) => rows.length === 0 ? 0 : rows[rows.length - 1].position
    )

  const appendInTransaction = (
    stream: StreamId,
    events: ReadonlyArray<Event.NewEvent>,
    expected: number | "any"
  ) =>
    Effect.gen(function*() {
      const row = yield* streamRow(stream)
      const current = row?.version ?? 0
      const found = events.length === 0 ? new Map() : yield* findIds(events.map((e) => e.id))
      const position = events.length === 0 ? yield* lastPosition(stream) : 0
      const placement = yield* Append.place(stream, events, expected, current, position, found)
      if (placement._tag === "Noop") {
        return { stream, version: placement.version, appended: 0, position: placement.position }
      }
      for (let i = 0; i < events.length; i += insertChunk) {
        const chunk = events.slice(i, i + insertChunk)
        const params: Array<unknown> = []
        for (let j = 0; j < chunk.length; j++) {
          const e = chunk[j]
          params.push(
            stream,
            current + i + j + 1,
            e.id,
            e.event._tag,
            e.event.year,
            Upcast.currentVersion(e.event._tag),
            e.recordedAt,
            e.causationId ?? null,
            Codec.encodePayload(e.event)
          )
        }
        yield* sql.unsafe(
          `INSERT INTO events (stream, version, id, type, year, v, recorded_at, causation_id, payload) VALUES ${
            rowPlaceholders(chunk.length, 9)
          }`,
          params
        )
      }
      const version = current + events.length
      if (row === undefined) {
        yield* sql.unsafe(`INSERT INTO streams (stream, version) VALUES (?, ?)`, [stream, version])
      } else {
        yield* sql.unsafe(`UPDATE streams SET version = ? WHERE stream = ?`, [version, stream])
      }
      const [last] = yield* sql.unsafe<{ position: number }>(`SELECT max(position) AS position FROM events`)
      return { stream, version, appended: events.length, position: last.position }
    })

  /** A write that lost a race with another process is a version conflict, not a storage failure. */
  const raceToConflict = (stream: StreamId, expected: number | "any") => (cause: SqlError) =>
    isRace(cause)
      ? Effect.flatMap(
        Effect.orElseSucceed(version(stream), () => -1),
        (actual) =>
          Effect.fail(
            expected === "any"
              ? new StorageError({ operation: "append", reason: sqliteReason(cause), cause })
              : new VersionConflict({ stream, expected, actual })
          )
      )
      : Effect.fail(storage("append")(cause))

  const forkInTransaction = (source: StreamId, at: number, target: StreamId) =>
    Effect.gen(function*() {
      const src = yield* streamRow(source)
      const existing = yield* streamRow(target)
      yield* Append.checkFork(source, src?.version, at, target, existing !== undefined)
      const [last] = yield* sql.unsafe<{ position: number | null }>(`SELECT max(position) AS position FROM events`)
      const forkedAtPosition = last.position ?? 0
      yield* sql.unsafe(
        `INSERT INTO streams (stream, version, parent, parent_version, forked_at_position) VALUES (?, ?, ?, ?, ?)`,
        [target, at, source, at, forkedAtPosition]
      )
      const info: StreamInfo = { stream: target, version: at, parent: { stream: source, version: at }, forkedAtPosition }
      return info
    })

  const catchSql = <A, E, R>(operation: string, effect: Effect.Effect<A, E | SqlError, R>) =>
    Effect.catchIf(effect, isSqlError, (e) => Effect.fail(storage(operation)(e)))

  const store: EventStore["Type"] = {
    append: (stream, events, expected) =>
      sql.withTransaction(appendInTransaction(stream, events, expected)).pipe(
        Effect.catchIf(isSqlError, raceToConflict(stream, expected))
      ),
    readStream: (stream, options) =>
      readRange(stream, Math.max(1, options?.fromVersion ?? 1), options?.toVersion ?? Number.MAX_SAFE_INTEGER).pipe(
        Effect.mapError(storage("read stream")),
        Effect.flatMap((rows) => decodeRows(rows, "read stream"))
      ),
    readAll: (options) =>
      sql.unsafe<EventRow>(
        `SELECT ${eventColumns} FROM events WHERE position >= ? ORDER BY position LIMIT ?`,
        [Math.max(1, options?.fromPosition ?? 1), options?.limit ?? -1]
      ).pipe(
        Effect.mapError(storage("read all")),
        Effect.flatMap((rows) => decodeRows(rows, "read all"))
      ),
    version: (stream) => Effect.mapError(version(stream), storage("read version")),
    streams: sql.unsafe<StreamRow>(
      `SELECT stream, version, parent, parent_version, forked_at_position FROM streams ORDER BY seq`
    ).pipe(Effect.mapError(storage("list streams")), Effect.map((rows) => rows.map(toStreamInfo))),
    fork: (source, at, target) => catchSql("fork", sql.withTransaction(forkInTransaction(source, at, target))),
    log: Effect.gen(function*() {
      const forks = yield* sql.unsafe<StreamRow>(
        `SELECT stream, version, parent, parent_version, forked_at_position FROM streams WHERE parent IS NOT NULL ORDER BY seq`
      )
      const rows = yield* sql.unsafe<EventRow>(`SELECT ${eventColumns} FROM events ORDER BY position`)
      const events = yield* decodeRows(rows, "export")
      return interleave(forks, events)
    }).pipe(Effect.catchIf(isSqlError, (e) => Effect.fail(storage("export")(e)))),
    importLog: (entries) =>
      catchSql(
        "import",
        sql.withTransaction(Append.importInto({
          append: (stream, events, expected) =>
            Effect.catchIf(appendInTransaction(stream, events, expected), isSqlError, (e) => Effect.fail(storage("import")(e))),
          fork: (source, at, target) => catchSql("import", forkInTransaction(source, at, target)),
          hasStream: (stream) =>
            Effect.mapError(Effect.map(streamRow(stream), (r) => r !== undefined), storage("import"))
        }, entries))
      )
  }
  return store
})

/** The SQLite store over a file of its own (created when missing). */
export const layer = (options: Options): Layer.Layer<EventStore, StorageError> =>
  Layer.effect(EventStore, make).pipe(
    Layer.provide(SqliteClient.layer({ filename: options.filename })),
    Layer.catchAllCause((cause) => {
      const failure = Cause.failureOption(cause)
      const error = Option.isSome(failure) && failure.value._tag === "StorageError" ? failure.value : undefined
      const reason = error?.reason ?? describeCause(Cause.squash(cause))
      return Layer.fail(new StorageError({ operation: `open ${options.filename}`, reason, cause }))
    })
  )

/** The SQLite store over an `SqlClient` the caller provides. */
export const layerFromClient: Layer.Layer<EventStore, StorageError, SqlClient.SqlClient> = Layer.effect(EventStore, make)

// == helpers

const placeholders = (n: number) => new Array(n).fill("?").join(", ")

const rowCache = new Map<number, string>()
const rowPlaceholders = (rows: number, columns: number): string => {
  let text = rowCache.get(rows)
  if (text === undefined) {
    const row = `(${placeholders(columns)})`
    text = new Array(rows).fill(row).join(", ")
    rowCache.set(rows, text)
  }
  return text
}

const decodeRow = (row: EventRow): Either.Either<Event.StoredEvent, string> => {
  let raw: unknown
  try {
    raw = JSON.parse(row.payload)
  } catch (e) {
    return Either.left(`event at position ${row.position} has a payload that is not JSON: ${String(e)}`)
  }
  return Either.mapBoth(Codec.decodeEvent(raw, row.v), {
    onLeft: (issues) =>
      `event at position ${row.position} (${row.type}) no longer decodes: ` +
      issues.map((i) => `${i.path}: ${i.message}`).join("; "),
    onRight: (event): Event.StoredEvent => {
      const base = {
        position: row.position,
        stream: row.stream as StreamId,
        version: row.version,
        id: row.id as Event.StoredEvent["id"],
        recordedAt: row.recorded_at,
        event
      }
      return row.causation_id === null ? base : { ...base, causationId: row.causation_id }
    }
  })
}

const toStreamInfo = (r: StreamRow): StreamInfo =>
  r.parent === null || r.parent_version === null
    ? { stream: r.stream as StreamId, version: r.version, forkedAtPosition: r.forked_at_position }
    : {
      stream: r.stream as StreamId,
      version: r.version,
      parent: { stream: r.parent as StreamId, version: r.parent_version },
      forkedAtPosition: r.forked_at_position
    }

const interleave = (forks: ReadonlyArray<StreamRow>, events: ReadonlyArray<Event.StoredEvent>) => {
  const out: Array<import("./EventStore.js").LogEntry> = []
  let f = 0
  const forkEntry = (r: StreamRow) => ({
    _tag: "Fork" as const,
    fork: { stream: r.stream as StreamId, parent: r.parent as StreamId, version: r.parent_version ?? 0 }
  })
  for (const stored of events) {
    while (f < forks.length && forks[f].forked_at_position < stored.position) out.push(forkEntry(forks[f++]))
    out.push({ _tag: "Event", stored })
  }
  while (f < forks.length) out.push(forkEntry(forks[f++]))
  return out
}

const isSqlError = (e: unknown): e is SqlError =>
  typeof e === "object" && e !== null && (e as { _tag?: unknown })._tag === "SqlError"

const sqliteCode = (e: SqlError): string | undefined => {
  const cause = e.cause as { code?: unknown } | undefined
  return typeof cause?.code === "string" ? cause.code : undefined
}

const isRace = (e: SqlError): boolean => {
  const code = sqliteCode(e) ?? ""
  return code.startsWith("SQLITE_BUSY") || code === "SQLITE_CONSTRAINT_UNIQUE"
}

const sqliteReason = (e: SqlError): string => {
  const cause = e.cause as { message?: unknown } | undefined
  const detail = typeof cause?.message === "string" ? cause.message : String(e.cause)
  return `${e.message}: ${detail}${sqliteCode(e) === undefined ? "" : ` (${sqliteCode(e)})`}`
}

const describeCause = (e: unknown): string => {
  const message = typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e)
  return message.includes("not a database")
    ? `${message}: the file is not a SQLite database (expected a seatplan event store)`
    : message
}
