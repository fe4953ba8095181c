import { Effect, Either } from "effect"
import type * as Event from "../Event.js"
import {
  type AppendError,
  DuplicateEventIds,
  type ForkError,
  NonFiniteNumber,
  StreamAlreadyExists,
  StreamNotFound,
  VersionConflict
} from "../EventStoreError.js"
import type { StreamId } from "../Ids.js"
import { findNonFinite } from "../Numbers.js"
import { renderPath } from "./codec.js"
import type * as EventStore from "./streams.js"

/** Where a stored event id lives. */
export interface Located {
  readonly stream: string
  readonly version: number
  readonly position: number
}

export type Placement = { readonly _tag: "Noop"; readonly version: number; readonly position: number } | { readonly _tag: "Append" }

/**
 * The append rules both stores share: ids unique within the batch; a batch whose ids are all stored in
 * this stream is an idempotent no-op; a batch with only some ids stored, or ids stored in another stream,
 * is refused; otherwise the stream must be at the expected version.
 */
export const place = (
  stream: StreamId,
  events: ReadonlyArray<Event.NewEvent>,
  expected: EventStore.ExpectedVersion,
  current: number,
  currentPosition: number,
  found: ReadonlyMap<string, Located>
): Either.Either<Placement, AppendError> => {
  const seen = new Set<string>()
  const twice: Array<string> = []
  for (const e of events) {
    if (seen.has(e.id)) twice.push(e.id)
    seen.add(e.id)
  }
  if (twice.length > 0) return Either.left(new DuplicateEventIds({ stream, ids: twice }))
  const nonFinite = checkFinite(stream, events)
  if (nonFinite !== undefined) return Either.left(nonFinite)
  if (events.length === 0) return Either.right({ _tag: "Noop", version: current, position: currentPosition })
  if (found.size > 0) {
    const elsewhere = [...found].filter(([, at]) => at.stream !== stream).map(([id]) => id)
    if (found.size < events.length || elsewhere.length > 0) {
      return Either.left(new DuplicateEventIds({ stream, ids: elsewhere.length > 0 ? elsewhere : [...found.keys()] }))
    }
    let position = 0
    for (const at of found.values()) position = Math.max(position, at.position)
    return Either.right({ _tag: "Noop", version: current, position })
  }
  if (expected !== "any" && expected !== current) {
    return Either.left(new VersionConflict({ stream, expected, actual: current }))
  }
  return Either.right({ _tag: "Append" })
}

/**
 * The first event of a batch holding a non-finite number, as a refusal. Events reach the stores typed and
 * are written without Schema encoding (see `SqliteEventStore`), so this is the one check every store makes.
 */
const checkFinite = (stream: StreamId, events: ReadonlyArray<Event.NewEvent>): NonFiniteNumber | undefined => {
  for (const e of events) {
    const found = findNonFinite(e.event)
    if (found !== undefined) {
      return new NonFiniteNumber({
        stream,
        id: e.id,
        eventType: e.event._tag,
        path: renderPath(["event", ...found.path]),
        value: found.value
      })
    }
  }
  return undefined
}

/** Checks a fork: the source must have at least `version` events and the target must not exist. */
export const checkFork = (
  source: StreamId,
  sourceVersion: number | undefined,
  version: number,
  target: StreamId,
  targetExists: boolean
): Either.Either<void, ForkError> => {
  if (targetExists) return Either.left(new StreamAlreadyExists({ stream: target }))
  if (sourceVersion === undefined) return Either.left(new StreamNotFound({ stream: source }))
  if (!Number.isInteger(version) || version < 0 || version > sourceVersion) {
    return Either.left(new StreamNotFound({ stream: source, version, actual: sourceVersion }))
  }
  return Either.void
}

/** Applies read-stream bounds to a stream's events (versions are 1-based and dense). */
export const sliceVersions = <A>(events: ReadonlyArray<A>, options: EventStore.ReadStreamOptions | undefined): ReadonlyArray<A> => {
  const from = Math.max(1, options?.fromVersion ?? 1)
  const to = Math.min(events.length, options?.toVersion ?? events.length)
  return from === 1 && to === events.length ? events : events.slice(from - 1, Math.max(from - 1, to))
}

/** `events` without those `filter` leaves out (the memory store's `ReadStreamOptions.filter`). */
export const filtered = (
  events: ReadonlyArray<Event.StoredEvent>,
  filter: EventStore.ReadFilter | undefined
): ReadonlyArray<Event.StoredEvent> => {
  if (filter === undefined || filter.skipTypes.length === 0) return events
  const skip = new Set<string>(filter.skipTypes)
  return events.filter((e) => !(skip.has(e.event._tag) && e.event.year < filter.beforeYear))
}

// ---------------------------------------------------------------- memory store

interface MemoryStream {
  readonly info: EventStore.StreamInfo
  readonly own: Array<Event.StoredEvent>
}

export class MemoryStore {
  readonly events: Array<Event.StoredEvent> = []
  readonly streams = new Map<StreamId, MemoryStream>()
  readonly ids = new Map<string, Event.StoredEvent>()
  readonly forks: Array<{ readonly at: number; readonly fork: EventStore.Fork }> = []

  version(stream: StreamId): number {
    return this.streams.get(stream)?.info.version ?? 0
  }

  read(stream: StreamId): ReadonlyArray<Event.StoredEvent> {
    const s = this.streams.get(stream)
    if (s === undefined) return []
    const parent = s.info.parent
    return parent === undefined ? s.own : [...this.read(parent.stream).slice(0, parent.version), ...s.own]
  }

  append(
    stream: StreamId,
    events: ReadonlyArray<Event.NewEvent>,
    expected: EventStore.ExpectedVersion
  ): Either.Either<EventStore.AppendResult, AppendError> {
    const found = new Map<string, Located>()
    for (const e of events) {
      const at = this.ids.get(e.id)
      if (at !== undefined) found.set(e.id, at)
    }
    const current = this.version(stream)
    const last = this.read(stream)
    const lastPosition = last.length > 0 ? last[last.length - 1].position : 0
    return Either.map(place(stream, events, expected, current, lastPosition, found), (p) => {
      if (p._tag === "Noop") return { stream, version: p.version, appended: 0, position: p.position }
      const s = this.streams.get(stream) ?? this.create(stream, undefined)
      let version = current
      for (const e of events) {
        const stored: Event.StoredEvent = { position: this.events.length + 1, stream, version: ++version, ...e }
        this.events.push(stored)
        s.own.push(stored)
        this.ids.set(e.id, stored)
      }
      this.streams.set(stream, { ...s, info: { ...s.info, version } })
      return { stream, version, appended: events.length, position: this.events.length }
    })
  }

  fork(source: StreamId, version: number, target: StreamId): Either.Either<EventStore.StreamInfo, ForkError> {
    const sourceVersion = this.streams.has(source) ? this.version(source) : undefined
    return Either.map(checkFork(source, sourceVersion, version, target, this.streams.has(target)), () => {
      const s = this.create(target, { stream: source, version })
      this.forks.push({ at: this.events.length, fork: { stream: target, parent: source, version } })
      return s.info
    })
  }

  log(): ReadonlyArray<EventStore.LogEntry> {
    const out: Array<EventStore.LogEntry> = []
    let f = 0
    for (const stored of this.events) {
      while (f < this.forks.length && this.forks[f].at < stored.position) out.push({ _tag: "Fork", fork: this.forks[f++].fork })
      out.push({ _tag: "Event", stored })
    }
    while (f < this.forks.length) out.push({ _tag: "Fork", fork: this.forks[f++].fork })
    return out
  }

  clone(): MemoryStore {
    const c = new MemoryStore()
    c.events.push(...this.events)
    for (const [k, v] of this.streams) c.streams.set(k, { info: v.info, own: v.own.slice() })
    for (const [k, v] of this.ids) c.ids.set(k, v)
    c.forks.push(...this.forks)
    return c
  }

  private create(stream: StreamId, parent: { readonly stream: StreamId; readonly version: number } | undefined) {
    const s: MemoryStream = {
      info:
        parent === undefined
          ? { stream, version: 0, forkedAtPosition: 0 }
          : { stream, version: parent.version, parent, forkedAtPosition: this.events.length },
      own: []
    }
    this.streams.set(stream, s)
    return s
  }
}

/** The operations an import needs from a store (inside one transaction for SQLite). */
export interface ImportTarget {
  readonly append: (
    stream: StreamId,
    events: ReadonlyArray<Event.NewEvent>,
    expected: EventStore.ExpectedVersion
  ) => Effect.Effect<EventStore.AppendResult, AppendError>
  readonly fork: (source: StreamId, version: number, target: StreamId) => Effect.Effect<unknown, ForkError>
  readonly hasStream: (stream: StreamId) => Effect.Effect<boolean, AppendError>
}

/**
 * Imports a log entry by entry with the same rules as appends: consecutive events of one stream go in one
 * batch; a batch already stored is skipped (idempotent); a batch stored in part is retried event by event.
 */
export const importInto = (
  store: ImportTarget,
  entries: ReadonlyArray<EventStore.LogEntry>
): Effect.Effect<EventStore.ImportResult, AppendError | ForkError> =>
  Effect.gen(function* () {
    const counts = { events: 0, skipped: 0, forks: 0 }
    let batch: Array<Event.StoredEvent> = []
    const flush = Effect.suspend(() => {
      const events = batch
      batch = []
      return events.length === 0 ? Effect.void : appendBatch(store, events, counts)
    })
    for (const entry of entries) {
      if (entry._tag === "Fork") {
        yield* flush
        const { parent, stream, version } = entry.fork
        if (yield* store.hasStream(stream)) continue
        yield* store.fork(parent, version, stream)
        counts.forks++
        continue
      }
      const last = batch[batch.length - 1]
      if (last !== undefined && (last.stream !== entry.stored.stream || last.version + 1 !== entry.stored.version)) {
        yield* flush
      }
      batch.push(entry.stored)
    }
    yield* flush
    return counts
  })

const toNew = ({ position: _p, stream: _s, version: _v, ...event }: Event.StoredEvent): Event.NewEvent => event

const appendBatch = (
  store: ImportTarget,
  batch: ReadonlyArray<Event.StoredEvent>,
  counts: { events: number; skipped: number }
): Effect.Effect<void, AppendError> => {
  const first = batch[0]
  const count = (r: EventStore.AppendResult) => {
    if (r.appended === 0) counts.skipped += 1
    else counts.events += r.appended
  }
  return store.append(first.stream, batch.map(toNew), first.version - 1).pipe(
    Effect.tap((r) => {
      if (r.appended === 0) counts.skipped += batch.length
      else counts.events += r.appended
    }),
    Effect.catchTag("DuplicateEventIds", (e) =>
      batch.length === 1
        ? Effect.fail(e)
        : Effect.forEach(batch, (stored) => store.append(stored.stream, [toNew(stored)], stored.version - 1).pipe(Effect.tap(count)), {
            discard: true
          })
    ),
    Effect.asVoid
  )
}
