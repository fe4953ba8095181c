/**
 * Applies the events dated in a projected year to the model, at the start of that school year: schools
 * open, expand, merge, close, convert or are repurposed; catchments are redrawn; boarding beds change;
 * teachers are hired, retire or move; standards change; births, migration and housing recorded for the
 * year take effect. Work is per event, never per settlement (but for the catchments a closure moves).
 *
 * What an event does to schools, catchments, teachers and standards is defined once, by `World.evolve`:
 * the timeline hands each such event to it over the part of the world the event touches, read from the
 * model's arrays, and writes the result back (see the package README, "One evolve").
 */
import * as Costs from "./Costs.js"
import type * as Event from "@seatplan/core/Event"
import * as Geography from "@seatplan/core/Geography"
import type * as Ids from "@seatplan/core/Ids"
import * as School from "@seatplan/core/School"
import * as Standards from "@seatplan/core/Standards"
import * as World from "@seatplan/core/World"
import { ages, bands, levelIndex, levels } from "./Dimensions.js"
import { Flow, type Model } from "./Model.js"

/**
 * Applies the events of year index `y` (1..horizon) that change schools, catchments, teachers and
 * standards, and sets the year's recorded births and housing arrivals. Runs before the population step.
 */
export const applyDue = (m: Model, y: number): void => {
  m.recordedBirths.fill(NaN)
  m.capital.fill(0)
  m.seatsBuilt.fill(0)
  const due = m.timeline[y]
  if (due === undefined) return
  for (const e of due) apply(m, e, y)
}

/**
 * Applies the year's recorded population (a census replaces a settlement's children by age) and recorded
 * migration to the aged population in `m.next`. Runs after ageing, births and modelled migration.
 */
export const applyDemography = (m: Model, y: number): void => {
  const due = m.timeline[y]
  if (due === undefined) return
  for (const e of due) {
    if (e._tag === "MigrationRecorded") migrateRecorded(m, e)
    else if (e._tag === "PopulationRecorded") {
      const s = m.settlementIndex.get(e.settlementId)
      if (s === undefined) continue
      for (let a = 0; a < ages; a++) m.next[s * ages + a] = e.byAge[a] ?? m.next[s * ages + a]
    }
  }
}

/** The model's array of each facility field (`School.facilityFields`; boarding beds are the model's `beds`). */
const facilityArray = (m: Model, field: School.FacilityField): Float64Array => (field === "boardingBeds" ? m.beds : m[field])

/** Loads a school's record (as opened) into the model's arrays. */
export const load = (m: Model, k: number, school: School.School): void => {
  const f = school.facilities
  m.open[k] = 1
  setType(m, k, school.type)
  for (const field of School.facilityFields) facilityArray(m, field)[k] = f[field]
  m.hasGradeRooms[k] = f.classroomsByGrade === undefined ? 0 : 1
  if (f.classroomsByGrade !== undefined) {
    for (const [grade, rooms] of Object.entries(f.classroomsByGrade)) {
      const g = Number(grade) + 2
      if (g >= 0 && g < 15) m.gradeRooms[k * 15 + g] = rooms
    }
  }
  const t = school.teachers
  School.ageBands.forEach((band, b) => (m.teachers[k * bands + b] = t.byAge[band]))
  m.aboveDegree[k] = t.aboveDegree
  m.backbone[k] = t.backbone
  m.peArts[k] = t.peArts
  m.mentalHealth[k] = t.mentalHealth
}

/** Sets the standards in force from a standards record. */
export const setStandards = (m: Model, s: Standards.Standards): void => {
  for (const key of Standards.keys) setStandard(m, key, s[key])
}

const setStandard = (m: Model, key: Standards.StandardKey, value: number): void => {
  m.standards[Standards.keys.indexOf(key)] = value
  const [kind, which] = key.split(".") as [string, string]
  if (kind === "classCap") m.classCap[levelIndex(which as School.Level)] = value
  else if (kind === "pupilsPerStaff") m.pupilsPerStaff[levelIndex(which as School.Level)] = value
  else if (key === "largeClass.min") m.largeClassMin = value
  else if (key === "superLargeClass.min") m.superLargeClassMin = value
  else if (kind === "schoolSize") m.schoolSizeCap[sizeCapIndex[which] ?? 0] = value
  else if (key === "smallSchool.fundingFloor") m.fundingFloor = value
}

const sizeCapIndex: Record<string, number> = { primary: 0, junior: 1, through: 2, senior: 3 }

const setType = (m: Model, k: number, type: School.SchoolType): void => {
  for (let l = 0; l < levels; l++) m.teaches[k * levels + l] = 0
  for (const level of School.levelsOf(type)) m.teaches[k * levels + levelIndex(level)] = 1
}

const apply = (m: Model, e: Event.Event, y: number): void => {
  switch (e._tag) {
    case "SettlementRecorded":
    case "EnrolmentRecorded":
    case "PopulationRecorded":
    case "MigrationRecorded":
    // school groups change no school's plant or teachers: the group step after the run reads them (`Groups`)
    case "GroupFormed":
    case "GroupJoined":
    case "GroupLeft":
    case "GroupDissolved":
      return
    case "BirthsRecorded": {
      const s = m.settlementIndex.get(e.settlementId)
      if (s !== undefined) m.recordedBirths[s] = e.births
      return
    }
    case "HousingCompleted": {
      const s = m.settlementIndex.get(e.settlementId)
      if (s === undefined) return
      const a = m.assumptions
      a.housingPhasing.forEach((share, p) => {
        School.levels.forEach((level, l) => {
          const pupils = (e.dwellings / 100) * a.housingYield[level] * share
          if (pupils > 0) m.housingArrivals.push({ year: y + p, settlement: s, level: l, pupils })
        })
      })
      return
    }
    default:
      return evolve(m, e)
  }
}

// ---------------------------------------------------------------- through World.evolve

/** An event that changes schools, catchments, teachers or standards: the ones `World.evolve` defines. */
type Structural = Exclude<
  Event.Event,
  {
    readonly _tag:
      | "SettlementRecorded"
      | "EnrolmentRecorded"
      | "PopulationRecorded"
      | "MigrationRecorded"
      | "BirthsRecorded"
      | "HousingCompleted"
      | "GroupFormed"
      | "GroupJoined"
      | "GroupLeft"
      | "GroupDissolved"
  }
>

/** The schools an event names. */
const schoolsNamed = (e: Structural): ReadonlyArray<string> => {
  switch (e._tag) {
    case "SchoolOpened":
      return [e.school.id]
    case "SchoolsMerged":
      return [e.into, ...e.absorbed]
    case "SchoolClosed":
      return e.pupilsTo === undefined ? [e.schoolId] : [e.schoolId, e.pupilsTo]
    case "TeachersTransferred":
      return [e.from, e.to]
    case "StandardChanged":
      return []
    default:
      return [e.schoolId]
  }
}

/**
 * Applies an event with `World.evolve`, the one definition of what events do to schools, catchments,
 * teachers and standards: the part of the world the event can read or change is taken from the model's
 * arrays (the schools it names, the catchments zoned to them, the settlement it zones, the standards in
 * force), evolved, and written back. What only the simulation counts (capital spent, seats built,
 * teachers rotated) follows from the event once the world has taken it.
 */
const evolve = (m: Model, e: Structural): void => {
  const ks: Array<number> = []
  for (const id of schoolsNamed(e)) {
    const k = m.schoolIndex.get(id)
    if (k !== undefined && !ks.includes(k)) ks.push(k)
  }
  const before = window(m, e, ks)
  const after = World.evolve(before.world, e)
  if (after.ignored > before.world.ignored) return
  rotated(m, e, before.world)
  for (const k of ks) {
    const school = after.schools.get(m.schoolIds[k])
    if (school === undefined) continue
    load(m, k, school)
    m.open[k] = school.status === "open" ? 1 : 0
  }
  for (const [l, s] of before.zones) {
    const id = after.catchments.get(School.levels[l])!.get(m.settlementIds[s])
    m.catchment[l * m.settlements + s] = id === undefined ? -1 : (m.schoolIndex.get(id) ?? -1)
  }
  if (e._tag === "CatchmentAssigned") split(m, e)
  if (after.standards !== before.world.standards) setStandards(m, after.standards)
  spent(m, e, before.world)
}

/** A school of the model that exists (was in the base world or has opened): it teaches some level. */
const exists = (m: Model, k: number): boolean => {
  for (let l = 0; l < levels; l++) if (m.teaches[k * levels + l] === 1) return true
  return false
}

/** A type with the levels the school teaches (a teaching point reads as a primary school: `evolve` only asks its levels). */
const typeOf = (m: Model, k: number): School.SchoolType =>
  School.SchoolType.literals.find((type) => {
    const taught = School.levelsOf(type)
    for (let l = 0; l < levels; l++) if ((m.teaches[k * levels + l] === 1) !== taught.includes(School.levels[l])) return false
    return true
  }) ?? "primary"

/** School `k` as the model has it now, as a world's school. */
const schoolAt = (m: Model, k: number): School.SchoolState => {
  const facilities: Record<string, unknown> = {}
  for (const field of School.facilityFields) facilities[field] = facilityArray(m, field)[k]
  if (m.hasGradeRooms[k] === 1) {
    const byGrade: Record<string, number> = {}
    for (let g = 0; g < 15; g++) byGrade[String(g - 2)] = m.gradeRooms[k * 15 + g]
    facilities.classroomsByGrade = byGrade
  }
  const byAge = Object.fromEntries(School.ageBands.map((band, b) => [band, m.teachers[k * bands + b]])) as Record<School.AgeBand, number>
  const settlement = m.schoolSettlement[k]
  return {
    id: m.schoolIds[k],
    name: m.schoolIds[k],
    type: typeOf(m, k),
    settlementId: m.settlementIds[settlement] ?? m.settlementIds[0],
    lon: m.schoolLon[k],
    lat: m.schoolLat[k],
    ownership: "public",
    facilities: facilities as unknown as School.Facilities,
    teachers: {
      byAge,
      aboveDegree: m.aboveDegree[k],
      backbone: m.backbone[k],
      peArts: m.peArts[k],
      mentalHealth: m.mentalHealth[k]
    },
    status: m.open[k] === 1 ? "open" : "closed",
    openedIn: m.baseYear
  }
}

/** Settlement `s` of the model, as a world's settlement. */
const settlementAt = (m: Model, s: number) => ({
  id: m.settlementIds[s],
  name: m.settlementIds[s],
  tier: Geography.tiers[m.tier[s]],
  lon: m.settlementLon[s],
  lat: m.settlementLat[s]
})

/**
 * The part of the world event `e` reads or writes, from the model: the existing schools among `ks`, the
 * catchments zoned to them (closures move or clear those) and the one an assignment sets, with the
 * settlements involved, and the standards in force when the event changes one.
 */
const window = (m: Model, e: Structural, ks: ReadonlyArray<number>) => {
  const S = m.settlements
  const schools = new Map<Ids.SchoolId, School.SchoolState>()
  for (const k of ks) if (exists(m, k)) schools.set(m.schoolIds[k], schoolAt(m, k))
  const zones: Array<readonly [number, number]> = []
  if (e._tag === "SchoolsMerged" || e._tag === "SchoolClosed") {
    for (let i = 0; i < levels * S; i++) if (ks.includes(m.catchment[i])) zones.push([Math.floor(i / S), i % S])
  }
  const settlements = new Map<Ids.SettlementId, Geography.Settlement>()
  if (e._tag === "CatchmentAssigned") {
    const s = m.settlementIndex.get(e.settlementId)
    if (s !== undefined) {
      settlements.set(m.settlementIds[s], settlementAt(m, s))
      zones.push([levelIndex(e.level), s])
    }
  }
  const catchments = new Map(School.levels.map((level) => [level, new Map<Ids.SettlementId, Ids.SchoolId>()]))
  for (const [l, s] of zones) {
    const k = m.catchment[l * S + s]
    if (k >= 0) catchments.get(School.levels[l])!.set(m.settlementIds[s], m.schoolIds[k])
    if (!settlements.has(m.settlementIds[s])) settlements.set(m.settlementIds[s], settlementAt(m, s))
  }
  const standards =
    e._tag === "StandardChanged"
      ? (Object.fromEntries(Standards.keys.map((key, i) => [key, m.standards[i]])) as unknown as Standards.Standards)
      : World.initial.standards
  const world: World.World = { ...World.initial, settlements, schools, catchments, standards }
  return { world, zones }
}

/**
 * A split catchment (学区划分) the world has taken: `share` of the settlement's pupils of the level to the
 * second school; an assignment of the whole settlement ends it. Closures need nothing here: the allocation
 * sends a split's pupils to the zoned school when the second school no longer serves the level.
 */
const split = (m: Model, e: Extract<Structural, { _tag: "CatchmentAssigned" }>): void => {
  const s = m.settlementIndex.get(e.settlementId)
  const k = m.schoolIndex.get(e.schoolId)
  if (s === undefined || k === undefined) return
  const i = levelIndex(e.level) * m.settlements + s
  const partial = e.share !== undefined && e.share < 1
  m.splitSchool[i] = partial ? k : -1
  m.splitShare[i] = partial ? e.share : 0
}

/** Teachers rotated (交流轮岗) by a transfer, as `World.evolve` moves them. */
const rotated = (m: Model, e: Structural, before: World.World): void => {
  if (e._tag !== "TeachersTransferred" || !e.rotation) return
  const taken = World.teachersTaken(before.schools.get(e.from)!.teachers, e.ageBand, e.count, e)
  m.flows[Flow.teachersRotated] += taken.count
  m.flows[Flow.backboneRotated] += taken.backbone
}

/** Capital spent and seats built by an opening, an expansion or a boarding change the world has taken. */
const spent = (m: Model, e: Structural, before: World.World): void => {
  if (e._tag === "SchoolOpened") {
    const k = m.schoolIndex.get(e.school.id)!
    const f = e.school.facilities
    m.capital[k] += Costs.capital(m.assumptions, f.seats, f.classrooms, f.boardingBeds)
    m.seatsBuilt[k] += f.seats
  } else if (e._tag === "SchoolExpanded") {
    const k = m.schoolIndex.get(e.schoolId)!
    m.capital[k] += e.cost ?? Costs.capital(m.assumptions, Math.max(0, e.seats), Math.max(0, e.classrooms), Math.max(0, e.boardingBeds))
    m.seatsBuilt[k] += Math.max(0, e.seats)
  } else if (e._tag === "BoardingChanged") {
    const k = m.schoolIndex.get(e.schoolId)!
    const added = Math.max(0, e.beds - (before.schools.get(e.schoolId)?.facilities.boardingBeds ?? 0))
    m.capital[k] += e.cost ?? Costs.capital(m.assumptions, 0, 0, added)
  }
}

/** A migration recorded for a projected year: the count moves, spread evenly over the ages, as far as there are children. */
const migrateRecorded = (m: Model, e: Event.EventOf<"MigrationRecorded">): void => {
  const from = e.from === "outside" ? -1 : (m.settlementIndex.get(e.from) ?? -2)
  const to = e.to === "outside" ? -1 : (m.settlementIndex.get(e.to) ?? -2)
  if (from === -2 || to === -2) return
  const each = e.count / (e.ages.max - e.ages.min + 1)
  for (let a = e.ages.min; a <= e.ages.max; a++) {
    const moved = from >= 0 ? Math.min(each, m.next[from * ages + a]) : each
    if (from >= 0) m.next[from * ages + a] -= moved
    else m.flows[Flow.intoCounty] += moved
    if (to >= 0) m.next[to * ages + a] += moved
    else m.flows[Flow.outOfCounty] += moved
  }
}
