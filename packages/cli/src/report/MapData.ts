/**
 * The data of a variant's map (issue 14), in projected kilometres (plan/Geometry: equirectangular about the
 * region's centre, one km the same length east and north): township boundaries and primary catchments
 * derived from the settlements (Voronoi cells in the buffered hull, dissolved by township or by school),
 * settlements and schools with their names, and each school's state in the map's year against the base
 * year (new, expanded, closing later in the horizon, closed). Township boundaries are the scenario's own
 * polygons where it gives them. Names come from the variant's events (the
 * last `SettlementRecorded`/`SchoolOpened` of each id); an id stands in only where no event names it.
 */
import { Geography } from "@seatplan/core"
import { Geometry } from "@seatplan/plan"
import type { Project } from "@seatplan/plan"
import { Whole } from "@seatplan/sim"

/** A school's state in the map's year, against the base year (the order is the legend's). */
export const statuses = ["open", "new", "expanded", "closing", "closed"] as const
export type Status = (typeof statuses)[number]

export interface Area {
  readonly name: string
  /** Outer rings only, [x, y] km (holes are rare and not drawn). */
  readonly rings: ReadonlyArray<ReadonlyArray<Geometry.Position>>
}

export interface MapData {
  readonly year: number
  readonly baseYear: number
  /** [xmin, ymin, xmax, ymax] km: the areas' and schools' box. */
  readonly extent: readonly [number, number, number, number]
  /** [lon, lat] of the projection's centre (km 0, 0): where background tiles are placed from. */
  readonly origin: readonly [number, number]
  /** Where the township boundaries come from: the scenario's polygons, derived from the settlements, or both. */
  readonly boundaries: "scenario" | "derived" | "mixed"
  readonly townships: ReadonlyArray<Area>
  readonly catchments: ReadonlyArray<Area>
  /** [x, y, name, tier code, children 0-18 in the map's year, township name, 1 when labelled on the map (the county seat and township seats)] */
  readonly settlements: ReadonlyArray<readonly [number, number, string, number, number, string, number]>
  /** [x, y, name, pupils, utilisation %, status index, seats] (pupils and seats over the school's levels) */
  readonly schools: ReadonlyArray<readonly [number, number, string, number, number, number, number]>
}

const r2 = (x: number) => Math.round(x * 100) / 100

const outer = (mp: Geometry.MultiPolygon) => Geometry.rounded(mp).map((poly) => poly[0]!)

/** The names of the variant's settlements and schools, and each settlement's parent, from its events. */
export const namesOf = (r: Project.VariantResult) => {
  const names = new Map<string, string>()
  const parents = new Map<string, string>()
  for (const { event } of r.events) {
    if (event._tag === "SettlementRecorded") {
      names.set(event.settlement.id, event.settlement.name)
      if (event.settlement.parent !== undefined) parents.set(event.settlement.id, event.settlement.parent)
      else parents.delete(event.settlement.id)
    } else if (event._tag === "SchoolOpened") names.set(event.school.id, event.school.name)
  }
  return { names: names as ReadonlyMap<string, string>, parents: parents as ReadonlyMap<string, string> }
}

/**
 * The map of `r` in `year` (the catchments are those at the end of the run, as `places` holds them). A
 * township (by its seat's id) with a polygon in `boundaries` (the scenario's, longitude and latitude) is
 * drawn with it; the others with the area derived from their settlements.
 */
export const mapData = (r: Project.VariantResult, year: number, boundaries: ReadonlyMap<string, Geometry.Area> = new Map()): MapData => {
  const places = r.places
  const { names, parents } = namesOf(r)
  const nameOf = (id: string) => names.get(id) ?? id
  const projection = Geometry.projection([
    ...places.settlements.map((s) => [s.lon, s.lat] as const),
    ...places.schools.map((s) => [s.lon, s.lat] as const)
  ])
  const points = places.settlements.map((s) => projection.project([s.lon, s.lat]))
  const schoolPoints = places.schools.map((s) => projection.project([s.lon, s.lat]))
  // core's Geography.townshipOf, the GIS layers' rule too: a township seat is its own area, any other place
  // its nearest township seat up its parents, else the county seat's
  const tierOf = new Map(places.settlements.map((s) => [s.id as string, s.tier]))
  const lookup = (id: string) => {
    const tier = tierOf.get(id)
    return tier === undefined ? undefined : { tier, parent: parents.get(id) }
  }
  const township = places.settlements.map((s) => Geography.townshipOf(lookup, s.id))
  const townshipOf = new Map(places.settlements.map((s, i) => [s.id as string, township[i]!]))
  // the areas are the GIS layers' own (plan/Geometry.siteCells: the same cells, margin and dissolve), projected
  const cells = Geometry.withinBoundaries(
    Geometry.siteCells(places.settlements.map((s) => ({ id: s.id, lon: s.lon, lat: s.lat }))),
    (id) => townshipOf.get(id),
    boundaries
  )
  const projected = (a: Geometry.Area): Geometry.MultiPolygon =>
    Geometry.polygonsOf(a).map((poly) => poly.map((ring) => ring.map((p) => projection.project(p))))
  const derived = Geometry.dissolveAreas(cells, (id) => townshipOf.get(id))
  const given = [...derived.keys()].filter((id) => boundaries.has(id))
  const townships = [...derived].map(([id, a]) => ({ name: nameOf(id), rings: outer(projected(boundaries.get(id) ?? a)) }))
  const zoned = new Map(places.settlements.map((s, i) => [s.id as string, places.catchments.primary[i]?.id]))
  const catchments = [...Geometry.dissolveAreas(cells, (id) => zoned.get(id))].map(([id, a]) => ({
    name: nameOf(id),
    rings: outer(projected(a))
  }))
  const years = Array.from({ length: r.schools.years }, (_, k) => r.schools.firstYear + k)
  const baseYear = years[0] ?? year
  const lastYear = years[years.length - 1] ?? year
  const bySchool = new Map<string, { open: Set<number>; seats: Map<number, number>; pupils: Map<number, number> }>()
  // the levels' whole pupils and seats as schools.csv prints them, summed over the school's levels
  for (const s of Whole.table("schools", [...r.schools], Whole.schoolKey)) {
    const e = bySchool.get(s.school_id) ?? { open: new Set<number>(), seats: new Map<number, number>(), pupils: new Map<number, number>() }
    bySchool.set(s.school_id, e)
    if (!s.open) continue
    e.open.add(s.year)
    e.seats.set(s.year, (e.seats.get(s.year) ?? 0) + s.seats)
    e.pupils.set(s.year, (e.pupils.get(s.year) ?? 0) + s.pupils)
  }
  const schools: Array<readonly [number, number, string, number, number, number, number]> = []
  places.schools.forEach((school, k) => {
    const e = bySchool.get(school.id)
    if (e === undefined) return
    const openBase = e.open.has(baseYear)
    const openNow = e.open.has(year)
    if (!openBase && !openNow) return
    const status: Status = !openNow
      ? "closed"
      : !openBase
        ? "new"
        : !e.open.has(lastYear)
          ? "closing"
          : (e.seats.get(year) ?? 0) > (e.seats.get(baseYear) ?? 0) + 0.5
            ? "expanded"
            : "open"
    const seats = openNow ? (e.seats.get(year) ?? 0) : 0
    const pupils = openNow ? (e.pupils.get(year) ?? 0) : 0
    schools.push([
      r2(schoolPoints[k][0]),
      r2(schoolPoints[k][1]),
      nameOf(school.id),
      Math.round(pupils),
      seats > 0 ? Math.round((100 * pupils) / seats) : 0,
      statuses.indexOf(status),
      Math.round(seats)
    ])
  })
  const children = new Map<string, number>()
  for (const p of r.population) if (p.year === year) children.set(p.settlement_id, (children.get(p.settlement_id) ?? 0) + p.children)
  const corners = [...townships.flatMap((t) => t.rings.flat()), ...catchments.flatMap((c) => c.rings.flat()), ...schoolPoints]
  // a loop, not Math.min(...xs): a region of 10,000 settlements has more corners than a call has room for arguments
  const [x0, x1] = range(corners.map((p) => p[0]))
  const [y0, y1] = range(corners.map((p) => p[1]))
  return {
    year,
    baseYear,
    extent: [r2(x0), r2(y0), r2(x1), r2(y1)],
    origin: [projection.lon0, projection.lat0],
    boundaries: given.length === 0 ? "derived" : given.length === derived.size ? "scenario" : "mixed",
    townships,
    catchments,
    settlements: places.settlements.map((s, i) => [
      r2(points[i][0]),
      r2(points[i][1]),
      nameOf(s.id),
      Geography.tiers.indexOf(s.tier), // 0 county seat, 1 township seat, 2 village
      Math.round(children.get(s.id) ?? 0),
      nameOf(township[i]),
      s.tier === "township" || (s.tier === "county-seat" && !parents.has(s.id)) ? 1 : 0
    ]),
    schools
  }
}

/** The least and the greatest of `values` (Infinity and -Infinity when there are none), as Math.min and Math.max without spreading them. */
export const range = (values: ReadonlyArray<number>): readonly [number, number] => {
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return [lo, hi]
}
