/**
 * Golden outputs as fixture folders (Turf's test/in → test/out): every folder under `test/golden/` is a
 * case, found here, none listed in code.
 *
 *   golden/<case>/in/options.json   { "scenario": "scenarios/tiny/scenario.yaml", "seed": 42 }
 *                                   scenario: a path from the repository root, unless in/ holds its own
 *                                   scenario.yaml (or .yml, .json); seed: optional, the stochastic mode's seed
 *   golden/<case>/out/county.json   the run's county table (every variant, every year), rounded to 3 decimals
 *
 * The test compares the files out/ holds, byte for byte, with what the run produces now. `REGEN=1` writes
 * out/ instead (and removes files the run no longer produces): after an intended change, run
 * `REGEN=1 pnpm exec vitest run packages/plan/test/golden.test.ts` and review the diff like code. CI runs
 * the same and fails when a file changes ("golden files changed: regenerate and commit them").
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore } from "@seatplan/core"
import { Effect, Either, ParseResult, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Project, ScenarioLoader } from "../src/index.js"

const root = path.resolve(import.meta.dirname, "../../..")
const golden = path.join(import.meta.dirname, "golden")
const regen = process.env.REGEN !== undefined && process.env.REGEN !== "" && process.env.REGEN !== "0"

const Options = Schema.Struct({
  scenario: Schema.optional(Schema.String),
  seed: Schema.optional(Schema.Int)
})

interface Case {
  readonly name: string
  readonly scenario: string
  readonly seed: number | undefined
  readonly out: string
}

const scenarioFiles = ["scenario.yaml", "scenario.yml", "scenario.json"]

/** Reads a case folder; a malformed one is reported as a failing test naming the file and the problem. */
const readCase = (name: string): Either.Either<Case, string> => {
  const dir = path.join(golden, name)
  const optionsFile = path.join(dir, "in", "options.json")
  const shown = path.relative(root, optionsFile)
  if (!fs.existsSync(optionsFile))
    return Either.left(`${shown}: expected the case's options (e.g. { "scenario": "scenarios/tiny/scenario.yaml" }), found no file`)
  let json: unknown
  try {
    json = JSON.parse(fs.readFileSync(optionsFile, "utf8"))
  } catch (e) {
    return Either.left(`${shown}: expected JSON, found ${e instanceof Error ? e.message : String(e)}`)
  }
  const decoded = Schema.decodeUnknownEither(Options, { onExcessProperty: "error" })(json)
  if (Either.isLeft(decoded)) {
    const problems = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
    return Either.left(problems.map((p) => `${shown}: ${p.path.length === 0 ? "" : `${p.path.join(".")}: `}${p.message}`).join("\n"))
  }
  const own = scenarioFiles.map((f) => path.join(dir, "in", f)).filter((f) => fs.existsSync(f))
  const options = decoded.right
  if (own.length > 0 && options.scenario !== undefined) {
    return Either.left(`${shown}: expected either in/${path.basename(own[0])} or "scenario", found both`)
  }
  if (own.length > 1)
    return Either.left(`${path.relative(root, dir)}/in: expected one scenario file, found ${own.map((f) => path.basename(f)).join(", ")}`)
  const scenario = own[0] ?? (options.scenario === undefined ? undefined : path.join(root, options.scenario))
  if (scenario === undefined)
    return Either.left(`${shown}: expected "scenario" (a path from the repository root) or in/scenario.yaml, found neither`)
  if (!fs.existsSync(scenario))
    return Either.left(`${shown}: "scenario": expected an existing file, found no ${path.relative(root, scenario)}`)
  return Either.right({ name, scenario, seed: options.seed, out: path.join(dir, "out") })
}

const round = (value: unknown): unknown =>
  typeof value === "number"
    ? Math.round(value * 1000) / 1000
    : Array.isArray(value)
      ? value.map(round)
      : typeof value === "object" && value !== null
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]))
        : value

const json = (value: unknown): string => JSON.stringify(value, null, 1) + "\n"

/** The files a case produces: name in out/ → exact content. */
const produce = (c: Case) =>
  Effect.gen(function* () {
    const loaded = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(c.scenario, "utf8"), c.scenario))
    yield* Project.store(loaded)
    const results = yield* Project.run(loaded, { variants: [], ...(c.seed === undefined ? {} : { seed: c.seed }) })
    return new Map([["county.json", json(round(results.flatMap((r) => r.county)))]])
  }).pipe(Effect.provide(EventStore.layerMemory))

const names = fs
  .readdirSync(golden, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

describe("golden outputs (test/golden/<case>/in → out)", () => {
  it("finds its cases in test/golden", () => {
    assert.isAbove(names.length, 0, `expected case folders in ${path.relative(root, golden)}, found none`)
  })

  for (const name of names) {
    it.effect(
      name,
      () =>
        Effect.gen(function* () {
          const c = readCase(name)
          if (Either.isLeft(c)) return assert.fail(c.left)
          const produced = yield* produce(c.right)
          const out = c.right.out
          const present = fs.existsSync(out) ? fs.readdirSync(out).sort() : []
          if (regen) {
            fs.mkdirSync(out, { recursive: true })
            for (const [file, text] of produced) fs.writeFileSync(path.join(out, file), text)
            for (const file of present) if (!produced.has(file)) fs.rmSync(path.join(out, file))
            return
          }
          const shown = path.relative(root, out)
          const stale = present.filter((file) => !produced.has(file))
          assert.deepStrictEqual(stale, [], `${shown}: files the run no longer produces (REGEN=1 removes them)`)
          for (const [file, text] of produced) {
            const expected = path.join(out, file)
            assert.isTrue(fs.existsSync(expected), `${shown}/${file} is missing: run REGEN=1 on this test to write it`)
            const committed = fs.readFileSync(expected, "utf8")
            if (committed === text) continue
            // a readable difference first (values), then the bytes (formatting)
            if (file.endsWith(".json")) assert.deepStrictEqual(JSON.parse(text), JSON.parse(committed), `${shown}/${file}`)
            assert.fail(`${shown}/${file}: the same values, other bytes (formatting): run REGEN=1 on this test`)
          }
        }),
      120_000
    )
  }
})
