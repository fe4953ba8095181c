/**
 * Consolidation, what the primary, junior and senior strategies share: which schools close into which,
 * receivers expanded to the projected peak in `year`, closures in `year + 1` (先建后撤).
 */
import { type School, World } from "@seatplan/core"
import { Compile, Dimensions, Distance, Engine } from "@seatplan/sim"
import type * as Scenario from "../PlanStep.js"
import { type Context, expandTo, peakNeeds } from "./Context.js"

export type Level = "primary" | "junior" | "senior"

/** A consolidation: which schools close into which, and which schools are sized to the peak. */
export interface Consolidation {
  readonly year: number
  readonly closures: ReadonlyArray<{ readonly school: School.SchoolState; readonly into: School.SchoolState }>
  /** Schools sized to the projected peak besides those receiving closures. */
  readonly alsoSized: ReadonlyArray<School.SchoolState>
  readonly kindergartens: boolean
}

/**
 * Each school's pupils by level in the base year as the scenario projects them (recorded enrolment where
 * there is some, the population model's where not): what "a school under N pupils" is measured on.
 */
export const basePupils = (ctx: Context): ((s: School.SchoolState, level: Level) => number) => {
  const m = Compile.compile(ctx.events, { ...ctx.compile, horizon: 1 })
  const L = Dimensions.levels
  const G = Dimensions.grades
  const pupils = new Float64Array(m.schools * L)
  Engine.run(m, {
    population: false,
    onYear: (y) => {
      if (y !== 0) return
      for (let k = 0; k < m.schools; k++) {
        for (let g = 0; g < G; g++) pupils[k * L + Dimensions.levelOfGradeIndex[g]] += m.enrolled[k * G + g]
      }
    }
  })
  return (s, level) => {
    const k = m.schoolIndex.get(s.id)
    return k === undefined ? 0 : pupils[k * L + Dimensions.levelIndex(level)]
  }
}
export const tierOf = (world: World.World, s: School.SchoolState) => world.settlements.get(s.settlementId)?.tier
export const distance = (a: { readonly lon: number; readonly lat: number }, b: { readonly lon: number; readonly lat: number }) =>
  Distance.km(a.lon, a.lat, b.lon, b.lat)

/** The steps of a consolidation: receivers expanded to the projected peak in `year`, closures in `year + 1`. */
export const consolidate = (ctx: Context, c: Consolidation): ReadonlyArray<Scenario.PlanStep> => {
  if (c.closures.length === 0 && c.alsoSized.length === 0) return []
  const closures: Array<Scenario.PlanStep> = c.closures.map(({ school, into }) => ({
    type: "close",
    year: c.year + 1,
    school: school.id,
    into: into.id
  }))
  const receivers = new Map<string, School.SchoolState>()
  for (const { into } of c.closures) receivers.set(into.id, into)
  for (const s of c.alsoSized) receivers.set(s.id, s)
  // the recorded pupils of a receiver and of the schools closing into it must all find seats (先建后撤, as decide checks)
  const moving = new Map<string, number>()
  for (const { school, into } of c.closures) moving.set(into.id, (moving.get(into.id) ?? 0) + World.pupilsOf(ctx.world, school.id))
  const recordedNeed = (school: School.SchoolState) => Math.ceil(World.pupilsOf(ctx.world, school.id) + (moving.get(school.id) ?? 0))
  // the probe needs the seats too, or decide refuses its closures; seats do not change where pupils go under catchment-only
  const provisional = [...moving.keys()].flatMap((id): ReadonlyArray<Scenario.PlanStep> => {
    const seats = recordedNeed(receivers.get(id)!) - receivers.get(id)!.facilities.seats
    return seats > 0 ? [{ type: "expand", year: c.year, school: id, seats }] : []
  })
  const need = peakNeeds(ctx, [...provisional, ...closures], c.year + 1)
  const steps: Array<Scenario.PlanStep> = []
  for (const school of receivers.values()) {
    const peak = need.get(school.id)
    if (peak === undefined) continue
    const expansion = expandTo(ctx.world, school, { ...peak, seats: Math.max(peak.seats, recordedNeed(school)) }, c.year)
    if (expansion !== undefined) steps.push(expansion)
  }
  steps.push(...closures)
  if (c.kindergartens) {
    for (const { school } of c.closures) steps.push({ type: "repurpose", year: c.year + 1, school: school.id, use: "kindergarten" })
  }
  return steps
}

export const primaryTypes: ReadonlyArray<School.SchoolType> = ["primary", "teaching-point"]
