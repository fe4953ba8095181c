/**
 * A GeoPackage (OGC 12-128r18, version 1.3) of point and area layers, written directly with better-sqlite3:
 * the application id and version, the spatial reference systems the standard requires plus WGS 84
 * (EPSG:4326), `gpkg_contents` and `gpkg_geometry_columns`, and one feature table per layer whose geometry
 * is GeoPackage binary (header with envelope, then little-endian WKB). QGIS and GDAL open it as it is.
 *
 * Not @ngageoint/geopackage: it keeps the database in memory through sql.js (WebAssembly SQLite) and brings
 * turf 6 beside the turf 7 seatplan uses, proj4 and image libraries; better-sqlite3 is already seatplan's
 * SQLite driver, and the part of the standard a feature layer needs is these few tables.
 */
import Database from "better-sqlite3"
import * as fs from "node:fs"
import * as path from "node:path"
import type { Feature, Geom } from "./Gis.js"
import * as Output from "./Output.js"

export interface Layer {
  readonly name: string
  readonly description: string
  readonly geometryType: "POINT" | "MULTIPOLYGON"
  readonly features: ReadonlyArray<Feature>
}

const wgs84 =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]'

/** Every ring of a geometry as polygons (a Point is none). */
const polygons = (g: Geom): ReadonlyArray<ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>> =>
  g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : []

/** A geometry as GeoPackage binary: `GP`, version 0, flags (envelope [minx, maxx, miny, maxy], little-endian), srs id, WKB. */
export const binary = (g: Geom, srs = 4326): Buffer => {
  const coords: Array<ReadonlyArray<number>> = g.type === "Point" ? [g.coordinates] : polygons(g).flat(2)
  let minX = Infinity
  let maxX = -Infinity
  let minY = Infinity
  let maxY = -Infinity
  for (const [x, y] of coords) {
    if (x < minX) minX = x
    if (x > maxX) maxX = x
    if (y < minY) minY = y
    if (y > maxY) maxY = y
  }
  const parts = g.type === "Point" ? [] : polygons(g)
  const wkbSize = g.type === "Point" ? 21 : 9 + parts.reduce((n, p) => n + 9 + p.reduce((m, ring) => m + 4 + ring.length * 16, 0), 0)
  const buf = Buffer.alloc(8 + 32 + wkbSize)
  buf.write("GP", 0, "ascii")
  buf.writeUInt8(0, 2)
  buf.writeUInt8(0b0000_0011, 3) // envelope xy (1 << 1), little-endian (1)
  buf.writeInt32LE(srs, 4)
  buf.writeDoubleLE(minX, 8)
  buf.writeDoubleLE(maxX, 16)
  buf.writeDoubleLE(minY, 24)
  buf.writeDoubleLE(maxY, 32)
  let o = 40
  const u8 = (v: number) => {
    buf.writeUInt8(v, o)
    o += 1
  }
  const u32 = (v: number) => {
    buf.writeUInt32LE(v, o)
    o += 4
  }
  const f64 = (v: number) => {
    buf.writeDoubleLE(v, o)
    o += 8
  }
  if (g.type === "Point") {
    u8(1)
    u32(1)
    f64(g.coordinates[0])
    f64(g.coordinates[1])
    return buf
  }
  u8(1)
  u32(6) // MultiPolygon
  u32(parts.length)
  for (const p of parts) {
    u8(1)
    u32(3) // Polygon
    u32(p.length)
    for (const ring of p) {
      u32(ring.length)
      for (const [x, y] of ring) {
        f64(x)
        f64(y)
      }
    }
  }
  return buf
}

type SqlType = "TEXT" | "REAL" | "INTEGER" | "BOOLEAN"

/** The attribute columns of a layer: every property of its features, typed by its values (year INTEGER). */
const columnsOf = (features: ReadonlyArray<Feature>): ReadonlyArray<readonly [string, SqlType]> => {
  const types = new Map<string, SqlType>()
  for (const f of features)
    for (const [k, v] of Object.entries(f.properties)) {
      if (v === null || k.toLowerCase() === "fid" || k.toLowerCase() === "geom") continue
      const t: SqlType = typeof v === "number" ? (k === "year" ? "INTEGER" : "REAL") : typeof v === "boolean" ? "BOOLEAN" : "TEXT"
      const known = types.get(k)
      types.set(k, known === undefined || known === t ? t : "TEXT")
    }
  return [...types]
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

/** Writes the layers to a new GeoPackage at `file` (built beside it and renamed into place). */
/**
 * The time a GeoPackage records as its layers' last change (`gpkg_contents.last_change`): now, or the
 * reproducible-builds convention's `SOURCE_DATE_EPOCH` (seconds since 1970) when it is set, so that two runs
 * of one scenario write the same bytes. A value that is not whole seconds is named in a warning (`warn`) and
 * the time of writing is recorded.
 */
export const changeTime = (
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = (m) => process.stderr.write(`seatplan: ${m}\n`)
): string => {
  const epoch = env.SOURCE_DATE_EPOCH
  if (epoch === undefined || epoch === "") return new Date().toISOString()
  if (/^\d{1,12}$/.test(epoch.trim())) return new Date(Number(epoch.trim()) * 1000).toISOString()
  warn(
    `SOURCE_DATE_EPOCH: expected whole seconds since 1970 (such as 1767225600), found ${JSON.stringify(epoch)}; seatplan.gpkg records the time of writing`
  )
  return new Date().toISOString()
}

export const writeSync = (file: string, layers: ReadonlyArray<Layer>, changed: string = changeTime()): void => {
  const dir = path.dirname(path.resolve(file))
  Output.ensureDir(dir)
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`)
  const db = new Database(temp)
  try {
    db.pragma("journal_mode = OFF")
    db.pragma("synchronous = OFF")
    db.pragma("application_id = 1196444487") // 'GPKG'
    db.pragma("user_version = 10300") // 1.3.0
    db.exec(`
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    `)
    const srs = db.prepare(
      "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)"
    )
    srs.run("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system")
    srs.run("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system")
    srs.run("WGS 84 geodetic", 4326, "EPSG", 4326, wgs84, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid")
    // an area carried by many features (every year it does not change) is encoded once
    const blobs = new WeakMap<Geom, Buffer>()
    const blobOf = (geometry: Geom, type: Layer["geometryType"]): Buffer => {
      if (geometry.type === "Point") return binary(geometry)
      let blob = blobs.get(geometry)
      if (blob === undefined) {
        blob = binary(
          type === "MULTIPOLYGON" && geometry.type === "Polygon" ? { type: "MultiPolygon", coordinates: [geometry.coordinates] } : geometry
        )
        blobs.set(geometry, blob)
      }
      return blob
    }
    for (const layer of layers) {
      const columns = columnsOf(layer.features)
      db.exec(
        `CREATE TABLE ${quote(layer.name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom ${layer.geometryType}${columns.map(([c, t]) => `, ${quote(c)} ${t}`).join("")})`
      )
      let minX = Infinity
      let minY = Infinity
      let maxX = -Infinity
      let maxY = -Infinity
      const insert = db.prepare(
        `INSERT INTO ${quote(layer.name)} (geom${columns.map(([c]) => `, ${quote(c)}`).join("")}) VALUES (?${columns.map(() => ", ?").join("")})`
      )
      db.transaction(() => {
        for (const f of layer.features) {
          const blob = blobOf(f.geometry, layer.geometryType)
          minX = Math.min(minX, blob.readDoubleLE(8))
          maxX = Math.max(maxX, blob.readDoubleLE(16))
          minY = Math.min(minY, blob.readDoubleLE(24))
          maxY = Math.max(maxY, blob.readDoubleLE(32))
          insert.run(
            blob,
            ...columns.map(([c, t]) => {
              const v = f.properties[c]
              return v === undefined || v === null ? null : t === "BOOLEAN" ? (v === true ? 1 : 0) : t === "TEXT" ? String(v) : v
            })
          )
        }
      })()
      const empty = layer.features.length === 0
      db.prepare(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, 4326)"
      ).run(
        layer.name,
        layer.name,
        layer.description,
        changed,
        empty ? null : minX,
        empty ? null : minY,
        empty ? null : maxX,
        empty ? null : maxY
      )
      db.prepare("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)").run(layer.name, layer.geometryType)
    }
    db.close()
    fs.renameSync(temp, file)
  } catch (e) {
    if (db.open) db.close()
    fs.rmSync(temp, { force: true })
    throw e
  }
}
