/**
 * 全部达标 by a target year at least cost (`comply-by`): the levers of staffing and resources on top of a
 * layout. A heuristic with a bound, not a MILP, because the levers separate by school: once groups share
 * their teachers (free), what one school still lacks (teachers after sharing, mental-health teachers,
 * teachers of a category and the 优质均衡 resources per pupil, music and art rooms) is closed only by hiring
 * at or investing in that school, so the least cost of the whole plan is the sum of each school's least
 * cost, and each school's is found exactly: the cheapest way to meet at least 6 of the 7 indicators and
 * the 7th at 85 % is to relax the indicator whose last 15 % costs most. The bound is that sum on the
 * first projection; the plan's cost is the same sum after the plan is projected again and what ageing
 * and rotation take is added (at most `rounds` times): the gap between the two is reported.
 *
 * A yearly capital budget pays for the investments (spent from the first year: no discounting, so
 * when does not change the cost) and a yearly hiring quota limits recruits (hired as late as the quota
 * allows, as each year served is paid). Needs are measured over the years from the target on, so they
 * only shrink as the target moves later: the earliest reachable target is the first year whose needs fit
 * the budget and quota of the years up to it, and more budget or quota never makes it later.
 *
 * Not levers here: seats, classrooms and closures (the layout strategies before this one), land for sports
 * grounds (a sports-area need is bought at a unit cost as if land were there), and books (not a figure
 * seatplan records).
 */
import { School, type Standards, World } from "@seatplan/core"
import * as Numbers from "@seatplan/core/Numbers"
import { Compile, Compliance, Costs, Engine, Groups, Results, Tables } from "@seatplan/sim"
import { Schema } from "effect"
import type * as Scenario from "../PlanStep.js"
import { Year } from "../PlanStep.js"
import type { Context } from "./Context.js"

export const ComplyBy = Schema.Struct({
  strategy: Schema.Literal("comply-by"),
  /** The first year the plan acts in (groups form, recruits arrive, investments are made). */
  year: Year,
  /** The year from which every counted rule should hold (全部达标). */
  targetYear: Year,
  /** Capital budget per year for facility investments, yuan. */
  budget: Numbers.Money,
  /** Recruits per year at most (teacher supply). Default: no limit. */
  hireQuota: Schema.optional(Numbers.Count),
  /** Form school groups by township and level (teachers shared, 10 % rotated each year). Default true. */
  groups: Schema.optional(Schema.Boolean)
}).annotations({
  description: "comply-by: meet every counted standard by targetYear at least cost, under a yearly budget and hiring quota"
})

/** What the strategy found: the plan's needs, its cost by year, what binds and, if the target is out of reach, why. */
export interface Report {
  readonly targetYear: number
  /** The year the plan reaches (the target, or the earliest year the budget and quota allow), or null. */
  readonly reachedYear: number | null
  /** What makes the target impossible, or "none": "budget", "teacher supply", or both. */
  readonly binding: ReadonlyArray<"budget" | "teacher supply">
  readonly why: string
  /** Capital needed for the reached year's investments, and teachers to hire. */
  readonly capital: number
  readonly hires: number
  /** Capital by year and recruits' pay by year (yuan). */
  readonly capitalByYear: Readonly<Record<string, number>>
  readonly salariesByYear: Readonly<Record<string, number>>
  /** Σ capital + Σ salaries over the horizon. */
  readonly cost: number
  /** The bound: the same sum from the first projection's needs (before the rounds added what ageing takes). */
  readonly bound: number
  /** Counted rules still failing from the reached year on, which these levers do not address. */
  readonly unaddressed: ReadonlyArray<string>
}

const compulsoryTypes: Readonly<Record<string, "primary" | "junior">> = {
  primary: "primary",
  "teaching-point": "primary",
  "nine-year": "primary",
  "twelve-year": "primary",
  junior: "junior",
  "complete-secondary": "junior"
}

/** A school's needs from a year on: recruits (by category), rooms and the investment. */
interface Need {
  teachers: number
  aboveDegree: number
  backbone: number
  peArts: number
  mentalHealth: number
  equipmentValue: number
  multimediaRooms: number
  musicRooms: number
  artRooms: number
  sportsArea: number
  floorArea: number
}

const none = (): Need => ({
  teachers: 0,
  aboveDegree: 0,
  backbone: 0,
  peArts: 0,
  mentalHealth: 0,
  equipmentValue: 0,
  multimediaRooms: 0,
  musicRooms: 0,
  artRooms: 0,
  sportsArea: 0,
  floorArea: 0
})

/** The seven indicators: the row's column, the standard, per how many pupils, and the lever that raises it. */
const indicators = [
  { column: "above_degree_per_100", standard: "aboveDegreePer100", scale: 100, lever: "aboveDegree" },
  { column: "backbone_per_100", standard: "backbonePer100", scale: 100, lever: "backbone" },
  { column: "pe_arts_per_100", standard: "peArtsPer100", scale: 100, lever: "peArts" },
  { column: "floor_area_per_pupil", standard: "floorAreaPerPupil", scale: 1, lever: "floorArea" },
  { column: "sports_area_per_pupil", standard: "sportsAreaPerPupil", scale: 1, lever: "sportsArea" },
  { column: "equipment_per_pupil", standard: "equipmentPerPupil", scale: 1, lever: "equipmentValue" },
  { column: "multimedia_per_100", standard: "multimediaPer100", scale: 100, lever: "multimediaRooms" }
] as const

const teacherLevers = new Set(["aboveDegree", "backbone", "peArts", "mentalHealth", "teachers"])
const whole = new Set(["aboveDegree", "backbone", "peArts", "mentalHealth", "teachers", "multimediaRooms", "musicRooms", "artRooms"])

/** What one unit of a lever costs over the horizon: capital, or a recruit's pay from `year` to the end. */
const unitCost = (lever: keyof Need, serving: number): number =>
  teacherLevers.has(lever) ? Costs.teacherYear * serving : Costs.facilityUnitCosts[lever as keyof typeof Costs.facilityUnitCosts]

interface Probe {
  readonly schools: ReadonlyArray<Tables.SchoolRow>
  readonly checks: ReadonlyArray<Compliance.Check>
  readonly standards: (year: number) => Standards.Standards
}

const probe = (ctx: Context, steps: ReadonlyArray<Scenario.PlanStep>): Probe => {
  const events = steps.length === 0 ? ctx.events : ctx.withSteps(steps)
  const m = Compile.compile(events, ctx.compile)
  const cube = Engine.run(m, { population: false })
  const last = m.baseYear + cube.years - 1
  const grouped = Groups.share(Tables.schools(m, cube, "probe"), Groups.byYear(events, m.baseYear, last), "probe")
  const standards = (year: number) => Results.standardsAt(cube, year - m.baseYear)
  const county = Tables.county(m, cube, "probe")
  const checks = Compliance.evaluate(Compliance.national, grouped.schools, county, standards, new Map(), grouped.groups)
  return { schools: grouped.schools, checks, standards }
}

/** Each school's needs over the years from `from`, read from a projection's rows. */
const needsFrom = (p: Probe, from: number, serving: number, world: World.World): Map<string, Need> => {
  const needs = new Map<string, Need>()
  const need = (id: string) => {
    let n = needs.get(id)
    if (n === undefined) needs.set(id, (n = none()))
    return n
  }
  const raise = (n: Need, lever: keyof Need, amount: number) => {
    const x = whole.has(lever) ? Math.ceil(amount - 1e-6) : Math.ceil(amount)
    if (x > n[lever]) n[lever] = x
  }
  // rows of a school in a year, for its levels' shares of the plant
  const byYear = new Map<string, Array<Tables.SchoolRow>>()
  for (const r of p.schools) {
    if (r.year < from || !r.open || r.pupils <= 0) continue
    const key = `${r.year}|${r.school_id}`
    const list = byYear.get(key) ?? []
    list.push(r)
    byYear.set(key, list)
  }
  for (const rows of byYear.values()) {
    const id = rows[0].school_id
    const n = need(id)
    const s = world.schools.get(id)
    // teachers after the group's sharing, over the school's levels
    raise(
      n,
      "teachers",
      rows.reduce((t, r) => t + Math.max(0, r.teachers_needed - r.teachers_available), 0)
    )
    raise(n, "mentalHealth", rows[0].mental_health_teachers_short)
    if (s !== undefined && rows[0].music_art_rooms_short > 0) {
      const rooms = rows[0].music_art_rooms_short + Math.min(s.facilities.musicRooms, s.facilities.artRooms)
      raise(n, "musicRooms", rooms - s.facilities.musicRooms)
      raise(n, "artRooms", rooms - s.facilities.artRooms)
    }
    const seats = rows.reduce((t, r) => t + r.seats, 0)
    for (const r of rows) {
      if (r.level !== "primary" && r.level !== "junior") continue
      const share = seats > 0 ? r.seats / seats : 1 / rows.length
      if (share <= 0) continue
      const standards = p.standards(r.year)
      // the deficit of each indicator at 100 % and at the 85 % floor, as school amounts and their cost
      const gaps = indicators.map((ind) => {
        const target = standards[`quality.${ind.standard}.${r.level}` as Standards.StandardKey]
        const have = (Number(r[ind.column as keyof Tables.SchoolRow]) * r.pupils) / ind.scale
        const at = (f: number) => Math.max(0, ((f * target * r.pupils) / ind.scale - have) / share)
        const full = at(1)
        const floor = at(standards["quality.floorShare"])
        const unit = unitCost(ind.lever, serving)
        return { lever: ind.lever, full, floor, relief: (full - floor) * unit }
      })
      // the cheapest way to pass: every indicator met but the one whose last 15 % costs most, kept at 85 %
      const relaxed = gaps.reduce((best, g, j) => (g.relief > gaps[best].relief ? j : best), 0)
      gaps.forEach((g, j) => raise(n, g.lever, j === relaxed ? g.floor : g.full))
    }
  }
  // recruits: every category a recruit belongs to counts as a teacher; PE/arts and mental-health are different people
  for (const n of needs.values()) n.teachers = Math.max(n.teachers, n.aboveDegree, n.backbone, n.peArts + n.mentalHealth)
  return needs
}

const capitalOf = (n: Need) =>
  Costs.investment({
    equipmentValue: n.equipmentValue,
    multimediaRooms: n.multimediaRooms,
    musicRooms: n.musicRooms,
    artRooms: n.artRooms,
    sportsArea: n.sportsArea,
    floorArea: n.floorArea
  })

const add = (a: Need, b: Need): Need =>
  Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Need] + b[k as keyof Need]])) as unknown as Need

/** Groups by township area and level: each area's compulsory schools of a level with two or more, led by the largest. */
const groupSteps = (ctx: Context, from: number, last: number): ReadonlyArray<Scenario.PlanStep> => {
  const world = ctx.world
  const areas = new Map<string, Array<School.SchoolState>>()
  for (const s of world.schools.values()) {
    const level = compulsoryTypes[s.type]
    if (s.status !== "open" || level === undefined || World.groupOf(world, s.id) !== undefined) continue
    const place = world.settlements.get(s.settlementId)
    const area = place?.parent ?? s.settlementId
    const key = `${area}|${level}`
    areas.set(key, [...(areas.get(key) ?? []), s])
  }
  const steps: Array<Scenario.PlanStep> = []
  for (const [key, schools] of [...areas].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (schools.length < 2) continue
    const sorted = [...schools].sort((a, b) => World.pupilsOf(world, b.id) - World.pupilsOf(world, a.id) || (a.id < b.id ? -1 : 1))
    const [area, level] = key.split("|")
    const group = `G-${area}-${level}`
    if (world.groups.has(group as never)) continue
    const name = `${world.settlements.get(area as never)?.name ?? area} ${School.levelLabels[level as School.Level].zh}教育集团`
    steps.push({
      type: "form-group",
      year: from,
      group,
      name,
      form: "district",
      lead: sorted[0].id,
      members: sorted.slice(1).map((s) => s.id)
    })
    for (let y = from; y <= last; y++) steps.push({ type: "rotate", year: y, group })
  }
  return steps
}

/**
 * The plan: the steps and the report. Pure apart from projecting (through the context) the plan so far
 * with the groups, and again with the recruits and investments to add what ageing and rotation take.
 */
export const plan = (
  ctx: Context,
  p: Omit<typeof ComplyBy.Type, "strategy">,
  rounds = 2
): { readonly steps: ReadonlyArray<Scenario.PlanStep>; readonly report: Report } => {
  const last = ctx.compile.baseYear + ctx.compile.horizon
  const quota = p.hireQuota ?? Number.POSITIVE_INFINITY
  const groups = p.groups === false ? [] : groupSteps(ctx, p.year, last)
  const first = probe(ctx, groups)
  const serving = (year: number) => last - year + 1
  // the earliest target the budget and the quota allow: needs shrink as the target moves later
  const totals = (t: number) => {
    const needs = needsFrom(first, t, serving(t), ctx.world)
    let capital = 0
    let hires = 0
    for (const n of needs.values()) {
      capital += capitalOf(n)
      hires += n.teachers
    }
    return { needs, capital, hires }
  }
  const years = (t: number) => t - p.year + 1
  const opens = new Map<string, number>()
  for (const r of first.schools) if (r.open && !opens.has(r.school_id)) opens.set(r.school_id, r.year)
  // a target is within reach when the schedule of its needs leaves nothing undone by it
  const fits = (t: number) => {
    const x = totals(t)
    const dry = schedule(x.needs, p, t, quota, opens)
    return { ...x, budget: dry.budget, supply: dry.supply }
  }
  const atTarget = fits(Math.max(p.year, p.targetYear))
  let reached: number | null = null
  let chosen = atTarget
  for (let t = Math.max(p.year, p.targetYear); t <= last; t++) {
    const f = t === Math.max(p.year, p.targetYear) ? atTarget : fits(t)
    if (f.budget && f.supply) {
      reached = t
      chosen = f
      break
    }
  }
  const binding: Array<"budget" | "teacher supply"> = []
  if (!atTarget.budget) binding.push("budget")
  if (!atTarget.supply) binding.push("teacher supply")
  const target = reached ?? Math.max(p.year, p.targetYear)
  const bound = chosen.capital + [...chosen.needs.values()].reduce((n, x) => n + x.teachers, 0) * Costs.teacherYear * serving(target)
  if (reached === null) {
    return {
      steps: groups,
      report: {
        targetYear: p.targetYear,
        reachedYear: null,
        binding,
        why: `${binding.join(" and ")}: ${Math.round(atTarget.capital)} yuan of investment and ${atTarget.hires} recruits are needed by ${p.targetYear}; ${p.budget} yuan and ${Number.isFinite(quota) ? quota : "unlimited"} recruits a year do not reach them within the horizon${p.budget < Costs.facilityUnitCosts.musicRooms && atTarget.capital > 0 ? ` (a music or art room alone costs ${Costs.facilityUnitCosts.artRooms}-${Costs.facilityUnitCosts.musicRooms} yuan, more than a year's budget)` : ""}`,
        capital: atTarget.capital,
        hires: atTarget.hires,
        capitalByYear: {},
        salariesByYear: {},
        cost: 0,
        bound,
        unaddressed: []
      }
    }
  }
  // rounds: project the plan and add what is still missing (categories that shrink as colleagues retire, rotation)
  let needs = chosen.needs
  let steps = [...groups, ...schedule(needs, p, target, quota, opens).steps]
  let after = probe(ctx, steps)
  for (let round = 0; round < rounds; round++) {
    const more = needsFrom(after, target, serving(target), ctx.world)
    if (![...more.values()].some((n) => Object.values(n).some((v) => v > 0))) break
    const merged = new Map(needs)
    for (const [id, n] of more) merged.set(id, add(merged.get(id) ?? none(), n))
    needs = merged
    steps = [...groups, ...schedule(needs, p, target, quota, opens).steps]
    after = probe(ctx, steps)
  }
  const capitalByYear: Record<string, number> = {}
  const salariesByYear: Record<string, number> = {}
  let recruits = 0
  for (let y = p.year; y <= last; y++) {
    for (const s of steps) {
      if (s.type === "invest" && s.year === y) capitalByYear[y] = (capitalByYear[y] ?? 0) + Costs.investment(s)
      if (s.type === "hire" && s.year === y) recruits += s.count
    }
    salariesByYear[y] = recruits * Costs.teacherYear
  }
  const cost = Object.values(capitalByYear).reduce((a, b) => a + b, 0) + Object.values(salariesByYear).reduce((a, b) => a + b, 0)
  const counted = new Set(Compliance.national.filter((r) => r.counts).map((r) => r.id))
  const unaddressed = [
    ...new Set(after.checks.filter((c) => c.year >= target && counted.has(c.rule) && c.status === "fail").map((c) => c.rule))
  ]
  return {
    steps,
    report: {
      targetYear: p.targetYear,
      reachedYear: unaddressed.length === 0 ? target : null,
      binding,
      why:
        (binding.length === 0
          ? `the budget and the teacher supply reach the needs by ${target}`
          : `${binding.join(" and ")}: by ${p.targetYear} the needs (${Math.round(atTarget.capital)} yuan, ${atTarget.hires} recruits) exceed what ${years(Math.max(p.year, p.targetYear))} years of budget and quota give; the earliest year they fit is ${target}`) +
        (unaddressed.length > 0 ? `; still failing from ${target} on, beyond these levers: ${unaddressed.join(", ")}` : ""),
      capital: [...needs.values()].reduce((n, x) => n + capitalOf(x), 0),
      hires: [...needs.values()].reduce((n, x) => n + x.teachers, 0),
      capitalByYear,
      salariesByYear,
      cost,
      bound,
      unaddressed
    }
  }
}

/**
 * Investments from the first year on within each year's budget (a school's package split across years by
 * share where it does not fit, rooms whole), and recruits as late as the quota allows, arriving by `target`.
 */
const schedule = (
  needs: ReadonlyMap<string, Need>,
  p: Omit<typeof ComplyBy.Type, "strategy">,
  target: number,
  quota: number,
  opens: ReadonlyMap<string, number>
): { readonly steps: ReadonlyArray<Scenario.PlanStep>; readonly budget: boolean; readonly supply: boolean } => {
  const steps: Array<Scenario.PlanStep> = []
  let budgetEnough = true
  // a school acts from the year it is open in the projection (a new school not before it opens)
  const from = (id: string) => Math.max(p.year, opens.get(id) ?? p.year)
  const ids = [...needs.keys()].filter((id) => opens.has(id)).sort()
  // recruits: latest year first, within the quota
  const left = new Map(ids.map((id) => [id, needs.get(id)!.teachers]))
  for (let y = target; y >= p.year; y--) {
    let room = quota
    for (const id of ids) {
      if (y < from(id)) continue
      const n = Math.min(left.get(id)!, room)
      if (n <= 0) continue
      const need = needs.get(id)!
      const total = need.teachers
      // categories in proportion to the recruits of this year (whole teachers, the rest the last year)
      const part = (k: "aboveDegree" | "backbone" | "peArts" | "mentalHealth") => Math.min(n, Math.ceil((need[k] * n) / total - 1e-9))
      steps.push({
        type: "hire",
        year: y,
        school: id,
        count: n,
        aboveDegree: part("aboveDegree"),
        backbone: part("backbone"),
        peArts: part("peArts"),
        mentalHealth: part("mentalHealth")
      })
      left.set(id, left.get(id)! - n)
      room -= n
    }
  }
  // investments: from the first year, within the budget
  let year = p.year
  let budget = p.budget
  for (const id of ids) {
    const n = needs.get(id)!
    let todo = { ...n }
    if (year < from(id)) {
      year = from(id)
      budget = p.budget
    }
    while (capitalOf(todo) > 0 && year <= target) {
      const cost = capitalOf(todo)
      const f = cost <= budget + 1e-6 ? 1 : budget / cost
      const rooms = (k: "multimediaRooms" | "musicRooms" | "artRooms") => (f === 1 ? todo[k] : Math.floor(todo[k] * f))
      const part = {
        equipmentValue: Math.floor(todo.equipmentValue * f),
        multimediaRooms: rooms("multimediaRooms"),
        musicRooms: rooms("musicRooms"),
        artRooms: rooms("artRooms"),
        sportsArea: Math.floor(todo.sportsArea * f),
        floorArea: Math.floor(todo.floorArea * f)
      }
      const spent = Costs.investment(part)
      if (spent > 0) steps.push({ type: "invest", year, school: id, ...part })
      todo = {
        ...todo,
        equipmentValue: todo.equipmentValue - part.equipmentValue,
        multimediaRooms: todo.multimediaRooms - part.multimediaRooms,
        musicRooms: todo.musicRooms - part.musicRooms,
        artRooms: todo.artRooms - part.artRooms,
        sportsArea: todo.sportsArea - part.sportsArea,
        floorArea: todo.floorArea - part.floorArea
      }
      budget -= spent
      if (f < 1 || budget <= 0) {
        year++
        budget = p.budget
      }
    }
    if (capitalOf(todo) > 0) budgetEnough = false
  }
  return { steps, budget: budgetEnough, supply: [...left.values()].every((n) => n <= 0) }
}

/** The strategy: the steps of `plan`. */
export const complyBy = (ctx: Context, p: Omit<typeof ComplyBy.Type, "strategy">): ReadonlyArray<Scenario.PlanStep> => plan(ctx, p).steps
