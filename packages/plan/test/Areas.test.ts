import { assert, describe, it } from "@effect/vitest"
import { area, booleanPointInPolygon, featureCollection, intersect, point } from "@turf/turf"
import { FastCheck as fc } from "effect"
import type { Feature } from "geojson"
import { Areas } from "../src/index.js"

/** Settlements at distinct points in a county-sized box (about 50 × 50 km), 1-60 of them. */
const sites = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 })), {
    minLength: 1,
    maxLength: 60,
    selector: ([x, y]) => `${x},${y}`
  })
  .map((xy) => xy.map(([x, y], i) => ({ id: `S${i}`, lon: 112 + x / 1000, lat: 28 + y / 1000 })))

const f = (geometry: Areas.Area): Feature<Areas.Area> => ({ type: "Feature", properties: {}, geometry })

describe("Areas", () => {
  it("every settlement lies in its own cell, and the cells tile the region", () => {
    fc.assert(
      fc.property(sites, (s) => {
        const cells = Areas.cells(s)
        assert.strictEqual(cells.size, s.length)
        for (const x of s) assert.isTrue(booleanPointInPolygon(point([x.lon, x.lat]), f(cells.get(x.id)!)), x.id)
        const total = [...cells.values()].reduce((n, c) => n + area(f(c)), 0)
        const region = area(Areas.region(s)!)
        assert.approximately(total / region, 1, 1e-3)
      }),
      { numRuns: 40 }
    )
  })

  it("dissolved groups hold their settlements, do not overlap, and add up to the cells", () => {
    fc.assert(
      fc.property(sites, fc.integer({ min: 1, max: 6 }), (s, k) => {
        const cells = Areas.cells(s)
        const groupOf = (id: string) => `G${Number(id.slice(1)) % k}`
        const groups = Areas.dissolve(cells, groupOf)
        for (const x of s) assert.isTrue(booleanPointInPolygon(point([x.lon, x.lat]), f(groups.get(groupOf(x.id))!)), x.id)
        const list = [...groups.values()]
        for (let i = 0; i < list.length; i++)
          for (let j = i + 1; j < list.length; j++) {
            const overlap = intersect(featureCollection([f(list[i]), f(list[j])]))
            assert.isBelow(overlap === null ? 0 : area(overlap), 1e-4 * area(f(list[i])) + 1)
          }
        const cellArea = [...cells.values()].reduce((n, c) => n + area(f(c)), 0)
        const groupArea = list.reduce((n, c) => n + area(f(c)), 0)
        assert.approximately(groupArea / cellArea, 1, 1e-3)
      }),
      { numRuns: 25 }
    )
  })

  it("settlements at one place share a cell; a settlement left out of every group is in none", () => {
    const s = [
      { id: "A", lon: 112, lat: 28 },
      { id: "B", lon: 112, lat: 28 },
      { id: "C", lon: 112.1, lat: 28.1 }
    ]
    const cells = Areas.cells(s)
    assert.deepStrictEqual([...cells.keys()].sort(), ["A", "C"])
    const groups = Areas.dissolve(cells, (id) => (id === "C" ? undefined : "g"))
    assert.deepStrictEqual([...groups.keys()], ["g"])
    assert.isFalse(booleanPointInPolygon(point([112.1, 28.1]), f(groups.get("g")!)))
  })
})
