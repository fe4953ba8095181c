/**
 * Futures (情景): the assumptions a bureau is unsure of, each with a range or a distribution (low/central/
 * high, triangular, uniform, or normal with bounds), and named futures ("births fall faster") as sets of
 * values; designs that draw N futures from them (Latin hypercube, grid, the named ones) with the seeded
 * generator of `@seatplan/sim` Rng, so the same seed gives the same futures bit for bit; and a future's
 * assumptions (the scenario's own with the future's values put in). Pure: no I/O.
 *
 * The central value of a range (its `central`, a triangular's `mode`, a normal's `mean`) must be the value
 * the scenario's assumptions already give: the central future is the plain run, and uncertainty never
 * changes what `seatplan run` projects.
 */
import { Geography, School } from "@seatplan/core"
import * as Numbers from "@seatplan/core/Numbers"
import { Assumptions, Rng } from "@seatplan/sim"
import { Schema } from "effect"

// -------------------------------------------------------------------------------------- parameters

/** An assumption a future may change: its key in the scenario file, names, unit and valid domain. */
export interface Parameter {
  readonly key: string
  readonly zh: string
  readonly en: string
  readonly unit: string
  readonly min: number
  readonly max: number
  /** The value the assumptions give (undefined when they give none a single value can stand for). */
  readonly central: (a: Assumptions.Assumptions) => number | undefined
  /** The assumptions with this value put in (`years`: the base year and horizon, for yearly series). */
  readonly set: (a: Assumptions.Assumptions, value: number, years: Years) => Assumptions.Assumptions
}

/** The projection's years, for parameters that reshape a yearly series. */
export interface Years {
  readonly baseYear: number
  readonly horizon: number
}

const perLevel = (
  field: "participation" | "retention" | "housingYield" | "recurrentPerPupil",
  zh: string,
  en: string,
  unit: string,
  max: number
): ReadonlyArray<Parameter> =>
  School.levels.map((level) => ({
    key: `${field}.${level}`,
    zh: `${School.levelLabels[level].zh}${zh}`,
    en: `${en}, ${School.levelLabels[level].en}`,
    unit,
    min: 0,
    max,
    central: (a) => a[field][level],
    set: (a, v) => ({ ...a, [field]: { ...a[field], [level]: v } })
  }))

const scalar = (
  field: "teacherAttrition" | "capitalPerSeat" | "capitalPerClassroom" | "capitalPerBed" | "transportPerPupilKm",
  zh: string,
  en: string,
  unit: string,
  max: number
): Parameter => ({ key: field, zh, en, unit, min: 0, max, central: (a) => a[field] ?? 0, set: (a, v) => ({ ...a, [field]: v }) })

/** A yearly series scaled by (1 + trend)^(years after the base year), listed for every projected year. */
const trended = (series: Readonly<Record<string, number>>, trend: number, years: Years, fallback: number): Record<string, number> => {
  const out: Record<string, number> = { ...series }
  for (let y = years.baseYear + 1; y <= years.baseYear + years.horizon; y++) {
    out[String(y)] = Assumptions.seriesAt(series, y, fallback) * (1 + trend) ** (y - years.baseYear)
  }
  return out
}

const migrationParameters: ReadonlyArray<Parameter> = Geography.tiers.flatMap((from) =>
  [...Geography.tiers, "outside" as const]
    .filter((to) => to !== from)
    .map(
      (to): Parameter => ({
        key: `migration.${from}.${to}`,
        zh: `迁移率：${Geography.tierLabels[from].zh}→${to === "outside" ? "县外" : Geography.tierLabels[to].zh}`,
        en: `migration rate, ${from} → ${to}`,
        unit: "share per year",
        min: 0,
        max: 1,
        central: (a) => {
          const rates = a.migration.filter((r) => r.from === from && r.to === to).map((r) => r.rate)
          return rates.length > 0 && rates.every((r) => r === rates[0]) ? rates[0] : undefined
        },
        set: (a, v) => ({ ...a, migration: a.migration.map((r) => (r.from === from && r.to === to ? { ...r, rate: v } : r)) })
      })
    )
)

/** Every assumption a future may change, by key. */
export const parameters: ReadonlyArray<Parameter> = [
  {
    key: "birthTrend",
    zh: "出生趋势（相对中位假设的年变化）",
    en: "birth trend (yearly change of births against the central assumption)",
    unit: "share per year",
    min: -0.5,
    max: 0.5,
    central: () => 0,
    set: (a, v, years) =>
      v === 0
        ? a
        : {
            ...a,
            birthIndex: trended(a.birthIndex, v, years, 1),
            generalFertility: trended(a.generalFertility, v, years, 0)
          }
  },
  ...migrationParameters,
  ...perLevel("participation", "入学率", "participation", "share", 1),
  ...perLevel("retention", "巩固率", "retention", "share", 1),
  ...perLevel("housingYield", "住宅学生生成率", "housing yield", "pupils per 100 dwellings", 1000),
  scalar("teacherAttrition", "教师流失率", "teacher attrition", "share per year", 1),
  scalar("capitalPerSeat", "每学位建设成本", "capital cost per seat", "yuan", Numbers.maxMoney),
  scalar("capitalPerClassroom", "每间教室建设成本", "capital cost per classroom", "yuan", Numbers.maxMoney),
  scalar("capitalPerBed", "每床位建设成本", "capital cost per bed", "yuan", Numbers.maxMoney),
  scalar("transportPerPupilKm", "校车每生公里成本", "school transport per pupil-km", "yuan", Numbers.maxMoney),
  ...perLevel("recurrentPerPupil", "生均经常性成本", "recurrent cost per pupil", "yuan", Numbers.maxMoney)
]

const byKey = new Map(parameters.map((p) => [p.key, p]))

/** The parameter of a key, if it is one. */
export const parameter = (key: string): Parameter | undefined => byKey.get(key)

const keyDescription = `an uncertain assumption: ${parameters.map((p) => p.key).join(", ")}`
const ParameterKey = Schema.String.pipe(
  Schema.filter((k) => byKey.has(k), { message: (i) => `expected ${keyDescription}; found ${JSON.stringify(i.actual)}` })
).annotations({ description: keyDescription })

// ------------------------------------------------------------------------------------ distributions

const Value = Numbers.bounded(-Numbers.maxMoney, Numbers.maxMoney, "a value of the assumption")
const Spread = Numbers.bounded(0, Numbers.maxMoney, "a standard deviation")

/** low / central / high: drawn as a triangular distribution with its mode at `central`. */
export const Range = Schema.Struct({ low: Value, central: Value, high: Value })
export const Triangular = Schema.Struct({ distribution: Schema.Literal("triangular"), min: Value, mode: Value, max: Value })
export const Uniform = Schema.Struct({ distribution: Schema.Literal("uniform"), min: Value, max: Value })
/** A normal distribution cut to [min, max]. */
export const Normal = Schema.Struct({ distribution: Schema.Literal("normal"), mean: Value, sd: Spread, min: Value, max: Value })
export const Distribution = Schema.Union(Range, Triangular, Uniform, Normal).annotations({
  description:
    "{ low, central, high } or { distribution: triangular, min, mode, max } or uniform { min, max } or normal { mean, sd, min, max }"
})
export type Distribution = typeof Distribution.Type

/** The scenario's `uncertainty:` — assumption key → its range or distribution. */
export const Uncertainty = Schema.Record({ key: ParameterKey, value: Distribution })
export type Uncertainty = typeof Uncertainty.Type

/** A named future (`futures:`): a set of values of uncertain assumptions; the others stay central. */
export const NamedFuture = Schema.Struct({
  name: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)).annotations({
    description: "a future's name: letters, digits, . _ -"
  }),
  description: Schema.optional(Schema.String),
  values: Schema.Record({ key: ParameterKey, value: Value })
})
export type NamedFuture = typeof NamedFuture.Type

/** Lowest and highest value a distribution can give. */
export const bounds = (d: Distribution): readonly [number, number] => ("low" in d ? [d.low, d.high] : [d.min, d.max])

/** The central value: a range's `central`, a triangular's mode, a normal's mean, a uniform's midpoint. */
export const centre = (d: Distribution): number =>
  "low" in d ? d.central : d.distribution === "triangular" ? d.mode : d.distribution === "normal" ? d.mean : (d.min + d.max) / 2

// ------------------------------------------------------------------------------------------- checks

/** A problem with the uncertainty or the futures, at a field path of the scenario file. */
export interface Problem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
const show = (n: number) => String(Number(n.toPrecision(12)))

/**
 * Every problem of a scenario's `uncertainty` and `futures` against its assumptions: bounds out of order, a
 * central value that is not the assumptions' own, values outside what the assumption can be or outside the
 * range given, a migration key with no rule, futures named twice.
 */
export const check = (
  uncertainty: Uncertainty | undefined,
  futures: ReadonlyArray<NamedFuture> | undefined,
  assumptions: Assumptions.Assumptions
): ReadonlyArray<Problem> => {
  const problems: Array<Problem> = []
  for (const [key, d] of Object.entries(uncertainty ?? {})) {
    const p = byKey.get(key)!
    const path = ["uncertainty", key]
    const [lo, hi] = bounds(d)
    const [loName, hiName] = "low" in d ? ["low", "high"] : ["min", "max"]
    if (!(lo < hi))
      problems.push({ path: [...path, hiName], message: `expected ${hiName} above ${loName} (${show(lo)}), found ${show(hi)}` })
    if (lo < p.min)
      problems.push({ path: [...path, loName], message: `expected at least ${show(p.min)} (${p.en}, ${p.unit}), found ${show(lo)}` })
    if (hi > p.max)
      problems.push({ path: [...path, hiName], message: `expected at most ${show(p.max)} (${p.en}, ${p.unit}), found ${show(hi)}` })
    if ("low" in d || d.distribution !== "uniform") {
      const field = "low" in d ? "central" : d.distribution === "triangular" ? "mode" : "mean"
      const c = centre(d)
      if (c < lo || c > hi) {
        problems.push({ path: [...path, field], message: `expected ${field} from ${show(lo)} to ${show(hi)}, found ${show(c)}` })
      }
      const own = p.central(assumptions)
      if (own === undefined) {
        problems.push({
          path,
          message: `the assumptions have no single value of ${p.en} (no migration rule from ${key.split(".")[1]} to ${key.split(".")[2]}, or rules with different rates): add one to assumptions.migration`
        })
      } else if (!near(c, own)) {
        problems.push({
          path: [...path, field],
          message: `expected the value the assumptions give, ${show(own)} (the central future is the plain run), found ${show(c)}`
        })
      }
    } else if (p.central(assumptions) === undefined) {
      problems.push({
        path,
        message: `the assumptions have no single value of ${p.en}: add a migration rule from ${key.split(".")[1]} to ${key.split(".")[2]}`
      })
    }
  }
  const seen = new Set<string>()
  ;(futures ?? []).forEach((f, i) => {
    if (seen.has(f.name))
      problems.push({ path: ["futures", i, "name"], message: `a future named ${JSON.stringify(f.name)} is given twice` })
    seen.add(f.name)
    for (const [key, v] of Object.entries(f.values)) {
      const p = byKey.get(key)!
      const d = uncertainty?.[key]
      const [lo, hi] = d === undefined ? [p.min, p.max] : bounds(d)
      if (v < lo || v > hi) {
        problems.push({
          path: ["futures", i, "values", key],
          message: `expected ${show(lo)} to ${show(hi)} (${d === undefined ? "what the assumption can be" : `the range under uncertainty.${key}`}), found ${show(v)}`
        })
      }
      if (d === undefined && p.central(assumptions) === undefined) {
        problems.push({ path: ["futures", i, "values", key], message: `the assumptions have no single value of ${p.en}` })
      }
    }
  })
  return problems
}

// ------------------------------------------------------------------------------------------ drawing

/** The standard normal's cumulative distribution (Abramowitz & Stegun 7.1.26 through erf; error < 1.5e-7). */
const phi = (x: number): number => {
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * z)
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z)
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf)
}

/** The standard normal's quantile (Acklam's rational approximation; relative error < 1.2e-9). */
const phiInverse = (p: number): number => {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const low = 0.02425
  if (p <= 0) return Number.NEGATIVE_INFINITY
  if (p >= 1) return Number.POSITIVE_INFINITY
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  )
}

/** The value at cumulative probability `u` in [0, 1] of a distribution (its inverse CDF). */
export const quantile = (d: Distribution, u: number): number => {
  if ("low" in d || d.distribution === "triangular") {
    const [a, c, b] = "low" in d ? [d.low, d.central, d.high] : [d.min, d.mode, d.max]
    if (b <= a) return a
    const f = (c - a) / (b - a)
    return u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c))
  }
  if (d.distribution === "uniform") return d.min + u * (d.max - d.min)
  if (d.sd <= 0) return Math.min(d.max, Math.max(d.min, d.mean))
  const pa = phi((d.min - d.mean) / d.sd)
  const pb = phi((d.max - d.mean) / d.sd)
  const x = d.mean + d.sd * phiInverse(pa + u * (pb - pa))
  return Math.min(d.max, Math.max(d.min, x))
}

/** One future: its number in the design, a name, and the value of every uncertain assumption it sets. */
export interface Future {
  readonly id: number
  readonly name: string
  readonly values: Readonly<Record<string, number>>
}

export type Design = "lhs" | "grid" | "named"

/** What a design draws from: the scenario's uncertainty and named futures. */
export interface Space {
  readonly uncertainty: Uncertainty
  readonly named: ReadonlyArray<NamedFuture>
}

/** The uncertain assumptions' keys, in a fixed order (the order the design draws them in). */
export const keysOf = (space: Space): ReadonlyArray<string> => Object.keys(space.uncertainty).sort()

/**
 * N Latin-hypercube futures: each assumption's range cut into N equally likely strata, one draw in each,
 * the strata shuffled per assumption; from `Rng.make(seed)`, assumptions in key order.
 */
export const latinHypercube = (space: Space, n: number, seed: number): ReadonlyArray<Future> => {
  const keys = keysOf(space)
  const rng = Rng.make(seed)
  const columns = keys.map((key) => {
    const strata = Array.from({ length: n }, (_, i) => i)
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(Rng.nextFloat(rng) * (i + 1))
      ;[strata[i], strata[j]] = [strata[j], strata[i]]
    }
    return strata.map((s) => quantile(space.uncertainty[key], (s + Rng.nextFloat(rng)) / n))
  })
  return Array.from({ length: n }, (_, i) => ({
    id: i,
    name: `lhs-${i + 1}`,
    values: Object.fromEntries(keys.map((k, j) => [k, columns[j][i]]))
  }))
}

/**
 * A grid: k values per assumption at the quantiles (j + ½)/k with the largest k whose grid has at most N
 * points (k ≥ 2; low and high ends for a range when k = 2 would miss the centre, so k = 3 gives low, central,
 * high of a range); when even 2^d points exceed N, N of them chosen at random from the seed, in grid order.
 */
export const grid = (space: Space, n: number, seed: number): ReadonlyArray<Future> => {
  const keys = keysOf(space)
  const d = keys.length
  if (d === 0) return [{ id: 0, name: "grid-1", values: {} }]
  let k = 2
  while ((k + 1) ** d <= n) k++
  const levels = keys.map((key) => {
    const dist = space.uncertainty[key]
    if (k === 3 && "low" in dist) return [dist.low, dist.central, dist.high]
    return Array.from({ length: k }, (_, j) => quantile(dist, (j + 0.5) / k))
  })
  const total = k ** d
  let indexes: Array<number>
  if (total <= n) indexes = Array.from({ length: total }, (_, i) => i)
  else {
    const rng = Rng.make(seed)
    const chosen = new Set<number>()
    while (chosen.size < n) chosen.add(Math.floor(Rng.nextFloat(rng) * total))
    indexes = [...chosen].sort((a, b) => a - b)
  }
  return indexes.map((index, i) => {
    const values: Record<string, number> = {}
    let rest = index
    for (let j = d - 1; j >= 0; j--) {
      values[keys[j]] = levels[j][rest % k]
      rest = Math.floor(rest / k)
    }
    return { id: i, name: `grid-${i + 1}`, values: Object.fromEntries(keys.map((key) => [key, values[key]])) }
  })
}

/** The central future first, then the scenario's named futures (N is not used). */
export const named = (space: Space): ReadonlyArray<Future> => [
  { id: 0, name: "central", values: {} },
  ...space.named.map((f, i) => ({ id: i + 1, name: f.name, values: { ...f.values } }))
]

/** The futures of a design: the same space, design, N and seed always give the same futures, bit for bit. */
export const draw = (space: Space, design: Design, n: number, seed: number): ReadonlyArray<Future> =>
  design === "lhs" ? latinHypercube(space, n, seed) : design === "grid" ? grid(space, n, seed) : named(space)

/** A future's assumptions: the scenario's with the future's values put in (the others stay as they are). */
export const assumptionsOf = (base: Assumptions.Assumptions, future: Future, years: Years): Assumptions.Assumptions => {
  let a = base
  for (const key of Object.keys(future.values).sort()) a = byKey.get(key)!.set(a, future.values[key], years)
  return a
}
