/**
 * Uncertainty bands scored against the record: Monte Carlo bands from seeded replicates, empirical bands
 * from the other origins' errors (leave-one-origin-out), and a backtest's bands put around a new projection.
 */
import type * as Event from "@seatplan/core/Event"
import * as School from "@seatplan/core/School"
import type * as Assumptions from "../Assumptions.js"
import * as Compile from "../Compile.js"
import * as Engine from "../Engine.js"
import * as Rng from "../Rng.js"
import type { AllocationRule } from "../allocation/AllocationRule.js"
import { type Method, methodName, type Scope } from "./Methods.js"
import { applyBand, type ErrorBand, errorBand, quantile } from "./Metrics.js"
import { areas, type Cell, key, projected } from "./Records.js"
import type { ErrorRow } from "./Rows.js"

/** Each replicate's forecasts per year and level: `year|level` → school → values (one per replicate). */
export type Replicates = ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<number>>>

/**
 * Runs `replicates` replicates (each with its own assumptions when `assumptionsOf` is given) and keeps each
 * school's forecasts for the Monte Carlo bands; stochastic unless `noise` is false (then replicates differ
 * by their assumptions only, as a sweep's futures do).
 */
export const monteCarlo = (
  model: Compile.Model,
  replicates: number,
  seed: number,
  assumptionsOf?: (replicate: number) => Assumptions.Assumptions,
  noise = true
): Replicates => {
  const values = new Map<string, Map<string, Array<number>>>()
  for (let r = 0; r < replicates; r++) {
    // a replicate with a future's assumptions runs on the same compiled model (what a future changes is read by the yearly loop)
    const m = assumptionsOf === undefined ? Compile.fresh(model) : { ...Compile.fresh(model), assumptions: assumptionsOf(r) }
    const forecast = new Map<string, number>()
    projected(m, Engine.run(m, noise ? { seed: Rng.derive(seed, r), population: false } : { population: false }), forecast)
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
export const mcBand = (
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

export const groupKey = (r: { readonly method: string; readonly level: string; readonly scope: string; readonly horizon: number }) =>
  `${r.method}|${r.level}|${r.scope}|${r.horizon}`

/** Adds each row's empirical band from the errors of the other origins (leave-one-origin-out). */
export const withEmpiricalBands = (
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
      const others = groups
        .get(groupKey(r))!
        .filter((x) => x.origin !== r.origin)
        .map((x) => x.error)
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

/**
 * Empirical bands (per method, level, scope and horizon) from all the backtest's errors, to apply to a new
 * projection with `applyBand`.
 */
export const empiricalBands = (result: {
  readonly errors: ReadonlyArray<ErrorRow>
  readonly coverage: number
}): ReadonlyArray<
  { readonly method: string; readonly level: School.Level; readonly scope: Scope; readonly horizon: number } & ErrorBand
> => {
  const groups = new Map<string, Array<ErrorRow>>()
  for (const r of result.errors) {
    const k = groupKey(r)
    const list = groups.get(k)
    if (list === undefined) groups.set(k, [r])
    else list.push(r)
  }
  const out: Array<{ method: string; level: School.Level; scope: Scope; horizon: number } & ErrorBand> = []
  for (const list of groups.values()) {
    const band = errorBand(
      list.map((r) => r.error_pct),
      result.coverage
    )
    if (band !== undefined)
      out.push({ method: list[0].method, level: list[0].level, scope: list[0].scope, horizon: list[0].horizon, ...band })
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
