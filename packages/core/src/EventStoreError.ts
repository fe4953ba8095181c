/**
 * What can go wrong when appending to or reading from an event store.
 */
import { Data } from "effect"

/** Optimistic concurrency: the stream moved since the caller read it. */
export class VersionConflict extends Data.TaggedError("VersionConflict")<{
  readonly stream: string
  readonly expected: number
  readonly actual: number
}> {
  override get message() {
    return (
      `stream ${this.stream} is at version ${this.actual}, expected ${this.expected}: ` +
      `someone appended first; read the stream again and retry`
    )
  }
}

/** A batch mixes event ids already stored with new ones, or reuses an id in another place. */
export class DuplicateEventIds extends Data.TaggedError("DuplicateEventIds")<{
  readonly stream: string
  readonly ids: ReadonlyArray<string>
}> {
  override get message() {
    const shown = this.ids.slice(0, 5).join(", ") + (this.ids.length > 5 ? `, … (${this.ids.length} in all)` : "")
    return (
      `stream ${this.stream}: event ids already stored elsewhere or in part of the batch only: ${shown}; ` +
      `re-append the whole original batch (idempotent) or use new ids`
    )
  }
}

/** A stream to fork from does not exist or is shorter than the fork point. */
export class StreamNotFound extends Data.TaggedError("StreamNotFound")<{
  readonly stream: string
  readonly version?: number
  readonly actual?: number
}> {
  override get message() {
    return this.version === undefined
      ? `stream ${this.stream} does not exist`
      : `stream ${this.stream} has ${this.actual ?? 0} events; cannot fork it at version ${this.version}`
  }
}

/** A stream to create already exists. */
export class StreamAlreadyExists extends Data.TaggedError("StreamAlreadyExists")<{
  readonly stream: string
}> {
  override get message() {
    return `stream ${this.stream} already exists; choose another name`
  }
}

/**
 * An event to append holds a number that is not finite (NaN, Infinity): JSON cannot store it (it would
 * be written as null and the stored event would no longer decode), so the batch is refused, nothing written.
 */
export class NonFiniteNumber extends Data.TaggedError("NonFiniteNumber")<{
  readonly stream: string
  /** The event's id and type. */
  readonly id: string
  readonly eventType: string
  /** The field holding the number, e.g. `event.floorArea` or `event.byAge[3]`. */
  readonly path: string
  readonly value: number
}> {
  override get message() {
    return (
      `stream ${this.stream}: event ${this.id} (${this.eventType}) field ${this.path}: ` +
      `expected a finite number, found ${String(this.value)}; nothing was appended`
    )
  }
}

/**
 * Another process held the store's write lock for longer than the busy timeout: nothing was written.
 * Not a version conflict (the stream may be exactly where the caller expects it); try again later.
 */
export class StoreBusy extends Data.TaggedError("StoreBusy")<{
  /** The store file. */
  readonly file: string
  /** What was being done: open, append, fork, import. */
  readonly operation: string
  /** The busy timeout: how long a process waits for another's write lock, in milliseconds. */
  readonly timeoutMs: number
  /** How long this process waited before giving up, in milliseconds (about `timeoutMs`). */
  readonly waitedMs: number
  readonly cause?: unknown
}> {
  override get message() {
    return (
      `event store ${this.file} is busy: another process held its write lock for more than ` +
      `${seconds(this.timeoutMs)} s (${this.operation}); nothing was written, try again when it has finished`
    )
  }
}

/** Milliseconds as seconds, to a tenth (`5`, `0.3`). */
export const seconds = (ms: number): string => String(Math.round(ms / 100) / 10)

/** The storage itself failed (disk, SQL, or a stored row that no longer decodes). */
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly operation: string
  readonly reason: string
  readonly cause?: unknown
}> {
  override get message() {
    return `event store ${this.operation} failed: ${this.reason}`
  }
}

export type AppendError = VersionConflict | DuplicateEventIds | NonFiniteNumber | StorageError | StoreBusy
export type ForkError = StreamNotFound | StreamAlreadyExists | StorageError | StoreBusy
