import {
  type AllocationInput,
  type AllocationOutput,
  type AllocationRule,
  homeSchool,
  kmTo,
  send,
  spill,
  splitOf
} from "./AllocationRule.js"

/**
 * Catchment, then the nearest school with free seats: each zoned school takes its catchment's pupils up to
 * its seats (the same share from every settlement it serves); the overflow goes, settlement by settlement,
 * to the nearest schools of the level with seats left; what no school has room for stays at the zoned
 * school (overcrowded).
 *
 * The rule runs once per level and year over every settlement, so its three passes loop over the arrays
 * and keep each settlement's total and home school (pass 1) for the others, rather than asking
 * `demandOf` and `homeSchool` again: a double passed or returned by a call V8 does not inline is boxed
 * into a fresh heap number, and that was most of a province run's garbage (about 400 MB a run). The split
 * share is `splitShare`'s arithmetic written out in each pass (called there per settlement, the engine
 * measured 5-10 % slower); the overflow, only for pupils an over-full school cannot keep, is `spill`.
 */
export const catchmentThenNearest: AllocationRule = {
  name: "catchment-then-nearest",
  description: "zoned school up to its seats, overflow to the nearest school with free seats",
  allocate: (input: AllocationInput, output: AllocationOutput) => {
    const K = input.schools
    const keep = output.scratch
    const homeKm = kmScratch(input.settlements)
    zoned(input, output, homeKm)
    for (let k = 0; k < K; k++) keep[k] = keep[k] <= input.capacity[k] ? 1 : input.capacity[k] / keep[k]
    placed(input, output, homeKm)
    for (let k = 0; k < K; k++) keep[K + k] = keep[k] < 1 ? input.capacity[k] : seatsTaken(input, output, k)
    overflow(input, output, homeKm)
  }
}

/**
 * Pass 1: each settlement's pupils of the level (`totals[s]`, `demandOf`) and home school (`totals[S + s]`,
 * `homeSchool`, -1 none or no pupils), the km to it (`homeKm`), and what each school's catchment asks of it
 * (`keep[k]`, the pupils sent there before any overflow).
 */
const zoned = (input: AllocationInput, output: AllocationOutput, homeKm: Float64Array): void => {
  const S = input.settlements
  const L = input.levels
  const G = input.grades
  const level = input.level
  const first = input.firstGrade
  const end = input.endGrade
  const demand = input.demand
  const byLevel = input.levelDemand
  const catchment = input.catchment
  const open = input.open
  const teaches = input.teaches
  const keep = output.scratch
  const totals = output.settlementScratch
  const memo = homeMemo(input)
  const memoSchool = memo.school
  const memoKm = memo.km
  const zone = level * S
  for (let s = 0; s < S; s++) {
    let total = 0
    if (byLevel !== undefined) total = byLevel[zone + s]
    else for (let g = first, i = s * G + first; g < end; g++, i++) total += demand[i]
    let k = -1
    if (total > 0) {
      const z = catchment[zone + s]
      k = z >= 0 && open[z] === 1 && teaches[z * L + level] === 1 ? z : homeSchool(input, s)
    }
    totals[s] = total
    totals[S + s] = k
    if (k < 0) continue
    const second = splitOf(input, s, k)
    const f = second < 0 || total <= 0 ? 0 : Math.min(total, Math.round(total * input.split!.share[zone + s])) / total
    keep[k] += total * (1 - f)
    if (f > 0) keep[second] += total * f
    if (memoSchool[zone + s] !== k) {
      memoSchool[zone + s] = k
      memoKm[zone + s] = kmTo(input, s, k)
    }
    homeKm[s] = memoKm[zone + s]
  }
}

/** Pass 2: each school's catchment sent there, the share `keep[k]` of it when the school is over its seats. */
const placed = (input: AllocationInput, output: AllocationOutput, homeKm: Float64Array): void => {
  const S = input.settlements
  const keep = output.scratch
  const totals = output.settlementScratch
  const unplaced = output.unplaced
  const zone = input.level * S
  for (let s = 0; s < S; s++) {
    const total = totals[s]
    if (total === 0) continue
    const k = totals[S + s]
    if (k < 0) {
      unplaced[s * input.levels + input.level] += total
      continue
    }
    const second = splitOf(input, s, k)
    const f = second < 0 || total <= 0 ? 0 : Math.min(total, Math.round(total * input.split!.share[zone + s])) / total
    if (f < 1) sendTo(input, output, s, k, keep[k] * (1 - f), homeKm[s])
    if (f > 0) sendTo(input, output, s, second, keep[second] * f, kmTo(input, s, second))
  }
}

/** Pass 3: the pupils an over-full school could not keep, to the nearest schools with seats left (`spill`), the rest back to it. */
const overflow = (input: AllocationInput, output: AllocationOutput, homeKm: Float64Array): void => {
  const S = input.settlements
  const K = input.schools
  const keep = output.scratch
  const totals = output.settlementScratch
  const zone = input.level * S
  for (let s = 0; s < S; s++) {
    const home = totals[S + s]
    if (home < 0) continue
    const total = totals[s]
    const second = splitOf(input, s, home)
    const f = second < 0 || total <= 0 ? 0 : Math.min(total, Math.round(total * input.split!.share[zone + s])) / total
    if (f < 1 && keep[home] < 1) {
      const left = spill(input, output, s, home, total, total * (1 - f) * (1 - keep[home]), input.capacity, keep, K)
      if (left > 0) sendTo(input, output, s, home, left / total, homeKm[s])
    }
    if (f > 0 && keep[second] < 1) {
      const left = spill(input, output, s, second, total, total * f * (1 - keep[second]), input.capacity, keep, K)
      if (left > 0) sendTo(input, output, s, second, left / total, kmTo(input, s, second))
    }
  }
}

/** `send` without its result (the passes never read it), small enough for V8 to inline into them. */
const sendTo = (input: AllocationInput, output: AllocationOutput, s: number, k: number, share: number, km: number): void => {
  send(input, output, s, k, share, km)
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
