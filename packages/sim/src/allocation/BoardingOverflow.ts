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
 * Catchment, then boarding (寄宿制): pupils within the boarding distance of their zoned school attend it
 * as day pupils; those farther board there while it has free beds, and otherwise at the nearest school of
 * the level with free beds. Boarders no school has a bed for stay at the zoned school, counted as
 * boarders (the shortfall shows as boarders above beds). Kindergarten children never board: they attend
 * the zoned kindergarten as day pupils (those beyond its service radius are counted in `beyond`).
 */
export const catchmentThenBoarding: AllocationRule = {
  name: "catchment-then-boarding",
  description: "zoned school; pupils beyond the boarding distance board there, or where beds are free",
  allocate: (input: AllocationInput, output: AllocationOutput) => {
    for (let s = 0; s < input.settlements; s++) {
      const total = demandOf(input, s)
      if (total === 0) continue
      const home = homeSchool(input, s)
      if (home < 0) {
        output.unplaced[s * input.levels + input.level] += total
        continue
      }
      const second = splitOf(input, s, home)
      const f = splitShare(input, s, total, second)
      if (f < 1) place(input, output, s, home, total, 1 - f)
      if (f > 0) place(input, output, s, second, total, f)
    }
  }
}

/** Places `share` of settlement `s`'s `total` pupils with school `home`, boarders where beds are free. */
const place = (input: AllocationInput, output: AllocationOutput, s: number, home: number, total: number, share: number): void => {
  const bedsUsed = output.scratch
  const km = kmTo(input, s, home)
  if (!input.boards || km <= input.boardingKm) {
    send(input, output, s, home, share, km)
    return
  }
  let left = total * share
  const atHome = Math.min(left, Math.max(0, input.beds[home] - bedsUsed[home]))
  if (atHome > 0) {
    send(input, output, s, home, atHome / total, km)
    bedsUsed[home] += atHome
    left -= atHome
  }
  left = spill(input, output, s, home, total, left, input.beds, bedsUsed, 0)
  if (left > 0) send(input, output, s, home, left / total, km)
}
