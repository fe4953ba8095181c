/**
 * Branch and bound for maximal coverage on grouped demand (`Cover`), each node's bound the covering LP
 * (zᵍ ≤ Σ_{j∈Nᵍ} yⱼ, zᵍ ≤ 1, Σ yⱼ = p, uncovered = total − Σ wᵍzᵍ) solved by HiGHS's simplex on one model
 * whose site bounds change from node to node (each solve starts from the last basis). Best bound first;
 * it branches on the site whose yⱼ is closest to one half (open it, forbid it); each node's LP gives a
 * solution too, its p largest yⱼ descended by the swap search (`Cover.interchange`). A node whose bound,
 * rounded up to whole pupils when pupils are whole, reaches the best solution is closed.
 *
 * Why not HiGHS's own branch and cut on the same model: at 5,000 × 400 (p = 30, the bench's three county
 * shapes, seed 19) HiGHS proves the optimum at its root node, and its cut rounds there, closing the LP's
 * 0.7-1.5 % gap, took 2.7-6 s of processor time; this search closes it in 10-35 nodes, 0.4-1.5 s (the
 * first LP, on the seat shape's dense columns, 0.8 s of it).
 *
 * The model is the groups' (points covered by the same sites are one column) with dominated sites left
 * out (`Cover.dominance`: the reduced problem's optimum is the whole one's), so a few thousand columns
 * and one row a group; it never grows. The bound of a stopped search is the least bound of the nodes
 * still pending: a valid lower bound on the optimum.
 */
import type { Highs } from "highs"
import type * as Branch from "./Branch.js"
import * as Clock from "./Clock.js"
import * as Cover from "./Cover.js"
import { objectiveFigure, objectiveText } from "./Problem.js"

export interface Options {
  /** The best known solution: its open sites (p of them, none dominated away) and its uncovered pupils. */
  readonly open: Uint8Array
  readonly upper: number
  /** A lower bound known beforehand (the Lagrangian one): the answer's bound is never below it. */
  readonly floor: number
  /** Absolute: a node whose bound is within this of the best solution is closed. */
  readonly tolerance: number
  /** ms since the epoch. */
  readonly deadline: number
  readonly onProgress?: (message: string) => void
}

/** The p-median branch and bound's answer (`Branch.Result`), and why the search stopped early if it did. */
export interface Result extends Branch.Result {
  /** Why the search stopped early (HiGHS failed or returned no LP optimum), in words. */
  readonly failure?: string
}

interface Node {
  /** Sites fixed open and forbidden below this node. */
  readonly opened: ReadonlyArray<number>
  readonly closed: ReadonlyArray<number>
  /** Its parent's LP bound (a lower bound on every solution below it). */
  readonly bound: number
}

/** Searches `c` with p sites open until every node is closed, the deadline passes or HiGHS fails. */
export const search = (highs: Highs, c: Cover.Cover, p: number, options: Options): Result => {
  const m = c.sites
  const G = c.groups
  let best = options.open.slice()
  let upper = options.upper
  const tol = options.tolerance
  // the uncovered pupils are whole: an LP bound of 6,094.2 means 6,095 (the slack absorbs the simplex's
  // rounding, about 1e-9 of the objective)
  const lifted = (b: number) => (c.whole ? Math.ceil(b - 1e-6 * Math.max(1, Math.abs(b))) : b)
  const closes = (b: number) => lifted(b) >= upper - tol
  const result = (proven: boolean, bound: number, nodes: number, failure?: string): Result => ({
    proven,
    open: best,
    value: upper,
    bound: proven ? upper : Math.min(upper, Math.max(options.floor, lifted(bound))),
    nodes,
    ...(failure === undefined ? {} : { failure })
  })
  if (closes(options.floor)) return result(true, upper, 0)

  // the model: y (m columns; allowed free ones in [0, 1], fixed ones at 1, the rest at 0), then z (one a group)
  const isFree = new Uint8Array(m)
  for (const j of c.free) isFree[j] = 1
  const isFixed = new Uint8Array(m)
  for (const j of c.fixed) isFixed[j] = 1
  const numCols = m + G
  const numRows = G + 1
  const starts = new Int32Array(numCols + 1)
  const nonzeros = c.site.length + c.free.length + c.fixed.length + G
  const indices = new Int32Array(nonzeros)
  const values = new Float64Array(nonzeros)
  const colCost = new Float64Array(numCols)
  const colLower = new Float64Array(numCols)
  const colUpper = new Float64Array(numCols).fill(1)
  let e = 0
  for (let j = 0; j < m; j++) {
    starts[j] = e
    if (isFree[j] === 0 && isFixed[j] === 0) {
      colUpper[j] = 0
      continue
    }
    if (isFixed[j] === 1) colLower[j] = 1
    // each site's groups ascend (`Cover` fills them group by group), then the cardinality row
    for (let k = c.start[j]; k < c.start[j + 1]; k++) {
      indices[e] = c.group[k]
      values[e++] = -1
    }
    indices[e] = G
    values[e++] = 1
  }
  for (let g = 0; g < G; g++) {
    starts[m + g] = e
    indices[e] = g
    values[e++] = 1
    colCost[m + g] = -c.weight[g]
  }
  starts[numCols] = e
  const rowLower = new Float64Array(numRows).fill(-highs.infinity)
  const rowUpper = new Float64Array(numRows)
  rowLower[G] = p
  rowUpper[G] = p
  let model: ReturnType<Highs["createModel"]>
  try {
    model = highs.createModel({
      numCols,
      numRows,
      offset: c.total,
      colCost,
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: "csc", numRows, numCols, starts, indices: indices.subarray(0, e), values: values.subarray(0, e) }
    })
  } catch (error) {
    return result(
      false,
      options.floor,
      0,
      `HiGHS could not take the covering LP: ${error instanceof Error ? error.message : String(error)}`
    )
  }
  try {
    model.options.set({ output_flag: false, presolve: "off" })
    const S = highs.constants.modelStatus
    const lower = new Float64Array(m)
    const upperBound = new Float64Array(m)
    const sites = { kind: "range", from: 0, to: m - 1 } as const
    // a solution from the LP's y: its p largest (the fixed sites first), descended by the swap search
    const s = Cover.state(c)
    const trial = new Uint8Array(m)
    const order = Int32Array.from(c.free)
    const round = (y: Float64Array) => {
      trial.fill(0)
      for (const j of c.fixed) trial[j] = 1
      order.sort((a, b) => y[b] - y[a] || a - b)
      for (let q = 0; q < Math.min(p - c.fixed.length, order.length); q++) trial[order[q]] = 1
      Cover.load(c, s, trial)
      Cover.interchange(c, s, options.deadline)
      const value = c.total - s.covered
      if (value < upper - 1e-9 * Math.max(1, upper)) {
        upper = value
        best = s.open.slice()
      }
    }
    const pending: Array<Node> = [{ opened: [], closed: [], bound: options.floor }]
    let nodes = 0
    let reported = Date.now()
    for (;;) {
      // the pending node of least bound (a few dozen pending at most on the bench's counties: a scan)
      let at = -1
      for (let k = 0; k < pending.length; k++) {
        if (closes(pending[k].bound)) continue
        if (at < 0 || pending[k].bound < pending[at].bound) at = k
      }
      if (at < 0) return result(true, upper, nodes)
      const least = pending[at].bound
      if (Clock.now() > options.deadline) return result(false, least, nodes)
      const node = pending[at]
      pending[at] = pending[pending.length - 1]
      pending.pop()
      nodes++
      for (let j = 0; j < m; j++) {
        lower[j] = colLower[j]
        upperBound[j] = colUpper[j]
      }
      for (const j of node.opened) lower[j] = 1
      for (const j of node.closed) upperBound[j] = 0
      model.changeColsBounds(sites, lower, upperBound)
      // HiGHS's time limit counts all the model's runs since its clocks were last zeroed: each LP gets
      // the time left of its own (without the reset a 1.5 s call stopped its second LP at 0.9 s), three
      // quarters of it, as the exact solver's MILPs (HiGHS looks at its clock seldom: a 0.3 s call at
      // 5,000 × 400 ran 0.58 s with all of it)
      model.zeroAllClocks()
      if (Number.isFinite(options.deadline))
        model.options.set({ time_limit: Math.max(0.01, (0.75 * (options.deadline - Date.now())) / 1000) })
      model.run()
      const status = model.getModelStatus()
      // no allowed choice of p sites below this node: nothing to search
      if (status === S.infeasible) continue
      if (status !== S.optimal) {
        pending.push(node)
        if (status === S.timeLimit || status === S.interrupted) return result(false, leastOf(pending, node.bound), nodes)
        return result(false, leastOf(pending, node.bound), nodes, `HiGHS's covering LP ended with status ${status}`)
      }
      const bound = Math.max(node.bound, model.getObjectiveValue())
      const y = model.getSolution().colValue
      round(y)
      if (options.onProgress !== undefined && Date.now() - reported >= 1000) {
        reported = Date.now()
        options.onProgress(
          `branch and bound (covering LP): ${nodes} nodes, best ${objectiveText("mclp", upper)}, bound ${objectiveFigure("mclp", lifted(Math.min(bound, leastOf(pending, bound))))}`
        )
      }
      if (closes(bound)) continue
      // branch on the free site whose y is closest to one half; none fractional: the LP's choice is whole
      let branch = -1
      let distance = 0.5 - 1e-6
      for (const j of c.free) {
        const d = Math.abs(y[j] - 0.5)
        if (d < distance) (distance = d), (branch = j)
      }
      if (branch < 0) continue
      pending.push(
        { opened: [...node.opened, branch], closed: node.closed, bound },
        { opened: node.opened, closed: [...node.closed, branch], bound }
      )
    }
  } catch (error) {
    return result(false, options.floor, 0, `HiGHS failed on the covering LP: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    try {
      model.dispose()
    } catch {
      // a spent module cannot free its model
    }
  }
}

/** The least bound among the pending nodes and `also`. */
const leastOf = (pending: ReadonlyArray<Node>, also: number): number => {
  let least = also
  for (const node of pending) least = Math.min(least, node.bound)
  return least
}
