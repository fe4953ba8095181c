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
import * as Clock from "./Clock.js"
import * as HighsModule from "highs"
import type { Highs, ModelData } from "highs"
import * as Bound from "./Bound.js"
import * as Branch from "./Branch.js"
import * as Cover from "./Cover.js"
import * as CoverBranch from "./CoverBranch.js"
import * as Heuristic from "./Heuristic.js"
import {
  check,
  evaluate,
  gap,
  Infeasible,
  type Instance,
  isCapacitated,
  type Problem,
  type Solution,
  SolverError,
  Status,
  summarise
} from "./Problem.js"

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
   * p-median and maximal coverage (default true): when the Lagrangian bound already meets the heuristic's
   * solution (or `start`), it is optimal and HiGHS is not needed; else, for the p-median, the solution and
   * Lagrangian multipliers fix the sites that are in every optimal solution and forbid those in none
   * (maximal coverage: the covering LP's branch and bound, `CoverBranch`; false: HiGHS's branch and cut
   * on the whole covering MILP).
   */
  readonly reduce?: boolean
  /**
   * Default true: the heuristic's solution (or `start`) is HiGHS's first incumbent. False: the plain MILP,
   * as a solver given only the formulation would solve it (the benchmark's independent reference).
   */
  readonly warmStart?: boolean
  /**
   * Largest MILP attempted, in columns (default 1,000,000), and in HiGHS memory (`maxMegabytes`,
   * default 1,200: the 32-bit WebAssembly HiGHS aborts near 2 GB, and branch and bound grows the model's
   * footprint several times). Above either, nothing is handed to HiGHS: the result is the heuristic's
   * (p-median: the reduction's) solution and bound with status `too-large` and a `note` saying so.
   */
  readonly maxColumns?: number
  readonly maxMegabytes?: number
  /** Called with HiGHS's progress (nodes, best objective, bound) during branch and bound. */
  readonly onProgress?: (message: string) => void
}

export interface Result {
  /**
   * `optimal`; `time-limit` (the deadline stopped the search: the best solution known is still there);
   * `too-large` (the MILP would not fit the WebAssembly HiGHS: the heuristic's solution); `aborted`
   * (HiGHS failed while solving: the best solution known, usually the warm start); `other`.
   */
  readonly status: "optimal" | "time-limit" | "too-large" | "aborted" | "infeasible" | "other"
  readonly solution: Solution | undefined
  /** The best lower bound known: HiGHS's dual bound or the Lagrangian one, whichever is higher. */
  readonly bound: number | undefined
  readonly gap: number | undefined
  readonly seconds: number
  readonly columns: number
  readonly rows: number
  /** Sites the Lagrangian reduction fixed open and forbade (p-median). */
  readonly reduced?: { readonly fixed: number; readonly forbidden: number }
  /** Why the answer is not HiGHS's own (too large, aborted), in words for the planner. */
  readonly note?: string
}

/**
 * Solves a problem exactly (up to `gap`) with HiGHS. The time limit is a deadline for the whole call:
 * the warm start, the bound, the model's building and HiGHS. Fails with `Problem.Infeasible` for
 * infeasible instances (found before solving, or by HiGHS: single sourcing), with a
 * `Problem.SolverError` only when there is no solution to give (HiGHS failed with no known solution).
 */
export const solve = (
  highs: Highs,
  inst: Instance,
  problem: Problem,
  options: Options = {}
): Either.Either<Result, Infeasible | SolverError> =>
  Either.flatMap(check(inst, problem), (): Solved => {
    const t0 = Date.now()
    const deadline = t0 + (options.timeLimit ?? 120) * 1000
    const known = firstSolution(inst, problem, options, t0, deadline)
    if (Either.isLeft(known)) return Either.left(known.left)
    const first = known.right
    if (problem.kind === "p-median" && options.reduce !== false && first !== undefined)
      return reducedFrom(highs, inst, problem, options, t0, deadline, first)
    if (problem.kind === "mclp" && options.reduce !== false && first !== undefined)
      return coverFrom(highs, inst, problem, options, t0, deadline, first)
    return milp(highs, inst, problem, { ...options, ...(first === undefined ? {} : { start: first.solution }) }, t0, deadline, first?.bound)
  })

type Solved = Either.Either<Result, Infeasible | SolverError>

interface First {
  readonly solution: Solution
  readonly bound: number | undefined
  /** p-median: the heuristic's multipliers of `bound`. */
  readonly lambda?: Float64Array
}

/**
 * The warm start: `start`, else the heuristic's solution, within the first quarter of the time; with a
 * Lagrangian bound, so a MILP stopped or refused still reports a valid gap. Undefined when the heuristic
 * finds no feasible choice (the MILP may).
 */
const firstSolution = (
  inst: Instance,
  problem: Problem,
  options: Options,
  t0: number,
  deadline: number
): Either.Either<First | undefined, Infeasible> => {
  const quarter = (deadline - t0) / 4000
  if (options.warmStart === false) return Either.right(undefined)
  if (options.start !== undefined) {
    const upper = options.start.objective
    // the reduction computes the p-median's bound itself
    const bound =
      problem.kind === "p-median" && options.reduce !== false
        ? undefined
        : Bound.lower(inst, problem, { upper, deadline: Date.now() + quarter * 1000 })
    return Either.right({ solution: options.start, bound })
  }
  options.onProgress?.("a first solution (heuristic)…")
  // maximal coverage: the local optimum and its bound only (no perturbations): the covering MILP that
  // follows is small, and at 5,000 × 400 the search's patience cost more than HiGHS's whole solve
  // (and no stopping short of its bound: where it meets the solution HiGHS is not needed, and a better
  // first solution prunes more)
  const h = Heuristic.solve(inst, problem, { timeLimit: quarter, ...(problem.kind === "mclp" ? { patience: 0, tolerance: 0 } : {}) })
  if (Either.isLeft(h)) return h.left._tag === "Infeasible" ? Either.left(h.left) : Either.right(undefined)
  const { solution, bound, lambda } = h.right
  return Either.right({ solution, bound, ...(lambda === undefined ? {} : { lambda }) })
}

/**
 * Maximal coverage from the first solution: when its Lagrangian bound meets it, it is the optimum; else
 * the covering LP's branch and bound (`CoverBranch`: the groups' model with dominated sites left out,
 * each node's LP solved by HiGHS's simplex, best bound first) from it, with that bound as the floor. When
 * HiGHS fails on an LP, the whole covering MILP (no presolve) gets the time left, from the best solution.
 * Until 2026-12-01 HiGHS's branch and cut got the whole covering MILP here: at 5,000 × 400 (p = 30, the
 * bench's three shapes, seed 19) it proved the optimum at its root node, its cut rounds taking 2.7-6 s of
 * processor time; the LP search closes the same gaps in 10-35 nodes. (A Lagrangian site fixing before
 * HiGHS, `Bound.coverFixing`, fixed 4-25 of 400 sites and was dropped; fixing by the LP's reduced costs
 * fixed 26-68 at the optimum and left HiGHS as slow.)
 */
const coverFrom = (
  highs: Highs,
  inst: Instance,
  problem: Problem & { readonly kind: "mclp" },
  options: Options,
  t0: number,
  deadline: number,
  first: First
): Solved => {
  const known = first.solution
  const upper = known.objective
  if (first.bound !== undefined && first.bound >= upper - 1e-9 * Math.max(1, upper))
    return Either.right({
      status: "optimal",
      solution: known,
      bound: upper,
      gap: 0,
      seconds: (Date.now() - t0) / 1000,
      columns: 0,
      rows: 0
    })
  const c = Cover.dominance(Cover.group(inst, problem.radius), problem.p)
  const columns = inst.sites + c.groups
  const rows = c.groups + 1
  const floor = first.bound ?? 0
  const answer = (status: Result["status"], solution: Solution, bound: number, note?: string): Result => ({
    status,
    solution,
    bound: Math.min(bound, solution.objective),
    gap: gap(inst, problem, solution.objective, Math.min(bound, solution.objective)),
    seconds: (Date.now() - t0) / 1000,
    columns,
    rows,
    ...(note === undefined ? {} : { note })
  })
  const refusal = tooLarge(columns, c.site.length + inst.sites + c.groups, options)
  if (refusal !== undefined) return Either.right(answer("too-large", known, floor, `${refusal}: the heuristic's solution, with its gap`))
  // as for the MILPs: with less time left than HiGHS's set-up, the best solution known is the answer
  const setup = 2e-6 * (c.site.length + inst.sites + c.groups)
  if ((deadline - Date.now()) / 1000 < 1.5 * setup) return Either.right(answer("time-limit", known, floor))
  options.onProgress?.("branch and bound on the covering LP…")
  const searched = CoverBranch.search(highs, c, problem.p, {
    open: known.open,
    upper,
    floor,
    tolerance: (options.gap ?? 1e-6) * Math.max(1, Math.abs(upper)),
    deadline,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress })
  })
  const improved = searched.value < upper ? evaluate(inst, problem, searched.open) : undefined
  const best = improved !== undefined && improved.objective < upper ? improved : known
  if (searched.proven) return Either.right({ ...answer("optimal", best, best.objective), gap: 0 })
  if (searched.failure === undefined || Clock.now() >= deadline)
    return Either.right(answer("time-limit", best, searched.bound, searched.failure))
  // HiGHS failed on an LP: the whole covering MILP in the time left (a spent module fails again there,
  // and that answer keeps the best solution and the bound)
  runtime = undefined
  return milp(highs, inst, problem, { ...options, start: best }, t0, deadline, Math.max(floor, searched.bound))
}

const reducedFrom = (
  highs: Highs,
  inst: Instance,
  problem: Problem & { readonly kind: "p-median" },
  options: Options,
  t0: number,
  deadline: number,
  first: First
): Solved => {
  const known = first.solution
  options.onProgress?.("Lagrangian bound and reduction…")
  // the heuristic's multipliers when it gave them (its bound), else an ascent of up to half the time left
  const { bound, lambda } =
    first.lambda !== undefined && first.bound !== undefined
      ? { bound: first.bound, lambda: first.lambda }
      : Bound.medianMultipliers(inst, problem.p, 1, { upper: known.objective, deadline: Date.now() + (deadline - Date.now()) / 2 })
  const tolerance = (options.gap ?? 1e-6) * Math.max(1, Math.abs(known.objective))
  const known_ = (status: Result["status"], reduced: Result["reduced"], columns: number, note?: string): Result => ({
    status,
    solution: known,
    bound,
    gap: gap(inst, problem, known.objective, bound),
    seconds: (Date.now() - t0) / 1000,
    columns,
    rows: 0,
    ...(reduced === undefined ? {} : { reduced }),
    ...(note === undefined ? {} : { note })
  })
  if (bound >= known.objective - tolerance) return Either.right(known_("optimal", { fixed: 0, forbidden: 0 }, 0))
  const reduction = (upper: number) => {
    const status = Bound.reduceMedian(inst, problem.p, lambda, upper)
    let fixed = 0
    let forbidden = 0
    for (let j = 0; j < inst.sites; j++) {
      if (inst.status[j] !== Status.fixed && status[j] === Status.fixed) fixed++
      if (inst.status[j] !== Status.forbidden && status[j] === Status.forbidden) forbidden++
    }
    // and every assignment whose forced bound passes the solution (most of the far ones)
    const mask = Bound.eliminateColumns({ ...inst, status }, problem.p, lambda, upper)
    const columns = size(inst, status, mask)
    return { status, mask, columns, reduced: { fixed, forbidden }, refusal: tooLarge(columns + inst.sites, 3 * columns, options) }
  }
  const initial = reduction(known.objective)
  // the Lagrangian branch and bound (no MILP, so nothing to abort), all the time: HiGHS gets the reduced
  // MILP (from the search's best solution) only when time is left after a search without a proof, which
  // ends only at the deadline, so in practice HiGHS is not reached on this path. The search had half
  // the time when the reduced MILP fitted; at 5,000 × 400, p = 50 (mountain shape, 367,000 columns
  // left), half and then HiGHS ended at a gap of 0.063 % (and once 6.9 s past a 120 s limit, at load
  // 23), the search alone at 0.028 %
  options.onProgress?.("Lagrangian branch and bound…")
  const searched = Branch.medianSearch({ ...inst, status: initial.status }, problem.p, {
    open: known.open,
    upper: known.objective,
    lambda,
    bound,
    tolerance,
    deadline,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress })
  })
  const improved = searched.value < known.objective ? evaluate(inst, problem, searched.open) : undefined
  const best = improved !== undefined && improved.objective < known.objective ? improved : known
  const lower = Math.min(best.objective, Math.max(bound, searched.bound))
  const answer = (status: Result["status"], reduced: Result["reduced"], columns: number, note?: string): Result => ({
    ...known_(status, reduced, columns, note),
    solution: best,
    bound: status === "optimal" ? best.objective : lower,
    gap: status === "optimal" ? 0 : gap(inst, problem, best.objective, lower)
  })
  if (searched.proven) return Either.right(answer("optimal", initial.reduced, 0))
  // a better solution forbids more sites and drops more columns
  const { status, mask, columns, reduced, refusal } = best === known ? initial : reduction(best.objective)
  if (refusal !== undefined)
    return Either.right(
      answer(
        Clock.now() >= deadline ? "time-limit" : "too-large",
        reduced,
        columns,
        `${refusal}: the branch and bound's best solution (${searched.nodes.toLocaleString("en")} nodes), with its gap`
      )
    )
  if (Clock.now() >= deadline) return Either.right(answer("time-limit", reduced, columns))
  return Either.map(milp(highs, { ...inst, status }, problem, { ...options, start: best }, t0, deadline, lower, mask), (r) => {
    const better = r.solution !== undefined && r.solution.objective <= best.objective ? r.solution : best
    const solution = summarise(inst, problem, better.open, better.assign, better.expanded)
    const floor = Math.max(lower, r.bound ?? -Infinity)
    return {
      ...r,
      solution,
      bound: floor,
      gap: solution === undefined ? undefined : gap(inst, problem, solution.objective, floor),
      reduced
    }
  })
}

/**
 * Why a MILP of `columns` columns and `nonzeros` matrix entries would not fit the WebAssembly HiGHS, or
 * undefined when it would. The memory estimate (≈ 400 bytes a nonzero and 300 a column, measured on the
 * bench's p-medians as the peak of presolve and branch and bound) is checked before anything is built.
 */
export const tooLarge = (columns: number, nonzeros: number, options: Options): string | undefined => {
  const maxColumns = options.maxColumns ?? 1_000_000
  const megabytes = (400 * nonzeros + 300 * columns) / 1e6
  const maxMegabytes = options.maxMegabytes ?? 1200
  if (columns > maxColumns)
    return `the MILP would have ${columns.toLocaleString("en")} columns, more than the ${maxColumns.toLocaleString("en")} the WebAssembly HiGHS can hold`
  if (megabytes > maxMegabytes)
    return `the MILP would need about ${Math.round(megabytes).toLocaleString("en")} MB, more than the ${maxMegabytes.toLocaleString("en")} MB the WebAssembly HiGHS can hold`
  return undefined
}

/** Assignment columns of an uncapacitated p-median over the allowed sites, each point up to its nearest fixed site. */
const size = (inst: Instance, status: Uint8Array, mask?: Uint8Array): number => {
  const m = inst.sites
  let columns = 0
  for (let i = 0; i < inst.points; i++) {
    if (inst.weight[i] <= 0) continue
    let cutoff = Infinity
    for (let j = 0; j < m; j++) if (status[j] === Status.fixed) cutoff = Math.min(cutoff, inst.km[i * m + j])
    for (let j = 0; j < m; j++)
      if (status[j] !== Status.forbidden && inst.km[i * m + j] <= cutoff && (mask === undefined || mask[i * m + j] === 1)) columns++
  }
  return columns
}

/** Columns and nonzeros of a problem's MILP, counted before building it. */
const plannedSize = (inst: Instance, problem: Problem, mask?: Uint8Array): { readonly columns: number; readonly nonzeros: number } => {
  if (problem.kind === "mclp" || problem.kind === "set-cover") {
    const lists = Bound.coverLists(inst, problem.radius)
    return { columns: inst.sites + inst.points, nonzeros: lists.point.length + 2 * inst.sites + inst.points }
  }
  const capacitated = isCapacitated(problem)
  const x = size(inst, capacitated ? inst.status.map((v) => (v === Status.fixed ? Status.free : v)) : inst.status, mask)
  return { columns: x + 2 * inst.sites, nonzeros: x * (capacitated ? 3 : 2) + 4 * inst.sites }
}

/**
 * The MILP in HiGHS, from `options.start` when given, until `deadline` (ms since the epoch, for the whole
 * call: building the model counts). `floor` is a bound known beforehand (Lagrangian): the result's bound
 * is the higher of it and HiGHS's. A stop, a refusal or a HiGHS failure returns the best solution known.
 */
const milp = (
  highs: Highs,
  inst: Instance,
  problem: Problem,
  options: Options,
  t0: number,
  deadline: number,
  floor?: number,
  /** p-median: the assignment columns kept by the Lagrangian elimination (points × sites). */
  mask?: Uint8Array
): Solved => {
  const start = options.start
  const fallback = (status: Result["status"], columns: number, rows: number, note?: string, dual?: number): Solved => {
    if (start === undefined) return Either.left(new SolverError({ reason: note ?? `stopped (${status}) without a solution` }))
    const bound = Math.max(floor ?? -Infinity, dual ?? -Infinity)
    const b = Number.isFinite(bound) ? Math.min(bound, start.objective) : undefined
    return Either.right({
      status,
      solution: start,
      bound: b,
      gap: gap(inst, problem, start.objective, b),
      seconds: (Date.now() - t0) / 1000,
      columns,
      rows,
      ...(note === undefined ? {} : { note })
    })
  }
  const planned = plannedSize(inst, problem, mask)
  const refusal = tooLarge(planned.columns, planned.nonzeros, options)
  if (refusal !== undefined) return fallback("too-large", planned.columns, 0, `${refusal}: the heuristic's solution, with its gap`)
  if (Clock.now() >= deadline) return fallback("time-limit", 0, 0)
  // HiGHS's set-up (taking the model, checking the start, the MIP's own set-up) cannot be interrupted:
  // 3 s for the 400,000 nonzeros of a capacitated 1,000 × 100. With less time left than it needs, the
  // best solution known is the answer
  const setup = planned.nonzeros * (isCapacitated(problem) ? 7.5e-6 : 2e-6)
  if ((deadline - Date.now()) / 1000 < 1.5 * setup)
    return fallback(
      "time-limit",
      planned.columns,
      0,
      `${Math.round((deadline - Date.now()) / 100) / 10} s left, too little for HiGHS to start`
    )
  const built = build(highs, inst, problem, mask)
  const remaining = (deadline - Date.now()) / 1000
  if (remaining <= 0) return fallback("time-limit", built.data.numCols, built.data.numRows)
  // HiGHS (a WebAssembly library) throws on its own failures (memory, a rejected model): they become SolverErrors
  let model: ReturnType<Highs["createModel"]>
  try {
    model = highs.createModel(built.data)
  } catch (e) {
    runtime = undefined
    const reason = `HiGHS could not take the model: ${e instanceof Error ? e.message : String(e)}`
    return fallback(
      "aborted",
      built.data.numCols,
      built.data.numRows,
      start === undefined ? reason : `${reason}; the best solution known, with its gap`
    )
  }
  try {
    model.options.set({
      // the callbacks (the interrupts below) only fire with output on; nothing goes to the console
      output_flag: true,
      log_to_console: false,
      // presolve checks HiGHS's clock seldom and has no interrupt (2.0 s of presolve for a 1.4 s limit at
      // 1,000 × 100 capacitated): a quarter of the time is kept for its overrun and for reading the answer
      time_limit: 0.75 * remaining,
      mip_rel_gap: options.gap ?? 1e-6,
      // the covering models without presolve: at 5,000 × 400 (three county shapes, seed 19, load 5-14) their
      // proofs took 7.0 / 12.2 / 7.8 s instead of 14.8 / 19.2 / 9.0 s with it (its reductions of the covering
      // rows cost more than they saved the cut rounds at the root, where these solves spend their time)
      ...(problem.kind === "mclp" || problem.kind === "set-cover" ? { presolve: "off" } : {})
    })
    if (start !== undefined) model.setSolution({ colValue: startValues(inst, problem, built, start) })
    const report = options.onProgress
    let last = 0
    // HiGHS's own time limit is checked too seldom (it overran 2 s limits by 1.6 s in presolve and the
    // root LP): its interrupt checkpoints stop it at the deadline
    type Checkpoint = { readonly data: Record<string, unknown>; readonly interrupt: () => void }
    const stop = (event: Checkpoint): undefined => {
      if (Clock.now() > deadline) event.interrupt()
      return undefined
    }
    try {
      model.run({
        // a simplex checkpoint is a call into JavaScript per simplex iteration: the covering models' root LP
        // (the whole of their solve) ran 29 s without it and 40-57 s with it at 5,000 × 400; HiGHS's own
        // time limit (75 % of the time left) stops their simplex instead
        ...(problem.kind === "mclp" || problem.kind === "set-cover" ? {} : { [highs.constants.callbackType.simplexInterrupt]: stop }),
        [highs.constants.callbackType.ipmInterrupt]: stop,
        [highs.constants.callbackType.mipInterrupt]: (event: Checkpoint): undefined => {
          stop(event)
          const now = Date.now()
          if (report === undefined || now - last < 1000) return undefined
          last = now
          const d = event.data
          report(
            `branch and bound: ${String(d["mip_node_count"] ?? "?")} nodes, best ${fmt(d["mip_primal_bound"])}, bound ${fmt(d["mip_dual_bound"])}`
          )
          return undefined
        }
      })
    } catch (e) {
      // HiGHS's own failure (out of WebAssembly memory, an abort at its time limit): its module is spent,
      // the next `load` makes a new one; the best known solution is still the answer
      runtime = undefined
      const reason = `HiGHS failed: ${e instanceof Error ? e.message : String(e)}`
      return fallback("aborted", built.data.numCols, built.data.numRows, `${reason}; the best solution known, with its gap`)
    }
    const code = model.getModelStatus()
    const S = highs.constants.modelStatus
    const status =
      code === S.optimal
        ? "optimal"
        : code === S.infeasible
          ? "infeasible"
          : code === S.timeLimit || code === S.interrupted
            ? "time-limit"
            : "other"
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
    const found = hasSolution ? read(inst, problem, built, model.getSolution().colValue) : undefined
    const solution = found === undefined || (start !== undefined && start.objective < found.objective) ? start : found
    const dual = status === "optimal" ? (info("mip_dual_bound") ?? solution?.objective) : info("mip_dual_bound")
    const best = Math.max(dual ?? -Infinity, status === "optimal" ? -Infinity : (floor ?? -Infinity))
    const bound = Number.isFinite(best) ? (solution === undefined ? best : Math.min(best, solution.objective)) : undefined
    const closed = solution !== undefined && (gap(inst, problem, solution.objective, bound) ?? 1) <= (options.gap ?? 1e-6)
    return Either.right({
      status: closed ? "optimal" : status,
      solution,
      bound,
      gap: solution === undefined ? undefined : gap(inst, problem, solution.objective, bound),
      seconds: (Date.now() - t0) / 1000,
      columns: built.data.numCols,
      rows: built.data.numRows
    })
  } finally {
    try {
      model.dispose()
    } catch {
      // a spent module cannot free its model
    }
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
  /** Maximal coverage: the z column (after xBase) of each active point, -1 when no site covers it. */
  readonly group: Int32Array
}

const build = (highs: Highs, inst: Instance, problem: Problem, mask?: Uint8Array): Built => {
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
      for (let k = 0; k < M; k++)
        if (inst.km[row + allowed[k]] <= cutoff && (mask === undefined || mask[row + allowed[k]] === 1)) slots.push(k)
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
  // maximal coverage: points covered by the same sites share one z (their pupils summed), points no
  // site covers have none (always uncovered): at 5,000 × 400 a few hundred z instead of 5,000
  const group = new Int32Array(A).fill(-1)
  const groupWeight: Array<number> = []
  const groupSlots: Array<ReadonlyArray<number>> = []
  if (kind === "mclp") {
    const seen = new Map<string, number>()
    for (let a = 0; a < A; a++) {
      const row = active[a] * m
      const ks: Array<number> = []
      for (let k = 0; k < M; k++) if (inst.km[row + allowed[k]] <= radius) ks.push(k)
      if (ks.length === 0) continue
      const key = ks.join(",")
      let g = seen.get(key)
      if (g === undefined) {
        g = groupSlots.length
        seen.set(key, g)
        groupSlots.push(ks)
        groupWeight.push(0)
      }
      group[a] = g
      groupWeight[g] += inst.weight[active[a]]
    }
  }
  const G = kind === "mclp" ? groupSlots.length : A
  const rLink = rCover + (coverage ? G : 0)
  const numRows = rLink + (assignment ? X : 0)

  const expandCol = new Int32Array(m).fill(-1)
  let numCols = m
  if (capacitated) for (const j of allowed) if (inst.expandSeats[j] > 0) expandCol[j] = numCols++
  const xBase = numCols
  numCols += assignment ? X : kind === "mclp" ? G : 0

  const cost = new Float64Array(numCols)
  const lower = new Float64Array(numCols)
  const upper = new Float64Array(numCols).fill(1)
  const integrality = new Int32Array(numCols)
  const starts = new Int32Array(numCols + 1)
  const cover: Array<Array<number>> = coverage ? allowed.map(() => []) : []
  if (kind === "mclp") groupSlots.forEach((ks, g) => ks.forEach((k) => cover[k].push(g)))
  else if (coverage) {
    for (let a = 0; a < A; a++) {
      const row = active[a] * m
      for (let k = 0; k < M; k++) if (inst.km[row + allowed[k]] <= radius) cover[k].push(a)
    }
  }
  let nnz = 0
  for (let k = 0; k < M; k++) nnz += (hasP ? 1 : 0) + (capacitated ? 2 : 0) + (coverage ? cover[k].length : 0) + bySlot[k].length
  for (let j = 0; j < m; j++) if (expandCol[j] >= 0) nnz += 2
  if (assignment) nnz += X * (2 + (capacitated ? 1 : 0))
  if (kind === "mclp") nnz += G
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
    for (let g = 0; g < G; g++) {
      const c = xBase + g
      starts[c] = e
      cost[c] = -groupWeight[g]
      put(rCover + g, 1)
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
    xSlot,
    group
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
    if (problem.kind === "mclp") {
      if (built.group[a] >= 0 && inst.km[i * m + j] <= problem.radius) col[built.xBase + built.group[a]] = 1
    } else if (problem.kind !== "set-cover") {
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
