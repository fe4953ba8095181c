import { Effect } from "effect"

/**
 * How a command that runs until stopped (`seatplan serve`) ends: by Ctrl-C (SIGINT) or SIGTERM. The
 * runtime interrupts the command, which closes what it opened (the server, the store); when the command
 * said a signal is how it ends, that interruption is a clean exit (0), not an internal error (70).
 */
export const signal = { endsCleanly: false }

/** The first SIGINT or SIGTERM the process received, if any (`watch` records it). */
export const received: { signal?: "SIGINT" | "SIGTERM" } = {}

/**
 * Records the first SIGINT or SIGTERM, beside the runtime's handlers (which interrupt the command): a
 * command the signal stops before it finishes then exits 130 or 143 and says so (bin.ts), not 70 as if it
 * had failed. Called once, before the runtime installs its handlers.
 */
export const watch = (): void => {
  for (const s of ["SIGINT", "SIGTERM"] as const)
    process.on(s, () => {
      received.signal ??= s
    })
}

/** What a command stopped by a signal before it finished prints and exits with; undefined when no signal came. */
export const stoppedBySignal = (): { readonly code: 130 | 143; readonly message: string } | undefined =>
  received.signal === undefined
    ? undefined
    : {
        code: received.signal === "SIGINT" ? 130 : 143,
        message: `stopped by ${received.signal === "SIGINT" ? "Ctrl-C (SIGINT)" : "SIGTERM"} before it finished: a file it was writing may be incomplete; run the command again for all of its output`
      }

/**
 * Takes the runtime's own SIGINT and SIGTERM handlers off (they interrupt a command between its steps) and
 * returns what puts them back: for a command that handles the signals itself while it waits (`seatplan
 * optimize`'s search in a worker), or that must let their default action end it (`stoppableAtOnce`).
 */
export const detachRuntimeHandlers = (): (() => void) => {
  const listeners = (["SIGINT", "SIGTERM"] as const).map((s) => [s, process.listeners(s)] as const)
  for (const [s, ls] of listeners) for (const l of ls) process.off(s, l)
  return () => {
    for (const [s, ls] of listeners) for (const l of ls) process.on(s, l)
  }
}

/**
 * Runs `f`, a synchronous computation that can take minutes (`seatplan comply` on a large region), so that
 * Ctrl-C or SIGTERM stops the process at once. The runtime's own handlers interrupt a command only between
 * its steps, and a computation that holds the thread never lets them run: `comply` on 20,000 settlements
 * ran on for minutes after Ctrl-C and after `timeout`'s SIGTERM. While `f` runs, the handlers step aside,
 * so the signal's default action ends the process (exit status 130 for Ctrl-C, as a shell shows it); the
 * command has written nothing by then. They are put back when `f` returns or throws.
 */
export const stoppableAtOnce = <A>(f: () => A): A => {
  const restore = detachRuntimeHandlers()
  try {
    return f()
  } finally {
    restore()
  }
}

/**
 * `effect` with the runtime's handlers stepped aside while it runs, as `stoppableAtOnce` does for a
 * synchronous computation: for reading and validating a scenario, which writes nothing and holds the thread
 * between the few points where the runtime could interrupt it (a 100,000-settlement file's validation, 11-13 s,
 * ran on after Ctrl-C). Ctrl-C or SIGTERM then ends the process at once (exit status 130 or 143, as a shell
 * shows it); the handlers are put back however `effect` ends.
 */
export const atOnce = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(
    Effect.sync(detachRuntimeHandlers),
    () => effect,
    (restore) => Effect.sync(restore)
  )
