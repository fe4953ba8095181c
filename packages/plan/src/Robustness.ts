/**
 * What a sweep says (稳健性): per variant, the share of futures in which each standard holds each year, the
 * spread of the decision figures over the futures (fan charts), the regret against the best variant of each
 * future (in cost and in pupils beyond standard), and scenario discovery: which ranges of which assumptions
 * make a variant fail, as a PRIM box (Friedman & Fisher 1999, as used for scenario discovery by Bryant &
 * Lempert 2010 and the EMA Workbench). Pure: rows in, rows and sentences out.
 *
 * Why PRIM rather than a shallow decision tree: a planner wants one statement, "it fails when births fall
 * faster than X and village families leave faster than Y", with how much of the failure it explains
 * (coverage) and how sure it is inside (density). PRIM peels a few per cent at a time and gives exactly one
 * box and the trade-off between the two; a tree splits the futures in halves greedily, scatters the failures
 * over several leaves with a rule each, and its splits jump when a few futures change.
 */
import { Backtest, type Compliance } from "@seatplan/sim"
import * as Futures from "./Futures.js"
import * as Sweep from "./Sweep.js"

/**
 * The standards a sweep checks from its decision figures in each future and year (all levels together); the
 * counted rules of the scenario's rule set (`Counted`, as `run` checks them) come after them, by rule id,
 * and `counted` (全部达标: every counted rule) last.
 */
export const figureStandards = ["seats", "class-size", "teachers", "all"] as const
export type FigureStandard = (typeof figureStandards)[number]
/** A figure standard, a counted rule's id, or `counted`. */
export type Standard = string

/** The standard that every counted rule holds (全部达标), as `run`'s headline. */
export const allCounted = "counted"

export const standardNames: Readonly<Record<FigureStandard, { readonly zh: string; readonly en: string }>> = {
  seats: { zh: "学位充足（无超员）", en: "enough seats (no pupil over the seats)" },
  "class-size": { zh: "消除大班额（无56人及以上班级）", en: "no large classes (none of 56 or more)" },
  teachers: { zh: "教师足额（无学校缺编）", en: "enough teachers (no school short of them)" },
  all: { zh: "以上三项全部", en: "all three" }
}

const isFigure = (standard: Standard): standard is FigureStandard => (figureStandards as ReadonlyArray<string>).includes(standard)

/** Figures summed over levels, per variant × future × year: the index order of `Sweep.figures`. */
export interface Totals {
  readonly variants: ReadonlyArray<string>
  readonly futures: ReadonlyArray<Futures.Future>
  readonly years: ReadonlyArray<number>
  /** variants × futures × years × figures. */
  readonly data: Float64Array
  /** The counted rules checked in every future (none when the sweep had no rule set). */
  readonly rules: ReadonlyArray<Pick<Compliance.Rule, "id" | "zh" | "en">>
  /** variants × futures × years × rules: 1 where the rule holds. */
  readonly holds: Uint8Array
}

const FIG = Sweep.figures.length
const fi = (name: Sweep.Figure): number => Sweep.figures.indexOf(name)

/** Every standard of a sweep: the figure standards, then each counted rule and `counted` when it checked rules. */
export const standardsOf = (t: Pick<Totals, "rules">): ReadonlyArray<Standard> =>
  t.rules.length === 0 ? figureStandards : [...figureStandards, ...t.rules.map((r) => r.id), allCounted]

/** A standard's name in Chinese and English. */
export const nameOf = (t: Pick<Totals, "rules">, standard: Standard): { readonly zh: string; readonly en: string } => {
  if (isFigure(standard)) return standardNames[standard]
  if (standard === allCounted) return { zh: "全部达标（所有计入的标准）", en: "full compliance (every counted standard)" }
  const rule = t.rules.find((r) => r.id === standard)
  return rule === undefined ? { zh: standard, en: standard } : { zh: rule.zh, en: rule.en }
}

/** Sums a sweep's rows over levels, and lays out its counted standards' results (`Sweep.Result.holds`) by variant, future and year. */
export const totals = (result: Sweep.Rows & Partial<Pick<Sweep.Result, "rules" | "holds">>): Totals => {
  const years = [...new Set(result.rows.map((r) => r.year))].sort((a, b) => a - b)
  const V = result.variants.length
  const N = result.futures.length
  const Y = years.length
  const data = new Float64Array(V * N * Y * FIG)
  const vi = new Map(result.variants.map((v, i) => [v, i]))
  const fIndex = new Map(result.futures.map((f, i) => [f.id, i]))
  const y0 = years[0] ?? 0
  for (const r of result.rows) {
    const o = (((vi.get(r.variant) ?? 0) * N + (fIndex.get(r.future) ?? 0)) * Y + (r.year - y0)) * FIG
    data[o] += r.pupils
    data[o + 1] += r.pupils_over_seats
    data[o + 2] += r.large_classes
    data[o + 3] += r.super_large_classes
    data[o + 4] += r.capital_cost
    data[o + 5] += r.recurrent_cost
    data[o + 6] += r.teachers_short
    data[o + 7] += r.transport_cost
    data[o + 8] += r.boarding_subsidy_cost
    data[o + 9] += r.total_cost
  }
  // every variant is checked against the same rule set (the scenario's)
  const rules = result.rules?.[0] ?? []
  const R = rules.length
  const holds = new Uint8Array(V * N * Y * R)
  if (R > 0 && result.holds !== undefined) {
    for (let v = 0; v < V; v++) for (let f = 0; f < N; f++) holds.set(result.holds[v][f].subarray(0, Y * R), (v * N + f) * Y * R)
  }
  return { variants: result.variants, futures: result.futures, years, data, rules, holds }
}

const at = (t: Totals, v: number, f: number, y: number, figure: number) =>
  t.data[((v * t.futures.length + f) * t.years.length + y) * FIG + figure]

/**
 * Whether a standard holds for a variant in a future and year. Figure standards: whole pupils, classes,
 * teachers (under ½ is none); a counted rule: no failing check that year (`Counted`); `counted`: every one.
 */
export const holds = (t: Totals, v: number, f: number, y: number, standard: Standard): boolean => {
  if (!isFigure(standard)) {
    const R = t.rules.length
    const o = ((v * t.futures.length + f) * t.years.length + y) * R
    if (standard === allCounted) {
      for (let r = 0; r < R; r++) if (t.holds[o + r] === 0) return false
      return true
    }
    const r = t.rules.findIndex((x) => x.id === standard)
    return r >= 0 && t.holds[o + r] === 1
  }
  const seats = at(t, v, f, y, fi("pupils_over_seats")) < 0.5
  const classes = at(t, v, f, y, fi("large_classes")) + at(t, v, f, y, fi("super_large_classes")) < 0.5
  const teachers = at(t, v, f, y, fi("teachers_short")) < 0.5
  return standard === "seats"
    ? seats
    : standard === "class-size"
      ? classes
      : standard === "teachers"
        ? teachers
        : seats && classes && teachers
}

/** Whether a standard holds in every year from year index `from` to the end of the horizon. */
export const holdsFrom = (t: Totals, v: number, f: number, from: number, standard: Standard): boolean => {
  for (let y = from; y < t.years.length; y++) if (!holds(t, v, f, y, standard)) return false
  return true
}

/** A row of the registry's `robustness` table. */
export interface RobustnessRow {
  readonly variant: string
  readonly year: number
  readonly standard: Standard
  readonly standard_name: string
  readonly futures: number
  readonly holds_share: number
}

/** The share of futures in which each standard holds, per variant and year. */
export const robustness = (t: Totals): ReadonlyArray<RobustnessRow> => {
  const rows: Array<RobustnessRow> = []
  const N = t.futures.length
  t.variants.forEach((variant, v) => {
    t.years.forEach((year, y) => {
      for (const standard of standardsOf(t)) {
        let n = 0
        for (let f = 0; f < N; f++) if (holds(t, v, f, y, standard)) n++
        const name = nameOf(t, standard)
        rows.push({
          variant,
          year,
          standard,
          standard_name: `${name.zh} ${name.en}`,
          futures: N,
          holds_share: N > 0 ? n / N : 0
        })
      }
    })
  })
  return rows
}

/** The R-7 quantile (linear between order statistics) of sorted values: the backtest's, so sweep and backtest bands agree. */
const quantile = Backtest.quantile

/** A row of the registry's `sweep_bands` table: a figure's spread over the futures. */
export interface BandRow {
  readonly variant: string
  readonly year: number
  readonly level: string
  readonly figure: string
  readonly p5: number
  readonly p25: number
  readonly p50: number
  readonly p75: number
  readonly p95: number
  readonly mean: number
}

/** Percentiles over the futures of every figure, per variant, year and level, and for all levels (`all`). */
export const bands = (result: Sweep.Rows, figures: ReadonlyArray<(typeof Sweep.figures)[number]>): ReadonlyArray<BandRow> => {
  const groups = new Map<string, Array<number>>()
  const push = (key: string, value: number) => {
    const g = groups.get(key)
    if (g === undefined) groups.set(key, [value])
    else g.push(value)
  }
  const allLevels = new Map<string, number>()
  for (const r of result.rows) {
    for (const figure of figures) {
      push(`${r.variant}\u0000${r.year}\u0000${r.level}\u0000${figure}`, r[figure])
      const key = `${r.variant}\u0000${r.year}\u0000all\u0000${figure}\u0000${r.future}`
      allLevels.set(key, (allLevels.get(key) ?? 0) + r[figure])
    }
  }
  for (const [key, value] of allLevels) push(key.slice(0, key.lastIndexOf("\u0000")), value)
  const rows: Array<BandRow> = []
  for (const [key, values] of groups) {
    const [variant, year, level, figure] = key.split("\u0000")
    const sorted = Float64Array.from(values).sort()
    rows.push({
      variant,
      year: Number(year),
      level,
      figure,
      p5: quantile(sorted, 0.05),
      p25: quantile(sorted, 0.25),
      p50: quantile(sorted, 0.5),
      p75: quantile(sorted, 0.75),
      p95: quantile(sorted, 0.95),
      mean: values.reduce((a, b) => a + b, 0) / values.length
    })
  }
  const order = (r: BandRow) => `${r.variant}\u0000${String(r.year).padStart(6, "0")}\u0000${r.figure}\u0000${r.level}`
  return rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
}

/** A school's figure over the futures (a per-school fan chart): per variant, school, level and year. */
export interface SchoolBandRow {
  readonly variant: string
  readonly school: string
  readonly level: string
  readonly year: number
  readonly figure: (typeof Sweep.schoolFigures)[number]
  readonly p5: number
  readonly p25: number
  readonly p50: number
  readonly p75: number
  readonly p95: number
}

/**
 * Percentiles over the futures of each school's pupils and pupils over seats, per variant, school, level and
 * year (from `Sweep.Result.schools`); a school and level no future gives a pupil in any year is left out.
 */
export const schoolBands = (result: Pick<Sweep.Result, "variants" | "schools" | "slots" | "baseYear">): ReadonlyArray<SchoolBandRow> => {
  const rows: Array<SchoolBandRow> = []
  const SF = Sweep.schoolFigures.length
  result.variants.forEach((variant, v) => {
    const futures = result.schools[v]
    const slots = result.slots[v]
    const S = slots.school.length
    if (futures.length === 0 || S === 0) return
    const years = futures[0].length / (S * SF)
    const baseYear = result.baseYear
    const values = new Float64Array(futures.length)
    for (let i = 0; i < S; i++) {
      let any = false
      for (let y = 0; y < years && !any; y++) for (const f of futures) if (f[(y * S + i) * SF] > 0) any = true
      if (!any) continue
      for (let y = 0; y < years; y++) {
        Sweep.schoolFigures.forEach((figure, j) => {
          for (let f = 0; f < futures.length; f++) values[f] = futures[f][(y * S + i) * SF + j]
          const sorted = values.slice().sort()
          rows.push({
            variant,
            school: slots.school[i],
            level: slots.level[i],
            year: baseYear + y,
            figure,
            p5: quantile(sorted, 0.05),
            p25: quantile(sorted, 0.25),
            p50: quantile(sorted, 0.5),
            p75: quantile(sorted, 0.75),
            p95: quantile(sorted, 0.95)
          })
        })
      }
    }
  })
  return rows
}

/** A row of the registry's `regret` table: a variant in a future against the best variant of that future. */
export interface RegretRow {
  readonly future: number
  readonly future_name: string
  readonly variant: string
  readonly horizon_cost: number
  readonly pupil_years_over_seats: number
  readonly cost_regret: number
  readonly pupils_regret: number
}

/** Regret per future and variant: cost over the horizon and pupil-years over seats, each against the best variant of the future. */
export const regret = (t: Totals): ReadonlyArray<RegretRow> => {
  const rows: Array<RegretRow> = []
  const V = t.variants.length
  t.futures.forEach((future, f) => {
    const cost = new Float64Array(V)
    const over = new Float64Array(V)
    for (let v = 0; v < V; v++) {
      for (let y = 0; y < t.years.length; y++) {
        cost[v] += at(t, v, f, y, fi("total_cost"))
        over[v] += at(t, v, f, y, fi("pupils_over_seats"))
      }
    }
    const minCost = Math.min(...cost)
    const minOver = Math.min(...over)
    for (let v = 0; v < V; v++) {
      rows.push({
        future: future.id,
        future_name: future.name,
        variant: t.variants[v],
        horizon_cost: cost[v],
        pupil_years_over_seats: over[v],
        cost_regret: cost[v] - minCost,
        pupils_regret: over[v] - minOver
      })
    }
  })
  return rows
}

/** A variant's regret over the futures: the mean, the 90th percentile and the largest. */
export interface RegretSummary {
  readonly variant: string
  readonly cost: { readonly mean: number; readonly p90: number; readonly max: number }
  readonly pupils: { readonly mean: number; readonly p90: number; readonly max: number }
  /** Futures in which the variant is the best (regret 0) in cost, and in pupils. */
  readonly bestInCost: number
  readonly bestInPupils: number
}

export const regretSummary = (rows: ReadonlyArray<RegretRow>, variants: ReadonlyArray<string>): ReadonlyArray<RegretSummary> =>
  variants.map((variant) => {
    const mine = rows.filter((r) => r.variant === variant)
    const stats = (values: Array<number>) => {
      const sorted = Float64Array.from(values).sort()
      return {
        mean: values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0,
        p90: quantile(sorted, 0.9),
        max: sorted.length > 0 ? sorted[sorted.length - 1] : 0
      }
    }
    return {
      variant,
      cost: stats(mine.map((r) => r.cost_regret)),
      pupils: stats(mine.map((r) => r.pupils_regret)),
      bestInCost: mine.filter((r) => r.cost_regret === 0).length,
      bestInPupils: mine.filter((r) => r.pupils_regret === 0).length
    }
  })

// --------------------------------------------------------------------------------- scenario discovery

/** One restriction of a box: the assumption and the range of it inside the box. */
export interface Restriction {
  readonly key: string
  /** Defined when the box cuts off the low end (values ≥ min are inside). */
  readonly min?: number
  /** Defined when the box cuts off the high end. */
  readonly max?: number
}

/** A PRIM box: the futures with the assumptions in these ranges, and how well it describes the failures. */
export interface Box {
  readonly restrictions: ReadonlyArray<Restriction>
  /** Share of all failing futures inside the box. */
  readonly coverage: number
  /** Share of the futures inside the box that fail. */
  readonly density: number
  /** Share of all futures inside the box. */
  readonly support: number
}

export interface PrimOptions {
  /** Share of the box's futures peeled per step (default 0.05). */
  readonly alpha?: number
  /** The smallest box, as a share of the futures (default 0.05). */
  readonly minSupport?: number
  /** The least coverage of the box chosen from the peeling trajectory (default 0.5). */
  readonly minCoverage?: number
  /** How much density a restriction must add to stay in the box (default 0.05). */
  readonly tolerance?: number
}

/**
 * PRIM's peeling: from the box holding every future, repeatedly cut off the `alpha` share at the low or high
 * end of one assumption, the cut that leaves the highest share of failures inside, until the box holds fewer
 * than `minSupport` of the futures; then take the densest box of the trajectory that still covers
 * `minCoverage` of the failures, and drop the restrictions that add less than `tolerance` to the density
 * (the box reads with as few assumptions as it needs). Undefined when nothing fails, or every future does.
 */
export const prim = (
  x: ReadonlyArray<ReadonlyArray<number>>,
  fails: ReadonlyArray<boolean>,
  keys: ReadonlyArray<string>,
  options: PrimOptions = {}
): Box | undefined => {
  const n = x.length
  const failing = fails.filter(Boolean).length
  if (n === 0 || failing === 0 || failing === n || keys.length === 0) return undefined
  const alpha = options.alpha ?? 0.05
  const minSupport = options.minSupport ?? 0.05
  const minCoverage = options.minCoverage ?? 0.5
  const d = keys.length
  const lo = keys.map((_, j) => Math.min(...x.map((r) => r[j])))
  const hi = keys.map((_, j) => Math.max(...x.map((r) => r[j])))
  const evaluate = (blo: ReadonlyArray<number>, bhi: ReadonlyArray<number>) => {
    let inside = 0
    let bad = 0
    for (let i = 0; i < n; i++) {
      let ok = true
      for (let j = 0; j < d && ok; j++) ok = x[i][j] >= blo[j] && x[i][j] <= bhi[j]
      if (ok) {
        inside++
        if (fails[i]) bad++
      }
    }
    return { inside, bad }
  }
  const trajectory: Array<{ lo: Array<number>; hi: Array<number>; inside: number; bad: number }> = []
  let blo = [...lo]
  let bhi = [...hi]
  let current = evaluate(blo, bhi)
  trajectory.push({ lo: blo, hi: bhi, ...current })
  // the futures inside the current box: a peel only tightens one bound, so the futures inside a candidate
  // are those inside the box that meet its new bound (one pass over one assumption, not every assumption)
  const within = new Uint8Array(n).fill(1)
  const values: Array<number> = []
  while (current.inside / n >= minSupport) {
    let best: { lo: Array<number>; hi: Array<number>; inside: number; bad: number; j: number } | undefined
    for (let j = 0; j < d; j++) {
      values.length = 0
      for (let i = 0; i < n; i++) if (within[i] === 1) values.push(x[i][j])
      values.sort((a, b) => a - b)
      const k = Math.max(1, Math.floor(alpha * values.length))
      const cutLow = values.find((v) => v > values[k - 1])
      const cutHigh = [...values].reverse().find((v) => v < values[values.length - k])
      for (const [which, bound] of [
        ["lo", cutLow],
        ["hi", cutHigh]
      ] as const) {
        if (bound === undefined) continue
        let inside = 0
        let bad = 0
        for (let i = 0; i < n; i++) {
          if (within[i] !== 1 || (which === "lo" ? x[i][j] < bound : x[i][j] > bound)) continue
          inside++
          if (fails[i]) bad++
        }
        if (inside === 0) continue
        const better =
          best === undefined ||
          bad / inside > best.bad / best.inside + 1e-12 ||
          (Math.abs(bad / inside - best.bad / best.inside) <= 1e-12 && inside > best.inside)
        if (better) {
          const nlo = [...blo]
          const nhi = [...bhi]
          if (which === "lo") nlo[j] = bound
          else nhi[j] = bound
          best = { lo: nlo, hi: nhi, inside, bad, j }
        }
      }
    }
    if (best === undefined || best.inside / n < minSupport) break
    blo = best.lo
    bhi = best.hi
    const j = best.j
    for (let i = 0; i < n; i++) if (within[i] === 1 && (x[i][j] < blo[j] || x[i][j] > bhi[j])) within[i] = 0
    current = { inside: best.inside, bad: best.bad }
    trajectory.push({ lo: best.lo, hi: best.hi, inside: best.inside, bad: best.bad })
  }
  let chosen = trajectory[0]
  for (const b of trajectory) {
    if (b.bad / failing < minCoverage) continue
    if (b.bad / b.inside > chosen.bad / chosen.inside + 1e-12) chosen = b
  }
  // drop, one at a time, the restriction whose removal costs the least density, while it costs less than
  // `tolerance` (a box reads with as few assumptions as it needs; a cut that only trims noise goes)
  const tolerance = options.tolerance ?? 0.05
  const clo = [...chosen.lo]
  const chi = [...chosen.hi]
  let e = evaluate(clo, chi)
  for (;;) {
    let best: { j: number; side: "lo" | "hi"; e: { inside: number; bad: number } } | undefined
    for (let j = 0; j < d; j++) {
      for (const side of ["lo", "hi"] as const) {
        if (side === "lo" ? clo[j] <= lo[j] : chi[j] >= hi[j]) continue
        const tlo = [...clo]
        const thi = [...chi]
        if (side === "lo") tlo[j] = lo[j]
        else thi[j] = hi[j]
        const without = evaluate(tlo, thi)
        if (best === undefined || without.bad / without.inside > best.e.bad / best.e.inside + 1e-12) best = { j, side, e: without }
      }
    }
    if (best === undefined || best.e.bad / best.e.inside < e.bad / e.inside - tolerance) break
    if (best.side === "lo") clo[best.j] = lo[best.j]
    else chi[best.j] = hi[best.j]
    e = best.e
  }
  const restrictions: Array<Restriction> = []
  keys.forEach((key, j) => {
    if (clo[j] > lo[j] || chi[j] < hi[j]) {
      restrictions.push({ key, ...(clo[j] > lo[j] ? { min: clo[j] } : {}), ...(chi[j] < hi[j] ? { max: chi[j] } : {}) })
    }
  })
  return { restrictions, coverage: e.bad / failing, density: e.bad / e.inside, support: e.inside / n }
}

// ---------------------------------------------------------------------------------------- verdicts

/** What the sweep says of a variant and a standard, with the box of the futures where it fails. */
export interface Verdict {
  readonly variant: string
  readonly standard: Standard
  /** The earliest year from which the standard holds to the end of the horizon in the most futures (≥ `target` when any year reaches it). */
  readonly year: number
  /** Share of futures in which the standard holds from `year` to the end of the horizon. */
  readonly share: number
  /** The named futures (or, for a drawn design without a box, none) in which it fails. */
  readonly failing: ReadonlyArray<string>
  readonly box: Box | undefined
  readonly text: { readonly zh: string; readonly en: string }
}

const pct = (share: number) => `${Math.round(share * 100)} %`
const num = (v: number) => String(Number(v.toPrecision(3)))

/** A box's restrictions in words, with each assumption's name and unit. */
export const describeBox = (box: Box, lang: "zh" | "en"): string =>
  box.restrictions
    .map((r) => {
      const p = Futures.parameter(r.key)
      const name = p === undefined ? r.key : lang === "zh" ? p.zh : p.en
      const range =
        r.min !== undefined && r.max !== undefined
          ? `${num(r.min)}–${num(r.max)}`
          : r.min !== undefined
            ? `≥ ${num(r.min)}`
            : `≤ ${num(r.max ?? 0)}`
      return `${name} ${range}${p === undefined ? "" : ` (${p.unit})`}`
    })
    .join(lang === "zh" ? " 且 " : " and ")

/**
 * Per variant and standard: the earliest year from which the standard holds through the horizon in at least
 * `target` of the futures (else the year with the most), the share, and where it fails (a PRIM box over the
 * drawn futures, or the names of the failing named futures), in plain words.
 */
export const verdicts = (
  t: Totals,
  options: { readonly target?: number; readonly design: Futures.Design; readonly keys: ReadonlyArray<string> }
): ReadonlyArray<Verdict> => {
  const target = options.target ?? 0.9
  const N = t.futures.length
  const out: Array<Verdict> = []
  t.variants.forEach((variant, v) => {
    for (const standard of standardsOf(t)) {
      const shares = t.years.map((_, y) => {
        let n = 0
        for (let f = 0; f < N; f++) if (holdsFrom(t, v, f, y, standard)) n++
        return N > 0 ? n / N : 0
      })
      let y = shares.findIndex((s) => s >= target)
      if (y < 0) y = shares.indexOf(Math.max(...shares))
      const share = shares[y]
      const fails = t.futures.map((_, f) => !holdsFrom(t, v, f, y, standard))
      const failing = options.design === "named" ? t.futures.filter((_, f) => fails[f]).map((f) => f.name) : []
      const box =
        options.design === "named" || N < 20
          ? undefined
          : prim(
              t.futures.map((f) => options.keys.map((k) => f.values[k] ?? 0)),
              fails,
              options.keys
            )
      const name = nameOf(t, standard)
      const year = t.years[y]
      let en: string
      let zh: string
      if (share === 0) {
        en = `${variant} does not meet "${name.en}" to the end of the horizon in any future.`
        zh = `${variant}：在所有情景中均未能持续达到“${name.zh}”。`
      } else {
        en = `${variant} meets "${name.en}" from ${year} on in ${pct(share)} of futures`
        zh = `${variant}：在 ${pct(share)} 的情景中自 ${year} 年起持续达到“${name.zh}”`
        if (share < 1 && box !== undefined && box.restrictions.length > 0) {
          en += `; it fails when ${describeBox(box, "en")} (that box holds ${pct(box.coverage)} of the failing futures, and ${pct(box.density)} of the futures in it fail).`
          zh += `；失败主要发生在 ${describeBox(box, "zh")} 时（该范围包含 ${pct(box.coverage)} 的失败情景，其中 ${pct(box.density)} 的情景失败）。`
        } else if (share < 1 && failing.length > 0) {
          en += `; it fails in ${failing.join(", ")}.`
          zh += `；在以下情景中失败：${failing.join("、")}。`
        } else {
          en += "."
          zh += "。"
        }
      }
      out.push({ variant, standard, year, share, failing, box, text: { en, zh } })
    }
  })
  return out
}

/** A variant's verdicts in one sentence (what `seatplan sweep` prints): how many standards hold, and the worst that uncertainty decides. */
export interface Summary {
  readonly variant: string
  /** The variant's standards counted: every verdict's but the aggregates (`all`, `counted`). */
  readonly standards: number
  /** Standards holding to the horizon in at least `target` of the futures. */
  readonly met: number
  /** Standards holding to the horizon in no future. */
  readonly never: number
  /** The aggregate (`counted`: every counted rule at once; `all` without a rule set): its verdict. */
  readonly whole: Verdict | undefined
  /** Of the standards in between (holding in some futures, short of `target`), the one holding in fewest futures that has a failing box (or, without a box, named failing futures; else in fewest). */
  readonly worst: Verdict | undefined
  readonly text: { readonly zh: string; readonly en: string }
}

/**
 * One sentence per variant from its verdicts (`verdicts` with the same `target`): how many standards hold to
 * the horizon in at least `target` of the futures, how many in none, full compliance, and the worst of those
 * in between with where it fails. Every verdict stays in `verdicts.json` and sweep.html.
 */
export const summaries = (t: Pick<Totals, "rules" | "variants">, verdicts: ReadonlyArray<Verdict>, target = 0.9): ReadonlyArray<Summary> =>
  t.variants.map((variant) => {
    const mine = verdicts.filter((v) => v.variant === variant)
    const aggregate = t.rules.length === 0 ? "all" : allCounted
    const single = mine.filter((v) => v.standard !== "all" && v.standard !== allCounted)
    const met = single.filter((v) => v.share >= target).length
    const never = single.filter((v) => v.share === 0).length
    const between = single.filter((v) => v.share > 0 && v.share < target)
    const fewest = (vs: ReadonlyArray<Verdict>) =>
      vs.reduce<Verdict | undefined>((w, v) => (w === undefined || v.share < w.share ? v : w), undefined)
    const worst =
      fewest(between.filter((v) => v.box !== undefined && v.box.restrictions.length > 0)) ??
      fewest(between.filter((v) => v.failing.length > 0)) ??
      fewest(between)
    const whole = mine.find((v) => v.standard === aggregate)
    const wholeName = nameOf(t, aggregate)
    const wholeText =
      whole === undefined
        ? { en: "", zh: "" }
        : whole.share === 0
          ? { en: `; ${wholeName.en}: in no future`, zh: `；${wholeName.zh}：在所有情景中均未达到` }
          : {
              en: `; ${wholeName.en}: from ${whole.year} on in ${pct(whole.share)} of futures`,
              zh: `；${wholeName.zh}：在 ${pct(whole.share)} 的情景中自 ${whole.year} 年起达到`
            }
    let en = `${variant}: ${met} of ${single.length} standards hold to the horizon in at least ${pct(target)} of futures, ${never} in none, ${between.length} in between${wholeText.en}.`
    let zh = `${variant}：${single.length} 项标准中 ${met} 项在至少 ${pct(target)} 的情景中持续达标至规划期末，${never} 项在所有情景中均未达标，${between.length} 项介于两者之间${wholeText.zh}。`
    if (worst !== undefined) {
      const name = nameOf(t, worst.standard)
      en += ` Worst in between: "${name.en}", from ${worst.year} on in ${pct(worst.share)} of futures`
      zh += `介于两者之间最差的一项：“${name.zh}”，在 ${pct(worst.share)} 的情景中自 ${worst.year} 年起达标`
      if (worst.box !== undefined && worst.box.restrictions.length > 0) {
        en += `; it fails when ${describeBox(worst.box, "en")} (${pct(worst.box.coverage)} of the failing futures; ${pct(worst.box.density)} of the futures in that box fail).`
        zh += `；失败主要发生在 ${describeBox(worst.box, "zh")} 时（该范围包含 ${pct(worst.box.coverage)} 的失败情景，其中 ${pct(worst.box.density)} 的情景失败）。`
      } else if (worst.failing.length > 0) {
        en += `; it fails in ${worst.failing.join(", ")}.`
        zh += `；在以下情景中失败：${worst.failing.join("、")}。`
      } else {
        en += "."
        zh += "。"
      }
    }
    return { variant, standards: single.length, met, never, whole, worst, text: { en, zh } }
  })
