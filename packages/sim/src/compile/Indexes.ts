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
  /** Each settlement's parent (a village's township, a township's county seat), -1 when none is recorded. */
  readonly parent: Int32Array
  readonly schoolLon: Float64Array
  readonly schoolLat: Float64Array
  /** The settlement each school stands in, -1 when unknown. */
  readonly schoolSettlement: Int32Array
}

export const indexes = (final: World.World): Indexes => {
  const S = final.settlements.size
  const K = final.schools.size
  // one walk of each map, each id set once (no array of pairs per id: a province has 100,000 settlements)
  const settlementIds: Array<Ids.SettlementId> = new Array(S)
  const settlementIndex = new Map<string, number>()
  const tier = new Uint8Array(S)
  const settlementLon = new Float64Array(S)
  const settlementLat = new Float64Array(S)
  const parentIds: Array<Ids.SettlementId | undefined> = new Array(S)
  let s = 0
  // `forEach`, not `for … of` the entries: no array per entry (26 MB of garbage for a province)
  final.settlements.forEach((settlement, id) => {
    settlementIds[s] = id
    settlementIndex.set(id, s)
    tier[s] = Geography.tierIndex(settlement.tier)
    settlementLon[s] = settlement.lon
    settlementLat[s] = settlement.lat
    parentIds[s] = settlement.parent
    s++
  })
  // a place's parent is usually its neighbour's too: looked up once per run of the same parent
  const parent = new Int32Array(S).fill(-1)
  let lastParent: string | undefined
  let lastAt = -1
  for (let s = 0; s < S; s++) {
    const id = parentIds[s]
    if (id === undefined) continue
    if (id !== lastParent) {
      lastParent = id
      lastAt = settlementIndex.get(id) ?? -1
    }
    parent[s] = lastAt
  }

  const schoolIds: Array<Ids.SchoolId> = new Array(K)
  const schoolNames: Array<string> = new Array(K)
  const schoolIndex = new Map<string, number>()
  const schoolLon = new Float64Array(K)
  const schoolLat = new Float64Array(K)
  const schoolSettlement = new Int32Array(K)
  let k = 0
  final.schools.forEach((school, id) => {
    schoolIds[k] = id
    schoolNames[k] = school.name
    schoolIndex.set(id, k)
    schoolLon[k] = school.lon
    schoolLat[k] = school.lat
    schoolSettlement[k] = settlementIndex.get(school.settlementId) ?? -1
    k++
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
    parent,
    schoolLon,
    schoolLat,
    schoolSettlement
  }
}
