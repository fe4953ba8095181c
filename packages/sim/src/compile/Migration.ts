/** Where each migration rule sends each settlement's children, resolved once at compile time. */
import * as Geography from "@seatplan/core/Geography"
import type * as Ids from "@seatplan/core/Ids"
import type * as World from "@seatplan/core/World"
import type * as Assumptions from "../Assumptions.js"
import * as Distance from "../Distance.js"

/**
 * Where a migration rule sends each settlement's children: the nearest ancestor of the target tier (a
 * village's township, a township's county seat), otherwise the nearest settlement of that tier; -1 out of
 * the county, -2 not moving.
 */
export const targets = (
  rule: Assumptions.MigrationRate,
  world: World.World,
  ids: ReadonlyArray<Ids.SettlementId>,
  tier: Uint8Array,
  lon: Float64Array,
  lat: Float64Array,
  index: ReadonlyMap<string, number> = new Map(ids.map((id, i) => [id, i]))
): Int32Array => {
  const out = new Int32Array(ids.length).fill(-2)
  const from = Geography.tierIndex(rule.from)
  const to = rule.to === "outside" ? -1 : Geography.tierIndex(rule.to)
  // built when first needed: most settlements have an ancestor of the target tier
  let grid: Distance.Grid | undefined
  const found: Array<number> = []
  for (let s = 0; s < ids.length; s++) {
    if (tier[s] !== from) continue
    if (to < 0) {
      out[s] = -1
      continue
    }
    let ancestor = world.settlements.get(ids[s])?.parent
    for (let depth = 0; ancestor !== undefined && depth < 4; depth++) {
      const a = index.get(ancestor)
      if (a === undefined) break
      if (tier[a] === to) {
        out[s] = a
        break
      }
      ancestor = world.settlements.get(ids[a])?.parent
    }
    if (out[s] !== -2) continue
    found.length = 0
    grid ??= Distance.makeGrid({ lon, lat })
    grid.nearest(lon[s], lat[s], 1, (t) => t !== s && tier[t] === to, found)
    if (found.length > 0) out[s] = found[0]
  }
  return out
}
