/**
 * How a command that runs until stopped (`seatplan serve`) ends: by Ctrl-C (SIGINT) or SIGTERM. The
 * runtime interrupts the command, which closes what it opened (the server, the store); when the command
 * said a signal is how it ends, that interruption is a clean exit (0), not an internal error (70).
 */
export const signal = { endsCleanly: false }

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
