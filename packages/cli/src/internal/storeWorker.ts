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
  post({ failed: StoreThread.failure(Option.isSome(error) ? error.value : Cause.squash(exit.cause)) })
  return Option.none()
}

const handle = async (request: StoreThread.Request): Promise<void> => {
  if (failed) return
  if ("open" in request) {
    const opened = await attempt(Layer.buildWithScope(Store.layer(request.open), scope))
    if (Option.isSome(opened)) store = opened.value
    return
  }
  if ("end" in request) {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    post({ done: { whole } })
    return
  }
  const part: Project.Part = { variant: request.variant, offset: request.offset, events: StoreThread.eventsOf(request.events) }
  const done = await attempt(Effect.provide(Project.storePart(part, forkAt), store as Context.Context<EventStore.EventStore>))
  if (Option.isNone(done)) return
  if (part.variant === undefined) forkAt = done.value.version
  whole &&= done.value.whole
  stored += part.events.length
  post({ stored })
}

// one request after another, in the order posted
let chain = Promise.resolve()
parentPort!.on("message", (request: StoreThread.Request) => {
  chain = chain.then(() => handle(request))
})
