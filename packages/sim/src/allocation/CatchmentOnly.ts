import {
  type AllocationInput,
  type AllocationOutput,
  type AllocationRule,
  demandOf,
  homeSchool,
  kmTo,
  send,
  splitOf,
  splitShare
} from "./AllocationRule.js"

/**
 * Catchment only (按学区就近入学, overcrowding allowed): every pupil goes to the school the settlement is
 * zoned to, however full; where that school is closed or does not teach the level, to the nearest school
 * that does. Pupils farther than the boarding distance board there (kindergarten children never board).
 */
export const catchmentOnly: AllocationRule = {
  name: "catchment-only",
  description: "every pupil to the zoned school (or the nearest open one), however full",
  allocate: (input: AllocationInput, output: AllocationOutput) => {
    for (let s = 0; s < input.settlements; s++) {
      const total = demandOf(input, s)
      if (total === 0) continue
      const k = homeSchool(input, s)
      if (k < 0) {
        output.unplaced[s * input.levels + input.level] += total
        continue
      }
      const second = splitOf(input, s, k)
      const f = splitShare(input, s, total, second)
      if (f < 1) send(input, output, s, k, 1 - f, kmTo(input, s, k))
      if (f > 0) send(input, output, s, second, f, kmTo(input, s, second))
    }
  }
}
