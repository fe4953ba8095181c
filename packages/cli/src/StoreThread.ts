/**
 * A large scenario's streams stored on a worker thread while the command's thread projects them (issue 18,
 * end to end). `seatplan run` appended a province's 2.2 M events (15-18 s) and only then compiled and ran
 * them; the second core idled. When the run's store is its own new file, the events it projects are those
 * it decided (`Project.decidedReadings`), so the two can go side by side: the command's thread posts the
 * streams to the worker in the parts `Project.store` appends (`Project.parts`, as JSON: 2-3 s, a third of
 * what copying them as objects takes), and the worker appends each with `Project.storePart` into its own
 * connection to the store, in order. The run's files are written only once the worker has stored every
 * part (`wait`), so a failure to store fails the run as before: the store's own error (a full disk, a busy
 * file), with its exit code. A stopped run ends the worker (`stop`); its last transaction is rolled back,
 * the parts before it stay (as when a run stopped while storing in its own thread).
 */
import { EventStoreError } from "@seatplan/core"
import type { Event } from "@seatplan/core"
import type { Project } from "@seatplan/plan"
import { Effect } from "effect"
import { Worker } from "node:worker_threads"

/** Events from which `seatplan run` stores on a worker thread (below, in its own: starting one costs a few tenths of a second). */
export const storeFrom = 400_000

/** What the worker is sent: the store to open, then each part in order (its events as JSON), then the end. */
export type Request =
  | { readonly open: string }
  | { readonly variant: string | undefined; readonly offset: number; readonly events: Uint8Array }
  | { readonly end: true }

/** A store error as it crosses the thread: its tag and fields (without its cause, which may not copy). */
export interface Failure {
  readonly _tag: string
  readonly fields: Record<string, unknown>
}

/** The worker's messages: events stored so far, every part stored (and whether whole), or the error that stopped it. */
export type Message = { readonly stored: number } | { readonly done: { readonly whole: boolean } } | { readonly failed: Failure }

/** The errors storing may fail with (`Project.storePart`, opening the store), rebuilt as themselves from their fields. */
const errors: Record<string, new (fields: never) => Error> = {
  VersionConflict: EventStoreError.VersionConflict,
  DuplicateEventIds: EventStoreError.DuplicateEventIds,
  StreamNotFound: EventStoreError.StreamNotFound,
  StreamAlreadyExists: EventStoreError.StreamAlreadyExists,
  NonFiniteNumber: EventStoreError.NonFiniteNumber,
  StoreBusy: EventStoreError.StoreBusy,
  StorageError: EventStoreError.StorageError
}

/** An error as the worker sends it. */
export const failure = (e: unknown): Failure => {
  const tag = typeof e === "object" && e !== null && "_tag" in e ? String((e as { _tag: unknown })._tag) : "StorageError"
  if (!(tag in errors)) return { _tag: "StorageError", fields: { operation: "store", reason: e instanceof Error ? e.message : String(e) } }
  const fields: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(e as object)) if (k !== "cause" && k !== "_tag") fields[k] = v
  return { _tag: tag, fields }
}

/** The error a `Failure` is. */
export const rebuilt = (f: Failure): EventStoreError.AppendError | EventStoreError.ForkError => {
  const make = errors[f._tag] ?? EventStoreError.StorageError
  return new make(f.fields as never) as EventStoreError.AppendError | EventStoreError.ForkError
}

/** Storing on the worker: `post` each part (in order) then `end`; `wait` for every part stored; `stop` ends the worker. */
export interface StoreThread {
  readonly post: (part: Project.Part) => void
  readonly end: () => void
  /** Events stored so far. */
  readonly stored: () => number
  /** Waits until every part is stored (telling `onStored` the events stored as they are), or fails with the store's error. */
  readonly wait: (
    onStored?: (stored: number) => void
  ) => Effect.Effect<{ readonly whole: boolean }, EventStoreError.AppendError | EventStoreError.ForkError>
  readonly stop: Effect.Effect<void>
}

/** Starts the worker on the store `db` (a SQLite file or a PostgreSQL URL, as `--store` names it). */
export const start = (db: string): StoreThread => {
  const worker = new Worker(new URL("./internal/storeWorker.mjs", import.meta.url))
  let stored = 0
  let outcome: { readonly whole: boolean } | { readonly error: Failure } | undefined
  let listener: ((stored: number) => void) | undefined
  let wake: (() => void) | undefined
  const settle = (o: NonNullable<typeof outcome>) => {
    outcome ??= o
    wake?.()
  }
  worker.on("message", (m: Message) => {
    if ("stored" in m) {
      stored = m.stored
      listener?.(stored)
    } else if ("done" in m) settle(m.done)
    else settle({ error: m.failed })
  })
  worker.on("error", (e) => settle({ error: failure(e) }))
  worker.on("exit", (code) =>
    settle({ error: { _tag: "StorageError", fields: { operation: "store", reason: `the storing thread stopped (exit code ${code})` } } })
  )
  const send = (r: Request) => worker.postMessage(r)
  send({ open: db })
  return {
    post: (part) => {
      // as UTF-8 on a buffer of its own, handed over rather than copied (copying 400 MB of text into and out
      // of the message queue took longer than making it)
      const events = Buffer.from(JSON.stringify(part.events), "utf8")
      const buffer = events.buffer as ArrayBuffer
      worker.postMessage(
        {
          variant: part.variant,
          offset: part.offset,
          events: new Uint8Array(buffer, events.byteOffset, events.byteLength)
        } satisfies Request,
        [buffer]
      )
    },
    end: () => send({ end: true }),
    stored: () => stored,
    wait: (onStored) =>
      Effect.async((resume) => {
        const finish = () => {
          const o = outcome as NonNullable<typeof outcome>
          resume("error" in o ? Effect.fail(rebuilt(o.error)) : Effect.succeed(o))
        }
        if (outcome !== undefined) return finish()
        listener = onStored
        wake = finish
        return Effect.sync(() => {
          wake = undefined
          listener = undefined
        })
      }),
    stop: Effect.promise(() => worker.terminate()).pipe(Effect.asVoid)
  }
}

/** The parts' events, as the worker reads them back from their JSON. */
export const eventsOf = (json: Uint8Array): ReadonlyArray<Event.NewEvent> =>
  JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString("utf8"))
