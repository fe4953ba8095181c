/**
 * The map's derived areas (issue 14) as properties over random places: the cells cover the buffered hull
 * exactly once (their areas add up to the hull's, and so does their union's: no gap, no overlap), every
 * point lies in its own cell and in its own region, and the projection keeps one kilometre the same length
 * east and north and inverts exactly.
 */
import { assert, describe, it } from "@effect/vitest"
import { featureCollection, intersect, kinks, point, polygon, voronoi } from "@turf/turf"
import { FastCheck as fc } from "effect"
import { Geometry } from "../src/index.js"

/** 3-30 distinct places on a 0.5 km grid over 60 × 40 km, each in one of 1-4 groups. */
const places = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 80 })), {
    minLength: 3,
    maxLength: 30,
    selector: ([x, y]) => `${x},${y}`
  })
  .chain((grid) =>
    fc.record({
      points: fc.constant(grid.map(([x, y]) => [x / 2, y / 2] as const)),
      keys: fc.array(fc.constantFrom("A", "B", "C", "D"), { minLength: grid.length, maxLength: grid.length })
    })
  )

/**
 * Every cell clipped to the hull by turf's intersect (polyclip), as `Geometry.cells` clipped them all before
 * it clipped them itself: the same Voronoi diagram of the places to the metre (same bounding box), the same order.
 */
const clippedByTurf = (raw: ReadonlyArray<Geometry.Position>, hull: Geometry.Polygon): ReadonlyArray<Geometry.MultiPolygon> => {
  const points = raw.map(([x, y]) => [Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000] as const)
  const seen = new Set<string>()
  const unique = points.flatMap((p, i) => (seen.has(`${p[0]},${p[1]}`) ? [] : (seen.add(`${p[0]},${p[1]}`), [i])))
  const xs = hull[0].map((p) => p[0])
  const ys = hull[0].map((p) => p[1])
  const pad = 1 + Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys))
  const bbox: [number, number, number, number] = [
    Math.min(...xs) - pad,
    Math.min(...ys) - pad,
    Math.max(...xs) + pad,
    Math.max(...ys) + pad
  ]
  const out: Array<Geometry.MultiPolygon> = points.map(() => [])
  if (unique.length === 1) return points.map((_, i) => (i === unique[0] ? [hull] : []))
  const diagram = voronoi(featureCollection(unique.map((i) => point([points[i][0], points[i][1]]))), { bbox })
  const hullFeature = polygon(hull as unknown as Array<Array<Array<number>>>)
  diagram.features.forEach((cell, k) => {
    const g = intersect(featureCollection([cell, hullFeature]))?.geometry
    out[unique[k]] = (g === undefined ? [] : g.type === "Polygon" ? [g.coordinates] : g.coordinates) as unknown as Geometry.MultiPolygon
  })
  return out
}

/**
 * 3-400 places anywhere on 60 × 40 km (on a 6 × 4 m grid), mostly in a few dense clusters (as villages around
 * townships, on a 0.4 × 0.3 m grid, so some share a metre), some repeated. (On places 1e-13 km apart, as
 * unrounded random doubles give, turf's clipping, the reference here, runs out of memory; `degenerate` below
 * has those, without the reference.)
 */
const scattered = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 })), {
    minLength: 3,
    maxLength: 400
  })
  .map((ps) => {
    const points = ps.map(([c, u, v]) =>
      c === 0 ? ([(60 * u) / 1e4, (40 * v) / 1e4] as const) : ([10 * c + (4 * u) / 1e4, 5 * c + (3 * v) / 1e4] as const)
    )
    return [...points, ...points.slice(0, 3)]
  })

/**
 * 3-60 places as unrounded doubles, most of them in a few spots: at the origin, at a township's centre, or
 * within metres of it (1e-300 to 1 km off), some repeated. Such places broke turf's clipping: it threw
 * "Unable to complete output ring" or ran out of memory.
 */
const degenerate = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
    minLength: 3,
    maxLength: 60
  })
  .map((ps) => {
    const points = ps.map(([c, u, v]) =>
      c === 0 ? ([60 * u, 40 * v] as const) : c === 1 ? ([u * 1e-3, v * 1e-3] as const) : ([10 * c + 0.004 * u, 5 * c + 0.003 * v] as const)
    )
    return [...points, ...points.slice(0, 3)]
  })

/** The distance (km) from a position to a closed ring's boundary. */
const toBoundary = ([x, y]: Geometry.Position, ring: Geometry.Ring): number => {
  let best = Number.POSITIVE_INFINITY
  for (let k = 0; k + 1 < ring.length; k++) {
    const [ax, ay] = ring[k]
    const [bx, by] = ring[k + 1]
    const len2 = (bx - ax) ** 2 + (by - ay) ** 2
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2))
    best = Math.min(best, Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)))
  }
  return best
}

/**
 * The same cells: each a single ring whose every position is on the other's boundary within a micrometre
 * (polyclip rounds its intersections its own way, and keeps a hull's corner on a cell's edge), and
 * `Geometry.cells`'s rings counter-clockwise, without a position repeated or on a line with its neighbours.
 */
const sameCells = (got: ReadonlyArray<Geometry.MultiPolygon>, want: ReadonlyArray<Geometry.MultiPolygon>) => {
  assert.strictEqual(got.length, want.length)
  got.forEach((mp, i) => {
    assert.strictEqual(mp.length, want[i].length, `cell ${i}: ${mp.length} parts vs ${want[i].length}`)
    if (mp.length === 0) return
    assert.strictEqual(mp.length, 1, `cell ${i} is one polygon`)
    assert.strictEqual(mp[0].length, 1, `cell ${i} has no hole`)
    const ring = mp[0][0]
    const other = want[i][0][0]
    for (const p of ring) assert.isBelow(toBoundary(p, other), 1e-9, `cell ${i}: ${p} on turf's`)
    for (const p of other) assert.isBelow(toBoundary(p, ring), 1e-9, `cell ${i}: turf's ${p} on ours`)
    const n = ring.length - 1
    assert.deepStrictEqual(ring[n], ring[0], `cell ${i} closed`)
    for (let k = 0; k < n; k++) {
      const [ax, ay] = ring[(k + n - 1) % n]
      const [bx, by] = ring[k]
      const [cx, cy] = ring[(k + 1) % n]
      assert.isAbove((bx - ax) * (cy - by) - (by - ay) * (cx - bx), 0, `cell ${i} turns left at ${k}, not repeated or on a line`)
    }
  })
}

const close = (a: number, b: number, what: string) => assert.isBelow(Math.abs(a - b), 1e-6 * Math.max(1, b), `${what}: ${a} vs ${b}`)

describe("Geometry", () => {
  it("cells are turf's clip of every Voronoi cell to the hull, position for position within a micrometre", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          places.map((p) => p.points),
          scattered
        ),
        (points) => {
          const hull = Geometry.bufferedHull(points, Geometry.margin(points))
          sameCells(Geometry.cells(points, hull), clippedByTurf(points, hull))
        }
      ),
      { numRuns: 150 }
    )
  })

  it("places a metre or less apart share a cell, and the cells still cover the hull once", () => {
    fc.assert(
      fc.property(degenerate, (points) => {
        const hull = Geometry.bufferedHull(points, Geometry.margin(points))
        const cells = Geometry.cells(points, hull)
        close(
          cells.reduce((a, c) => a + Geometry.area(c), 0),
          Geometry.area([hull]),
          "the cells' areas add up to the hull's"
        )
        const metre = (p: Geometry.Position) => `${Math.round(p[0] * 1000)},${Math.round(p[1] * 1000)}`
        const firsts = new Set(points.map(metre).map((m) => points.findIndex((p) => metre(p) === m)))
        points.forEach((_, i) =>
          assert.strictEqual(cells[i].length > 0, firsts.has(i), `place ${i} has a cell only if it is the first at its metre`)
        )
      }),
      { numRuns: 300 }
    )
  })

  it("a ring's self-crossing is found where turf's kinks finds one, on random rings", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 })), {
          minLength: 3,
          maxLength: 40
        }),
        (ps) => {
          // places in general position (on a 0.1 mm grid of 100 km), where kinks and the sweep must agree
          const ring = [...ps, ps[0]].map(([x, y]) => [x / 1e4, y / 1e4] as const)
          const found = Geometry.selfCrossing(ring)
          const turf = kinks(polygon([ring.map(([x, y]) => [x, y])])).features.length > 0
          assert.strictEqual(found !== undefined, turf, JSON.stringify(found))
          if (found !== undefined) {
            const [i, j] = found.edges
            assert.isBelow(i, j)
            assert.isAbove(j - i, 0)
          }
        }
      ),
      { numRuns: 400 }
    )
  })

  it("a star-shaped ring is simple, repeated positions and all; a spike, a touch or a swap of two corners is not", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 3599 }), { minLength: 5, maxLength: 60 }),
        fc.array(fc.double({ min: 1, max: 10, noNaN: true }), { minLength: 60, maxLength: 60 }),
        fc.nat(),
        (angles, radii, pick) => {
          // star-shaped about the origin: corners in order of angle, one in each of n equal sectors (gaps under 180°)
          const n0 = angles.length
          const star = angles.map((_, k) => {
            const a = (2 * Math.PI * (k + radii[k] / 11)) / n0
            return [radii[n0 - 1 - k] * Math.cos(a), radii[n0 - 1 - k] * Math.sin(a)] as const
          })
          const repeated = star.flatMap((p, k) => (k === pick % star.length ? [p, p] : [p]))
          assert.isUndefined(Geometry.selfCrossing([...repeated, repeated[0]]))
          // a convex ring of five or more corners with two that are not neighbours swapped crosses itself (of four
          // corners, swapping opposite ones only reverses the ring)
          const convex = [...angles]
            .sort((a, b) => a - b)
            .map((a) => [Math.cos((a * Math.PI) / 1800), Math.sin((a * Math.PI) / 1800)] as const)
          const n = convex.length
          const i = pick % n
          const j = (i + 2 + (pick % (n - 3))) % n
          const swapped = convex.map((p, k) => (k === i ? convex[j] : k === j ? convex[i] : p))
          assert.isDefined(Geometry.selfCrossing([...swapped, swapped[0]]), `swap ${i} and ${j} of ${n}`)
        }
      ),
      { numRuns: 200 }
    )
    const spike: Geometry.Ring = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 4],
      [2, 6],
      [2, 4],
      [0, 4],
      [0, 0]
    ]
    assert.deepStrictEqual(Geometry.selfCrossing(spike)?.at, [2, 4])
    const figureEight: Geometry.Ring = [
      [0, 0],
      [2, 0],
      [2, 2],
      [4, 2],
      [4, 4],
      [2, 4],
      [2, 2],
      [0, 2],
      [0, 0]
    ]
    assert.deepStrictEqual(Geometry.selfCrossing(figureEight)?.at, [2, 2])
  })

  it("cells cover the buffered hull once, and each point is inside its own cell and its own region", () => {
    fc.assert(
      fc.property(places, ({ points, keys }) => {
        const hull = Geometry.bufferedHull(points, Geometry.margin(points))
        const hullArea = Geometry.area([hull])
        const cells = Geometry.cells(points, hull)
        close(
          cells.reduce((a, c) => a + Geometry.area(c), 0),
          hullArea,
          "the cells' areas add up to the hull's"
        )
        close(Geometry.area(Geometry.dissolve(cells)), hullArea, "the cells' union is the hull (so they do not overlap)")
        points.forEach((p, i) => assert.isTrue(Geometry.contains(cells[i], p), `point ${i} in its cell`))
        const regions = Geometry.regions(points, keys, hull)
        close(
          [...regions.values()].reduce((a, r) => a + Geometry.area(r), 0),
          hullArea,
          "the regions partition the hull"
        )
        points.forEach((p, i) => {
          assert.isTrue(Geometry.contains(regions.get(keys[i]!)!, p), `point ${i} in its region ${keys[i]}`)
          for (const [k, r] of regions) if (k !== keys[i]) assert.isFalse(Geometry.contains(r, p), `point ${i} outside region ${k}`)
        })
      }),
      { numRuns: 60 }
    )
  })

  it("the projection has equal aspect about the centre and inverts", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 73, max: 135, noNaN: true }),
        fc.double({ min: 18, max: 53, noNaN: true }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        (lon, lat, dLon, dLat) => {
          const p = Geometry.projection([
            [lon - 0.5, lat - 0.5],
            [lon + 0.5, lat + 0.5]
          ])
          close(p.lon0, lon, "centre lon")
          const [x, y] = p.project([lon + dLon, lat + dLat])
          const [lon2, lat2] = p.unproject([x, y])
          close(lon2, lon + dLon, "lon back")
          close(lat2, lat + dLat, "lat back")
          // a degree of longitude at the centre is cos(lat) of a degree of latitude's length, give or take the ellipsoid
          const east = p.project([lon + 0.01, lat])[0]
          const north = p.project([lon, lat + 0.01])[1]
          assert.isBelow(Math.abs(east / north - Math.cos((lat * Math.PI) / 180)), 0.01)
        }
      )
    )
  })

  it("a single place is the whole hull; places at one position share the first one's cell", () => {
    const hull = Geometry.bufferedHull([[0, 0]], 2)
    assert.deepStrictEqual(Geometry.cells([[0, 0]], hull), [[hull]])
    const two = Geometry.cells(
      [
        [0, 0],
        [0, 0],
        [5, 0]
      ],
      Geometry.bufferedHull(
        [
          [0, 0],
          [5, 0]
        ],
        2
      )
    )
    assert.isAbove(Geometry.area(two[0]), 0)
    assert.deepStrictEqual(two[1], [])
  })
})
