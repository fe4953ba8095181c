/**
 * Teachers (编制): needed from pupils per staff post (primary 19, junior 13.5, senior 12.5; the 2014
 * national standard) or per class, against the teachers each school has after the year's hires,
 * retirements and transfers. Teachers age through the bands; those in the 55+ band retire at 60.
 */
import { bands, endGrade, firstGrade, grades, levelNames, levels } from "../Dimensions.js"
import type { Model } from "../Model.js"

/** Yearly share of each band moving to the next (bands span 8, 10, 10, 5 and 5 years); the last retires. */
const moveOn = [1 / 8, 1 / 10, 1 / 10, 1 / 5, 1 / 5]

/**
 * Ages every school's teachers one year; the retiring leave, and with `teacherAttrition` that share of every
 * band leaves too; categories shrink in proportion.
 */
export const ageTeachers = (m: Model): void => {
  const t = m.teachers
  const stay = 1 - (m.assumptions.teacherAttrition ?? 0)
  for (let k = 0; k < m.schools; k++) {
    const row = k * bands
    let before = 0
    for (let b = 0; b < bands; b++) before += t[row + b]
    if (before <= 0) continue
    let carry = 0
    for (let b = 0; b < bands; b++) {
      const leaving = t[row + b] * moveOn[b]
      t[row + b] += carry - leaving
      carry = leaving
    }
    let after = before - carry
    if (stay < 1) {
      after = 0
      for (let b = 0; b < bands; b++) {
        t[row + b] *= stay
        after += t[row + b]
      }
    }
    const kept = after / before
    m.aboveDegree[k] *= kept
    m.backbone[k] *= kept
    m.peArts[k] *= kept
    m.mentalHealth[k] *= kept
  }
}

/** Teachers of a school. */
export const teachersOf = (m: Model, k: number): number => {
  let n = 0
  for (let b = 0; b < bands; b++) n += m.teachers[k * bands + b]
  return n
}

/**
 * Teachers needed per school and level, and the school's teachers assigned to its levels in proportion
 * to need (县管校聘: the county places teachers in schools, a school's pool serves all its levels).
 */
export const staff = (m: Model): void => {
  const perClass = m.assumptions.staffing === "per-class"
  for (let k = 0; k < m.schools; k++) {
    let total = 0
    for (let l = 0; l < levels; l++) {
      let pupils = 0
      let classes = 0
      for (let g = firstGrade[l]; g < endGrade[l]; g++) {
        pupils += m.enrolled[k * grades + g]
        classes += m.classes[k * grades + g]
      }
      const need = perClass ? classes * m.assumptions.teachersPerClass[levelNames[l]] : pupils / m.pupilsPerStaff[l]
      m.teachersNeeded[k * levels + l] = need
      total += need
    }
    const have = m.open[k] === 1 ? teachersOf(m, k) : 0
    let taught = 0
    for (let l = 0; l < levels; l++) taught += m.teaches[k * levels + l]
    for (let l = 0; l < levels; l++) {
      const slot = k * levels + l
      m.teachersAssigned[slot] = total > 0 ? (have * m.teachersNeeded[slot]) / total : taught > 0 ? (have * m.teaches[slot]) / taught : 0
    }
  }
}
