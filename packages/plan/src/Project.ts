/**
 * The run pipeline: a loaded scenario's streams go into the event store (baseline, and each variant as a
 * fork of it), are read back, compiled and run; the tables come out per variant.
 */
import { CommandHandler, type Event, EventStore, Ids } from "@seatplan/core"
import { Backtest, Compile, Engine, Groups, MonteCarlo, Places, Results, Compliance, Tables } from "@seatplan/sim"
import { Data, Effect } from "effect"
import * as Futures from "./Futures.js"
import * as Scenario from "./Scenario.js"
import type { Loaded } from "./ScenarioLoader.js"

/** The run itself cannot proceed (a variant that is not in the scenario, a model that cannot compile). */
export class RunError extends Data.TaggedError("RunError")<{ readonly reason: string }> {
  override get message() {
    return this.reason
  }
}

export interface Options {
  /** Variants to run besides the baseline (all when empty). */
  readonly variants: ReadonlyArray<string>
  /** Whether the baseline is run too (default true; `seatplan optimize` runs only the plan it wrote). */
  readonly baseline?: boolean
  readonly seed?: number
  readonly replicates?: number
  /**
   * Monte Carlo replicates draw a future each from the scenario's `uncertainty` (a Latin hypercube of
   * `replicates` from the seed, as `seatplan backtest --replicates` draws them) as well as noise.
   */
  readonly futures?: boolean
  /**
   * Monte Carlo also gives each school's and each catchment area's band of pupils (`VariantResult.cells`),
   * for bands calibrated at those scopes (`run --replicates --calibration`).
   */
  readonly cells?: boolean
  /**
   * Called as work completes: each variant's run counts 1, each Monte Carlo replicate 1; and once with 0
   * done before the first (reading a variant's stream back and compiling it take seconds at a province).
   */
  readonly onProgress?: (done: number, total: number, task: string) => void
  /** Worker threads for Monte Carlo (default: the machine's cores, at most the replicates). */
  readonly workers?: number
  /** The compiler (default `Compile.compile`): called exactly once per variant run (tests count the calls). */
  readonly compile?: typeof Compile.compile
  /** Events read from the store per page (default `EventStore.readPages`' 50,000; tests read in small pages). */
  readonly page?: number
  /**
   * Each variant's events as the store would give them (`decidedReadings`, when `store` has just stored the
   * streams whole): a variant found here is compiled from them rather than read back.
   */
  readonly decided?: ReadonlyMap<string, ReadonlyArray<Event.NewEvent>>
  /**
   * Runs a variant's Monte Carlo (default `MonteCarlo.run`, worker threads on this machine); the CLI's
   * `--distributed` passes one that hands the replicates to `seatplan worker` processes through PostgreSQL.
   * It must give the same summary, bit for bit.
   */
  readonly monteCarlo?: (
    options: MonteCarlo.Options & { readonly variant: string }
  ) => Effect.Effect<MonteCarlo.Summary, { readonly message: string }>
  /**
   * Told each chosen variant's population table once every variant is projected, before the standards are
   * checked: `seatplan run` starts writing a province's population (a gigabyte of CSV) on a worker thread
   * then, while this thread checks the standards (issue 18, end to end).
   */
  readonly onProjected?: (projected: ReadonlyArray<Projected>) => void
}

/** A variant projected, before its standards are checked: its population table, as `VariantResult.population` holds it. */
export interface Projected {
  readonly variant: string
  readonly population: Tables.PopulationTable
}

export interface VariantResult {
  readonly variant: string
  /**
   * The variant's one compiled model, as compiled (every run works on its own copy): the tables, Monte
   * Carlo, provenance (`Provenance.traceAll(model, year)`) and explanations all come from it.
   */
  readonly model: Compile.Model
  /**
   * The variant's events read from the store that the model was compiled from, with their ids (`compiled`:
   * the records of years before the base year that compiling does not read are left out).
   */
  readonly events: ReadonlyArray<Event.NewEvent>
  /** Where settlements and schools are, and the catchments at the end of the run (for maps). */
  readonly places: Places.Places
  /** Made from the run's cube as it is read (`Tables.SchoolTable`): a province's rows are too many to hold as objects. */
  readonly schools: Tables.SchoolTable
  readonly county: ReadonlyArray<Tables.CountyRow>
  readonly catchments: ReadonlyArray<Tables.CatchmentRow>
  /** Read from the run's cube as it is iterated (`Tables.PopulationTable`): a province's is too long to hold as rows. */
  readonly population: Tables.PopulationTable
  /** The school groups' rows (`Groups.share`): empty when the variant forms no group. */
  readonly groups: ReadonlyArray<Groups.GroupRow>
  readonly bands: ReadonlyArray<MonteCarlo.BandRow & { readonly variant: string }>
  /** With `Options.cells`: the replicates' band of pupils per school and catchment area, level and year. */
  readonly cells: ReadonlyArray<MonteCarlo.CellBand>
  /** Every rule of the scenario's rule set checked on every row it applies to, each year (kept as columns: a province has millions). */
  readonly checks: Compliance.Checks
  readonly compliance: Compliance.Compliance
}

/**
 * Stores the scenario's streams: the events the loader decided (through the decider, command by command
 * against the world so far: `Scenario.baselineOf`, `Scenario.variantsOf`) are appended through the command
 * handler in batches (`CommandHandler.appendDecided`), the baseline into the `baseline` stream; each
 * variant forks the baseline at its last version into `plan/<variant>` and appends its own events. Storing
 * the same scenario again appends nothing (the batches are idempotent). `onProgress` is told the events
 * stored so far and the total, after each batch.
 */
export const store = (loaded: Pick<Loaded, "streams">, options: { readonly onProgress?: (done: number, total: number) => void } = {}) =>
  Effect.gen(function* () {
    const total = eventsIn(loaded.streams)
    let done = 0
    let whole = true
    let forkAt = 0
    for (const part of parts(loaded.streams)) {
      const stored = yield* storePart(part, forkAt)
      if (part.variant === undefined) forkAt = stored.version
      whole &&= stored.whole
      done += part.events.length
      if (part.events.length > 0) options.onProgress?.(done, total)
    }
    return { whole } satisfies Stored
  })

/** The events of a scenario's streams (the baseline's and every variant's own). */
export const eventsIn = (streams: Loaded["streams"]): number =>
  streams.variants.reduce((n, v) => n + v.events.length, streams.baseline.length)

/**
 * A piece of a scenario's streams as `store` appends it: the events `offset` on of the baseline's
 * (`variant` undefined) or of a variant's own.
 */
export interface Part {
  readonly variant: string | undefined
  readonly offset: number
  readonly events: ReadonlyArray<Event.NewEvent>
}

/**
 * The streams in the parts `store` appends them in, each a transaction of at most `size` events
 * (`CommandHandler.appendBatch`): the baseline's first, then each variant's; a stream without events has one
 * empty part (the baseline's is a no-op append, a variant's is its fork).
 */
export function* parts(streams: Loaded["streams"], size = CommandHandler.appendBatch): Generator<Part> {
  const of = function* (variant: string | undefined, events: ReadonlyArray<Event.NewEvent>): Generator<Part> {
    if (events.length === 0) yield { variant, offset: 0, events }
    for (let i = 0; i < events.length; i += size) yield { variant, offset: i, events: events.slice(i, i + size) }
  }
  yield* of(undefined, streams.baseline)
  for (const v of streams.variants) yield* of(v.name, v.events)
}

/**
 * Appends one part of `store` (`parts`); a variant's first forks the baseline at `forkAt` (the baseline's
 * version once its parts are stored) unless its stream exists. Gives the stream's version after it, and
 * whether the part went in whole: its stream was new when its first part came, and nothing was an
 * idempotent no-op.
 */
export const storePart = (part: Part, forkAt: number) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const stream = part.variant === undefined ? EventStore.baseline : EventStore.planStream(part.variant)
    let fresh = true
    if (part.offset === 0) {
      fresh = (yield* store.version(stream)) === 0
      if (fresh && part.variant !== undefined) yield* store.fork(EventStore.baseline, forkAt, stream)
    }
    const from = (part.variant === undefined ? 0 : forkAt) + part.offset
    const appended = yield* CommandHandler.appendDecided(stream, part.events, { from, batch: Math.max(1, part.events.length) })
    return { version: appended.version, whole: fresh && appended.appended === part.events.length }
  })

/** What `store` did. */
export interface Stored {
  /**
   * Every stream was new and now holds exactly the streams given (none was stored before, so nothing was an
   * idempotent no-op): reading a variant back gives its decided events (`decidedReadings`).
   */
  readonly whole: boolean
}

/**
 * Each variant's events that `compiled` would read back from a store `store` has just filled `whole`ly, taken
 * from the streams in memory instead (a province's read-back is 900,000 decoded events, 4 s): the baseline's
 * events, then, for a variant, its own (its stream is the baseline's forked at its last version, then its
 * steps), folded page by page as reading the store does (`Compile.reading`: the records compiling drops are
 * let go of, and what the store's filter leaves out in SQL `add` drops alike). Keyed by variant name
 * ("baseline" included); the loaded streams may be released after.
 */
export const decidedReadings = (loaded: Pick<Loaded, "scenario" | "streams">): ReadonlyMap<string, ReadonlyArray<Event.NewEvent>> => {
  const options = Scenario.compileOptions(loaded.scenario)
  const { baseline, variants } = loaded.streams
  const read = (own: ReadonlyArray<Event.NewEvent>) => {
    const reading = Compile.reading(options, (e: Event.NewEvent) => e.event)
    for (let i = 0; i < baseline.length; i += EventStore.defaultPage) reading.add(baseline.slice(i, i + EventStore.defaultPage))
    for (let i = 0; i < own.length; i += EventStore.defaultPage) reading.add(own.slice(i, i + EventStore.defaultPage))
    return reading.events()
  }
  return new Map([["baseline", read([])], ...variants.map((v) => [v.name, read(v.events)] as const)])
}

/**
 * A decided scenario without the region's records (population by age, history, catchments): only validating
 * read them, and the baseline's decided events carry them to the store. A million settlements' are about a
 * gigabyte, let go of before the events are stored (`run`), where the heap is fullest.
 */
export const withoutRecords = (loaded: Loaded): Loaded => {
  const { history: _history, ...scenario } = loaded.scenario
  return { ...loaded, scenario: { ...scenario, population: [], catchments: {} } }
}

/**
 * A stored scenario without what only validating and storing read: the region's records (`withoutRecords`)
 * and the baseline's decided events, which are in the store now. Nothing a run writes reads them from the
 * scenario again (the run reads the store); a province's are hundreds of MB.
 */
export const released = (loaded: Loaded): Loaded => {
  const lighter = withoutRecords(loaded)
  return { ...lighter, streams: { ...lighter.streams, baseline: [] } }
}

/** The stream a variant is stored in. */
const streamOf = (variant: string) => (variant === "baseline" ? EventStore.baseline : EventStore.planStream(variant))

/**
 * A variant's events read from the store and its one compiled model: what `run` projects, and what
 * provenance and explanations trace. The stream is read in pages (`EventStore.readPages`), each folded into
 * what compiling reads of it (`Compile.reading`), the records it would drop left out by the store before they
 * are decoded (`reading.filter`, evaluated in SQL): a province's log (2 M events) is never held whole, and the
 * events given are those the model was compiled from (the world's events, the demography of the base year
 * on, each settlement's latest population up to it), in the stream's order. A variant's stream is its
 * baseline's then its own steps, so the baseline's events kept are the first of the variant's.
 */
export const compiled = (
  loaded: Pick<Loaded, "file" | "scenario">,
  variant: string,
  compile: typeof Compile.compile = Compile.compile,
  /** Events read per page (default `EventStore.readPages`'). */
  page?: number
) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const reading = Compile.reading(Scenario.compileOptions(loaded.scenario), (e: Event.StoredEvent) => e.event)
    yield* EventStore.readPages(store, Ids.streamId(streamOf(variant)), reading.add, page, reading.filter)
    return yield* compiledFrom(loaded, variant, reading.events(), compile)
  })

/** A variant's model compiled from the events compiling reads of its stream (`compiled`, `decidedReadings`). */
const compiledFrom = (
  loaded: Pick<Loaded, "file" | "scenario">,
  variant: string,
  events: ReadonlyArray<Event.NewEvent>,
  compile: typeof Compile.compile = Compile.compile
) =>
  Effect.gen(function* () {
    const options = Scenario.compileOptions(loaded.scenario)
    // a CompileError is the input's (it names what the events lack); any other exception is a bug and stays a defect
    const model = yield* Effect.try({
      try: () =>
        compile(
          events.map((e) => e.event),
          options
        ),
      catch: (e) => e
    }).pipe(
      Effect.catchAll((e) =>
        e instanceof Compile.CompileError
          ? Effect.fail(new RunError({ reason: `${loaded.file}: ${variant}: ${e.message}` }))
          : Effect.die(e)
      )
    )
    return { events, model }
  })

/** Each replicate's assumptions: the model's with future r of a Latin hypercube of N over the scenario's uncertainty (as the backtest draws them). */
const replicateFutures = (loaded: Loaded, model: Compile.Model, replicates: number, seed: number) => {
  const futures = Futures.latinHypercube({ uncertainty: loaded.scenario.uncertainty ?? {}, named: [] }, replicates, seed)
  return futures.map((f) => Futures.assumptionsOf(model.assumptions, f, { baseYear: model.baseYear, horizon: model.horizon }))
}

/**
 * A run's tables and every rule of the scenario's set checked on them: the school groups' sharing (a step
 * after the run, apart from the engine's loop), the schools and county tables, the checks. What `run` reports
 * for a variant's cube (a sweep's `Counted` checks are held equal to it).
 */
export const checked = (
  loaded: Loaded,
  variant: string,
  model: Compile.Model,
  cube: Results.Cube,
  events: ReadonlyArray<Event.NewEvent>
) => {
  const grouped = Groups.share(
    Tables.schoolTable(model, cube, variant),
    Groups.byYear(
      events.map((e) => e.event),
      model.baseYear,
      model.baseYear + cube.years - 1
    ),
    variant
  )
  const county = Tables.county(model, cube, variant)
  const checks = Compliance.table(
    loaded.rules,
    grouped.schools,
    county,
    (year) => Results.standardsAt(cube, year - model.baseYear),
    loaded.missing,
    grouped.groups
  )
  return { schools: grouped.schools, county, groups: grouped.groups, checks }
}

/** Runs the baseline and the chosen variants from the store. */
export const run = (loaded: Loaded, options: Options) =>
  Effect.gen(function* () {
    const known = loaded.scenario.variants.map((v) => v.name)
    const unknown = options.variants.filter((v) => !known.includes(v))
    if (unknown.length > 0) {
      return yield* new RunError({
        reason: `${loaded.file}: no variant ${unknown.join(", ")}; the scenario has ${known.length === 0 ? "none" : known.join(", ")}`
      })
    }
    const chosen = [...(options.baseline === false ? [] : ["baseline"]), ...(options.variants.length > 0 ? options.variants : known)]
    const total = chosen.length * (1 + (options.replicates ?? 0))
    let done = 0
    const tick = (task: string) => options.onProgress?.(++done, total, task)
    options.onProgress?.(0, total, chosen[0] ?? "")
    // every variant projected first, then each checked: what is written from the projection alone (the
    // population) can be written while the checks are made (`onProjected`)
    const projected: Array<{
      readonly variant: string
      readonly stored: ReadonlyArray<Event.NewEvent>
      readonly model: Compile.Model
      readonly places: Places.Places
      readonly cube: Results.Cube
      readonly population: Tables.PopulationTable
      readonly summary: MonteCarlo.Summary | undefined
    }> = []
    for (const variant of chosen) {
      // one compile per variant: the run below, Monte Carlo and provenance each work on a copy of `model`
      const decided = options.decided?.get(variant)
      const { events: stored, model } = yield* decided === undefined
        ? compiled(loaded, variant, options.compile, options.page)
        : compiledFrom(loaded, variant, decided, options.compile)
      const ran = Compile.fresh(model)
      const cube = Engine.run(ran, options.seed === undefined ? {} : { seed: options.seed })
      tick(variant)
      const summary =
        (options.replicates ?? 0) > 0
          ? yield* (options.monteCarlo ?? MonteCarlo.run)({
              variant,
              model,
              ...(options.workers === undefined ? {} : { workers: options.workers }),
              replicates: options.replicates ?? 0,
              seed: options.seed ?? 1,
              ...(options.futures === true
                ? { assumptions: replicateFutures(loaded, model, options.replicates ?? 0, options.seed ?? 1) }
                : {}),
              ...(options.cells === true ? { areas: Backtest.areas(stored.map((e) => e.event)) } : {}),
              onProgress: () => tick(`${variant} Monte Carlo`)
            }).pipe(Effect.mapError((e) => new RunError({ reason: e.message })))
          : undefined
      projected.push({
        variant,
        stored,
        model,
        places: Places.of(ran),
        cube,
        population: Tables.population(model, cube, variant),
        summary
      })
    }
    options.onProjected?.(projected.map(({ population, variant }) => ({ variant, population })))
    const results: Array<VariantResult> = []
    for (const { variant, stored, model, places, cube, population, summary } of projected) {
      const { schools, county, groups, checks } = checked(loaded, variant, model, cube, stored)
      const years = Array.from({ length: cube.years }, (_, y) => model.baseYear + y)
      results.push({
        variant,
        model,
        events: stored,
        places,
        schools,
        county,
        checks,
        compliance: Compliance.compliance(variant, checks, years, loaded.rules),
        catchments: Tables.catchments(model, cube, variant),
        population,
        groups,
        bands: (summary?.rows ?? []).map((r) => ({ variant, ...r })),
        cells: summary?.cells ?? []
      })
    }
    return results
  })
