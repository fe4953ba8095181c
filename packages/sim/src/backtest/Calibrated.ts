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
import { Schema } from "effect"
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
    const band = q === undefined ? undefined : widen(lo, hi, r.forecast, q)
    const lower = band?.[0]
    const upper = band?.[1]
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

/** A band [lower, upper] around `forecast` widened (q > 0) or narrowed (q < 0) by q × the forecast, never below 0. */
export const widen = (lower: number, upper: number, forecast: number, q: number): readonly [number, number] => [
  Math.max(0, lower - q * Math.abs(forecast)),
  upper + q * Math.abs(forecast)
]

/**
 * What the replicates of a backtest drew, which must be what the bands calibrated with its scores draw:
 * `noise` (`run --replicates` on a scenario without uncertainty), `futures and noise` (`run --replicates`
 * with the scenario's uncertainty: each replicate a future and noise), `futures` (`sweep`: futures only).
 */
export const Base = Schema.Literal("noise", "futures and noise", "futures")
export type Base = typeof Base.Type

/** The conformal quantile of one method, level, scope and years ahead, from every origin's scores. */
export const Quantile = Schema.Struct({
  method: Schema.String,
  level: Schema.String,
  scope: Schema.String,
  horizon: Schema.Number,
  n: Schema.Number,
  q: Schema.Number
})
export type Quantile = typeof Quantile.Type

/**
 * A backtest's calibration (`backtest-calibration.json`), carried to `run --replicates --calibration` and
 * `sweep --calibration`: the quantiles of every origin's scores (the leave-one-origin-out bands of the
 * backtest use all origins but the one scored; a new projection has no actual yet, so it uses them all).
 */
export const Calibration = Schema.Struct({
  base: Base,
  coverage: Schema.Number,
  replicates: Schema.Number,
  quantiles: Schema.Array(Quantile)
})
export type Calibration = typeof Calibration.Type

/** The calibration of a backtest's scored rows: per method, level, scope and horizon, the conformal quantile of all its origins' scores. */
export const calibration = (rows: ReadonlyArray<ErrorRow>, coverage: number, base: Base, replicates: number): Calibration => {
  const groups = new Map<string, { readonly first: ErrorRow; readonly scores: Array<number> }>()
  for (const r of rows) {
    const k = groupOf(r)
    const g = groups.get(k)
    if (g === undefined) groups.set(k, { first: r, scores: [score(r)] })
    else g.scores.push(score(r))
  }
  const quantiles: Array<Quantile> = []
  for (const { first, scores } of groups.values()) {
    const q = conformalQuantile(scores, coverage)
    if (q !== undefined)
      quantiles.push({ method: first.method, level: first.level, scope: first.scope, horizon: first.horizon, n: scores.length, q })
  }
  return { base, coverage, replicates, quantiles }
}

/**
 * The quantile for a forecast `horizon` years ahead: the calibration's own for that horizon, or beyond the
 * horizons it scored, its longest one's (a band is not narrowed for lack of a longer record); undefined for
 * the base year (nothing to calibrate: it is recorded) or a method, level or scope it did not score.
 */
export const quantileFor = (c: Calibration, method: string, level: string, scope: string, horizon: number): number | undefined => {
  if (horizon < 1) return undefined
  let best: Quantile | undefined
  for (const x of c.quantiles) {
    if (x.method !== method || x.level !== level || x.scope !== scope || x.horizon > horizon) continue
    if (best === undefined || x.horizon > best.horizon) best = x
  }
  return best?.q
}
