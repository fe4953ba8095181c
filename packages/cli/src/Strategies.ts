/**
 * Layout strategies (布局策略): pure functions that, from the world as of the base year, write the
 * steps of a plan variant. Each builds before it closes (先建后撤), so the plan it writes passes `decide`.
 *
 * - `primaryTowardTownships` (小学向乡镇集中): village primary schools and teaching points under a size
 *   threshold close into their township's central school, which is first expanded with the classrooms,
 *   seats and boarding beds their pupils need; the closed buildings reopen as kindergartens (幼儿园就近就便).
 * - `eliminateLargeClasses` (消除大班额): projects the plan to a target year and expands every school whose
 *   grades would need more classrooms than it has to keep every class within the cap, by exactly the
 *   classrooms missing.
 */
import { type Event, School, World } from "@seatplan/core"
import { Compile, Dimensions, Distance, Engine } from "@seatplan/sim"
import type * as Scenario from "./Scenario.js"

export interface PrimaryTowardTownships {
  /** The year the central schools are expanded; the village schools close the year after. */
  readonly year: number
  /** Village schools with fewer recorded pupils than this close (default 100: 乡村小规模学校). */
  readonly maxPupils?: number
  /** Pupils living farther than this from the central school get a boarding bed (default 3 km). */
  readonly boardingKm?: number
  /** Seats built per pupil moved (default 1.15: room for growth and uneven grades). */
  readonly seatMargin?: number
  /** Reopen the closed buildings as kindergartens (default true). */
  readonly kindergartens?: boolean
  /** Only these townships (default all): a phased plan applies the strategy township by township. */
  readonly townships?: ReadonlyArray<string>
}

const primaryTypes: ReadonlyArray<School.SchoolType> = ["primary", "teaching-point"]

/** The steps of "primary toward townships" for every township that has small village schools. */
export const primaryTowardTownships = (world: World.World, p: PrimaryTowardTownships): ReadonlyArray<Scenario.PlanStep> => {
  const maxPupils = p.maxPupils ?? 100
  const boardingKm = p.boardingKm ?? 3
  const margin = p.seatMargin ?? 1.15
  const open = [...world.schools.values()].filter((s) => s.status === "open")
  const steps: Array<Scenario.PlanStep> = []
  const only = p.townships === undefined ? undefined : new Set(p.townships)
  for (const township of [...world.settlements.values()].filter((s) => s.tier === "township" && (only?.has(s.id) ?? true))) {
    const central = open
      .filter((s) => s.settlementId === township.id && School.teaches(s.type, "primary") && !School.teaches(s.type, "senior"))
      .sort((a, b) => b.facilities.seats - a.facilities.seats)[0]
    if (central === undefined) continue
    const small = open.filter((s) => {
      const home = world.settlements.get(s.settlementId)
      return home?.tier === "village" && home.parent === township.id && primaryTypes.includes(s.type) &&
        World.pupilsOf(world, s.id) < maxPupils
    })
    if (small.length === 0) continue
    const moved = small.reduce((n, s) => n + World.pupilsOf(world, s.id), 0)
    const far = small.reduce((n, s) => {
      const home = world.settlements.get(s.settlementId)!
      return n + (Distance.km(home.lon, home.lat, central.lon, central.lat) > boardingKm ? World.pupilsOf(world, s.id) : 0)
    }, 0)
    const crowding = Math.max(0, World.pupilsOf(world, central.id) - central.facilities.seats)
    const classrooms = Math.ceil((crowding + moved * margin) / 45)
    const seats = classrooms * 45
    steps.push({
      type: "expand",
      year: p.year,
      school: central.id,
      classrooms,
      seats,
      boardingBeds: Math.ceil(far * margin),
      floorArea: seats * 4.5,
      sportsArea: seats * 7.5,
      equipmentValue: seats * 2000,
      multimediaRooms: classrooms
    })
    for (const s of small) {
      steps.push({ type: "close", year: p.year + 1, school: s.id, into: central.id })
      if (p.kindergartens !== false) steps.push({ type: "repurpose", year: p.year + 1, school: s.id, use: "kindergarten" })
    }
  }
  return steps
}

export interface EliminateLargeClasses {
  /** The year the classrooms are built. */
  readonly year: number
  /** The year by which no class may exceed its cap. */
  readonly targetYear: number
  /** How the projection is compiled (rule, assumptions…); its base year is the events' default. */
  readonly compile?: Compile.Options
}

/**
 * The expansions that keep every class within its cap (45 primary, 50 junior and senior, 30 kindergarten)
 * in the target year: the events (history and the plan so far) are projected to that year, and each open
 * school gets the classrooms its grades need, ceil(pupils / cap) per grade, beyond those it has, with a
 * seat per place.
 */
export const eliminateLargeClasses = (
  events: ReadonlyArray<Event.Event>,
  p: EliminateLargeClasses
): ReadonlyArray<Scenario.PlanStep> => {
  const probe = Compile.compile(events, { ...p.compile, horizon: Math.max(1, p.targetYear - (p.compile?.baseYear ?? Compile.defaultBaseYear(events) ?? p.year)) })
  Engine.run(probe, { population: false })
  const steps: Array<Scenario.PlanStep> = []
  for (let k = 0; k < probe.schools; k++) {
    if (probe.open[k] !== 1 || probe.hasGradeRooms[k] === 1) continue
    let needed = 0
    let seats = 0
    for (let g = 0; g < Dimensions.grades; g++) {
      const pupils = Math.round(probe.enrolled[k * Dimensions.grades + g])
      if (pupils <= 0) continue
      const cap = probe.classCap[Dimensions.levelOfGradeIndex[g]]
      const classes = Math.ceil(pupils / cap)
      needed += classes
      seats += classes * cap
    }
    const missing = needed - probe.classrooms[k]
    if (missing <= 0) continue
    steps.push({
      type: "expand",
      year: p.year,
      school: probe.schoolIds[k],
      classrooms: missing,
      seats: Math.max(0, seats - probe.seats[k]),
      floorArea: missing * 75,
      multimediaRooms: missing
    })
  }
  return steps
}
