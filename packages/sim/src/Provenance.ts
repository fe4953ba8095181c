/**
 * Where a number comes from (来源): the pupils or classes of one school and level in one projected year,
 * traced back through the run that produced them. The trace names the settlements whose children fed the
 * school (children of each grade's age × participation × retention), the share the allocation rule sent
 * to it in its first pass, what the rule's overflow added or took away, the grades projected by grade
 * progression (last year's grade below × the ratio), and each grade's classes (pupils over the cap, or
 * the rooms there are). The parts add up to the engine's figure, which the trace also carries.
 *
 * It reruns the deterministic engine (the figures of `Tables.schools` without a seed) and reads the
 * model's arrays in the traced year; nothing in the yearly loop changes.
 */
import type * as Event from "@seatplan/core/Event"
import * as School from "@seatplan/core/School"
import { Either } from "effect"
import * as Compile from "./Compile.js"
import { ages, endGrade, firstGrade, grades, levelIndex, levels } from "./Dimensions.js"
import * as Engine from "./Engine.js"
import * as Enrolment from "./kernels/Enrolment.js"
import * as Results from "./Results.js"

/** What to trace. */
export interface Query {
  readonly year: number
  readonly schoolId: string
  readonly level: School.Level
}

/** One grade of a settlement's children: `children` of `age`, `pupils` = children × the grade's rate. */
export interface Cohort {
  readonly grade: number
  readonly age: number
  readonly children: number
  /** Participation × retention compounded over the grades passed × (1 − repetition). */
  readonly rate: number
  /** Children a year older who repeat the grade, and their rate (0 without repetition). */
  readonly older: number
  readonly repeatRate: number
  readonly pupils: number
}

/** A settlement whose pupils the school takes as their home school (its catchment, 学区). */
export interface Contribution {
  readonly settlementId: string
  readonly tier: "county-seat" | "township" | "village"
  /** The cohorts of the grades the allocation places (all the level's grades but those projected by ratio). */
  readonly cohorts: ReadonlyArray<Cohort>
  readonly pupils: number
  /** The rule's first-pass share (1 when the school has the seats for its catchment). */
  readonly share: number
  readonly sent: number
}

/** How one grade's figure was made. */
export interface GradeStep {
  readonly grade: number
  readonly pupils: number
  /** `allocation` (the rule placed the settlements' pupils), `progression` (ratio), `recorded` (base year). */
  readonly source: "allocation" | "progression" | "recorded"
  readonly previous: number | undefined
  readonly ratio: number | undefined
  readonly classes: number
  readonly cap: number
  readonly maxClass: number
}

export interface Trace {
  readonly year: number
  readonly baseYear: number
  readonly schoolId: string
  readonly level: School.Level
  readonly open: boolean
  readonly method: "cohort-component" | "grade-progression"
  readonly rule: { readonly name: string; readonly description: string }
  /** The assumptions of the level that turn children into pupils. */
  readonly participation: number
  readonly retention: number
  readonly repetition: number
  /** Seats of the level (the school's seats × the level's share of its grades) and classrooms of the school. */
  readonly seats: number
  readonly classrooms: number
  readonly settlements: ReadonlyArray<Contribution>
  /** Pupils of all the settlements whose home school this is (the rule's first pass compares it with the seats). */
  readonly catchmentPupils: number
  readonly fromSettlements: number
  /**
   * The allocated pupils not accounted for by the catchment's first pass: positive when other catchments'
   * overflow came in (or this catchment's overflow found no seat elsewhere and stayed), negative when
   * pupils left for other schools.
   */
  readonly overflow: number
  readonly grades: ReadonlyArray<GradeStep>
  /** The engine's figures for the school and level in that year. */
  readonly pupils: number
  readonly classes: number
}

/** Why a trace cannot be made: it names what was asked and what exists. */
export interface ProvenanceError {
  readonly _tag: "ProvenanceError"
  readonly message: string
}

const fail = (message: string): Either.Either<never, ProvenanceError> => Either.left({ _tag: "ProvenanceError", message })

const tierName = ["county-seat", "township", "village"] as const

/** The school a settlement's pupils of level `l` go to first: its zoned school if it serves, else the nearest that does. */
const homeSchool = (m: Compile.Model, s: number, l: number): number => {
  const serves = (k: number) => k >= 0 && m.open[k] === 1 && m.teaches[k * levels + l] === 1
  const zoned = m.catchment[l * m.settlements + s]
  if (serves(zoned)) return zoned
  const c = m.candidates
  const base = (s * levels + l) * c.width
  for (let i = 0; i < c.count[s * levels + l]; i++) if (serves(c.school[base + i])) return c.school[base + i]
  return -1
}

/**
 * Traces the pupils and classes of `query.schoolId` at `query.level` in `query.year` (from the base year
 * to the end of the horizon) in the run of `events` compiled with `options`.
 */
export const trace = (
  events: ReadonlyArray<Event.Event>,
  options: Compile.Options,
  query: Query
): Either.Either<Trace, ProvenanceError> => {
  let m: Compile.Model
  try {
    m = Compile.compile(events, options)
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e))
  }
  const y = query.year - m.baseYear
  if (!(Number.isInteger(y) && y >= 0 && y <= m.horizon)) {
    return fail(`year: expected a year from ${m.baseYear} to ${m.baseYear + m.horizon}, found ${query.year}`)
  }
  const k = m.schoolIndex.get(query.schoolId)
  if (k === undefined) return fail(`school: no school ${query.schoolId} in this stream; schools are ${m.schoolIds.slice(0, 12).join(", ")}${m.schoolIds.length > 12 ? ", …" : ""}`)
  if (!School.levels.includes(query.level)) return fail(`level: expected one of ${School.levels.join(", ")}, found ${query.level}`)
  const l = levelIndex(query.level)
  const rates = Enrolment.rates(m)
  let previous: Float64Array | undefined
  let snapshot: { enrolled: Float64Array; demand: Float64Array; pop: Float64Array; classes: Float64Array; maxClass: Float64Array } | undefined
  let seats = 0
  let classrooms = 0
  let open = false
  const homes = new Int32Array(m.settlements)
  Engine.run(m, {
    population: false,
    onYear: (yi) => {
      if (yi === y - 1) previous = m.enrolled.slice()
      if (yi !== y) return
      snapshot = { enrolled: m.enrolled.slice(), demand: m.demand.slice(), pop: m.pop.slice(), classes: m.classes.slice(), maxClass: m.maxClass.slice() }
      open = m.open[k] === 1
      seats = open ? m.seats[k] * Results.levelShare(m, k, l) : 0
      classrooms = m.classrooms[k]
      for (let s = 0; s < m.settlements; s++) homes[s] = homeSchool(m, s, l)
    }
  })
  const snap = snapshot!
  const gradeSteps: Array<GradeStep> = []
  const allocated: Array<number> = []
  for (let g = firstGrade[l]; g < endGrade[l]; g++) {
    const i = k * grades + g
    const ratio = m.progression[i]
    const recorded = y === 0 && m.recordedEnrolment[i] === m.recordedEnrolment[i]
    const byRatio = y > 0 && ratio === ratio && open
    if (!recorded && !byRatio) allocated.push(g)
    gradeSteps.push({
      grade: g - 2,
      pupils: snap.enrolled[i],
      source: recorded ? "recorded" : byRatio ? "progression" : "allocation",
      previous: byRatio ? previous![i - 1] : undefined,
      ratio: byRatio ? ratio : undefined,
      classes: snap.classes[i],
      cap: m.classCap[l],
      maxClass: snap.maxClass[i]
    })
  }
  const levelPupils = (s: number) => {
    let n = 0
    for (let g = firstGrade[l]; g < endGrade[l]; g++) n += snap.demand[s * grades + g]
    return n
  }
  let catchmentPupils = 0
  for (let s = 0; s < m.settlements; s++) if (homes[s] === k) catchmentPupils += levelPupils(s)
  const ruleName = m.rule.name
  const share = ruleName === "catchment-then-nearest" && catchmentPupils > seats ? seats / catchmentPupils : 1
  const settlements: Array<Contribution> = []
  for (let s = 0; s < m.settlements; s++) {
    if (homes[s] !== k) continue
    const cohorts = allocated.map((g): Cohort => {
      const age = g + 3
      const children = snap.pop[s * ages + age]
      const older = age + 1 < ages ? snap.pop[s * ages + age + 1] : 0
      return { grade: g - 2, age, children, rate: rates.stay[g], older, repeatRate: rates.repeat[g], pupils: snap.demand[s * grades + g] }
    })
    const pupils = cohorts.reduce((n, c) => n + c.pupils, 0)
    if (pupils <= 0) continue
    settlements.push({ settlementId: m.settlementIds[s], tier: tierName[m.tier[s]], cohorts, pupils, share, sent: pupils * share })
  }
  const fromSettlements = settlements.reduce((n, c) => n + c.sent, 0)
  const allocatedPupils = allocated.reduce((n, g) => n + snap.enrolled[k * grades + g], 0)
  const a = m.assumptions
  return Either.right({
    year: query.year,
    baseYear: m.baseYear,
    schoolId: query.schoolId,
    level: query.level,
    open,
    method: options.method?.kind ?? "cohort-component",
    rule: { name: ruleName, description: m.rule.description },
    participation: a.participation[query.level],
    retention: a.retention[query.level],
    repetition: a.repetition[query.level],
    seats,
    classrooms,
    settlements,
    catchmentPupils,
    fromSettlements,
    overflow: allocatedPupils - fromSettlements,
    grades: gradeSteps,
    pupils: gradeSteps.reduce((n, g) => n + g.pupils, 0),
    classes: gradeSteps.reduce((n, g) => n + g.classes, 0)
  })
}
