/**
 * Tidy tables built from a run's cube after the loop: `schools` (variant × year × school × level),
 * `county` (variant × year × level) and `population` (variant × year × settlement × age). The column
 * names, order and meanings are a contract defined once in `Columns` (and documented in docs/columns.md);
 * numbers are not rounded here.
 */
import type { Event, Ids } from "@seatplan/core"
import { ages, levelNames, levels } from "./Dimensions.js"
import * as Columns from "./Columns.js"
import type { Model } from "./Model.js"
import * as Results from "./Results.js"

export interface SchoolRow {
  readonly variant: string
  readonly year: number
  readonly school_id: Ids.SchoolId
  readonly school_name: string
  readonly level: string
  /** not yet open, opened, open, expanded, closing, closed, or merged into <id> (`Columns`: status). */
  readonly status: string
  readonly lon: number
  readonly lat: number
  readonly open: boolean
  readonly pupils: number
  readonly seats: number
  readonly pupils_over_seats: number
  readonly idle_seats: number
  readonly classrooms: number
  readonly classes: number
  /** Classes within the level's cap (标准班额: 45 primary, 50 junior and senior). */
  readonly classes_within_cap: number
  /** Classes above the cap but not yet large (46-55 in primary). */
  readonly classes_over_cap: number
  readonly mean_class_size: number
  readonly max_class_size: number
  readonly large_classes: number
  readonly super_large_classes: number
  readonly teachers_needed: number
  readonly teachers_assigned: number
  readonly teacher_gap: number
  /** Teachers received from (+) or given to (−) the school's group; 0 until the group step (`Groups.share`) sets it. */
  readonly teachers_shared: number
  /** teachers_assigned + teachers_shared: what the staffing rule holds against the need. */
  readonly teachers_available: number
  /** The school group whose figures count this row (`Groups.share` sets it), or "". */
  readonly group_id: string
  readonly boarders: number
  readonly beds: number
  readonly boarding_bed_gap: number
  readonly mean_distance_km: number
  readonly max_distance_km: number
  /** Day pupils living beyond the level's distance standard (`distance.{level}`). */
  readonly beyond_distance: number
  readonly school_pupils: number
  /** The pupils counted against the size cap (a nine-year school's compulsory grades; 0 where no cap applies). */
  readonly size_pupils: number
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
  readonly books_per_pupil: number
  readonly capital_cost: number
  readonly recurrent_cost: number
  /** No class above 55 pupils (no 大班额 or 超大班额). */
  readonly no_large_classes: boolean
  readonly teachers_enough: boolean
  /** Primary and junior: how many of the seven 优质均衡 resource indicators meet the standard (0 otherwise). */
  readonly quality_indicators_met: number
  /** Primary and junior: the least of the seven indicators as a share of its standard (the 85 % floor is on this). */
  readonly quality_min_share: number
  /** Primary and junior: the school meets 优质均衡 (≥ 6 of 7 met, the rest ≥ 85 % of the standard). */
  readonly quality_pass: boolean
  /** A music room and an art room per 12 classes (Wenling 2020 §五(一)3(2)). */
  readonly music_art_rooms_ok: boolean
  /** Music or art rooms the whole school lacks for its classes (0 when it has enough). */
  readonly music_art_rooms_short: number
  /** Mental-health teachers the school needs (1 per 1,000 pupils from 1,000 urban / 1,200 rural; Leshan 2021 §二(二)4). */
  readonly mental_health_teachers_needed: number
  readonly mental_health_ok: boolean
  /** Mental-health teachers the whole school lacks (0 when it has enough). */
  readonly mental_health_teachers_short: number
}

/** The seven resource indicators of 优质均衡 (per 100 pupils or per pupil; 教督〔2017〕6号), as `Columns.indicators`. */
export const indicators: ReadonlyArray<Indicator> = Columns.indicatorIds
export type Indicator = Columns.Indicator

export interface CountyRow {
  readonly variant: string
  readonly year: number
  readonly level: string
  readonly children: number
  readonly pupils: number
  readonly out_of_school: number
  readonly unplaced: number
  /** Pupils living in settlements zoned to no school for the level. */
  readonly unzoned: number
  readonly schools: number
  readonly seats: number
  readonly pupils_over_seats: number
  readonly idle_seats: number
  readonly classes: number
  readonly classes_within_cap: number
  readonly classes_over_cap: number
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
  /** Day pupils living beyond the level's distance standard (`distance.{level}`). */
  readonly beyond_distance: number
  readonly schools_over_size_cap: number
  /** Pupil-weighted coefficient of variation across schools (校际差异系数), per indicator. */
  readonly difference_coefficients: Readonly<Record<Indicator, number>>
  /** The largest of the seven difference coefficients (what the limit is held against). */
  readonly max_difference_coefficient: number
  /**
   * Teachers who rotated (交流轮岗) in the year over the county's primary and junior teachers, and the
   * backbone teachers' share of those who rotated; county-wide, repeated on the primary and junior rows.
   */
  readonly rotation_share: number
  readonly backbone_rotation_share: number
  readonly capital_cost: number
  readonly recurrent_cost: number
  /** The county's share of large and super-large classes is under the limit (5 %, the Henan provincial standard). */
  readonly large_class_share_ok: boolean
  /** Primary and junior: the difference coefficient limit in force (0.50 / 0.45), and whether all seven are within it. */
  readonly difference_coefficient_limit: number
  readonly difference_coefficients_ok: boolean
  /** Primary and junior: schools with pupils, and those meeting the 优质均衡 school rule. */
  readonly quality_schools: number
  readonly quality_schools_passing: number
}

/** A catchment (学区): the settlements zoned to one school for one level, in one year. */
export interface CatchmentRow {
  readonly variant: string
  readonly year: number
  readonly level: string
  readonly school_id: Ids.SchoolId
  readonly settlements: number
  /** Pupils of the level living in the catchment (where they live, not where they end up). */
  readonly resident_pupils: number
  /** Pupils the school takes (from its catchment and beyond). */
  readonly enrolled: number
  readonly seats: number
  /** Resident pupils above the school's seats: what the catchment lacks. */
  readonly catchment_seats_short: number
  readonly catchment_idle_seats: number
}

export interface PopulationRow {
  readonly variant: string
  readonly year: number
  readonly settlement_id: Ids.SettlementId
  readonly age: number
  readonly children: number
}

/**
 * The figures of a school row after its keys (variant, year, school_id, level), in the registry's order
 * (`Columns.of("schools")`): `derive` writes them as numbers (booleans as 1 or 0) and `schools` copies them
 * into the row under the same names.
 */
const columns = Columns.of("schools").filter((c) => c.type !== "text" && c.id !== "year")
type Column = Exclude<keyof SchoolRow, "variant" | "year" | "school_id" | "school_name" | "level" | "status" | "group_id">
const col = Object.fromEntries(columns.map((c, i) => [c.id, i])) as Record<Column, number>
const C = columns.length
const names = columns.map((c) => c.id)
const boolean = Uint8Array.from(columns, (c) => (c.type === "boolean" ? 1 : 0))

const per = (x: number, pupils: number, scale: number) => (pupils > 0 ? (x / pupils) * scale : 0)

/**
 * A slot's figures for a year, derived from the cube into `out` (one place for every formula of the
 * school table). Returns false for a slot that is closed and has no pupils (no row).
 */
/** The slot figures `derive` reads (`Results.figures`), kept between calls. */
const slotFigures = new Float64Array(Results.M)

const derive = (m: Model, cube: Results.Cube, y: number, i: number, out: Float64Array): boolean => {
  const data = Results.figures(cube, y, i, slotFigures)
  const A = Results.at
  const open = data[A.open] === 1
  const pupils = data[A.pupils]
  if (!open && pupils <= 0) return false
  const seats = data[A.seats]
  const classes = data[A.classes]
  const needed = data[A.teachers_needed]
  const schoolPupils = data[A.school_pupils]
  const perPupil = m.assumptions.recurrentPerPupil[levelNames[cube.slotLevel[i]]]
  const topUp = schoolPupils > 0 && schoolPupils < m.fundingFloor ? (m.fundingFloor - schoolPupils) * (pupils / schoolPupils) : 0
  const sizeCap = data[A.size_cap]
  out[col.lon] = m.schoolLon[cube.slotSchool[i]]
  out[col.lat] = m.schoolLat[cube.slotSchool[i]]
  out[col.pupils] = pupils
  out[col.seats] = seats
  out[col.pupils_over_seats] = Math.max(0, pupils - seats)
  out[col.idle_seats] = Math.max(0, seats - pupils)
  out[col.classrooms] = data[A.classrooms]
  out[col.classes] = classes
  out[col.classes_within_cap] = data[A.classes_within_cap]
  out[col.classes_over_cap] = classes - data[A.classes_within_cap] - data[A.large_classes] - data[A.super_large_classes]
  // over the whole pupils the classes are formed of, as the largest class is: over the expected pupils
  // (18.2 in 6 classes: 3.04) it was above the largest class (3) in one school row of twenty
  out[col.mean_class_size] = classes > 0 ? data[A.class_pupils] / classes : 0
  out[col.max_class_size] = data[A.max_class_size]
  out[col.large_classes] = data[A.large_classes]
  out[col.super_large_classes] = data[A.super_large_classes]
  out[col.teachers_needed] = needed
  out[col.teachers_assigned] = data[A.teachers_assigned]
  out[col.teacher_gap] = needed - data[A.teachers_assigned]
  // a school alone: its group's sharing (if any) is added after the run (`Groups.share`)
  out[col.teachers_shared] = 0
  out[col.teachers_available] = data[A.teachers_assigned]
  out[col.boarders] = data[A.boarders]
  out[col.beds] = data[A.beds]
  out[col.boarding_bed_gap] = Math.max(0, data[A.boarders] - data[A.beds])
  out[col.mean_distance_km] = pupils > 0 ? data[A.pupil_km] / pupils : 0
  out[col.max_distance_km] = data[A.max_distance_km]
  out[col.beyond_distance] = data[A.beyond_distance]
  out[col.school_pupils] = schoolPupils
  out[col.size_pupils] = sizeCap > 0 ? data[A.size_pupils] : 0
  out[col.size_cap] = sizeCap
  out[col.over_size_cap] = sizeCap > 0 && data[A.size_pupils] > sizeCap ? 1 : 0
  out[col.above_degree_per_100] = per(data[A.above_degree], pupils, 100)
  out[col.backbone_per_100] = per(data[A.backbone], pupils, 100)
  out[col.pe_arts_per_100] = per(data[A.pe_arts], pupils, 100)
  out[col.floor_area_per_pupil] = per(data[A.floor_area], pupils, 1)
  out[col.sports_area_per_pupil] = per(data[A.sports_area], pupils, 1)
  out[col.equipment_per_pupil] = per(data[A.equipment_value], pupils, 1)
  out[col.multimedia_per_100] = per(data[A.multimedia_rooms], pupils, 100)
  out[col.music_rooms] = data[A.music_rooms]
  out[col.art_rooms] = data[A.art_rooms]
  out[col.books_per_pupil] = per(data[A.books], pupils, 1)
  out[col.capital_cost] = data[A.capital_cost]
  out[col.recurrent_cost] = open ? perPupil * (pupils + topUp) : 0
  out[col.open] = open ? 1 : 0
  out[col.quality_indicators_met] = data[A.quality_met]
  out[col.quality_pass] = data[A.quality_pass]
  out[col.music_art_rooms_ok] = data[A.rooms_ok]
  out[col.mental_health_teachers_needed] = data[A.mental_health_needed]
  out[col.mental_health_ok] = data[A.mental_health_ok]
  out[col.quality_min_share] = data[A.quality_min_share]
  out[col.music_art_rooms_short] = data[A.rooms_short]
  out[col.mental_health_teachers_short] = data[A.mental_health_short]
  out[col.no_large_classes] = out[col.large_classes] + out[col.super_large_classes] === 0 ? 1 : 0
  out[col.teachers_enough] = out[col.teacher_gap] <= 1e-9 ? 1 : 0
  return true
}

/**
 * Each school's status in each year of the run (`Columns`: status), from the model's timeline: what the
 * year's events did to it, and whether next year's close it. Indexed [year][school]. Each event is looked
 * at once (it names the schools it closes); testing every event against every school was quadratic, most
 * of `seatplan comply`'s time on a region of 3,000 settlements, whose probes plan many closures.
 */
export const statuses = (m: Model, years: number): ReadonlyArray<ReadonlyArray<string>> => {
  const at = (id: string) => m.schoolIndex.get(id) ?? -1
  const opens = (e: Event.Event): number =>
    e._tag === "SchoolOpened" ? at(e.school.id) : e._tag === "SchoolRepurposed" && e.use === "kindergarten" ? at(e.schoolId) : -1
  /** The schools `e` closes, each with the status it leaves: closed, or merged into another school. */
  const closes = (e: Event.Event, close: (k: number, status: string) => void): void => {
    if (e._tag === "SchoolClosed") {
      const k = at(e.schoolId)
      if (k >= 0) close(k, "closed")
    } else if (e._tag === "SchoolsMerged") {
      for (const id of e.absorbed) {
        const k = at(id)
        if (k >= 0 && e.into !== m.schoolIds[k]) close(k, `merged into ${e.into}`)
      }
    }
  }
  const planned = new Set(m.timeline.flatMap((events) => events.map(opens)))
  // the state before the run's first year: open, closed before it, or planned
  const state: Array<string> = Array.from({ length: m.schools }, (_, k) =>
    m.open[k] === 1 ? "open" : planned.has(k) ? "not yet open" : "closed"
  )
  const close = (k: number, status: string) => {
    state[k] = status
  }
  const out: Array<ReadonlyArray<string>> = []
  for (let y = 0; y < years; y++) {
    const events = m.timeline[y] ?? []
    const flag = new Map<number, string>()
    for (const e of events) {
      const o = opens(e)
      if (o >= 0) {
        state[o] = "open"
        flag.set(o, "opened")
      }
      if ((e._tag === "SchoolExpanded" || e._tag === "BoardingChanged") && !flag.has(at(e.schoolId))) flag.set(at(e.schoolId), "expanded")
      closes(e, close)
    }
    const closing = new Set<number>()
    for (const e of m.timeline[y + 1] ?? []) closes(e, (k) => closing.add(k))
    out.push(state.map((s, k) => (s !== "open" ? s : (flag.get(k) ?? (closing.has(k) ? "closing" : "open")))))
  }
  return out
}

/**
 * One row per school level per year, for every school of the variant (a school not open that year has
 * zeros for its figures, its status says why): `schoolTable`'s rows, as an array.
 */
export const schools = (m: Model, cube: Results.Cube, variant: string): ReadonlyArray<SchoolRow> =>
  Array.from(schoolTable(m, cube, variant))

/** A school group's sharing written into one school row (`Groups.share`): what it receives (+) or gives (−), and the group. */
export interface Share {
  readonly shared: number
  readonly group_id: string
}

/**
 * A variant's schools table read from the run's cube as it is asked for (issue 18): a row is made when it is
 * read, a year's rows at a time, and nothing but the group shares is kept, so a province's 780,000 rows (1.2 GB
 * as objects, 12 GB at a million settlements) cost no memory between their uses. The rows, their order and
 * their figures are `schools`'s: year by year, every slot (school and level) of the cube in order.
 */
export interface SchoolTable extends Iterable<SchoolRow> {
  readonly variant: string
  /** How many rows iterating gives: years × slots. */
  readonly length: number
  /** The first school year, and how many years (each with `slots` rows). */
  readonly firstYear: number
  readonly years: number
  readonly slots: number
  /** The rows of school year `year` (none outside the run), in the table's order, made anew on each call. */
  readonly inYear: (year: number) => Array<SchoolRow>
  /** Row `index` (year `index / slots`, slot `index % slots`), made anew. */
  readonly at: (index: number) => SchoolRow
  /** The same table with the group shares `shares` (by row index) written in: `Groups.share`'s step. */
  readonly withShares: (shares: ReadonlyMap<number, Share>) => SchoolTable
  /** The table from the school year `year` on (its shares kept). */
  readonly from: (year: number) => SchoolTable
  /** The rows `keep` keeps, in order. */
  readonly filter: (keep: (row: SchoolRow, index: number) => boolean) => Array<SchoolRow>
  readonly find: (test: (row: SchoolRow) => boolean) => SchoolRow | undefined
  readonly some: (test: (row: SchoolRow) => boolean) => boolean
  readonly map: <A>(f: (row: SchoolRow, index: number) => A) => Array<A>
  readonly forEach: (f: (row: SchoolRow, index: number) => void) => void
}

/** The schools table of variant `variant`'s run `cube` (see `SchoolTable`). */
export const schoolTable = (m: Model, cube: Results.Cube, variant: string): SchoolTable => {
  const slots = cube.slotSchool.length
  // the first year each slot had its level (open or with pupils): a year without it after that is "closed",
  // before it "not yet open" (`slotRow`)
  let first: Int32Array | undefined
  const firstTaught = () => {
    if (first !== undefined) return first
    first = new Int32Array(slots).fill(cube.years)
    for (let i = 0; i < slots; i++) {
      for (let y = 0; y < cube.years; y++) {
        if (Results.value(cube, y, i, "open") === 1 || !(Results.value(cube, y, i, "pupils") <= 0)) {
          first[i] = y
          break
        }
      }
    }
    return first
  }
  let status: ReadonlyArray<ReadonlyArray<string>> | undefined
  const statusesOf = () => {
    status ??= statuses(m, cube.years)
    return status
  }
  // `shares` by the row's index in the whole run (year from the run's first); the table from year `y0` of the run
  const make = (shares: ReadonlyMap<number, Share>, y0: number): SchoolTable => {
    const x = new Float64Array(C)
    const years = Math.max(0, cube.years - y0)
    const row = (y: number, i: number) => {
      const r = slotRow(m, cube, variant, y, i, statusesOf()[y][cube.slotSchool[i]], firstTaught()[i] < y, x)
      const share = shares.size === 0 ? undefined : shares.get(y * slots + i)
      if (share === undefined) return r
      const w = r as { -readonly [K in keyof SchoolRow]: SchoolRow[K] }
      w.teachers_shared = share.shared
      w.teachers_available = r.teachers_assigned + share.shared
      w.group_id = share.group_id
      return r
    }
    const each = (f: (row: SchoolRow, index: number) => unknown): void => {
      for (let y = y0; y < cube.years; y++) for (let i = 0; i < slots; i++) if (f(row(y, i), (y - y0) * slots + i) === true) return
    }
    return {
      variant,
      length: years * slots,
      firstYear: m.baseYear + y0,
      years,
      slots,
      inYear: (year) => {
        const y = year - m.baseYear
        if (!(y >= y0 && y < cube.years)) return []
        const rows: Array<SchoolRow> = []
        for (let i = 0; i < slots; i++) rows.push(row(y, i))
        return rows
      },
      at: (index) => row(y0 + Math.floor(index / slots), index % slots),
      withShares: (more) => {
        const all = new Map(shares)
        for (const [index, share] of more) all.set(index + y0 * slots, share)
        return make(all, y0)
      },
      from: (year) => make(shares, Math.min(cube.years, Math.max(y0, year - m.baseYear))),
      ...walks(each),
      *[Symbol.iterator]() {
        for (let y = y0; y < cube.years; y++) for (let i = 0; i < slots; i++) yield row(y, i)
      }
    }
  }
  return make(new Map(), 0)
}

/** A table's array-like reading, from its walk over the rows in order (`each`; a `true` from `f` stops it). */
const walks = (
  each: (f: (row: SchoolRow, index: number) => unknown) => void
): Pick<SchoolTable, "filter" | "find" | "some" | "map" | "forEach"> => ({
  filter: (keep) => {
    const out: Array<SchoolRow> = []
    each((r, index) => {
      if (keep(r, index)) out.push(r)
    })
    return out
  },
  find: (test) => {
    let found: SchoolRow | undefined
    each((r) => {
      if (test(r)) found = r
      return found !== undefined
    })
    return found
  },
  some: (test) => {
    let found = false
    each((r) => (found = test(r)))
    return found
  },
  map: (f) => {
    const out: Array<ReturnType<typeof f>> = []
    each((r, index) => {
      out.push(f(r, index))
    })
    return out
  },
  forEach: (f) => each((r, index) => void f(r, index))
})

/**
 * A `SchoolTable` over rows already made, in the table's order (year by year, the same slots each year):
 * what a page showing one year (`seatplan serve`) hands to the accounts and the comparison.
 */
export const tableOfRows = (variant: string, rows: ReadonlyArray<SchoolRow>): SchoolTable => {
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b)
  const firstYear = years[0] ?? 0
  const count = years.length === 0 ? 0 : years[years.length - 1] - firstYear + 1
  const slots = count === 0 ? 0 : rows.length / count
  const each = (f: (row: SchoolRow, index: number) => unknown): void => {
    for (let i = 0; i < rows.length; i++) if (f(rows[i], i) === true) return
  }
  return {
    variant,
    length: rows.length,
    firstYear,
    years: count,
    slots,
    inYear: (year) => rows.filter((r) => r.year === year),
    at: (index) => rows[index],
    withShares: (shares) =>
      tableOfRows(
        variant,
        rows.map((r, i) => {
          const share = shares.get(i)
          return share === undefined
            ? r
            : { ...r, teachers_shared: share.shared, teachers_available: r.teachers_assigned + share.shared, group_id: share.group_id }
        })
      ),
    from: (year) =>
      tableOfRows(
        variant,
        rows.filter((r) => r.year >= year)
      ),
    ...walks(each),
    [Symbol.iterator]: () => rows[Symbol.iterator]()
  }
}

/** The statuses of a school that is open: a level it does not teach that year is closed, or not yet open. */
const active = new Set(["open", "opened", "expanded", "closing"])

/**
 * Slot `i`'s row of year `y` (`status`: the school's that year; `taughtBefore`: whether an earlier year had
 * the level, open or with pupils).
 */
const slotRow = (
  m: Model,
  cube: Results.Cube,
  variant: string,
  y: number,
  i: number,
  status: string,
  taughtBefore: boolean,
  x: Float64Array
): SchoolRow => {
  const k = cube.slotSchool[i]
  let state = status
  // a level the school no longer (or not yet) teaches while the school is open, e.g. a primary school
  // reopened as a kindergarten: that level's row is closed (or not yet open)
  if (!derive(m, cube, y, i, x)) {
    x.fill(0)
    x[col.lon] = m.schoolLon[k]
    x[col.lat] = m.schoolLat[k]
    if (active.has(state)) state = taughtBefore ? "closed" : "not yet open"
  }
  return rowOf(variant, m.baseYear + y, m.schoolIds[k], m.schoolNames[k], levelNames[cube.slotLevel[i]], state, x)
}

/**
 * A school row from its keys and its figures `x` (`schoolColumns` order; booleans as 1 or 0), its keys in the
 * registry's order (`Columns.of("schools")`). Made by a function written once from the registry, one object
 * literal: a province's school rows are made a few times each as they are read (`SchoolTable`), and a row
 * copied from a template and given its 60 figures by name took 1.2 µs, most of the checks' and the writers'
 * time. The function's text holds only the registry's column names (constants of this package, quoted by
 * `JSON.stringify`), never data.
 */
const keys = ["variant", "year", "school_id", "school_name", "level", "status"]
const rowOf: (
  variant: string,
  year: number,
  schoolId: Ids.SchoolId,
  schoolName: string,
  level: string,
  status: string,
  x: Float64Array
) => SchoolRow = new Function(
  ...keys,
  "x",
  `return { ${Columns.of("schools")
    .map((c) => {
      const at = names.indexOf(c.id)
      // a key given (variant, year, school_id, school_name, level, status), a figure of `x`, or another
      // text (the group, "" until a group's sharing writes it)
      const value = at >= 0 ? (boolean[at] === 1 ? `x[${at}] === 1` : `x[${at}]`) : keys.includes(c.id) ? c.id : '""'

      return `${JSON.stringify(c.id)}: ${value}`
    })
    .join(", ")} }`
) as never

/**
 * The rows `schools` gives for one year, built alone (the same rows, in the same order): what a page
 * showing one year of a run needs, without the rows of every other year.
 */
export const schoolsIn = (m: Model, cube: Results.Cube, variant: string, year: number): ReadonlyArray<SchoolRow> =>
  schoolTable(m, cube, variant).inYear(year)

/** The numeric columns of a county row in the registry's order (`Columns.numeric("county")`): what `countyFigures` writes. */
export const countyColumns: ReadonlyArray<string> = Columns.numeric("county")
const CC = countyColumns.length
const cc = Object.fromEntries(countyColumns.map((c, i) => [c, i])) as Record<string, number>

/** A school row's numeric columns in the order `deriveSchool` writes them (booleans as 1 or 0). */
export const schoolColumns: ReadonlyArray<string> = names

/**
 * A slot's figures for year `y` into `out` (`schoolColumns` order, before any group's sharing: teachers_available
 * is teachers_assigned); false for a slot closed and without pupils (no row). The `schools` table's one formula.
 */
export const deriveSchool: (m: Model, cube: Results.Cube, y: number, i: number, out: Float64Array) => boolean = derive

/** Scratch space for `countyFigures`, allocated once per cube shape. */
export interface CountyScratch {
  readonly x: Float64Array
  readonly sums: Float64Array
  readonly extra: Float64Array
  readonly values: ReadonlyArray<Float64Array>
  readonly weights: Float64Array
  /** levels × the seven difference coefficients of the last year computed. */
  readonly dcs: Float64Array
  /** levels × `countyColumns`: the last year computed. */
  readonly out: Float64Array
  /** levels × (large_class_share_ok, difference_coefficients_ok) as 1 or 0: the row's two booleans. */
  readonly ok: Uint8Array
}

export const countyScratch = (cube: Pick<Results.Cube, "slotSchool">): CountyScratch => {
  const slots = cube.slotSchool.length
  return {
    x: new Float64Array(C),
    sums: new Float64Array(levels * C),
    extra: new Float64Array(levels * 4),
    values: indicators.map(() => new Float64Array(slots)),
    weights: new Float64Array(slots),
    dcs: new Float64Array(levels * indicators.length),
    out: new Float64Array(levels * CC),
    ok: new Uint8Array(levels * 2)
  }
}

/**
 * The county's figures for year `y`, per level, into `s.out` (levels × `countyColumns`; its two booleans into `s.ok`)
 * and `s.dcs` (levels × indicators): the `county` table's one formula, on typed arrays (a sweep checks the
 * county's standards from it in every future without building rows).
 */
export const countyFigures = (
  m: Model,
  cube: Results.Cube,
  y: number,
  withDc: boolean,
  s: CountyScratch,
  derived?: { readonly x: Float64Array; readonly has: Uint8Array }
): void => {
  const slots = cube.slotSchool.length
  const { sums, extra, values, weights, dcs, out } = s
  const F = Results.flowMetrics.length
  // a slot's row: year y's, derived into s.x, or (`derived`: slots × `schoolColumns` already derived this year) read in place
  const pre = derived?.x
  const has = derived?.has
  sums.fill(0)
  extra.fill(0)
  for (let i = 0; i < slots; i++) {
    if (pre === undefined || has === undefined ? !derive(m, cube, y, i, s.x) : has[i] === 0) continue
    const x = pre ?? s.x
    const at = pre === undefined ? 0 : i * C
    const l = cube.slotLevel[i]
    for (let c = 0; c < C; c++) sums[l * C + c] += x[at + c]
    extra[l * 4] = Math.max(extra[l * 4], x[at + col.max_distance_km])
    extra[l * 4 + 1] += x[at + col.mean_distance_km] * x[at + col.pupils]
    if (x[at + col.pupils] > 0) extra[l * 4 + 2] += 1
  }
  const eligible = cube.flows[y * F + Results.flowMetrics.indexOf("teachers_eligible")]
  const rotated = cube.flows[y * F + Results.flowMetrics.indexOf("teachers_rotated")]
  const backboneRotated = cube.flows[y * F + Results.flowMetrics.indexOf("backbone_rotated")]
  for (let l = 0; l < levels; l++) {
    const sum = sums.subarray(l * C, (l + 1) * C)
    const compulsory = l === 1 || l === 2
    let n = 0
    if (withDc) {
      for (let i = 0; i < slots; i++) {
        if (cube.slotLevel[i] !== l) continue
        if (pre === undefined || has === undefined ? !derive(m, cube, y, i, s.x) : has[i] === 0) continue
        const x = pre ?? s.x
        const at = pre === undefined ? 0 : i * C
        if (x[at + col.pupils] <= 0) continue
        weights[n] = x[at + col.pupils]
        for (let j = 0; j < indicators.length; j++) values[j][n] = x[at + col[indicators[j]]]
        n++
      }
    }
    const pupils = sum[col.pupils]
    const classes = sum[col.classes]
    const large = sum[col.large_classes]
    const superLarge = sum[col.super_large_classes]
    let maxDc = -Infinity
    let dcsOk = true
    const dcLimit = Results.countyValue(cube, y, l, "dc_limit")
    for (let j = 0; j < indicators.length; j++) {
      const dc = withDc ? differenceCoefficient(values[j].subarray(0, n), weights.subarray(0, n)) : 0
      dcs[l * indicators.length + j] = dc
      maxDc = Math.max(maxDc, dc)
      if (!(dc <= dcLimit)) dcsOk = false
    }
    const share = classes > 0 ? (large + superLarge) / classes : 0
    const o = out.subarray(l * CC, (l + 1) * CC)
    o[cc.children] = Results.countyValue(cube, y, l, "children")
    o[cc.pupils] = pupils
    o[cc.out_of_school] = Results.countyValue(cube, y, l, "out_of_school")
    o[cc.unplaced] = Results.countyValue(cube, y, l, "unplaced")
    o[cc.unzoned] = Results.countyValue(cube, y, l, "unzoned")
    o[cc.schools] = sum[col.open]
    o[cc.seats] = sum[col.seats]
    o[cc.pupils_over_seats] = sum[col.pupils_over_seats]
    o[cc.idle_seats] = sum[col.idle_seats]
    o[cc.classes] = classes
    o[cc.classes_within_cap] = sum[col.classes_within_cap]
    o[cc.classes_over_cap] = sum[col.classes_over_cap]
    o[cc.large_classes] = large
    o[cc.super_large_classes] = superLarge
    o[cc.large_class_share] = share
    o[cc.teachers_needed] = sum[col.teachers_needed]
    o[cc.teachers_assigned] = sum[col.teachers_assigned]
    o[cc.teacher_gap] = sum[col.teachers_needed] - sum[col.teachers_assigned]
    o[cc.boarders] = sum[col.boarders]
    o[cc.beds] = sum[col.beds]
    o[cc.boarding_bed_gap] = sum[col.boarding_bed_gap]
    o[cc.mean_distance_km] = pupils > 0 ? extra[l * 4 + 1] / pupils : 0
    o[cc.max_distance_km] = extra[l * 4]
    o[cc.beyond_distance] = sum[col.beyond_distance]
    o[cc.schools_over_size_cap] = sum[col.over_size_cap]
    o[cc.max_difference_coefficient] = maxDc
    o[cc.rotation_share] = compulsory && eligible > 0 ? rotated / eligible : 0
    o[cc.backbone_rotation_share] = compulsory && rotated > 0 ? backboneRotated / rotated : 0
    o[cc.capital_cost] = sum[col.capital_cost]
    o[cc.recurrent_cost] = sum[col.recurrent_cost]
    o[cc.difference_coefficient_limit] = dcLimit
    s.ok[l * 2] = share < Results.countyValue(cube, y, l, "large_class_share_max") ? 1 : 0
    s.ok[l * 2 + 1] = dcLimit > 0 && withDc ? (dcsOk ? 1 : 0) : 1
    o[cc.quality_schools] = compulsory ? extra[l * 4 + 2] : 0
    o[cc.quality_schools_passing] = compulsory ? sum[col.quality_pass] : 0
  }
}

/**
 * One row per level per year for the county, aggregated straight from the cube (`countyFigures`). Difference
 * coefficients are over the schools of the level with pupils; `differenceCoefficients: false` skips them
 * (Monte Carlo replicates). `from` (a year index) gives the rows of that year on only (a year's rows read
 * the cube's year alone: a run resumed from a year changes those rows only).
 */
export const county = (
  m: Model,
  cube: Results.Cube,
  variant: string,
  options: { readonly differenceCoefficients?: boolean; readonly from?: number } = {}
): ReadonlyArray<CountyRow> => {
  const rows: Array<CountyRow> = []
  const s = countyScratch(cube)
  const withDc = options.differenceCoefficients !== false
  const I = indicators.length
  for (let y = Math.max(0, options.from ?? 0); y < cube.years; y++) {
    countyFigures(m, cube, y, withDc, s)
    for (let l = 0; l < levels; l++) {
      const o = s.out.subarray(l * CC, (l + 1) * CC)
      rows.push({
        variant,
        year: m.baseYear + y,
        level: levelNames[l],
        children: o[cc.children],
        pupils: o[cc.pupils],
        out_of_school: o[cc.out_of_school],
        unplaced: o[cc.unplaced],
        unzoned: o[cc.unzoned],
        schools: o[cc.schools],
        seats: o[cc.seats],
        pupils_over_seats: o[cc.pupils_over_seats],
        idle_seats: o[cc.idle_seats],
        classes: o[cc.classes],
        classes_within_cap: o[cc.classes_within_cap],
        classes_over_cap: o[cc.classes_over_cap],
        large_classes: o[cc.large_classes],
        super_large_classes: o[cc.super_large_classes],
        large_class_share: o[cc.large_class_share],
        teachers_needed: o[cc.teachers_needed],
        teachers_assigned: o[cc.teachers_assigned],
        teacher_gap: o[cc.teacher_gap],
        boarders: o[cc.boarders],
        beds: o[cc.beds],
        boarding_bed_gap: o[cc.boarding_bed_gap],
        mean_distance_km: o[cc.mean_distance_km],
        max_distance_km: o[cc.max_distance_km],
        beyond_distance: o[cc.beyond_distance],
        schools_over_size_cap: o[cc.schools_over_size_cap],
        difference_coefficients: Object.fromEntries(indicators.map((name, j) => [name, s.dcs[l * I + j]])) as Record<Indicator, number>,
        max_difference_coefficient: o[cc.max_difference_coefficient],
        rotation_share: o[cc.rotation_share],
        backbone_rotation_share: o[cc.backbone_rotation_share],
        capital_cost: o[cc.capital_cost],
        recurrent_cost: o[cc.recurrent_cost],
        large_class_share_ok: s.ok[l * 2] === 1,
        difference_coefficient_limit: o[cc.difference_coefficient_limit],
        difference_coefficients_ok: s.ok[l * 2 + 1] === 1,
        quality_schools: o[cc.quality_schools],
        quality_schools_passing: o[cc.quality_schools_passing]
      })
    }
  }
  return rows
}

/** One row per catchment (school × level with settlements zoned to it) per year. */
export const catchments = (m: Model, cube: Results.Cube, variant: string): ReadonlyArray<CatchmentRow> => {
  const rows: Array<CatchmentRow> = []
  const slots = cube.slotSchool.length
  for (let y = 0; y < cube.years; y++) {
    for (let i = 0; i < slots; i++) {
      const data = Results.figures(cube, y, i, slotFigures)
      const settlements = data[Results.at.zone_settlements]
      if (settlements <= 0) continue
      const resident = data[Results.at.zone_pupils]
      const seats = data[Results.at.seats]
      rows.push({
        variant,
        year: m.baseYear + y,
        level: levelNames[cube.slotLevel[i]],
        school_id: m.schoolIds[cube.slotSchool[i]],
        settlements,
        resident_pupils: resident,
        enrolled: data[Results.at.pupils],
        seats,
        catchment_seats_short: Math.max(0, resident - seats),
        catchment_idle_seats: Math.max(0, seats - resident)
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
export const differenceCoefficient = (values: ArrayLike<number>, weights: ArrayLike<number>): number => {
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

/**
 * The population table: children by settlement and single year of age, every year (when the run kept them),
 * read from the run's cube as it is iterated rather than built as rows (issue 18): a province of 100,000
 * settlements has 30 million of them, more than a JavaScript heap holds as objects. Rows come year by
 * year, each settlement's ages together (the rows that add up to one total are consecutive).
 */
export interface PopulationTable extends Iterable<PopulationRow> {
  /** How many rows iterating gives. */
  readonly length: number
  /** Rows per settlement and year (its ages), which come consecutively. */
  readonly perGroup: number
  /** The table from the school year `year` on. */
  readonly from: (year: number) => PopulationTable
  /**
   * The same rows a settlement and year at a time, in the same order: its children by age (`perGroup`
   * ages, read in place: valid until the next is taken), for writers that need no row objects.
   */
  readonly groups: () => Generator<PopulationGroup>
  /**
   * The same figures in place, for writers that loop over a province's 2 M settlement-years without an
   * object or a view each: the children of the `y`-th year's (from 0) settlement `s` at age `a` are
   * `children[(y * settlementIds.length + s) * perGroup + a]`, in school year `firstYear + y` (`years` of them).
   */
  readonly block: () => PopulationBlock
}

/** `PopulationTable.block`: the population table's figures as one array, years then settlements then ages. */
export interface PopulationBlock {
  readonly variant: string
  readonly firstYear: number
  readonly years: number
  /** Ages a settlement and year. */
  readonly perGroup: number
  readonly settlementIds: ReadonlyArray<Ids.SettlementId>
  readonly children: Float64Array
}

/** A settlement's children by single year of age in one year: `PopulationTable.groups`. */
export interface PopulationGroup {
  readonly variant: string
  readonly year: number
  readonly settlement_id: Ids.SettlementId
  /** Children by age 0, 1, …: the `children` of the rows of ages 0, 1, …. */
  readonly children: Float64Array
}

/** Children by settlement and single year of age, every year (when the run kept them): see `PopulationTable`. */
export const population = (m: Model, cube: Results.Cube, variant: string, firstYear = m.baseYear): PopulationTable => {
  const pop = cube.population
  const all = {
    variant,
    firstYear: m.baseYear,
    years: pop === undefined ? 0 : cube.years,
    perGroup: ages,
    settlementIds: m.settlementIds,
    children: pop ?? new Float64Array(0)
  }
  return populationOf(all).from(firstYear)
}

/** The population table over `block`'s figures (`population` gives a run's). */
export const populationOf = (block: PopulationBlock): PopulationTable => {
  const { variant, firstYear, years, perGroup, settlementIds, children } = block
  const settlements = settlementIds.length
  const table: PopulationTable = {
    length: years * settlements * perGroup,
    perGroup,
    from: (year) => {
      const skip = Math.max(0, Math.min(years, year - firstYear))
      if (skip === 0) return table
      const at = skip * settlements * perGroup
      return populationOf({ ...block, firstYear: firstYear + skip, years: years - skip, children: children.subarray(at) })
    },
    block: () => block,
    *groups() {
      for (let y = 0; y < years; y++) {
        for (let s = 0; s < settlements; s++) {
          const at = (y * settlements + s) * perGroup
          yield { variant, year: firstYear + y, settlement_id: settlementIds[s], children: children.subarray(at, at + perGroup) }
        }
      }
    },
    *[Symbol.iterator]() {
      for (let y = 0; y < years; y++) {
        for (let s = 0; s < settlements; s++) {
          for (let a = 0; a < perGroup; a++) {
            yield {
              variant,
              year: firstYear + y,
              settlement_id: settlementIds[s],
              age: a,
              children: children[(y * settlements + s) * perGroup + a]
            }
          }
        }
      }
    }
  }
  return table
}
