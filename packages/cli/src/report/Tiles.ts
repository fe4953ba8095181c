/**
 * A background under the report's maps (issue 14), only when the planner gives one (`--tiles`); the
 * report is offline by default and says so. Two sources:
 *
 * - a local MBTiles file (SQLite, read with better-sqlite3) or PMTiles file (report/Pmtiles): the raster tiles covering the maps' extent
 *   at one zoom (the largest the file has at or below the zoom the map is drawn at, at most `maxTiles`
 *   tiles) are embedded as `data:` URIs, so the page stays one file that opens offline;
 * - a raster tile URL template (`https://host/{z}/{x}/{y}.png`): the page loads those tiles from that
 *   host, which its Content-Security-Policy then allows for images (and only then).
 *
 * Tiles are Web Mercator (XYZ; MBTiles rows are TMS, counted from the south). Each is given with its
 * bounds in degrees; the page places it on the map's local projection (at a county's size Web Mercator and
 * the map's equirectangular projection differ by far less than a pixel within one tile).
 */
import Database from "better-sqlite3"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Project } from "@seatplan/plan"
import { range } from "./MapData.js"
import * as Pmtiles from "./Pmtiles.js"

/** [west, south, east, north] in degrees, and the image (a data: URI or a URL). */
export type Tile = readonly [number, number, number, number, string]

export interface Background {
  /** What the page says the background is (a file's name, or the template). */
  readonly source: string
  readonly kind: "file" | "url"
  /** The origin the page loads tiles from (URL templates only): its CSP allows images from it. */
  readonly origin?: string
  readonly zoom: number
  readonly tiles: ReadonlyArray<Tile>
}

/** At most this many tiles under a map (an MBTiles file's are embedded: about 10-30 KB each). */
export const maxTiles = 64
/** The width in CSS pixels the map is drawn at, which the zoom is chosen for. */
const mapWidthPx = 1100

const lonOf = (x: number, z: number) => (x / 2 ** z) * 360 - 180
const latOf = (y: number, z: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI
const xOf = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z)
const yOf = (lat: number, z: number) => {
  const r = (Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z)
}

/** [west, south, east, north] in degrees. */
export type Bounds = readonly [number, number, number, number]

/** The tiles (z, x, y) covering `bounds` at zoom `z`. */
export const cover = (bounds: Bounds, z: number): ReadonlyArray<readonly [number, number, number]> => {
  const [w, s, e, n] = bounds
  const out: Array<readonly [number, number, number]> = []
  const max = 2 ** z - 1
  for (let x = Math.max(0, xOf(w, z)); x <= Math.min(max, xOf(e, z)); x++)
    for (let y = Math.max(0, yOf(n, z)); y <= Math.min(max, yOf(s, z)); y++) out.push([z, x, y])
  return out
}

/** The zoom at which `bounds` spans about the map's width, lowered until it needs at most `maxTiles` tiles. */
export const idealZoom = (bounds: Bounds): number => {
  const span = Math.max(bounds[2] - bounds[0], 1e-6)
  let z = Math.max(0, Math.min(19, Math.floor(Math.log2((mapWidthPx * 360) / (256 * span)))))
  while (z > 0 && cover(bounds, z).length > maxTiles) z--
  return z
}

const boundsOf = (z: number, x: number, y: number): Bounds => [lonOf(x, z), latOf(y + 1, z), lonOf(x + 1, z), latOf(y, z)]

/**
 * The maps' extent in degrees: every settlement and school of the run, widened by the areas' margin (about
 * 5 km), then to the map card's shape (a map is drawn about twice as wide as high on screen and on
 * landscape paper, at most as high as wide), so the tiles reach the card's edges.
 */
export const extentOf = (results: ReadonlyArray<Project.VariantResult>): Bounds => {
  const points = results.flatMap((r) => [...r.places.settlements, ...r.places.schools]).map((p) => [p.lon, p.lat] as const)
  const [lon1, lon2] = range(points.map((p) => p[0]))
  const [lat1, lat2] = range(points.map((p) => p[1]))
  const lat0 = (lat1 + lat2) / 2
  const lon0 = (lon1 + lon2) / 2
  const kx = 111.32 * Math.cos((lat0 * Math.PI) / 180)
  const ky = 110.574
  const widthKm = (lon2 - lon1) * kx + 10
  const heightKm = (lat2 - lat1) * ky + 10
  const w = Math.max(widthKm, 2.3 * heightKm)
  const h = Math.max(heightKm, w / 2.3, 0.8 * widthKm)
  return [lon0 - w / 2 / kx, lat0 - h / 2 / ky, lon0 + w / 2 / kx, lat0 + h / 2 / ky]
}

const mime = (data: Buffer, format: string | undefined): string | undefined => {
  if (data[0] === 0x89 && data[1] === 0x50) return "image/png"
  if (data[0] === 0xff && data[1] === 0xd8) return "image/jpeg"
  if (data.subarray(0, 4).toString("latin1") === "RIFF" && data.subarray(8, 12).toString("latin1") === "WEBP") return "image/webp"
  return format === "png"
    ? "image/png"
    : format === "jpg" || format === "jpeg"
      ? "image/jpeg"
      : format === "webp"
        ? "image/webp"
        : undefined
}

/** Of the zooms a file holds, the largest at or below the map's that needs at most `maxTiles` tiles (else the smallest that does). */
const zoomFor = (file: string, zooms: ReadonlyArray<number>, bounds: Bounds): number => {
  const ideal = idealZoom(bounds)
  const fits = zooms.filter((z) => cover(bounds, z).length <= maxTiles)
  const z = fits.filter((z) => z <= ideal).pop() ?? fits[0]
  if (z === undefined)
    throw new Error(`${file}: every zoom it holds (${zooms.join(", ")}) needs more than ${maxTiles} tiles for the map; add a lower zoom`)
  return z
}

/** The raster tiles of a PMTiles (version 3) file under `bounds`, as data: URIs. */
export const fromPmtiles = (file: string, bounds: Bounds): Background => {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`)
  let archive: ReturnType<typeof Pmtiles.open>
  try {
    archive = Pmtiles.open(file)
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`)
  }
  try {
    const h = archive.header
    const type = ({ 2: "image/png", 3: "image/jpeg", 4: "image/webp" } as Record<number, string>)[h.tileType]
    if (type === undefined)
      throw new Error(
        `${file}: holds ${h.tileType === 1 ? "vector tiles (MVT)" : `tiles of type ${h.tileType}`}; the report draws raster tiles (png, jpg or webp)`
      )
    const zooms = Array.from({ length: h.maxZoom - h.minZoom + 1 }, (_, k) => h.minZoom + k)
    const z = zoomFor(file, zooms, bounds)
    const tiles: Array<Tile> = []
    for (const [tz, x, y] of cover(bounds, z)) {
      const data = archive.tile(tz, x, y)
      if (data !== undefined) tiles.push([...boundsOf(tz, x, y), `data:${type};base64,${data.toString("base64")}`])
    }
    return { source: path.basename(file), kind: "file", zoom: z, tiles }
  } finally {
    archive.close()
  }
}

/** The raster tiles of an MBTiles file under `bounds`, as data: URIs (an Error says what is wrong with the file). */
export const fromMbtiles = (file: string, bounds: Bounds): Background => {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`)
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const has = db.prepare("SELECT name FROM sqlite_master WHERE name IN ('tiles', 'metadata')").all() as Array<{ name: string }>
    if (!has.some((t) => t.name === "tiles"))
      throw new Error(`${file}: expected an MBTiles file (a SQLite database with a tiles table), found no tiles table`)
    const format = has.some((t) => t.name === "metadata")
      ? (db.prepare("SELECT value FROM metadata WHERE name = 'format'").get() as { value?: string } | undefined)?.value
      : undefined
    if (format === "pbf") throw new Error(`${file}: holds vector tiles (format pbf); the report draws raster tiles (png, jpg or webp)`)
    const zooms = (db.prepare("SELECT DISTINCT zoom_level AS z FROM tiles ORDER BY z").all() as Array<{ z: number }>).map((r) => r.z)
    if (zooms.length === 0) throw new Error(`${file}: the tiles table is empty`)
    const z = zoomFor(file, zooms, bounds)
    const get = db.prepare("SELECT tile_data AS data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?")
    const tiles: Array<Tile> = []
    for (const [tz, x, y] of cover(bounds, z)) {
      const row = get.get(tz, x, 2 ** tz - 1 - y) as { data?: Buffer } | undefined
      if (row?.data === undefined || row.data === null) continue
      const type = mime(row.data, format)
      if (type === undefined) {
        throw new Error(
          `${file}: tile ${tz}/${x}/${y} is not a PNG, JPEG or WebP image${row.data[0] === 0x1f && row.data[1] === 0x8b ? " (gzip: vector tiles?)" : ""}`
        )
      }
      tiles.push([...boundsOf(tz, x, y), `data:${type};base64,${row.data.toString("base64")}`])
    }
    return { source: path.basename(file), kind: "file", zoom: z, tiles }
  } finally {
    db.close()
  }
}

/** The tiles of a URL template under `bounds` (an Error says what the template lacks). */
export const fromTemplate = (template: string, bounds: Bounds): Background => {
  let url: URL
  try {
    url = new URL(template.replace(/\{[zxy]\}/g, "0"))
  } catch {
    throw new Error(`expected a tile URL template such as https://host/{z}/{x}/{y}.png, found ${JSON.stringify(template)}`)
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`expected an http(s) tile URL template, found the scheme ${url.protocol} in ${JSON.stringify(template)}`)
  for (const p of ["{z}", "{x}", "{y}"])
    if (!template.includes(p)) throw new Error(`the tile URL template ${JSON.stringify(template)} lacks ${p}`)
  const z = idealZoom(bounds)
  const tiles = cover(bounds, z).map(
    ([tz, x, y]): Tile => [...boundsOf(tz, x, y), template.replace("{z}", String(tz)).replace("{x}", String(x)).replace("{y}", String(y))]
  )
  return { source: template, kind: "url", origin: url.origin, zoom: z, tiles }
}

/** `--tiles`: none (offline, the default), a URL template, or a local MBTiles file; exit 1 with the reason when it cannot be used. */
export const background = (option: Option.Option<string>, results: ReadonlyArray<Project.VariantResult>) =>
  Effect.try({
    try: (): Background | undefined => {
      if (Option.isNone(option)) return undefined
      const value = option.value
      const bounds = extentOf(results)
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return fromTemplate(value, bounds)
      if (/\.pmtiles$/i.test(value)) return fromPmtiles(value, bounds)
      return fromMbtiles(value, bounds)
    },
    catch: (e) => new Project.RunError({ reason: `--tiles: ${e instanceof Error ? e.message : String(e)}` })
  })
