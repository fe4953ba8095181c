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

/** Groups the points of `inst` by the allowed sites within `radius` of them (one pass over points × sites). */
export const group = (inst: Instance, radius: number): Cover => {
  const n = inst.points
  const m = inst.sites
  const allowed: Array<number> = []
  const free: Array<number> = []
  const fixed: Array<number> = []
  for (let j = 0; j < m; j++) {
    if (inst.status[j] !== Status.forbidden) allowed.push(j)
    if (inst.status[j] === Status.free) free.push(j)
    if (inst.status[j] === Status.fixed) fixed.push(j)
  }
  let total = 0
  let whole = true
  // each group's sites, concatenated (sitesOf[at[g] … at[g + 1] − 1])
  const sitesOf: Array<number> = []
  const at: Array<number> = [0]
  const weight: Array<number> = []
  const byHash = new Map<number, number>()
  /** The next group of the same hash (−1: none). */
  const chain: Array<number> = []
  const row = new Int32Array(m)
  for (let i = 0; i < n; i++) {
    const w = inst.weight[i]
    total += w
    if (!Number.isInteger(w)) whole = false
    if (w <= 0) continue
    const base = i * m
    let len = 0
    let hash = 0x811c9dc5
    for (const j of allowed) {
      if (inst.km[base + j] > radius) continue
      row[len++] = j
      hash = Math.imul(hash ^ j, 0x01000193)
    }
    if (len === 0) continue
    let g = byHash.get(hash) ?? -1
    const first = g
    for (; g >= 0; g = chain[g]) {
      if (at[g + 1] - at[g] !== len) continue
      let same = true
      for (let k = 0; k < len && same; k++) same = sitesOf[at[g] + k] === row[k]
      if (same) break
    }
    if (g < 0) {
      g = weight.length
      weight.push(0)
      for (let k = 0; k < len; k++) sitesOf.push(row[k])
      at.push(sitesOf.length)
      chain.push(first)
      byHash.set(hash, g)
    }
    weight[g] += w
  }
  const groups = weight.length
  const start = new Int32Array(m + 1)
  for (const j of sitesOf) start[j + 1]++
  for (let j = 0; j < m; j++) start[j + 1] += start[j]
  const fill = start.slice(0, m)
  const list = new Int32Array(sitesOf.length)
  for (let g = 0; g < groups; g++) for (let k = at[g]; k < at[g + 1]; k++) list[fill[sitesOf[k]]++] = g
  return {
    sites: m,
    groups,
    weight: Float64Array.from(weight),
    start,
    group: list,
    at: Int32Array.from(at),
    site: Int32Array.from(sitesOf),
    total,
    free: Int32Array.from(free),
    fixed: Int32Array.from(fixed),
    whole
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
  s.open[j] = 1
  for (let k = c.start[j]; k < c.start[j + 1]; k++) {
    const g = c.group[k]
    const w = c.weight[g]
    const before = s.cnt[g]
    if (before === 0) {
      s.covered += w
      s.loss[j] += w
    } else if (before === 1) s.loss[s.sum[g]] -= w
    s.cnt[g] = before + 1
    s.sum[g] += j
  }
}

/** Closes site j (open). */
const drop = (c: Cover, s: State, j: number): void => {
  s.open[j] = 0
  for (let k = c.start[j]; k < c.start[j + 1]; k++) {
    const g = c.group[k]
    const w = c.weight[g]
    const after = s.cnt[g] - 1
    s.cnt[g] = after
    s.sum[g] -= j
    if (after === 0) {
      s.covered -= w
      s.loss[j] -= w
    } else if (after === 1) s.loss[s.sum[g]] += w
  }
  s.loss[j] = 0
}

/** Greedy add from the fixed sites to p sites, each round the site covering the most pupils not yet covered. */
export const greedy = (c: Cover, s: State, p: number): void => {
  s.open.fill(0)
  load(c, s, s.open)
  for (const j of c.fixed) add(c, s, j)
  for (let count = c.fixed.length; count < p; count++) {
    let best = -1
    let bg = -1
    for (const j of c.free) {
      if (s.open[j] === 1) continue
      let gain = 0
      for (let k = c.start[j]; k < c.start[j + 1]; k++) if (s.cnt[c.group[k]] === 0) gain += c.weight[c.group[k]]
      if (gain > bg) (bg = gain), (best = j)
    }
    if (best < 0) break
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
  let swaps = 0
  let improved = opened.length > 0
  while (improved) {
    improved = false
    if (Clock.now() > deadline) return { swaps, stopped: true }
    for (const j of c.free) {
      if (s.open[j] === 1) continue
      let gain = 0
      let touched = 0
      for (let k = c.start[j]; k < c.start[j + 1]; k++) {
        const g = c.group[k]
        const cnt = s.cnt[g]
        if (cnt === 0) gain += c.weight[g]
        else if (cnt === 1) {
          // j would keep this group covered if its only site closes
          const q = s.sum[g]
          if (s.fix[q] === 0) s.touched[touched++] = q
          s.fix[q] += c.weight[g]
        }
      }
      let at = -1
      let least = Infinity
      for (let a = 0; a < opened.length; a++) {
        const q = opened[a]
        const l = s.loss[q] - s.fix[q]
        if (l < least) (least = l), (at = a)
      }
      for (let t = 0; t < touched; t++) s.fix[s.touched[t]] = 0
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
