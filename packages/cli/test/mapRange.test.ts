import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { range } from "../src/report/MapData.js"

describe("the maps' extent of a large region (a report of 10,000 settlements overflowed the stack with Math.min(...xs))", () => {
  it("range is Math.min and Math.max, for any list of coordinates", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true })), (xs) => {
        const [lo, hi] = range(xs)
        // === : a map's extent does not tell -0 from 0
        assert.isTrue(lo === Math.min(...xs) && hi === Math.max(...xs), `${lo}, ${hi}`)
      })
    )
  })

  it("takes more values than a call takes arguments", () => {
    const xs = Array.from({ length: 2_000_000 }, (_, i) => (i * 7919) % 1_000_003)
    assert.deepStrictEqual(range(xs), [0, 1_000_002])
  })
})
