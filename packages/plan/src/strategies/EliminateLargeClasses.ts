/** 消除大班额 (eliminate large classes): the classrooms each school is missing in a target year. */

export const EliminateLargeClasses = Schema.Struct({
  strategy: Schema.Literal("eliminate-large-classes"),
  /** The year the classrooms are built. */
  year: Year,
  /** The year by which no class may exceed its cap. */
  targetYear: Year
})

/**
 * 消除大班额: the expansions that keep every class within its cap (45 primary, 50 junior and senior, 30
 * kindergarten) in the target year, under the scenario's own allocation: each open school gets the
 * classrooms its grades need, ceil(pupils / cap) per grade, beyond those it has, with a seat per place.
 */
import { Schema } from "effect"
import type * as Scenario from "../PlanStep.js"
import { Year } from "../PlanStep.js"
import { type Context, needsOver } from "./Context.js"
export const eliminateLargeClasses = (
  ctx: Context,
  p: Omit<typeof EliminateLargeClasses.Type, "strategy">
): ReadonlyArray<Scenario.PlanStep> => {
  const needs = needsOver(ctx.events, ctx.compile, p.targetYear, p.targetYear)
  const steps: Array<Scenario.PlanStep> = []
  for (const [id, need] of needs) {
    const school = ctx.world.schools.get(id as never)
    if (school === undefined || school.status !== "open") continue
    const missing = need.classrooms - school.facilities.classrooms
    if (missing <= 0) continue
    steps.push({
      type: "expand",
      year: p.year,
      school: school.id,
      classrooms: missing,
      seats: Math.max(0, need.seats - school.facilities.seats),
      floorArea: missing * 75,
      multimediaRooms: missing
    })
  }
  return steps
}
