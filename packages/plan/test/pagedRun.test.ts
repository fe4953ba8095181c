/**
 * A run reads each variant's stream from the store in pages, keeping only what compiling reads
 * (`Project.compiled`, issue 18): its tables, checks, accounts and explanations are those of reading the
 * whole stream and compiling it, to the bit, for any region and page size.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Event, EventStore, Ids, SqliteEventStore } from "@seatplan/core"
import { Compile, Engine, Provenance, Synthetic, Tables } from "@seatplan/sim"
import { Effect, Either, FastCheck as fc } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Compare, Explain, FromEvents, Project, Scenario, ScenarioLoader } from "../src/index.js"

/** What a variant's run gives from the whole stream read at once and compiled (the path before paging). */
const whole = (loaded: ScenarioLoader.Loaded, variant: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const stream = variant === "baseline" ? EventStore.baseline : EventStore.planStream(variant)
    const events: ReadonlyArray<Event.NewEvent> = yield* store.readStream(Ids.streamId(stream))
    const model = Compile.compile(
      events.map((e) => e.event),
      Scenario.compileOptions(loaded.scenario)
    )
    const cube = Engine.run(Compile.fresh(model))
    return {
      model,
      events,
      ...Project.checked(loaded, variant, model, cube, events),
      catchments: Tables.catchments(model, cube, variant),
      population: [...Tables.population(model, cube, variant)]
    }
  })

/** An event as a run reads it: what the store gives back of what was appended (not where it stored it). */
const appended = (e: Event.NewEvent) =>
  JSON.parse(JSON.stringify({ id: e.id, recordedAt: e.recordedAt, causationId: e.causationId, event: e.event }))

/**
 * The paged run's tables, checks and explanations are the whole stream's (`page` events a page); with
 * `decided`, the run compiles the streams just stored from memory (`Project.decidedReadings`), and the events
 * it compiled are those it would have read back.
 */
const same = (loaded: ScenarioLoader.Loaded, page: number, decided = false) =>
  Effect.gen(function* () {
    const stored = yield* Project.store(loaded)
    assert.isTrue(stored.whole, "a store without the streams takes them whole")
    // storing again appends nothing: what the store holds is no longer known to be what was decided
    assert.isFalse((yield* Project.store(loaded)).whole)
    const results = yield* Project.run(loaded, { variants: [], page, ...(decided ? { decided: Project.decidedReadings(loaded) } : {}) })
    for (const r of results) {
      const w = yield* whole(loaded, r.variant)
      if (decided) {
        const read = yield* Project.compiled(loaded, r.variant, Compile.compile, page)
        assert.deepStrictEqual(r.events.map(appended), read.events.map(appended), `${r.variant}: the events compiled`)
      }
      assert.isTrue(Compile.alike(r.model, w.model), `${r.variant}: the model`)
      assert.deepStrictEqual([...r.schools], [...w.schools])
      assert.deepStrictEqual(r.county, w.county)
      assert.deepStrictEqual(r.groups, w.groups)
      assert.deepStrictEqual([...r.checks], [...w.checks])
      assert.deepStrictEqual(r.catchments, w.catchments)
      assert.deepStrictEqual([...r.population], w.population)
      // the population a settlement at a time (what the CSV and JSON are written from) is its rows
      assert.deepStrictEqual(
        [...r.population.groups()].flatMap((g) =>
          Array.from(g.children, (children, age) => ({ variant: g.variant, year: g.year, settlement_id: g.settlement_id, age, children }))
        ),
        w.population
      )
      // the checks kept as columns, from a year on, are the checks of that year and later
      for (const from of [loaded.scenario.baseYear, loaded.scenario.baseYear + 3]) {
        const later = [...r.checks].filter((c) => c.year >= from)
        assert.deepStrictEqual([...r.checks.from(from)], later)
        assert.strictEqual(r.checks.from(from).length, later.length)
      }
      // the explanations cite the same events (those compiling reads are the ones they cite)
      const year = loaded.scenario.baseYear + 2
      const traced = Either.getOrThrow(Provenance.traceAll(r.model, year))
      for (const t of traced) {
        assert.deepStrictEqual(Explain.explain(r.variant, "pupils", t, r.events), Explain.explain(r.variant, "pupils", t, w.events))
      }
      assert.isAtMost(r.events.length, w.events.length)
    }
    return results
  })

/** A synthetic region of `counties` × `perCounty` settlements as a loaded scenario with a horizon of 3 years. */
const synthetic = (seed: number, counties: number, perCounty: number) => {
  const region = Either.getOrThrow(Synthetic.generate({ seed, counties, settlements: counties * perCounty }))
  const scenario = FromEvents.scenarioOf(region.events, {
    name: "Synthetic region (test)",
    description: "SYNTHETIC: generated by a test",
    baseYear: region.baseYear,
    horizon: 3
  })
  return Either.getOrThrow(ScenarioLoader.fromText(JSON.stringify(scenario), "region.json"))
}

describe("Project.run reads the store in pages", () => {
  it("a synthetic region's tables, checks and explanations are those of the whole stream compiled, for any region and page size", () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 6, max: 60 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.boolean(),
        (seed, counties, perCounty, page, decided) => {
          const loaded = synthetic(seed, counties, perCounty)
          const results = Effect.runSync(same(loaded, page, decided).pipe(Effect.provide(EventStore.layerMemory)))
          // most of a region's log is births recorded before the base year, which compiling never reads
          const stored = loaded.streams.baseline.length
          assert.isBelow(results[0].events.length, stored)
        }
      ),
      { numRuns: 8 }
    ))

  it("read from SQLite, which leaves out in SQL the records compiling does not read: the same tables, checks and explanations", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 6, max: 40 }),
        fc.integer({ min: 1, max: 5000 }),
        async (seed, perCounty, page) => {
          const loaded = synthetic(seed, 1, perCounty)
          // read back, and compiled from memory once stored whole
          for (const decided of [false, true]) {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-paged-"))
            try {
              const layer = SqliteEventStore.layer({ filename: path.join(dir, "events.sqlite") })
              const results = await Effect.runPromise(same(loaded, page, decided).pipe(Effect.provide(layer)))
              assert.isBelow(results[0].events.length, loaded.streams.baseline.length)
            } finally {
              fs.rmSync(dir, { recursive: true, force: true })
            }
          }
        }
      ),
      { numRuns: 3 }
    )
  }, 120_000)

  it.effect.each([false, true])(
    "a scenario with a plan variant: its tables, accounts and ledger are those of the whole streams (compiled from memory: %s)",
    (decided) =>
      Effect.gen(function* () {
        const root = path.resolve(import.meta.dirname, "../../..")
        const file = "scenarios/tiny/scenario.yaml"
        const read = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(path.join(root, file), "utf8"), file))
        const loaded = { ...read, scenario: { ...read.scenario, horizon: 4 } }
        const results = yield* same(loaded, 7, decided)
        assert.deepStrictEqual(
          results.map((r) => r.variant),
          ["baseline", "township"]
        )
        // the accounts and the ledger read each variant's events after the baseline's
        const wholes = yield* Effect.forEach(results, (r) => whole(loaded, r.variant))
        const asWhole = results.map((r, i) => ({ ...r, events: wholes[i].events }))
        const plans = Compare.plans(loaded.streams)
        const year = loaded.scenario.baseYear + 3
        assert.deepStrictEqual(
          Compare.accounts(results, plans, year, Compare.seatDemand(results, loaded.scenario)),
          Compare.accounts(asWhole, plans, year, Compare.seatDemand(asWhole, loaded.scenario))
        )
        assert.deepStrictEqual(Compare.ledger(results, plans), Compare.ledger(asWhole, plans))
        assert.deepStrictEqual(Compare.seatDemand(results, loaded.scenario), Compare.seatDemand(asWhole, loaded.scenario))
      }).pipe(Effect.provide(EventStore.layerMemory)),
    120_000
  )
})
