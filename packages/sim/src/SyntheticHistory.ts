/**
 * A recorded history made by the engine itself, for backtests with known parameters: starting from a
 * region's base year (e.g. a `Synthetic` region), the engine runs `years` years with the given
 * assumptions, seeded draws and extra events (recorded migration), and every year's state is written
 * back as records: children by age (`PopulationRecorded`), births (`BirthsRecorded`) and each school's
 * pupils by grade (`EnrolmentRecorded`, rounded to whole pupils). Enrolment recorded up to the base year is
 * replaced by the engine's from the base year on, so the whole history comes from one process.
 *
 * SYNTHETIC DATA: what this writes is a simulation, not a record of anything real. Its use is to check
 * that a backtest recovers the process that made the data (the method used to generate is the one that
 * backtests best) and to ship an example with a long history.
 */
import type * as Event from "@seatplan/core/Event"
import type * as Ids from "@seatplan/core/Ids"
import { Either } from "effect"
import type * as Assumptions from "./Assumptions.js"
import * as Compile from "./Compile.js"
import { ages, firstGrade, endGrade, grades, levels } from "./Dimensions.js"
import * as Engine from "./Engine.js"
import * as Synthetic from "./Synthetic.js"

export interface Options {
  /** Years simulated after the base year (at least 1). */
  readonly years: number
  /** The base year; default the latest year a population was recorded. */
  readonly baseYear?: number
  /** Draw births, migration and enrolment at random from this seed; omitted: deterministic expectations. */
  readonly seed?: number
  readonly assumptions?: Assumptions.Assumptions
}

/**
 * The history of `events` extended by `years` simulated years (see the module documentation). Events
 * dated after the base year (e.g. `MigrationRecorded`) take effect in the simulation and stay in the
 * history. Returns the events in chronological order, or fails with `Synthetic.InvalidOptions` on a bad
 * `years`, `Compile.CompileError` when the events cannot be compiled.
 */
export const extend = (
  events: ReadonlyArray<Event.Event>,
  options: Options
): Either.Either<ReadonlyArray<Event.Event>, Synthetic.InvalidOptions | Compile.CompileError> => {
  if (!(Number.isInteger(options.years) && options.years >= 1)) {
    return Either.left(new Synthetic.InvalidOptions({ option: "years", message: `years must be a positive integer, got ${options.years}` }))
  }
  const baseYear = options.baseYear ?? Compile.defaultBaseYear(events)
  if (baseYear === undefined) {
    return Either.left(
      new Compile.CompileError({ message: "no PopulationRecorded event: the history needs children by age in a base year" })
    )
  }
  const kept = events.filter((e) => !(e._tag === "EnrolmentRecorded" && e.year <= baseYear))
  const compiled = Compile.compileEither(kept, {
    baseYear,
    horizon: options.years,
    ...(options.assumptions === undefined ? {} : { assumptions: options.assumptions })
  })
  return Either.map(compiled, (m) => simulate(kept, m, baseYear, options))
}

/** The years of a compiled history run, written as recorded events after the kept ones. */
const simulate = (kept: ReadonlyArray<Event.Event>, m: Compile.Model, baseYear: number, options: Options): ReadonlyArray<Event.Event> => {
  const written: Array<Event.Event> = []
  Engine.run(m, {
    population: false,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    onYear: (y) => {
      const year = (baseYear + y) as Ids.SchoolYear
      if (y > 0) {
        for (let s = 0; s < m.settlements; s++) {
          const settlementId = m.settlementIds[s]
          const byAge = Array.from({ length: ages }, (_, a) => Math.round(m.pop[s * ages + a]))
          written.push({ _tag: "PopulationRecorded", year, settlementId, byAge })
          written.push({ _tag: "BirthsRecorded", year, settlementId, births: byAge[0] })
        }
      }
      for (let k = 0; k < m.schools; k++) {
        if (m.open[k] !== 1) continue
        for (let l = 0; l < levels; l++) {
          if (m.teaches[k * levels + l] !== 1) continue
          for (let g = firstGrade[l]; g < endGrade[l]; g++) {
            written.push({
              _tag: "EnrolmentRecorded",
              year,
              schoolId: m.schoolIds[k],
              grade: g - 2,
              pupils: Math.round(m.enrolled[k * grades + g])
            })
          }
        }
      }
    }
  })
  const simulated = (e: Event.Event) =>
    e.year > baseYear && (e._tag === "PopulationRecorded" || e._tag === "BirthsRecorded" || e._tag === "EnrolmentRecorded")
  return [...kept.filter((e) => !simulated(e)), ...written].sort((a, b) => a.year - b.year)
}
