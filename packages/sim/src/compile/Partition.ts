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
  /**
   * Up to the base year: the records compiling reads (population records, the base year's births, and
   * enrolment records when grade progression calibrates from them); births of earlier years, migration
   * records and otherwise enrolment records, which nothing reads, are left out (most of a province's log: a
   * million births records, 266,760 enrolment records).
   */
  readonly demography: ReadonlyArray<Event.Event>
}

/** Recorded demography: read straight into the arrays rather than folded into the world. */
const isDemography = (e: Event.Event): boolean =>
  e._tag === "PopulationRecorded" || e._tag === "BirthsRecorded" || e._tag === "MigrationRecorded" || e._tag === "EnrolmentRecorded"

/**
 * The events split by their place in the projection, in chronological order (a stable sort by year, as
 * `World.chronological`). A log is nearly always in year order already, so the split is made in one pass
 * that checks the order as it goes, and made again over the sorted events only when it finds one out of
 * order (a province's 1.9 M events were walked twice before).
 */
export const partition = (events: ReadonlyArray<Event.Event>, baseYear: number, horizon: number, enrolment: boolean): Partition =>
  split(events, baseYear, horizon, enrolment) ?? split(World.chronological(events), baseYear, horizon, enrolment)!

/**
 * The partition at the default base year (the latest year a population was recorded: `Compile.defaultBaseYear`),
 * or undefined when no population is recorded. In events in year order the latest population is the last
 * one, so the base year is read from the end, and the split, which checks the order as it goes, confirms
 * it; out of order, the events sorted are (a province's 1.9 M events were walked once more for the base year).
 */
export const partitionAtLatest = (
  events: ReadonlyArray<Event.Event>,
  horizon: number,
  enrolment: boolean
): { readonly baseYear: number; readonly parts: Partition } | undefined => {
  const latest = (es: ReadonlyArray<Event.Event>): number | undefined => {
    for (let i = es.length - 1; i >= 0; i--) if (es[i]._tag === "PopulationRecorded") return es[i].year
    return undefined
  }
  const guess = latest(events)
  if (guess === undefined) return undefined
  const parts = split(events, guess, horizon, enrolment)
  if (parts !== undefined) return { baseYear: guess, parts }
  const sorted = World.chronological(events)
  const baseYear = latest(sorted)!
  return { baseYear, parts: split(sorted, baseYear, horizon, enrolment)! }
}

/** The split of `events` (enrolment records kept when `enrolment`) taken in the order given, or undefined when they are not in year order. */
const split = (events: ReadonlyArray<Event.Event>, baseYear: number, horizon: number, enrolment: boolean): Partition | undefined => {
  const structural: Array<Event.Event> = []
  const planned: Array<Event.Event> = []
  const demography: Array<Event.Event> = []
  let previous = -Infinity
  for (let i = 0; i < events.length; i++) {
    const e = events[i]
    if (e.year < previous) return undefined
    previous = e.year
    if (e.year > baseYear + horizon) {
      // the rest is left out, if it is in order too
      for (let j = i + 1; j < events.length; j++) if (events[j].year < events[j - 1].year) return undefined
      break
    }
    if (e.year > baseYear) planned.push(e)
    else if (isDemography(e)) {
      if (
        e._tag === "PopulationRecorded" ||
        (e._tag === "BirthsRecorded" ? e.year === baseYear : e._tag === "EnrolmentRecorded" && enrolment)
      ) {
        demography.push(e)
      }
    } else structural.push(e)
  }
  return { structural, planned, demography }
}

/** The planned events grouped by projected year (index 0 is the base year). */
export const timeline = (planned: ReadonlyArray<Event.Event>, baseYear: number, horizon: number): Array<ReadonlyArray<Event.Event>> => {
  const out: Array<ReadonlyArray<Event.Event>> = Array.from({ length: horizon + 1 }, () => [])
  for (const e of planned) (out[e.year - baseYear] as Array<Event.Event>).push(e)
  return out
}
