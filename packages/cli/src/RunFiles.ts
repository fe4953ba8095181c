/**
 * The files `seatplan run` writes for spreadsheets, data tools and GIS besides the CSV and JSON: `seatplan.xlsx`
 * and the Parquet files of the large tables (`Tabular` builds them), the GeoJSON maps and the GeoPackage (`Gis`).
 */
import { type Geometry, Project } from "@seatplan/plan"
import type { Columns } from "@seatplan/sim"
import { Effect } from "effect"
import * as path from "node:path"
import * as GeoPackage from "./GeoPackage.js"
import * as Gis from "./Gis.js"
import * as Output from "./Output.js"
import * as Tabular from "./Tabular.js"
import * as Xlsx from "./Xlsx.js"

/** The tables as CSV (whole pupils, `bom` first) and JSON (exact), and `compliance.json`; the names written. */
export const csvAndJson = (
  dir: string,
  results: ReadonlyArray<Project.VariantResult>,
  bom: string,
  files: ReadonlySet<string> = new Set(["csv", "json"])
): Array<string> => {
  const written: Array<string> = []
  const tables = {
    schools: results.flatMap((r) => r.schools),
    county: results.flatMap((r) => r.county),
    catchments: results.flatMap((r) => r.catchments),
    population: results.flatMap((r) => r.population),
    bands: results.flatMap((r) => r.bands),
    standards: results.flatMap((r) => r.checks)
  }
  for (const [name, rows] of Object.entries(tables)) {
    if (rows.length === 0) continue
    // in pieces: a province's population table (settlements × ages × years) is longer than a string can be
    if (files.has("csv")) Output.writeChunksSync(path.join(dir, `${name}.csv`), [bom, ...Output.csvChunks(Output.whole(name, rows))])
    if (files.has("json")) Output.writeChunksSync(path.join(dir, `${name}.json`), Output.jsonChunks(rows))
    written.push(`${name}${files.has("csv") ? ".csv" : ""}${files.has("json") ? "/.json" : ""}`)
  }
  Output.writeSync(
    path.join(dir, "compliance.json"),
    JSON.stringify(
      results.map((r) => r.compliance),
      null,
      1
    )
  )
  written.push("compliance.json")
  return written
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
    const tables: ReadonlyArray<readonly [string, ReadonlyArray<object>, Columns.Table | undefined]> = [
      ["summary", results.flatMap((r) => Output.countySummary(r.county)), "county"],
      ["compare", compared, "compare"],
      ["accounts", accounts.accounts ?? [], "accounts"],
      ["accounts-ledger", accounts["accounts-ledger"] ?? [], "ledger"],
      ["accounts-demand", accounts["accounts-demand"] ?? [], "seat_demand"],
      ["schools", results.flatMap((r) => r.schools), "schools"],
      ["county", results.flatMap((r) => r.county), "county"],
      ["catchments", results.flatMap((r) => r.catchments), "catchments"],
      ["population", results.flatMap((r) => r.population), "population"],
      ["bands", results.flatMap((r) => r.bands), undefined],
      ["standards", results.flatMap((r) => r.checks), "standards"]
    ]
    const written: Array<string> = []
    yield* timed(
      "workbook",
      onStep,
      clock,
      Xlsx.write(
        path.join(dir, "seatplan.xlsx"),
        // whole pupils and seats as in the CSV: largest remainder within the rows that add up to one total
        tables.flatMap(([name, rows, table]) =>
          Tabular.sheets(Tabular.sheetName(name, lang), Output.whole(table ?? name, rows), lang, table)
        )
      )
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
      yield* Output.write(path.join(dir, file), Gis.geojson(layers))
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
