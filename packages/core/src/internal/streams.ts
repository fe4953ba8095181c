/**
 * The event store's data types: what an append expects and returns, stream infos, forks, log entries and
 * read options. `EventStore` re-exports them (import them from there); they live here so that the append
 * rules both stores share (`internal/append.ts`) can use them without importing `EventStore` back.
 */
import type * as Event from "../Event.js"
import type { StreamId } from "../Ids.js"

/**
 * The version the caller expects the stream to be at before appending: a number (0 for a stream that
 * does not exist yet) or `any` to skip the check.
 */
export type ExpectedVersion = number | "any"

export interface AppendResult {
  readonly stream: StreamId
  /** The stream's version after the append. */
  readonly version: number
  /** Events written: 0 when every event of the batch was already stored (an idempotent retry). */
  readonly appended: number
  /** Global position of the last event written (or of the stream's last event on a no-op). */
  readonly position: number
}

export interface StreamInfo {
  readonly stream: StreamId
  readonly version: number
  /** For a fork: the stream and version it branched off. */
  readonly parent?: { readonly stream: StreamId; readonly version: number }
  /** The global position when the stream was forked (0 for a stream that was not forked). */
  readonly forkedAtPosition: number
}

/** A fork recorded in a log: `stream` branched off `parent` at `version`. */
export interface Fork {
  readonly stream: StreamId
  readonly parent: StreamId
  readonly version: number
}

/** One entry of an exported log: an event as stored, or a fork, in the order they happened. */
export type LogEntry = { readonly _tag: "Event"; readonly stored: Event.StoredEvent } | { readonly _tag: "Fork"; readonly fork: Fork }

export interface ImportResult {
  readonly events: number
  readonly skipped: number
  readonly forks: number
}

export interface ReadStreamOptions {
  /** First version to read (1-based, default 1). */
  readonly fromVersion?: number
  /** Last version to read (inclusive, default the end). */
  readonly toVersion?: number
  /** Events left out of the read by the store itself (see `ReadFilter`). */
  readonly filter?: ReadFilter
}

/**
 * Events a read leaves out: those of one of `skipTypes` dated before `beforeYear`. A store evaluates it on
 * the type and year it keeps beside each event (in SQL for SQLite and PostgreSQL), so an event left out is
 * never decoded: a province's log is half births records of years before the base year, which compiling
 * does not read (`Compile.reading`'s `filter`). The versions of the events read are unchanged; a read
 * window may come back with fewer events than it spans, or none.
 */
export interface ReadFilter {
  readonly skipTypes: ReadonlyArray<Event.Event["_tag"]>
  readonly beforeYear: number
}

export interface ReadAllOptions {
  /** First global position to read (1-based, default 1). */
  readonly fromPosition?: number
  /** Most events to return (default all). */
  readonly limit?: number
}
