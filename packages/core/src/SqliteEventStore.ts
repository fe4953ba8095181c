/**
 * The SQLite event store: one file, no server. Every open sets WAL journaling with `synchronous = FULL`
 * (an acknowledged append survives a crash or power loss), each append is one transaction, and the
 * tables index streams (`UNIQUE (stream, version)`), event ids (`UNIQUE (id)`) and the global position
 * (the integer primary key).
 *
 * Several processes may use one file at once. Opening an existing store only reads (the tables are
 * created when missing, re-checked under the write lock). Every write (append, fork, import) takes the
 * write lock up front (`BEGIN IMMEDIATE`), so the version it checks is the one it writes after, and waits
 * for another writer up to the busy timeout: a store still locked after it is `StoreBusy`, never a
 * version conflict.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Cause, Effect, Layer, Option, Scope } from "effect"
import type * as Event from "./Event.js"
import { EventStore, type ReadFilter, type StreamInfo } from "./EventStore.js"
import { seconds, StorageError, StoreBusy } from "./EventStoreError.js"
import type { StreamId } from "./Ids.js"
import * as Append from "./internal/append.js"
import * as Codec from "./internal/codec.js"
import * as Upcast from "./Upcast.js"

export interface Options {
  /** The database file; created when missing. */
  readonly filename: string
  /** How long to wait for another process's write lock before failing with `StoreBusy` (default 5000 ms). */
  readonly busyTimeoutMs?: number
}

/** The default wait for another process's write lock. */
export const defaultBusyTimeoutMs = 5000

/** Events per INSERT statement (7 parameters each, well under SQLite's 32,766 limit). */
const insertChunk = 1000

/** Rows per read query: pages keep memory flat and garbage young on long reads. */
const readPage = 10_000

/** The on-disk format this code reads and writes. */
export const storeFormat = "seatplan-event-store/1"

/** The page cache of a connection, in KiB (a negative `cache_size` is KiB): see `open`. */
const cacheKiB = -65_536

/** How much of the file a connection maps into memory for reading (`mmap_size`): see `open`. */
const mmapBytes = 1 << 28

/** The tables of a store, in creation order, each created only when missing. */
const tables: ReadonlyArray<readonly [name: string, ddl: string]> = [
  ["seatplan_meta", `CREATE TABLE IF NOT EXISTS seatplan_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`],
  [
    "streams",
    `CREATE TABLE IF NOT EXISTS streams (
    seq INTEGER PRIMARY KEY,
    stream TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    parent TEXT,
    parent_version INTEGER,
    forked_at_position INTEGER NOT NULL DEFAULT 0
  )`
  ],
  [
    "events",
    `CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY,
    stream_seq INTEGER NOT NULL REFERENCES streams (seq),
    version INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    year INTEGER NOT NULL,
    v INTEGER NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (stream_seq, version)
  )`
  ]
]

const writeFormat = `INSERT INTO seatplan_meta (key, value) VALUES ('format', '${storeFormat}') ON CONFLICT (key) DO NOTHING`

/**
 * A stored row as read: `[position, stream seq, version, v, data]`, where `data` is the JSON of the
 * envelope `{ id, recordedAt, causationId?, event }`. Rows are read as arrays (better-sqlite3's raw mode)
 * and the envelope as one JSON text, because creating strings is what costs most on read.
 */
type EventRow = Codec.EventRow

interface StreamRow {
  readonly seq: number
  readonly stream: string
  readonly version: number
  readonly parent: string | null
  readonly parent_version: number | null
  readonly forked_at_position: number
}

const eventColumns = "position, stream_seq, version, v, data"
const streamColumns = "seq, stream, version, parent, parent_version, forked_at_position"

export interface MakeOptions {
  /** The file, as named in errors (default: the path SQLite reports for the main database). */
  readonly file?: string
  /** How long to wait for another process's write lock (default `defaultBusyTimeoutMs`). */
  readonly busyTimeoutMs?: number | undefined
}

/** Builds the store over an `SqlClient` for SQLite (schema created if missing, pragmas set). */
export const makeWith = (options: MakeOptions = {}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const busyTimeoutMs = options.busyTimeoutMs ?? defaultBusyTimeoutMs
    const file = options.file ?? (yield* databaseFile(sql))
    const storage = (operation: string) => (cause: SqlError) =>
      new StorageError({
        operation,
        reason: isBusy(cause)
          ? `${file} is busy: another process held its write lock for more than ${seconds(busyTimeoutMs)} s`
          : sqliteReason(cause),
        cause
      })

    /** Runs a write, its SQL failures as `StoreBusy` (lock not had in time) or `StorageError`. */
    const guarded = <A, E, R>(operation: string, effect: Effect.Effect<A, E | SqlError, R>) =>
      Effect.suspend(() => {
        const started = Date.now()
        return Effect.catchIf(effect, isSqlError, (e) =>
          Effect.fail(
            isBusy(e)
              ? new StoreBusy({ file, operation, timeoutMs: busyTimeoutMs, waitedMs: Date.now() - started, cause: e })
              : storage(operation)(e)
          )
        )
      })

    const immediate = immediateTransaction(sql)

    yield* guarded("open", open(sql, busyTimeoutMs, immediate))

    const streamRow = (stream: string) =>
      Effect.map(sql.unsafe<StreamRow>(`SELECT ${streamColumns} FROM streams WHERE stream = ?`, [stream]), (rows) => rows[0])

    const streamNames = Effect.map(
      sql.unsafe<{ seq: number; stream: StreamId }>(`SELECT seq, stream FROM streams`),
      (rows) => new Map(rows.map((r) => [r.seq, r.stream]))
    )

    /** Decodes a page of rows onto `out`; fails on the first row that no longer decodes. */
    const decodePage = (
      rows: ReadonlyArray<EventRow>,
      names: ReadonlyMap<number, StreamId>,
      out: Array<Event.StoredEvent>,
      operation: string
    ) =>
      Effect.suspend(() => {
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i]
          const decoded = Codec.decodeRow(row, names.get(row[1]) ?? (`#${row[1]}` as StreamId))
          if (typeof decoded === "string") return Effect.fail(new StorageError({ operation, reason: decoded }))
          out.push(decoded)
        }
        return Effect.void
      })

    /**
     * A stream's events between two versions, a fork's inherited prefix included, read in pages; the rows
     * `filter` leaves out are skipped by SQLite on the `type` and `year` columns, never decoded.
     *
     * A stream's own events lie in position order as in version order (positions are the integer primary
     * key, each event inserted after every one before it, and nothing is deleted), so a window of versions is
     * a window of positions. Read by position, SQLite walks the table in order; read through the
     * `(stream_seq, version)` index, it looks each row up in the table (a province's 1.9 M rows: 0.6 s more).
     * The positions are walked when the window holds at least half of the rows between its ends (other
     * streams' appends fill the rest), and the index is used otherwise.
     */
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
        // the stream's own versions in the window, as of now
        const lo = Math.max(from, (row.parent_version ?? 0) + 1)
        const hi = Math.min(to, row.version)
        if (hi < lo) return out
        const names = new Map([[row.seq, row.stream as StreamId]])
        const skip = filter === undefined || filter.skipTypes.length === 0 ? undefined : filter
        const where = skip === undefined ? "" : ` AND NOT (type IN (${placeholders(skip.skipTypes.length)}) AND year < ?)`
        const skipParams = skip === undefined ? [] : [...skip.skipTypes, skip.beforeYear]
        const [ends] = yield* sql.unsafe<{ first: number | null; last: number | null }>(
          `SELECT (SELECT position FROM events WHERE stream_seq = ? AND version = ?) AS first,
                  (SELECT position FROM events WHERE stream_seq = ? AND version = ?) AS last`,
          [row.seq, lo, row.seq, hi]
        )
        const byPosition = ends.first !== null && ends.last !== null && ends.last - ends.first + 1 <= 2 * (hi - lo + 1)
        const query = byPosition
          ? `SELECT ${eventColumns} FROM events NOT INDEXED WHERE position BETWEEN ? AND ? AND stream_seq = ?${where} ORDER BY position LIMIT ${readPage}`
          : `SELECT ${eventColumns} FROM events WHERE stream_seq = ? AND version BETWEEN ? AND ?${where} ORDER BY version LIMIT ${readPage}`
        let next = byPosition ? (ends.first as number) : lo
        for (;;) {
          const params = byPosition ? [next, ends.last, row.seq, ...skipParams] : [row.seq, next, hi, ...skipParams]
          const page = yield* sql.unsafe(query, params).values as Effect.Effect<ReadonlyArray<EventRow>, SqlError>
          yield* decodePage(page, names, out, operation)
          if (page.length < readPage) return out
          next = page[page.length - 1][byPosition ? 0 : 2] + 1
        }
      })

    /** Events in global order from a position, read and decoded in pages. */
    const readFrom = (fromPosition: number, limit: number, operation: string) =>
      Effect.gen(function* () {
        const names = yield* streamNames
        const out: Array<Event.StoredEvent> = []
        let next = fromPosition
        while (out.length < limit) {
          const size = Math.min(readPage, limit - out.length)
          const page = yield* sql.unsafe(`SELECT ${eventColumns} FROM events WHERE position >= ? ORDER BY position LIMIT ${size}`, [next])
            .values as Effect.Effect<ReadonlyArray<EventRow>, SqlError>
          yield* decodePage(page, names, out, operation)
          if (page.length < size) break
          next = page[page.length - 1][0] + 1
        }
        return out
      })

    const version = (stream: StreamId) => Effect.map(streamRow(stream), (row) => row?.version ?? 0)

    const findIds = (ids: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        const found = new Map<string, Append.Located>()
        for (let i = 0; i < ids.length; i += insertChunk) {
          const chunk = ids.slice(i, i + insertChunk)
          const rows = yield* sql.unsafe<{ id: string; stream: string; version: number; position: number }>(
            `SELECT e.id, s.stream, e.version, e.position FROM events e JOIN streams s ON s.seq = e.stream_seq
           WHERE e.id IN (${placeholders(chunk.length)})`,
            chunk
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

    /**
     * Appends in the caller's transaction. `optimistic`: when the stream is at the expected version, the
     * batch's ids are not looked up first (a province's 2 M ids were 1-1.4 s of its storing); the unique index
     * on `id` refuses one stored before, and the caller then appends again with the look-up, which gives the
     * idempotent no-op or the refusal the rules give (`Append.place`).
     */
    const appendInTransaction = (stream: StreamId, events: ReadonlyArray<Event.NewEvent>, expected: number | "any", optimistic = false) =>
      Effect.gen(function* () {
        const existing = yield* streamRow(stream)
        const current = existing?.version ?? 0
        const unseen = events.length === 0 || (optimistic && expected === current)
        const found = unseen ? new Map<string, Append.Located>() : yield* findIds(events.map((e) => e.id))
        const position = events.length === 0 ? yield* lastPosition(stream) : 0
        const placement = yield* Append.place(stream, events, expected, current, position, found)
        if (placement._tag === "Noop") {
          return { stream, version: placement.version, appended: 0, position: placement.position }
        }
        const seq = existing?.seq ?? (yield* createStream(stream))
        for (let i = 0; i < events.length; i += insertChunk) {
          const chunk = events.slice(i, i + insertChunk)
          const params: Array<unknown> = []
          for (let j = 0; j < chunk.length; j++) {
            const e = chunk[j]
            params.push(seq, current + i + j + 1, e.id, e.event._tag, e.event.year, Upcast.currentVersion(e.event._tag), encodeData(e))
          }
          yield* sql.unsafe(
            `INSERT INTO events (stream_seq, version, id, type, year, v, data) VALUES ${rowPlaceholders(chunk.length, 7)}`,
            params
          )
        }
        const version = current + events.length
        yield* sql.unsafe(`UPDATE streams SET version = ? WHERE seq = ?`, [version, seq])
        const [last] = yield* sql.unsafe<{ position: number }>(`SELECT max(position) AS position FROM events`)
        return { stream, version, appended: events.length, position: last.position }
      })

    const createStream = (stream: StreamId) =>
      Effect.map(
        sql.unsafe<{ seq: number }>(`INSERT INTO streams (stream, version) VALUES (?, 0) RETURNING seq`, [stream]),
        ([row]) => row.seq
      )

    const forkInTransaction = (source: StreamId, at: number, target: StreamId) =>
      Effect.gen(function* () {
        const src = yield* streamRow(source)
        const existing = yield* streamRow(target)
        yield* Append.checkFork(source, src?.version, at, target, existing !== undefined)
        const [last] = yield* sql.unsafe<{ position: number | null }>(`SELECT max(position) AS position FROM events`)
        const forkedAtPosition = last.position ?? 0
        yield* sql.unsafe(`INSERT INTO streams (stream, version, parent, parent_version, forked_at_position) VALUES (?, ?, ?, ?, ?)`, [
          target,
          at,
          source,
          at,
          forkedAtPosition
        ])
        const info: StreamInfo = { stream: target, version: at, parent: { stream: source, version: at }, forkedAtPosition }
        return info
      })

    const catchSql = <A, E, R>(operation: string, effect: Effect.Effect<A, E | SqlError, R>) =>
      Effect.catchIf(effect, isSqlError, (e) => Effect.fail(storage(operation)(e)))

    const store: EventStore["Type"] = {
      append: (stream, events, expected) =>
        guarded(
          "append",
          immediate(appendInTransaction(stream, events, expected, true)).pipe(
            Effect.catchIf(isStoredId, () => immediate(appendInTransaction(stream, events, expected)))
          )
        ),
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
      version: (stream) => Effect.mapError(version(stream), storage("read version")),
      streams: sql.unsafe<StreamRow>(`SELECT ${streamColumns} FROM streams ORDER BY seq`).pipe(
        Effect.mapError(storage("list streams")),
        Effect.map((rows) => rows.map(toStreamInfo))
      ),
      fork: (source, at, target) => guarded("fork", immediate(forkInTransaction(source, at, target))),
      log: Effect.gen(function* () {
        const forks = yield* sql.unsafe<StreamRow>(`SELECT ${streamColumns} FROM streams WHERE parent IS NOT NULL ORDER BY seq`)
        const events = yield* readFrom(1, Number.MAX_SAFE_INTEGER, "export")
        return interleave(forks, events)
      }).pipe(Effect.catchIf(isSqlError, (e) => Effect.fail(storage("export")(e)))),
      importLog: (entries) =>
        guarded(
          "import",
          immediate(
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

/** `makeWith` with the defaults. */
export const make = makeWith()

/**
 * Sets the pragmas, then checks an existing file is a seatplan store or creates what is missing. A store
 * with all its tables is only read, so opening it never waits for a writer. A SQLite file of another
 * application is refused before anything is written to it.
 */
const open = (
  sql: SqlClient.SqlClient,
  busyTimeoutMs: number,
  immediate: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>
) =>
  Effect.gen(function* () {
    for (const pragma of [
      `PRAGMA busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`,
      "PRAGMA journal_mode = WAL",
      "PRAGMA synchronous = FULL",
      // up to 64 MB of pages cached (SQLite's default is 2 MB): appending a province's 2 M events
      // inserts into the event-id index at scattered places, and with the default most of those pages
      // were read again from the file (1 M events: 33 s of CPU, 17 s of it system time; 21 s with this)
      `PRAGMA cache_size = ${cacheKiB}`,
      // reads map the file rather than copying each page through a read() call: a province's filtered
      // read walks the whole table (1.9 M rows, 470 MB), and the calls were a fifth of the driver's time.
      // The first 256 MB only: mapped pages count in the process's resident memory, and with the whole
      // file mapped `run`'s peak came to 3.8-4.0 GB at a province (the table read back while the stored
      // scenario was not yet collected), 3.5 GB with this, its time unchanged
      `PRAGMA mmap_size = ${mmapBytes}`
    ]) {
      yield* sql.unsafe(pragma)
    }
    const present = yield* tableNames(sql)
    yield* checkFormat(sql, present)
    if (tables.every(([name]) => present.has(name))) return
    yield* immediate(
      Effect.gen(function* () {
        const now = yield* tableNames(sql)
        yield* checkFormat(sql, now)
        for (const [name, ddl] of tables) {
          if (!now.has(name)) yield* sql.unsafe(ddl)
        }
        yield* sql.unsafe(writeFormat)
      })
    )
  })

const tableNames = (sql: SqlClient.SqlClient) =>
  Effect.map(
    sql.unsafe<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`),
    (rows) => new Set(rows.map((t) => t.name))
  )

/** An empty file is fine (it becomes a store); tables without the seatplan format mark are not. */
const checkFormat = (sql: SqlClient.SqlClient, names: ReadonlySet<string>) =>
  Effect.gen(function* () {
    if (names.size === 0) return
    const [format] = names.has("seatplan_meta")
      ? yield* sql.unsafe<{ value: string }>(`SELECT value FROM seatplan_meta WHERE key = 'format'`)
      : []
    if (format?.value !== storeFormat) {
      return yield* new StorageError({
        operation: "open",
        reason:
          `the file is a SQLite database of another kind (tables: ${[...names].slice(0, 5).join(", ")}; ` +
          `format ${format?.value ?? "missing"}), expected a seatplan event store (${storeFormat}); nothing was changed`
      })
    }
  })

/**
 * Like `sql.withTransaction`, but `BEGIN IMMEDIATE`: the write lock is taken (waiting up to the busy
 * timeout) before the first read, so no other process can write between what a transaction reads and
 * what it writes, and a lock not had in time fails at the start with SQLITE_BUSY, nothing done.
 */
const immediateTransaction = (sql: SqlClient.SqlClient) =>
  SqlClient.makeWithTransaction({
    transactionTag: SqlClient.TransactionConnection,
    spanAttributes: [["db.system.name", "sqlite"]],
    acquireConnection: Effect.flatMap(Scope.make(), (scope) =>
      Effect.map(Scope.extend(sql.reserve, scope), (conn) => [scope, conn] as const)
    ),
    begin: (conn) => conn.executeUnprepared("BEGIN IMMEDIATE", [], undefined),
    savepoint: (conn, id) => conn.executeUnprepared(`SAVEPOINT seatplan_${id}`, [], undefined),
    commit: (conn) => conn.executeUnprepared("COMMIT", [], undefined),
    // A BEGIN IMMEDIATE that timed out left no transaction to roll back: that is not a second failure.
    rollback: (conn) =>
      conn.executeUnprepared("ROLLBACK", [], undefined).pipe(
        Effect.catchIf(
          (e) => /no transaction is active/.test(sqliteMessage(e)),
          () => Effect.void
        )
      ),
    rollbackSavepoint: (conn, id) => conn.executeUnprepared(`ROLLBACK TO SAVEPOINT seatplan_${id}`, [], undefined)
  })

/** The path SQLite reports for the main database (for messages). */
const databaseFile = (sql: SqlClient.SqlClient) =>
  Effect.orElseSucceed(
    Effect.map(
      sql.unsafe<{ file: string }>(`SELECT file FROM pragma_database_list WHERE name = 'main'`),
      (rows) => rows[0]?.file || ":memory:"
    ),
    () => "the event store"
  )

/** The SQLite store over a file of its own (created when missing). */
export const layer = (options: Options): Layer.Layer<EventStore, StorageError | StoreBusy> =>
  Layer.effect(EventStore, makeWith({ file: options.filename, busyTimeoutMs: options.busyTimeoutMs })).pipe(
    // WAL is set by `open`, after the busy timeout, so that switching a new file to WAL waits too.
    Layer.provide(SqliteClient.layer({ filename: options.filename, disableWAL: true })),
    Layer.catchAllCause((cause) => {
      const failure = Cause.failureOption(cause)
      if (Option.isSome(failure) && failure.value._tag === "StoreBusy") {
        return Layer.fail<StorageError | StoreBusy>(failure.value)
      }
      const error = Option.isSome(failure) && failure.value._tag === "StorageError" ? failure.value : undefined
      const reason = error?.reason ?? describeCause(Cause.squash(cause))
      return Layer.fail<StorageError | StoreBusy>(new StorageError({ operation: `open ${options.filename}`, reason, cause }))
    })
  )

/** The SQLite store over an `SqlClient` the caller provides. */
export const layerFromClient: Layer.Layer<EventStore, StorageError | StoreBusy, SqlClient.SqlClient> = Layer.effect(EventStore, make)

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

/**
 * The envelope stored in `data`, as JSON. The payload is written as typed, without Schema encoding: every
 * event schema's type equals its encoded form (plain JSON values, brands are strings, defaults filled in;
 * a property test asserts it), and Schema encoding costs about 17 µs an event, too much for the append
 * goal. Events reach the store typed; untrusted input is validated where it enters (scenario and command
 * decoding, JSONL import).
 */
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

const isSqlError = (e: unknown): e is SqlError => typeof e === "object" && e !== null && (e as { _tag?: unknown })._tag === "SqlError"

const sqliteCode = (e: SqlError): string | undefined => {
  const cause = e.cause as { code?: unknown } | undefined
  return typeof cause?.code === "string" ? cause.code : undefined
}

/** An insert the unique index on `events.id` refused: an id of the batch is stored already. */
const isStoredId = (e: unknown): boolean =>
  isSqlError(e) && sqliteCode(e) === "SQLITE_CONSTRAINT_UNIQUE" && sqliteMessage(e).includes("events.id")

/** Another connection holds a lock this one needed (after waiting the busy timeout). */
const isBusy = (e: SqlError): boolean => {
  const code = sqliteCode(e) ?? ""
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")
}

const sqliteMessage = (e: SqlError): string => {
  const cause = e.cause as { message?: unknown } | undefined
  return typeof cause?.message === "string" ? cause.message : String(e.cause)
}

const sqliteReason = (e: SqlError): string => {
  const cause = e.cause as { message?: unknown } | undefined
  const detail = typeof cause?.message === "string" ? cause.message : String(e.cause)
  return `${e.message}: ${detail}${sqliteCode(e) === undefined ? "" : ` (${sqliteCode(e)})`}`
}

const describeCause = (e: unknown): string => {
  const message = typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e)
  return message.includes("not a database") ? `${message}: the file is not a SQLite database (expected a seatplan event store)` : message
}
