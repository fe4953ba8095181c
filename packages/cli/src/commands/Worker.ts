import { Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { Project } from "@seatplan/plan"
import { described, store } from "../Options.js"
import * as Store from "../Store.js"
import * as Stopping from "../Stopping.js"

const throttle = Options.integer("throttle").pipe(
  Options.withDescription(
    "pause this many milliseconds after each replicate stored, leaving the machine to other work (a worker on a planner's desktop); default 0"
  ),
  Options.withDefault(0)
)

/**
 * `seatplan worker --store postgres://…`: takes jobs (a variant × a range of replicates) from the store's
 * queue, computes them with the same seeded code as a local run and writes each result to the database;
 * runs until SIGINT or SIGTERM, finishing the job in hand. Start as many as there are cores, on as many
 * machines as can reach the database.
 */
export const worker = Command.make("worker", { store, throttle }, (o) =>
  Effect.gen(function* () {
    const url = Option.getOrUndefined(o.store)
    if (url === undefined || !Store.isPostgres(url)) {
      return yield* new Project.RunError({
        reason: `--store: expected a PostgreSQL database postgres://user@host:port/database[?schema=name] (the one the run uses), found ${url === undefined ? "none" : JSON.stringify(url)}`
      })
    }
    if (o.throttle < 0) return yield* new Project.RunError({ reason: `--throttle: expected milliseconds (0 or more), found ${o.throttle}` })
    const Distributed = yield* Effect.promise(() => import("../Distributed.js"))
    // the first signal is the worker's own, to finish the job in hand: the runtime's handlers, which would
    // interrupt the command at once (and the job with it), step aside until the worker returns; a second
    // signal finds no handler, so its default action ends the process
    const restore = Stopping.detachRuntimeHandlers()
    const stop = new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve())
      process.once("SIGTERM", () => resolve())
    })
    const stored = yield* Effect.tryPromise({
      try: () => Distributed.work({ url, stop, throttleMs: o.throttle, log: (line) => process.stderr.write(`${line}\n`) }),
      catch: (e) => new Project.RunError({ reason: `seatplan worker on ${Store.name(url)}: ${e instanceof Error ? e.message : String(e)}` })
    }).pipe(Effect.ensuring(Effect.sync(restore)))
    yield* Console.error(`seatplan worker: stored ${stored} replicates; stopped`)
  })
).pipe(
  Command.withDescription(
    described("Take distributed Monte Carlo jobs from a PostgreSQL store and compute them (until Ctrl-C or SIGTERM)", [
      "seatplan worker --store postgres://planner@db.bureau/seatplan?schema=county_a",
      "seatplan worker --store postgres://planner@db.bureau/seatplan?schema=county_a --throttle 200   # on a desktop in use",
      "seatplan run scenarios/county/scenario.yaml --seed 7 --replicates 1000 --store postgres://planner@db.bureau/seatplan?schema=county_a --distributed"
    ])
  )
)
