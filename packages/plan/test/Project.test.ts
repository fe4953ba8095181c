/**
 * Storing a scenario goes through the command handler (the one write path): the store holds exactly the
 * streams the loader decided, each variant a fork of the baseline, and storing again appends nothing.
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore, Ids, SqliteEventStore } from "@seatplan/core"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Project, ScenarioLoader } from "../src/index.js"

const root = path.resolve(import.meta.dirname, "../../..")
const loaded = Either.getOrThrow(
  ScenarioLoader.fromText(fs.readFileSync(path.join(root, "scenarios/tiny/scenario.yaml"), "utf8"), "scenarios/tiny/scenario.yaml")
)
const strip = (events: ReadonlyArray<{ readonly id: string; readonly event: unknown }>) => events.map((e) => ({ id: e.id, event: e.event }))

describe("Project.store", () => {
  it.effect("stores what the loader decided, through the command handler, into a SQLite store", () =>
    Effect.gen(function* () {
      yield* Project.store(loaded)
      const store = yield* EventStore.EventStore
      assert.deepStrictEqual(strip(yield* store.readStream(EventStore.baseline)), strip(loaded.streams.baseline))
      for (const v of loaded.streams.variants) {
        const stored = yield* store.readStream(Ids.streamId(EventStore.planStream(v.name)))
        assert.deepStrictEqual(strip(stored), strip([...loaded.streams.baseline, ...v.events]))
        const info = (yield* store.streams).find((s) => s.stream === EventStore.planStream(v.name))
        assert.strictEqual(info?.parent?.version, loaded.streams.baseline.length)
      }
      const before = (yield* store.readAll()).length
      yield* Project.store(loaded)
      assert.strictEqual((yield* store.readAll()).length, before, "storing again appends nothing")
    }).pipe(
      Effect.provide(
        SqliteEventStore.layer({ filename: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-project-")), "events.sqlite") })
      )
    )
  )
})
