/**
 * What a layout strategy sees (the world and events after the plan so far, and how the scenario projects)
 * and what strategies share: a projection's peak needs per school, and the expansion that meets a need.
 */
import { type Event, School, type Standards, type World } from "@seatplan/core"
import { AllocationRule, Compile, type Completeness, Dimensions, Engine } from "@seatplan/sim"
import { Schema } from "effect"
import type * as Scenario from "../PlanStep.js"
import * as Numbers from "@seatplan/core/Numbers"

/** Pupils, children or km: finite, above 0, at most 1e9. */
export const Positive = Numbers.bounded(0, Numbers.maxCount, "above 0").pipe(Schema.positive()).annotations({
  description: "a finite number above 0, at most 1e9"
})

/** What a strategy sees: the world and events after the plan so far, and how the scenario projects. */
export interface Context {
  /** The world with the history and every step of the plan so far applied. */
  readonly world: World.World
  /** The history and the plan so far, as events (what a projection compiles). */
  readonly events: ReadonlyArray<Event.Event>
  /** The plan so far. */
  readonly steps: ReadonlyArray<Scenario.PlanStep>
  /** How the scenario projects: base year, horizon, assumptions, allocation rule, method. */
  readonly compile: Compile.Options & { readonly baseYear: number; readonly horizon: number }
  /** The events of `steps` added to the plan so far (decided against the world): for probing a projection. */
  readonly withSteps: (steps: ReadonlyArray<Scenario.PlanStep>) => ReadonlyArray<Event.Event>
  /** The figures each school of the scenario leaves out (checks that need them are unknown, not failed); none when absent. */
  readonly missing?: Completeness.Missing
}

/** What a school needs at the projected peak: classrooms to keep every class within its cap, seats, beds. */
export interface Need {
  readonly classrooms: number
  readonly seats: number
  readonly beds: number
}

/**
 * Projects the plan so far plus `extra` steps with every pupil sent to the school zoned for them (catchment
 * only, so a receiving school's need is not hidden by overflow), and returns each school's peak need over
 * the years from `from` to the end of the horizon.
 */
export const peakNeeds = (ctx: Context, extra: ReadonlyArray<Scenario.PlanStep>, from: number): ReadonlyMap<string, Need> => {
  const events = extra.length === 0 ? ctx.events : ctx.withSteps(extra)
  return needsOver(events, { ...ctx.compile, rule: AllocationRule.catchmentOnly }, from, ctx.compile.baseYear + ctx.compile.horizon)
}

/** Each open school's peak need over the years `from`..`to` of a projection of `events` (none for schools with rooms per grade). */
export const needsOver = (
  events: ReadonlyArray<Event.Event>,
  options: Compile.Options & { readonly baseYear: number },
  from: number,
  to: number
): ReadonlyMap<string, Need> => {
  const m = Compile.compile(events, { ...options, horizon: Math.max(1, to - options.baseYear) })
  const classrooms = new Float64Array(m.schools)
  const seats = new Float64Array(m.schools)
  const beds = new Float64Array(m.schools)
  const G = Dimensions.grades
  const L = Dimensions.levels
  Engine.run(m, {
    population: false,
    onYear: (y) => {
      if (m.baseYear + y < from) return
      for (let k = 0; k < m.schools; k++) {
        if (m.open[k] !== 1) continue
        let rooms = 0
        let places = 0
        for (let g = 0; g < G; g++) {
          const pupils = Math.round(m.enrolled[k * G + g])
          if (pupils <= 0) continue
          const cap = m.classCap[Dimensions.levelOfGradeIndex[g]]
          const classes = Math.ceil(pupils / cap)
          rooms += classes
          places += classes * cap
        }
        let boarders = 0
        for (let l = 0; l < L; l++) boarders += m.boarders[k * L + l]
        classrooms[k] = Math.max(classrooms[k], rooms)
        seats[k] = Math.max(seats[k], places)
        beds[k] = Math.max(beds[k], Math.ceil(boarders - 1e-9))
      }
    }
  })
  const out = new Map<string, Need>()
  for (let k = 0; k < m.schools; k++) {
    // schools with rooms per grade form classes their own way: left to the planner
    if (m.hasGradeRooms[k] !== 1) out.set(m.schoolIds[k], { classrooms: classrooms[k], seats: seats[k], beds: beds[k] })
  }
  return out
}

/** The expansion that brings a school up to a need (with the 优质均衡 floor area, grounds and equipment per new seat), if any. */
export const expandTo = (world: World.World, school: School.SchoolState, need: Need, year: number): Scenario.PlanStep | undefined => {
  const f = school.facilities
  const classrooms = Math.max(0, need.classrooms - f.classrooms)
  const seats = Math.max(0, need.seats - f.seats)
  const beds = Math.max(0, need.beds - f.boardingBeds)
  if (classrooms === 0 && seats === 0 && beds === 0) return undefined
  const level: "primary" | "junior" = School.teaches(school.type, "primary") ? "primary" : "junior"
  const per = (name: string) => world.standards[`quality.${name}.${level}` as Standards.StandardKey]
  return {
    type: "expand",
    year,
    school: school.id,
    classrooms,
    seats,
    boardingBeds: beds,
    floorArea: Math.round(seats * per("floorAreaPerPupil")),
    sportsArea: Math.round(seats * per("sportsAreaPerPupil")),
    equipmentValue: Math.round(seats * per("equipmentPerPupil")),
    multimediaRooms: classrooms
  }
}

export const openSchools = (world: World.World) => [...world.schools.values()].filter((s) => s.status === "open")
