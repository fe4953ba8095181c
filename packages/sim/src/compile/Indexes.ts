/**
 * Dense indexes: every settlement and school that exists at any point of the run (the final world's, so
 * planned schools have a slot from the start) gets an integer index, with its coordinates and tier.
 */
import * as Geography from "@seatplan/core/Geography"
import type * as Ids from "@seatplan/core/Ids"
import type * as World from "@seatplan/core/World"

export interface Indexes {
  readonly settlementIds: Array<Ids.SettlementId>
  readonly schoolIds: Array<Ids.SchoolId>
  /** Each school's name (its last recorded one). */
  readonly schoolNames: Array<string>
  readonly settlementIndex: Map<string, number>
  readonly schoolIndex: Map<string, number>
  readonly tier: Uint8Array
  readonly settlementLon: Float64Array
  readonly settlementLat: Float64Array
  readonly schoolLon: Float64Array
  readonly schoolLat: Float64Array
  /** The settlement each school stands in, -1 when unknown. */
  readonly schoolSettlement: Int32Array
}

export const indexes = (final: World.World): Indexes => {
  const settlementIds = [...final.settlements.keys()]
  const schoolIds = [...final.schools.keys()]
  const schoolNames = schoolIds.map((id) => final.schools.get(id)!.name)
  const S = settlementIds.length
  const K = schoolIds.length
  const settlementIndex = new Map<string, number>(settlementIds.map((id, i) => [id, i]))
  const schoolIndex = new Map<string, number>(schoolIds.map((id, i) => [id, i]))

  const tier = new Uint8Array(S)
  const settlementLon = new Float64Array(S)
  const settlementLat = new Float64Array(S)
  settlementIds.forEach((id, s) => {
    const settlement = final.settlements.get(id)!
    tier[s] = Geography.tierIndex(settlement.tier)
    settlementLon[s] = settlement.lon
    settlementLat[s] = settlement.lat
  })

  const schoolLon = new Float64Array(K)
  const schoolLat = new Float64Array(K)
  const schoolSettlement = new Int32Array(K)
  schoolIds.forEach((id, k) => {
    const school = final.schools.get(id)!
    schoolLon[k] = school.lon
    schoolLat[k] = school.lat
    schoolSettlement[k] = settlementIndex.get(school.settlementId) ?? -1
  })
  return {
    settlementIds,
    schoolIds,
    schoolNames,
    settlementIndex,
    schoolIndex,
    tier,
    settlementLon,
    settlementLat,
    schoolLon,
    schoolLat,
    schoolSettlement
  }
}
