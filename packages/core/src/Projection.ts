/**
 * The effectful edge of the decider: read a stream, fold it into the world as of a school year, decide a
 * command, append its events with the version read (optimistic concurrency), and retry on a conflict.
 */
import { Effect, Either } from "effect"
import type * as Command from "./Command.js"
import * as Decider from "./Decider.js"
import type { DomainError } from "./DomainError.js"
import type * as Event from "./Event.js"
import { type AppendResult, EventStore } from "./EventStore.js"
import type { AppendError, StorageError } from "./EventStoreError.js"
import type { StreamId } from "./Ids.js"
import * as World from "./World.js"

/** The world of a stream as of a school year (events dated up to `year`, in year order). */
export const worldAt = (stream: StreamId, year: number): Effect.Effect<World.World, StorageError, EventStore> =>
  Effect.map(
    Effect.flatMap(EventStore, (store) => store.readStream(stream)),
    (stored) => World.asOf(stored.map((s) => s.event), year)
  )

/** The world of a stream with every event applied (the latest state, plans included). */
export const worldOf = (stream: StreamId): Effect.Effect<World.World, StorageError, EventStore> =>
  Effect.map(
    Effect.flatMap(EventStore, (store) => store.readStream(stream)),
    (stored) => World.fold(World.chronological(stored.map((s) => s.event)))
  )

export interface Handled extends AppendResult {
  readonly events: ReadonlyArray<Event.Event>
}

/**
 * Decides a command against the stream's world as of the command's school year and appends the events.
 * Retries up to `retries` times when another writer moved the stream in between.
 */
export const handle = (
  stream: StreamId,
  command: Command.Command,
  options: { readonly retries?: number } = {}
): Effect.Effect<Handled, DomainError | AppendError, EventStore> =>
  Effect.gen(function*() {
    const store = yield* EventStore
    const attempt = Effect.gen(function*() {
      const stored = yield* store.readStream(stream)
      const version = stored.length
      const world = World.asOf(stored.map((s) => s.event), command.year)
      const events = yield* Either.mapLeft(Decider.decide(command, world), (e) => e)
      const result = yield* store.append(stream, Decider.envelopes(command, events), version)
      return { ...result, events }
    })
    return yield* attempt.pipe(
      Effect.retry({ times: options.retries ?? 3, while: (e) => e._tag === "VersionConflict" })
    )
  })
