/**
 * The event log as JSON Lines: one stored event per line, in global order, with a `fork` line where a
 * stream branched off another. Import validates every line against the event schemas (upcasting older
 * versions) and reports every problem with its line number and field path; nothing is imported unless
 * the whole file is valid. Blank lines and lines starting with `#` (comments, e.g. a note that example
 * data is synthetic) are skipped on import; export writes none.
 *
 * ```jsonl
 * {"position":1,"stream":"baseline","version":1,"id":"e1","recordedAt":"2026-01-05T00:00:00.000Z","v":1,"event":{"_tag":"SettlementRecorded",…}}
 * {"fork":{"stream":"plan/township","parent":"baseline","version":42}}
 * ```
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { Data, Effect, Either, type ParseResult, Schema } from "effect"
import * as Event from "./Event.js"
import { EventStore, type ImportResult, type LogEntry } from "./EventStore.js"
import { type AppendError, type ForkError, StorageError, type StoreBusy } from "./EventStoreError.js"
import { EventId, StreamId } from "./Ids.js"
import * as Codec from "./internal/codec.js"
import * as Upcast from "./Upcast.js"

/** One problem in a JSONL file. */
export interface Problem {
  readonly line: number
  readonly path: string
  readonly message: string
}

/** A JSONL file that cannot be imported, with every problem found. */
export class JsonlError extends Data.TaggedError("JsonlError")<{
  readonly file: string
  readonly problems: ReadonlyArray<Problem>
}> {
  override get message() {
    const at = (p: Problem) => (p.line > 0 ? `${this.file}:${p.line}: ` : `${this.file}: `) + (p.path === "" ? "" : `${p.path}: `)
    if (this.problems.length === 1 && this.problems[0].line === 0) return at(this.problems[0]) + this.problems[0].message
    const shown = this.problems.slice(0, 50).map((p) => at(p) + p.message)
    const more = this.problems.length > 50 ? [`… and ${this.problems.length - 50} more problems`] : []
    return [`${this.file}: ${this.problems.length} problem(s), nothing imported`, ...shown, ...more].join("\n")
  }
}

const Envelope = Schema.Struct({
  position: Schema.Int.pipe(Schema.positive()),
  stream: StreamId,
  version: Schema.Int.pipe(Schema.positive()),
  id: EventId,
  recordedAt: Event.Timestamp,
  causationId: Schema.optional(Schema.String),
  v: Schema.Int.pipe(Schema.positive()),
  event: Schema.Unknown
})

const ForkLine = Schema.Struct({
  fork: Schema.Struct({
    stream: StreamId,
    parent: StreamId,
    version: Schema.Int.pipe(Schema.nonNegative())
  })
})

/** A new event to append (`seatplan events append`): no position, stream or version, which the store gives. */
const NewEnvelope = Schema.Struct({
  id: EventId,
  recordedAt: Event.Timestamp,
  causationId: Schema.optional(Schema.String),
  v: Schema.optional(Schema.Int.pipe(Schema.positive())),
  event: Schema.Unknown
})

const decodeEnvelope = Schema.decodeUnknownEither(Envelope, { errors: "all", onExcessProperty: "error" })
const decodeNewEnvelope = Schema.decodeUnknownEither(NewEnvelope, { errors: "all", onExcessProperty: "error" })
const decodeFork = Schema.decodeUnknownEither(ForkLine, { errors: "all", onExcessProperty: "error" })

/** Encodes one log entry as a JSON line (without the newline). */
export const encodeEntry = (entry: LogEntry): string =>
  entry._tag === "Fork" ? JSON.stringify({ fork: entry.fork }) : eventLine(entry.stored, Codec.encodeEvent(entry.stored.event))

const eventLine = (s: Event.StoredEvent, event: Event.EventEncoded): string =>
  JSON.stringify({
    position: s.position,
    stream: s.stream,
    version: s.version,
    id: s.id,
    recordedAt: s.recordedAt,
    ...(s.causationId === undefined ? {} : { causationId: s.causationId }),
    v: Upcast.currentVersion(s.event._tag),
    event
  })

/** Encodes a log as JSONL text, one entry per line, with a final newline. */
export const encode = (entries: ReadonlyArray<LogEntry>): string => (entries.length === 0 ? "" : entries.map(encodeEntry).join("\n") + "\n")

/**
 * Decodes JSONL text into log entries, or every problem found (line numbers are 1-based; blank lines are
 * allowed). Also checks that each stream's versions follow each other without gaps.
 */
export const decode = (text: string, file: string): Either.Either<ReadonlyArray<LogEntry>, JsonlError> =>
  Either.map(decodeLines(text, file), (lines) => lines.map((l) => l.entry))

/**
 * Each line of JSONL text parsed, with its 1-based number; blank lines and `#` comments skipped, a line
 * that is not JSON a problem.
 */
const eachLine = (text: string, problems: Array<Problem>, f: (line: number, raw: unknown) => void): void => {
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const source = lines[i].trim()
    if (source === "" || source.startsWith("#")) continue
    let raw: unknown
    try {
      raw = JSON.parse(source)
    } catch (e) {
      problems.push({ line: i + 1, path: "", message: `not valid JSON (${(e as Error).message})` })
      continue
    }
    f(i + 1, raw)
  }
}

/**
 * A line's envelope and its event payload decoded (the payload by its type, at version `v` of the
 * envelope, else `fallback(tag)`), their problems added: the payload when both decode, else undefined.
 */
const envelopeAndEvent = <E extends { readonly v?: number | undefined }>(
  raw: unknown,
  envelope: Either.Either<E, ParseResult.ParseError>,
  fallback: (tag: string) => number,
  line: number,
  problems: Array<Problem>
): { readonly envelope: E; readonly event: Event.Event } | undefined => {
  const v = Either.isRight(envelope) ? envelope.right.v : undefined
  const tag = String(
    (typeof raw === "object" && raw !== null && "event" in raw ? (raw.event as { _tag?: unknown } | null)?._tag : "") ?? ""
  )
  const payload =
    typeof raw === "object" && raw !== null && "event" in raw
      ? Codec.decodeEvent(raw.event, v ?? fallback(tag), ["event"])
      : Either.left([{ path: "event", message: "is missing" }])
  if (Either.isLeft(envelope))
    problems.push(
      ...Codec.issues(envelope.left)
        .filter((p) => !(p.path === "event" && Either.isLeft(payload)))
        .map((p) => ({ line, ...p }))
    )
  if (Either.isLeft(payload)) problems.push(...payload.left.map((p) => ({ line, ...p })))
  return Either.isLeft(envelope) || Either.isLeft(payload) ? undefined : { envelope: envelope.right, event: payload.right }
}

/** An id a line before had, as a problem (an id names one event: importing would keep the first and drop this one), else recorded. */
const repeatedId = (ids: Map<string, number>, id: string, line: number, problems: Array<Problem>): boolean => {
  const first = ids.get(id)
  if (first === undefined) {
    ids.set(id, line)
    return false
  }
  problems.push({
    line,
    path: "id",
    message: `expected an id no other event of the file has, found ${id}, the id of line ${first}'s event (an id names one event: importing would keep line ${first}'s and drop this one)`
  })
  return true
}

/**
 * Decodes new events to append, `{ id, recordedAt, causationId?, v?, event }` a line, or every problem found
 * as import finds them (the line, the field path, the event's own fields by its type; an id twice), so that
 * a missing field is named rather than the whole union of event types printed.
 */
export const decodeNew = (text: string, file: string): Either.Either<ReadonlyArray<Event.NewEvent>, JsonlError> => {
  const problems: Array<Problem> = []
  const events: Array<Event.NewEvent> = []
  const ids = new Map<string, number>()
  eachLine(text, problems, (line, raw) => {
    // written by hand or by another program, an event without `v` is taken as of its type's current version
    const decoded = envelopeAndEvent(raw, decodeNewEnvelope(raw), Upcast.currentVersion, line, problems)
    if (decoded === undefined) return
    const { id, recordedAt, causationId } = decoded.envelope
    if (repeatedId(ids, id, line, problems)) return
    events.push(
      causationId === undefined ? { id, recordedAt, event: decoded.event } : { id, recordedAt, causationId, event: decoded.event }
    )
  })
  return problems.length > 0 ? Either.left(new JsonlError({ file, problems })) : Either.right(events)
}

interface Numbered {
  readonly line: number
  readonly entry: LogEntry
}

const decodeLines = (text: string, file: string): Either.Either<ReadonlyArray<Numbered>, JsonlError> => {
  const problems: Array<Problem> = []
  const entries: Array<Numbered> = []
  const versions = new Map<string, number>()
  /** Each event id's line: an id names one event, so a second line with it would be dropped as stored already. */
  const ids = new Map<string, number>()
  eachLine(text, problems, (line, raw) => {
    if (typeof raw === "object" && raw !== null && "fork" in raw) {
      const fork = decodeFork(raw)
      if (Either.isLeft(fork)) {
        problems.push(...Codec.issues(fork.left).map((p) => ({ line, ...p })))
        return
      }
      versions.set(fork.right.fork.stream, fork.right.fork.version)
      entries.push({ line, entry: { _tag: "Fork", fork: fork.right.fork } })
      return
    }
    // an exported line always says its version; one that does not decode is read as version 1
    const envelope = decodeEnvelope(raw)
    const decoded = envelopeAndEvent(raw, envelope, () => 1, line, problems)
    if (decoded === undefined) {
      // its event is wrong but its place in the stream is known: the next line is not blamed for the version it skips
      if (Either.isRight(envelope)) {
        versions.set(envelope.right.stream, envelope.right.version)
        repeatedId(ids, envelope.right.id, line, problems)
      }
      return
    }
    const { event: _raw, v: _v, ...meta } = decoded.envelope
    const expected = (versions.get(meta.stream) ?? 0) + 1
    if (meta.version !== expected) {
      problems.push({
        line,
        path: "version",
        message: `expected version ${expected} of stream ${meta.stream} (the versions of a stream follow each other), found ${meta.version}`
      })
    }
    versions.set(meta.stream, meta.version)
    repeatedId(ids, meta.id, line, problems)
    entries.push({ line, entry: { _tag: "Event", stored: { ...meta, event: decoded.event } } })
  })
  return problems.length > 0 ? Either.left(new JsonlError({ file, problems })) : Either.right(entries)
}

/**
 * Encodes a log read from a store; an event that no longer encodes (e.g. a NaN an older seatplan stored
 * as null) fails the export as a storage error naming it and its field, instead of crashing.
 */
const encodeStored = (entries: ReadonlyArray<LogEntry>): Effect.Effect<string, StorageError> =>
  Effect.suspend(() => {
    const lines: Array<string> = []
    for (const entry of entries) {
      if (entry._tag === "Fork") {
        lines.push(encodeEntry(entry))
        continue
      }
      const s = entry.stored
      const event = Codec.encodeEventEither(s.event)
      if (Either.isLeft(event)) {
        return Effect.fail(
          new StorageError({
            operation: "export",
            reason:
              `event at position ${s.position} (${s.stream} version ${s.version}, ${s.id}, ${s.event._tag}) no longer encodes: ` +
              event.left.map((i) => `${i.path}: ${i.message}`).join("; ")
          })
        )
      }
      lines.push(eventLine(s, event.right))
    }
    return Effect.succeed(lines.length === 0 ? "" : lines.join("\n") + "\n")
  })

/** Writes the store's whole log to a JSONL file; returns the number of lines. */
export const exportTo = (path: string): Effect.Effect<number, StorageError | JsonlError, EventStore | FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const fs = yield* FileSystem.FileSystem
    const entries = yield* store.log
    const text = yield* encodeStored(entries)
    yield* fs
      .writeFileString(path, text)
      .pipe(
        Effect.mapError((e) => new JsonlError({ file: path, problems: [{ line: 0, path: "", message: `cannot write: ${e.message}` }] }))
      )
    return entries.length
  })

/**
 * Reads a JSONL file and imports it atomically. A store refusal (a version conflict with events already
 * in the store) is reported against the line of the event that caused it.
 */
export const importFrom = (
  path: string
): Effect.Effect<ImportResult, JsonlError | StorageError | StoreBusy, EventStore | FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const store = yield* EventStore
    const text = yield* fs.readFileString(path).pipe(
      Effect.mapError(
        (e) =>
          new JsonlError({
            file: path,
            problems: [
              {
                line: 0,
                path: "",
                message: `cannot read the file (${e._tag === "SystemError" && e.reason === "NotFound" ? "it does not exist" : e.message})`
              }
            ]
          })
      )
    )
    const numbered = yield* decodeLines(text, path)
    return yield* store.importLog(numbered.map((n) => n.entry)).pipe(
      Effect.catchIf(
        (e): e is Exclude<AppendError | ForkError, StorageError | StoreBusy> => e._tag !== "StorageError" && e._tag !== "StoreBusy",
        (e) => Effect.fail(new JsonlError({ file: path, problems: [refusal(numbered, e)] }))
      )
    )
  })

const refusal = (numbered: ReadonlyArray<Numbered>, e: Exclude<AppendError | ForkError, StorageError | StoreBusy>): Problem => {
  const lineOf = (match: (entry: LogEntry) => boolean) => numbered.find((n) => match(n.entry))?.line ?? 0
  switch (e._tag) {
    case "VersionConflict":
      return {
        line: lineOf((x) => x._tag === "Event" && x.stored.stream === e.stream && x.stored.version === e.expected + 1),
        path: "version",
        message: e.message
      }
    case "DuplicateEventIds":
      return { line: lineOf((x) => x._tag === "Event" && x.stored.id === e.ids[0]), path: "id", message: e.message }
    case "NonFiniteNumber":
      return { line: lineOf((x) => x._tag === "Event" && x.stored.id === e.id), path: e.path, message: e.message }
    case "StreamNotFound":
    case "StreamAlreadyExists":
      return {
        line: lineOf((x) => x._tag === "Fork" && (x.fork.stream === e.stream || x.fork.parent === e.stream)),
        path: "fork",
        message: e.message
      }
  }
}
