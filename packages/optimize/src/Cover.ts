/**
 * Maximal coverage on grouped demand: points covered by the same allowed sites form one group (their
 * pupils summed), points no allowed site covers are uncovered whatever opens. On the county-shaped
 * instances 1,000 points are 210-334 groups and 5,000 are 1,800-2,600, so the local search and the
 * Lagrangian bound walk the groups' lists, not the points'.
 *
 * The local search keeps, per group, how many open sites cover it and the sum of their indices (which is
 * the covering site when one does), and per open site the pupils only it covers (`loss`); a swap updates
 * these along the two sites' lists, and pricing "open j, close any r" costs |Nⱼ| + p.
 */
import * as Clock from "./Clock.js"
import { type Instance, Status } from "./Problem.js"

export interface Cover {
  readonly sites: number
  readonly groups: number
  /** Pupils of each group. */
  readonly weight: Float64Array
  /** The groups site j covers: group[start[j] … start[j + 1] − 1] (none for a forbidden site). */
  readonly start: Int32Array
  readonly group: Int32Array
  /** The allowed sites covering group g: site[at[g] … at[g + 1] − 1]. */
  readonly at: Int32Array
  readonly site: Int32Array
  /** All pupils, those no allowed site covers included. */
  readonly total: number
  readonly free: Int32Array
  readonly fixed: Int32Array
  /** Whole pupils everywhere: the uncovered pupils are a whole number, so a bound may be rounded up. */
  readonly whole: boolean
}

/**
 * Groups the points of `inst` by the allowed sites within `radius` of them (one pass over points × sites),
 * on typed arrays and an open-addressing table of the groups' hashes (with JavaScript arrays and a Map
 * it took 0.34-0.48 ms at 1,000 × 100, a quarter of the MCLP heuristic's time).
 */
export const group = (inst: Instance, radius: number): Cover => {
  const n = inst.points
  const m = inst.sites
  let allowedCount = 0
  let freeCount = 0
  let fixedCount = 0
  const allowed = new Int32Array(m)
  const free = new Int32Array(m)
  const fixed = new Int32Array(m)
  for (let j = 0; j < m; j++) {
    if (inst.status[j] !== Status.forbidden) allowed[allowedCount++] = j
    if (inst.status[j] === Status.free) free[freeCount++] = j
    if (inst.status[j] === Status.fixed) fixed[fixedCount++] = j
  }
  let total = 0
  let whole = true
  // each group's sites, concatenated (sitesOf[at[g] … at[g + 1] − 1]), grown by doubling
  let sitesOf = new Int32Array(Math.max(16, 4 * n))
  let used = 0
  const at = new Int32Array(n + 1)
  const weight = new Float64Array(n)
  // open addressing: slot → group + 1 (0: empty), at least twice as many slots as points
  let size = 16
  while (size < 2 * n) size *= 2
  const table = new Int32Array(size)
  const hashOf = new Int32Array(n)
  const row = new Int32Array(m)
  let groups = 0
  const km = inst.km
  for (let i = 0; i < n; i++) {
    const w = inst.weight[i]
    total += w
    if (!Number.isInteger(w)) whole = false
    if (w <= 0) continue
    const base = i * m
    let len = 0
    let hash = 0x811c9dc5
    if (allowedCount === m) {
      // every site allowed: the row in memory order, without the indirection
      for (let j = 0; j < m; j++) {
        if (km[base + j] > radius) continue
        row[len++] = j
        hash = Math.imul(hash ^ j, 0x01000193)
      }
    } else {
      for (let a = 0; a < allowedCount; a++) {
        const j = allowed[a]
        if (km[base + j] > radius) continue
        row[len++] = j
        hash = Math.imul(hash ^ j, 0x01000193)
      }
    }
    if (len === 0) continue
    let slot = hash & (size - 1)
    let g = -1
    for (; table[slot] !== 0; slot = (slot + 1) & (size - 1)) {
      const h = table[slot] - 1
      if (hashOf[h] !== hash || at[h + 1] - at[h] !== len) continue
      let same = true
      for (let k = 0; k < len && same; k++) same = sitesOf[at[h] + k] === row[k]
      if (same) {
        g = h
        break
      }
    }
    if (g < 0) {
      g = groups++
      if (used + len > sitesOf.length) {
        const larger = new Int32Array(Math.max(2 * sitesOf.length, used + len))
        larger.set(sitesOf.subarray(0, used))
        sitesOf = larger
      }
      sitesOf.set(row.subarray(0, len), used)
      used += len
      at[g + 1] = used
      hashOf[g] = hash
      table[slot] = g + 1
    }
    weight[g] += w
  }
  const base = { sites: m, total, free: free.slice(0, freeCount), fixed: fixed.slice(0, fixedCount), whole }
  return lists(base, groups, weight, at, sitesOf, used)
}

/**
 * Drops the dominated free sites, an exact reduction for p sites: a free site whose groups another
 * allowed site also covers (a superset; of sites covering the same groups, all but the first) never
 * covers more than that one, so a choice with it open covers no more than the choice with it replaced by
 * that site, or, when that site is open too, by any other (it then covers nothing of its own). Sites are
 * dropped while more than p − fixed free ones remain, so every choice of the reduced problem is one of
 * the whole, and the reduced optimum is the whole one's. The groups whose remaining sites are the same
 * merge (their pupils summed). At 1,000 × 100 on the county shapes it drops 12-27 of 100 sites (5-25 % of
 * the coverage lists), and the Lagrangian bound needs a fifth fewer steps (median 135 → 106).
 */
export const dominance = (c: Cover, p: number): Cover => {
  const m = c.sites
  const { start, group } = c
  const sitesAt = c.at
  const sitesOfGroup = c.site
  const gone = new Uint8Array(m)
  const isFree = new Uint8Array(m)
  for (const j of c.free) isFree[j] = 1
  let keep = c.free.length
  const least = Math.max(0, p - c.fixed.length)
  for (let j = 0; j < m && keep > least; j++) {
    if (isFree[j] === 0) continue
    const first = start[j]
    const end = start[j + 1]
    const lenJ = end - first
    if (lenJ === 0) {
      gone[j] = 1
      keep--
      continue
    }
    // a dominating site covers j's first group; each site's groups are in ascending order (`group`
    // fills them group by group), so "all of j's groups are k's" is a merge that stops at the first miss
    const g0 = group[first]
    for (let q = sitesAt[g0]; q < sitesAt[g0 + 1]; q++) {
      const k = sitesOfGroup[q]
      if (k === j || gone[k] === 1) continue
      const endK = start[k + 1]
      const lenK = endK - start[k]
      if (lenK < lenJ || (lenK === lenJ && k > j)) continue
      let r = start[k]
      let i = first
      for (; i < end; i++) {
        const g = group[i]
        while (r < endK && group[r] < g) r++
        if (r === endK || group[r] !== g) break
        r++
      }
      if (i === end) {
        gone[j] = 1
        keep--
        break
      }
    }
  }
  if (keep === c.free.length) return c
  // regroup: each group's remaining sites (never none: a dropped site's groups are its dominator's too)
  const G = c.groups
  const at = new Int32Array(G + 1)
  const weight = new Float64Array(G)
  const sitesOf = new Int32Array(c.site.length)
  let size = 16
  while (size < 2 * G) size *= 2
  const table = new Int32Array(size)
  const hashOf = new Int32Array(G)
  let used = 0
  let groups = 0
  for (let g = 0; g < G; g++) {
    let len = 0
    let hash = 0x811c9dc5
    for (let k = c.at[g]; k < c.at[g + 1]; k++) {
      const j = c.site[k]
      if (gone[j] === 1) continue
      sitesOf[used + len++] = j
      hash = Math.imul(hash ^ j, 0x01000193)
    }
    let slot = hash & (size - 1)
    let to = -1
    for (; table[slot] !== 0; slot = (slot + 1) & (size - 1)) {
      const h = table[slot] - 1
      if (hashOf[h] !== hash || at[h + 1] - at[h] !== len) continue
      let same = true
      for (let k = 0; k < len && same; k++) same = sitesOf[at[h] + k] === sitesOf[used + k]
      if (same) {
        to = h
        break
      }
    }
    if (to < 0) {
      to = groups++
      used += len
      at[to + 1] = used
      hashOf[to] = hash
      table[slot] = to + 1
    }
    weight[to] += c.weight[g]
  }
  const free = new Int32Array(keep)
  let f = 0
  for (const j of c.free) if (gone[j] === 0) free[f++] = j
  return lists({ ...c, free }, groups, weight, at, sitesOf, used)
}

/** The `Cover` of groups given by their site lists (group g: sitesOf[at[g] … at[g + 1] − 1], `used` entries in all). */
const lists = (
  base: Pick<Cover, "sites" | "total" | "free" | "fixed" | "whole">,
  groups: number,
  weight: Float64Array,
  at: Int32Array,
  sitesOf: Int32Array,
  used: number
): Cover => {
  const m = base.sites
  const start = new Int32Array(m + 1)
  for (let k = 0; k < used; k++) start[sitesOf[k] + 1]++
  for (let j = 0; j < m; j++) start[j + 1] += start[j]
  const fill = start.slice(0, m)
  const list = new Int32Array(used)
  for (let g = 0; g < groups; g++) for (let k = at[g]; k < at[g + 1]; k++) list[fill[sitesOf[k]]++] = g
  return {
    ...base,
    groups,
    weight: weight.slice(0, groups),
    start,
    group: list,
    at: at.slice(0, groups + 1),
    site: sitesOf.slice(0, used)
  }
}

/** The local search's bookkeeping for one choice of open sites. */
export interface State {
  readonly open: Uint8Array
  /** Open sites covering each group. */
  readonly cnt: Int32Array
  /** Sum of the indices of the open sites covering each group (the covering site when cnt = 1). */
  readonly sum: Int32Array
  /** Pupils only site j covers (open j). */
  readonly loss: Float64Array
  /** Scratch: pupils a candidate would keep covered when site q closes. */
  readonly fix: Float64Array
  readonly touched: Int32Array
  covered: number
}

export const state = (c: Cover): State => ({
  open: new Uint8Array(c.sites),
  cnt: new Int32Array(c.groups),
  sum: new Int32Array(c.groups),
  loss: new Float64Array(c.sites),
  fix: new Float64Array(c.sites),
  touched: new Int32Array(c.sites),
  covered: 0
})

/** Sets `s` to the choice `open` (copied). */
export const load = (c: Cover, s: State, open: Uint8Array): void => {
  s.open.fill(0)
  s.cnt.fill(0)
  s.sum.fill(0)
  s.loss.fill(0)
  s.covered = 0
  for (let j = 0; j < c.sites; j++) if (open[j] === 1) add(c, s, j)
}

/** Opens site j (closed). */
const add = (c: Cover, s: State, j: number): void => {
  const { group, weight } = c
  const { cnt, sum, loss } = s
  s.open[j] = 1
  let covered = 0
  const end = c.start[j + 1]
  for (let k = c.start[j]; k < end; k++) {
    const g = group[k]
    const w = weight[g]
    const before = cnt[g]
    if (before === 0) {
      covered += w
      loss[j] += w
    } else if (before === 1) loss[sum[g]] -= w
    cnt[g] = before + 1
    sum[g] += j
  }
  s.covered += covered
}

/** Closes site j (open). */
const drop = (c: Cover, s: State, j: number): void => {
  const { group, weight } = c
  const { cnt, sum, loss } = s
  s.open[j] = 0
  let lost = 0
  const end = c.start[j + 1]
  for (let k = c.start[j]; k < end; k++) {
    const g = group[k]
    const w = weight[g]
    const after = cnt[g] - 1
    cnt[g] = after
    sum[g] -= j
    if (after === 0) {
      lost += w
      loss[j] -= w
    } else if (after === 1) loss[sum[g]] += w
  }
  s.covered -= lost
  loss[j] = 0
}

/**
 * Greedy add from the fixed sites to p sites, each round the site covering the most pupils not yet covered.
 * Each site's gain is kept up to date along the groups an opened site newly covers (their covering sites'
 * gains fall by their pupils), not recounted over every list each round (at 1,000 × 100 the greedy was a
 * tenth of the MCLP heuristic's time).
 */
export const greedy = (c: Cover, s: State, p: number): void => {
  s.open.fill(0)
  load(c, s, s.open)
  for (const j of c.fixed) add(c, s, j)
  const { start, group, weight, free, at, site } = c
  const cnt = s.cnt
  const gain = new Float64Array(c.sites)
  for (let f = 0; f < free.length; f++) {
    const j = free[f]
    let sum = 0
    const end = start[j + 1]
    for (let k = start[j]; k < end; k++) {
      const g = group[k]
      if (cnt[g] === 0) sum += weight[g]
    }
    gain[j] = sum
  }
  for (let count = c.fixed.length; count < p; count++) {
    let best = -1
    let bg = -1
    for (let f = 0; f < free.length; f++) {
      const j = free[f]
      if (s.open[j] === 1) continue
      if (gain[j] > bg) (bg = gain[j]), (best = j)
    }
    if (best < 0) break
    const end = start[best + 1]
    for (let k = start[best]; k < end; k++) {
      const g = group[k]
      if (cnt[g] !== 0) continue
      const w = weight[g]
      for (let q = at[g]; q < at[g + 1]; q++) gain[site[q]] -= w
    }
    add(c, s, best)
  }
}

/**
 * Swaps (open a closed free site j, close the open free site whose loss net of what j keeps covered is
 * least) while one covers more pupils, first improvement over j, until none does or the deadline.
 */
export const interchange = (c: Cover, s: State, deadline: number): { readonly swaps: number; readonly stopped: boolean } => {
  const opened: Array<number> = []
  for (const j of c.free) if (s.open[j] === 1) opened.push(j)
  const eps = 1e-9 * Math.max(1, c.total)
  // the lists and the bookkeeping in locals (the pricing loop is the search's time)
  const { start, group, weight, free } = c
  const { open, fix, loss, sum } = s
  const counts = s.cnt
  const marks = s.touched
  let swaps = 0
  let improved = opened.length > 0
  while (improved) {
    improved = false
    if (Clock.now() > deadline) return { swaps, stopped: true }
    for (let f = 0; f < free.length; f++) {
      const j = free[f]
      if (open[j] === 1) continue
      let gain = 0
      let touched = 0
      const end = start[j + 1]
      for (let k = start[j]; k < end; k++) {
        const g = group[k]
        const cnt = counts[g]
        if (cnt === 0) gain += weight[g]
        else if (cnt === 1) {
          // j would keep this group covered if its only site closes
          const q = sum[g]
          if (fix[q] === 0) marks[touched++] = q
          fix[q] += weight[g]
        }
      }
      let at = -1
      let least = Infinity
      for (let a = 0; a < opened.length; a++) {
        const q = opened[a]
        const l = loss[q] - fix[q]
        if (l < least) (least = l), (at = a)
      }
      for (let t = 0; t < touched; t++) fix[marks[t]] = 0
      if (at >= 0 && gain - least > eps) {
        drop(c, s, opened[at])
        add(c, s, j)
        opened[at] = j
        swaps++
        improved = true
      }
    }
  }
  return { swaps, stopped: false }
}
