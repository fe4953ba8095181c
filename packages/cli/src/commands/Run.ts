import { Command, Options } from "@effect/cli"
import type { Event } from "@seatplan/core"
import { Backtest, Provenance, Compliance } from "@seatplan/sim"
import { Console, Effect, Either, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { checked, described, scenario, store, variant, years } from "../Options.js"
import * as Store from "../Store.js"
import * as Output from "../Output.js"
import * as Pdf from "../Pdf.js"
import * as Phases from "../Phases.js"
import * as Report from "../Report.js"
import * as Files from "../RunFiles.js"
import * as Tiles from "../report/Tiles.js"
import * as Stopping from "../Stopping.js"
import * as StoreThread from "../StoreThread.js"
import { Bands, Boundaries, Calibration, Compare, Explain, Project, ScenarioLoader } from "@seatplan/plan"

const seed = Options.integer("seed").pipe(
  Options.withDescription("draw births, migration and enrolment at random from this seed"),
  Options.optional
)
const replicates = Options.integer("replicates").pipe(
  Options.withDescription("Monte Carlo replicates (writes bands: 5/50/95 % of the county table)"),
  checked("replicates", "0 or more replicates", (n) => n >= 0),
  Options.withDefault(0)
)
const out = Options.text("out").pipe(
  Options.withDescription(
    "output folder (default out/<the scenario's folder name>, e.g. out/county for scenarios/county/scenario.yaml; never one another scenario wrote)"
  ),
  Options.optional
)
const format = Options.choice("format", ["table", "json", "csv"]).pipe(
  Options.withDescription("how to print the county summary"),
  Options.withDefault("table" as const)
)
const calibration = Options.file("calibration").pipe(
  Options.withDescription(
    "with --replicates: a backtest-calibration.json (seatplan backtest --replicates N): each replicate also draws a future from the scenario's uncertainty, and calibrated-bands.csv/json give pupils' 90 % band for the county, each catchment area and each school, widened by the backtest's past misses (also with --distributed)"
  ),
  Options.optional
)
const bands = Options.file("bands").pipe(
  Options.withDescription(
    "a backtest-bands.json (from seatplan backtest): the report shows county pupils with the empirical 90 % band of past errors"
  ),
  Options.optional
)
const distributed = Options.boolean("distributed").pipe(
  Options.withDescription(
    "with --replicates and --store postgres://…: hand the replicates to `seatplan worker` processes through the database (same seed, same bands)"
  )
)
const jobTimeout = Options.integer("job-timeout").pipe(
  Options.withDescription("with --distributed: seconds after which a job still running is taken for dead and retried by another worker"),
  checked("job-timeout", "seconds, 1 or more", (n) => n >= 1),
  Options.withDefault(600)
)
const jobSize = Options.integer("job-size").pipe(
  Options.withDescription("with --distributed: replicates per job (default about 64 jobs per variant)"),
  checked("job-size", "1 or more replicates a job", (n) => n >= 1),
  Options.optional
)
const quiet = Options.boolean("quiet").pipe(Options.withDescription("no progress on stderr"))
const pdf = Options.boolean("pdf").pipe(
  Options.withDescription("also print report.html to report.pdf (landscape, through headless Chromium at /usr/bin/chromium)")
)
const paper = Options.choice("paper", ["a4", "a3"]).pipe(
  Options.withDescription("the PDF's paper, landscape (with --pdf)"),
  Options.withDefault("a4" as const)
)
// two flags, not one with a negation: @effect/cli reads an absent boolean as false, and the default depends on the language
const csvBom = Options.boolean("csv-bom").pipe(
  Options.withDescription(
    "write the CSV files as UTF-8 with a byte-order mark, which Excel on Chinese Windows needs to read them (default: on when the report is in Chinese)"
  )
)
const mapYear = Options.integer("year").pipe(
  Options.withDescription("the one school year the maps carry (map-<variant>.geojson, seatplan.gpkg; default every year of the run)"),
  Options.optional
)
const filesOption = Options.text("files").pipe(
  Options.withDescription(
    `the kinds of file to write, comma-separated, from ${Files.kinds.join(", ")} (default all; workbook is seatplan.xlsx and the Parquet files, maps the GeoJSON and GeoPackage). A province's report, workbook and maps are skipped with the reason (too large to build), and by default a table's JSON of more than ${Files.limits.jsonFigures.toLocaleString("en")} figures (its CSV is written); --files csv,json writes the tables only, every JSON whatever its size`
  ),
  Options.optional
)
const noCsvBom = Options.boolean("no-csv-bom").pipe(Options.withDescription("write the CSV files without a byte-order mark"))
const lang = Options.choice("lang", ["zh", "en"]).pipe(
  Options.withDescription("the report's language (default Chinese for a scenario named in Chinese)"),
  Options.optional
)
const tiles = Options.text("tiles").pipe(
  Options.withDescription(
    "a background under the report's maps: a raster tile URL template (https://host/{z}/{x}/{y}.png; the page then loads those tiles from that host) or a local MBTiles or PMTiles file of raster tiles (its tiles are embedded; the page stays offline). Default: no basemap"
  ),
  Options.optional
)

/**
 * `seatplan run SCENARIO`: validates the scenario, stores its streams in `OUT/events.sqlite` (rewritten on
 * every run), projects the baseline and the variants, prints a county summary and writes the tables (CSV
 * and JSON), a GeoJSON of settlements and schools with the final year's figures, and `report.html`.
 */
const options = {
  scenario,
  variant,
  seed,
  replicates,
  out,
  format,
  quiet,
  lang,
  years,
  bands,
  calibration,
  pdf,
  paper,
  csvBom,
  noCsvBom,
  year: mapYear,
  tiles,
  files: filesOption,
  store,
  distributed,
  jobTimeout,
  jobSize
}

/** The options `run` and `report` share (`report` is `run` writing only the report). */
export const reportOptions = { scenario, variant, seed, replicates, out, quiet, lang, years, bands, pdf, paper, tiles }
interface ReportOptions {
  readonly scenario: string
  readonly variant: ReadonlyArray<string>
  readonly seed: Option.Option<number>
  readonly replicates: number
  readonly out: Option.Option<string>
  readonly quiet: boolean
  readonly lang: Option.Option<"zh" | "en">
  readonly years: Option.Option<readonly [number, number]>
  readonly bands: Option.Option<string>
  readonly pdf: boolean
  readonly paper: Pdf.Paper
  readonly tiles: Option.Option<string>
  /** `run` only: the backtest calibration whose futures the replicates draw and whose past misses widen their band. */
  readonly calibration?: Option.Option<string>
  /** `run` only: the event store to keep the streams in, and distributed Monte Carlo on its workers. */
  readonly store?: Option.Option<string>
  readonly distributed?: boolean
  readonly jobTimeout?: number
  readonly jobSize?: Option.Option<number>
}

export const run = Command.make("run", options, (o) =>
  Effect.gen(function* () {
    const files = yield* Either.mapLeft(Files.chosen(Option.getOrUndefined(o.files)), (reason) => new Project.RunError({ reason }))
    if (o.pdf && !files.has("report")) return yield* new Project.RunError({ reason: "--pdf prints report.html: add report to --files" })
    // read, validate, store, run, write: one bar a phase on a terminal
    const phases = Phases.phases(o.quiet)
    // `loaded` is let go of once stored (`project`): a province's decided events are a gigabyte, and in the
    // store now (no other binding may hold the scenario as loaded: the run's frame keeps its bindings)
    let { loaded, ...prepared } = yield* prepare(o, "events.sqlite", phases)
    const { language, dir, db } = prepared
    const bom = o.csvBom || (!o.noCsvBom && language === "zh") ? "\uFEFF" : ""
    const method = Backtest.methodName({ kind: loaded.scenario.method ?? "cohort-component" })
    const calibrated = Option.isSome(o.calibration)
      ? yield* Calibration.read(
          o.calibration.value,
          "--calibration",
          Object.keys(loaded.scenario.uncertainty ?? {}).length > 0 ? "futures and noise" : "noise"
        )
      : undefined
    if (calibrated !== undefined && o.replicates <= 0) {
      return yield* new Project.RunError({ reason: "--calibration: expected --replicates N (N > 0)" })
    }
    // a province's population is written on a worker thread while the standards are checked
    const writer = yield* Effect.acquireRelease(Effect.sync(Files.longTables), (w) => w.stop)
    const results = yield* project(
      o,
      loaded,
      db,
      phases,
      (lighter) => {
        loaded = lighter
      },
      (projected) =>
        Files.offerPopulation(
          files,
          { dir, bom, jsonAnySize: Option.isSome(o.files) && files.has("json") },
          projected.map((p) => p.population),
          writer
        )
    )
    const wrote = yield* Files.write(files, {
      writer,
      onFile: (done, total) => {
        if (done === 0) phases.start("write", total, "tables")
        else phases.update(done)
      },
      dir,
      loaded,
      results,
      bom,
      language,
      year: Option.getOrUndefined(o.year),
      jsonAnySize: Option.isSome(o.files) && files.has("json"),
      report: () => writeReport(o, loaded, results, dir, language)
    })
    const written = [...wrote.written]
    const skipped = wrote.skipped
    if (calibrated !== undefined) {
      // calibrated bands (issue 17, Calibration): the replicates' band widened by the backtest's past misses
      const rows = Calibration.run(calibrated, method, results)
      yield* Output.write(path.join(dir, "calibrated-bands.csv"), bom + Output.csv(rows))
      yield* Output.write(path.join(dir, "calibrated-bands.json"), JSON.stringify(rows))
      written.push("calibrated-bands.csv/.json")
    }
    phases.stop()
    if (o.pdf && !written.includes("report.html"))
      return yield* new Project.RunError({ reason: `--pdf prints report.html, which was not made: ${skipped.join("; ")}` })
    if (o.pdf) yield* printPdf(dir, o.paper)
    const summary = results.flatMap((r) => Output.countySummary(r.county))
    // JSON exact; the CSV and the table in whole figures as county.csv has them
    const shown = () => {
      const years = new Set(summary.map((r) => r.year))
      return Output.whole("county", summary, Output.countySums(results, years)) as typeof summary
    }
    yield* Console.log(
      o.format === "json" ? JSON.stringify(summary) : o.format === "csv" ? Output.csv(shown()).trimEnd() : Output.summaryTable(shown())
    )
    if (o.format === "table") {
      const last = Math.max(...results[0].county.map((c) => c.year))
      yield* Console.log("\nstandards (达标):")
      yield* Console.log(Output.table([Compare.complianceHeader, ...results.map((r) => Compare.complianceCells(r.compliance, last))], 1))
    }
    for (const w of loaded.warnings ?? []) yield* Console.error(ScenarioLoader.warningLine(o.scenario, w))
    for (const r of results) for (const w of r.model.warnings) yield* Console.error(`warning (${r.variant}): ${w}`)
    for (const why of skipped) yield* Console.error(`not written: ${why}`)
    // where the files went: on stdout with the table, on stderr when stdout is JSON or CSV for a program
    const where = `wrote ${[...written, ...(o.pdf ? ["report.pdf"] : [])].join(", ")} to ${dir} (events in ${Store.name(db)})`
    yield* o.format === "table" ? Console.log(`\n${where}`) : Console.error(where)
  }).pipe(Effect.scoped)
).pipe(
  Command.withDescription(
    described("Project the baseline and the plan variants of a scenario and write the tables", [
      "seatplan run scenarios/tiny/scenario.yaml",
      "seatplan run scenarios/county/scenario.yaml --variant layout --lang en --out out/county-layout",
      "seatplan run scenarios/tiny/scenario.yaml --seed 7 --replicates 500",
      "seatplan run scenarios/backtest/scenario.yaml --replicates 10 --calibration out/backtest-backtest/backtest-calibration.json",
      "seatplan run scenarios/county/scenario.yaml --store postgres://planner@db.bureau/seatplan?schema=county_a",
      "seatplan run scenarios/county/scenario.yaml --lang zh --pdf --paper a3"
    ])
  )
)

/**
 * What `run` and `report` do first: load and check the scenario (with `--years`), choose the language and
 * the output folder (checked writable, claimed when it is the default), and remove an old event store
 * `storeFile` there (`run`'s events.sqlite; `report` keeps its events in memory and passes undefined).
 */
export const prepare = (o: ReportOptions, storeFile: string | undefined, phases?: Phases.Phases) =>
  Effect.gen(function* () {
    const loaded = yield* within(
      yield* Stopping.atOnce(ScenarioLoader.load(o.scenario, phases === undefined ? {} : { progress: phases })),
      o.years
    )
    const language = Option.getOrElse(o.lang, () => Report.defaultLang(loaded.scenario.name))
    const dir = Option.getOrElse(o.out, () => Output.defaultDir(o.scenario))
    // --store: a store the scenario's streams go into (again: idempotent), kept; else OUT/events.sqlite, rewritten
    const kept = o.store !== undefined && Option.isSome(o.store) ? o.store.value : undefined
    const db = storeFile === undefined ? ":memory:" : (kept ?? path.join(dir, storeFile))
    const refused = (code: string, detail: string) =>
      new Project.RunError({ reason: `--out ${dir}: expected a folder seatplan can write to, found ${code} (${detail})` })
    yield* Effect.mapError(Output.writableDir(dir), (e) => refused(e.code, e.detail))
    if (storeFile !== undefined && kept === undefined)
      yield* Effect.try({
        try: () => {
          for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true })
        },
        catch: (e) => refused((e as NodeJS.ErrnoException).code ?? "an error", e instanceof Error ? e.message : String(e))
      })
    if (Option.isNone(o.out)) yield* Output.claim(dir, o.scenario)
    return { loaded, language, dir, db }
  })

/**
 * Stores the scenario's streams in the event store `db` and projects the baseline and the variants from
 * it (from the same events in memory when the streams went in whole: `Project.decidedReadings`), with the
 * phases' bar on a terminal (`store`, then `run`); the results keep the years of `--years` (the
 * years before are still simulated: they carry the population forward). `release` is given the scenario
 * without its region's records before its events are stored (`Project.withoutRecords`), then without its
 * baseline's events too once they are stored (`Project.released`), for the
 * caller to keep instead (`run` does, so that a province's decided events do not stay in memory beside
 * those read back from the store).
 */
export const project = (
  o: ReportOptions,
  loaded: ScenarioLoader.Loaded,
  db: string,
  phases: Phases.Phases = Phases.phases(o.quiet),
  release?: (lighter: ScenarioLoader.Loaded) => void,
  onProjected?: (projected: ReadonlyArray<Project.Projected>) => void,
  /**
   * Events from which the streams are stored on a worker thread (default `StoreThread.storeFrom`), and the
   * memory they are handed over in (`StoreThread.ring`): tests store small scenarios there, through a small ring.
   */
  options: { readonly storeFrom?: number; readonly ring?: StoreThread.Ring } = {}
) =>
  Effect.gen(function* () {
    const url = o.store !== undefined && Option.isSome(o.store) ? o.store.value : undefined
    if (o.distributed === true && (url === undefined || !Store.isPostgres(url) || o.replicates <= 0)) {
      return yield* new Project.RunError({
        reason: "--distributed: expected --replicates N (N > 0) and --store postgres://… (the database the workers take jobs from)"
      })
    }
    const Distributed = o.distributed === true ? yield* Effect.promise(() => import("../Distributed.js")) : undefined
    const from = Option.match(o.years, { onNone: () => -Infinity, onSome: ([a]) => a })
    const all = yield* Effect.gen(function* () {
      const total = Project.eventsIn(loaded.streams)
      // the region's records are in the decided events: let go of before they are stored (the heap's fullest)
      if (release !== undefined) {
        loaded = Project.withoutRecords(loaded)
        release(loaded)
      }
      // the run's own new store and a large scenario: stored on a worker thread while it is projected from
      // the same events (StoreThread); the files are written once every event is stored
      const storing =
        url === undefined && db !== ":memory:" && total >= (options.storeFrom ?? StoreThread.storeFrom)
          ? yield* Effect.acquireRelease(
              Effect.sync(() => StoreThread.start(db, options.ring)),
              (thread) => thread.stop
            )
          : undefined
      let decided: ReadonlyMap<string, ReadonlyArray<Event.NewEvent>> | undefined
      if (storing !== undefined) {
        phases.start("store", total, "events handed to the storing thread")
        let posted = 0
        for (const part of Project.parts(loaded.streams)) {
          storing.post(part)
          posted += part.events.length
          phases.update(posted)
        }
        storing.end()
        decided = Project.decidedReadings(loaded)
      } else {
        phases.start("store", 1, "events")
        const stored = yield* Project.store(loaded, {
          onProgress: (done, total) => {
            if (done === 0 || total === 0) return
            phases.start("store", total, "events")
            phases.update(done)
          }
        })
        // the streams just stored whole are what reading them back would give: compiled from memory (a
        // province's read-back was 4 s), their records compiling drops let go of with the rest
        if (stored.whole) decided = Project.decidedReadings(loaded)
      }
      if (release !== undefined) {
        loaded = Project.released(loaded)
        release(loaded)
      }
      const results = yield* Project.run(loaded, {
        variants: o.variant,
        ...(decided === undefined ? {} : { decided }),
        ...(Option.isSome(o.seed) ? { seed: o.seed.value } : {}),
        replicates: o.replicates,
        ...(o.calibration !== undefined && Option.isSome(o.calibration) ? { futures: true, cells: true } : {}),
        ...(Distributed === undefined || url === undefined
          ? {}
          : {
              monteCarlo: Distributed.monteCarlo({
                url,
                jobTimeoutSeconds: o.jobTimeout ?? 600,
                ...(o.jobSize !== undefined && Option.isSome(o.jobSize) ? { jobSize: o.jobSize.value } : {}),
                report: (line) => {
                  if (!o.quiet && !phases.live) process.stderr.write(`${line}\n`)
                }
              })
            }),
        // from the start (0 done): the store's bar does not stand full while the streams are read back and compiled
        onProgress: (done: number, total: number) => {
          if (done <= 1) phases.start("run", total, "runs")
          phases.update(done)
        },
        // the population as the results will hold it (the years of --years)
        ...(onProjected === undefined
          ? {}
          : {
              onProjected: (projected: ReadonlyArray<Project.Projected>) =>
                onProjected(Option.isNone(o.years) ? projected : projected.map((p) => ({ ...p, population: p.population.from(from) })))
            })
      })
      if (storing !== undefined) {
        // the run waits for the last events to be stored before anything is written
        if (storing.stored() < total) {
          phases.start("store", total, "events stored")
          phases.update(storing.stored())
        }
        const { whole } = yield* storing.wait((n) => phases.update(n))
        if (!whole)
          return yield* new Project.RunError({
            reason: `${Store.name(db)}: held some of the scenario's events before they were stored (another process wrote to it): run again`
          })
      }
      return results
    }).pipe(Effect.scoped, Effect.provide(Store.layer(db)))
    phases.stop()
    if (Option.isNone(o.years)) return all
    return all.map((r) => ({
      ...r,
      checks: r.checks.from(from),
      compliance: Compliance.compliance(
        r.variant,
        r.checks.from(from),
        [...new Set(r.county.map((x) => x.year))].filter((y) => y >= from),
        loaded.rules
      ),
      schools: r.schools.from(from),
      county: r.county.filter((x) => x.year >= from),
      catchments: r.catchments.filter((x) => x.year >= from),
      population: r.population.from(from),
      groups: r.groups.filter((x) => x.year >= from),
      bands: r.bands.filter((x) => x.year >= from),
      cells: r.cells.filter((x) => x.year >= from)
    }))
  })

/**
 * Writes `report.html` to `dir`: the variants compared in the last year, the accounts, seat demand and
 * ledger, the empirical bands of `--bands`, each school's provenance (deterministic runs), the maps with
 * the scenario's township boundaries and the background of `--tiles`.
 */
export const writeReport = (
  o: ReportOptions,
  loaded: ScenarioLoader.Loaded,
  results: ReadonlyArray<Project.VariantResult>,
  dir: string,
  language: Report.Lang
) =>
  Effect.gen(function* () {
    const plans = Compare.plans(loaded.streams)
    const demand = Compare.seatDemand(results, loaded.scenario)
    const compared = Compare.compare(results, undefined, demand)
    const empirical = Option.isSome(o.bands)
      ? Bands.county(
          yearsOf(results[0]).flatMap((y) => Compare.compare(results, y, demand).rows),
          yield* Bands.read(o.bands.value),
          loaded.scenario.method ?? "cohort-component",
          loaded.scenario.baseYear
        )
      : []
    // provenance of every school's pupils in the compared year, for the report (deterministic runs only)
    // from the variant's one compiled model and the events read from the store, as the tables were
    const explanations = Option.isSome(o.seed)
      ? undefined
      : results.map((r) => {
          const traced = Provenance.traceAll(r.model, compared.year)
          if (Either.isLeft(traced)) return {}
          // the events indexed once for all the variant's schools (not the whole log walked per school)
          const citing = Explain.citing(r.events)
          const names = Explain.names(r.events)
          return Object.fromEntries(
            traced.right.map((t) => [
              `${t.schoolId}|${t.level}`,
              Explain.text(Explain.explain(r.variant, "pupils", t, citing), language, names)
            ])
          )
        })
    const boundaries = Boundaries.boundariesOf(loaded.scenario)
    const background = yield* Tiles.background(o.tiles, results)
    const report = yield* Effect.promise(() =>
      Report.render({
        title: loaded.scenario.name,
        synthetic: loaded.scenario.synthetic === true,
        results,
        compared,
        // summed over the school rows as the report and schools.csv print them
        accounts: Compare.accounts(results, plans, compared.year, demand, undefined, true),
        ledger: Compare.ledger(results, plans),
        demand,
        rules: loaded.rules,
        bands: empirical,
        ...(explanations === undefined ? {} : { explanations }),
        lang: language,
        boundaries,
        ...(background === undefined ? {} : { tiles: background })
      })
    )
    yield* Output.write(path.join(dir, "report.html"), report)
    return { compared }
  })

/** `--pdf`: prints `dir`/report.html to `dir`/report.pdf through headless Chromium (exit 1 when there is none). */
export const printPdf = (dir: string, paper: Pdf.Paper) =>
  Effect.gen(function* () {
    const why = Pdf.unavailable()
    if (why !== undefined) return yield* new Project.RunError({ reason: why })
    yield* Effect.tryPromise({
      try: () => Pdf.print(path.join(dir, "report.html"), path.join(dir, "report.pdf"), paper),
      catch: (e) =>
        new Project.RunError({
          reason: `--pdf: Chromium could not print ${path.join(dir, "report.html")}: ${e instanceof Error ? e.message : String(e)}`
        })
    })
  })

const yearsOf = (r: Project.VariantResult): ReadonlyArray<number> => [...new Set(r.county.map((c) => c.year))]

/**
 * Applies `--years A..B`: B sets the horizon, and the tables keep A..B (the years before A are still
 * simulated: they carry the population forward).
 */
const within = (loaded: ScenarioLoader.Loaded, years: Option.Option<readonly [number, number]>) =>
  Effect.gen(function* () {
    if (Option.isNone(years)) return loaded
    const [from, to] = years.value
    const base = loaded.scenario.baseYear
    if (to <= base || to > base + 30 || from < base) {
      return yield* new Project.RunError({
        reason: `--years: expected years from the base year ${base} to ${base + 30}, ending after ${base}; found ${from}..${to}`
      })
    }
    return { ...loaded, scenario: { ...loaded.scenario, horizon: to - base } }
  })
