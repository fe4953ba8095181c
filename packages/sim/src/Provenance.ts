/**
 * Where a number comes from (来源): the pupils or classes of one school and level in one projected year,
 * traced back through the run that produced them. The trace names the settlements whose children fed the
 * school (children of each grade's age × participation × retention), the share the allocation rule sent
 * to it in its first pass, what the rule's overflow added or took away, the grades projected by grade
 * progression (last year's grade below × the ratio), and each grade's classes (pupils over the cap, or
 * the rooms there are). The parts add up to the engine's figure, which the trace also carries.
 *
 * It reruns the deterministic engine on a copy of the compiled model (the figures of `Tables.schools`
 * without a seed), listens to the model's own allocation rule in the traced year (its input's home
 * schools and seats, and each settlement's first `send`) and reads the model's arrays; nothing in the
 * yearly loop changes and nothing here knows how any rule allocates.
 */
import * as Geography from "@seatplan/core/Geography"
import * as School from "@seatplan/core/School"
import { Either } from "effect"
import * as Compile from "./Compile.js"
import { ages, endGrade, firstGrade, grades, levelIndex, levels } from "./Dimensions.js"
import * as Engine from "./Engine.js"
import * as Enrolment from "./kernels/Enrolment.js"
import * as AllocationRule from "./allocation/AllocationRule.js"

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
  readonly tier: Geography.Tier
  /** The cohorts of the grades the allocation places (all the level's grades but those projected by ratio). */
  readonly cohorts: ReadonlyArray<Cohort>
  readonly pupils: number
  /**
   * The share of the settlement's pupils the rule's first pass sent here: its first `send` of them (1 when
   * the school has the seats for its catchment; 0 when that send went to another school).
   */
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

/** The model's arrays in the traced year (and the year before), copied during one run. */
interface Snapshot {
  readonly m: Compile.Model
  readonly y: number
  readonly previous: Float64Array | undefined
  readonly enrolled: Float64Array
  readonly demand: Float64Array
  readonly pop: Float64Array
  readonly classes: Float64Array
  readonly maxClass: Float64Array
  readonly open: Uint8Array
  readonly teaches: Uint8Array
  readonly classrooms: Float64Array
  /** What the rule saw and did, per level, in the traced year (see `Listener`). */
  readonly rule: Listened
}

/**
 * What the model's own rule saw and did in the traced year, recorded as the engine called it: for each
 * level × settlement the home school (`AllocationRule.homeSchool` of the rule's input), the school and
 * share of the rule's first `send` of its pupils; for each level × school the seats the rule was given.
 */
interface Listened {
  readonly homes: Int32Array
  readonly firstTo: Int32Array
  readonly firstShare: Float64Array
  readonly capacity: Float64Array
}

/** The model with its rule wrapped to listen to it in year index `y`: the arrays the rule writes are the engine's, unchanged. */
const listening = (m: Compile.Model, y: number, current: () => number): { readonly model: Compile.Model; readonly listened: Listened } => {
  const S = m.settlements
  const K = m.schools
  const listened: Listened = {
    homes: new Int32Array(levels * S).fill(-1),
    firstTo: new Int32Array(levels * S).fill(-1),
    firstShare: new Float64Array(levels * S),
    capacity: new Float64Array(levels * K)
  }
  const rule = m.rule
  const allocate = (input: AllocationRule.AllocationInput, output: AllocationRule.AllocationOutput): void => {
    if (current() !== y) return rule.allocate(input, output)
    const l = input.level
    for (let s = 0; s < S; s++) listened.homes[l * S + s] = AllocationRule.homeSchool(input, s)
    listened.capacity.set(input.capacity.subarray(0, K), l * K)
    const onSend = (s: number, k: number, share: number) => {
      if (listened.firstTo[l * S + s] !== -1) return
      listened.firstTo[l * S + s] = k
      listened.firstShare[l * S + s] = share
    }
    rule.allocate(input, { ...output, onSend })
  }
  return { model: { ...m, rule: { ...rule, allocate } }, listened }
}

/** Runs a copy of the compiled model once, deterministically, copying the arrays of the traced year. */
const capture = (model: Compile.Model, year: number): Either.Either<Snapshot, ProvenanceError> => {
  const y = year - model.baseYear
  if (!(Number.isInteger(y) && y >= 0 && y <= model.horizon)) {
    return fail(`year: expected a year from ${model.baseYear} to ${model.baseYear + model.horizon}, found ${year}`)
  }
  let snapshot: Snapshot | undefined
  let previous: Float64Array | undefined
  let current = 0
  const { model: m, listened } = listening(Compile.fresh(model), y, () => current)
  Engine.run(m, {
    population: false,
    onYear: (yi) => {
      current = yi + 1
      if (yi === y - 1) previous = m.enrolled.slice()
      if (yi !== y) return
      snapshot = {
        m,
        y,
        previous,
        enrolled: m.enrolled.slice(),
        demand: m.demand.slice(),
        pop: m.pop.slice(),
        classes: m.classes.slice(),
        maxClass: m.maxClass.slice(),
        open: m.open.slice(),
        teaches: m.teaches.slice(),
        classrooms: m.classrooms.slice(),
        rule: listened
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
  const seats = snap.rule.capacity[l * m.schools + k]
  const rates = Enrolment.rates(m)
  const gradeSteps: Array<GradeStep> = []
  const allocated: Array<number> = []
  for (let g = firstGrade[l]; g < endGrade[l]; g++) {
    const i = k * grades + g
    const ratio = m.progression[i]
    const recorded = y === 0 && !Number.isNaN(m.recordedEnrolment[i])
    const byRatio = y > 0 && !Number.isNaN(ratio) && open
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
  const homes = snap.rule.homes.subarray(l * m.settlements, (l + 1) * m.settlements)
  let catchmentPupils = 0
  for (let s = 0; s < m.settlements; s++) {
    if (homes[s] !== k) continue
    for (let g = firstGrade[l]; g < endGrade[l]; g++) catchmentPupils += snap.demand[s * grades + g]
  }
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
    // the rule's first send of the settlement's pupils: its share when it went here, none when it went elsewhere
    const share = snap.rule.firstTo[l * m.settlements + s] === k ? snap.rule.firstShare[l * m.settlements + s] : 0
    settlements.push({ settlementId: m.settlementIds[s], tier: Geography.tiers[m.tier[s]], cohorts, pupils, share, sent: pupils * share })
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
    method: m.method,
    rule: { name: m.rule.name, description: m.rule.description },
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

/**
 * Traces the pupils and classes of `query.schoolId` at `query.level` in `query.year` (from the base year
 * to the end of the horizon) in a deterministic run of a copy of `model`, the compiled model the tables
 * came from (provenance never compiles).
 */
export const trace = (model: Compile.Model, query: Query): Either.Either<Trace, ProvenanceError> => {
  if (!School.levels.includes(query.level)) return fail(`level: expected one of ${School.levels.join(", ")}, found ${query.level}`)
  return Either.flatMap(capture(model, query.year), (snap) => {
    const k = snap.m.schoolIndex.get(query.schoolId)
    if (k === undefined) {
      const ids = snap.m.schoolIds
      return fail(
        `school: no school ${query.schoolId} in this stream; schools are ${ids.slice(0, 12).join(", ")}${ids.length > 12 ? ", …" : ""}`
      )
    }
    const l = levelIndex(query.level)
    let pupils = 0
    for (let g = firstGrade[l]; g < endGrade[l]; g++) pupils += snap.enrolled[k * grades + g]
    if (pupils === 0 && snap.teaches[k * levels + l] !== 1) {
      const taught = School.levels.filter((_, x) => snap.teaches[k * levels + x] === 1)
      return fail(
        `level: ${query.schoolId} does not teach ${query.level} in ${query.year}; it teaches ${taught.length === 0 ? "no level" : taught.join(", ")}`
      )
    }
    return Either.right(build(snap, k, l))
  })
}

/**
 * Traces every school and level with pupils (or open and teaching the level) in `year`, from one run:
 * the provenance of a whole year of the schools table, e.g. for a report where clicking a school's
 * figure shows how it was produced.
 */
export const traceAll = (model: Compile.Model, year: number): Either.Either<ReadonlyArray<Trace>, ProvenanceError> =>
  Either.map(capture(model, year), (snap) => {
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
