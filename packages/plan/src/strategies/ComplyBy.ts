/**
 * 全部达标 by a target year at least cost (`comply-by`): every lever of a plan on top of a layout. A heuristic
 * with a bound, not a MILP (the project's HiGHS would need the projection inside the model: allocation,
 * classes and staffing are not linear in the levers, and a county is hundreds of schools × years):
 *
 * 1. group: school groups by township and level (teachers shared for free, 10 % rotated each year); a school
 *    alone at its level in its township exchanges 10 % with the nearest school of its level elsewhere (县域内交流);
 * 2. build: where a school is over the size cap, its catchment's other settlements go to a new school of its
 *    level, and where its own settlement alone keeps it over, a second school opens in that settlement and
 *    takes half its pupils (a split catchment, 学区划分 by street); where kindergarten children live beyond the radius, their place is rezoned to a kindergarten
 *    within it (free) or gets one of its own; new schools are built to their peak need and the standards;
 * 3. expand: classrooms, seats and boarding beds where classes exceed the cap or boarders lack beds;
 * 4. hire and invest: what a school still lacks after sharing (teachers by category, mental-health teachers,
 *    the 优质均衡 resources, music and art rooms, library books) is closed only at that school, so the least
 *    cost is each school's least cost, found exactly (every indicator met but the one whose last 15 % costs
 *    most, held at the 85 % floor); the difference coefficients (teacher and facility indicators alike) are
 *    brought within their limits by raising the lowest schools of an indicator to the least common level that
 *    does it (recruits of the category, or the investment).
 * Closing is the layout strategies' lever (审慎撤并: a closure moves pupils beyond the distance standards),
 * not this one's. Building and expanding are paid first out of each year's capital budget (whole, dated when
 * paid), investments from what is left; recruits within a yearly quota, as late as it allows (each year served
 * is paid), each year's rotation after the year's recruits. The bound is the sum on the first projection; the
 * plan is projected again and what ageing and rotation take is added, and expansions whose own seats drew more
 * boarders or classes than they were sized for are re-sized, the plan's own new schools sized again, a school
 * an expansion fills past the size cap sited, and a year's rotations lifted to the county-wide share (`rounds`
 * rounds, and up to ten more while the projection still fails a counted rule and a round changes something):
 * the gap between the two is reported. A plan that does not hold by its target is made again for earlier
 * years (when money does not bind) or later ones (`plan`), and the one that holds by the target, or else
 * earliest, is kept, its first holding year reported.
 *
 * Needs are measured over the years from the target on, so they only shrink as the target moves later: the
 * earliest reachable target is the first year whose needs fit the budget and quota of the years up to it,
 * and more budget or quota never makes that year later; the reported year is the first from which the plan's
 * own projection holds (property-tested: on the county, 400 million a year reaches 2030 where 60 million
 * reaches 2038). What binds: the budget, the teacher supply, and land when
 * a school stays over the size cap after a split (its settlement would need a third school) or homes stay
 * beyond the distance standard.
 */
import { Decider, School, type Standards, World } from "@seatplan/core"
import * as Numbers from "@seatplan/core/Numbers"
import { Assumptions, Compile, type Completeness, Compliance, Costs, Engine, Groups, Results, Tables } from "@seatplan/sim"
import { Schema } from "effect"
import type * as Scenario from "../PlanStep.js"
import { Year } from "../PlanStep.js"
import { type Context, expandTo, needsOver } from "./Context.js"
import { distance } from "./Consolidation.js"
import { kindergartensNearHomes } from "./KindergartensNearHomes.js"

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
  /**
   * Form school groups by township and level (teachers shared, 10 % rotated each year) and exchanges for the
   * schools alone at their level (县域内交流). Default true; false rotates no one, so the county-wide rotation
   * rules fail unless the scenario does not count them.
   */
  groups: Schema.optional(Schema.Boolean)
}).annotations({
  description: "comply-by: meet every counted standard by targetYear at least cost, under a yearly budget and hiring quota"
})

/** A whole number with thousands marked, as the reasons print counts. */
const counts = (n: number): string => Math.round(n).toLocaleString("en-US")

/** An amount of money as the reasons print it: whole yuan with thousands marked, and in 万元 from 10,000 yuan. */
const yuan = (n: number): string =>
  Math.abs(n) < 10_000
    ? `${counts(n)} yuan`
    : `${counts(n)} yuan (${(n / 10_000).toLocaleString("en-US", { maximumFractionDigits: 1 })} 万元)`

/** What the strategy found: the plan's needs, its cost by year, what binds and, if the target is out of reach, why. */
export interface Report {
  readonly targetYear: number
  /** The year the plan reaches (the target, or the earliest year the budget and quota allow), or null. */
  readonly reachedYear: number | null
  /** The year the plan is built for: the target, or the earliest year the budget and quota allow (even if other rules still fail). */
  readonly plannedYear: number
  /**
   * What makes the target impossible (empty: nothing): "budget", "teacher supply", and "land" when a school
   * over the size cap or pupils beyond the distance standard need a new school on a new site.
   */
  readonly binding: ReadonlyArray<Binding>
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

export type Binding = "budget" | "teacher supply" | "land"

/** Building the plan pays for out of the yearly budget before its investments: whole, its steps dated when paid. */
interface Works {
  readonly school: string
  readonly from: number
  readonly cost: number
  readonly steps: ReadonlyArray<Scenario.PlanStep>
}

/** Rules a new site answers (a school over the size cap splits; homes beyond the distance need a school nearer). */
const landRules = new Set(["schoolSize", "distance"])
/** Rules an expansion of classrooms, seats and beds on the school's own site answers. */
const expansionRules = new Set(["classCap", "boardingBeds"])

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
  books: number
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
  floorArea: 0,
  books: 0
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
const whole = new Set([
  "aboveDegree",
  "backbone",
  "peArts",
  "mentalHealth",
  "teachers",
  "multimediaRooms",
  "musicRooms",
  "artRooms",
  "books"
])

/** What one unit of a lever costs over the horizon: capital, or a recruit's pay from `year` to the end. */
const unitCost = (lever: keyof Need, serving: number): number =>
  teacherLevers.has(lever) ? Costs.teacherYear * serving : Costs.facilityUnitCosts[lever as keyof typeof Costs.facilityUnitCosts]

interface Probe {
  readonly schools: ReadonlyArray<Tables.SchoolRow>
  readonly checks: ReadonlyArray<Compliance.Check>
  readonly county: ReadonlyArray<Tables.CountyRow>
  readonly standards: (year: number) => Standards.Standards
  /** The figures each school leaves out (a check on them is unknown: nothing to buy). */
  readonly missing: Completeness.Missing
}

const probe = (ctx: Context, steps: ReadonlyArray<Scenario.PlanStep>): Probe => {
  const events = steps.length === 0 ? ctx.events : ctx.withSteps(steps)
  const m = Compile.compile(events, ctx.compile)
  const cube = Engine.run(m, { population: false })
  const last = m.baseYear + cube.years - 1
  const grouped = Groups.share(Tables.schools(m, cube, "probe"), Groups.byYear(events, m.baseYear, last), "probe")
  const standards = (year: number) => Results.standardsAt(cube, year - m.baseYear)
  const county = Tables.county(m, cube, "probe")
  const missing = ctx.missing ?? new Map()
  const checks = Compliance.evaluate(Compliance.national, grouped.schools, county, standards, missing, grouped.groups)
  return { schools: grouped.schools, checks, county, standards, missing }
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
      // library books to the standard (the rule books, apart from the seven); a school without books recorded is unknown, not short
      if (p.missing.get(id)?.has("books") !== true) {
        const books = standards[`books.perPupil.${r.level}` as Standards.StandardKey] * r.pupils - r.books_per_pupil * r.pupils
        if (books > 0) raise(n, "books", books / share)
      }
    }
  }
  // the difference coefficients: the schools below a level raised to it (see `evenUp`)
  evenUp(p, from, (id, lever, amount) => raise(need(id), lever, amount))
  // recruits: every category a recruit belongs to counts as a teacher; PE/arts and mental-health are different people
  for (const n of needs.values()) n.teachers = Math.max(n.teachers, n.aboveDegree, n.backbone, n.peArts + n.mentalHealth)
  return needs
}

/** The pupil-weighted coefficient of variation of `values` with every value below `level` raised to it. */
const raisedCv = (values: ReadonlyArray<number>, weights: ReadonlyArray<number>, level: number): number =>
  Tables.differenceCoefficient(
    values.map((x) => Math.max(x, level)),
    weights
  )

/**
 * The inter-school difference coefficient (校际差异系数) of a facility indicator over its limit in a year from
 * `from` on: the schools of the level below a level L are raised to L, L the least for which the coefficient
 * is within the limit (found by bisection: raising the bottom only lowers the spread, and the coefficient
 * reaches 0 when every school is at the highest value). Raising the lowest schools is the cheapest way an
 * investment or a recruit (which only add) narrows the spread; closing the outlying small schools would be
 * another, which this strategy leaves to the layout. The teacher indicators (above the required degree,
 * backbone, PE and arts) are evened up the same way, by recruits of the category at the lowest schools (each
 * recruit's pay from the target on is its cost), so a county whose village schools hold most backbone
 * teachers per pupil hires backbone teachers for the town schools. `raise(id, lever, amount)` receives each
 * school's amount to add.
 */
const evenUp = (p: Probe, from: number, raise: (id: string, lever: keyof Need, amount: number) => void): void => {
  for (const c of p.county) {
    if (c.year < from || (c.level !== "primary" && c.level !== "junior")) continue
    const limit = p.standards(c.year)[`differenceCoefficient.${c.level}` as Standards.StandardKey]
    const rows = p.schools.filter((r) => r.year === c.year && r.level === c.level && r.open && r.pupils > 0)
    if (rows.length < 2) continue
    const seats = new Map<string, number>()
    for (const r of p.schools) if (r.year === c.year && r.open) seats.set(r.school_id, (seats.get(r.school_id) ?? 0) + r.seats)
    for (const ind of indicators) {
      if (c.difference_coefficients[ind.column] <= limit) continue
      const values = rows.map((r) => Number(r[ind.column as keyof Tables.SchoolRow]))
      const weights = rows.map((r) => r.pupils)
      let lo = Math.min(...values)
      let hi = Math.max(...values)
      for (let i = 0; i < 60 && hi - lo > 1e-9 * Math.max(1, hi); i++) {
        const mid = (lo + hi) / 2
        if (raisedCv(values, weights, mid) <= limit - 1e-6) hi = mid
        else lo = mid
      }
      rows.forEach((r, i) => {
        if (values[i] >= hi) return
        const all = seats.get(r.school_id) ?? 0
        const share = all > 0 ? r.seats / all : 1
        if (share > 0) raise(r.school_id, ind.lever, ((hi - values[i]) * r.pupils) / ind.scale / share)
      })
    }
  }
}

const capitalOf = (n: Need) =>
  Costs.investment({
    equipmentValue: n.equipmentValue,
    multimediaRooms: n.multimediaRooms,
    musicRooms: n.musicRooms,
    artRooms: n.artRooms,
    sportsArea: n.sportsArea,
    floorArea: n.floorArea,
    books: n.books
  })

const add = (a: Need, b: Need): Need =>
  Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Need] + b[k as keyof Need]])) as unknown as Need

/**
 * Groups by township area and level: each area's compulsory schools of a level with two or more, led by the
 * largest, rotating each year; a school alone at its level in its area has no group partner, so it exchanges
 * teachers each year (县域内交流) with the nearest school of its level in another area not already exchanging
 * (another lone school where that is nearest; none where it is the county's only school of its level). The
 * county-wide rule counts the rotated over every eligible teacher (Wenling 2020 §五(一)2(2): 不低于符合交流条件
 * 教师总数的10%), so where a school has no partner at all, the others rotate its part too: their share is the
 * standard × the county's eligible ÷ the eligible of the schools that rotate (at most 1).
 */
const groupSteps = (ctx: Context, from: number, last: number): ReadonlyArray<Scenario.PlanStep> => {
  const world = ctx.world
  const areaOf = (s: School.SchoolState) => world.settlements.get(s.settlementId)?.parent ?? s.settlementId
  const compulsory = [...world.schools.values()]
    .filter((s) => s.status === "open" && compulsoryTypes[s.type] !== undefined)
    .sort((a, b) => (a.id < b.id ? -1 : 1))
  const areas = new Map<string, Array<School.SchoolState>>()
  for (const s of compulsory) {
    if (World.groupOf(world, s.id) !== undefined) continue
    const key = `${areaOf(s)}|${compulsoryTypes[s.type]}`
    areas.set(key, [...(areas.get(key) ?? []), s])
  }
  const steps: Array<Scenario.PlanStep> = []
  const groups: Array<string> = []
  const lone: Array<School.SchoolState> = []
  for (const [key, schools] of [...areas].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (schools.length < 2) {
      lone.push(...schools)
      continue
    }
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
    groups.push(group)
  }
  const exchanging = new Set<string>()
  const pairs: Array<readonly [string, string]> = []
  for (const s of lone) {
    if (exchanging.has(s.id)) continue
    const partner = compulsory
      .filter(
        (o) => !exchanging.has(o.id) && o.id !== s.id && compulsoryTypes[o.type] === compulsoryTypes[s.type] && areaOf(o) !== areaOf(s)
      )
      .map((o) => ({ o, km: distance(s, o) }))
      .sort((x, y) => x.km - y.km || (x.o.id < y.o.id ? -1 : 1))[0]?.o
    if (partner === undefined) continue
    exchanging.add(s.id)
    exchanging.add(partner.id)
    pairs.push([s.id, partner.id])
  }
  const eligible = (ss: ReadonlyArray<School.SchoolState>) => ss.reduce((n, x) => n + Decider.eligibleTeachers(x), 0)
  const alone = eligible(lone.filter((x) => !exchanging.has(x.id)))
  const all = eligible(compulsory)
  const standard = world.standards["rotation.share"]
  const share = alone > 0 && all > alone ? Math.min(1, (standard * all) / (all - alone)) : undefined
  const at = share === undefined ? {} : { share }
  for (let y = from; y <= last; y++) {
    for (const group of groups) steps.push({ type: "rotate", year: y, group, ...at })
    for (const [school, partner] of pairs) steps.push({ type: "exchange", year: y, school, partner, ...at })
  }
  return steps
}

/**
 * The factor by which each year's rotations and exchanges are lifted where a projection (`p`) still fails the
 * county-wide rotation share (轮岗比例) from `target` on: the shares are set when the groups form, from the
 * teachers then eligible, and the schools the plan opens (in no group) and recruits at schools alone in
 * their area add eligible teachers (aged 30-54) who do not rotate. (Having the new schools join their area's
 * group instead was tried: it added 38 recruits on the county example, as rotated teachers leave without
 * their degree category, and reached no generated county sooner.) A failing year's factor grows by the standard over the share reached (and 1 %); `lifts`
 * itself when no year fails (rotating costs nothing in the accounts, so lifting every member is no dearer).
 */
const lift = (p: Probe, target: number, lifts: ReadonlyMap<number, number>): ReadonlyMap<number, number> => {
  let out: Map<number, number> | undefined
  for (const c of p.checks) {
    if (c.rule !== "rotation.share" || c.status !== "fail" || c.year < target || !(c.value > 0) || !(c.threshold > c.value)) continue
    out ??= new Map(lifts)
    const f = (c.threshold / c.value) * 1.01
    out.set(c.year, Math.max(out.get(c.year) ?? 1, (lifts.get(c.year) ?? 1) * f))
  }
  return out ?? lifts
}

/**
 * The expansions (classrooms, seats and boarding beds on the school's own site) that the schools failing a
 * class cap or boarders' beds from `target` on need, at their peak from `target` to the horizon's end under
 * the scenario's own allocation, each priced at the capacity unit costs (`Costs.capital`).
 */
const expansions = (
  ctx: Context,
  steps: ReadonlyArray<Scenario.PlanStep>,
  p: Probe,
  target: number,
  opens: ReadonlyMap<string, number>
): ReadonlyArray<Works> => {
  const failing = new Set(
    p.checks.filter((c) => c.counts && c.year >= target && c.status === "fail" && expansionRules.has(c.rule)).map((c) => c.school_id)
  )
  if (failing.size === 0) return []
  const last = ctx.compile.baseYear + ctx.compile.horizon
  const needs = needsOver(steps.length === 0 ? ctx.events : ctx.withSteps(steps), ctx.compile, target, last)
  const a = ctx.compile.assumptions ?? Assumptions.defaults
  const works: Array<Works> = []
  for (const id of [...failing].sort()) {
    const school = ctx.world.schools.get(id as never)
    const need = needs.get(id)
    const from = opens.get(id)
    if (school === undefined || school.status !== "open" || need === undefined || from === undefined) continue
    const step = expandTo(ctx.world, school, need, from)
    if (step === undefined || step.type !== "expand") continue
    works.push({ school: id, from, cost: Costs.capital(a, step.seats ?? 0, step.classrooms ?? 0, step.boardingBeds ?? 0), steps: [step] })
  }
  return works
}

/**
 * The works with the expansions re-sized where a projection of the plan (`steps`, `p`) still fails a class cap
 * or boarders' beds from `target` on: an expansion's own seats keep pupils the scenario's allocation sent
 * elsewhere before it, so the boarders it draws can outgrow the beds it was sized for (the county's village
 * primaries at 400 million a year, built in 2026 for 2030). Each school's expansion becomes the larger of the
 * two, field by field (both count from the school before the plan); the works themselves when nothing changes.
 */
const regrown = (
  ctx: Context,
  works: ReadonlyArray<Works>,
  steps: ReadonlyArray<Scenario.PlanStep>,
  p: Probe,
  target: number,
  opens: ReadonlyMap<string, number>
): ReadonlyArray<Works> => {
  const again = expansions(ctx, steps, p, target, opens)
  if (again.length === 0) return works
  const a = ctx.compile.assumptions ?? Assumptions.defaults
  const out = [...works]
  let changed = false
  for (const w of again) {
    const step = w.steps[0]
    if (step.type !== "expand") continue
    const i = out.findIndex((x) => x.school === w.school && x.steps.length === 1 && x.steps[0].type === "expand")
    const old = i < 0 ? undefined : out[i].steps[0]
    const before = old?.type === "expand" ? old : undefined
    const max = (k: "classrooms" | "seats" | "boardingBeds" | "floorArea" | "sportsArea" | "equipmentValue" | "multimediaRooms") =>
      Math.max(before?.[k] ?? 0, step[k] ?? 0)
    const merged: Scenario.PlanStep = {
      ...step,
      year: Math.min(step.year, before?.year ?? step.year),
      classrooms: max("classrooms"),
      seats: max("seats"),
      boardingBeds: max("boardingBeds"),
      floorArea: max("floorArea"),
      sportsArea: max("sportsArea"),
      equipmentValue: max("equipmentValue"),
      multimediaRooms: max("multimediaRooms")
    }
    if (
      before !== undefined &&
      merged.classrooms === before.classrooms &&
      merged.seats === before.seats &&
      merged.boardingBeds === before.boardingBeds
    )
      continue
    const cost = Costs.capital(a, merged.seats ?? 0, merged.classrooms ?? 0, merged.boardingBeds ?? 0)
    const work: Works = { school: w.school, from: Math.min(w.from, i < 0 ? w.from : out[i].from), cost, steps: [merged] }
    if (i < 0) out.push(work)
    else out[i] = work
    changed = true
  }
  return changed ? out : works
}

/**
 * The new schools `builds` opens where a school is over the size cap from `target` on (unsized): its catchment's
 * settlements other than its own go to a new school of its level in the largest of them.
 */
const overCap = (ctx: Context, p: Probe, target: number, year: number): ReadonlyArray<Works> => {
  const world = ctx.world
  const works: Array<Works> = []
  const over = new Set(
    p.checks.filter((c) => c.counts && c.year >= target && c.status === "fail" && c.rule === "schoolSize").map((c) => c.school_id)
  )
  // pupils by settlement: the zone's children of the level are not in the rows, so the settlement's children of all ages stand in
  const people = (id: string) => world.population.get(id as never)?.byAge.reduce((n, x) => n + x, 0) ?? 0
  for (const id of [...over].sort()) {
    const school = world.schools.get(id as never)
    if (school === undefined || school.status !== "open") continue
    for (const level of (["primary", "junior"] as const).filter((l) => School.teaches(school.type, l))) {
      const zone = [...(world.catchments.get(level)?.entries() ?? [])]
        .filter(([place, s]) => s === id && place !== school.settlementId)
        .map(([place]) => place)
      if (zone.length === 0) continue
      const home = [...zone].sort((x, y) => people(y) - people(x) || (x < y ? -1 : 1))[0]
      const newId = `${id}-${level === "primary" ? "P" : "J"}2`
      if (world.schools.has(newId as never)) continue
      const built = newSchool(ctx, year, newId, level, home, "新建")
      works.push({
        ...built,
        steps: [
          ...built.steps,
          ...zone.map((settlement): Scenario.PlanStep => ({ type: "catchment", year, level, settlement, school: newId }))
        ]
      })
    }
  }
  return works
}

/**
 * New schools (build): a school over the size cap from `target` on gives the settlements of its catchment
 * other than its own to a new school of its level in the largest of them (what its own settlement alone puts
 * over the cap is split after, `splits`); and
 * places whose kindergarten children live beyond the service radius get a kindergarten of their own, however
 * few the children (幼儿园就近就便, the `kindergartens-near-homes` strategy with no minimum). The new schools
 * open with a classroom and no teachers: the expansions and recruits that follow size them.
 */
const builds = (ctx: Context, p: Probe, target: number, year: number): ReadonlyArray<Works> => {
  const a = ctx.compile.assumptions ?? Assumptions.defaults
  const world = ctx.world
  const works: Array<Works> = [...overCap(ctx, p, target, year)]
  const failing = (rule: string, level?: string) =>
    new Set(
      p.checks
        .filter((c) => c.counts && c.year >= target && c.status === "fail" && c.rule === rule && (level === undefined || c.level === level))
        .map((c) => c.school_id)
    )
  if (failing("distance", "kindergarten").size > 0) {
    // a place zoned to a kindergarten beyond the radius while another is within it: rezoned to the nearest (free)
    const radius = world.standards["distance.kindergarten"]
    const kindergartens = [...world.schools.values()].filter((k) => k.status === "open" && School.teaches(k.type, "kindergarten"))
    const zoned = world.catchments.get("kindergarten")
    for (const place of [...world.settlements.values()].sort((x, y) => (x.id < y.id ? -1 : 1))) {
      const current = world.schools.get(zoned?.get(place.id) as never)
      if (current !== undefined && current.status === "open" && distance(place, current) <= radius) continue
      const near = kindergartens
        .map((k) => ({ k, km: distance(place, k) }))
        .filter((x) => x.km <= radius)
        .sort((x, y) => x.km - y.km || (x.k.id < y.k.id ? -1 : 1))[0]
      if (near === undefined) continue
      const when = Math.max(year, near.k.openedIn)
      works.push({
        school: near.k.id,
        from: when,
        cost: 0,
        steps: [{ type: "catchment", year: when, level: "kindergarten", settlement: place.id, school: near.k.id }]
      })
    }
    const built = new Map<string, Array<Scenario.PlanStep>>()
    for (const step of kindergartensNearHomes(ctx, { year, minChildren: 1e-9 })) {
      const key = step.type === "open" ? step.school.id : "school" in step && typeof step.school === "string" ? step.school : ""
      built.set(key, [...(built.get(key) ?? []), step])
    }
    // a place beyond the radius that none of those steps rezoned but a new kindergarten is near (one built, or
    // a closed building reopened, for a neighbouring village): rezoned to the nearest new one within the
    // radius, free, once it opens. `kindergartensNearHomes` counts a reopened building as serving the places
    // around it, so a place near one gets no kindergarten of its own: without this it stayed zoned beyond the radius.
    const rezoned = new Set(
      [...works.flatMap((w) => w.steps), ...[...built.values()].flat()].flatMap((x) =>
        x.type === "catchment" && x.level === "kindergarten" ? [x.settlement] : []
      )
    )
    const fresh = [...built.values()].flat().flatMap((x) => {
      if (x.type === "repurpose" && x.use === "kindergarten") {
        const building = world.schools.get(x.school as never)
        return building === undefined ? [] : [{ id: building.id as string, year: x.year, lon: building.lon, lat: building.lat }]
      }
      if (x.type !== "open" || !School.teaches(x.school.type, "kindergarten")) return []
      const at = world.settlements.get(x.school.settlement as never)
      if (at === undefined) return []
      return [{ id: x.school.id, year: x.year, lon: x.school.lon ?? at.lon, lat: x.school.lat ?? at.lat }]
    })
    for (const place of [...world.settlements.values()].sort((x, y) => (x.id < y.id ? -1 : 1))) {
      if (rezoned.has(place.id)) continue
      const current = world.schools.get(zoned?.get(place.id) as never)
      if (current === undefined || (current.status === "open" && distance(place, current) <= radius)) continue
      const near = fresh
        .map((k) => ({ k, km: distance(place, k) }))
        .filter((x) => x.km <= radius)
        .sort((x, y) => x.km - y.km || (x.k.id < y.k.id ? -1 : 1))[0]
      if (near === undefined) continue
      const when = Math.max(year, near.k.year)
      built.set(near.k.id, [
        ...(built.get(near.k.id) ?? []),
        { type: "catchment", year: when, level: "kindergarten", settlement: place.id, school: near.k.id }
      ])
    }
    for (const [school, steps] of built) {
      const cost = steps.reduce(
        (n, s) =>
          n +
          (s.type === "open"
            ? Costs.capital(a, s.school.seats, s.school.classrooms, 0)
            : s.type === "expand"
              ? Costs.capital(a, s.seats ?? 0, s.classrooms ?? 0, 0)
              : 0),
        0
      )
      works.push({ school, from: Math.max(year, ...steps.map((x) => x.year)), cost, steps })
    }
  }
  return sized(ctx, works, target)
}

/**
 * Split catchments (学区划分 by street) where a school is still over the size cap once `builds` has given its
 * catchment's other settlements to a new school (`p` projects the plan with them): what is left over the cap
 * comes from its own settlement, which no catchment by settlement can cure. A second school of the level
 * opens in the same settlement (a second site in the town) and takes half the settlement's pupils of the
 * level (whole pupils; streets are not modelled, so the split is by share). A settlement that would need more
 * than two schools stays over the cap: that is still land, and the report says so.
 */
const splits = (ctx: Context, p: Probe, target: number, year: number): ReadonlyArray<Works> => {
  const over = new Set(
    p.checks.filter((c) => c.counts && c.year >= target && c.status === "fail" && c.rule === "schoolSize").map((c) => c.school_id)
  )
  const works: Array<Works> = []
  for (const id of [...over].sort()) {
    const school = ctx.world.schools.get(id as never)
    if (school === undefined || school.status !== "open") continue
    for (const level of (["primary", "junior"] as const).filter((l) => School.teaches(school.type, l))) {
      const w = splitWork(ctx, year, id, level)
      if (w !== undefined) works.push(w)
    }
  }
  return works
}

const splitWork = (ctx: Context, year: number, id: string, level: "primary" | "junior"): Works | undefined => {
  const world = ctx.world
  const school = world.schools.get(id as never)
  const newId = `${id}-${level === "primary" ? "P" : "J"}S`
  if (school === undefined || world.catchments.get(level)?.get(school.settlementId) !== id || world.schools.has(newId as never))
    return undefined
  const built = newSchool(ctx, year, newId, level, school.settlementId, "新建, 分学区")
  return {
    ...built,
    steps: [...built.steps, { type: "catchment", year, level, settlement: school.settlementId, school: newId, share: splitShare }]
  }
}

/**
 * A new school of `level` in `settlement` (one classroom, a class's seats, no teachers: the expansions and
 * recruits that follow size it), priced at the capacity unit costs; `note` goes into its name.
 */
const newSchool = (ctx: Context, year: number, id: string, level: "primary" | "junior", settlement: string, note: string): Works => {
  const world = ctx.world
  const a = ctx.compile.assumptions ?? Assumptions.defaults
  const cap = world.standards[`classCap.${level}` as Standards.StandardKey]
  const place = world.settlements.get(settlement as never)
  return {
    school: id,
    from: year,
    cost: Costs.capital(a, cap, 1, 0),
    steps: [
      {
        type: "open",
        year,
        school: {
          id,
          name: `${place?.name ?? settlement} ${School.levelLabels[level].zh}(${note})`,
          type: level,
          settlement,
          classrooms: 1,
          seats: cap
        }
      }
    ]
  }
}

/** The ids of the schools the works open. */
const openedBy = (works: ReadonlyArray<Works>): ReadonlySet<string> =>
  new Set(works.flatMap((w) => w.steps.flatMap((s) => (s.type === "open" ? [s.school.id] : []))))

/**
 * The sites a projection of the plan (`works`, `p`) still needs for a school over the size cap from `target`
 * on that the plan has not built yet: its catchment's other settlements to a new school (`overCap`), or,
 * once they have one, a split of its own settlement (`splits`). Unsized.
 */
const newSites = (ctx: Context, works: ReadonlyArray<Works>, p: Probe, target: number, year: number): ReadonlyArray<Works> => {
  const have = openedBy(works)
  const fresh = (w: Works) => w.steps.every((s) => s.type !== "open" || !have.has(s.school.id))
  const moved = overCap(ctx, p, target, year).filter(fresh)
  return moved.length > 0 ? moved : splits(ctx, p, target, year).filter(fresh)
}

/**
 * Whether a school the plan opens fails a class cap or boarders' beds from `target` on in a projection of it
 * (`expansions` sizes the schools in the world; these are sized again, `sized`: a split school's own seats
 * limit the pupils a capacity-limited allocation sends it, so its first size read its need as its seats).
 */
const cramped = (works: ReadonlyArray<Works>, p: Probe, target: number): boolean => {
  const opened = openedBy(works)
  return p.checks.some((c) => c.counts && c.year >= target && c.status === "fail" && expansionRules.has(c.rule) && opened.has(c.school_id))
}

/** The share of a split settlement's pupils the second school takes: half the town each. */
const splitShare = 0.5

/**
 * The new schools of `works` built to their peak need from `target` on (classrooms, seats and beds under the
 * scenario's allocation, with the 优质均衡 floor area, grounds, equipment and multimedia rooms per seat and a
 * music and an art room per 12 classrooms), priced at the capacity unit costs.
 */
const sized = (ctx: Context, works: ReadonlyArray<Works>, target: number): ReadonlyArray<Works> => {
  const opened = works.flatMap((w) => w.steps.filter((s) => s.type === "open"))
  if (opened.length === 0) return works
  const a = ctx.compile.assumptions ?? Assumptions.defaults
  const needs = needsOver(ctx.withSteps(works.flatMap((w) => w.steps)), ctx.compile, target, ctx.compile.baseYear + ctx.compile.horizon)
  return works.map((w) => {
    const steps = w.steps.map((s): Scenario.PlanStep => {
      if (s.type !== "open") return s
      const need = needs.get(s.school.id)
      const level = School.teaches(s.school.type, "junior") ? "junior" : School.teaches(s.school.type, "primary") ? "primary" : undefined
      // a kindergarten keeps the size its strategy gave it (mixed-age classes where children are few)
      if (need === undefined || level === undefined) return s
      const per = (name: string) => ctx.world.standards[`quality.${name}.${level}` as Standards.StandardKey]
      // never smaller than it is (sized again in the rounds, a school keeps what an earlier round gave it)
      const classrooms = Math.max(1, s.school.classrooms, need.classrooms)
      const seats = Math.max(s.school.seats, need.seats)
      const rooms = Math.ceil(classrooms / 12)
      return {
        ...s,
        school: {
          ...s.school,
          classrooms,
          seats,
          boardingBeds: Math.max(s.school.boardingBeds ?? 0, need.beds),
          floorArea: Math.round(seats * per("floorAreaPerPupil")),
          sportsArea: Math.round(seats * per("sportsAreaPerPupil")),
          equipmentValue: Math.round(seats * per("equipmentPerPupil")),
          multimediaRooms: classrooms,
          musicRooms: rooms,
          artRooms: rooms
        }
      }
    })
    const cost = steps.reduce(
      (n, s) =>
        n +
        (s.type === "open"
          ? Costs.capital(a, s.school.seats, s.school.classrooms, s.school.boardingBeds ?? 0)
          : s.type === "expand"
            ? Costs.capital(a, s.seats ?? 0, s.classrooms ?? 0, s.boardingBeds ?? 0)
            : 0),
      0
    )
    return { ...w, steps, cost }
  })
}

/** The first year each school is open in a projection (a new school not before it opens). */
const openingYears = (p: Probe): ReadonlyMap<string, number> => {
  const opens = new Map<string, number>()
  for (const r of p.schools) if (r.open && !opens.has(r.school_id)) opens.set(r.school_id, r.year)
  return opens
}

/** The last year each school is open in a projection (nothing is built or bought at a school after it closes). */
const closingYears = (p: Probe): ReadonlyMap<string, number> => {
  const lasts = new Map<string, number>()
  for (const r of p.schools) if (r.open) lasts.set(r.school_id, Math.max(lasts.get(r.school_id) ?? r.year, r.year))
  return lasts
}

/** The counted rules a new site answers that fail from `target` on, and the schools they fail at. */
const landNeeds = (p: Probe, target: number): ReadonlyMap<string, ReadonlySet<string>> => {
  const out = new Map<string, Set<string>>()
  for (const c of p.checks) {
    if (!c.counts || c.year < target || c.status !== "fail" || !landRules.has(c.rule)) continue
    const set = out.get(c.rule) ?? new Set<string>()
    set.add(c.school_id)
    out.set(c.rule, set)
  }
  return out
}

const landWhy = (land: ReadonlyMap<string, ReadonlySet<string>>, world: World.World): string => {
  const names = (ids: ReadonlySet<string>) =>
    [...ids]
      .sort()
      .slice(0, 5)
      .map((id) => world.schools.get(id as never)?.name ?? id)
      .join(", ") + (ids.size > 5 ? ` and ${ids.size - 5} more` : "")
  const parts: Array<string> = []
  const size = land.get("schoolSize")
  if (size !== undefined)
    parts.push(
      `${size.size} school(s) still over the size cap after the new schools and split catchments comply-by places (${names(size)}): their settlement needs a third school, or the school serves a place it is not in`
    )
  const distance = land.get("distance")
  if (distance !== undefined)
    parts.push(
      `day pupils beyond the distance standard at ${distance.size} school(s) (${names(distance)}) need a school nearer their homes`
    )
  return `land: ${parts.join("; ")}; comply-by builds only on the sites the plan has (choose new sites with seatplan optimize and candidate sites, then run comply on that variant)`
}

/**
 * The plan: the steps and the report. Pure apart from projecting (through the context) the plan so far
 * with the groups, and again with the expansions, recruits and investments to add what ageing and rotation take.
 *
 * One plan is made for the target (`planFor`: for the first year from it the budget and the supply reach).
 * Where it does not hold by the target, other targets' plans are made whole, each with its builds and
 * expansions sized for its own year: when neither the budget nor the supply binds, the plans for earlier years
 * (sooner and dearer; one that holds from an earlier year holds by the target too), latest first, and the first
 * that holds by the target is the answer; otherwise the plans for the later years, and the one whose projection
 * holds earliest is the answer (a plan holding from a later year than it was made for still holds). Later
 * years are not tried when a school over the size cap or homes beyond the distance standard in the horizon's
 * last year need a site no plan builds.
 */
export const plan = (
  ctx: Context,
  p: Omit<typeof ComplyBy.Type, "strategy">,
  rounds = 2
): { readonly steps: ReadonlyArray<Scenario.PlanStep>; readonly report: Report } => {
  const asked = Math.max(p.year, p.targetYear)
  const last = ctx.compile.baseYear + ctx.compile.horizon
  const holdsBy = (r: Report) => r.reachedYear !== null && r.reachedYear <= asked
  const first = planFor(ctx, p, rounds)
  if (holdsBy(first.report)) return first
  const relabelled = (made: Made, t: number, how: string) => ({
    steps: made.steps,
    report: {
      ...made.report,
      targetYear: p.targetYear,
      why: `${first.report.why}; the plan made again for ${t}${how} holds from ${made.report.reachedYear}: ${made.report.why}`
    }
  })
  if (!first.report.binding.some((b) => b !== "land")) {
    for (let t = asked - 1; t >= p.year; t--) {
      const earlier = planFor(ctx, { ...p, targetYear: t }, rounds)
      if (holdsBy(earlier.report)) return relabelled(earlier, t, ", an earlier year (sooner and dearer),")
    }
  }
  let best: Made = first
  let bestAt = asked
  for (let t = first.fit + 1; !first.unsited && t <= last && (best.report.reachedYear === null || t < best.report.reachedYear); t++) {
    const later = planFor(ctx, { ...p, targetYear: t }, rounds)
    const at = later.report.reachedYear
    if (at !== null && (best.report.reachedYear === null || at < best.report.reachedYear)) {
      best = later
      bestAt = t
    }
  }
  return best === first ? first : relabelled(best, bestAt, "")
}

/** A plan made for one target, with the year the budget and supply first reach and whether land binds to the end. */
interface Made {
  readonly steps: ReadonlyArray<Scenario.PlanStep>
  readonly report: Report
  /** The year the plan was made for: the first from the target the budget and supply reach (the horizon's end if none). */
  readonly fit: number
  /** A school over the size cap or homes beyond the distance standard in the horizon's last year (no later plan sites them). */
  readonly unsited: boolean
}

/** The plan made for `p.targetYear` with the works that year needs (`plan` tries other years when it does not hold by it). */
const planFor = (ctx: Context, p: Omit<typeof ComplyBy.Type, "strategy">, rounds: number): Made => {
  const last = ctx.compile.baseYear + ctx.compile.horizon
  const quota = p.hireQuota ?? Number.POSITIVE_INFINITY
  const asked = Math.max(p.year, p.targetYear)
  const groups = p.groups === false ? [] : groupSteps(ctx, p.year, last)
  const grouped = probe(ctx, groups)
  // new schools where a school is over the size cap or kindergarten children live too far, then expansions
  // for class caps and boarders' beds: whole works paid first out of the yearly budget
  const moved = builds(ctx, grouped, asked, p.year)
  const movedProbe = moved.length === 0 ? grouped : probe(ctx, [...groups, ...moved.flatMap((w) => w.steps)])
  // a school still over the size cap from its own settlement: a second school in the town and a split catchment
  const split = splits(ctx, movedProbe, asked, p.year)
  const built = split.length === 0 ? moved : sized(ctx, [...moved, ...split], asked)
  const withBuilt = [...groups, ...built.flatMap((w) => w.steps)]
  const sited = split.length === 0 ? movedProbe : probe(ctx, withBuilt)
  const works = [...built, ...expansions(ctx, withBuilt, sited, asked, openingYears(sited))]
  const first = works.length === built.length ? sited : probe(ctx, [...groups, ...works.flatMap((w) => w.steps)])
  const opens = openingYears(first)
  const lasts = closingYears(first)
  const land = landNeeds(first, asked)
  const serving = (year: number) => last - year + 1
  // the earliest target the budget and the quota allow: needs shrink as the target moves later
  const totals = (t: number) => {
    const needs = needsFrom(first, t, serving(t), ctx.world)
    let capital = works.reduce((n, w) => n + w.cost, 0)
    let hires = 0
    for (const n of needs.values()) {
      capital += capitalOf(n)
      hires += n.teachers
    }
    return { needs, capital, hires }
  }
  const years = (t: number) => t - p.year + 1
  // a target is within reach when the schedule of its needs leaves nothing undone by it
  const fits = (t: number) => {
    const x = totals(t)
    const dry = schedule(x.needs, works, p, t, quota, opens, lasts)
    return { ...x, budget: dry.budget, supply: dry.supply }
  }
  const atTarget = fits(asked)
  let reached: number | null = null
  let chosen = atTarget
  for (let t = asked; t <= last; t++) {
    const f = t === asked ? atTarget : fits(t)
    if (f.budget && f.supply) {
      reached = t
      chosen = f
      break
    }
  }
  const binding: Array<Binding> = []
  if (!atTarget.budget) binding.push("budget")
  if (!atTarget.supply) binding.push("teacher supply")
  if (land.size > 0) binding.push("land")
  let target = reached ?? asked
  const boundOf = (f: { readonly capital: number; readonly needs: ReadonlyMap<string, Need> }, t: number) =>
    f.capital + [...f.needs.values()].reduce((n, x) => n + x.teachers, 0) * Costs.teacherYear * serving(t)
  let bound = boundOf(chosen, target)
  const money = binding.filter((b) => b !== "land")
  if (reached === null) {
    return {
      fit: last,
      unsited: land.size > 0,
      steps: groups,
      report: {
        targetYear: p.targetYear,
        reachedYear: null,
        plannedYear: asked,
        binding,
        why:
          (money.length === 0
            ? ""
            : `${money.join(" and ")}: ${yuan(atTarget.capital)} of building and investment and ${counts(atTarget.hires)} recruits are needed by ${p.targetYear}; ${yuan(p.budget)} and ${Number.isFinite(quota) ? counts(quota) : "unlimited"} recruits a year do not reach them within the horizon${p.budget < Costs.facilityUnitCosts.musicRooms && atTarget.capital > 0 ? ` (a music or art room alone costs ${counts(Costs.facilityUnitCosts.artRooms)}-${counts(Costs.facilityUnitCosts.musicRooms)} yuan, more than a year's budget)` : ""}`) +
          (land.size > 0 ? `${money.length === 0 ? "" : "; "}${landWhy(land, ctx.world)}` : ""),
        capital: atTarget.capital,
        hires: atTarget.hires,
        capitalByYear: {},
        salariesByYear: {},
        cost: 0,
        bound,
        unaddressed: [...land.keys()]
      }
    }
  }
  const counted = new Set(Compliance.national.filter((r) => r.counts).map((r) => r.id))
  const failingFrom = (q: Probe, t: number) =>
    new Set(q.checks.filter((c) => c.year >= t && counted.has(c.rule) && c.status === "fail").map((c) => c.rule))
  // the first year from `t` on from which a projection holds every counted rule to the horizon's end (null: none)
  const holdsFrom = (q: Probe, t: number): number | null => {
    let from = t
    for (const c of q.checks) if (c.year >= from && counted.has(c.rule) && c.status === "fail") from = c.year + 1
    return from <= last ? from : null
  }
  // the groups formed first; each year's rotation after the year's recruits have arrived (a backbone recruit
  // arriving at the start of a school year rotates in it: ordered before, the target year's rotation had none)
  const formed = groups.filter((s) => s.type !== "rotate" && s.type !== "exchange")
  const rotations = groups.filter((s) => s.type === "rotate" || s.type === "exchange")
  // each year's rotations and exchanges at their share times the year's lift (`lift`)
  const standardShare = ctx.world.standards["rotation.share"]
  const ordered = (
    scheduled: { readonly steps: ReadonlyArray<Scenario.PlanStep>; readonly unbuilt: ReadonlySet<string> },
    lifts: ReadonlyMap<number, number>
  ) =>
    withoutSchools(
      [
        ...formed,
        ...scheduled.steps,
        ...rotations.map((s) => {
          const f = lifts.get(s.year)
          return f === undefined || (s.type !== "rotate" && s.type !== "exchange")
            ? s
            : { ...s, share: Math.min(1, (s.share ?? standardShare) * f) }
        })
      ],
      scheduled.unbuilt
    )
  // rounds: project the plan and add what is still missing (categories that shrink as colleagues retire, rotation,
  // classrooms and beds an expansion's own seats draw pupils to): `rounds` rounds, and up to ten more while the
  // projection still fails a counted rule and a round changes something (a larger budget builds earlier, so what
  // ageing takes can show later than the first rounds looked; a school's seats draw pupils round after round)
  const attempt = (t: number, start: ReadonlyMap<string, Need>) => {
    let needs = start
    let current: ReadonlyArray<Works> = works
    let scheduled = schedule(needs, current, p, t, quota, opens, lasts)
    let lifts: ReadonlyMap<number, number> = new Map()
    let steps = ordered(scheduled, lifts)
    let after = probe(ctx, steps)
    let opened = opens
    for (let round = 0; round < rounds + 10 && (round < rounds || failingFrom(after, t).size > 0); round++) {
      const more = needsFrom(after, t, serving(t), ctx.world)
      // a school the rounds' expansions filled past the size cap gets the site it needs now (its demand read as
      // its seats under a capacity-limited allocation at first), and the plan's new schools are sized again
      const sites = newSites(ctx, current, after, t, p.year)
      if (sites.length > 0) opened = new Map([...opened, ...sites.map((w) => [w.school, w.from] as const)])
      const landed = sites.length === 0 && !cramped(current, after, t) ? current : sized(ctx, [...current, ...sites], t)
      const grown = regrown(ctx, landed, steps, after, t, opened)
      const lifted = lift(after, t, lifts)
      if (grown === current && lifted === lifts && ![...more.values()].some((n) => Object.values(n).some((v) => v > 0))) break
      lifts = lifted
      const merged = new Map(needs)
      for (const [id, n] of more) merged.set(id, add(merged.get(id) ?? none(), n))
      needs = merged
      current = grown
      scheduled = schedule(needs, current, p, t, quota, opened, lasts)
      steps = ordered(scheduled, lifts)
      after = probe(ctx, steps)
    }
    return { t, needs, works: current, scheduled, steps, after, holds: holdsFrom(after, t), unaddressed: [...failingFrom(after, t)] }
  }
  // the plan for the first year the budget and quota reach (`plan` tries other years' plans when it does not hold by it)
  const best = attempt(target, chosen.needs)
  const { needs, works: finalWorks, scheduled, steps, after } = best
  const reachedYear = best.holds
  const unaddressed = reachedYear === null ? best.unaddressed : []
  const fitYear = target
  if (reachedYear !== null && reachedYear > target) {
    target = reachedYear
    bound = boundOf(fits(target), target)
  }
  const capitalByYear: Record<string, number> = { ...scheduled.paid }
  const salariesByYear: Record<string, number> = {}
  let recruits = 0
  for (let y = p.year; y <= last; y++) {
    for (const s of steps) if (s.type === "hire" && s.year === y) recruits += s.count
    salariesByYear[y] = recruits * Costs.teacherYear
  }
  const cost = Object.values(capitalByYear).reduce((x, y) => x + y, 0) + Object.values(salariesByYear).reduce((x, y) => x + y, 0)
  // land binds when the plan's own projection still fails a land rule (the first projection's failures are
  // what the new schools and split catchments answer)
  const landAfter = landNeeds(after, target)
  const bindingAfter: ReadonlyArray<Binding> = [...money, ...(landAfter.size > 0 ? (["land"] as const) : [])]
  return {
    fit: fitYear,
    unsited: landNeeds(after, last).size > 0,
    steps,
    report: {
      targetYear: p.targetYear,
      reachedYear,
      plannedYear: target,
      binding: bindingAfter,
      why:
        (money.length === 0
          ? `the budget and the teacher supply reach the needs by ${fitYear}`
          : `${money.join(" and ")}: by ${p.targetYear} the needs (${yuan(atTarget.capital)}, ${counts(atTarget.hires)} recruits) exceed what ${years(asked)} years of budget and quota give; the earliest year they fit is ${target}`) +
        (target > fitYear
          ? `; the plan for ${fitYear} still fails ${best.unaddressed.join(", ")} after its rounds and holds from ${target}`
          : "") +
        (landAfter.size > 0 ? `; ${landWhy(landAfter, ctx.world)}` : "") +
        (unaddressed.some((r) => !landRules.has(r))
          ? `; still failing from ${target} on, beyond these levers: ${unaddressed.filter((r) => !landRules.has(r)).join(", ")}`
          : ""),
      capital: finalWorks.reduce((n, w) => n + w.cost, 0) + [...needs.values()].reduce((n, x) => n + capitalOf(x), 0),
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
 * The steps without any that names a school of `gone` (a new school the budget does not build): a group
 * keeps its other members, and a group led by one is not formed (nor rotated).
 */
const withoutSchools = (steps: ReadonlyArray<Scenario.PlanStep>, gone: ReadonlySet<string>): ReadonlyArray<Scenario.PlanStep> => {
  if (gone.size === 0) return steps
  const droppedGroups = new Set<string>()
  const out: Array<Scenario.PlanStep> = []
  for (const s of steps) {
    if (s.type === "form-group") {
      if (gone.has(s.lead)) droppedGroups.add(s.group)
      else out.push(s.members.some((m) => gone.has(m)) ? { ...s, members: s.members.filter((m) => !gone.has(m)) } : s)
      continue
    }
    if ("group" in s && droppedGroups.has(s.group)) continue
    const names = [
      "school" in s && typeof s.school === "string" ? s.school : undefined,
      "partner" in s ? s.partner : undefined,
      "into" in s ? s.into : undefined,
      s.type === "transfer" ? s.from : undefined,
      s.type === "transfer" ? s.to : undefined
    ]
    if (names.some((n) => n !== undefined && gone.has(n))) continue
    out.push(s)
  }
  return out
}

/**
 * Expansions first, each whole and dated the year its last yuan is paid (a works paid over several years is
 * finished when paid), then investments from the first year on within what each year's budget has left (a
 * school's package split across years by share where it does not fit, rooms whole), and recruits as late as
 * the quota allows, arriving by `target`.
 */
const schedule = (
  needs: ReadonlyMap<string, Need>,
  works: ReadonlyArray<Works>,
  p: Omit<typeof ComplyBy.Type, "strategy">,
  target: number,
  quota: number,
  opens: ReadonlyMap<string, number>,
  lasts: ReadonlyMap<string, number>
): {
  readonly steps: ReadonlyArray<Scenario.PlanStep>
  readonly budget: boolean
  readonly supply: boolean
  /** What is paid in each year (a works paid over several years counts in each). */
  readonly paid: Readonly<Record<string, number>>
  /** New schools whose building the budget does not pay by `target`: not opened, so no step may name them. */
  readonly unbuilt: ReadonlySet<string>
} => {
  const steps: Array<Scenario.PlanStep> = []
  let budgetEnough = true
  // what each year's budget has left, and what is paid
  const paidIn: Record<string, number> = {}
  const purse = new Map<number, number>()
  for (let y = p.year; y <= target; y++) purse.set(y, p.budget)
  const unbuilt = new Set<string>()
  // expansions and new schools: whole, paid from the first year the school is open, in the order of the schools;
  // one the budget cannot finish by the target is not begun (what it would have taken goes to the rest)
  for (const w of works) {
    // a school that closes before the target needs nothing for the years from it; one that closes later is built for before it does
    const until = Math.min(target, lasts.get(w.school) ?? target)
    if (until < target && lasts.has(w.school)) continue
    let owed = w.cost
    let y = Math.max(p.year, w.from)
    const payments: Array<readonly [number, number]> = []
    while (y <= until) {
      const paid = Math.min(owed, purse.get(y)!)
      purse.set(y, purse.get(y)! - paid)
      if (paid > 0) payments.push([y, paid])
      owed -= paid
      if (owed <= 1e-6) break
      y++
    }
    if (owed > 1e-6) {
      budgetEnough = false
      for (const [year, paid] of payments) purse.set(year, purse.get(year)! + paid)
      for (const step of w.steps) if (step.type === "open") unbuilt.add(step.school.id)
      continue
    }
    for (const [year, paid] of payments) paidIn[year] = (paidIn[year] ?? 0) + paid
    for (const step of w.steps) steps.push({ ...step, year: Math.max(step.year, y) })
  }
  // a school acts from the year it is open in the projection (a new school not before it opens)
  const from = (id: string) => Math.max(p.year, opens.get(id) ?? p.year)
  const ids = [...needs.keys()].filter((id) => opens.has(id) && !unbuilt.has(id) && (lasts.get(id) ?? target) >= target).sort()
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
      // (at least 0: the ceiling of a category with none is -0, which a written plan showed as `-0`)
      const part = (k: "aboveDegree" | "backbone" | "peArts" | "mentalHealth") =>
        Math.max(0, Math.min(n, Math.ceil((need[k] * n) / total - 1e-9)))
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
  // investments: from the first year each school is open, within what the budget has left
  for (const id of ids) {
    const n = needs.get(id)!
    let todo = { ...n }
    let year = from(id)
    while (capitalOf(todo) > 0 && year <= target) {
      const budget = purse.get(year)!
      if (budget <= 1e-6) {
        year++
        continue
      }
      const cost = capitalOf(todo)
      const f = cost <= budget + 1e-6 ? 1 : budget / cost
      const rooms = (k: "multimediaRooms" | "musicRooms" | "artRooms") => (f === 1 ? todo[k] : Math.floor(todo[k] * f))
      const part = {
        equipmentValue: Math.floor(todo.equipmentValue * f),
        multimediaRooms: rooms("multimediaRooms"),
        musicRooms: rooms("musicRooms"),
        artRooms: rooms("artRooms"),
        sportsArea: Math.floor(todo.sportsArea * f),
        floorArea: Math.floor(todo.floorArea * f),
        books: Math.floor(todo.books * f)
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
        floorArea: todo.floorArea - part.floorArea,
        books: todo.books - part.books
      }
      purse.set(year, budget - spent)
      if (spent > 0) paidIn[year] = (paidIn[year] ?? 0) + spent
      if (f < 1 || budget - spent <= 1e-6) year++
    }
    if (capitalOf(todo) > 0) budgetEnough = false
  }
  return { steps, budget: budgetEnough, supply: [...left.values()].every((n) => n <= 0), paid: paidIn, unbuilt }
}

/** The strategy: the steps of `plan`. */
export const complyBy = (ctx: Context, p: Omit<typeof ComplyBy.Type, "strategy">): ReadonlyArray<Scenario.PlanStep> => plan(ctx, p).steps
