/**
 * The map layers of a run share their areas between years and variants (`Gis.cache`): the layers are the
 * same as each variant's drawn on its own, and an area that does not change is one object, so the
 * GeoPackage encodes it once.
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore } from "@seatplan/core"
import { Project, ScenarioLoader } from "@seatplan/plan"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Gis from "../src/Gis.js"

const scenario = path.resolve(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml")

describe("Gis.layers with a cache shared by the run", () => {
  it.effect(
    "gives every variant's layers as drawn alone; an unchanged area is one object across years and variants",
    () =>
      Effect.gen(function* () {
        const loaded = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(scenario, "utf8"), scenario))
        yield* Project.store(loaded)
        const results = yield* Project.run(loaded, { variants: [] })
        assert.isAbove(results.length, 1)
        const years = [...new Set(results[0].county.map((c) => c.year))]
        const shared = Gis.cache()
        const together = results.map((r) => Gis.layers(r, years, { cache: shared }))
        results.forEach((r, i) => assert.deepStrictEqual(together[i], Gis.layers(r, years), r.variant))
        // far fewer distinct areas than area features: each drawn once
        const areas = together.flatMap((l) => [...l.catchments, ...l.townships].map((f) => f.geometry))
        const distinct = new Set(areas)
        assert.isAbove(areas.length, 2 * distinct.size)
        assert.isAtMost(distinct.size, shared.areas.size)
      }).pipe(Effect.provide(EventStore.layerMemory)),
    120_000
  )
})
