/**
 * The published accuracy metrics (signed and absolute percentage errors, MAPE, bias, shares within a
 * tolerance) and empirical error bands: pure arithmetic over numbers.
 */

/**
 * The signed percentage error `(forecast − actual) / actual × 100`: positive when the forecast was over.
 * Undefined when nothing was recorded (actual 0): the percentage has no meaning there.
 */
export const percentError = (forecast: number, actual: number): number | undefined =>
  actual > 0 ? ((forecast - actual) / actual) * 100 : undefined

/** The mean absolute percentage error (MAPE) of signed percentage errors; NaN for none. */
export const mape = (errors: ReadonlyArray<number>): number =>
  errors.length === 0 ? NaN : errors.reduce((s, e) => s + Math.abs(e), 0) / errors.length

/** The mean signed percentage error (the bias: positive when forecasts run high); NaN for none. */
export const bias = (errors: ReadonlyArray<number>): number =>
  errors.length === 0 ? NaN : errors.reduce((s, e) => s + e, 0) / errors.length

/** The share (0..1) of errors within ±`tolerance` percent; NaN for none. */
export const withinShare = (errors: ReadonlyArray<number>, tolerance: number): number =>
  errors.length === 0 ? NaN : errors.filter((e) => Math.abs(e) <= tolerance + 1e-9).length / errors.length

/**
 * The `p` quantile of sorted values with linear interpolation between order statistics (Hyndman and Fan's
 * type 7, R's default): at `h = (n − 1)p`, `x[⌊h⌋] + (h − ⌊h⌋)(x[⌈h⌉] − x[⌊h⌋])`.
 */
export const quantile = (sorted: ArrayLike<number>, p: number): number => {
  if (sorted.length === 0) return NaN
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}

/** A band of signed percentage errors: the `coverage` central interval of past errors. */
export interface ErrorBand {
  readonly lower: number
  readonly upper: number
  /** Past errors it was taken from. */
  readonly n: number
}

/**
 * The central interval of signed percentage errors holding `coverage` (e.g. 0.9: the 5th to the 95th
 * percentile); undefined for fewer than `minimum` errors (default 3).
 */
export const errorBand = (errors: ReadonlyArray<number>, coverage = 0.9, minimum = 3): ErrorBand | undefined => {
  if (errors.length < Math.max(1, minimum)) return undefined
  const sorted = [...errors].sort((a, b) => a - b)
  const tail = (1 - coverage) / 2
  return { lower: quantile(sorted, tail), upper: quantile(sorted, 1 - tail), n: errors.length }
}

/**
 * Applies a band of past errors to a new forecast: since error = forecast / actual − 1, the actual lies in
 * `[forecast / (1 + upper), forecast / (1 + lower)]` when the new error falls where past errors fell. An
 * error band reaching −100 % (a forecast of nothing) leaves the upper bound infinite.
 */
export const applyBand = (forecast: number, band: ErrorBand): readonly [lower: number, upper: number] => {
  const hi = 1 + band.upper / 100
  const lo = 1 + band.lower / 100
  return [hi > 0 ? forecast / hi : 0, lo > 0 ? forecast / lo : Infinity]
}

/** One forecast scored against the enrolment recorded for its year. Percentages are in percent. */
