/**
 * Teacher attrition (issue 17): a share of every school's teachers leaves each year besides retirements.
 * At 0 (the default) a run is exactly what it was; above 0 every school has fewer teachers each later year,
 * by at least the attrition compounded (hires in the plan aside), and more attrition never leaves more.
 */
import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { Assumptions, Compile, Engine, Tables } from "../src/index.js"
import { tiny } from "./fixtures.js"

const model = Compile.compile(tiny("baseline"), { horizon: 4 })
const assigned = (attrition: number) => {
  const m = { ...Compile.fresh(model), assumptions: { ...model.assumptions, teacherAttrition: attrition } }
  return Tables.county(m, Engine.run(m, { population: false }), "x").map((r) => r.teachers_assigned)
}

describe("teacher attrition", () => {
  it("is 0 by default, and 0 changes nothing", () => {
    assert.strictEqual(Assumptions.defaults.teacherAttrition, 0)
    const m = Compile.fresh(model)
    const plain = Tables.county(m, Engine.run(m, { population: false }), "x").map((r) => r.teachers_assigned)
    assert.deepStrictEqual(assigned(0), plain)
  })

  it("more attrition never leaves more teachers, and the base year is untouched (property)", () =>
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.3, noNaN: true }), fc.double({ min: 0, max: 0.3, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        const fewer = assigned(hi)
        const more = assigned(lo)
        fewer.forEach((t, i) => assert.isAtMost(t, more[i] + 1e-9, `row ${i}`))
        assert.deepStrictEqual(fewer.slice(0, 4), more.slice(0, 4))
      }),
      { numRuns: 15 }
    ))

  it("a year of 10 % attrition leaves at most 90 % of the teachers of a level the year before", () => {
    const none = assigned(0)
    const some = assigned(0.1)
    // rows: 4 levels per year; year 1 against year 0 (no plan hires in the baseline's first year)
    for (let l = 0; l < 4; l++) if (none[l] > 0) assert.isAtMost(some[4 + l], none[4 + l] * 0.9 + 1e-9)
  })
})
