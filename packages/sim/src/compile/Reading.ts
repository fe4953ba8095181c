/**
 * Compiling a log read page by page (a province's 1.9 M events from a store) without holding it: each page
 * is folded into what compiling needs of it and the rest is dropped while it is young. What compiling needs
 * of the recorded demography up to the base year is little: each settlement's latest population, the births
 * of the base year, and the enrolment history when grade progression calibrates from it (`compile/Population`,
 * `compile/Calibration`). Every other event (the world's, and everything after the base year) is kept.
 *
 * The base year is known only at the end when it is the default (the latest population recorded), so the
 * births, migration and enrolment records from the latest population year seen so far on are kept until a
 * later population shows they are too early. `events()` gives the kept events in the order they were read,
 * and compiling them gives the model compiling the whole log gives (`compileEither`), to the bit: the
 * partition of the kept events is the partition of the whole log without the events it never reads.
 */
import type * as Event from "@seatplan/core/Event"
import type { ReadFilter } from "@seatplan/core/EventStore"

/** Items kept, each with its place in the log read (their order is the log's). */
interface Kept<A> {
  readonly at: number
  readonly item: A
  readonly event: Event.Event
}

/** A log's items (events, or stored events with their ids: `eventOf` gives an item's event) read in pages. */
export interface Reading<A> {
  /** Folds the next page of the log. */
  readonly add: (page: ReadonlyArray<A>) => void
  /** The items compiling needs, in the log's order (once: the reading lets go of them). */
  readonly events: () => ReadonlyArray<A>
  /**
   * What a store may leave out of the log before it is read (`EventStore.readPages`' filter), because `add`
   * would drop it anyway: the births and migration records (and enrolment records, unless grade progression
   * calibrates from them) dated before the base year. Undefined when the base year is the default: it is
   * known only once the whole log is read (the latest population recorded), so nothing can be left out before.
   */
  readonly filter: ReadFilter | undefined
}

/**
 * A reading for compiling with `baseYear` (undefined: the default, the latest population recorded) and the
 * enrolment history when `enrolment`, of items whose event is `eventOf(item)`.
 */
export const reading = <A>(baseYear: number | undefined, enrolment: boolean, eventOf: (item: A) => Event.Event): Reading<A> => {
  let read = 0
  /** The latest population year seen (the default base year so far), or the base year given. */
  let bound = baseYear ?? -Infinity
  /**
   * Everything kept but the populations up to the base year, in the order read, with each item's place in
   * the log (two arrays rather than an object an item: a province keeps 800,000).
   */
  const keptItems: Array<A> = []
  const keptAt: Array<number> = []
  /**
   * Each settlement's populations of its latest year up to the base year (compiling reads the later of a
   * year's two; an explanation cites both).
   */
  const populations = new Map<string, Array<Kept<A>>>()
  /** Whether the kept items may hold demography dated before `bound` (dropped at the end of a page). */
  let stale = false
  /** Whether compiling with the base year at `bound` or later reads `e` (every event but populations, which are kept apart). */
  const needed = (e: Event.Event): boolean =>
    e.year >= bound || (e._tag !== "BirthsRecorded" && e._tag !== "MigrationRecorded" && (e._tag !== "EnrolmentRecorded" || enrolment))
  const add = (page: ReadonlyArray<A>): void => {
    for (let i = 0; i < page.length; i++) {
      const item = page[i]
      const e = eventOf(item)
      const at = read++
      if (e._tag === "PopulationRecorded" && (baseYear === undefined || e.year <= baseYear)) {
        const before = populations.get(e.settlementId)
        const year = before?.[0].event.year
        if (before === undefined || year === undefined || e.year > year) populations.set(e.settlementId, [{ at, item, event: e }])
        else if (e.year === year) before.push({ at, item, event: e })
        if (baseYear === undefined && e.year > bound) {
          bound = e.year
          stale = true
        }
      } else if (e._tag === "PopulationRecorded" || needed(e)) {
        keptItems.push(item)
        keptAt.push(at)
      }
    }
    if (stale) {
      // drop in place what the later bound makes too early, keeping the order
      let n = 0
      for (let i = 0; i < keptItems.length; i++) {
        if (needed(eventOf(keptItems[i]))) {
          keptItems[n] = keptItems[i]
          keptAt[n++] = keptAt[i]
        }
      }
      keptItems.length = n
      keptAt.length = n
      stale = false
    }
  }
  const events = (): ReadonlyArray<A> => {
    // the kept items are in the log's order already: merge the populations (sorted by place) into them
    const latest: Array<Kept<A>> = []
    for (const ks of populations.values()) for (const k of ks) latest.push(k)
    latest.sort((a, b) => a.at - b.at)
    const all: Array<A> = new Array(keptItems.length + latest.length)
    let i = 0
    let j = 0
    let n = 0
    while (i < keptItems.length || j < latest.length) {
      if (j >= latest.length || (i < keptItems.length && keptAt[i] < latest[j].at)) all[n++] = keptItems[i++]
      else all[n++] = latest[j++].item
    }
    keptItems.length = 0
    keptAt.length = 0
    populations.clear()
    return all
  }
  const filter: ReadFilter | undefined =
    baseYear === undefined
      ? undefined
      : {
          skipTypes: enrolment ? ["BirthsRecorded", "MigrationRecorded"] : ["BirthsRecorded", "MigrationRecorded", "EnrolmentRecorded"],
          beforeYear: baseYear
        }
  return { add, events, filter }
}
