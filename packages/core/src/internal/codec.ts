import { Either, ParseResult, Schema } from "effect"
import * as Event from "../Event.js"
import type { StreamId } from "../Ids.js"
import * as Upcast from "../Upcast.js"

const encodeEither = Schema.encodeEither(Event.Event)
const decodeEither = Schema.decodeUnknownEither(Event.Event, { errors: "all", onExcessProperty: "error" })

/** One problem with a value: where (a field path) and what. */
export interface Issue {
  readonly path: string
  readonly message: string
}

/** Renders a path like `event.school.facilities.seats` or `byAge[3]`. */
export const renderPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`), "")

/**
 * Flattens a parse error into issues with field paths. An optional field with a bad value fails twice
 * (its schema, and "Expected undefined"); only the first is kept.
 */
export const issues = (error: ParseResult.ParseError, prefix: ReadonlyArray<PropertyKey> = []): ReadonlyArray<Issue> => {
  const all = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => ({
    path: renderPath([...prefix, ...i.path]),
    message: i.message
  }))
  const explained = new Set(all.filter((i) => !i.message.startsWith("Expected undefined")).map((i) => i.path))
  return literals(all.filter((i) => !(i.message.startsWith("Expected undefined") && explained.has(i.path))))
}

const expectedLiteral = /^Expected ("(?:[^"\\]|\\.)*"|-?\d[\d.e+-]*|true|false|null), actual (.*)$/s

/**
 * A value that is none of a union's literals fails once per literal (`Expected "kindergarten", actual null`,
 * then "primary", …): one issue a path saying every value it may take, at the first's place.
 */
const literals = (all: ReadonlyArray<Issue>): ReadonlyArray<Issue> => {
  const byPath = new Map<string, { readonly expected: Array<string>; actual: string | undefined }>()
  for (const i of all) {
    const m = expectedLiteral.exec(i.message)
    const seen = byPath.get(i.path)
    if (m === null) byPath.set(i.path, { expected: [], actual: undefined })
    else if (seen === undefined) byPath.set(i.path, { expected: [m[1]], actual: m[2] })
    else if (seen.actual === m[2]) seen.expected.push(m[1])
    else seen.actual = undefined
  }
  const out: Array<Issue> = []
  const merged = new Set<string>()
  for (const i of all) {
    const seen = byPath.get(i.path)
    if (seen === undefined || seen.actual === undefined || seen.expected.length < 2) out.push(i)
    else if (!merged.has(i.path)) {
      merged.add(i.path)
      out.push({ path: i.path, message: `expected one of ${seen.expected.join(", ")}, found ${seen.actual}` })
    }
  }
  return out
}

/** The encoded payload as a value, through the schema (for JSONL export, where speed matters less). */
export const encodeEvent = (event: Event.Event): Event.EventEncoded =>
  Either.getOrThrowWith(encodeEither(event), (e) => new Error(ParseResult.TreeFormatter.formatErrorSync(e)))

/** The encoded payload, or the problems that keep the event from encoding, with field paths. */
export const encodeEventEither = (event: Event.Event): Either.Either<Event.EventEncoded, ReadonlyArray<Issue>> =>
  Either.mapLeft(encodeEither(event), (e) => issues(e))

/**
 * Reads a payload this store wrote at the current schema version without re-validating it (about 1 µs
 * instead of 10 µs an event); older versions are upcast and validated, and an unknown tag is refused.
 */
const decodeTrusted = (raw: unknown, v: number): Either.Either<Event.Event, ReadonlyArray<Issue>> => {
  const tag = typeof raw === "object" && raw !== null ? (raw as { _tag?: unknown })._tag : undefined
  const current = typeof tag === "string" ? currentVersions.get(tag) : undefined
  if (current !== undefined && v === current.version) {
    // the one copy of the tag rather than JSON.parse's own for every event (a province's log keeps 2 M of them)
    ;(raw as { _tag: string })._tag = current.tag
    return Either.right(raw as Event.Event)
  }
  return decodeEvent(raw, v)
}

const currentVersions: ReadonlyMap<string, { readonly tag: Event.Event["_tag"]; readonly version: number }> = new Map(
  Event.tags.map((tag) => [tag, { tag, version: Upcast.currentVersion(tag) }])
)

/**
 * Decodes an encoded payload written at schema version `v`: upcasts it, then validates it.
 * An unknown `_tag` is reported as such, with the known tags.
 */
export const decodeEvent = (
  raw: unknown,
  v: number,
  prefix: ReadonlyArray<PropertyKey> = []
): Either.Either<Event.Event, ReadonlyArray<Issue>> => {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return Either.left([{ path: renderPath(prefix), message: `expected an event object, found ${describe(raw)}` }])
  }
  const tag = (raw as { _tag?: unknown })._tag
  if (typeof tag !== "string" || !(Event.tags as ReadonlyArray<string>).includes(tag)) {
    return Either.left([
      {
        path: renderPath([...prefix, "_tag"]),
        message: `unknown event type ${JSON.stringify(tag)}; expected one of ${Event.tags.join(", ")}`
      }
    ])
  }
  const upcast = Upcast.upcast(tag, v, raw as Record<string, unknown>)
  return Either.mapLeft(decodeEither(upcast), (e) => issues(e, prefix))
}

/** A short description of a found value for error messages. */
const describe = (value: unknown): string => {
  if (value === null) return "null"
  if (Array.isArray(value)) return "an array"
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`
  if (typeof value === "object") return "an object"
  return `${typeof value} ${String(value)}`
}

/** A stored row as the stores read it: `[position, stream seq, version, v, data]` (data: the JSON of `{ id, recordedAt, causationId?, event }`). */
export type EventRow = readonly [position: number, streamSeq: number, version: number, v: number, data: string]

/** The `recordedAt` of the row decoded last: a batch's events share one, kept once rather than once an event. */
let lastRecordedAt = ""

/** A stored envelope, as parsed. */
interface Envelope {
  readonly id: Event.StoredEvent["id"]
  readonly recordedAt: string
  readonly causationId?: string
  readonly event: unknown
}

const idKey = '{"id":"'
const recordedAtKey = '","recordedAt":"'
const causationKey = '","causationId":"'
const eventKey = '","event":'

/** A string slice with a copy of its own: V8 shares a parent's storage with slices of 13 characters or more. */
const ownCopyFrom = 13

/** Whether `data` has no control character (which JSON refuses unescaped in a string) from `from` to before `to`. */
const printable = (data: string, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) if (data.charCodeAt(i) < 32) return false
  return true
}

/**
 * The characters of `data` from `from` to before `to` (no quote, backslash or control character among them)
 * as a string of their own, not a slice holding the row's whole text.
 */
const ownCopy = (data: string, from: number, to: number): string =>
  to - from < ownCopyFrom ? data.slice(from, to) : (JSON.parse(data.slice(from - 1, to + 1)) as string)

/**
 * The envelope of `data` as the stores write it (`JSON.stringify` of `{ id, recordedAt, causationId?, event }`,
 * in that order: `{"id":"…","recordedAt":"…","causationId":"…","event":…}`) read without parsing the envelope
 * itself: its strings are cut out of the text and only the event is parsed, which for a province's 800,000
 * rows saves about a third of the parsing (an envelope object and two or three strings a row). Only what is
 * certain is taken this way: the id, the time and the causation must have no backslash (no escape, so the
 * text between the quotes is the string and the first quote after it ends it) and no control character
 * (which JSON refuses), and the event must be the last key and parse as one JSON value; then the text is
 * exactly that object and `JSON.parse` of the whole gives the same values. Anything else (another order, an
 * escape, a text that does not parse) is undefined and is parsed whole. The strings are copied out of the
 * text (`JSON.parse` of their quoted slice when long), so that a kept event does not hold its row's text.
 */
const envelopeOf = (data: string): Envelope | undefined => {
  if (!data.startsWith(idKey)) return undefined
  const idEnd = data.indexOf('"', idKey.length)
  if (idEnd < 0 || !data.startsWith(recordedAtKey, idEnd)) return undefined
  const atStart = idEnd + recordedAtKey.length
  const atEnd = data.indexOf('"', atStart)
  if (atEnd < 0) return undefined
  // a causation (every event of a scenario's commands has one) between the time and the event
  const causationStart = data.startsWith(causationKey, atEnd) ? atEnd + causationKey.length : -1
  const causationEnd = causationStart < 0 ? atEnd : data.indexOf('"', causationStart)
  if (causationEnd < 0 || !data.startsWith(eventKey, causationEnd) || data.charCodeAt(data.length - 1) !== 125 /* } */) return undefined
  const backslash = data.lastIndexOf("\\", causationEnd)
  if (backslash >= idKey.length || !printable(data, idKey.length, causationEnd)) return undefined
  let event: unknown
  try {
    event = JSON.parse(data.slice(causationEnd + eventKey.length, data.length - 1))
  } catch {
    return undefined
  }
  const id = ownCopy(data, idKey.length, idEnd) as Event.StoredEvent["id"]
  const at = data.slice(atStart, atEnd)
  const recordedAt = at === lastRecordedAt ? lastRecordedAt : (lastRecordedAt = ownCopy(data, atStart, atEnd))
  return causationStart < 0
    ? { id, recordedAt, event }
    : { id, recordedAt, causationId: ownCopy(data, causationStart, causationEnd), event }
}

/** One stored row as a stored event (its payload through `decodeTrusted`), or the reason it no longer decodes. */
export const decodeRow = (row: EventRow, stream: StreamId): Event.StoredEvent | string => {
  const position = row[0]
  let raw = envelopeOf(row[4])
  if (raw === undefined) {
    try {
      raw = JSON.parse(row[4]) as Envelope
    } catch (e) {
      return `event at position ${position} is not JSON: ${String(e)}`
    }
  }
  const event = decodeTrusted(raw.event, row[3])
  if (Either.isLeft(event)) {
    return `event at position ${position} no longer decodes: ` + event.left.map((i) => `${i.path}: ${i.message}`).join("; ")
  }
  const recordedAt = raw.recordedAt === lastRecordedAt ? lastRecordedAt : (lastRecordedAt = raw.recordedAt)
  return raw.causationId === undefined
    ? { position, stream, version: row[2], id: raw.id, recordedAt, event: event.right }
    : { position, stream, version: row[2], id: raw.id, recordedAt, causationId: raw.causationId, event: event.right }
}
