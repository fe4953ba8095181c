/**
 * A sweep (情景扫描): N futures (`Futures`) × every variant, each projected over the horizon, with the
 * decision figures per future × variant × year × level (the registry's `sweep` table: pupils, pupils over
 * seats, large and super-large classes, teachers short, and the costs of `Compare.costs`).
 *
 * Each variant is compiled once; a future only changes assumptions the yearly loop reads (birth index and
 * fertility, migration rates, participation, retention, housing yields, teacher attrition, unit costs), so
 * a future runs on a fresh copy of the variant's model with the future's assumptions, never a new compile,
 * and the variant's plan is applied once for all its futures (`Engine.plan`). The unit of work, `runRange`, is a pure function of (the variant's model, the space,
 * design, N and seed, a range of futures): it draws the futures itself, so ranges can run anywhere (worker
 * threads here, a job queue elsewhere) and the rows are the same bits whoever ran them.
 */
import { Compile, type Compliance, Counted, Dimensions, Engine, Groups, MonteCarlo, Results } from "@seatplan/sim"
import { Data, Effect } from "effect"
import * as os from "node:os"
import { Worker } from "node:worker_threads"
import * as Futures from "./Futures.js"
import * as Project from "./Project.js"
import * as Scenario from "./Scenario.js"
import type { Loaded } from "./ScenarioLoader.js"

/** The figures of one future × variant × year × level, in the registry's `sweep` table order. */
export interface Row {
  readonly future: number
  readonly future_name: string
  readonly variant: string
  readonly year: number
  readonly level: string
  readonly pupils: number
  readonly pupils_over_seats: number
  readonly large_classes: number
  readonly super_large_classes: number
  readonly capital_cost: number
  readonly recurrent_cost: number
  readonly teachers_short: number
  readonly transport_cost: number
  readonly boarding_subsidy_cost: number
  readonly total_cost: number
}

/** The figures a run gives per year and level, in this order (a flat Float64Array crosses threads). */
export const figures = [
  "pupils",
  "pupils_over_seats",
  "large_classes",
  "super_large_classes",
  "capital_cost",
  "recurrent_cost",
  "teachers_short",
  "transport_cost",
  "boarding_subsidy_cost",
  "total_cost"
] as const
export type Figure = (typeof figures)[number]
const F = figures.length
const L = Dimensions.levels

/**
 * Projects one future on a variant's model: years × levels × figures, summed from the run's cube as
 * `Tables.county` sums them (a school counts while open or holding pupils), without building the table's
 * other columns; the costs as `Compare.costs` prices them (day pupils × the county's mean trip × the
 * transport cost; boarders × the level's subsidy × the share receiving it). A test holds the two equal.
 */
export const project = (model: Compile.Model, assumptions: Compile.Model["assumptions"], counted?: Counted.Spec): Projected =>
  projector(model, counted)(assumptions)

/** What one future on a variant gives: the county's figures, each school's (`schoolFigures`) and each counted standard's. */
export interface Projected {
  /** years × levels × figures. */
  readonly figures: Float64Array
  /** years × slots (`slotsOf`) × school figures (single precision: they feed fan charts and bands only). */
  readonly schools: Float32Array
  /** years × the spec's counted rules: 1 where the rule holds (no failing check) that year (`Counted`); empty without a spec. */
  readonly holds: Uint8Array
}

/** The figures kept per school and level, year and future (the report's per-school fan charts). */
export const schoolFigures = ["pupils", "pupils_over_seats"] as const
const SF = schoolFigures.length

/** A variant's schools × levels in the order of `Projected.schools` (the cube's slots: a school and a level it ever teaches). */
export interface Slots {
  readonly school: ReadonlyArray<string>
  readonly level: ReadonlyArray<string>
}

export const slotsOf = (model: Compile.Model): Slots => {
  const cube = Results.make(model, { population: false })
  return {
    school: Array.from(cube.slotSchool, (k) => model.schoolIds[k]),
    level: Array.from(cube.slotLevel, (l) => Dimensions.levelNames[l])
  }
}

/**
 * Projects futures on one variant's model, reusing one working copy of the model and one cube (refilled
 * per future, `Compile.refill`): a future allocates only its results. The variant's plan is applied once
 * (`Engine.plan`): each future writes what its events did to the plant, catchments and standards, and
 * applies itself only what its assumptions change (teachers, costs, housing). With a spec, the counted
 * standards are checked on the cube too (`Counted.checker`, resolved once here).
 */
export const projector = (model: Compile.Model, counted?: Counted.Spec): ((assumptions: Compile.Model["assumptions"]) => Projected) => {
  const work = Compile.fresh(model)
  const cube = Results.make(work, { population: false })
  const check = counted === undefined ? undefined : Counted.checker(counted, model, cube)
  const plan = Engine.plan(model)
  return (assumptions) => {
    const m = { ...Compile.refill(work, model), assumptions }
    Engine.run(m, { population: false, cube, plan })
    return { ...figuresOf(m, cube), holds: check === undefined ? new Uint8Array(0) : check(m, cube) }
  }
}

const figuresOf = (m: Compile.Model, cube: Results.Cube): Omit<Projected, "holds"> => {
  const out = new Float64Array(cube.years * L * F)
  const schools = new Float32Array(cube.years * cube.slotSchool.length * SF)
  const a = m.assumptions
  const slots = cube.slotSchool.length
  const A = Results.at
  const data = new Float64Array(Results.M)
  const perPupil = Dimensions.levelNames.map((name) => a.recurrentPerPupil[name])
  const subsidy = Dimensions.levelNames.map((name) => a.boardingSubsidy[name] * a.boardingSubsidyShare)
  const boarders = new Float64Array(L)
  const pupilKm = new Float64Array(L)
  for (let y = 0; y < cube.years; y++) {
    boarders.fill(0)
    pupilKm.fill(0)
    for (let i = 0; i < slots; i++) {
      Results.figures(cube, y, i, data)
      const open = data[A.open] === 1
      const pupils = data[A.pupils]
      if (!open && pupils <= 0) continue
      const l = cube.slotLevel[i]
      const o = (y * L + l) * F
      const schoolPupils = data[A.school_pupils]
      const topUp = schoolPupils > 0 && schoolPupils < m.fundingFloor ? (m.fundingFloor - schoolPupils) * (pupils / schoolPupils) : 0
      const gap = data[A.teachers_needed] - data[A.teachers_assigned]
      const over = Math.max(0, pupils - data[A.seats])
      out[o] += pupils
      out[o + 1] += over
      const so = (y * slots + i) * SF
      schools[so] += pupils
      schools[so + 1] += over
      out[o + 2] += data[A.large_classes]
      out[o + 3] += data[A.super_large_classes]
      out[o + 4] += data[A.capital_cost]
      out[o + 5] += open ? perPupil[l] * (pupils + topUp) : 0
      // teachers short: Σ over the schools lacking them (a surplus elsewhere does not fill them)
      if (gap > 0) out[o + 6] += gap
      boarders[l] += data[A.boarders]
      if (pupils > 0) pupilKm[l] += data[A.pupil_km]
    }
    for (let l = 0; l < L; l++) {
      const o = (y * L + l) * F
      const pupils = out[o]
      const meanKm = pupils > 0 ? pupilKm[l] / pupils : 0
      out[o + 7] = Math.max(0, pupils - boarders[l]) * meanKm * a.transportPerPupilKm
      out[o + 8] = boarders[l] * subsidy[l]
      out[o + 9] = out[o + 4] + out[o + 5] + out[o + 7] + out[o + 8]
    }
  }
  return { figures: out, schools }
}

/** What a sweep draws: the scenario's uncertainty and named futures, the design, N and the seed. */
export interface Draw {
  readonly space: Futures.Space
  readonly design: Futures.Design
  readonly futures: number
  readonly seed: number
  readonly years: Futures.Years
}

/** The futures of a draw (the same for every unit: each unit draws them again). */
export const futuresOf = (draw: Draw): ReadonlyArray<Futures.Future> => Futures.draw(draw.space, draw.design, draw.futures, draw.seed)

/**
 * The unit of work: futures [from, to) of the draw projected on one variant's model, each as
 * years × levels × figures. Pure: the same arguments give the same bits wherever it runs.
 */
export const runRange = (
  model: Compile.Model,
  draw: Draw,
  from: number,
  to: number,
  onFuture?: () => void,
  counted?: Counted.Spec
): ReadonlyArray<Projected> => {
  const futures = futuresOf(draw).slice(from, to)
  const run = projector(model, counted)
  return futures.map((f) => {
    const out = run(Futures.assumptionsOf(model.assumptions, f, draw.years))
    onFuture?.()
    return out
  })
}

/** The rows of one future × variant from its figures. */
export const rowsOf = (future: Futures.Future, variant: string, baseYear: number, values: Float64Array): Array<Row> => {
  const rows: Array<Row> = []
  const years = values.length / (L * F)
  for (let y = 0; y < years; y++) {
    for (let l = 0; l < L; l++) {
      const o = (y * L + l) * F
      rows.push({
        future: future.id,
        future_name: future.name,
        variant,
        year: baseYear + y,
        level: Dimensions.levelNames[l],
        pupils: values[o],
        pupils_over_seats: values[o + 1],
        large_classes: values[o + 2],
        super_large_classes: values[o + 3],
        capital_cost: values[o + 4],
        recurrent_cost: values[o + 5],
        teachers_short: values[o + 6],
        transport_cost: values[o + 7],
        boarding_subsidy_cost: values[o + 8],
        total_cost: values[o + 9]
      })
    }
  }
  return rows
}

/** A loaded scenario's draw: its uncertainty and named futures, years, and the design, N and seed asked for. */
export const drawOf = (loaded: Loaded, design: Futures.Design, futures: number, seed: number): Draw => {
  const options = Scenario.compileOptions(loaded.scenario)
  return {
    space: { uncertainty: loaded.scenario.uncertainty ?? {}, named: loaded.scenario.futures ?? [] },
    design,
    futures,
    seed,
    years: { baseYear: options.baseYear, horizon: options.horizon }
  }
}

/**
 * The variants a sweep runs (the scenario's plan variants, or the baseline when it has none; `only` to
 * choose), each compiled once from the store (`Project.store` first), with what its counted standards need
 * (the scenario's rules, the variant's groups, what its schools lack: `Counted.spec`, as `run` checks them).
 */
export const compileVariants = (loaded: Loaded, only: ReadonlyArray<string> = []) =>
  Effect.gen(function* () {
    const known = loaded.scenario.variants.map((v) => v.name)
    const unknown = only.filter((v) => !known.includes(v))
    if (unknown.length > 0) {
      return yield* new Project.RunError({
        reason: `${loaded.file}: no variant ${unknown.join(", ")}; the scenario has ${known.length === 0 ? "none" : known.join(", ")}`
      })
    }
    const chosen = only.length > 0 ? only : known.length > 0 ? known : ["baseline"]
    const out: Array<Variant> = []
    for (const variant of chosen) {
      const { model, events } = yield* Project.compiled(loaded, variant)
      const groups = Groups.byYear(
        events.map((e) => e.event),
        model.baseYear,
        model.baseYear + model.horizon
      )
      out.push({ variant, model, counted: Counted.spec(loaded.rules, groups, loaded.missing ?? new Map()) })
    }
    return out
  })

/** A variant a sweep runs: its one compiled model and, to check its counted standards in every future, their spec. */
export interface Variant {
  readonly variant: string
  readonly model: Compile.Model
  readonly counted?: Counted.Spec
}

export interface Options {
  /** Each variant's one compiled model, in the order the rows list them. */
  readonly models: ReadonlyArray<Variant>
  readonly draw: Draw
  /** Worker threads (default: the machine's cores, at most the futures); 0 runs in this thread. */
  readonly workers?: number
  readonly onProgress?: (done: number, total: number) => void
}

/** The county figures of a sweep: what robustness, regret and the county's bands are read from. */
export interface Rows {
  readonly futures: ReadonlyArray<Futures.Future>
  readonly variants: ReadonlyArray<string>
  readonly rows: ReadonlyArray<Row>
}

export interface Result extends Rows {
  /** Per variant and future, years × slots × `schoolFigures`. */
  readonly schools: ReadonlyArray<ReadonlyArray<Float32Array>>
  /** Each variant's slots (school and level), in the order of `schools`. */
  readonly slots: ReadonlyArray<Slots>
  /** The first year of every figure. */
  readonly baseYear: number
  /** Per variant, its counted rules (`Counted.Spec.rules`; none without a spec). */
  readonly rules: ReadonlyArray<ReadonlyArray<Compliance.Rule>>
  /** Per variant and future, years × its counted rules: 1 where the rule holds that year. */
  readonly holds: ReadonlyArray<ReadonlyArray<Uint8Array>>
}

/** Why a sweep could not run (a rule of one's own cannot cross to a worker; a worker failed). */
export class SweepError extends Data.TaggedError("SweepError")<{ readonly reason: string }> {
  override get message() {
    return this.reason
  }
}

/**
 * Runs every future on every variant, in worker threads when asked: futures are cut into one contiguous
 * range per worker and variant, results are placed by (variant, future), so the rows are the same bits
 * whatever the number of workers.
 */
export const run = (options: Options): Effect.Effect<Result, SweepError> =>
  Effect.gen(function* () {
    const futures = futuresOf(options.draw)
    const n = futures.length
    const V = options.models.length
    const total = n * V
    const results: Array<Array<Projected>> = options.models.map(() => new Array(n))
    let done = 0
    const progress = () => options.onProgress?.(++done, total)
    const workers = Math.max(0, Math.min(options.workers ?? os.availableParallelism(), n))
    if (workers === 0) {
      options.models.forEach((v, i) => {
        runRange(v.model, options.draw, 0, n, progress, v.counted).forEach((r, f) => (results[i][f] = r))
      })
    } else {
      const shipped: Array<MonteCarlo.Shipped> = []
      for (const v of options.models) {
        const s = MonteCarlo.ship(v.model)
        if (s instanceof Compile.CompileError) return yield* Effect.fail(new SweepError({ reason: s.message }))
        shipped.push(s)
      }
      const per = Math.ceil(n / workers)
      const ranges = Array.from({ length: workers }, (_, w) => [w * per, Math.min(n, (w + 1) * per)] as const).filter(([a, b]) => b > a)
      const counted = options.models.map((v) => v.counted)
      yield* Effect.forEach(ranges, ([from, to]) => inWorker(shipped, counted, options.draw, from, to, results, progress), {
        concurrency: "unbounded",
        discard: true
      })
    }
    const baseYear = options.models[0]?.model.baseYear ?? options.draw.years.baseYear
    const rows: Array<Row> = []
    options.models.forEach((v, i) => {
      futures.forEach((f, j) => {
        for (const r of rowsOf(f, v.variant, baseYear, results[i][j].figures)) rows.push(r)
      })
    })
    return {
      futures,
      variants: options.models.map((v) => v.variant),
      rows,
      schools: results.map((r) => r.map((p) => p.schools)),
      slots: options.models.map((v) => slotsOf(v.model)),
      baseYear,
      rules: options.models.map((v) => v.counted?.rules ?? []),
      holds: results.map((r) => r.map((p) => p.holds))
    }
  })

/** The message a sweep worker posts for each future it has run, or its error. */
export type WorkerMessage = { readonly variant: number; readonly future: number; readonly values: Projected } | { readonly error: string }

/** What a sweep worker is started with. */
export interface WorkerData {
  readonly shipped: ReadonlyArray<MonteCarlo.Shipped>
  /** Per variant, what its counted standards need (plain data; undefined: not checked). */
  readonly counted: ReadonlyArray<Counted.Spec | undefined>
  readonly draw: Draw
  readonly from: number
  readonly to: number
}

const inWorker = (
  shipped: ReadonlyArray<MonteCarlo.Shipped>,
  counted: ReadonlyArray<Counted.Spec | undefined>,
  draw: Draw,
  from: number,
  to: number,
  results: Array<Array<Projected>>,
  progress: () => void
): Effect.Effect<void, SweepError> =>
  Effect.async<void, SweepError>((resume) => {
    const data: WorkerData = { shipped, counted, draw, from, to }
    const worker = new Worker(new URL("./internal/sweepWorker.mjs", import.meta.url), { workerData: data })
    let failed = false
    worker.on("message", (message: WorkerMessage) => {
      if ("error" in message) {
        failed = true
        resume(Effect.fail(new SweepError({ reason: message.error })))
        void worker.terminate()
        return
      }
      results[message.variant][message.future] = message.values
      progress()
    })
    worker.on("error", (e) => {
      failed = true
      resume(Effect.fail(new SweepError({ reason: String(e) })))
    })
    worker.on("exit", () => {
      if (!failed) resume(Effect.void)
    })
    return Effect.promise(() => worker.terminate())
  })
