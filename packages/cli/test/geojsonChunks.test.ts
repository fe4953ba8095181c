import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import * as Gis from "../src/Gis.js"

const point = fc.record({
  geometry: fc.record({
    type: fc.constant("Point" as const),
    coordinates: fc.tuple(fc.double({ min: 70, max: 140, noNaN: true }), fc.double({ min: 10, max: 55, noNaN: true }))
  }),
  properties: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), {
    maxKeys: 3
  })
})

// the collection as it was written whole, before it came in pieces
const whole = (l: Gis.Layers) =>
  JSON.stringify({
    type: "FeatureCollection",
    features: Gis.layerNames.flatMap((n) =>
      l[n].map((f) => ({
        type: "Feature",
        geometry:
          f.geometry.type === "Point"
            ? { type: "Point", coordinates: f.geometry.coordinates.map((c) => Math.round(c * 1e6) / 1e6) }
            : f.geometry,
        properties: f.properties
      }))
    )
  })

describe("GeoJSON in pieces", () => {
  it.prop(
    "the pieces joined are the whole collection's JSON, for any layers (none, a few, more than a piece holds)",
    [fc.array(point, { maxLength: 40 }), fc.array(point, { maxLength: 5 }), fc.integer({ min: 0, max: 25_000 })],
    ([settlements, schools, many]) => {
      const extra = Array.from({ length: many }, (_, i) => ({
        geometry: { type: "Point" as const, coordinates: [100 + i * 1e-5, 30] as const },
        properties: { id: `v${i}` }
      }))
      const layers: Gis.Layers = { settlements: [...settlements, ...extra], schools, catchments: [], townships: [] }
      const pieces = [...Gis.geojson(layers)]
      assert.strictEqual(pieces.join(""), whole(layers))
      if (many > 10_000) assert.isAbove(pieces.length, 4, "written in several pieces")
      assert.deepStrictEqual(JSON.parse(pieces.join("")).features.length, settlements.length + schools.length + many)
    },
    { fastCheck: { numRuns: 20 } }
  )
})
