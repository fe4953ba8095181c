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
import * as HighsModule from "highs"
import type { Highs, ModelData } from "highs"
import { check, Infeasible, type Instance, isCapacitated, type Problem, type Solution, Status, summarise } from "./Problem.js"

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
  /** Called with HiGHS's progress (nodes, best objective, bound) during branch and bound. */
  readonly onProgress?: (message: string) => void
}

export interface Result {
  /** `optimal`, `time-limit` (a solution may still be there), or `infeasible`. */
  readonly status: "optimal" | "time-limit" | "infeasible" | "other"
  readonly solution: Solution | undefined
  /** HiGHS's dual bound: the optimum is at least this. */
  readonly bound: number | undefined
  readonly gap: number | undefined
  readonly seconds: number
  readonly columns: number
  readonly rows: number
}

/** Solves a problem exactly (up to `gap`) with HiGHS. Throws `Problem.Infeasible` for infeasible instances. */
export const solve = (highs: Highs, inst: Instance, problem: Problem, options: Options = {}): Result => {
  check(inst, problem)
  const start = Date.now()
  const built = build(highs, inst, problem)
  const model = highs.createModel(built.data)
  try {
    model.options.set({
      output_flag: false,
      time_limit: options.timeLimit ?? 120,
      mip_rel_gap: options.gap ?? 1e-6
    })
    const report = options.onProgress
    let last = 0
    model.run(report === undefined ? {} : {
      [highs.constants.callbackType.mipInterrupt]: (event: { readonly data: Record<string, unknown> }) => {
        const now = Date.now()
        if (now - last < 1000) return
        last = now
        const d = event.data
        report(`branch and bound: ${String(d["mip_node_count"] ?? "?")} nodes, best ${fmt(d["mip_primal_bound"])}, bound ${fmt(d["mip_dual_bound"])}`)
      }
    })
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
      throw new Infeasible(
        "no allocation fits: the seats would hold the pupils in total, but not with every settlement whole at one " +
          "school (single sourcing); add sites, seats or expansions",
        0
      )
    }
    const hasSolution = (info("primal_solution_status") ?? 0) === 2
    const solution = hasSolution ? read(inst, problem, built, model.getSolution().colValue) : undefined
    const bound = info("mip_dual_bound") ?? (status === "optimal" ? solution?.objective : undefined)
    const gap = solution === undefined || bound === undefined
      ? undefined
      : solution.objective <= 0 ? 0 : Math.max(0, (solution.objective - bound) / solution.objective)
    return { status, solution, bound, gap, seconds: (Date.now() - start) / 1000, columns: built.data.numCols, rows: built.data.numRows }
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

  // rows: [assign A] [card 1] [cap M] [expand-link M] [cover A] [link A×M]
  const rAssign = 0
  const rCard = assignment ? A : 0
  const rCap = rCard + (hasP ? 1 : 0)
  const rExp = rCap + (capacitated ? M : 0)
  const rCover = rExp + (capacitated ? M : 0)
  const rLink = rCover + (coverage ? A : 0)
  const numRows = rLink + (assignment ? A * M : 0)

  const expandCol = new Int32Array(m).fill(-1)
  let numCols = m
  if (capacitated) for (const j of allowed) if (inst.expandSeats[j] > 0) expandCol[j] = numCols++
  const xBase = numCols
  numCols += assignment ? A * M : coverage && kind === "mclp" ? A : 0

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
  for (let k = 0; k < M; k++) nnz += (hasP ? 1 : 0) + (capacitated ? 2 : 0) + (coverage ? cover[k].length : 0) + (assignment ? A : 0)
  for (let j = 0; j < m; j++) if (expandCol[j] >= 0) nnz += 2
  if (assignment) nnz += A * M * (2 + (capacitated ? 1 : 0))
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
    if (assignment) for (let a = 0; a < A; a++) put(rLink + a * M + k, -1)
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
      for (let k = 0; k < M; k++) {
        const c = xBase + a * M + k
        starts[c] = e
        cost[c] = kmCost * w * inst.km[i * m + allowed[k]]
        if (capacitated) integrality[c] = 1
        put(rAssign + a, 1)
        if (capacitated) put(rCap + k, w)
        put(rLink + a * M + k, 1)
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
    xBase
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
  const M = built.allowed.length
  const assignment = problem.kind === "p-median" || problem.kind === "capacitated-p-median" || problem.kind === "fixed-charge"
  const rowOf = new Int32Array(n).fill(-1)
  built.active.forEach((i, a) => (rowOf[i] = a))
  for (let i = 0; i < n; i++) {
    const a = rowOf[i]
    if (assignment && a >= 0) {
      let best = -1
      let bv = 0.5
      for (let k = 0; k < M; k++) {
        const v = col[built.xBase + a * M + k]
        if (v > bv) (bv = v), (best = built.allowed[k])
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
