/**
 * The command handler: the one write path of seatplan. Read a stream, fold it into the world, decide a
 * command (or a batch) with the domain rules, append the events with the version read (optimistic
 * concurrency), and retry on a conflict; a refusal appends nothing.
 */
import { Data, Effect, Either } from "effect"
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
    (stored) =>
      World.asOf(
        stored.map((s) => s.event),
        year
      )
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
  Effect.gen(function* () {
    const store = yield* EventStore
    const attempt = Effect.gen(function* () {
      const stored = yield* store.readStream(stream)
      const version = stored.length
      const world = World.asOf(
        stored.map((s) => s.event),
        command.year
      )
      const events = yield* Either.mapLeft(Decider.decide(command, world), (e) => e)
      const result = yield* store.append(stream, Decider.envelopes(command, events), version)
      return { ...result, events }
    })
    return yield* attempt.pipe(Effect.retry({ times: options.retries ?? 3, while: (e) => e._tag === "VersionConflict" }))
  })

/** A command of a batch was refused by the domain rules: nothing of the batch was appended. */
export class CommandRefused extends Data.TaggedError("CommandRefused")<{
  readonly stream: StreamId
  /** The command's place in the batch as given (0-based) and its id. */
  readonly index: number
  readonly commandId: string
  readonly error: DomainError
}> {
  override get message() {
    return `stream ${this.stream}: command ${this.commandId} (number ${this.index + 1} of the batch) was refused: ${this.error.message}; nothing was appended`
  }
}

export interface HandledAll extends AppendResult {
  readonly events: ReadonlyArray<Event.NewEvent>
}

/**
 * Decides a batch of commands in school-year order (stable: commands of one year keep their order), each
 * against the stream's world after the events of the ones before it, and appends every event in one batch
 * with the version read. All or nothing: the first refusal fails with `CommandRefused` and appends nothing.
 * A batch whose events are all stored already (the same command ids, decided before) is not decided again:
 * the append is idempotent. Retries up to `retries` times when another writer moved the stream in between.
 */
export const handleAll = (
  stream: StreamId,
  commands: ReadonlyArray<Command.Command>,
  options: { readonly retries?: number } = {}
): Effect.Effect<HandledAll, CommandRefused | AppendError, EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const ordered = commands
      .map((command, index) => ({ command, index }))
      .sort((a, b) => a.command.year - b.command.year || a.index - b.index)
    const attempt = Effect.gen(function* () {
      const stored = yield* store.readStream(stream)
      const version = stored.length
      if (commands.length > 0 && alreadyStored(stored, commands)) {
        // the batch landed before (a retry): re-appending the same events is the store's idempotent no-op
        const ids = commandIds(commands)
        const events: ReadonlyArray<Event.NewEvent> = stored
          .filter((e) => ids.has(e.causationId ?? ""))
          .map(({ id, recordedAt, causationId, event }) => ({
            id,
            recordedAt,
            ...(causationId === undefined ? {} : { causationId }),
            event
          }))
        return { ...(yield* store.append(stream, events, version)), events }
      }
      const world = World.builder(World.fold(World.chronological(stored.map((s) => s.event))))
      const events: Array<Event.NewEvent> = []
      for (const { command, index } of ordered) {
        const decided = Decider.decide(command, world.world)
        if (Either.isLeft(decided)) {
          return yield* new CommandRefused({ stream, index, commandId: command.id, error: decided.left })
        }
        for (const e of Decider.envelopes(command, decided.right)) {
          events.push(e)
          world.apply(e.event)
        }
      }
      const result = yield* store.append(stream, events, version)
      return { ...result, events }
    })
    return yield* attempt.pipe(Effect.retry({ times: options.retries ?? 3, while: (e) => e._tag === "VersionConflict" }))
  })

const commandIds = (commands: ReadonlyArray<Command.Command>): ReadonlySet<string> => new Set(commands.map((c) => c.id))

/** Every command of the batch has caused events in the stream already (a retry of a batch that landed). */
const alreadyStored = (stored: ReadonlyArray<Event.StoredEvent>, commands: ReadonlyArray<Command.Command>): boolean => {
  const caused = new Set<string>()
  for (const e of stored) if (e.causationId !== undefined) caused.add(e.causationId)
  return commands.every((c) => caused.has(c.id))
}

/** Events appended per transaction by `appendDecided`. */
export const appendBatch = 50_000

/**
 * Appends events already decided through the decider elsewhere, in batches of `batch` (default
 * `appendBatch`), each its own transaction: what `Project.store` does with the streams the scenario loader
 * decided (`Scenario.baselineOf` decides a region command by command against the world so far, as
 * `handleAll` would against an empty stream), so that a province's 2 M commands are not decided twice nor
 * appended in one transaction of gigabytes. `events` are the stream's events from version `from` (0: the
 * whole stream; a fork's events follow its parent's). A batch stored before (the same event ids) is the
 * store's idempotent no-op, so storing again, or after a run stopped halfway, appends only what is missing;
 * a stream holding other events refuses the batch (`VersionConflict` or `DuplicateEventIds`).
 * `onAppended` is called after each batch with the events done so far.
 */
export const appendDecided = (
  stream: StreamId,
  events: ReadonlyArray<Event.NewEvent>,
  options: { readonly from?: number; readonly batch?: number; readonly onAppended?: (done: number) => void } = {}
): Effect.Effect<AppendResult, AppendError, EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const from = options.from ?? 0
    const size = Math.max(1, options.batch ?? appendBatch)
    let result: AppendResult = { stream, version: from + events.length, appended: 0, position: 0 }
    if (events.length === 0) return yield* store.append(stream, [], "any")
    for (let i = 0; i < events.length; i += size) {
      const appended = yield* store.append(stream, events.slice(i, i + size), from + i)
      result = { ...appended, appended: result.appended + appended.appended }
      options.onAppended?.(Math.min(events.length, i + size))
    }
    return result
  })
