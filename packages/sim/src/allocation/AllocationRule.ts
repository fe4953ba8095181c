/**
 * Allocation rules assign each settlement's pupils of a level to schools. A rule is pure: it reads the
 * input and adds to the output, nothing else, so researchers can swap rules and property-test them.
 * Every rule must conserve pupils: for each level, the pupils it places plus those it leaves unplaced
 * equal the demand (`test/rules` checks this for every rule in `all`).
 *
 * @example
 * ```ts
 * import { AllocationRule } from "@seatplan/sim"
 * // Everyone to the zoned school, however full (overcrowding allowed):
 * const rule = AllocationRule.catchmentOnly
 * rule.allocate(input, output)
 * ```
 */

/** What a rule sees for one level in one year. Arrays are the engine's; a rule must not write to them. */
export interface AllocationInput {
  readonly settlements: number
  readonly schools: number
  readonly levels: number
  /** Grade stride of `demand` and `enrolled` (15), and this level's grade index range [first, end). */
  readonly grades: number
  readonly level: number
  readonly firstGrade: number
  readonly endGrade: number
  /** settlement × grade: pupils living in each settlement, by grade. */
  readonly demand: Float64Array
  /**
   * level × settlement (like `catchment`): each settlement's pupils of each level, `demand` summed over the
   * level's grades in order (`demandOf`), as the engine's enrolment kept them; absent, a rule sums `demand`.
   */
  readonly levelDemand?: Float64Array
  /** level × settlement → zoned school index, or -1 (use `catchment[level * settlements + s]`). */
  readonly catchment: Int32Array
  /**
   * Split catchments (学区划分 by street), level × settlement like `catchment`: the second school (-1 none)
   * and the share of the settlement's pupils it takes (`splitOf`, `splitShare`); absent, no catchment is split.
   */
  readonly split?: { readonly school: Int32Array; readonly share: Float64Array }
  readonly open: Uint8Array
  /** school × level flags. */
  readonly teaches: Uint8Array
  /** Seats each school has for this level (its seats shared among its levels). */
  readonly capacity: Float64Array
  /** Boarding beds each school has for this level. */
  readonly beds: Float64Array
  /** Per settlement × level: candidate schools nearest first, with distances (see `Distance.nearest`). */
  readonly candidates: Int32Array
  readonly candidateKm: Float64Array
  readonly candidateCount: Uint8Array
  readonly candidateWidth: number
  /** Pupils living farther than this from their school board (km), where the level boards at all (`boards`). */
  readonly boardingKm: number
  /**
   * Whether pupils of this level may board: false for kindergarten (幼儿园 children never board, however far
   * they live; docs/standards.md `distance.kindergarten`), true for the other levels.
   */
  readonly boards: boolean
  /**
   * The distance standard in force for the level (km, `distance.{level}`): a day pupil living farther is
   * counted in `beyond` (a kindergarten child beyond the service radius, a pupil who should board but walks).
   */
  readonly distanceKm: number
}

/** What a rule adds to. The engine zeroes it before the year's first level. */
export interface AllocationOutput {
  /** school × grade pupils. */
  readonly enrolled: Float64Array
  /** school × level: pupils times the km they live from the school. */
  readonly pupilKm: Float64Array
  /** school × level: the farthest any of its pupils lives, km. */
  readonly maxKm: Float64Array
  /** school × level pupils boarding. */
  readonly boarders: Float64Array
  /** school × level day pupils (not boarding) living farther than the level's distance standard (`distanceKm`). */
  readonly beyond: Float64Array
  /** settlement × level pupils with no school to go to. */
  readonly unplaced: Float64Array
  /** Two schools long (2 × schools), zeroed before each call: free for the rule (e.g. seats taken so far). */
  readonly scratch: Float64Array
  /** Two settlements long (2 × settlements), free for the rule (e.g. each settlement's demand). */
  readonly settlementScratch: Float64Array
  /**
   * Told of every `send` (settlement, school, share of the settlement's pupils), in the rule's order; the
   * engine leaves it out, provenance listens (what the rule itself did, whatever the rule).
   */
  readonly onSend?: (s: number, k: number, share: number) => void
}

export interface AllocationRule {
  /** The name scenarios use (`allocation: catchment-then-nearest`). */
  readonly name: string
  /** One sentence a planner understands. */
  readonly description: string
  readonly allocate: (input: AllocationInput, output: AllocationOutput) => void
}

// == helpers shared by the rules

/** Total pupils of the level living in settlement `s`. */
export const demandOf = (input: AllocationInput, s: number): number => {
  if (input.levelDemand !== undefined) return input.levelDemand[input.level * input.settlements + s]
  let total = 0
  const base = s * input.grades
  for (let g = input.firstGrade; g < input.endGrade; g++) total += input.demand[base + g]
  return total
}

/** Whether school `k` can take pupils of the level now. */
export const serves = (input: AllocationInput, k: number): boolean =>
  k >= 0 && input.open[k] === 1 && input.teaches[k * input.levels + input.level] === 1

/** The km from settlement `s` to school `k` from the candidate list, or -1 when `k` is not a candidate. */
export const kmTo = (input: AllocationInput, s: number, k: number): number => {
  const base = (s * input.levels + input.level) * input.candidateWidth
  const n = input.candidateCount[s * input.levels + input.level]
  for (let i = 0; i < n; i++) if (input.candidates[base + i] === k) return input.candidateKm[base + i]
  return -1
}

/** The zoned school of `s` if it serves the level, else the nearest candidate that does, else -1. */
export const homeSchool = (input: AllocationInput, s: number): number => {
  const zoned = input.catchment[input.level * input.settlements + s]
  if (serves(input, zoned)) return zoned
  const base = (s * input.levels + input.level) * input.candidateWidth
  const n = input.candidateCount[s * input.levels + input.level]
  for (let i = 0; i < n; i++) {
    const k = input.candidates[base + i]
    if (serves(input, k)) return k
  }
  return -1
}

/**
 * The second school of settlement `s`'s split catchment when it serves the level and is not `home` (the
 * school the rest go to), else -1.
 */
export const splitOf = (input: AllocationInput, s: number, home: number): number => {
  if (input.split === undefined) return -1
  const k = input.split.school[input.level * input.settlements + s]
  return k >= 0 && k !== home && serves(input, k) ? k : -1
}

/**
 * The share of settlement `s`'s `total` pupils its split school takes (0 when `second` is -1): whole pupils,
 * round(total × share) (never more than `total`), so a split sends no fraction of a child to the second
 * school and, the rest going home, loses and duplicates none.
 */
export const splitShare = (input: AllocationInput, s: number, total: number, second: number): number =>
  second < 0 || total <= 0 ? 0 : Math.min(total, Math.round(total * input.split!.share[input.level * input.settlements + s])) / total

/**
 * Sends `share` of settlement `s`'s pupils (each grade alike) to school `k`, `km` away; those beyond the
 * boarding distance count as boarders where the level boards (never kindergarten), and day pupils beyond the
 * level's distance standard count in `beyond`.
 */
export const send = (input: AllocationInput, output: AllocationOutput, s: number, k: number, share: number, km: number): number => {
  const base = s * input.grades
  const kBase = k * input.grades
  let moved = 0
  for (let g = input.firstGrade; g < input.endGrade; g++) {
    const pupils = input.demand[base + g] * share
    output.enrolled[kBase + g] += pupils
    moved += pupils
  }
  const slot = k * input.levels + input.level
  output.onSend?.(s, k, share)
  output.pupilKm[slot] += moved * Math.max(0, km)
  if (moved > 0 && km > output.maxKm[slot]) output.maxKm[slot] = km
  if (input.boards && km > input.boardingKm) output.boarders[slot] += moved
  else if (km > input.distanceKm) output.beyond[slot] += moved
  return moved
}

/**
 * Sends up to `left` of settlement `s`'s `total` pupils to its candidate schools, nearest first, skipping
 * `home` and schools that do not serve the level, each taking no more than `limit[k] − used[offset + k]`
 * (seats or beds still free); updates `used`. Returns the pupils no candidate had room for.
 */
export const spill = (
  input: AllocationInput,
  output: AllocationOutput,
  s: number,
  home: number,
  total: number,
  left: number,
  limit: Float64Array,
  used: Float64Array,
  offset: number
): number => {
  const base = (s * input.levels + input.level) * input.candidateWidth
  const n = input.candidateCount[s * input.levels + input.level]
  for (let i = 0; i < n && left > 1e-9; i++) {
    const k = input.candidates[base + i]
    if (k === home || !serves(input, k)) continue
    const free = limit[k] - used[offset + k]
    if (free <= 0) continue
    const moved = Math.min(free, left)
    send(input, output, s, k, moved / total, input.candidateKm[base + i])
    used[offset + k] += moved
    left -= moved
  }
  return left
}
