/**
 * The searches' clock, through which every deadline check of the heuristics, the bound and the exact
 * solver reads the time. A solve stops at its deadline, or at once when the planner asks (Ctrl-C):
 * `interruptible(flag, f)` runs `f` with a stop flag, an `Int32Array` over a `SharedArrayBuffer` that
 * another thread sets (a signal handler cannot run while a search holds its thread, so the command runs
 * the search in a worker and sets the flag from its main thread). While the flag is set, `now()` is
 * +Infinity: every deadline check passes, and each search keeps the best solution it has, exactly as at
 * its time limit.
 */

let flag: Int32Array | undefined

/** Runs `f` with `stop` as the stop flag (non-zero in its first element: stop); the flag before is restored after. */
export const interruptible = <A>(stop: Int32Array, f: () => A): A => {
  const before = flag
  flag = stop
  try {
    return f()
  } finally {
    flag = before
  }
}

/** True once the running solve's stop flag is set. */
export const interrupted = (): boolean => flag !== undefined && Atomics.load(flag, 0) !== 0

/** The time for deadline checks (ms since the epoch): +Infinity once the solve is interrupted. */
export const now = (): number => (interrupted() ? Number.POSITIVE_INFINITY : Date.now())
