/**
 * Splits a stream's events by their place in the projection: the recorded world up to the base year
 * (structural events folded into the world, demography read straight into arrays) and the planned events
 * of the projected years.
 */
import type * as Event from "@seatplan/core/Event"
import * as World from "@seatplan/core/World"

export interface Partition {
  /** Up to the base year, folded into the base world. */
  readonly structural: ReadonlyArray<Event.Event>
  /** After the base year and within the horizon, in chronological order. */
  readonly planned: ReadonlyArray<Event.Event>
  /** Up to the base year: population, births, migration and enrolment records. */
  readonly demography: ReadonlyArray<Event.Event>
}

/** Recorded demography: read straight into the arrays rather than folded into the world. */
const isDemography = (e: Event.Event): boolean =>
  e._tag === "PopulationRecorded" || e._tag === "BirthsRecorded" || e._tag === "MigrationRecorded" || e._tag === "EnrolmentRecorded"

export const partition = (events: ReadonlyArray<Event.Event>, baseYear: number, horizon: number): Partition => {
  const structural: Array<Event.Event> = []
  const planned: Array<Event.Event> = []
  const demography: Array<Event.Event> = []
  for (const e of World.chronological(events)) {
    if (e.year > baseYear + horizon) break
    if (e.year > baseYear) planned.push(e)
    else if (isDemography(e)) demography.push(e)
    else structural.push(e)
  }
  return { structural, planned, demography }
}

/** The planned events grouped by projected year (index 0 is the base year). */
export const timeline = (planned: ReadonlyArray<Event.Event>, baseYear: number, horizon: number): Array<ReadonlyArray<Event.Event>> => {
  const out: Array<ReadonlyArray<Event.Event>> = Array.from({ length: horizon + 1 }, () => [])
  for (const e of planned) (out[e.year - baseYear] as Array<Event.Event>).push(e)
  return out
}
