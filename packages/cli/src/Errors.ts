/**
 * The one place where an error becomes what a person reads and the exit code a script sees. Every tagged
 * error that can reach the command is listed here with its category; the README's table of exit codes is
 * checked against `ExitCode` by a test. Anything else is a bug: "internal error", exit 70.
 */
import { ValidationError } from "@effect/cli"
import { EventStoreError } from "@seatplan/core"
import { Cause, Option } from "effect"

/** The exit codes of `seatplan` (documented in the README). */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** Invalid input: a scenario, a log, a store, an option's value or a file that cannot be read or written. */
  invalidInput: 1,
  /** Usage: an unknown command or option, a missing argument (the help says how). */
  usage: 2,
  /** Infeasible: a plan step the domain rules refuse, or an optimisation that cannot be satisfied. */
  infeasible: 3,
  /** The event store is busy (another process held it too long) or moved under a write (a conflict). */
  busyOrConflict: 4,
  /** Internal error: a bug in seatplan, never a problem with the input. */
  internal: 70,
  /** Stopped by Ctrl-C (SIGINT) before it finished: 128 + 2, as a shell shows a process the signal ended. */
  interrupted: 130,
  /** Stopped by SIGTERM (`timeout`, `kill`, a service manager) before it finished: 128 + 15. */
  terminated: 143,
  /** Its standard output was closed by the reader (`… | head`): 128 + 13 (SIGPIPE), silently, as Unix tools end. */
  brokenPipe: 141
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Every error tag that can reach the command, by category. */
export const categories: Readonly<Record<string, ExitCode>> = {
  // invalid input
  ScenarioError: ExitCode.invalidInput,
  WorkbookError: ExitCode.invalidInput,
  RunError: ExitCode.invalidInput,
  WriteError: ExitCode.invalidInput,
  StorageError: ExitCode.invalidInput,
  JsonlError: ExitCode.invalidInput,
  NonFiniteNumber: ExitCode.invalidInput,
  StreamNotFound: ExitCode.invalidInput,
  StreamAlreadyExists: ExitCode.invalidInput,
  CompileError: ExitCode.invalidInput,
  InvalidOptions: ExitCode.invalidInput,
  SitingError: ExitCode.invalidInput,
  InvalidCommand: ExitCode.invalidInput,
  BacktestError: ExitCode.invalidInput,
  WorkspaceError: ExitCode.invalidInput,
  SweepError: ExitCode.invalidInput,
  // infeasible: the domain rules refuse a step, or an optimisation has no solution
  Infeasible: ExitCode.infeasible,
  TargetUnreachable: ExitCode.infeasible,
  SolverError: ExitCode.infeasible,
  SchoolNotFound: ExitCode.infeasible,
  SchoolNotOpen: ExitCode.infeasible,
  SchoolAlreadyExists: ExitCode.infeasible,
  SchoolNotClosed: ExitCode.infeasible,
  SettlementNotFound: ExitCode.infeasible,
  ReceivingSchoolLacksSeats: ExitCode.infeasible,
  ReceivingSchoolMissing: ExitCode.infeasible,
  ReceivingSchoolLacksLevel: ExitCode.infeasible,
  LevelNotTaught: ExitCode.infeasible,
  InsufficientTeachers: ExitCode.infeasible,
  NegativeCapacity: ExitCode.infeasible,
  GroupNotFound: ExitCode.infeasible,
  GroupAlreadyExists: ExitCode.infeasible,
  SchoolInAnotherGroup: ExitCode.infeasible,
  NotAGroupMember: ExitCode.infeasible,
  EditRefused: ExitCode.infeasible,
  // the store: busy, or moved under a write
  StoreBusy: ExitCode.busyOrConflict,
  VersionConflict: ExitCode.busyOrConflict,
  DuplicateEventIds: ExitCode.busyOrConflict,
  CommandRefused: ExitCode.busyOrConflict,
  EditConflict: ExitCode.busyOrConflict
}

export interface Outcome {
  readonly code: ExitCode
  /** What to print on stderr after `seatplan: ` (none for usage errors: @effect/cli printed them). */
  readonly message: Option.Option<string>
}

const tagOf = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && "_tag" in e && typeof (e as { _tag: unknown })._tag === "string"
    ? (e as { _tag: string })._tag
    : undefined

const messageOf = (e: unknown): string =>
  typeof e === "object" && e !== null && "message" in e && typeof (e as { message: unknown }).message === "string"
    ? (e as { message: string }).message
    : String(e)

const internal = (what: unknown): Outcome => ({
  code: ExitCode.internal,
  message: Option.some(
    `internal error: ${messageOf(what)} (a bug in seatplan, not in your input; please report it with the command you ran)`
  )
})

/** Where the error's own message is not what a person at the command line should read. */
const wording = (e: unknown): string | undefined =>
  e instanceof EventStoreError.StoreBusy
    ? `the store ${e.file} is busy: another seatplan process held it for more than ${EventStoreError.seconds(e.timeoutMs)} s ` +
      `(${e.operation}); nothing was written, try again when it has finished`
    : undefined

/** The outcome of a failed command: its exit code and message, from the error's tag. */
export const outcome = (cause: Cause.Cause<unknown>): Outcome => {
  if (Cause.isInterruptedOnly(cause)) return { code: ExitCode.internal, message: Option.some("interrupted") }
  const failure = Cause.failureOption(cause)
  if (Option.isNone(failure)) return internal(Cause.squash(cause))
  const e = failure.value
  if (ValidationError.isValidationError(e)) return { code: ExitCode.usage, message: Option.none() }
  const tag = tagOf(e)
  const code = tag === undefined ? undefined : categories[tag]
  return code === undefined ? internal(e) : { code, message: Option.some(wording(e) ?? messageOf(e)) }
}
