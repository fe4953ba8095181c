/**
 * A large scenario's streams stored on a worker thread while `seatplan run` projects them (StoreThread,
 * issue 18 end to end): the results are those of storing first and reading back, the store holds the same
 * events at the same versions, and a store that refuses the events fails the run with the store's own error.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids, EventStore, type EventStoreError, SqliteEventStore } from "@seatplan/core"
import { FromEvents, Project, ScenarioLoader } from "@seatplan/plan"
import { Synthetic } from "@seatplan/sim"
import { Effect, Either, FastCheck as fc, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Worker } from "node:worker_threads"
import * as Run from "../src/commands/Run.js"
import * as Phases from "../src/Phases.js"
import * as StoreThread from "../src/StoreThread.js"
import { root, temp } from "./seatplan.js"

const scenario = path.join(root, "scenarios/tiny/scenario.yaml")

const options = {
  scenario,
  variant: [],
  seed: Option.none(),
  replicates: 0,
  out: Option.none(),
  quiet: true,
  lang: Option.none(),
  years: Option.none(),
  bands: Option.none(),
  pdf: false,
  paper: "a4",
  tiles: Option.none()
} as const

/** Every stream of the store at `db`, each event as stored (stream, version, id, payload). */
const storedIn = (db: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const all = yield* store.readAll()
    return all.map((e) => ({ stream: e.stream, version: e.version, id: e.id, event: e.event }))
  }).pipe(Effect.provide(SqliteEventStore.layer({ filename: db })))

/** `Run.project` into a new store at `db`, the streams stored on the worker from `storeFrom` events (through `ring`). */
const projected = (loaded: ScenarioLoader.Loaded, db: string, storeFrom: number, ring?: StoreThread.Ring) =>
  Run.project(options as never, loaded, db, Phases.phases(true), undefined, undefined, {
    storeFrom,
    ...(ring === undefined ? {} : { ring })
  })

/** An envelope as the store writes it (JSON: an absent cause and an undefined one are alike). */
const asStored = (e: Event.NewEvent) => JSON.parse(JSON.stringify(e))

describe("the streams stored on a worker thread beside the run (issue 18, end to end)", () => {
  it("events packed for the worker (the envelopes without what repeats) unpack to themselves, whatever their ids, causes and times", async () => {
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(scenario, "utf8"), scenario))
    const events = loaded.streams.baseline
    const text = fc.oneof(fc.constantFrom("scenario/000001", "scenario/000001/0", "x", "/", "a/b", ""), fc.string())
    const envelope = fc.record(
      {
        id: fc.oneof(
          text,
          fc.tuple(text, fc.nat({ max: 12 })).map(([c, n]) => `${c}/${n}`),
          fc.constantFrom("c/01", "c/-1", "c/1e3", "c/")
        ),
        recordedAt: fc.constantFrom("2024-01-01T00:00:00.000Z", "2025-06-30T12:00:00.000Z"),
        causationId: fc.oneof(text, fc.constant(undefined), fc.constantFrom("c")),
        event: fc.constantFrom(...events.slice(0, 20).map((e) => e.event))
      },
      { requiredKeys: ["id", "recordedAt", "event"] }
    )
    fc.assert(
      fc.property(fc.array(envelope, { maxLength: 30 }), (envelopes) => {
        const given = envelopes as unknown as ReadonlyArray<Event.NewEvent>
        assert.deepStrictEqual(StoreThread.unpack(StoreThread.pack(given)).map(asStored), given.map(asStored))
      }),
      { numRuns: 300 }
    )
    // the decided envelopes: ids and causes given by place
    assert.deepStrictEqual(StoreThread.unpack(StoreThread.pack(events)).map(asStored), events.map(asStored))
    assert.isBelow(StoreThread.pack(events).length, JSON.stringify(events).length * 0.75)
  })

  /** The run stored beside, through the shared memory laid out as `layout`, against storing first: the same results and stored events. */
  const sameAsStoringFirst = (loaded: ScenarioLoader.Loaded, layout: StoreThread.Ring) =>
    Effect.gen(function* () {
      const dir = temp("seatplan-store-thread-")
      const inThread = yield* projected(loaded, path.join(dir, "in-thread.sqlite"), Number.POSITIVE_INFINITY)
      const beside = yield* projected(loaded, path.join(dir, "beside.sqlite"), 0, layout)
      assert.deepStrictEqual(
        beside.map((r) => r.variant),
        inThread.map((r) => r.variant)
      )
      for (let i = 0; i < inThread.length; i++) {
        assert.deepStrictEqual([...beside[i].schools], [...inThread[i].schools])
        assert.deepStrictEqual(beside[i].county, inThread[i].county)
        assert.deepStrictEqual([...beside[i].checks], [...inThread[i].checks])
        assert.deepStrictEqual([...beside[i].population], [...inThread[i].population])
      }
      const a = yield* storedIn(path.join(dir, "in-thread.sqlite"))
      const b = yield* storedIn(path.join(dir, "beside.sqlite"))
      assert.strictEqual(a.length, Project.eventsIn(loaded.streams))
      assert.deepStrictEqual(b, a)
    })

  /** Shared memory as `seatplan run` lays it out; slots smaller than a piece (every piece on its own buffer); a few pieces a slot, two slots (full slots, waits, and pieces on their own buffer when none is free). */
  const layouts: ReadonlyArray<StoreThread.Ring> = [StoreThread.ring, { slots: 1, slotBytes: 4096 }, { slots: 2, slotBytes: 200_000 }]

  it.effect(
    "the scenario is let go of in two steps: its region's records before the events are stored, its baseline's events once stored; the results are the same",
    () =>
      Effect.gen(function* () {
        const loaded = yield* ScenarioLoader.load(scenario)
        assert.isAbove(loaded.scenario.population.length, 0)
        const dir = temp("seatplan-store-release-")
        const kept = yield* projected(loaded, path.join(dir, "kept.sqlite"), Number.POSITIVE_INFINITY)
        for (const storeFrom of [Number.POSITIVE_INFINITY, 0]) {
          const given: Array<ScenarioLoader.Loaded> = []
          const released = yield* Run.project(
            options as never,
            loaded,
            path.join(dir, `released-${storeFrom}.sqlite`),
            Phases.phases(true),
            (lighter) => given.push(lighter),
            undefined,
            { storeFrom }
          )
          assert.strictEqual(given.length, 2)
          // first without the records, the events still to store; then without the baseline's events
          assert.isUndefined(given[0].scenario.history)
          assert.deepStrictEqual(given[0].scenario.population, [])
          assert.deepStrictEqual(given[0].scenario.catchments, {})
          assert.strictEqual(given[0].streams.baseline.length, loaded.streams.baseline.length)
          assert.deepStrictEqual(given[1].streams.baseline, [])
          assert.strictEqual(given[1].scenario.settlements, loaded.scenario.settlements)
          for (let i = 0; i < kept.length; i++) {
            assert.deepStrictEqual(released[i].county, kept[i].county)
            assert.deepStrictEqual([...released[i].schools], [...kept[i].schools])
          }
        }
      }),
    120_000
  )

  it.effect(
    "give the results and the stored events of storing first in the command's thread (a scenario with a variant: its stream is a fork)",
    () =>
      Effect.gen(function* () {
        const loaded = yield* ScenarioLoader.load(scenario)
        assert.isAbove(loaded.scenario.variants.length, 0)
        for (const layout of layouts) yield* sameAsStoringFirst(loaded, layout)
      }),
    120_000
  )

  it.effect(
    "a generated region of thousands of events, in parts of many pieces: the same results and stored events",
    () =>
      Effect.gen(function* () {
        const region = Either.getOrThrow(Synthetic.generate({ seed: 5, counties: 1, settlements: 150 }))
        const text = JSON.stringify(
          FromEvents.scenarioOf(region.events, {
            name: "Synthetic region (test)",
            description: "SYNTHETIC: generated by a test",
            baseYear: region.baseYear,
            horizon: 3
          })
        )
        const loaded = Either.getOrThrow(ScenarioLoader.fromText(text, "region.json"))
        assert.isAbove(Project.eventsIn(loaded.streams), 2000)
        for (const layout of layouts) yield* sameAsStoringFirst(loaded, layout)
      }),
    120_000
  )

  it.effect(
    "a store that refuses the events fails the run with the store's error, and stores nothing of them",
    () =>
      Effect.gen(function* () {
        const loaded = yield* ScenarioLoader.load(scenario)
        const db = path.join(temp("seatplan-store-thread-refused-"), "events.sqlite")
        // another process's event already in the baseline stream: the first part expects version 0
        yield* Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          yield* store.append(EventStore.baseline, [{ ...loaded.streams.baseline[0], id: Ids.eventId("other/0") }], 0)
        }).pipe(Effect.provide(SqliteEventStore.layer({ filename: db })))
        const failed = yield* Effect.either(projected(loaded, db, 0))
        assert.isTrue(Either.isLeft(failed))
        const error = (failed as Either.Left<EventStoreError.AppendError, unknown>).left
        assert.strictEqual(error._tag, "VersionConflict")
        assert.include(error.message, "baseline")
        assert.strictEqual((yield* storedIn(db)).length, 1)
      }),
    120_000
  )

  it("the bundled worker (dist/internal/storeWorker.mjs, what the command starts) stores a part as the sources do", async () => {
    const bundled = path.join(root, "packages/cli/dist/internal/storeWorker.mjs")
    assert.isTrue(fs.existsSync(bundled), "built by scripts/build.mjs with the command")
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(scenario, "utf8"), scenario))
    const db = path.join(temp("seatplan-store-thread-bundle-"), "events.sqlite")
    const worker = new Worker(bundled)
    try {
      const messages: Array<StoreThread.Message> = []
      await new Promise<void>((resolve, reject) => {
        worker.on("message", (m: StoreThread.Message) => {
          messages.push(m)
          if ("done" in m || "failed" in m) resolve()
        })
        worker.once("error", reject)
        const layout = StoreThread.ring
        const ring = new SharedArrayBuffer(StoreThread.slotStart(layout.slots, layout.slotBytes))
        worker.postMessage({ open: db, ring, layout } satisfies StoreThread.Request)
        // the first events in a slot of the shared memory, the rest on a buffer of their own
        const events = loaded.streams.baseline
        const first = new TextEncoder().encodeInto(
          StoreThread.pack(events.slice(0, 5)),
          new Uint8Array(ring, StoreThread.slotStart(3, layout.slotBytes))
        ).written
        const rest = new TextEncoder().encode(StoreThread.pack(events.slice(5)))
        worker.postMessage({ variant: undefined, offset: 0, slot: 3, lengths: [first], last: false } satisfies StoreThread.Request)
        worker.postMessage({ variant: undefined, offset: 0, bytes: rest, lengths: [rest.length], last: true } satisfies StoreThread.Request)
        worker.postMessage({ end: true } satisfies StoreThread.Request)
      })
      assert.deepStrictEqual(messages, [{ stored: loaded.streams.baseline.length }, { done: { whole: true } }])
      const stored = await Effect.runPromise(storedIn(db))
      assert.deepStrictEqual(
        stored.map((e) => e.id),
        loaded.streams.baseline.map((e) => e.id)
      )
    } finally {
      await worker.terminate()
    }
  })
})
