/**
 * The geometry of maps, pure and separate from any output (issue 14): one module for the report's map and
 * the GIS layers (map-<variant>.geojson, seatplan.gpkg), so both show the same areas. A local equal-aspect
 * projection (equirectangular about the region's centre, longitudes scaled by cos(lat₀), in kilometres),
 * and areas derived from points when a scenario gives no polygons: the Voronoi cell of each place, clipped
 * to the region's hull buffered by a margin, and cells dissolved by a key (a township's settlements → the
 * township, a school's catchment settlements → its catchment). These are sketches for a map, not surveyed
 * boundaries.
 *
 * Voronoi cells are turf's (@turf/voronoi), clipped to the convex region here, run on the projected kilometres,
 * where they are planar operations as they should be; `siteCells` gives the same cells back in longitude
 * and latitude (the projection is affine, so a union of cells, @turf/union, is the same area in either).
 * Areas here are planar (shoelace) in km².
 */
import {
  convex,
  difference,
  featureCollection,
  intersect,
  multiPolygon as turfMultiPolygon,
  point,
  polygon as turfPolygon,
  union,
  voronoi
} from "@turf/turf"

/** A GeoJSON polygon or multipolygon feature as turf returns it (typed here without @types/geojson). */
type AreaFeature = { readonly geometry: { readonly type: string; readonly coordinates: unknown } }
type TurfPolygon = ReturnType<typeof turfPolygon>

/** A position: projected [x, y] in km east and north of the centre, or [lon, lat] in degrees. */
export type Position = readonly [number, number]
/** A closed ring (first position repeated last). */
export type Ring = ReadonlyArray<Position>
/** An outer ring and its holes. */
export type Polygon = ReadonlyArray<Ring>
export type MultiPolygon = ReadonlyArray<Polygon>

/** Kilometres per degree of latitude, and of longitude at the equator (WGS 84 mean values). */
const kmPerDegreeLat = 110.574
const kmPerDegreeLon = 111.32

export interface Projection {
  readonly lon0: number
  readonly lat0: number
  /** [lon, lat] → [x, y] km; one km is the same length east and north (equal aspect). */
  readonly project: (lonLat: Position) => Position
  readonly unproject: (xy: Position) => Position
}

/** The equirectangular projection about the centre of the points' bounding box, scaled by cos(lat₀). */
export const projection = (lonLats: ReadonlyArray<Position>): Projection => {
  const lons = lonLats.map((p) => p[0])
  const lats = lonLats.map((p) => p[1])
  const lon0 = lonLats.length === 0 ? 0 : (Math.min(...lons) + Math.max(...lons)) / 2
  const lat0 = lonLats.length === 0 ? 0 : (Math.min(...lats) + Math.max(...lats)) / 2
  const kx = kmPerDegreeLon * Math.cos((lat0 * Math.PI) / 180)
  return {
    lon0,
    lat0,
    project: ([lon, lat]) => [(lon - lon0) * kx, (lat - lat0) * kmPerDegreeLat],
    unproject: ([x, y]) => [lon0 + x / kx, lat0 + y / kmPerDegreeLat]
  }
}

/** Twice the signed area of a ring, closed or not (shoelace; positive counter-clockwise). */
const twiceArea = (ring: Ring): number => {
  let s = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1]
  return s
}

/** Planar area of a ring (positive whatever its orientation). */
const ringArea = (ring: Ring): number => Math.abs(twiceArea(ring)) / 2

/** Planar area of a multipolygon: outer rings less their holes. */
export const area = (mp: MultiPolygon): number =>
  mp.reduce((a, poly) => a + (poly.length === 0 ? 0 : ringArea(poly[0]) - poly.slice(1).reduce((h, r) => h + ringArea(r), 0)), 0)

/** Whether a position lies inside a multipolygon (even-odd rule over every ring). */
export const contains = (mp: MultiPolygon, [x, y]: Position): boolean =>
  mp.some((poly) => {
    let inside = false
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]
        const [xj, yj] = ring[j]
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
      }
    }
    return inside
  })

const toMulti = (f: AreaFeature | null): MultiPolygon => {
  if (f === null) return []
  const g = f.geometry
  return (g.type === "Polygon" ? [g.coordinates] : g.coordinates) as MultiPolygon
}

/** A multipolygon as one turf polygon feature per part (what turf's union takes). */
const asFeatures = (mp: MultiPolygon): ReadonlyArray<TurfPolygon> =>
  mp.map((poly) => turfPolygon(poly as unknown as Parameters<typeof turfPolygon>[0]))

/** A multipolygon as one turf feature (what turf's intersect and difference take, two at a time). */
const asFeature = (mp: MultiPolygon) => turfMultiPolygon(mp as unknown as Parameters<typeof turfMultiPolygon>[0])

/**
 * The convex hull of the points buffered by `km`: the hull of a `segments`-gon of radius `km` around each
 * point (so every point is at least about `km` inside). One polygon; a single point gives the polygon itself.
 */
export const bufferedHull = (points: ReadonlyArray<Position>, km: number, segments = 24): Polygon => {
  const around = points.flatMap(([x, y]) =>
    Array.from({ length: segments }, (_, k) => {
      const a = (2 * Math.PI * k) / segments
      return point([x + km * Math.cos(a), y + km * Math.sin(a)])
    })
  )
  const hull = convex(featureCollection(around))
  if (hull === null) throw new Error("bufferedHull: no points") // a programming error: callers pass at least one point
  return hull.geometry.coordinates as unknown as Polygon
}

/** Positions are taken to the nearest metre (the plane is in km) before the cells are made. */
const snapped = (v: number): number => Math.round(v * 1000) / 1000

/**
 * The Voronoi cell of every point, clipped to `hull` (in the points' order). Points at the same position,
 * to the metre, share the first one's cell (the later ones get an empty cell): polygon clipping runs out
 * of memory on cells of places 1e-13 km apart, as unrounded coordinates can give, and a village's cell
 * means nothing below a metre.
 */
export const cells = (points: ReadonlyArray<Position>, hull: Polygon): ReadonlyArray<MultiPolygon> => {
  const first = new Set<string>()
  const unique: Array<number> = []
  const at: Array<Position> = points.map(([x, y]) => [snapped(x), snapped(y)])
  at.forEach((p, i) => {
    const key = `${p[0]},${p[1]}`
    if (!first.has(key)) {
      first.add(key)
      unique.push(i)
    }
  })
  const xs = hull[0].map((p) => p[0])
  const ys = hull[0].map((p) => p[1])
  const pad = 1 + Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys))
  const bbox: [number, number, number, number] = [
    Math.min(...xs) - pad,
    Math.min(...ys) - pad,
    Math.max(...xs) + pad,
    Math.max(...ys) + pad
  ]
  const out: Array<MultiPolygon> = points.map(() => [])
  if (unique.length === 1) {
    out[unique[0]] = [hull]
    return out
  }
  const diagram = voronoi(featureCollection(unique.map((i) => point([at[i][0], at[i][1]]))), { bbox })
  diagram.features.forEach((cell, k) => {
    if (cell === null || cell === undefined) return
    out[unique[k]] = convexClip(cell.geometry.coordinates[0] as unknown as Ring, hull[0])
  })
  return out
}

/**
 * Where the segment between `a` and `b` crosses a line they are on either side of (`sa`, `sb`: their signed
 * distances to it, any scale), computed from the lesser of the two positions (x, then y), so that two
 * neighbouring cells, which walk their shared edge in opposite directions, get the same position to the bit
 * (and a union of cells can match their edges).
 */
const edgeCrossing = (a: Position, sa: number, b: Position, sb: number): Position => {
  if (b[0] < a[0] || (b[0] === a[0] && b[1] < a[1])) return edgeCrossing(b, sb, a, sa)
  const t = sa / (sa - sb)
  return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
}

/** Positions closer than this (km, a micrometre), or this far off the line through their neighbours, are one / on it. */
const negligibleKm = 1e-9

/**
 * The convex closed ring `ring` clipped to the convex closed ring `hull` (Sutherland–Hodgman: kept on the
 * inner side of each of the hull's edges in turn), as turf's intersect gave it back: without repeated
 * positions or positions on a line with their neighbours (within `negligibleKm`), counter-clockwise from
 * its least x (then y); [] when nothing is left. A Voronoi cell and a buffered hull are both convex, so
 * this is the whole clip. It replaced turf's intersect (polyclip): that took 21 s of a 20,000-settlement
 * report, threw "Unable to complete output ring" on places a few metres apart, and ran out of memory on
 * places 1e-13 km apart.
 */
const convexClip = (ring: Ring, hull: Ring): MultiPolygon => {
  const turn = Math.sign(twiceArea(hull))
  let kept: Array<Position> = ring.slice(0, -1)
  for (let k = 0; k + 1 < hull.length && kept.length > 0; k++) {
    const [x1, y1] = hull[k]
    const [x2, y2] = hull[k + 1]
    const side = ([x, y]: Position) => turn * ((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1))
    const next: Array<Position> = []
    kept.forEach((a, i) => {
      const b = kept[(i + 1) % kept.length]
      const sa = side(a)
      const sb = side(b)
      if (sa >= 0) next.push(a)
      if (sa >= 0 !== sb >= 0) next.push(edgeCrossing(a, sa, b, sb))
    })
    kept = next
  }
  // drop repeated positions and positions on a line with their neighbours until none is left
  for (let dropped = true; dropped && kept.length >= 3; ) {
    dropped = false
    for (let i = 0; i < kept.length && kept.length >= 3; i++) {
      const [ax, ay] = kept[(i + kept.length - 1) % kept.length]
      const [bx, by] = kept[i]
      const [cx, cy] = kept[(i + 1) % kept.length]
      const base = Math.hypot(cx - ax, cy - ay)
      if (Math.hypot(bx - ax, by - ay) <= negligibleKm || Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) <= negligibleKm * base) {
        kept.splice(i, 1)
        dropped = true
        i--
      }
    }
  }
  if (kept.length < 3) return []
  const ccw = twiceArea(kept) > 0
  const n = kept.length
  const at = (k: number): Position => kept[ccw ? k : n - 1 - k]
  let least = 0
  for (let k = 1; k < n; k++) {
    const [x, y] = at(k)
    const [lx, ly] = at(least)
    if (x < lx || (x === lx && y < ly)) least = k
  }
  const out: Array<Position> = []
  for (let k = 0; k <= n; k++) out.push(at((least + k) % n))
  return [[out]]
}

/** The union of multipolygons (turf's polygon clipping). */
export const dissolve = (parts: ReadonlyArray<MultiPolygon>): MultiPolygon => {
  const nonEmpty = parts.filter((p) => p.length > 0)
  if (nonEmpty.length === 0) return []
  if (nonEmpty.length === 1) return nonEmpty[0]
  return toMulti(union(featureCollection(nonEmpty.flatMap(asFeatures))))
}

/**
 * Areas from points: each point's Voronoi cell within the buffered hull of all points, dissolved by the
 * point's key (points without a key belong to no area, but still bound the others' cells). Keys in
 * order of first appearance.
 */
export const regions = (
  points: ReadonlyArray<Position>,
  keys: ReadonlyArray<string | undefined>,
  hull: Polygon
): ReadonlyMap<string, MultiPolygon> => {
  const cellsOf = cells(points, hull)
  const groups = new Map<string, Array<MultiPolygon>>()
  keys.forEach((k, i) => {
    if (k === undefined) return
    const list = groups.get(k)
    if (list === undefined) groups.set(k, [cellsOf[i]])
    else list.push(cellsOf[i])
  })
  return new Map([...groups].map(([k, parts]) => [k, dissolve(parts)]))
}

/** Where a ring crosses or touches itself: the position and the two edges (numbered by their first position). */
export interface Crossing {
  readonly at: Position
  readonly edges: readonly [number, number]
}

/**
 * The first place where a closed ring crosses or touches itself (two edges that are not neighbours meet),
 * undefined when it is simple. Repeated positions are one position. The edges are swept by their least x,
 * so a ring of thousands of positions is checked in about n log n (a GIS boundary's rings are long).
 */
export const selfCrossing = (ring: Ring): Crossing | undefined => {
  const at: Array<number> = []
  for (let k = 0; k + 1 < ring.length; k++) {
    const [x, y] = ring[k]
    const [nx, ny] = ring[k + 1]
    if (x !== nx || y !== ny) at.push(k)
  }
  const n = at.length
  if (n < 3) return undefined
  const from = (e: number) => ring[at[e]]
  const to = (e: number) => ring[at[(e + 1) % n]]
  const order = Array.from({ length: n }, (_, e) => e).sort((a, b) => Math.min(from(a)[0], to(a)[0]) - Math.min(from(b)[0], to(b)[0]))
  const turn = (a: Position, b: Position, c: Position) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
  const onSegment = (a: Position, b: Position, c: Position) =>
    Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1])
  for (let i = 0; i < n; i++) {
    const e = order[i]
    const [a, b] = [from(e), to(e)]
    const right = Math.max(a[0], b[0])
    for (let j = i + 1; j < n; j++) {
      const f = order[j]
      const [c, d] = [from(f), to(f)]
      if (Math.min(c[0], d[0]) > right) break
      if (Math.abs(e - f) === 1 || Math.abs(e - f) === n - 1) {
        // neighbours share a position; they meet elsewhere only by folding back along each other
        const shared = e === (f + 1) % n ? a : c
        const [p, q] = e === (f + 1) % n ? [b, c] : [a, d]
        if (turn(shared, p, q) === 0 && (p[0] - shared[0]) * (q[0] - shared[0]) + (p[1] - shared[1]) * (q[1] - shared[1]) > 0)
          return { at: shared, edges: [Math.min(at[e], at[f]), Math.max(at[e], at[f])] }
        continue
      }
      if (Math.max(Math.min(a[1], b[1]), Math.min(c[1], d[1])) > Math.min(Math.max(a[1], b[1]), Math.max(c[1], d[1]))) continue
      const t1 = turn(a, b, c)
      const t2 = turn(a, b, d)
      const t3 = turn(c, d, a)
      const t4 = turn(c, d, b)
      const meet: Position | undefined =
        t1 !== t2 && t3 !== t4
          ? t1 === 0
            ? c
            : t2 === 0
              ? d
              : t3 === 0
                ? a
                : t4 === 0
                  ? b
                  : linesMeet(a, b, c, d)
          : t1 === 0 && t2 === 0
            ? [c, d, a, b].find((x, k) => onSegment(k < 2 ? a : c, k < 2 ? b : d, x))
            : undefined
      if (meet !== undefined) return { at: meet, edges: [Math.min(at[e], at[f]), Math.max(at[e], at[f])] }
    }
  }
  return undefined
}

/** Where the lines through a-b and c-d meet (they are known to cross). */
const linesMeet = (a: Position, b: Position, c: Position, d: Position): Position => {
  const t =
    ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / ((b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0]))
  return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
}

/** A margin for the hull: 4 % of the points' extent, at least `min` km. */
export const margin = (points: ReadonlyArray<Position>, min = 2): number => {
  if (points.length === 0) return min
  const xs = points.map((p) => p[0])
  const ys = points.map((p) => p[1])
  return Math.max(min, 0.04 * Math.hypot(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)))
}

/** Rings rounded to `digits` decimals (for a smaller page), dropping repeated positions. */
export const rounded = (mp: MultiPolygon, digits = 2): MultiPolygon => {
  const f = 10 ** digits
  return mp.map((poly) =>
    poly.map((ring) => {
      const out: Array<Position> = []
      for (const [x, y] of ring) {
        const p: Position = [Math.round(x * f) / f, Math.round(y * f) / f]
        const last = out[out.length - 1]
        if (last === undefined || last[0] !== p[0] || last[1] !== p[1]) out.push(p)
      }
      return out
    })
  )
}

/** A place with an id, in longitude and latitude (WGS 84). */
export interface Site {
  readonly id: string
  readonly lon: number
  readonly lat: number
}

/** A GeoJSON area in longitude and latitude (positions as GeoJSON has them: arrays of numbers). */
type Coordinates = ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>
export type Area =
  | { readonly type: "Polygon"; readonly coordinates: Coordinates }
  | { readonly type: "MultiPolygon"; readonly coordinates: ReadonlyArray<Coordinates> }

/** The default margin around the places' hull, in km. */
export const defaultMarginKm = 3

const unprojected = (p: Projection, mp: MultiPolygon): MultiPolygon => mp.map((poly) => poly.map((ring) => ring.map(p.unproject)))

/** The region of `sites`: their convex hull buffered by `marginKm`, in longitude and latitude (undefined for no sites). */
export const region = (sites: ReadonlyArray<Site>, marginKm = defaultMarginKm): Area | undefined => {
  if (sites.length === 0) return undefined
  const p = projection(sites.map((s) => [s.lon, s.lat] as const))
  return {
    type: "Polygon",
    coordinates: unprojected(p, [
      bufferedHull(
        sites.map((s) => p.project([s.lon, s.lat])),
        marginKm
      )
    ])[0]!
  }
}

/**
 * Each site's cell in longitude and latitude, keyed by id: its Voronoi cell in the projected plane, clipped
 * to the region (`region`). Sites at one place (to the metre) share one cell (the first of them gets it). The one
 * construction behind the report's map and the GIS layers.
 */
export const siteCells = (sites: ReadonlyArray<Site>, marginKm = defaultMarginKm): ReadonlyMap<string, Area> => {
  const out = new Map<string, Area>()
  if (sites.length === 0) return out
  const p = projection(sites.map((s) => [s.lon, s.lat] as const))
  const points = sites.map((s) => p.project([s.lon, s.lat]))
  const cellsOf = cells(points, bufferedHull(points, marginKm))
  sites.forEach((s, i) => {
    if (cellsOf[i]!.length > 0) out.set(s.id, { type: "MultiPolygon", coordinates: unprojected(p, cellsOf[i]!) })
  })
  return out
}

/** An area's polygons (a Polygon is one). */
export const polygonsOf = (a: Area): MultiPolygon => (a.type === "Polygon" ? [a.coordinates] : a.coordinates) as MultiPolygon

/**
 * Cells dissolved by group (`groupOf` an id, undefined to leave it out): one MultiPolygon per group, in
 * the groups' order of first appearance (the same union as `dissolve`).
 */
export const dissolveAreas = (
  cellsById: ReadonlyMap<string, Area>,
  groupOf: (id: string) => string | undefined
): ReadonlyMap<string, Area> => {
  const groups = new Map<string, Array<MultiPolygon>>()
  for (const [id, a] of cellsById) {
    const g = groupOf(id)
    if (g === undefined) continue
    const list = groups.get(g)
    if (list === undefined) groups.set(g, [polygonsOf(a)])
    else list.push(polygonsOf(a))
  }
  const out = new Map<string, Area>()
  for (const [g, parts] of groups) {
    const merged = dissolve(parts)
    if (merged.length > 0) out.set(g, { type: "MultiPolygon", coordinates: merged })
  }
  return out
}

/**
 * Cells (by settlement id, longitude and latitude) kept within the scenario's township boundaries: a cell of
 * a settlement whose township has a boundary is cut to that boundary, any other cell has every given boundary
 * taken out of it, so catchments and derived townships dissolved from the cells never cross a boundary the
 * scenario gives. A cell with nothing left (a settlement drawn outside its township's boundary) is left out.
 * No boundaries: the cells as they are. Clipping in longitude and latitude is the same as in the projected
 * plane (the projection is affine).
 */
export const withinBoundaries = (
  cellsById: ReadonlyMap<string, Area>,
  townshipOf: (id: string) => string | undefined,
  boundaries: ReadonlyMap<string, Area>
): ReadonlyMap<string, Area> => {
  if (boundaries.size === 0) return cellsById
  const given = new Map([...boundaries].map(([id, b]) => [id, asFeature(polygonsOf(b))] as const))
  const all = asFeature(dissolve([...boundaries.values()].map(polygonsOf)))
  const out = new Map<string, Area>()
  for (const [id, cell] of cellsById) {
    const own = given.get(townshipOf(id) ?? id)
    const both = featureCollection([asFeature(polygonsOf(cell)), own ?? all])
    const kept = toMulti(own === undefined ? difference(both) : intersect(both))
    if (kept.length > 0) out.set(id, { type: "MultiPolygon", coordinates: kept })
  }
  return out
}
