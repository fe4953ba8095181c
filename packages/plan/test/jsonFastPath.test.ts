import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { parse } from "yaml"
import { ScenarioLoader } from "../src/index.js"

const tinyFile = path.join(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml")
const tinyValue = parse(fs.readFileSync(tinyFile, "utf8")) as Record<string, unknown>

const load = (text: string, file = "s.yaml") => ScenarioLoader.fromText(text, file, () => undefined)

/** A loaded scenario's result without the functions it carries (locate), for comparing two loads. */
const comparable = (loaded: ScenarioLoader.Loaded) => ({
  scenario: loaded.scenario,
  streams: loaded.streams,
  warnings: loaded.warnings,
  completeness: loaded.completeness
})

describe("a scenario in JSON is read with JSON.parse (issue 18: a province's file), with the YAML parser's results", () => {
  it("JSON text, with or without a YAML comment before it, loads as the same scenario as its YAML", () => {
    const fromYaml = Either.getOrThrow(load(fs.readFileSync(tinyFile, "utf8")))
    for (const text of [JSON.stringify(tinyValue), `# a comment\n# another\n${JSON.stringify(tinyValue, null, 1)}`]) {
      const fromJson = Either.getOrThrow(load(text))
      assert.deepStrictEqual(comparable(fromJson), comparable(fromYaml))
    }
  })

  it("a problem in JSON text is still placed at its line and column (the YAML document is parsed for it)", () => {
    const text = `# comment\n${JSON.stringify({ ...tinyValue, horizon: "fifteen" }, null, 1)}`
    const result = load(text)
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      const p = result.left.problems[0]
      assert.strictEqual(p.path, "horizon")
      const line = text.split("\n").findIndex((l) => l.includes('"horizon"')) + 1
      assert.strictEqual(p.line, line)
      assert.include(result.left.message, 'horizon: Expected number, actual "fifteen"')
    }
  })

  it("a key repeated in JSON is refused as YAML refuses it (JSON.parse would keep the last)", () => {
    const text = JSON.stringify(tinyValue).replace('"horizon":', '"horizon":15,"horizon":')
    const result = load(text)
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) assert.match(result.left.message, /unique/i)
  })

  it("a repeated key inside a nested object is refused too; the same key in two objects is not a repeat", () => {
    const nested = JSON.stringify(tinyValue).replace('"name":', '"name":"x","name":')
    assert.isTrue(Either.isLeft(load(nested)))
    assert.isTrue(Either.isRight(load(JSON.stringify(tinyValue))))
  })
})
