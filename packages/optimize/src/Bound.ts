/**
 * Lagrangian bounds (subgradient optimisation, up to 3,000 iterations) that tell how far a heuristic solution can be from the
 * optimum without solving the MILP.
 *
 * - p-median: relax "each point is assigned once" with multipliers λᵢ; then
 *   L(λ) = Σᵢ λᵢ + the p smallest ρⱼ = Σᵢ min(0, wᵢdᵢⱼ − λᵢ) (fixed sites always taken), a lower bound
 *   on pupil-km for every λ. The capacitated p-median is bounded by kmCost × this (dropping the
 *   capacities and the expansion costs only lowers the optimum).
 * - fixed charge: the same relaxation of the uncapacitated facility location problem: ρⱼ = fⱼ +
 *   Σᵢ min(0, kmCost·wᵢdᵢⱼ − λᵢ), open every site with ρⱼ < 0 (at least one); a lower bound for the
 *   capacitated variant too.
 * - maximal coverage: relax "a point is covered only if an open site is within the radius" with λᵢ ≥ 0:
 *   covered ≤ Σᵢ max(0, wᵢ − λᵢ) + the p largest Σ_{i within radius of j} λᵢ; as a bound on the
 *   uncovered pupils: total − that.
 *
 * Set cover has no bound here (the exact solver gives it).
 */
import * as Clock from "./Clock.js"
import * as Cover from "./Cover.js"
import { type Instance, type Problem, Status } from "./Problem.js"

export interface Options {
  /** Best known objective (the heuristic's): the step size aims at it. */
  readonly upper: number
  /** Stop after this many iterations (default 3,000) or at the deadline (ms since epoch). */
  readonly iterations?: number
  readonly deadline?: number
  /** Iterations made before the deadline is looked at (default 1; the coverage bound's only). */
  readonly least?: number
  /** Iterations without improvement before the step scale is halved. */
  readonly stall?: number
  /**
   * Maximal coverage: stop once the bound is within this many pupils of `upper` (or of a better solution
   * the repair finds) rather than meeting it (default 0); as a function of the solution's uncovered
   * pupils, so that the slack can follow the incumbent.
   */
  readonly slack?: (upper: number) => number
  /**
   * Maximal coverage: the step follows the subgradient plus this share of the previous step's direction
   * (a deflected subgradient; default 0, the plain one). The bound stays the Lagrangian value of the
   * multipliers it returns, whatever the steps.
   */
  readonly deflection?: number
  /**
   * Maximal coverage: a solution's open sites (the heuristic's incumbent). When the first multipliers give
   * no bound (their value at least the pupils' total), multipliers are also made from the solution as
   * complementary slackness suggests (`coverRelaxed`), and the ascent starts from those of the lowest value.
   */
  readonly start?: Uint8Array
}

/** The best lower bound found on the problem's (minimised) objective, or undefined for set cover. */
export const lower = (inst: Instance, problem: Problem, options: Options): number | undefined => {
  switch (problem.kind) {
    case "p-median":
      return median(inst, problem.p, 1, options)
    case "capacitated-p-median":
      return capacitatedMedian(inst, problem.p, problem.kmCost, options)
    case "fixed-charge":
      return problem.capacitated ? capacitatedFacility(inst, problem.kmCost, options) : facility(inst, problem.kmCost, options)
    case "mclp":
      return coverage(inst, problem.p, problem.radius, options)
    case "set-cover":
      return undefined
  }
}

/** Lower bound on kmCost × pupil-km with p open sites (uncapacitated). */
export const median = (inst: Instance, p: number, kmCost: number, options: Options): number =>
  medianMultipliers(inst, p, kmCost, options).bound

/** The p-median bound and the multipliers λ that gave it (for reduction tests). */
export const medianMultipliers = (inst: Instance, p: number, kmCost: number, options: Options): Multipliers =>
  subgradient(inst, kmCost, options, (rho, open) => chooseMedian(inst, p, rho, open))

/**
 * The p-median bound by the volume algorithm (`volume`, `steps` of it, default 1,000) from each point's
 * second-cheapest cost, over each point's nearest sites (`nearestSites`, λᵢ capped by the last one's
 * cost), with the relaxation's averaged openings ȳ (`usage`, Σ = p, the LP's yⱼ estimated): a
 * Lagrangian heuristic rounds ȳ to p sites (`review`: during the steps). A budget in steps, not
 * seconds, so the same instance gets the same bound on a busy machine (the deadline stops it in any
 * case). At 5,000 × 400, p = 30 (county shapes, seed 19) 1,000 steps took 0.6-0.7 s of processor time
 * over full sorted lists and ended within 0.06 % of the optimum (seat 394,682,200 against the optimum
 * 394,917,148); the plain subgradient (`ascend`) the heuristic ran before, stopped by a time budget of
 * a few seconds, ended at 394,659,351.
 */
export const medianAveraged = (
  inst: Instance,
  p: number,
  options: Options & {
    readonly steps?: number
    /** Each point's nearest sites (`nearestSites`; default those of `medianWidth`): λᵢ is kept within its list. */
    readonly near?: Near
    /** `volume`'s review, its call given ȳ too (a Lagrangian heuristic rounds it). */
    readonly review?: {
      readonly every: number
      readonly within: number
      readonly flat?: number
      readonly call: (bound: number, usage: Float64Array) => number
    }
  }
): Multipliers & { readonly usage: Float64Array } => {
  const floor = nearestBound(inst, 1)
  const near = options.near ?? nearestSites(inst, medianWidth(inst, p))
  const usage = new Float64Array(inst.sites)
  const review = options.review
  const r = volume(
    inst.points,
    inst.sites,
    near,
    startMultipliers(inst.points, near),
    {
      upper: options.upper,
      iterations: options.steps ?? 1000,
      usage,
      cap: near.cap,
      ...(review === undefined ? {} : { review: { ...review, call: (b: number) => review.call(b, usage) } }),
      ...(options.deadline === undefined ? {} : { deadline: options.deadline })
    },
    (rho, open) => chooseMedian(inst, p, rho, open)
  )
  return { bound: Math.min(Math.max(r.bound, floor), options.upper), lambda: r.lambda, usage }
}

/**
 * Each point's `width` nearest sites (every site, whatever its status), sorted by cost wᵢdᵢⱼ, and
 * `cap`: the cost of the last one listed (Infinity when every site is). A site not listed costs at least
 * `cap`, so with λᵢ ≤ capᵢ the Lagrangian's sites cheaper than λᵢ are all in the list (a bound from
 * capped multipliers is as valid as any), and a local search that looks for sites cheaper than some
 * cost below capᵢ finds them all there. A selection of the width nearest, then a sort of those only:
 * sorting all 400 sites of each of 5,000 points took 0.2-0.25 s of processor time, a tenth of the
 * p-median heuristic's.
 */
export interface Near extends Sorted {
  readonly cap: Float64Array
}

export const nearestSites = (inst: Instance, width: number): Near => {
  const n = inst.points
  const m = inst.sites
  const K = Math.max(0, Math.min(m, Math.floor(width)))
  const site = new Int32Array(n * K)
  const cost = new Float64Array(n * K)
  const cap = new Float64Array(n).fill(Infinity)
  const key = new Float64Array(m)
  const order = new Int32Array(m)
  for (let i = 0; i < n; i++) {
    const row = i * m
    const w = inst.weight[i]
    for (let j = 0; j < m; j++) {
      key[j] = w * inst.km[row + j]
      order[j] = j
    }
    if (K > 0 && K < m) selectSmallest(order, m, K, key)
    // insertion sort of the K selected, by cost then site (the same order whatever the selection left)
    for (let a = 1; a < K; a++) {
      const j = order[a]
      const c = key[j]
      let b = a - 1
      while (b >= 0 && (key[order[b]] > c || (key[order[b]] === c && order[b] > j))) {
        order[b + 1] = order[b]
        b--
      }
      order[b + 1] = j
    }
    const at = i * K
    for (let k = 0; k < K; k++) {
      site[at + k] = order[k]
      cost[at + k] = key[order[k]]
    }
    if (K < m && K > 0) cap[i] = cost[at + K - 1]
  }
  return { site, cost, width: K, cap }
}

/**
 * The p-median's list width (`nearestSites`): 5 m / p sites, at least 40 (all of them when fewer): about
 * ten times as many as a point's nearest open sites are away in the site order when p of m are open.
 */
export const medianWidth = (inst: Instance, p: number): number =>
  Math.min(inst.sites, Math.max(40, Math.ceil((5 * inst.sites) / Math.max(1, p))))

/**
 * Opens the fixed sites and the free ones with the smallest ρ, p in all; returns Σ ρ over them. A
 * selection (quickselect, linear on average), not a sort: it runs once per subgradient step, and sorting
 * the free sites was as dear as the rest of the step at 5,000 × 400.
 */
export const chooseMedian = (inst: Instance, p: number, rho: Float64Array, open: Uint8Array): number => {
  const m = inst.sites
  if (scratch.length < m) scratch = new Int32Array(m)
  const order = scratch
  let count = 0
  let sum = 0
  let taken = 0
  open.fill(0)
  for (let j = 0; j < m; j++) {
    if (inst.status[j] === Status.fixed) {
      open[j] = 1
      sum += rho[j]
      taken++
    } else if (inst.status[j] === Status.free) order[count++] = j
  }
  const k = Math.min(Math.max(0, p - taken), count)
  if (k > 0 && k < count) selectSmallest(order, count, k, rho)
  for (let q = 0; q < k; q++) {
    open[order[q]] = 1
    sum += rho[order[q]]
  }
  return sum
}

let scratch = new Int32Array(0)

/** Reorders `order[0, count)` so that its first k entries are those with the k smallest keys (Hoare's quickselect). */
const selectSmallest = (order: Int32Array, count: number, k: number, key: Float64Array): void => {
  let lo = 0
  let hi = count - 1
  const target = k - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const pivot = key[order[mid]]
    let i = lo
    let j = hi
    while (i <= j) {
      while (key[order[i]] < pivot) i++
      while (key[order[j]] > pivot) j--
      if (i <= j) {
        const t = order[i]
        order[i] = order[j]
        order[j] = t
        i++
        j--
      }
    }
    // now [lo, j] ≤ pivot ≤ [i, hi]
    if (target <= j) hi = j
    else if (target >= i) lo = i
    else return
  }
}

export interface Multipliers {
  readonly bound: number
  readonly lambda: Float64Array
}

/**
 * Lagrangian reduction for the p-median (kmCost 1): with multipliers λ and a known solution of value
 * `upper`, a free site whose forced opening lifts the bound above `upper` is in no optimal solution
 * (forbidden), and one whose forced closing does is in every one (fixed). Returns the new statuses.
 */
export const reduceMedian = (inst: Instance, p: number, lambda: Float64Array, upper: number): Uint8Array => {
  const n = inst.points
  const m = inst.sites
  const rho = new Float64Array(m)
  let base = 0
  for (let i = 0; i < n; i++) {
    const l = lambda[i]
    base += l
    const row = i * m
    const w = inst.weight[i]
    for (let j = 0; j < m; j++) {
      const c = w * inst.km[row + j] - l
      if (c < 0) rho[j] += c
    }
  }
  const open = new Uint8Array(m)
  const bound = base + chooseMedian(inst, p, rho, open)
  const status = Uint8Array.from(inst.status)
  let lastIn = -Infinity
  let firstOut = Infinity
  for (let j = 0; j < m; j++) {
    if (inst.status[j] !== Status.free) continue
    if (open[j] === 1) lastIn = Math.max(lastIn, rho[j])
    else firstOut = Math.min(firstOut, rho[j])
  }
  const margin = 1e-7 * Math.max(1, Math.abs(upper))
  for (let j = 0; j < m; j++) {
    if (inst.status[j] !== Status.free) continue
    if (open[j] === 0 && lastIn > -Infinity && bound + rho[j] - lastIn > upper + margin) status[j] = Status.forbidden
    if (open[j] === 1 && firstOut < Infinity && bound - rho[j] + firstOut > upper + margin) status[j] = Status.fixed
  }
  return status
}

/**
 * Lagrangian column elimination for the p-median (kmCost 1): with multipliers λ and a known solution of
 * value `upper`, the assignment of point i to site j is in no better solution when the bound with it
 * forced — L(λ) + max(0, dᵢⱼwᵢ − λᵢ) + (j's price of opening, if the relaxation leaves it closed) —
 * exceeds `upper`. Returns a points × sites mask (1: keep the column). The known solution's own columns
 * are always kept (their forced bound is at most its value).
 */
export const eliminateColumns = (inst: Instance, p: number, lambda: Float64Array, upper: number): Uint8Array => {
  const n = inst.points
  const m = inst.sites
  const rho = new Float64Array(m)
  let base = 0
  for (let i = 0; i < n; i++) {
    const l = lambda[i]
    base += l
    const row = i * m
    const w = inst.weight[i]
    for (let j = 0; j < m; j++) {
      const c = w * inst.km[row + j] - l
      if (c < 0) rho[j] += c
    }
  }
  const open = new Uint8Array(m)
  const bound = base + chooseMedian(inst, p, rho, open)
  let lastIn = -Infinity
  for (let j = 0; j < m; j++) if (inst.status[j] === Status.free && open[j] === 1) lastIn = Math.max(lastIn, rho[j])
  const toOpen = new Float64Array(m)
  for (let j = 0; j < m; j++) toOpen[j] = open[j] === 1 || lastIn === -Infinity ? 0 : Math.max(0, rho[j] - lastIn)
  const margin = 1e-7 * Math.max(1, Math.abs(upper))
  const keep = new Uint8Array(n * m)
  for (let i = 0; i < n; i++) {
    const row = i * m
    const w = inst.weight[i]
    const l = lambda[i]
    for (let j = 0; j < m; j++) {
      if (inst.status[j] === Status.forbidden) continue
      if (bound + toOpen[j] + Math.max(0, w * inst.km[row + j] - l) <= upper + margin) keep[row + j] = 1
    }
  }
  return keep
}

/** Lower bound on the fixed-charge objective (uncapacitated facility location). */
export const facility = (inst: Instance, kmCost: number, options: Options): number => facilityMultipliers(inst, kmCost, options).bound

const facilityMultipliers = (inst: Instance, kmCost: number, options: Options): Multipliers =>
  subgradient(inst, kmCost, options, (rho, open) => {
    let sum = 0
    let any = false
    let best = -1
    open.fill(0)
    for (let j = 0; j < inst.sites; j++) {
      if (inst.status[j] === Status.forbidden) continue
      const r = rho[j] + inst.fixedCost[j]
      if (inst.status[j] === Status.fixed || r < 0) {
        open[j] = 1
        sum += r
        any = true
      }
      if (best < 0 || r < rho[best] + inst.fixedCost[best]) best = j
    }
    if (!any && best >= 0) {
      open[best] = 1
      sum += rho[best] + inst.fixedCost[best]
    }
    return sum
  })

/**
 * Each point's allowed sites sorted by distance, with their costs kmCost·wᵢdᵢⱼ (`width` a row): an
 * iteration of the ascent then only visits the sites cheaper than λᵢ (a handful). Undefined when the
 * deadline passes while sorting (a second at 5,000 × 400).
 */
export interface Sorted {
  readonly site: Int32Array
  readonly cost: Float64Array
  readonly width: number
}

export const sortSites = (inst: Instance, kmCost: number, deadline?: number): Sorted | undefined => {
  const n = inst.points
  const m = inst.sites
  const allowed: Array<number> = []
  for (let j = 0; j < m; j++) if (inst.status[j] !== Status.forbidden) allowed.push(j)
  const M = allowed.length
  const site = new Int32Array(n * M)
  const cost = new Float64Array(n * M)
  const idx = allowed.slice()
  for (let i = 0; i < n; i++) {
    if ((i & 63) === 0 && deadline !== undefined && Clock.now() > deadline) return undefined
    const row = i * m
    idx.sort((a, b) => inst.km[row + a] - inst.km[row + b])
    const cw = kmCost * inst.weight[i]
    for (let k = 0; k < M; k++) {
      site[i * M + k] = idx[k]
      cost[i * M + k] = cw * inst.km[row + idx[k]]
    }
  }
  return { site, cost, width: M }
}

/** The starting multipliers: each point's second-cheapest cost (its cheapest when it has one site). */
const startMultipliers = (n: number, sorted: Sorted): Float64Array => {
  const M = sorted.width
  const lambda = new Float64Array(n)
  if (M > 0) for (let i = 0; i < n; i++) lambda[i] = sorted.cost[i * M + (M > 1 ? 1 : 0)]
  return lambda
}

/**
 * Subgradient optimisation of L(λ) = Σλᵢ + choose(ρ) with ρⱼ = Σᵢ min(0, c·wᵢdᵢⱼ − λᵢ); `choose` picks
 * the open sites (writes `open`) and returns Σ ρⱼ (+ their fixed costs) over them.
 */
const subgradient = (
  inst: Instance,
  kmCost: number,
  options: Options,
  choose: (rho: Float64Array, open: Uint8Array) => number
): Multipliers => {
  const floor = nearestBound(inst, kmCost)
  const sorted = sortSites(inst, kmCost, options.deadline)
  // past the deadline while sorting: the nearest-site bound
  if (sorted === undefined) return { bound: Math.min(floor, options.upper), lambda: new Float64Array(inst.points) }
  const lambda = startMultipliers(inst.points, sorted)
  const r = ascend(inst.points, inst.sites, sorted, lambda, options, choose)
  return { bound: Math.min(Math.max(r.bound, floor), options.upper), lambda: r.lambda }
}

export interface Ascent extends Multipliers {
  /** The step scale reached (a child node of a branch and bound starts from it). */
  readonly theta: number
}

/**
 * The ascent itself from `lambda` (changed: it ends at the last iterate; the best is returned):
 * Polyak steps towards `upper`, the scale θ halved after 60 iterations without improvement (`stall`),
 * stopping at θ < 10⁻⁴, after `iterations` (default 3,000), at the deadline or once the bound reaches
 * `upper`.
 */
export const ascend = (
  n: number,
  m: number,
  sorted: Sorted,
  lambda: Float64Array,
  options: Options & {
    readonly theta?: number
    /** When given, filled with each site's share of the iterations in which the relaxation opened it (the LP's yⱼ, estimated). */
    readonly usage?: Float64Array
  },
  choose: (rho: Float64Array, open: Uint8Array) => number
): Ascent => {
  const { site, cost } = sorted
  const M = sorted.width
  const rho = new Float64Array(m)
  const open = new Uint8Array(m)
  const g = new Float64Array(n)
  let best = -Infinity
  const bestLambda = lambda.slice()
  let theta = options.theta ?? 2
  let stall = 0
  const patience = options.stall ?? 60
  const iterations = options.iterations ?? 3000
  for (let it = 0; it < iterations; it++) {
    if (it > 0 && (it & 15) === 0 && options.deadline !== undefined && Clock.now() > options.deadline) break
    rho.fill(0)
    let base = 0
    for (let i = 0; i < n; i++) {
      const l = lambda[i]
      base += l
      for (let k = i * M, end = k + M; k < end && cost[k] < l; k++) rho[site[k]] += cost[k] - l
    }
    const value = base + choose(rho, open)
    if (options.usage !== undefined) for (let j = 0; j < m; j++) options.usage[j] += open[j]
    if (best === -Infinity || value > best + 1e-9 * Math.abs(best)) {
      best = value
      bestLambda.set(lambda)
      stall = 0
    } else if (++stall >= patience) {
      theta /= 2
      stall = 0
      if (theta < 1e-4) break
    }
    if (best >= options.upper * (1 - 1e-9)) break
    let norm = 0
    for (let i = 0; i < n; i++) {
      let assigned = 0
      const l = lambda[i]
      for (let k = i * M, end = k + M; k < end && cost[k] < l; k++) if (open[site[k]] === 1) assigned++
      g[i] = 1 - assigned
      norm += g[i] * g[i]
    }
    if (norm === 0) break
    const step = (theta * Math.max(options.upper - value, 1e-9 * Math.max(1, Math.abs(options.upper)))) / norm
    for (let i = 0; i < n; i++) lambda[i] = Math.max(0, lambda[i] + step * g[i])
  }
  return { bound: best, lambda: bestLambda, theta }
}

/**
 * The volume algorithm (Barahona and Anbil, 2000) on the same Lagrangian from `lambda` (kept: the best
 * multipliers are returned): each step goes from the best multipliers found (the centre) along the
 * subgradient of the relaxation's averaged solution (x̄, ȳ: the average of its solutions, weighted α to
 * the newest, an estimate of the LP's), not of the last one, by θ × (upper − best) / ‖v̄‖². θ grows by a
 * tenth after three improving steps that agree with v̄ and shrinks by a third after `stall` (default 20)
 * steps without improvement; α is the weight in [α₀/10, α₀] that makes v̄ shortest. Stops after
 * `iterations` (default 1,000), at the deadline, once θ < 10⁻⁵ or the bound reaches `close` (default
 * upper).
 *
 * Against the plain subgradient (`ascend`) at 5,000 × 400 (seat shape, p = 30): 2,000 steps reach
 * 394,690,630 against 394,662,784 in 1,500 (both from each point's second-cheapest cost); from there, a
 * child with the most fractional site closed rises 62,545 in 1,000 steps (subgradient: 19,202) and one
 * with it open 255,808 (101,182), to the best known solution.
 */
export const volume = (
  n: number,
  m: number,
  sorted: Sorted,
  lambda: Float64Array,
  options: Options & {
    readonly theta?: number
    /** The bound at which to stop (a branch and bound's node is closed there); default `upper`. */
    readonly close?: number
    /** When given, filled with ȳ: each site's averaged opening, Σ = p (the LP's yⱼ, estimated). */
    readonly usage?: Float64Array
    /** Upper limits of the multipliers (`Near.cap`: lists shorter than every site). */
    readonly cap?: Float64Array
    /**
     * Every `every` steps, `call` gets the best bound so far and returns the best known objective (a
     * Lagrangian heuristic may have improved it from ȳ): the steps aim at it from then on, and the ascent
     * stops once the bound is within `within` of it ((objective − bound) / objective ≤ within), or, with
     * `flat`, once 4 reviews have passed and the bound rose less than flat × objective since the last.
     */
    readonly review?: {
      readonly every: number
      readonly within: number
      readonly flat?: number
      readonly call: (bound: number) => number
    }
  },
  choose: (rho: Float64Array, open: Uint8Array) => number
): Ascent => {
  const { site, cost } = sorted
  const M = sorted.width
  const cap = options.cap
  const rho = new Float64Array(m)
  const open = new Uint8Array(m)
  const g = new Float64Array(n)
  const centre = lambda.slice()
  const trial = new Float64Array(n)
  /** Each point's number of sites cheaper than its multiplier (the first loop's, for the second). */
  const cheap = new Int32Array(n)
  /** L at `at` (writes `open` and the subgradient g of the relaxation's solution). */
  const evaluate = (at: Float64Array): number => {
    rho.fill(0)
    let base = 0
    for (let i = 0; i < n; i++) {
      const l = at[i]
      base += l
      const first = i * M
      let k = first
      for (const end = first + M; k < end && cost[k] < l; k++) rho[site[k]] += cost[k] - l
      cheap[i] = k - first
    }
    const value = base + choose(rho, open)
    for (let i = 0; i < n; i++) {
      let assigned = 0
      for (let k = i * M, end = k + cheap[i]; k < end; k++) assigned += open[site[k]]
      g[i] = 1 - assigned
    }
    return value
  }
  let best = evaluate(centre)
  const vbar = g.slice()
  const ybar = options.usage
  if (ybar !== undefined) for (let j = 0; j < m; j++) ybar[j] = open[j]
  let upper = options.upper
  let close = options.close ?? upper * (1 - 1e-9)
  const review = options.review
  let reviewed = -Infinity
  const iterations = options.iterations ?? 1000
  const patience = options.stall ?? 20
  const alphaMax = 0.1
  let theta = options.theta ?? 0.1
  let green = 0
  let stall = 0
  // ‖v̄‖², kept from the update of v̄ (the loops over the points are fused: at 5,000 × 400 they cost as
  // much as the relaxation's own)
  let norm = 0
  for (let i = 0; i < n; i++) norm += vbar[i] * vbar[i]
  for (let it = 0; it < iterations && best < close; it++) {
    if (it > 0 && (it & 15) === 0 && options.deadline !== undefined && Clock.now() > options.deadline) break
    if (norm === 0) break
    if (review !== undefined && it > 0 && it % review.every === 0) {
      upper = Math.min(upper, review.call(best))
      close = Math.min(close, upper * (1 - 1e-9))
      if (best >= close || upper - best <= review.within * Math.abs(upper)) break
      if (review.flat !== undefined && it >= 4 * review.every && best - reviewed < review.flat * Math.abs(upper)) break
      reviewed = best
    }
    const step = (theta * Math.max(upper - best, 1e-9 * Math.max(1, Math.abs(upper)))) / norm
    if (cap === undefined) for (let i = 0; i < n; i++) trial[i] = Math.max(0, centre[i] + step * vbar[i])
    else for (let i = 0; i < n; i++) trial[i] = Math.min(cap[i], Math.max(0, centre[i] + step * vbar[i]))
    const value = evaluate(trial)
    // α: the weight of the new solution that makes the averaged subgradient shortest, within [α₀/10, α₀]
    let gg = 0
    let gv = 0
    for (let i = 0; i < n; i++) {
      gg += g[i] * g[i]
      gv += g[i] * vbar[i]
    }
    const vv = norm
    const denominator = gg - 2 * gv + vv
    const alpha = Math.min(alphaMax, Math.max(alphaMax / 10, denominator > 0 ? (vv - gv) / denominator : alphaMax))
    norm = 0
    let agree = 0
    for (let i = 0; i < n; i++) {
      const v = alpha * g[i] + (1 - alpha) * vbar[i]
      vbar[i] = v
      norm += v * v
      agree += g[i] * v
    }
    if (ybar !== undefined) for (let j = 0; j < m; j++) ybar[j] = alpha * open[j] + (1 - alpha) * ybar[j]
    if (value > best) {
      if (agree >= 0 && ++green >= 3) {
        theta = Math.min(2, theta * 1.1)
        green = 0
      } else if (agree < 0) green = 0
      best = value
      centre.set(trial)
      stall = 0
    } else {
      green = 0
      if (++stall >= patience) {
        theta *= 0.66
        stall = 0
        if (theta < 1e-5) break
      }
    }
  }
  return { bound: best, lambda: centre, theta }
}

/**
 * Σᵢ kmCost·wᵢ·(distance to the nearest allowed site): a lower bound on every assignment problem (each
 * point goes somewhere at least that far), in one pass; the floor of the Lagrangian bounds when their
 * deadline leaves no time.
 */
export const nearestBound = (inst: Instance, kmCost: number): number => {
  const n = inst.points
  const m = inst.sites
  let sum = 0
  for (let i = 0; i < n; i++) {
    if (inst.weight[i] <= 0) continue
    let d = Infinity
    const row = i * m
    for (let j = 0; j < m; j++) if (inst.status[j] !== Status.forbidden && inst.km[row + j] < d) d = inst.km[row + j]
    if (d < Infinity) sum += kmCost * inst.weight[i] * d
  }
  return sum
}

/**
 * Lower bound on the uncovered pupils of maximal coverage with p sites. Always at least the bound of
 * λ = w (total − the p largest site coverages), so a deadline that leaves no time still gives a valid
 * bound, not 0. Each iteration walks the sites' coverage lists (Σ |Nⱼ|, not points × sites).
 */
export const coverage = (inst: Instance, p: number, radius: number, options: Options): number =>
  coverageRelaxed(inst, p, radius, options).bound

/**
 * The coverage bound and the relaxation's open sites at its best multipliers (the p sites of the largest
 * Σ λᵢ over the points they cover): a Lagrangian heuristic's start, as the multipliers price the points
 * that are hard to cover.
 */
export const coverageRelaxed = (inst: Instance, p: number, radius: number, options: Options): Relaxed =>
  coverRelaxed(Cover.group(inst, radius), p, options)

/**
 * `coverageRelaxed` on demand grouped by covering sites (`Cover.group`; a group's multiplier stands for
 * its points', so the bound is the same relaxation's). With `repair`, every 25 steps whose relaxation changed sites are repaired into a solution; a better one
 * aims the steps closer and ends the loop when the bound meets it.
 */
export const coverRelaxed = (
  c: Cover.Cover,
  p: number,
  options: Options,
  /** A Lagrangian heuristic: from the relaxation's sites, a solution's uncovered pupils (it lowers the step's target and the stopping value). */
  repair?: (open: Uint8Array) => number
): Relaxed => {
  const G = c.groups
  const m = c.sites
  // the lists and pupils in locals: the loops below are the bound's time
  const at = c.at
  const site = c.site
  const start = c.start
  const list = c.group
  const weight = c.weight
  /** −Σ λ_g over the groups each site covers (chooseMedian takes the smallest), kept up to date along the multipliers that move. */
  const score = new Float64Array(m)
  const open = new Uint8Array(m)
  const cnt = new Int32Array(G)
  // four sums a site: one sum's additions wait on each other (a floating-point add's latency), four
  // overlap (with the full rescoring of the deflected steps below, the MCLP heuristic's time on 108 county
  // instances, 1,000 × 100 and 2,000 × 200 at 1.5-8 km, fell 14 % on average: to HiGHS's, 0.044 → 0.038)
  const rescore = (lambda: Float64Array) => {
    for (let j = 0; j < m; j++) {
      let s0 = 0
      let s1 = 0
      let s2 = 0
      let s3 = 0
      const end = start[j + 1]
      let k = start[j]
      for (; k + 3 < end; k += 4) {
        s0 += lambda[list[k]]
        s1 += lambda[list[k + 1]]
        s2 += lambda[list[k + 2]]
        s3 += lambda[list[k + 3]]
      }
      for (; k < end; k++) s0 += lambda[list[k]]
      score[j] = -(s0 + s1 + (s2 + s3))
    }
  }
  const entries = start[m]
  // the relaxation's sites: the fixed ones and the p − fixed free ones of the smallest scores, among the
  // free sites `c` keeps (`Cover.dominance` drops the dominated ones: the reduced problem's optimum is the
  // whole one's, so its bound bounds the whole problem; `chooseMedian` walked every site's status)
  const fixedSites = c.fixed
  const freeSites = c.free
  const order = new Int32Array(Math.max(1, freeSites.length))
  const take = Math.min(Math.max(0, p - fixedSites.length), freeSites.length)
  const choose = (): number => {
    open.fill(0)
    let sum = 0
    for (let f = 0; f < fixedSites.length; f++) {
      const j = fixedSites[f]
      open[j] = 1
      sum += score[j]
    }
    // the take smallest in one pass, kept in ascending order in order[0, take) (ties: the earlier free
    // site first); take is p, a few of the free sites, so most sites fail the first comparison
    let held = 0
    for (let f = 0; f < freeSites.length; f++) {
      const j = freeSites[f]
      const x = score[j]
      if (held === take) {
        if (take === 0 || x >= score[order[take - 1]]) continue
        held--
      }
      let i = held++
      for (; i > 0 && score[order[i - 1]] > x; i--) order[i] = order[i - 1]
      order[i] = j
    }
    for (let q = 0; q < take; q++) {
      const j = order[q]
      open[j] = 1
      sum += score[j]
    }
    return sum
  }
  // the Lagrangian function at λ: Σ max(0, w_g − λ_g) + the fixed and the p − fixed largest site scores
  const value = (lambda: Float64Array): number => {
    let v = 0
    for (let g = 0; g < G; g++) {
      const d = weight[g] - lambda[g]
      if (d > 0) v += d
    }
    return v - choose()
  }
  rescore(c.weight)
  let best = value(c.weight)
  const bestOpen = open.slice()
  const lambda = new Float64Array(G)
  // the multipliers of the best bound (λ = w at first)
  const bestLambda = Float64Array.from(c.weight)
  // the first multipliers: a group's pupils shared among the sites that cover it (was half of them: on
  // 1,000 × 100 counties the bound met the optimum in 56-706 steps instead of 96-1,313, and at 2 of 15
  // not within 3,000)
  for (const g of c.group) lambda[g]++
  for (let g = 0; g < G; g++) lambda[g] = c.weight[g] / lambda[g]
  rescore(lambda)
  const shared = options.start === undefined ? Number.NEGATIVE_INFINITY : value(lambda)
  if (options.start !== undefined && shared >= c.total) {
    // where p sites reach nearly every pupil, the shared multipliers make the p best sites cover every
    // group several times over and the value stays above the pupils' total (a bound of 0 uncovered): traced
    // on county instances at 5-8 km with p = 15-30, for the first 150-300 steps of up to 1,000. Then the
    // ascent starts from a solution's multipliers as complementary slackness has them where that solution
    // is the LP's optimum: a group the solution covers twice or more prices 0 (its coverage constraint is
    // slack), a group it leaves uncovered its pupils, and a group it covers once a share β of them (free
    // in [0, pupils]: β = 0, ¼ and ½ tried, the lowest value kept). At β = 0 the value is the solution's
    // covered pupils plus what the p best sites would cover of the groups it leaves, so a solution whose
    // uncovered pupils no site reaches is proven at once.
    const covers = new Int32Array(G)
    for (let j = 0; j < m; j++) {
      if (options.start[j] !== 1) continue
      for (let k = start[j], end = start[j + 1]; k < end; k++) covers[list[k]]++
    }
    let lowest = shared
    const trial = new Float64Array(G)
    for (const beta of [0, 0.25, 0.5]) {
      for (let g = 0; g < G; g++) trial[g] = covers[g] === 0 ? weight[g] : covers[g] === 1 ? beta * weight[g] : 0
      rescore(trial)
      const v = value(trial)
      if (v < lowest) {
        lowest = v
        lambda.set(trial)
      }
    }
    rescore(lambda)
  }
  const step = new Float64Array(G)
  const delta = new Float64Array(G)
  let theta = 2
  let stall = 0
  let upper = options.upper
  let covered = c.total - upper
  const repaired = new Uint8Array(m)
  // whole pupils: the uncovered pupils are a whole number, so a bound of 2,707.9998 proves 2,708
  const lifted = (b: number) => (c.whole ? Math.ceil(b - 1e-7 * Math.max(1, b)) : b)
  // 3,000 iterations and a patience of 60 (was 300 and 15: at 2,000 × 200 the bound stopped at 5,666
  // below the optimum 5,685 that 3,000 iterations prove in 0.45 s)
  const iterations = options.iterations ?? 3000
  const deflection = options.deflection ?? 0
  let steps = 0
  for (let it = 0; it < iterations; it++) {
    if (it >= (options.least ?? 1) && options.deadline !== undefined && Clock.now() > options.deadline) break
    steps++
    // one pass over the groups for the Lagrangian function at λ and its subgradient (the relaxation's
    // sites first: the scores are current): four passes before (value, clearing the counts, the
    // subgradient, the step), now two
    const chosen = choose()
    for (let f = 0; f < fixedSites.length; f++) {
      const j = fixedSites[f]
      const end = start[j + 1]
      for (let k = start[j]; k < end; k++) cnt[list[k]]++
    }
    for (let q = 0; q < take; q++) {
      const j = order[q]
      const end = start[j + 1]
      for (let k = start[j]; k < end; k++) cnt[list[k]]++
    }
    let v = 0
    let norm = 0
    // the subgradient's own norm (0: these multipliers are optimal, whatever the deflected step)
    let subgradient = 0
    for (let g = 0; g < G; g++) {
      const l = lambda[g]
      const w = weight[g]
      let d = cnt[g]
      cnt[g] = 0
      if (w > l) {
        v += w - l
        d--
      }
      // a multiplier at 0 that the step would push below stays there, and its part of the subgradient
      // is left out of the norm (the step was as much shorter: at 1,000 × 100, 600 steps to the best
      // bound instead of 2,000 and more)
      if (l <= 0 && d > 0) d = 0
      subgradient += d * d
      // deflected: plus a share of the last direction (held at 0 the same way)
      if (deflection > 0) {
        d += deflection * step[g]
        if (l <= 0 && d > 0) d = 0
      }
      step[g] = d
      norm += d * d
    }
    v -= chosen
    if (v < best - 1e-9 * Math.abs(best)) {
      best = v
      bestOpen.set(open)
      bestLambda.set(lambda)
      stall = 0
    } else if (++stall >= (options.stall ?? 60)) {
      theta /= 2
      stall = 0
      if (theta < 1e-4) break
    }
    if (repair !== undefined && it % 25 === 0 && open.some((x, j) => x !== repaired[j])) {
      repaired.set(open)
      const u = repair(open.slice())
      if (u < upper) (upper = u), (covered = c.total - u)
    }
    // no pupils uncovered is a bound whatever λ: where p sites can reach nearly every pupil the Lagrangian
    // value lies below 0 for hundreds of steps, and without this floor the loop ran all its iterations (at
    // 2,000 × 200 with an 8 km radius and p = 30, 50-55 ms for answers with 0 or 53 pupils beyond reach, already proven)
    if (Math.max(0, lifted(c.total - best)) >= upper - Math.max(1e-9 * Math.max(1, upper), options.slack?.(upper) ?? 0)) break
    if (subgradient === 0 || norm === 0) break
    // Polyak's step towards the coverage to prove: the solution's plus the slack (the loop ends on
    // reaching it, so while it runs the value is above it, or the bound's least value is, and the step
    // stays positive). At 1,000 × 100 (15 county instances, the optimum as the solution, slack 0.1 % of
    // the covered pupils, dominated sites dropped) the steps to the stop fell from 2,317 to 1,921 in
    // all (median 106 → 88)
    const aim = covered + (options.slack?.(upper) ?? 0)
    const t = (theta * Math.max(v - aim, 1e-9 * Math.max(1, covered))) / norm
    let moved = 0
    for (let g = 0; g < G; g++) {
      if (step[g] === 0) {
        delta[g] = 0
        continue
      }
      const next = Math.max(0, lambda[g] - t * step[g])
      delta[g] = next - lambda[g]
      lambda[g] = next
      moved += at[g + 1] - at[g]
    }
    // only the sites covering a group whose multiplier moved change score (without deflection, at 1,000 ×
    // 100 a step walks a fraction of the Σ |Nⱼ| entries a full rescoring reads), rescored in full now and
    // then; when most groups moved (the deflected steps), rescored in full, which reads the same entries
    // in the sites' order and sums them without a store each
    if (2 * moved > entries || it % 64 === 63) rescore(lambda)
    else
      for (let g = 0; g < G; g++) {
        const d = delta[g]
        if (d === 0) continue
        const end = at[g + 1]
        for (let k = at[g]; k < end; k++) score[site[k]] -= d
      }
  }
  return { bound: Math.max(0, Math.min(lifted(c.total - best), options.upper)), open: bestOpen, lambda: bestLambda, steps }
}

/** The points within `radius` of each allowed site, as compressed lists (site j: point[start[j] … start[j + 1] − 1]). */
export const coverLists = (inst: Instance, radius: number): { readonly start: Int32Array; readonly point: Int32Array } => {
  const n = inst.points
  const m = inst.sites
  const start = new Int32Array(m + 1)
  for (let i = 0; i < n; i++) {
    const row = i * m
    for (let j = 0; j < m; j++) if (inst.status[j] !== Status.forbidden && inst.km[row + j] <= radius) start[j + 1]++
  }
  for (let j = 0; j < m; j++) start[j + 1] += start[j]
  const point = new Int32Array(start[m])
  const at = start.slice(0, m)
  for (let i = 0; i < n; i++) {
    const row = i * m
    for (let j = 0; j < m; j++) if (inst.status[j] !== Status.forbidden && inst.km[row + j] <= radius) point[at[j]++] = i
  }
  return { start, point }
}

/**
 * Lower bound on the capacitated p-median (kmCost × pupil-km + expansion costs) that accounts for the
 * capacities: relax "each point assigned once" with λᵢ; each site then solves a knapsack, taking the
 * points whose kmCost·wᵢdᵢⱼ − λᵢ < 0 up to its seats (or, at its expansion cost, its seats plus the
 * expansion), as a continuous knapsack (greedy by value per pupil, the last point in part: a relaxation,
 * so still a bound); L(λ) = Σλᵢ + the fixed sites' and the p smallest site values. Never below the
 * uncapacitated bound's floor (the nearest-site bound).
 */
export const capacitatedMedian = (inst: Instance, p: number, kmCost: number, options: Options): number =>
  capacitatedMedianRelaxed(inst, p, kmCost, options).bound

/** The bound of `capacitatedMedian` and the p sites its relaxation opens at the best multipliers: a Lagrangian heuristic's start. */
export const capacitatedMedianRelaxed = (inst: Instance, p: number, kmCost: number, options: Options): Relaxed =>
  capacitatedRelaxed(inst, kmCost, options, (rho, open) => chooseMedian(inst, p, rho, open))

export interface Relaxed {
  readonly bound: number
  /** The relaxation's open sites at the best multipliers (all zero when the deadline left no iteration). */
  readonly open: Uint8Array
  /** The best multipliers (maximal coverage: one per group of `Cover.group`), for site fixing. */
  readonly lambda?: Float64Array
  /**
   * The capacity-aware relaxations: the distinct site sets opened at the last improvements of the bound
   * (up to 16, the best multipliers' last): more starts for a Lagrangian heuristic.
   */
  readonly candidates?: ReadonlyArray<Uint8Array>
  /** Maximal coverage: the subgradient steps taken. */
  readonly steps?: number
}

/**
 * Lower bound on the capacitated fixed charge (fixed costs + expansions + kmCost × pupil-km) that
 * accounts for the capacities: the same knapsack per site as `capacitatedMedian`, a site's value its
 * fixed cost plus its knapsack's; the relaxation opens every site of negative value and, while their
 * seats (with expansions) fall short of the pupils, the cheapest further seats by value per seat (the
 * last site in part: a relaxation of "the open sites hold every pupil", which every solution meets, so
 * still a bound).
 */
export const capacitatedFacility = (inst: Instance, kmCost: number, options: Options): number =>
  capacitatedFacilityRelaxed(inst, kmCost, options).bound

/** The bound of `capacitatedFacility` and the sites its relaxation opens at the best multipliers (enough seats for every pupil): a Lagrangian heuristic's start. */
export const capacitatedFacilityRelaxed = (inst: Instance, kmCost: number, options: Options): Relaxed => {
  let demand = 0
  for (let i = 0; i < inst.points; i++) demand += inst.weight[i]
  const seatsOf = (j: number) => inst.capacity[j] + (Number.isFinite(inst.capacity[j]) ? inst.expandSeats[j] : 0)
  return capacitatedRelaxed(inst, kmCost, options, (rho, open) => {
    open.fill(0)
    let sum = 0
    let seats = 0
    const rest: Array<number> = []
    for (let j = 0; j < inst.sites; j++) {
      if (inst.status[j] === Status.forbidden) continue
      const v = rho[j] + inst.fixedCost[j]
      if (inst.status[j] === Status.fixed || v < 0) {
        open[j] = 1
        sum += v
        seats += seatsOf(j)
      } else rest.push(j)
    }
    rest.sort((a, b) => (rho[a] + inst.fixedCost[a]) / seatsOf(a) - (rho[b] + inst.fixedCost[b]) / seatsOf(b))
    for (const j of rest) {
      if (seats >= demand) break
      const share = Math.min(1, (demand - seats) / seatsOf(j))
      open[j] = 1
      sum += share * (rho[j] + inst.fixedCost[j])
      seats += seatsOf(j)
    }
    return sum
  })
}

/** The knapsack relaxation's subgradient; `choose` opens sites by their values ρ (knapsack, + expansion) and returns Σ over them. */
const capacitatedRelaxed = (
  inst: Instance,
  kmCost: number,
  options: Options,
  choose: (rho: Float64Array, open: Uint8Array) => number
): Relaxed => {
  const n = inst.points
  const m = inst.sites
  const floor = nearestBound(inst, kmCost)
  const allowed: Array<number> = []
  for (let j = 0; j < m; j++) if (inst.status[j] !== Status.forbidden) allowed.push(j)
  const sorted = sortSites(inst, kmCost, options.deadline)
  if (sorted === undefined) return { bound: Math.min(floor, options.upper), open: new Uint8Array(m) }
  const { site, cost } = sorted
  const M = sorted.width
  const lambda = startMultipliers(n, sorted)
  // per site: the points with a negative reduced cost (point, value, value per pupil, share taken),
  // refilled every iteration on typed arrays (the tuples and closures before cost 35 ms an iteration at
  // 5,000 × 400)
  const bucketStart = new Int32Array(m + 1)
  const at = new Int32Array(m)
  let bucketPoint = new Int32Array(0)
  let bucketValue = new Float64Array(0)
  let bucketRatio = new Float64Array(0)
  let bucketShare = new Float64Array(0)
  let order = new Int32Array(0)
  const rho = new Float64Array(m)
  const open = new Uint8Array(m)
  const g = new Float64Array(n)
  const byRatio = (a: number, b: number) => bucketRatio[a] - bucketRatio[b]
  /** The continuous knapsack over order[from … to) (by value per pupil); writes the shares taken when `record`. */
  const knapsack = (seats: number, from: number, to: number, record: boolean) => {
    let room = seats
    let v = 0
    for (let q = from; q < to; q++) {
      const k = order[q]
      if (room <= 0) {
        if (!record) break
        bucketShare[k] = 0
        continue
      }
      const w = inst.weight[bucketPoint[k]]
      const share = w <= room ? 1 : room / w
      v += bucketValue[k] * share
      room -= w * share
      if (record) bucketShare[k] = share
    }
    return v
  }
  const evaluate = (): number => {
    bucketStart.fill(0)
    let base = 0
    for (let i = 0; i < n; i++) {
      const l = lambda[i]
      base += l
      for (let k = i * M, end = k + M; k < end && cost[k] < l; k++) bucketStart[site[k] + 1]++
    }
    for (let j = 0; j < m; j++) bucketStart[j + 1] += bucketStart[j]
    const size = bucketStart[m]
    if (bucketPoint.length < size) {
      bucketPoint = new Int32Array(size * 2)
      bucketValue = new Float64Array(size * 2)
      bucketRatio = new Float64Array(size * 2)
      bucketShare = new Float64Array(size * 2)
      order = new Int32Array(size * 2)
    }
    for (let j = 0; j < m; j++) at[j] = bucketStart[j]
    for (let i = 0; i < n; i++) {
      const l = lambda[i]
      const w = Math.max(1e-12, inst.weight[i])
      for (let k = i * M, end = k + M; k < end && cost[k] < l; k++) {
        const q = at[site[k]]++
        bucketPoint[q] = i
        bucketValue[q] = cost[k] - l
        bucketRatio[q] = (cost[k] - l) / w
        order[q] = q
      }
    }
    for (const j of allowed) {
      const from = bucketStart[j]
      const to = bucketStart[j + 1]
      const cap = Number.isFinite(inst.capacity[j]) ? inst.capacity[j] : Infinity
      const expands = inst.expandSeats[j] > 0 && Number.isFinite(cap)
      let load = 0
      for (let q = from; q < to; q++) load += inst.weight[bucketPoint[q]]
      // sorted by value per pupil only when the points do not all fit (they take every point otherwise)
      if (load > cap) order.subarray(from, to).sort(byRatio)
      const plain = knapsack(cap, from, to, false)
      const extra = expands ? inst.expandCost[j] + knapsack(cap + inst.expandSeats[j], from, to, false) : Infinity
      if (extra < plain) {
        rho[j] = extra
        knapsack(cap + inst.expandSeats[j], from, to, true)
      } else {
        rho[j] = plain
        knapsack(cap, from, to, true)
      }
    }
    return base + choose(rho, open)
  }
  let best = -Infinity
  const bestOpen = new Uint8Array(m)
  const candidates: Array<Uint8Array> = []
  let theta = 2
  let stall = 0
  const iterations = options.iterations ?? 1000
  for (let it = 0; it < iterations; it++) {
    if (it > 0 && options.deadline !== undefined && Clock.now() > options.deadline) break
    const value = evaluate()
    if (best === -Infinity || value > best + 1e-9 * Math.abs(best)) {
      best = value
      bestOpen.set(open)
      stall = 0
      let seen = false
      for (let c = 0; c < candidates.length && !seen; c++) seen = sameSites(candidates[c], open)
      if (!seen) {
        candidates.push(Uint8Array.from(open))
        if (candidates.length > 16) candidates.shift()
      }
    } else if (++stall >= (options.stall ?? 30)) {
      theta /= 2
      stall = 0
      if (theta < 1e-4) break
    }
    if (best >= options.upper * (1 - 1e-9)) break
    g.fill(1)
    for (let j = 0; j < m; j++) {
      if (open[j] !== 1) continue
      for (let q = bucketStart[j], end = bucketStart[j + 1]; q < end; q++) g[bucketPoint[q]] -= bucketShare[q]
    }
    let norm = 0
    for (let i = 0; i < n; i++) norm += g[i] * g[i]
    if (norm < 1e-18) break
    const step = (theta * Math.max(options.upper - value, 1e-9 * Math.max(1, Math.abs(options.upper)))) / norm
    for (let i = 0; i < n; i++) lambda[i] = Math.max(0, lambda[i] + step * g[i])
  }
  return { bound: Math.min(Math.max(best, floor), options.upper), open: bestOpen, candidates }
}

const sameSites = (a: Uint8Array, b: Uint8Array): boolean => {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false
  return true
}
