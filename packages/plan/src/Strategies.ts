/**
 * Layout strategies (布局策略): pure functions that, from the world after a plan so far and its projection,
 * write the next steps of a plan variant. A scenario names them in a variant's `strategies`, with their
 * parameters; they compose in order (each sees the world and projection the ones before it made). Every
 * strategy builds before it closes (先建后撤): expansions are dated `year`, closures `year + 1`.
 *
 * - `primary-toward-townships` (小学向乡镇集中): village primary schools and teaching points under a size
 *   threshold close into their township's central school;
 * - `junior-toward-central-towns` (初中向中心城镇集中): village junior schools, and township ones under a
 *   size threshold, close into the nearest junior school of a township seat or the county seat;
 * - `senior-toward-county-seat` (高中向县城集中): senior high schools outside the county seat under a size
 *   threshold close into the county seat's largest senior high;
 *   each of the three expands the receiving schools (and, for junior and senior, every school of the level
 *   in the towns it concentrates on) to the classrooms, seats and boarding beds the projection needs at its
 *   peak over the rest of the horizon, with the closures in place;
 * - `kindergartens-near-homes` (幼儿园就近就便): closed school buildings in places with young children reopen as
 *   kindergartens (repurpose), and places without a kindergarten within the walking distance get one;
 * - `eliminate-large-classes` (消除大班额): projects the plan to a target year and expands every school whose
 *   grades would need more classrooms than it has, by exactly the classrooms missing;
 * - `comply-by` (全部达标): school groups by township and level (teachers shared, 10 % rotated each year),
 *   new schools, expansions, recruits by category, facility investments and books so that every counted
 *   rule holds from a target year, at least cost under a yearly budget and hiring quota; what binds (budget,
 *   teacher supply, land) and the earliest reachable year (`strategies/ComplyBy.ts`).
 */
import { Schema } from "effect"
import type * as Scenario from "./PlanStep.js"
import { ComplyBy, complyBy } from "./strategies/ComplyBy.js"
import type { Context } from "./strategies/Context.js"
import { EliminateLargeClasses, eliminateLargeClasses } from "./strategies/EliminateLargeClasses.js"
import { JuniorTowardCentralTowns, juniorTowardCentralTowns } from "./strategies/JuniorTowardCentralTowns.js"
import { KindergartensNearHomes, kindergartensNearHomes } from "./strategies/KindergartensNearHomes.js"
import { PrimaryTowardTownships, primaryTowardTownships } from "./strategies/PrimaryTowardTownships.js"
import { SeniorTowardCountySeat, seniorTowardCountySeat } from "./strategies/SeniorTowardCountySeat.js"

export { ComplyBy, complyBy, plan as complyByPlan, type Report as ComplyByReport } from "./strategies/ComplyBy.js"
export type { Context } from "./strategies/Context.js"
export { EliminateLargeClasses, eliminateLargeClasses } from "./strategies/EliminateLargeClasses.js"
export { JuniorTowardCentralTowns, juniorTowardCentralTowns } from "./strategies/JuniorTowardCentralTowns.js"
export { KindergartensNearHomes, kindergartensNearHomes } from "./strategies/KindergartensNearHomes.js"
export { PrimaryTowardTownships, primaryTowardTownships } from "./strategies/PrimaryTowardTownships.js"
export { SeniorTowardCountySeat, seniorTowardCountySeat } from "./strategies/SeniorTowardCountySeat.js"

/** A strategy and its parameters, as a scenario's variant names it. */
export const Spec = Schema.Union(
  PrimaryTowardTownships,
  JuniorTowardCentralTowns,
  SeniorTowardCountySeat,
  KindergartensNearHomes,
  EliminateLargeClasses,
  ComplyBy
)
export type Spec = typeof Spec.Type

/** The steps a strategy adds to the plan. */
export const run = (spec: Spec, ctx: Context): ReadonlyArray<Scenario.PlanStep> => {
  switch (spec.strategy) {
    case "primary-toward-townships":
      return primaryTowardTownships(ctx, spec)
    case "junior-toward-central-towns":
      return juniorTowardCentralTowns(ctx, spec)
    case "senior-toward-county-seat":
      return seniorTowardCountySeat(ctx, spec)
    case "kindergartens-near-homes":
      return kindergartensNearHomes(ctx, spec)
    case "eliminate-large-classes":
      return eliminateLargeClasses(ctx, spec)
    case "comply-by":
      return complyBy(ctx, spec)
  }
}
