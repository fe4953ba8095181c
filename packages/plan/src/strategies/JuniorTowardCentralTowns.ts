/** 初中向中心城镇集中 (junior toward central towns): village junior schools and small township ones close into the nearest town junior school. */
import { School } from "@seatplan/core"
import { Schema } from "effect"
import type * as Scenario from "../PlanStep.js"
import { Year } from "../PlanStep.js"
import { type Context, Positive, openSchools } from "./Context.js"
import { basePupils, consolidate, distance, tierOf } from "./Consolidation.js"

export const JuniorTowardCentralTowns = Schema.Struct({
  strategy: Schema.Literal("junior-toward-central-towns"),
  year: Year,
  /** Township junior schools with fewer pupils than this close too (default 300); village ones always do. */
  maxPupils: Schema.optional(Positive)
})

/** 初中向中心城镇集中: village junior schools and small township ones close into the nearest town junior school. */
export const juniorTowardCentralTowns = (
  ctx: Context,
  p: Omit<typeof JuniorTowardCentralTowns.Type, "strategy">
): ReadonlyArray<Scenario.PlanStep> => {
  const world = ctx.world
  const maxPupils = p.maxPupils ?? 300
  const pupilsOfLevel = basePupils(ctx)
  const open = openSchools(world)
  const closing = open.filter(
    (s) =>
      s.type === "junior" && (tierOf(world, s) === "village" || (tierOf(world, s) === "township" && pupilsOfLevel(s, "junior") < maxPupils))
  )
  const closingIds = new Set(closing.map((s) => s.id))
  const towns = open.filter((s) => School.teaches(s.type, "junior") && tierOf(world, s) !== "village" && !closingIds.has(s.id))
  if (towns.length === 0) return []
  const closures = closing.map((school) => ({ school, into: towns.reduce((a, b) => (distance(school, b) < distance(school, a) ? b : a)) }))
  return consolidate(ctx, { year: p.year, closures, alsoSized: towns, kindergartens: false })
}
