/** 小学向乡镇集中 (primary toward townships): small village primary schools close into their township's central school. */
import { School } from "@seatplan/core"
import { Schema } from "effect"
import type * as Scenario from "../PlanStep.js"
import { Year } from "../PlanStep.js"
import { type Context, Positive, openSchools } from "./Context.js"
import { basePupils, consolidate, primaryTypes, type Consolidation } from "./Consolidation.js"

export const PrimaryTowardTownships = Schema.Struct({
  strategy: Schema.Literal("primary-toward-townships"),
  /** The year the receiving schools are expanded; the small schools close the year after. */
  year: Year,
  /** Schools with fewer primary pupils than this close (default 100: 乡村小规模学校). */
  maxPupils: Schema.optional(Positive),
  /** Reopen the closed buildings as kindergartens at once (default false: leave it to kindergartens-near-homes). */
  kindergartens: Schema.optional(Schema.Boolean),
  /** Only these townships (default all): a phased plan applies the strategy township by township. */
  townships: Schema.optional(Schema.Array(Schema.String))
})

/** 小学向乡镇集中: small village primary schools close into their township's central school. */
export const primaryTowardTownships = (
  ctx: Context,
  p: Omit<typeof PrimaryTowardTownships.Type, "strategy">
): ReadonlyArray<Scenario.PlanStep> => {
  const world = ctx.world
  const maxPupils = p.maxPupils ?? 100
  const pupilsOfLevel = basePupils(ctx)
  const open = openSchools(world)
  const only = p.townships === undefined ? undefined : new Set(p.townships)
  const closures: Array<Consolidation["closures"][number]> = []
  for (const township of [...world.settlements.values()].filter((s) => s.tier === "township" && (only?.has(s.id) ?? true))) {
    const central = open
      .filter((s) => s.settlementId === township.id && School.teaches(s.type, "primary") && !School.teaches(s.type, "senior"))
      .sort((a, b) => b.facilities.seats - a.facilities.seats)[0]
    if (central === undefined) continue
    for (const s of open) {
      const home = world.settlements.get(s.settlementId)
      if (
        home?.tier === "village" &&
        home.parent === township.id &&
        primaryTypes.includes(s.type) &&
        pupilsOfLevel(s, "primary") < maxPupils
      ) {
        closures.push({ school: s, into: central })
      }
    }
  }
  return consolidate(ctx, { year: p.year, closures, alsoSized: [], kindergartens: p.kindergartens === true })
}
