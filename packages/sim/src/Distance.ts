/**
 * Distances from settlements to schools, computed once per run with turf (great-circle, km). A county has
 * a few hundred settlements and schools, a province 100,000 and 20,000, so each settlement keeps only its
 * nearest schools of each level (found through a uniform grid), plus every school it is zoned to at any
 * time in the run.
 */
import { distance } from "@turf/turf"

/** Candidate schools kept per settlement and level. */
export const candidatesPerLevel = 12

export interface Points {
  readonly lon: Float64Array
  readonly lat: Float64Array
}

/** Great-circle distance in km (turf). */
export const km = (lon1: number, lat1: number, lon2: number, lat2: number): number =>
  distance([lon1, lat1], [lon2, lat2], { units: "kilometers" })

export interface Candidates {
  /** Per settlement and level: up to `width` school indexes, nearest first; -1 pads. */
  readonly school: Int32Array
  /** Their distances in km. */
  readonly km: Float64Array
  /** How many are filled. */
  readonly count: Uint8Array
  /** Slots per settlement and level. */
  readonly width: number
}

/**
 * For every settlement and level, the nearest schools that teach the level at some time in the run,
 * plus the schools it must keep (its catchment schools over the run).
 *
 * @param teachesEver - school × level flags (1 when the school teaches the level at any time)
 * @param mustKeep - per settlement × level, extra school indexes to include
 */
export const nearest = (
  settlements: Points,
  schools: Points,
  teachesEver: Uint8Array,
  levels: number,
  mustKeep: ReadonlyArray<ReadonlyArray<number>>,
  width = candidatesPerLevel + 4
): Candidates => {
  const S = settlements.lon.length
  const school = new Int32Array(S * levels * width).fill(-1)
  const dist = new Float64Array(S * levels * width)
  const count = new Uint8Array(S * levels)
  const grid = Grid.make(schools)
  const found: Array<number> = []
  for (let s = 0; s < S; s++) {
    for (let l = 0; l < levels; l++) {
      found.length = 0
      grid.nearest(settlements.lon[s], settlements.lat[s], candidatesPerLevel, (k) => teachesEver[k * levels + l] === 1, found)
      for (const k of mustKeep[s * levels + l] ?? []) if (!found.includes(k)) found.push(k)
      const ranked = found.slice(0, width).map((k) => [k, km(settlements.lon[s], settlements.lat[s], schools.lon[k], schools.lat[k])] as const)
      ranked.sort((a, b) => a[1] - b[1] || a[0] - b[0])
      const base = (s * levels + l) * width
      for (let i = 0; i < ranked.length; i++) {
        school[base + i] = ranked[i][0]
        dist[base + i] = ranked[i][1]
      }
      count[s * levels + l] = ranked.length
    }
  }
  return { school, km: dist, count, width }
}

/** A uniform lon/lat grid over the schools, for nearest-neighbour search. */
namespace Grid {
  export interface Grid {
    readonly nearest: (
      lon: number,
      lat: number,
      k: number,
      accept: (school: number) => boolean,
      out: Array<number>
    ) => void
  }

  export const make = (points: Points): Grid => {
    const n = points.lon.length
    let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity
    for (let i = 0; i < n; i++) {
      minLon = Math.min(minLon, points.lon[i])
      maxLon = Math.max(maxLon, points.lon[i])
      minLat = Math.min(minLat, points.lat[i])
      maxLat = Math.max(maxLat, points.lat[i])
    }
    if (n === 0) return { nearest: () => undefined }
    const cells = Math.max(1, Math.ceil(Math.sqrt(n / 4)))
    const w = Math.max((maxLon - minLon) / cells, 1e-9)
    const h = Math.max((maxLat - minLat) / cells, 1e-9)
    const buckets: Array<Array<number>> = Array.from({ length: cells * cells }, () => [])
    const cellOf = (lon: number, lat: number): readonly [number, number] => [
      Math.min(cells - 1, Math.max(0, Math.floor((lon - minLon) / w))),
      Math.min(cells - 1, Math.max(0, Math.floor((lat - minLat) / h)))
    ]
    for (let i = 0; i < n; i++) {
      const [cx, cy] = cellOf(points.lon[i], points.lat[i])
      buckets[cy * cells + cx].push(i)
    }
    const cosLat = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180))
    const approx = (i: number, lon: number, lat: number) => {
      const dx = (points.lon[i] - lon) * cosLat
      const dy = points.lat[i] - lat
      return dx * dx + dy * dy
    }
    return {
      nearest: (lon, lat, k, accept, out) => {
        const [cx, cy] = cellOf(lon, lat)
        const best: Array<readonly [number, number]> = []
        const cellSpan = Math.min(w * cosLat, h)
        for (let ring = 0; ring <= cells; ring++) {
          for (let y = cy - ring; y <= cy + ring; y++) {
            if (y < 0 || y >= cells) continue
            for (let x = cx - ring; x <= cx + ring; x++) {
              if (x < 0 || x >= cells || (Math.abs(x - cx) !== ring && Math.abs(y - cy) !== ring)) continue
              for (const i of buckets[y * cells + x]) if (accept(i)) best.push([i, approx(i, lon, lat)])
            }
          }
          if (best.length >= k) {
            best.sort((a, b) => a[1] - b[1])
            const reach = ring * cellSpan
            if (best[k - 1][1] <= reach * reach) break
          }
        }
        best.sort((a, b) => a[1] - b[1] || a[0] - b[0])
        for (let i = 0; i < Math.min(k, best.length); i++) out.push(best[i][0])
      }
    }
  }
}
