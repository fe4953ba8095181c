/**
 * Arbitraries and helpers for property-testing what plugs into the engine, above all an allocation rule
 * of one's own: `import { allocationInput, outputFor, region, project } from "@seatplan/sim/testing"`.
 * They are fast-check arbitraries (`FastCheck` as re-exported by `effect`), usable with `fc.assert` or
 * `@effect/vitest`'s `it.prop`. The example in packages/sim/examples/custom-allocation-rule.ts and its
 * test (packages/sim/test/customRule.test.ts) show them at work.
 */
import { Either, FastCheck as fc } from "effect"
import * as Compile from "../Compile.js"
import * as Engine from "../Engine.js"
import type * as Results from "../Results.js"
import type { AllocationInput, AllocationOutput, AllocationRule } from "../allocation/AllocationRule.js"
import * as Synthetic from "../Synthetic.js"

const G = 15
const L = 4
const W = 6
const firstGrades = [0, 3, 9, 12] as const
const endGrades = [3, 9, 12, 15] as const

/**
 * What a rule sees for one level in one year, generated: 1-8 settlements, 1-6 schools (some closed, some
 * not teaching the level), catchments (some settlements unzoned, some split between two schools), candidate
 * lists nearest first, seats and
 * beds from none to plenty, a boarding distance of 0, 2, 5 or 100 km.
 */
export const allocationInput: fc.Arbitrary<AllocationInput> = fc
  .record({
    settlements: fc.integer({ min: 1, max: 8 }),
    schools: fc.integer({ min: 1, max: 6 }),
    level: fc.integer({ min: 0, max: 3 }),
    seed: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 400, maxLength: 400 }),
    boardingKm: fc.constantFrom(0, 2, 5, 100)
  })
  .map(({ boardingKm, level, schools: K, seed, settlements: S }) => {
    let i = 0
    const next = () => seed[i++ % seed.length]
    const demand = new Float64Array(S * G)
    for (let s = 0; s < S; s++) for (let g = 0; g < G; g++) demand[s * G + g] = next() % 5 === 0 ? 0 : next() / 7
    const open = Uint8Array.from({ length: K }, () => (next() % 6 === 0 ? 0 : 1))
    const teaches = Uint8Array.from({ length: K * L }, () => (next() % 3 === 0 ? 0 : 1))
    const catchment = Int32Array.from({ length: L * S }, () => (next() % 7 === 0 ? -1 : next() % K))
    const splitSchool = Int32Array.from({ length: L * S }, () => (next() % 4 === 0 ? next() % K : -1))
    const splitShare = Float64Array.from({ length: L * S }, () => (1 + (next() % 999)) / 1000)
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
        // a split catchment's second school is among the settlement's candidates, as the compiler makes it
        const second = splitSchool[l * S + s]
        const listed = [...candidates.subarray((s * L + l) * W, (s * L + l) * W + n)]
        if (second >= 0 && !listed.includes(second)) {
          if (n >= 2 && candidates[(s * L + l) * W] !== zoned) candidates[(s * L + l) * W] = second
          else splitSchool[l * S + s] = -1
        }
      }
    }
    return {
      settlements: S,
      schools: K,
      levels: L,
      grades: G,
      level,
      firstGrade: firstGrades[level],
      endGrade: endGrades[level],
      demand,
      catchment,
      split: { school: splitSchool, share: splitShare },
      open,
      teaches,
      capacity: Float64Array.from({ length: K }, () => next()),
      beds: Float64Array.from({ length: K }, () => next() / 3),
      candidates,
      candidateKm,
      candidateCount,
      candidateWidth: W,
      boardingKm,
      boards: level !== 0,
      distanceKm: boardingKm
    }
  })

/** A zeroed output for an input, as the engine hands it to a rule. */
export const outputFor = (input: AllocationInput): AllocationOutput => ({
  enrolled: new Float64Array(input.schools * input.grades),
  pupilKm: new Float64Array(input.schools * input.levels),
  maxKm: new Float64Array(input.schools * input.levels),
  boarders: new Float64Array(input.schools * input.levels),
  beyond: new Float64Array(input.schools * input.levels),
  unplaced: new Float64Array(input.settlements * input.levels),
  scratch: new Float64Array(2 * input.schools),
  settlementScratch: new Float64Array(2 * input.settlements)
})

/** The pupils of the input's level, all settlements. */
export const demand = (input: AllocationInput): number => {
  let total = 0
  for (let s = 0; s < input.settlements; s++) {
    for (let g = input.firstGrade; g < input.endGrade; g++) total += input.demand[s * input.grades + g]
  }
  return total
}

/** The pupils a rule placed in school `k` (every grade). */
export const enrolledAt = (input: AllocationInput, output: AllocationOutput, k: number): number => {
  let n = 0
  for (let g = 0; g < input.grades; g++) n += output.enrolled[k * input.grades + g]
  return n
}

/** The pupils a rule placed (all schools) and left unplaced (all settlements). */
export const placed = (output: AllocationOutput): number => output.enrolled.reduce((a, b) => a + b, 0)
export const unplaced = (output: AllocationOutput): number => output.unplaced.reduce((a, b) => a + b, 0)

/** A small synthetic county (20-60 settlements, about a third as many schools), from a generated seed. */
export const region: fc.Arbitrary<Synthetic.Region> = fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    settlements: fc.integer({ min: 20, max: 60 })
  })
  .map((o) => Synthetic.generate(o))
  .filter(Either.isRight) // the options above are always valid
  .map((e) => e.right)

/** A run seed (births, migration and enrolment drawn at random from it). */
export const runSeed: fc.Arbitrary<number> = fc.integer({ min: 0, max: 2 ** 31 - 1 })

/** Projects a region's baseline with a rule: compiled afresh, run `horizon` years (default 5) from `seed`. */
export const project = (
  r: Synthetic.Region,
  rule: AllocationRule,
  options: { readonly seed?: number; readonly horizon?: number } = {}
): Results.Cube =>
  Engine.run(Compile.compile(r.events, { rule, horizon: options.horizon ?? 5 }), {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    population: false
  })
