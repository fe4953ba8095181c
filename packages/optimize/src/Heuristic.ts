/**
 * Heuristics for instances too large for the MILP: greedy add (and drop, for the fixed-charge problem),
 * then vertex substitution (Teitz–Bart interchange) until no swap improves or the deadline passes.
 *
 * The p-median works over each point's nearest sites (`Bound.nearestSites`): greedy add, then the fast
 * interchange with Resende and Werneck's gain / loss / extra bookkeeping, which after a move renews the
 * terms of the points the move concerns only (at 5,000 × 400 a descent costs milliseconds, where
 * Whitaker's sweep of every point per candidate cost a tenth of a second or more). The capacitated
 * p-median is a Lagrangian heuristic (`capacitatedSearch`), the capacitated fixed charge another, over an
 * allocation kept up to date move by move (`Charge.search`); the other problems interchange over
 * `Problem.evaluate`.
 * The result carries a Lagrangian lower bound (`Bound`) and the gap to it.
 */
import { Either } from "effect"
import * as Clock from "./Clock.js"
import * as Bound from "./Bound.js"
import * as Charge from "./Charge.js"
import * as Cover from "./Cover.js"
import {
  check,
  evaluate,
  gap,
  type Infeasible,
  type Instance,
  improveAllocation,
  type Kind,
  objectiveFigure,
  objectiveText,
  type Problem,
  type Solution,
  SolverError,
  Status,
  summarise
} from "./Problem.js"

export interface Options {
  /** Seconds for the whole call, search and bound, before it stops with the best found so far (default 60). */
  readonly timeLimit?: number
  /** Called as the search improves. */
  readonly onProgress?: (message: string) => void
  /** Seed of the perturbations (variable neighbourhood search); the same seed gives the same answer (default 1). */
  readonly seed?: number
  /**
   * Shakes without improvement before the variable neighbourhood search stops (default 60; the p-median's
   * fewer above 2,000 × 200, at least 10; 0: local search only). The deadline stops it in any case.
   */
  readonly patience?: number
  /**
   * p-median: the gap to the Lagrangian bound ((objective − bound) / objective) at which the search stops
   * (default 0.001): the solution is then proven within that of the optimum. Maximal coverage: the same on
   * the covered pupils ((bound's covered − covered) / covered, default 0.005; 0: until the bound meets
   * the solution or its budgets end).
   */
  readonly tolerance?: number
}

export interface Result {
  readonly solution: Solution
  /** Lagrangian lower bound on the objective, when the problem has one. */
  readonly bound: number | undefined
  /** `Problem.gap`: (objective − bound) / objective; for the maximal coverage, the coverage's gap. */
  readonly gap: number | undefined
  readonly seconds: number
  /** Improving moves made (swaps, adds, drops). */
  readonly swaps: number
  /** True when the deadline stopped the search before its own stopping rule. */
  readonly stopped: boolean
  /** p-median: the Lagrangian multipliers that gave `bound` (the exact solver's reduction starts from them). */
  readonly lambda?: Float64Array
}

/**
 * Solves with the heuristics. Fails with `Problem.Infeasible` when the instance has no solution, with a
 * `Problem.SolverError` when the search ends on no feasible choice (a tight capacitated packing its
 * allocation misses).
 */
export const solve = (inst: Instance, problem: Problem, options: Options = {}): Either.Either<Result, Infeasible | SolverError> =>
  Either.flatMap(check(inst, problem), () => search(inst, problem, options))

/** Share of the time limit the search may use; the rest is the bound's (which stops earlier when it meets the solution). */
const searchShare = 0.75
/**
 * The capacitated p-median's: its search computes the capacity-aware bound on the way (`boundShare` of
 * the time then left at most; the bound is valid whatever the answer), so the search has 90 % of the
 * time, the rest is the final allocation's (swaps of two points). The bound needs hundreds of knapsack
 * iterations (at 5,000 × 400, seat shape, 3-7 ms of processor time each: 200 leave it 0.9 % of the
 * solution below its limit, 400 0.1 %; about 1,000 reach the limit, the LP relaxation's value, in 5 s
 * on a quiet machine).
 */
const capacitatedSearchShare = 0.9
/** Share of the time left, after the p-median start's descent, that the capacitated p-median's bound may take. */
const boundShare = 0.4
/** Starts the capacitated p-median's search takes in turn at most (each searched until its patience runs out). */
const restarts = 4
/** Share of the time left, after its first solution, that the capacitated fixed charge's bound may take. */
const chargeBoundShare = 0.25
/** ms before the deadline at which the answer's final allocation stops improving (1 % of the limit when less). */
const finalMargin = 100

const search = (inst: Instance, problem: Problem, options: Options): Either.Either<Result, SolverError> => {
  const start = Date.now()
  const limit = (options.timeLimit ?? 60) * 1000
  const deadline = start + limit
  const bounded = problem.kind === "capacitated-p-median" || (problem.kind === "fixed-charge" && problem.capacitated)
  const searchDeadline = start + (bounded ? capacitatedSearchShare : searchShare) * limit
  const ctl: Control = {
    deadline: searchDeadline,
    random: mulberry32(options.seed ?? 1),
    patience: options.patience ?? (problem.kind === "p-median" ? medianPatience(inst) : 60),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress })
  }
  if (problem.kind === "p-median") return searchBounded(inst, problem, ctl, start, deadline, options.tolerance ?? medianTolerance)
  if (problem.kind === "mclp") return coverageSearch(inst, problem, ctl, start, options.tolerance ?? coverTolerance)
  const searched: Searched =
    problem.kind === "capacitated-p-median"
      ? capacitatedSearch(inst, problem, ctl, start + 0.05 * limit)
      : problem.kind === "fixed-charge" && problem.capacitated
        ? Charge.search(inst, problem.kmCost, {
            ...ctl,
            boundShare: chargeBoundShare,
            restarts,
            neighbours: neighbourSites(inst, 12)
          })
        : problem.kind === "fixed-charge"
          ? chargeSearch(inst, problem, ctl)
          : generic(inst, problem, searchDeadline, options.onProgress)
  // the answer's allocation with swaps too (the search's trials price with shifts only, for speed), until
  // shortly before the deadline (the pricing after it takes a few ms at 5,000 × 400)
  const polishBy = deadline - Math.min(finalMargin, 0.01 * limit)
  const solution =
    searched.assign === undefined
      ? evaluate(inst, problem, searched.open, polishBy)
      : (() => {
          const expanded = new Uint8Array(inst.sites)
          improveAllocation(inst, searched.open, problem.kind === "fixed-charge" ? problem.kmCost : 1, searched.assign, expanded, polishBy)
          return summarise(inst, problem, searched.open, searched.assign, expanded)
        })()
  if (solution === undefined) {
    return Either.left(new SolverError({ reason: "the heuristic found no feasible solution (capacities too tight for its allocation)" }))
  }
  options.onProgress?.(`bounding (objective ${objectiveText(problem.kind, solution.objective)})`)
  const bound =
    searched.bound === undefined
      ? Bound.lower(inst, problem, { upper: solution.objective, deadline })
      : Math.min(searched.bound, solution.objective)
  return Either.right({
    solution,
    bound,
    gap: gap(inst, problem, solution.objective, bound),
    seconds: (Date.now() - start) / 1000,
    swaps: searched.swaps,
    stopped: searched.stopped
  })
}

/** The p-median search's default stopping gap to its bound (`Options.tolerance`). */
const medianTolerance = 0.001
/** Volume steps of the p-median bound (`Bound.medianAveraged`) at most, and between its Lagrangian heuristic's roundings. */
const medianSteps = 1000
const medianReview = 50
/**
 * The bound stops when 50 steps raised it by less than this share of the solution (after 200 steps at
 * least): at 5,000 × 400 (townships, seed 3) its last 500 steps added 0.002 %, where the solution was
 * 0.2 % above it (the perturbations, not the bound, closed that).
 */
const medianFlat = 1e-5

/**
 * The p-median's default patience (`Options.patience`): 60 shakes up to 400,000 point × site pairs
 * (2,000 × 200), fewer above in proportion, at least 10 (set when a shake's descent swept every point
 * for every candidate, and 60 shakes at 5,000 × 400 took 10-15 s; a descent now costs milliseconds, but
 * the search rarely improves in its shakes there: the Lagrangian heuristic finds its solutions).
 */
const medianPatience = (inst: Instance): number =>
  Math.max(10, Math.min(60, Math.round((60 * 400_000) / Math.max(1, inst.points * inst.sites))))

/**
 * p-median: a local optimum first (greedy add, then swaps), then the Lagrangian bound (`Bound.medianAveraged`:
 * up to 1,000 steps of the volume algorithm, half the time left at most) with a Lagrangian heuristic
 * every 50 steps and at the end: the p sites of the largest averaged openings ȳ, descended by the
 * interchange, kept when better (at 5,000 × 400, county shapes, seed 19, it found the optimum or came
 * within 0.02 % of it, where the perturbations from the greedy start took 10-15 s to reach +0.09 %); the
 * bound stops once within `tolerance` of the solution (at 5,000 × 400 after 300-600 steps); then
 * variable neighbourhood search until the solution is within `tolerance` of the bound (proven that
 * close to the optimum), `patience` shakes pass without improvement, or the deadline.
 */
const searchBounded = (
  inst: Instance,
  problem: Problem & { readonly kind: "p-median" },
  ctl: Control,
  start: number,
  deadline: number,
  within: number
): Either.Either<Result, SolverError> => {
  const near = nearLists(inst, problem.p)
  const local = medianLocal(inst, problem.p, ctl, near)
  let open = local.open
  let value = local.value
  let swaps = local.swaps
  let stopped = local.stopped
  // the Lagrangian heuristic: round ȳ to p sites (the fixed ones and the free ones of the largest ȳ),
  // descend, keep when better; during the bound every `medianReview` steps (a better solution aims its
  // steps lower and may end it early: within `within` of it) and once at its end
  const free: Array<number> = []
  for (let j = 0; j < inst.sites; j++) if (inst.status[j] === Status.free) free.push(j)
  const rounded = new Uint8Array(inst.sites)
  const tried = new Uint8Array(inst.sites)
  const round = (ybar: Float64Array): number => {
    if (stopped) return value
    rounded.fill(0)
    let taken = 0
    for (let j = 0; j < inst.sites; j++) if (inst.status[j] === Status.fixed) (rounded[j] = 1), taken++
    free.sort((a, b) => ybar[b] - ybar[a] || a - b)
    for (let q = 0; q < free.length && taken < problem.p; q++, taken++) rounded[free[q]] = 1
    // the same sites as the last rounding descend to the same solution
    let same = true
    for (let j = 0; j < inst.sites && same; j++) same = rounded[j] === tried[j]
    if (same) return value
    tried.set(rounded)
    const d = fastInterchange(inst, rounded.slice(), deadline, near)
    swaps += d.swaps
    stopped = d.stopped
    if (d.value < value - 1e-9 * Math.max(1, Math.abs(value))) {
      open = d.open
      value = d.value
      ctl.onProgress?.(`Lagrangian heuristic: ${objectiveText(problem.kind, value)}`)
    }
    return value
  }
  ctl.onProgress?.(`bounding (objective ${objectiveText(problem.kind, local.value)})`)
  const multipliers = Bound.medianAveraged(inst, problem.p, {
    upper: local.value,
    deadline: Date.now() + (deadline - Date.now()) / 2,
    steps: medianSteps,
    near,
    review: {
      every: medianReview,
      within,
      flat: medianFlat,
      call: (b, ybar) => {
        ctl.onProgress?.(
          `${problem.kind}: incumbent ${objectiveText(problem.kind, value)}, bound ${objectiveFigure(problem.kind, b)} (bounding)`
        )
        return round(ybar)
      }
    }
  })
  const bound = multipliers.bound
  const lambda = multipliers.lambda
  round(multipliers.usage)
  // the Lagrangian reduction: a site whose forced opening lifts the bound above this solution is in no
  // better one, so the search leaves it out (at 2,000 × 200, 159 of 200 sites)
  const status = Bound.reduceMedian(inst, problem.p, lambda, value)
  for (let j = 0; j < inst.sites; j++) if (status[j] === Status.fixed && inst.status[j] !== Status.fixed) status[j] = Status.free
  const space = { ...inst, status }
  const descend = (o: Uint8Array) => fastInterchange(space, o, deadline, near)
  // a better solution forbids more sites (the same multipliers, a lower upper value)
  const onImprove = (better: number) => {
    const again = Bound.reduceMedian(inst, problem.p, lambda, better)
    for (let j = 0; j < inst.sites; j++) if (again[j] === Status.forbidden && open[j] !== 1) status[j] = Status.forbidden
  }
  ctl.onProgress?.(
    `${problem.kind}: incumbent ${objectiveText(problem.kind, value)}, bound ${objectiveFigure(problem.kind, bound)}, gap ${((100 * (value - bound)) / Math.max(1e-12, value)).toFixed(3)} %`
  )
  // within `within` of the bound: objective ≤ bound / (1 − within)
  const target = Math.max(bound + 1e-9 * Math.max(1, Math.abs(value)), within > 0 && within < 1 ? bound / (1 - within) : bound)
  if (!stopped && value > target) {
    // the perturbations get at most 25 × the time taken so far (at least 3 s): a guard, the patience stops them first
    const spent = Date.now() - start
    const shaken = vns(
      open,
      value,
      (j) => space.status[j] === Status.free,
      descend,
      { ...ctl, deadline: Math.min(deadline, Date.now() + Math.max(3000, 25 * spent)) },
      problem.kind,
      target,
      neighbourSites(space, 12),
      onImprove,
      bound
    )
    swaps += shaken.swaps
    stopped = shaken.stopped
  }
  return finish(inst, problem, open, bound, start, swaps, stopped, lambda)
}

/** The answer of a bounded search: the solution priced by `evaluate`, its gap to `bound`. */
const finish = (
  inst: Instance,
  problem: Problem,
  open: Uint8Array,
  bound: number,
  start: number,
  swaps: number,
  stopped: boolean,
  lambda?: Float64Array
): Either.Either<Result, SolverError> => {
  const solution = evaluate(inst, problem, open)
  if (solution === undefined) return Either.left(new SolverError({ reason: "the heuristic found no feasible solution" }))
  const b = Math.min(bound, solution.objective)
  return Either.right({
    solution,
    bound: b,
    gap: gap(inst, problem, solution.objective, b),
    seconds: (Date.now() - start) / 1000,
    swaps,
    stopped,
    ...(lambda === undefined ? {} : { lambda })
  })
}

/**
 * Maximal coverage on grouped demand (`Cover`): greedy add by covered pupils, then swaps; the Lagrangian
 * bound, stopped as soon as its whole number of uncovered pupils comes within `within` × the covered
 * pupils of the solution (it is then proven that close to the optimum's coverage; 0: until it meets the
 * solution, which is then optimal); the relaxation's sites, descended, as a second start (a Lagrangian
 * heuristic); then variable neighbourhood search until the solution is that close to the bound or
 * `patience` shakes pass without improvement.
 * Every budget is a count of iterations or shakes, not a share of the time: HiGHS solves the grouped
 * covering MILP at its root in 0.01-0.4 s up to 1,000 × 100, so a heuristic worth running must answer in
 * a tenth of that, and the same instance must get the same answer on a busy machine. The deadline stops
 * any phase.
 */
const coverageSearch = (
  inst: Instance,
  problem: Problem & { readonly kind: "mclp" },
  ctl: Control,
  start: number,
  within: number
): Either.Either<Result, SolverError> => {
  // the dominated sites dropped (an exact reduction: the reduced optimum is the whole one's, and the
  // bound on it bounds the whole problem)
  const c = Cover.dominance(Cover.group(inst, problem.radius), problem.p)
  const swappable = new Uint8Array(inst.sites)
  for (const j of c.free) swappable[j] = 1
  const s = Cover.state(c)
  Cover.greedy(c, s, problem.p)
  const first = Cover.interchange(c, s, ctl.deadline)
  const open = s.open.slice()
  let value = c.total - s.covered
  ctl.onProgress?.(`interchange: ${first.swaps} swaps, ${objectiveText(problem.kind, value)}`)
  const descend = (o: Uint8Array) => {
    Cover.load(c, s, o)
    const r = Cover.interchange(c, s, ctl.deadline)
    o.set(s.open)
    return { value: c.total - s.covered, swaps: r.swaps, stopped: r.stopped }
  }
  let swaps = first.swaps
  let stopped = first.stopped
  const tolerance = 1e-9 * Math.max(1, c.total)
  // a Lagrangian heuristic: the relaxation's sites (the multipliers price the groups hard to cover),
  // descended, kept when better
  const repair = (trial: Uint8Array): number => {
    if (stopped || !trial.some((v) => v === 1)) return value
    const d = descend(trial)
    swaps += d.swaps
    stopped = d.stopped
    if (d.value < value - tolerance) {
      open.set(trial)
      value = d.value
    }
    return value
  }
  // proven within `within` of the optimum's covered pupils is enough (the bound, the repair and the
  // shakes then stop): the optimum covers at most total − bound pupils, this solution total − value
  const slack = (upper: number) => within * (c.total - upper)
  const relaxed = Bound.coverRelaxed(
    c,
    problem.p,
    {
      upper: value,
      deadline: ctl.deadline,
      iterations: coverIterations,
      stall: coverStall,
      slack,
      start: open,
      ...(within > 0 ? { deflection: coverDeflection } : {})
    },
    repair
  )
  const bound = relaxed.bound
  if (value > bound + Math.max(tolerance, slack(value))) repair(relaxed.open.slice())
  const coverageGap = (v: number, b: number) => gap(inst, problem, v, b) ?? 0
  ctl.onProgress?.(
    `${problem.kind}: incumbent ${objectiveText(problem.kind, value)}, bound ${objectiveFigure(problem.kind, bound)}, gap ${(100 * coverageGap(value, bound)).toFixed(3)} %`
  )
  if (!stopped && value > bound + Math.max(tolerance, slack(value))) {
    const shaken = vns(
      open,
      value,
      (j) => swappable[j] === 1,
      descend,
      ctl,
      problem.kind,
      bound + Math.max(tolerance, slack(value)),
      neighbourSites(inst, 12),
      undefined,
      bound,
      coverageGap
    )
    swaps += shaken.swaps
    stopped = shaken.stopped
  }
  return finish(inst, problem, open, bound, start, swaps, stopped)
}

/**
 * The MCLP search's default stopping gap on covered pupils (`Options.tolerance`): 0.5 %, the siting goal
 * (issue 19: within 0.5 % of the optimum), so the bound proves every answer meets it. Was 0.1 %: on the
 * bench's 30 county instances (200 × 40 and 1,000 × 100, three shapes, seeds 19-23) the bound's steps fell
 * from 2,469 to 1,455 in all (townships, seed 20 still 456: its bound climbs slowly from a poor start);
 * 27 of the 30 answers were still optimal, the other three 0.22-0.41 % short of the optimum's coverage,
 * and with the deflected steps below 25 of 30, the other five 0.03-0.41 % short (all proven within 0.5 %).
 */
const coverTolerance = 0.005

/**
 * The MCLP bound's deflection when it stops at a gap (`Bound.Options.deflection`; the exact path's warm
 * start, `tolerance: 0`, keeps the plain subgradient). At 1,000 × 100 (15 county instances, tolerance
 * 0.5 %) the steps to the stop fell from 1,199 to 736 in all, the most from 456 to 176 (townships, seed
 * 20; 0.4: 796, 181); at 200 × 40 they rose from 256 to 445 (tens of microseconds a call there).
 */
const coverDeflection = 0.3

/** The MCLP bound's subgradient iterations at most, and without improvement before its step halves. */
const coverIterations = 1000
const coverStall = 60

interface Local {
  readonly open: Uint8Array
  readonly value: number
  readonly swaps: number
  readonly stopped: boolean
  /** Descends from a choice (changed in place) to a local optimum. */
  readonly descend: (open: Uint8Array) => { readonly value: number; readonly swaps: number; readonly stopped: boolean }
}

interface Searched {
  readonly open: Uint8Array
  readonly swaps: number
  readonly stopped: boolean
  /** A lower bound the search computed on the way (the capacitated p-median's), valid whatever the answer. */
  readonly bound?: number
  /** The allocation of the open sites the search kept (the capacitated fixed charge's), the answer's start. */
  readonly assign?: Int32Array | undefined
}

/** What a search may spend and how it perturbs. */
export interface Control {
  /** ms since the epoch. */
  readonly deadline: number
  /** Uniform draws in [0, 1). */
  readonly random: () => number
  /** Non-improving shakes before the variable neighbourhood search stops. */
  readonly patience: number
  readonly onProgress?: (m: string) => void
}

/**
 * Variable neighbourhood search over "swap one open site for a closed one": from a local optimum, make k
 * random swaps (k = 1, 2, … up to 4, back to 1 after an improvement), descend again with `descend`, keep
 * the result if better. Stops after `patience` shakes without improvement or at the deadline.
 */
const vns = (
  open: Uint8Array,
  value: number,
  swappable: (j: number) => boolean,
  descend: (open: Uint8Array) => { readonly value: number; readonly swaps: number; readonly stopped: boolean },
  ctl: Control,
  /** The problem, which names the progress messages and their figures' unit. */
  kind: Kind,
  target = -Infinity,
  neighbours?: ReadonlyArray<ReadonlyArray<number>>,
  onImprove?: (value: number) => void,
  /** The bound the progress messages show (default `target`). */
  shown = target,
  /** The gap the progress messages show (default (value − bound) / value). */
  gapOf = (value: number, bound: number) => (value - bound) / Math.max(1e-12, value)
): Searched & { readonly value: number } => {
  const m = open.length
  let best = value
  let swaps = 0
  let stopped = false
  let k = 1
  const trial = new Uint8Array(m)
  const ins: Array<number> = []
  const outs: Array<number> = []
  for (let idle = 0; idle < ctl.patience && best > target; ) {
    if (Clock.now() > ctl.deadline) {
      stopped = true
      break
    }
    trial.set(open)
    ins.length = 0
    outs.length = 0
    for (let j = 0; j < m; j++) if (swappable(j)) (open[j] === 1 ? ins : outs).push(j)
    if (ins.length === 0 || outs.length === 0) break
    for (let s = 0; s < k; s++) {
      // close a random open site and open, mostly, one of its near neighbours that is closed (else any closed site)
      const a = Math.floor(ctl.random() * ins.length)
      const r = ins[a]
      let j = -1
      const near = neighbours?.[r]
      if (near !== undefined && near.length > 0 && ctl.random() < 0.7) {
        for (let tries = 0; tries < 4 && j < 0; tries++) {
          const c = near[Math.floor(ctl.random() * near.length)]
          if (trial[c] === 0 && swappable(c)) j = c
        }
      }
      if (j < 0) j = outs[Math.floor(ctl.random() * outs.length)]
      if (trial[j] === 1) continue
      trial[r] = 0
      trial[j] = 1
      ins[a] = j
    }
    const r = descend(trial)
    if (r.stopped) stopped = true
    if (r.value < best - 1e-9 * Math.max(1, Math.abs(best))) {
      best = r.value
      open.set(trial)
      swaps += r.swaps + k
      k = 1
      idle = 0
      onImprove?.(best)
      ctl.onProgress?.(
        Number.isFinite(target)
          ? `${kind}: incumbent ${objectiveText(kind, best)}, bound ${objectiveFigure(kind, shown)}, gap ${(100 * gapOf(best, shown)).toFixed(3)} %`
          : `${kind}: incumbent ${objectiveText(kind, best)}`
      )
    } else {
      k = k >= 4 ? 1 : k + 1
      idle++
    }
    if (stopped) break
  }
  return { open, swaps, stopped, value: best }
}

/**
 * Fixed charge, uncapacitated (the capacitated one is `Charge.search`): the generic local optimum at the
 * quick price (greedy add and greedy drop, then adds, drops and swaps), a descent from it at the thorough
 * price (below), then variable neighbourhood search, each shake re-descended the same way. The generic
 * search alone stopped 2 % above the optimum of the capacitated benchmark instance at 200 × 40.
 */
const chargeSearch = (inst: Instance, problem: Problem & { readonly kind: "fixed-charge" }, ctl: Control): Searched => {
  const started = Date.now()
  const free: Array<number> = []
  for (let j = 0; j < inst.sites; j++) if (inst.status[j] === Status.free) free.push(j)
  const cost = (o: Uint8Array): number => price(inst, problem, o)
  // local optima under the quick prices (shifts only) are then searched again at the thorough price (the
  // allocation with swaps, `evaluate`): the quick prices misrank sets whose sites are full, which is where
  // the optimum often is. The thorough moves: add or drop a site, or swap an open site for one of its 12
  // nearest closed ones, best first, while one improves.
  const neighbours = neighbourSites(inst, 12)
  const judged = (o: Uint8Array) => evaluate(inst, problem, o, ctl.deadline)?.objective ?? cost(o)
  // above 400,000 point × site pairs the first improving move is taken rather than the best of a sweep: at
  // 5,000 × 400 a sweep prices about 760 allocations (15-50 ms each), so a best-improvement descent made a
  // few moves in a 60 s limit and ended 16-24 % above its bound (6-13 % with this); at 2,000 × 200 the best
  // of a sweep still does better (2.4 % against 3.2 %)
  const firstImprovement = inst.points * inst.sites > 400_000
  const descendAt = (priced: (o: Uint8Array) => number) => (o: Uint8Array) => {
    let value = priced(o)
    let swaps = 0
    for (;;) {
      if (Clock.now() > ctl.deadline) return { value, swaps, stopped: true }
      let bestR = -1
      let bestJ = -1
      let bv = value - 1e-9 * Math.max(1, Math.abs(value))
      for (const j of free) {
        if (Clock.now() > ctl.deadline || (firstImprovement && bestR >= 0)) break
        o[j] ^= 1
        const v = priced(o)
        o[j] ^= 1
        if (v < bv) (bv = v), (bestR = j), (bestJ = -1)
      }
      for (const r of free) {
        if (o[r] !== 1) continue
        if (Clock.now() > ctl.deadline || (firstImprovement && bestR >= 0)) break
        for (const j of neighbours[r]) {
          if (o[j] === 1 || inst.status[j] !== Status.free) continue
          o[r] = 0
          o[j] = 1
          const v = priced(o)
          o[r] = 1
          o[j] = 0
          if (v < bv) (bv = v), (bestR = r), (bestJ = j)
          if (firstImprovement && bestR >= 0) break
        }
      }
      if (bestR < 0) return { value, swaps, stopped: false }
      o[bestR] ^= 1
      if (bestJ >= 0) o[bestJ] = 1
      value = bv
      swaps++
    }
  }
  const descend = descendAt(judged)
  const first = generic(inst, problem, ctl.deadline, ctl.onProgress)
  ctl.onProgress?.(`fixed charge: local optimum ${objectiveText(problem.kind, cost(first.open))} at the quick price`)
  if (first.stopped) return first
  const open = Uint8Array.from(first.open)
  const polished = descend(open)
  ctl.onProgress?.(`fixed charge: ${objectiveText(problem.kind, polished.value)} at the thorough price`)
  if (polished.stopped) return { open, swaps: first.swaps + polished.swaps, stopped: true }
  // the perturbations get at most 3 × the time taken so far (at least 3 s)
  const elapsed = Date.now() - started
  const shaken = vns(
    open,
    polished.value,
    (j) => inst.status[j] === Status.free,
    descend,
    { ...ctl, deadline: Math.min(ctl.deadline, Date.now() + Math.max(3000, 3 * elapsed)) },
    problem.kind,
    -Infinity,
    neighbours
  )
  return { open: shaken.open, swaps: first.swaps + shaken.swaps, stopped: shaken.stopped }
}

/**
 * Capacitated p-median: a Lagrangian heuristic. The p-median's local optimum (greedy add and the fast
 * interchange, until `medianBy` at most) prices an upper bound; the capacity-aware relaxation
 * (`Bound.capacitatedMedianRelaxed`, up to 3,000 steps, `boundShare` of the time left at most) gives the
 * answer's bound and the site sets its relaxation opened at its last 16 improvements. The cheapest of
 * these sets and the p-median's is descended by swapping an open site for one of its 12 nearest closed
 * ones (first improvement, priced by the allocation with shifts), then shaken by variable neighbourhood
 * search, each shake descended around the sites it moved, until the deadline or `patience` shakes
 * without improvement; then the next cheapest, `restarts` at most.
 *
 * At 5,000 × 400 (county shapes, seed 19) the relaxation's sites were the cheaper start on the seat and
 * mountain shapes (mountain: 125.8 M after the descent against 144.5 M from the p-median's). The swap of
 * every open site for every closed one (the generic interchange before) priced 11,000 full allocations
 * per sweep there and had not finished its first sweeps in a 60 s limit.
 */
const capacitatedSearch = (
  inst: Instance,
  problem: Problem & { readonly kind: "capacitated-p-median" },
  ctl: Control,
  medianBy: number
): Searched => {
  const cost = (o: Uint8Array): number => price(inst, problem, o)
  const neighbours = neighbourSites(inst, 12)
  const swappable = (j: number) => inst.status[j] === Status.free
  // the variable neighbourhood search's shakes are descended around the sites they moved (`incumbent`: its solution)
  let incumbent: Uint8Array | undefined
  const descend = (o: Uint8Array) => {
    let look: Array<number> | undefined
    if (incumbent !== undefined && incumbent !== o) {
      look = []
      for (let j = 0; j < o.length; j++) {
        if (o[j] === incumbent[j]) continue
        look.push(j)
        for (const k of neighbours[j]) look.push(k)
      }
    }
    return neighbourDescent(o, cost(o), swappable, neighbours, cost, ctl.deadline, look)
  }
  const median = medianSearch(inst, problem.p, { ...ctl, deadline: Math.min(ctl.deadline, medianBy) })
  const starts: Array<{ readonly open: Uint8Array; readonly value: number; readonly label: string }> = [
    { open: median, value: cost(median), label: "the p-median's sites" }
  ]
  const relaxation = Bound.capacitatedMedianRelaxed(inst, problem.p, problem.kmCost, {
    upper: starts[0].value,
    iterations: 3000,
    deadline: Math.min(ctl.deadline, Date.now() + boundShare * (ctl.deadline - Date.now()))
  })
  const bound = relaxation.bound
  for (const relaxed of relaxation.candidates ?? [relaxation.open]) {
    if (Clock.now() > ctl.deadline) break
    let opened = 0
    for (let j = 0; j < inst.sites; j++) opened += relaxed[j]
    if (opened === problem.p) starts.push({ open: relaxed, value: cost(relaxed), label: "the relaxation's sites" })
  }
  starts.sort((a, b) => a.value - b.value)
  // from the cheapest start; when the shakes run out of patience before the deadline, again from the
  // next (`restarts` at most: at 1,000 × 100 the first start's search ended at 1.07 % above the best
  // known solution in 4 s, the second's reached it)
  let best = starts[0].open
  let value = Infinity
  let swaps = 0
  for (const { open, label } of starts.slice(0, restarts)) {
    incumbent = undefined
    const first = descend(open)
    ctl.onProgress?.(`capacitated: ${objectiveText(problem.kind, first.value)} from ${label}`)
    swaps += first.swaps
    if (first.value < value) (best = open), (value = first.value)
    if (first.stopped) return { open: best, swaps, stopped: true, bound }
    incumbent = open
    const shaken = vns(open, first.value, swappable, descend, ctl, problem.kind, -Infinity, neighbours)
    swaps += shaken.swaps
    if (shaken.value < value) (best = open), (value = shaken.value)
    if (shaken.stopped) return { open: best, swaps, stopped: true, bound }
  }
  return { open: best, swaps, stopped: false, bound }
}

/**
 * Descent over "swap an open site r for a closed neighbour of r" (first improvement) until no open site
 * has an improving swap or the deadline; `open` is changed in place. Only the open sites in `look` are
 * examined at first (all of them when undefined); after a swap r → j, j and the open neighbours of r
 * and j are examined again (don't-look bits: after a shake, the sites it moved and their neighbours).
 */
const neighbourDescent = (
  open: Uint8Array,
  start: number,
  swappable: (j: number) => boolean,
  neighbours: ReadonlyArray<ReadonlyArray<number>>,
  cost: (o: Uint8Array) => number,
  deadline: number,
  look?: ReadonlyArray<number>
): { readonly value: number; readonly swaps: number; readonly stopped: boolean } => {
  let value = start
  let swaps = 0
  const queued = new Uint8Array(open.length)
  const queue: Array<number> = []
  const push = (r: number) => {
    if (open[r] === 1 && swappable(r) && queued[r] === 0) (queued[r] = 1), queue.push(r)
  }
  if (look === undefined) for (let r = 0; r < open.length; r++) push(r)
  else for (const r of look) push(r)
  for (let q = 0; q < queue.length; q++) {
    const r = queue[q]
    queued[r] = 0
    if (open[r] !== 1) continue
    for (const j of neighbours[r]) {
      if (Clock.now() > deadline) return { value, swaps, stopped: true }
      if (open[j] === 1 || !swappable(j)) continue
      open[r] = 0
      open[j] = 1
      const v = cost(open)
      if (v < value - 1e-9 * Math.max(1, Math.abs(value))) {
        value = v
        swaps++
        push(j)
        for (const k of neighbours[r]) push(k)
        for (const k of neighbours[j]) push(k)
        break
      }
      open[r] = 1
      open[j] = 0
    }
  }
  return { value, swaps, stopped: false }
}

/** Greedy add then the fast interchange: a local optimum of the p-median. */
const medianLocal = (inst: Instance, p: number, ctl: Control, near: Bound.Near = nearLists(inst, p)): Local => {
  const open = greedyMedian(inst, p, near)
  ctl.onProgress?.(`greedy: ${open.reduce((a, b) => a + b, 0)} sites`)
  const descend = (o: Uint8Array) => fastInterchange(inst, o, ctl.deadline, near)
  const first = descend(open)
  ctl.onProgress?.(`interchange: ${first.swaps} swaps, ${objectiveText("p-median", first.value)}`)
  return { open, value: first.value, swaps: first.swaps, stopped: first.stopped, descend }
}

/** The p-median's local optimum, improved by variable neighbourhood search (no bound): the open sites. */
export const medianSearch = (inst: Instance, p: number, ctl: Control): Uint8Array => {
  const local = medianLocal(inst, p, ctl)
  if (!local.stopped) vns(local.open, local.value, (j) => inst.status[j] === Status.free, local.descend, ctl, "p-median")
  return local.open
}

/**
 * Each site's `k` nearest other sites, by the distance from the demand point nearest the site (the
 * instance has no site × site distances): the perturbations move a site to a neighbour, not across the county.
 */
export const neighbourSites = (inst: Instance, k: number): ReadonlyArray<ReadonlyArray<number>> => {
  const n = inst.points
  const m = inst.sites
  const out: Array<Array<number>> = []
  for (let j = 0; j < m; j++) {
    let at = 0
    for (let i = 1; i < n; i++) if (inst.km[i * m + j] < inst.km[at * m + j]) at = i
    const row = at * m
    const others: Array<number> = []
    for (let q = 0; q < m; q++) if (q !== j && inst.status[q] === Status.free) others.push(q)
    others.sort((a, b) => inst.km[row + a] - inst.km[row + b])
    out.push(others.slice(0, k))
  }
  return out
}

/** Each point's nearest sites for the p-median's searches (`Bound.nearestSites`, `Bound.medianWidth` of them). */
export const nearLists = (inst: Instance, p: number): Bound.Near => Bound.nearestSites(inst, Bound.medianWidth(inst, p))

/**
 * Greedy add from the fixed sites to p: each round opens the site that lowers Σ wᵢ × distance most. A
 * point already served looks only at the sites cheaper than its present one, in its list (`near`) when
 * they are all there, else along its row; a point not yet served (before any site is open) prices
 * every site.
 */
const greedyMedian = (inst: Instance, p: number, near: Bound.Near): Uint8Array => {
  const n = inst.points
  const m = inst.sites
  const K = near.width
  const { site, cost, cap } = near
  const w = inst.weight
  const km = inst.km
  const open = new Uint8Array(m)
  const cur = new Float64Array(n).fill(Infinity)
  /** Σ of the costs of the points not yet served; the savings of the others. */
  const add = new Float64Array(m)
  const save = new Float64Array(m)
  let count = 0
  const take = (j: number) => {
    open[j] = 1
    count++
    for (let i = 0; i < n; i++) {
      const c = w[i] * km[i * m + j]
      if (c < cur[i]) cur[i] = c
    }
  }
  for (let j = 0; j < m; j++) if (inst.status[j] === Status.fixed) take(j)
  while (count < p) {
    add.fill(0)
    save.fill(0)
    for (let i = 0; i < n; i++) {
      const cu = cur[i]
      const row = i * m
      if (cu === Infinity) {
        const wi = w[i]
        for (let j = 0; j < m; j++) add[j] += wi * km[row + j]
      } else if (cu <= cap[i]) {
        for (let k = i * K, end = k + K; k < end && cost[k] < cu; k++) save[site[k]] += cu - cost[k]
      } else {
        const wi = w[i]
        for (let j = 0; j < m; j++) {
          const c = wi * km[row + j]
          if (c < cu) save[j] += cu - c
        }
      }
    }
    let best = -1
    let bc = Infinity
    for (let j = 0; j < m; j++) {
      if (open[j] === 1 || inst.status[j] !== Status.free) continue
      const c = add[j] - save[j]
      if (c < bc) (bc = c), (best = j)
    }
    if (best < 0) break
    take(best)
  }
  return open
}

/**
 * The fast interchange (Whitaker's, with the gain / loss / extra bookkeeping of Resende and Werneck)
 * from `open` (changed in place) to a local optimum, or to the deadline. With each point's nearest and
 * second-nearest open sites (costs d₁ ≤ d₂), the move "open j, close r" saves
 *   gain(j) − loss(r) + extra(r, j),
 * gain(j) = Σᵢ (d₁ᵢ − cᵢⱼ)⁺ over every point, loss(r) = Σ (d₂ᵢ − d₁ᵢ) over the points r serves, and
 * extra(r, j) = Σ (d₂ᵢ − max(cᵢⱼ, d₁ᵢ)) over the points r serves with cᵢⱼ < d₂ᵢ. Only the sites cheaper
 * than a point's d₂ contribute, and they are all in its list of nearest sites (`near`) when d₂ ≤ its cap
 * (else its row is read). The best move is made, repeated while one saves anything; after a move only
 * the points it concerns (those the closed site served first or second, and those the opened one is
 * nearer than their second) have their nearest sites and their terms taken out and put back, so a
 * move costs O(points) for finding them, a few sites per point concerned and O(open × sites) for
 * choosing the next.
 */
export const fastInterchange = (
  inst: Instance,
  open: Uint8Array,
  deadline: number,
  near: Bound.Near = nearLists(
    inst,
    open.reduce((a, b) => a + b, 0)
  )
): Searched & { readonly value: number } => {
  const n = inst.points
  const m = inst.sites
  const K = near.width
  const { site, cost, cap } = near
  const w = inst.weight
  const km = inst.km
  const c1 = new Int32Array(n)
  const c2 = new Int32Array(n)
  const d1 = new Float64Array(n)
  const d2 = new Float64Array(n)
  const openList: Array<number> = []
  for (let j = 0; j < m; j++) if (open[j] === 1) openList.push(j)
  const q = openList.length
  /** Each open site's place in `openList` (−1: closed). */
  const slot = new Int32Array(m).fill(-1)
  for (let s = 0; s < q; s++) slot[openList[s]] = s
  /** Point i's nearest and second-nearest open sites, from its list (from the open sites when fewer than two are listed). */
  const nearestOf = (i: number) => {
    let a = -1
    let b = -1
    let da = Infinity
    let db = Infinity
    for (let k = i * K, end = k + K; k < end; k++) {
      if (open[site[k]] !== 1) continue
      if (a < 0) (a = site[k]), (da = cost[k])
      else {
        ;(b = site[k]), (db = cost[k])
        break
      }
    }
    if (b < 0 && K < m) {
      a = -1
      da = Infinity
      const row = i * m
      const wi = w[i]
      for (const j of openList) {
        const d = wi * km[row + j]
        if (d < da) (b = a), (db = da), (a = j), (da = d)
        else if (d < db) (b = j), (db = d)
      }
    }
    c1[i] = a
    c2[i] = b
    d1[i] = da
    d2[i] = db
  }
  const total = (): number => {
    let v = 0
    for (let i = 0; i < n; i++) if (c1[i] >= 0) v += d1[i]
    return v
  }
  for (let i = 0; i < n; i++) nearestOf(i)
  let value = total()
  let swaps = 0
  let stopped = false
  if (q === 0) return { open, swaps, stopped, value }
  const closable = (s: number) => inst.status[openList[s]] !== Status.fixed
  const swap = (s: number, j: number) => {
    const r = openList[s]
    open[r] = 0
    open[j] = 1
    slot[r] = -1
    slot[j] = s
    openList[s] = j
  }
  if (q === 1) {
    // one open site: each candidate priced whole (a point has no second site); the best is the optimum
    if (!closable(0)) return { open, swaps, stopped, value }
    const whole = new Float64Array(m)
    for (let i = 0; i < n; i++) {
      const row = i * m
      const wi = w[i]
      for (let j = 0; j < m; j++) whole[j] += wi * km[row + j]
    }
    let bestJ = -1
    let bv = value - 1e-9 * Math.max(1, Math.abs(value))
    for (let j = 0; j < m; j++) if (open[j] === 0 && inst.status[j] === Status.free && whole[j] < bv) (bv = whole[j]), (bestJ = j)
    if (bestJ >= 0) {
      swap(0, bestJ)
      for (let i = 0; i < n; i++) nearestOf(i)
      value = total()
      swaps++
    }
    return { open, swaps, stopped, value }
  }
  const gain = new Float64Array(m)
  const loss = new Float64Array(q)
  const extra = new Float64Array(q * m)
  /** Adds (sign 1) or takes out (−1) point i's terms of gain, loss and extra. */
  const terms = (i: number, sign: number) => {
    const da = d1[i]
    const db = d2[i]
    const s = slot[c1[i]]
    loss[s] += sign * (db - da)
    const e = s * m
    if (db <= cap[i]) {
      for (let k = i * K, end = k + K; k < end && cost[k] < db; k++) {
        const j = site[k]
        if (open[j] === 1) continue
        const c = cost[k]
        if (c < da) {
          gain[j] += sign * (da - c)
          extra[e + j] += sign * (db - da)
        } else extra[e + j] += sign * (db - c)
      }
    } else {
      const row = i * m
      const wi = w[i]
      for (let j = 0; j < m; j++) {
        if (open[j] === 1) continue
        const c = wi * km[row + j]
        if (c >= db) continue
        if (c < da) {
          gain[j] += sign * (da - c)
          extra[e + j] += sign * (db - da)
        } else extra[e + j] += sign * (db - c)
      }
    }
  }
  for (let i = 0; i < n; i++) terms(i, 1)
  const concerned = new Int32Array(n)
  /** Opens j in place of the site at `s`, the terms of the points concerned renewed; the change of the objective. */
  const move = (s: number, j: number): number => {
    const r = openList[s]
    let count = 0
    for (let i = 0; i < n; i++) {
      if (c1[i] === r || c2[i] === r || w[i] * km[i * m + j] < d2[i]) {
        concerned[count++] = i
        terms(i, -1)
      }
    }
    swap(s, j)
    let delta = 0
    for (let t = 0; t < count; t++) {
      const i = concerned[t]
      const before = d1[i]
      nearestOf(i)
      delta += d1[i] - before
      terms(i, 1)
    }
    return delta
  }
  for (;;) {
    if (Clock.now() > deadline) {
      stopped = true
      break
    }
    let bestS = -1
    let bestJ = -1
    let saved = 1e-9 * Math.max(1, Math.abs(value))
    for (let j = 0; j < m; j++) {
      if (open[j] === 1 || inst.status[j] !== Status.free) continue
      const g = gain[j]
      for (let s = 0; s < q; s++) {
        const v = g - loss[s] + extra[s * m + j]
        if (v > saved && closable(s)) (saved = v), (bestS = s), (bestJ = j)
      }
    }
    if (bestS < 0) break
    const r = openList[bestS]
    const delta = move(bestS, bestJ)
    if (!(delta < -1e-9 * Math.max(1, Math.abs(value)))) {
      // the running sums chose a move that saves nothing (rounding): undo it and stop
      move(bestS, r)
      break
    }
    value = total()
    swaps++
  }
  return { open, swaps, stopped, value }
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
      // past the deadline, each remaining round takes the best site priced so far
      if (best >= 0 && Clock.now() > deadline) break
      open[j] = 1
      const c = cost(open)
      open[j] = 0
      if (c < bc) (bc = c), (best = j)
    }
    if (best < 0) break
    if (p === undefined && bc >= current && Number.isFinite(current)) break
    // past the deadline without p: stop adding once the choice is feasible (penalties are ≥ 10⁹)
    if (p === undefined && Clock.now() > deadline && current < 1e9) break
    open[best] = 1
    opened++
    current = bc
    if (problem.kind === "set-cover" && current < Infinity && current < 1e9) break
  }
  onProgress?.(`greedy add: ${opened} sites`)
  const added = interchange(open, current, free, p, cost, deadline, onProgress)
  if (p !== undefined || Clock.now() > deadline) return added
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
        if (Clock.now() > deadline) return ((stopped = true), false)
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
      open[r] = 0
      for (const j of free) {
        if (open[j] === 1 || j === r) continue
        if (Clock.now() > deadline) {
          open[r] = 1
          stopped = true
          // the best swap priced so far is still an improvement
          break
        }
        open[j] = 1
        const c = cost(open)
        open[j] = 0
        if (c < bc) (bc = c), (bestR = r), (bestJ = j)
      }
      open[r] = 1
      if (stopped) break
    }
    if (bestR < 0) return false
    open[bestR] = 0
    open[bestJ] = 1
    current = bc
    swaps++
    return true
  }
  while (!stopped && improve()) onProgress?.(`interchange: ${swaps} moves`)
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

/** A small seeded generator of uniform draws (mulberry32). */
const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
