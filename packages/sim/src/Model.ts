/**
 * The compiled model: dense integer indexes for settlements, schools, ages, grades and levels, and the
 * typed arrays the yearly kernels read and write. Built once per run by `Compile`; the kernels never
 * allocate. Layouts are row-major: `pop[s * ages + a]`, `enrolled[k * grades + g]`, `teaches[k * levels + l]`.
 */
import type { Event, Ids } from "@seatplan/core"
import type { Assumptions } from "./Assumptions.js"
import type { Candidates } from "./Distance.js"
import type { AllocationRule } from "./allocation/AllocationRule.js"

export interface Model {
  readonly baseYear: number
  /** Years projected after the base year; results cover baseYear..baseYear + horizon. */
  readonly horizon: number
  readonly assumptions: Assumptions
  readonly rule: AllocationRule
  /** How schools' grades are projected (`Compile.Options.method`). */
  readonly method: "cohort-component" | "grade-progression"

  // ------------------------------------------------------------ settlements
  readonly settlementIds: ReadonlyArray<Ids.SettlementId>
  readonly settlements: number
  /** 0 county seat, 1 township, 2 village. */
  readonly tier: Uint8Array
  readonly settlementLon: Float64Array
  readonly settlementLat: Float64Array
  /** Children by single year of age (the yearly kernels age, bear and move them in place). */
  readonly pop: Float64Array
  /** Births in the base year, by settlement (recorded, or the cohort aged 0). */
  readonly baseBirths: Float64Array
  /** Women aged 15-49 by settlement in the base year, and their yearly growth factor (fertility births). */
  readonly women: Float64Array
  readonly womenGrowth: Float64Array
  /** Births recorded for the year being stepped (NaN where none). */
  readonly recordedBirths: Float64Array
  /** Survival through the year by age. */
  readonly survival: Float64Array
  /** Per migration rule: destination settlement of each settlement (-1 outside the county, -2 none). */
  readonly migrationTarget: ReadonlyArray<Int32Array>

  // ------------------------------------------------------------ schools
  readonly schoolIds: ReadonlyArray<Ids.SchoolId>
  /** Each school's name, by index. */
  readonly schoolNames: ReadonlyArray<string>
  readonly schools: number
  readonly schoolSettlement: Int32Array
  readonly schoolLon: Float64Array
  readonly schoolLat: Float64Array
  readonly open: Uint8Array
  /** school × level: 1 when the school teaches the level now. */
  readonly teaches: Uint8Array
  readonly classrooms: Float64Array
  /** school × grade classrooms when recorded per grade (`hasGradeRooms`). */
  readonly gradeRooms: Float64Array
  readonly hasGradeRooms: Uint8Array
  readonly seats: Float64Array
  readonly beds: Float64Array
  readonly floorArea: Float64Array
  readonly sportsArea: Float64Array
  readonly equipmentValue: Float64Array
  readonly multimediaRooms: Float64Array
  readonly musicRooms: Float64Array
  readonly artRooms: Float64Array
  /** Library books (图书), volumes. */
  readonly books: Float64Array
  /** school × age band teachers. */
  readonly teachers: Float64Array
  readonly aboveDegree: Float64Array
  readonly backbone: Float64Array
  readonly peArts: Float64Array
  readonly mentalHealth: Float64Array
  /** Capital spent on each school in the year being stepped (yuan). */
  readonly capital: Float64Array
  /** Seats added to each school in the year being stepped. */
  readonly seatsBuilt: Float64Array

  // ------------------------------------------------------------ catchments and distances
  /** level × settlement → school index (-1 unzoned). */
  readonly catchment: Int32Array
  /**
   * level × settlement → the second school of a split catchment (学区划分, -1 none) and the share of the
   * settlement's pupils of the level it takes (`CatchmentAssigned` with `share`).
   */
  readonly splitSchool: Int32Array
  readonly splitShare: Float64Array
  readonly candidates: Candidates

  // ------------------------------------------------------------ standards in force
  readonly classCap: Float64Array
  readonly pupilsPerStaff: Float64Array
  largeClassMin: number
  superLargeClassMin: number
  /** Every numeric standard in force, in `Standards.keys` order. */
  readonly standards: Float64Array
  /** School size caps (校额): primary, junior, nine/twelve-year (compulsory grades), senior. */
  readonly schoolSizeCap: Float64Array
  fundingFloor: number

  // ------------------------------------------------------------ the year's state
  /** settlement × grade: pupils living there, by grade (enrolment demand). */
  readonly demand: Float64Array
  /**
   * level × settlement: the level's pupils living there, `demand` summed over its grades in order (kept by
   * enrolment for the allocation rule, `AllocationInput.levelDemand`, and the catchment figures).
   */
  readonly levelDemand: Float64Array
  /** settlement × level: children of the level's ages not enrolled (participation below 100 %). */
  readonly outOfSchool: Float64Array
  /** school × grade pupils after allocation. */
  readonly enrolled: Float64Array
  /** school × level pupil-km and boarders; settlement × level pupils with no school. */
  readonly pupilKm: Float64Array
  /** school × level: the farthest any of its pupils lives, km. */
  readonly maxKm: Float64Array
  readonly boarders: Float64Array
  /** school × level day pupils living farther than the level's distance standard (`distance.{level}`). */
  readonly beyond: Float64Array
  readonly unplaced: Float64Array
  /** school × grade classes, largest class, large (大班额) and super-large (超大班额) classes. */
  readonly classes: Float64Array
  readonly maxClass: Float64Array
  readonly largeClasses: Float64Array
  readonly superLargeClasses: Float64Array
  /** school × grade classes within the level's cap (标准班额). */
  readonly withinCap: Float64Array
  /** school × level teachers needed and assigned. */
  readonly teachersNeeded: Float64Array
  readonly teachersAssigned: Float64Array
  /** school × level × 2: pupils living in the school's catchment, and its settlements (学区); tallied by enrolment. */
  readonly zone: Float64Array
  /**
   * 4 × level: the year's county sums, each added settlement by settlement: pupils living unzoned, pupils
   * unplaced, children out of school, children of the level's ages. Enrolment adds all but the unplaced,
   * which recording adds once the rule has placed the pupils.
   */
  readonly tally: Float64Array
  /** Children who left the county, arrived, aged out (19) or died in the year being stepped; teachers rotated (交流轮岗). */
  readonly flows: Float64Array
  /** Scratch space for kernels and rules (two schools long, and two settlements long). */
  readonly scratchK: Float64Array
  readonly scratchS: Float64Array

  // ------------------------------------------------------------ the timeline
  /** Events taking effect in each projected year (index 1..horizon; 0 is empty: the base world holds them). */
  readonly timeline: ReadonlyArray<ReadonlyArray<Event.Event>>
  /** school × grade grade-progression ratios (NaN: project that grade with the cohort-component method). */
  readonly progression: Float64Array
  /** school × grade pupils recorded in the base year (NaN where none). */
  readonly recordedEnrolment: Float64Array
  /** school × grade pupils of the year before (grade-progression method). */
  readonly previousEnrolled: Float64Array
  /** What compiling noticed and the planner should know (gaps in history, schools left to a fallback). */
  readonly warnings: ReadonlyArray<string>
  /** Pupils arriving with completed housing: year index, settlement, level, pupils. */
  readonly housingArrivals: Array<{ readonly year: number; readonly settlement: number; readonly level: number; readonly pupils: number }>
  readonly schoolIndex: ReadonlyMap<string, number>
  readonly settlementIndex: ReadonlyMap<string, number>
}

/** Indexes of the `flows` array. */
export const Flow = { outOfCounty: 0, intoCounty: 1, agedOut: 2, died: 3, born: 4, teachersRotated: 5, backboneRotated: 6 } as const
