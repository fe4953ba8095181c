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
import { Either } from "effect"
import type * as Assumptions from "./Assumptions.js"
import * as Compile from "./Compile.js"
import { levelNames } from "./Dimensions.js"
import * as Engine from "./Engine.js"
import type * as GradeProgression from "./GradeProgression.js"
import * as Results from "./Results.js"
import * as Rng from "./Rng.js"
import type { AllocationRule } from "./rules/AllocationRule.js"

/** A projection method: the cohort-component engine, or grade progression with one ratio summary. */
export type Method =
  | { readonly kind: "cohort-component" }
  | ({ readonly kind: "grade-progression" } & GradeProgression.CalibrateOptions)

/** Where an error is measured: the county, a catchment area (a township or the county seat), a school. */
export type Scope = "county" | "catchment" | "school"

export const scopes: ReadonlyArray<Scope> = ["county", "catchment", "school"]

/**
 * The methods a backtest compares by default: the cohort-component engine, and grade progression with
 * every ratio summary planners use over all recorded years, plus the mean over the last `window` years.
 */
export const defaultMethods = (window = 3): ReadonlyArray<Method> => [
  { kind: "cohort-component" },
  { kind: "grade-progression", summary: "mean" },
  { kind: "grade-progression", summary: "geometric-mean" },
  { kind: "grade-progression", summary: "median" },
  { kind: "grade-progression", summary: "last" },
  { kind: "grade-progression", summary: "recency-weighted" },
  { kind: "grade-progression", summary: "mean", window }
]

/** A method's short name: `cohort-component`, `gp-median`, `gp-mean-last3`, `gp-recency-weighted-0.8`. */
export const methodName = (m: Method): string => {
  if (m.kind === "cohort-component") return "cohort-component"
  const decay = m.summary === "recency-weighted" && m.recencyDecay !== undefined ? `-${m.recencyDecay}` : ""
  return `gp-${m.summary ?? "mean"}${decay}${m.window === undefined ? "" : `-last${m.window}`}`
}

/** Parses a method name written by `methodName`; undefined when it is not one. */
export const parseMethod = (name: string): Method | undefined => {
  if (name === "cohort-component") return { kind: "cohort-component" }
  const m = /^gp-(mean|geometric-mean|median|last|recency-weighted)(?:-([01](?:\.\d+)?))?(?:-last(\d+))?$/.exec(name)
  if (m === null) return undefined
  const summary = m[1] as GradeProgression.Summary
  if (m[2] !== undefined && summary !== "recency-weighted") return undefined
  if (m[3] !== undefined && Number(m[3]) < 1) return undefined
  return {
    kind: "grade-progression",
    summary,
    ...(m[2] === undefined ? {} : { recencyDecay: Number(m[2]) }),
    ...(m[3] === undefined ? {} : { window: Number(m[3]) })
  }
}

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
export const quantile = (sorted: ReadonlyArray<number>, p: number): number => {
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
export interface ErrorRow extends Cell {
  readonly method: string
  readonly origin: number
  readonly error_pct: number
  readonly abs_error_pct: number
  /** The empirical band for the actual, from the other origins' errors (leave-one-origin-out). */
  readonly empirical_lower: number | undefined
  readonly empirical_upper: number | undefined
  readonly in_empirical: boolean | undefined
  /** The Monte Carlo band (replicates of the stochastic engine) for the actual, when replicates were run. */
  readonly mc_lower: number | undefined
  readonly mc_upper: number | undefined
  readonly in_mc: boolean | undefined
}

/** The published metrics per method, level, scope and horizon. Shares are 0..1, errors in percent. */
export interface SummaryRow {
  readonly method: string
  readonly level: School.Level
  readonly scope: Scope
  readonly horizon: number
  /** Forecasts scored. */
  readonly n: number
  readonly mean_error_pct: number
  readonly mape: number
  readonly median_ape: number
  readonly max_ape: number
  readonly within_2: number
  readonly within_5: number
  /** How often the actual fell inside the empirical band, over `empirical_n` rows that had one (undefined: none had). */
  readonly empirical_coverage: number | undefined
  readonly empirical_n: number
  readonly mc_coverage: number | undefined
  readonly mc_n: number
}

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
export interface BacktestError {
  readonly _tag: "BacktestError"
  readonly message: string
}

const fail = (message: string): Either.Either<never, BacktestError> => Either.left({ _tag: "BacktestError", message })

/** Recorded enrolment: `school|year|level` → pupils, and the years recorded. */
export interface Recorded {
  readonly pupils: ReadonlyMap<string, number>
  readonly years: ReadonlyArray<number>
}

/** The key of a school's pupils of a level in a year in `Recorded.pupils` and in forecasts: `school|year|level`. */
export const key = (school: string, year: number, level: string): string => `${school}|${year}|${level}`

/** Sums the recorded enrolment (`EnrolmentRecorded`) of each school, year and level; later records replace earlier. */
export const recorded = (events: ReadonlyArray<Event.Event>): Recorded => {
  const byGrade = new Map<string, number>()
  for (const e of events) if (e._tag === "EnrolmentRecorded") byGrade.set(`${e.schoolId}|${e.year}|${e.grade}`, e.pupils)
  const pupils = new Map<string, number>()
  const years = new Set<number>()
  for (const [k, n] of byGrade) {
    const [school, year, grade] = k.split("|")
    years.add(Number(year))
    const level = School.levelOfGrade(Number(grade))
    const kk = key(school, Number(year), level)
    pupils.set(kk, (pupils.get(kk) ?? 0) + n)
  }
  return { pupils, years: [...years].sort((a, b) => a - b) }
}

/**
 * The catchment area (学区片区) of each school: the settlement it stands in, climbed from a village to its
 * township and from a county-seat district to the county seat.
 */
export const areas = (events: ReadonlyArray<Event.Event>): ReadonlyMap<string, string> => {
  const settlements = new Map<string, { readonly tier: string; readonly parent: string | undefined }>()
  const schools = new Map<string, string>()
  for (const e of events) {
    if (e._tag === "SettlementRecorded") settlements.set(e.settlement.id, { tier: e.settlement.tier, parent: e.settlement.parent })
    else if (e._tag === "SchoolOpened") schools.set(e.school.id, e.school.settlementId)
  }
  const up = (id: string): string => {
    let at = id
    for (let depth = 0; depth < 4; depth++) {
      const s = settlements.get(at)
      if (s === undefined || s.parent === undefined) return at
      const parent = settlements.get(s.parent)
      if (s.tier === "village" || (s.tier === "county-seat" && parent?.tier === "county-seat")) at = s.parent
      else return at
    }
    return at
  }
  return new Map([...schools].map(([school, settlement]) => [school, up(settlement)]))
}

/** Projected pupils per `school|year|level` of a run's cube (years origin+1..origin+horizon). */
const projected = (m: Compile.Model, cube: Results.Cube, out: Map<string, number>): void => {
  for (let y = 1; y < cube.years; y++) {
    for (let slot = 0; slot < cube.slotSchool.length; slot++) {
      const school = m.schoolIds[cube.slotSchool[slot]]
      out.set(key(school, m.baseYear + y, levelNames[cube.slotLevel[slot]]), Results.value(cube, y, slot, "pupils"))
    }
  }
}

/** One unit's forecast and actual in one year. */
export interface Cell {
  /** Years ahead of the origin (1..N). */
  readonly horizon: number
  readonly year: number
  readonly level: School.Level
  readonly scope: Scope
  /** `county`, the catchment area's settlement id, or the school id. */
  readonly unit: string
  readonly forecast: number
  readonly actual: number
}

/**
 * Pairs forecasts with the recorded enrolment, per scope: a school is scored in a year when it recorded
 * pupils of the level that year; the catchment and county sums run over the schools recorded that year.
 */
export const cells = (
  forecast: ReadonlyMap<string, number>,
  actual: Recorded,
  area: ReadonlyMap<string, string>,
  origin: number,
  horizon: number,
  levels: ReadonlyArray<School.Level>,
  schoolIds: ReadonlyArray<string>
): Array<Cell> => {
  const out: Array<Cell> = []
  const recordedYears = new Set(actual.years)
  for (let h = 1; h <= horizon; h++) {
    const year = origin + h
    if (!recordedYears.has(year)) continue
    for (const level of levels) {
      const sums = new Map<string, [number, number]>()
      const add = (scope: Scope, unit: string, f: number, a: number) => {
        const k = `${scope}|${unit}`
        const s = sums.get(k) ?? [0, 0]
        s[0] += f
        s[1] += a
        sums.set(k, s)
      }
      for (const school of schoolIds) {
        const a = actual.pupils.get(key(school, year, level))
        if (a === undefined) continue
        const f = forecast.get(key(school, year, level)) ?? 0
        add("school", school, f, a)
        add("catchment", area.get(school) ?? school, f, a)
        add("county", "county", f, a)
      }
      for (const [k, [f, a]] of sums) {
        const [scope, unit] = k.split("|") as [Scope, string]
        out.push({ horizon: h, year, level, scope, unit, forecast: f, actual: a })
      }
    }
  }
  return out
}

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
  if (!(Number.isInteger(horizon) && horizon >= 1 && horizon <= 30)) return fail(`horizon: expected a whole number of years from 1 to 30, found ${horizon}`)
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
    warn(`no enrolment recorded in ${y} (recorded ${actual.years[0]}-${actual.years[actual.years.length - 1]}): forecasts for ${y} are not scored, and no origin bridges it`)
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
      return fail(`origin ${o}: no population by age (PopulationRecorded) recorded up to ${o}; recorded in ${population.join(", ") || "no year"}`)
    }
    if (!actual.years.some((y) => y > o && y <= o + horizon)) {
      return fail(`origin ${o}: no enrolment recorded in ${o + 1}-${o + horizon} to score the forecast against`)
    }
    if (!population.includes(o)) warn(`origin ${o}: the latest population by age recorded up to it is from ${Math.max(...population.filter((y) => y <= o))}; it is used as the population of ${o}`)
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
      const bands = replicates > 0 ? monteCarlo(model, replicates, options.seed ?? 1) : undefined
      const forecast = new Map<string, number>()
      const first = Compile.fresh(model)
      projected(first, Engine.run(first, { population: false }), forecast)
      for (const c of cells(forecast, actual, area, origin, horizon, levels, model.schoolIds)) {
        const error = percentError(c.forecast, c.actual)
        if (error === undefined) {
          if (c.scope === "school") warn(`school ${c.unit} recorded no ${c.level} pupils in ${c.year}: its percentage error is undefined and not scored`)
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

/** Each replicate's forecasts per year and level: `year|level` → school → values (one per replicate). */
type Replicates = ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<number>>>

/** Runs `replicates` stochastic replicates and keeps each school's forecasts for the Monte Carlo bands. */
const monteCarlo = (model: Compile.Model, replicates: number, seed: number): Replicates => {
  const values = new Map<string, Map<string, Array<number>>>()
  for (let r = 0; r < replicates; r++) {
    const m = Compile.fresh(model)
    const forecast = new Map<string, number>()
    projected(m, Engine.run(m, { seed: Rng.derive(seed, r), population: false }), forecast)
    for (const [k, v] of forecast) {
      const [school, year, level] = k.split("|")
      const yl = `${year}|${level}`
      let bySchool = values.get(yl)
      if (bySchool === undefined) values.set(yl, (bySchool = new Map()))
      const list = bySchool.get(school)
      if (list === undefined) bySchool.set(school, [v])
      else list.push(v)
    }
  }
  return values
}

/** The Monte Carlo band of a cell: the central `coverage` of the replicates' sums over the cell's schools. */
const mcBand = (
  bands: Replicates,
  c: Cell,
  area: ReadonlyMap<string, string>,
  coverage: number
): readonly [number, number] | undefined => {
  const bySchool = bands.get(`${c.year}|${c.level}`)
  if (bySchool === undefined) return undefined
  const member = (school: string) =>
    c.scope === "school" ? school === c.unit : c.scope === "catchment" ? (area.get(school) ?? school) === c.unit : true
  let sums: Array<number> | undefined
  for (const [school, values] of bySchool) {
    if (!member(school)) continue
    sums ??= new Array<number>(values.length).fill(0)
    for (let i = 0; i < values.length; i++) sums[i] += values[i]
  }
  if (sums === undefined) return undefined
  sums.sort((a, b) => a - b)
  const tail = (1 - coverage) / 2
  return [quantile(sums, tail), quantile(sums, 1 - tail)]
}

const groupKey = (r: { readonly method: string; readonly level: string; readonly scope: string; readonly horizon: number }) =>
  `${r.method}|${r.level}|${r.scope}|${r.horizon}`

/** Adds each row's empirical band from the errors of the other origins (leave-one-origin-out). */
const withEmpiricalBands = (
  rows: ReadonlyArray<Omit<ErrorRow, "empirical_lower" | "empirical_upper" | "in_empirical">>,
  coverage: number
): Array<ErrorRow> => {
  const groups = new Map<string, Array<{ readonly origin: number; readonly error: number }>>()
  for (const r of rows) {
    const k = groupKey(r)
    const list = groups.get(k)
    if (list === undefined) groups.set(k, [{ origin: r.origin, error: r.error_pct }])
    else list.push({ origin: r.origin, error: r.error_pct })
  }
  const cache = new Map<string, ErrorBand | undefined>()
  return rows.map((r) => {
    const k = `${groupKey(r)}|${r.origin}`
    if (!cache.has(k)) {
      const others = groups.get(groupKey(r))!.filter((x) => x.origin !== r.origin).map((x) => x.error)
      cache.set(k, errorBand(others, coverage))
    }
    const band = cache.get(k)
    const interval = band === undefined ? undefined : applyBand(r.forecast, band)
    return {
      ...r,
      empirical_lower: interval?.[0],
      empirical_upper: interval?.[1],
      in_empirical: interval === undefined ? undefined : r.actual >= interval[0] && r.actual <= interval[1]
    }
  })
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
      max_ape: Math.max(...errors.map(Math.abs)),
      within_2: withinShare(errors, 2),
      within_5: withinShare(errors, 5),
      empirical_coverage,
      empirical_n,
      mc_coverage,
      mc_n
    })
  }
  const levelOrder = (l: string) => School.levels.indexOf(l as School.Level)
  return out.sort((a, b) =>
    a.method.localeCompare(b.method) || levelOrder(a.level) - levelOrder(b.level) ||
    scopes.indexOf(a.scope) - scopes.indexOf(b.scope) || a.horizon - b.horizon
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
  return [...winners.values()].sort((a, b) =>
    School.levels.indexOf(a.level) - School.levels.indexOf(b.level) || scopes.indexOf(a.scope) - scopes.indexOf(b.scope)
  )
}

/**
 * Empirical bands (per method, level, scope and horizon) from all the backtest's errors, to apply to a new
 * projection with `applyBand`.
 */
export const empiricalBands = (
  result: Pick<Result, "errors" | "coverage">
): ReadonlyArray<{ readonly method: string; readonly level: School.Level; readonly scope: Scope; readonly horizon: number } & ErrorBand> => {
  const groups = new Map<string, Array<ErrorRow>>()
  for (const r of result.errors) {
    const k = groupKey(r)
    const list = groups.get(k)
    if (list === undefined) groups.set(k, [r])
    else list.push(r)
  }
  const out: Array<{ method: string; level: School.Level; scope: Scope; horizon: number } & ErrorBand> = []
  for (const list of groups.values()) {
    const band = errorBand(list.map((r) => r.error_pct), result.coverage)
    if (band !== undefined) out.push({ method: list[0].method, level: list[0].level, scope: list[0].scope, horizon: list[0].horizon, ...band })
  }
  return out
}

/** A projected figure with the empirical band for the actual. */
export interface BandedRow {
  readonly method: string
  readonly year: number
  readonly horizon: number
  readonly level: School.Level
  readonly scope: Scope
  readonly unit: string
  readonly pupils: number
  /** The band's bounds for the actual, or undefined when the backtest had too few errors for it. */
  readonly lower: number | undefined
  readonly upper: number | undefined
}

/**
 * Puts the empirical bands of a backtest (`empiricalBands`) around a new projection: the stream's events
 * are compiled at `baseYear` (default the latest population year) and projected `horizon` years with
 * `method`; the pupils of every school, catchment area and the county by level and year get the band of
 * the same method, level, scope and years ahead. Throws `Compile.CompileError` when the events cannot be
 * compiled.
 */
export const banded = (
  events: ReadonlyArray<Event.Event>,
  bands: ReturnType<typeof empiricalBands>,
  options: {
    readonly method: Method
    readonly horizon: number
    readonly baseYear?: number
    readonly assumptions?: Assumptions.Assumptions
    readonly rule?: AllocationRule
    readonly levels?: ReadonlyArray<School.Level>
  }
): ReadonlyArray<BandedRow> => {
  const m = Compile.compile(events, {
    horizon: options.horizon,
    method: options.method,
    ...(options.baseYear === undefined ? {} : { baseYear: options.baseYear }),
    ...(options.assumptions === undefined ? {} : { assumptions: options.assumptions }),
    ...(options.rule === undefined ? {} : { rule: options.rule })
  })
  const forecast = new Map<string, number>()
  projected(m, Engine.run(m, { population: false }), forecast)
  const area = areas(events)
  const name = methodName(options.method)
  const byKey = new Map(bands.filter((b) => b.method === name).map((b) => [`${b.level}|${b.scope}|${b.horizon}`, b]))
  const out: Array<BandedRow> = []
  for (let h = 1; h <= options.horizon; h++) {
    const year = m.baseYear + h
    for (const level of options.levels ?? School.levels) {
      const sums = new Map<string, number>()
      const add = (k: string, v: number) => sums.set(k, (sums.get(k) ?? 0) + v)
      for (const school of m.schoolIds) {
        const v = forecast.get(key(school, year, level))
        if (v === undefined) continue
        add(`school|${school}`, v)
        add(`catchment|${area.get(school) ?? school}`, v)
        add("county|county", v)
      }
      for (const [k, pupils] of sums) {
        const [scope, unit] = k.split("|") as [Scope, string]
        const band = byKey.get(`${level}|${scope}|${h}`)
        const interval = band === undefined ? undefined : applyBand(pupils, band)
        out.push({ method: name, year, horizon: h, level, scope, unit, pupils, lower: interval?.[0], upper: interval?.[1] })
      }
    }
  }
  return out
}
