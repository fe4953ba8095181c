/**
 * Grade-progression calibration (年级升级比) at compile time: the ratios from the recorded enrolment up to
 * the base year, and the base year's recorded enrolment.
 */
import type * as Event from "@seatplan/core/Event"
import { Either } from "effect"
import { grades } from "../Dimensions.js"
import * as GradeProgression from "../GradeProgression.js"
import type { Model } from "../Model.js"

/**
 * Calibrates grade-progression ratios into `m.progression` (school × grade) and loads the base year's
 * recorded enrolment into `m.recordedEnrolment`. Schools without two consecutive recorded years are left
 * to the cohort-component method, with a warning; any other calibration error is returned.
 */
export const calibrateProgression = (
  m: Model,
  demography: ReadonlyArray<Event.Event>,
  baseYear: number,
  options: GradeProgression.CalibrateOptions
): Either.Either<void, GradeProgression.CalibrationError> => {
  let history: Array<GradeProgression.EnrolmentRecord> = []
  for (const e of demography) if (e._tag === "EnrolmentRecorded") history.push(e)
  const warnings = m.warnings as Array<string>
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = GradeProgression.calibrate(history, options)
    if (result._tag === "Right") {
      for (const r of result.right.ratios) {
        const k = m.schoolIndex.get(r.schoolId)
        if (k !== undefined) m.progression[k * grades + r.grade + 2] = r.ratio
      }
      for (const w of result.right.warnings) warnings.push(w.message)
      for (const e of history) {
        const k = m.schoolIndex.get(e.schoolId)
        if (k !== undefined && e.year === baseYear) m.recordedEnrolment[k * grades + e.grade + 2] = e.pupils
      }
      return Either.right(undefined)
    }
    const error = result.left
    if (error._tag !== "NoConsecutiveYears") return Either.left(error)
    warnings.push(`${error.message}; projected with the cohort-component method instead`)
    const dropped = new Set(error.schoolIds)
    history = history.filter((h) => !dropped.has(h.schoolId))
    if (history.length === 0) return Either.right(undefined)
  }
  return Either.right(undefined)
}
