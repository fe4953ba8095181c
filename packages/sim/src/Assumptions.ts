/**
 * The assumptions a projection needs beyond the recorded world: how children are born, die, move and
 * enrol, how far they may walk, what seats and pupils cost. Every default says where it comes from;
 * scenarios override any of them (issue 3/6 reads them from the scenario file).
 */
import * as Geography from "@seatplan/core/Geography"
import * as Numbers from "@seatplan/core/Numbers"
import * as School from "@seatplan/core/School"
import { Schema } from "effect"

// Every number is finite and in a documented range (`.nan`, `.inf` or 1e308 in a scenario is refused).
const Share = Numbers.Share
const People = Numbers.People
const Money = Numbers.Money
const PerLevel = School.perLevel
const Tier = Geography.Tier

/** A yearly flow of children of an age range from one settlement tier to another (or out of the county). */
export const MigrationRate = Schema.Struct({
  from: Tier,
  to: Schema.Union(Tier, Schema.Literal("outside")),
  ages: Schema.Struct({ min: Schema.Int.pipe(Schema.between(0, 18)), max: Schema.Int.pipe(Schema.between(0, 18)) }),
  /** Share of the children of those ages in each settlement of `from` who move each year. */
  rate: Share
})
export type MigrationRate = typeof MigrationRate.Type

/** Children arriving from outside the county each year into settlements of a tier (migrant children, 随迁子女). */
export const Inflow = Schema.Struct({
  to: Tier,
  ages: Schema.Struct({ min: Schema.Int.pipe(Schema.between(0, 18)), max: Schema.Int.pipe(Schema.between(0, 18)) }),
  /** Children per year, spread over the tier's settlements by their child population. */
  count: People
})
export type Inflow = typeof Inflow.Type

export const Assumptions = Schema.Struct({
  /**
   * Births: the base year's births in each settlement (recorded, or else the cohort aged 0) scaled by this
   * index by year; a year not listed repeats the last one listed. Default: national live births (NBS),
   * `nationalBirths` below, held at 2024's level after 2024.
   */
  birthIndex: Schema.Record({ key: Schema.String, value: Numbers.bounded(0, 1e9, "a birth index") }),
  /**
   * How births are projected: `index` (the base year's births × the birth index) or `fertility` (women of
   * childbearing age × the general fertility rate).
   */
  births: Schema.Literal("index", "fertility"),
  /** General fertility rate by year: live births per 1,000 women aged 15-49 (a year not listed repeats the last listed). */
  generalFertility: Schema.Record({ key: Schema.String, value: Numbers.bounded(0, 1000, "births per 1,000 women") }),
  /**
   * Women aged 15-49 per settlement in the base year, where known; elsewhere they are inferred so that the
   * base year's births are reproduced (births ÷ the base year's fertility rate).
   */
  women: Schema.Record({ key: Schema.String, value: People }),
  /** Yearly change of the women of childbearing age by tier (young women leave villages): -1 (all leave) to 10. */
  womenChange: Geography.perTier(Numbers.Rate),
  /** Probability of dying within the year, by single year of age 0-18 (a short array repeats its last value). */
  mortality: Schema.Array(Share),
  /** Movements between tiers by age (village → township seat → county seat, and out of the county). */
  migration: Schema.Array(MigrationRate),
  inflows: Schema.Array(Inflow),
  /** Pupils per 100 dwellings of a completed estate, by level (student-generation rates). */
  housingYield: PerLevel(Numbers.bounded(0, 1000, "pupils per 100 dwellings")),
  /** Share of an estate's pupils arriving in the completion year and each year after (sums to 1). */
  housingPhasing: Schema.Array(Share),
  /**
   * Participation by level: share of the level's age cohorts enrolled (kindergarten gross enrolment
   * ≥ 96 %, Xuchang's target reported by 河南省教育厅, 2021; compulsory near 100 %; senior high is the general-high share of an
   * upper-secondary cohort, the rest go to vocational school, 普职比).
   */
  participation: PerLevel(Share),
  /** Share of a grade's pupils still enrolled a grade later, within a level (巩固率: junior 3-year ≥ 95 %, Wenling 2020 §五(二)5; docs/standards.md). */
  retention: PerLevel(Share),
  /** Share of pupils repeating a grade each year. */
  repetition: PerLevel(Share),
  /**
   * The distance beyond which a pupil of the level boards (寄宿), km: what families do, in the model. The
   * kindergarten value is not used (kindergarten children never board). What is checked is the standard
   * `distance.{level}` (docs/standards.md; the same defaults): a day pupil farther than it counts in
   * `beyond_distance`, so a county that boards pupils from 4 km but allows 3 km sees the ones in between.
   */
  boardingKm: PerLevel(Numbers.Km),
  /** Teachers needed: from pupils per staff post (the standards), or per class. */
  staffing: Schema.Literal("ratio", "per-class"),
  teachersPerClass: PerLevel(Numbers.bounded(0, 100, "teachers per class")),
  /**
   * Teacher attrition (教师流失): the share of each school's teachers who leave each year for reasons other
   * than retirement (transfers out of the county, resignations), not replaced unless a plan hires. Default 0:
   * only retirements; a local assumption for a sweep's futures ("teachers leave villages faster").
   */
  teacherAttrition: Share,
  /** Capital cost per new seat (yuan) when an expansion gives none: Xuchang 2020, 3.36 bn for 59,100 seats (河南省教育厅, 2021, 许昌 §三). */
  capitalPerSeat: Money,
  /**
   * Capital cost per new classroom (yuan): a building or expansion costs the larger of its seats × the
   * per-seat cost and its classrooms × this, so classrooms added without seats (smaller classes) are
   * priced too. Default: a 45-seat class at the Xuchang per-seat figure.
   */
  capitalPerClassroom: Money,
  /**
   * Capital cost per boarding bed added (yuan), when an opening, expansion or boarding change gives no
   * cost. A local assumption, not a national figure: about 3 m² of dormitory per bed at about 3,000 yuan/m²,
   * with furnishing, 10,000 yuan; set the bureau's own figure in the scenario's assumptions.
   */
  capitalPerBed: Money,
  /** Recurrent cost per pupil per year (yuan), by level; schools under 100 pupils are funded as 100 (Wenling 2020 §五(一)3(1)). */
  recurrentPerPupil: PerLevel(Money),
  /**
   * School transport per day pupil per km of the one-way trip per school year (yuan). A local assumption,
   * not a national figure: two trips a day, 190 school days, about 0.5 yuan per pupil-km by school bus.
   */
  transportPerPupilKm: Money,
  /**
   * Living subsidy per boarder per year (yuan, 寄宿生生活补助), by level: 1,000 primary and 1,250 junior, the
   * national standard for boarders from families in difficulty (财政部 教育部, 城乡义务教育补助经费管理办法,
   * 财教〔2019〕121号); 0 where no national subsidy applies. Times `boardingSubsidyShare`.
   */
  boardingSubsidy: PerLevel(Money),
  /** The share of boarders receiving the subsidy. A local assumption (the bureau's own share); default 1, every boarder. */
  boardingSubsidyShare: Share,
  /** Travel speeds for trip times (km/h): walking and school bus. Local assumptions: 4 and 30. */
  walkingKmh: Numbers.bounded(0.5, 20, "km/h"),
  busKmh: Numbers.bounded(5, 120, "km/h")
})
export type Assumptions = typeof Assumptions.Type

/** National live births in millions: 国家统计局 (National Bureau of Statistics)《国民经济和社会发展统计公报》, each year's communiqué. */
export const nationalBirths: Readonly<Record<number, number>> = {
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

/** The defaults, each with its source in the schema's comments. */
export const defaults: Assumptions = {
  birthIndex: Object.fromEntries(Object.entries(nationalBirths).map(([y, b]) => [y, b])),
  births: "index",
  // Births (NBS) per 1,000 women aged 15-49 (about 350 M in 2016 falling to about 305 M in 2024; census-based estimates).
  generalFertility: { 2016: 51, 2018: 44, 2020: 36, 2022: 31, 2023: 29.5, 2024: 31 },
  women: {},
  womenChange: { "county-seat": 0.01, township: -0.01, village: -0.035 },
  // China 2020: infant mortality 5.4 ‰, under-5 7.5 ‰ (NHC statistical bulletin); older children ~0.2-0.3 ‰.
  mortality: [0.0054, 0.0006, 0.0004, 0.0003, 0.0003, 0.0002],
  migration: [
    { from: "village", to: "township", ages: { min: 0, max: 14 }, rate: 0.02 },
    { from: "village", to: "county-seat", ages: { min: 0, max: 17 }, rate: 0.025 },
    { from: "township", to: "county-seat", ages: { min: 0, max: 17 }, rate: 0.015 },
    { from: "county-seat", to: "outside", ages: { min: 0, max: 17 }, rate: 0.004 }
  ],
  inflows: [],
  housingYield: { kindergarten: 9, primary: 18, junior: 8, senior: 5 },
  housingPhasing: [0.4, 0.3, 0.2, 0.1],
  participation: { kindergarten: 0.92, primary: 1, junior: 0.99, senior: 0.6 },
  retention: { kindergarten: 1, primary: 0.998, junior: 0.985, senior: 0.99 },
  repetition: { kindergarten: 0, primary: 0, junior: 0, senior: 0 },
  boardingKm: { kindergarten: 2, primary: 3, junior: 5, senior: 8 },
  staffing: "ratio",
  teachersPerClass: { kindergarten: 2, primary: 2.1, junior: 3.3, senior: 3.8 },
  teacherAttrition: 0,
  capitalPerSeat: Math.round(3.36e9 / 59_100),
  capitalPerClassroom: 45 * Math.round(3.36e9 / 59_100),
  capitalPerBed: 10_000,
  recurrentPerPupil: { kindergarten: 9000, primary: 12000, junior: 17000, senior: 19000 },
  transportPerPupilKm: 190,
  boardingSubsidy: { kindergarten: 0, primary: 1000, junior: 1250, senior: 0 },
  boardingSubsidyShare: 1,
  walkingKmh: 4,
  busKmh: 30
}

/** A yearly series' value for a year: the latest listed year at or before it, else the first listed. */
export const seriesAt = (series: Readonly<Record<string, number>>, year: number, fallback = 1): number => {
  const years = Object.keys(series)
    .map(Number)
    .sort((x, y) => x - y)
  if (years.length === 0) return fallback
  let best = years[0]
  for (const y of years) if (y <= year) best = y
  return series[String(best)]
}

/** The birth index for a year. */
export const birthIndexAt = (a: Assumptions, year: number): number => seriesAt(a.birthIndex, year)
