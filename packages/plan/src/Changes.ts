/**
 * What a plan does to schools, defined once: each of a variant's plan events as a change, read against
 * the world just before it (so that a boarding step, which sets the bed total, counts the beds it adds).
 * The six accounts and the ledger both count these changes, so a step appears the same way in each, and
 * their costs are the engine's (`Costs.capital` when an event gives none): Σ cost of a year's changes is
 * the county table's capital cost of that year.
 */
import { type Event, World } from "@seatplan/core"
import { Costs } from "@seatplan/sim"
import type * as Project from "./Project.js"

export type Kind = "opened" | "expanded" | "invested" | "closed or merged" | "repurposed" | "beds removed" | "other"

export interface Change {
  readonly year: number
  readonly kind: Kind
  /** The schools the change is about (the receiving school of a merge is not one of them). */
  readonly schools: ReadonlyArray<string>
  /** Where a closed or merged school's pupils go (the receiving school), when the event says. */
  readonly into?: string
  readonly seats: number
  readonly classrooms: number
  /** Boarding beds added (an opening's beds, an expansion's, or a boarding step's increase over the total before it). */
  readonly beds: number
  /** Capital cost in yuan: the event's own, else seats, classrooms and beds at the unit costs (`Costs.capital`). */
  readonly cost: number
}

/**
 * The changes of a variant's plan: its events after the first `baselineEvents` (the fork of the baseline),
 * each read against the world the events before it made. Events the world ignored change nothing. *
 * `forked`, when given, is the world the first `baselineEvents` events make (folded in their order): those
 * events are not applied again (a server asks for the changes of many plans on one baseline).
 */
export const of = (
  result: Pick<Project.VariantResult, "events" | "model">,
  baselineEvents: number,
  forked?: World.World
): ReadonlyArray<Change> => {
  const a = result.model.assumptions
  const changes: Array<Change> = []
  // one world built event by event (World.evolve copies the whole world for each event: minutes for a county)
  const built = World.builder(forked)
  const world = built.world
  result.events.forEach((stored, i) => {
    if (forked !== undefined && i < baselineEvents) return
    const e: Event.Event = stored.event
    const ignored = world.ignored
    // read before the event applies: a boarding step counts the beds over the total before it
    const bedsBefore = e._tag === "BoardingChanged" ? (world.schools.get(e.schoolId)?.facilities.boardingBeds ?? 0) : 0
    built.apply(e)
    const taken = world.ignored === ignored
    if (i >= baselineEvents && taken) {
      const change = (kind: Kind, schools: ReadonlyArray<string>, seats = 0, classrooms = 0, beds = 0, cost = 0): Change => ({
        year: e.year,
        kind,
        schools,
        seats,
        classrooms,
        beds,
        cost
      })
      switch (e._tag) {
        case "SchoolOpened": {
          const f = e.school.facilities
          changes.push(
            change("opened", [e.school.id], f.seats, f.classrooms, f.boardingBeds, Costs.capital(a, f.seats, f.classrooms, f.boardingBeds))
          )
          break
        }
        case "SchoolExpanded": {
          const [seats, classrooms, beds] = [Math.max(0, e.seats), Math.max(0, e.classrooms), Math.max(0, e.boardingBeds)]
          // no seats, classrooms or beds: a facility investment (an `invest` step: equipment, rooms, grounds)
          const kind = seats + classrooms + beds === 0 && e.seats + e.classrooms + e.boardingBeds === 0 ? "invested" : "expanded"
          changes.push(change(kind, [e.schoolId], seats, classrooms, beds, e.cost ?? Costs.capital(a, seats, classrooms, beds)))
          break
        }
        case "BoardingChanged": {
          const delta = e.beds - bedsBefore
          changes.push(
            delta > 0
              ? change("expanded", [e.schoolId], 0, 0, delta, e.cost ?? Costs.capital(a, 0, 0, delta))
              : change("beds removed", [e.schoolId], 0, 0, 0, e.cost ?? 0)
          )
          break
        }
        case "SchoolClosed":
          changes.push({ ...change("closed or merged", [e.schoolId]), ...(e.pupilsTo === undefined ? {} : { into: e.pupilsTo }) })
          break
        case "SchoolsMerged":
          changes.push({
            ...change(
              "closed or merged",
              e.absorbed.filter((id) => id !== e.into)
            ),
            into: e.into
          })
          break
        case "SchoolRepurposed":
        case "SchoolConverted":
          changes.push(change("repurposed", [e.schoolId]))
          break
        default:
          changes.push(change("other", []))
      }
    }
  })
  return changes
}
