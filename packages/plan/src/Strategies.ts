/**
 * Layout strategies (布局策略): pure functions that, from the world after a plan so far and its projection,
 * write the next steps of a plan variant. A scenario names them in a variant's `strategies`, with their
 * parameters; they compose in order (each sees the world and projection the ones before it made). Every
 * strategy builds before it closes (先建后撤): expansions are dated `year`, closures `year + 1`.
 *
 * - `primary-toward-townships` (小学向乡镇集中): village primary schools and teaching points under a size
 *   threshold close into their township's central school;
 * - `junior-toward-central-towns` (初中向中心城镇集中): village junior schools, and township ones under a
 *   size threshold, close into the nearest junior school of a township seat or the county seat;
 * - `senior-toward-county-seat` (高中向县城集中): senior high schools outside the county seat under a size
 *   threshold close into the county seat's largest senior high;
 *   each of the three expands the receiving schools (and, for junior and senior, every school of the level
 *   in the towns it concentrates on) to the classrooms, seats and boarding beds the projection needs at its
 *   peak over the rest of the horizon, with the closures in place;
 * - `kindergartens-near-homes` (幼儿园就近就便): closed school buildings in places with young children reopen as
 *   kindergartens (repurpose), and places without a kindergarten within the walking distance get one;
 * - `eliminate-large-classes` (消除大班额): projects the plan to a target year and expands every school whose
 *   grades would need more classrooms than it has, by exactly the classrooms missing.
 */
import { type Event, School, type Standards, World } from "@seatplan/core"
import { AllocationRule, Compile, Dimensions, Distance, Engine } from "@seatplan/sim"
import * as Numbers from "@seatplan/core/Numbers"
import { Schema } from "effect"
import type * as Scenario from "./PlanStep.js"

const Year = Schema.Int.pipe(Schema.between(1949, 2100))
/** Pupils, children or km: finite, above 0, at most 1e9. */
const Positive = Numbers.bounded(0, Numbers.maxCount, "above 0").pipe(Schema.positive()).annotations({
  description: "a finite number above 0, at most 1e9"
})

export const PrimaryTowardTownships = Schema.Struct({
  strategy: Schema.Literal("primary-toward-townships"),
  /** The year the receiving schools are expanded; the small schools close the year after. */
  year: Year,
  /** Schools with fewer primary pupils than this close (default 100: 乡村小规模学校). */
  maxPupils: Schema.optional(Positive),
  /** Reopen the closed buildings as kindergartens at once (default false: leave it to kindergartens-near-homes). */
  kindergartens: Schema.optional(Schema.Boolean),
  /** Only these townships (default all): a phased plan applies the strategy township by township. */
  townships: Schema.optional(Schema.Array(Schema.String))
})

export const JuniorTowardCentralTowns = Schema.Struct({
  strategy: Schema.Literal("junior-toward-central-towns"),
  year: Year,
  /** Township junior schools with fewer pupils than this close too (default 300); village ones always do. */
  maxPupils: Schema.optional(Positive)
})

export const SeniorTowardCountySeat = Schema.Struct({
  strategy: Schema.Literal("senior-toward-county-seat"),
  year: Year,
  /** Senior high schools outside the county seat with fewer pupils than this close (default 1,500). */
  maxPupils: Schema.optional(Positive)
})

export const KindergartensNearHomes = Schema.Struct({
  strategy: Schema.Literal("kindergartens-near-homes"),
  year: Year,
  /** Places with at least this many children aged 3-5 at the projected peak get a kindergarten (default 20). */
  minChildren: Schema.optional(Positive),
  /** A place is served when a kindergarten is this close (default the kindergarten boarding distance, 2 km). */
  withinKm: Schema.optional(Positive)
})

export const EliminateLargeClasses = Schema.Struct({
  strategy: Schema.Literal("eliminate-large-classes"),
  /** The year the classrooms are built. */
  year: Year,
  /** The year by which no class may exceed its cap. */
  targetYear: Year
})

/** A strategy and its parameters, as a scenario's variant names it. */
export const Spec = Schema.Union(
  PrimaryTowardTownships,
  JuniorTowardCentralTowns,
  SeniorTowardCountySeat,
  KindergartensNearHomes,
  EliminateLargeClasses
)
export type Spec = typeof Spec.Type

/** What a strategy sees: the world and events after the plan so far, and how the scenario projects. */
export interface Context {
  /** The world with the history and every step of the plan so far applied. */
  readonly world: World.World
  /** The history and the plan so far, as events (what a projection compiles). */
  readonly events: ReadonlyArray<Event.Event>
  /** The plan so far. */
  readonly steps: ReadonlyArray<Scenario.PlanStep>
  /** How the scenario projects: base year, horizon, assumptions, allocation rule, method. */
  readonly compile: Compile.Options & { readonly baseYear: number; readonly horizon: number }
  /** The events of `steps` added to the plan so far (decided against the world): for probing a projection. */
  readonly withSteps: (steps: ReadonlyArray<Scenario.PlanStep>) => ReadonlyArray<Event.Event>
}

/** The steps a strategy adds to the plan. */
export const run = (spec: Spec, ctx: Context): ReadonlyArray<Scenario.PlanStep> => {
  switch (spec.strategy) {
    case "primary-toward-townships":
      return primaryTowardTownships(ctx, spec)
    case "junior-toward-central-towns":
      return juniorTowardCentralTowns(ctx, spec)
    case "senior-toward-county-seat":
      return seniorTowardCountySeat(ctx, spec)
    case "kindergartens-near-homes":
      return kindergartensNearHomes(ctx, spec)
    case "eliminate-large-classes":
      return eliminateLargeClasses(ctx, spec)
  }
}

// == consolidation (primary, junior, senior)

type Level = "primary" | "junior" | "senior"

/** A consolidation: which schools close into which, and which schools are sized to the peak. */
interface Consolidation {
  readonly year: number
  readonly closures: ReadonlyArray<{ readonly school: School.SchoolState; readonly into: School.SchoolState }>
  /** Schools sized to the projected peak besides those receiving closures. */
  readonly alsoSized: ReadonlyArray<School.SchoolState>
  readonly kindergartens: boolean
}

const openSchools = (world: World.World) => [...world.schools.values()].filter((s) => s.status === "open")

/**
 * Each school's pupils by level in the base year as the scenario projects them (recorded enrolment where
 * there is some, the population model's where not): what "a school under N pupils" is measured on.
 */
const basePupils = (ctx: Context): ((s: School.SchoolState, level: Level) => number) => {
  const m = Compile.compile(ctx.events, { ...ctx.compile, horizon: 1 })
  const L = Dimensions.levels
  const G = Dimensions.grades
  const pupils = new Float64Array(m.schools * L)
  Engine.run(m, {
    population: false,
    onYear: (y) => {
      if (y !== 0) return
      for (let k = 0; k < m.schools; k++) {
        for (let g = 0; g < G; g++) pupils[k * L + Dimensions.levelOfGradeIndex[g]] += m.enrolled[k * G + g]
      }
    }
  })
  return (s, level) => {
    const k = m.schoolIndex.get(s.id)
    return k === undefined ? 0 : pupils[k * L + Dimensions.levelIndex(level)]
  }
}
const tierOf = (world: World.World, s: School.SchoolState) => world.settlements.get(s.settlementId)?.tier
const distance = (a: { readonly lon: number; readonly lat: number }, b: { readonly lon: number; readonly lat: number }) =>
  Distance.km(a.lon, a.lat, b.lon, b.lat)

/** The steps of a consolidation: receivers expanded to the projected peak in `year`, closures in `year + 1`. */
const consolidate = (ctx: Context, c: Consolidation): ReadonlyArray<Scenario.PlanStep> => {
  if (c.closures.length === 0 && c.alsoSized.length === 0) return []
  const closures: Array<Scenario.PlanStep> = c.closures.map(({ school, into }) => ({ type: "close", year: c.year + 1, school: school.id, into: into.id }))
  const receivers = new Map<string, School.SchoolState>()
  for (const { into } of c.closures) receivers.set(into.id, into)
  for (const s of c.alsoSized) receivers.set(s.id, s)
  // the recorded pupils of a receiver and of the schools closing into it must all find seats (先建后撤, as decide checks)
  const moving = new Map<string, number>()
  for (const { school, into } of c.closures) moving.set(into.id, (moving.get(into.id) ?? 0) + World.pupilsOf(ctx.world, school.id))
  const recordedNeed = (school: School.SchoolState) => Math.ceil(World.pupilsOf(ctx.world, school.id) + (moving.get(school.id) ?? 0))
  // the probe needs the seats too, or decide refuses its closures; seats do not change where pupils go under catchment-only
  const provisional = [...moving.keys()].flatMap((id): ReadonlyArray<Scenario.PlanStep> => {
    const seats = recordedNeed(receivers.get(id)!) - receivers.get(id)!.facilities.seats
    return seats > 0 ? [{ type: "expand", year: c.year, school: id, seats }] : []
  })
  const need = peakNeeds(ctx, [...provisional, ...closures], c.year + 1)
  const steps: Array<Scenario.PlanStep> = []
  for (const school of receivers.values()) {
    const peak = need.get(school.id)
    if (peak === undefined) continue
    const expansion = expandTo(ctx.world, school, { ...peak, seats: Math.max(peak.seats, recordedNeed(school)) }, c.year)
    if (expansion !== undefined) steps.push(expansion)
  }
  steps.push(...closures)
  if (c.kindergartens) {
    for (const { school } of c.closures) steps.push({ type: "repurpose", year: c.year + 1, school: school.id, use: "kindergarten" })
  }
  return steps
}

/** What a school needs at the projected peak: classrooms to keep every class within its cap, seats, beds. */
interface Need {
  readonly classrooms: number
  readonly seats: number
  readonly beds: number
}

/**
 * Projects the plan so far plus `extra` steps with every pupil sent to the school zoned for them (catchment
 * only, so a receiving school's need is not hidden by overflow), and returns each school's peak need over
 * the years from `from` to the end of the horizon.
 */
const peakNeeds = (ctx: Context, extra: ReadonlyArray<Scenario.PlanStep>, from: number): ReadonlyMap<string, Need> => {
  const events = extra.length === 0 ? ctx.events : ctx.withSteps(extra)
  return needsOver(events, { ...ctx.compile, rule: AllocationRule.catchmentOnly }, from, ctx.compile.baseYear + ctx.compile.horizon)
}

/** Each open school's peak need over the years `from`..`to` of a projection of `events` (none for schools with rooms per grade). */
const needsOver = (
  events: ReadonlyArray<Event.Event>,
  options: Compile.Options & { readonly baseYear: number },
  from: number,
  to: number
): ReadonlyMap<string, Need> => {
  const m = Compile.compile(events, { ...options, horizon: Math.max(1, to - options.baseYear) })
  const classrooms = new Float64Array(m.schools)
  const seats = new Float64Array(m.schools)
  const beds = new Float64Array(m.schools)
  const G = Dimensions.grades
  const L = Dimensions.levels
  Engine.run(m, {
    population: false,
    onYear: (y) => {
      if (m.baseYear + y < from) return
      for (let k = 0; k < m.schools; k++) {
        if (m.open[k] !== 1) continue
        let rooms = 0
        let places = 0
        for (let g = 0; g < G; g++) {
          const pupils = Math.round(m.enrolled[k * G + g])
          if (pupils <= 0) continue
          const cap = m.classCap[Dimensions.levelOfGradeIndex[g]]
          const classes = Math.ceil(pupils / cap)
          rooms += classes
          places += classes * cap
        }
        let boarders = 0
        for (let l = 0; l < L; l++) boarders += m.boarders[k * L + l]
        classrooms[k] = Math.max(classrooms[k], rooms)
        seats[k] = Math.max(seats[k], places)
        beds[k] = Math.max(beds[k], Math.ceil(boarders - 1e-9))
      }
    }
  })
  const out = new Map<string, Need>()
  for (let k = 0; k < m.schools; k++) {
    // schools with rooms per grade form classes their own way: left to the planner
    if (m.hasGradeRooms[k] !== 1) out.set(m.schoolIds[k], { classrooms: classrooms[k], seats: seats[k], beds: beds[k] })
  }
  return out
}

/** The expansion that brings a school up to a need (with the 优质均衡 floor area, grounds and equipment per new seat), if any. */
const expandTo = (world: World.World, school: School.SchoolState, need: Need, year: number): Scenario.PlanStep | undefined => {
  const f = school.facilities
  const classrooms = Math.max(0, need.classrooms - f.classrooms)
  const seats = Math.max(0, need.seats - f.seats)
  const beds = Math.max(0, need.beds - f.boardingBeds)
  if (classrooms === 0 && seats === 0 && beds === 0) return undefined
  const level: "primary" | "junior" = School.teaches(school.type, "primary") ? "primary" : "junior"
  const per = (name: string) => world.standards[`quality.${name}.${level}` as Standards.StandardKey]
  return {
    type: "expand",
    year,
    school: school.id,
    classrooms,
    seats,
    boardingBeds: beds,
    floorArea: Math.round(seats * per("floorAreaPerPupil")),
    sportsArea: Math.round(seats * per("sportsAreaPerPupil")),
    equipmentValue: Math.round(seats * per("equipmentPerPupil")),
    multimediaRooms: classrooms
  }
}

const primaryTypes: ReadonlyArray<School.SchoolType> = ["primary", "teaching-point"]

/** 小学向乡镇集中: small village primary schools close into their township's central school. */
export const primaryTowardTownships = (ctx: Context, p: Omit<typeof PrimaryTowardTownships.Type, "strategy">): ReadonlyArray<Scenario.PlanStep> => {
  const world = ctx.world
  const maxPupils = p.maxPupils ?? 100
  const pupilsOfLevel = basePupils(ctx)
  const open = openSchools(world)
  const only = p.townships === undefined ? undefined : new Set(p.townships)
  const closures: Array<Consolidation["closures"][number]> = []
  for (const township of [...world.settlements.values()].filter((s) => s.tier === "township" && (only?.has(s.id) ?? true))) {
    const central = open
      .filter((s) => s.settlementId === township.id && School.teaches(s.type, "primary") && !School.teaches(s.type, "senior"))
      .sort((a, b) => b.facilities.seats - a.facilities.seats)[0]
    if (central === undefined) continue
    for (const s of open) {
      const home = world.settlements.get(s.settlementId)
      if (home?.tier === "village" && home.parent === township.id && primaryTypes.includes(s.type) && pupilsOfLevel(s, "primary") < maxPupils) {
        closures.push({ school: s, into: central })
      }
    }
  }
  return consolidate(ctx, { year: p.year, closures, alsoSized: [], kindergartens: p.kindergartens === true })
}

/** 初中向中心城镇集中: village junior schools and small township ones close into the nearest town junior school. */
export const juniorTowardCentralTowns = (ctx: Context, p: Omit<typeof JuniorTowardCentralTowns.Type, "strategy">): ReadonlyArray<Scenario.PlanStep> => {
  const world = ctx.world
  const maxPupils = p.maxPupils ?? 300
  const pupilsOfLevel = basePupils(ctx)
  const open = openSchools(world)
  const closing = open.filter((s) =>
    s.type === "junior" &&
    (tierOf(world, s) === "village" || (tierOf(world, s) === "township" && pupilsOfLevel(s, "junior") < maxPupils))
  )
  const closingIds = new Set(closing.map((s) => s.id))
  const towns = open.filter((s) => School.teaches(s.type, "junior") && tierOf(world, s) !== "village" && !closingIds.has(s.id))
  if (towns.length === 0) return []
  const closures = closing.map((school) => ({ school, into: towns.reduce((a, b) => (distance(school, b) < distance(school, a) ? b : a)) }))
  return consolidate(ctx, { year: p.year, closures, alsoSized: towns, kindergartens: false })
}

/** 高中向县城集中: small senior high schools outside the county seat close into its largest senior high. */
export const seniorTowardCountySeat = (ctx: Context, p: Omit<typeof SeniorTowardCountySeat.Type, "strategy">): ReadonlyArray<Scenario.PlanStep> => {
  const world = ctx.world
  const maxPupils = p.maxPupils ?? 1500
  const pupilsOfLevel = basePupils(ctx)
  const open = openSchools(world)
  const seat = open.filter((s) => School.teaches(s.type, "senior") && tierOf(world, s) === "county-seat")
  if (seat.length === 0) return []
  const largest = [...seat].sort((a, b) => b.facilities.seats - a.facilities.seats)[0]
  const closures = open
    .filter((s) => s.type === "senior" && tierOf(world, s) !== "county-seat" && pupilsOfLevel(s, "senior") < maxPupils)
    .map((school) => ({ school, into: largest }))
  return consolidate(ctx, { year: p.year, closures, alsoSized: seat, kindergartens: false })
}

// == kindergartens near homes

/** 幼儿园就近就便: closed buildings reopen as kindergartens; places without one nearby get one. */
export const kindergartensNearHomes = (ctx: Context, p: Omit<typeof KindergartensNearHomes.Type, "strategy">): ReadonlyArray<Scenario.PlanStep> => {
  const world = ctx.world
  const minChildren = p.minChildren ?? 20
  const withinKm = p.withinKm ?? (ctx.compile.assumptions?.boardingKm.kindergarten ?? 2)
  const participation = ctx.compile.assumptions?.participation.kindergarten ?? 0.92
  const cap = world.standards["classCap.kindergarten"]
  const perTeacher = world.standards["pupilsPerStaff.kindergarten"]
  const young = peakChildren(ctx, p.year, 3, 5)
  const closedIn = new Map<string, number>()
  for (const s of ctx.steps) {
    if (s.type === "close") closedIn.set(s.school, s.year)
    if (s.type === "merge") for (const id of s.schools) closedIn.set(id, s.year)
  }
  const served: Array<{ readonly lon: number; readonly lat: number }> = openSchools(world).filter((s) => School.teaches(s.type, "kindergarten"))
  const steps: Array<Scenario.PlanStep> = []
  for (const place of world.settlements.values()) {
    const children = young.get(place.id) ?? 0
    if (children < minChildren || served.some((k) => distance(place, k) <= withinKm)) continue
    const pupils = Math.ceil(children * participation)
    const classes = Math.ceil(pupils / cap)
    const teachers = Math.ceil(pupils / perTeacher)
    const building = [...world.schools.values()].find((s) => s.status === "closed" && s.settlementId === place.id)
    if (building !== undefined) {
      const year = Math.max(p.year, closedIn.get(building.id) ?? p.year)
      steps.push({ type: "repurpose", year, school: building.id, use: "kindergarten" })
      if (building.facilities.classrooms < classes) {
        steps.push({ type: "expand", year, school: building.id, classrooms: classes - building.facilities.classrooms, seats: Math.max(0, classes * cap - building.facilities.seats) })
      }
      steps.push({ type: "hire", year, school: building.id, count: teachers })
      steps.push({ type: "catchment", year, level: "kindergarten", settlement: place.id, school: building.id })
      served.push(building)
    } else {
      const id = `KG-${place.id}`
      if (world.schools.has(id as never)) continue
      const school = {
        id,
        name: `${place.name} kindergarten`,
        type: "kindergarten" as const,
        settlement: place.id,
        classrooms: classes,
        seats: classes * cap,
        teachers: { total: teachers, byAge: { "under-30": teachers } }
      }
      steps.push({ type: "open", year: p.year, school })
      steps.push({ type: "catchment", year: p.year, level: "kindergarten", settlement: place.id, school: id })
      served.push(place)
    }
  }
  return steps
}

/** Each place's peak number of children aged `min`..`max` from `from` to the end of the horizon. */
const peakChildren = (ctx: Context, from: number, min: number, max: number): ReadonlyMap<string, number> => {
  const m = Compile.compile(ctx.events, ctx.compile)
  const peak = new Float64Array(m.settlements)
  Engine.run(m, {
    population: false,
    onYear: (y) => {
      if (m.baseYear + y < from) return
      for (let s = 0; s < m.settlements; s++) {
        let n = 0
        for (let a = min; a <= max; a++) n += m.pop[s * Dimensions.ages + a]
        peak[s] = Math.max(peak[s], n)
      }
    }
  })
  return new Map(m.settlementIds.map((id, s) => [id, peak[s]]))
}

// == eliminate large classes

/**
 * 消除大班额: the expansions that keep every class within its cap (45 primary, 50 junior and senior, 30
 * kindergarten) in the target year, under the scenario's own allocation: each open school gets the
 * classrooms its grades need, ceil(pupils / cap) per grade, beyond those it has, with a seat per place.
 */
export const eliminateLargeClasses = (ctx: Context, p: Omit<typeof EliminateLargeClasses.Type, "strategy">): ReadonlyArray<Scenario.PlanStep> => {
  const needs = needsOver(ctx.events, ctx.compile, p.targetYear, p.targetYear)
  const steps: Array<Scenario.PlanStep> = []
  for (const [id, need] of needs) {
    const school = ctx.world.schools.get(id as never)
    if (school === undefined || school.status !== "open") continue
    const missing = need.classrooms - school.facilities.classrooms
    if (missing <= 0) continue
    steps.push({
      type: "expand",
      year: p.year,
      school: school.id,
      classrooms: missing,
      seats: Math.max(0, need.seats - school.facilities.seats),
      floorArea: missing * 75,
      multimediaRooms: missing
    })
  }
  return steps
}
