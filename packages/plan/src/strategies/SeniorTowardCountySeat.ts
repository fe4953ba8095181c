/** 高中向县城集中 (senior toward the county seat): small senior high schools outside the county seat close into its largest senior high. */
import { School } from "@seatplan/core"
import { Schema } from "effect"
import type * as Scenario from "../PlanStep.js"
import { Year } from "../PlanStep.js"
import { type Context, Positive, openSchools } from "./Context.js"
import { basePupils, consolidate, tierOf } from "./Consolidation.js"

export const SeniorTowardCountySeat = Schema.Struct({
  strategy: Schema.Literal("senior-toward-county-seat"),
  year: Year,
  /** Senior high schools outside the county seat with fewer pupils than this close (default 1,500). */
  maxPupils: Schema.optional(Positive)
})

/** 高中向县城集中: small senior high schools outside the county seat close into its largest senior high. */
export const seniorTowardCountySeat = (
  ctx: Context,
  p: Omit<typeof SeniorTowardCountySeat.Type, "strategy">
): ReadonlyArray<Scenario.PlanStep> => {
  const world = ctx.world
  const maxPupils = p.maxPupils ?? 1500
  const pupilsOfLevel = basePupils(ctx)
  const open = openSchools(world)
  const seat = open.filter((s) => School.teaches(s.type, "senior") && tierOf(world, s) === "county-seat")
  if (seat.length === 0) return []
  const largest = [...seat].sort((a, b) => b.facilities.seats - a.facilities.seats)[0]
  const closures = open
    .filter((s) => s.type === "senior" && tierOf(world, s) !== "county-seat" && pupilsOfLevel(s, "senior") < maxPupils)
    .map((school) => ({ school, into: largest }))
  return consolidate(ctx, { year: p.year, closures, alsoSized: seat, kindergartens: false })
}
