/**
 * How a command that runs until stopped (`seatplan serve`) ends: by Ctrl-C (SIGINT) or SIGTERM. The
 * runtime interrupts the command, which closes what it opened (the server, the store); when the command
 * said a signal is how it ends, that interruption is a clean exit (0), not an internal error (70).
 */
export const signal = { endsCleanly: false }
