/**
 * Every shipped allocation rule, on generated inputs: pupils are neither lost nor duplicated, nothing is
 * negative, closed schools and schools of other levels get nobody, and the rule writes nothing else.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
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

describe("split catchment (学区划分)", () => {
  // every settlement zoned to school 0 and split with school 1 (both open, both teaching, seats to spare),
  // whole pupils per grade: the second school gets round(total × share) of each settlement, the first the rest
  const splitInput = fc
    .record({
      pupils: fc.array(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
      shares: fc.array(fc.double({ min: 0.001, max: 0.999, noNaN: true }), { minLength: 8, maxLength: 8 })
    })
    .map(({ pupils, shares }) => {
      const S = pupils.length
      const K = 2
      const level = 1
      const demand = new Float64Array(S * G)
      pupils.forEach((grades, s) => grades.forEach((n, g) => (demand[s * G + 3 + g] = n)))
      const candidates = new Int32Array(S * L * 2).fill(-1)
      const candidateKm = new Float64Array(S * L * 2)
      for (let s = 0; s < S; s++) {
        candidates[(s * L + level) * 2] = 0
        candidates[(s * L + level) * 2 + 1] = 1
        candidateKm[(s * L + level) * 2 + 1] = 0.5
      }
      const input: AllocationRule.AllocationInput = {
        settlements: S,
        schools: K,
        levels: L,
        grades: G,
        level,
        firstGrade: 3,
        endGrade: 9,
        demand,
        catchment: new Int32Array(L * S).fill(0),
        split: { school: new Int32Array(L * S).fill(1), share: Float64Array.from({ length: L * S }, (_, i) => shares[i % shares.length]) },
        open: new Uint8Array(K).fill(1),
        teaches: new Uint8Array(K * L).fill(1),
        capacity: new Float64Array(K).fill(1e9),
        beds: new Float64Array(K).fill(1e9),
        candidates,
        candidateKm,
        candidateCount: new Uint8Array(S * L).fill(2),
        candidateWidth: 2,
        boardingKm: 100,
        boards: true,
        distanceKm: 100
      }
      return { input, pupils, shares }
    })

  for (const rule of AllocationRule.all) {
    it.prop(
      `${rule.name}: the second school takes round(total × share) whole pupils of each settlement, the zoned school the rest`,
      [splitInput],
      ([{ input, pupils, shares }]) => {
        const out = outputFor(input)
        rule.allocate(input, out)
        let second = 0
        let total = 0
        pupils.forEach((grades, s) => {
          const n = grades.reduce((a, b) => a + b, 0)
          total += n
          second += Math.round(n * shares[(input.level * input.settlements + s) % shares.length])
        })
        const at = (k: number) => out.enrolled.subarray(k * G, (k + 1) * G).reduce((a, b) => a + b, 0)
        assert.approximately(at(1), second, 1e-6)
        assert.approximately(at(0), total - second, 1e-6)
        assert.strictEqual(sum(out.unplaced), 0)
      },
      { fastCheck: { numRuns: 200 } }
    )
  }

  it("hand-checked: 3,100 pupils split 45 % to a second school give 1,705 and 1,395, both under the 2,000 cap", () => {
    const demand = new Float64Array(G)
    for (let g = 3; g < 9; g++) demand[g] = [520, 515, 520, 515, 515, 515][g - 3]
    const input: AllocationRule.AllocationInput = {
      settlements: 1,
      schools: 2,
      levels: L,
      grades: G,
      level: 1,
      firstGrade: 3,
      endGrade: 9,
      demand,
      catchment: new Int32Array(L).fill(0),
      split: { school: new Int32Array(L).fill(1), share: new Float64Array(L).fill(0.45) },
      open: new Uint8Array(2).fill(1),
      teaches: new Uint8Array(2 * L).fill(1),
      capacity: Float64Array.of(1800, 1500),
      beds: new Float64Array(2),
      candidates: Int32Array.of(-1, -1, 0, 1, -1, -1, -1, -1),
      candidateKm: Float64Array.of(0, 0, 0.4, 1.2, 0, 0, 0, 0),
      candidateCount: Uint8Array.of(0, 2, 0, 0),
      candidateWidth: 2,
      boardingKm: 5,
      boards: true,
      distanceKm: 3
    }
    for (const rule of AllocationRule.all) {
      const out = outputFor(input)
      rule.allocate(input, out)
      const at = (k: number) => out.enrolled.subarray(k * G, (k + 1) * G).reduce((a, b) => a + b, 0)
      // 3,100 × 0.45 = 1,395 exactly; the rest, 1,705, stay at the zoned school; both within their seats
      assert.approximately(at(1), 1395, 1e-9, rule.name)
      assert.approximately(at(0), 1705, 1e-9, rule.name)
      // the second school's pupils live 1.2 km away: pupil-km 1,395 × 1.2
      assert.approximately(out.pupilKm[1 * L + 1], 1395 * 1.2, 1e-6, rule.name)
    }
  })

  it("a split to a closed school sends every pupil to the zoned school", () => {
    const demand = new Float64Array(G)
    demand[3] = 100
    const input: AllocationRule.AllocationInput = {
      settlements: 1,
      schools: 2,
      levels: L,
      grades: G,
      level: 1,
      firstGrade: 3,
      endGrade: 9,
      demand,
      catchment: new Int32Array(L).fill(0),
      split: { school: new Int32Array(L).fill(1), share: new Float64Array(L).fill(0.5) },
      open: Uint8Array.of(1, 0),
      teaches: new Uint8Array(2 * L).fill(1),
      capacity: Float64Array.of(1000, 1000),
      beds: new Float64Array(2),
      candidates: Int32Array.of(-1, -1, 0, 1, -1, -1, -1, -1),
      candidateKm: Float64Array.of(0, 0, 0.4, 1.2, 0, 0, 0, 0),
      candidateCount: Uint8Array.of(0, 2, 0, 0),
      candidateWidth: 2,
      boardingKm: 5,
      boards: true,
      distanceKm: 3
    }
    for (const rule of AllocationRule.all) {
      const out = outputFor(input)
      rule.allocate(input, out)
      assert.strictEqual(
        out.enrolled.subarray(0, G).reduce((a, b) => a + b, 0),
        100,
        rule.name
      )
    }
  })
})
