/**
 * The `seatplan` command: the root and its subcommands, and one place that turns every error into a
 * message and an exit code (Errors.ts).
 */
import { Command } from "@effect/cli"
import { Console, Effect, Exit, Option } from "effect"
import { backtest } from "./commands/Backtest.js"
import { compare } from "./commands/Compare.js"
import { comply } from "./commands/Comply.js"
import { events } from "./commands/Events.js"
import { explain } from "./commands/Explain.js"
import { generate } from "./commands/Generate.js"
import { init } from "./commands/Init.js"
import { optimize } from "./commands/Optimize.js"
import { report } from "./commands/Report.js"
import { run } from "./commands/Run.js"
import { schema } from "./commands/Schema.js"
import { serve } from "./commands/Serve.js"
import { standards } from "./commands/Standards.js"
import { sweep } from "./commands/Sweep.js"
import { validate } from "./commands/Validate.js"
import { exportWorkbook, importWorkbook } from "./commands/Workbook.js"
import { worker } from "./commands/Worker.js"
import * as Errors from "./Errors.js"

export const root = Command.make("seatplan").pipe(
  Command.withDescription("School placement planning (中小学布局规划): validate, run and compare scenarios"),
  Command.withSubcommands([
    run,
    report,
    compare,
    optimize,
    comply,
    backtest,
    sweep,
    explain,
    validate,
    standards,
    events,
    init,
    generate,
    schema,
    serve,
    importWorkbook,
    exportWorkbook,
    worker
  ])
)

export const cli = Command.run(root, { name: "seatplan", version: "0.1.0" })

/**
 * `optimize --p N`: @effect/cli spells one-letter options `-p`; planners write `--p` as in the literature
 * (p-median), so both are accepted. `compare --variants a,b` (its earlier spelling) is `--variant a,b`.
 */
/** The command words of argv (`events list` in `node bin events list --db x`). */
const commandWords = (argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const words: Array<string> = []
  for (const a of argv.slice(2)) {
    if (a.startsWith("-")) break
    words.push(a)
  }
  return words
}

const spellings = (argv: ReadonlyArray<string>): ReadonlyArray<string> =>
  argv
    .map((a) => (a === "--variants" ? "--variant" : a.startsWith("--variants=") ? `--variant=${a.slice(11)}` : a))
    .map((a) => (argv.includes("optimize") ? (a === "--p" ? "-p" : a.startsWith("--p=") ? `-p=${a.slice(4)}` : a) : a))

// biome-ignore lint/suspicious/noControlCharactersInRegex: matches the ESC of ANSI colour codes, on purpose
const ansi = /\x1b\[[0-9;]*m/g
/** @effect/cli's words for an option's type, which say nothing the option's own description does not. */
const boilerplate = new Set(["A user-defined piece of text.", "An integer.", "A true or false value.", "A floating point number."])

/**
 * Help as a person reads it: no colour codes when the output is not a terminal, no type boilerplate, the
 * usage line as it is typed (`$ seatplan events list …`), repeatable options shown as optional
 * (`[--variant text]...`).
 */
export const tidy = (text: string, command: ReadonlyArray<string>, terminal: boolean): string => {
  const plain = terminal ? text : text.replace(ansi, "")
  if (!plain.replace(ansi, "").includes("USAGE")) return plain
  const lines = plain.split("\n")
  const out: Array<string> = []
  for (let i = 0; i < lines.length; i++) {
    const bare = lines[i].replace(ansi, "").trim()
    if (boilerplate.has(bare)) {
      if (lines[i + 1]?.replace(ansi, "").trim() === "") i++
      continue
    }
    if (bare.startsWith("$ ")) {
      let usage = lines[i].replace(/(--[\w-]+(?: [\w|. ]+?)?)\.\.\.(?= |$)/g, "[$1]...")
      const last = command[command.length - 1]
      if (last !== undefined && bare.startsWith(`$ ${last}`) && !bare.startsWith("$ seatplan")) {
        usage = usage.replace(`$ ${last}`, `$ seatplan ${command.join(" ")}`)
      }
      out.push(usage)
      continue
    }
    out.push(lines[i])
  }
  return out.join("\n")
}

/** The console the commands print through, with `tidy` applied to what they log. */
const tidyConsole = (command: ReadonlyArray<string>) =>
  Effect.map(
    Effect.console,
    (c): Console.Console => ({
      ...c,
      log: (...args) => c.log(...args.map((a) => (typeof a === "string" ? tidy(a, command, process.stdout.isTTY === true) : a))),
      error: (...args) => c.error(...args.map((a) => (typeof a === "string" && process.stderr.isTTY !== true ? a.replace(ansi, "") : a)))
    })
  )

/** Runs the CLI on argv; succeeds with the exit code, having printed the error's message (Errors.ts). */
/** Options that name a file, folder or store: given empty (`--out ""`), commands wrote into the working folder or beside it. */
const pathOptions = ["--out", "--db", "--store", "--sites", "--bands", "--calibration", "--tiles"]

/** The first path option given an empty value, if any. */
export const emptyPath = (argv: ReadonlyArray<string>): string | undefined => {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (pathOptions.includes(a) && argv[i + 1] !== undefined && argv[i + 1].trim() === "") return a
    const eq = a.indexOf("=")
    if (eq > 0 && pathOptions.includes(a.slice(0, eq)) && a.slice(eq + 1).trim() === "") return a.slice(0, eq)
  }
  return undefined
}

/**
 * The options a command takes more than once (`Options.repeated`); `--variants` is `--variant`'s old spelling.
 * Kept by hand: `cli.test.ts` checks it against the options the commands' usage shows repeating.
 */
export const repeatable = ["--variant", "--variants", "--keep", "--origin", "--level", "--method"]

/**
 * The first option other than `repeatable` given twice, with its two values, if any: @effect/cli took the
 * first and answered the second with "Received unknown argument".
 */
export const givenTwice = (
  argv: ReadonlyArray<string>
): { readonly option: string; readonly values: ReadonlyArray<string> } | undefined => {
  const seen = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === "--") break
    if (!a.startsWith("--") || a.length < 3) continue
    const eq = a.indexOf("=")
    const option = eq > 0 ? a.slice(0, eq) : a
    if (repeatable.includes(option)) continue
    const next = argv[i + 1]
    const value = eq > 0 ? a.slice(eq + 1) : next !== undefined && !next.startsWith("--") ? next : ""
    const before = seen.get(option)
    if (before !== undefined) return { option, values: [before, value] }
    seen.set(option, value)
  }
  return undefined
}

export const main = (argv: ReadonlyArray<string>) => {
  const empty = emptyPath(argv)
  if (empty !== undefined)
    return Effect.as(Console.error(`seatplan: ${empty}: expected a file, folder or store, found an empty text`), Errors.ExitCode.usage)
  const twice = givenTwice(argv)
  if (twice !== undefined) {
    const shown = twice.values.filter((v) => v !== "").map((v) => JSON.stringify(v))
    return Effect.as(
      Console.error(
        `seatplan: ${twice.option}: expected it once, found it twice${shown.length === 2 ? ` (${shown.join(" and ")})` : ""}; only ${repeatable.filter((o) => o !== "--variants").join(", ")} repeat`
      ),
      Errors.ExitCode.usage
    )
  }
  return parsedAndRun(argv)
}

const parsedAndRun = (argv: ReadonlyArray<string>) =>
  Effect.exit(Effect.flatMap(tidyConsole(commandWords(argv)), (console) => Effect.withConsole(cli(spellings(argv)), console))).pipe(
    Effect.flatMap((exit) => {
      if (Exit.isSuccess(exit)) return Effect.succeed<number>(Errors.ExitCode.ok)
      const { code, message } = Errors.outcome(exit.cause)
      return Effect.as(Option.match(message, { onNone: () => Effect.void, onSome: (m) => Console.error(`seatplan: ${m}`) }), code)
    })
  )
