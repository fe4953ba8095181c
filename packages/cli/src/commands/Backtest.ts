import { Args, Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import { School } from "@seatplan/core"
import { Backtest } from "@seatplan/sim"
import { Console, Effect, Option } from "effect"
import * as path from "node:path"
import * as BacktestReport from "../BacktestReport.js"
import * as Output from "../Output.js"
import { Futures, Project, Scenario, ScenarioLoader } from "@seatplan/plan"
import { checked, described, unique } from "../Options.js"
import { defaultLang } from "../Report.js"
import * as Stopping from "../Stopping.js"

const scenario = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("a scenario file (YAML or JSON) with recorded enrolment"))
/** Years as text, checked here: `Options.integer` repeated rejects a single occurrence in @effect/cli 0.77. */
const origin = Options.text("origin").pipe(
  Options.withDescription("an origin year to project from (repeat for several; default every year that can be scored)"),
  Options.repeated,
  Options.mapEffect((texts) => {
    const bad = texts.find((t) => !/^\d{4}$/.test(t))
    return bad === undefined
      ? Effect.succeed(unique(texts.map(Number)))
      : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--origin: expected a year such as 2020, found ${JSON.stringify(bad)}`)))
  })
)
const horizon = Options.integer("horizon").pipe(
  Options.withDescription("years projected from each origin and scored"),
  checked("horizon", "a whole number of years from 1 to 30", (n) => n >= 1 && n <= 30),
  Options.withDefault(5)
)
const level = Options.choice("level", School.levels).pipe(
  Options.withDescription("a level to score (repeat; default all)"),
  Options.repeated,
  Options.map(unique)
)
const method = Options.text("method").pipe(
  Options.withDescription(
    "a method: cohort-component, gp-mean, gp-geometric-mean, gp-median, gp-last, gp-recency-weighted[-DECAY], each gp-… with an optional -lastN window (repeat; default all)"
  ),
  Options.repeated,
  Options.map(unique)
)
const window = Options.integer("window").pipe(
  Options.withDescription("the window N of the default gp-mean-lastN method"),
  Options.withDefault(3)
)
const replicates = Options.integer("replicates").pipe(
  Options.withDescription("Monte Carlo replicates per origin and method, to score Monte Carlo bands (default 0: none)"),
  Options.withDefault(0)
)
const seed = Options.integer("seed").pipe(Options.withDescription("seed of the Monte Carlo replicates"), Options.withDefault(1))
const futuresOnly = Options.boolean("futures-only").pipe(
  Options.withDescription(
    "with --replicates and the scenario's uncertainty: replicates draw futures without noise, the band `seatplan sweep` gives (the calibration for sweep --calibration)"
  )
)
const out = Options.text("out").pipe(
  Options.withDescription("output folder (default out/<the scenario's folder name>-backtest)"),
  Options.optional
)
const format = Options.choice("format", ["table", "json", "csv"]).pipe(
  Options.withDescription("how to print the metrics"),
  Options.withDefault("table" as const)
)
const lang = Options.choice("lang", ["zh", "en"]).pipe(
  Options.withDescription("backtest.html's language (default Chinese for a scenario named in Chinese)"),
  Options.optional
)

/**
 * `seatplan backtest SCENARIO`: replays the recorded history up to each origin year, projects with every
 * method, scores the forecasts against the enrolment recorded afterwards, prints the metrics and writes
 * `backtest-errors`, `backtest-summary` and `backtest-bands` (CSV and JSON), `backtest.html`, and
 * `projection-bands`: the scenario's own projection from its base year with the empirical bands of its method.
 */
export const backtest = Command.make(
  "backtest",
  { scenario, origin, horizon, level, method, window, replicates, seed, futuresOnly, out, format, lang },
  (o) =>
    Effect.gen(function* () {
      const loaded = yield* Stopping.atOnce(ScenarioLoader.loadBaseline(o.scenario)) // the history only: no variant is projected
      const fail = (reason: string) => new Project.RunError({ reason: `${loaded.file}: ${reason}` })
      const methods: Array<Backtest.Method> = []
      for (const name of o.method) {
        const m = Backtest.parseMethod(name)
        if (m === undefined) {
          return yield* fail(
            `--method: expected cohort-component or gp-SUMMARY[-DECAY][-lastN] (SUMMARY: ${["mean", "geometric-mean", "median", "last", "recency-weighted"].join(", ")}), found ${JSON.stringify(name)}`
          )
        }
        methods.push(m)
      }
      if (o.window < 1) return yield* fail(`--window: expected a positive number of years, found ${o.window}`)
      const s = loaded.scenario
      const { assumptions, rule } = Scenario.compileOptions(s) as Required<ReturnType<typeof Scenario.compileOptions>>
      const space = { uncertainty: s.uncertainty ?? {}, named: [] }
      const futures =
        o.replicates > 0 && Object.keys(space.uncertainty).length > 0 ? Futures.latinHypercube(space, o.replicates, o.seed) : []
      if (o.futuresOnly && futures.length === 0) {
        return yield* fail("--futures-only: expected --replicates N and a scenario with uncertainty: (the futures to draw)")
      }
      const base: Backtest.Calibrated.Base = futures.length === 0 ? "noise" : o.futuresOnly ? "futures" : "futures and noise"
      if (Option.isSome(o.out)) yield* Output.writableDir(o.out.value)
      const result = Backtest.run(
        loaded.baseline.events.map((e) => e.event),
        {
          horizon: o.horizon,
          methods: methods.length > 0 ? methods : Backtest.defaultMethods(o.window),
          assumptions,
          rule,
          replicates: o.replicates,
          seed: o.seed,
          noise: !o.futuresOnly,
          // with the scenario's uncertainty, each replicate also draws a future (a Latin hypercube of N from the seed)
          ...(futures.length > 0
            ? {
                replicateAssumptions: (i: number, baseYear: number, years: number, central: typeof assumptions) =>
                  Futures.assumptionsOf(central, futures[i], { baseYear, horizon: years })
              }
            : {}),
          ...(o.origin.length > 0 ? { origins: o.origin } : {}),
          ...(o.level.length > 0 ? { levels: o.level } : {})
        }
      )
      if (result._tag === "Left") return yield* fail(result.left.message)
      const r = result.right
      const dir = Option.getOrElse(o.out, () => Output.defaultDir(o.scenario, "-backtest"))
      if (Option.isNone(o.out)) yield* Output.claim(dir, o.scenario)
      // calibrated bands (issue 17): the replicates' band widened or narrowed by the other origins' past misses (Calibrated)
      const calibrated = o.replicates > 0 ? Backtest.Calibrated.calibrate(r.errors, r.coverage) : []
      const tables = {
        "backtest-errors": r.errors,
        "backtest-summary": r.summary,
        "backtest-bands": Backtest.empiricalBands(r),
        ...(calibrated.length > 0
          ? { "backtest-calibrated": calibrated, "backtest-calibrated-summary": Backtest.Calibrated.summary(calibrated) }
          : {})
      }
      for (const [name, rows] of Object.entries(tables)) {
        yield* Output.write(path.join(dir, `${name}.csv`), Output.csv(rows))
        yield* Output.write(path.join(dir, `${name}.json`), JSON.stringify(rows))
      }
      // what run --replicates --calibration and sweep --calibration widen their bands by (every origin's scores)
      if (calibrated.length > 0) {
        const calibration = Backtest.Calibrated.calibration(r.errors, r.coverage, base, o.replicates)
        yield* Output.write(path.join(dir, "backtest-calibration.json"), JSON.stringify(calibration, null, 1))
      }
      const language = Option.getOrElse(o.lang, () => defaultLang(s.name))
      const page = yield* Effect.promise(() => BacktestReport.render(s.name, s.synthetic === true, r, language))
      yield* Output.write(path.join(dir, "backtest.html"), page)
      const own: Backtest.Method = { kind: s.method ?? "cohort-component" }
      const projection = r.methods.includes(Backtest.methodName(own))
        ? yield* Effect.try({
            try: () =>
              Backtest.banded(
                loaded.baseline.events.map((e) => e.event),
                Backtest.empiricalBands(r),
                {
                  method: own,
                  horizon: r.horizon,
                  baseYear: s.baseYear,
                  assumptions,
                  rule,
                  ...(o.level.length > 0 ? { levels: o.level } : {})
                }
              ),
            catch: (e) => fail(e instanceof Error ? e.message : String(e))
          })
        : []
      if (projection.length > 0) {
        yield* Output.write(path.join(dir, "projection-bands.csv"), Output.csv(projection))
        yield* Output.write(path.join(dir, "projection-bands.json"), JSON.stringify(projection))
      }
      if (o.format === "json") {
        yield* Console.log(
          JSON.stringify({
            origins: r.origins,
            horizon: r.horizon,
            methods: r.methods,
            best: r.best,
            summary: r.summary,
            warnings: r.warnings
          })
        )
      } else if (o.format === "csv") {
        yield* Console.log(Output.csv(r.summary).trimEnd())
      } else {
        yield* Console.log(`== ${s.name}: backtest from ${r.origins.join(", ")}, 1-${r.horizon} years ahead\n`)
        yield* Console.log(BacktestReport.table(r))
        yield* Console.log("\nbest method (lowest MAPE over all horizons):")
        yield* Console.log(
          Output.table([["level", "scope", "method", "MAPE %"], ...r.best.map((b) => [b.level, b.scope, b.method, b.mape.toFixed(2)])], 3)
        )
        if (calibrated.length > 0) {
          yield* Console.log(
            `\ncalibrated ${Math.round(r.coverage * 100)} % bands (${base} of ${o.replicates} replicates, widened by past misses): share of actuals inside`
          )
          yield* Console.log(
            Output.table(
              [
                ["method", "level", "scope", "n", "covered"],
                ...Backtest.Calibrated.summary(calibrated).map((c) => [
                  c.method,
                  c.level,
                  c.scope,
                  String(c.n),
                  c.coverage === undefined ? "" : `${(c.coverage * 100).toFixed(1)} %`
                ])
              ],
              3
            )
          )
        }
        const county = projection.filter((p) => p.scope === "county")
        if (county.length > 0) {
          yield* Console.log(
            `\nprojection from ${s.baseYear} (${county[0].method}) with ${Math.round(r.coverage * 100)} % empirical bands, county:`
          )
          yield* Console.log(
            Output.table(
              [
                ["level", "year", "pupils", "low", "high"],
                ...county.map((p) => [
                  p.level,
                  String(p.year),
                  p.pupils.toFixed(0),
                  p.lower === undefined ? "" : p.lower.toFixed(0),
                  p.upper === undefined ? "" : p.upper.toFixed(0)
                ])
              ],
              1
            )
          )
        }
      }
      for (const w of r.warnings) yield* Console.error(`warning: ${w}`)
      yield* Console.error(
        `wrote backtest-errors, backtest-summary, backtest-bands${calibrated.length > 0 ? ", backtest-calibrated, backtest-calibrated-summary" : ""}${projection.length > 0 ? ", projection-bands" : ""} (.csv/.json) and backtest.html${calibrated.length > 0 ? ", backtest-calibration.json" : ""} to ${dir}`
      )
    })
).pipe(
  Command.withDescription(
    described("Backtest the projection methods on the scenario's recorded history: errors by level, horizon and scope", [
      "seatplan backtest scenarios/backtest/scenario.yaml",
      "seatplan backtest scenarios/backtest/scenario.yaml --origin 2019 --horizon 5 --level primary --format csv",
      "seatplan backtest scenarios/backtest/scenario.yaml --lang zh",
      "seatplan backtest scenarios/backtest/scenario.yaml --replicates 10 --futures-only"
    ])
  )
)
