/**
 * Where things are, for maps: settlements and schools with their coordinates, and each level's catchments
 * (学区) in the model's current state (after a run: at the end of the horizon). A plain, read-only copy,
 * so reports draw maps without reading the engine's arrays.
 */
import * as Geography from "@seatplan/core/Geography"
import type * as CoreSchool from "@seatplan/core/School"
import { levelNames } from "./Dimensions.js"
import type { Model } from "./Model.js"

export interface Settlement {
  readonly id: string
  readonly tier: Geography.Tier
  readonly lon: number
  readonly lat: number
}

export interface School {
  readonly id: string
  readonly settlementId: string | undefined
  readonly lon: number
  readonly lat: number
}

export interface Places {
  /** In the model's settlement order. */
  readonly settlements: ReadonlyArray<Settlement>
  /** In the model's school order. */
  readonly schools: ReadonlyArray<School>
  readonly schoolById: ReadonlyMap<string, School>
  /** Per level, per settlement (in `settlements` order): the school it is zoned to, or `undefined`. */
  readonly catchments: Readonly<Record<CoreSchool.Level, ReadonlyArray<School | undefined>>>
}

/** The places of a model, as they stand (call it after `Engine.run` for the catchments at the end of the run). */
export const of = (m: Model): Places => {
  const settlements = m.settlementIds.map(
    (id, s): Settlement => ({ id, tier: Geography.tiers[m.tier[s]], lon: m.settlementLon[s], lat: m.settlementLat[s] })
  )
  const schools = m.schoolIds.map(
    (id, k): School => ({
      id,
      settlementId: m.settlementIds[m.schoolSettlement[k]],
      lon: m.schoolLon[k],
      lat: m.schoolLat[k]
    })
  )
  const catchments = Object.fromEntries(
    levelNames.map((level, l) => [
      level,
      settlements.map((_, s) => {
        const k = m.catchment[l * m.settlements + s]
        return k >= 0 ? schools[k] : undefined
      })
    ])
  ) as unknown as Places["catchments"]
  return { settlements, schools, schoolById: new Map(schools.map((x) => [x.id, x])), catchments }
}
