/**
 * Compiles a stream's events into a `Model`: the world as of the base year becomes dense typed arrays,
 * the events of the projected years become a timeline, and distances are computed once. Everything the
 * yearly loop needs is allocated here.
 */
import { type Event, type Ids, School, World } from "@seatplan/core"
import * as Assumptions from "./Assumptions.js"
import { ages, bands, grades, levelIndex, levels } from "./Dimensions.js"
import * as Distance from "./Distance.js"
import type { Model } from "./Model.js"
import type { AllocationRule } from "./rules/AllocationRule.js"
import { catchmentThenNearest } from "./rules/NearestWithSeats.js"
import * as Timeline from "./Timeline.js"

export interface Options {
  /** The year the projection starts from; default the latest year a population was recorded. */
  readonly baseYear?: number
  /** Years projected after the base year (default 15). */
  readonly horizon?: number
  readonly assumptions?: Assumptions.Assumptions
  /** Default `catchment-then-nearest`. */
  readonly rule?: AllocationRule
}

/** Why a stream cannot be projected. */
export class CompileError extends Error {
  readonly _tag = "CompileError"
}

const tierCode = { "county-seat": 0, township: 1, village: 2 } as const

/** The default base year: the latest year a population by age was recorded. */
export const defaultBaseYear = (events: ReadonlyArray<Event.Event>): number | undefined => {
  let year: number | undefined
  for (const e of events) if (e._tag === "PopulationRecorded" && (year === undefined || e.year > year)) year = e.year
  return year
}

/** Compiles the events of one stream (history and plans) into a model ready to run. */
export const compile = (events: ReadonlyArray<Event.Event>, options: Options = {}): Model => {
  const baseYear = options.baseYear ?? defaultBaseYear(events)
  if (baseYear === undefined) {
    throw new CompileError("no PopulationRecorded event: the projection needs children by age in a base year")
  }
  const horizon = options.horizon ?? 15
  const assumptions = options.assumptions ?? Assumptions.defaults
  const chronological = World.chronological(events)
  const base = World.fold(chronological.filter((e) => e.year <= baseYear))
  const planned = chronological.filter((e) => e.year > baseYear && e.year <= baseYear + horizon)
  const final = World.fold(planned, base)

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
    tier[s] = tierCode[settlement.tier]
    settlementLon[s] = settlement.lon
    settlementLat[s] = settlement.lat
  })

  const pop = new Float64Array(S * ages)
  const baseBirths = new Float64Array(S)
  for (const [id, record] of base.population) {
    const s = settlementIndex.get(id)
    if (s === undefined) continue
    for (let a = 0; a < ages; a++) pop[s * ages + a] = record.byAge[a] ?? 0
  }
  for (let s = 0; s < S; s++) {
    baseBirths[s] = base.births.get(World.birthsKey(settlementIds[s], baseYear))?.births ?? pop[s * ages]
  }

  const survival = new Float64Array(ages)
  const mortality = assumptions.mortality
  for (let a = 0; a < ages; a++) survival[a] = 1 - (mortality[Math.min(a, mortality.length - 1)] ?? 0)

  const migrationTarget = assumptions.migration.map((rule) =>
    targets(rule, final, settlementIds, tier, settlementLon, settlementLat)
  )

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
    settlementIds,
    settlements: S,
    tier,
    settlementLon,
    settlementLat,
    pop,
    next: new Float64Array(S * ages),
    baseBirths,
    recordedBirths: new Float64Array(S).fill(NaN),
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
    teachersNeeded: new Float64Array(K * levels),
    teachersAssigned: new Float64Array(K * levels),
    flows: new Float64Array(5),
    scratchK: new Float64Array(2 * K),
    scratchS: new Float64Array(S),
    timeline,
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

  const { mustKeep, teachesEver } = reachable(m, base, planned)
  const candidates = Distance.nearest(
    { lon: settlementLon, lat: settlementLat },
    { lon: schoolLon, lat: schoolLat },
    teachesEver,
    levels,
    mustKeep
  )
  return { ...m, candidates }
}

/** Every school each settlement may be zoned to during the run, and every level each school may teach. */
const reachable = (m: Model, base: World.World, planned: ReadonlyArray<Event.Event>) => {
  const S = m.settlements
  const keep: Array<Set<number>> = Array.from({ length: S * levels }, () => new Set())
  const teachesEver = m.teaches.slice()
  for (let l = 0; l < levels; l++) {
    for (let s = 0; s < S; s++) {
      const k = m.catchment[l * S + s]
      if (k >= 0) keep[s * levels + l].add(k)
    }
  }
  const markType = (k: number, type: School.SchoolType) => {
    for (const level of School.levelsOf(type)) teachesEver[k * levels + levelIndex(level)] = 1
  }
  for (const [id, school] of base.schools) markType(m.schoolIndex.get(id)!, school.type)
  const receive = (from: number, into: number) => {
    for (const set of keep) if (set.has(from)) set.add(into)
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
        if (s !== undefined && k !== undefined) keep[s * levels + levelIndex(e.level)].add(k)
        break
      }
      case "SchoolClosed":
        if (e.pupilsTo !== undefined) receive(m.schoolIndex.get(e.schoolId)!, m.schoolIndex.get(e.pupilsTo)!)
        break
      case "SchoolsMerged":
        for (const id of e.absorbed) receive(m.schoolIndex.get(id)!, m.schoolIndex.get(e.into)!)
        break
      default:
        break
    }
  }
  return { mustKeep: keep.map((set) => [...set]), teachesEver }
}

/**
 * Where a migration rule sends each settlement's children: a village's own township when it moves to the
 * township tier, otherwise the nearest settlement of the target tier; -1 out of the county, -2 not moving.
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
  const from = tierCode[rule.from]
  const to = rule.to === "outside" ? -1 : tierCode[rule.to]
  const index = new Map(ids.map((id, i) => [id, i]))
  const ofTier = to < 0 ? [] : ids.map((_, i) => i).filter((i) => tier[i] === to)
  for (let s = 0; s < ids.length; s++) {
    if (tier[s] !== from) continue
    if (to < 0) {
      out[s] = -1
      continue
    }
    const parent = world.settlements.get(ids[s])?.parent
    const p = parent === undefined ? undefined : index.get(parent)
    if (p !== undefined && tier[p] === to) {
      out[s] = p
      continue
    }
    let best = -2
    let bestKm = Infinity
    for (const t of ofTier) {
      if (t === s) continue
      const d = Distance.km(lon[s], lat[s], lon[t], lat[t])
      if (d < bestKm) {
        bestKm = d
        best = t
      }
    }
    out[s] = best
  }
  return out
}
