/**
 * Backtests (回测): how wrong would the projection have been? For each origin year, only the events
 * recorded up to that year are kept, the model is compiled with the origin as its base year and projected
 * forward with each method, and the projected pupils are compared with the enrolment recorded afterwards.
 *
 * Errors follow the convention of England's DfE pupil-forecast scorecards: the signed percentage error
 * `(forecast − actual) / actual × 100` (over-forecast positive), and its absolute value; MAPE is the mean
 * absolute percentage error (as NCES publishes it by lead time). They are computed per level, horizon
 * (1..N years ahead) and scope: the county, the catchment area (学区片区: the schools of one township and
 * its villages, or of the county seat) and the school.
 *
 * Uncertainty bands are checked against the same record: empirical bands take the distribution of past
 * signed errors for a method, level, scope and horizon and apply it to a projection (`applyBand`); in the
 * backtest each row's band comes from the other origins only (leave-one-origin-out), so its coverage is an
 * honest estimate. Monte Carlo bands (seeded replicates of the stochastic engine) are scored the same way.
 *
 * Pure apart from the CPU: no IO, no clock; warnings and errors are values.
 */
import type * as Event from "@seatplan/core/Event"
import * as School from "@seatplan/core/School"
import { Data, Either } from "effect"
import type * as Assumptions from "./Assumptions.js"
import * as Compile from "./Compile.js"
import * as Engine from "./Engine.js"
import type { AllocationRule } from "./allocation/AllocationRule.js"
import { groupKey, mcBand, monteCarlo, withEmpiricalBands } from "./backtest/Bands.js"
import { defaultMethods, type Method, methodName, type Scope, scopes } from "./backtest/Methods.js"
import { bias, mape, percentError, withinShare } from "./backtest/Metrics.js"
import { areas, cells, projected, recorded } from "./backtest/Records.js"
import type { ErrorRow, SummaryRow } from "./backtest/Rows.js"

export * from "./backtest/Bands.js"
export * from "./backtest/Methods.js"
export * from "./backtest/Metrics.js"
export * from "./backtest/Records.js"
export * from "./backtest/Rows.js"
export * as Calibrated from "./backtest/Calibrated.js"

export interface Options {
  /** Origin years; default every year with enrolment recorded in it and the year before, and after it. */
  readonly origins?: ReadonlyArray<number>
  /** Years projected from each origin and scored (default 5). */
  readonly horizon?: number
  readonly methods?: ReadonlyArray<Method>
  /** Levels scored (default all four). */
  readonly levels?: ReadonlyArray<School.Level>
  readonly assumptions?: Assumptions.Assumptions
  readonly rule?: AllocationRule
  /** The central share the bands hold (default 0.9). */
  readonly coverage?: number
  /** Monte Carlo replicates per origin and method for the Monte Carlo bands (default 0: none). */
  readonly replicates?: number
  /** Seed of the replicates (default 1). */
  readonly seed?: number
  /**
   * The assumptions of replicate r projected from an origin (base year, horizon): with a scenario's futures,
   * each replicate draws the uncertain assumptions too (default: the assumptions, noise only).
   */
  readonly replicateAssumptions?: (
    replicate: number,
    baseYear: number,
    horizon: number,
    central: Assumptions.Assumptions
  ) => Assumptions.Assumptions
  /**
   * Draw births, migration and enrolment at random in each replicate (default true). False: replicates
   * differ by their assumptions only (with `replicateAssumptions`: a sweep's futures), the band a sweep gives.
   */
  readonly noise?: boolean
}

export interface Result {
  readonly origins: ReadonlyArray<number>
  readonly horizon: number
  readonly methods: ReadonlyArray<string>
  readonly coverage: number
  readonly errors: ReadonlyArray<ErrorRow>
  readonly summary: ReadonlyArray<SummaryRow>
  /** Per level and scope, the method with the lowest MAPE over all horizons. */
  readonly best: ReadonlyArray<{ readonly level: School.Level; readonly scope: Scope; readonly method: string; readonly mape: number }>
  /** Gaps, zero actuals, the methods' own warnings (each once). */
  readonly warnings: ReadonlyArray<string>
}

/** Why a backtest cannot run: it names the option or the record at fault. */
export class BacktestError extends Data.TaggedError("BacktestError")<{ readonly message: string }> {}

const fail = (message: string): Either.Either<never, BacktestError> => Either.left(new BacktestError({ message }))

/**
 * The origins to backtest by default: years recorded together with the year before and a year within the
 * horizon after (`run` also needs a population recorded up to the origin).
 */
export const defaultOrigins = (years: ReadonlyArray<number>, horizon: number): ReadonlyArray<number> => {
  const set = new Set(years)
  return years.filter((y) => set.has(y - 1) && Array.from({ length: horizon }, (_, i) => y + 1 + i).some((t) => set.has(t)))
}

/** The years missing between the first and the last year recorded. */
export const gaps = (years: ReadonlyArray<number>): ReadonlyArray<number> => {
  const set = new Set(years)
  const out: Array<number> = []
  for (let y = (years[0] ?? 0) + 1; y < (years[years.length - 1] ?? 0); y++) if (!set.has(y)) out.push(y)
  return out
}

const populationYears = (events: ReadonlyArray<Event.Event>): ReadonlyArray<number> =>
  [...new Set(events.filter((e) => e._tag === "PopulationRecorded").map((e) => e.year))].sort((a, b) => a - b)

/**
 * Runs a backtest over a stream's recorded history (see the module documentation). A year missing from
 * the recorded enrolment is warned about once and never scored or bridged; an actual of zero is warned
 * about and not scored (the percentage is undefined). Fails with a `BacktestError` naming the option or
 * origin at fault: no enrolment recorded, an origin without a population recorded up to it, a bad horizon.
 */
export const run = (events: ReadonlyArray<Event.Event>, options: Options = {}): Either.Either<Result, BacktestError> => {
  const horizon = options.horizon ?? 5
  if (!(Number.isInteger(horizon) && horizon >= 1 && horizon <= 30))
    return fail(`horizon: expected a whole number of years from 1 to 30, found ${horizon}`)
  const coverage = options.coverage ?? 0.9
  if (!(coverage > 0 && coverage < 1)) return fail(`coverage: expected a share between 0 and 1, found ${coverage}`)
  const replicates = options.replicates ?? 0
  if (!(Number.isInteger(replicates) && replicates >= 0)) return fail(`replicates: expected a whole number, found ${replicates}`)
  const actual = recorded(events)
  if (actual.years.length === 0) return fail("no enrolment recorded (EnrolmentRecorded): there is nothing to score forecasts against")
  const warnings: Array<string> = []
  const warn = (w: string) => {
    if (!warnings.includes(w)) warnings.push(w)
  }
  for (const y of gaps(actual.years)) {
    warn(
      `no enrolment recorded in ${y} (recorded ${actual.years[0]}-${actual.years[actual.years.length - 1]}): forecasts for ${y} are not scored, and no origin bridges it`
    )
  }
  const population = populationYears(events)
  const origins = options.origins ?? defaultOrigins(actual.years, horizon).filter((o) => population.some((y) => y <= o))
  if (origins.length === 0) {
    return fail(
      `no origin to backtest: enrolment is recorded in ${actual.years.join(", ")} and population by age in ${population.join(", ") || "no year"}; ` +
        `an origin needs enrolment recorded in it, the year before and a later year, and a population recorded up to it`
    )
  }
  for (const o of origins) {
    if (!Number.isInteger(o)) return fail(`origin: expected a year, found ${o}`)
    if (!population.some((y) => y <= o)) {
      return fail(
        `origin ${o}: no population by age (PopulationRecorded) recorded up to ${o}; recorded in ${population.join(", ") || "no year"}`
      )
    }
    if (!actual.years.some((y) => y > o && y <= o + horizon)) {
      return fail(`origin ${o}: no enrolment recorded in ${o + 1}-${o + horizon} to score the forecast against`)
    }
    if (!population.includes(o))
      warn(
        `origin ${o}: the latest population by age recorded up to it is from ${Math.max(...population.filter((y) => y <= o))}; it is used as the population of ${o}`
      )
  }
  const methods = options.methods ?? defaultMethods()
  const levels = options.levels ?? School.levels
  const area = areas(events)
  const rows: Array<Omit<ErrorRow, "empirical_lower" | "empirical_upper" | "in_empirical">> = []
  for (const origin of origins) {
    const known = events.filter((e) => e.year <= origin)
    for (const method of methods) {
      const name = methodName(method)
      let model: Compile.Model
      try {
        model = Compile.compile(known, {
          baseYear: origin,
          horizon,
          method,
          ...(options.assumptions === undefined ? {} : { assumptions: options.assumptions }),
          ...(options.rule === undefined ? {} : { rule: options.rule })
        })
      } catch (e) {
        return fail(`origin ${origin}, method ${name}: ${e instanceof Error ? e.message : String(e)}`)
      }
      for (const w of model.warnings) warn(`${name}: ${w}`)
      const assumptionsOf = options.replicateAssumptions
      const bands =
        replicates > 0
          ? monteCarlo(
              model,
              replicates,
              options.seed ?? 1,
              assumptionsOf === undefined ? undefined : (r) => assumptionsOf(r, origin, horizon, model.assumptions),
              options.noise ?? true
            )
          : undefined
      const forecast = new Map<string, number>()
      const first = Compile.fresh(model)
      projected(first, Engine.run(first, { population: false }), forecast)
      for (const c of cells(forecast, actual, area, origin, horizon, levels, model.schoolIds)) {
        const error = percentError(c.forecast, c.actual)
        if (error === undefined) {
          if (c.scope === "school")
            warn(`school ${c.unit} recorded no ${c.level} pupils in ${c.year}: its percentage error is undefined and not scored`)
          continue
        }
        const mc = bands === undefined ? undefined : mcBand(bands, c, area, coverage)
        rows.push({
          method: name,
          origin,
          ...c,
          error_pct: error,
          abs_error_pct: Math.abs(error),
          mc_lower: mc?.[0],
          mc_upper: mc?.[1],
          in_mc: mc === undefined ? undefined : c.actual >= mc[0] && c.actual <= mc[1]
        })
      }
    }
  }
  const errors = withEmpiricalBands(rows, coverage)
  const summary = summarise(errors)
  return Either.right({ origins, horizon, methods: methods.map(methodName), coverage, errors, summary, best: best(summary), warnings })
}

const median = (xs: ReadonlyArray<number>): number => {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const share = (flags: ReadonlyArray<boolean | undefined>): [number | undefined, number] => {
  const known = flags.filter((f): f is boolean => f !== undefined)
  return [known.length === 0 ? undefined : known.filter((f) => f).length / known.length, known.length]
}

/** The published metrics of scored rows, per method, level, scope and horizon (in that order). */
export const summarise = (rows: ReadonlyArray<ErrorRow>): Array<SummaryRow> => {
  const groups = new Map<string, Array<ErrorRow>>()
  for (const r of rows) {
    const k = groupKey(r)
    const list = groups.get(k)
    if (list === undefined) groups.set(k, [r])
    else list.push(r)
  }
  const out: Array<SummaryRow> = []
  for (const list of groups.values()) {
    const first = list[0]
    const errors = list.map((r) => r.error_pct)
    const [empirical_coverage, empirical_n] = share(list.map((r) => r.in_empirical))
    const [mc_coverage, mc_n] = share(list.map((r) => r.in_mc))
    out.push({
      method: first.method,
      level: first.level,
      scope: first.scope,
      horizon: first.horizon,
      n: list.length,
      mean_error_pct: bias(errors),
      mape: mape(errors),
      median_ape: median(errors.map(Math.abs)),
      max_ape: errors.reduce((m, e) => Math.max(m, Math.abs(e)), -Infinity),
      within_2: withinShare(errors, 2),
      within_5: withinShare(errors, 5),
      empirical_coverage,
      empirical_n,
      mc_coverage,
      mc_n
    })
  }
  const levelOrder = (l: string) => School.levels.indexOf(l as School.Level)
  return out.sort(
    (a, b) =>
      a.method.localeCompare(b.method) ||
      levelOrder(a.level) - levelOrder(b.level) ||
      scopes.indexOf(a.scope) - scopes.indexOf(b.scope) ||
      a.horizon - b.horizon
  )
}

/** Per level and scope, the method with the lowest MAPE over all its scored forecasts. */
const best = (summary: ReadonlyArray<SummaryRow>): Result["best"] => {
  const totals = new Map<string, { level: School.Level; scope: Scope; method: string; sum: number; n: number }>()
  for (const r of summary) {
    const k = `${r.level}|${r.scope}|${r.method}`
    const t = totals.get(k) ?? { level: r.level, scope: r.scope, method: r.method, sum: 0, n: 0 }
    t.sum += r.mape * r.n
    t.n += r.n
    totals.set(k, t)
  }
  const winners = new Map<string, { level: School.Level; scope: Scope; method: string; mape: number }>()
  for (const t of totals.values()) {
    const k = `${t.level}|${t.scope}`
    const value = t.sum / t.n
    const current = winners.get(k)
    if (current === undefined || value < current.mape) winners.set(k, { level: t.level, scope: t.scope, method: t.method, mape: value })
  }
  return [...winners.values()].sort(
    (a, b) => School.levels.indexOf(a.level) - School.levels.indexOf(b.level) || scopes.indexOf(a.scope) - scopes.indexOf(b.scope)
  )
}
