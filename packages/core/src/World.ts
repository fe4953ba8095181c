/**
 * The world state of a region as of a school year: settlements, schools with their plant and teachers,
 * catchments (学区), recorded population, births, migration, housing and enrolment, and the standards
 * in force. It is a left fold of `evolve` over the events of a stream.
 *
 * `evolve` is pure and total: an event that refers to something that does not exist (an import that
 * never went through `decide`) changes nothing but the `ignored` counter, and counts never go below zero.
 */
import type { Settlement } from "./Geography.js"
import type { Event, EventOf, GroupForm, Place } from "./Event.js"
import type { GroupId, SchoolId, SettlementId } from "./Ids.js"
import {
  type AgeBand,
  type Facilities,
  facilityFields,
  type Level,
  levels,
  levelsOf,
  noTeachers,
  type SchoolState,
  type TeacherPool,
  teacherCount
} from "./School.js"
import * as Standards from "./Standards.js"

/** Children by single year of age recorded for a settlement. */
export interface PopulationRecord {
  readonly year: number
  readonly byAge: ReadonlyArray<number>
}

export interface BirthsRecord {
  readonly settlementId: SettlementId
  readonly year: number
  readonly births: number
}

export interface EnrolmentRecord {
  readonly schoolId: SchoolId
  readonly year: number
  readonly grade: number
  readonly pupils: number
  readonly classes?: number
}

export interface MigrationRecord {
  readonly year: number
  readonly from: Place
  readonly to: Place
  readonly ages: { readonly min: number; readonly max: number }
  readonly count: number
  readonly migrant: boolean
}

export type HousingRecord = Omit<EventOf<"HousingCompleted">, "_tag">

/** The latest recorded enrolment of a school: the year and pupils by grade. */
export interface Enrolled {
  readonly year: number
  readonly byGrade: Readonly<Record<number, number>>
  readonly total: number
}

/**
 * A school group (集团化办学, 学区制, 校际联盟, 委托管理) in force: its lead school and members (the lead
 * first). Teachers are pooled and rotated inside it.
 */
export interface GroupState {
  readonly id: GroupId
  readonly name: string
  readonly form: GroupForm
  readonly lead: SchoolId
  /** Every member, the lead first. */
  readonly members: ReadonlyArray<SchoolId>
  readonly formedIn: number
}

/** The second school of a split catchment and the share of the settlement's pupils of the level it takes. */
export interface CatchmentSplit {
  readonly schoolId: SchoolId
  readonly share: number
}

export interface World {
  /** The latest school year of any event applied; `undefined` for the empty world. */
  readonly year: number | undefined
  readonly settlements: ReadonlyMap<SettlementId, Settlement>
  readonly schools: ReadonlyMap<SchoolId, SchoolState>
  /** Catchments per level: settlement → school (学区 / 招生划片). */
  readonly catchments: ReadonlyMap<Level, ReadonlyMap<SettlementId, SchoolId>>
  /**
   * Split catchments per level (学区划分 by street): settlement → the second school and the share of the
   * settlement's pupils it takes; the rest go to the school of `catchments`.
   */
  readonly splits: ReadonlyMap<Level, ReadonlyMap<SettlementId, CatchmentSplit>>
  /** The latest recorded population by age of each settlement. */
  readonly population: ReadonlyMap<SettlementId, PopulationRecord>
  /** Births keyed by `births key` (settlement and year); a later record of the same key replaces it. */
  readonly births: ReadonlyMap<string, BirthsRecord>
  readonly migrations: ReadonlyArray<MigrationRecord>
  readonly housing: ReadonlyArray<HousingRecord>
  /** Enrolment history keyed by `enrolment key` (school, year, grade). */
  readonly enrolment: ReadonlyMap<string, EnrolmentRecord>
  /** The latest recorded enrolment of each school, moved along with merges and closures. */
  readonly enrolled: ReadonlyMap<SchoolId, Enrolled>
  readonly standards: Standards.Standards
  /** School groups formed and not dissolved; a school is a member of at most one. */
  readonly groups: ReadonlyMap<GroupId, GroupState>
  /** Events applied. */
  readonly events: number
  /** Events that referred to something missing and changed nothing. */
  readonly ignored: number
}

const birthsKeyOf = (r: BirthsRecord): string => birthsKey(r.settlementId, r.year)
const enrolmentKeyOf = (r: EnrolmentRecord): string => enrolmentKey(r.schoolId, r.year, r.grade)

/**
 * Records by key, a later record of a key replacing the earlier, kept as a list and made into a map only
 * when read: a province's history is a million births and enrolment records, which deciding its commands
 * never reads, and hashing their keys into maps was a seventh of validating it (27.5 s against 23.8 s without
 * the births' map). Read as a map it is the map the records give in order; `add` keeps a made map up to date.
 */
class Keyed<V> implements ReadonlyMap<string, V> {
  private made: Map<string, V> | undefined
  constructor(
    private readonly keyOf: (v: V) => string,
    private readonly records: Array<V>
  ) {}
  add(v: V): void {
    this.records.push(v)
    this.made?.set(this.keyOf(v), v)
  }
  /** A copy to add to without changing this one: the list copied, the map made again when read. */
  copy(): Keyed<V> {
    return new Keyed(this.keyOf, this.records.slice())
  }
  private map(): Map<string, V> {
    if (this.made === undefined) {
      const m = new Map<string, V>()
      for (const v of this.records) m.set(this.keyOf(v), v)
      this.made = m
    }
    return this.made
  }
  get size(): number {
    return this.map().size
  }
  get(key: string): V | undefined {
    return this.map().get(key)
  }
  has(key: string): boolean {
    return this.map().has(key)
  }
  forEach(f: (value: V, key: string, map: ReadonlyMap<string, V>) => void, self?: unknown): void {
    this.map().forEach((v, k) => f.call(self, v, k, this))
  }
  entries(): MapIterator<[string, V]> {
    return this.map().entries()
  }
  keys(): MapIterator<string> {
    return this.map().keys()
  }
  values(): MapIterator<V> {
    return this.map().values()
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.map()[Symbol.iterator]()
  }
}

const keyed = <V>(keyOf: (v: V) => string): Keyed<V> => new Keyed(keyOf, [])

/** A draft's own copy of a world's records (a world made elsewhere, as a plain map, is copied in its order). */
const copyKeyed = <V>(from: ReadonlyMap<string, V>, keyOf: (v: V) => string): Keyed<V> =>
  from instanceof Keyed ? (from as Keyed<V>).copy() : new Keyed(keyOf, [...from.values()])

/** The empty world: no places, no schools, national standards. */
export const initial: World = {
  year: undefined,
  settlements: new Map(),
  schools: new Map(),
  catchments: new Map(levels.map((l) => [l, new Map()])),
  splits: new Map(levels.map((l) => [l, new Map()])),
  population: new Map(),
  births: keyed(birthsKeyOf),
  migrations: [],
  housing: [],
  enrolment: keyed(enrolmentKeyOf),
  enrolled: new Map(),
  standards: Standards.defaults,
  groups: new Map(),
  events: 0,
  ignored: 0
}

/** Key of a births record. */
export const birthsKey = (settlementId: string, year: number): string => `${settlementId}@${year}`
/** Key of an enrolment record. */
export const enrolmentKey = (schoolId: string, year: number, grade: number): string => `${schoolId}@${year}#${grade}`

/** Applies one event: pure and total. */
export const evolve = (world: World, event: Event): World => {
  const draft = toDraft(world)
  apply(draft, event)
  return draft
}

/** Folds events in the order given, starting from `from` (default: the empty world). */
export const fold = (events: Iterable<Event>, from: World = initial): World => {
  const draft = toDraft(from)
  for (const event of events) apply(draft, event)
  return draft
}

/**
 * A world for applying many events one at a time while reading it in between (deciding a long list of
 * commands): `world` is live and changes with each `apply`, in amortised constant time per event, where
 * `evolve` copies the containers each time. `from` is never changed.
 */
export const builder = (from: World = initial): { readonly world: World; readonly apply: (event: Event) => void } => {
  const draft = toDraft(from)
  return { world: draft, apply: (event) => apply(draft, event) }
}

/**
 * The world as of school year `year`: the events dated up to that year, applied in year order (events of
 * one year in the order given). Plan events appended after history still apply in calendar order.
 */
export const asOf = (events: ReadonlyArray<Event>, year: number, from: World = initial): World =>
  fold(chronological(events.filter((e) => e.year <= year)), from)

/** The events sorted by school year; a stable sort, so one year's events keep their order. */
export const chronological = <E extends { readonly year: number }>(events: ReadonlyArray<E>): ReadonlyArray<E> => {
  for (let i = 1; i < events.length; i++) {
    if (events[i].year < events[i - 1].year) return events.slice().sort((a, b) => a.year - b.year)
  }
  return events
}

// ---------------------------------------------------------------- queries

/** Teachers of a school (0 when unknown). */
export const teachersOf = (world: World, id: SchoolId): number => {
  const s = world.schools.get(id)
  return s === undefined ? 0 : teacherCount(s.teachers)
}

/** Pupils of a school's latest recorded enrolment (0 when none is recorded). */
export const pupilsOf = (world: World, id: SchoolId): number => world.enrolled.get(id)?.total ?? 0

/** Approved seats not taken by recorded pupils, never below zero. */
export const freeSeats = (world: World, id: SchoolId): number => {
  const s = world.schools.get(id)
  if (s === undefined || s.status !== "open") return 0
  return Math.max(0, s.facilities.seats - pupilsOf(world, id))
}

/** Whether a school exists and is open. */
export const isOpen = (world: World, id: SchoolId): boolean => world.schools.get(id)?.status === "open"

/** The group a school is a member of, if any. */
export const groupOf = (world: World, id: SchoolId): GroupState | undefined => {
  for (const g of world.groups.values()) if (g.members.includes(id)) return g
  return undefined
}

/** The school a settlement's children of a level are zoned to, if any. */
export const catchmentOf = (world: World, level: Level, settlementId: SettlementId): SchoolId | undefined =>
  world.catchments.get(level)?.get(settlementId)

// ---------------------------------------------------------------- internals

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

interface Draft extends Mutable<World> {
  settlements: Map<SettlementId, Settlement>
  schools: Map<SchoolId, SchoolState>
  catchments: Map<Level, Map<SettlementId, SchoolId>>
  splits: Map<Level, Map<SettlementId, CatchmentSplit>>
  population: Map<SettlementId, PopulationRecord>
  births: Keyed<BirthsRecord>
  migrations: Array<MigrationRecord>
  housing: Array<HousingRecord>
  enrolment: Keyed<EnrolmentRecord>
  enrolled: Map<SchoolId, Enrolled>
  groups: Map<GroupId, GroupState>
  /** Objects created by this draft: they may be changed in place, everything else is copied first. */
  owned: WeakSet<object>
}

/**
 * A private copy whose containers may be mutated. Values inside them (schools, records) are shared with
 * the source and are only ever replaced, never mutated, so the source world stays unchanged.
 */
const toDraft = (w: World): Draft => ({
  year: w.year,
  settlements: new Map(w.settlements),
  schools: new Map(w.schools),
  catchments: new Map(levels.map((l) => [l, new Map(w.catchments.get(l))])),
  splits: new Map(levels.map((l) => [l, new Map(w.splits.get(l))])),
  population: new Map(w.population),
  births: copyKeyed(w.births, birthsKeyOf),
  migrations: w.migrations.slice(),
  housing: w.housing.slice(),
  enrolment: copyKeyed(w.enrolment, enrolmentKeyOf),
  enrolled: new Map(w.enrolled),
  standards: w.standards,
  groups: new Map(w.groups),
  events: w.events,
  ignored: w.ignored,
  owned: new WeakSet()
})

type MutableSchool = Mutable<Omit<SchoolState, "facilities" | "teachers">> & {
  facilities: Mutable<Facilities>
  teachers: MutablePool
}
/** A teacher pool changed in place (`hire`, `retire`, `transfer`). */
export type MutablePool = Mutable<Omit<TeacherPool, "byAge">> & { byAge: Mutable<TeacherPool["byAge"]> }

/**
 * What a hire does to the school's pool, in place: `evolve`'s definition, exported for the simulation's
 * runs, which apply it to pools read from their arrays when the world has taken the event (the school exists).
 */
export const hire = (pool: MutablePool, e: EventOf<"TeachersHired">): void => addTeachers(pool, e.ageBand, e.count, e)

/** What a retirement does to the school's pool, in place, when the world takes it (`hire`). */
export const retire = (pool: MutablePool, e: EventOf<"TeachersRetired">): void => {
  removeTeachers(pool, e.ageBand, e.count, e)
}

/**
 * What a transfer does to the two schools' pools, in place, when the world takes it (both exist and
 * differ; `hire`): returns what moved (`teachersTaken` of the sending pool before it).
 */
export const transfer = (from: MutablePool, to: MutablePool, e: EventOf<"TeachersTransferred">): ReturnType<typeof teachersTaken> => {
  const moved = removeTeachers(from, e.ageBand, e.count, e)
  addTeachers(to, e.ageBand, moved.count, moved)
  return moved
}

/** The school, owned by the draft (copied the first time it is changed in this draft). */
const ownSchool = (d: Draft, id: SchoolId): MutableSchool | undefined => {
  const s = d.schools.get(id)
  if (s === undefined || d.owned.has(s)) return s as MutableSchool | undefined
  const copy: MutableSchool = {
    ...s,
    facilities: { ...s.facilities },
    teachers: { ...s.teachers, byAge: { ...s.teachers.byAge } }
  }
  d.owned.add(copy)
  d.schools.set(id, copy)
  return copy
}

const apply = (d: Draft, e: Event): void => {
  d.events++
  if (d.year === undefined || e.year > d.year) d.year = e.year
  const handled = applyEvent(d, e)
  if (!handled) d.ignored++
}

const applyEvent = (d: Draft, e: Event): boolean => {
  switch (e._tag) {
    case "SettlementRecorded":
      d.settlements.set(e.settlement.id, e.settlement)
      return true
    case "PopulationRecorded": {
      if (!d.settlements.has(e.settlementId)) return false
      const prev = d.population.get(e.settlementId)
      if (prev === undefined || e.year >= prev.year) d.population.set(e.settlementId, { year: e.year, byAge: e.byAge })
      return true
    }
    case "BirthsRecorded":
      if (!d.settlements.has(e.settlementId)) return false
      d.births.add({ settlementId: e.settlementId, year: e.year, births: e.births })
      return true
    case "MigrationRecorded":
      if (!knownPlace(d, e.from) || !knownPlace(d, e.to)) return false
      d.migrations.push({ year: e.year, from: e.from, to: e.to, ages: e.ages, count: e.count, migrant: e.migrant })
      return true
    case "HousingCompleted": {
      if (!d.settlements.has(e.settlementId)) return false
      const { _tag, ...record } = e
      d.housing.push(record)
      return true
    }
    case "EnrolmentRecorded":
      return recordEnrolment(d, e)
    case "SchoolOpened":
      return openSchool(d, e)
    case "SchoolExpanded":
      return expand(d, e)
    case "SchoolsMerged": {
      if (!isOpenIn(d, e.into)) return false
      let moved = false
      for (const id of e.absorbed) moved = (id !== e.into && closeInto(d, id, e.into)) || moved
      return moved
    }
    case "SchoolClosed":
      if (e.pupilsTo !== undefined && (e.pupilsTo === e.schoolId || !isOpenIn(d, e.pupilsTo))) return false
      return closeInto(d, e.schoolId, e.pupilsTo)
    case "SchoolRepurposed": {
      const s = d.schools.get(e.schoolId)
      if (s === undefined || s.status === "open") return false
      d.schools.set(
        e.schoolId,
        e.use === "kindergarten"
          ? { ...s, status: "open", type: "kindergarten", use: e.use, openedIn: e.year }
          : { ...s, status: "repurposed", use: e.use }
      )
      return true
    }
    case "SchoolConverted": {
      const s = d.schools.get(e.schoolId)
      if (s === undefined || s.status !== "open") return false
      d.schools.set(e.schoolId, { ...s, type: e.to })
      return true
    }
    case "CatchmentAssigned":
      if (!d.settlements.has(e.settlementId) || !d.schools.has(e.schoolId)) return false
      if (e.share !== undefined && e.share < 1) {
        d.splits.get(e.level)!.set(e.settlementId, { schoolId: e.schoolId, share: e.share })
        return true
      }
      d.catchments.get(e.level)!.set(e.settlementId, e.schoolId)
      d.splits.get(e.level)!.delete(e.settlementId)
      return true
    case "BoardingChanged": {
      const s = d.schools.get(e.schoolId)
      if (s === undefined) return false
      d.schools.set(e.schoolId, { ...s, facilities: { ...s.facilities, boardingBeds: e.beds } })
      return true
    }
    case "TeachersHired": {
      const s = ownSchool(d, e.schoolId)
      if (s === undefined) return false
      hire(s.teachers, e)
      return true
    }
    case "TeachersRetired": {
      const s = ownSchool(d, e.schoolId)
      if (s === undefined) return false
      retire(s.teachers, e)
      return true
    }
    case "TeachersTransferred": {
      if (e.from === e.to || !d.schools.has(e.from) || !d.schools.has(e.to)) return false
      transfer(ownSchool(d, e.from)!.teachers, ownSchool(d, e.to)!.teachers, e)
      return true
    }
    case "GroupFormed": {
      const members = [e.lead, ...e.members.filter((m) => m !== e.lead)]
      if (d.groups.has(e.groupId) || members.some((m) => !isOpenIn(d, m) || groupIn(d, m) !== undefined)) return false
      d.groups.set(e.groupId, { id: e.groupId, name: e.name, form: e.form, lead: e.lead, members, formedIn: e.year })
      return true
    }
    case "GroupJoined": {
      const g = d.groups.get(e.groupId)
      if (g === undefined || !isOpenIn(d, e.schoolId) || groupIn(d, e.schoolId) !== undefined) return false
      d.groups.set(e.groupId, { ...g, members: [...g.members, e.schoolId] })
      return true
    }
    case "GroupLeft": {
      const g = d.groups.get(e.groupId)
      if (g === undefined || g.lead === e.schoolId || !g.members.includes(e.schoolId)) return false
      d.groups.set(e.groupId, { ...g, members: g.members.filter((m) => m !== e.schoolId) })
      return true
    }
    case "GroupDissolved":
      return d.groups.delete(e.groupId)
    case "StandardChanged":
      d.standards = { ...d.standards, [e.key]: e.value }
      return true
  }
}

const groupIn = (d: Draft, id: SchoolId): GroupState | undefined => {
  for (const g of d.groups.values()) if (g.members.includes(id)) return g
  return undefined
}

/**
 * A closed school leaves its group; when it led the group, the receiving school (if a member) or the first
 * member left leads it; a group with no member left is dissolved.
 */
const leaveOnClosing = (d: Draft, id: SchoolId, into: SchoolId | undefined): void => {
  const g = groupIn(d, id)
  if (g === undefined) return
  const members = g.members.filter((m) => m !== id)
  if (members.length === 0) {
    d.groups.delete(g.id)
    return
  }
  const lead = g.lead !== id ? g.lead : into !== undefined && members.includes(into) ? into : members[0]
  d.groups.set(g.id, { ...g, lead, members: [lead, ...members.filter((m) => m !== lead)] })
}

const knownPlace = (d: Draft, p: Place): boolean => p === "outside" || d.settlements.has(p)

const isOpenIn = (d: Draft, id: SchoolId): boolean => d.schools.get(id)?.status === "open"

const openSchool = (d: Draft, e: EventOf<"SchoolOpened">): boolean => {
  const existing = d.schools.get(e.school.id)
  if (existing !== undefined && existing.status === "open") return false
  d.schools.set(e.school.id, { ...e.school, status: "open", openedIn: e.year })
  return true
}

const expand = (d: Draft, e: EventOf<"SchoolExpanded">): boolean => {
  const s = d.schools.get(e.schoolId)
  if (s === undefined) return false
  const f = s.facilities
  const facilities: Mutable<Facilities> = { ...f }
  for (const field of facilityFields) facilities[field] = nonNegative(f[field] + e[field])
  d.schools.set(e.schoolId, { ...s, facilities })
  return true
}

const recordEnrolment = (d: Draft, e: EventOf<"EnrolmentRecorded">): boolean => {
  if (!d.schools.has(e.schoolId)) return false
  const record: EnrolmentRecord =
    e.classes === undefined
      ? { schoolId: e.schoolId, year: e.year, grade: e.grade, pupils: e.pupils }
      : { schoolId: e.schoolId, year: e.year, grade: e.grade, pupils: e.pupils, classes: e.classes }
  d.enrolment.add(record)
  const prev = d.enrolled.get(e.schoolId)
  if (prev === undefined || e.year > prev.year) {
    const fresh: Mutable<Enrolled> = { year: e.year, byGrade: { [e.grade]: e.pupils }, total: e.pupils }
    d.owned.add(fresh)
    d.enrolled.set(e.schoolId, fresh)
  } else if (e.year === prev.year) {
    const own = ownEnrolled(d, e.schoolId, prev)
    own.total += e.pupils - (own.byGrade[e.grade] ?? 0)
    own.byGrade[e.grade] = e.pupils
  }
  return true
}

const ownEnrolled = (d: Draft, id: SchoolId, e: Enrolled): Mutable<Enrolled> & { byGrade: Record<number, number> } => {
  if (d.owned.has(e)) return e as Mutable<Enrolled> & { byGrade: Record<number, number> }
  const copy = { year: e.year, byGrade: { ...e.byGrade }, total: e.total }
  d.owned.add(copy)
  d.enrolled.set(id, copy)
  return copy
}

/** Closes a school; its pupils, teachers and catchments move to `into` when given. */
const closeInto = (d: Draft, id: SchoolId, into: SchoolId | undefined): boolean => {
  const s = d.schools.get(id)
  if (s === undefined || s.status !== "open") return false
  d.schools.set(id, { ...s, status: "closed", teachers: noTeachers })
  leaveOnClosing(d, id, into)
  // a closed school's part of a split catchment goes back to the settlement's zoned school
  for (const zone of d.splits.values()) for (const [settlement, split] of zone) if (split.schoolId === id) zone.delete(settlement)
  if (into === undefined) {
    d.enrolled.delete(id)
    for (const level of levelsOf(s.type)) deleteCatchments(d.catchments.get(level)!, id)
    return true
  }
  const receiver = d.schools.get(into)!
  d.schools.set(into, { ...receiver, teachers: mergePools(receiver.teachers, s.teachers) })
  const pupils = d.enrolled.get(id)
  if (pupils !== undefined) {
    d.enrolled.delete(id)
    d.enrolled.set(into, mergeEnrolled(d.enrolled.get(into), pupils))
  }
  for (const level of levelsOf(s.type)) {
    const zone = d.catchments.get(level)!
    if (levelsOf(receiver.type).includes(level)) {
      for (const [settlement, school] of zone) if (school === id) zone.set(settlement, into)
    } else deleteCatchments(zone, id)
  }
  // a split whose second school now has the whole settlement is no split
  for (const [level, zone] of d.splits) {
    for (const [settlement, split] of zone) if (d.catchments.get(level)!.get(settlement) === split.schoolId) zone.delete(settlement)
  }
  return true
}

const deleteCatchments = (zone: Map<SettlementId, SchoolId>, id: SchoolId): void => {
  for (const [settlement, school] of zone) if (school === id) zone.delete(settlement)
}

const mergeEnrolled = (into: Enrolled | undefined, from: Enrolled): Enrolled => {
  if (into === undefined) return from
  const byGrade: Record<number, number> = { ...into.byGrade }
  for (const [g, n] of Object.entries(from.byGrade)) byGrade[Number(g)] = (byGrade[Number(g)] ?? 0) + n
  return { year: Math.max(into.year, from.year), byGrade, total: into.total + from.total }
}

interface Categories {
  readonly aboveDegree: number
  readonly backbone: number
  readonly peArts: number
  readonly mentalHealth: number
}

/** Adds teachers of a band to a pool in place; categories grow by the amounts named, never past the total. */
const addTeachers = (pool: MutablePool, band: AgeBand, count: number, c: Categories): void => {
  pool.byAge[band] += count
  const total = teacherCount(pool)
  pool.aboveDegree = Math.min(total, pool.aboveDegree + Math.min(c.aboveDegree, count))
  pool.backbone = Math.min(total, pool.backbone + Math.min(c.backbone, count))
  pool.peArts = Math.min(total, pool.peArts + Math.min(c.peArts, count))
  pool.mentalHealth = Math.min(total, pool.mentalHealth + Math.min(c.mentalHealth, count))
}

/**
 * Removes up to `count` teachers of a band from a pool in place; categories go down by the amounts named,
 * within what exists. Returns what was removed.
 */
const removeTeachers = (
  pool: MutablePool,
  band: AgeBand,
  count: number,
  c: Categories
): Categories & {
  readonly count: number
} => {
  const moved = teachersTaken(pool, band, count, c)
  const n = moved.count
  pool.byAge[band] -= n
  const total = teacherCount(pool)
  pool.aboveDegree = Math.min(total, pool.aboveDegree - moved.aboveDegree)
  pool.backbone = Math.min(total, pool.backbone - moved.backbone)
  pool.peArts = Math.min(total, pool.peArts - moved.peArts)
  pool.mentalHealth = Math.min(total, pool.mentalHealth - moved.mentalHealth)
  return moved
}

/**
 * What retiring or transferring `count` teachers of a band takes from a pool: at most the band's
 * teachers, and of each category the amount the event names, within what the pool has and the teachers
 * taken. `evolve` removes exactly this; the simulation counts rotated teachers with it.
 */
export const teachersTaken = (
  pool: TeacherPool,
  band: AgeBand,
  count: number,
  c: {
    readonly aboveDegree: number
    readonly backbone: number
    readonly peArts: number
    readonly mentalHealth: number
  }
): {
  readonly count: number
  readonly aboveDegree: number
  readonly backbone: number
  readonly peArts: number
  readonly mentalHealth: number
} => {
  const n = Math.min(count, pool.byAge[band])
  const take = (have: number, asked: number) => Math.min(have, asked, n)
  return {
    count: n,
    aboveDegree: take(pool.aboveDegree, c.aboveDegree),
    backbone: take(pool.backbone, c.backbone),
    peArts: take(pool.peArts, c.peArts),
    mentalHealth: take(pool.mentalHealth, c.mentalHealth)
  }
}

const mergePools = (a: TeacherPool, b: TeacherPool): TeacherPool => ({
  byAge: {
    "under-30": a.byAge["under-30"] + b.byAge["under-30"],
    "30-39": a.byAge["30-39"] + b.byAge["30-39"],
    "40-49": a.byAge["40-49"] + b.byAge["40-49"],
    "50-54": a.byAge["50-54"] + b.byAge["50-54"],
    "55+": a.byAge["55+"] + b.byAge["55+"]
  },
  aboveDegree: a.aboveDegree + b.aboveDegree,
  backbone: a.backbone + b.backbone,
  peArts: a.peArts + b.peArts,
  mentalHealth: a.mentalHealth + b.mentalHealth
})

const nonNegative = (x: number): number => (x < 0 ? 0 : x)
