/**
 * A command's progress through its phases on stderr, with the bar every command shows (cli-progress,
 * shades_classic): one line per phase (`read`, `validate`, `store`, `run`, `write` for `seatplan run`), which
 * stays on the terminal with its time when the phase ends, so a province's run shows where its minute
 * went. Only on a terminal and without `--quiet`: a program reading stderr sees no bars.
 */
import Progress from "cli-progress"

export interface Phases {
  /** Whether a bar is shown (false with --quiet or when stderr is not a terminal). */
  readonly live: boolean
  /**
   * Starts a phase (ending the one before): `total` of `unit` to do (a phase of one step has total 1).
   * Starting the phase in hand again only sets its total.
   */
  readonly start: (phase: string, total: number, unit: string) => void
  /** How much of the phase is done. */
  readonly update: (done: number) => void
  /** Ends the phase in hand (its line stays). */
  readonly stop: () => void
}

const none: Phases = { live: false, start: () => {}, update: () => {}, stop: () => {} }

/** The phases' bar on stderr, or one that shows nothing (`quiet`, or stderr is not a terminal). */
export const phases = (quiet: boolean, stream: NodeJS.WriteStream = process.stderr): Phases => {
  if (quiet || stream.isTTY !== true) return none
  let bar: Progress.SingleBar | undefined
  let current = ""
  const stop = () => {
    bar?.stop()
    bar = undefined
    current = ""
  }
  return {
    live: true,
    start: (phase, total, unit) => {
      if (bar !== undefined && phase === current) {
        bar.setTotal(Math.max(1, total))
        return
      }
      stop()
      current = phase
      bar = new Progress.SingleBar(
        {
          stream,
          format: `${phase.padEnd(8)} {bar} {value}/{total} ${unit}  {duration_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
          // a phase's last update is drawn even when it comes sooner than the bar's redraw interval
          forceRedraw: true
        },
        Progress.Presets.shades_classic
      )
      bar.start(Math.max(1, total), 0)
    },
    update: (done) => bar?.update(done),
    stop
  }
}
