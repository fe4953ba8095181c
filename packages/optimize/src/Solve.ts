/**
 * One solve as `seatplan optimize` runs it: the heuristic alone, or HiGHS warm-started with the
 * heuristic's solution. Synchronous and pure over its inputs (HiGHS is loaded by the caller), so that it
 * runs in a worker thread which the command can stop (`Clock.interruptible`).
 */
import { Either } from "effect"
import type { Highs } from "highs"
import * as Exact from "./Exact.js"
import * as Heuristic from "./Heuristic.js"
import { type Infeasible, type Instance, type Problem, type Solution, SolverError } from "./Problem.js"

export interface Solved {
  readonly method: "heuristic" | "exact"
  /** `done`/`optimal`, `time-limit`, or the exact solver's status (`too-large`, `aborted`, …). */
  readonly status: string
  readonly solution: Solution
  readonly bound: number | undefined
  readonly gap: number | undefined
  readonly seconds: number
}

export interface Options {
  readonly timeLimit: number
  readonly onProgress?: (message: string) => void
}

/**
 * Solves with the heuristic when `highs` is undefined, else exactly: the heuristic's solution (a quarter
 * of the time, at most 10 s) is HiGHS's warm start; its `Infeasible` stops the solve, its `SolverError`
 * (no feasible choice found) does not.
 */
export const solve = (
  highs: Highs | undefined,
  inst: Instance,
  problem: Problem,
  options: Options
): Either.Either<Solved, Infeasible | SolverError> => {
  const progress = options.onProgress === undefined ? {} : { onProgress: options.onProgress }
  if (highs === undefined) {
    return Either.map(Heuristic.solve(inst, problem, { timeLimit: options.timeLimit, ...progress }), (r) => ({
      method: "heuristic",
      status: r.stopped ? "time-limit" : "done",
      solution: r.solution,
      bound: r.bound,
      gap: r.gap,
      seconds: r.seconds
    }))
  }
  options.onProgress?.("a first solution (heuristic)…")
  const first = Heuristic.solve(inst, problem, { timeLimit: Math.min(10, options.timeLimit / 4) })
  if (Either.isLeft(first) && first.left._tag === "Infeasible") return Either.left(first.left)
  const start = Either.isRight(first) ? first.right.solution : undefined
  options.onProgress?.("solving the MILP…")
  return Either.flatMap(
    Exact.solve(highs, inst, problem, { timeLimit: options.timeLimit, ...progress, ...(start === undefined ? {} : { start }) }),
    (r): Either.Either<Solved, SolverError> =>
      r.solution === undefined
        ? Either.left(
            new SolverError({
              reason: `the exact solver stopped (${r.status}) after ${r.seconds.toFixed(1)} s without a solution; raise --time-limit or use --heuristic`
            })
          )
        : Either.right({ method: "exact", status: r.status, solution: r.solution, bound: r.bound, gap: r.gap, seconds: r.seconds })
  )
}
