import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { ScenarioLoader } from "../src/index.js"

const tinyFile = path.join(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml")
const tiny = fs.readFileSync(tinyFile, "utf8")

const problems = (text: string, file = "s.yaml") => {
  const result = ScenarioLoader.fromText(text, file, () => undefined)
  assert.isTrue(Either.isLeft(result), "expected problems")
  return Either.isLeft(result) ? result.left : undefined!
}

describe("scenario loading", () => {
  it("the bundled example is valid and yields the same baseline as its event log", () => {
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(tiny, tinyFile))
    assert.strictEqual(loaded.streams.baseline.length, 288)
    assert.deepStrictEqual(loaded.streams.variants.map((v) => [v.name, v.events.length]), [["township", 8]])
  })

  it("malformed YAML names the line and column", () => {
    const error = problems("name: x\nbaseYear: [2024\n")
    assert.strictEqual(error.problems[0].line, 3)
    assert.include(error.message, "s.yaml:3:1: not valid YAML")
  })

  it("a wrong type names the file, line, column, field path, what was expected and what was found", () => {
    const error = problems(tiny.replace("horizon: 15", "horizon: fifteen"))
    assert.strictEqual(error.problems.length, 1)
    const [p] = error.problems
    assert.deepStrictEqual([p.path, p.line], ["horizon", 8])
    assert.include(error.message, "s.yaml:8:10: horizon: Expected number, actual \"fifteen\"")
  })

  it("an unknown school in a plan step points at the step's field", () => {
    const error = problems(tiny.replace("into: DONG-PRI", "into: DONG-PRX"))
    assert.strictEqual(error.problems[0].path, "variants[0].events[1].into")
    assert.include(error.problems[0].message, "school DONG-PRX does not exist in 2026")
    assert.isDefined(error.problems[0].line)
  })

  it("a rule violation (先建后撤) is an error before any simulation", () => {
    const text = tiny.replace(
      "        school: ZHANG-TP\n        into: DONG-PRI",
      "        school: SEAT-PRI-1\n        into: DONG-PRI"
    )
    const error = problems(text)
    assert.isTrue(error.problems.some((p) => p.path === "variants[0].events[1].into" && p.message.includes("先建后撤")))
  })

  it("duplicate ids, unknown settlements, dates outside the horizon and unknown parents of variants: all reported at once", () => {
    const text = tiny
      .replace("  - id: LS-XI\n", "  - id: LS-DONG\n")
      .replace("year: 2027\n        school:\n", "year: 2045\n        school:\n")
      .replace("  - name: township\n", "  - name: township\n    extends: status-quo\n")
    const error = problems(text)
    const paths = error.problems.map((p) => p.path)
    assert.include(paths, "settlements[2].id")
    assert.isTrue(paths.some((p) => /^variants\[0\]\.events\[\d+\]\.year$/.test(p)), paths.join(" "))
    assert.include(paths, "variants[0].extends")
    assert.isAtLeast(error.problems.length, 3)
  })

  it("a missing file is a clear error", () => {
    const error = Either.getLeft(ScenarioLoader.fromText("", "x.yaml"))
    assert.isTrue(error._tag === "Some")
  })
})

describe("settlements from GeoJSON and population by tier", () => {
  const geojson = JSON.stringify({
    type: "FeatureCollection",
    features: [
      { type: "Feature", geometry: { type: "Point", coordinates: [113.5, 34.2] }, properties: { id: "SEAT", name: "Seat", tier: "county-seat" } },
      {
        type: "Feature",
        geometry: { type: "Polygon", coordinates: [[[113.6, 34.3], [113.62, 34.3], [113.62, 34.32], [113.6, 34.32], [113.6, 34.3]]] },
        properties: { id: "V1", name: "Village", tier: "village", parent: "SEAT" }
      }
    ]
  })
  const scenario = [
    "name: geo test (synthetic)",
    "baseYear: 2024",
    "settlementsFile: places.geojson",
    "populationByTier:",
    "  - { tier: village, children: 190, profile: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1] }",
    "population:",
    "  - { settlement: SEAT, byAge: [50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50] }",
    "schools:",
    "  - { id: PRI, name: Primary, type: primary, settlement: SEAT, classrooms: 12, seats: 540 }",
    "catchments:",
    "  primary: { SEAT: PRI, V1: PRI }"
  ].join("\n")

  it("reads settlements (points, and polygon centroids) from a GeoJSON file beside the scenario", () => {
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(scenario, "s.yaml", (f) => (f === "places.geojson" ? geojson : undefined)))
    const v1 = loaded.scenario.settlements.find((s) => s.id === "V1")!
    assert.approximately(v1.lon, 113.61, 1e-9)
    assert.approximately(v1.lat, 34.31, 1e-9)
    const villages = loaded.scenario.population.find((p) => p.settlement === "V1")!
    assert.deepStrictEqual(villages.byAge, new Array(19).fill(10))
    assert.strictEqual(loaded.scenario.population.length, 2)
  })

  it("a missing file and a feature without an id are problems naming the file and the feature", () => {
    const missing = problems(scenario.replace("", ""), "s.yaml")
    assert.include(missing.message, "cannot read places.geojson")
    const bad = geojson.replace("\"id\":\"V1\",", "")
    const error = Either.getLeft(ScenarioLoader.fromText(scenario, "s.yaml", () => bad))
    assert.isTrue(error._tag === "Some")
    if (error._tag === "Some") assert.include(error.value.message, "places.geojson: features[1].properties.id")
  })
})

describe("scenario standards", () => {
  it("a province's own standards are in force from the start; an unknown key names the field", () => {
    const text = tiny.replace("allocation: catchment-then-nearest", "standards:\n  classCap.primary: 40\nallocation: catchment-then-nearest")
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(text, "s.yaml"))
    const change = loaded.streams.baseline.find((e) => e.event._tag === "StandardChanged")
    assert.deepStrictEqual(change?.event._tag === "StandardChanged" && [change.event.key, change.event.value, change.event.year], ["classCap.primary", 40, 2015])
    const error = problems(text.replace("classCap.primary: 40", "classCap.primry: 40"))
    assert.include(error.problems[0].path, "standards")
  })
})
