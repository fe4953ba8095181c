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
import * as Catchments from "./compile/Catchments.js"
import { calibrateProgression } from "./compile/Calibration.js"
import { indexes } from "./compile/Indexes.js"
import { targets } from "./compile/Migration.js"
import { partition, partitionAtLatest, timeline } from "./compile/Partition.js"
import { population } from "./compile/Population.js"
import * as Reading from "./compile/Reading.js"
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

/** A typed array of a model (`Float64Array` stands for every kind: they share the methods used here). */
type Typed = Float64Array

/** The keys of a model's typed arrays: the one walk that `fresh`, `refill` and `snapshot` make. */
const arrayKeys = (m: Model): ReadonlyArray<string> => {
  const keys: Array<string> = []
  for (const [key, value] of Object.entries(m)) if (ArrayBuffer.isView(value) && !(value instanceof DataView)) keys.push(key)
  return keys
}

/** `m` with each typed array replaced by `f` of it, and its own copy of the housing arrivals (which runs change). */
const withArrays = (m: Model, f: (value: Typed, key: string) => Typed): Model => {
  const copy: Record<string, unknown> = { ...m }
  for (const key of arrayKeys(m)) copy[key] = f(copy[key] as Typed, key)
  copy.housingArrivals = m.housingArrivals.slice()
  return copy as unknown as Model
}

/**
 * A copy of a compiled model whose state (population, plant, teachers, catchments, the year's buffers)
 * is its own, so one compilation serves many runs; what runs never change (indexes, distances, the
 * timeline) is shared.
 */
export const fresh = (m: Model): Model => withArrays(m, (value) => value.slice())

/**
 * `fresh` without allocating: `m`'s state put back into `copy` (an earlier `fresh` copy of `m`), every
 * typed array overwritten in place, the rest taken from `m`. A run over many assumptions (a sweep's
 * futures) allocates its arrays once.
 */
export const refill = (copy: Model, m: Model): Model => {
  const into = copy as unknown as Record<string, Typed>
  return withArrays(m, (value, key) => {
    into[key].set(value)
    return into[key]
  })
}

/** Whether two models' typed arrays are the same ones by name, kind and length (one may be `refill`ed from the other). */
export const sameShape = (a: Model, b: Model): boolean => {
  const x = a as unknown as Record<string, unknown>
  const y = b as unknown as Record<string, unknown>
  const keys = arrayKeys(a)
  if (keys.length !== arrayKeys(b).length) return false
  for (const key of keys) {
    const u = x[key] as Typed
    const v = y[key]
    if (!ArrayBuffer.isView(v) || v.constructor !== u.constructor || (v as Typed).length !== u.length) return false
  }
  return true
}

/**
 * A read-only copy of a model's state (what `fresh` copies), its arrays packed into one buffer: a run that
 * keeps its state after every year (`Engine.runKept`) makes one allocation per year rather than one per
 * array. Not for running (`fresh` of a snapshot is).
 */
export const snapshot = (m: Model): Model => {
  const padded = (value: Typed) => Math.ceil(value.byteLength / 8) * 8
  let bytes = 0
  for (const key of arrayKeys(m)) bytes += padded((m as unknown as Record<string, Typed>)[key])
  const buffer = new ArrayBuffer(bytes)
  let offset = 0
  return withArrays(m, (value) => {
    const Ctor = value.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => Typed
    const view = new Ctor(buffer, offset, value.length)
    view.set(value)
    offset += padded(value)
    return view
  })
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
  const horizon = options.horizon ?? 15
  const enrolment = options.method?.kind === "grade-progression"
  const at =
    options.baseYear === undefined
      ? partitionAtLatest(events, horizon, enrolment)
      : { baseYear: options.baseYear, parts: partition(events, options.baseYear, horizon, enrolment) }
  if (at === undefined) {
    return Either.left(new CompileError({ message: "no PopulationRecorded event: the projection needs children by age in a base year" }))
  }
  return assemble(at.parts, Catchments.base(at.parts.structural), at.baseYear, options)
}

/** The last distance candidates computed from a prefix's extensions, with what they were computed from. */
interface Distances {
  readonly inputs: ReadonlyArray<unknown>
  readonly candidates: Distance.Candidates
}

const assemble = (
  parts: ReturnType<typeof partition>,
  recorded: Catchments.Base,
  baseYear: number,
  options: Options,
  memo?: { distances: Distances | undefined }
): Either.Either<Model, CompileError> => {
  const horizon = options.horizon ?? 15
  const assumptions = options.assumptions ?? Assumptions.defaults
  const { planned, demography } = parts
  const base = recorded.world
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
    migrationTarget: assumptions.migration.map((rule) => targets(rule, idx.parent, idx.tier, idx.settlementLon, idx.settlementLat)),
    timeline: timeline(planned, baseYear, horizon)
  })
  loadBase(m, base)
  Catchments.zone(m, recorded)

  if (options.method?.kind === "grade-progression") {
    const calibrated = calibrateProgression(m, demography, baseYear, options.method)
    if (Either.isLeft(calibrated)) return Either.left(new CompileError({ message: `grade progression: ${calibrated.left.message}` }))
  }
  const { extra, teachesEver } = reachable(m, base, planned)
  const inputs = [idx.settlementLon, idx.settlementLat, idx.schoolLon, idx.schoolLat, teachesEver, m.catchment, extra]
  const known = memo?.distances
  const candidates =
    known !== undefined && alike(known.inputs, inputs)
      ? known.candidates
      : Distance.nearest(
          { lon: idx.settlementLon, lat: idx.settlementLat },
          { lon: idx.schoolLon, lat: idx.schoolLat },
          teachesEver,
          levels,
          m.catchment,
          extra
        )
  if (memo !== undefined) memo.distances = { inputs, candidates }
  return Either.right({ ...m, candidates })
}

/**
 * The first events of many streams (a scenario's baseline, which each plan variant extends) compiled as
 * far as they go alone: their partition and base-year world, made once. `extendEither` compiles the
 * prefix followed by more events.
 */
export interface Prefix {
  readonly events: ReadonlyArray<Event.Event>
  readonly options: Options
  /** The prefix's own default base year (the latest population recorded in it). */
  readonly defaultBaseYear: number | undefined
  readonly baseYear: number | undefined
  readonly parts: ReturnType<typeof partition> | undefined
  /** The prefix's recorded world (its catchment assignments partly in arrays: `compile/Catchments`). */
  readonly base: Catchments.Base | undefined
  /** The candidates of the last extension (reused while their inputs stay alike: an edit rarely moves them). */
  readonly memo: { distances: Distances | undefined }
}

/** Prepares `events` as the prefix of streams compiled with `options` (see `extendEither`). */
export const prefix = (events: ReadonlyArray<Event.Event>, options: Options = {}): Prefix => {
  const own = defaultBaseYear(events)
  const baseYear = options.baseYear ?? own
  const parts =
    baseYear === undefined ? undefined : partition(events, baseYear, options.horizon ?? 15, options.method?.kind === "grade-progression")
  return {
    events,
    options,
    defaultBaseYear: own,
    baseYear,
    parts,
    base: parts === undefined ? undefined : Catchments.base(parts.structural),
    memo: { distances: undefined }
  }
}

/**
 * `compileEither(prefix.events ++ more, prefix.options)`, the same model, without partitioning and
 * folding the prefix again: when every added event falls after the base year (a plan's), they are merged
 * into the prefix's planned events in school-year order (the prefix's first within a year, as the stable
 * sort of the whole stream puts them); the distance candidates are reused when what they are computed
 * from is alike. Anything else (an added population record moving the base year, an added event dated
 * in or before it) compiles the whole stream.
 */
export const extendEither = (p: Prefix, more: ReadonlyArray<Event.Event>): Either.Either<Model, CompileError> => {
  const added = defaultBaseYear(more)
  const baseYear =
    p.options.baseYear ??
    (added === undefined ? p.defaultBaseYear : p.defaultBaseYear === undefined ? added : Math.max(added, p.defaultBaseYear))
  if (
    baseYear === undefined ||
    baseYear !== p.baseYear ||
    p.parts === undefined ||
    p.base === undefined ||
    more.some((e) => e.year <= baseYear)
  ) {
    return compileEither([...p.events, ...more], p.options)
  }
  const last = baseYear + (p.options.horizon ?? 15)
  const mine = World.chronological(more)
  const theirs = p.parts.planned
  const planned: Array<Event.Event> = []
  let j = 0
  for (const e of theirs) {
    while (j < mine.length && mine[j].year < e.year) planned.push(mine[j++])
    planned.push(e)
  }
  for (; j < mine.length; j++) planned.push(mine[j])
  const parts = { ...p.parts, planned: planned.filter((e) => e.year <= last) }
  return assemble(parts, p.base, baseYear, p.options, p.memo)
}

/** Deep equality of compiled values: typed arrays byte for byte (NaN equals NaN), arrays, maps, objects. */
export const alike = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b)
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  if (ArrayBuffer.isView(a)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
    const y = new Uint8Array((b as ArrayBufferView).buffer, (b as ArrayBufferView).byteOffset, (b as ArrayBufferView).byteLength)
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
    return true
  }
  if (Array.isArray(a)) return a.length === (b as Array<unknown>).length && a.every((x, i) => alike(x, (b as Array<unknown>)[i]))
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>
    if (a.size !== m.size) return false
    for (const [k, v] of a) if (!m.has(k) || !alike(v, m.get(k))) return false
    return true
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && alike((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  )
}

/**
 * Compiling a log read page by page without holding it (a store's pages, `EventStore.readPages`): `add`
 * each page, then `compileEither(reading.events(), options)` gives the model compiling the whole log gives.
 * With `eventOf`, the items read are not events but hold one (a store's events with their ids and versions),
 * and `events()` gives the items kept.
 */
export function reading(options?: Options): Reading.Reading<Event.Event>
export function reading<A>(options: Options, eventOf: (item: A) => Event.Event): Reading.Reading<A>
export function reading<A>(options: Options = {}, eventOf?: (item: A) => Event.Event): Reading.Reading<A> | Reading.Reading<Event.Event> {
  const enrolment = options.method?.kind === "grade-progression"
  return eventOf === undefined
    ? Reading.reading(options.baseYear, enrolment, (e: Event.Event) => e)
    : Reading.reading(options.baseYear, enrolment, eventOf)
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
