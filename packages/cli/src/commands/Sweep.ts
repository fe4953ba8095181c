import { Command, Options } from "@effect/cli"
import { EventStore } from "@seatplan/core"
import { Calibration, type Futures, Project, Robustness, ScenarioLoader, Sweep } from "@seatplan/plan"
import { Backtest } from "@seatplan/sim"
import Progress from "cli-progress"
import { Console, Effect, Option } from "effect"
import * as os from "node:os"
import * as path from "node:path"
import { checked, described, scenario, variant } from "../Options.js"
import * as Output from "../Output.js"
import * as Report from "../Report.js"
import * as SweepReport from "../SweepReport.js"
import * as Tabular from "../Tabular.js"
import * as Stopping from "../Stopping.js"

const futures = Options.integer("futures").pipe(
  Options.withDescription("how many futures to draw (lhs, grid); the named design runs the central future and the scenario's named ones"),
  checked("futures", "1 to 100,000 futures", (n) => n >= 1 && n <= 100_000),
  Options.withDefault(100)
)
const seed = Options.integer("seed").pipe(
  Options.withDescription("the seed of the design (same seed, same futures, same bits)"),
  Options.withDefault(1)
)
const design = Options.choice("design", ["lhs", "grid", "named"]).pipe(
  Options.withDescription("lhs: a Latin hypercube over the ranges; grid: a grid over them; named: the scenario's named futures"),
  Options.withDefault("lhs" as const)
)
const workers = Options.integer("workers").pipe(
  Options.withDescription(
    "worker threads (default the machine's cores; 0 runs in this thread); the results are the same bits whatever the number"
  ),
  Options.optional
)
const out = Options.text("out").pipe(
  Options.withDescription("output folder (default out/<the scenario's folder name>-sweep)"),
  Options.optional
)
const lang = Options.choice("lang", ["zh", "en"]).pipe(
  Options.withDescription("the language of sweep.html and the verdicts printed (default Chinese for a scenario named in Chinese)"),
  Options.optional
)
const target = Options.float("target").pipe(
  Options.withDescription("the share of futures a standard must hold in for the verdict's year (default 0.9)"),
  Options.withDefault(0.9)
)
const calibration = Options.file("calibration").pipe(
  Options.withDescription(
    "a backtest-calibration.json from seatplan backtest --replicates N --futures-only: calibrated-bands.csv/json give pupils' 90 % band over the futures (county and each school) widened by the backtest's past misses"
  ),
  Options.optional
)
const quiet = Options.boolean("quiet").pipe(Options.withDescription("no progress bar on stderr"))

/**
 * `seatplan sweep SCENARIO --futures N [--seed S] [--design lhs|grid|named] [--workers K]`: N futures drawn
 * from the scenario's `uncertainty` (or its named `futures`) × every plan variant, each projected over the
 * horizon; writes the decision figures per future × variant × year × level (`sweep`), their spread
 * (`sweep-bands`), the share of futures each standard holds in (`robustness`), the regret against the best
 * variant of each future (`regret`), the verdicts and failing-futures boxes (`verdicts.json`) and `sweep.html`.
 */
export const sweep = Command.make(
  "sweep",
  { scenario, variant, futures, seed, design, workers, out, lang, target, calibration, quiet },
  (o) =>
    Effect.gen(function* () {
      // only the variants swept are expanded (a comply-by variant not asked for plans for seconds otherwise)
      const loaded = yield* Stopping.atOnce(ScenarioLoader.load(o.scenario, o.variant.length > 0 ? { variants: o.variant } : {}))
      if (!(o.target > 0 && o.target <= 1))
        return yield* new Project.RunError({ reason: `--target: expected a share above 0 and at most 1, found ${o.target}` })
      const space = loaded.scenario.uncertainty ?? {}
      if (o.design !== "named" && Object.keys(space).length === 0) {
        return yield* new Project.RunError({
          reason: `${o.scenario}: the scenario has no uncertainty: add ranges under uncertainty: (scenarios/README.md), or use --design named with futures:`
        })
      }
      const count = Option.getOrElse(o.workers, () => os.availableParallelism())
      if (count < 0 || count > 64) return yield* new Project.RunError({ reason: `--workers: expected 0 to 64, found ${count}` })
      const language = Option.getOrElse(o.lang, () => Report.defaultLang(loaded.scenario.name))
      const dir = Option.getOrElse(o.out, () => Output.defaultDir(o.scenario, "-sweep"))
      if (Option.isSome(o.out)) yield* Output.writableDir(dir)
      const draw = Sweep.drawOf(loaded, o.design, o.futures, o.seed)
      const calibrated = Option.isSome(o.calibration) ? yield* Calibration.read(o.calibration.value, "--calibration", "futures") : undefined
      const models = yield* Effect.gen(function* () {
        yield* Project.store(loaded)
        return yield* Sweep.compileVariants(loaded, o.variant)
      }).pipe(Effect.provide(EventStore.layerMemory))
      const bar =
        !o.quiet && process.stderr.isTTY === true
          ? new Progress.SingleBar(
              {
                stream: process.stderr,
                format: "{bar} {value}/{total} futures × variants {eta_formatted}",
                hideCursor: true,
                clearOnComplete: true
              },
              Progress.Presets.shades_classic
            )
          : undefined
      const started = performance.now()
      const cpu = process.cpuUsage()
      const result = yield* Sweep.run({
        models,
        draw,
        workers: count,
        onProgress: (done, total) => {
          if (bar === undefined) return
          if (done === 1) bar.start(total, 0)
          bar.update(done)
        }
      })
      bar?.stop()
      const seconds = (performance.now() - started) / 1000
      // the process's CPU time, its worker threads' included (a shared machine's wall time says little)
      const spent = process.cpuUsage(cpu)
      const cpuSeconds = (spent.user + spent.system) / 1e6
      const analysis = analyse(result, o.design, Object.keys(space).sort(), o.target)
      Output.ensureDir(dir)
      if (Option.isNone(o.out)) yield* Output.claim(dir, o.scenario)
      const written: Array<string> = []
      const tables: ReadonlyArray<readonly [string, ReadonlyArray<object>, "sweep" | "sweep_bands" | "robustness" | "regret"]> = [
        ["sweep", result.rows, "sweep"],
        ["sweep-bands", analysis.bands, "sweep_bands"],
        ["robustness", analysis.robustness, "robustness"],
        ["regret", analysis.regret, "regret"]
      ]
      const bom = language === "zh" ? "\uFEFF" : ""
      for (const [name, rows, table] of tables) {
        yield* Output.write(path.join(dir, `${name}.csv`), bom + Output.csv(Output.whole(table, rows)))
        yield* Output.write(path.join(dir, `${name}.json`), JSON.stringify(rows))
        written.push(`${name}.csv/.json`)
      }
      if (calibrated !== undefined) {
        // calibrated bands (issue 17, Calibration): the futures' band widened by the backtest's past misses, around the central run
        const central = models.map((v) => Sweep.project(v.model, v.model.assumptions))
        const method = Backtest.methodName({ kind: loaded.scenario.method ?? "cohort-component" })
        const rows = Calibration.sweep(calibrated, method, result, central)
        yield* Output.write(path.join(dir, "calibrated-bands.csv"), bom + Output.csv(rows))
        yield* Output.write(path.join(dir, "calibrated-bands.json"), JSON.stringify(rows))
        written.push("calibrated-bands.csv/.json")
      }
      const file = path.join(dir, "sweep.parquet")
      const bytes = yield* Effect.tryPromise({
        try: () => Tabular.parquet(result.rows, "sweep"),
        catch: (e) => new Output.WriteError({ file, code: "an error", detail: e instanceof Error ? e.message : String(e) })
      })
      yield* Output.write(file, bytes)
      written.push("sweep.parquet")
      const summary = {
        scenario: o.scenario,
        design: o.design,
        seed: o.seed,
        futures: result.futures,
        variants: result.variants,
        uncertainty: space,
        summary: analysis.summaries.map((x) => ({ variant: x.variant, standards: x.standards, met: x.met, never: x.never, text: x.text })),
        verdicts: analysis.verdicts,
        regret: analysis.regretSummary
      }
      yield* Output.write(path.join(dir, "verdicts.json"), JSON.stringify(summary, null, 1))
      written.push("verdicts.json")
      const html = yield* Effect.promise(() =>
        SweepReport.render({
          title: loaded.scenario.name,
          synthetic: loaded.scenario.synthetic === true,
          design: o.design,
          seed: o.seed,
          futures: result.futures,
          variants: result.variants,
          bands: analysis.bands,
          schoolBands: Robustness.schoolBands(result),
          robustness: analysis.robustness,
          rules: analysis.rules,
          verdicts: analysis.verdicts,
          summaries: analysis.summaries,
          regret: analysis.regretSummary,
          lang: language
        })
      )
      yield* Output.write(path.join(dir, "sweep.html"), html)
      written.push("sweep.html")
      // one line per variant (a planner's reading); every standard's verdict is in verdicts.json and sweep.html
      for (const x of analysis.summaries) yield* Console.log(x.text[language])
      yield* Console.log(
        language === "zh"
          ? `每项标准的结论与失败范围见 ${path.join(dir, "verdicts.json")} 和 sweep.html。`
          : `Every standard's verdict and failing box: ${path.join(dir, "verdicts.json")} and sweep.html.`
      )
      yield* Console.log(
        `\n${result.futures.length} futures × ${result.variants.length} variants in ${seconds.toFixed(1)} s (${count} workers, ${cpuSeconds.toFixed(1)} s of CPU); wrote ${written.join(", ")} to ${dir}`
      )
    })
).pipe(
  Command.withDescription(
    described("Project every plan variant in many futures: which plan holds up in most of them, and what breaks it", [
      "seatplan sweep scenarios/county/scenario.yaml --futures 1000 --seed 7",
      "seatplan sweep scenarios/county/scenario.yaml --design named",
      "seatplan sweep scenarios/county/scenario.yaml --futures 200 --design grid --workers 2 --lang en",
      "seatplan sweep scenarios/backtest/scenario.yaml --futures 100 --calibration out/backtest-backtest/backtest-calibration.json"
    ])
  )
)

/** Everything the sweep's files and report say, from its rows. */
export const analyse = (result: Sweep.Result, design: Futures.Design, keys: ReadonlyArray<string>, target = 0.9) => {
  const totals = Robustness.totals(result)
  const regret = Robustness.regret(totals)
  const verdicts = Robustness.verdicts(totals, { design, keys, target })
  return {
    robustness: Robustness.robustness(totals),
    bands: Robustness.bands(result, [
      "pupils",
      "pupils_over_seats",
      "large_classes",
      "super_large_classes",
      "teachers_short",
      "total_cost"
    ]),
    regret,
    regretSummary: Robustness.regretSummary(regret, result.variants),
    rules: totals.rules,
    verdicts,
    summaries: Robustness.summaries(totals, verdicts, target)
  }
}
