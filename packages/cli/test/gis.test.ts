/**
 * The maps `seatplan run` writes: a GeoJSON per variant with every year's figures (or `--year`), names and
 * status, catchment and township areas; and `seatplan.gpkg`, checked with GDAL's `ogrinfo` (Debian's
 * gdal-bin, which the test set-up installs): layers, feature counts, attribute names, values. The test fails
 * without ogrinfo; it never skips.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as GeoPackage from "../src/GeoPackage.js"
import { csvRecords, seatplan, temp } from "./seatplan.js"

const ogrinfo = "/usr/bin/ogrinfo"

const run = (args: ReadonlyArray<string>): Promise<{ stdout: string; stderr: string; code: number }> =>
  new Promise((resolve) =>
    execFile(ogrinfo, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ stdout, stderr, code: error === null ? 0 : ((error as { code?: number }).code ?? 1) })
    )
  )

interface Map {
  readonly features: ReadonlyArray<{
    readonly geometry: { readonly type: string }
    readonly properties: Readonly<Record<string, unknown>> & { readonly kind: string; readonly year: number }
  }>
}

const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Map

describe("seatplan run: GeoJSON and GeoPackage", () => {
  const dir = temp("seatplan-gis-")

  it("a GeoJSON per variant: every year, names, status, catchment and township areas", async () => {
    const r = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--years", "2024..2030", "--out", dir, "--quiet", "--lang", "en"])
    assert.strictEqual(r.status, 0, r.stderr)
    for (const variant of ["baseline", "township"]) {
      const map = read(path.join(dir, `map-${variant}.geojson`))
      const kinds = new Set(map.features.map((f) => f.properties.kind))
      assert.deepStrictEqual([...kinds].sort(), ["catchment", "school", "settlement", "township"])
      for (const kind of kinds)
        assert.deepStrictEqual(
          [...new Set(map.features.filter((f) => f.properties.kind === kind).map((f) => f.properties.year))].sort(),
          [2024, 2025, 2026, 2027, 2028, 2029, 2030],
          kind
        )
      for (const f of map.features) {
        assert.isString(f.properties.name, JSON.stringify(f.properties))
        assert.notStrictEqual(f.properties.name, "")
        assert.strictEqual(f.properties.variant, variant)
        if (f.properties.kind === "school")
          assert.match(String(f.properties.status), /^(open|closed|repurposed|not yet open|opened|expanded|closing|merged into .+)$/)
        if (f.properties.kind === "catchment" || f.properties.kind === "township")
          assert.include(["Polygon", "MultiPolygon"], f.geometry.type)
        else assert.strictEqual(f.geometry.type, "Point")
      }
    }
    // the plan's schools as they stand each year: a new primary only in the plan, the teaching point closed and
    // reopened as a kindergarten (its type and status from the world of that year)
    const schoolsIn = (variant: string, year: number) =>
      new globalThis.Map(
        read(path.join(dir, `map-${variant}.geojson`))
          .features.filter((f) => f.properties.kind === "school" && f.properties.year === year)
          .map((f) => [f.properties.school_id as string, `${f.properties.type} ${f.properties.status}`])
      )
    assert.isTrue(schoolsIn("township", 2030).has("SEAT-PRI-2"))
    assert.isFalse(schoolsIn("baseline", 2030).has("SEAT-PRI-2"))
    assert.strictEqual(schoolsIn("baseline", 2030).get("ZHANG-TP"), "teaching-point open")
    // its last open year: the schools table says "closing" (issue 13 item 10)
    assert.strictEqual(schoolsIn("township", 2025).get("ZHANG-TP"), "teaching-point closing")
    // one feature per school and level, with that level's status: reopened as a kindergarten, its
    // kindergarten is open and its primary closed
    const zhang = read(path.join(dir, "map-township.geojson")).features.filter(
      (f) => f.properties.kind === "school" && f.properties.year === 2030 && f.properties.school_id === "ZHANG-TP"
    )
    assert.strictEqual(zhang.find((f) => f.properties.level === "kindergarten")?.properties.status, "open")
    assert.strictEqual(zhang.find((f) => f.properties.level === "kindergarten")?.properties.type, "kindergarten")
    // the schools' figures are the schools table's, as schools.csv prints them (whole), every school and year
    const lines = csvRecords(path.join(dir, "schools.csv"))
    const features = new Map(
      read(path.join(dir, "map-township.geojson"))
        .features.filter((f) => f.properties.kind === "school")
        .map((f) => [`${f.properties.year}|${f.properties.school_id}|${f.properties.level}`, f.properties])
    )
    let compared = 0
    for (const line of lines.filter((l) => l.variant === "township")) {
      const feature = features.get(`${line.year}|${line.school_id}|${line.level}`)
      if (feature === undefined) continue
      for (const k of ["pupils", "seats", "pupils_over_seats", "teachers_needed", "boarders"])
        assert.strictEqual(feature[k], Number(line[k]), `${line.year} ${line.school_id} ${k}`)
      compared++
    }
    assert.isAbove(compared, 20)
    // a settlement's children: the sum of its ages in population.csv
    const seat = csvRecords(path.join(dir, "population.csv"))
      .filter((r) => r.variant === "township" && r.year === "2030" && r.settlement_id === "LS-SEAT")
      .reduce((n, r) => n + Number(r.children), 0)
    const settlement = read(path.join(dir, "map-township.geojson")).features.find(
      (f) => f.properties.kind === "settlement" && f.properties.year === 2030 && f.properties.id === "LS-SEAT"
    )!
    assert.strictEqual(settlement.properties.children, seat)
  })

  it("seatplan.gpkg opens in GDAL (as in QGIS): four layers, every variant's and year's features, named attributes", async () => {
    assert.isTrue(fs.existsSync(ogrinfo), `${ogrinfo} is missing: the test set-up installs gdal-bin (apt-get install gdal-bin)`)
    const file = path.join(dir, "seatplan.gpkg")
    const summary = await run(["-ro", "-so", "-al", file])
    assert.strictEqual(summary.code, 0, summary.stderr)
    assert.notMatch(summary.stderr, /ERROR|Warning/i, summary.stderr)
    assert.match(summary.stdout, /using driver `GPKG' successful/)
    const layers = [...summary.stdout.matchAll(/^Layer name: (\w+)$/gm)].map((m) => m[1])
    assert.deepStrictEqual(layers, ["settlements", "schools", "catchments", "townships"])
    const maps = ["baseline", "township"].map((v) => read(path.join(dir, `map-${v}.geojson`)))
    const blocks = summary.stdout.split(/^Layer name: /m).slice(1)
    const kind = { settlements: "settlement", schools: "school", catchments: "catchment", townships: "township" } as const
    const attributes = {
      settlements: ["variant", "year", "id", "name", "tier", "township", "children"],
      schools: ["variant", "year", "name", "type", "status", "school_id", "level", "pupils", "seats", "classes", "teachers_needed"],
      catchments: ["variant", "year", "level", "school_id", "name", "status", "resident_pupils", "seats"],
      townships: ["variant", "year", "id", "name", "boundary", "settlements", "children"]
    } as const
    blocks.forEach((block, i) => {
      const name = layers[i] as keyof typeof kind
      const count = Number(/^Feature Count: (\d+)$/m.exec(block)?.[1])
      const expected = maps.reduce((n, m) => n + m.features.filter((f) => f.properties.kind === kind[name]).length, 0)
      assert.strictEqual(count, expected, name)
      assert.isAbove(count, 0, name)
      assert.match(block, name === "settlements" || name === "schools" ? /^Geometry: Point$/m : /^Geometry: Multi Polygon$/m)
      assert.match(block, /ID\["EPSG",4326\]/)
      const fields = [...block.matchAll(/^(\w+): (String|Real|Integer|Integer\(Boolean\))/gm)].map((m) => m[1])
      for (const a of attributes[name]) assert.include(fields, a, `${name}.${a}`)
    })
    // a value, read back through GDAL's SQL
    const q = await run([
      "-ro",
      "-sql",
      "SELECT name, status, pupils FROM schools WHERE variant = 'township' AND year = 2030 AND school_id = 'SEAT-PRI-2'",
      file
    ])
    assert.strictEqual(q.code, 0, q.stderr)
    assert.match(q.stdout, /status \(String\) = open/)
    assert.match(q.stdout, /name \(String\) = \S/)
  })

  it("with SOURCE_DATE_EPOCH two runs write every file the same, the GeoPackage's change time included", async () => {
    const runs = [temp("seatplan-same-"), temp("seatplan-same-")]
    for (const out of runs) {
      const r = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", out, "--quiet"], { SOURCE_DATE_EPOCH: "1767225600" })
      assert.strictEqual(r.status, 0, r.stderr)
    }
    const names = fs.readdirSync(runs[0]).sort()
    assert.deepStrictEqual(fs.readdirSync(runs[1]).sort(), names)
    assert.include(names, "seatplan.gpkg")
    for (const name of names)
      assert.isTrue(fs.readFileSync(path.join(runs[0], name)).equals(fs.readFileSync(path.join(runs[1], name))), `${name} differs`)
    const contents = await run(["-q", "-sql", "SELECT last_change FROM gpkg_contents", path.join(runs[0], "seatplan.gpkg")])
    assert.strictEqual(contents.code, 0, contents.stderr)
    assert.include(contents.stdout, "last_change (DateTime) = 2026/01/01 00:00:00")
  })

  it("SOURCE_DATE_EPOCH that is not whole seconds is named in a warning, and the time of writing is kept", () => {
    const warnings: Array<string> = []
    assert.strictEqual(
      GeoPackage.changeTime({ SOURCE_DATE_EPOCH: "1767225600" }, (m) => warnings.push(m)),
      "2026-01-01T00:00:00.000Z"
    )
    const before = Date.now()
    const at = Date.parse(GeoPackage.changeTime({ SOURCE_DATE_EPOCH: "yesterday" }, (m) => warnings.push(m)))
    assert.isAtLeast(at, before - 1000)
    assert.deepStrictEqual(warnings, [
      'SOURCE_DATE_EPOCH: expected whole seconds since 1970 (such as 1767225600), found "yesterday"; seatplan.gpkg records the time of writing'
    ])
  })

  it("--year: the maps carry one year", async () => {
    const one = temp("seatplan-gis-")
    const r = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--years", "2024..2030", "--year", "2028", "--out", one, "--quiet"])
    assert.strictEqual(r.status, 0, r.stderr)
    const map = read(path.join(one, "map-township.geojson"))
    assert.deepStrictEqual([...new Set(map.features.map((f) => f.properties.year))], [2028])
    const bad = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--years", "2024..2030", "--year", "2035", "--out", one, "--quiet"])
    assert.strictEqual(bad.status, 1)
    assert.include(bad.stderr, "--year: expected a school year of the run (2024..2030), found 2035")
  })

  it("a township the scenario gives a boundary for is drawn with it in the GeoJSON and the GeoPackage; the others are derived", async () => {
    const own = temp("seatplan-gis-")
    const box = [
      [113.55, 34.22],
      [113.72, 34.22],
      [113.72, 34.36],
      [113.55, 34.36],
      [113.55, 34.22]
    ]
    const tiny = fs.readFileSync(path.resolve(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml"), "utf8")
    const file = path.join(own, "scenario.yaml")
    fs.writeFileSync(file, `${tiny}\nboundaries:\n  LS-DONG: ${JSON.stringify({ type: "Polygon", coordinates: [box] })}\n`)
    const r = await seatplan(["run", file, "--years", "2024..2026", "--year", "2026", "--out", path.join(own, "out"), "--quiet"])
    assert.strictEqual(r.status, 0, r.stderr)
    const townships = read(path.join(own, "out", "map-baseline.geojson")).features.filter((f) => f.properties.kind === "township")
    const dong = townships.find((f) => f.properties.id === "LS-DONG")!
    assert.strictEqual(dong.properties.boundary, "scenario")
    assert.deepStrictEqual(dong.geometry as unknown, { type: "Polygon", coordinates: [box] })
    const others = townships.filter((f) => f.properties.id !== "LS-DONG")
    assert.isAbove(others.length, 0)
    for (const f of others) assert.strictEqual(f.properties.boundary, "derived", String(f.properties.id))
    const q = await run([
      "-ro",
      "-sql",
      "SELECT id, boundary, ST_MinX(geom) AS x0, ST_MaxY(geom) AS y1 FROM townships WHERE variant = 'baseline' AND id = 'LS-DONG'",
      "-dialect",
      "SQLite",
      path.join(own, "out", "seatplan.gpkg")
    ])
    assert.strictEqual(q.code, 0, q.stderr)
    assert.match(q.stdout, /boundary \(String\) = scenario/)
    assert.match(q.stdout, /x0 \(Real\) = 113\.55/)
    assert.match(q.stdout, /y1 \(Real\) = 34\.36/)
  })
})
