/**
 * Tidy tables built from a run's cube after the loop: `schools` (variant × year × school × level),
 * `county` (variant × year × level) and `population` (variant × year × settlement × age). The column
 * names and meanings are a contract (see the package README); numbers are not rounded here.
 */
import type { Ids } from "@seatplan/core"
import { ages, levelNames, levels } from "./Dimensions.js"
import type { Model } from "./Model.js"
import * as Results from "./Results.js"

export interface SchoolRow {
  readonly variant: string
  readonly year: number
  readonly school_id: Ids.SchoolId
  readonly level: string
  readonly open: boolean
  readonly pupils: number
  readonly seats: number
  readonly seat_gap: number
  readonly idle_seats: number
  readonly classrooms: number
  readonly classes: number
  readonly mean_class_size: number
  readonly max_class_size: number
  readonly large_classes: number
  readonly super_large_classes: number
  readonly teachers_needed: number
  readonly teachers_assigned: number
  readonly teacher_gap: number
  readonly boarders: number
  readonly beds: number
  readonly boarding_bed_gap: number
  readonly mean_distance_km: number
  readonly max_distance_km: number
  readonly school_pupils: number
  readonly size_cap: number
  readonly over_size_cap: boolean
  readonly above_degree_per_100: number
  readonly backbone_per_100: number
  readonly pe_arts_per_100: number
  readonly floor_area_per_pupil: number
  readonly sports_area_per_pupil: number
  readonly equipment_per_pupil: number
  readonly multimedia_per_100: number
  readonly music_rooms: number
  readonly art_rooms: number
  readonly capital_cost: number
  readonly recurrent_cost: number
}

/** The seven resource indicators of 优质均衡 (per 100 pupils or per pupil; seed 002). */
export const indicators = [
  "above_degree_per_100",
  "backbone_per_100",
  "pe_arts_per_100",
  "floor_area_per_pupil",
  "sports_area_per_pupil",
  "equipment_per_pupil",
  "multimedia_per_100"
] as const
export type Indicator = typeof indicators[number]

export interface CountyRow {
  readonly variant: string
  readonly year: number
  readonly level: string
  readonly children: number
  readonly pupils: number
  readonly out_of_school: number
  readonly unplaced: number
  readonly schools: number
  readonly seats: number
  readonly seat_gap: number
  readonly idle_seats: number
  readonly classes: number
  readonly large_classes: number
  readonly super_large_classes: number
  readonly large_class_share: number
  readonly teachers_needed: number
  readonly teachers_assigned: number
  readonly teacher_gap: number
  readonly boarders: number
  readonly beds: number
  readonly boarding_bed_gap: number
  readonly mean_distance_km: number
  readonly max_distance_km: number
  readonly schools_over_size_cap: number
  /** Pupil-weighted coefficient of variation across schools (校际差异系数), per indicator. */
  readonly difference_coefficients: Readonly<Record<Indicator, number>>
  readonly capital_cost: number
  readonly recurrent_cost: number
}

export interface PopulationRow {
  readonly variant: string
  readonly year: number
  readonly settlement_id: Ids.SettlementId
  readonly age: number
  readonly children: number
}

/** One row per open school level (or level with pupils) per year. */
export const schools = (m: Model, cube: Results.Cube, variant: string): ReadonlyArray<SchoolRow> => {
  const rows: Array<SchoolRow> = []
  const slots = cube.slotSchool.length
  for (let y = 0; y < cube.years; y++) {
    for (let i = 0; i < slots; i++) {
      const v = (metric: Results.SchoolMetric) => Results.value(cube, y, i, metric)
      const open = v("open") === 1
      const pupils = v("pupils")
      if (!open && pupils <= 0) continue
      rows.push(schoolRow(m, variant, y, cube.slotSchool[i], cube.slotLevel[i], open, v))
    }
  }
  return rows
}

const per = (x: number, pupils: number, scale: number) => (pupils > 0 ? (x / pupils) * scale : 0)

const schoolRow = (
  m: Model,
  variant: string,
  y: number,
  k: number,
  l: number,
  open: boolean,
  v: (metric: Results.SchoolMetric) => number
): SchoolRow => {
  const pupils = v("pupils")
  const seats = v("seats")
  const classes = v("classes")
  const needed = v("teachers_needed")
  const assigned = v("teachers_assigned")
  const schoolPupils = v("school_pupils")
  const level = levelNames[l]
  const perPupil = m.assumptions.recurrentPerPupil[level]
  const floorTopUp = schoolPupils > 0 && schoolPupils < m.fundingFloor ? (m.fundingFloor - schoolPupils) * (pupils / schoolPupils) : 0
  const sizeCap = v("size_cap")
  return {
    variant,
    year: m.baseYear + y,
    school_id: m.schoolIds[k],
    level,
    open,
    pupils,
    seats,
    seat_gap: Math.max(0, pupils - seats),
    idle_seats: Math.max(0, seats - pupils),
    classrooms: v("classrooms"),
    classes,
    mean_class_size: classes > 0 ? pupils / classes : 0,
    max_class_size: v("max_class_size"),
    large_classes: v("large_classes"),
    super_large_classes: v("super_large_classes"),
    teachers_needed: needed,
    teachers_assigned: assigned,
    teacher_gap: needed - assigned,
    boarders: v("boarders"),
    beds: v("beds"),
    boarding_bed_gap: Math.max(0, v("boarders") - v("beds")),
    mean_distance_km: pupils > 0 ? v("pupil_km") / pupils : 0,
    max_distance_km: v("max_distance_km"),
    school_pupils: schoolPupils,
    size_cap: sizeCap,
    over_size_cap: sizeCap > 0 && v("size_pupils") > sizeCap,
    above_degree_per_100: per(v("above_degree"), pupils, 100),
    backbone_per_100: per(v("backbone"), pupils, 100),
    pe_arts_per_100: per(v("pe_arts"), pupils, 100),
    floor_area_per_pupil: per(v("floor_area"), pupils, 1),
    sports_area_per_pupil: per(v("sports_area"), pupils, 1),
    equipment_per_pupil: per(v("equipment_value"), pupils, 1),
    multimedia_per_100: per(v("multimedia_rooms"), pupils, 100),
    music_rooms: v("music_rooms"),
    art_rooms: v("art_rooms"),
    capital_cost: v("capital_cost"),
    recurrent_cost: open ? perPupil * (pupils + floorTopUp) : 0
  }
}

/** One row per level per year for the county, from the school rows and the county cube. */
export const county = (
  m: Model,
  cube: Results.Cube,
  variant: string,
  schoolRows: ReadonlyArray<SchoolRow> = schools(m, cube, variant)
): ReadonlyArray<CountyRow> => {
  const rows: Array<CountyRow> = []
  const groups = new Map<string, Array<SchoolRow>>()
  for (const r of schoolRows) {
    const key = `${r.year}|${r.level}`
    const list = groups.get(key)
    if (list === undefined) groups.set(key, [r])
    else list.push(r)
  }
  for (let y = 0; y < cube.years; y++) {
    for (let l = 0; l < levels; l++) {
      const level = levelNames[l]
      const list = groups.get(`${m.baseYear + y}|${level}`) ?? []
      const sum = (f: (r: SchoolRow) => number) => list.reduce((n, r) => n + f(r), 0)
      const pupils = sum((r) => r.pupils)
      const classes = sum((r) => r.classes)
      const large = sum((r) => r.large_classes)
      const superLarge = sum((r) => r.super_large_classes)
      const needed = sum((r) => r.teachers_needed)
      const assigned = sum((r) => r.teachers_assigned)
      const withPupils = list.filter((r) => r.pupils > 0)
      rows.push({
        variant,
        year: m.baseYear + y,
        level,
        children: Results.countyValue(cube, y, l, "children"),
        pupils,
        out_of_school: Results.countyValue(cube, y, l, "out_of_school"),
        unplaced: Results.countyValue(cube, y, l, "unplaced"),
        schools: list.filter((r) => r.open).length,
        seats: sum((r) => r.seats),
        seat_gap: sum((r) => r.seat_gap),
        idle_seats: sum((r) => r.idle_seats),
        classes,
        large_classes: large,
        super_large_classes: superLarge,
        large_class_share: classes > 0 ? (large + superLarge) / classes : 0,
        teachers_needed: needed,
        teachers_assigned: assigned,
        teacher_gap: needed - assigned,
        boarders: sum((r) => r.boarders),
        beds: sum((r) => r.beds),
        boarding_bed_gap: sum((r) => r.boarding_bed_gap),
        mean_distance_km: pupils > 0 ? sum((r) => r.mean_distance_km * r.pupils) / pupils : 0,
        max_distance_km: list.reduce((x, r) => Math.max(x, r.max_distance_km), 0),
        schools_over_size_cap: list.filter((r) => r.over_size_cap).length,
        difference_coefficients: Object.fromEntries(
          indicators.map((i) => [i, differenceCoefficient(withPupils.map((r) => r[i]), withPupils.map((r) => r.pupils))])
        ) as Record<Indicator, number>,
        capital_cost: sum((r) => r.capital_cost),
        recurrent_cost: sum((r) => r.recurrent_cost)
      })
    }
  }
  return rows
}

/**
 * The inter-school difference coefficient (校际差异系数): the pupil-weighted coefficient of variation of an
 * indicator across schools, sqrt(Σ p (x − x̄)² / Σ p) / x̄ with x̄ = Σ p x / Σ p (教督〔2017〕6号). 0 when
 * fewer than two schools or a zero mean.
 */
export const differenceCoefficient = (values: ReadonlyArray<number>, weights: ReadonlyArray<number>): number => {
  if (values.length < 2) return 0
  let w = 0
  let wx = 0
  for (let i = 0; i < values.length; i++) {
    w += weights[i]
    wx += weights[i] * values[i]
  }
  if (w <= 0) return 0
  const mean = wx / w
  if (mean === 0) return 0
  let squares = 0
  for (let i = 0; i < values.length; i++) squares += weights[i] * (values[i] - mean) ** 2
  return Math.sqrt(squares / w) / mean
}

/** Children by settlement and single year of age, every year (when the run kept them). */
export const population = (m: Model, cube: Results.Cube, variant: string): ReadonlyArray<PopulationRow> => {
  const rows: Array<PopulationRow> = []
  const pop = cube.population
  if (pop === undefined) return rows
  for (let y = 0; y < cube.years; y++) {
    for (let s = 0; s < m.settlements; s++) {
      for (let a = 0; a < ages; a++) {
        rows.push({
          variant,
          year: m.baseYear + y,
          settlement_id: m.settlementIds[s],
          age: a,
          children: pop[(y * m.settlements + s) * ages + a]
        })
      }
    }
  }
  return rows
}
