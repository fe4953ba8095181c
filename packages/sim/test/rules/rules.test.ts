/**
 * Every shipped allocation rule, on generated inputs: pupils are neither lost nor duplicated, nothing is
 * negative, closed schools and schools of other levels get nobody, and the rule writes nothing else.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { AllocationRule } from "../../src/index.js"

const G = 15
const L = 4
const W = 6

const input = fc.record({
  settlements: fc.integer({ min: 1, max: 8 }),
  schools: fc.integer({ min: 1, max: 6 }),
  level: fc.integer({ min: 0, max: 3 }),
  seed: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 400, maxLength: 400 }),
  boardingKm: fc.constantFrom(0, 2, 5, 100)
}).map(({ boardingKm, level, schools: K, seed, settlements: S }) => {
  let i = 0
  const next = () => seed[i++ % seed.length]
  const demand = new Float64Array(S * G)
  for (let s = 0; s < S; s++) for (let g = 0; g < G; g++) demand[s * G + g] = next() % 5 === 0 ? 0 : next() / 7
  const open = Uint8Array.from({ length: K }, () => (next() % 6 === 0 ? 0 : 1))
  const teaches = Uint8Array.from({ length: K * L }, () => (next() % 3 === 0 ? 0 : 1))
  const catchment = Int32Array.from({ length: L * S }, () => (next() % 7 === 0 ? -1 : next() % K))
  const candidates = new Int32Array(S * L * W).fill(-1)
  const candidateKm = new Float64Array(S * L * W)
  const candidateCount = new Uint8Array(S * L)
  for (let s = 0; s < S; s++) {
    for (let l = 0; l < L; l++) {
      const n = Math.min(W, K)
      const start = next() % K
      for (let c = 0; c < n; c++) {
        candidates[(s * L + l) * W + c] = (start + c) % K
        candidateKm[(s * L + l) * W + c] = c * 1.5 + (next() % 10) / 10
      }
      const zoned = catchment[l * S + s]
      if (zoned >= 0 && ![...candidates.subarray((s * L + l) * W, (s * L + l) * W + n)].includes(zoned)) {
        candidates[(s * L + l) * W + n - 1] = zoned
      }
      candidateCount[s * L + l] = n
    }
  }
  return {
    settlements: S,
    schools: K,
    levels: L,
    grades: G,
    level,
    firstGrade: [0, 3, 9, 12][level],
    endGrade: [3, 9, 12, 15][level],
    demand,
    catchment,
    open,
    teaches,
    capacity: Float64Array.from({ length: K }, () => next()),
    beds: Float64Array.from({ length: K }, () => next() / 3),
    candidates,
    candidateKm,
    candidateCount,
    candidateWidth: W,
    boardingKm
  } satisfies AllocationRule.AllocationInput
})

const outputFor = (i: AllocationRule.AllocationInput): AllocationRule.AllocationOutput => ({
  enrolled: new Float64Array(i.schools * G),
  pupilKm: new Float64Array(i.schools * L),
  maxKm: new Float64Array(i.schools * L),
  boarders: new Float64Array(i.schools * L),
  unplaced: new Float64Array(i.settlements * L),
  scratch: new Float64Array(2 * i.schools),
  settlementScratch: new Float64Array(2 * i.settlements)
})

const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0)

for (const rule of AllocationRule.all) {
  describe(`allocation rule ${rule.name}`, () => {
    it.prop("conserves pupils and writes only its output", [input], ([i]) => {
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
    }, { fastCheck: { numRuns: 300 } })
  })
}

describe("catchment-then-nearest", () => {
  it.prop("never fills a school past its seats with overflow from other catchments", [input], ([i]) => {
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
  }, { fastCheck: { numRuns: 300 } })
})
