/**
 * Which files `seatplan run` writes is decided in one place (RunFiles.write): `--files` chooses the kinds,
 * and a kind a run is too large for (a province's report, workbook and maps) is skipped with its reason.
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore } from "@seatplan/core"
import { Project, ScenarioLoader } from "@seatplan/plan"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Files from "../src/RunFiles.js"
import { root, seatplan, temp } from "./seatplan.js"

describe("seatplan run --files: the one place deciding which files are written", () => {
  it("--files csv writes the CSV tables only; an unknown kind is refused with the kinds there are", async () => {
    const out = temp("seatplan-files-choice-")
    const r = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--files", "csv", "--out", out, "--quiet"])
    assert.strictEqual(r.status, 0, r.stderr)
    const names = fs.readdirSync(out)
    for (const f of ["schools.csv", "county.csv", "population.csv", "accounts.csv"]) assert.include(names, f)
    for (const f of ["schools.json", "compliance.json", "report.html", "seatplan.xlsx", "seatplan.gpkg"]) assert.notInclude(names, f)
    const bad = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--files", "csv,pdf", "--out", temp(), "--quiet"])
    assert.strictEqual(bad.status, 1)
    assert.include(bad.stderr, "--files: expected kinds from csv, json, report, workbook, maps")
  })

  it.effect("a run too large for the report, the workbook or the maps skips each with the reason, and writes the tables", () =>
    Effect.gen(function* () {
      const loaded = yield* ScenarioLoader.load(path.join(root, "scenarios/tiny/scenario.yaml"))
      yield* Project.store(loaded)
      const results = yield* Project.run(loaded, { variants: [] })
      const dir = temp("seatplan-files-limits-")
      let reported = false
      const { written, skipped } = yield* Files.write(
        Either.getOrThrow(Files.chosen(undefined)),
        {
          dir,
          loaded,
          results,
          bom: "",
          language: "en",
          report: () => Effect.sync(() => ((reported = true), { compared: undefined as never }))
        },
        { ...Files.limits, workbookRows: 10, mapFeatures: 10, reportPlaces: 10 }
      )
      assert.isFalse(reported, "the report step is not run")
      assert.strictEqual(skipped.length, 3)
      assert.match(skipped[0], /^report\.html: skipped, the run has \d+ settlements and schools \(more than 10\)/)
      assert.match(
        skipped[1],
        /^seatplan\.xlsx and the Parquet files: skipped, the run has [\d,]+ rows \(more than 10\); .*--files csv,json/
      )
      assert.match(skipped[2], /^the maps \(GeoJSON, GeoPackage\): skipped, .*--year/)
      assert.include(written, "population.csv/.json")
      const names = fs.readdirSync(dir)
      for (const f of ["report.html", "seatplan.xlsx", "seatplan.gpkg"]) assert.notInclude(names, f)
      // the population table, read from the run's cube as it is written, has every settlement × age × year
      const rows = fs.readFileSync(path.join(dir, "population.csv"), "utf8").trimEnd().split("\n").length - 1
      assert.strictEqual(
        rows,
        results.reduce((n, r) => n + r.population.length, 0)
      )
      assert.strictEqual(JSON.parse(fs.readFileSync(path.join(dir, "population.json"), "utf8")).length, rows)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("by default a table's JSON of more than the limit's figures is skipped with the reason; --files json writes it", () =>
    Effect.gen(function* () {
      const loaded = yield* ScenarioLoader.load(path.join(root, "scenarios/tiny/scenario.yaml"))
      yield* Project.store(loaded)
      const results = yield* Project.run(loaded, { variants: [] })
      const rows = results.reduce((n, r) => n + r.population.length, 0)
      const schools = results.reduce((n, r) => n + r.schools.length, 0)
      // a limit between the county's figures and the population's (5 columns a row)
      const limit = 5 * rows - 1
      const run = (jsonAnySize: boolean) =>
        Effect.gen(function* () {
          const dir = temp("seatplan-files-json-")
          const wrote = yield* Files.write(
            new Set<Files.Kind>(["csv", "json"]),
            { dir, loaded, results, bom: "", language: "en", jsonAnySize, report: () => Effect.die("no report") },
            { ...Files.limits, jsonFigures: limit }
          )
          return { ...wrote, dir, names: fs.readdirSync(dir) }
        })
      const byDefault = yield* run(false)
      assert.include(byDefault.written, "population.csv")
      assert.notInclude(byDefault.names, "population.json")
      assert.include(byDefault.names, "county.json")
      const population = byDefault.skipped.find((s) => s.startsWith("population.json"))
      assert.isDefined(population)
      assert.include(population, `the table has ${(5 * rows).toLocaleString("en")} figures (more than ${limit.toLocaleString("en")}`)
      assert.include(population, "population.csv has them in whole pupils, or --files csv,json writes it anyway")
      // each table is judged by its own figures: the schools' (58 columns a row) against the same limit
      assert.strictEqual(byDefault.names.includes("schools.json"), 58 * schools <= limit)
      const named = yield* run(true)
      assert.deepStrictEqual(named.skipped, [])
      assert.include(named.written, "population.csv/.json")
      assert.strictEqual(JSON.parse(fs.readFileSync(path.join(named.dir, "population.json"), "utf8")).length, rows)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )
})
