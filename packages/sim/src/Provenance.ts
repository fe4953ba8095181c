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

/** The model's arrays in the traced year (and the year before), copied during one run. */
interface Snapshot {
  readonly m: Compile.Model
  readonly y: number
  readonly method: Trace["method"]
  readonly previous: Float64Array | undefined
  readonly enrolled: Float64Array
  readonly demand: Float64Array
  readonly pop: Float64Array
  readonly classes: Float64Array
  readonly maxClass: Float64Array
  readonly open: Uint8Array
  readonly teaches: Uint8Array
  readonly seats: Float64Array
  readonly classrooms: Float64Array
  /** level × settlement → home school. */
  readonly homes: Int32Array
}

/** Compiles and runs once, copying the arrays of the traced year. */
const capture = (
  events: ReadonlyArray<Event.Event>,
  options: Compile.Options,
  year: number
): Either.Either<Snapshot, ProvenanceError> => {
  let m: Compile.Model
  try {
    m = Compile.compile(events, options)
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e))
  }
  const y = year - m.baseYear
  if (!(Number.isInteger(y) && y >= 0 && y <= m.horizon)) {
    return fail(`year: expected a year from ${m.baseYear} to ${m.baseYear + m.horizon}, found ${year}`)
  }
  let snapshot: Snapshot | undefined
  let previous: Float64Array | undefined
  const model = m
  Engine.run(m, {
    population: false,
    onYear: (yi) => {
      if (yi === y - 1) previous = model.enrolled.slice()
      if (yi !== y) return
      const homes = new Int32Array(levels * model.settlements)
      for (let l = 0; l < levels; l++) for (let s = 0; s < model.settlements; s++) homes[l * model.settlements + s] = homeSchool(model, s, l)
      const seats = new Float64Array(model.schools)
      for (let k = 0; k < model.schools; k++) seats[k] = model.seats[k]
      snapshot = {
        m: model,
        y,
        method: options.method?.kind ?? "cohort-component",
        previous,
        enrolled: model.enrolled.slice(),
        demand: model.demand.slice(),
        pop: model.pop.slice(),
        classes: model.classes.slice(),
        maxClass: model.maxClass.slice(),
        open: model.open.slice(),
        teaches: model.teaches.slice(),
        seats,
        classrooms: model.classrooms.slice(),
        homes
      }
    }
  })
  return Either.right(snapshot!)
}

/** The trace of school `k` at level `l` from a snapshot. */
const build = (snap: Snapshot, k: number, l: number): Trace => {
  const { m, y } = snap
  const level = School.levels[l]
  const open = snap.open[k] === 1
  const teachesNow = snap.teaches
  const seats = open ? snap.seats[k] * shareOf(teachesNow, k, l) : 0
  const rates = Enrolment.rates(m)
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
      previous: byRatio ? snap.previous![i - 1] : undefined,
      ratio: byRatio ? ratio : undefined,
      classes: snap.classes[i],
      cap: m.classCap[l],
      maxClass: snap.maxClass[i]
    })
  }
  const homes = snap.homes.subarray(l * m.settlements, (l + 1) * m.settlements)
  let catchmentPupils = 0
  for (let s = 0; s < m.settlements; s++) {
    if (homes[s] !== k) continue
    for (let g = firstGrade[l]; g < endGrade[l]; g++) catchmentPupils += snap.demand[s * grades + g]
  }
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
  return {
    year: m.baseYear + y,
    baseYear: m.baseYear,
    schoolId: m.schoolIds[k],
    level,
    open,
    method: snap.method,
    rule: { name: ruleName, description: m.rule.description },
    participation: a.participation[level],
    retention: a.retention[level],
    repetition: a.repetition[level],
    seats,
    classrooms: snap.classrooms[k],
    settlements,
    catchmentPupils,
    fromSettlements,
    overflow: allocatedPupils - fromSettlements,
    grades: gradeSteps,
    pupils: gradeSteps.reduce((n, g) => n + g.pupils, 0),
    classes: gradeSteps.reduce((n, g) => n + g.classes, 0)
  }
}

/** The level's share of a school's seats: its grades over all the grades the school teaches (as `Results.levelShare`). */
const shareOf = (teaches: Uint8Array, k: number, l: number): number => {
  if (teaches[k * levels + l] === 0) return 0
  let all = 0
  for (let j = 0; j < levels; j++) if (teaches[k * levels + j] === 1) all += endGrade[j] - firstGrade[j]
  return all === 0 ? 0 : (endGrade[l] - firstGrade[l]) / all
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
  if (!School.levels.includes(query.level)) return fail(`level: expected one of ${School.levels.join(", ")}, found ${query.level}`)
  return Either.flatMap(capture(events, options, query.year), (snap) => {
    const k = snap.m.schoolIndex.get(query.schoolId)
    if (k === undefined) {
      const ids = snap.m.schoolIds
      return fail(`school: no school ${query.schoolId} in this stream; schools are ${ids.slice(0, 12).join(", ")}${ids.length > 12 ? ", …" : ""}`)
    }
    return Either.right(build(snap, k, levelIndex(query.level)))
  })
}

/**
 * Traces every school and level with pupils (or open and teaching the level) in `year`, from one run:
 * the provenance of a whole year of the schools table, e.g. for a report where clicking a school's
 * figure shows how it was produced.
 */
export const traceAll = (
  events: ReadonlyArray<Event.Event>,
  options: Compile.Options,
  year: number
): Either.Either<ReadonlyArray<Trace>, ProvenanceError> =>
  Either.map(capture(events, options, year), (snap) => {
    const out: Array<Trace> = []
    for (let k = 0; k < snap.m.schools; k++) {
      for (let l = 0; l < levels; l++) {
        let pupils = 0
        for (let g = firstGrade[l]; g < endGrade[l]; g++) pupils += snap.enrolled[k * grades + g]
        if (pupils > 0 || (snap.open[k] === 1 && snap.teaches[k * levels + l] === 1)) out.push(build(snap, k, l))
      }
    }
    return out
  })
