/**
 * The researcher's path: properties of an allocation rule of one's own (examples/custom-allocation-rule.ts),
 * tested with the arbitraries of `@seatplan/sim/testing`.
 */
import { assert, describe, it } from "@effect/vitest"
import { allocationInput, demand, enrolledAt, outputFor, placed, project, region, runSeed, unplaced } from "@seatplan/sim/testing"
import { seatsOrUnplaced as rule } from "../examples/custom-allocation-rule.js"

describe("a custom allocation rule (seats-or-unplaced)", () => {
  it.prop(
    "conserves pupils: placed plus unplaced is the demand",
    [allocationInput],
    ([input]) => {
      const output = outputFor(input)
      rule.allocate(input, output)
      const want = demand(input)
      assert.approximately(placed(output) + unplaced(output), want, 1e-6 * Math.max(1, want))
    },
    { fastCheck: { numRuns: 300 } }
  )

  it.prop(
    "respects capacities: no school gets more pupils than its seats, closed ones none",
    [allocationInput],
    ([input]) => {
      const output = outputFor(input)
      rule.allocate(input, output)
      for (let k = 0; k < input.schools; k++) {
        assert.isAtMost(enrolledAt(input, output, k), input.capacity[k] + 1e-6, `school ${k}`)
        if (input.open[k] === 0) assert.strictEqual(enrolledAt(input, output, k), 0)
      }
    },
    { fastCheck: { numRuns: 300 } }
  )

  it.prop(
    "same seed, same result: two runs of a synthetic county agree exactly",
    [region, runSeed],
    ([r, seed]) => {
      assert.deepStrictEqual(project(r, rule, { seed }), project(r, rule, { seed }))
    },
    { fastCheck: { numRuns: 8 } }
  )
})
