/**
 * An allocation rule of one's own (按学位入学, seats or unplaced): every pupil goes to the zoned school
 * while it has seats, then to the nearest school of the level with seats left; a pupil no school has a
 * seat for is unplaced (the county's seat shortfall) instead of overcrowding a school. Its properties are
 * tested in packages/sim/test/customRule.test.ts. A scenario can name it (`allocation:
 * ./custom-allocation-rule.ts` under tsx; the bundled CLI needs a .mjs or .js module).
 */
import { AllocationRule } from "@seatplan/sim"

const { demandOf, homeSchool, kmTo, send, spill } = AllocationRule

export const seatsOrUnplaced: AllocationRule.AllocationRule = {
  name: "seats-or-unplaced",
  description: "zoned school up to its seats, then the nearest school with seats left; no seat anywhere: unplaced",
  allocate: (input, output) => {
    // seats taken so far, per school: the engine zeroes `scratch` before each call
    const taken = output.scratch
    for (let s = 0; s < input.settlements; s++) {
      const total = demandOf(input, s)
      if (total === 0) continue
      const home = homeSchool(input, s)
      let left = total
      if (home >= 0) {
        const seats = Math.min(left, Math.max(0, input.capacity[home] - taken[home]))
        if (seats > 0) {
          send(input, output, s, home, seats / total, kmTo(input, s, home))
          taken[home] += seats
          left -= seats
        }
      }
      // the rest to the nearest schools with seats left (spill skips `home` and schools not teaching the level)
      left = spill(input, output, s, home, total, left, input.capacity, taken, 0)
      if (left > 0) output.unplaced[s * input.levels + input.level] += left
    }
  }
}

export default seatsOrUnplaced
