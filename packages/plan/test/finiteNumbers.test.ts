/**
 * Issue 11 item 5: non-finite and absurd numbers in a scenario (`.nan`, `.inf`, 1e308) are refused where
 * they are written, with the file, line:col, field path and what was found, instead of reaching the
 * event store (which would write null) or the accounts (which would sum to Infinity).
 */
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { ScenarioLoader } from "../src/index.js"

const tinyFile = path.join(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml")
const tiny = fs.readFileSync(tinyFile, "utf8")

const problems = (text: string) => {
  const result = ScenarioLoader.fromText(text, "s.yaml", () => undefined)
  assert.isTrue(Either.isLeft(result), "expected problems")
  return Either.isLeft(result) ? result.left : undefined!
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length

describe("non-finite numbers in a scenario", () => {
  for (const [value, found] of [
    [".nan", "NaN"],
    [".inf", "Infinity"],
    ["-.inf", "-Infinity"],
    ["1e308", "1e+308"]
  ] as const) {
    it(`${value} in an expansion's floor area is one located problem naming the field and ${found}`, () => {
      const text = tiny.replace("        floorArea: 1600\n", `        floorArea: ${value}\n`)
      const error = problems(text)
      assert.lengthOf(error.problems, 1)
      const [p] = error.problems
      assert.deepStrictEqual([p.path, p.line], ["variants[0].events[0].floorArea", lineOf(text, `floorArea: ${value}`)])
      assert.include(
        error.message,
        `s.yaml:${p.line}:20: variants[0].events[0].floorArea: expected a finite number from -1e10 to 1e10 (a change in m²), found ${found}`
      )
    })
  }

  it(".nan in an expansion's seats and 1e308 in its cost are refused: a cost cannot make the accounts Infinity", () => {
    const text = tiny.replace("        seats: 270\n", "        seats: .nan\n").replace("cost: 15390000", "cost: 1e308")
    const error = problems(text)
    assert.deepStrictEqual(
      error.problems.map((p) => p.path),
      ["variants[0].events[0].seats", "variants[0].events[0].cost"]
    )
    assert.include(
      error.message,
      "variants[0].events[0].seats: expected a finite whole number from -1e9 to 1e9 (a change of a count), found NaN"
    )
    assert.include(error.message, "variants[0].events[0].cost: expected a finite number from 0 to 1e13 (yuan), found 1e+308")
  })

  for (const [value, found] of [
    [".nan", "NaN"],
    [".inf", "Infinity"],
    ["1e308", "1e+308"]
  ] as const) {
    it(`${value} in the assumption womenChange is located at its field`, () => {
      const text = tiny.replace(
        "horizon: 15\n",
        `horizon: 15\nassumptions:\n  womenChange: { county-seat: 0.01, township: ${value}, village: -0.03 }\n`
      )
      const error = problems(text)
      assert.lengthOf(error.problems, 1)
      const [p] = error.problems
      assert.deepStrictEqual([p.path, p.line], ["assumptions.womenChange.township", 10])
      assert.include(error.message, `s.yaml:10:`)
      assert.include(p.message, `expected a finite number from -1 to 10 (a yearly rate of change), found ${found}`)
    })
  }

  it("a population of 1e308 per age, an infinite capital cost, a NaN mortality and a NaN longitude: each located", () => {
    const text = tiny
      .replace("horizon: 15\n", "horizon: 15\nassumptions:\n  capitalPerSeat: .inf\n  mortality: [0.005, .nan]\n")
      .replace("    byAge:\n      - 240\n", "    byAge:\n      - 1e308\n")
      .replace("    lon: 113.5\n", "    lon: .nan\n")
    const error = problems(text)
    assert.sameMembers(
      error.problems.map((p) => p.path),
      ["assumptions.mortality[1]", "assumptions.capitalPerSeat", "population[0].byAge[0]", "settlements[0].lon"]
    )
    assert.isTrue(error.problems.every((p) => p.line !== undefined))
    assert.include(error.message, "population[0].byAge[0]: expected a finite number from 0 to 1e9 (a number of people), found 1e+308")
    assert.include(error.message, "settlements[0].lon: expected a finite number from -180 to 180 (longitude), found NaN")
    assert.include(error.message, "assumptions.capitalPerSeat: expected a finite number from 0 to 1e13 (yuan), found Infinity")
    assert.include(error.message, "assumptions.mortality[1]: expected a finite number from 0 to 1 (a share), found NaN")
  })
})
