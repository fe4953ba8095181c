/**
 * Township boundaries a scenario gives (乡镇边界, issue 14): `boundaries:` inline (seat id → GeoJSON
 * Polygon/MultiPolygon) or as a GeoJSON file beside the scenario, and the polygons of township seats and
 * the county seat in its `settlementsFile`. The loader checks them (`resolve`: each names a township seat
 * or the county seat, each is valid geometry; a seat outside its own boundary, or a ring that crosses
 * itself, is a warning) and replaces a
 * file reference by the polygons it holds, so a loaded scenario carries them inline; `boundariesOf` gives
 * them to the maps. Pure: the file is read through the loader's reader.
 */
import { Either, ParseResult, Schema } from "effect"
import * as Geometry from "./Geometry.js"
import { Boundary, type ScenarioFile } from "./ScenarioFile.js"

export interface Problem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

const decodeBoundary = Schema.decodeUnknownEither(Boundary, { errors: "all" })

/** The polygons of a GeoJSON FeatureCollection's features by their `id` property (problems name the file and feature). */
const fromFile = (
  relative: string,
  read: (relative: string) => string | undefined
): Either.Either<Record<string, Boundary>, ReadonlyArray<Problem>> => {
  const at = ["boundaries"]
  const text = read(relative)
  if (text === undefined) return Either.left([{ path: at, message: `cannot read ${relative} (relative to the scenario)` }])
  let json: { type?: unknown; features?: unknown }
  try {
    json = JSON.parse(text)
  } catch (e) {
    return Either.left([{ path: at, message: `${relative} is not JSON: ${(e as Error).message}` }])
  }
  if (json === null || typeof json !== "object" || json.type !== "FeatureCollection" || !Array.isArray(json.features)) {
    return Either.left([
      {
        path: at,
        message: `${relative}: expected a GeoJSON FeatureCollection, found ${JSON.stringify((json as { type?: unknown } | null)?.type)}`
      }
    ])
  }
  const problems: Array<Problem> = []
  const out: Record<string, Boundary> = {}
  json.features.forEach((f: { geometry?: unknown; properties?: { id?: unknown } | null } | null, i: number) => {
    const where = `${relative}: features[${i}]`
    const id = f?.properties?.id
    if (typeof id !== "string" || id === "") {
      problems.push({
        path: at,
        message: `${where}.properties.id: expected the id of a township seat or the county seat, found ${JSON.stringify(id)}`
      })
      return
    }
    const decoded = decodeBoundary(f?.geometry)
    if (Either.isLeft(decoded)) {
      for (const issue of ParseResult.ArrayFormatter.formatErrorSync(decoded.left))
        problems.push({
          path: at,
          message: `${where}.geometry${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${issue.message}`
        })
      return
    }
    out[id] = decoded.right
  })
  return problems.length > 0 ? Either.left(problems) : Either.right(out)
}

/**
 * The scenario's boundaries, checked: from `boundaries:` (inline or its file) and, for seats without one
 * there, the polygons `settlementsFile` gave (`polygons`, by settlement id). Each must name a township seat
 * or the county seat; a seat outside its boundary, or a ring that crosses or touches itself, is a warning
 * (the map still draws it).
 */
export const resolve = (
  s: ScenarioFile,
  read: (relative: string) => string | undefined,
  polygons: ReadonlyMap<string, Boundary>
): Either.Either<
  { readonly boundaries: Readonly<Record<string, Boundary>> | undefined; readonly warnings: ReadonlyArray<Problem> },
  ReadonlyArray<Problem>
> => {
  const given = typeof s.boundaries === "string" ? fromFile(s.boundaries, read) : Either.right(s.boundaries ?? {})
  if (Either.isLeft(given)) return Either.left(given.left)
  const settlements = new Map(s.settlements.map((x) => [x.id as string, x]))
  const problems: Array<Problem> = []
  const warnings: Array<Problem> = []
  const file = typeof s.boundaries === "string" ? `${s.boundaries}: ` : ""
  for (const [id, b] of Object.entries(given.right)) {
    const at = typeof s.boundaries === "string" ? ["boundaries"] : ["boundaries", id]
    const seat = settlements.get(id)
    if (seat === undefined || seat.tier === "village") {
      problems.push({
        path: at,
        message: `${file}a boundary is named by its township seat or the county seat: expected the id of a settlement of tier township or county-seat, found ${JSON.stringify(id)}${seat === undefined ? " (no such settlement)" : " (a village)"}`
      })
      continue
    }
    Geometry.polygonsOf(b).forEach((polygon, i) =>
      polygon.forEach((ring, r) => {
        const path = [...at, "coordinates", ...(b.type === "MultiPolygon" ? [i] : []), r]
        const crossed = Geometry.selfCrossing(ring)
        if (crossed !== undefined)
          warnings.push({
            path,
            message: `${file}${seat.name}'s boundary crosses itself at [${crossed.at.map((v) => +v.toFixed(6)).join(", ")}] (its edges from positions ${crossed.edges[0]} and ${crossed.edges[1]}): areas cut to it may be wrong; mend it in a GIS (QGIS: Fix Geometries)`
          })
        else if (Geometry.area([[ring]]) === 0)
          warnings.push({
            path,
            message: `${file}a ring of ${seat.name}'s boundary encloses no area (its positions are on one line or repeated)`
          })
      })
    )
    if (!Geometry.contains(Geometry.polygonsOf(b), [seat.lon, seat.lat]))
      warnings.push({
        path: at,
        message: `${file}${seat.name} (${id}) at [${seat.lon}, ${seat.lat}] lies outside its own boundary: check the polygon's coordinates (longitude first)`
      })
  }
  if (problems.length > 0) return Either.left(problems)
  const all: Record<string, Boundary> = {}
  for (const [id, b] of polygons) if (settlements.get(id)?.tier !== "village") all[id] = b
  Object.assign(all, given.right)
  return Either.right({ boundaries: Object.keys(all).length === 0 ? undefined : all, warnings })
}

/** A loaded scenario's township boundaries by seat id, for the maps (none when it gives none). */
export const boundariesOf = (s: ScenarioFile): ReadonlyMap<string, Geometry.Area> =>
  typeof s.boundaries === "object" ? new Map(Object.entries(s.boundaries)) : new Map()
