/**
 * One geometry (issue 14): the report's map and the GIS layers (map-<variant>.geojson, seatplan.gpkg) show
 * the same township and catchment areas, because both take them from plan/Geometry.siteCells. Checked on
 * the tiny example, projected alike: every township and primary catchment has the same area (km²) in both,
 * up to the report's rounding to 10 m; and the same whole pupils and seats at each school.
 */
import { assert, describe, it } from "@effect/vitest"
import { SqliteEventStore } from "@seatplan/core"
import { Geometry, Project, ScenarioLoader } from "@seatplan/plan"
import { Effect } from "effect"
import * as path from "node:path"
import * as Gis from "../src/Gis.js"
import { mapData } from "../src/report/MapData.js"
import { root } from "./seatplan.js"

describe("the report's map and the GIS layers", () => {
  it.effect("draw the same township and catchment areas", () =>
    Effect.gen(function* () {
      const loaded = yield* ScenarioLoader.load(path.join(root, "scenarios/tiny/scenario.yaml"))
      const results = yield* Effect.gen(function* () {
        yield* Project.store(loaded)
        return yield* Project.run(loaded, { variants: [], replicates: 0 })
      }).pipe(Effect.provide(SqliteEventStore.layer({ filename: ":memory:" })))
      for (const r of results) {
        const year = Math.max(...r.county.map((c) => c.year))
        const m = mapData(r, year)
        const p = Geometry.projection([[m.origin[0], m.origin[1]]])
        const layers = Gis.layers(r, [year])
        const km2 = (g: Gis.Geom) =>
          g.type === "Point" ? 0 : Geometry.area(Geometry.polygonsOf(g).map((poly) => poly.map((ring) => ring.map((q) => p.project(q)))))
        const drawn = (rings: ReadonlyArray<ReadonlyArray<Geometry.Position>>) => Geometry.area(rings.map((ring) => [ring]))
        assert.strictEqual(layers.townships.length, m.townships.length)
        for (const t of layers.townships) {
          const shown = m.townships.find((x) => x.name === t.properties.name)
          assert.isDefined(shown, String(t.properties.name))
          const a = km2(t.geometry)
          assert.isAbove(a, 1)
          assert.approximately(drawn(shown!.rings), a, 0.01 * a, `township ${t.properties.name}`)
        }
        const primary = layers.catchments.filter((c) => c.properties.level === "primary")
        assert.strictEqual(primary.length, m.catchments.length)
        for (const c of primary) {
          const shown = m.catchments.find((x) => x.name === c.properties.name)
          assert.isDefined(shown, String(c.properties.name))
          assert.approximately(drawn(shown!.rings), km2(c.geometry), 0.01 * km2(c.geometry), `catchment ${c.properties.name}`)
        }
        // and the same pupils and seats: a school's on the report's map are its open levels' as the GIS layers
        // (and schools.csv) print them, summed
        let compared = 0
        for (const [, , name, pupils, , , seats] of m.schools) {
          const levels = layers.schools.filter((f) => f.properties.name === name && f.properties.open === true)
          if (levels.length === 0) continue
          const sum = (k: string) => levels.reduce((n, f) => n + Number(f.properties[k]), 0)
          assert.deepStrictEqual([pupils, seats], [sum("pupils"), sum("seats")], name)
          compared++
        }
        assert.isAbove(compared, 5)
      }
    })
  )
})
