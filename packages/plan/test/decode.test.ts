/**
 * Loading in two steps: `decode` reads a scenario up to its baseline and projects nothing; `expand` decides
 * the variants and runs their layout strategies. Together they are `fromText`.
 */
import { Compile } from "@seatplan/sim"
import { Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it, vi } from "vitest"
import { ScenarioLoader } from "../src/index.js"

const county = path.resolve(import.meta.dirname, "../../../scenarios/county/scenario.yaml")
const text = fs.readFileSync(county, "utf8")

describe("decode, then expand", () => {
  it("decode projects nothing, even for a scenario whose variants have layout strategies", () => {
    expect(text).toContain("strategies:")
    const compile = vi.spyOn(Compile, "compile")
    const decoded = ScenarioLoader.decode(text, county)
    expect(Either.isRight(decoded)).toBe(true)
    expect(compile).not.toHaveBeenCalled()
    compile.mockRestore()
  })

  it("expand gives exactly what fromText gives (and is the step that projects)", () => {
    const decoded = Either.getOrThrow(ScenarioLoader.decode(text, county))
    const compile = vi.spyOn(Compile, "compile")
    const expanded = Either.getOrThrow(ScenarioLoader.expand(decoded))
    expect(compile).toHaveBeenCalled()
    compile.mockRestore()
    const direct = Either.getOrThrow(ScenarioLoader.fromText(text, county))
    expect(expanded.streams.baseline).toEqual(direct.streams.baseline)
    expect(expanded.streams.variants.map((v) => v.events)).toEqual(direct.streams.variants.map((v) => v.events))
    expect(decoded.baseline.events).toEqual(direct.streams.baseline)
  })
})
