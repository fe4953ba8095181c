import type { AllocationRule } from "./AllocationRule.js"
import { catchmentThenBoarding } from "./BoardingOverflow.js"
import { catchmentOnly } from "./CatchmentOnly.js"
import { catchmentThenNearest } from "./NearestWithSeats.js"

export * from "./AllocationRule.js"
export { catchmentOnly, catchmentThenBoarding, catchmentThenNearest }

/** Every rule seatplan ships, by name. */
export const all: ReadonlyArray<AllocationRule> = [catchmentOnly, catchmentThenNearest, catchmentThenBoarding]

/** The rule of a name, or undefined. */
export const byName = (name: string): AllocationRule | undefined => all.find((r) => r.name === name)
