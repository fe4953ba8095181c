/**
 * Map layers of a run, per variant and year: settlements and schools as points (names, tier, status and the
 * year's figures), school catchments (学区) and townships (乡镇: the township seat and its villages) as areas
 * drawn from the settlements (`@seatplan/plan`'s Geometry, as the report's map: Voronoi cells dissolved), or,
 * for a township the scenario gives a boundary for (`boundaries:`), that boundary; the cells are kept within
 * the given boundaries (`Geometry.withinBoundaries`), so no catchment crosses one. Written as a GeoJSON
 * per variant (`map-<variant>.geojson`) and as one GeoPackage (`seatplan.gpkg`, `GeoPackage`). Figures are
 * the tables' own as their CSV prints them (whole pupils, seats, classes and teachers: `Whole`; a settlement's
 * children the sum of its ages in population.csv), joined by school, catchment and settlement: people read a
 * map's attributes (QGIS had shown 154.60000000000002 pupils over seats). The JSON and Parquet tables keep the
 * exact figures.
 */
import { type Event, Geography, World } from "@seatplan/core"
import { Geometry, type Project } from "@seatplan/plan"
import { Whole } from "@seatplan/sim"
import * as Output from "./Output.js"
import * as Tabular from "./Tabular.js"

export type LayerName = "settlements" | "schools" | "catchments" | "townships"
export const layerNames: ReadonlyArray<LayerName> = ["settlements", "schools", "catchments", "townships"]

export type Geom = { readonly type: "Point"; readonly coordinates: readonly [number, number] } | Geometry.Area

export interface Feature {
  readonly geometry: Geom
  readonly properties: Readonly<Record<string, string | number | boolean | null>>
}

export type Layers = Readonly<Record<LayerName, ReadonlyArray<Feature>>>

const kinds: Record<LayerName, string> = { settlements: "settlement", schools: "school", catchments: "catchment", townships: "township" }

/** The township a settlement belongs to (core's `Geography.townshipOf`, the report map's rule too). */
const townshipOf = (world: World.World, id: string): string => Geography.townshipOf((s) => world.settlements.get(s as never), id)

const plain = (row: object): Record<string, string | number | boolean | null> => {
  const out: Record<string, string | number | boolean | null> = {}
  for (const [k, v] of Object.entries(Tabular.flatten(row))) {
    if (v === undefined) continue
    out[k] = typeof v === "number" || typeof v === "string" || typeof v === "boolean" || v === null ? v : JSON.stringify(v)
  }
  return out
}

/**
 * What the layers of a run share between its years and variants: the settlements' cells (by where the
 * settlements are) and each dissolved area (by the cells and the settlements it joins). A plan rezones a few
 * settlements, so most areas of a year are the ones of the year before; variants forked from one baseline
 * share most of theirs. One area is one object, whatever the years and variants that carry it.
 */
export interface Cache {
  readonly cells: Map<string, { readonly id: number; readonly cells: ReadonlyMap<string, Geometry.Area> }>
  readonly areas: Map<string, Geometry.Area | null>
}

export const cache = (): Cache => ({ cells: new Map(), areas: new Map() })

/** How layers are drawn: the hull's margin, a cache shared by the run's variants, the scenario's township boundaries. */
export interface Options {
  /** The margin around the settlements that clips the cells (km; `Geometry.defaultMarginKm`). */
  readonly marginKm?: number
  readonly cache?: Cache
  /** Township boundaries the scenario gives, by seat id (`Boundaries.boundariesOf`): drawn instead of the derived areas. */
  readonly boundaries?: ReadonlyMap<string, Geometry.Area>
}

/**
 * The layers of one variant for the given years (each a year of the run's tables). A township the scenario
 * gives a boundary for is drawn with it (`boundary`: "scenario"); the others are derived from the
 * settlements' cells (`boundary`: "derived").
 */
export const layers = (r: Project.VariantResult, years: ReadonlyArray<number>, options: Options = {}): Layers => {
  const marginKm = options.marginKm ?? Geometry.defaultMarginKm
  const shared = options.cache ?? cache()
  const boundaries = options.boundaries ?? new Map<string, Geometry.Area>()
  const out: Record<LayerName, Array<Feature>> = { settlements: [], schools: [], catchments: [], townships: [] }
  const events: ReadonlyArray<Event.Event> = World.chronological(r.events.map((e) => e.event))
  const world = World.builder()
  let next = 0
  const children = new Map<string, number>()
  for (const p of r.population)
    children.set(`${p.year}|${p.settlement_id}`, (children.get(`${p.year}|${p.settlement_id}`) ?? 0) + p.children)
  const key = <T>(rows: ReadonlyArray<T>, f: (x: T) => string) => new Map(rows.map((x) => [f(x), x]))
  // whole as schools.csv and catchments.csv print them (rounded within the variant, year and level)
  const schoolRows = key(Whole.table("schools", [...r.schools], Whole.schoolKey), (x) => `${x.year}|${x.school_id}|${x.level}`)
  const catchmentRows = key(Whole.table("catchments", r.catchments, Whole.schoolKey), (x) => `${x.year}|${x.school_id}|${x.level}`)
  // a settlement's children: its ages' sum, whole as population.csv's ages add up (the rounded sum)
  const childrenOf = (year: number, id: string) => Math.round(children.get(`${year}|${id}`) ?? 0)
  for (const year of [...years].sort((a, b) => a - b)) {
    while (next < events.length && events[next].year <= year) world.apply(events[next++])
    const w = world.world
    const settlements = [...w.settlements.values()]
    const cellsKey = `${marginKm};${settlements.map((s) => `${s.id}@${s.lon},${s.lat}${boundaries.size > 0 ? `^${townshipOf(w, s.id)}` : ""}`).join(";")}`
    let known = shared.cells.get(cellsKey)
    if (known === undefined) {
      known = {
        id: shared.cells.size,
        cells: Geometry.withinBoundaries(
          Geometry.siteCells(
            settlements.map((s) => ({ id: s.id, lon: s.lon, lat: s.lat })),
            marginKm
          ),
          (id) => townshipOf(w, id),
          boundaries
        )
      }
      shared.cells.set(cellsKey, known)
    }
    const { id: cellsId, cells } = known
    /** The cells dissolved by group, each group's area computed once for the settlements it joins. */
    const dissolved = (groupOf: (id: string) => string | undefined): ReadonlyMap<string, Geometry.Area> => {
      const members = new Map<string, Array<string>>()
      for (const id of cells.keys()) {
        const g = groupOf(id)
        if (g === undefined) continue
        const list = members.get(g)
        if (list === undefined) members.set(g, [id])
        else list.push(id)
      }
      const areas = new Map<string, Geometry.Area>()
      for (const [g, ids] of members) {
        const k = `${cellsId}|${ids.join(",")}`
        let area = shared.areas.get(k)
        if (area === undefined) {
          area = Geometry.dissolveAreas(new Map(ids.map((id) => [id, cells.get(id)!])), () => g).get(g) ?? null
          shared.areas.set(k, area)
        }
        if (area !== null) areas.set(g, area)
      }
      return areas
    }
    const base = { variant: r.variant, year }
    const township = new Map(settlements.map((s) => [s.id as string, townshipOf(w, s.id)]))
    for (const s of settlements) {
      out.settlements.push({
        geometry: { type: "Point", coordinates: [s.lon, s.lat] },
        properties: {
          kind: kinds.settlements,
          ...base,
          id: s.id,
          name: s.name,
          tier: s.tier,
          township: township.get(s.id) ?? s.id,
          children: childrenOf(year, s.id)
        }
      })
    }
    for (const s of w.schools.values()) {
      const rows = ["kindergarten", "primary", "junior", "senior"].flatMap((l) => {
        const row = schoolRows.get(`${year}|${s.id}|${l}`)
        return row === undefined ? [] : [row]
      })
      const school = { kind: kinds.schools, ...base, name: s.name, type: s.type, status: s.status, settlement_id: s.settlementId }
      if (rows.length === 0)
        out.schools.push({ geometry: { type: "Point", coordinates: [s.lon, s.lat] }, properties: { ...school, school_id: s.id } })
      for (const row of rows)
        out.schools.push({
          geometry: { type: "Point", coordinates: [s.lon, s.lat] },
          properties: { ...school, ...plain(row), kind: kinds.schools }
        })
    }
    for (const [level, zoned] of w.catchments) {
      if (zoned.size === 0) continue
      for (const [schoolId, geometry] of dissolved((id) => zoned.get(id as never))) {
        const s = w.schools.get(schoolId as never)
        const row = catchmentRows.get(`${year}|${schoolId}|${level}`)
        out.catchments.push({
          geometry,
          properties: {
            kind: kinds.catchments,
            ...base,
            level,
            school_id: schoolId,
            name: s?.name ?? schoolId,
            status: s?.status ?? "unknown",
            ...(row === undefined ? {} : plain(row)),
            variant: r.variant
          }
        })
      }
    }
    // each township's settlements, grouped once (a filter of every settlement per township was quadratic:
    // about 10 s of the maps at 20,000 settlements)
    const membersOf = new Map<string, Array<(typeof settlements)[number]>>()
    for (const s of settlements) {
      const t = township.get(s.id)
      if (t === undefined) continue
      const list = membersOf.get(t)
      if (list === undefined) membersOf.set(t, [s])
      else list.push(s)
    }
    for (const [id, derived] of dissolved((id) => township.get(id))) {
      const seat = w.settlements.get(id as never)
      const members = membersOf.get(id) ?? []
      const given = boundaries.get(id)
      out.townships.push({
        geometry: given ?? derived,
        properties: {
          kind: kinds.townships,
          ...base,
          id,
          name: seat?.name ?? id,
          tier: seat?.tier ?? "township",
          boundary: given === undefined ? "derived" : "scenario",
          settlements: members.length,
          children: members.reduce((n, s) => n + childrenOf(year, s.id), 0)
        }
      })
    }
  }
  return out
}

const roundedAreas = new WeakMap<Geom, Geom>()

/** A geometry to 6 decimals; an area once, however many features carry it. */
const rounded = (g: Geom): Geom => {
  if (g.type === "Point") return round(g)
  let r = roundedAreas.get(g)
  if (r === undefined) {
    r = round(g)
    roundedAreas.set(g, r)
  }
  return r
}

const round = (g: Geom): Geom => {
  const r = (c: ReadonlyArray<number>) => [Math.round(c[0] * 1e6) / 1e6, Math.round(c[1] * 1e6) / 1e6]
  if (g.type === "Point") return { type: "Point", coordinates: r(g.coordinates) as [number, number] }
  if (g.type === "Polygon") return { type: "Polygon", coordinates: g.coordinates.map((ring) => ring.map(r)) }
  return { type: "MultiPolygon", coordinates: g.coordinates.map((p) => p.map((ring) => ring.map(r))) }
}

/**
 * A variant's layers as one GeoJSON FeatureCollection (each feature's `kind` says its layer), coordinates to
 * 6 decimals (about 0.1 m), as text in pieces: a province's layers are longer than a string can be (at
 * 30,000 settlements, 656,000 features). The pieces joined are `JSON.stringify` of the collection.
 */
export function* geojson(l: Layers): Generator<string> {
  yield '{"type":"FeatureCollection","features":'
  yield* Output.jsonChunks(features(l))
  yield "}"
}

function* features(l: Layers): Generator<object> {
  for (const n of layerNames) for (const f of l[n]) yield { type: "Feature", geometry: rounded(f.geometry), properties: f.properties }
}
