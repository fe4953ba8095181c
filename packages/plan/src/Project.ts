/**
 * The run pipeline: a loaded scenario's streams go into the event store (baseline, and each variant as a
 * fork of it), are read back, compiled and run; the tables come out per variant.
 */
import { type Event, EventStore, Ids } from "@seatplan/core"
import { Compile, Engine, MonteCarlo, Results, Rules, Tables } from "@seatplan/sim"
import { Data, Effect } from "effect"
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
  readonly seed?: number
  readonly replicates?: number
  /** Called as work completes: each variant's run counts 1, each Monte Carlo replicate 1. */
  readonly onProgress?: (done: number, total: number, task: string) => void
}

export interface VariantResult {
  readonly variant: string
  readonly model: Compile.Model
  readonly schools: ReadonlyArray<Tables.SchoolRow>
  readonly county: ReadonlyArray<Tables.CountyRow>
  readonly catchments: ReadonlyArray<Tables.CatchmentRow>
  readonly population: ReadonlyArray<Tables.PopulationRow>
  readonly bands: ReadonlyArray<MonteCarlo.BandRow & { readonly variant: string }>
  /** Every rule of the scenario's rule set checked on every row it applies to, each year. */
  readonly checks: ReadonlyArray<Rules.Check>
  readonly compliance: Rules.Compliance
}

/** Appends the scenario's streams to the store: `baseline`, and `plan/<variant>` forked from its end. */
export const store = (loaded: Loaded) =>
  Effect.gen(function*() {
    const events = yield* EventStore.EventStore
    const version = yield* events.version(EventStore.baseline)
    const result = yield* events.append(EventStore.baseline, loaded.streams.baseline, version === 0 ? 0 : "any")
    for (const variant of loaded.streams.variants) {
      const stream = EventStore.planStream(variant.name)
      if ((yield* events.version(stream)) === 0) yield* events.fork(EventStore.baseline, result.version, stream)
      yield* events.append(stream, variant.events, "any")
    }
  })

/** Runs the baseline and the chosen variants from the store. */
export const run = (loaded: Loaded, options: Options) =>
  Effect.gen(function*() {
    const events = yield* EventStore.EventStore
    const known = loaded.scenario.variants.map((v) => v.name)
    const unknown = options.variants.filter((v) => !known.includes(v))
    if (unknown.length > 0) {
      return yield* new RunError({
        reason: `${loaded.file}: no variant ${unknown.join(", ")}; the scenario has ${known.length === 0 ? "none" : known.join(", ")}`
      })
    }
    const chosen = ["baseline", ...(options.variants.length > 0 ? options.variants : known)]
    const total = chosen.length * (1 + (options.replicates ?? 0))
    let done = 0
    const tick = (task: string) => options.onProgress?.(++done, total, task)
    const s = loaded.scenario
    const compileOptions = Scenario.compileOptions(s)
    const results: Array<VariantResult> = []
    for (const variant of chosen) {
      const stream = variant === "baseline" ? EventStore.baseline : EventStore.planStream(variant)
      const stored: ReadonlyArray<Event.Event> = (yield* events.readStream(Ids.streamId(stream))).map((e) => e.event)
      const model = yield* Effect.try({
        try: () => Compile.compile(stored, compileOptions),
        catch: (e) => new RunError({ reason: `${loaded.file}: ${variant}: ${e instanceof Error ? e.message : String(e)}` })
      })
      const cube = Engine.run(model, options.seed === undefined ? {} : { seed: options.seed })
      tick(variant)
      const bands = (options.replicates ?? 0) > 0
        ? (yield* MonteCarlo.run({
          events: stored,
          baseYear: compileOptions.baseYear,
          horizon: compileOptions.horizon,
          assumptions: compileOptions.assumptions!,
          rule: compileOptions.rule!.name,
          method: compileOptions.method!,
          replicates: options.replicates ?? 0,
          seed: options.seed ?? 1,
          onProgress: () => tick(`${variant} Monte Carlo`)
        }).pipe(Effect.mapError((e) => new RunError({ reason: e.message })))).rows.map((r) => ({ variant, ...r }))
        : []
      const schools = Tables.schools(model, cube, variant)
      const county = Tables.county(model, cube, variant)
      const checks = Rules.evaluate(loaded.rules, schools, county, (year) => Results.standardsAt(cube, year - model.baseYear))
      const years = Array.from({ length: cube.years }, (_, y) => model.baseYear + y)
      results.push({
        variant,
        model,
        schools,
        county,
        checks,
        compliance: Rules.compliance(variant, checks, years, loaded.rules),
        catchments: Tables.catchments(model, cube, variant),
        population: Tables.population(model, cube, variant),
        bands
      })
    }
    return results
  })
