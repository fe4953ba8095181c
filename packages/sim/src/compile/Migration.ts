/** Where each migration rule sends each settlement's children, resolved once at compile time. */
import * as Geography from "@seatplan/core/Geography"
import type * as Assumptions from "../Assumptions.js"
import * as Distance from "../Distance.js"

/**
 * Where a migration rule sends each settlement's children: the nearest ancestor of the target tier (a
 * village's township, a township's county seat), otherwise the nearest settlement of that tier; -1 out of
 * the county, -2 not moving. `parent` is each settlement's parent index (-1 none: `Indexes.parent`).
 */
export const targets = (
  rule: Assumptions.MigrationRate,
  parent: Int32Array,
  tier: Uint8Array,
  lon: Float64Array,
  lat: Float64Array
): Int32Array => {
  const S = parent.length
  const out = new Int32Array(S).fill(-2)
  const from = Geography.tierIndex(rule.from)
  const to = rule.to === "outside" ? -1 : Geography.tierIndex(rule.to)
  // built when first needed: most settlements have an ancestor of the target tier
  let grid: Distance.Grid | undefined
  const found = new Int32Array(1)
  for (let s = 0; s < S; s++) {
    if (tier[s] !== from) continue
    if (to < 0) {
      out[s] = -1
      continue
    }
    for (let depth = 0, a = parent[s]; a >= 0 && depth < 4; depth++, a = parent[a]) {
      if (tier[a] === to) {
        out[s] = a
        break
      }
    }
    if (out[s] !== -2) continue
    grid ??= Distance.makeGrid({ lon, lat })
    if (grid.nearestInto(lon[s], lat[s], 1, (t) => t !== s && tier[t] === to, found) > 0) out[s] = found[0]
  }
  return out
}
