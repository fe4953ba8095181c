/**
 * A large scenario's streams stored on a worker thread while `seatplan run` projects them (StoreThread,
 * issue 18 end to end): the results are those of storing first and reading back, the store holds the same
 * events at the same versions, and a store that refuses the events fails the run with the store's own error.
 */
import { assert, describe, it } from "@effect/vitest"
import { Ids, EventStore, type EventStoreError, SqliteEventStore } from "@seatplan/core"
import { Project, ScenarioLoader } from "@seatplan/plan"
import { Effect, Either, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Worker } from "node:worker_threads"
import * as Run from "../src/commands/Run.js"
import * as Phases from "../src/Phases.js"
import type * as StoreThread from "../src/StoreThread.js"
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

/** `Run.project` into a new store at `db`, the streams stored on the worker from `storeFrom` events. */
const projected = (loaded: ScenarioLoader.Loaded, db: string, storeFrom: number) =>
  Run.project(options as never, loaded, db, Phases.phases(true), undefined, undefined, { storeFrom })

describe("the streams stored on a worker thread beside the run (issue 18, end to end)", () => {
  it.effect(
    "give the results and the stored events of storing first in the command's thread",
    () =>
      Effect.gen(function* () {
        const loaded = yield* ScenarioLoader.load(scenario)
        assert.isAbove(loaded.scenario.variants.length, 0, "a variant: its stream is a fork")
        const dir = temp("seatplan-store-thread-")
        const inThread = yield* projected(loaded, path.join(dir, "in-thread.sqlite"), Number.POSITIVE_INFINITY)
        const beside = yield* projected(loaded, path.join(dir, "beside.sqlite"), 0)
        assert.deepStrictEqual(
          beside.map((r) => r.variant),
          inThread.map((r) => r.variant)
        )
        for (let i = 0; i < inThread.length; i++) {
          assert.deepStrictEqual(beside[i].schools, inThread[i].schools)
          assert.deepStrictEqual(beside[i].county, inThread[i].county)
          assert.deepStrictEqual([...beside[i].checks], [...inThread[i].checks])
          assert.deepStrictEqual([...beside[i].population], [...inThread[i].population])
        }
        const a = yield* storedIn(path.join(dir, "in-thread.sqlite"))
        const b = yield* storedIn(path.join(dir, "beside.sqlite"))
        assert.strictEqual(a.length, Project.eventsIn(loaded.streams))
        assert.deepStrictEqual(b, a)
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
        worker.postMessage({ open: db } satisfies StoreThread.Request)
        const events = Buffer.from(JSON.stringify(loaded.streams.baseline), "utf8")
        worker.postMessage({ variant: undefined, offset: 0, events: new Uint8Array(events) } satisfies StoreThread.Request)
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
