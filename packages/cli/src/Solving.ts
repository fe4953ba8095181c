/**
 * Runs `seatplan optimize`'s solve in a worker thread (internal/optimizeWorker) so that the command's
 * main thread stays free while the search holds its own: it draws a progress bar (time used of the
 * limit, with the search's latest incumbent and bound) and, on Ctrl-C, asks the search to stop through a
 * shared flag (`Clock.interruptible`); the search then ends as at its time limit, with the best solution
 * it has, and the command writes that plan. A second Ctrl-C quits at once, writing nothing.
 */
import { Problem, type Solve } from "@seatplan/optimize"
import Progress from "cli-progress"
import { Effect } from "effect"
import { Worker } from "node:worker_threads"
import * as Stopping from "./Stopping.js"

export interface Options {
  readonly exact: boolean
  readonly timeLimit: number
  /** No progress bar. */
  readonly quiet: boolean
}

export interface Outcome {
  readonly solved: Solve.Solved
  /** True when the planner stopped the search (Ctrl-C) before its own end. */
  readonly interrupted: boolean
}

type Message =
  | { readonly progress: string }
  | { readonly solved: Solve.Solved; readonly interrupted: boolean }
  | {
      readonly failed: {
        readonly _tag: "Infeasible" | "SolverError"
        readonly reason: string
        readonly shortfall?: number
        readonly point?: number
      }
    }

/** Exit code of a second Ctrl-C (128 + SIGINT), as a shell reports it. */
const quitCode = 130

export const inWorker = (
  instance: Problem.Instance,
  problem: Problem.Problem,
  options: Options
): Effect.Effect<Outcome, Problem.Infeasible | Problem.SolverError> =>
  Effect.async<Outcome, Problem.Infeasible | Problem.SolverError>((resume) => {
    const stop = new Int32Array(new SharedArrayBuffer(4))
    const worker = new Worker(new URL("./internal/optimizeWorker.mjs", import.meta.url), {
      workerData: { instance, problem, exact: options.exact, timeLimit: options.timeLimit, stop }
    })
    const started = Date.now()
    const bar =
      !options.quiet && process.stderr.isTTY === true
        ? new Progress.SingleBar(
            { stream: process.stderr, format: "{bar} {value}/{total} s  {task}", hideCursor: true, clearOnComplete: true },
            Progress.Presets.shades_classic
          )
        : undefined
    const limit = Math.max(1, Math.ceil(options.timeLimit))
    if (!options.quiet)
      process.stderr.write(`searching for at most ${options.timeLimit} s (Ctrl-C stops sooner, keeping the best plan found)\n`)
    bar?.start(limit, 0, { task: "starting…" })
    const tick = setInterval(() => bar?.update(Math.min(limit, Math.round((Date.now() - started) / 1000))), 500)
    const onSignal = () => {
      if (Atomics.load(stop, 0) === 0) {
        Atomics.store(stop, 0, 1)
        bar?.stop()
        process.stderr.write("stopping (Ctrl-C): keeping the best plan found so far; Ctrl-C again to quit without it\n")
        return
      }
      done()
      process.exit(quitCode)
    }
    // while the search runs, Ctrl-C is the search's: the runtime's own handlers (which interrupt the
    // command, writing nothing) step aside until it ends, then come back
    const restore = Stopping.detachRuntimeHandlers()
    process.on("SIGINT", onSignal)
    process.on("SIGTERM", onSignal)
    let finished = false
    const done = () => {
      if (finished) return
      finished = true
      clearInterval(tick)
      bar?.stop()
      process.off("SIGINT", onSignal)
      process.off("SIGTERM", onSignal)
      restore()
      void worker.terminate()
    }
    worker.on("message", (message: Message) => {
      if ("progress" in message) {
        bar?.update(Math.min(limit, Math.round((Date.now() - started) / 1000)), { task: message.progress })
        return
      }
      done()
      if ("solved" in message) return resume(Effect.succeed({ solved: message.solved, interrupted: message.interrupted }))
      const f = message.failed
      resume(
        Effect.fail(
          f._tag === "Infeasible"
            ? new Problem.Infeasible({
                reason: f.reason,
                shortfall: f.shortfall ?? 0,
                ...(f.point === undefined ? {} : { point: f.point })
              })
            : new Problem.SolverError({ reason: f.reason })
        )
      )
    })
    worker.on("error", (e) => {
      done()
      resume(Effect.fail(new Problem.SolverError({ reason: `the solver's worker failed: ${e.message}` })))
    })
    worker.on("exit", (code) => {
      if (finished) return
      done()
      resume(Effect.fail(new Problem.SolverError({ reason: `the solver's worker ended (exit code ${code}) without an answer` })))
    })
    return Effect.sync(done)
  })
