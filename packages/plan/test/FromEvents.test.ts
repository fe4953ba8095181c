/**
 * A base split catchment (学区划分 recorded before the base year) survives the trip scenario → events →
 * event log (export, import) → scenario (`FromEvents.scenarioOf`) → events: the second school keeps its
 * share of the settlement's pupils, and the projection is the same. A whole assignment after a split ends it.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Event, EventStore, Jsonl } from "@seatplan/core"
import { Effect, Either, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { stringify } from "yaml"
import { FromEvents, Project, Scenario, ScenarioLoader } from "../src/index.js"

const file = path.join(import.meta.dirname, "fixtures/comply/scenario.yaml")
/** The two-school township with 30 % of the town's primary pupils zoned to the village school in the base. */
const text = fs
  .readFileSync(file, "utf8")
  .replace("catchments:\n", "splits:\n  primary: { TOWN: { school: VILL-PRI, share: 0.3 } }\ncatchments:\n")
  .replace(/variants:[\s\S]*$/, "variants: []\n")
const header = { name: "Comply township (synthetic)", description: "round trip", baseYear: 2024, horizon: 6 }

const loadedOf = (yaml: string) => Either.getOrThrow(ScenarioLoader.fromText(yaml, file))
/** The baseline's events as payloads (ids and timestamps apart). */
const payloads = (events: ReadonlyArray<Event.NewEvent>) => events.map((e) => e.event)
const splitsOf = (events: ReadonlyArray<Event.Event>) =>
  events.filter((e) => e._tag === "CatchmentAssigned" && e.share !== undefined && e.share < 1)
const pupils = (r: Project.VariantResult, id: string, year: number) =>
  r.schools.find((x) => x.school_id === id && x.year === year && x.level === "primary")?.pupils ?? 0

describe("FromEvents: a base split catchment survives an event log", () => {
  it.effect(
    "scenario → store → JSONL export → import → scenario → events: the split and the projection are unchanged",
    () =>
      Effect.gen(function* () {
        const loaded = loadedOf(text)
        const base = payloads(loaded.streams.baseline)
        assert.deepStrictEqual(splitsOf(base), [
          { _tag: "CatchmentAssigned", year: 2024, level: "primary", settlementId: "TOWN", schoolId: "VILL-PRI", share: 0.3 }
        ] as unknown as ReadonlyArray<Event.Event>)
        // the event log: stored, exported as JSONL, imported into another store, read back
        const jsonl = yield* Effect.gen(function* () {
          yield* Project.store(loaded)
          return Jsonl.encode(yield* (yield* EventStore.EventStore).log)
        }).pipe(Effect.provide(EventStore.layerMemory))
        const imported = yield* Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          yield* store.importLog(Either.getOrThrow(Jsonl.decode(jsonl, "log.jsonl")))
          return (yield* store.readAll()).map((e) => e.event)
        }).pipe(Effect.provide(EventStore.layerMemory))
        assert.deepStrictEqual(imported, base, "the imported log holds the baseline's events, the split's share included")
        // the scenario of the log: the split is in its base, and loads to the same baseline
        const again = FromEvents.scenarioOf(imported, header)
        assert.deepStrictEqual(again.splits, { primary: { TOWN: { school: "VILL-PRI", share: 0.3 } } })
        const reloaded = loadedOf(stringify(again))
        assert.deepStrictEqual(payloads(reloaded.streams.baseline), base)
        // and projects the same: 30 % of the town's pupils (whole pupils) at the village school
        const [before] = yield* Effect.gen(function* () {
          yield* Project.store(loaded)
          return yield* Project.run(loaded, { variants: [] })
        }).pipe(Effect.provide(EventStore.layerMemory))
        const [after] = yield* Effect.gen(function* () {
          yield* Project.store(reloaded)
          return yield* Project.run(reloaded, { variants: [] })
        }).pipe(Effect.provide(EventStore.layerMemory))
        for (const year of [2025, 2030]) {
          assert.strictEqual(pupils(after, "VILL-PRI", year), pupils(before, "VILL-PRI", year), `${year}: the village school`)
          assert.strictEqual(pupils(after, "TOWN-PRI", year), pupils(before, "TOWN-PRI", year), `${year}: the town school`)
        }
        // by hand: round(0.3 × the town's primary pupils) at the village school beside its own, none lost
        const plain = loadedOf(text.replace(/splits:\n.*\n/, ""))
        const [whole] = yield* Effect.gen(function* () {
          yield* Project.store(plain)
          return yield* Project.run(plain, { variants: [] })
        }).pipe(Effect.provide(EventStore.layerMemory))
        for (const year of [2024, 2027, 2030]) {
          const town = pupils(whole, "TOWN-PRI", year)
          const village = pupils(whole, "VILL-PRI", year) + Math.round(town * 0.3)
          assert.approximately(pupils(after, "VILL-PRI", year), village, 1e-9, `${year}`)
          assert.approximately(pupils(after, "TOWN-PRI", year), town - Math.round(town * 0.3), 1e-9, `${year}`)
        }
      }),
    120_000
  )

  it("a whole assignment after a split ends it: the scenario of the log has no split", () => {
    const base = payloads(loadedOf(text).streams.baseline)
    const whole = {
      _tag: "CatchmentAssigned",
      year: 2024,
      level: "primary",
      settlementId: "TOWN",
      schoolId: "TOWN-PRI"
    } as unknown as Event.Event
    const s = FromEvents.scenarioOf([...base, whole], header)
    assert.isUndefined(s.splits)
    assert.strictEqual(s.catchments.primary?.TOWN, "TOWN-PRI")
  })

  it("a base split needs the settlement zoned to another school: one to its own school is a located problem", () => {
    const own = text.replace("{ school: VILL-PRI, share: 0.3 }", "{ school: TOWN-PRI, share: 0.3 }")
    const r = ScenarioLoader.fromText(own, file)
    assert.isTrue(Either.isLeft(r))
    if (Either.isLeft(r)) assert.match(r.left.message, /splits\.primary\.TOWN.*no other primary school to keep the rest/s)
    const decoded = Schema.decodeUnknownEither(Scenario.ScenarioFile)({
      name: "x",
      baseYear: 2024,
      schools: [],
      catchments: {},
      splits: { primary: { TOWN: { school: "VILL-PRI", share: 1 } } }
    })
    assert.isTrue(Either.isLeft(decoded), "a base split's share is below 1 (a whole settlement is `catchments`)")
  })
})
