/**
 * Monte Carlo: N replicates of a stochastic run (births, migration and enrolment drawn from seeded
 * generators), in worker threads, summarised as the 5th, 50th and 95th percentiles of the county table.
 * Replicate r uses the seed `Rng.derive(seed, r)`, so a replicate's result does not depend on which
 * worker ran it nor on how many workers there were: the same seed gives identical bands.
 */
import { Effect } from "effect"
import * as os from "node:os"
import { Worker } from "node:worker_threads"
import { quantileSorted } from "simple-statistics"
import type * as Assumptions from "./Assumptions.js"
import * as Compile from "./Compile.js"
import { levelNames } from "./Dimensions.js"
import * as Engine from "./Engine.js"
import * as Results from "./Results.js"
import * as Rng from "./Rng.js"
import * as AllocationRule from "./allocation/index.js"
import { quantile } from "./backtest/Metrics.js"
import * as Tables from "./Tables.js"

/** County figures summarised across replicates. */
export const metrics = [
  "children",
  "pupils",
  "seats",
  "pupils_over_seats",
  "idle_seats",
  "classes",
  "large_classes",
  "super_large_classes",
  "large_class_share",
  "teachers_needed",
  "teachers_assigned",
  "teacher_gap",
  "boarders",
  "boarding_bed_gap",
  "unplaced",
  "capital_cost",
  "recurrent_cost"
] as const
export type Metric = (typeof metrics)[number]

export interface Options {
  /**
   * The compiled model (`Compile.compile`), shared with the deterministic run, the tables and provenance:
   * Monte Carlo never compiles. Each replicate runs on its own copy (`Compile.fresh`); workers receive a
   * structured clone of it (typed arrays copied bit for bit), the rule by name.
   */
  readonly model: Compile.Model
  readonly replicates: number
  readonly seed: number
  /**
   * Replicate r's assumptions (one per replicate; default the model's): with a scenario's uncertainty each
   * replicate draws a future as well as noise (`run --replicates --calibration`).
   */
  readonly assumptions?: ReadonlyArray<Assumptions.Assumptions>
  /**
   * Each school's catchment area (`Backtest.areas`): when given, the summary also has every school's and
   * every area's band of pupils per level and year (`Summary.cells`), for bands calibrated at those scopes.
   */
  readonly areas?: ReadonlyMap<string, string>
  /** Worker threads (default: the machine's cores, at most the replicates). 0 runs in this thread. */
  readonly workers?: number
  readonly onProgress?: (done: number, total: number) => void
}

export interface BandRow {
  readonly year: number
  readonly level: string
  readonly metric: Metric
  readonly p5: number
  readonly p50: number
  readonly p95: number
  readonly mean: number
}

export interface Summary {
  readonly replicates: number
  readonly seed: number
  readonly rows: ReadonlyArray<BandRow>
  /** With `Options.areas`: the replicates' band of pupils of each school and each catchment area, per level and year. */
  readonly cells?: ReadonlyArray<CellBand>
}

/** The replicates' 5-95 % band of pupils of one school, or one catchment area (Σ over its schools), for a level and year. */
export interface CellBand {
  readonly year: number
  readonly level: string
  readonly scope: "school" | "catchment"
  /** The school's id, or the area's settlement id (`Backtest.areas`). */
  readonly unit: string
  readonly p5: number
  readonly p95: number
}

/** A model as it crosses to a worker: everything but the rule, which travels by name (functions do not clone). */
export interface Shipped {
  readonly model: Omit<Compile.Model, "rule">
  readonly rule: string
}

/** The model in a form `postMessage` can clone, or why it cannot cross (a rule seatplan does not ship). */
export const ship = (model: Compile.Model): Shipped | Compile.CompileError => {
  if (AllocationRule.byName(model.rule.name) !== model.rule) {
    return new Compile.CompileError({
      message: `allocation rule ${JSON.stringify(model.rule.name)}: expected one of ${AllocationRule.all.map((r) => r.name).join(", ")} to run in worker threads, found a rule of its own; use workers: 0`
    })
  }
  const { rule, ...rest } = model
  return { model: rest, rule: rule.name }
}

/** The model a worker received, with its rule again. */
export const unship = (shipped: Shipped): Compile.Model => ({ ...shipped.model, rule: AllocationRule.byName(shipped.rule)! })

/**
 * Runs one replicate on a fresh copy of a compiled model: the county figures as a flat array
 * (years × levels × metrics), then each slot's pupils (years × the cube's slots, `Results.make`'s order).
 */
export const replicate = (model: Compile.Model, seed: number, assumptions?: Assumptions.Assumptions): Float64Array => {
  const m = assumptions === undefined ? Compile.fresh(model) : { ...Compile.fresh(model), assumptions }
  const cube = Engine.run(m, { seed, population: false })
  const rows = Tables.county(m, cube, "", { differenceCoefficients: false })
  const slots = cube.slotSchool.length
  const county = rows.length * metrics.length
  const out = new Float64Array(county + cube.years * slots)
  rows.forEach((row, i) => metrics.forEach((metric, j) => (out[i * metrics.length + j] = row[metric])))
  for (let y = 0; y < cube.years; y++) for (let i = 0; i < slots; i++) out[county + y * slots + i] = Results.value(cube, y, i, "pupils")
  return out
}

/**
 * Runs the replicates, in worker threads when asked, and summarises them. Fails with the first error a
 * replicate raised (a compile error names what is wrong with the input).
 */
export const run = (options: Options): Effect.Effect<Summary, Compile.CompileError> =>
  Effect.gen(function* () {
    const model = options.model
    const seeds = Array.from({ length: options.replicates }, (_, r) => Rng.derive(options.seed, r))
    const workers = Math.min(options.workers ?? os.availableParallelism(), options.replicates)
    const results: Array<Float64Array> = new Array(options.replicates)
    let done = 0
    const progress = () => options.onProgress?.(++done, options.replicates)
    if (workers <= 0) {
      for (let r = 0; r < seeds.length; r++) {
        results[r] = replicate(model, seeds[r], options.assumptions?.[r])
        progress()
      }
    } else {
      const shipped = ship(model)
      if (shipped instanceof Compile.CompileError) return yield* Effect.fail(shipped)
      yield* Effect.forEach(
        Array.from({ length: workers }, (_, w) => seeds.map((_, r) => r).filter((r) => r % workers === w)),
        (mine) => inWorker(shipped, mine, seeds, options.assumptions, results, progress),
        { concurrency: "unbounded", discard: true }
      )
    }
    return summarise(model, options, results)
  })

const inWorker = (
  shipped: Shipped,
  replicates: ReadonlyArray<number>,
  seeds: ReadonlyArray<number>,
  assumptions: ReadonlyArray<Assumptions.Assumptions> | undefined,
  results: Array<Float64Array>,
  progress: () => void
): Effect.Effect<void, Compile.CompileError> =>
  Effect.async<void, Compile.CompileError>((resume) => {
    const worker = new Worker(new URL("./internal/monteCarloWorker.mjs", import.meta.url), {
      workerData: {
        shipped,
        replicates,
        seeds: replicates.map((r) => seeds[r]),
        assumptions: assumptions === undefined ? undefined : replicates.map((r) => assumptions[r])
      }
    })
    worker.on("message", (message: { readonly replicate: number; readonly county: Float64Array } | { readonly error: string }) => {
      if ("error" in message) {
        resume(Effect.fail(new Compile.CompileError({ message: message.error })))
        void worker.terminate()
        return
      }
      results[message.replicate] = message.county
      progress()
    })
    worker.on("error", (e) => resume(Effect.fail(new Compile.CompileError({ message: String(e) }))))
    worker.on("exit", () => resume(Effect.void))
    return Effect.promise(() => worker.terminate())
  })

/**
 * The summary of replicates (`replicate`'s arrays, in replicate order): percentiles of every county figure,
 * year and level, and with `areas` each school's and area's band of pupils. One function for the replicates
 * run here and those run by `seatplan worker`s, so both give the same bits.
 */
export const summarise = (
  model: Compile.Model,
  options: Pick<Options, "replicates" | "seed" | "areas">,
  results: ReadonlyArray<Float64Array>
): Summary => {
  const years = model.horizon + 1
  const county = years * levelNames.length * metrics.length
  return {
    replicates: options.replicates,
    seed: options.seed,
    rows: countyBands(
      model.baseYear,
      results.map((r) => r.subarray(0, county))
    ),
    ...(options.areas === undefined ? {} : { cells: cellBands(model, options.areas, years, results, county) })
  }
}

/** Each school's and each catchment area's 5-95 % band of pupils per level and year, over the replicates. */
const cellBands = (
  model: Compile.Model,
  areas: ReadonlyMap<string, string>,
  years: number,
  results: ReadonlyArray<Float64Array>,
  offset: number
): ReadonlyArray<CellBand> => {
  const out: Array<CellBand> = []
  if (results.length === 0) return out
  const shape = Results.make(model, { population: false })
  const slots = shape.slotSchool.length
  const units = new Map<
    string,
    { readonly scope: "school" | "catchment"; readonly unit: string; readonly level: number; readonly slots: Array<number> }
  >()
  for (let i = 0; i < slots; i++) {
    const school = model.schoolIds[shape.slotSchool[i]]
    const level = shape.slotLevel[i]
    units.set(`school|${school}|${level}`, { scope: "school", unit: school, level, slots: [i] })
    const area = areas.get(school) ?? school
    const k = `catchment|${area}|${level}`
    const a = units.get(k)
    if (a === undefined) units.set(k, { scope: "catchment", unit: area, level, slots: [i] })
    else a.slots.push(i)
  }
  const values = new Float64Array(results.length)
  for (let y = 0; y < years; y++) {
    for (const u of units.values()) {
      for (let r = 0; r < results.length; r++) {
        let sum = 0
        for (const i of u.slots) sum += results[r][offset + y * slots + i]
        values[r] = sum
      }
      // R-7, as the backtest's Monte Carlo bands that the calibration scored
      const sorted = values.slice().sort()
      out.push({
        year: model.baseYear + y,
        level: levelNames[u.level],
        scope: u.scope,
        unit: u.unit,
        p5: quantile(sorted, 0.05),
        p95: quantile(sorted, 0.95)
      })
    }
  }
  return out
}

/** Percentiles across replicates of every county figure, year and level. */
const countyBands = (baseYear: number, results: ReadonlyArray<Float64Array>): ReadonlyArray<BandRow> => {
  const rows: Array<BandRow> = []
  if (results.length === 0) return rows
  const cells = results[0].length / metrics.length
  const values = new Float64Array(results.length)
  for (let c = 0; c < cells; c++) {
    for (let j = 0; j < metrics.length; j++) {
      let sum = 0
      for (let r = 0; r < results.length; r++) {
        values[r] = results[r][c * metrics.length + j]
        sum += values[r]
      }
      const sorted = Array.from(values).sort((a, b) => a - b)
      rows.push({
        year: baseYear + Math.floor(c / levelNames.length),
        level: levelNames[c % levelNames.length],
        metric: metrics[j],
        p5: quantileSorted(sorted, 0.05),
        p50: quantileSorted(sorted, 0.5),
        p95: quantileSorted(sorted, 0.95),
        mean: sum / results.length
      })
    }
  }
  return rows
}
