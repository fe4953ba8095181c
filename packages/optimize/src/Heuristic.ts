/**
 * Heuristics for instances too large for the MILP: greedy add (and drop, for the fixed-charge problem),
 * then vertex substitution (Teitz–Bart interchange) until no swap improves or the deadline passes.
 *
 * The p-median uses Whitaker's fast interchange: with each point's nearest and second-nearest open sites,
 * one O(points) sweep per candidate j prices "open j, close r" for every open r at once, so a full
 * neighbourhood costs O(points × sites). The other problems interchange over `Problem.evaluate`.
 * The result carries a Lagrangian lower bound (`Bound`) and the gap to it.
 */
import { Either } from "effect"
import * as Bound from "./Bound.js"
import { check, evaluate, type Infeasible, type Instance, type Problem, type Solution, SolverError, Status } from "./Problem.js"

export interface Options {
  /** Seconds before the search stops with the best found so far (default 60). */
  readonly timeLimit?: number
  /** Called as the search improves. */
  readonly onProgress?: (message: string) => void
}

export interface Result {
  readonly solution: Solution
  /** Lagrangian lower bound on the objective, when the problem has one. */
  readonly bound: number | undefined
  /** (objective − bound) / objective. */
  readonly gap: number | undefined
  readonly seconds: number
  /** Swaps made by the interchange. */
  readonly swaps: number
  /** True when the deadline stopped the interchange. */
  readonly stopped: boolean
}

/**
 * Solves with the heuristics. Fails with `Problem.Infeasible` when the instance has no solution, with a
 * `Problem.SolverError` when the search ends on no feasible choice (a tight capacitated packing its
 * allocation misses).
 */
export const solve = (inst: Instance, problem: Problem, options: Options = {}): Either.Either<Result, Infeasible | SolverError> =>
  Either.flatMap(check(inst, problem), () => search(inst, problem, options))

const search = (inst: Instance, problem: Problem, options: Options): Either.Either<Result, SolverError> => {
  const start = Date.now()
  const deadline = start + (options.timeLimit ?? 60) * 1000
  const searched =
    problem.kind === "p-median"
      ? fastInterchange(inst, problem.p, deadline, options.onProgress)
      : generic(inst, problem, deadline, options.onProgress)
  const solution = evaluate(inst, problem, searched.open)
  if (solution === undefined) {
    return Either.left(new SolverError({ reason: "the heuristic found no feasible solution (capacities too tight for its allocation)" }))
  }
  options.onProgress?.(`bounding (objective ${solution.objective.toFixed(1)})`)
  const bound = Bound.lower(inst, problem, { upper: solution.objective, deadline: Math.max(deadline, Date.now() + 1000) })
  const gap = bound === undefined ? undefined : solution.objective <= 0 ? 0 : Math.max(0, (solution.objective - bound) / solution.objective)
  return Either.right({ solution, bound, gap, seconds: (Date.now() - start) / 1000, swaps: searched.swaps, stopped: searched.stopped })
}

interface Searched {
  readonly open: Uint8Array
  readonly swaps: number
  readonly stopped: boolean
}

/** Greedy add then Whitaker's fast interchange for the p-median. */
export const fastInterchange = (inst: Instance, p: number, deadline: number, onProgress?: (m: string) => void): Searched => {
  const n = inst.points
  const m = inst.sites
  const open = new Uint8Array(m)
  const cur = new Float64Array(n).fill(Infinity)
  let count = 0
  const take = (j: number) => {
    open[j] = 1
    count++
    for (let i = 0; i < n; i++) cur[i] = Math.min(cur[i], inst.km[i * m + j])
  }
  for (let j = 0; j < m; j++) if (inst.status[j] === Status.fixed) take(j)
  while (count < p) {
    let best = -1
    let bc = Infinity
    for (let j = 0; j < m; j++) {
      if (open[j] === 1 || inst.status[j] !== Status.free) continue
      let c = 0
      for (let i = 0; i < n; i++) {
        const d = inst.km[i * m + j]
        c += inst.weight[i] * (d < cur[i] ? d : cur[i] === Infinity ? d : cur[i])
      }
      if (c < bc) (bc = c), (best = j)
    }
    if (best < 0) break
    take(best)
  }
  onProgress?.(`greedy: ${count} sites`)
  const c1 = new Int32Array(n)
  const c2 = new Int32Array(n)
  const nearest = () => {
    for (let i = 0; i < n; i++) {
      let a = -1
      let b = -1
      let da = Infinity
      let db = Infinity
      const row = i * m
      for (let j = 0; j < m; j++) {
        if (open[j] !== 1) continue
        const d = inst.km[row + j]
        if (d < da) (b = a), (db = da), (a = j), (da = d)
        else if (d < db) (b = j), (db = d)
      }
      c1[i] = a
      c2[i] = b
    }
  }
  nearest()
  const loss = new Float64Array(m)
  let swaps = 0
  let stopped = false
  let improved = true
  while (improved) {
    improved = false
    for (let j = 0; j < m; j++) {
      if (open[j] === 1 || inst.status[j] !== Status.free) continue
      if (Date.now() > deadline) {
        stopped = true
        break
      }
      let gain = 0
      loss.fill(0)
      for (let i = 0; i < n; i++) {
        const row = i * m
        const w = inst.weight[i]
        const dj = inst.km[row + j]
        const d1 = inst.km[row + c1[i]]
        if (dj < d1) gain += w * (d1 - dj)
        else {
          const d2 = c2[i] < 0 ? Infinity : inst.km[row + c2[i]]
          loss[c1[i]] += w * (Math.min(dj, d2) - d1)
        }
      }
      let r = -1
      let lr = Infinity
      for (let k = 0; k < m; k++) if (open[k] === 1 && inst.status[k] !== Status.fixed && loss[k] < lr) (lr = loss[k]), (r = k)
      if (r >= 0 && lr - gain < -1e-9 * Math.max(1, gain)) {
        open[r] = 0
        open[j] = 1
        swaps++
        improved = true
        nearest()
      }
    }
    if (stopped) break
    onProgress?.(`interchange: ${swaps} swaps`)
  }
  return { open, swaps, stopped }
}

/**
 * Greedy add (to p sites, or while the objective falls), then interchange: the best swap of an open site
 * for a closed one, repeated while it improves. Without p (fixed charge, set cover) single adds and drops
 * join the moves, and a second search starts from every site open (greedy drop); the cheaper result
 * wins. Infeasible choices (capacities) are priced with a penalty per pupil left out, so the searches can
 * pass through them.
 */
export const generic = (inst: Instance, problem: Problem, deadline: number, onProgress?: (m: string) => void): Searched => {
  const m = inst.sites
  const open = new Uint8Array(m)
  for (let j = 0; j < m; j++) if (inst.status[j] === Status.fixed) open[j] = 1
  const cost = (o: Uint8Array): number => price(inst, problem, o)
  const free: Array<number> = []
  for (let j = 0; j < m; j++) if (inst.status[j] === Status.free) free.push(j)
  const p = problem.kind === "p-median" || problem.kind === "capacitated-p-median" || problem.kind === "mclp" ? problem.p : undefined
  let current = cost(open)
  let opened = open.reduce((a, b) => a + b, 0)
  const target = p ?? m
  while (opened < target) {
    let best = -1
    let bc = Infinity
    for (const j of free) {
      if (open[j] === 1) continue
      open[j] = 1
      const c = cost(open)
      open[j] = 0
      if (c < bc) (bc = c), (best = j)
    }
    if (best < 0) break
    if (p === undefined && bc >= current && Number.isFinite(current)) break
    open[best] = 1
    opened++
    current = bc
    if (problem.kind === "set-cover" && current < Infinity && current < 1e9) break
  }
  onProgress?.(`greedy add: ${opened} sites`)
  const added = interchange(open, current, free, p, cost, deadline, onProgress)
  if (p !== undefined) return added
  const all = new Uint8Array(m)
  for (let j = 0; j < m; j++) if (inst.status[j] !== Status.forbidden) all[j] = 1
  onProgress?.("greedy drop from every site")
  const dropped = interchange(all, cost(all), free, p, cost, deadline, onProgress)
  return dropped.cost < added.cost ? { ...dropped, swaps: added.swaps + dropped.swaps } : { ...added, swaps: added.swaps + dropped.swaps }
}

/**
 * Local search from `open` (changed in place): without p, the first single site added or dropped that
 * lowers the cost (a drop phase from every site open, an add phase from a greedy start); then the best
 * swap of an open site for a closed one; repeated while a move improves or until the deadline.
 */
const interchange = (
  open: Uint8Array,
  start: number,
  free: ReadonlyArray<number>,
  p: number | undefined,
  cost: (o: Uint8Array) => number,
  deadline: number,
  onProgress?: (m: string) => void
): Searched & { readonly cost: number } => {
  let current = start
  let swaps = 0
  let stopped = false
  const improve = (): boolean => {
    if (p === undefined) {
      for (const j of free) {
        open[j] ^= 1
        const c = cost(open)
        if (c < current - 1e-9 * Math.max(1, Math.abs(current))) {
          current = c
          swaps++
          return true
        }
        open[j] ^= 1
      }
    }
    let bestR = -1
    let bestJ = -1
    let bc = current - 1e-9 * Math.max(1, Math.abs(current))
    for (const r of free) {
      if (open[r] !== 1) continue
      if (Date.now() > deadline) return ((stopped = true), false)
      open[r] = 0
      for (const j of free) {
        if (open[j] === 1 || j === r) continue
        open[j] = 1
        const c = cost(open)
        open[j] = 0
        if (c < bc) (bc = c), (bestR = r), (bestJ = j)
      }
      open[r] = 1
    }
    if (bestR < 0) return false
    open[bestR] = 0
    open[bestJ] = 1
    current = bc
    swaps++
    return true
  }
  while (improve()) onProgress?.(`interchange: ${swaps} moves`)
  return { open, swaps, stopped, cost: current }
}

// == helpers

/** The objective of a choice, with 10⁹ per pupil left out (or per point uncovered) when infeasible. */
const price = (inst: Instance, problem: Problem, open: Uint8Array): number => {
  const s = evaluate(inst, problem, open)
  if (s !== undefined) return s.objective
  let any = false
  for (let j = 0; j < inst.sites && !any; j++) any = open[j] === 1
  if (!any) return Infinity
  if (problem.kind === "set-cover") {
    let missed = 0
    for (let i = 0; i < inst.points; i++) {
      if (inst.weight[i] <= 0) continue
      let ok = false
      for (let j = 0; j < inst.sites && !ok; j++) ok = open[j] === 1 && inst.km[i * inst.sites + j] <= problem.radius
      if (!ok) missed++
    }
    return 1e9 * missed + open.reduce((a, b) => a + b, 0)
  }
  const relaxed = evaluate(
    { ...inst, capacity: new Float64Array(inst.sites).fill(Infinity) },
    problem.kind === "capacitated-p-median" ? { kind: "p-median", p: problem.p } : { kind: "fixed-charge", kmCost: 1, capacitated: false },
    open
  )
  const load = new Float64Array(inst.sites)
  if (relaxed !== undefined) for (let i = 0; i < inst.points; i++) load[relaxed.assign[i]] += inst.weight[i]
  let over = 0
  for (let j = 0; j < inst.sites; j++) if (open[j] === 1) over += Math.max(0, load[j] - inst.capacity[j] - inst.expandSeats[j])
  return 1e9 * (1 + over) + (relaxed?.objective ?? 0)
}
