/**
 * Schools, levels and grades, facilities and teacher pools.
 *
 * Grades use the national numbering, so that a pupil's typical age is `grade + 5`:
 * kindergarten 小班/中班/大班 are grades -2, -1, 0; primary 1-6; junior middle 7-9; senior high 10-12.
 */
import { Schema } from "effect"
import { Latitude, Longitude } from "./Geography.js"
import { SchoolId, SettlementId } from "./Ids.js"
import * as Numbers from "./Numbers.js"

const levelNames = ["kindergarten", "primary", "junior", "senior"] as const

/**
 * A school level (学段): kindergarten 幼儿园, primary 小学, junior middle 初中, senior high 普通高中. The one list
 * of levels: schemas, the dense model's level indexes and labels all come from it.
 */
export const Level = Schema.Literal(...levelNames)
export type Level = typeof Level.Type

/** The levels in order; a level's index here is its index in the dense model. */
export const levels: ReadonlyArray<Level> = levelNames

/** A level's labels in Chinese and English, as the report and explanations print them. */
export const levelLabels: Readonly<Record<Level, { readonly zh: string; readonly en: string }>> = {
  kindergarten: { zh: "幼儿园", en: "kindergarten" },
  primary: { zh: "小学", en: "primary" },
  junior: { zh: "初中", en: "junior" },
  senior: { zh: "高中", en: "senior" }
}

/** A schema of one value per level, `{ kindergarten: …, primary: …, junior: …, senior: … }`. */
export const perLevel = <S extends Schema.Schema.All>(value: S): Schema.Struct<{ readonly [K in Level]: S }> =>
  Schema.Struct(Object.fromEntries(levelNames.map((l) => [l, value])) as { readonly [K in Level]: S })

/**
 * A school's type: which levels it teaches. Nine-year (九年一贯制) = primary + junior; twelve-year
 * (十二年一贯制) = primary + junior + senior; complete-secondary (完全中学) = junior + senior;
 * teaching point (教学点) = a small rural primary site, usually grades 1-4.
 */
export const SchoolType = Schema.Literal(
  "kindergarten",
  "primary",
  "junior",
  "senior",
  "nine-year",
  "twelve-year",
  "complete-secondary",
  "teaching-point"
)
export type SchoolType = typeof SchoolType.Type

const levelsOfType: Record<SchoolType, ReadonlyArray<Level>> = {
  kindergarten: ["kindergarten"],
  primary: ["primary"],
  junior: ["junior"],
  senior: ["senior"],
  "nine-year": ["primary", "junior"],
  "twelve-year": ["primary", "junior", "senior"],
  "complete-secondary": ["junior", "senior"],
  "teaching-point": ["primary"]
}

/** The levels a school of this type teaches. */
export const levelsOf = (type: SchoolType): ReadonlyArray<Level> => levelsOfType[type]

/** Whether a school of this type teaches the level. */
export const teaches = (type: SchoolType, level: Level): boolean => levelsOfType[type].includes(level)

/** A grade, national numbering: -2..0 kindergarten, 1-6 primary, 7-9 junior, 10-12 senior. */
export const Grade = Schema.Int.pipe(Schema.between(-2, 12)).annotations({
  description: "a grade: -2..0 kindergarten (小班/中班/大班), 1-6 primary, 7-9 junior middle, 10-12 senior high"
})
export type Grade = typeof Grade.Type

const gradeRanges: Record<Level, readonly [number, number]> = {
  kindergarten: [-2, 0],
  primary: [1, 6],
  junior: [7, 9],
  senior: [10, 12]
}

/** The first and last grade of a level. */
export const gradeRange = (level: Level): readonly [first: number, last: number] => gradeRanges[level]

/** The level a grade belongs to. */
export const levelOfGrade = (grade: number): Level =>
  grade <= 0 ? "kindergarten" : grade <= 6 ? "primary" : grade <= 9 ? "junior" : "senior"

/** The typical age of a pupil in a grade (age at the start of the school year). */
export const ageOfGrade = (grade: number): number => grade + 5

/** Open, closed (pupils moved away) or repurposed (building used for something else). */
export const SchoolStatus = Schema.Literal("open", "closed", "repurposed")
export type SchoolStatus = typeof SchoolStatus.Type

const Count = Numbers.Count
const zero = { default: () => 0 } as const

/**
 * The ten facility fields of a school's plant, defined once: what each counts (a count, an area in m² or
 * a value in yuan), its unit and labels. `Facilities`, the `SchoolExpanded` event, the decider's checks,
 * the fold and the simulation's model all take the fields from here, in this order.
 */
export const facilityDefinitions = {
  classrooms: { kind: "count", unit: "rooms", zh: "普通教室", en: "ordinary classrooms" },
  seats: { kind: "count", unit: "seats", zh: "核定学位", en: "approved seats" },
  boardingBeds: { kind: "count", unit: "beds", zh: "寄宿床位", en: "boarding beds" },
  floorArea: { kind: "area", unit: "m²", zh: "教学及辅助用房面积", en: "teaching and auxiliary floor area" },
  sportsArea: { kind: "area", unit: "m²", zh: "体育运动场馆面积", en: "sports ground area" },
  equipmentValue: { kind: "money", unit: "yuan", zh: "教学仪器设备值", en: "teaching equipment value" },
  multimediaRooms: { kind: "count", unit: "rooms", zh: "网络多媒体教室", en: "networked multimedia classrooms" },
  musicRooms: { kind: "count", unit: "rooms", zh: "音乐专用教室", en: "music rooms" },
  artRooms: { kind: "count", unit: "rooms", zh: "美术专用教室", en: "art rooms" },
  books: { kind: "count", unit: "volumes", zh: "图书藏书量", en: "library books" }
} as const
export type FacilityField = keyof typeof facilityDefinitions
type FacilityKind<F extends FacilityField> = (typeof facilityDefinitions)[F]["kind"]

/** The ten facility fields, in order. */
export const facilityFields = Object.keys(facilityDefinitions) as ReadonlyArray<FacilityField>

const amounts = { count: Count, area: Numbers.Area, money: Numbers.Money } as const
/** The schema of a change to a facility field of each kind (negative for demolitions). */
export const facilityChanges = { count: Numbers.CountChange, area: Numbers.AreaChange, money: Numbers.MoneyChange } as const

/** The facility fields that may be omitted (0): all but classrooms and seats. */
type OptionalFacility = Exclude<FacilityField, "classrooms" | "seats">
const optionalFacilities = Object.fromEntries(
  facilityFields
    .filter((f) => f !== "classrooms" && f !== "seats")
    .map((f) => [f, Schema.optionalWith(amounts[facilityDefinitions[f].kind], zero)])
) as { readonly [F in OptionalFacility]: Schema.optionalWith<(typeof amounts)[FacilityKind<F>], typeof zero> }

/**
 * The physical plant that the standards (docs/standards.md) are measured against (`facilityDefinitions`: areas
 * in m², equipment in yuan, books in volumes). Classrooms are ordinary teaching classrooms (普通教室); `classroomsByGrade`
 * refines the total when the bureau records it per grade.
 */
export const Facilities = Schema.Struct({
  classrooms: Count,
  classroomsByGrade: Schema.optional(Schema.Record({ key: Schema.String, value: Count })),
  seats: Count,
  ...optionalFacilities
})
export type Facilities = typeof Facilities.Type

/** A change to every facility field, each defaulting to 0: the fields of `SchoolExpanded` and `ExpandSchool`. */
export const facilityChangeFields = Object.fromEntries(
  facilityFields.map((f) => [f, Schema.optionalWith(facilityChanges[facilityDefinitions[f].kind], zero)])
) as { readonly [F in FacilityField]: Schema.optionalWith<(typeof facilityChanges)[FacilityKind<F>], typeof zero> }

/**
 * The eight facility fields a school may omit, each `Schema.optional` without a default (a scenario file's
 * school: `classrooms` and `seats` are required beside them).
 */
export const optionalFacilityAmounts = Object.fromEntries(
  facilityFields.filter((f) => f !== "classrooms" && f !== "seats").map((f) => [f, Schema.optional(amounts[facilityDefinitions[f].kind])])
) as { readonly [F in OptionalFacility]: Schema.optional<(typeof amounts)[FacilityKind<F>]> }

/** A change to each of the ten facility fields, `Schema.optional` without a default (a scenario file's expansion). */
export const optionalFacilityChanges = Object.fromEntries(
  facilityFields.map((f) => [f, Schema.optional(facilityChanges[facilityDefinitions[f].kind])])
) as { readonly [F in FacilityField]: Schema.optional<(typeof facilityChanges)[FacilityKind<F>]> }

/** Age bands used for retirements: teachers in `55+` retire first. */
export const AgeBand = Schema.Literal("under-30", "30-39", "40-49", "50-54", "55+")
export type AgeBand = typeof AgeBand.Type
export const ageBands: ReadonlyArray<AgeBand> = ["under-30", "30-39", "40-49", "50-54", "55+"]

/**
 * A school's teachers (县管校聘: managed by the county, placed in schools). `byAge` counts every teacher
 * once; the categories are subsets of the whole: above the required degree (高于规定学历), county-level or
 * higher backbone (县级及以上骨干教师), PE and arts (体育、艺术专任教师), mental health (心理健康教师).
 */
export const TeacherPool = Schema.Struct({
  byAge: Schema.Struct({
    "under-30": Count,
    "30-39": Count,
    "40-49": Count,
    "50-54": Count,
    "55+": Count
  }),
  aboveDegree: Count,
  backbone: Count,
  peArts: Count,
  mentalHealth: Count
})
export type TeacherPool = typeof TeacherPool.Type

/** Total number of teachers in a pool. */
export const teacherCount = (pool: TeacherPool): number => {
  const a = pool.byAge
  return a["under-30"] + a["30-39"] + a["40-49"] + a["50-54"] + a["55+"]
}

/** An empty teacher pool. */
export const noTeachers: TeacherPool = {
  byAge: { "under-30": 0, "30-39": 0, "40-49": 0, "50-54": 0, "55+": 0 },
  aboveDegree: 0,
  backbone: 0,
  peArts: 0,
  mentalHealth: 0
}

/** A school as recorded or planned: identity, type, place, plant and teachers. */
export const School = Schema.Struct({
  id: SchoolId,
  name: Schema.String,
  type: SchoolType,
  /** The settlement the school stands in. */
  settlementId: SettlementId,
  lon: Longitude,
  lat: Latitude,
  /** Public (公办) or private (民办); kindergartens may be 普惠 (inclusive, government-priced). */
  ownership: Schema.optionalWith(Schema.Literal("public", "private", "private-inclusive"), { default: () => "public" }),
  facilities: Facilities,
  teachers: Schema.optionalWith(TeacherPool, { default: () => noTeachers })
})
export type School = typeof School.Type

/** A school in the world state: the recorded school plus its status. */
export interface SchoolState extends School {
  readonly status: SchoolStatus
  /** The year the school opened (or was first recorded). */
  readonly openedIn: number
  /** What a repurposed building is used for now. */
  readonly use?: string
}
