/**
 * Distances from settlements to schools, computed once per run with turf (great-circle, km). A county has
 * a few hundred settlements and schools, a province 100,000 and 20,000, so each settlement keeps only its
 * nearest schools of each level (found through a uniform grid), plus every school it is zoned to at any
 * time in the run.
 */

/** Candidate schools kept per settlement and level. */
export const candidatesPerLevel = 8

export interface Points {
  readonly lon: Float64Array
  readonly lat: Float64Array
}

/** Turf's Earth radius in km (`@turf/helpers` earthRadius / 1000). */
const kmPerRadian = 6371008.8 / 1e3

/**
 * Turf's `degreesToRadians`, step for step; the remainder (a call into C for a double) is taken only when
 * it can change the value: below 360 in magnitude, `degrees % 360` is `degrees` exactly (NaN goes through it).
 */
const radians = (degrees: number): number => ((Math.abs(degrees) < 360 ? degrees : degrees % 360) * Math.PI) / 180

/**
 * Great-circle distance in km: turf's `distance` (haversine) written out with the same operations in the
 * same order, so it gives the same bits, without the two coordinate arrays and the checks turf makes per
 * call (computing a province's candidates called it millions of times; a test compares it with turf).
 */
export const km = (lon1: number, lat1: number, lon2: number, lat2: number): number => {
  const dLat = radians(lat2 - lat1)
  const dLon = radians(lon2 - lon1)
  const a = Math.pow(Math.sin(dLat / 2), 2) + Math.pow(Math.sin(dLon / 2), 2) * Math.cos(radians(lat1)) * Math.cos(radians(lat2))
  return 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a)) * kmPerRadian
}

/** `km` with the cosines of both radian latitudes given (computed once per point): the same operations on the same values, so the same bits. */
const kmCos = (lon1: number, lat1: number, cos1: number, lon2: number, lat2: number, cos2: number): number => {
  const dLat = radians(lat2 - lat1)
  const dLon = radians(lon2 - lon1)
  const a = Math.pow(Math.sin(dLat / 2), 2) + Math.pow(Math.sin(dLon / 2), 2) * cos1 * cos2
  return 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a)) * kmPerRadian
}

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
 * plus the schools it must keep: its zoned school (`catchment`, level × settlement) and `extra` ones
 * (keyed `settlement * levels + level`: the schools it is zoned to later in the run). A list keeps at most
 * `most` schools; its slots (`width`) are as many as the longest list needs.
 *
 * @param teachesEver - school × level flags (1 when the school teaches the level at any time)
 */
export const nearest = (
  settlements: Points,
  schools: Points,
  teachesEver: Uint8Array,
  levels: number,
  catchment: Int32Array,
  extra: ReadonlyMap<number, ReadonlyArray<number>>,
  most = candidatesPerLevel + 4
): Candidates => {
  const S = settlements.lon.length
  // as wide as the longest list can be (most of the time the nearest, the zoned school and no later zones),
  // at most `most`: the lists are the same, and a narrower array is less memory to fill and to read each year
  let extras = 0
  for (const more of extra.values()) extras = Math.max(extras, more.length)
  const width = Math.min(most, candidatesPerLevel + (catchment.some((k) => k >= 0) ? 1 : 0) + extras)
  // each list is written whole below, its padding too: the arrays are written once (fresh memory is dear)
  const school = new Int32Array(S * levels * width)
  const dist = new Float64Array(S * levels * width)
  const count = new Uint8Array(S * levels)
  const grids = Array.from({ length: levels }, (_, l) => {
    const members: Array<number> = []
    for (let k = 0; k < schools.lon.length; k++) if (teachesEver[k * levels + l] === 1) members.push(k)
    const lon = new Float64Array(members.length)
    const lat = new Float64Array(members.length)
    for (let i = 0; i < members.length; i++) {
      lon[i] = schools.lon[members[i]]
      lat[i] = schools.lat[members[i]]
    }
    const grid = makeGrid({ lon, lat })
    return { grid, members }
  })
  // one list's schools before sorting: the nearest, the zoned one and the later zones, at most
  const found = new Int32Array(candidatesPerLevel + 1 + extras)
  const has = (f: number, k: number): boolean => {
    for (let i = 0; i < f; i++) if (found[i] === k) return true
    return false
  }
  const all = () => true
  // cos(latitude) of every point once, rather than twice per distance (`kmCos` does `km`'s arithmetic)
  const cosines = (lat: Float64Array): Float64Array => {
    const out = new Float64Array(lat.length)
    for (let i = 0; i < lat.length; i++) out[i] = Math.cos(radians(lat[i]))
    return out
  }
  const settlementCos = cosines(settlements.lat)
  const schoolCos = cosines(schools.lat)
  for (let s = 0; s < S; s++) {
    const lon = settlements.lon[s]
    const lat = settlements.lat[s]
    const cos = settlementCos[s]
    for (let l = 0; l < levels; l++) {
      const { grid, members } = grids[l]
      let f = grid.nearestInto(lon, lat, candidatesPerLevel, all, found)
      for (let i = 0; i < f; i++) found[i] = members[found[i]]
      const zoned = catchment[l * S + s]
      if (zoned >= 0 && !has(f, zoned)) found[f++] = zoned
      const more = extra.get(s * levels + l)
      if (more !== undefined) for (const k of more) if (!has(f, k)) found[f++] = k
      const base = (s * levels + l) * width
      let n = 0
      for (let i = 0; i < f && n < width; i++) {
        const k = found[i]
        const d = kmCos(lon, lat, cos, schools.lon[k], schools.lat[k], schoolCos[k])
        let j = n++
        while (j > 0 && (dist[base + j - 1] > d || (dist[base + j - 1] === d && school[base + j - 1] > k))) {
          dist[base + j] = dist[base + j - 1]
          school[base + j] = school[base + j - 1]
          j--
        }
        dist[base + j] = d
        school[base + j] = k
      }
      count[s * levels + l] = n
      for (let i = n; i < width; i++) school[base + i] = -1
    }
  }
  return { school, km: dist, count, width }
}

/** Nearest-neighbour search over a set of points. */
export interface Grid {
  /** Pushes onto `out` the indexes of the `k` nearest accepted points, nearest first. */
  readonly nearest: (lon: number, lat: number, k: number, accept: (point: number) => boolean, out: Array<number>) => void
  /**
   * `nearest` written into `out` from its start (at least `min(k, 64)` long), returning how many: a caller
   * searching for every settlement reuses one array (an array emptied and pushed onto again is a fresh
   * backing store each time: 60 MB of garbage for a province's candidates).
   */
  readonly nearestInto: (lon: number, lat: number, k: number, accept: (point: number) => boolean, out: Int32Array) => number
}

/**
 * A uniform lon/lat grid over points, for nearest-neighbour search (candidates by an equirectangular
 * distance). The cells' points are kept in flat arrays (cell by cell, each cell's in index order), and the
 * search widens ring by ring until no point outside the cells searched can be nearer than the k-th found:
 * the bound is the distance to the nearest edge of the searched block (an edge at the grid's border has
 * nothing beyond it), so most searches stop after the first ring.
 */
export const makeGrid = (points: Points): Grid => {
  const n = points.lon.length
  let minLon = Infinity,
    maxLon = -Infinity,
    minLat = Infinity,
    maxLat = -Infinity
  for (let i = 0; i < n; i++) {
    minLon = Math.min(minLon, points.lon[i])
    maxLon = Math.max(maxLon, points.lon[i])
    minLat = Math.min(minLat, points.lat[i])
    maxLat = Math.max(maxLat, points.lat[i])
  }
  if (n === 0) return { nearest: () => undefined, nearestInto: () => 0 }
  const cells = Math.max(1, Math.ceil(Math.sqrt(n / 4)))
  const w = Math.max((maxLon - minLon) / cells, 1e-9)
  const h = Math.max((maxLat - minLat) / cells, 1e-9)
  const cellX = (lon: number) => Math.min(cells - 1, Math.max(0, Math.floor((lon - minLon) / w)))
  const cellY = (lat: number) => Math.min(cells - 1, Math.max(0, Math.floor((lat - minLat) / h)))
  // counting sort of the points by cell (stable: a cell's points in index order)
  const cellOf = new Int32Array(n)
  const start = new Int32Array(cells * cells + 1)
  for (let i = 0; i < n; i++) {
    cellOf[i] = cellY(points.lat[i]) * cells + cellX(points.lon[i])
    start[cellOf[i] + 1]++
  }
  for (let c = 0; c < cells * cells; c++) start[c + 1] += start[c]
  const filled = start.slice(0, cells * cells)
  const index = new Int32Array(n)
  const pointLon = new Float64Array(n)
  const pointLat = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const at = filled[cellOf[i]]++
    index[at] = i
    pointLon[at] = points.lon[i]
    pointLat[at] = points.lat[i]
  }
  const cosLat = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180))
  const topIndex = new Int32Array(64)
  const topDistance = new Float64Array(64)
  const nearestInto = (lon: number, lat: number, k: number, accept: (point: number) => boolean, out: Int32Array): number => {
    const want = Math.min(k, 64)
    let n = 0
    const cx = cellX(lon)
    const cy = cellY(lat)
    for (let ring = 0; ring <= cells; ring++) {
      for (let y = cy - ring; y <= cy + ring; y++) {
        if (y < 0 || y >= cells) continue
        const edgeRow = Math.abs(y - cy) === ring
        for (let x = cx - ring; x <= cx + ring; x += edgeRow ? 1 : 2 * ring) {
          if (x >= 0 && x < cells) {
            const cell = y * cells + x
            for (let b = start[cell]; b < start[cell + 1]; b++) {
              const i = index[b]
              if (!accept(i)) continue
              const dx = (pointLon[b] - lon) * cosLat
              const dy = pointLat[b] - lat
              // kept among the `want` nearest found so far, ties to the lower index (written out here: a call
              // per point boxed its distance, 14 M heap numbers for a province's candidates)
              const d = dx * dx + dy * dy
              if (n === want && (d > topDistance[n - 1] || (d === topDistance[n - 1] && i > topIndex[n - 1]))) continue
              let j = n < want ? n++ : n - 1
              while (j > 0 && (topDistance[j - 1] > d || (topDistance[j - 1] === d && topIndex[j - 1] > i))) {
                topDistance[j] = topDistance[j - 1]
                topIndex[j] = topIndex[j - 1]
                j--
              }
              topDistance[j] = d
              topIndex[j] = i
            }
          }
          if (ring === 0) break
        }
      }
      if (n === want && topDistance[n - 1] < reach(lon, lat, cx - ring, cy - ring, cx + ring, cy + ring)) break
    }
    for (let i = 0; i < n; i++) out[i] = topIndex[i]
    return n
  }
  const found = new Int32Array(64)
  return {
    nearest: (lon, lat, k, accept, out) => {
      const n = nearestInto(lon, lat, k, accept, found)
      for (let i = 0; i < n; i++) out.push(found[i])
    },
    nearestInto
  }

  /**
   * The squared distance from (lon, lat) to the nearest point outside cells x0..x1 × y0..y1 (a lower bound,
   * shaved by a millionth and a billionth of a degree against rounding; Infinity when the block covers the grid).
   */
  function reach(lon: number, lat: number, x0: number, y0: number, x1: number, y1: number): number {
    let d = Infinity
    if (x0 > 0) d = Math.min(d, (lon - (minLon + x0 * w)) * cosLat)
    if (x1 < cells - 1) d = Math.min(d, (minLon + (x1 + 1) * w - lon) * cosLat)
    if (y0 > 0) d = Math.min(d, lat - (minLat + y0 * h))
    if (y1 < cells - 1) d = Math.min(d, minLat + (y1 + 1) * h - lat)
    if (d === Infinity) return d
    d = Math.max(0, d * (1 - 1e-6) - 1e-9)
    return d * d
  }
}
