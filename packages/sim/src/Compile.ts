/**
 * Compiles a stream's events into a `Model`: the world as of the base year becomes dense typed arrays,
 * the events of the projected years become a timeline, and distances are computed once. Everything the
 * yearly loop needs is allocated here.
 */
import type * as Event from "@seatplan/core/Event"
import * as Geography from "@seatplan/core/Geography"
import type * as Ids from "@seatplan/core/Ids"
import * as School from "@seatplan/core/School"
import * as Standards from "@seatplan/core/Standards"
import * as World from "@seatplan/core/World"
import { Data, Either } from "effect"
import * as Assumptions from "./Assumptions.js"
import { ages, bands, grades, levelIndex, levels } from "./Dimensions.js"
import * as Distance from "./Distance.js"
import type { Model } from "./Model.js"
import type { AllocationRule } from "./allocation/AllocationRule.js"
import { catchmentThenNearest } from "./allocation/NearestWithSeats.js"
import * as GradeProgression from "./GradeProgression.js"
import * as Timeline from "./Timeline.js"

export interface Options {
  /** The year the projection starts from; default the latest year a population was recorded. */
  readonly baseYear?: number
  /** Years projected after the base year (default 15). */
  readonly horizon?: number
  readonly assumptions?: Assumptions.Assumptions
  /** Default `catchment-then-nearest`. */
  readonly rule?: AllocationRule
  /**
   * How a school's grades are projected: `cohort-component` (default: every grade from the population
   * model through the allocation rule) or `grade-progression` (年级升级比: a school's grade g next year is
   * its grade g − 1 this year times the ratio calibrated from its recorded enrolment; entry grades come
   * from the population model; schools without a usable history fall back to cohort-component).
   */
  readonly method?: { readonly kind: "cohort-component" } | ({ readonly kind: "grade-progression" } & GradeProgression.CalibrateOptions)
}

/** Why a stream cannot be projected. */
export class CompileError extends Data.TaggedError("CompileError")<{ readonly message: string }> {}

/** The default base year: the latest year a population by age was recorded. */
export const defaultBaseYear = (events: ReadonlyArray<Event.Event>): number | undefined => {
  let year: number | undefined
  for (const e of events) if (e._tag === "PopulationRecorded" && (year === undefined || e.year > year)) year = e.year
  return year
}

/**
 * A copy of a compiled model whose state (population, plant, teachers, catchments, the year's buffers)
 * is its own, so one compilation serves many runs; what runs never change (indexes, distances, the
 * timeline) is shared.
 */
export const fresh = (m: Model): Model => {
  const copy: Record<string, unknown> = { ...m }
  for (const key of Object.keys(copy)) {
    const value = copy[key]
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) copy[key] = (value as Float64Array).slice()
  }
  copy.housingArrivals = m.housingArrivals.slice()
  return copy as unknown as Model
}

export type { Model }

/** Recorded demography: read straight into the arrays rather than folded into the world. */
const isDemography = (e: Event.Event): boolean =>
  e._tag === "PopulationRecorded" || e._tag === "BirthsRecorded" || e._tag === "MigrationRecorded" || e._tag === "EnrolmentRecorded"

/**
 * `compile` as an Either: the model, or the `CompileError` saying why the stream cannot be projected
 * (any other exception is a bug and is not caught).
 */
export const compileEither = (events: ReadonlyArray<Event.Event>, options: Options = {}): Either.Either<Model, CompileError> => {
  try {
    return Either.right(compile(events, options))
  } catch (e) {
    if (e instanceof CompileError) return Either.left(e)
    throw e
  }
}

/**
 * Compiles the events of one stream (history and plans) into a model ready to run. Throws a
 * `CompileError` (deep in the calibration, so the many callers that compile known-good streams stay
 * plain); `compileEither` returns it instead.
 */
export const compile = (events: ReadonlyArray<Event.Event>, options: Options = {}): Model => {
  const baseYear = options.baseYear ?? defaultBaseYear(events)
  if (baseYear === undefined) {
    throw new CompileError({ message: "no PopulationRecorded event: the projection needs children by age in a base year" })
  }
  const horizon = options.horizon ?? 15
  const assumptions = options.assumptions ?? Assumptions.defaults
  const chronological = World.chronological(events)
  const structural: Array<Event.Event> = []
  const planned: Array<Event.Event> = []
  const demography: Array<Event.Event> = []
  for (const e of chronological) {
    if (e.year > baseYear + horizon) break
    if (e.year > baseYear) planned.push(e)
    else if (isDemography(e)) demography.push(e)
    else structural.push(e)
  }
  const base = World.fold(structural)
  const final = planned.length === 0 ? base : World.fold(planned, base)
  const settlementIds = [...final.settlements.keys()]
  const schoolIds = [...final.schools.keys()]
  const S = settlementIds.length
  const K = schoolIds.length
  const settlementIndex = new Map<string, number>(settlementIds.map((id, i) => [id, i]))
  const schoolIndex = new Map<string, number>(schoolIds.map((id, i) => [id, i]))

  const tier = new Uint8Array(S)
  const settlementLon = new Float64Array(S)
  const settlementLat = new Float64Array(S)
  settlementIds.forEach((id, s) => {
    const settlement = final.settlements.get(id)!
    tier[s] = Geography.tierIndex(settlement.tier)
    settlementLon[s] = settlement.lon
    settlementLat[s] = settlement.lat
  })

  const pop = new Float64Array(S * ages)
  const baseBirths = new Float64Array(S).fill(NaN)
  const populationYear = new Float64Array(S).fill(-Infinity)
  for (const e of demography) {
    if (e._tag === "PopulationRecorded") {
      const s = settlementIndex.get(e.settlementId)
      if (s === undefined || e.year < populationYear[s]) continue
      populationYear[s] = e.year
      for (let a = 0; a < ages; a++) pop[s * ages + a] = e.byAge[a] ?? 0
    } else if (e._tag === "BirthsRecorded" && e.year === baseYear) {
      const s = settlementIndex.get(e.settlementId)
      if (s !== undefined) baseBirths[s] = e.births
    }
  }
  for (let s = 0; s < S; s++) if (Number.isNaN(baseBirths[s])) baseBirths[s] = pop[s * ages]
  const women = new Float64Array(S)
  const womenGrowth = new Float64Array(S)
  const baseFertility = Assumptions.seriesAt(assumptions.generalFertility, baseYear, 0)
  for (let s = 0; s < S; s++) {
    const known = assumptions.women[settlementIds[s]]
    women[s] = known ?? (baseFertility > 0 ? (baseBirths[s] * 1000) / baseFertility : 0)
    womenGrowth[s] = 1 + assumptions.womenChange[Geography.tiers[tier[s]]]
  }

  const survival = new Float64Array(ages)
  const mortality = assumptions.mortality
  for (let a = 0; a < ages; a++) survival[a] = 1 - (mortality[Math.min(a, mortality.length - 1)] ?? 0)

  const migrationTarget = assumptions.migration.map((rule) => targets(rule, final, settlementIds, tier, settlementLon, settlementLat))

  const schoolLon = new Float64Array(K)
  const schoolLat = new Float64Array(K)
  const schoolSettlement = new Int32Array(K)
  schoolIds.forEach((id, k) => {
    const school = final.schools.get(id)!
    schoolLon[k] = school.lon
    schoolLat[k] = school.lat
    schoolSettlement[k] = settlementIndex.get(school.settlementId) ?? -1
  })

  const timeline: Array<ReadonlyArray<Event.Event>> = Array.from({ length: horizon + 1 }, () => [])
  for (const e of planned) (timeline[e.year - baseYear] as Array<Event.Event>).push(e)

  const m: Model = {
    baseYear,
    horizon,
    assumptions,
    rule: options.rule ?? catchmentThenNearest,
    method: options.method?.kind ?? "cohort-component",
    settlementIds,
    settlements: S,
    tier,
    settlementLon,
    settlementLat,
    pop,
    next: new Float64Array(S * ages),
    baseBirths,
    recordedBirths: new Float64Array(S).fill(NaN),
    women,
    womenGrowth,
    survival,
    migrationTarget,
    schoolIds,
    schools: K,
    schoolSettlement,
    schoolLon,
    schoolLat,
    open: new Uint8Array(K),
    teaches: new Uint8Array(K * levels),
    classrooms: new Float64Array(K),
    gradeRooms: new Float64Array(K * grades),
    hasGradeRooms: new Uint8Array(K),
    seats: new Float64Array(K),
    beds: new Float64Array(K),
    floorArea: new Float64Array(K),
    sportsArea: new Float64Array(K),
    equipmentValue: new Float64Array(K),
    multimediaRooms: new Float64Array(K),
    musicRooms: new Float64Array(K),
    artRooms: new Float64Array(K),
    teachers: new Float64Array(K * bands),
    aboveDegree: new Float64Array(K),
    backbone: new Float64Array(K),
    peArts: new Float64Array(K),
    mentalHealth: new Float64Array(K),
    capital: new Float64Array(K),
    seatsBuilt: new Float64Array(K),
    catchment: new Int32Array(levels * S).fill(-1),
    candidates: { school: new Int32Array(0), km: new Float64Array(0), count: new Uint8Array(0), width: 0 },
    classCap: new Float64Array(levels),
    pupilsPerStaff: new Float64Array(levels),
    largeClassMin: 56,
    superLargeClassMin: 66,
    standards: new Float64Array(Standards.keys.length),
    schoolSizeCap: new Float64Array(4),
    fundingFloor: 100,
    demand: new Float64Array(S * grades),
    outOfSchool: new Float64Array(S * levels),
    enrolled: new Float64Array(K * grades),
    pupilKm: new Float64Array(K * levels),
    maxKm: new Float64Array(K * levels),
    boarders: new Float64Array(K * levels),
    unplaced: new Float64Array(S * levels),
    classes: new Float64Array(K * grades),
    maxClass: new Float64Array(K * grades),
    largeClasses: new Float64Array(K * grades),
    superLargeClasses: new Float64Array(K * grades),
    withinCap: new Float64Array(K * grades),
    teachersNeeded: new Float64Array(K * levels),
    teachersAssigned: new Float64Array(K * levels),
    zone: new Float64Array(K * levels * 2),
    flows: new Float64Array(7),
    scratchK: new Float64Array(2 * K),
    scratchS: new Float64Array(2 * S),
    timeline,
    progression: new Float64Array(K * grades).fill(NaN),
    recordedEnrolment: new Float64Array(K * grades).fill(NaN),
    previousEnrolled: new Float64Array(K * grades),
    warnings: [],
    housingArrivals: [],
    schoolIndex,
    settlementIndex
  }

  for (const [id, school] of base.schools) {
    const k = schoolIndex.get(id)!
    Timeline.load(m, k, school)
    if (school.status !== "open") m.open[k] = 0
  }
  for (const [level, zone] of base.catchments) {
    for (const [settlement, school] of zone) {
      const s = settlementIndex.get(settlement)
      const k = schoolIndex.get(school)
      if (s !== undefined && k !== undefined) m.catchment[levelIndex(level) * S + s] = k
    }
  }
  Timeline.setStandards(m, base.standards)

  if (options.method?.kind === "grade-progression") calibrateProgression(m, demography, baseYear, options.method)
  const { extra, teachesEver } = reachable(m, base, planned)
  const candidates = Distance.nearest(
    { lon: settlementLon, lat: settlementLat },
    { lon: schoolLon, lat: schoolLat },
    teachesEver,
    levels,
    m.catchment,
    extra
  )
  return { ...m, candidates }
}

/**
 * Calibrates grade-progression ratios from the recorded enrolment up to the base year into
 * `m.progression` (school × grade) and loads the base year's recorded enrolment. Schools without two
 * consecutive recorded years are left to the cohort-component method, with a warning.
 */
const calibrateProgression = (
  m: Model,
  demography: ReadonlyArray<Event.Event>,
  baseYear: number,
  options: GradeProgression.CalibrateOptions
): void => {
  let history: Array<GradeProgression.EnrolmentRecord> = []
  for (const e of demography) if (e._tag === "EnrolmentRecorded") history.push(e)
  const warnings = m.warnings as Array<string>
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = GradeProgression.calibrate(history, options)
    if (result._tag === "Right") {
      for (const r of result.right.ratios) {
        const k = m.schoolIndex.get(r.schoolId)
        if (k !== undefined) m.progression[k * grades + r.grade + 2] = r.ratio
      }
      for (const w of result.right.warnings) warnings.push(w.message)
      for (const e of history) {
        const k = m.schoolIndex.get(e.schoolId)
        if (k !== undefined && e.year === baseYear) m.recordedEnrolment[k * grades + e.grade + 2] = e.pupils
      }
      return
    }
    const error = result.left
    if (error._tag !== "NoConsecutiveYears") throw new CompileError({ message: `grade progression: ${error.message}` })
    warnings.push(`${error.message}; projected with the cohort-component method instead`)
    const dropped = new Set(error.schoolIds)
    history = history.filter((h) => !dropped.has(h.schoolId))
    if (history.length === 0) return
  }
}

/**
 * Every level each school may teach during the run, and the schools each settlement is zoned to later in
 * the run (keyed `settlement * levels + level`), following catchment changes, merges and closures.
 */
const reachable = (m: Model, base: World.World, planned: ReadonlyArray<Event.Event>) => {
  const S = m.settlements
  const extra = new Map<number, Array<number>>()
  const add = (s: number, l: number, k: number) => {
    const key = s * levels + l
    const list = extra.get(key)
    if (list === undefined) extra.set(key, [k])
    else if (!list.includes(k)) list.push(k)
  }
  const zone = m.catchment.slice()
  const teachesEver = m.teaches.slice()
  const markType = (k: number, type: School.SchoolType) => {
    for (const level of School.levelsOf(type)) teachesEver[k * levels + levelIndex(level)] = 1
  }
  for (const [id, school] of base.schools) markType(m.schoolIndex.get(id)!, school.type)
  const receive = (from: number | undefined, into: number | undefined) => {
    if (from === undefined || into === undefined) return
    for (let i = 0; i < zone.length; i++) {
      if (zone[i] !== from) continue
      zone[i] = into
      add(i % S, Math.floor(i / S), into)
    }
  }
  for (const e of planned) {
    switch (e._tag) {
      case "SchoolOpened":
        markType(m.schoolIndex.get(e.school.id)!, e.school.type)
        break
      case "SchoolConverted":
        markType(m.schoolIndex.get(e.schoolId)!, e.to)
        break
      case "SchoolRepurposed":
        if (e.use === "kindergarten") markType(m.schoolIndex.get(e.schoolId)!, "kindergarten")
        break
      case "CatchmentAssigned": {
        const s = m.settlementIndex.get(e.settlementId)
        const k = m.schoolIndex.get(e.schoolId)
        if (s === undefined || k === undefined) break
        zone[levelIndex(e.level) * S + s] = k
        add(s, levelIndex(e.level), k)
        break
      }
      case "SchoolClosed":
        if (e.pupilsTo !== undefined) receive(m.schoolIndex.get(e.schoolId), m.schoolIndex.get(e.pupilsTo))
        break
      case "SchoolsMerged":
        for (const id of e.absorbed) receive(m.schoolIndex.get(id), m.schoolIndex.get(e.into))
        break
      default:
        break
    }
  }
  return { extra, teachesEver }
}

/**
 * Where a migration rule sends each settlement's children: the nearest ancestor of the target tier (a
 * village's township, a township's county seat), otherwise the nearest settlement of that tier; -1 out of
 * the county, -2 not moving.
 */
const targets = (
  rule: Assumptions.MigrationRate,
  world: World.World,
  ids: ReadonlyArray<Ids.SettlementId>,
  tier: Uint8Array,
  lon: Float64Array,
  lat: Float64Array
): Int32Array => {
  const out = new Int32Array(ids.length).fill(-2)
  const from = Geography.tierIndex(rule.from)
  const to = rule.to === "outside" ? -1 : Geography.tierIndex(rule.to)
  const index = new Map(ids.map((id, i) => [id, i]))
  const grid = Distance.makeGrid({ lon, lat })
  const found: Array<number> = []
  for (let s = 0; s < ids.length; s++) {
    if (tier[s] !== from) continue
    if (to < 0) {
      out[s] = -1
      continue
    }
    let ancestor = world.settlements.get(ids[s])?.parent
    for (let depth = 0; ancestor !== undefined && depth < 4; depth++) {
      const a = index.get(ancestor)
      if (a === undefined) break
      if (tier[a] === to) {
        out[s] = a
        break
      }
      ancestor = world.settlements.get(ids[a])?.parent
    }
    if (out[s] !== -2) continue
    found.length = 0
    grid.nearest(lon[s], lat[s], 1, (t) => t !== s && tier[t] === to, found)
    if (found.length > 0) out[s] = found[0]
  }
  return out
}
