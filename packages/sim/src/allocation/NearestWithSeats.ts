import { type AllocationInput, type AllocationOutput, type AllocationRule, homeSchool, kmTo, send, splitOf } from "./AllocationRule.js"

/**
 * Catchment, then the nearest school with free seats: each zoned school takes its catchment's pupils up to
 * its seats (the same share from every settlement it serves); the overflow goes, settlement by settlement,
 * to the nearest schools of the level with seats left; what no school has room for stays at the zoned
 * school (overcrowded).
 *
 * The rule runs once per level and year over every settlement, so its three passes are written out over
 * the arrays (the shared helpers' arithmetic, operation for operation: the same figures to the bit) rather
 * than through calls that pass and return doubles, which V8 boxes into a fresh heap number each when it
 * does not inline the call: that was most of a province run's garbage (about 400 MB a run).
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
  const split = input.split
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
    const second = split === undefined ? -1 : splitOf(input, s, k)
    const f = second < 0 || total <= 0 ? 0 : Math.min(total, Math.round(total * split!.share[zone + s])) / total
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
  const split = input.split
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
    const second = split === undefined ? -1 : splitOf(input, s, k)
    const f = second < 0 || total <= 0 ? 0 : Math.min(total, Math.round(total * split!.share[zone + s])) / total
    if (f < 1) sendTo(input, output, s, k, keep[k] * (1 - f), homeKm[s])
    if (f > 0) sendTo(input, output, s, second, keep[second] * f, kmTo(input, s, second))
  }
}

/** Pass 3: the pupils an over-full school could not keep, to the nearest schools with seats left (`spill`), the rest back to it. */
const overflow = (input: AllocationInput, output: AllocationOutput, homeKm: Float64Array): void => {
  const S = input.settlements
  const K = input.schools
  const split = input.split
  const keep = output.scratch
  const totals = output.settlementScratch
  const zone = input.level * S
  for (let s = 0; s < S; s++) {
    const home = totals[S + s]
    if (home < 0) continue
    const total = totals[s]
    const second = split === undefined ? -1 : splitOf(input, s, home)
    const f = second < 0 || total <= 0 ? 0 : Math.min(total, Math.round(total * split!.share[zone + s])) / total
    if (f < 1 && keep[home] < 1) {
      const left = spillFrom(input, output, s, home, total, total * (1 - f) * (1 - keep[home]), K)
      if (left > 0) sendTo(input, output, s, home, left / total, homeKm[s])
    }
    if (f > 0 && keep[second] < 1) {
      const left = spillFrom(input, output, s, second, total, total * f * (1 - keep[second]), K)
      if (left > 0) sendTo(input, output, s, second, left / total, kmTo(input, s, second))
    }
  }
}

/** `send` without its result (the passes never read it), small enough for V8 to inline into them. */
const sendTo = (input: AllocationInput, output: AllocationOutput, s: number, k: number, share: number, km: number): void => {
  send(input, output, s, k, share, km)
}

/**
 * `spill` over the seats (`input.capacity`, used so far in `keep[K + k]`): sends up to `left` of settlement
 * `s`'s `total` pupils to its candidates, nearest first, skipping `home` and schools not serving the level.
 */
const spillFrom = (
  input: AllocationInput,
  output: AllocationOutput,
  s: number,
  home: number,
  total: number,
  left: number,
  K: number
): number => {
  const used = output.scratch
  const limit = input.capacity
  const L = input.levels
  const level = input.level
  const base = (s * L + level) * input.candidateWidth
  const n = input.candidateCount[s * L + level]
  for (let i = 0; i < n && left > 1e-9; i++) {
    const k = input.candidates[base + i]
    if (k === home || !(k >= 0 && input.open[k] === 1 && input.teaches[k * L + level] === 1)) continue
    const free = limit[k] - used[K + k]
    if (free <= 0) continue
    const moved = Math.min(free, left)
    send(input, output, s, k, moved / total, input.candidateKm[base + i])
    used[K + k] += moved
    left -= moved
  }
  return left
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
