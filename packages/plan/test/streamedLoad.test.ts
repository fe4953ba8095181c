/**
 * A JSON scenario larger than `ScenarioLoader.streamAbove` is read by the streaming reader (issue 18: a
 * million settlements are longer than a string can be). Lowered to 0 here, the streamed load must give
 * the same scenario, streams and warnings as reading the text, and place problems at the same line,
 * column and field path; a large YAML file is refused with a message recommending JSON.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parse } from "yaml"
import { ScenarioLoader } from "../src/index.js"

const tinyFile = path.join(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml")
const tinyValue = parse(fs.readFileSync(tinyFile, "utf8")) as Record<string, unknown>
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-streamed-"))

const comparable = (loaded: ScenarioLoader.Loaded) => ({
  scenario: loaded.scenario,
  streams: loaded.streams,
  warnings: loaded.warnings,
  completeness: loaded.completeness
})

const both = (name: string, text: string) => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  const phases: Array<string> = []
  const progress = { start: (phase: string) => phases.push(phase), update: () => {} }
  const streamed = Effect.runSync(Effect.either(ScenarioLoader.load(file, { streamAbove: 0, progress })))
  const whole = Effect.runSync(Effect.either(ScenarioLoader.load(file)))
  return { streamed, whole, phases }
}

describe("a large JSON scenario is read in pieces, with the same result", () => {
  it("the same scenario, streams and warnings as reading the text; read and validate reported", () => {
    const { streamed, whole, phases } = both("tiny.yaml", `# SYNTHETIC\n${JSON.stringify(tinyValue, null, 1)}\n`)
    assert.deepStrictEqual(comparable(Either.getOrThrow(streamed)), comparable(Either.getOrThrow(whole)))
    assert.deepStrictEqual([...new Set(phases)], ["read", "validate"])
  })

  it("a schema problem, a decider's problem and a missing field are placed where reading the text places them", () => {
    const schools = tinyValue.schools as ReadonlyArray<Record<string, unknown>>
    const { name: _name, ...nameless } = tinyValue
    for (const value of [
      { ...tinyValue, horizon: "fifteen" },
      { ...tinyValue, schools: schools.map((s, i) => (i === 1 ? { ...s, id: schools[0].id } : s)) },
      nameless
    ]) {
      const { streamed, whole } = both("bad.json", JSON.stringify(value, null, 2))
      assert.isTrue(Either.isLeft(streamed) && Either.isLeft(whole))
      if (Either.isLeft(streamed) && Either.isLeft(whole)) assert.deepStrictEqual(streamed.left.problems, whole.left.problems)
    }
  })

  it("a syntax error names its line, column and field path", () => {
    const text = JSON.stringify(tinyValue, null, 1).replace('"horizon": 15', '"horizon": 15.')
    const { streamed } = both("syntax.json", text)
    assert.isTrue(Either.isLeft(streamed))
    if (Either.isLeft(streamed)) {
      const p = streamed.left.problems[0]
      assert.strictEqual(p.path, "horizon")
      assert.strictEqual(p.line, text.split("\n").findIndex((l) => l.includes('"horizon"')) + 1)
      assert.match(p.message, /not valid JSON: no digit after the decimal point/)
    }
  })

  it("a YAML scenario larger than the limit is refused, recommending JSON", () => {
    const file = path.join(dir, "large.yaml")
    fs.writeFileSync(file, `name: large\n# ${"x".repeat(ScenarioLoader.maxYamlBytes)}\n`)
    const result = Effect.runSync(Effect.either(ScenarioLoader.load(file)))
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) assert.match(result.left.message, /a YAML scenario of \d+ MB.*as JSON/)
  })

  it("a scenario needing more than memoryMargin × the heap allowed is refused before it is read, saying how much and what to do", () => {
    const size = fs.statSync(tinyFile).size
    const need = size * ScenarioLoader.memoryPerFileByte
    // just under the margin: refused, with the estimate, the heap and the remedies
    const refused = Effect.runSync(Effect.either(ScenarioLoader.load(tinyFile, { heapLimit: need / ScenarioLoader.memoryMargin - 1 })))
    assert.isTrue(Either.isLeft(refused))
    if (Either.isLeft(refused)) {
      const p = refused.left.problems[0]
      assert.strictEqual(p.line, 1)
      assert.match(
        p.message,
        /^a scenario of 1 MB needs about 0\.0 GB of heap to load and run \(about 13 × the file: 1,000,000 settlements/
      )
      assert.include(p.message, "NODE_OPTIONS=--max-old-space-size=1024; this machine has")
      assert.notInclude(p.message, "too little")
      assert.include(p.message, "split the region into smaller scenarios")
    }
    // a machine with less memory than the run would hold at its peak (about 18 × the file) is told so
    const small = Effect.runSync(
      Effect.either(ScenarioLoader.load(tinyFile, { heapLimit: need / ScenarioLoader.memoryMargin - 1, machineMemory: 17 * size }))
    )
    assert.isTrue(Either.isLeft(small))
    if (Either.isLeft(small)) assert.include(small.left.problems[0].message, "too little for it: on a machine with more")
    // at the margin and above it: loaded (the estimate is a measure, not a bound)
    assert.isTrue(
      Either.isRight(Effect.runSync(Effect.either(ScenarioLoader.load(tinyFile, { heapLimit: need / ScenarioLoader.memoryMargin }))))
    )
    // the default is this process's heap, which the examples are far below
    assert.isTrue(Either.isRight(Effect.runSync(Effect.either(ScenarioLoader.load(tinyFile)))))
  })
})
