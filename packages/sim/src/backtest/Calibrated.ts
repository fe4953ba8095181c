/**
 * Calibrated bands (校准区间, issue 17): assumption uncertainty and past errors combined, by split conformal
 * prediction around the assumption band (conformalised quantile regression, Romano, Patterson & Candès 2019).
 *
 * The base band of a forecast is the spread of its replicates (the Monte Carlo band; with futures, each
 * replicate also draws the uncertain assumptions, so it is assumption uncertainty plus noise), or the point
 * forecast alone when there were no replicates. Its nonconformity score on a past forecast is how far the
 * actual fell outside the band, as a share of the forecast: max(lower − actual, actual − upper) / forecast
 * (negative inside). For a forecast from origin o, the scores of the same method, level, scope and years
 * ahead from the other origins give q, their ⌈(n + 1)·coverage⌉-th smallest (the finite-sample correction:
 * with n scores the band then covers at least `coverage` of exchangeable forecasts; with too few scores it
 * takes the largest); the calibrated band is [lower − q·forecast, upper + q·forecast]. So the shape comes
 * from the assumptions and the width is corrected by how wrong such bands were before: a band too narrow
 * (the Monte Carlo's noise alone) widens, a band too wide narrows. The two sources are not added, which
 * would count the assumptions' past errors twice (they are inside the past errors already).
 */
import type { ErrorRow } from "./Rows.js"

export interface CalibratedRow {
  readonly method: string
  readonly origin: number
  readonly level: string
  readonly scope: string
  readonly unit: string
  readonly year: number
  readonly horizon: number
  readonly forecast: number
  readonly actual: number
  readonly calibrated_lower: number | undefined
  readonly calibrated_upper: number | undefined
  readonly in_calibrated: boolean | undefined
}

/** Coverage of the calibrated bands per method, level and scope (all horizons together). */
export interface CalibratedSummary {
  readonly method: string
  readonly level: string
  readonly scope: string
  readonly n: number
  readonly coverage: number | undefined
}

const base = (r: ErrorRow): readonly [number, number] => [r.mc_lower ?? r.forecast, r.mc_upper ?? r.forecast]

/** A row's nonconformity score: how far outside its base band the actual fell, as a share of the forecast. */
export const score = (r: ErrorRow): number => {
  const [lo, hi] = base(r)
  return Math.max(lo - r.actual, r.actual - hi) / Math.max(1e-9, Math.abs(r.forecast))
}

/** The conformal quantile of scores for `coverage`: the ⌈(n + 1)·coverage⌉-th smallest, or the largest when n is too small. */
export const conformalQuantile = (scores: ReadonlyArray<number>, coverage: number): number | undefined => {
  const n = scores.length
  if (n === 0) return undefined
  const sorted = [...scores].sort((a, b) => a - b)
  const k = Math.ceil((n + 1) * coverage)
  return sorted[Math.min(n, k) - 1]
}

const groupOf = (r: ErrorRow) => `${r.method}|${r.level}|${r.scope}|${r.horizon}`

/** Every scored forecast with its calibrated band, leave-one-origin-out. */
export const calibrate = (rows: ReadonlyArray<ErrorRow>, coverage: number): ReadonlyArray<CalibratedRow> => {
  const groups = new Map<string, Array<{ readonly origin: number; readonly score: number }>>()
  for (const r of rows) {
    const k = groupOf(r)
    const list = groups.get(k)
    const s = { origin: r.origin, score: score(r) }
    if (list === undefined) groups.set(k, [s])
    else list.push(s)
  }
  const cache = new Map<string, number | undefined>()
  return rows.map((r) => {
    const k = `${groupOf(r)}|${r.origin}`
    if (!cache.has(k)) {
      const others = (groups.get(groupOf(r)) ?? []).filter((s) => s.origin !== r.origin).map((s) => s.score)
      cache.set(k, conformalQuantile(others, coverage))
    }
    const q = cache.get(k)
    const [lo, hi] = base(r)
    const lower = q === undefined ? undefined : Math.max(0, lo - q * Math.abs(r.forecast))
    const upper = q === undefined ? undefined : hi + q * Math.abs(r.forecast)
    return {
      method: r.method,
      origin: r.origin,
      level: r.level,
      scope: r.scope,
      unit: r.unit,
      year: r.year,
      horizon: r.horizon,
      forecast: r.forecast,
      actual: r.actual,
      calibrated_lower: lower,
      calibrated_upper: upper,
      in_calibrated: lower === undefined || upper === undefined ? undefined : r.actual >= lower && r.actual <= upper
    }
  })
}

/** The calibrated bands' coverage per method, level and scope. */
export const summary = (rows: ReadonlyArray<CalibratedRow>): ReadonlyArray<CalibratedSummary> => {
  const groups = new Map<string, Array<CalibratedRow>>()
  for (const r of rows) {
    const k = `${r.method}|${r.level}|${r.scope}`
    const list = groups.get(k)
    if (list === undefined) groups.set(k, [r])
    else list.push(r)
  }
  return [...groups.values()].map((list) => {
    const known = list.filter((r) => r.in_calibrated !== undefined)
    return {
      method: list[0].method,
      level: list[0].level,
      scope: list[0].scope,
      n: known.length,
      coverage: known.length === 0 ? undefined : known.filter((r) => r.in_calibrated).length / known.length
    }
  })
}
