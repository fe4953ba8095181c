/**
 * The grade progression ratio method (年级升级比法, also called cohort survival): the way district planners
 * forecast enrolment from a school's own history.
 *
 * A grade progression ratio (年级升级比) says how many pupils a grade has for every pupil its feeder grade had
 * the year before: for a school, the ratio into grade g observed in year y is `pupils(g, y) / pupils(g - 1, y - 1)`.
 * It folds repetition, drop-out, transfers in and out and migration into one number per school and grade. A ratio
 * above 1 means the grade gains pupils as the cohort moves up (in-migration, 随迁子女), below 1 that it loses them.
 *
 * Grades use the national numbering of `School` (-2..0 kindergarten, 1-6 primary, 7-9 junior, 10-12 senior). The
 * first grade of each level (kindergarten -2, primary 1, junior 7, senior 10) is an entry grade (起始年级): its pupils
 * come from outside the school, so it has no progression ratio; the engine takes it from the population model
 * (`Compile.compile(events, { method: { kind: "grade-progression" } })` is the one way to project with ratios).
 * A school that teaches two levels on one campus (九年一贯制, 十二年一贯制, 完全中学) also has a transition ratio
 * (升学比) into the first grade of the upper level, e.g. grade 6 → 7; it is computed only when the history records
 * both grades at that same school.
 *
 * Everything here is a pure function of its arguments. Failures are returned as values (`Either`), never thrown.
 *
 * @since 0.1.0
 */
import * as School from "@seatplan/core/School"
import { Data, Either } from "effect"

/** One recorded count of pupils: a school's enrolment (在校生数) in one grade in one school year. */
export interface EnrolmentRecord {
  readonly schoolId: string
  readonly year: number
  readonly grade: number
  readonly pupils: number
}

/**
 * How the ratios observed in several years are summarised into one ratio per school and grade:
 * - `"mean"`: the arithmetic mean (算术平均), the usual choice of planners;
 * - `"geometric-mean"`: the geometric mean (几何平均), the nth root of the product of the ratios;
 * - `"median"`: the middle ratio (中位数); for an even count, the mean of the two middle ratios;
 * - `"last"`: the ratio of the latest year observed;
 * - `"recency-weighted"`: a weighted mean in which recent years count more (see `CalibrateOptions.recencyDecay`).
 */
export type Summary = "mean" | "geometric-mean" | "median" | "last" | "recency-weighted"

/** The summaries, in a fixed order. */
export const summaries: ReadonlyArray<Summary> = ["mean", "geometric-mean", "median", "last", "recency-weighted"]

/** How to calibrate ratios from a history. */
export interface CalibrateOptions {
  /** How to summarise the observed ratios; default `"mean"`. */
  readonly summary?: Summary
  /**
   * Use only the latest N observed transitions of each school and grade (a moving window, 滑动窗口); a positive
   * integer. By default every observed transition is used. Transitions skipped for a zero feeder do not count.
   */
  readonly window?: number
  /**
   * For `"recency-weighted"`: the weight of a transition observed k years before the school's latest observed
   * transition into that grade is `recencyDecay ** k` (k counts calendar years, so a gap in the history weighs the
   * older years less). A number from 0 to 1; default 0.5. With 0 only the latest year counts; with 1 it is the mean.
   */
  readonly recencyDecay?: number
}

/**
 * A year inside a school's recorded span in which nothing at all was recorded for that school. One warning per
 * school and missing year (not per grade). The gap is never bridged: no transition into that year, nor out of it
 * into the next year, is computed.
 */
export class MissingYear extends Data.TaggedClass("MissingYear")<{
  readonly schoolId: string
  readonly year: number
  readonly message: string
}> {}

/**
 * A transition whose feeder grade had no pupils the year before (`pupils(g - 1, year - 1) = 0`): the ratio is
 * undefined, so the transition is skipped rather than divided by zero. `grade` is the grade moved into.
 */
export class ZeroFeeder extends Data.TaggedClass("ZeroFeeder")<{
  readonly schoolId: string
  readonly grade: number
  readonly year: number
  readonly message: string
}> {}

/**
 * Something a planner should know about the history; none of them stops the computation
 * (tagged values, not errors: `Data.TaggedClass`, so no stack is captured for each).
 */
export type Warning = MissingYear | ZeroFeeder

/**
 * The calibrated ratio of one school into one grade. `kind` is `"progression"` for a grade inside a level (年级升级比)
 * and `"transition"` for the first grade of a level fed by the last grade of the level below at the same school
 * (升学比, e.g. grade 6 → 7 in a nine-year school). `observations` counts the transitions summarised (after the
 * window); `years` lists the years they were observed in, oldest first.
 */
export interface Ratios {
  readonly schoolId: string
  readonly grade: number
  readonly kind: "progression" | "transition"
  readonly ratio: number
  readonly observations: number
  readonly years: ReadonlyArray<number>
}

/** The ratios of every school and grade that could be computed, ordered by school and grade, with the warnings. */
export interface Calibration {
  readonly summary: Summary
  readonly ratios: ReadonlyArray<Ratios>
  readonly warnings: ReadonlyArray<Warning>
}

/**
 * Schools without two consecutive recorded years: no ratio can be computed for them. `schoolIds` names every such
 * school, so a caller may drop them from the history and calibrate again.
 */
export class NoConsecutiveYears extends Data.TaggedError("NoConsecutiveYears")<{
  readonly schoolIds: ReadonlyArray<string>
  readonly message: string
}> {}

/** The history is empty. */
export class NoHistory extends Data.TaggedError("NoHistory")<{ readonly message: string }> {}

/**
 * A record that cannot be a count of pupils: a year or grade that is not an integer, a grade outside -2..12, or a
 * pupil count that is negative or not finite. `index` is its position in the history.
 */
export class InvalidRecord extends Data.TaggedError("InvalidRecord")<{ readonly index: number; readonly message: string }> {}

/** An option out of range: a window that is not a positive integer, or a decay outside 0..1. */
export class InvalidOptions extends Data.TaggedError("InvalidOptions")<{ readonly message: string }> {}

/** Why ratios could not be calibrated. */
export type CalibrationError = NoConsecutiveYears | NoHistory | InvalidRecord | InvalidOptions

/** The entry grade (起始年级) of a grade's level: -2, 1, 7 or 10. */
export const entryGradeOf = (grade: number): number => School.gradeRange(School.levelOfGrade(grade))[0]

/** Whether a grade is the first grade of its level, which no grade of the same level feeds. */
export const isEntryGrade = (grade: number): boolean => entryGradeOf(grade) === grade

const byNumber = (a: number, b: number): number => a - b
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const describeRecord = (r: EnrolmentRecord): string => `school ${r.schoolId}, year ${r.year}, grade ${r.grade}, pupils ${r.pupils}`

const validateRecord = (r: EnrolmentRecord, index: number): InvalidRecord | undefined => {
  const fail = (why: string): InvalidRecord =>
    new InvalidRecord({ index, message: `enrolment record ${index} (${describeRecord(r)}): ${why}` })
  if (!Number.isInteger(r.year)) return fail("the year is not an integer")
  if (!Number.isInteger(r.grade) || r.grade < -2 || r.grade > 12) return fail("the grade is not an integer in -2..12")
  if (!Number.isFinite(r.pupils) || r.pupils < 0) return fail("the pupil count is negative or not finite")
  return undefined
}

const validateOptions = (options: CalibrateOptions): InvalidOptions | undefined => {
  const { recencyDecay, summary, window } = options
  if (summary !== undefined && !summaries.includes(summary)) {
    const known = summaries.join(", ")
    return new InvalidOptions({ message: `unknown summary "${String(summary)}": use one of ${known}` })
  }
  if (window !== undefined && !(Number.isInteger(window) && window >= 1)) {
    return new InvalidOptions({ message: `window must be a positive integer, got ${window}` })
  }
  if (recencyDecay !== undefined && !(recencyDecay >= 0 && recencyDecay <= 1)) {
    return new InvalidOptions({ message: `recencyDecay must be a number from 0 to 1, got ${recencyDecay}` })
  }
  return undefined
}

/** One observed transition: the ratio into a grade in a year. */
interface Observation {
  readonly year: number
  readonly ratio: number
}

/** The arithmetic mean of a non-empty list. */
const mean = (xs: ReadonlyArray<number>): number => xs.reduce((s, x) => s + x, 0) / xs.length

/**
 * Summarise observations (non-empty, oldest first) into one ratio.
 * The geometric mean is `exp(mean(log r))`, which is 0 when any ratio is 0 (a grade that emptied).
 */
const summarise = (observations: ReadonlyArray<Observation>, summary: Summary, decay: number): number => {
  const ratios = observations.map((o) => o.ratio)
  switch (summary) {
    case "mean":
      return mean(ratios)
    case "geometric-mean":
      return ratios.some((r) => r === 0) ? 0 : Math.exp(mean(ratios.map(Math.log)))
    case "median": {
      const sorted = [...ratios].sort(byNumber)
      const mid = Math.floor(sorted.length / 2)
      return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
    }
    case "last":
      return ratios[ratios.length - 1]!
    case "recency-weighted": {
      const latest = observations[observations.length - 1]!.year
      let weighted = 0
      let weights = 0
      for (const o of observations) {
        const w = decay ** (latest - o.year)
        weighted += w * o.ratio
        weights += w
      }
      return weighted / weights
    }
  }
}

/**
 * Calibrate grade progression ratios (年级升级比) from an enrolment history, per school and grade.
 *
 * For each school, every grade g recorded in year y whose feeder grade g - 1 is recorded at the same school in year
 * y - 1 gives one observed ratio `pupils(g, y) / pupils(g - 1, y - 1)`; ratios into the first grade of a level are
 * transition ratios and exist only when the school records both grades (a nine-year school's 6 → 7). A transition
 * needs both years: a year missing inside a school's recorded span is warned about once (`MissingYear`) and never
 * bridged. A feeder with no pupils is warned about (`ZeroFeeder`) and that transition skipped. The observed ratios
 * (the latest `window` of them, if given) are then summarised with `summary` (default `"mean"`).
 *
 * Returns `Either.right(calibration)`, or `Either.left(error)`: `NoConsecutiveYears` names every school without two
 * consecutive recorded years; `NoHistory`, `InvalidRecord` and `InvalidOptions` describe bad input. When the same
 * school, year and grade is recorded twice, the later record replaces the earlier (as in the world state).
 */
export const calibrate = (
  history: ReadonlyArray<EnrolmentRecord>,
  options: CalibrateOptions = {}
): Either.Either<Calibration, CalibrationError> => {
  const badOptions = validateOptions(options)
  if (badOptions !== undefined) return Either.left(badOptions)
  if (history.length === 0) {
    return Either.left(new NoHistory({ message: "no enrolment history: cannot compute grade progression ratios" }))
  }
  const summary = options.summary ?? "mean"
  const decay = options.recencyDecay ?? 0.5
  const window = options.window ?? Infinity

  // school -> year -> grade -> pupils
  const bySchool = new Map<string, Map<number, Map<number, number>>>()
  for (let i = 0; i < history.length; i++) {
    const r = history[i]!
    const bad = validateRecord(r, i)
    if (bad !== undefined) return Either.left(bad)
    let years = bySchool.get(r.schoolId)
    if (years === undefined) bySchool.set(r.schoolId, (years = new Map()))
    let grades = years.get(r.year)
    if (grades === undefined) years.set(r.year, (grades = new Map()))
    grades.set(r.grade, r.pupils)
  }

  const schoolIds = [...bySchool.keys()].sort(byString)
  const isolated = schoolIds.filter((id) => {
    const years = bySchool.get(id)!
    return ![...years.keys()].some((y) => years.has(y - 1))
  })
  if (isolated.length > 0) {
    const named = isolated.map((id) => `school ${id}`).join(", ")
    return Either.left(
      new NoConsecutiveYears({
        schoolIds: isolated,
        message: `no two consecutive years of enrolment for ${named}: cannot compute grade progression ratios`
      })
    )
  }

  const ratios: Array<Ratios> = []
  const warnings: Array<Warning> = []
  for (const schoolId of schoolIds) {
    const years = bySchool.get(schoolId)!
    const recorded = [...years.keys()].sort(byNumber)
    const first = recorded[0]!
    const last = recorded[recorded.length - 1]!
    for (let y = first + 1; y < last; y++) {
      if (!years.has(y)) {
        warnings.push(
          new MissingYear({
            schoolId,
            year: y,
            message:
              `no enrolment recorded for school ${schoolId} in ${y} (its history runs ${first}-${last}): ` +
              `grade progression into ${y} and ${y + 1} is not computed`
          })
        )
      }
    }
    // grade -> observations, oldest first
    const observed = new Map<number, Array<Observation>>()
    for (const year of recorded) {
      const feeders = years.get(year - 1)
      if (feeders === undefined) continue
      const grades = [...years.get(year)!.keys()].sort(byNumber)
      for (const grade of grades) {
        const feeder = feeders.get(grade - 1)
        if (feeder === undefined) continue
        if (feeder === 0) {
          warnings.push(
            new ZeroFeeder({
              schoolId,
              grade,
              year,
              message:
                `school ${schoolId} had no pupils in grade ${grade - 1} in ${year - 1}: ` +
                `the progression ratio into grade ${grade} in ${year} is undefined and skipped`
            })
          )
          continue
        }
        let list = observed.get(grade)
        if (list === undefined) observed.set(grade, (list = []))
        list.push({ year, ratio: years.get(year)!.get(grade)! / feeder })
      }
    }
    for (const grade of [...observed.keys()].sort(byNumber)) {
      const all = observed.get(grade)!
      const used = all.length > window ? all.slice(all.length - window) : all
      ratios.push({
        schoolId,
        grade,
        kind: isEntryGrade(grade) ? "transition" : "progression",
        ratio: summarise(used, summary, decay),
        observations: used.length,
        years: used.map((o) => o.year)
      })
    }
  }
  return Either.right({ summary, ratios, warnings })
}

/** The calibrated ratio of a school into a grade, or `undefined` when it was never observed. */
export const ratioOf = (calibration: Calibration, schoolId: string, grade: number): number | undefined =>
  calibration.ratios.find((r) => r.schoolId === schoolId && r.grade === grade)?.ratio

/** All calibrated ratios of one school, grade → ratio, in grade order. */
export const ratiosOf = (calibration: Calibration, schoolId: string): ReadonlyMap<number, number> =>
  new Map(calibration.ratios.filter((r) => r.schoolId === schoolId).map((r) => [r.grade, r.ratio]))
