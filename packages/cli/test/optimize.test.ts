/**
 * `seatplan optimize` as a child process: a plan variant that the loader accepts, infeasible requests as
 * messages with exit code 3 and incomplete ones with exit code 1, never a stack trace.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { parse } from "yaml"
import { csvRecords, root, seatplan, temp } from "./seatplan.js"

/** The tiny example's primaries in 2030 sited with p = 3, written to `out`. */
const tinyP3 = (out: string, ...extra: ReadonlyArray<string>) => [
  "optimize",
  "scenarios/tiny/scenario.yaml",
  "--year",
  "2030",
  "--p",
  "3",
  ...extra,
  "--out",
  out
]

describe("seatplan optimize", () => {
  it("p-median: solves exactly, writes a scenario with the plan variant, which validates", { timeout: 300_000 }, async () => {
    const out = path.join(temp("seatplan-optimize-"), "tiny.yaml")
    const r = await seatplan([
      "optimize",
      "scenarios/tiny/scenario.yaml",
      "--level",
      "primary",
      "--year",
      "2030",
      "--problem",
      "p-median",
      "--p",
      "3",
      "--out",
      out,
      "--format",
      "json"
    ])
    assert.strictEqual(r.status, 0, r.stderr)
    const report = JSON.parse(r.stdout)
    assert.strictEqual(report.method, "exact")
    assert.strictEqual(report.status, "optimal")
    assert.strictEqual(report.breakdown.openSites, 3)
    assert.isAtMost(Math.abs(report.objective - report.bound), 1e-6 * report.objective)
    const kept = report.sites.filter((s: { decision: string }) => s.decision !== "close")
    assert.strictEqual(kept.length, 3)
    assert.isTrue(
      kept.some((s: { id: string }) => s.id === "XI-NINE"),
      "the nine-year school stays open (it teaches junior too)"
    )
    const written = parse(fs.readFileSync(out, "utf8"))
    const variant = written.variants.find((v: { name: string }) => v.name === "optimized-p-median-primary-2030")
    assert.isDefined(variant)
    const years = variant.events.map((e: { type: string; year: number }) => [e.type, e.year])
    for (const [type, year] of years) assert.strictEqual(year, type === "open" || type === "expand" ? 2029 : 2030, "build before close")
    const closes = variant.events.filter((e: { type: string }) => e.type === "close")
    assert.strictEqual(closes.length, report.sites.length - 3)
    // what is printed is what the written plan does: every decision and added seat from its steps (issue 19)
    type Event = { type: string; school: string | { id: string }; seats?: number }
    const events: Array<Event> = variant.events
    for (const site of report.sites as Array<{ id: string; decision: string; addedSeats: number }>) {
      const of = (type: string) =>
        events.filter((e) => e.type === type && (typeof e.school === "string" ? e.school : e.school.id) === site.id)
      const expected = of("open").length > 0 ? "build" : of("close").length > 0 ? "close" : of("expand").length > 0 ? "expand" : "keep"
      assert.strictEqual(site.decision, expected, site.id)
      assert.strictEqual(
        site.addedSeats,
        of("expand").reduce((a, e) => a + (e.seats ?? 0), 0),
        site.id
      )
    }
    // within reach is measured at the boarding radius for a p-median too, not "every pupil"
    assert.approximately(report.reach.within + report.reach.beyond, report.pupils, 1, "whole pupils, rounded apart")
    assert.isAbove(report.reach.maxTripKm, 0)
    assert.match(report.model, /no boarding/)
    const v = await seatplan(["validate", out])
    assert.strictEqual(v.status, 0, v.stderr)
    assert.match(v.stdout, /optimized-p-median-primary-2030/)
    // the run figures printed beside the optimiser's are the run of the written plan: `seatplan run` on the
    // file gives the same pupils per school and the same county trips, boarders and beds for the level and
    // year, as its CSV prints them
    const runDir = temp("seatplan-optimize-run-")
    const run = await seatplan(["run", out, "--variant", "optimized-p-median-primary-2030", "--files", "csv", "--out", runDir, "--quiet"])
    assert.strictEqual(run.status, 0, run.stderr)
    const of = (file: string) =>
      csvRecords(path.join(runDir, file)).filter(
        (row) => row.variant === "optimized-p-median-primary-2030" && row.year === "2030" && row.level === "primary"
      )
    const [county] = of("county.csv")
    assert.strictEqual(report.run.year, 2030)
    assert.strictEqual(report.run.pupils, Number(county.pupils))
    assert.strictEqual(report.run.meanTripKm, Number(Number(county.mean_distance_km).toFixed(2)))
    assert.strictEqual(report.run.maxTripKm, Number(Number(county.max_distance_km).toFixed(2)))
    assert.strictEqual(report.run.boarders, Number(county.boarders))
    assert.strictEqual(report.run.bedGap, Number(county.boarding_bed_gap))
    assert.strictEqual(report.run.overSeats, Number(county.pupils_over_seats))
    const schools = new Map(of("schools.csv").map((row) => [row.school_id, Number(row.pupils)]))
    // each school's pupils as schools.csv prints them, and the optimiser's loads add up to its pupils
    const listed = report.sites as Array<{ id: string; decision: string; runPupils: number; pupils: number }>
    for (const site of listed) assert.strictEqual(site.runPupils, schools.get(site.id) ?? 0, site.id)
    assert.strictEqual(
      listed.reduce((n, x) => n + x.pupils, 0),
      report.pupils
    )
    const table = await seatplan(tinyP3(path.join(runDir, "t.yaml")))
    assert.strictEqual(table.status, 0, table.stderr)
    assert.match(table.stdout, /the run of the written plan in 2030: [\d,]+ primary pupils, mean trip [\d.]+ km/)
    assert.include(table.stdout, "pupils (run 2030)")
    const c = await seatplan(["compare", out, "--year", "2031", "--format", "json"])
    assert.strictEqual(c.status, 0, c.stderr)
    assert.include(c.stdout, "optimized-p-median-primary-2030", "compare evaluates the plan beside the others")
  })

  it("heuristic fixed charge over a peak of years", { timeout: 300_000 }, async () => {
    const out = path.join(temp("seatplan-optimize-"), "tiny.yaml")
    const r = await seatplan([
      "optimize",
      "scenarios/tiny/scenario.yaml",
      "--year",
      "2028..2032",
      "--problem",
      "fixed-charge",
      "--capacitated",
      "--upkeep",
      "5000000",
      "--heuristic",
      "--out",
      out,
      "--format",
      "json"
    ])
    assert.strictEqual(r.status, 0, r.stderr)
    const report = JSON.parse(r.stdout)
    assert.strictEqual(report.method, "heuristic")
    assert.isAtLeast(report.objective, report.bound - 1e-6)
    const b = report.breakdown
    assert.approximately(report.objective, b.fixedCost + b.expandCost + b.distanceCost, 1e-3)
    assert.match(r.stderr, /optimized-fixed-charge-primary-2028-2032/)
  })

  it("takes candidate sites from a GeoJSON file and builds the chosen one before moving pupils to it", { timeout: 300_000 }, async () => {
    const dir = temp("seatplan-optimize-")
    const sites = path.join(dir, "sites.geojson")
    fs.writeFileSync(
      sites,
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          { type: "Feature", geometry: { type: "Point", coordinates: [113.35, 34.1] }, properties: { id: "SITE-WEST", seats: 900 } }
        ]
      })
    )
    const out = path.join(dir, "tiny.yaml")
    const r = await seatplan([
      "optimize",
      "scenarios/tiny/scenario.yaml",
      "--year",
      "2030",
      "--p",
      "7",
      "--no-closures",
      "--sites",
      sites,
      "--out",
      out,
      "--format",
      "json"
    ])
    assert.strictEqual(r.status, 0, r.stderr)
    const report = JSON.parse(r.stdout)
    assert.deepStrictEqual(
      report.sites.filter((s: { decision: string }) => s.decision === "build").map((s: { id: string }) => s.id),
      ["SITE-WEST"]
    )
    const variant = parse(fs.readFileSync(out, "utf8")).variants.at(-1)
    const open = variant.events.find((e: { type: string }) => e.type === "open")
    assert.strictEqual(open.school.id, "SITE-WEST")
    assert.strictEqual(open.school.seats, 900)
    assert.isTrue(
      variant.events.some(
        (e: { type: string; school: string; year: number }) => e.type === "catchment" && e.school === "SITE-WEST" && e.year > open.year
      )
    )
  })

  it("takes candidate sites from the scenario (candidateSites, for the levels they name), and checks them on load", {
    timeout: 300_000
  }, async () => {
    const dir = temp("seatplan-optimize-")
    const tiny = fs.readFileSync(path.join(root, "scenarios/tiny/scenario.yaml"), "utf8")
    const scenario = path.join(dir, "sites.yaml")
    fs.writeFileSync(
      scenario,
      tiny.replace(
        "horizon: 15",
        "horizon: 15\ncandidateSites:\n  - { id: SITE-WEST, lon: 113.35, lat: 34.1, seats: 900, levels: [primary] }\n  - { id: SITE-JUNIOR, settlement: LS-SEAT, levels: [junior] }"
      )
    )
    const out = path.join(dir, "out.yaml")
    const r = await seatplan(["optimize", scenario, "--year", "2030", "--p", "7", "--no-closures", "--out", out, "--format", "json"])
    assert.strictEqual(r.status, 0, r.stderr)
    const report = JSON.parse(r.stdout) as { sites: ReadonlyArray<{ id: string; decision: string }> }
    assert.deepStrictEqual(
      report.sites.filter((s) => s.decision === "build").map((s) => s.id),
      ["SITE-WEST"]
    )
    assert.isFalse(
      report.sites.some((s) => s.id === "SITE-JUNIOR"),
      "a junior-only site is no candidate for primary"
    )
    fs.writeFileSync(
      path.join(dir, "bad.yaml"),
      tiny.replace("horizon: 15", "horizon: 15\ncandidateSites:\n  - { id: SEAT-PRI-1, settlement: NOWHERE }")
    )
    const bad = await seatplan(["validate", path.join(dir, "bad.yaml")])
    assert.strictEqual(bad.status, 1)
    assert.match(bad.stderr, /candidateSites\[0\]\.id: expected an id no school has, found "SEAT-PRI-1"/)
    assert.match(bad.stderr, /candidateSites\[0\]\.settlement: expected a settlement of the scenario, found "NOWHERE"/)
  })

  it("says by how much capacities fall short, exits 3 (infeasible), no stack trace", { timeout: 300_000 }, async () => {
    const r = await seatplan([
      "optimize",
      "scenarios/tiny/scenario.yaml",
      "--year",
      "2030",
      "--problem",
      "capacitated-p-median",
      "--p",
      "1",
      "--keep",
      "XI-NINE"
    ])
    assert.strictEqual(r.status, 3, r.stderr)
    assert.match(
      r.stderr,
      /scenarios\/tiny\/scenario\.yaml: infeasible: capacities are below demand: [\d,]+ pupils but at most [\d,]+ seats .*: [\d,]+ seats short/
    )
    assert.notMatch(r.stderr, /\n\s+at /)
    // p below the schools kept open is refused before the distances are measured, in the same words
    const few = await seatplan(["optimize", "scenarios/tiny/scenario.yaml", "--year", "2030", "--p", "1", "--no-closures"])
    assert.strictEqual(few.status, 3, few.stderr)
    assert.match(few.stderr, /scenarios\/tiny\/scenario\.yaml: infeasible: p = 1 but \d+ sites must stay open: p is \d+ too small/)
  })

  it("prints pupils beyond reach as whole pupils, on the screen and in the written plan's description", { timeout: 300_000 }, async () => {
    const out = path.join(temp("seatplan-optimize-"), "tiny.yaml")
    const r = await seatplan(tinyP3(out, "--problem", "mclp", "--radius", "2"))
    assert.strictEqual(r.status, 0, r.stderr)
    // the projection's pupils are fractional; a count of children is printed whole (the JSON keeps the exact value)
    assert.match(r.stdout, /^objective [\d,]+ pupils beyond reach, bound [\d,]+, gap /m)
    const written = parse(fs.readFileSync(out, "utf8"))
    const variant = written.variants.find((v: { name: string }) => v.name === "optimized-mclp-primary-2030")
    assert.match(variant.description, /objective [\d,]+ pupils beyond reach, gap /)
  })

  it("asks for p, and refuses years outside the horizon", { timeout: 300_000 }, async () => {
    const noP = await seatplan(["optimize", "scenarios/tiny/scenario.yaml", "--year", "2030", "--problem", "mclp"])
    assert.strictEqual(noP.status, 1)
    assert.match(noP.stderr, /--problem mclp needs --p/)
    const late = await seatplan(["optimize", "scenarios/tiny/scenario.yaml", "--year", "2090", "--p", "2"])
    assert.strictEqual(late.status, 1)
    assert.match(late.stderr, /--year: expected years after the base year 2024 up to 2039/)
  })

  it("expands a school only for what it receives or its own load: none for a crowded school no closure sends pupils to", {
    timeout: 300_000
  }, async () => {
    const dir = temp()
    const r = await seatplan(tinyP3(path.join(dir, "x.yaml"), "--format", "json"))
    assert.strictEqual(r.status, 0, r.stderr)
    const report = JSON.parse(r.stdout) as {
      sites: ReadonlyArray<{ id: string; decision: string; addedSeats: number; pupils: number; seats: number }>
      reach: { expansionSeats: number; newSchoolSeats: number }
    }
    // SEAT-PRI-1 is over its seats in the model (1,817 pupils sent, 2,660 seats; 2,953 pupils there now) and
    // receives no closed school's pupils: it was expanded by the 293 seats of its overload, rounded to 315
    const seat = report.sites.find((x) => x.id === "SEAT-PRI-1")
    assert.strictEqual(seat?.decision, "keep")
    assert.strictEqual(
      report.reach.expansionSeats,
      report.sites.reduce((n, x) => n + x.addedSeats, 0)
    )
  })

  it("refuses what it cannot weigh or write before solving: a cost past its range, a name no variant can have, sites not on the globe or named twice", {
    timeout: 300_000
  }, async () => {
    const dir = temp()
    const tiny = ["optimize", "scenarios/tiny/scenario.yaml", "--year", "2030", "--out", path.join(dir, "x.yaml")]
    const huge = await seatplan([...tiny, "--problem", "fixed-charge", "--km-cost", "1e308"])
    assert.strictEqual(huge.status, 2)
    assert.include(huge.stderr, "--km-cost: expected 0 to 1,000,000 yuan a pupil-km")
    const unnamed = await seatplan([...tiny, "--p", "3", "--name", ""])
    assert.strictEqual(unnamed.status, 2)
    assert.include(unnamed.stderr, "--name: expected a variant name")
    const point = (id: string, coordinates: ReadonlyArray<unknown>) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates },
      properties: { id }
    })
    for (const [features, says] of [
      [[point("S1", ["a", 34.2])], 'features[0].geometry.coordinates[0]: expected a longitude from -180 to 180, found "a"'],
      [[point("S1", [113.6, 134])], "features[0].geometry.coordinates[1]: expected a latitude from -90 to 90, found 134"],
      [[point("S1", [113.6, 34.2]), point("S1", [113.7, 34.3])], 'features[1].properties.id: expected an id no other site has, found "S1"']
    ] as const) {
      const file = path.join(dir, "sites.geojson")
      fs.writeFileSync(file, JSON.stringify({ type: "FeatureCollection", features }))
      const r = await seatplan([...tiny, "--p", "8", "--no-closures", "--sites", file])
      assert.strictEqual(r.status, 1, r.stderr)
      assert.include(r.stderr, says)
      assert.notInclude(r.stderr, "a bug")
    }
    assert.isFalse(fs.existsSync(path.join(dir, "x.yaml")))
  })
})
