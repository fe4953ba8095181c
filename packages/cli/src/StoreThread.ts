/**
 * A large scenario's streams stored on a worker thread while the command's thread projects them (issue 18,
 * end to end). `seatplan run` appended a province's 2.2 M events (15-18 s) and only then compiled and ran
 * them; the second core idled. When the run's store is its own new file, the events it projects are those
 * it decided (`Project.decidedReadings`), so the two can go side by side: the command's thread posts the
 * streams to the worker in the parts `Project.store` appends (`Project.parts`), packed as JSON (`pack`) into
 * memory shared with the worker (`ring`): 2-3 s for a province, where copying them as objects took 6 s
 * and as JSON on new buffers 5-6 s. The worker appends each part with `Project.storePart` into its own
 * connection to the store, in order, and ends once done. The run's files are written only once the worker has stored every
 * part (`wait`), so a failure to store fails the run as before: the store's own error (a full disk, a busy
 * file), with its exit code. A stopped run ends the worker (`stop`); its last transaction is rolled back,
 * the parts before it stay (as when a run stopped while storing in its own thread).
 */
import { EventStoreError } from "@seatplan/core"
import type { Event } from "@seatplan/core"
import type { Project } from "@seatplan/plan"
import { Effect } from "effect"
import { Worker } from "node:worker_threads"
import * as Store from "./Store.js"

/** Events from which `seatplan run` stores on a worker thread (below, in its own: starting one costs a few tenths of a second). */
export const storeFrom = 400_000

/**
 * What the worker is sent: the store to open and the shared memory the parts are written into (`Ring`), then
 * each part in order as pieces of packed JSON (`pack`), then the end. A message carries pieces of one part,
 * laid end to end (`lengths`, in bytes) in a slot of the shared memory, or on a buffer of their own when no
 * slot was free; `last` ends the part.
 */
export type Request =
  | { readonly open: string; readonly ring: SharedArrayBuffer; readonly layout: Ring }
  | ({ readonly variant: string | undefined; readonly offset: number; readonly lengths: ReadonlyArray<number>; readonly last: boolean } & (
      | { readonly slot: number }
      | { readonly bytes: Uint8Array }
    ))
  | { readonly end: true }

/**
 * The memory the parts are written into, shared with the worker and used again and again: on this kind of
 * machine touching fresh memory is slow (a province's 270 MB of parts took 2 s to encode into new buffers,
 * and about nothing into memory already touched). `slots` slots of `slotBytes`, each free (0) or holding a
 * message's pieces (1) until the worker has read them.
 */
export interface Ring {
  readonly slots: number
  readonly slotBytes: number
}
export const ring: Ring = { slots: 8, slotBytes: 8 << 20 }
/** Where slot `i`'s bytes start in a ring of `slotBytes` slots (after the slots' states). */
export const slotStart = (i: number, slotBytes: number): number => 64 + i * slotBytes
/** Events packed a piece: a piece's JSON (about 60 kB) is a short-lived young string, not a large one in fresh memory. */
const piece = 400

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

/** An error as the worker sends it; one that is not the store's own says which store (`db`, as `--store` names it). */
export const failure = (e: unknown, db: string): Failure => {
  const tag = typeof e === "object" && e !== null && "_tag" in e ? String((e as { _tag: unknown })._tag) : "StorageError"
  if (!(tag in errors))
    return {
      _tag: "StorageError",
      fields: { operation: "store", reason: `${Store.name(db)}: ${e instanceof Error ? e.message : String(e)}` }
    }
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

const utf8 = new TextEncoder()

/** Starts the worker on the store `db` (a SQLite file or a PostgreSQL URL, as `--store` names it); `layout`: the shared memory's (tests make it small). */
export const start = (db: string, layout: Ring = ring): StoreThread => {
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
  worker.on("error", (e) => settle({ error: failure(e, db) }))
  worker.on("exit", (code) => settle({ error: failure(new Error(`the storing thread stopped (exit code ${code})`), db) }))
  const send = (r: Request, transfer: ReadonlyArray<ArrayBuffer> = []) => worker.postMessage(r, transfer as Array<ArrayBuffer>)
  const memory = new SharedArrayBuffer(slotStart(layout.slots, layout.slotBytes))
  const state = new Int32Array(memory, 0, layout.slots)
  let next = 0
  /** A free slot (waiting a little for the worker to free one), or -1. */
  const acquire = (): number => {
    if (Atomics.load(state, next) !== 0) Atomics.wait(state, next, 1, 20)
    if (Atomics.load(state, next) !== 0) return -1
    const slot = next
    next = (next + 1) % layout.slots
    return slot
  }
  send({ open: db, ring: memory, layout })
  return {
    post: (part) => {
      const head = { variant: part.variant, offset: part.offset }
      const pieces = Math.max(1, Math.ceil(part.events.length / piece))
      let slot = -1
      let used = 0
      let lengths: Array<number> = []
      /** Sends the slot's pieces (a slot taken but empty is let go of unsent). */
      const publish = (last: boolean) => {
        if (slot >= 0 && lengths.length > 0) {
          Atomics.store(state, slot, 1)
          send({ ...head, slot, lengths, last })
        } else if (slot >= 0) next = slot
        slot = -1
        used = 0
        lengths = []
      }
      for (let k = 0; k < pieces; k++) {
        const last = k === pieces - 1
        const json = pack(part.events.slice(k * piece, (k + 1) * piece))
        let placed = false
        for (let attempt = 0; attempt < 2 && !placed; attempt++) {
          if (slot < 0) slot = acquire()
          if (slot < 0) break
          const into = new Uint8Array(memory, slotStart(slot, layout.slotBytes) + used, layout.slotBytes - used)
          const wrote = utf8.encodeInto(json, into)
          if (wrote.read === json.length) {
            used += wrote.written
            lengths.push(wrote.written)
            placed = true
          } else if (lengths.length > 0) publish(false)
          else break
        }
        if (!placed) {
          // no slot free, or a piece larger than a slot: on a buffer of its own, after the slot's pieces
          publish(false)
          const bytes = utf8.encode(json)
          send({ ...head, bytes, lengths: [bytes.length], last }, [bytes.buffer])
        } else if (last) publish(true)
      }
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

/**
 * Events as the worker is sent them: JSON, the envelopes without what repeats. A decided event's id is its
 * command's id and its place among that command's events (`Decider.envelopes`), its cause that command and
 * its time the command's: more than half of each event's JSON (`{"id":"scenario/700000/0","recordedAt":
 * "2000-01-01T00:00:00.000Z","causationId":"scenario/700000",…}`), and of the time it took to make. `at` and
 * `cause` give 0 for the event before's; `id` gives n for the cause's id then `/n`. Any other envelope is
 * sent as it is (`unpack(pack(events))` equals `events` through JSON, tested).
 */
interface Packed {
  readonly at: Array<string | 0>
  readonly cause: Array<string | 0 | null>
  readonly id: Array<string | number>
  readonly events: Array<Event.Event>
}

/** `events` packed (`Packed`) as JSON. */
export const pack = (events: ReadonlyArray<Event.NewEvent>): string => {
  const p: Packed = { at: [], cause: [], id: [], events: [] }
  let at: string | undefined
  let cause: string | null | undefined
  for (const e of events) {
    const c = e.causationId ?? null
    p.at.push(e.recordedAt === at ? 0 : e.recordedAt)
    p.cause.push(c === cause ? 0 : c)
    const n = c === null || !e.id.startsWith(c) || e.id.charCodeAt(c.length) !== 47 ? Number.NaN : Number(e.id.slice(c.length + 1))
    p.id.push(Number.isSafeInteger(n) && n >= 0 && `${c}/${n}` === e.id ? n : e.id)
    p.events.push(e.event)
    at = e.recordedAt
    cause = c
  }
  return JSON.stringify(p)
}

/** The text of a piece: `length` bytes of UTF-8 at `at` in `memory` (shared or not). */
export const pieceText = (memory: ArrayBufferLike, at: number, length: number): string => Buffer.from(memory, at, length).toString("utf8")

/** The events `pack` packed, from its JSON. */
export const unpack = (json: string): ReadonlyArray<Event.NewEvent> => {
  const p = JSON.parse(json) as Packed
  const out: Array<Event.NewEvent> = new Array(p.events.length)
  let at = ""
  let cause: string | null = null
  for (let i = 0; i < p.events.length; i++) {
    const a = p.at[i]
    const c = p.cause[i]
    const id = p.id[i]
    if (a !== 0) at = a
    if (c !== 0) cause = c
    const eventId = (typeof id === "number" ? `${cause}/${id}` : id) as Event.NewEvent["id"]
    out[i] =
      cause === null
        ? { id: eventId, recordedAt: at, event: p.events[i] }
        : { id: eventId, recordedAt: at, causationId: cause, event: p.events[i] }
  }
  return out
}
