/**
 * The reference kernel (issue 18): a hand-written typed-array loop of the core yearly arithmetic the
 * engine does, and nothing else: ageing with survival, births (the base year's births × the birth index),
 * migration toward the parent settlement (the default migration rules, each to the ancestor of its target
 * tier, or out of the county), enrolment into the zoned school per level (participation × retention), and
 * classes from classrooms (ceil(pupils / cap), at most the grade's share of the school's classrooms).
 *
 * It is the floor the engine is measured against in the same run (`pnpm bench --only=province`): the
 * engine does more (overflow to the nearest school with seats, boarding and distances, staffing, the 41
 * recorded figures of every school and level), so the goal is a ratio (engine ≤ 2 × kernel), not equality.
 * Arrays are read straight from the events (`prepare`, not timed); `step` allocates nothing.
 */
import type { Event } from "@seatplan/core"
import * as Geography from "@seatplan/core/Geography"
import * as School from "@seatplan/core/School"
import { Assumptions } from "@seatplan/sim"

const AGES = 19
const GRADES = 15
const LEVELS = 4
/** Grade index of each level's first grade and one past its last (grades -2..12 at index grade + 2). */
const firstGrade = Int8Array.from(School.levels, (l) => School.gradeRange(l)[0] + 2)
const endGrade = Int8Array.from(School.levels, (l) => School.gradeRange(l)[1] + 3)

export interface Kernel {
  readonly settlements: number
  readonly schools: number
  readonly years: number
  pop: Float64Array
  next: Float64Array
  readonly baseBirths: Float64Array
  readonly survival: Float64Array
  /** Per migration rule: the share moving each year, its ages, and each settlement's target (-1 out, -2 none). */
  readonly rules: ReadonlyArray<{ readonly rate: number; readonly min: number; readonly max: number; readonly to: Int32Array }>
  /** level × settlement → zoned school (-1 none). */
  readonly catchment: Int32Array
  /** Per grade index: participation × retention^(grades passed in the level). */
  readonly stay: Float64Array
  readonly cap: Float64Array
  /** school × grade classrooms (the school's classrooms shared over the grades it teaches). */
  readonly rooms: Float64Array
  readonly enrolled: Float64Array
  readonly classes: Float64Array
  /** Birth index of each projected year relative to the base year. */
  readonly birthIndex: Float64Array
}

/** Reads the kernel's arrays from a region's baseline events (the base year is the last population recorded). */
export const prepare = (events: ReadonlyArray<Event.Event>, baseYear: number, horizon: number): Kernel => {
  const settlementIndex = new Map<string, number>()
  const schoolIndex = new Map<string, number>()
  const parents: Array<string | undefined> = []
  const tiers: Array<number> = []
  const schoolEvents: Array<Event.EventOf<"SchoolOpened">> = []
  for (const e of events) {
    if (e._tag === "SettlementRecorded" && !settlementIndex.has(e.settlement.id)) {
      settlementIndex.set(e.settlement.id, parents.length)
      parents.push(e.settlement.parent)
      tiers.push(Geography.tierIndex(e.settlement.tier))
    } else if (e._tag === "SchoolOpened" && !schoolIndex.has(e.school.id)) {
      schoolIndex.set(e.school.id, schoolEvents.length)
      schoolEvents.push(e)
    }
  }
  const S = parents.length
  const K = schoolEvents.length
  const pop = new Float64Array(S * AGES)
  const baseBirths = new Float64Array(S)
  const catchment = new Int32Array(LEVELS * S).fill(-1)
  for (const e of events) {
    if (e._tag === "PopulationRecorded" && e.year === baseYear) {
      const s = settlementIndex.get(e.settlementId)!
      for (let a = 0; a < AGES; a++) pop[s * AGES + a] = e.byAge[a] ?? 0
    } else if (e._tag === "BirthsRecorded" && e.year === baseYear) {
      baseBirths[settlementIndex.get(e.settlementId)!] = e.births
    } else if (e._tag === "CatchmentAssigned") {
      const s = settlementIndex.get(e.settlementId)
      const k = schoolIndex.get(e.schoolId)
      if (s !== undefined && k !== undefined) catchment[School.levels.indexOf(e.level) * S + s] = k
    }
  }
  const a = Assumptions.defaults
  const survival = Float64Array.from({ length: AGES }, (_, age) => 1 - a.mortality[Math.min(age, a.mortality.length - 1)])
  const parentIndex = Int32Array.from(parents, (p) => (p === undefined ? -1 : (settlementIndex.get(p) ?? -1)))
  const rules = a.migration.map((rule) => {
    const from = Geography.tierIndex(rule.from)
    const toTier = rule.to === "outside" ? -1 : Geography.tierIndex(rule.to)
    const to = new Int32Array(S).fill(-2)
    for (let s = 0; s < S; s++) {
      if (tiers[s] !== from) continue
      if (toTier < 0) {
        to[s] = -1
        continue
      }
      for (let p = parentIndex[s], depth = 0; p >= 0 && depth < 4; p = parentIndex[p], depth++) {
        if (tiers[p] === toTier) {
          to[s] = p
          break
        }
      }
    }
    return { rate: rule.rate, min: rule.ages.min, max: rule.ages.max, to }
  })
  const stay = new Float64Array(GRADES)
  for (let l = 0; l < LEVELS; l++) {
    const level = School.levels[l]
    for (let g = firstGrade[l]; g < endGrade[l]; g++) stay[g] = a.participation[level] * a.retention[level] ** (g - firstGrade[l])
  }
  const cap = new Float64Array(GRADES)
  const caps = [30, 45, 50, 50]
  for (let l = 0; l < LEVELS; l++) for (let g = firstGrade[l]; g < endGrade[l]; g++) cap[g] = caps[l]
  const rooms = new Float64Array(K * GRADES)
  schoolEvents.forEach((e, k) => {
    const taught = School.levelsOf(e.school.type).map((level) => School.levels.indexOf(level))
    let gradesTaught = 0
    for (const l of taught) gradesTaught += endGrade[l] - firstGrade[l]
    for (const l of taught) {
      for (let g = firstGrade[l]; g < endGrade[l]; g++) rooms[k * GRADES + g] = e.school.facilities.classrooms / gradesTaught
    }
  })
  const base = Assumptions.birthIndexAt(a, baseYear)
  const birthIndex = Float64Array.from({ length: horizon + 1 }, (_, y) => Assumptions.birthIndexAt(a, baseYear + y) / base)
  return {
    settlements: S,
    schools: K,
    years: horizon + 1,
    pop,
    next: new Float64Array(S * AGES),
    baseBirths,
    survival,
    rules,
    catchment,
    stay,
    cap,
    rooms,
    enrolled: new Float64Array(K * GRADES),
    classes: new Float64Array(K * GRADES),
    birthIndex
  }
}

/** Runs every year (the base year enrols only); returns the pupils enrolled in the last year. */
export const run = (k: Kernel): number => {
  let pupils = 0
  for (let y = 0; y < k.years; y++) pupils = step(k, y)
  return pupils
}

/** One year: age, bear, migrate (after the base year), then enrol and form classes. Allocation-free. */
const step = (k: Kernel, y: number): number => {
  const S = k.settlements
  if (y > 0) {
    const pop = k.pop
    const next = k.next
    const survival = k.survival
    const index = k.birthIndex[y]
    for (let s = 0, base = 0; s < S; s++, base += AGES) {
      next[base] = k.baseBirths[s] * index
      for (let a = 1; a < AGES; a++) next[base + a] = pop[base + a - 1] * survival[a - 1]
    }
    for (const rule of k.rules) {
      const to = rule.to
      for (let s = 0; s < S; s++) {
        const t = to[s]
        if (t === -2) continue
        const base = s * AGES
        for (let a = rule.min; a <= rule.max; a++) {
          const moved = next[base + a] * rule.rate
          next[base + a] -= moved
          if (t >= 0) next[t * AGES + a] += moved
        }
      }
    }
    k.pop = next
    k.next = pop
  }
  const pop = k.pop
  const enrolled = k.enrolled
  enrolled.fill(0)
  for (let l = 0; l < LEVELS; l++) {
    const zone = l * S
    for (let s = 0; s < S; s++) {
      const school = k.catchment[zone + s]
      if (school < 0) continue
      for (let g = firstGrade[l]; g < endGrade[l]; g++) enrolled[school * GRADES + g] += pop[s * AGES + g + 3] * k.stay[g]
    }
  }
  let total = 0
  const n = k.schools * GRADES
  for (let i = 0; i < n; i++) {
    const p = Math.round(enrolled[i])
    total += enrolled[i]
    if (p <= 0) {
      k.classes[i] = 0
      continue
    }
    const wanted = Math.ceil(p / k.cap[i % GRADES])
    const rooms = Math.max(1, Math.floor(k.rooms[i]))
    k.classes[i] = Math.min(wanted, rooms)
  }
  return total
}
