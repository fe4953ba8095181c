/**
 * The yearly loop: the only loop over years. Each projected year applies the events due, ages and moves
 * the population, then enrols, allocates, forms classes, staffs and records. Deterministic unless a seed
 * is given, in which case births, migration and enrolment are drawn from one seeded generator.
 */
import * as Assumptions from "./Assumptions.js"
import * as Standards from "@seatplan/core/Standards"
import { boards, endGrade, firstGrade, grades, levelNames, levels } from "./Dimensions.js"
import * as Compile from "./Compile.js"
import * as Classes from "./kernels/Classes.js"
import * as Enrolment from "./kernels/Enrolment.js"
import * as Population from "./kernels/Population.js"
import * as Staffing from "./kernels/Staffing.js"
import type { Model } from "./Model.js"
import * as Results from "./Results.js"
import * as Rng from "./Rng.js"
import type { AllocationInput, AllocationOutput } from "./allocation/AllocationRule.js"
import * as Timeline from "./Timeline.js"

export interface RunOptions {
  /** Draw births, migration and enrolment at random from this seed; omitted: deterministic expectations. */
  readonly seed?: number
  /** Keep children by settlement and age for every year (default true). */
  readonly population?: boolean
  /** Record into this cube (made by `Results.make` for this model, population as asked) instead of a new one. */
  readonly cube?: Results.Cube
  /**
   * The model's timeline applied once (`plan`), for many runs of one compiled model that differ only in
   * their assumptions (a sweep's futures): the same cube as applying the timeline's events in this run.
   */
  readonly plan?: Timeline.Plan
  /** Called after each year (for progress bars). */
  readonly onYear?: (yearIndex: number, years: number) => void
}

/** Runs a compiled model over its horizon and returns the recorded cube. The model is consumed. */
export const run = (m: Model, options: RunOptions = {}): Results.Cube =>
  years(m, options.cube ?? Results.make(m, options.population === undefined ? {} : { population: options.population }), 0, options)

/** Runs years `from` to the horizon of `m` (in the state after year `from − 1`), recording into `cube`. */
const years = (m: Model, cube: Results.Cube, from: number, options: RunOptions, kept?: (y: number) => void): Results.Cube => {
  const rng = options.seed === undefined ? undefined : Rng.make(options.seed)
  const rates = Enrolment.rates(m)
  const caps = new Float64Array(grades)
  const baseIndex = Assumptions.birthIndexAt(m.assumptions, m.baseYear)
  const allocation = allocationViews(m)
  for (let y = from; y <= m.horizon; y++) {
    if (y > 0) {
      m.flows.fill(0)
      if (options.plan === undefined) Timeline.applyDue(m, y)
      else Timeline.applyPlanned(m, options.plan, y)
      Staffing.ageTeachers(m)
      Population.age(m)
      Population.bear(
        m,
        baseIndex > 0 ? Assumptions.birthIndexAt(m.assumptions, m.baseYear + y) / baseIndex : 1,
        Assumptions.seriesAt(m.assumptions.generalFertility, m.baseYear + y, 0),
        y,
        rng
      )
      Population.migrate(m, rng)
      Population.arrive(m, y)
      Timeline.applyDemography(m, y)
    }
    Enrolment.enrol(m, rates, rng)
    allocate(m, allocation)
    progress(m, y)
    Classes.formAll(m, caps)
    Staffing.staff(m)
    Results.record(m, y, cube)
    options.onYear?.(y, m.horizon + 1)
    kept?.(y)
  }
  return cube
}

/** The timeline of `compiled` applied once, for runs of fresh copies of it with other assumptions (`RunOptions.plan`). */
export const plan = (compiled: Model): Timeline.Plan => Timeline.plan(Compile.fresh(compiled))

/**
 * A deterministic run that kept the model's state after every year, so that the run of a model changed
 * from some year on (a plan edit dated that year) can start from that year rather than the base year.
 */
export interface Kept {
  /** The model as compiled (not run). */
  readonly model: Model
  readonly cube: Results.Cube
  /** The model's state after each year (index: year − base year). */
  readonly states: ReadonlyArray<Model>
}

/** `run` (deterministic, population kept) keeping the state after every year (`Compile.snapshot` copies). */
export const runKept = (compiled: Model): Kept => {
  const m = Compile.fresh(compiled)
  const states: Array<Model> = []
  const cube = years(m, Results.make(m), 0, {}, () => states.push(Compile.snapshot(m)))
  return { model: compiled, cube, states }
}

/**
 * The run of `compiled`, resuming `previous` where it can: when the two models were compiled alike except
 * for the events of year `y` on (the timeline), years before `y` are `previous`'s and only `y` on are run,
 * from `previous`'s state after `y − 1`. The cube is the one `run` gives (the yearly loop is deterministic
 * and that state is all the loop carries over). Anything else that differs (a new school, new distances,
 * another base) runs every year. `resumedFrom` says the first year run (index).
 *
 * With `consume`, `previous` is given up: its states of the years run again are overwritten with the new
 * ones (`Compile.refill`) instead of allocating a snapshot per year (a run's states are megabytes, and
 * their garbage was a large part of an edit's time in `seatplan serve`); `previous` must not be read again.
 */
export const resume = (
  compiled: Model,
  previous: Kept | undefined,
  options: { readonly consume?: boolean } = {}
): Kept & { readonly resumedFrom: number } => {
  const from = previous === undefined ? 0 : firstChangedYear(previous.model, compiled)
  if (previous === undefined || from === 0) return { ...runKept(compiled), resumedFrom: 0 }
  const states = previous.states.slice(0, from)
  const cube = Results.copyBefore(previous.cube, from)
  if (from > compiled.horizon) return { model: compiled, cube, states, resumedFrom: from }
  const m: Model = { ...Compile.fresh(states[from - 1]), timeline: compiled.timeline, warnings: compiled.warnings }
  const spare = options.consume === true ? previous.states.slice(from).reverse() : []
  years(m, cube, from, {}, () => {
    const into = spare.pop()
    states.push(into === undefined || !Compile.sameShape(into, m) ? Compile.snapshot(m) : Compile.refill(into, m))
  })
  return { model: compiled, cube, states, resumedFrom: from }
}

/**
 * The first year (index) whose run may differ between two compiled models: the first year whose
 * timeline differs when all else is alike (horizon + 1 when nothing differs), else 0.
 */
const firstChangedYear = (a: Model, b: Model): number => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const key of keys) {
    if (key === "timeline" || key === "warnings") continue
    if (!Compile.alike(a[key as keyof Model], b[key as keyof Model])) return 0
  }
  for (let y = 0; y <= a.horizon; y++) if (!Compile.alike(a.timeline[y], b.timeline[y])) return y
  return a.horizon + 1
}

interface Views {
  /** Per level; `distanceKm` is set each year from the standard in force. */
  readonly inputs: ReadonlyArray<AllocationInput & { readonly capacity: Float64Array; readonly beds: Float64Array; distanceKm: number }>
  readonly output: AllocationOutput
}

/** Index in `m.standards` of each level's distance standard (`distance.{level}`). */
const distanceStandard = Int32Array.from(levelNames, (name) => Standards.keys.indexOf(`distance.${name}`))

/** The rule's input for each level and the shared output, built once per run over the model's arrays. */
const allocationViews = (m: Model): Views => {
  const output: AllocationOutput = {
    enrolled: m.enrolled,
    pupilKm: m.pupilKm,
    maxKm: m.maxKm,
    boarders: m.boarders,
    beyond: m.beyond,
    unplaced: m.unplaced,
    scratch: m.scratchK,
    settlementScratch: m.scratchS
  }
  const inputs = levelNames.map((name, l) => ({
    settlements: m.settlements,
    schools: m.schools,
    levels,
    grades,
    level: l,
    firstGrade: firstGrade[l],
    endGrade: endGrade[l],
    demand: m.demand,
    levelDemand: m.levelDemand,
    catchment: m.catchment,
    split: { school: m.splitSchool, share: m.splitShare },
    open: m.open,
    teaches: m.teaches,
    capacity: new Float64Array(m.schools),
    beds: new Float64Array(m.schools),
    candidates: m.candidates.school,
    candidateKm: m.candidates.km,
    candidateCount: m.candidates.count,
    candidateWidth: m.candidates.width,
    boardingKm: m.assumptions.boardingKm[name],
    boards: boards[l] === 1,
    distanceKm: m.standards[distanceStandard[l]]
  }))
  return { inputs, output }
}

/**
 * The grade-progression method (年级升级比): where a school has a ratio for a grade, its pupils in that
 * grade are its pupils of the grade below last year times the ratio; entry grades and grades without a
 * ratio keep the allocation's figure (the population model's entrants). The base year is the recorded
 * enrolment of the calibrated schools.
 */
const progress = (m: Model, y: number): void => {
  const n = m.schools * grades
  for (let i = 0; i < n; i++) {
    if (y === 0) {
      if (!Number.isNaN(m.recordedEnrolment[i])) m.enrolled[i] = m.recordedEnrolment[i]
      continue
    }
    const ratio = m.progression[i]
    if (!Number.isNaN(ratio) && m.open[Math.floor(i / grades)] === 1) m.enrolled[i] = m.previousEnrolled[i - 1] * ratio
  }
  m.previousEnrolled.set(m.enrolled)
}

/** Allocates every level's pupils with the model's rule. */
const allocate = (m: Model, views: Views): void => {
  const out = views.output
  out.enrolled.fill(0)
  out.pupilKm.fill(0)
  out.maxKm.fill(0)
  out.boarders.fill(0)
  out.beyond.fill(0)
  out.unplaced.fill(0)
  for (let l = 0; l < levels; l++) {
    const input = views.inputs[l]
    input.distanceKm = m.standards[distanceStandard[l]]
    for (let k = 0; k < m.schools; k++) {
      const share = Results.levelShare(m, k, l)
      input.capacity[k] = m.open[k] === 1 ? m.seats[k] * share : 0
      input.beds[k] = m.open[k] === 1 ? m.beds[k] * share : 0
    }
    out.scratch.fill(0)
    m.rule.allocate(input, out)
    // a level that does not board (kindergarten) has no boarders, whatever a rule of one's own wrote
    if (boards[l] === 0) for (let k = 0; k < m.schools; k++) out.boarders[k * levels + l] = 0
  }
}
