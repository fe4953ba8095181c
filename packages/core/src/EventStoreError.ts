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
    return `stream ${this.stream} is at version ${this.actual}, expected ${this.expected}: ` +
      `someone appended first; read the stream again and retry`
  }
}

/** A batch mixes event ids already stored with new ones, or reuses an id in another place. */
export class DuplicateEventIds extends Data.TaggedError("DuplicateEventIds")<{
  readonly stream: string
  readonly ids: ReadonlyArray<string>
}> {
  override get message() {
    const shown = this.ids.slice(0, 5).join(", ") + (this.ids.length > 5 ? `, … (${this.ids.length} in all)` : "")
    return `stream ${this.stream}: event ids already stored elsewhere or in part of the batch only: ${shown}; ` +
      `re-append the whole original batch (idempotent) or use new ids`
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
    return `stream ${this.stream}: event ${this.id} (${this.eventType}) field ${this.path}: ` +
      `expected a finite number, found ${String(this.value)}; nothing was appended`
  }
}

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

export type AppendError = VersionConflict | DuplicateEventIds | NonFiniteNumber | StorageError
export type ForkError = StreamNotFound | StreamAlreadyExists | StorageError
