/**
 * Missing data is not a failure (数据缺失不等于不达标). A scenario may leave out a school's areas, equipment,
 * special rooms or teacher figures; the engine then counts them as 0, which would fail the 优质均衡 indicators
 * and the music/art rooms rule for want of data, not of rooms. This module says which data a school may lack
 * (`fields`), which columns read each (`reads`, with the way more of it moves the column), and turns a
 * check on a row whose school lacks data into a third state, `unknown`: never counted as a pass or a fail.
 *
 * The rule: with the missing figure at 0 (what the tables hold) a check that still passes passes whatever the
 * figure is, when more of it can only help (more rooms, area, teachers: every shipped rule); any other check
 * on a column that reads a missing figure is unknown. A county check (the difference coefficients) is unknown
 * when a school of the level counted that year lacks a figure its column reads, unless the same holds.
 *
 * Boarding beds left out mean none (a school without a boarding section), not unknown.
 */
import * as School from "@seatplan/core/School"
import * as Columns from "./Columns.js"

/** A facility field a school may leave out and have it unknown (classrooms and seats are required; no beds means none). */
type FacilityField = Exclude<School.FacilityField, "classrooms" | "seats" | "boardingBeds">
/** The teachers' figures a school may leave out: the whole pool, or one of four categories. */
type TeacherField = "teachers" | "teachers.aboveDegree" | "teachers.backbone" | "teachers.peArts" | "teachers.mentalHealth"
export type Field = FacilityField | TeacherField

const teacherFields: ReadonlyArray<TeacherField> = [
  "teachers",
  "teachers.aboveDegree",
  "teachers.backbone",
  "teachers.peArts",
  "teachers.mentalHealth"
]

/** The data a school may lack in a scenario file: six facility fields (core `School`'s, in its order) and the teachers with four categories. */
export const fields: ReadonlyArray<Field> = [
  ...School.facilityFields.filter((f): f is FacilityField => f !== "classrooms" && f !== "seats" && f !== "boardingBeds"),
  ...teacherFields
]

/** Each field's name in Chinese and English (as the completeness table and messages print them). */
export const labels: Readonly<Record<Field, { readonly zh: string; readonly en: string }>> = {
  ...(Object.fromEntries(
    fields.flatMap(
      (f): ReadonlyArray<readonly [string, { readonly zh: string; readonly en: string }]> =>
        f in School.facilityDefinitions ? [[f, School.facilityDefinitions[f as FacilityField]]] : []
    )
  ) as Record<FacilityField, { readonly zh: string; readonly en: string }>),
  teachers: { zh: "教师数", en: "teachers" },
  "teachers.aboveDegree": { zh: "高于规定学历教师", en: "teachers above the required degree" },
  "teachers.backbone": { zh: "县级及以上骨干教师", en: "backbone teachers" },
  "teachers.peArts": { zh: "体育、艺术专任教师", en: "PE and arts teachers" },
  "teachers.mentalHealth": { zh: "心理健康教师", en: "mental-health teachers" }
}

/** What each school lacks, by school id (a school that lacks nothing may be absent). */
export type Missing = ReadonlyMap<string, ReadonlySet<Field>>

/** How more of a missing figure moves a column: up, down, or either way (not monotone). */
type Effect = "higher" | "lower" | "either"

interface Reads {
  readonly fields: ReadonlyArray<Field>
  readonly more: Effect
}

/** The figure each of the seven 优质均衡 indicators reads (`Columns.indicators`), more of it raising the indicator. */
const indicatorReads: Readonly<Record<Columns.Indicator, Field>> = {
  above_degree_per_100: "teachers.aboveDegree",
  backbone_per_100: "teachers.backbone",
  pe_arts_per_100: "teachers.peArts",
  floor_area_per_pupil: "floorArea",
  sports_area_per_pupil: "sportsArea",
  equipment_per_pupil: "equipmentValue",
  multimedia_per_100: "multimediaRooms"
}
const indicatorFields: ReadonlyArray<Field> = Columns.indicatorIds.map((id) => indicatorReads[id])
const music: Field = "musicRooms"
const art: Field = "artRooms"
const rooms: ReadonlyArray<Field> = [music, art]

/** The columns of the schools and county tables that read a field a school may lack. */
export const reads: Readonly<Record<string, Reads>> = {
  ...Object.fromEntries(Columns.indicatorIds.map((id) => [id, { fields: [indicatorReads[id]], more: "higher" } satisfies Reads])),
  quality_indicators_met: { fields: indicatorFields, more: "higher" },
  quality_min_share: { fields: indicatorFields, more: "higher" },
  quality_pass: { fields: indicatorFields, more: "higher" },
  quality_schools_passing: { fields: indicatorFields, more: "higher" },
  max_difference_coefficient: { fields: indicatorFields, more: "either" },
  difference_coefficients: { fields: indicatorFields, more: "either" },
  difference_coefficients_ok: { fields: indicatorFields, more: "either" },
  books_per_pupil: { fields: ["books"], more: "higher" },
  music_rooms: { fields: [music], more: "higher" },
  art_rooms: { fields: [art], more: "higher" },
  music_art_rooms_ok: { fields: rooms, more: "higher" },
  music_art_rooms_short: { fields: rooms, more: "lower" },
  teachers_assigned: { fields: ["teachers"], more: "higher" },
  teacher_gap: { fields: ["teachers"], more: "lower" },
  teachers_shared: { fields: ["teachers"], more: "either" },
  teachers_available: { fields: ["teachers"], more: "higher" },
  teachers_enough: { fields: ["teachers"], more: "higher" },
  mental_health_ok: { fields: ["teachers.mentalHealth"], more: "higher" },
  mental_health_teachers_short: { fields: ["teachers.mentalHealth"], more: "lower" },
  rotation_share: { fields: ["teachers"], more: "either" },
  backbone_rotation_share: { fields: ["teachers.backbone"], more: "either" }
}

/** The fields a column reads that these missing fields include (empty when the column reads none of them). */
export const lacking = (column: string, missing: ReadonlySet<Field> | undefined): ReadonlyArray<Field> =>
  missing === undefined || missing.size === 0 ? [] : (reads[column]?.fields ?? []).filter((f) => missing.has(f))

/**
 * Whether a check that passed with the missing figures at 0 passes whatever they are: more of them moves the
 * column toward passing (`at-least`/`above` and more is higher; `at-most`/`below` and more is lower).
 */
export const passesAnyway = (column: string, direction: "at-most" | "below" | "at-least" | "above"): boolean => {
  const more = reads[column]?.more
  return (
    (more === "higher" && (direction === "at-least" || direction === "above")) ||
    (more === "lower" && (direction === "at-most" || direction === "below"))
  )
}

/** One school's row of the completeness table (数据完整性): what it lacks. */
export interface CompletenessRow {
  readonly school_id: string
  readonly school_name: string
  /** How many of the fields the school lacks. */
  readonly fields_missing: number
  /** The fields it lacks, by name (`floorArea; musicRooms`), "" when none. */
  readonly missing: string
  /** The same in Chinese. */
  readonly missing_zh: string
}

/** The completeness table: one row per school, in the order given. */
export const rows = (
  schools: ReadonlyArray<{ readonly id: string; readonly name: string; readonly missing: ReadonlyArray<Field> }>
): ReadonlyArray<CompletenessRow> =>
  schools.map((s) => ({
    school_id: s.id,
    school_name: s.name,
    fields_missing: s.missing.length,
    missing: s.missing.join("; "),
    missing_zh: s.missing.map((f) => labels[f].zh).join("、")
  }))

/** One line: how many schools lack data and what is missing most. */
export const summary = (table: ReadonlyArray<CompletenessRow>, missing: Missing): string => {
  const lacking = table.filter((r) => r.fields_missing > 0)
  if (lacking.length === 0) return `data complete: all ${table.length} schools have every facility and teacher figure`
  const counts = fields
    .map((f) => [f, [...missing.values()].filter((m) => m.has(f)).length] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
  return `data incomplete: ${lacking.length} of ${table.length} schools lack figures (${counts
    .slice(0, 4)
    .map(([f, n]) => `${f} ${n}`)
    .join(", ")}${counts.length > 4 ? ", …" : ""}); checks that need them are unknown, not failed: see completeness.csv`
}
