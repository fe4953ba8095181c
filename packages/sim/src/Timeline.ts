/**
 * Applies the events dated in a projected year to the model, at the start of that school year: schools
 * open, expand, merge, close, convert or are repurposed; catchments are redrawn; boarding beds change;
 * teachers are hired, retire or move; standards change; births, migration and housing recorded for the
 * year take effect. Work is per event, never per settlement. Like `World.evolve`, a merge or closure into
 * a school that is not open (a log that never went through `decide`) changes nothing.
 */
import type * as Event from "@seatplan/core/Event"
import * as School from "@seatplan/core/School"
import * as Standards from "@seatplan/core/Standards"
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

/** Loads a school's record (as opened) into the model's arrays. */
export const load = (m: Model, k: number, school: School.School): void => {
  const f = school.facilities
  m.open[k] = 1
  setType(m, k, school.type)
  m.classrooms[k] = f.classrooms
  m.hasGradeRooms[k] = f.classroomsByGrade === undefined ? 0 : 1
  if (f.classroomsByGrade !== undefined) {
    for (const [grade, rooms] of Object.entries(f.classroomsByGrade)) {
      const g = Number(grade) + 2
      if (g >= 0 && g < 15) m.gradeRooms[k * 15 + g] = rooms
    }
  }
  m.seats[k] = f.seats
  m.beds[k] = f.boardingBeds
  m.floorArea[k] = f.floorArea
  m.sportsArea[k] = f.sportsArea
  m.equipmentValue[k] = f.equipmentValue
  m.multimediaRooms[k] = f.multimediaRooms
  m.musicRooms[k] = f.musicRooms
  m.artRooms[k] = f.artRooms
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
    case "SchoolOpened": {
      const k = m.schoolIndex.get(e.school.id)
      if (k === undefined) return
      load(m, k, e.school)
      m.capital[k] += capitalCost(m, e.school.facilities.seats, e.school.facilities.classrooms)
      m.seatsBuilt[k] += e.school.facilities.seats
      return
    }
    case "SchoolExpanded": {
      const k = m.schoolIndex.get(e.schoolId)
      if (k === undefined) return
      m.classrooms[k] = Math.max(0, m.classrooms[k] + e.classrooms)
      m.seats[k] = Math.max(0, m.seats[k] + e.seats)
      m.beds[k] = Math.max(0, m.beds[k] + e.boardingBeds)
      m.floorArea[k] = Math.max(0, m.floorArea[k] + e.floorArea)
      m.sportsArea[k] = Math.max(0, m.sportsArea[k] + e.sportsArea)
      m.equipmentValue[k] = Math.max(0, m.equipmentValue[k] + e.equipmentValue)
      m.multimediaRooms[k] = Math.max(0, m.multimediaRooms[k] + e.multimediaRooms)
      m.musicRooms[k] = Math.max(0, m.musicRooms[k] + e.musicRooms)
      m.artRooms[k] = Math.max(0, m.artRooms[k] + e.artRooms)
      m.capital[k] += e.cost ?? capitalCost(m, Math.max(0, e.seats), Math.max(0, e.classrooms))
      m.seatsBuilt[k] += Math.max(0, e.seats)
      return
    }
    case "SchoolsMerged": {
      const into = m.schoolIndex.get(e.into)
      if (into === undefined || m.open[into] === 0) return
      for (const id of e.absorbed) {
        const k = m.schoolIndex.get(id)
        if (k !== undefined && k !== into && m.open[k] === 1) close(m, k, into)
      }
      return
    }
    case "SchoolClosed": {
      const k = m.schoolIndex.get(e.schoolId)
      if (k === undefined || m.open[k] === 0) return
      if (e.pupilsTo === undefined) return close(m, k, -1)
      const into = m.schoolIndex.get(e.pupilsTo)
      if (into !== undefined && into !== k && m.open[into] === 1) close(m, k, into)
      return
    }
    case "SchoolRepurposed": {
      const k = m.schoolIndex.get(e.schoolId)
      if (k === undefined || e.use !== "kindergarten") return
      m.open[k] = 1
      setType(m, k, "kindergarten")
      return
    }
    case "SchoolConverted": {
      const k = m.schoolIndex.get(e.schoolId)
      if (k !== undefined) setType(m, k, e.to)
      return
    }
    case "CatchmentAssigned": {
      const s = m.settlementIndex.get(e.settlementId)
      const k = m.schoolIndex.get(e.schoolId)
      if (s !== undefined && k !== undefined) m.catchment[levelIndex(e.level) * m.settlements + s] = k
      return
    }
    case "BoardingChanged": {
      const k = m.schoolIndex.get(e.schoolId)
      if (k !== undefined) m.beds[k] = e.beds
      return
    }
    case "TeachersHired": {
      const k = m.schoolIndex.get(e.schoolId)
      if (k === undefined) return
      m.teachers[k * bands + School.ageBands.indexOf(e.ageBand)] += e.count
      m.aboveDegree[k] += e.aboveDegree
      m.backbone[k] += e.backbone
      m.peArts[k] += e.peArts
      m.mentalHealth[k] += e.mentalHealth
      return
    }
    case "TeachersRetired": {
      const k = m.schoolIndex.get(e.schoolId)
      if (k !== undefined) removeTeachers(m, k, School.ageBands.indexOf(e.ageBand), e.count, e)
      return
    }
    case "TeachersTransferred": {
      const from = m.schoolIndex.get(e.from)
      const to = m.schoolIndex.get(e.to)
      if (from === undefined || to === undefined || from === to) return
      const b = School.ageBands.indexOf(e.ageBand)
      const n = removeTeachers(m, from, b, e.count, e)
      m.teachers[to * bands + b] += n
      m.aboveDegree[to] += moved.aboveDegree
      m.backbone[to] += moved.backbone
      m.peArts[to] += moved.peArts
      m.mentalHealth[to] += moved.mentalHealth
      if (e.rotation) {
        m.flows[Flow.teachersRotated] += n
        m.flows[Flow.backboneRotated] += moved.backbone
      }
      return
    }
    case "StandardChanged":
      return setStandard(m, e.key, e.value)
  }
}

/** What building seats and classrooms costs when the event gives no cost: the larger of the per-seat and per-classroom figures. */
const capitalCost = (m: Model, seats: number, classrooms: number): number =>
  Math.max(seats * m.assumptions.capitalPerSeat, classrooms * m.assumptions.capitalPerClassroom)

/** Closes school `k`; teachers and catchments move to `into` (or catchments are cleared when -1). */
const close = (m: Model, k: number, into: number): void => {
  m.open[k] = 0
  for (let l = 0; l < levels; l++) {
    const receives = into >= 0 && m.teaches[into * levels + l] === 1
    for (let s = 0; s < m.settlements; s++) {
      if (m.catchment[l * m.settlements + s] === k) m.catchment[l * m.settlements + s] = receives ? into : -1
    }
  }
  if (into < 0) return
  for (let b = 0; b < bands; b++) {
    m.teachers[into * bands + b] += m.teachers[k * bands + b]
    m.teachers[k * bands + b] = 0
  }
  m.aboveDegree[into] += m.aboveDegree[k]
  m.backbone[into] += m.backbone[k]
  m.peArts[into] += m.peArts[k]
  m.mentalHealth[into] += m.mentalHealth[k]
  m.aboveDegree[k] = m.backbone[k] = m.peArts[k] = m.mentalHealth[k] = 0
}

/**
 * Removes up to `count` teachers of an age band from school `k`, and of the categories the event names
 * (above-degree, backbone, PE and arts, mental health) as many as the school has, as `World.evolve` does.
 * Returns the teachers removed; the categories removed are left in `moved` for a receiving school.
 */
const removeTeachers = (m: Model, k: number, band: number, count: number, e: Categories): number => {
  const before = m.teachers[k * bands + band]
  const n = Math.min(before, count)
  m.teachers[k * bands + band] = before - n
  let total = 0
  for (let b = 0; b < bands; b++) total += m.teachers[k * bands + b]
  const take = (have: number, asked: number) => Math.min(have, asked, n)
  moved.aboveDegree = take(m.aboveDegree[k], e.aboveDegree)
  moved.backbone = take(m.backbone[k], e.backbone)
  moved.peArts = take(m.peArts[k], e.peArts)
  moved.mentalHealth = take(m.mentalHealth[k], e.mentalHealth)
  m.aboveDegree[k] = Math.min(total, m.aboveDegree[k] - moved.aboveDegree)
  m.backbone[k] = Math.min(total, m.backbone[k] - moved.backbone)
  m.peArts[k] = Math.min(total, m.peArts[k] - moved.peArts)
  m.mentalHealth[k] = Math.min(total, m.mentalHealth[k] - moved.mentalHealth)
  return n
}

interface Categories {
  aboveDegree: number
  backbone: number
  peArts: number
  mentalHealth: number
}

/** The categories the last `removeTeachers` took (one scratch record: the timeline allocates nothing per event). */
const moved: Categories = { aboveDegree: 0, backbone: 0, peArts: 0, mentalHealth: 0 }

/** A migration recorded for a projected year: the count moves, spread evenly over the ages, as far as there are children. */
const migrateRecorded = (m: Model, e: Event.EventOf<"MigrationRecorded">): void => {
  const from = e.from === "outside" ? -1 : m.settlementIndex.get(e.from) ?? -2
  const to = e.to === "outside" ? -1 : m.settlementIndex.get(e.to) ?? -2
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
