/**
 * The `seatplan` command: the root and its subcommands, and one place that turns every error into a
 * message and an exit code (0 success, 1 invalid input, 2 usage).
 */
import { Command, ValidationError } from "@effect/cli"
import { EventStoreError } from "@seatplan/core"
import { Cause, Console, Effect, Exit, Option } from "effect"
import { backtest } from "./commands/Backtest.js"
import { compare } from "./commands/Compare.js"
import { events } from "./commands/Events.js"
import { explain } from "./commands/Explain.js"
import { generate } from "./commands/Generate.js"
import { init } from "./commands/Init.js"
import { optimize } from "./commands/Optimize.js"
import { run } from "./commands/Run.js"
import { schema } from "./commands/Schema.js"
import { standards } from "./commands/Standards.js"
import { validate } from "./commands/Validate.js"

export const root = Command.make("seatplan").pipe(
  Command.withDescription("School placement planning (中小学布局规划): validate, run and compare scenarios"),
  Command.withSubcommands([run, compare, optimize, backtest, explain, validate, standards, events, init, generate, schema])
)

export const cli = Command.run(root, { name: "seatplan", version: "0.1.0" })

/** Exit code for a failed run: 2 for usage errors (already printed by @effect/cli), 1 for invalid input. */
export const exitCode = (cause: Cause.Cause<unknown>): number => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure) && ValidationError.isValidationError(failure.value)) return 2
  return 1
}

/** The message to print for a failure: the error's own message, never a stack trace. */
export const describe = (cause: Cause.Cause<unknown>): Option.Option<string> => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const e = failure.value
    if (ValidationError.isValidationError(e)) return Option.none()
    // Issue 12 will give a busy store an exit code of its own (4); until then it exits 1.
    if (e instanceof EventStoreError.StoreBusy) {
      return Option.some(
        `the store ${e.file} is busy: another seatplan process held it for more than ${EventStoreError.seconds(e.timeoutMs)} s ` +
          `(${e.operation}); nothing was written, try again when it has finished`
      )
    }
    return Option.some(e instanceof Error || (typeof e === "object" && e !== null && "message" in e) ? String((e as { message: unknown }).message) : String(e))
  }
  const defect = Cause.squash(cause)
  return Option.some(`internal error: ${defect instanceof Error ? defect.message : String(defect)}`)
}

/**
 * `optimize --p N`: @effect/cli spells one-letter options `-p`; planners write `--p` as in the literature
 * (p-median), so both are accepted.
 */
const spellings = (argv: ReadonlyArray<string>): ReadonlyArray<string> =>
  argv.includes("optimize") ? argv.map((a) => (a === "--p" ? "-p" : a.startsWith("--p=") ? `-p=${a.slice(4)}` : a)) : argv

/** Runs the CLI on argv and settles the exit code. */
export const main = (argv: ReadonlyArray<string>) =>
  Effect.exit(cli(spellings(argv))).pipe(
    Effect.flatMap((exit) =>
      Exit.isSuccess(exit)
        ? Effect.succeed(0)
        : Effect.as(
          Option.match(describe(exit.cause), { onNone: () => Effect.void, onSome: (m) => Console.error(`seatplan: ${m}`) }),
          exitCode(exit.cause)
        )
    )
  )
