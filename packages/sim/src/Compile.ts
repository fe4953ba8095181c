/**
 * Compiles a stream's events into a `Model`: the world as of the base year becomes dense typed arrays,
 * the events of the projected years become a timeline, and distances are computed once. Everything the
 * yearly loop needs is allocated here.
 */
import type * as Event from "@seatplan/core/Event"
import * as World from "@seatplan/core/World"
import { Data, Either } from "effect"
import * as Assumptions from "./Assumptions.js"
import { levels } from "./Dimensions.js"
import * as Distance from "./Distance.js"
import type { Model } from "./Model.js"
import type { AllocationRule } from "./allocation/AllocationRule.js"
import { catchmentThenNearest } from "./allocation/NearestWithSeats.js"
import { loadBase } from "./compile/Base.js"
import { calibrateProgression } from "./compile/Calibration.js"
import { indexes } from "./compile/Indexes.js"
import { targets } from "./compile/Migration.js"
import { partition, timeline } from "./compile/Partition.js"
import { population } from "./compile/Population.js"
import { reachable } from "./compile/Reachability.js"
import { allocate } from "./compile/State.js"
import type * as GradeProgression from "./GradeProgression.js"

export interface Options {
  /** The year the projection starts from; default the latest year a population was recorded. */
  readonly baseYear?: number
  /** Years projected after the base year (default 15). */
  readonly horizon?: number
  readonly assumptions?: Assumptions.Assumptions
  /** Default `catchment-then-nearest`. */
  readonly rule?: AllocationRule
  /**
   * How a school's grades are projected: `cohort-component` (default: every grade from the population
   * model through the allocation rule) or `grade-progression` (年级升级比: a school's grade g next year is
   * its grade g − 1 this year times the ratio calibrated from its recorded enrolment; entry grades come
   * from the population model; schools without a usable history fall back to cohort-component).
   */
  readonly method?: { readonly kind: "cohort-component" } | ({ readonly kind: "grade-progression" } & GradeProgression.CalibrateOptions)
}

/** Why a stream cannot be projected. */
export class CompileError extends Data.TaggedError("CompileError")<{ readonly message: string }> {}

/** The default base year: the latest year a population by age was recorded. */
export const defaultBaseYear = (events: ReadonlyArray<Event.Event>): number | undefined => {
  let year: number | undefined
  for (const e of events) if (e._tag === "PopulationRecorded" && (year === undefined || e.year > year)) year = e.year
  return year
}

/**
 * A copy of a compiled model whose state (population, plant, teachers, catchments, the year's buffers)
 * is its own, so one compilation serves many runs; what runs never change (indexes, distances, the
 * timeline) is shared.
 */
export const fresh = (m: Model): Model => {
  const copy: Record<string, unknown> = { ...m }
  for (const key of Object.keys(copy)) {
    const value = copy[key]
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) copy[key] = (value as Float64Array).slice()
  }
  copy.housingArrivals = m.housingArrivals.slice()
  return copy as unknown as Model
}

/**
 * `fresh` without allocating: `m`'s state put back into `copy` (an earlier `fresh` copy of `m`), every
 * typed array overwritten in place, the rest taken from `m`. A run over many assumptions (a sweep's
 * futures) allocates its arrays once.
 */
export const refill = (copy: Model, m: Model): Model => {
  const out: Record<string, unknown> = { ...m }
  const into = copy as unknown as Record<string, unknown>
  for (const key of Object.keys(out)) {
    const value = out[key]
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const target = into[key] as Float64Array
      target.set(value as Float64Array)
      out[key] = target
    }
  }
  out.housingArrivals = m.housingArrivals.slice()
  return out as unknown as Model
}

export type { Model }

/**
 * Compiles the events of one stream (history and plans) into a model ready to run, or the `CompileError`
 * saying why the stream cannot be projected. Each step is its own module under `compile/`: the events
 * split by their place in the projection, dense indexes, the base demography, migration targets, the
 * model's buffers, the base world loaded into them, grade-progression calibration, and the reach of the
 * planned events (for the distance candidates).
 */
export const compileEither = (events: ReadonlyArray<Event.Event>, options: Options = {}): Either.Either<Model, CompileError> => {
  const baseYear = options.baseYear ?? defaultBaseYear(events)
  if (baseYear === undefined) {
    return Either.left(new CompileError({ message: "no PopulationRecorded event: the projection needs children by age in a base year" }))
  }
  const horizon = options.horizon ?? 15
  const assumptions = options.assumptions ?? Assumptions.defaults
  const { structural, planned, demography } = partition(events, baseYear, horizon)
  const base = World.fold(structural)
  const final = planned.length === 0 ? base : World.fold(planned, base)
  const idx = indexes(final)
  const m = allocate({
    baseYear,
    horizon,
    assumptions,
    rule: options.rule ?? catchmentThenNearest,
    method: options.method?.kind ?? "cohort-component",
    indexes: idx,
    population: population(demography, baseYear, assumptions, idx),
    migrationTarget: assumptions.migration.map((rule) =>
      targets(rule, final, idx.settlementIds, idx.tier, idx.settlementLon, idx.settlementLat, idx.settlementIndex)
    ),
    timeline: timeline(planned, baseYear, horizon)
  })
  loadBase(m, base)

  if (options.method?.kind === "grade-progression") {
    const calibrated = calibrateProgression(m, demography, baseYear, options.method)
    if (Either.isLeft(calibrated)) return Either.left(new CompileError({ message: `grade progression: ${calibrated.left.message}` }))
  }
  const { extra, teachesEver } = reachable(m, base, planned)
  const candidates = Distance.nearest(
    { lon: idx.settlementLon, lat: idx.settlementLat },
    { lon: idx.schoolLon, lat: idx.schoolLat },
    teachesEver,
    levels,
    m.catchment,
    extra
  )
  return Either.right({ ...m, candidates })
}

/**
 * `compileEither` for the many callers that compile known-good streams: the model, or throws the
 * `CompileError` (the only throw on this path).
 */
export const compile = (events: ReadonlyArray<Event.Event>, options: Options = {}): Model => {
  const result = compileEither(events, options)
  if (Either.isLeft(result)) throw result.left
  return result.right
}
