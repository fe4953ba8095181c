/**
 * The files `seatplan run` writes for spreadsheets, data tools and GIS (issue 15), timed against the
 * projection they come from, in one run of the county example (scenarios/county): projection (store the
 * streams, compile and run every variant), the CSV and JSON tables, then seatplan.xlsx, the Parquet files,
 * the map layers, the GeoJSON maps and seatplan.gpkg, each on its own. The goal: writing the workbook,
 * Parquet and maps takes at most twice the projection and CSV together. Sizes are in the notes.
 * `--quick` runs the county for its first five years. Times are CPU seconds of this process (user and system,
 * `process.cpuUsage`), not wall-clock: the machine is shared, and the ratio should not depend on what else runs.
 */
import { SqliteEventStore } from "@seatplan/core"
import * as RunFiles from "@seatplan/cli/RunFiles"
import { Compare, Project, ScenarioLoader } from "@seatplan/plan"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { Figure } from "./store.js"

const county = path.join(import.meta.dirname, "../scenarios/county/scenario.yaml")

/** This process's CPU seconds (user and system) so far: on a shared machine, wall-clock time is mostly the others' work. */
const cpu = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

const seconds = async <A>(f: () => Promise<A> | A): Promise<readonly [A, number]> => {
  const started = cpu()
  const a = await f()
  return [a, cpu() - started]
}

const size = (dir: string, names: ReadonlyArray<string>) =>
  names.reduce((n, f) => n + (fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.size ?? 0), 0)
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

export const run = async (quick: boolean): Promise<ReadonlyArray<Figure>> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-bench-files-"))
  try {
    const full = await Effect.runPromise(ScenarioLoader.load(county))
    const loaded = quick ? { ...full, scenario: { ...full.scenario, horizon: 5 } } : full
    const [results, projection] = await seconds(() =>
      Effect.runPromise(
        Effect.gen(function* () {
          yield* Project.store(loaded)
          return yield* Project.run(loaded, { variants: [] })
        }).pipe(Effect.provide(SqliteEventStore.layer({ filename: path.join(dir, "events.sqlite") })))
      )
    )
    const [, csv] = await seconds(() => RunFiles.csvAndJson(dir, results, "\uFEFF"))
    const plans = Compare.plans(loaded.streams)
    const demand = Compare.seatDemand(results, loaded.scenario)
    const accounts = {
      "accounts-demand": demand,
      "accounts-ledger": Compare.ledger(results, plans),
      accounts: Compare.accounts(results, plans, Math.max(...results[0].county.map((c) => c.year)), demand)
    }
    const compared = Compare.compare(results, undefined, demand)
    const steps = new Map<string, number>()
    const onStep = (step: string, s: number) => steps.set(step, s)
    await Effect.runPromise(RunFiles.workbookAndParquet(dir, results, accounts, compared.rows, "zh", onStep, cpu))
    await Effect.runPromise(RunFiles.maps(dir, results, { onStep, clock: cpu }))
    const files = [...steps.values()].reduce((a, b) => a + b, 0)
    const before = projection + csv
    const names = fs.readdirSync(dir)
    const rows = results.reduce((n, r) => n + r.schools.length + r.catchments.length + r.population.length, 0)
    const figure = (name: string, s: number, note?: string, goalSeconds?: number): Figure => ({
      name,
      events: rows,
      seconds: s,
      perSecond: rows / s,
      ...(goalSeconds === undefined ? {} : { goalSeconds }),
      ...(note === undefined ? {} : { note })
    })
    const of = (step: string) => steps.get(step) ?? 0
    return [
      figure(`county files: projection, ${results.length} variants`, projection),
      figure(
        "county files: CSV and JSON tables",
        csv,
        mb(
          size(
            dir,
            names.filter((n) => /\.(csv|json)$/.test(n))
          )
        )
      ),
      figure("county files: seatplan.xlsx", of("workbook"), mb(size(dir, ["seatplan.xlsx"]))),
      figure(
        "county files: Parquet",
        of("parquet"),
        mb(
          size(
            dir,
            names.filter((n) => n.endsWith(".parquet"))
          )
        )
      ),
      figure("county files: map layers (areas)", of("layers")),
      figure(
        "county files: GeoJSON",
        of("geojson"),
        mb(
          size(
            dir,
            names.filter((n) => n.endsWith(".geojson"))
          )
        )
      ),
      figure("county files: seatplan.gpkg", of("geopackage"), mb(size(dir, ["seatplan.gpkg"]))),
      figure("county files: all of the above files", files, `${(files / before).toFixed(2)}× projection+CSV (goal ≤ 2×)`, 2 * before)
    ]
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
