/**
 * The event store: streams of events with optimistic concurrency, idempotent appends, a global order,
 * and forks (a plan variant branches off the baseline at a version and appends its own events).
 *
 * Two implementations keep one contract (the same test suite runs against both): `layerMemory` here,
 * and `SqliteEventStore.layer` (one SQLite file, the default for users).
 */
import { Context, Effect, type Either, Layer } from "effect"
import type * as Event from "./Event.js"
import type { AppendError, ForkError, StorageError } from "./EventStoreError.js"
import type { StreamId } from "./Ids.js"
import * as Ids from "./Ids.js"
import * as Append from "./internal/append.js"
import type {
  AppendResult,
  ExpectedVersion,
  ImportResult,
  LogEntry,
  ReadAllOptions,
  ReadFilter,
  ReadStreamOptions,
  StreamInfo
} from "./internal/streams.js"

export type {
  AppendResult,
  ExpectedVersion,
  Fork,
  ImportResult,
  LogEntry,
  ReadAllOptions,
  ReadFilter,
  ReadStreamOptions,
  StreamInfo
} from "./internal/streams.js"

export class EventStore extends Context.Tag("@seatplan/core/EventStore")<
  EventStore,
  {
    /**
     * Appends a batch to a stream atomically if the stream is at `expected`. Re-appending a batch whose
     * event ids are all stored already is a no-op (idempotent retry), whatever `expected` says.
     */
    readonly append: (
      stream: StreamId,
      events: ReadonlyArray<Event.NewEvent>,
      expected: ExpectedVersion
    ) => Effect.Effect<AppendResult, AppendError>
    /**
     * A stream's events in version order, a fork's inherited prefix included, without those `options.filter`
     * leaves out. Unknown streams are empty.
     */
    readonly readStream: (stream: StreamId, options?: ReadStreamOptions) => Effect.Effect<ReadonlyArray<Event.StoredEvent>, StorageError>
    /** Every stored event in global order. */
    readonly readAll: (options?: ReadAllOptions) => Effect.Effect<ReadonlyArray<Event.StoredEvent>, StorageError>
    /** A stream's version: 0 when it does not exist. */
    readonly version: (stream: StreamId) => Effect.Effect<number, StorageError>
    /** Every stream in creation order. */
    readonly streams: Effect.Effect<ReadonlyArray<StreamInfo>, StorageError>
    /** A new stream `target` that shares `source`'s first `version` events and goes on by itself. */
    readonly fork: (source: StreamId, version: number, target: StreamId) => Effect.Effect<StreamInfo, ForkError>
    /** The whole log (forks and events, in the order they happened), for export. */
    readonly log: Effect.Effect<ReadonlyArray<LogEntry>, StorageError>
    /**
     * Imports a log atomically: every event keeps its stream and version; events already stored (same id at
     * the same place) are skipped; on any error nothing is imported.
     */
    readonly importLog: (entries: ReadonlyArray<LogEntry>) => Effect.Effect<ImportResult, AppendError | ForkError>
  }
>() {}

/** An in-memory event store (tests, scratch runs). Writes are serialised, so concurrent appenders race fairly. */
export const makeMemory: Effect.Effect<EventStore["Type"]> = Effect.gen(function* () {
  let store = new Append.MemoryStore()
  const lock = yield* Effect.makeSemaphore(1)
  const locked = <A, E>(f: () => Either.Either<A, E>) => lock.withPermits(1)(Effect.suspend(f))
  const self: EventStore["Type"] = {
    append: (stream, events, expected) => locked(() => store.append(stream, events, expected)),
    readStream: (stream, options) => Effect.sync(() => Append.filtered(Append.sliceVersions(store.read(stream), options), options?.filter)),
    readAll: (options) =>
      Effect.sync(() => {
        const from = Math.max(1, options?.fromPosition ?? 1) - 1
        return store.events.slice(from, options?.limit === undefined ? undefined : from + options.limit)
      }),
    version: (stream) => Effect.sync(() => store.version(stream)),
    streams: Effect.sync(() => [...store.streams.values()].map((s) => s.info)),
    fork: (source, version, target) => locked(() => store.fork(source, version, target)),
    log: Effect.sync(() => store.log()),
    importLog: (entries) =>
      lock.withPermits(1)(
        Effect.suspend(() => {
          const draft = store.clone()
          return Append.importInto(
            {
              append: (stream, events, expected) => Effect.suspend(() => draft.append(stream, events, expected)),
              fork: (source, version, target) => Effect.suspend(() => draft.fork(source, version, target)),
              hasStream: (stream) => Effect.sync(() => draft.streams.has(stream))
            },
            entries
          ).pipe(
            Effect.tap(() => {
              store = draft
            })
          )
        })
      )
  }
  return self
})

/** The in-memory store as a layer. */
export const layerMemory: Layer.Layer<EventStore> = Layer.effect(EventStore, makeMemory)

/** The baseline stream every scenario starts from. */
export const baseline: StreamId = Ids.streamId("baseline")

/** The stream of a plan variant: `plan/<variant>`. */
export const planStream = (variant: string): StreamId => Ids.streamId(`plan/${variant}`)

/** Events a page of `readPages` holds by default. */
export const defaultPage = 50_000

/**
 * Reads a stream page by page (`readStream` over version windows of `size`), handing each page to `f`
 * before the next is read, so that a long log (a province's 2 M events) need not be held at once: what
 * `f` does not keep of a page dies young. A stream appended to while it is read gives the pages up to the
 * version it had when the read started. With `filter`, the store leaves out what it names before decoding
 * (a page holds the window's events that pass; an empty page is not handed over).
 */
export const readPages = (
  store: EventStore["Type"],
  stream: StreamId,
  f: (page: ReadonlyArray<Event.StoredEvent>) => void,
  size = defaultPage,
  filter?: ReadFilter
): Effect.Effect<void, StorageError> =>
  Effect.gen(function* () {
    const last = yield* store.version(stream)
    for (let from = 1; from <= last; from += size) {
      const window = { fromVersion: from, toVersion: Math.min(last, from + size - 1) }
      const page = yield* store.readStream(stream, filter === undefined ? window : { ...window, filter })
      if (page.length > 0) f(page)
    }
  })
