/**
 * What a run measures, kept apart from stepping (Mesa's DataCollector): `record` copies the year's figures
 * into a preallocated cube; tidy tables (`schools`, `county`, `population`) and statistics are built from
 * the cube after the loop. The column names are a contract: documented in the package README.
 */
import * as Columns from "./Columns.js"
import { ages, bands, endGrade, firstGrade, grades, levels, shared } from "./Dimensions.js"
import * as Standards from "@seatplan/core/Standards"
import type { Model } from "./Model.js"
import { eligibleBands } from "@seatplan/core/Decider"
import * as School from "@seatplan/core/School"

/** Metrics recorded per school, level and year (the cube's innermost axis). */
export const schoolMetrics = [
  "pupils",
  "seats",
  "classrooms",
  "classes",
  "large_classes",
  "super_large_classes",
  "max_class_size",
  "teachers_needed",
  "teachers_assigned",
  "boarders",
  "beds",
  "beyond_distance",
  "pupil_km",
  "max_distance_km",
  "open",
  "school_pupils",
  "above_degree",
  "backbone",
  "pe_arts",
  "mental_health",
  "floor_area",
  "sports_area",
  "equipment_value",
  "multimedia_rooms",
  "music_rooms",
  "art_rooms",
  "books",
  "capital_cost",
  "seats_built",
  "size_cap",
  "size_pupils",
  "zone_pupils",
  "zone_settlements",
  "quality_met",
  "quality_pass",
  "rooms_ok",
  "mental_health_needed",
  "mental_health_ok",
  "classes_within_cap",
  "quality_min_share",
  "rooms_short",
  "mental_health_short",
  "class_pupils"
] as const
export type SchoolMetric = (typeof schoolMetrics)[number]
/** Metrics per slot: the length of a slot's record as `figures` gives it (`at` is each metric's offset in it). */
export const M = schoolMetrics.length
/** Offset of each metric within a slot's record. */
export const at = Object.fromEntries(schoolMetrics.map((name, i) => [name, i])) as Record<SchoolMetric, number>

/**
 * The metrics that change only when an event changes the school (its plant, whether it is open, its size
 * cap, its zone's settlements): kept once per change of a slot's record (`Cube.plant`), not once a year,
 * which makes the cube a third smaller; the rest (`yearly`) are kept every year.
 */
const plantMetrics: ReadonlyArray<SchoolMetric> = [
  "seats",
  "classrooms",
  "beds",
  "floor_area",
  "sports_area",
  "equipment_value",
  "multimedia_rooms",
  "music_rooms",
  "art_rooms",
  "books",
  "capital_cost",
  "seats_built",
  "open",
  "size_cap",
  "zone_settlements"
]
/**
 * The metrics that are functions of a slot's other figures and the year's standards (the 优质均衡 check):
 * not kept at all, derived when read (`figures`, `value`), from the same operands in the same order, so
 * the same bits, and the cube a ninth smaller than keeping them every year.
 */
const derivedMetrics: ReadonlyArray<SchoolMetric> = ["quality_met", "quality_pass", "quality_min_share"]
/**
 * The metrics that change in few years though the yearly loop may change them (large classes, the farthest
 * pupil, the music and art rooms' and mental-health checks): kept, like the plant's, once per change of a
 * slot's values (`Cube.steady`). In the synthetic province all seven are unchanged from the year before in
 * 91 % of a slot's years, so they take about 1.1 numbers a slot and year instead of 7 (where they change
 * every year, 7.5: any grouping gives the same figures, only the space differs).
 */
const steadyMetrics: ReadonlyArray<SchoolMetric> = [
  "large_classes",
  "super_large_classes",
  "max_distance_km",
  "rooms_ok",
  "rooms_short",
  "mental_health_needed",
  "mental_health_ok"
]
const yearlyMetrics = schoolMetrics.filter(
  (name) => !plantMetrics.includes(name) && !steadyMetrics.includes(name) && !derivedMetrics.includes(name)
)
const Y = yearlyMetrics.length
const P = plantMetrics.length
const T = steadyMetrics.length
const yearlyAt = Int32Array.from(yearlyMetrics, (name) => at[name])
const plantAt = Int32Array.from(plantMetrics, (name) => at[name])
const steadyAt = Int32Array.from(steadyMetrics, (name) => at[name])
/** Where each metric is kept: 0 a yearly record, 1 a plant record, 2 a steady record, 3 derived when read (`placeAt`: its offset there). */
const placeIn = Int8Array.from(schoolMetrics, (name) =>
  derivedMetrics.includes(name) ? 3 : steadyMetrics.includes(name) ? 2 : plantMetrics.includes(name) ? 1 : 0
)
const placeAt = Int32Array.from(schoolMetrics, (name) =>
  Math.max(yearlyMetrics.indexOf(name), plantMetrics.indexOf(name), steadyMetrics.indexOf(name))
)

/** Metrics recorded per level and year for the county as a whole (not derivable from schools). */
export const countyMetrics = ["unplaced", "out_of_school", "children", "unzoned", "dc_limit", "large_class_share_max"] as const
const CM = countyMetrics.length

/** Flows recorded per year. */
export const flowMetrics = [
  "moved_out",
  "moved_in",
  "aged_out",
  "died",
  "born",
  "teachers_rotated",
  "backbone_rotated",
  "teachers_eligible"
] as const

export interface Cube {
  readonly years: number
  /** school × level slots recorded: the pairs where the school teaches the level at some time. */
  readonly slotSchool: Int32Array
  readonly slotLevel: Int8Array
  /** years × slots × the yearly metrics (read through `figures` or `value`, which put the plant's and steady ones back). */
  readonly yearly: Float64Array
  /** The plant records, each kept from the year it changed until it changes again. */
  readonly plant: Plant
  /** years × slots: the index of the slot's plant record each year. */
  readonly plantRecord: Int32Array
  /** The steady metrics' records, each kept from the year it changed until it changes again. */
  readonly steady: Plant
  /** years × slots: the index of the slot's steady record each year. */
  readonly steadyRecord: Int32Array
  /** years × levels × county metrics. */
  readonly county: Float64Array
  /** years × flows. */
  readonly flows: Float64Array
  /** years × settlements × ages, when kept. */
  readonly population: Float64Array | undefined
  /** years × standards: the value of every standard in force each year (`Standards.keys` order). */
  readonly standards: Float64Array
}

/** A growing table of records kept once per change (plant or steady); `after[y]`: the records kept after year `y` (a resumed run starts from there). */
export interface Plant {
  data: Float64Array
  readonly after: Int32Array
}

/**
 * Allocates the cube for a model; `population` keeps children by settlement and age each year, in memory
 * shared with worker threads (a province's 340 MB: `seatplan run` writes population.csv on another thread,
 * and a plain buffer was copied to it, 1.5 s of the command's thread).
 */
export const make = (m: Model, options: { readonly population?: boolean } = {}): Cube => {
  const years = m.horizon + 1
  const slots: Array<readonly [number, number]> = []
  const ever = teachesEver(m)
  for (let k = 0; k < m.schools; k++) for (let l = 0; l < levels; l++) if (ever[k * levels + l] === 1) slots.push([k, l])
  return {
    years,
    slotSchool: Int32Array.from(slots, ([k]) => k),
    slotLevel: Int8Array.from(slots, ([, l]) => l),
    yearly: new Float64Array(years * slots.length * Y),
    plant: { data: new Float64Array(Math.max(1, slots.length) * P), after: new Int32Array(years) },
    plantRecord: new Int32Array(years * slots.length),
    steady: { data: new Float64Array(Math.max(1, slots.length) * T), after: new Int32Array(years) },
    steadyRecord: new Int32Array(years * slots.length),
    county: new Float64Array(years * levels * CM),
    flows: new Float64Array(years * flowMetrics.length),
    population: options.population === false ? undefined : shared(Float64Array, years * m.settlements * ages),
    standards: new Float64Array(years * Standards.keys.length)
  }
}

const teachesEver = (m: Model): Uint8Array => {
  const ever = new Uint8Array(m.schools * levels)
  const c = m.candidates
  for (let i = 0; i < c.school.length; i++) {
    const k = c.school[i]
    if (k >= 0) ever[k * levels + (Math.floor(i / c.width) % levels)] = 1
  }
  for (let i = 0; i < m.teaches.length; i++) if (m.teaches[i] === 1) ever[i] = 1
  return ever
}

/** A copy of a cube's records, years `from` on left to be written again (`Engine.resume`). */
export const copyBefore = (cube: Cube, from: number): Cube => {
  const before = <A extends Float64Array | Int32Array>(a: A): A => {
    const copy = new (a.constructor as new (length: number) => A)(a.length)
    copy.set(a.subarray(0, (a.length / cube.years) * from))
    return copy
  }
  return {
    ...cube,
    yearly: before(cube.yearly),
    plant: { data: cube.plant.data.slice(0, from > 0 ? cube.plant.after[from - 1] * P : 0), after: cube.plant.after.slice() },
    plantRecord: before(cube.plantRecord),
    steady: { data: cube.steady.data.slice(0, from > 0 ? cube.steady.after[from - 1] * T : 0), after: cube.steady.after.slice() },
    steadyRecord: before(cube.steadyRecord),
    county: before(cube.county),
    flows: before(cube.flows),
    population: cube.population === undefined ? undefined : before(cube.population),
    standards: before(cube.standards)
  }
}

/** One slot's record as `record` computes it, before `keep` stores it. */
const slotRecord = new Float64Array(M)

/** Stores slot `i`'s record for year `y`: the yearly metrics, and the plant's and steady ones only when they changed. */
const keep = (cube: Cube, y: number, i: number, row: Float64Array, slots: number): void => {
  const yearly = cube.yearly
  const o = (y * slots + i) * Y
  for (let j = 0; j < Y; j++) yearly[o + j] = row[yearlyAt[j]]
  keepChanged(cube.plant, cube.plantRecord, plantAt, y, i, row, slots)
  keepChanged(cube.steady, cube.steadyRecord, steadyAt, y, i, row, slots)
}

/** Points slot `i`'s year `y` at its record of the metrics `metricsAt` in `kept`: last year's when the same, else a new one. */
const keepChanged = (
  kept: Plant,
  records: Int32Array,
  metricsAt: Int32Array,
  y: number,
  i: number,
  row: Float64Array,
  slots: number
): void => {
  const size = metricsAt.length
  const last = y > 0 ? records[(y - 1) * slots + i] : -1
  if (last >= 0 && sameRecord(kept.data, last * size, row, metricsAt)) {
    records[y * slots + i] = last
    return
  }
  const n = kept.after[y]
  if ((n + 1) * size > kept.data.length) {
    const grown = new Float64Array(Math.max(kept.data.length * 2, (n + 1) * size))
    grown.set(kept.data)
    kept.data = grown
  }
  for (let j = 0; j < size; j++) kept.data[n * size + j] = row[metricsAt[j]]
  records[y * slots + i] = n
  kept.after[y] = n + 1
}

/** Whether a kept record holds `row`'s figures `metricsAt`, bit for bit (0 and −0 apart, NaN never). */
const sameRecord = (data: Float64Array, from: number, row: Float64Array, metricsAt: Int32Array): boolean => {
  for (let j = 0; j < metricsAt.length; j++) {
    const a = data[from + j]
    const b = row[metricsAt[j]]
    if (a !== b || (a === 0 && 1 / a !== 1 / b)) return false
  }
  return true
}

/**
 * Copies year `y`'s figures from the model into the cube. Allocation-free. The catchment figures and the
 * county's sums were tallied by enrolment's pass over settlements (`m.zone`, `m.tally`); each school's
 * whole-school figures are summed once for all its slots; every sum adds the same terms in the same order
 * as a pass per level would (the figures are exact to the bit, golden tests check it).
 */
export const record = (m: Model, y: number, cube: Cube): void => {
  const slots = cube.slotSchool.length
  const out = slotRecord
  cube.plant.after[y] = y > 0 ? cube.plant.after[y - 1] : 0
  cube.steady.after[y] = y > 0 ? cube.steady.after[y - 1] : 0
  // the county's sums by level: enrolment tallied all but the unplaced (`Enrolment.enrol`), added here
  // settlement by settlement now that the rule has placed the pupils; the catchments' residents (`m.zone`) too
  const sums = m.tally
  const unplaced = m.unplaced
  const S = m.settlements
  for (let s = 0, i = 0; s < S; s++) for (let l = 0; l < levels; l++, i++) sums[levels + l] += unplaced[i]
  const zone = m.zone
  const dcPrimary = standard(m, "differenceCoefficient.primary")
  const dcJunior = standard(m, "differenceCoefficient.junior")
  const largeShare = standard(m, "largeClassShare.max")
  for (let l = 0; l < levels; l++) {
    const base = (y * levels + l) * CM
    cube.county[base] = sums[levels + l]
    cube.county[base + 1] = sums[2 * levels + l]
    cube.county[base + 2] = sums[3 * levels + l]
    cube.county[base + 3] = sums[l]
    cube.county[base + 4] = l === 1 ? dcPrimary : l === 2 ? dcJunior : 0
    cube.county[base + 5] = largeShare
  }
  const perRoom = standard(m, "rooms.classesPerMusicAndArtRoom")
  const urbanFrom = standard(m, "mentalHealth.urbanFrom")
  const ruralFrom = standard(m, "mentalHealth.ruralFrom")
  const perMentalTeacher = standard(m, "mentalHealth.pupilsPerTeacher")
  let lastSchool = -1
  let schoolPupils = 0
  let schoolClasses = 0
  for (let i = 0; i < slots; i++) {
    const k = cube.slotSchool[i]
    const l = cube.slotLevel[i]
    const row = k * grades
    let pupils = 0
    let classes = 0
    let large = 0
    let superLarge = 0
    let maxSize = 0
    let withinCap = 0
    let classPupils = 0
    for (let g = firstGrade[l]; g < endGrade[l]; g++) {
      withinCap += m.withinCap[row + g]
      pupils += m.enrolled[row + g]
      classes += m.classes[row + g]
      // the whole pupils the grade's classes are formed of (Classes.formAll)
      if (m.classes[row + g] > 0) classPupils += Math.round(m.enrolled[row + g])
      large += m.largeClasses[row + g]
      superLarge += m.superLargeClasses[row + g]
      maxSize = Math.max(maxSize, m.maxClass[row + g])
    }
    if (k !== lastSchool) {
      lastSchool = k
      schoolPupils = 0
      schoolClasses = 0
      for (let g = 0; g < grades; g++) schoolPupils += m.enrolled[row + g]
      for (let g = 0; g < grades; g++) schoolClasses += m.classes[row + g]
    }
    const share = levelShare(m, k, l)
    const slot = k * levels + l
    out[at.pupils] = pupils
    out[at.seats] = m.seats[k] * share
    out[at.classrooms] = m.classrooms[k] * share
    out[at.classes] = classes
    out[at.classes_within_cap] = withinCap
    out[at.large_classes] = large
    out[at.super_large_classes] = superLarge
    out[at.max_class_size] = maxSize
    out[at.class_pupils] = classPupils
    out[at.teachers_needed] = m.teachersNeeded[slot]
    out[at.teachers_assigned] = m.teachersAssigned[slot]
    out[at.boarders] = m.boarders[slot]
    out[at.beyond_distance] = m.beyond[slot]
    out[at.beds] = m.beds[k] * share
    out[at.pupil_km] = m.pupilKm[slot]
    out[at.max_distance_km] = m.maxKm[slot]
    out[at.open] = m.open[k] === 1 && m.teaches[slot] === 1 ? 1 : 0
    out[at.school_pupils] = schoolPupils
    out[at.above_degree] = m.aboveDegree[k] * share
    out[at.backbone] = m.backbone[k] * share
    out[at.pe_arts] = m.peArts[k] * share
    out[at.mental_health] = m.mentalHealth[k] * share
    out[at.floor_area] = m.floorArea[k] * share
    out[at.sports_area] = m.sportsArea[k] * share
    out[at.equipment_value] = m.equipmentValue[k] * share
    out[at.multimedia_rooms] = m.multimediaRooms[k] * share
    out[at.music_rooms] = m.musicRooms[k] * share
    out[at.art_rooms] = m.artRooms[k] * share
    out[at.books] = m.books[k] * share
    out[at.capital_cost] = m.capital[k] * share
    out[at.seats_built] = m.seatsBuilt[k] * share
    sizeCheck(m, k, l, out)
    out[at.zone_pupils] = zone[slot * 2]
    out[at.zone_settlements] = zone[slot * 2 + 1]
    const roomsNeeded = Math.ceil(schoolClasses / perRoom)
    out[at.rooms_ok] = m.musicRooms[k] >= roomsNeeded && m.artRooms[k] >= roomsNeeded ? 1 : 0
    out[at.rooms_short] = Math.max(0, roomsNeeded - Math.min(m.musicRooms[k], m.artRooms[k]))
    const urban = m.schoolSettlement[k] >= 0 && m.tier[m.schoolSettlement[k]] === 0
    const from = urban ? urbanFrom : ruralFrom
    const mentalNeeded = schoolPupils >= from ? Math.ceil(schoolPupils / perMentalTeacher) : 0
    out[at.mental_health_needed] = mentalNeeded
    out[at.mental_health_ok] = m.mentalHealth[k] >= mentalNeeded ? 1 : 0
    out[at.mental_health_short] = Math.max(0, mentalNeeded - m.mentalHealth[k])
    keep(cube, y, i, out, slots)
  }
  for (let f = 0; f < m.flows.length; f++) cube.flows[y * flowMetrics.length + f] = m.flows[f]
  cube.flows[y * flowMetrics.length + eligibleAt] = eligibleCompulsory(m)
  if (cube.population !== undefined) cube.population.set(m.pop, y * m.settlements * ages)
  cube.standards.set(m.standards, y * Standards.keys.length)
}

/** The standards in force in year index `y` of a run. */
export const standardsAt = (cube: Cube, y: number): Standards.Standards => {
  const K = Standards.keys.length
  return Object.fromEntries(Standards.keys.map((key, i) => [key, cube.standards[y * K + i]])) as Standards.Standards
}

const standardIndex = new Map(Standards.keys.map((k, i) => [k, i]))

/** A standard in force. */
export const standard = (m: Model, key: Standards.StandardKey): number => m.standards[standardIndex.get(key)!]

/** Standard indexes of the seven 优质均衡 indicators, for primary (row 0) and junior (row 1). */
const qualityKeys = (["primary", "junior"] as const).map((level) =>
  Int32Array.from(Columns.indicators, (c) => standardIndex.get(`quality.${c.standard}.${level}` as Standards.StandardKey)!)
)

const floorShareAt = standardIndex.get("quality.floorShare")!

/**
 * The 优质均衡 school rule for primary and junior levels, from a slot's record `out` of level `l` and the
 * standards in force (`standards` from `from`, `Standards.keys` order): how many of the seven resource
 * indicators meet the standard, and whether the school passes (at least 6 met, the rest at 85 % of the
 * standard; 教督〔2017〕6号). Written into `out`; derived whenever a record is read, never kept.
 */
const quality = (out: Float64Array, l: number, standards: Float64Array, from: number): void => {
  const pupils = out[at.pupils]
  if ((l !== 1 && l !== 2) || pupils <= 0) {
    out[at.quality_met] = 0
    out[at.quality_pass] = 0
    out[at.quality_min_share] = 0
    return
  }
  const keys = qualityKeys[l - 1]
  const floor = standards[from + floorShareAt]
  let met = 0
  let allAboveFloor = true
  let least = Infinity
  for (let j = 0; j < keys.length; j++) {
    const x = indicatorValue(out, j, pupils)
    const t = standards[from + keys[j]]
    if (x >= t) met++
    else if (x < floor * t) allAboveFloor = false
    least = Math.min(least, t > 0 ? x / t : 1)
  }
  out[at.quality_met] = met
  out[at.quality_min_share] = least
  out[at.quality_pass] = met >= Columns.qualityIndicatorsToMeet && allAboveFloor ? 1 : 0
}

/**
 * The value of indicator j (the order of `Columns.indicators` and `qualityKeys`) for a slot's record: its
 * level's share of the school's resource (as recorded: the resource × the level's share) per 100 pupils or per pupil.
 */
const indicatorValue = (out: Float64Array, j: number, pupils: number): number => {
  switch (j) {
    case 0:
      return (out[at.above_degree] * 100) / pupils
    case 1:
      return (out[at.backbone] * 100) / pupils
    case 2:
      return (out[at.pe_arts] * 100) / pupils
    case 3:
      return out[at.floor_area] / pupils
    case 4:
      return out[at.sports_area] / pupils
    case 5:
      return out[at.equipment_value] / pupils
    default:
      return (out[at.multimedia_rooms] * 100) / pupils
  }
}

/**
 * The school size cap (校额) that applies to a school's level and the pupils counted against it: a
 * nine- or twelve-year school's compulsory grades against 2,500, a primary or junior school's against
 * 2,000, senior grades against 5,000 (Wenling 2020 §五(一)3(3); Leshan 2021 §二(三)3; docs/standards.md).
 */
const sizeCheck = (m: Model, k: number, l: number, out: Float64Array): void => {
  const primary = m.teaches[k * levels + 1] === 1
  const junior = m.teaches[k * levels + 2] === 1
  let cap = 0
  let from = firstGrade[l]
  let to = endGrade[l]
  if (l === 3) cap = m.schoolSizeCap[3]
  else if ((l === 1 || l === 2) && primary && junior) {
    cap = m.schoolSizeCap[2]
    from = firstGrade[1]
    to = endGrade[2]
  } else if (l === 1 || l === 2) cap = m.schoolSizeCap[l - 1]
  let pupils = 0
  for (let g = from; g < to; g++) pupils += m.enrolled[k * grades + g]
  out[at.size_cap] = cap
  out[at.size_pupils] = cap > 0 ? pupils : 0
}

/**
 * The share of a school's plant (seats, classrooms, beds, areas, teachers' categories) that serves a level:
 * its grades of that level over all the grades it teaches (a nine-year school: primary 6/9, junior 3/9).
 */
export const levelShare = (m: Model, k: number, l: number): number => {
  if (m.teaches[k * levels + l] === 0) return 0
  let all = 0
  for (let j = 0; j < levels; j++) if (m.teaches[k * levels + j] === 1) all += endGrade[j] - firstGrade[j]
  return all === 0 ? 0 : (endGrade[l] - firstGrade[l]) / all
}

/**
 * Slot `slot`'s figures for year `y` into `out` (length `M`, each metric at its offset `at`): the one way
 * to read a school metric from the cube, however it is kept.
 */
export const figures = (cube: Cube, y: number, slot: number, out: Float64Array): Float64Array => {
  const o = (y * cube.slotSchool.length + slot) * Y
  for (let j = 0; j < Y; j++) out[yearlyAt[j]] = cube.yearly[o + j]
  const p = cube.plantRecord[y * cube.slotSchool.length + slot] * P
  for (let j = 0; j < P; j++) out[plantAt[j]] = cube.plant.data[p + j]
  const t = cube.steadyRecord[y * cube.slotSchool.length + slot] * T
  for (let j = 0; j < T; j++) out[steadyAt[j]] = cube.steady.data[t + j]
  quality(out, cube.slotLevel[slot], cube.standards, y * Standards.keys.length)
  return out
}

/** A slot's record, for reading one derived metric (`value`). */
const valueRecord = new Float64Array(M)

/** The value of a school metric in the cube. */
export const value = (cube: Cube, y: number, slot: number, metric: SchoolMetric): number => {
  const j = placeAt[at[metric]]
  const slots = cube.slotSchool.length
  switch (placeIn[at[metric]]) {
    case 0:
      return cube.yearly[(y * slots + slot) * Y + j]
    case 1:
      return cube.plant.data[cube.plantRecord[y * slots + slot] * P + j]
    case 2:
      return cube.steady.data[cube.steadyRecord[y * slots + slot] * T + j]
    default:
      return figures(cube, y, slot, valueRecord)[at[metric]]
  }
}

/** Every slot's figures every year, years × slots × `M` (what the cube held before the plant and steady metrics were kept apart: tests compare runs by it). */
export const schoolFigures = (cube: Cube): Float64Array => {
  const slots = cube.slotSchool.length
  const out = new Float64Array(cube.years * slots * M)
  for (let y = 0; y < cube.years; y++)
    for (let i = 0; i < slots; i++) figures(cube, y, i, out.subarray((y * slots + i) * M, (y * slots + i + 1) * M))
  return out
}

/** The value of a county metric in the cube. */
export const countyValue = (cube: Cube, y: number, level: number, metric: (typeof countyMetrics)[number]): number =>
  cube.county[(y * levels + level) * CM + countyMetrics.indexOf(metric)]

const eligibleAt = flowMetrics.indexOf("teachers_eligible")
const eligibleBandIndexes = eligibleBands.map((b) => School.ageBands.indexOf(b))

/**
 * The primary and junior teachers eligible to rotate (交流轮岗) at the year's end: at each open school, its
 * teachers of `Decider.eligibleBands` (aged 30-54, the stand-in for years at one school) in the share of its
 * teachers assigned to primary and junior (a nine-year school's all, a complete middle school's junior part).
 * The denominator of the county-wide rotation share, as `Decider.eligibleTeachers` is the groups'.
 */
const eligibleCompulsory = (m: Model): number => {
  let eligible = 0
  for (let k = 0; k < m.schools; k++) {
    if (m.open[k] !== 1) continue
    let all = 0
    for (let l = 0; l < levels; l++) all += m.teachersAssigned[k * levels + l]
    if (all <= 0) continue
    const compulsory = m.teachersAssigned[k * levels + 1] + m.teachersAssigned[k * levels + 2]
    if (compulsory <= 0) continue
    let inBands = 0
    for (const b of eligibleBandIndexes) inBands += m.teachers[k * bands + b]
    eligible += (inBands * compulsory) / all
  }
  return eligible
}
