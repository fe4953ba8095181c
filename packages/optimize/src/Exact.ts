/**
 * Exact solutions: each problem as a mixed-integer linear programme solved by HiGHS (the `highs` package:
 * HiGHS compiled to WebAssembly, single-threaded, in-process). The model is passed as sparse arrays
 * (CSC), never as LP text, so a 2,000 × 200 p-median (400,000 assignment columns) builds in a moment.
 *
 * Formulations (yⱼ open, eⱼ expanded, xᵢⱼ share of point i at site j, zᵢ point i covered; Nᵢ the sites
 * within the radius of i):
 * - p-median: min Σ wᵢdᵢⱼxᵢⱼ; Σⱼ xᵢⱼ = 1; xᵢⱼ ≤ yⱼ; Σ yⱼ = p (x continuous: integral at the optimum).
 * - capacitated p-median: min kmCost·Σ wᵢdᵢⱼxᵢⱼ + Σ cⱼeⱼ; as above with x binary (single sourcing),
 *   Σᵢ wᵢxᵢⱼ ≤ capⱼyⱼ + extraⱼeⱼ, eⱼ ≤ yⱼ.
 * - maximal coverage: min Σ wᵢ(1 − zᵢ); zᵢ ≤ Σ_{j∈Nᵢ} yⱼ; Σ yⱼ = p.
 * - set cover: min Σ yⱼ; Σ_{j∈Nᵢ} yⱼ ≥ 1 for every point with pupils.
 * - fixed charge: min Σ fⱼyⱼ + Σ cⱼeⱼ + kmCost·Σ wᵢdᵢⱼxᵢⱼ; Σⱼ xᵢⱼ = 1; xᵢⱼ ≤ yⱼ; capacities as above
 *   when capacitated.
 * Fixed sites have yⱼ = 1, forbidden ones yⱼ = 0 (and no columns). Points without pupils are left out
 * and go to their nearest open site afterwards.
 */
import { Either } from "effect"
import * as HighsModule from "highs"
import type { Highs, ModelData } from "highs"
import * as Bound from "./Bound.js"
import * as Heuristic from "./Heuristic.js"
import { check, Infeasible, type Instance, isCapacitated, type Problem, type Solution, SolverError, Status, summarise } from "./Problem.js"

/** The package's types describe a CommonJS module; its ES module build exports the loader as `default`. */
const loader = (HighsModule as unknown as { readonly default: () => Promise<Highs> }).default

let runtime: Promise<Highs> | undefined

/** The HiGHS runtime, loaded once per process. */
export const load = (): Promise<Highs> => (runtime ??= loader())

export interface Options {
  /** Seconds before HiGHS stops with its best solution and bound (default 120). */
  readonly timeLimit?: number
  /** Relative gap at which HiGHS calls a solution optimal (default 1e-6). */
  readonly gap?: number
  /**
   * A known solution (the heuristic's) handed to HiGHS as its first incumbent: the search prunes from
   * the start, and a run stopped by the time limit returns at least this.
   */
  readonly start?: Solution
  /**
   * p-median only (default true): before the MILP, the heuristic's solution (or `start`) and Lagrangian
   * multipliers fix the sites that are in every optimal solution and forbid those in none; when the
   * Lagrangian bound already meets the solution, it is optimal and HiGHS is not needed.
   */
  readonly reduce?: boolean
  /**
   * Largest MILP attempted, in columns (default 1,000,000): the WebAssembly HiGHS (32-bit memory) aborts
   * on the 2,000,000-column p-median of 5,000 × 400. Above it, the p-median returns the reduction's
   * solution and bound with status `too-large`, the other problems fail with a `SolverError`.
   */
  readonly maxColumns?: number
  /** Called with HiGHS's progress (nodes, best objective, bound) during branch and bound. */
  readonly onProgress?: (message: string) => void
}

export interface Result {
  /** `optimal`, `time-limit` (a solution may still be there), or `infeasible`. */
  readonly status: "optimal" | "time-limit" | "too-large" | "infeasible" | "other"
  readonly solution: Solution | undefined
  /** HiGHS's dual bound: the optimum is at least this. */
  readonly bound: number | undefined
  readonly gap: number | undefined
  readonly seconds: number
  readonly columns: number
  readonly rows: number
  /** Sites the Lagrangian reduction fixed open and forbade (p-median). */
  readonly reduced?: { readonly fixed: number; readonly forbidden: number }
}

/**
 * Solves a problem exactly (up to `gap`) with HiGHS. Fails with `Problem.Infeasible` for infeasible
 * instances (found before solving, or by HiGHS: single sourcing), with a `Problem.SolverError` when the
 * MILP is too large for the WebAssembly HiGHS or HiGHS fails.
 */
export const solve = (
  highs: Highs,
  inst: Instance,
  problem: Problem,
  options: Options = {}
): Either.Either<Result, Infeasible | SolverError> =>
  Either.flatMap(check(inst, problem), () => {
    const start = Date.now()
    if (problem.kind === "p-median" && options.reduce !== false) return reduced(highs, inst, problem, options, start)
    return milp(highs, inst, problem, options, start)
  })

type Solved = Either.Either<Result, Infeasible | SolverError>

/** The Lagrangian reduction, then the MILP over what is left (p-median). */
const reduced = (highs: Highs, inst: Instance, problem: Problem & { readonly kind: "p-median" }, options: Options, t0: number): Solved => {
  const limit = options.timeLimit ?? 120
  options.onProgress?.("a first solution (heuristic)…")
  if (options.start !== undefined) return reducedFrom(highs, inst, problem, options, t0, options.start)
  return Either.flatMap(Heuristic.solve(inst, problem, { timeLimit: Math.max(1, limit / 4) }), (h) =>
    reducedFrom(highs, inst, problem, options, t0, h.solution)
  )
}

const reducedFrom = (
  highs: Highs,
  inst: Instance,
  problem: Problem & { readonly kind: "p-median" },
  options: Options,
  t0: number,
  known: Solution
): Solved => {
  const limit = options.timeLimit ?? 120
  options.onProgress?.("Lagrangian bound and reduction…")
  const { bound, lambda } = Bound.medianMultipliers(inst, problem.p, 1, { upper: known.objective, deadline: t0 + limit * 500 })
  const tolerance = (options.gap ?? 1e-6) * Math.max(1, Math.abs(known.objective))
  if (bound >= known.objective - tolerance) {
    return Either.right({
      status: "optimal",
      solution: known,
      bound,
      gap: Math.max(0, (known.objective - bound) / known.objective),
      seconds: (Date.now() - t0) / 1000,
      columns: 0,
      rows: 0,
      reduced: { fixed: 0, forbidden: 0 }
    })
  }
  const status = Bound.reduceMedian(inst, problem.p, lambda, known.objective)
  let fixed = 0
  let forbidden = 0
  for (let j = 0; j < inst.sites; j++) {
    if (inst.status[j] !== Status.fixed && status[j] === Status.fixed) fixed++
    if (inst.status[j] !== Status.forbidden && status[j] === Status.forbidden) forbidden++
  }
  const remaining = Math.max(1, limit - (Date.now() - t0) / 1000)
  const columns = size(inst, status)
  if (columns > (options.maxColumns ?? 1_000_000)) {
    return Either.right({
      status: "too-large",
      solution: known,
      bound,
      gap: Math.max(0, (known.objective - bound) / known.objective),
      seconds: (Date.now() - t0) / 1000,
      columns,
      rows: 0,
      reduced: { fixed, forbidden }
    })
  }
  return Either.map(milp(highs, { ...inst, status }, problem, { ...options, timeLimit: remaining, start: known }, t0), (r) => {
    const better = r.solution !== undefined && r.solution.objective <= known.objective ? r.solution : known
    const solution = summarise(inst, problem, better.open, better.assign, better.expanded)
    const lower = Math.max(bound, r.bound ?? -Infinity)
    return {
      ...r,
      solution,
      bound: lower,
      gap: solution === undefined ? undefined : Math.max(0, (solution.objective - lower) / Math.max(1e-12, solution.objective)),
      reduced: { fixed, forbidden }
    }
  })
}

/** Assignment columns of an uncapacitated p-median over the allowed sites, each point up to its nearest fixed site. */
const size = (inst: Instance, status: Uint8Array): number => {
  const m = inst.sites
  let columns = 0
  for (let i = 0; i < inst.points; i++) {
    if (inst.weight[i] <= 0) continue
    let cutoff = Infinity
    for (let j = 0; j < m; j++) if (status[j] === Status.fixed) cutoff = Math.min(cutoff, inst.km[i * m + j])
    for (let j = 0; j < m; j++) if (status[j] !== Status.forbidden && inst.km[i * m + j] <= cutoff) columns++
  }
  return columns
}

const milp = (highs: Highs, inst: Instance, problem: Problem, options: Options, start: number): Solved => {
  const planned =
    (problem.kind === "mclp" || problem.kind === "set-cover"
      ? 0
      : size(inst, isCapacitated(problem) ? inst.status.map((x) => (x === Status.fixed ? Status.free : x)) : inst.status)) + inst.sites
  if (planned > (options.maxColumns ?? 1_000_000)) {
    return Either.left(
      new SolverError({
        reason:
          `the MILP would have ${planned.toLocaleString("en")} columns, more than the ${(options.maxColumns ?? 1_000_000).toLocaleString("en")} ` +
          "the WebAssembly HiGHS can hold; use the heuristic"
      })
    )
  }
  const built = build(highs, inst, problem)
  // HiGHS (a WebAssembly library) throws on its own failures (memory, a rejected model): they become SolverErrors
  let model: ReturnType<Highs["createModel"]>
  try {
    model = highs.createModel(built.data)
  } catch (e) {
    return Either.left(new SolverError({ reason: `HiGHS could not take the model: ${e instanceof Error ? e.message : String(e)}` }))
  }
  try {
    model.options.set({
      output_flag: false,
      time_limit: options.timeLimit ?? 120,
      mip_rel_gap: options.gap ?? 1e-6
    })
    if (options.start !== undefined) model.setSolution({ colValue: startValues(inst, problem, built, options.start) })
    const report = options.onProgress
    let last = 0
    try {
      model.run(
        report === undefined
          ? {}
          : {
              [highs.constants.callbackType.mipInterrupt]: (event: { readonly data: Record<string, unknown> }) => {
                const now = Date.now()
                if (now - last < 1000) return
                last = now
                const d = event.data
                report(
                  `branch and bound: ${String(d["mip_node_count"] ?? "?")} nodes, best ${fmt(d["mip_primal_bound"])}, bound ${fmt(d["mip_dual_bound"])}`
                )
              }
            }
      )
    } catch (e) {
      // HiGHS's own failure (e.g. out of WebAssembly memory); a bug of ours elsewhere in here stays a defect
      return Either.left(new SolverError({ reason: `HiGHS failed: ${e instanceof Error ? e.message : String(e)}` }))
    }
    const code = model.getModelStatus()
    const S = highs.constants.modelStatus
    const status = code === S.optimal ? "optimal" : code === S.infeasible ? "infeasible" : code === S.timeLimit ? "time-limit" : "other"
    const info = (name: string) => {
      try {
        const v = Number(model.info.get(name))
        return Number.isFinite(v) && Math.abs(v) < 1e29 ? v : undefined
      } catch {
        return undefined
      }
    }
    if (status === "infeasible") {
      return Either.left(
        new Infeasible({
          reason:
            "no allocation fits: the seats would hold the pupils in total, but not with every settlement whole at one " +
            "school (single sourcing); add sites, seats or expansions",
          shortfall: 0
        })
      )
    }
    const hasSolution = (info("primal_solution_status") ?? 0) === 2
    const solution = hasSolution ? read(inst, problem, built, model.getSolution().colValue) : undefined
    const bound = info("mip_dual_bound") ?? (status === "optimal" ? solution?.objective : undefined)
    const gap =
      solution === undefined || bound === undefined
        ? undefined
        : solution.objective <= 0
          ? 0
          : Math.max(0, (solution.objective - bound) / solution.objective)
    return Either.right({
      status,
      solution,
      bound,
      gap,
      seconds: (Date.now() - start) / 1000,
      columns: built.data.numCols,
      rows: built.data.numRows
    })
  } finally {
    model.dispose()
  }
}

interface Built {
  readonly data: ModelData
  /** Point (with pupils) of each x or z column block, the allowed sites, column bases. */
  readonly active: ReadonlyArray<number>
  readonly allowed: ReadonlyArray<number>
  readonly expandCol: Int32Array
  readonly xBase: number
  /** Assignment columns of active point a: xBase + xStart[a] … xBase + xStart[a + 1] − 1, at sites xSlot[·] (slots of `allowed`). */
  readonly xStart: Int32Array
  readonly xSlot: Int32Array
}

const build = (highs: Highs, inst: Instance, problem: Problem): Built => {
  const n = inst.points
  const m = inst.sites
  const active: Array<number> = []
  for (let i = 0; i < n; i++) if (inst.weight[i] > 0) active.push(i)
  const allowed: Array<number> = []
  for (let j = 0; j < m; j++) if (inst.status[j] !== Status.forbidden) allowed.push(j)
  const A = active.length
  const M = allowed.length
  const capacitated = isCapacitated(problem)
  const kind = problem.kind
  const assignment = kind === "p-median" || kind === "capacitated-p-median" || kind === "fixed-charge"
  const coverage = kind === "mclp" || kind === "set-cover"
  const radius = kind === "mclp" || kind === "set-cover" ? problem.radius : 0
  const kmCost = kind === "capacitated-p-median" || kind === "fixed-charge" ? problem.kmCost : 1
  const hasP = kind === "p-median" || kind === "capacitated-p-median" || kind === "mclp"

  // assignment columns: every allowed site, or, uncapacitated, only those no farther than the point's
  // nearest fixed site (a point never goes past an open site)
  const xStart = new Int32Array(A + 1)
  const slots: Array<number> = []
  if (assignment) {
    const fixedSites = allowed.filter((j) => inst.status[j] === Status.fixed)
    for (let a = 0; a < A; a++) {
      const row = active[a] * m
      let cutoff = Infinity
      if (!capacitated) for (const j of fixedSites) cutoff = Math.min(cutoff, inst.km[row + j])
      for (let k = 0; k < M; k++) if (inst.km[row + allowed[k]] <= cutoff) slots.push(k)
      xStart[a + 1] = slots.length
    }
  }
  const xSlot = Int32Array.from(slots)
  const X = xSlot.length
  const bySlot: Array<Array<number>> = allowed.map(() => [])
  for (let x = 0; x < X; x++) bySlot[xSlot[x]].push(x)

  // rows: [assign A] [card 1] [cap M] [expand-link M] [cover A] [link A×M]
  const rAssign = 0
  const rCard = assignment ? A : 0
  const rCap = rCard + (hasP ? 1 : 0)
  const rExp = rCap + (capacitated ? M : 0)
  const rCover = rExp + (capacitated ? M : 0)
  const rLink = rCover + (coverage ? A : 0)
  const numRows = rLink + (assignment ? X : 0)

  const expandCol = new Int32Array(m).fill(-1)
  let numCols = m
  if (capacitated) for (const j of allowed) if (inst.expandSeats[j] > 0) expandCol[j] = numCols++
  const xBase = numCols
  numCols += assignment ? X : kind === "mclp" ? A : 0

  const cost = new Float64Array(numCols)
  const lower = new Float64Array(numCols)
  const upper = new Float64Array(numCols).fill(1)
  const integrality = new Int32Array(numCols)
  const starts = new Int32Array(numCols + 1)
  const cover: Array<Array<number>> = coverage ? allowed.map(() => []) : []
  if (coverage) {
    for (let a = 0; a < A; a++) {
      const row = active[a] * m
      for (let k = 0; k < M; k++) if (inst.km[row + allowed[k]] <= radius) cover[k].push(a)
    }
  }
  let nnz = 0
  for (let k = 0; k < M; k++) nnz += (hasP ? 1 : 0) + (capacitated ? 2 : 0) + (coverage ? cover[k].length : 0) + bySlot[k].length
  for (let j = 0; j < m; j++) if (expandCol[j] >= 0) nnz += 2
  if (assignment) nnz += X * (2 + (capacitated ? 1 : 0))
  if (kind === "mclp") nnz += A
  const index = new Int32Array(nnz)
  const value = new Float64Array(nnz)
  let e = 0
  const put = (row: number, v: number) => {
    index[e] = row
    value[e++] = v
  }
  const slot = new Int32Array(m).fill(-1)
  allowed.forEach((j, k) => (slot[j] = k))
  for (let j = 0; j < m; j++) {
    starts[j] = e
    integrality[j] = 1
    const k = slot[j]
    if (inst.status[j] === Status.fixed) lower[j] = 1
    if (k < 0) {
      upper[j] = 0
      continue
    }
    if (kind === "set-cover") cost[j] = 1
    if (kind === "fixed-charge") cost[j] = inst.fixedCost[j]
    if (hasP) put(rCard, 1)
    if (capacitated) {
      put(rCap + k, Number.isFinite(inst.capacity[j]) ? -inst.capacity[j] : -1)
      put(rExp + k, -1)
    }
    if (coverage) for (const a of cover[k]) put(rCover + a, kind === "set-cover" ? 1 : -1)
    for (const x of bySlot[k]) put(rLink + x, -1)
  }
  for (let j = 0; j < m; j++) {
    const c = expandCol[j]
    if (c < 0) continue
    starts[c] = e
    integrality[c] = 1
    cost[c] = inst.expandCost[j]
    put(rCap + slot[j], -inst.expandSeats[j])
    put(rExp + slot[j], 1)
  }
  if (assignment) {
    for (let a = 0; a < A; a++) {
      const i = active[a]
      const w = inst.weight[i]
      for (let x = xStart[a]; x < xStart[a + 1]; x++) {
        const k = xSlot[x]
        const c = xBase + x
        starts[c] = e
        cost[c] = kmCost * w * inst.km[i * m + allowed[k]]
        if (capacitated) integrality[c] = 1
        put(rAssign + a, 1)
        if (capacitated) put(rCap + k, w)
        put(rLink + x, 1)
      }
    }
  } else if (kind === "mclp") {
    for (let a = 0; a < A; a++) {
      const c = xBase + a
      starts[c] = e
      cost[c] = -inst.weight[active[a]]
      put(rCover + a, 1)
    }
  }
  starts[numCols] = e
  sortColumns(starts, index, value)

  const rowLower = new Float64Array(numRows).fill(-highs.infinity)
  const rowUpper = new Float64Array(numRows)
  if (assignment) for (let a = 0; a < A; a++) (rowLower[rAssign + a] = 1), (rowUpper[rAssign + a] = 1)
  if (hasP) rowLower[rCard] = rowUpper[rCard] = (problem as { readonly p: number }).p
  if (capacitated) for (const j of allowed) if (!Number.isFinite(inst.capacity[j])) rowUpper[rCap + slot[j]] = highs.infinity
  if (kind === "set-cover") for (let a = 0; a < A; a++) (rowLower[rCover + a] = 1), (rowUpper[rCover + a] = highs.infinity)
  let offset = 0
  if (kind === "mclp") for (const i of active) offset += inst.weight[i]
  return {
    data: {
      numCols,
      numRows,
      offset,
      colCost: cost,
      colLower: lower,
      colUpper: upper,
      rowLower,
      rowUpper,
      matrix: { format: "csc", numRows, numCols, starts, indices: index, values: value },
      integrality
    },
    active,
    allowed,
    expandCol,
    xBase,
    xStart,
    xSlot
  }
}

/** The solution from HiGHS's column values: open and expanded sites, each point's site. */
const read = (inst: Instance, problem: Problem, built: Built, col: Float64Array): Solution | undefined => {
  const n = inst.points
  const m = inst.sites
  const open = new Uint8Array(m)
  const expanded = new Uint8Array(m)
  for (let j = 0; j < m; j++) if (col[j] > 0.5) open[j] = 1
  for (let j = 0; j < m; j++) if (built.expandCol[j] >= 0 && col[built.expandCol[j]] > 0.5) expanded[j] = 1
  const assign = new Int32Array(n).fill(-1)
  const assignment = problem.kind === "p-median" || problem.kind === "capacitated-p-median" || problem.kind === "fixed-charge"
  const rowOf = new Int32Array(n).fill(-1)
  built.active.forEach((i, a) => (rowOf[i] = a))
  for (let i = 0; i < n; i++) {
    const a = rowOf[i]
    if (assignment && a >= 0) {
      let best = -1
      let bv = 0.5
      for (let x = built.xStart[a]; x < built.xStart[a + 1]; x++) {
        const v = col[built.xBase + x]
        if (v > bv) (bv = v), (best = built.allowed[built.xSlot[x]])
      }
      if (best >= 0 && open[best] === 1) {
        assign[i] = best
        continue
      }
    }
    let bd = Infinity
    for (let j = 0; j < m; j++) if (open[j] === 1 && inst.km[i * m + j] < bd) (bd = inst.km[i * m + j]), (assign[i] = j)
  }
  return summarise(inst, problem, open, assign, expanded)
}

// == helpers

/** Column values of a known solution: y, e, and the assignment (x) or coverage (z) columns. */
const startValues = (inst: Instance, problem: Problem, built: Built, start: Solution): Float64Array => {
  const col = new Float64Array(built.data.numCols)
  const m = inst.sites
  for (let j = 0; j < m; j++) {
    col[j] = start.open[j]
    if (built.expandCol[j] >= 0) col[built.expandCol[j]] = start.expanded[j]
  }
  built.active.forEach((i, a) => {
    const j = start.assign[i]
    if (j < 0) return
    if (problem.kind === "mclp") col[built.xBase + a] = inst.km[i * m + j] <= problem.radius ? 1 : 0
    else if (problem.kind !== "set-cover") {
      for (let x = built.xStart[a]; x < built.xStart[a + 1]; x++) if (built.allowed[built.xSlot[x]] === j) col[built.xBase + x] = 1
    }
  })
  return col
}

const sortColumns = (starts: Int32Array, index: Int32Array, value: Float64Array) => {
  for (let c = 0; c + 1 < starts.length; c++) {
    const a = starts[c]
    const b = starts[c + 1]
    let sorted = true
    for (let k = a + 1; k < b && sorted; k++) sorted = index[k - 1] < index[k]
    if (sorted) continue
    const order = Array.from({ length: b - a }, (_, k) => a + k).sort((x, y) => index[x] - index[y])
    const i2 = order.map((k) => index[k])
    const v2 = order.map((k) => value[k])
    for (let k = 0; k < order.length; k++) (index[a + k] = i2[k]), (value[a + k] = v2[k])
  }
}

const fmt = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && Math.abs(v) < 1e29 ? v.toFixed(1) : "–")
