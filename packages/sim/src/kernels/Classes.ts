/**
 * Classes emerge from classrooms (班额): a grade's pupils fill ceil(pupils / cap) classes as long as
 * classrooms remain; when they run out, the rooms are shared out so the largest class is as small as
 * possible, and classes grow. That is how large classes (大班额, 56-65) and super-large classes (超大班额,
 * 66+) appear. Sizes within a grade are as even as possible (they differ by at most one pupil).
 */
import { grades, levelOfGradeIndex } from "../Dimensions.js"
import type { Model } from "../Model.js"

/**
 * The most pupils a grade of one school is taken to have: 1e12, more children than the world has
 * (scenario inputs are at most 1e9 children per age per settlement, so only a runaway projection gets
 * here). Above it, and for NaN or negative counts, the class search would leave exact integer
 * arithmetic (past 2^53, `size + 1 === size`) and never end; so a count is read as 0 when it is not a
 * positive number and as 1e12 above that. The search then takes at most 40 steps.
 */
export const maxPupils = 1e12

/** A grade's pupils as the kernel reads them: rounded, 0 when not positive (NaN included), at most `maxPupils`. */
export const pupilsOf = (x: number): number => (x > 0 ? Math.min(Math.round(x), maxPupils) : 0)

/**
 * Forms the classes of `count` grades sharing `rooms` classrooms: reads `pupils[offset + i]` and `caps[i]`,
 * writes `classes[offset + i]`. Pure and allocation-free. When even one class per grade needs more rooms
 * than there are, each grade still gets one class (the shortage shows as classes above classrooms).
 * Returns the steps the search for the largest class took (at most 40, whatever the input: see `maxPupils`).
 *
 * @example
 * ```ts
 * // cap 45: 100 pupils in 3 rooms → 3 classes (34, 33, 33); in 2 rooms → 2 classes of 50
 * form(Float64Array.of(100), out, 0, 1, Float64Array.of(45), 2) // out[0] === 2
 * ```
 */
export const form = (
  pupils: Float64Array,
  classes: Float64Array,
  offset: number,
  count: number,
  caps: Float64Array,
  rooms: number
): number => {
  let wanted = 0
  let withPupils = 0
  let largest = 1
  for (let i = 0; i < count; i++) {
    const p = pupilsOf(pupils[offset + i])
    const n = p > 0 ? Math.ceil(p / caps[i]) : 0
    classes[offset + i] = n
    wanted += n
    if (n > 0) withPupils++
    if (p > largest) largest = p
  }
  if (wanted <= rooms) return 0
  if (!(rooms > withPupils)) {
    for (let i = 0; i < count; i++) classes[offset + i] = pupilsOf(pupils[offset + i]) > 0 ? 1 : 0
    return 0
  }
  // the smallest largest-class size `low` whose classes fit the rooms (largest ≤ maxPupils < 2^53: exact)
  let low = 1
  let high = largest
  let steps = 0
  while (low < high) {
    steps++
    const size = Math.floor((low + high) / 2)
    if (classesAt(pupils, offset, count, caps, size) <= rooms) high = size
    else low = size + 1
  }
  let used = 0
  for (let i = 0; i < count; i++) {
    const p = pupilsOf(pupils[offset + i])
    const n = p > 0 ? Math.ceil(p / Math.max(low, caps[i])) : 0
    classes[offset + i] = n
    used += n
  }
  // The rooms left go to the largest classes, one at a time, the first grade first on a tie. Every class
  // is at most `low`; a grade's classes stay at `low` until it has as many as size `low - 1` needs, and
  // the rooms left are fewer than all grades together need for that (else `low - 1` would have fitted).
  // So the first grades, in order, each take what they need for `low - 1`, until the rooms run out:
  // the same classes as handing out the rooms one by one, in `count` steps instead of one per room.
  for (let i = 0; i < count && used < rooms; i++) {
    const p = pupilsOf(pupils[offset + i])
    if (p <= 0) continue
    const need = Math.ceil(p / Math.max(low - 1, caps[i])) - classes[offset + i]
    if (!(need > 0)) continue
    const take = Math.min(need, rooms - used)
    classes[offset + i] += take
    used += take
  }
  return steps
}

const classesAt = (pupils: Float64Array, offset: number, count: number, caps: Float64Array, size: number): number => {
  let n = 0
  for (let i = 0; i < count; i++) {
    const p = pupilsOf(pupils[offset + i])
    if (p > 0) n += Math.ceil(p / Math.max(size, caps[i]))
  }
  return n
}

/** For `pupils` split as evenly as possible into `classes`: the classes whose size falls in [min, max]. */
export const sizesIn = (pupils: number, classes: number, min: number, max: number): number => inRange(pupils, classes, min, max, false)

/** For `pupils` split as evenly as possible into `classes`: the pupils in classes whose size falls in [min, max]. */
export const pupilsIn = (pupils: number, classes: number, min: number, max: number): number => inRange(pupils, classes, min, max, true)

const inRange = (pupils: number, classes: number, min: number, max: number, countPupils: boolean): number => {
  if (classes <= 0) return 0
  const p = Math.round(pupils)
  const small = Math.floor(p / classes)
  const bigger = p - small * classes
  let n = 0
  if (small + 1 >= min && small + 1 <= max) n += bigger * (countPupils ? small + 1 : 1)
  if (small >= min && small <= max) n += (classes - bigger) * (countPupils ? small : 1)
  return n
}

/** Forms every open school's classes for the year and counts large and super-large classes. */
export const formAll = (m: Model, caps: Float64Array): void => {
  const G = grades
  for (let g = 0; g < G; g++) caps[g] = m.classCap[levelOfGradeIndex[g]]
  for (let k = 0; k < m.schools; k++) {
    const row = k * G
    if (m.hasGradeRooms[k] === 1) {
      for (let g = 0; g < G; g++) formOne(m, caps, row, g, m.gradeRooms[row + g])
    } else {
      formRange(m, caps, row, m.classrooms[k])
    }
    for (let g = 0; g < G; g++) {
      const c = m.classes[row + g]
      const p = m.enrolled[row + g]
      m.maxClass[row + g] = c > 0 ? Math.ceil(Math.round(p) / c) : 0
      m.largeClasses[row + g] = sizesIn(p, c, m.largeClassMin, m.superLargeClassMin - 1)
      m.superLargeClasses[row + g] = sizesIn(p, c, m.superLargeClassMin, Infinity)
      m.withinCap[row + g] = sizesIn(p, c, 0, caps[g])
    }
  }
}

const formRange = (m: Model, caps: Float64Array, row: number, rooms: number): void => {
  form(m.enrolled, m.classes, row, grades, caps, rooms)
}

const formOne = (m: Model, caps: Float64Array, row: number, g: number, rooms: number): void => {
  const p = pupilsOf(m.enrolled[row + g])
  if (p <= 0) {
    m.classes[row + g] = 0
    return
  }
  const wanted = Math.ceil(p / caps[g])
  m.classes[row + g] = wanted <= rooms ? wanted : Math.max(1, rooms)
}
