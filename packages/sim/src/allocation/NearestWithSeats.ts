import {
  type AllocationInput,
  type AllocationOutput,
  type AllocationRule,
  demandOf,
  homeSchool,
  kmTo,
  send,
  spill,
  splitOf,
  splitShare
} from "./AllocationRule.js"

/**
 * Catchment, then the nearest school with free seats: each zoned school takes its catchment's pupils up to
 * its seats (the same share from every settlement it serves); the overflow goes, settlement by settlement,
 * to the nearest schools of the level with seats left; what no school has room for stays at the zoned
 * school (overcrowded).
 */
export const catchmentThenNearest: AllocationRule = {
  name: "catchment-then-nearest",
  description: "zoned school up to its seats, overflow to the nearest school with free seats",
  allocate: (input: AllocationInput, output: AllocationOutput) => {
    const K = input.schools
    const S = input.settlements
    const keep = output.scratch
    const totals = output.settlementScratch
    const homeKm = kmScratch(S)
    const memo = homeMemo(input)
    const zone = input.level * S
    for (let s = 0; s < S; s++) {
      const total = demandOf(input, s)
      const k = total > 0 ? homeSchool(input, s) : -1
      totals[s] = total
      totals[S + s] = k
      if (k >= 0) {
        const second = splitOf(input, s, k)
        const f = splitShare(input, s, total, second)
        keep[k] += total * (1 - f)
        if (f > 0) keep[second] += total * f
        if (memo.school[zone + s] !== k) {
          memo.school[zone + s] = k
          memo.km[zone + s] = kmTo(input, s, k)
        }
        homeKm[s] = memo.km[zone + s]
      }
    }
    for (let k = 0; k < K; k++) keep[k] = keep[k] <= input.capacity[k] ? 1 : input.capacity[k] / keep[k]
    for (let s = 0; s < S; s++) {
      const total = totals[s]
      if (total === 0) continue
      const k = totals[S + s]
      if (k < 0) {
        output.unplaced[s * input.levels + input.level] += total
        continue
      }
      const second = splitOf(input, s, k)
      const f = splitShare(input, s, total, second)
      if (f < 1) send(input, output, s, k, keep[k] * (1 - f), homeKm[s])
      if (f > 0) send(input, output, s, second, keep[second] * f, kmTo(input, s, second))
    }
    for (let k = 0; k < K; k++) keep[K + k] = keep[k] < 1 ? input.capacity[k] : seatsTaken(input, output, k)
    for (let s = 0; s < S; s++) {
      const home = totals[S + s]
      if (home < 0) continue
      const total = totals[s]
      const second = splitOf(input, s, home)
      const f = splitShare(input, s, total, second)
      if (f < 1 && keep[home] < 1) {
        const left = spill(input, output, s, home, total, total * (1 - f) * (1 - keep[home]), input.capacity, keep, K)
        if (left > 0) send(input, output, s, home, left / total, homeKm[s])
      }
      if (f > 0 && keep[second] < 1) {
        const left = spill(input, output, s, second, total, total * f * (1 - keep[second]), input.capacity, keep, K)
        if (left > 0) send(input, output, s, second, left / total, kmTo(input, s, second))
      }
    }
  }
}

/** Each settlement's km to its home school, looked up once per level and year (grown with the largest region seen, never per call). */
let homeKmScratch = new Float64Array(0)
const kmScratch = (settlements: number): Float64Array => {
  if (homeKmScratch.length < settlements) homeKmScratch = new Float64Array(settlements)
  return homeKmScratch
}

/**
 * Each settlement's home school and its km (level × settlement) as last looked up for a candidate list:
 * the home school rarely changes from year to year, and looking its km up in the candidate list each time
 * read a scattered cache line per settlement (the list is a settlement's twelve nearest of each level).
 * Keyed by the candidate arrays, which a model and its fresh copies share and never change.
 */
interface HomeMemo {
  readonly candidateKm: Float64Array
  readonly school: Int32Array
  readonly km: Float64Array
}
const homeMemos = new WeakMap<Int32Array, HomeMemo>()
const homeMemo = (input: AllocationInput): HomeMemo => {
  let memo = homeMemos.get(input.candidates)
  if (memo === undefined || memo.candidateKm !== input.candidateKm || memo.school.length !== input.settlements * input.levels) {
    const n = input.settlements * input.levels
    memo = { candidateKm: input.candidateKm, school: new Int32Array(n).fill(-1), km: new Float64Array(n) }
    homeMemos.set(input.candidates, memo)
  }
  return memo
}

const seatsTaken = (input: AllocationInput, output: AllocationOutput, k: number): number => {
  let n = 0
  for (let g = input.firstGrade; g < input.endGrade; g++) n += output.enrolled[k * input.grades + g]
  return n
}
