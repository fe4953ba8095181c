/**
 * A scenario may name an allocation rule module (`allocation: ./my-rule.mjs`, relative to the scenario):
 * `ScenarioLoader.load` imports it, checks it has the AllocationRule shape, and projecting the scenario
 * uses it; problems name the file, line and column of the `allocation` field.
 */
import { assert, describe, it } from "@effect/vitest"
import { Compile, Engine, Tables } from "@seatplan/sim"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { ScenarioLoader } from "../src/index.js"
import * as Scenario from "../src/Scenario.js"

const tiny = fs.readFileSync(path.join(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml"), "utf8")
/** The line of the example's `allocation:` key (problems about the rule are located there). */
const line = tiny.split("\n").findIndex((l) => l.startsWith("allocation:")) + 1
const fixtures = path.join(import.meta.dirname, "fixtures/rules")

/** The tiny scenario written to a fresh folder beside copies of the rule fixtures, naming `allocation`. */
const scenarioNaming = (allocation: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-rule-"))
  for (const f of fs.readdirSync(fixtures)) fs.copyFileSync(path.join(fixtures, f), path.join(dir, f))
  fs.mkdirSync(path.join(dir, "rules"))
  fs.copyFileSync(path.join(fixtures, "all-unplaced.mjs"), path.join(dir, "rules", "mine.mjs"))
  const file = path.join(dir, "sub", "scenario.yaml")
  fs.mkdirSync(path.dirname(file))
  fs.writeFileSync(file, tiny.replace("\nallocation: catchment-then-nearest", `\nallocation: ${allocation}`))
  return file
}

const failure = async (allocation: string) => {
  const file = scenarioNaming(allocation)
  const result = await Effect.runPromise(Effect.either(ScenarioLoader.load(file)))
  assert.isTrue(Either.isLeft(result), "expected a problem")
  return Either.isLeft(result) ? result.left : undefined!
}

describe("a scenario naming an allocation rule module", () => {
  it("loads the module relative to the scenario and projects with it", async () => {
    const loaded = await Effect.runPromise(ScenarioLoader.load(scenarioNaming("../rules/mine.mjs")))
    assert.strictEqual(loaded.rule?.name, "all-unplaced")
    const options = Scenario.compileOptions(loaded.scenario)
    assert.strictEqual(options.rule?.name, "all-unplaced")
    const m = Compile.compile(
      loaded.streams.baseline.map((e) => e.event),
      { ...options, horizon: 1 }
    )
    const cube = Engine.run(m)
    const [, next] = Tables.county(m, cube, "baseline").filter((r) => r.level === "primary")
    assert.isAbove(next.children, 0)
    assert.strictEqual(next.pupils, 0)
    assert.isAbove(next.unplaced, 0)
  })

  it("a shipped rule's name still works, and fromText stays synchronous and accepts a module path", () => {
    const named = Either.getOrThrow(
      ScenarioLoader.fromText(tiny.replace("\nallocation: catchment-then-nearest", "\nallocation: catchment-only"), "s.yaml")
    )
    assert.strictEqual(Scenario.compileOptions(named.scenario).rule?.name, "catchment-only")
    assert.isUndefined(named.rule)
    const moduled = ScenarioLoader.fromText(tiny.replace("\nallocation: catchment-then-nearest", "\nallocation: ./my-rule.mjs"), "s.yaml")
    assert.isTrue(Either.isRight(moduled))
  })

  it("a missing module names the line and column of allocation and the path it looked for", async () => {
    const error = await failure("./nope.mjs")
    assert.strictEqual(error.problems.length, 1)
    const [p] = error.problems
    assert.deepStrictEqual([p.path, p.line, p.column], ["allocation", line, 13])
    assert.match(
      error.message,
      /scenario\.yaml:\d+:13: allocation: cannot load the allocation rule module .*sub[/\\]nope\.mjs: the file does not exist/
    )
  })

  it("a module that is not an AllocationRule says what was expected and found", async () => {
    const error = await failure("../not-a-rule.mjs")
    assert.include(error.message, `:${line}:13: allocation: expected a module`)
    assert.match(
      error.message,
      /:\d+:13: allocation: expected a module whose default export is an AllocationRule \{ name, description, allocate\(input, output\) \}, found an object without allocate/
    )
  })

  it("fromText cannot expand strategies with a module it has not imported: a located problem, not a crash", () => {
    const text = tiny
      .replace("\nallocation: catchment-then-nearest", "\nallocation: ./never-loaded.mjs")
      .replace(
        "    events:\n      - type: expand\n",
        "    strategies:\n      - strategy: eliminate-large-classes\n        year: 2026\n        targetYear: 2028\n    events:\n      - type: expand\n"
      )
    const result = ScenarioLoader.fromText(text, "s.yaml")
    assert.isTrue(Either.isLeft(result))
    // the strategy's four lines come before allocation:
    if (Either.isLeft(result)) assert.include(result.left.message, `s.yaml:${line + 4}:13: allocation: the rule module`)
    if (Either.isLeft(result))
      assert.match(
        result.left.message,
        /s\.yaml:\d+:13: allocation: the rule module \.\/never-loaded\.mjs must be imported before the strategies can be expanded with it/
      )
  })

  it("neither a shipped rule nor a module path is refused when decoded", () => {
    const result = ScenarioLoader.fromText(tiny.replace("\nallocation: catchment-then-nearest", "\nallocation: nearest"), "s.yaml")
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) assert.include(result.left.message, `s.yaml:${line}:13: allocation:`)
  })
})
