import type { EventStore } from "@seatplan/core"
import { Project } from "@seatplan/plan"
import { Cause, type Context, Effect, Exit, Layer, Option, Scope } from "effect"
import { parentPort } from "node:worker_threads"
import * as Store from "../Store.js"
import * as StoreThread from "../StoreThread.js"

// `seatplan run`'s streams stored on a worker thread while the command's thread projects them (StoreThread):
// the store is opened, each part appended in the order it came (`Project.storePart`), and the outcome told.
const post = (message: StoreThread.Message) => parentPort!.postMessage(message)

const scope = Effect.runSync(Scope.make())
let store: Context.Context<EventStore.EventStore> | undefined
/** The store, as `--store` names it (for errors that are not the store's own). */
let db = ""
let forkAt = 0
let whole = true
let stored = 0
let failed = false

/** Runs a step on the store; its failure is told once, and nothing after it is done. */
const attempt = async <A>(effect: Effect.Effect<A, unknown>): Promise<Option.Option<A>> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return Option.some(exit.value)
  failed = true
  const error = Cause.failureOption(exit.cause)
  post({ failed: StoreThread.failure(Option.isSome(error) ? error.value : Cause.squash(exit.cause), db) })
  return Option.none()
}

/** What is done in order once everything is posted: open the store, store a part (its pieces' JSON), end. */
type Step =
  | { readonly open: string }
  | { readonly part: Omit<Project.Part, "events">; readonly pieces: ReadonlyArray<string> }
  | { readonly end: true }

const handle = async (step: Step): Promise<void> => {
  if (failed) return
  if ("open" in step) {
    db = step.open
    const opened = await attempt(Layer.buildWithScope(Store.layer(step.open), scope))
    if (Option.isSome(opened)) store = opened.value
    return
  }
  if ("end" in step) {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    post({ done: { whole } })
    // the thread ends here, its memory let go of at once: the command's thread is busy with the run and would
    // end it only when the run is done, when its heap (hundreds of MB) would still add to the run's peak
    parentPort!.close()
    return
  }
  const part: Project.Part = { ...step.part, events: step.pieces.flatMap(StoreThread.unpack) }
  const done = await attempt(Effect.provide(Project.storePart(part, forkAt), store as Context.Context<EventStore.EventStore>))
  if (Option.isNone(done)) return
  if (part.variant === undefined) forkAt = done.value.version
  whole &&= done.value.whole
  stored += part.events.length
  post({ stored })
}

// The pieces are read out of the shared memory as they come, and their slot freed for the command's thread;
// the steps are done in order from the end on: the command's thread makes the parts faster when this thread
// is not also allocating (page faults of one process wait for each other).
const steps: Array<Step> = []
let ring: SharedArrayBuffer | undefined
let layout = StoreThread.ring
let pieces: Array<string> = []
parentPort!.on("message", async (request: StoreThread.Request) => {
  if ("open" in request) {
    ring = request.ring
    layout = request.layout
    steps.push({ open: request.open })
  } else if ("end" in request) {
    steps.push(request)
    // each step let go of once taken: a province's pieces are 270 MB of text
    for (let step = steps.shift(); step !== undefined; step = steps.shift()) await handle(step)
  } else {
    let at = 0
    for (const length of request.lengths) {
      pieces.push(
        "slot" in request
          ? StoreThread.pieceText(ring as SharedArrayBuffer, StoreThread.slotStart(request.slot, layout.slotBytes) + at, length)
          : StoreThread.pieceText(request.bytes.buffer, request.bytes.byteOffset + at, length)
      )
      at += length
    }
    if ("slot" in request) {
      const state = new Int32Array(ring as SharedArrayBuffer, 0, layout.slots)
      Atomics.store(state, request.slot, 0)
      Atomics.notify(state, request.slot)
    }
    if (request.last) {
      steps.push({ part: { variant: request.variant, offset: request.offset }, pieces })
      pieces = []
    }
  }
})
