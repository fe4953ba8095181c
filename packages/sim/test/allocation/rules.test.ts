/**
 * Every shipped allocation rule, on generated inputs: pupils are neither lost nor duplicated, nothing is
 * negative, closed schools and schools of other levels get nobody, and the rule writes nothing else.
 */
import { assert, describe, it } from "@effect/vitest"
import { allocationInput as input, outputFor } from "@seatplan/sim/testing"
import { AllocationRule } from "../../src/index.js"

const G = 15
const L = 4

const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0)

for (const rule of AllocationRule.all) {
  describe(`allocation rule ${rule.name}`, () => {
    it.prop(
      "conserves pupils and writes only its output",
      [input],
      ([i]) => {
        const before = JSON.stringify([...i.demand, ...i.capacity, ...i.catchment])
        const out = outputFor(i)
        rule.allocate(i, out)
        assert.strictEqual(JSON.stringify([...i.demand, ...i.capacity, ...i.catchment]), before)
        let demand = 0
        for (let s = 0; s < i.settlements; s++) for (let g = i.firstGrade; g < i.endGrade; g++) demand += i.demand[s * G + g]
        const placed = sum(out.enrolled)
        assert.approximately(placed + sum(out.unplaced), demand, 1e-6 * Math.max(1, demand))
        for (const a of [out.enrolled, out.pupilKm, out.boarders, out.unplaced]) assert.isTrue(a.every((x) => x >= -1e-9))
        for (let k = 0; k < i.schools; k++) {
          let here = 0
          for (let g = 0; g < G; g++) {
            here += out.enrolled[k * G + g]
            if (g < i.firstGrade || g >= i.endGrade) assert.strictEqual(out.enrolled[k * G + g], 0)
          }
          if (i.open[k] === 0 || i.teaches[k * L + i.level] === 0) assert.strictEqual(here, 0)
          assert.isAtMost(out.boarders[k * L + i.level], here + 1e-6)
        }
      },
      { fastCheck: { numRuns: 300 } }
    )
  })
}

describe("catchment-then-nearest", () => {
  it.prop(
    "never fills a school past its seats with overflow from other catchments",
    [input],
    ([i]) => {
      const out = outputFor(i)
      AllocationRule.catchmentThenNearest.allocate(i, out)
      const own = outputFor(i)
      AllocationRule.catchmentOnly.allocate(i, own)
      for (let k = 0; k < i.schools; k++) {
        let got = 0
        let zoned = 0
        for (let g = 0; g < G; g++) {
          got += out.enrolled[k * G + g]
          zoned += own.enrolled[k * G + g]
        }
        assert.isAtMost(got, Math.max(i.capacity[k], zoned) + 1e-6)
      }
    },
    { fastCheck: { numRuns: 300 } }
  )
})
