/**
 * The files `seatplan run` writes, and the one place that decides which (`write`): the tables as CSV and
 * JSON, `report.html` (made by the caller's report step), `seatplan.xlsx` and the Parquet files of the large
 * tables (`Tabular` builds them), the GeoJSON maps and the GeoPackage (`Gis`). A kind a province is too
 * large for is skipped with the reason (`skipped`), not attempted until memory runs out (issue 18).
 */
import { Boundaries, Compare, type Geometry, Project, type ScenarioLoader } from "@seatplan/plan"
import { Columns, type Tables, Whole } from "@seatplan/sim"
import { Effect, Either } from "effect"
import * as path from "node:path"
import * as GeoPackage from "./GeoPackage.js"
import * as Gis from "./Gis.js"
import * as LargeTables from "./LargeTables.js"
import * as Output from "./Output.js"
import * as Tabular from "./Tabular.js"
import * as Xlsx from "./Xlsx.js"

/** The kinds of file `--files` chooses from. */
export const kinds = ["csv", "json", "report", "workbook", "maps"] as const
export type Kind = (typeof kinds)[number]

/** `--files a,b`: the kinds chosen (every kind when not given), or why the text is not a list of kinds. */
export const chosen = (option: string | undefined): Either.Either<ReadonlySet<Kind>, string> => {
  if (option === undefined) return Either.right(new Set(kinds))
  const named = option
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k !== "")
  const unknown = named.filter((k) => !(kinds as ReadonlyArray<string>).includes(k))
  return unknown.length > 0 || named.length === 0
    ? Either.left(`--files: expected kinds from ${kinds.join(", ")}, comma-separated; found ${JSON.stringify(option)}`)
    : Either.right(new Set(named as ReadonlyArray<Kind>))
}

/**
 * How large a run each kind of file is made for. Beyond, the kind is skipped with the reason: these files
 * are built whole in memory (a workbook's sheets, the maps' features, the report's page with every place),
 * and a province's would not fit in a few gigabytes nor open in the programs they are for. The CSV and
 * JSON tables are written in pieces as they are read and have no limit.
 */
export const limits: Limits = {
  /** Rows of the workbook's sheets together (a sheet holds at most 1,048,576 rows; Excel slows long before). */
  workbookRows: 2_000_000,
  /** Features of the maps: settlements and schools × the years mapped (`--year` maps one). */
  mapFeatures: 2_000_000,
  /** Settlements and schools in the report, whose maps draw every one of them in the browser. */
  reportPlaces: 60_000,
  /**
   * Figures (rows × columns) of a table's JSON when `--files` does not name json: at 17-27 bytes a figure,
   * 20 M is about 500 MB of JSON, near the longest text Node (and a browser) can hold, so a larger file
   * cannot be read whole by them (`JSON.parse`) and only costs the run minutes (a province's population,
   * schools and checks: 3 GB, 0.9 GB and 2 GB of JSON). The CSV has the same figures in whole pupils.
   */
  jsonFigures: 20_000_000,
  /** Rows from which the population and the standards are written on a worker thread, beside the other tables. */
  workerRows: LargeTables.offloadFrom
} as const

export interface Limits {
  readonly workbookRows: number
  readonly mapFeatures: number
  readonly reportPlaces: number
  readonly jsonFigures: number
  readonly workerRows: number
}

/** What `write` needs: the run's results and what the report step makes (the comparison the workbook shows too). */
export interface Run<E> {
  readonly dir: string
  readonly loaded: ScenarioLoader.Loaded
  readonly results: ReadonlyArray<Project.VariantResult>
  /** The byte-order mark CSV files start with ("" for none). */
  readonly bom: string
  readonly language: "zh" | "en"
  /** `--year`: the one school year the maps carry. */
  readonly year?: number | undefined
  /** `--files` names json: every table's JSON is written, whatever its size (`Limits.jsonFigures` otherwise). */
  readonly jsonAnySize?: boolean | undefined
  /**
   * Told how far writing is, in steps (each table, the accounts, the report, the workbook, the maps): first
   * (0, total), then after each step (for the progress bar).
   */
  readonly onFile?: (done: number, total: number) => void
  /** Writes report.html; gives the variants compared (the caller's, shared with `seatplan report`). */
  readonly report: () => Effect.Effect<{ readonly compared: ReturnType<typeof Compare.compare> }, E>
  /**
   * The long tables' writer, when the caller made it before the run (`seatplan run`, to write the population
   * while the standards are checked: `offerPopulation`) and ends it; `write` makes and ends its own otherwise.
   */
  readonly writer?: LargeTables.Writer | undefined
}

/** The long tables' writer `write` would make: a large run's population and checks go to a worker thread. */
export const longTables = (bounds: Limits = limits): LargeTables.Writer => LargeTables.worker({ from: bounds.workerRows })

/**
 * Offers a run's population (`tables`: each variant's, as the results will hold it) to `writer` in the files
 * `write` would write it to, before the standards are checked (`Project.Options.onProjected`): a province's
 * is then written on the worker thread while this thread checks. `write` knows it taken (`writer.taken`).
 */
export const offerPopulation = (
  kinds: ReadonlySet<Kind>,
  run: Pick<Run<never>, "dir" | "bom" | "jsonAnySize">,
  tables: ReadonlyArray<Tables.PopulationTable>,
  writer: LargeTables.Writer,
  bounds: Limits = limits
): boolean => {
  const count = tables.reduce((n, t) => n + t.length, 0)
  const files = new Set([...kinds].filter((k) => k === "csv" || k === "json"))
  return offerLong(writer, run.dir, run.bom, "population", count, longFormats("population", count, files, jsonLimit(run, bounds)), () =>
    LargeTables.populationData(tables)
  )
}

const jsonLimit = (run: Pick<Run<never>, "jsonAnySize">, bounds: Limits) =>
  run.jsonAnySize === true ? Number.POSITIVE_INFINITY : bounds.jsonFigures

/** A long table's files: CSV, and JSON when it has at most `jsonFigures` figures (as `csvAndJson` decides for every table). */
const longFormats = (
  name: LargeTables.Table,
  count: number,
  files: ReadonlySet<string>,
  jsonFigures: number
): ReadonlyArray<"csv" | "json"> => [
  ...(files.has("csv") ? (["csv"] as const) : []),
  ...(files.has("json") && count * Columns.of(name).length <= jsonFigures ? (["json"] as const) : [])
]

/** Offers a long table's files to `writer` (none: not taken). */
const offerLong = (
  writer: LargeTables.Writer,
  dir: string,
  bom: string,
  name: LargeTables.Table,
  count: number,
  formats: ReadonlyArray<"csv" | "json">,
  data: () => LargeTables.Data
): boolean =>
  count > 0 &&
  formats.length > 0 &&
  writer.offer(
    formats.map((format) => ({ file: path.join(dir, `${name}.${format}`), table: name, format, first: format === "csv" ? bom : "" })),
    count,
    data
  )

/**
 * Writes the files of `kinds` for a run: the one place that decides which files are written. Gives the
 * names written and, for each kind skipped because the run is too large for it, the reason.
 */
export const write = <E>(
  kinds: ReadonlySet<Kind>,
  run: Run<E>,
  bounds: Limits = limits
): Effect.Effect<
  { readonly written: ReadonlyArray<string>; readonly skipped: ReadonlyArray<string> },
  E | Output.WriteError | Project.RunError
> =>
  Effect.suspend(() => {
    // the steps: the tables (csvAndJson's 7), completeness, groups, accounts, then each other kind chosen
    const total = 10 + [...kinds].filter((k) => k !== "csv" && k !== "json").length
    let done = 0
    const step = () => run.onFile?.(++done, total)
    run.onFile?.(0, total)
    // the population and the checks of a large run go to a worker thread, written while this one writes the
    // rest; a writer made here is ended however writing ends
    if (run.writer !== undefined) return writeFiles(run, kinds, bounds, run.writer, step)
    const writer = longTables(bounds)
    return Effect.ensuring(writeFiles(run, kinds, bounds, writer, step), writer.stop)
  })

const writeFiles = <E>(
  run: Run<E>,
  kinds: ReadonlySet<Kind>,
  bounds: Limits,
  writer: LargeTables.Writer,
  step: () => void
): Effect.Effect<
  { readonly written: ReadonlyArray<string>; readonly skipped: ReadonlyArray<string> },
  E | Output.WriteError | Project.RunError
> =>
  Effect.gen(function* () {
    const { dir, results, loaded, bom } = run
    const written: Array<string> = []
    const skipped: Array<string> = []
    const tableKinds = new Set([...kinds].filter((k) => k === "csv" || k === "json"))
    const jsonFigures = jsonLimit(run, bounds)
    let offloaded = 0
    written.push(
      ...(yield* Effect.try({
        try: () =>
          csvAndJson(
            dir,
            results,
            bom,
            tableKinds,
            step,
            jsonFigures,
            (why) => skipped.push(why),
            writer,
            () => offloaded++
          ),
        catch: (e) =>
          new Output.WriteError({
            file: dir,
            code: (e as NodeJS.ErrnoException).code ?? "an error",
            detail: e instanceof Error ? e.message : String(e)
          })
      }))
    )
    const extra = (name: string, rows: ReadonlyArray<object>, table?: Columns.Table, printed = rows, sums?: () => Whole.PrintedSums) =>
      Effect.gen(function* () {
        if (rows.length === 0 || tableKinds.size === 0) return
        // CSV in whole pupils and seats (a spreadsheet is read by people), JSON exact
        if (tableKinds.has("csv"))
          yield* Output.write(
            path.join(dir, `${name}.csv`),
            bom + Output.csv(table === undefined ? printed : Output.whole(table, printed, sums?.()))
          )
        if (tableKinds.has("json")) yield* Output.write(path.join(dir, `${name}.json`), JSON.stringify(rows))
        written.push(`${name}${[...tableKinds].map((k, i) => `${i === 0 ? "" : "/"}.${k}`).join("")}`)
      })
    // the data-completeness table (数据完整性, Columns.of("completeness")): what each school's figures lack
    // (with the byte-order mark the other tables have: it holds the schools' names and the fields' Chinese
    // names, which Excel garbled without it)
    yield* extra("completeness", loaded.completeness ?? [])
    step()
    // school groups (集团化办学 / 学区制, Columns.of("groups")): staffing shared and rotation, per group, year and level
    // each group's figures the sums of its members' rows as schools.csv prints them (by their group_id)
    const groups = results.flatMap((r) => r.groups)
    // (the school rows of the years with groups: each year's made alone)
    yield* extra("groups", groups, "groups", groups, () =>
      Whole.groupSums(results.flatMap((r) => [...new Set(r.groups.map((g) => g.year))].flatMap((year) => r.schools.inYear(year))))
    )
    step()
    const plans = Compare.plans(loaded.streams)
    const demand = Compare.seatDemand(results, loaded.scenario)
    const last = Math.max(...results[0].county.map((c) => c.year))
    const exact = {
      "accounts-demand": demand,
      "accounts-ledger": Compare.ledger(results, plans),
      accounts: Compare.accountsTable(results, plans, last, demand)
    }
    // what people read (the CSV, the workbook): the accounts summed over the school rows as schools.csv prints them
    const accounts = { ...exact, accounts: Compare.accountsTable(results, plans, last, demand, true) }
    // each accounts file's registry table: its columns, units and whole figures
    const accountsTables = { "accounts-demand": "seat_demand", "accounts-ledger": "ledger", accounts: "accounts" } as const
    for (const [name, rows] of Object.entries(exact)) {
      const key = name as keyof typeof accountsTables
      yield* extra(name, rows, accountsTables[key], accounts[key])
    }
    step()
    // the long tables the worker thread writes (a step each, once written)
    yield* writer.wait
    for (let k = 0; k < offloaded; k++) step()
    const places = (results[0]?.places.settlements.length ?? 0) + (results[0]?.places.schools.length ?? 0)
    const tooLarge = (what: string, found: number, limit: number, unit: string, instead: string) =>
      `${what}: skipped, the run has ${found.toLocaleString("en")} ${unit} (more than ${limit.toLocaleString("en")}); ${instead}`
    let compared: ReturnType<typeof Compare.compare> | undefined
    if (kinds.has("report")) {
      if (places > bounds.reportPlaces) {
        skipped.push(
          tooLarge("report.html", places, bounds.reportPlaces, "settlements and schools", "the CSV and JSON tables have every figure")
        )
      } else {
        compared = (yield* run.report()).compared
        written.push("report.html")
      }
      step()
    }
    if (kinds.has("workbook")) {
      // the large tables' rows (the population's counted, not made)
      const rows = results.reduce(
        (n, r) => n + r.schools.length + r.county.length + r.catchments.length + r.population.length + r.bands.length + r.checks.length,
        0
      )
      if (rows > bounds.workbookRows) {
        skipped.push(
          tooLarge(
            "seatplan.xlsx and the Parquet files",
            rows,
            bounds.workbookRows,
            "rows",
            "the tables are in the CSV and JSON files (--files csv,json)"
          )
        )
      } else {
        compared ??= Compare.compare(results, undefined, demand)
        written.push(...(yield* workbookAndParquet(dir, results, accounts, compared.rows, run.language)))
      }
      step()
    }
    if (kinds.has("maps")) {
      const years = run.year === undefined ? new Set(results[0]?.county.map((c) => c.year) ?? []).size : 1
      const features = places * years * results.length
      if (features > bounds.mapFeatures) {
        skipped.push(
          tooLarge(
            "the maps (GeoJSON, GeoPackage)",
            features,
            bounds.mapFeatures,
            "features",
            "map one year with --year, or fewer variants with --variant"
          )
        )
      } else written.push(...(yield* maps(dir, results, { year: run.year, boundaries: Boundaries.boundariesOf(loaded.scenario) })))
      step()
    }
    return { written, skipped }
  })

/**
 * The tables as CSV (whole pupils, `bom` first) and JSON (exact), and `compliance.json`; the names written.
 * A table of more than `jsonFigures` figures gets no JSON: `skip` is told why. The population and the
 * standards are offered to `writer` first unless it has taken them already (a large run's go to a worker
 * thread and are written while this thread writes the others; the caller waits for them, and steps for
 * each: `offloaded` is told each table it is to step for).
 */
export const csvAndJson = (
  dir: string,
  results: ReadonlyArray<Project.VariantResult>,
  bom: string,
  files: ReadonlySet<string> = new Set(["csv", "json"]),
  /** Called after each of the 7 steps (6 tables and compliance.json), written or not, but for the tables `offloaded` is told of. */
  step: () => void = () => {},
  jsonFigures = Number.POSITIVE_INFINITY,
  skip: (reason: string) => void = () => {},
  writer: LargeTables.Writer = LargeTables.inThread,
  offloaded: () => void = () => {}
): Array<string> => {
  const written: Array<string> = []
  if (!files.has("csv") && !files.has("json")) {
    for (let k = 0; k < 7; k++) step()
    return written
  }
  const tables: ReadonlyArray<readonly [string, Rows]> = [
    ["schools", allSchools(results)],
    ["county", results.flatMap((r) => r.county)],
    ["catchments", results.flatMap((r) => r.catchments)],
    ["population", []],
    ["bands", results.flatMap((r) => r.bands)],
    ["standards", []]
  ]
  // what each table writes: its files (CSV, JSON when not too large), or nothing when it is empty
  const plans = tables.map(([name, rows]) => {
    // the population and the checks are read from each variant's columns as they are written (a province's
    // are too long to hold as objects)
    const long = name === "population" || name === "standards"
    const count =
      name === "population"
        ? results.reduce((n, r) => n + r.population.length, 0)
        : name === "standards"
          ? results.reduce((n, r) => n + r.checks.length, 0)
          : rows.length
    // (a table made as it is read, the schools', has its registry columns)
    const figures =
      count * (long ? Columns.of(name).length : Array.isArray(rows) ? Object.keys(rows[0] ?? {}).length : Columns.of("schools").length)
    const json = files.has("json") && figures <= jsonFigures
    return { name, rows, long, count, figures, json, csv: files.has("csv"), offloaded: false }
  })
  // the long tables first, so that a worker thread writes them from the start
  for (const plan of plans) {
    if (!plan.long) continue
    const name = plan.name as LargeTables.Table
    plan.offloaded =
      writer.taken(name) ||
      offerLong(writer, dir, bom, name, plan.count, longFormats(name, plan.count, files, jsonFigures), () =>
        name === "population"
          ? LargeTables.populationData(results.map((r) => r.population))
          : LargeTables.checksData(results.map((r) => r.checks))
      )
    if (plan.offloaded) offloaded()
  }
  for (const { name, rows, count, figures, json, csv, offloaded } of plans) {
    const population = name === "population"
    const standards = name === "standards"
    if (!offloaded) step()
    if (count === 0) continue
    if (files.has("json") && !json)
      skip(
        `${name}.json: skipped, the table has ${figures.toLocaleString("en")} figures (more than ${jsonFigures.toLocaleString("en")}: ` +
          `a JSON text longer than Node or a browser can read whole); ${csv ? `${name}.csv has them in whole pupils, or ` : ""}` +
          "--files csv,json writes it anyway"
      )
    if (csv || json) written.push(`${name}${csv ? ".csv" : ""}${json ? `${csv ? "/" : ""}.json` : ""}`)
    if (offloaded) continue
    // rows a piece: a piece's copies and text die young (a year of a province's schools is 37,000 rows)
    const size = 20_000
    // in pieces: a province's tables are longer than a string can be
    if (csv) {
      // the population is written from its typed array (30 M rows at a province), a settlement's ages
      // rounded together; the checks have nothing to round and are written from their columns (a province
      // has 8.5 M: no check is made as an object); a school's and a catchment's figures add up within their
      // variant, year and level, so a piece holds whole years of a variant; the other tables' rows are rounded whole
      const text = population
        ? Output.populationCsv(results.map((r) => r.population))
        : standards
          ? Output.checksCsv(results.map((r) => r.checks))
          : name === "schools" || name === "catchments"
            ? Output.wholeCsvChunks(name, rows, size, yearOf)
            : Output.csvChunks(
                // the county's pupils over seats (and idle seats, boarders without beds): its schools' as schools.csv has them
                Output.whole(name, Array.isArray(rows) ? rows : [...rows], name === "county" ? Output.countySums(results) : undefined),
                size
              )
      Output.writeChunksSync(path.join(dir, `${name}.csv`), text, bom)
    }
    if (json)
      Output.writeChunksSync(
        path.join(dir, `${name}.json`),
        population
          ? Output.populationJson(results.map((r) => r.population))
          : standards
            ? Output.checksJson(results.map((r) => r.checks))
            : Output.jsonChunks(rows)
      )
  }
  if (files.has("json")) {
    Output.writeSync(
      path.join(dir, "compliance.json"),
      JSON.stringify(
        results.map((r) => r.compliance),
        null,
        1
      )
    )
    written.push("compliance.json")
  }
  step()
  return written
}

/** A table's rows as the writers read them: in order, each once. */
type Rows = Iterable<object> & { readonly length: number }

/** Every variant's school rows in order, made as they are read (`Tables.SchoolTable`). */
const allSchools = (results: ReadonlyArray<Project.VariantResult>): Rows => ({
  length: results.reduce((n, r) => n + r.schools.length, 0),
  *[Symbol.iterator]() {
    for (const r of results) yield* r.schools
  }
})

/** A school's or a catchment's row's variant and year: the rows that add up to a total share them. */
const yearOf = (row: object): string => {
  const r = row as { readonly variant: string; readonly year: number }
  return `${r.variant}|${r.year}`
}

/** Told how long each step of writing took (the bench's figures); steps `workbook`, `parquet`, `layers`, `geojson`, `geopackage`. */
export type OnStep = (step: string, seconds: number) => void

/** The clock steps are timed by, in seconds (default wall-clock; the bench gives CPU time). */
export type Clock = () => number

const wall: Clock = () => performance.now() / 1000

const timed = <A, E>(step: string, onStep: OnStep | undefined, clock: Clock, effect: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  onStep === undefined
    ? effect
    : Effect.suspend(() => {
        const started = clock()
        return Effect.tap(effect, () => Effect.sync(() => onStep(step, clock() - started)))
      })

/** The large tables written as Parquet, with the registry table that types their columns. */
export const parquetTables = ["schools", "catchments", "population", "bands"] as const

/** The workbook's sheets: name, rows and the registry table that types their columns. */
const workbookTables = (
  results: ReadonlyArray<Project.VariantResult>,
  accounts: Readonly<Record<string, ReadonlyArray<object>>>,
  compared: ReadonlyArray<object>
): ReadonlyArray<readonly [string, ReadonlyArray<object>, Columns.Table | undefined]> => [
  ["summary", results.flatMap((r) => Output.countySummary(r.county)), "county"],
  ["compare", compared, "compare"],
  ["accounts", accounts.accounts ?? [], "accounts"],
  ["accounts-ledger", accounts["accounts-ledger"] ?? [], "ledger"],
  ["accounts-demand", accounts["accounts-demand"] ?? [], "seat_demand"],
  ["schools", results.flatMap((r) => [...r.schools]), "schools"],
  ["county", results.flatMap((r) => r.county), "county"],
  ["catchments", results.flatMap((r) => r.catchments), "catchments"],
  ["population", results.flatMap((r) => [...r.population]), "population"],
  ["bands", results.flatMap((r) => r.bands), undefined],
  ["standards", results.flatMap((r) => [...r.checks]), "standards"]
]

/** The seat-demand account's rows among the accounts' tables. */
const demandOf = (accounts: Readonly<Record<string, ReadonlyArray<object>>>) =>
  (accounts["accounts-demand"] ?? []) as ReadonlyArray<{ readonly year: number; readonly area_seats_short: number }>

/** `seatplan.xlsx` and `{schools,catchments,population,bands}.parquet` in `dir`; the names written. */
export const workbookAndParquet = (
  dir: string,
  results: ReadonlyArray<Project.VariantResult>,
  accounts: Readonly<Record<string, ReadonlyArray<object>>>,
  compared: ReadonlyArray<object>,
  lang: "zh" | "en",
  onStep?: OnStep,
  clock: Clock = wall
): Effect.Effect<ReadonlyArray<string>, Output.WriteError> =>
  Effect.gen(function* () {
    const tables = workbookTables(results, accounts, compared)
    const written: Array<string> = []
    yield* timed(
      "workbook",
      onStep,
      clock,
      Effect.suspend(() => {
        // the county's (and a compared level's) pupils over seats, idle seats and boarders without beds: its schools' as the schools sheet has them
        const schools = Output.countySums(results)
        return Xlsx.write(
          path.join(dir, "seatplan.xlsx"),
          // whole pupils and seats as in the CSV: largest remainder within the rows that add up to one total
          tables.flatMap(([name, rows, table]) =>
            Tabular.sheets(
              Tabular.sheetName(name, lang),
              // the compared levels' figures as county.csv and the seat-demand account print them
              name === "compare"
                ? Output.wholeCompared(rows as ReadonlyArray<{ readonly year: number }>, results, demandOf(accounts))
                : Output.whole(table ?? name, rows, schools),
              lang,
              table
            )
          )
        )
      })
    )
    written.push("seatplan.xlsx")
    const started = clock()
    for (const name of parquetTables) {
      const [, rows, table] = tables.find(([n]) => n === name)!
      if (rows.length === 0) continue
      const file = path.join(dir, `${name}.parquet`)
      const bytes = yield* Effect.tryPromise({
        try: () => Tabular.parquet(rows, table),
        catch: (e) => new Output.WriteError({ file, code: "an error", detail: e instanceof Error ? e.message : String(e) })
      })
      yield* Output.write(file, bytes)
      written.push(`${name}.parquet`)
    }
    onStep?.("parquet", clock() - started)
    return written
  })

/**
 * The maps: `map-<variant>.geojson` per variant and `seatplan.gpkg` (layers settlements, schools, catchments
 * and townships, every variant and year, told apart by their `variant` and `year` attributes), for every year
 * of the run or the one `year` asked for.
 */
export const maps = (
  dir: string,
  results: ReadonlyArray<Project.VariantResult>,
  options: {
    /** Only this year of the run (`--year`), else every year. */
    readonly year?: number | undefined
    /** The scenario's township boundaries (`Boundaries.boundariesOf`): the townships layer draws them. */
    readonly boundaries?: ReadonlyMap<string, Geometry.Area>
    readonly onStep?: OnStep
    readonly clock?: Clock
  } = {}
): Effect.Effect<ReadonlyArray<string>, Output.WriteError | Project.RunError> =>
  Effect.gen(function* () {
    const { year, onStep, clock = wall } = options
    const runYears = [...new Set(results[0]?.county.map((c) => c.year) ?? [])].sort((a, b) => a - b)
    if (year !== undefined && !runYears.includes(year))
      return yield* new Project.RunError({
        reason: `--year: expected a school year of the run (${runYears[0]}..${runYears[runYears.length - 1]}), found ${year}`
      })
    const years = year === undefined ? runYears : [year]
    const written: Array<string> = []
    let started = clock()
    const shared = Gis.cache()
    const all = results.map((r) => ({
      r,
      layers: Gis.layers(r, years, { cache: shared, ...(options.boundaries === undefined ? {} : { boundaries: options.boundaries }) })
    }))
    onStep?.("layers", clock() - started)
    started = clock()
    for (const { r, layers } of all) {
      const file = `map-${r.variant.replaceAll("/", "-")}.geojson`
      yield* Output.writeChunks(path.join(dir, file), Gis.geojson(layers))
      written.push(file)
    }
    onStep?.("geojson", clock() - started)
    const file = path.join(dir, "seatplan.gpkg")
    yield* timed(
      "geopackage",
      onStep,
      clock,
      Effect.try({
        try: () =>
          GeoPackage.writeSync(
            file,
            Gis.layerNames.map((name) => ({
              name,
              description: descriptions[name],
              geometryType: name === "settlements" || name === "schools" ? ("POINT" as const) : ("MULTIPOLYGON" as const),
              features: all.flatMap(({ layers }) => layers[name])
            }))
          ),
        catch: (e) =>
          new Output.WriteError({
            file,
            code: (e as NodeJS.ErrnoException).code ?? "an error",
            detail: e instanceof Error ? e.message : String(e)
          })
      })
    )
    written.push("seatplan.gpkg")
    return written
  })

const descriptions: Record<Gis.LayerName, string> = {
  settlements: "居民点 settlements: name, tier, township, children of school age (each variant and year)",
  schools: "学校 schools: name, type, status and the schools table's figures by level (each variant and year)",
  catchments: "学区 school catchments: the settlements zoned to a school, drawn from their Voronoi cells (each variant, year and level)",
  townships:
    "乡镇 townships: the township seat and its villages; the scenario's boundary where it gives one (boundary = scenario), else drawn from their Voronoi cells (boundary = derived); each variant and year"
}
