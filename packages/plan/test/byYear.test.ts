/**
 * The order a scenario's commands are decided in (`Scenario.byYear`): by year, and in the list's order
 * within a year. It places items by counting instead of sorting; the property holds it to a stable sort.
 */
import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import * as Scenario from "../src/Scenario.js"

const items = fc.array(fc.record({ command: fc.record({ year: fc.integer({ min: 2015, max: 2040 }) }), n: fc.nat() }), { maxLength: 300 })

describe("Scenario.byYear", () => {
  it("is a stable sort by year, whatever the order given", () =>
    fc.assert(
      fc.property(items, fc.boolean(), (given, presorted) => {
        // half the lists already in order: the pass that gives the list back unchanged is checked too
        const list = presorted ? [...given].sort((a, b) => a.command.year - b.command.year) : given
        const expected = list.map((x, i) => ({ x, i })).sort((a, b) => a.x.command.year - b.x.command.year || a.i - b.i)
        assert.deepStrictEqual(
          Scenario.byYear(list),
          expected.map((e) => e.x)
        )
      }),
      { numRuns: 1000 }
    ))
})
