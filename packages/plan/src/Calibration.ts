/**
 * Calibrated bands (校准区间, issue 17) for `run --replicates` and `sweep`: the band of the replicates (run:
 * each a future from the scenario's uncertainty and noise) or of the futures (sweep: futures only) widened or
 * narrowed by a backtest's past misses, carried in its `backtest-calibration.json`
 * (`Backtest.Calibrated.calibration`): [p5 − q·forecast, p95 + q·forecast], q the conformal quantile of the
 * backtest's scores for the scenario's method, the level, the scope (county, or a school) and the years
 * ahead of the base year. The two sources are not added: the shape of the band comes from the assumptions,
 * its width is corrected by how far such bands missed the actuals before (which already holds the
 * assumptions' own past errors). A calibration is only valid for bands drawn as its backtest drew them, so
 * its `base` must match: `futures and noise` for run with uncertainty, `noise` for run without, `futures`
 * for sweep.
 */
import { Backtest, Dimensions } from "@seatplan/sim"
import { Effect } from "effect"
import { readChecked } from "./Bands.js"
import * as Project from "./Project.js"
import * as Sweep from "./Sweep.js"

export type Calibration = Backtest.Calibrated.Calibration

/** A calibrated band of pupils: a variant's county level, a catchment area's, or one school's, in a year. */
export interface CalibratedBand {
  readonly variant: string
  readonly year: number
  readonly level: string
  readonly scope: "county" | "catchment" | "school"
  /** The county, the catchment area's settlement id (`Backtest.areas`), or the school's id. */
  readonly unit: string
  /** The projection's own figure (the plain run, the central future). */
  readonly pupils: number
  /** The 5th and 95th percentiles of the replicates or futures. */
  readonly p5: number
  readonly p95: number
  /** The backtest's quantile applied (a share of the forecast); undefined for the base year or what the backtest did not score. */
  readonly q: number | undefined
  readonly calibrated_lower: number | undefined
  readonly calibrated_upper: number | undefined
}

/** Reads a `backtest-calibration.json` and checks its base is the one the bands will be drawn with. */
export const read = (file: string, option: string, base: Backtest.Calibrated.Base): Effect.Effect<Calibration, Project.RunError> =>
  Effect.gen(function* () {
    const c = yield* readChecked(file, Backtest.Calibrated.Calibration, option, "backtest-calibration.json", "a backtest calibration")
    if (c.base !== base) {
      return yield* new Project.RunError({
        reason: `${file}: expected a calibration whose replicates drew ${base} (${option}), found one of ${c.base}: run seatplan backtest --replicates N${base === "futures" ? " --futures-only" : ""} on a scenario ${base === "noise" ? "without" : "with"} uncertainty:`
      })
    }
    return c
  })

/** A band calibrated: the quantile of the method, level, scope and years ahead applied to [p5, p95] around `pupils`. */
export const band = (
  c: Calibration,
  method: string,
  baseYear: number,
  cell: Omit<CalibratedBand, "q" | "calibrated_lower" | "calibrated_upper">
): CalibratedBand => {
  const q = Backtest.Calibrated.quantileFor(c, method, cell.level, cell.scope, cell.year - baseYear)
  const widened = q === undefined ? undefined : Backtest.Calibrated.widen(cell.p5, cell.p95, cell.pupils, q)
  return { ...cell, q, calibrated_lower: widened?.[0], calibrated_upper: widened?.[1] }
}

/** The 5th and 95th percentiles (R-7, as the backtest's bands) of values. */
const percentiles = (values: ReadonlyArray<number>): readonly [number, number] => {
  const sorted = [...values].sort((a, b) => a - b)
  return [Backtest.quantile(sorted, 0.05), Backtest.quantile(sorted, 0.95)]
}

/**
 * A sweep's calibrated bands of pupils: per variant, year and level for the county (from the rows) and per
 * school and level (from the school figures), around each variant's central projection (`central`, the
 * plain run: `Sweep.project` with the scenario's own assumptions).
 */
export const sweep = (
  c: Calibration,
  method: string,
  result: Sweep.Result,
  central: ReadonlyArray<Sweep.Projected>
): ReadonlyArray<CalibratedBand> => {
  const out: Array<CalibratedBand> = []
  const F = Sweep.figures.length
  const SF = Sweep.schoolFigures.length
  const L = Dimensions.levels
  result.variants.forEach((variant, v) => {
    const rows = result.rows.filter((r) => r.variant === variant)
    const baseYear = result.baseYear
    const years = central[v].figures.length / (L * F)
    for (let y = 0; y < years; y++) {
      for (let l = 0; l < L; l++) {
        const level = Dimensions.levelNames[l]
        const values = rows.filter((r) => r.year === baseYear + y && r.level === level).map((r) => r.pupils)
        const [p5, p95] = percentiles(values)
        const pupils = central[v].figures[(y * L + l) * F]
        out.push(band(c, method, baseYear, { variant, year: baseYear + y, level, scope: "county", unit: "county", pupils, p5, p95 }))
      }
    }
    const slots = result.slots[v]
    const S = slots.school.length
    const futures = result.schools[v]
    const values = new Array<number>(futures.length)
    for (let y = 0; y < years; y++) {
      for (let i = 0; i < S; i++) {
        const o = (y * S + i) * SF
        const pupils = central[v].schools[o]
        for (let f = 0; f < futures.length; f++) values[f] = futures[f][o]
        if (pupils <= 0 && values.every((x) => x <= 0)) continue
        const [p5, p95] = percentiles(values)
        out.push(
          band(c, method, baseYear, {
            variant,
            year: baseYear + y,
            level: slots.level[i],
            scope: "school",
            unit: slots.school[i],
            pupils,
            p5,
            p95
          })
        )
      }
    }
  })
  return out
}

/**
 * `run --replicates --calibration`: each variant's pupils per year and level with the replicates' band
 * calibrated, for the county (its row of the county table), each catchment area (Σ of its schools' rows,
 * `Backtest.areas`) and each school, as the backtest scored them; the bands come from the Monte Carlo summary
 * (`VariantResult.cells`, computed where the replicates were gathered, so the same with `--distributed`).
 */
export const run = (c: Calibration, method: string, results: ReadonlyArray<Project.VariantResult>): ReadonlyArray<CalibratedBand> =>
  results.flatMap((r) => {
    const baseYear = r.model.baseYear
    const county = r.county.flatMap((row) => {
      const mc = r.bands.find((b) => b.metric === "pupils" && b.year === row.year && b.level === row.level)
      if (mc === undefined) return []
      return [
        band(c, method, baseYear, {
          variant: r.variant,
          year: row.year,
          level: row.level,
          scope: "county",
          unit: "county",
          pupils: row.pupils,
          p5: mc.p5,
          p95: mc.p95
        })
      ]
    })
    // the plain run's pupils per school, and per area (Σ over its schools), by year and level
    const plain = new Map<string, number>()
    const area = Backtest.areas(r.events.map((e) => e.event))
    for (const row of r.schools) {
      plain.set(`school|${row.school_id}|${row.year}|${row.level}`, row.pupils)
      const k = `catchment|${area.get(row.school_id) ?? row.school_id}|${row.year}|${row.level}`
      plain.set(k, (plain.get(k) ?? 0) + row.pupils)
    }
    const cells = r.cells.flatMap((cell) => {
      const pupils = plain.get(`${cell.scope}|${cell.unit}|${cell.year}|${cell.level}`) ?? 0
      if (pupils <= 0 && cell.p95 <= 0) return []
      return [band(c, method, baseYear, { variant: r.variant, ...cell, pupils })]
    })
    return [...county, ...cells]
  })
