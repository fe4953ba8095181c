/** Arguments and options more than one command takes, defined once so that they read the same everywhere. */
import { Args, HelpDoc, Options, ValidationError } from "@effect/cli"
import { Scenario } from "@seatplan/plan"
import { Effect, type Option } from "effect"

/**
 * A number option refused, as a usage error naming what it expected, when `ok` is false: `--port 99999`
 * was an internal error, `--replicates -3`, `--radius -1` and `--hire-quota -5` were taken as given.
 * Put it before `Options.withDefault` or `Options.optional`.
 */
export const checked =
  (name: string, expected: string, ok: (n: number) => boolean) =>
  <A extends number>(self: Options.Options<A>): Options.Options<A> =>
    Options.mapEffect(self, (n) =>
      ok(n) ? Effect.succeed(n) : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--${name}: expected ${expected}, found ${n}`)))
    )

/**
 * The name of a variant a command writes (`--name`), checked as the scenario file checks it (letters,
 * digits, `. _ -`, at most 195 characters): an empty or spaced name was written, then refused as a bug.
 */
export const variantName = (description: string): Options.Options<Option.Option<string>> =>
  Options.text("name").pipe(
    Options.withDescription(description),
    Options.mapEffect(
      (n): Effect.Effect<string, ValidationError.ValidationError> =>
        /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(n) && n.length <= Scenario.variantNameMaxLength
          ? Effect.succeed(n)
          : Effect.fail(
              ValidationError.invalidValue(
                HelpDoc.p(
                  `--name: expected a variant name of letters, digits, . _ - (at most ${Scenario.variantNameMaxLength} characters), found ${JSON.stringify(n)}`
                )
              )
            )
    ),
    Options.optional
  )

/** The scenario file a command works on. */
export const scenario = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("a scenario file (YAML or JSON)"))

/**
 * The plan variants to work on besides the baseline: `--variant a --variant b` or `--variant a,b`
 * (`--variants`, the spelling `compare` had, is read as `--variant`); none means all of the scenario's variants.
 */
export const variant = Options.text("variant").pipe(
  Options.withDescription(
    "a plan variant to include besides the baseline, by name; repeat it or separate names with commas (default: all)"
  ),
  Options.repeated,
  // each variant once: `--variant layout --variant layout` ran, counted and wrote it twice
  Options.map((values) => unique(values.flatMap((v) => v.split(",")).map((x) => x.trim())).filter((x) => x !== ""))
)

/** The values of a repeated option, each once, in the order first given (a repeat counted twice in a backtest's figures). */
export const unique = <A>(values: ReadonlyArray<A>): Array<A> => [...new Set(values)]

/** A command's description followed by examples a person can copy (shown by `--help`). */
export const described = (text: string, examples: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([HelpDoc.p(text), HelpDoc.h2("EXAMPLES"), ...examples.map((e) => HelpDoc.p(`  ${e}`))])

/** `--years A..B`: a range of school years (run: the years to report, B sets the horizon; compare: the years to compare). */
export const years = Options.text("years").pipe(
  Options.withDescription(
    "the school years A..B (run: the years to report, B sets the horizon; compare: each figure's peak year in the range)"
  ),
  Options.mapEffect((text) => {
    const m = /^(\d{4})\.\.(\d{4})$/.exec(text)
    return m !== null && Number(m[1]) <= Number(m[2])
      ? Effect.succeed([Number(m[1]), Number(m[2])] as const)
      : Effect.fail(
          ValidationError.invalidValue(
            HelpDoc.p(`--years: expected two years A..B with A ≤ B, e.g. 2025..2035, found ${JSON.stringify(text)}`)
          )
        )
  }),
  Options.optional
)

/**
 * `--store`: where a command keeps the event log: a SQLite file, or a PostgreSQL database
 * `postgres://user:password@host:port/database[?schema=name]` that several planners and workers share.
 */
export const store = Options.text("store").pipe(
  Options.withDescription(
    "the event store: a SQLite file, or postgres://user:password@host:port/database[?schema=name] (one PostgreSQL shared by planners and workers; ?schema= keeps a county's store apart)"
  ),
  Options.optional
)
