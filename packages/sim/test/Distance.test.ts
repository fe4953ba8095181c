import { distance } from "@turf/turf"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Distance from "../src/Distance.js"

const lon = fc.double({ min: -180, max: 180, noNaN: true })
const lat = fc.double({ min: -90, max: 90, noNaN: true })

describe("Distance.km", () => {
  it("is turf's great-circle distance to the bit (the engine's distances did not change when turf's per-call costs left)", () => {
    fc.assert(
      fc.property(lon, lat, lon, lat, (lon1, lat1, lon2, lat2) => {
        expect(Object.is(Distance.km(lon1, lat1, lon2, lat2), distance([lon1, lat1], [lon2, lat2], { units: "kilometers" }))).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })

  it("is turf's distance for points a county apart (the range the candidates use)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 100, max: 120, noNaN: true }),
        fc.double({ min: 20, max: 40, noNaN: true }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        (x, y, dx, dy) => {
          expect(Distance.km(x, y, x + dx, y + dy)).toBe(distance([x, y], [x + dx, y + dy], { units: "kilometers" }))
        }
      ),
      { numRuns: 2000 }
    )
  })
})

describe("Distance.makeGrid", () => {
  it("finds the k nearest accepted points, nearest first, as a full scan does", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 110, max: 112, noNaN: true }), fc.double({ min: 30, max: 32, noNaN: true })), {
          minLength: 1,
          maxLength: 200
        }),
        fc.tuple(fc.double({ min: 109, max: 113, noNaN: true }), fc.double({ min: 29, max: 33, noNaN: true })),
        fc.integer({ min: 1, max: 10 }),
        (points, [qx, qy], k) => {
          const lons = Float64Array.from(points, (p) => p[0])
          const lats = Float64Array.from(points, (p) => p[1])
          const grid = Distance.makeGrid({ lon: lons, lat: lats })
          const even = (i: number) => i % 2 === 0
          const found: Array<number> = []
          grid.nearest(qx, qy, k, even, found)
          const minLat = Math.min(...lats)
          const maxLat = Math.max(...lats)
          const cosLat = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180))
          const d = (i: number) => ((lons[i] - qx) * cosLat) ** 2 + (lats[i] - qy) ** 2
          const expected = points
            .map((_, i) => i)
            .filter(even)
            .sort((a, b) => d(a) - d(b) || a - b)
            .slice(0, k)
          expect(found).toEqual(expected)
        }
      ),
      { numRuns: 300 }
    )
  })
})
