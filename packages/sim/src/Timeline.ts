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
 * migration to the aged population (`m.pop`). Runs after ageing, births and modelled migration.
 */
export const applyDemography = (m: Model, y: number): void => {
  const due = m.timeline[y]
  if (due === undefined) return
  for (const e of due) {
    if (e._tag === "MigrationRecorded") migrateRecorded(m, e)
    else if (e._tag === "PopulationRecorded") {
      const s = m.settlementIndex.get(e.settlementId)
      if (s === undefined) continue
      for (let a = 0; a < ages; a++) m.pop[s * ages + a] = e.byAge[a] ?? m.pop[s * ages + a]
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
  loadTeachers(m, k, school.teachers)
}

/** Loads a teacher pool into school `k`'s teacher arrays. */
const loadTeachers = (m: Model, k: number, t: School.TeacherPool): void => {
  for (let b = 0; b < bands; b++) m.teachers[k * bands + b] = t.byAge[School.ageBands[b]]
  m.aboveDegree[k] = t.aboveDegree
  m.backbone[k] = t.backbone
  m.peArts[k] = t.peArts
  m.mentalHealth[k] = t.mentalHealth
}

/** School `k`'s teachers as the model has them now, as a world's teacher pool (into `pool` when given). */
const poolAt = (
  m: Model,
  k: number,
  pool: World.MutablePool = { byAge: { ...School.noTeachers.byAge }, ...noCategories }
): World.MutablePool => {
  for (let b = 0; b < bands; b++) pool.byAge[School.ageBands[b]] = m.teachers[k * bands + b]
  pool.aboveDegree = m.aboveDegree[k]
  pool.backbone = m.backbone[k]
  pool.peArts = m.peArts[k]
  pool.mentalHealth = m.mentalHealth[k]
  return pool
}

const noCategories = { aboveDegree: 0, backbone: 0, peArts: 0, mentalHealth: 0 }

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

const apply = (m: Model, e: Event.Event, y: number): void => (isStructural(e) ? evolve(m, e) : recorded(m, e, y))

/** Whether `World.evolve` defines what the event does to the model (schools, catchments, teachers, standards). */
const isStructural = (e: Event.Event): e is Structural => {
  switch (e._tag) {
    case "SettlementRecorded":
    case "EnrolmentRecorded":
    case "PopulationRecorded":
    case "MigrationRecorded":
    case "BirthsRecorded":
    case "HousingCompleted":
    // school groups change no school's plant or teachers: the group step after the run reads them (`Groups`)
    case "GroupFormed":
    case "GroupJoined":
    case "GroupLeft":
    case "GroupDissolved":
      return false
    default:
      return true
  }
}

/** What a recorded event of a projected year does at the start of the year: births recorded for it, housing arrivals. */
const recorded = (m: Model, e: Exclude<Event.Event, Structural>, y: number): void => {
  if (e._tag === "BirthsRecorded") {
    const s = m.settlementIndex.get(e.settlementId)
    if (s !== undefined) m.recordedBirths[s] = e.births
  } else if (e._tag === "HousingCompleted") {
    const s = m.settlementIndex.get(e.settlementId)
    if (s === undefined) return
    const a = m.assumptions
    a.housingPhasing.forEach((share, p) => {
      School.levels.forEach((level, l) => {
        const pupils = (e.dwellings / 100) * a.housingYield[level] * share
        if (pupils > 0) m.housingArrivals.push({ year: y + p, settlement: s, level: l, pupils })
      })
    })
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
  const taken = evolved(m, e)
  if (taken === undefined) return
  rotated(m, e, taken.before.world)
  written(m, e, taken)
  spent(m, e, bedsBefore(e, taken.before.world))
}

/** An event the world has taken: the schools it names (indexes), its world before and after. */
interface Taken {
  readonly ks: ReadonlyArray<number>
  readonly before: ReturnType<typeof window>
  readonly after: World.World
}

/** The event evolved over its part of the model's world, or undefined when the world ignores it (it names something missing). */
const evolved = (m: Model, e: Structural): Taken | undefined => {
  const ks: Array<number> = []
  for (const id of schoolsNamed(e)) {
    const k = m.schoolIndex.get(id)
    if (k !== undefined && !ks.includes(k)) ks.push(k)
  }
  const before = window(m, e, ks)
  const after = World.evolve(before.world, e)
  return after.ignored > before.world.ignored ? undefined : { ks, before, after }
}

/** Writes what the world became back into the model: the schools the event names, the catchments it moved, the standards. */
const written = (m: Model, e: Structural, { ks, before, after }: Taken): void => {
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
}

/** A boarding change's school's beds before it (what `spent` prices the added beds from); 0 for any other event. */
const bedsBefore = (e: Structural, before: World.World): number =>
  e._tag === "BoardingChanged" ? (before.schools.get(e.schoolId)?.facilities.boardingBeds ?? 0) : 0

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
    teachers: poolAt(m, k),
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
  if (e._tag !== "TeachersTransferred") return
  counted(m, e, World.teachersTaken(before.schools.get(e.from)!.teachers, e.ageBand, e.count, e))
}

/** A rotation's teachers (and backbone teachers among them) counted in the year's flows. */
const counted = (m: Model, e: Event.EventOf<"TeachersTransferred">, taken: { readonly count: number; readonly backbone: number }): void => {
  if (!e.rotation) return
  m.flows[Flow.teachersRotated] += taken.count
  m.flows[Flow.backboneRotated] += taken.backbone
}

/** Capital spent and seats built by an opening, an expansion or a boarding change the world has taken (`beds`: the school's before a boarding change). */
const spent = (m: Model, e: Structural, beds: number): void => {
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
    const added = Math.max(0, e.beds - beds)
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
    const moved = from >= 0 ? Math.min(each, m.pop[from * ages + a]) : each
    if (from >= 0) m.pop[from * ages + a] -= moved
    else m.flows[Flow.intoCounty] += moved
    if (to >= 0) m.pop[to * ages + a] += moved
    else m.flows[Flow.outOfCounty] += moved
  }
}

// ---------------------------------------------------------------- a plan applied once for many runs

/**
 * A model's timeline applied once for many runs that differ only in their assumptions (a sweep's futures:
 * `Engine.run` with `plan`). What the events do to the plant, the catchments and the standards (every array
 * but the teachers', and the scalar standards) reads nothing else: only events change those, and
 * `World.evolve` decides them from those alone. So `plan` evolves each event once and keeps, per year, the
 * arrays' resulting changes; a run writes them into its own copy. What a run's assumptions or its own state
 * change is still applied in each run, in the events' order: the teachers an event reads (hires,
 * retirements and transfers through `World.hire`, `retire` and `transfer`, what `evolve` does to the pools;
 * merges and closures into another school through `World.evolve` of the event's world as `plan` found it,
 * the run's teachers put in), capital spent (the run's unit costs), housing arrivals (its yields) and
 * recorded births. A school opened gets the event's teachers and a school closed with no
 * receiver none, whatever the run. `applyPlanned` leaves the model as `applyDue` does (a property test holds
 * the two equal array for array after every year, with the teachers changed between years).
 */
export interface Plan {
  /** Per year index: the changes to the model's arrays (array, indexes, values) and scalar standards. */
  readonly writes: ReadonlyArray<ReadonlyArray<Write>>
  /** Per year index: what each run applies itself, in the events' order. */
  readonly steps: ReadonlyArray<ReadonlyArray<Step>>
}

type Write =
  | { readonly key: string; readonly index: Int32Array; readonly value: Float64Array }
  | { readonly key: string; readonly scalar: number }

type Step =
  /** A recorded event (births, housing): as `applyDue` applies it. */
  | { readonly _tag: "Recorded"; readonly e: Exclude<Event.Event, Structural> }
  /** Teachers an event sets whatever was there (the opened school's, a closed school's none): school, bands then categories. */
  | { readonly _tag: "Pool"; readonly k: number; readonly pool: School.TeacherPool }
  /** A hire or retirement: `World.hire` or `World.retire` of the run's pool of school `k`. */
  | { readonly _tag: "Hire"; readonly k: number; readonly e: Event.EventOf<"TeachersHired"> }
  | { readonly _tag: "Retire"; readonly k: number; readonly e: Event.EventOf<"TeachersRetired"> }
  /** A transfer: `World.transfer` between the run's pools of schools `from` and `to` (a rotation counted). */
  | { readonly _tag: "Transfer"; readonly from: number; readonly to: number; readonly e: Event.EventOf<"TeachersTransferred"> }
  /** Another event that reads the teachers it changes (a merge, a closure into another school): evolved again with the run's teachers of `read`, written to `ks`. */
  | {
      readonly _tag: "Teachers"
      readonly e: Structural
      readonly world: World.World
      readonly read: ReadonlyArray<number>
      readonly ks: ReadonlyArray<number>
    }
  /** Capital spent and seats built (priced with the run's unit costs). */
  | { readonly _tag: "Capital"; readonly e: Structural; readonly beds: number }

/** The arrays each run keeps for itself: the teachers (which age and leave), and what `applyDue` resets or counts every year. */
const perRun = new Set([
  "teachers",
  "aboveDegree",
  "backbone",
  "peArts",
  "mentalHealth",
  "capital",
  "seatsBuilt",
  "flows",
  "recordedBirths"
])

/** The arrays and scalars `plan` follows: the model's typed arrays but `perRun`, and its numbers (the scalar standards). */
const followed = (m: Model): { readonly arrays: ReadonlyArray<string>; readonly scalars: ReadonlyArray<string> } => {
  const arrays: Array<string> = []
  const scalars: Array<string> = []
  for (const [key, value] of Object.entries(m)) {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView) && !perRun.has(key)) arrays.push(key)
    else if (typeof value === "number") scalars.push(key)
  }
  return { arrays, scalars }
}

/** A typed array of a model (`Float64Array` stands for every kind: they share the methods used here). */
type Typed = Float64Array

/**
 * Applies `m`'s timeline once (`m`: a fresh copy of the model, which this changes) and returns the plan
 * `applyPlanned` applies in each run of the model.
 */
export const plan = (m: Model): Plan => {
  const { arrays, scalars } = followed(m)
  const state = m as unknown as Record<string, Typed | number>
  const last = new Map<string, Typed | number>()
  for (const key of arrays) last.set(key, (state[key] as Typed).slice())
  for (const key of scalars) last.set(key, state[key])
  const writes: Array<ReadonlyArray<Write>> = [[]]
  const steps: Array<ReadonlyArray<Step>> = [[]]
  for (let y = 1; y <= m.horizon; y++) {
    const due: Array<Step> = []
    for (const e of m.timeline[y] ?? []) {
      if (!isStructural(e)) {
        if (e._tag === "BirthsRecorded" || e._tag === "HousingCompleted") due.push({ _tag: "Recorded", e })
        continue
      }
      const taken = evolved(m, e)
      if (taken === undefined) continue
      written(m, e, taken)
      due.push(...teacherSteps(m, e, taken))
      if (e._tag === "SchoolOpened" || e._tag === "SchoolExpanded" || e._tag === "BoardingChanged") {
        due.push({ _tag: "Capital", e, beds: bedsBefore(e, taken.before.world) })
      }
    }
    steps.push(due)
    const year: Array<Write> = []
    for (const key of scalars) {
      if (!Object.is(state[key], last.get(key))) year.push({ key, scalar: state[key] as number })
      last.set(key, state[key])
    }
    for (const key of arrays) {
      const now = state[key] as Typed
      const was = last.get(key) as Typed
      if (sameBytes(now, was)) continue
      const index: Array<number> = []
      for (let i = 0; i < now.length; i++) if (!Object.is(now[i], was[i])) index.push(i)
      if (index.length === 0) continue
      year.push({ key, index: Int32Array.from(index), value: Float64Array.from(index, (i) => now[i]) })
      was.set(now)
    }
    writes.push(year)
  }
  return { writes, steps }
}

/** Whether two typed arrays of one kind and length hold the same bytes (a word at a time where they align). */
const sameBytes = (a: Typed, b: Typed): boolean => {
  const words = a.byteLength % 4 === 0 && a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0
  const x = words ? new Int32Array(a.buffer, a.byteOffset, a.byteLength / 4) : new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
  const y = words ? new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

/**
 * What a run applies itself of an event's effect on teachers: nothing when every school the event names
 * keeps its pool (an expansion, a catchment, a conversion), the pool the event sets (an opening, a closure
 * with no receiver), else the event again over the run's teachers.
 */
const teacherSteps = (m: Model, e: Structural, { ks, before, after }: Taken): ReadonlyArray<Step> => {
  const kept = ks.filter((k) => after.schools.has(m.schoolIds[k]))
  const changed = kept.filter((k) => after.schools.get(m.schoolIds[k])!.teachers !== before.world.schools.get(m.schoolIds[k])?.teachers)
  if (changed.length === 0) return []
  if (e._tag === "SchoolOpened" || (e._tag === "SchoolClosed" && e.pupilsTo === undefined)) {
    return changed.map((k) => ({ _tag: "Pool", k, pool: after.schools.get(m.schoolIds[k])!.teachers }))
  }
  const at = (id: string) => m.schoolIndex.get(id)!
  if (e._tag === "TeachersHired") return [{ _tag: "Hire", k: at(e.schoolId), e }]
  if (e._tag === "TeachersRetired") return [{ _tag: "Retire", k: at(e.schoolId), e }]
  if (e._tag === "TeachersTransferred") return [{ _tag: "Transfer", from: at(e.from), to: at(e.to), e }]
  return [{ _tag: "Teachers", e, world: before.world, read: ks.filter((k) => before.world.schools.has(m.schoolIds[k])), ks: kept }]
}

/** The pools a run's teacher events are applied to, read from its arrays and written back (allocated once). */
const scratch: readonly [World.MutablePool, World.MutablePool] = [
  { byAge: { ...School.noTeachers.byAge }, ...noCategories },
  { byAge: { ...School.noTeachers.byAge }, ...noCategories }
]

/** `applyDue` for a run of the model `p` was planned from (`plan`): the same arrays after it. */
export const applyPlanned = (m: Model, p: Plan, y: number): void => {
  m.recordedBirths.fill(NaN)
  m.capital.fill(0)
  m.seatsBuilt.fill(0)
  const state = m as unknown as Record<string, Typed | number>
  for (const w of p.writes[y] ?? []) {
    if ("scalar" in w) {
      state[w.key] = w.scalar
      continue
    }
    const into = state[w.key] as Typed
    for (let i = 0; i < w.index.length; i++) into[w.index[i]] = w.value[i]
  }
  for (const step of p.steps[y] ?? []) {
    switch (step._tag) {
      case "Recorded":
        recorded(m, step.e, y)
        break
      case "Pool":
        loadTeachers(m, step.k, step.pool)
        break
      case "Hire":
        World.hire(poolAt(m, step.k, scratch[0]), step.e)
        loadTeachers(m, step.k, scratch[0])
        break
      case "Retire":
        World.retire(poolAt(m, step.k, scratch[0]), step.e)
        loadTeachers(m, step.k, scratch[0])
        break
      case "Transfer": {
        const [from, to] = scratch
        counted(m, step.e, World.transfer(poolAt(m, step.from, from), poolAt(m, step.to, to), step.e))
        loadTeachers(m, step.from, from)
        loadTeachers(m, step.to, to)
        break
      }
      case "Teachers": {
        const schools = new Map(step.world.schools)
        for (const k of step.read) schools.set(m.schoolIds[k], { ...schools.get(m.schoolIds[k])!, teachers: poolAt(m, k) })
        const world: World.World = { ...step.world, schools }
        const after = World.evolve(world, step.e)
        rotated(m, step.e, world)
        for (const k of step.ks) loadTeachers(m, k, after.schools.get(m.schoolIds[k])!.teachers)
        break
      }
      case "Capital":
        spent(m, step.e, step.beds)
        break
    }
  }
}
