/**
 * Variants side by side on the figures that decide (a year's county figures, plus the plan's six
 * accounts, 六笔账), with deltas against the baseline.
 */
import { School } from "@seatplan/core"
import { Dimensions, type Compliance, type Tables } from "@seatplan/sim"
import type * as Project from "./Project.js"
import type * as Scenario from "./Scenario.js"

/**
 * The county figures a comparison carries, typed by the county table's rows (the column registry's
 * `county` columns: `Columns` in @seatplan/sim): `seats_short` and `seats_idle` are the county's
 * `seat_gap` and `idle_seats` under the names compare has always written.
 */
export type Row = Pick<
  Tables.CountyRow,
  | "variant"
  | "level"
  | "year"
  | "pupils"
  | "seats"
  | "large_classes"
  | "super_large_classes"
  | "large_class_share"
  | "teacher_gap"
  | "boarders"
  | "mean_distance_km"
  | "max_distance_km"
  | "schools_over_size_cap"
  | "max_difference_coefficient"
  | "difference_coefficient_limit"
  | "quality_schools_passing"
  | "quality_schools"
  | "recurrent_cost"
> & {
  readonly seats_short: Tables.CountyRow["seat_gap"]
  readonly seats_idle: Tables.CountyRow["idle_seats"]
  /** Capital spent from the base year to this year (the investment account, 投入账). */
  readonly capital_cost_to_date: number
}

/** The six accounts (六笔账) of a variant over the whole horizon. */
export interface Accounts {
  readonly variant: string
  /** 1. Seat demand: pupils by level in the chosen year (by place and year: `seatDemand`). */
  readonly seat_demand: Readonly<Record<string, number>>
  /** 2. Construction tasks: schools opened, expanded, merged or closed, repurposed; seats and classrooms added. */
  readonly schools_opened: number
  readonly schools_expanded: number
  readonly schools_closed_or_merged: number
  readonly schools_repurposed: number
  readonly seats_added: number
  readonly classrooms_added: number
  readonly boarding_beds_added: number
  /** 3. Integration (资源整合): pupils the closed or merged schools had in the chosen year (baseline run), taken in by others. */
  readonly pupils_integrated: number
  /** 3. …and seats gained by reusing closed buildings as kindergartens (预增学位). */
  readonly seats_reused: number
  /** 4. Investment by year (yuan). */
  readonly investment_by_year: Readonly<Record<string, number>>
  /** 5. Teachers needed by newly opened schools (and buildings reopened as kindergartens) in the chosen year. */
  readonly new_school_teachers_needed: number
  /** 6. Senior-high running cost in the chosen year (yuan). */
  readonly senior_running_cost: number
}

/** One year of a plan's ledger (台账): its tasks and their share of the whole. */
export interface LedgerRow {
  readonly variant: string
  readonly year: number
  readonly tasks: number
  readonly opened: number
  readonly expanded: number
  readonly closed_or_merged: number
  readonly repurposed: number
  readonly other: number
  readonly seats_added: number
  readonly classrooms_added: number
  readonly investment: number
  /** This year's share of the plan's investment (Xuchang: 20 % / 50 % / 30 % over 2020-2022). */
  readonly investment_share: number
  readonly task_share: number
}

/** Seat demand by level, place and year (the first account): where pupils live against the seats there. */
export interface DemandRow {
  readonly variant: string
  readonly year: number
  readonly level: string
  /** The county seat or a township with its villages (乡镇片区). */
  readonly area: string
  readonly area_name: string
  /** Children of the level's ages living in the area times the participation rate. */
  readonly seats_needed: number
  /** Seats of the area's open schools. */
  readonly seats: number
  readonly seats_short: number
}

type Plans = ReadonlyMap<string, ReadonlyArray<Scenario.PlanStep>>

/** Each variant's whole plan (strategies expanded), as loaded; the baseline's is empty. */
export const plans = (streams: Scenario.Streams): Plans => new Map(streams.variants.map((v) => [v.name, v.steps]))

const seatsOf = (s: Scenario.PlanStep) => (s.type === "expand" ? Math.max(0, s.seats ?? 0) : s.type === "open" ? s.school.seats : 0)
const classroomsOf = (s: Scenario.PlanStep) =>
  s.type === "expand" ? Math.max(0, s.classrooms ?? 0) : s.type === "open" ? s.school.classrooms : 0

/** The six accounts of each variant (the baseline's plan is the status quo: no steps). */
export const accounts = (results: ReadonlyArray<Project.VariantResult>, plans: Plans, year: number): ReadonlyArray<Accounts> =>
  results.map((r) => {
    const steps = plans.get(r.variant) ?? []
    const reopened = new Set(steps.flatMap((s) => (s.type === "repurpose" && s.use === "kindergarten" ? [s.school] : [])))
    const opened = new Set([...steps.flatMap((s) => (s.type === "open" ? [s.school.id] : [])), ...reopened])
    const closed = new Set(steps.flatMap((s) => (s.type === "close" ? [s.school] : s.type === "merge" ? s.schools : [])))
    const county = (level: string) => r.county.find((c) => c.year === year && c.level === level)
    const investment: Record<string, number> = {}
    for (const c of r.county) investment[String(c.year)] = (investment[String(c.year)] ?? 0) + c.capital_cost
    return {
      variant: r.variant,
      seat_demand: Object.fromEntries(School.levels.map((l) => [l, county(l)?.pupils ?? 0])),
      schools_opened: new Set(steps.flatMap((s) => (s.type === "open" ? [s.school.id] : []))).size,
      schools_expanded: new Set(steps.flatMap((s) => (s.type === "expand" ? [s.school] : []))).size,
      schools_closed_or_merged: closed.size,
      schools_repurposed: steps.filter((s) => s.type === "repurpose").length,
      seats_added: steps.reduce((n, s) => n + seatsOf(s), 0),
      classrooms_added: steps.reduce((n, s) => n + classroomsOf(s), 0),
      boarding_beds_added: steps.reduce((n, s) => n + (s.type === "expand" ? Math.max(0, s.boardingBeds ?? 0) : 0), 0),
      pupils_integrated: results[0].schools.filter((x) => x.year === year && closed.has(x.school_id)).reduce((n, x) => n + x.pupils, 0),
      seats_reused: r.schools
        .filter((x) => x.year === year && reopened.has(x.school_id) && x.level === "kindergarten")
        .reduce((n, x) => n + x.seats, 0),
      investment_by_year: investment,
      new_school_teachers_needed: r.schools
        .filter((x) => x.year === year && opened.has(x.school_id))
        .reduce((n, x) => n + x.teachers_needed, 0),
      senior_running_cost: county("senior")?.recurrent_cost ?? 0
    }
  })

/** The ledger (台账) of each variant with a plan: per year, its tasks, seats, classrooms and investment, with shares of the whole. */
export const ledger = (results: ReadonlyArray<Project.VariantResult>, plans: Plans): ReadonlyArray<LedgerRow> =>
  results.flatMap((r) => {
    const steps = plans.get(r.variant) ?? []
    if (steps.length === 0) return []
    const invested = new Map<number, number>()
    for (const c of r.county) invested.set(c.year, (invested.get(c.year) ?? 0) + c.capital_cost)
    const years = [...new Set([...steps.map((s) => s.year), ...[...invested].filter(([, v]) => v > 0).map(([y]) => y)])].sort(
      (a, b) => a - b
    )
    const total = [...invested.values()].reduce((a, b) => a + b, 0)
    return years.map((year) => {
      const mine = steps.filter((s) => s.year === year)
      const count = (...types: ReadonlyArray<Scenario.PlanStep["type"]>) => mine.filter((s) => types.includes(s.type)).length
      const investment = invested.get(year) ?? 0
      return {
        variant: r.variant,
        year,
        tasks: mine.length,
        opened: count("open"),
        expanded: count("expand", "boarding"),
        closed_or_merged: count("close", "merge"),
        repurposed: count("repurpose", "convert"),
        other: count("catchment", "hire", "retire", "transfer", "housing", "settlement", "standard"),
        seats_added: mine.reduce((n, s) => n + seatsOf(s), 0),
        classrooms_added: mine.reduce((n, s) => n + classroomsOf(s), 0),
        investment,
        investment_share: total > 0 ? investment / total : 0,
        task_share: mine.length / steps.length
      }
    })
  })

/**
 * Seat demand by level, place and year: children of each level's ages where they live (population table)
 * times participation, against the seats of the open schools in the same area (the county seat, or a
 * township with its villages). Needs the population table (kept by `run`).
 */
export const seatDemand = (results: ReadonlyArray<Project.VariantResult>, scenario: Scenario.ScenarioFile): ReadonlyArray<DemandRow> => {
  const settlements = new Map(scenario.settlements.map((s) => [s.id, s]))
  const areaOf = (id: string): string => {
    const s = settlements.get(id)
    return s === undefined ? id : s.tier === "village" && s.parent !== undefined ? s.parent : id
  }
  const rows: Array<DemandRow> = []
  for (const r of results) {
    const m = r.model
    const participation = m.assumptions.participation
    const needed = new Map<string, number>()
    for (const p of r.population) {
      // the level whose grades children of this age are in (age = grade + 5), if any
      const g = Dimensions.ageOfGradeIndex.indexOf(p.age)
      if (g < 0) continue
      const level = Dimensions.levelNames[Dimensions.levelOfGradeIndex[g]]
      const key = `${p.year}|${level}|${areaOf(p.settlement_id)}`
      needed.set(key, (needed.get(key) ?? 0) + p.children * participation[level])
    }
    const seats = new Map<string, number>()
    for (const x of r.schools) {
      if (!x.open) continue
      const k = m.schoolIndex.get(x.school_id)!
      const key = `${x.year}|${x.level}|${areaOf(m.settlementIds[m.schoolSettlement[k]] ?? "")}`
      seats.set(key, (seats.get(key) ?? 0) + x.seats)
    }
    for (const key of [...new Set([...needed.keys(), ...seats.keys()])].sort()) {
      const [year, level, area] = key.split("|")
      const n = needed.get(key) ?? 0
      const have = seats.get(key) ?? 0
      rows.push({
        variant: r.variant,
        year: Number(year),
        level,
        area,
        area_name: settlements.get(area)?.name ?? area,
        seats_needed: n,
        seats: have,
        seats_short: Math.max(0, n - have)
      })
    }
  }
  return rows
}

/** Compares the variants' county figures in `year` (default the last), with deltas against the first (the baseline). */
export const compare = (results: ReadonlyArray<Project.VariantResult>, year?: number) => {
  const last = Math.max(...results[0].county.map((r) => r.year))
  const y = year ?? last
  const rows: Array<Row> = []
  for (const r of results) {
    for (const c of r.county.filter((c) => c.year === y)) {
      const capital = r.county.filter((x) => x.level === c.level && x.year <= y).reduce((n, x) => n + x.capital_cost, 0)
      rows.push({
        variant: r.variant,
        level: c.level,
        year: y,
        pupils: c.pupils,
        seats: c.seats,
        seats_short: c.seat_gap,
        seats_idle: c.idle_seats,
        large_classes: c.large_classes,
        super_large_classes: c.super_large_classes,
        large_class_share: c.large_class_share,
        teacher_gap: c.teacher_gap,
        boarders: c.boarders,
        mean_distance_km: c.mean_distance_km,
        max_distance_km: c.max_distance_km,
        schools_over_size_cap: c.schools_over_size_cap,
        max_difference_coefficient: c.max_difference_coefficient,
        difference_coefficient_limit: c.difference_coefficient_limit,
        quality_schools_passing: c.quality_schools_passing,
        quality_schools: c.quality_schools,
        capital_cost_to_date: capital,
        recurrent_cost: c.recurrent_cost
      })
    }
  }
  const baseline = new Map(rows.filter((r) => r.variant === results[0].variant).map((r) => [r.level, r]))
  const numeric = (Object.keys(rows[0] ?? {}) as ReadonlyArray<keyof Row>).filter((k) => typeof rows[0][k] === "number" && k !== "year")
  const deltas = rows
    .filter((r) => r.variant !== results[0].variant)
    .map((r) => {
      const b = baseline.get(r.level)
      const d: Record<string, unknown> = { variant: r.variant, level: r.level, year: y, against: results[0].variant }
      for (const k of numeric) d[k] = (r[k] as number) - ((b?.[k] as number | undefined) ?? 0)
      return d
    })
  return { year: y, rows, deltas }
}

/** A compared row as display cells (the order of the `compare` table and the report): the level named by `level`. */
export const cells = (r: Row, level: (name: string) => string = (l) => l): ReadonlyArray<string> => [
  r.variant,
  level(r.level),
  r.pupils.toFixed(0),
  r.seats.toFixed(0),
  r.seats_short.toFixed(0),
  r.seats_idle.toFixed(0),
  String(r.large_classes),
  String(r.super_large_classes),
  r.teacher_gap.toFixed(0),
  r.boarders.toFixed(0),
  r.mean_distance_km.toFixed(1),
  r.max_distance_km.toFixed(1),
  String(r.schools_over_size_cap),
  r.difference_coefficient_limit > 0 ? `${r.max_difference_coefficient.toFixed(2)}/${r.difference_coefficient_limit}` : "",
  r.quality_schools > 0 ? `${r.quality_schools_passing}/${r.quality_schools}` : "",
  (r.capital_cost_to_date / 1e4).toFixed(0)
]

/** A variant's six accounts as display cells (money in 10,000 yuan). */
export const accountCells = (a: Accounts): ReadonlyArray<string> => [
  a.variant,
  String(a.schools_opened),
  String(a.schools_expanded),
  String(a.schools_closed_or_merged),
  String(a.schools_repurposed),
  String(a.seats_added),
  String(a.classrooms_added),
  String(a.boarding_beds_added),
  a.pupils_integrated.toFixed(0),
  a.seats_reused.toFixed(0),
  (Object.values(a.investment_by_year).reduce((x, v) => x + v, 0) / 1e4).toFixed(0),
  a.new_school_teachers_needed.toFixed(0),
  (a.senior_running_cost / 1e4).toFixed(0)
]

/**
 * The headline per variant: the first year every counted rule passes everywhere (全部达标), the year from
 * which it holds, and what still fails in the last year (the rules with the most failing checks).
 */
export const complianceCells = (
  c: Compliance.Compliance,
  lastYear: number,
  notBy: (year: number) => string = (y) => `not by ${y}`
): ReadonlyArray<string> => {
  const failing = c.rules.filter((r) => r.counts && r.failing_last_year > 0).sort((a, b) => b.failing_last_year - a.failing_last_year)
  return [
    c.variant,
    c.first_compliant_year === null ? notBy(lastYear) : String(c.first_compliant_year),
    c.compliant_from === null ? "" : String(c.compliant_from),
    String(c.failing_by_year[String(lastYear)] ?? 0),
    failing
      .slice(0, 4)
      .map((r) => `${r.rule} ${r.failing_last_year}`)
      .join(", "),
    // unknown for want of data (completeness.csv): neither passing nor failing
    String(c.unknown_by_year[String(lastYear)] ?? 0)
  ]
}

export const complianceHeader = [
  "variant",
  "full compliance 全部达标",
  "holds from",
  "failing checks (last year)",
  "rules failing most (last year)",
  "unknown checks, data missing (last year)"
]

/** Per counted rule, the first year each variant passes it everywhere ("" when it never does within the horizon). */
export const ruleYears = (
  results: ReadonlyArray<Project.VariantResult>,
  rules: ReadonlyArray<Compliance.Rule>
): ReadonlyArray<ReadonlyArray<string>> =>
  rules
    .filter((r) => r.counts)
    .map((rule) => [
      rule.id,
      rule.zh,
      ...results.map((v) => {
        const r = v.compliance.rules.find((x) => x.rule === rule.id)
        return r?.first_year_passing === null || r === undefined ? "—" : String(r.first_year_passing)
      })
    ])

export const accountHeader = [
  "variant",
  "opened",
  "expanded",
  "closed/merged",
  "repurposed",
  "seats added",
  "classrooms added",
  "beds added",
  "pupils integrated",
  "seats reused",
  "investment (10k yuan)",
  "new-school teachers",
  "senior running cost (10k yuan)"
]

/** A ledger row as display cells (money in 10,000 yuan, shares in %). */
export const ledgerCells = (l: LedgerRow): ReadonlyArray<string> => [
  l.variant,
  String(l.year),
  String(l.tasks),
  String(l.opened),
  String(l.expanded),
  String(l.closed_or_merged),
  String(l.repurposed),
  String(l.other),
  String(l.seats_added),
  String(l.classrooms_added),
  (l.investment / 1e4).toFixed(0),
  `${(l.investment_share * 100).toFixed(0)} %`,
  `${(l.task_share * 100).toFixed(0)} %`
]

export const ledgerHeader = [
  "variant",
  "year",
  "tasks",
  "opened",
  "expanded",
  "closed/merged",
  "repurposed",
  "other",
  "seats added",
  "classrooms added",
  "investment (10k yuan)",
  "investment share",
  "task share"
]
