/** 幼儿园就近就便 (kindergartens near homes): closed buildings reopen as kindergartens; places without one nearby get one. */
import { School } from "@seatplan/core"
import { Compile, Dimensions, Engine } from "@seatplan/sim"
import { Schema } from "effect"
import type * as Scenario from "../PlanStep.js"
import { Year } from "../PlanStep.js"
import { type Context, Positive, openSchools } from "./Context.js"
import { distance } from "./Consolidation.js"

export const KindergartensNearHomes = Schema.Struct({
  strategy: Schema.Literal("kindergartens-near-homes"),
  year: Year,
  /** Places with at least this many children aged 3-5 at the projected peak get a kindergarten (default 20). */
  minChildren: Schema.optional(Positive),
  /** A place is served when a kindergarten is this close (default the kindergarten service radius in force, `distance.kindergarten`, 2 km). */
  withinKm: Schema.optional(Positive)
})

/** 幼儿园就近就便: closed buildings reopen as kindergartens; places without one nearby get one. */
export const kindergartensNearHomes = (
  ctx: Context,
  p: Omit<typeof KindergartensNearHomes.Type, "strategy">
): ReadonlyArray<Scenario.PlanStep> => {
  const world = ctx.world
  const minChildren = p.minChildren ?? 20
  const withinKm = p.withinKm ?? world.standards["distance.kindergarten"]
  const participation = ctx.compile.assumptions?.participation.kindergarten ?? 0.92
  const cap = world.standards["classCap.kindergarten"]
  const perTeacher = world.standards["pupilsPerStaff.kindergarten"]
  const young = peakChildren(ctx, p.year, 3, 5)
  const closedIn = new Map<string, number>()
  for (const s of ctx.steps) {
    if (s.type === "close") closedIn.set(s.school, s.year)
    if (s.type === "merge") for (const id of s.schools) closedIn.set(id, s.year)
  }
  const served: Array<{ readonly lon: number; readonly lat: number }> = openSchools(world).filter((s) =>
    School.teaches(s.type, "kindergarten")
  )
  const steps: Array<Scenario.PlanStep> = []
  for (const place of world.settlements.values()) {
    const children = young.get(place.id) ?? 0
    if (children < minChildren || served.some((k) => distance(place, k) <= withinKm)) continue
    const pupils = Math.ceil(children * participation)
    const classes = Math.ceil(pupils / cap)
    const teachers = Math.ceil(pupils / perTeacher)
    const building = [...world.schools.values()].find((s) => s.status === "closed" && s.settlementId === place.id)
    if (building !== undefined) {
      const year = Math.max(p.year, closedIn.get(building.id) ?? p.year)
      steps.push({ type: "repurpose", year, school: building.id, use: "kindergarten" })
      if (building.facilities.classrooms < classes) {
        steps.push({
          type: "expand",
          year,
          school: building.id,
          classrooms: classes - building.facilities.classrooms,
          seats: Math.max(0, classes * cap - building.facilities.seats)
        })
      }
      steps.push({ type: "hire", year, school: building.id, count: teachers })
      steps.push({ type: "catchment", year, level: "kindergarten", settlement: place.id, school: building.id })
      served.push(building)
    } else {
      const id = `KG-${place.id}`
      if (world.schools.has(id as never)) continue
      const school = {
        id,
        name: `${place.name} kindergarten`,
        type: "kindergarten" as const,
        settlement: place.id,
        classrooms: classes,
        seats: classes * cap,
        teachers: { total: teachers, byAge: { "under-30": teachers } }
      }
      steps.push({ type: "open", year: p.year, school })
      steps.push({ type: "catchment", year: p.year, level: "kindergarten", settlement: place.id, school: id })
      served.push(place)
    }
  }
  return steps
}

/** Each place's peak number of children aged `min`..`max` from `from` to the end of the horizon. */
const peakChildren = (ctx: Context, from: number, min: number, max: number): ReadonlyMap<string, number> => {
  const m = Compile.compile(ctx.events, ctx.compile)
  const peak = new Float64Array(m.settlements)
  Engine.run(m, {
    population: false,
    onYear: (y) => {
      if (m.baseYear + y < from) return
      for (let s = 0; s < m.settlements; s++) {
        let n = 0
        for (let a = min; a <= max; a++) n += m.pop[s * Dimensions.ages + a]
        peak[s] = Math.max(peak[s], n)
      }
    }
  })
  return new Map(m.settlementIds.map((id, s) => [id, peak[s]]))
}
