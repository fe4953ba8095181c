/**
 * The PostgreSQL event store: the same contract as the SQLite store (the same test suite, durability and
 * race tests run against a real PostgreSQL), for a bureau whose planners and workers share one server.
 *
 * Tables (created when missing, under an advisory lock so that several processes may create them at once):
 * `seatplan_meta` (the format mark), `seatplan_streams` and `seatplan_events` with `UNIQUE (stream_seq,
 * version)` and `UNIQUE (id)`. Every write (append, fork, import) is one transaction that first takes one
 * transaction-scoped advisory lock, so writes are serialised as SQLite's are: the version an append checks
 * is the one it writes after, and global positions are dense and in commit order (a reader that tails the
 * log by position never skips an event committed late; a sequence would leave gaps and reorder). The unique
 * constraint on (stream, version) stays as a second guard: a writer that bypassed the lock could still not
 * store two events at one version. A lock not had within the busy timeout (`lock_timeout`) is `StoreBusy`,
 * never a version conflict. Durability is PostgreSQL's own: an acknowledged commit is in the WAL
 * (`synchronous_commit` on, the default).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Cause, Duration, Effect, Layer, Option, Redacted } from "effect"
import type * as Event from "./Event.js"
import { EventStore, type LogEntry, type ReadFilter, type StreamInfo } from "./EventStore.js"
import { StorageError, StoreBusy } from "./EventStoreError.js"
import type { StreamId } from "./Ids.js"
import * as Append from "./internal/append.js"
import * as Codec from "./internal/codec.js"
import * as Upcast from "./Upcast.js"

export interface Options {
  /**
   * `postgres://user:password@host:port/database`, optionally `?schema=name`: the store's tables in that
   * schema (created when missing), so that several stores (two bureaus, two counties) share one database.
   */
  readonly url: string
  /** How long to wait for another writer's lock before failing with `StoreBusy` (default 5000 ms). */
  readonly busyTimeoutMs?: number
}

/** The default wait for another writer's lock. */
export const defaultBusyTimeoutMs = 5000

/** The on-database format this code reads and writes (the same envelope as the SQLite store's). */
export const storeFormat = "seatplan-event-store/1"

/**
 * The advisory lock every write takes: an arbitrary constant ("seat" in ASCII) and the schema the store
 * lives in, so that stores in two schemas of one database do not wait for each other.
 */
const writeLock = 0x73656174

/**
 * The advisory lock (transaction-scoped) every process takes before it creates a schema or tables in the
 * database: this store and the distributed job tables both create `CREATE SCHEMA IF NOT EXISTS`, which two
 * transactions running at once may both try (PostgreSQL then fails one on pg_namespace's unique index).
 */
export const ddlLock = `SELECT pg_advisory_xact_lock(${writeLock}, 2)`

/** Events per INSERT statement (7 parameters each, under PostgreSQL's 65,535 limit). */
const insertChunk = 1000

/** Rows per read query. */
const readPage = 10_000

/** Whether a `--store` value names a PostgreSQL database. */
export const isUrl = (store: string): boolean => /^postgres(ql)?:\/\//.test(store)

/** A URL without its password, for messages. */
export const redact = (url: string): string => url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/, "$1:***@")

const tables: ReadonlyArray<string> = [
  `CREATE TABLE IF NOT EXISTS seatplan_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS seatplan_streams (
    seq INTEGER PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
    stream TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    parent TEXT,
    parent_version INTEGER,
    forked_at_position INTEGER NOT NULL DEFAULT 0
  )`,
  `CREATE TABLE IF NOT EXISTS seatplan_events (
    position INTEGER PRIMARY KEY,
    stream_seq INTEGER NOT NULL REFERENCES seatplan_streams (seq),
    version INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    year INTEGER NOT NULL,
    v INTEGER NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (stream_seq, version)
  )`
]

interface StreamRow {
  readonly seq: number
  readonly stream: string
  readonly version: number
  readonly parent: string | null
  readonly parent_version: number | null
  readonly forked_at_position: number
}

/** `[position, stream seq, version, v, data]` (`Codec.decodeRow` decodes it, as the SQLite store's) */
type EventRow = Codec.EventRow

const eventColumns = "position, stream_seq, version, v, data"
const streamColumns = "seq, stream, version, parent, parent_version, forked_at_position"

export interface MakeOptions {
  /** The database as named in errors (a URL without its password). */
  readonly name?: string
  /** The schema to create when missing (the connection's search path names it). */
  readonly schema?: string | undefined
  readonly busyTimeoutMs?: number | undefined
}

/** Builds the store over an `SqlClient` for PostgreSQL (tables created if missing). */
export const makeWith = (options: MakeOptions = {}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const busyTimeoutMs = Math.max(1, Math.round(options.busyTimeoutMs ?? defaultBusyTimeoutMs))
    const name = options.name ?? "the PostgreSQL event store"
    const storage = (operation: string) => (cause: SqlError) => new StorageError({ operation, reason: pgReason(cause), cause })

    const guarded = <A, E, R>(operation: string, effect: Effect.Effect<A, E | SqlError, R>) =>
      Effect.suspend(() => {
        const started = Date.now()
        return Effect.catchIf(effect, isSqlError, (e) =>
          Effect.fail(
            pgCode(e) === "55P03"
              ? new StoreBusy({ file: name, operation, timeoutMs: busyTimeoutMs, waitedMs: Date.now() - started, cause: e })
              : storage(operation)(e)
          )
        )
      })

    /** A write transaction: the busy timeout, then the one write lock, then `effect`. */
    const locked = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      sql.withTransaction(
        Effect.gen(function* () {
          yield* sql.unsafe(`SET LOCAL lock_timeout = '${busyTimeoutMs}ms'`)
          yield* sql.unsafe(`SELECT pg_advisory_xact_lock(${writeLock}, hashtext(current_setting('search_path')))`)
          return yield* effect
        })
      )

    yield* guarded(
      "open",
      Effect.gen(function* () {
        const present = yield* tableNames(sql)
        yield* checkFormat(sql, present)
        if (["seatplan_meta", "seatplan_streams", "seatplan_events"].every((t) => present.has(t))) return
        yield* locked(
          Effect.gen(function* () {
            yield* sql.unsafe(ddlLock)
            if (options.schema !== undefined) yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`)
            yield* checkFormat(sql, yield* tableNames(sql))
            for (const ddl of tables) yield* sql.unsafe(ddl)
            yield* sql.unsafe(`INSERT INTO seatplan_meta (key, value) VALUES ('format', '${storeFormat}') ON CONFLICT (key) DO NOTHING`)
          })
        )
      })
    )

    const streamRow = (stream: string) =>
      Effect.map(sql.unsafe<StreamRow>(`SELECT ${streamColumns} FROM seatplan_streams WHERE stream = $1`, [stream]), (rows) => rows[0])

    const streamNames = Effect.map(
      sql.unsafe<{ seq: number; stream: StreamId }>(`SELECT seq, stream FROM seatplan_streams`),
      (rows) => new Map(rows.map((r) => [r.seq, r.stream]))
    )

    const decodePage = (
      rows: ReadonlyArray<EventRow>,
      names: ReadonlyMap<number, StreamId>,
      out: Array<Event.StoredEvent>,
      operation: string
    ) =>
      Effect.suspend(() => {
        for (const row of rows) {
          const decoded = Codec.decodeRow(row, names.get(row[1]) ?? (`#${row[1]}` as StreamId))
          if (typeof decoded === "string") return Effect.fail(new StorageError({ operation, reason: decoded }))
          out.push(decoded)
        }
        return Effect.void
      })

    const values = (query: string, params: ReadonlyArray<unknown>) =>
      sql.unsafe(query, params).values as Effect.Effect<ReadonlyArray<EventRow>, SqlError>

    /** As the SQLite store's: the rows `filter` leaves out are skipped by PostgreSQL on `type` and `year`, never decoded. */
    const readRange = (
      stream: string,
      from: number,
      to: number,
      operation = "read stream",
      filter?: ReadFilter
    ): Effect.Effect<Array<Event.StoredEvent>, SqlError | StorageError> =>
      Effect.gen(function* () {
        if (to < from) return []
        const row = yield* streamRow(stream)
        if (row === undefined) return []
        const out =
          row.parent !== null && row.parent_version !== null && from <= row.parent_version
            ? yield* readRange(row.parent, from, Math.min(to, row.parent_version), operation, filter)
            : []
        const names = new Map([[row.seq, row.stream as StreamId]])
        const skip = filter === undefined || filter.skipTypes.length === 0 ? undefined : filter
        const where = skip === undefined ? "" : ` AND NOT (type = ANY($4::text[]) AND year < $5)`
        const skipParams = skip === undefined ? [] : [[...skip.skipTypes], skip.beforeYear]
        let next = from
        const last = Math.min(to, 2_147_483_647)
        for (;;) {
          const page = yield* values(
            `SELECT ${eventColumns} FROM seatplan_events WHERE stream_seq = $1 AND version BETWEEN $2 AND $3${where} ORDER BY version LIMIT ${readPage}`,
            [row.seq, next, last, ...skipParams]
          )
          yield* decodePage(page, names, out, operation)
          if (page.length < readPage) return out
          next = page[page.length - 1][2] + 1
        }
      })

    const readFrom = (fromPosition: number, limit: number, operation: string) =>
      Effect.gen(function* () {
        const names = yield* streamNames
        const out: Array<Event.StoredEvent> = []
        let next = fromPosition
        while (out.length < limit) {
          const size = Math.min(readPage, limit - out.length)
          const page = yield* values(`SELECT ${eventColumns} FROM seatplan_events WHERE position >= $1 ORDER BY position LIMIT ${size}`, [
            next
          ])
          yield* decodePage(page, names, out, operation)
          if (page.length < size) break
          next = page[page.length - 1][0] + 1
        }
        return out
      })

    const findIds = (ids: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        const found = new Map<string, Append.Located>()
        for (let i = 0; i < ids.length; i += insertChunk) {
          const rows = yield* sql.unsafe<{ id: string; stream: string; version: number; position: number }>(
            `SELECT e.id, s.stream, e.version, e.position FROM seatplan_events e JOIN seatplan_streams s ON s.seq = e.stream_seq
             WHERE e.id = ANY($1::text[])`,
            [ids.slice(i, i + insertChunk)]
          )
          for (const r of rows) found.set(r.id, r)
        }
        return found
      })

    const lastPosition = (stream: StreamId) =>
      Effect.gen(function* () {
        const row = yield* streamRow(stream)
        if (row === undefined || row.version === 0) return 0
        const [last] = yield* readRange(stream, row.version, row.version, "append")
        return last?.position ?? 0
      })

    const maxPosition = Effect.map(
      sql.unsafe<{ position: number | null }>(`SELECT max(position) AS position FROM seatplan_events`),
      ([row]) => row?.position ?? 0
    )

    const appendInTransaction = (stream: StreamId, events: ReadonlyArray<Event.NewEvent>, expected: number | "any") =>
      Effect.gen(function* () {
        const existing = yield* streamRow(stream)
        const current = existing?.version ?? 0
        const found = events.length === 0 ? new Map() : yield* findIds(events.map((e) => e.id))
        const position = events.length === 0 ? yield* lastPosition(stream) : 0
        const placement = yield* Append.place(stream, events, expected, current, position, found)
        if (placement._tag === "Noop") return { stream, version: placement.version, appended: 0, position: placement.position }
        const seq =
          existing?.seq ??
          (yield* Effect.map(
            sql.unsafe<{ seq: number }>(`INSERT INTO seatplan_streams (stream, version) VALUES ($1, 0) RETURNING seq`, [stream]),
            ([row]) => row.seq
          ))
        let next = (yield* maxPosition) + 1
        for (let i = 0; i < events.length; i += insertChunk) {
          const chunk = events.slice(i, i + insertChunk)
          const params: Array<unknown> = []
          const rows: Array<string> = []
          for (let j = 0; j < chunk.length; j++) {
            const e = chunk[j]
            const k = j * 8
            rows.push(`($${k + 1}, $${k + 2}, $${k + 3}, $${k + 4}, $${k + 5}, $${k + 6}, $${k + 7}, $${k + 8})`)
            params.push(
              next++,
              seq,
              current + i + j + 1,
              e.id,
              e.event._tag,
              e.event.year,
              Upcast.currentVersion(e.event._tag),
              encodeData(e)
            )
          }
          yield* sql.unsafe(
            `INSERT INTO seatplan_events (position, stream_seq, version, id, type, year, v, data) VALUES ${rows.join(", ")}`,
            params
          )
        }
        const version = current + events.length
        yield* sql.unsafe(`UPDATE seatplan_streams SET version = $1 WHERE seq = $2`, [version, seq])
        return { stream, version, appended: events.length, position: next - 1 }
      })

    const forkInTransaction = (source: StreamId, at: number, target: StreamId) =>
      Effect.gen(function* () {
        const src = yield* streamRow(source)
        const existing = yield* streamRow(target)
        yield* Append.checkFork(source, src?.version, at, target, existing !== undefined)
        const forkedAtPosition = yield* maxPosition
        yield* sql.unsafe(
          `INSERT INTO seatplan_streams (stream, version, parent, parent_version, forked_at_position) VALUES ($1, $2, $3, $4, $5)`,
          [target, at, source, at, forkedAtPosition]
        )
        const info: StreamInfo = { stream: target, version: at, parent: { stream: source, version: at }, forkedAtPosition }
        return info
      })

    const catchSql = <A, E, R>(operation: string, effect: Effect.Effect<A, E | SqlError, R>) =>
      Effect.catchIf(effect, isSqlError, (e) => Effect.fail(storage(operation)(e)))

    const store: EventStore["Type"] = {
      append: (stream, events, expected) => guarded("append", locked(appendInTransaction(stream, events, expected))),
      readStream: (stream, options) =>
        catchSql(
          "read stream",
          readRange(
            stream,
            Math.max(1, options?.fromVersion ?? 1),
            options?.toVersion ?? Number.MAX_SAFE_INTEGER,
            "read stream",
            options?.filter
          )
        ),
      readAll: (options) =>
        catchSql("read all", readFrom(Math.max(1, options?.fromPosition ?? 1), options?.limit ?? Number.MAX_SAFE_INTEGER, "read all")),
      version: (stream) =>
        Effect.mapError(
          Effect.map(streamRow(stream), (row) => row?.version ?? 0),
          storage("read version")
        ),
      streams: sql.unsafe<StreamRow>(`SELECT ${streamColumns} FROM seatplan_streams ORDER BY seq`).pipe(
        Effect.mapError(storage("list streams")),
        Effect.map((rows) => rows.map(toStreamInfo))
      ),
      fork: (source, at, target) => guarded("fork", locked(forkInTransaction(source, at, target))),
      // one snapshot, so that forks and events agree even while others write
      log: sql
        .withTransaction(
          Effect.gen(function* () {
            yield* sql.unsafe(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`)
            const forks = yield* sql.unsafe<StreamRow>(
              `SELECT ${streamColumns} FROM seatplan_streams WHERE parent IS NOT NULL ORDER BY seq`
            )
            const events = yield* readFrom(1, Number.MAX_SAFE_INTEGER, "export")
            return interleave(forks, events)
          })
        )
        .pipe(Effect.catchIf(isSqlError, (e) => Effect.fail(storage("export")(e)))),
      importLog: (entries) =>
        guarded(
          "import",
          locked(
            Append.importInto(
              {
                append: (stream, events, expected) => catchSql("import", appendInTransaction(stream, events, expected)),
                fork: (source, at, target) => catchSql("import", forkInTransaction(source, at, target)),
                hasStream: (stream) =>
                  catchSql(
                    "import",
                    Effect.map(streamRow(stream), (r) => r !== undefined)
                  )
              },
              entries
            )
          )
        )
    }
    return store
  })

const tableNames = (sql: SqlClient.SqlClient) =>
  Effect.map(
    sql.unsafe<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_name IN ('seatplan_meta', 'seatplan_streams', 'seatplan_events')`
    ),
    (rows) => new Set(rows.map((t) => t.name))
  )

/** No seatplan tables is fine (they are created); seatplan tables without the format mark are not. */
const checkFormat = (sql: SqlClient.SqlClient, names: ReadonlySet<string>) =>
  Effect.gen(function* () {
    if (names.size === 0) return
    const [format] = names.has("seatplan_meta")
      ? yield* sql.unsafe<{ value: string }>(`SELECT value FROM seatplan_meta WHERE key = 'format'`)
      : []
    if (format === undefined && names.size < 3) return // another process is creating them (it holds the lock)
    if (format?.value !== storeFormat) {
      return yield* new StorageError({
        operation: "open",
        reason: `the database holds seatplan tables of format ${format?.value ?? "missing"}, expected ${storeFormat}; nothing was changed`
      })
    }
  })

/** The PostgreSQL store at a URL (its tables created when missing). */
export const layer = (options: Options): Layer.Layer<EventStore, StorageError | StoreBusy> => {
  const name = redact(options.url)
  const target = connection(options.url)
  if (typeof target === "string") return Layer.fail(new StorageError({ operation: `open ${name}`, reason: target }))
  return Layer.effect(EventStore, makeWith({ name, schema: target.schema, busyTimeoutMs: options.busyTimeoutMs })).pipe(
    Layer.provide(
      PgClient.layer({
        url: Redacted.make(target.url),
        applicationName: "seatplan",
        connectTimeout: Duration.seconds(10),
        maxConnections: 4
      })
    ),
    Layer.catchAllCause((cause) => {
      const failure = Cause.failureOption(cause)
      if (Option.isSome(failure) && failure.value._tag === "StoreBusy") return Layer.fail<StorageError | StoreBusy>(failure.value)
      const error = Option.isSome(failure) && failure.value._tag === "StorageError" ? failure.value : undefined
      const squashed = Cause.squash(cause)
      const reason =
        error?.reason ?? (isSqlError(squashed) ? pgReason(squashed) : squashed instanceof Error ? squashed.message : String(squashed))
      return Layer.fail<StorageError | StoreBusy>(new StorageError({ operation: `open ${name}`, reason, cause }))
    })
  )
}

/**
 * The URL to connect to and the schema a `?schema=name` names (as the connection's search path), or why
 * the schema name is refused (a plain SQL identifier: it is written into SQL).
 */
export const connection = (url: string): { readonly url: string; readonly schema?: string } | string => {
  const m = /[?&]schema=([^&]*)/.exec(url)
  if (m === null) return { url }
  const schema = decodeURIComponent(m[1])
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    return `?schema=: expected a lower-case name of letters, digits and _ (e.g. county_a), found ${JSON.stringify(schema)}`
  }
  const rest = url.replace(/([?&])schema=[^&]*&?/, "$1").replace(/[?&]$/, "")
  return { url: `${rest}${rest.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`, schema }
}

/** The PostgreSQL store over an `SqlClient` the caller provides. */
export const layerFromClient: Layer.Layer<EventStore, StorageError | StoreBusy, SqlClient.SqlClient> = Layer.effect(EventStore, makeWith())

// == helpers

const encodeData = ({ causationId, event, id, recordedAt }: Event.NewEvent): string =>
  JSON.stringify(causationId === undefined ? { id, recordedAt, event } : { id, recordedAt, causationId, event })

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
  const out: Array<LogEntry> = []
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

const isSqlError = (e: unknown): e is SqlError => typeof e === "object" && e !== null && (e as { _tag?: unknown })._tag === "SqlError"

const pgCode = (e: SqlError): string | undefined => {
  const cause = e.cause as { code?: unknown } | undefined
  return typeof cause?.code === "string" ? cause.code : undefined
}

const pgReason = (e: SqlError): string => {
  const cause = e.cause as { message?: unknown } | undefined
  const detail = typeof cause?.message === "string" && cause.message !== "" ? cause.message : String(e.cause)
  return `${e.message}: ${detail}${pgCode(e) === undefined ? "" : ` (${pgCode(e)})`}`
}
