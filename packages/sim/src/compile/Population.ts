/**
 * The base year's demography as arrays: children by settlement × age (each settlement's latest recorded
 * population), base-year births, women of child-bearing age and their growth, survival by age.
 */
import type * as Event from "@seatplan/core/Event"
import * as Geography from "@seatplan/core/Geography"
import * as Assumptions from "../Assumptions.js"
import { ages } from "../Dimensions.js"
import type { Indexes } from "./Indexes.js"

export interface Population {
  readonly pop: Float64Array
  readonly baseBirths: Float64Array
  readonly women: Float64Array
  readonly womenGrowth: Float64Array
  readonly survival: Float64Array
}

export const population = (
  demography: ReadonlyArray<Event.Event>,
  baseYear: number,
  assumptions: Assumptions.Assumptions,
  { settlementIds, settlementIndex, tier }: Indexes
): Population => {
  const S = settlementIds.length
  const pop = new Float64Array(S * ages)
  const baseBirths = new Float64Array(S).fill(NaN)
  const populationYear = new Float64Array(S).fill(-Infinity)
  for (let i = 0; i < demography.length; i++) {
    const e = demography[i]
    if (e._tag === "PopulationRecorded") {
      const s = settlementIndex.get(e.settlementId)
      if (s === undefined || e.year < populationYear[s]) continue
      populationYear[s] = e.year
      for (let a = 0; a < ages; a++) pop[s * ages + a] = e.byAge[a] ?? 0
    } else if (e._tag === "BirthsRecorded" && e.year === baseYear) {
      const s = settlementIndex.get(e.settlementId)
      if (s !== undefined) baseBirths[s] = e.births
    }
  }
  for (let s = 0; s < S; s++) if (Number.isNaN(baseBirths[s])) baseBirths[s] = pop[s * ages]
  const women = new Float64Array(S)
  const womenGrowth = new Float64Array(S)
  const baseFertility = Assumptions.seriesAt(assumptions.generalFertility, baseYear, 0)
  // a scenario without women by settlement (the usual case) skips 100,000s of lookups that find nothing
  const anyWomen = Object.keys(assumptions.women).length > 0
  for (let s = 0; s < S; s++) {
    const known = anyWomen ? assumptions.women[settlementIds[s]] : undefined
    women[s] = known ?? (baseFertility > 0 ? (baseBirths[s] * 1000) / baseFertility : 0)
    womenGrowth[s] = 1 + assumptions.womenChange[Geography.tiers[tier[s]]]
  }

  const survival = new Float64Array(ages)
  const mortality = assumptions.mortality
  for (let a = 0; a < ages; a++) survival[a] = 1 - (mortality[Math.min(a, mortality.length - 1)] ?? 0)
  return { pop, baseBirths, women, womenGrowth, survival }
}
