/**
 * GIS areas as GeoJSON (turf): Voronoi cells of settlements clipped to their widened hull, dissolved by
 * catchment or township, for the GeoJSON and GeoPackage layers. (The report draws from Geometry.ts, its
 * own projected-plane version of the same construction; the two are to be made one.)
 *
 * Areas drawn from settlement points, for maps and GIS layers, where a bureau has no boundaries of its own:
 * each settlement's Voronoi cell (the land nearer to it than to any other settlement), clipped to the
 * region's convex hull buffered by `marginKm`, and cells dissolved into the area of a group — a school's
 * catchment (学区: the settlements zoned to it), a township (乡镇: the township seat and its villages).
 * These are sketches for a map, not surveyed boundaries. Pure (turf).
 */
import { bbox, buffer, convex, featureCollection, intersect, point, union, voronoi } from "@turf/turf"
import type { Feature, MultiPolygon, Polygon } from "geojson"

export interface Site {
  readonly id: string
  readonly lon: number
  readonly lat: number
}

export type Area = Polygon | MultiPolygon

/** The default margin around the settlements' hull, in km. */
export const defaultMarginKm = 3

/** The region: the settlements' convex hull (or their points, when fewer than three or in a line) buffered by `marginKm`. */
export const region = (sites: ReadonlyArray<Site>, marginKm = defaultMarginKm): Feature<Area> | undefined => {
  if (sites.length === 0) return undefined
  const points = featureCollection(sites.map((s) => point([s.lon, s.lat])))
  const hull = convex(points)
  const base = hull ?? featureCollection(points.features.map((p) => buffer(p, marginKm, { units: "kilometers" })!))
  if (hull !== null) return buffer(hull, marginKm, { units: "kilometers" }) as Feature<Area>
  const pieces = (base as ReturnType<typeof featureCollection<Polygon>>).features
  return (pieces.length === 1 ? pieces[0] : union(featureCollection(pieces))) as Feature<Area>
}

/**
 * Each settlement's cell: its Voronoi cell clipped to the region. Settlements at one place share one cell
 * (the first of them gets it). Keyed by settlement id.
 */
export const cells = (sites: ReadonlyArray<Site>, marginKm = defaultMarginKm): ReadonlyMap<string, Area> => {
  const out = new Map<string, Area>()
  const area = region(sites, marginKm)
  if (area === undefined) return out
  const distinct: Array<Site> = []
  const seen = new Set<string>()
  for (const s of sites) {
    const key = `${s.lon},${s.lat}`
    if (seen.has(key)) continue
    seen.add(key)
    distinct.push(s)
  }
  if (distinct.length === 1) {
    out.set(distinct[0].id, area.geometry)
    return out
  }
  const [minX, minY, maxX, maxY] = bbox(area)
  const pad = Math.max(maxX - minX, maxY - minY, 0.01)
  const diagram = voronoi(featureCollection(distinct.map((s) => point([s.lon, s.lat]))), {
    bbox: [minX - pad, minY - pad, maxX + pad, maxY + pad]
  })
  diagram.features.forEach((cell, i) => {
    if (cell === null || cell === undefined) return
    const clipped = intersect(featureCollection([cell as Feature<Polygon>, area]))
    if (clipped !== null) out.set(distinct[i].id, clipped.geometry)
  })
  return out
}

/**
 * The cells dissolved by group (`groupOf` a settlement id, undefined to leave it out): one area per group,
 * a MultiPolygon where the group's cells do not touch.
 */
export const dissolve = (cellsById: ReadonlyMap<string, Area>, groupOf: (id: string) => string | undefined): ReadonlyMap<string, Area> => {
  const groups = new Map<string, Array<Feature<Area>>>()
  for (const [id, geometry] of cellsById) {
    const g = groupOf(id)
    if (g === undefined) continue
    const list = groups.get(g) ?? []
    list.push({ type: "Feature", properties: {}, geometry })
    groups.set(g, list)
  }
  const out = new Map<string, Area>()
  for (const [g, parts] of groups) {
    const merged = parts.length === 1 ? parts[0] : union(featureCollection(parts))
    if (merged !== null) out.set(g, merged.geometry)
  }
  return out
}
