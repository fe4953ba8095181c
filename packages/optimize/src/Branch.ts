/**
 * Lagrangian branch and bound for the p-median (Beasley's approach): where the Lagrangian bound stays a
 * few tenths of a per cent below the best known solution (the LP relaxation's own gap: the bound does
 * not rise with more iterations), the search branches on sites instead of handing a model of millions
 * of assignment columns to the MILP solver. Each node is a set of sites fixed open and forbidden; its
 * bound is the relaxation of "each point assigned once" over the sites still allowed (300 steps of the
 * volume algorithm, `Bound.volume`, from its parent's multipliers: its node bounds rise several times
 * further than the plain subgradient's, which at 5,000 × 400 barely lifted a child above its parent);
 * the reduction tests (`Bound.reduceMedian`'s, at the node) fix and forbid more sites; the relaxation's
 * open sites and the p sites of the largest averaged opening ȳⱼ, each point sent to its nearest, give
 * solutions (descended by the interchange); a node whose bound reaches the best solution is closed. Best bound first with plunges: a
 * node's open child (or its reduced self) is searched next while its bound stays in the better half of
 * the gap between the least pending bound and the best solution (diving finds solutions and closes
 * subtrees by the reduction tests); otherwise the pending node with the least bound is, so that the
 * search's bound, the least pending one, rises as it goes (pure depth first kept the root's bound for as
 * long as the root's first subtree was open, at 5,000 × 400 the whole time limit). A child starts from its parent's bound lifted by the
 * relaxation's own price of the branch (Beasley's penalties: forbidding a site the relaxation opened
 * costs its place to the cheapest site left out, fixing one it left out costs the dearest one in). It
 * branches on the free site whose ȳⱼ is closest to one half (the LP's most fractional yⱼ, estimated;
 * else the open site that would cost the bound most to close).
 *
 * Memory is the instance's sorted distance lists plus one multiplier vector per pending node (pending ×
 * points), never a MILP. The bound of a stopped search is the least bound of the nodes still pending: a
 * valid lower bound on the optimum.
 */
import * as Bound from "./Bound.js"
import * as Clock from "./Clock.js"
import { fastInterchange, nearLists } from "./Heuristic.js"
import { type Instance, objectiveFigure, objectiveText, Status } from "./Problem.js"

export interface Options {
  /** The best known solution: its open sites (a choice of p) and its objective. */
  readonly open: Uint8Array
  readonly upper: number
  /** Multipliers to start from (the root's, from `Bound.medianMultipliers`). */
  readonly lambda: Float64Array
  /** Their bound (a lower bound on the optimum under the instance's statuses). */
  readonly bound: number
  /** Absolute: a node whose bound is within this of the best solution is closed. */
  readonly tolerance: number
  /** ms since the epoch. */
  readonly deadline: number
  /** Volume steps per node (default 300) and at the root (default 2,000). */
  readonly steps?: number
  readonly rootSteps?: number
  readonly onProgress?: (message: string) => void
}

export interface Result {
  /** True when every node was closed: `open` is optimal (within the tolerance). */
  readonly proven: boolean
  readonly open: Uint8Array
  readonly value: number
  /** A valid lower bound on the optimum: the value when proven, else the least pending node's bound. */
  readonly bound: number
  readonly nodes: number
}

interface Node {
  readonly status: Uint8Array
  readonly lambda: Float64Array
  /** A lower bound on every solution below the node (its parent's, lifted by the branch's penalty). */
  readonly bound: number
  readonly depth: number
}

/**
 * Searches the p-median (kmCost 1) under `inst`'s statuses (forbidden sites have no place in the sorted
 * lists, so a root reduced by `Bound.reduceMedian` searches only what is left) until every node is
 * closed or the deadline passes.
 */
export const medianSearch = (inst: Instance, p: number, options: Options): Result => {
  const n = inst.points
  const m = inst.sites
  const sorted = Bound.sortSites(inst, 1, options.deadline)
  let best = options.open.slice()
  let upper = options.upper
  const tol = options.tolerance
  if (sorted === undefined) return { proven: false, open: best, value: upper, bound: options.bound, nodes: 0 }
  const M = sorted.width
  /** Σ wᵢ × distance to the nearest open site, from the sorted lists. */
  const priceOf = (open: Uint8Array): number => {
    let v = 0
    for (let i = 0; i < n; i++) {
      for (let k = i * M, end = k + M; k < end; k++) {
        if (open[sorted.site[k]] === 1) {
          v += sorted.cost[k]
          break
        }
      }
    }
    return v
  }
  const rho = new Float64Array(m)
  const open = new Uint8Array(m)
  const usage = new Float64Array(m)
  const steps = options.steps ?? 300
  const rootSteps = options.rootSteps ?? 2000
  // the Lagrangian heuristic: a relaxation's sites near the best solution are descended by the
  // fast interchange (over the root's statuses: every site a node fixed or forbade may move) once each
  const near = nearLists(inst, p)
  const tried = new Set<string>()
  const polish = (o: Uint8Array, v: number) => {
    if (v > upper * (1 + polishWithin)) return
    const key = keyOf(o)
    if (tried.has(key)) return
    tried.add(key)
    const d = fastInterchange(inst, o.slice(), options.deadline, near)
    if (d.value < upper - 1e-9 * Math.max(1, upper)) {
      // priced again as the search prices (the interchange's running sum may drift by rounding)
      const exact = priceOf(d.open)
      if (exact < upper) {
        upper = exact
        best = d.open.slice()
        options.onProgress?.(`branch and bound: a better solution ${objectiveText("p-median", exact)} (interchange)`)
      }
    }
  }
  const pending = new Pending()
  pending.push({ status: Uint8Array.from(inst.status), lambda: options.lambda, bound: options.bound, depth: 0 })
  let nodes = 0
  let last = Date.now()
  /** The node a plunge searches next, when it goes on (a holder: `next` sets it from a closure). */
  const plunge: { node: Node | undefined } = { node: undefined }
  /** Dive into `node` when its bound is in the better half of the gap left, else leave it pending. */
  const next = (node: Node) => {
    const least = pending.least()
    if (node.bound <= least + 0.5 * (upper - least)) plunge.node = node
    else pending.push(node)
  }
  /** The plunge's node, else the least pending one. */
  const take = (): Node => {
    const node = plunge.node ?? pending.pop()
    plunge.node = undefined
    return node
  }
  while (plunge.node !== undefined || pending.size > 0) {
    if (Clock.now() > options.deadline) break
    const node = take()
    if (node.bound >= upper - tol) {
      // the least pending bound has reached the best solution: every node is closed
      if (pending.least() >= upper - tol) break
      continue
    }
    nodes++
    const status = node.status
    let fixed = 0
    let free = 0
    for (let j = 0; j < m; j++) {
      if (status[j] === Status.fixed) fixed++
      else if (status[j] === Status.free) free++
    }
    if (fixed > p || fixed + free < p) continue
    if (fixed === p || fixed + free === p) {
      // a leaf: every allowed site of the node open
      const leaf = new Uint8Array(m)
      for (let j = 0; j < m; j++) if (status[j] === Status.fixed || (fixed < p && status[j] === Status.free)) leaf[j] = 1
      const v = priceOf(leaf)
      if (v < upper) (upper = v), (best = leaf)
      continue
    }
    const root = nodes === 1
    const at = { ...inst, status }
    const choose = (r: Float64Array, o: Uint8Array) => Bound.chooseMedian(at, p, r, o)
    // the root's bound is every pending node's floor until its subtree is done: a longer ascent there
    const a = Bound.volume(
      n,
      m,
      sorted,
      node.lambda,
      { upper, close: upper - tol, iterations: root ? rootSteps : steps, deadline: options.deadline, usage },
      choose
    )
    let total = 0
    for (let j = 0; j < m; j++) total += usage[j]
    const scale = total > 0 ? p / total : 0
    // the relaxation at the best multipliers: its bound, its sites' prices of opening and closing
    rho.fill(0)
    let base = 0
    for (let i = 0; i < n; i++) {
      const l = a.lambda[i]
      base += l
      for (let k = i * M, end = k + M; k < end && sorted.cost[k] < l; k++) rho[sorted.site[k]] += sorted.cost[k] - l
    }
    // the tests below price forcing a site against the relaxation at these multipliers (lagrangian), not
    // against the parent's bound, which can be higher
    const lagrangian = base + choose(rho, open)
    const bound = Math.max(node.bound, lagrangian)
    const v = priceOf(open)
    if (v < upper) {
      upper = v
      best = open.slice()
      options.onProgress?.(`branch and bound: a better solution ${objectiveText("p-median", v)}`)
    }
    polish(open, v)
    // the averaged relaxation's sites (ȳ, the LP's yⱼ estimated), the p largest: at 2,000 × 200 (seat
    // shape) the optimum at the root, where the relaxation's own sites and the interchange were 0.4 % off
    const rounded = new Uint8Array(m)
    const negative = usage.map((y) => -y)
    Bound.chooseMedian(at, p, negative, rounded)
    const r = priceOf(rounded)
    if (r < upper) {
      upper = r
      best = rounded.slice()
      options.onProgress?.(`branch and bound: a better solution ${objectiveText("p-median", r)} (rounded)`)
    }
    polish(rounded, r)
    if (bound >= upper - tol) continue
    let lastIn = -Infinity
    let firstOut = Infinity
    for (let j = 0; j < m; j++) {
      if (status[j] !== Status.free) continue
      if (open[j] === 1) lastIn = Math.max(lastIn, rho[j])
      else firstOut = Math.min(firstOut, rho[j])
    }
    // the reduction tests at the node: a site whose forced opening (closing) lifts the bound to the best
    // solution is closed (open) in every better one below this node
    const reduced = status.slice()
    let changed = false
    let pick = -1
    let pickPenalty = -Infinity
    let fractional = -1
    let fractionalBy = 0.45
    for (let j = 0; j < m; j++) {
      const share = usage[j] * scale
      if (status[j] === Status.free && Math.abs(share - 0.5) < fractionalBy) (fractionalBy = Math.abs(share - 0.5)), (fractional = j)
      if (status[j] !== Status.free) continue
      if (open[j] === 0 && lastIn > -Infinity && lagrangian + rho[j] - lastIn >= upper - tol) {
        reduced[j] = Status.forbidden
        changed = true
      } else if (open[j] === 1 && firstOut < Infinity && lagrangian - rho[j] + firstOut >= upper - tol) {
        reduced[j] = Status.fixed
        changed = true
      } else if (open[j] === 1) {
        const penalty = firstOut - rho[j]
        if (penalty > pickPenalty) (pickPenalty = penalty), (pick = j)
      }
    }
    const depth = node.depth + 1
    if (changed) {
      next({ status: reduced, lambda: a.lambda, bound, depth })
      continue
    }
    // (the relaxation opens p − fixed free sites, each reduced or a candidate; a free site at worst)
    if (pick < 0) pick = status.indexOf(Status.free)
    if (fractional >= 0) pick = fractional
    const closed = status.slice()
    closed[pick] = Status.forbidden
    const opened = status.slice()
    opened[pick] = Status.fixed
    // the relaxation's price of each branch at these multipliers (a valid bound on the child)
    const closing = open[pick] === 1 && firstOut < Infinity ? lagrangian - rho[pick] + firstOut : -Infinity
    const opening = open[pick] === 0 && lastIn > -Infinity ? lagrangian + rho[pick] - lastIn : -Infinity
    pending.push({ status: closed, lambda: a.lambda, bound: Math.max(bound, closing), depth })
    next({ status: opened, lambda: a.lambda, bound: Math.max(bound, opening), depth })
    if (options.onProgress !== undefined && Date.now() - last >= 1000) {
      last = Date.now()
      options.onProgress(
        `branch and bound: ${nodes} nodes, ${pending.size} pending, best ${objectiveText("p-median", upper)}, bound ${objectiveFigure("p-median", Math.min(upper, pending.least(), plunge.node?.bound ?? Infinity))}`
      )
    }
  }
  const least = Math.min(pending.least(), plunge.node?.bound ?? Infinity)
  const proven = least >= upper - tol
  return { proven, open: best, value: upper, bound: proven ? upper : Math.min(upper, least), nodes }
}

/** The pending nodes, least bound first (the deeper of two equal bounds first): a binary heap. */
class Pending {
  private readonly heap: Array<Node> = []
  get size(): number {
    return this.heap.length
  }
  /** The least pending bound (Infinity when none is pending). */
  least(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0].bound
  }
  push(node: Node): void {
    const h = this.heap
    h.push(node)
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(h[i], h[parent])) break
      ;[h[i], h[parent]] = [h[parent], h[i]]
      i = parent
    }
  }
  pop(): Node {
    const h = this.heap
    const top = h[0]
    const tail = h.pop() as Node
    if (h.length > 0) {
      h[0] = tail
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && before(h[l], h[m])) m = l
        if (r < h.length && before(h[r], h[m])) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m], h[i]]
        i = m
      }
    }
    return top
  }
}

const before = (a: Node, b: Node): boolean => a.bound < b.bound || (a.bound === b.bound && a.depth > b.depth)

/** A relaxation's solution is descended when it is within this share of the best one. */
const polishWithin = 0.01

const keyOf = (open: Uint8Array): string => {
  let key = ""
  for (let j = 0; j < open.length; j++) if (open[j] === 1) key += `${j},`
  return key
}
