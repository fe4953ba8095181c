import { parentPort, workerData } from "node:worker_threads"
import { Clock, Exact, type Problem, Solve } from "@seatplan/optimize"
import { Either } from "effect"

// `seatplan optimize`'s solve, in a worker thread so that the command's main thread stays free: it draws
// the progress bar and, on Ctrl-C, sets the stop flag, which the searches read through `Clock`.
const { instance, problem, exact, timeLimit, stop } = workerData as {
  readonly instance: Problem.Instance
  readonly problem: Problem.Problem
  readonly exact: boolean
  readonly timeLimit: number
  readonly stop: Int32Array
}

const post = (message: unknown) => parentPort!.postMessage(message)

try {
  const highs = exact ? await Exact.load() : undefined
  const result = Clock.interruptible(stop, () =>
    Solve.solve(highs, instance, problem, { timeLimit, onProgress: (message) => post({ progress: message }) })
  )
  post(
    Either.match(result, {
      onLeft: (e) => ({ failed: { ...e, _tag: e._tag, reason: e.reason } }),
      onRight: (solved) => ({ solved, interrupted: Atomics.load(stop, 0) !== 0 })
    })
  )
} catch (e) {
  post({ failed: { _tag: "SolverError", reason: `the solver failed: ${e instanceof Error ? e.message : String(e)}` } })
}
