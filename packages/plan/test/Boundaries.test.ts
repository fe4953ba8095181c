/**
 * Township boundaries from the scenario (issue 14): inline, from a GeoJSON file beside it (carried inline
 * once loaded), and from township seats' polygons in settlementsFile; problems in the file name the file
 * and feature.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Boundaries, ScenarioLoader } from "../src/index.js"

const tiny = fs.readFileSync(path.join(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml"), "utf8")
const box = (lon: number, lat: number) => [
  [
    [lon - 0.05, lat - 0.05],
    [lon + 0.05, lat - 0.05],
    [lon + 0.05, lat + 0.05],
    [lon - 0.05, lat + 0.05],
    [lon - 0.05, lat - 0.05]
  ]
]

describe("township boundaries", () => {
  it("a scenario without boundaries has none; inline ones are kept by seat id", () => {
    const none = Either.getOrThrow(ScenarioLoader.fromText(tiny, "s.yaml", () => undefined))
    assert.strictEqual(Boundaries.boundariesOf(none.scenario).size, 0)
    const text = `${tiny}\nboundaries:\n  LS-DONG: ${JSON.stringify({ type: "Polygon", coordinates: box(113.62, 34.26) })}\n`
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(text, "s.yaml", () => undefined))
    const b = Boundaries.boundariesOf(loaded.scenario)
    assert.deepStrictEqual([...b.keys()], ["LS-DONG"])
    assert.deepStrictEqual(b.get("LS-DONG"), { type: "Polygon", coordinates: box(113.62, 34.26) })
  })

  it("a ring that crosses itself or encloses no area is a warning at its path; the scenario still loads", () => {
    const bowTie = [
      [
        [113.55, 34.22],
        [113.72, 34.36],
        [113.72, 34.22],
        [113.55, 34.36],
        [113.55, 34.22]
      ]
    ]
    const flat = [...box(113.38, 34.12), Array.from({ length: 4 }, () => [113.38, 34.12])]
    const text = `${tiny}\nboundaries:\n  LS-DONG: ${JSON.stringify({ type: "Polygon", coordinates: bowTie })}\n  LS-XI: ${JSON.stringify({ type: "MultiPolygon", coordinates: [flat] })}\n`
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(text, "s.yaml", () => undefined))
    const warnings = (loaded.warnings ?? []).map((w) => `${w.path}: ${w.message}`)
    assert.include(
      warnings,
      "boundaries.LS-DONG.coordinates[0]: Dongzhuang township 东庄镇's boundary crosses itself at [113.635, 34.29] (its edges from positions 0 and 2): areas cut to it may be wrong; mend it in a GIS (QGIS: Fix Geometries)"
    )
    assert.include(
      warnings,
      "boundaries.LS-XI.coordinates[0][1]: a ring of Xihe township 西河乡's boundary encloses no area (its positions are on one line or repeated)"
    )
    assert.isFalse(
      warnings.some((w) => w.startsWith("boundaries.LS-XI.coordinates[0][0]")),
      "the box is simple"
    )
    assert.strictEqual(Boundaries.boundariesOf(loaded.scenario).size, 2)
  })

  it("a GeoJSON file of boundaries is read and carried inline; its problems name the file and feature", () => {
    const file = JSON.stringify({
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: { id: "LS-XI" }, geometry: { type: "MultiPolygon", coordinates: [box(113.38, 34.12)] } },
        { type: "Feature", properties: { id: "LS-SEAT" }, geometry: { type: "Polygon", coordinates: box(113.5, 34.2) } }
      ]
    })
    const text = `${tiny}\nboundaries: townships.geojson\n`
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(text, "s.yaml", (f) => (f === "townships.geojson" ? file : undefined)))
    assert.deepStrictEqual([...Boundaries.boundariesOf(loaded.scenario).keys()].sort(), ["LS-SEAT", "LS-XI"])
    assert.strictEqual(typeof loaded.scenario.boundaries, "object")
    const broken = file.replace('"LS-SEAT"', '""').replace(/("coordinates":\[\[\[\[)[-\d.]+/, '$1"x"')
    const error = Either.getLeft(ScenarioLoader.fromText(text, "s.yaml", () => broken))
    assert.isTrue(error._tag === "Some")
    if (error._tag === "Some") {
      assert.include(error.value.message, "townships.geojson: features[0].geometry.coordinates[0][0][0][0]")
      assert.include(
        error.value.message,
        "townships.geojson: features[1].properties.id: expected the id of a township seat or the county seat"
      )
    }
    const missing = Either.getLeft(ScenarioLoader.fromText(text, "s.yaml", () => undefined))
    assert.isTrue(missing._tag === "Some" && missing.value.message.includes("boundaries: cannot read townships.geojson"))
  })

  it("a township seat's polygon in settlementsFile is its boundary; a village's is only its location", () => {
    const geojson = JSON.stringify({
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          geometry: { type: "Polygon", coordinates: box(113.5, 34.2) },
          properties: { id: "SEAT", name: "Seat", tier: "county-seat" }
        },
        {
          type: "Feature",
          geometry: { type: "Polygon", coordinates: box(113.6, 34.3) },
          properties: { id: "V1", name: "Village", tier: "village", parent: "SEAT" }
        }
      ]
    })
    const scenario = [
      "name: geo test (synthetic)",
      "baseYear: 2024",
      "settlementsFile: places.geojson",
      "population:",
      "  - { settlement: SEAT, byAge: [50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50] }",
      "schools:",
      "  - { id: PRI, name: Primary, type: primary, settlement: SEAT, classrooms: 12, seats: 540 }",
      "catchments:",
      "  primary: { SEAT: PRI, V1: PRI }"
    ].join("\n")
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(scenario, "s.yaml", (f) => (f === "places.geojson" ? geojson : undefined)))
    assert.deepStrictEqual([...Boundaries.boundariesOf(loaded.scenario).keys()], ["SEAT"])
  })
})
