/**
 * Lanshui County (澜水县), a SYNTHETIC county invented for examples and tests: every place, school and
 * number is made up; births follow the shape of the national series (NBS communiqués, `nationalBirths` in
 * packages/sim/src/Assumptions.ts) scaled to a small county. The commands of its history and of one plan variant; the
 * example generators turn them into the event log (`tiny-county.ts`) and the scenario file.
 */
import { type Command, Ids, type School } from "../src/index.js"

/** National live births, millions (NBS); 2006-2009 are not in the shared series and repeat 2010. */
const nationalBirths: Record<number, number> = {
  2010: 15.92,
  2011: 16.04,
  2012: 16.35,
  2013: 16.4,
  2014: 16.87,
  2015: 16.55,
  2016: 17.86,
  2017: 17.23,
  2018: 15.23,
  2019: 14.65,
  2020: 12.02,
  2021: 10.62,
  2022: 9.56,
  2023: 9.02,
  2024: 9.54
}
const births = (year: number) => nationalBirths[Math.max(2010, year)] / nationalBirths[2016]

export const baseYear = 2024
/** The first year of recorded history: places and schools are recorded as existing from then on. */
const firstYear = 2015
const S = Ids.settlementId
const K = Ids.schoolId
const y = Ids.schoolYear

interface Place {
  readonly id: string
  readonly name: string
  readonly tier: "county-seat" | "township" | "village"
  readonly lon: number
  readonly lat: number
  readonly parent?: string
  /** Births in 2016, the peak year. */
  readonly births2016: number
  /** Yearly drift of a cohort by migration: villages lose children to towns. */
  readonly drift: number
}

const places: ReadonlyArray<Place> = [
  { id: "LS-SEAT", name: "Lanshui county seat 澜水城关", tier: "county-seat", lon: 113.5, lat: 34.2, births2016: 450, drift: 0.02 },
  { id: "LS-DONG", name: "Dongzhuang township 东庄镇", tier: "township", lon: 113.62, lat: 34.26, births2016: 160, drift: 0.005 },
  { id: "LS-XI", name: "Xihe township 西河乡", tier: "township", lon: 113.38, lat: 34.12, births2016: 140, drift: 0 },
  {
    id: "LS-DONG-LIU",
    name: "Liujia village 刘家村",
    tier: "village",
    lon: 113.67,
    lat: 34.3,
    parent: "LS-DONG",
    births2016: 30,
    drift: -0.03
  },
  {
    id: "LS-DONG-ZHANG",
    name: "Zhangzhuang village 张庄村",
    tier: "village",
    lon: 113.6,
    lat: 34.32,
    parent: "LS-DONG",
    births2016: 12,
    drift: -0.04
  },
  {
    id: "LS-XI-WANG",
    name: "Wangcun village 王村",
    tier: "village",
    lon: 113.33,
    lat: 34.08,
    parent: "LS-XI",
    births2016: 25,
    drift: -0.03
  },
  {
    id: "LS-XI-SHANG",
    name: "Shangpo village 上坡村",
    tier: "village",
    lon: 113.3,
    lat: 34.16,
    parent: "LS-XI",
    births2016: 18,
    drift: -0.035
  }
]

/** Children aged `age` living in a place in `year`. */
const children = (p: Place, year: number, age: number) => Math.round(p.births2016 * births(year - age) * Math.max(0.3, 1 + p.drift * age))

interface SchoolSpec {
  readonly id: string
  readonly name: string
  readonly type: School.SchoolType
  readonly place: string
  /** Seats as a share of the base year's pupils: under 1 where the school is overcrowded (城挤), over 1 where it empties (村空). */
  readonly room: number
  readonly beds: number
  /** Catchments: level → places. */
  readonly serves: Partial<Record<School.Level, ReadonlyArray<string>>>
}

const schools: ReadonlyArray<SchoolSpec> = [
  {
    id: "SEAT-KG",
    name: "County kindergarten 县直幼儿园",
    type: "kindergarten",
    place: "LS-SEAT",
    room: 1.0,
    beds: 0,
    serves: { kindergarten: ["LS-SEAT"] }
  },
  {
    id: "DONG-KG",
    name: "Dongzhuang central kindergarten 东庄镇中心幼儿园",
    type: "kindergarten",
    place: "LS-DONG",
    room: 1.3,
    beds: 0,
    serves: { kindergarten: ["LS-DONG", "LS-DONG-LIU", "LS-DONG-ZHANG", "LS-XI", "LS-XI-WANG", "LS-XI-SHANG"] }
  },
  {
    id: "SEAT-PRI-1",
    name: "County seat No. 1 primary 城关一小",
    type: "primary",
    place: "LS-SEAT",
    room: 0.9,
    beds: 0,
    serves: { primary: ["LS-SEAT"] }
  },
  {
    id: "DONG-PRI",
    name: "Dongzhuang central primary 东庄镇中心小学",
    type: "primary",
    place: "LS-DONG",
    room: 1.1,
    beds: 60,
    serves: { primary: ["LS-DONG"] }
  },
  {
    id: "LIU-PRI",
    name: "Liujia village primary 刘家小学",
    type: "primary",
    place: "LS-DONG-LIU",
    room: 1.6,
    beds: 0,
    serves: { primary: ["LS-DONG-LIU"] }
  },
  {
    id: "ZHANG-TP",
    name: "Zhangzhuang teaching point 张庄教学点",
    type: "teaching-point",
    place: "LS-DONG-ZHANG",
    room: 1.8,
    beds: 0,
    serves: { primary: ["LS-DONG-ZHANG"] }
  },
  {
    id: "WANG-PRI",
    name: "Wangcun village primary 王村小学",
    type: "primary",
    place: "LS-XI-WANG",
    room: 1.7,
    beds: 0,
    serves: { primary: ["LS-XI-WANG"] }
  },
  {
    id: "XI-NINE",
    name: "Xihe nine-year school 西河九年一贯制学校",
    type: "nine-year",
    place: "LS-XI",
    room: 1.2,
    beds: 200,
    serves: { primary: ["LS-XI", "LS-XI-SHANG"], junior: ["LS-XI", "LS-XI-WANG", "LS-XI-SHANG"] }
  },
  {
    id: "SEAT-JUN",
    name: "County seat junior middle 城关初中",
    type: "junior",
    place: "LS-SEAT",
    room: 0.95,
    beds: 300,
    serves: { junior: ["LS-SEAT"] }
  },
  {
    id: "DONG-JUN",
    name: "Dongzhuang junior middle 东庄初中",
    type: "junior",
    place: "LS-DONG",
    room: 1.15,
    beds: 250,
    serves: { junior: ["LS-DONG", "LS-DONG-LIU", "LS-DONG-ZHANG"] }
  },
  {
    id: "SEAT-SEN",
    name: "Lanshui senior high 澜水县高级中学",
    type: "senior",
    place: "LS-SEAT",
    room: 1.05,
    beds: 1800,
    serves: { senior: places.map((p) => p.id) }
  }
]

const participation: Record<School.Level, number> = { kindergarten: 0.9, primary: 1, junior: 0.98, senior: 0.62 }
const gradesOf: Record<School.Level, ReadonlyArray<number>> = {
  kindergarten: [-2, -1, 0],
  primary: [1, 2, 3, 4, 5, 6],
  junior: [7, 8, 9],
  senior: [10, 11, 12]
}

/** Pupils of a school in a grade and year: its catchment's children of that age, times participation. */
const pupils = (s: SchoolSpec, level: School.Level, grade: number, year: number) =>
  Math.round(
    (s.serves[level] ?? []).reduce((n, id) => n + children(places.find((p) => p.id === id)!, year, grade + 5), 0) * participation[level]
  )

const ratio: Record<School.Level, number> = { kindergarten: 15, primary: 19, junior: 13.5, senior: 12.5 }

const classCap: Record<School.Level, number> = { kindergarten: 30, primary: 45, junior: 50, senior: 50 }

/** Base-year pupils of a school, all its levels. */
const pupilsOf = (s: SchoolSpec) =>
  (Object.keys(s.serves) as ReadonlyArray<School.Level>).reduce(
    (n, l) => n + gradesOf[l].reduce((m, g) => m + pupils(s, l, g, baseYear), 0),
    0
  )

const facilities = (s: SchoolSpec, size = { seats: 0, classrooms: 0 }): School.Facilities => {
  const levels = Object.keys(s.serves) as ReadonlyArray<School.Level>
  const cap = levels.length === 0 ? 45 : Math.min(...levels.map((l) => classCap[l]))
  const seats = size.seats > 0 ? size.seats : Math.round((pupilsOf(s) * s.room) / 10) * 10
  const classrooms =
    size.classrooms > 0
      ? size.classrooms
      : Math.max(
          levels.reduce((n, l) => n + gradesOf[l].length, 0),
          Math.ceil(seats / cap)
        )
  return {
    classrooms,
    seats,
    boardingBeds: s.beds,
    floorArea: seats * 4.2,
    sportsArea: seats * (s.place === "LS-SEAT" ? 5.5 : 9),
    equipmentValue: seats * (s.place === "LS-SEAT" ? 2300 : 1500),
    multimediaRooms: Math.round(classrooms * 0.9),
    musicRooms: Math.max(1, Math.floor(classrooms / 12)),
    artRooms: Math.max(1, Math.floor(classrooms / 14)),
    books: seats * 45
  }
}

const teachers = (s: SchoolSpec): School.TeacherPool => {
  const levels = Object.keys(s.serves) as ReadonlyArray<School.Level>
  const need = levels.reduce((n, l) => n + gradesOf[l].reduce((m, g) => m + pupils(s, l, g, baseYear), 0) / ratio[l], 0)
  const total = Math.max(3, Math.round(need * (s.place === "LS-SEAT" ? 0.92 : 1.08)))
  const band = (share: number) => Math.round(total * share)
  const byAge = { "under-30": band(0.14), "30-39": band(0.28), "40-49": band(0.3), "50-54": band(0.16), "55+": 0 }
  byAge["55+"] = Math.max(0, total - byAge["under-30"] - byAge["30-39"] - byAge["40-49"] - byAge["50-54"])
  return { byAge, aboveDegree: band(0.55), backbone: band(0.07), peArts: band(0.08), mentalHealth: total >= 60 ? 1 : 0 }
}

const school = (s: SchoolSpec, size?: { readonly seats: number; readonly classrooms: number }): School.School => {
  const p = places.find((x) => x.id === s.place)!
  return {
    id: K(s.id),
    name: s.name,
    type: s.type,
    settlementId: S(s.place),
    lon: p.lon + 0.004,
    lat: p.lat - 0.003,
    ownership: "public",
    facilities: facilities(s, size),
    teachers: teachers(s)
  }
}

let n = 0
/** Restarts command numbering (so every generator run gives the same ids). */
export const reset = () => {
  n = 0
}
const meta = (year: number) => ({ id: `lanshui/${String(++n).padStart(4, "0")}`, at: `${year + 1}-01-15T08:00:00.000Z` })

export const baselineCommands = (): ReadonlyArray<Command.Command> => {
  const out: Array<Command.Command> = []
  for (const p of places) {
    out.push({
      _tag: "RecordSettlement",
      ...meta(firstYear),
      year: y(firstYear),
      settlement: { id: S(p.id), name: p.name, tier: p.tier, lon: p.lon, lat: p.lat, ...(p.parent ? { parent: S(p.parent) } : {}) }
    })
  }
  for (const p of places) {
    for (let year = firstYear; year <= baseYear; year++) {
      out.push({
        _tag: "RecordBirths",
        ...meta(year),
        year: y(year),
        settlementId: S(p.id),
        births: Math.round(p.births2016 * births(year))
      })
    }
    out.push({
      _tag: "RecordPopulation",
      ...meta(baseYear),
      year: y(baseYear),
      settlementId: S(p.id),
      byAge: Array.from({ length: 19 }, (_, age) => children(p, baseYear, age))
    })
  }
  for (const s of schools) out.push({ _tag: "OpenSchool", ...meta(firstYear), year: y(firstYear), school: school(s) })
  for (const s of schools) {
    for (const [level, ids] of Object.entries(s.serves) as ReadonlyArray<[School.Level, ReadonlyArray<string>]>) {
      for (const id of ids) {
        out.push({ _tag: "AssignCatchment", ...meta(firstYear), year: y(firstYear), level, settlementId: S(id), schoolId: K(s.id) })
      }
    }
  }
  for (let year = baseYear - 2; year <= baseYear; year++) {
    for (const s of schools) {
      for (const level of Object.keys(s.serves) as ReadonlyArray<School.Level>) {
        for (const grade of gradesOf[level]) {
          out.push({
            _tag: "RecordEnrolment",
            ...meta(year),
            year: y(year),
            schoolId: K(s.id),
            grade,
            pupils: pupils(s, level, grade, year)
          })
        }
      }
    }
  }
  for (const [from, to, count] of [
    ["LS-DONG-ZHANG", "LS-DONG", 6],
    ["LS-XI-SHANG", "LS-SEAT", 9],
    ["outside", "LS-SEAT", 25]
  ] as const) {
    out.push({
      _tag: "RecordMigration",
      ...meta(baseYear),
      year: y(baseYear),
      from: from === "outside" ? from : S(from),
      to: S(to),
      ages: { min: 6, max: 14 },
      count,
      migrant: from === "outside"
    })
  }
  return out
}

/** "Primary toward the township": build at Dongzhuang first, then close the teaching point (先建后撤). */
export const planCommands = (): ReadonlyArray<Command.Command> => [
  {
    _tag: "ExpandSchool",
    ...meta(2025),
    year: y(2025),
    schoolId: K("DONG-PRI"),
    classrooms: 6,
    seats: 270,
    boardingBeds: 120,
    floorArea: 1600,
    sportsArea: 2400,
    equipmentValue: 540000,
    multimediaRooms: 6,
    musicRooms: 1,
    artRooms: 0,
    books: 0,
    cost: 270 * 57000
  },
  { _tag: "CloseSchool", ...meta(2026), year: y(2026), schoolId: K("ZHANG-TP"), pupilsTo: K("DONG-PRI") },
  { _tag: "RepurposeSchool", ...meta(2026), year: y(2026), schoolId: K("ZHANG-TP"), use: "kindergarten" },
  {
    _tag: "RecordSettlement",
    ...meta(2025),
    year: y(2025),
    settlement: { id: S("LS-SEAT-EAST"), name: "Lanshui east new district 城东新区", tier: "county-seat", lon: 113.53, lat: 34.21 }
  },
  {
    _tag: "CompleteHousing",
    ...meta(2025),
    year: y(2025),
    settlementId: S("LS-SEAT-EAST"),
    estate: "Riverside Garden 滨河花园",
    dwellings: 1400,
    type: "commercial"
  },
  {
    _tag: "OpenSchool",
    ...meta(2027),
    year: y(2027),
    school: school(
      { id: "SEAT-PRI-2", name: "County seat No. 2 primary 城关二小", type: "primary", place: "LS-SEAT", room: 0, beds: 0, serves: {} },
      { seats: 1620, classrooms: 36 }
    )
  },
  { _tag: "AssignCatchment", ...meta(2027), year: y(2027), level: "primary", settlementId: S("LS-SEAT-EAST"), schoolId: K("SEAT-PRI-2") },
  {
    _tag: "HireTeachers",
    ...meta(2027),
    year: y(2027),
    schoolId: K("SEAT-PRI-2"),
    count: 30,
    ageBand: "under-30",
    aboveDegree: 24,
    backbone: 0,
    peArts: 4,
    mentalHealth: 1
  }
]
