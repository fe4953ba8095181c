import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { ScenarioLoader } from "../src/index.js"
import * as Scenario from "../src/Scenario.js"

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
    assert.deepStrictEqual(
      loaded.streams.variants.map((v) => [v.name, v.events.length]),
      [["township", 8]]
    )
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
    assert.include(error.message, 's.yaml:8:10: horizon: Expected number, actual "fifteen"')
  })

  it("an unknown school in a plan step points at the step's field", () => {
    const error = problems(tiny.replace("into: DONG-PRI", "into: DONG-PRX"))
    assert.strictEqual(error.problems[0].path, "variants[0].events[1].into")
    assert.include(error.problems[0].message, "school DONG-PRX does not exist in 2026")
    assert.isDefined(error.problems[0].line)
  })

  it("a rule violation (先建后撤) is an error before any simulation", () => {
    const text = tiny.replace("        school: ZHANG-TP\n        into: DONG-PRI", "        school: SEAT-PRI-1\n        into: DONG-PRI")
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
    assert.isTrue(
      paths.some((p) => /^variants\[0\]\.events\[\d+\]\.year$/.test(p)),
      paths.join(" ")
    )
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
      {
        type: "Feature",
        geometry: { type: "Point", coordinates: [113.5, 34.2] },
        properties: { id: "SEAT", name: "Seat", tier: "county-seat" }
      },
      {
        type: "Feature",
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [113.6, 34.3],
              [113.62, 34.3],
              [113.62, 34.32],
              [113.6, 34.32],
              [113.6, 34.3]
            ]
          ]
        },
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
    const bad = geojson.replace('"id":"V1",', "")
    const error = Either.getLeft(ScenarioLoader.fromText(scenario, "s.yaml", () => bad))
    assert.isTrue(error._tag === "Some")
    if (error._tag === "Some") assert.include(error.value.message, "places.geojson: features[1].properties.id")
  })
})

describe("scenario standards", () => {
  it("a province's own standards are in force from the start; an unknown key names the field", () => {
    const text = tiny.replace(
      "allocation: catchment-then-nearest",
      "standards:\n  classCap.primary: 40\nallocation: catchment-then-nearest"
    )
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(text, "s.yaml"))
    const change = loaded.streams.baseline.find((e) => e.event._tag === "StandardChanged")
    assert.deepStrictEqual(change?.event._tag === "StandardChanged" && [change.event.key, change.event.value, change.event.year], [
      "classCap.primary",
      40,
      2015
    ])
    const error = problems(text.replace("classCap.primary: 40", "classCap.primry: 40"))
    assert.include(error.problems[0].path, "standards")
  })
})

// == hostile input (issue 11): every problem located, one short line each, in bounded time and memory

const countyFile = path.join(import.meta.dirname, "../../../scenarios/county/scenario.yaml")
const county = fs.readFileSync(countyFile, "utf8")

/** Every problem has a line and column, and every line of the message is short. */
const located = (error: ScenarioLoader.ScenarioError) => {
  for (const p of error.problems) {
    assert.isDefined(p.line, `${p.path}: ${p.message}`)
    assert.isDefined(p.column, `${p.path}: ${p.message}`)
    assert.notInclude(p.message, "internal error")
  }
  for (const line of error.message.split("\n")) assert.isAtMost(line.length, 500, line.slice(0, 200))
  return error
}

describe("hostile scenarios: YAML the parser cannot take", () => {
  it("an unresolved alias is located at the alias", () => {
    const error = located(problems(tiny.replace("horizon: 15", "horizon: *fifteen")))
    assert.deepStrictEqual([error.problems[0].line, error.problems[0].column], [8, 10])
    assert.include(error.problems[0].message, "*fifteen")
  })

  it("an alias bomb is refused at the alias that expands too far", () => {
    const bomb = [
      "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${new Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`
      )
    ].join("\n")
    const start = performance.now()
    const error = located(problems(bomb))
    assert.isBelow(performance.now() - start, 2000)
    assert.include(error.problems[0].message, "alias")
  })

  it("a `[` left open before a long list is refused at the bracket, not a parser stack overflow; flow lists that close are kept", () => {
    // a fuzzed county scenario (`settlement: [` with 17,000 lines after it) overflowed the YAML parser's stack
    const births = Array.from({ length: 20_000 }, (_, i) => `    - settlement: S${i}\n      year: 2015\n      births: 3`).join("\n")
    const text = `name: open\nhistory:\n  births:\n    - settlement: [\n      year: 2015\n      births: 285\n${births}\n`
    const error = located(problems(text))
    assert.deepStrictEqual([error.problems[0].line, error.problems[0].column], [4, 19])
    assert.match(error.problems[0].message, /^not valid YAML: this "\[" is not closed before line 7: close it with "\]"/)
    assert.notInclude(error.problems[0].message, "internal error")
    // what YAML allows stays allowed: closing at the key's indentation, a list on its own line continued
    // less deep, a flow map, a top-level flow list
    for (const ok of [
      "key: [\n  a,\n  b\n]\nother: 1\n",
      "key:\n  [ a,\n b ]\n",
      "top:\n  key: {\n    a: 1,\n    b: 2\n  }\n",
      "[ a,\nb ]\n"
    ]) {
      // (not scenarios: refused for their fields, never as YAML)
      for (const p of problems(ok).problems) assert.notMatch(p.message, /^not valid YAML/, ok)
    }
  })

  it("an alias inside its own anchor (a cycle) is refused, not decoded forever", () => {
    const error = located(problems(tiny.replace("horizon: 15", "horizon: &h [*h]")))
    assert.strictEqual(error.problems[0].line, 8)
  })

  it("nesting deeper than the limit is refused before parsing, at the bracket that crosses it", () => {
    for (const depth of [3_000, 1_000_000]) {
      const start = performance.now()
      const error = located(problems(`name: ${"[".repeat(depth)}${"]".repeat(depth)}\n`))
      assert.isBelow(performance.now() - start, 3000)
      assert.lengthOf(error.problems, 1)
      assert.deepStrictEqual([error.problems[0].line, error.problems[0].column], [1, 6 + ScenarioLoader.maxNesting])
      assert.include(error.problems[0].message, `${ScenarioLoader.maxNesting} levels`)
    }
    const indented = Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n")
    const error = located(problems(indented))
    assert.strictEqual(error.problems[0].line, ScenarioLoader.maxNesting + 1)
    const dashes = located(problems(`${"- ".repeat(5000)}x\n`))
    assert.strictEqual(dashes.problems[0].line, 1)
  })

  it("brackets inside strings, comments and block scalars do not count as nesting", () => {
    const deep = "[".repeat(200)
    const text = tiny
      .replace(
        "horizon: 15",
        `horizon: 15 # ${deep}\nmethod: "cohort-component"\n# ${deep}\n` +
          `description: |\n  ${deep}\n${Array.from({ length: 100 }, (_, i) => `  ${" ".repeat(i)}x`).join("\n")}`
      )
      .replace(/^description: "SYNTHETIC.*\n/m, "")
    Either.getOrThrow(ScenarioLoader.fromText(text, "s.yaml"))
  })

  it("a tab-indented line in the county example is one located problem", () => {
    const lines = county.split("\n")
    for (const i of [9, 10_764]) {
      const copy = lines.slice()
      copy[i] = copy[i].replace(/^ {2}/, "\t")
      const error = located(problems(copy.join("\n")))
      assert.lengthOf(error.problems, 1)
      assert.deepStrictEqual([error.problems[0].line, error.problems[0].column], [i + 1, 1])
      assert.include(error.problems[0].message, "tab")
    }
  })
})

describe("hostile scenarios: one short line per problem", () => {
  it("a bad birth count in the county example is one short message, not the whole history", () => {
    const error = located(problems(county.replace("births: 285", "births: -5")))
    assert.lengthOf(error.problems, 1)
    assert.deepStrictEqual(
      [error.problems[0].path, error.problems[0].line],
      ["history.births[0].births", county.split("\n").findIndex((l) => l.includes("births: 285")) + 1]
    )
    assert.isBelow(error.message.length, 400)
  })

  it("a wrong field inside a plan step names that field only", () => {
    const error = located(problems(tiny.replace("into: DONG-PRI", "into: 5")))
    assert.deepStrictEqual(
      error.problems.map((p) => p.path),
      ["variants[0].events[1].into"]
    )
  })

  it("a plan step that is not a mapping is one message naming the step types, not every alternative's type", () => {
    const error = located(
      problems(tiny.replace(/ {6}- type: close\n {8}year: 2026\n {8}school: ZHANG-TP\n {8}into: DONG-PRI\n/, "      - 5\n"))
    )
    assert.lengthOf(error.problems, 1)
    assert.strictEqual(error.problems[0].path, "variants[0].events[1]")
    assert.match(error.problems[0].message, /^Expected a mapping with type: open \| expand \| merge \| close .*, actual 5$/)
  })

  it("a huge value found is shown as a short excerpt", () => {
    const error = located(problems(tiny.replace("horizon: 15", `horizon: [${new Array(20_000).fill("1234567").join(", ")}]`)))
    assert.lengthOf(error.problems, 1)
    assert.include(error.problems[0].message, "…")
    assert.isBelow(error.problems[0].message.length, 300)
  })

  it("empty, null, scalar and list documents say what a scenario is", () => {
    for (const [text, found] of [
      ["", "an empty document"],
      ["~\n", "null"],
      ["hello\n", '"hello"'],
      ["- 1\n- 2\n", "a list"],
      ["42", "42"]
    ]) {
      const error = located(problems(text))
      assert.lengthOf(error.problems, 1)
      assert.strictEqual(error.problems[0].line, 1)
      assert.match(error.problems[0].message, /^expected a scenario: a mapping with name, baseYear, schools and catchments/)
      assert.include(error.problems[0].message, `found ${found}`)
      assert.notInclude(error.message, "Encoded side")
    }
  })
})

describe("hostile scenarios: bytes and references", () => {
  it("invalid UTF-8 is a located error; a UTF-8 byte-order mark is accepted", () => {
    const bytes = Buffer.from(tiny.replace("horizon: 15", "horizon: 15\nmethod: cohort-component"), "utf8")
    const at = bytes.indexOf("cohort-component")
    const bad = Buffer.concat([bytes.subarray(0, at + 3), Buffer.from([0xff, 0xfe]), bytes.subarray(at + 3)])
    const result = ScenarioLoader.fromBytes(bad, "s.yaml", () => undefined)
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      const error = located(result.left)
      assert.deepStrictEqual([error.problems[0].line, error.problems[0].column], [9, 12])
      assert.include(error.problems[0].message, "UTF-8")
    }
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(tiny, "utf8")])
    Either.getOrThrow(ScenarioLoader.fromBytes(bom, tinyFile))
    Either.getOrThrow(ScenarioLoader.fromText(`\uFEFF${tiny}`, tinyFile))
  })

  it("a settlement parent that does not exist, and parents in a circle, name settlements[i].parent and the line", () => {
    const unknown = located(problems(tiny.replace("parent: LS-DONG\n", "parent: LS-NOWHERE\n")))
    assert.deepStrictEqual(
      unknown.problems.map((p) => [p.path, p.line]),
      [["settlements[3].parent", 30]]
    )
    assert.include(unknown.problems[0].message, "LS-NOWHERE")
    const circle = located(problems(tiny.replace("    lat: 34.26\n", "    lat: 34.26\n    parent: LS-DONG-LIU\n")))
    assert.isTrue(
      circle.problems.some((p) => p.path === "settlements[1].parent" && p.message.includes("circle")),
      circle.message
    )
  })
})

describe("province-sized histories", () => {
  // through toStreams directly: the yaml library needs about 90 s to parse 300,000 records on this machine
  it("a history of 300,000 birth records turns into streams (no argument spreads over the records)", () => {
    const base = Either.getOrThrow(ScenarioLoader.fromText(tiny, tinyFile)).scenario
    const births = Array.from({ length: 300_000 }, (_, i) => ({ settlement: "LS-SEAT", year: 2000 + (i % 24), births: i % 500 }))
    const streams = Either.getOrThrow(Scenario.toStreams({ ...base, history: { ...base.history, births } }))
    assert.isAtLeast(streams.baseline.length, 300_000)
    assert.strictEqual(streams.baseline.find((e) => e.event._tag === "SchoolOpened")?.event.year, 2000)
  }, 120_000)
})

describe("hostile fixture files (test/fixtures/hostile)", () => {
  const dir = path.join(import.meta.dirname, "fixtures/hostile")
  const expected: ReadonlyArray<readonly [string, number, number, string]> = [
    ["deep-nesting.yaml", 2, 70, "nested deeper than 64 levels"],
    ["alias-bomb.yaml", 6, 45, "aliases expand to more than"],
    ["unresolved-alias.yaml", 2, 7, "unresolved alias *nowhere"],
    ["bad-utf8.yaml", 1, 46, "not valid UTF-8"],
    ["list.yaml", 2, 1, "expected a scenario: a mapping with name, baseYear, schools and catchments"],
    ["tab-indent.yaml", 6, 1, "a tab in the indentation"]
  ]
  for (const [name, line, column, message] of expected) {
    it.effect(`${name}: one located problem`, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(ScenarioLoader.load(path.join(dir, name)))
        located(error)
        assert.lengthOf(error.problems, 1, error.message)
        assert.deepStrictEqual([error.problems[0].line, error.problems[0].column], [line, column], error.message)
        assert.include(error.problems[0].message, message)
      })
    )
  }
})

describe("loading only some variants", () => {
  const county = path.join(import.meta.dirname, "../../../scenarios/county/scenario.yaml")
  it.effect(
    "expands only the variants asked for and their ancestors, each exactly as a full load does; the scenario still lists all",
    () =>
      Effect.gen(function* () {
        const all = yield* ScenarioLoader.load(county)
        const some = yield* ScenarioLoader.load(county, { variants: ["comply", "status-quo"] })
        // comply extends layout; the file's order is kept
        assert.deepStrictEqual(
          some.streams.variants.map((v) => v.name),
          ["status-quo", "layout", "comply"]
        )
        assert.deepStrictEqual(
          some.scenario.variants.map((v) => v.name),
          all.scenario.variants.map((v) => v.name)
        )
        for (const v of some.streams.variants) {
          const full = all.streams.variants.find((x) => x.name === v.name)!
          assert.deepStrictEqual(v.steps, full.steps, v.name)
          assert.deepStrictEqual(
            v.events.map((e) => e.event),
            full.events.map((e) => e.event),
            v.name
          )
        }
        assert.deepStrictEqual(some.streams.baseline, all.streams.baseline)
      }),
    120_000
  )
})
