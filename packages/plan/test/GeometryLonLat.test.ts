/**
 * The GIS layers' and the report's areas in longitude and latitude (plan/Geometry.siteCells and
 * dissolveAreas, the one construction both use), checked with turf's point-in-polygon and clipping over
 * random settlements.
 *
 * Areas are measured in the plane (`Geometry.area`, square degrees), not with turf's geodesic `area`:
 * the geodesic formula integrates sin(latitude) along each edge by the trapezoid rule, so cutting a 55 km
 * hull edge in three moves the measured area by about 0.15 % although the pieces tile it exactly (a run of
 * fast-check found three nearly collinear settlements where the cells "exceeded" the region by 0.1 %). The
 * construction is exact in the plane, and the projection is affine, so a planar measure is the honest check.
 */
import { assert, describe, it } from "@effect/vitest"
import { booleanPointInPolygon, difference, featureCollection, intersect, point } from "@turf/turf"
import { FastCheck as fc } from "effect"
import type { Feature, MultiPolygon, Polygon } from "geojson"
import { Geometry } from "../src/index.js"

/** Settlements at distinct points in a county-sized box (about 50 × 50 km), 1-60 of them. */
const sites = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 })), {
    minLength: 1,
    maxLength: 60,
    selector: ([x, y]) => `${x},${y}`
  })
  .map((xy) => xy.map(([x, y], i) => ({ id: `S${i}`, lon: 112 + x / 1000, lat: 28 + y / 1000 })))

/** Planar area (`Geometry.area`, in square degrees): additive over any exact tiling, unlike the geodesic one. */
const area = (feature: Feature<Polygon | MultiPolygon>): number => Geometry.area(Geometry.polygonsOf(feature.geometry))

const f = (geometry: Geometry.Area): Feature<Polygon | MultiPolygon> => ({
  type: "Feature",
  properties: {},
  geometry: geometry as Polygon | MultiPolygon
})

describe("Geometry in longitude and latitude (the GIS layers)", () => {
  it("every settlement lies in its own cell, and the cells tile the region", () => {
    fc.assert(
      fc.property(sites, (s) => {
        const cells = Geometry.siteCells(s)
        assert.strictEqual(cells.size, s.length)
        for (const x of s) assert.isTrue(booleanPointInPolygon(point([x.lon, x.lat]), f(cells.get(x.id)!)), x.id)
        const total = [...cells.values()].reduce((n, c) => n + area(f(c)), 0)
        const region = area(f(Geometry.region(s)!))
        assert.approximately(total / region, 1, 1e-9)
      }),
      { numRuns: 40 }
    )
  })

  it("dissolved groups hold their settlements, do not overlap, and add up to the cells", () => {
    fc.assert(
      fc.property(sites, fc.integer({ min: 1, max: 6 }), (s, k) => {
        const cells = Geometry.siteCells(s)
        const groupOf = (id: string) => `G${Number(id.slice(1)) % k}`
        const groups = Geometry.dissolveAreas(cells, groupOf)
        for (const x of s) assert.isTrue(booleanPointInPolygon(point([x.lon, x.lat]), f(groups.get(groupOf(x.id))!)), x.id)
        const list = [...groups.values()]
        for (let i = 0; i < list.length; i++)
          for (let j = i + 1; j < list.length; j++) {
            const overlap = intersect(featureCollection([f(list[i]), f(list[j])]))
            assert.isBelow(overlap === null ? 0 : area(overlap), 1e-6 * area(f(list[i])))
          }
        const cellArea = [...cells.values()].reduce((n, c) => n + area(f(c)), 0)
        const groupArea = list.reduce((n, c) => n + area(f(c)), 0)
        assert.approximately(groupArea / cellArea, 1, 1e-9)
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
    const cells = Geometry.siteCells(s)
    assert.deepStrictEqual([...cells.keys()].sort(), ["A", "C"])
    const groups = Geometry.dissolveAreas(cells, (id: string) => (id === "C" ? undefined : "g"))
    assert.deepStrictEqual([...groups.keys()], ["g"])
    assert.isFalse(booleanPointInPolygon(point([112.1, 28.1]), f(groups.get("g")!)))
  })

  it("cells kept within given township boundaries: inside their own, outside every other, never larger", () => {
    /** A box in the county-sized area, in thousandths of a degree from (112, 28). */
    const box = fc
      .tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 20, max: 300 }))
      .map(([x, y, w]): Geometry.Area => {
        const [x0, y0, x1, y1] = [112 + x / 1000, 28 + y / 1000, 112 + (x + w) / 1000, 28 + (y + w) / 1000]
        return {
          type: "Polygon",
          coordinates: [
            [
              [x0, y0],
              [x1, y0],
              [x1, y1],
              [x0, y1],
              [x0, y0]
            ]
          ]
        }
      })
    fc.assert(
      fc.property(sites, fc.integer({ min: 1, max: 4 }), fc.array(box, { minLength: 1, maxLength: 2 }), (s, k, boxes) => {
        const cells = Geometry.siteCells(s)
        const townshipOf = (id: string) => `T${Number(id.slice(1)) % k}`
        // disjoint boundaries, as townships' are: the second box less the first
        const given = new Map<string, Geometry.Area>()
        boxes.forEach((b, i) => {
          const rest = i === 0 ? f(b) : difference(featureCollection([f(b), f(boxes[0])]))
          if (rest !== null && i < k) given.set(`T${i}`, rest.geometry as Geometry.Area)
        })
        const kept = Geometry.withinBoundaries(cells, townshipOf, given)
        // polygon clipping's rounding leaves slivers far below a millionth of a cell
        const tolerance = (a: number) => 1e-6 * a
        for (const [id, c] of kept) {
          const before = area(f(cells.get(id)!))
          assert.isAtMost(area(f(c)), before + tolerance(before), id)
          for (const [t, b] of given) {
            if (t === townshipOf(id)) {
              const outside = difference(featureCollection([f(c), f(b)]))
              assert.isBelow(outside === null ? 0 : area(outside), tolerance(before), `${id} outside ${t}`)
            } else {
              const inside = intersect(featureCollection([f(c), f(b)]))
              assert.isBelow(inside === null ? 0 : area(inside), tolerance(before), `${id} inside ${t}`)
            }
          }
        }
        // a cell of a township without a boundary that lies clear of every boundary is kept whole
        for (const x of s)
          if (!given.has(townshipOf(x.id)) && !kept.has(x.id)) {
            const whole = cells.get(x.id)!
            const covered = [...given.values()].reduce((n, b) => {
              const i = intersect(featureCollection([f(whole), f(b)]))
              return n + (i === null ? 0 : area(i))
            }, 0)
            assert.approximately(covered / area(f(whole)), 1, 1e-9, x.id)
          }
        assert.strictEqual(Geometry.withinBoundaries(cells, townshipOf, new Map()), cells)
      }),
      { numRuns: 30 }
    )
  })
})
