/**
 * The solvers against brute-force enumeration (an independent method: every choice of p sites, and for
 * the capacitated p-median every single-sourcing assignment within the seats) on tiny random
 * instances: the exact solver finds the enumerated optimum; the heuristic is never below it; every
 * bound reported (heuristic, exact, `Bound`) is never above it; every point is assigned once, to an open
 * site, and loads stay within the seats.
 */
import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import { Rng } from "@seatplan/sim"
import { Bound, Branch, Exact, Heuristic, Problem, Synthetic } from "../src/index.js"
import * as Cover from "../src/Cover.js"
import * as CoverBranch from "../src/CoverBranch.js"

type Highs = Awaited<ReturnType<typeof Exact.load>>
let highs: Highs
beforeAll(async () => {
  highs = await Exact.load()
})

const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) assert.fail(`expected a result, got ${String(e.left)}`)
  return (e as Either.Right<E, A>).right
}

const tiny = fc
  .record({
    n: fc.integer({ min: 2, max: 7 }),
    m: fc.integer({ min: 2, max: 5 }),
    p: fc.integer({ min: 1, max: 3 }),
    slack: fc.double({ min: 1.15, max: 1.6, noNaN: true }),
    xs: fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 30 })), { minLength: 12, maxLength: 12 }),
    ws: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 7, maxLength: 7 })
  })
  .map(({ m, n, p, slack, ws, xs }) => {
    const pts = xs.slice(0, n)
    const sites = xs.slice(7, 7 + m)
    const weight = ws.slice(0, n)
    const q = Math.min(p, m)
    const total = weight.reduce((a, b) => a + b, 0)
    const seats = Math.max(Math.max(...weight), Math.ceil((slack * total) / q))
    const inst = right(
      Problem.make({
        weight,
        km: pts.flatMap(([a, b]) => sites.map(([c, d]) => Math.hypot(a - c, b - d))),
        sites: m,
        capacity: sites.map(() => seats)
      })
    )
    return { inst, p: q }
  })

/** Every subset of {0 … m − 1} of size p. */
const subsets = (m: number, p: number): Array<Array<number>> => {
  const out: Array<Array<number>> = []
  const walk = (from: number, chosen: Array<number>) => {
    if (chosen.length === p) return void out.push(chosen.slice())
    for (let j = from; j < m; j++) walk(j + 1, [...chosen, j])
  }
  walk(0, [])
  return out
}

const km = (inst: Problem.Instance, i: number, j: number) => inst.km[i * inst.sites + j]

/** p-median and MCLP optima by enumeration (each point to its nearest chosen site). */
const enumerate = (inst: Problem.Instance, p: number, radius: number) => {
  let median = Infinity
  let uncovered = Infinity
  for (const s of subsets(inst.sites, p)) {
    let pk = 0
    let out = 0
    for (let i = 0; i < inst.points; i++) {
      const d = Math.min(...s.map((j) => km(inst, i, j)))
      pk += inst.weight[i] * d
      if (d > radius) out += inst.weight[i]
    }
    median = Math.min(median, pk)
    uncovered = Math.min(uncovered, out)
  }
  return { median, uncovered }
}

/** The capacitated p-median optimum (single sourcing, no expansions) by enumerating every assignment. */
const enumerateCapacitated = (inst: Problem.Instance, p: number): number => {
  let best = Infinity
  for (const s of subsets(inst.sites, p)) {
    const load = new Float64Array(inst.sites)
    const go = (i: number, cost: number) => {
      if (cost >= best) return
      if (i === inst.points) return void (best = cost)
      for (const j of s) {
        if (load[j] + inst.weight[i] > inst.capacity[j] + 1e-9) continue
        load[j] += inst.weight[i]
        go(i + 1, cost + inst.weight[i] * km(inst, i, j))
        load[j] -= inst.weight[i]
      }
    }
    go(0, 0)
  }
  return best
}

const valid = (inst: Problem.Instance, s: Problem.Solution, p: number, capacitated: boolean) => {
  const load = new Float64Array(inst.sites)
  for (let i = 0; i < inst.points; i++) {
    const j = s.assign[i]
    assert.isAtLeast(j, 0, "every point is assigned")
    assert.strictEqual(s.open[j], 1, "to an open site")
    load[j] += inst.weight[i]
  }
  assert.strictEqual(s.breakdown.openSites, p, "p sites open")
  if (capacitated) for (let j = 0; j < inst.sites; j++) assert.isAtMost(load[j], inst.capacity[j] + 1e-9, "within the seats")
}

/** A poor first MCLP choice: the fixed sites and the first free ones the reduction kept, with its uncovered pupils. */
const poorStart = (c: Cover.Cover, p: number): { readonly open: Uint8Array; readonly value: number } => {
  const s = Cover.state(c)
  const open = new Uint8Array(c.sites)
  for (const j of c.fixed) open[j] = 1
  for (let f = 0; f < Math.min(p - c.fixed.length, c.free.length); f++) open[c.free[f]] = 1
  Cover.load(c, s, open)
  return { open, value: c.total - s.covered }
}

/** The greedy's MCLP choice (`Cover.greedy`): p sites, the fixed ones among them. */
const greedyOpen = (c: Cover.Cover, p: number): Uint8Array => {
  const s = Cover.state(c)
  Cover.greedy(c, s, p)
  return s.open.slice()
}

describe("against brute-force enumeration", () => {
  it("p-median and MCLP: exact = enumerated optimum ≤ heuristic; bounds ≤ optimum; assignments valid", () => {
    fc.assert(
      fc.property(tiny, ({ inst, p }) => {
        const radius = 12
        const opt = enumerate(inst, p, radius)
        for (const [problem, optimum] of [
          [{ kind: "p-median", p } as const, opt.median],
          [{ kind: "mclp", p, radius } as const, opt.uncovered]
        ] as const) {
          const tol = 1e-6 * Math.max(1, optimum)
          const exact = right(Exact.solve(highs, inst, problem, { timeLimit: 20 }))
          assert.strictEqual(exact.status, "optimal")
          assert.approximately(exact.solution!.objective, optimum, tol, `${problem.kind}: exact`)
          assert.isAtMost(exact.bound!, optimum + tol)
          const h = right(Heuristic.solve(inst, problem, { timeLimit: 5 }))
          assert.isAtLeast(h.solution.objective, optimum - tol, `${problem.kind}: heuristic below the optimum`)
          // the MCLP heuristic stops at a proven 0.5 % of the optimum's covered pupils (its default
          // tolerance, the siting goal), or searches on: never more than that short of the optimum
          if (problem.kind === "mclp") {
            const total = inst.weight.reduce((a, b) => a + b, 0)
            assert.isAtLeast(total - h.solution.objective, 0.995 * (total - optimum) - tol, "mclp: within 0.5 % of the optimum's coverage")
          }
          assert.isAtMost(h.bound!, optimum + tol, `${problem.kind}: heuristic's bound above the optimum`)
          assert.isAtMost(h.bound!, h.solution.objective + tol)
          // the reported gap is its formula (`Problem.gap`: for the MCLP, on the pupils coverable) and never
          // less than the answer's true gap to the optimum, measured the same way
          const v = h.solution.objective
          const total = Problem.totalWeight(inst)
          const [formula, truth] =
            problem.kind === "mclp"
              ? [
                  total - h.bound! <= 0 ? 0 : (v - h.bound!) / (total - h.bound!),
                  total - optimum <= 0 ? 0 : (v - optimum) / (total - optimum)
                ]
              : [v <= 0 ? 0 : (v - h.bound!) / v, v <= 0 ? 0 : (v - optimum) / v]
          assert.approximately(h.gap!, Math.max(0, formula), 1e-12, `${problem.kind}: the gap's formula`)
          assert.isAtLeast(h.gap! + 1e-9, truth, `${problem.kind}: gap below the true gap`)
          assert.isAtMost(h.gap!, 1)
          valid(inst, exact.solution!, p, false)
          valid(inst, h.solution, p, false)
        }
        // whole pupils: the coverage bound is a whole number of uncovered pupils, still at most the optimum
        const lifted = Bound.coverage(inst, p, radius, { upper: opt.uncovered })
        assert.isTrue(Number.isInteger(lifted), String(lifted))
        assert.isAtMost(lifted, opt.uncovered)
        // the Lagrangian heuristic's start: the relaxation's sites, p of them, the fixed ones among them,
        // no forbidden one; its bound after a few iterations still ≤ the optimum
        const relaxed = Bound.coverageRelaxed(inst, p, radius, { upper: opt.uncovered, iterations: 5 })
        assert.isAtMost(relaxed.bound, opt.uncovered)
        assert.strictEqual(
          relaxed.open.reduce((a, b) => a + b, 0),
          p
        )
        // on grouped demand with the Lagrangian heuristic's repairs lowering its target (the heuristic's
        // bound), stopped early or not, plain or deflected steps: still ≤ the optimum, and a repair's value is never below it
        const cover = Cover.group(inst, radius)
        for (const [iterations, deflection] of [
          [3, 0],
          [40, 0],
          [1000, 0],
          [40, 0.3],
          [1000, 0.3]
        ] as const) {
          const repaired = Bound.coverRelaxed(cover, p, { upper: opt.uncovered + 5, iterations, stall: 30, deflection }, (o) => {
            const s = Cover.state(cover)
            Cover.load(cover, s, o)
            Cover.interchange(cover, s, Infinity)
            assert.isAtLeast(cover.total - s.covered, opt.uncovered - 1e-6, "a repaired solution below the optimum")
            return cover.total - s.covered
          })
          assert.isAtMost(repaired.bound, opt.uncovered, `grouped bound after ${iterations} steps, deflection ${deflection}`)
          // started from a solution's multipliers too (complementary slackness, when the first ones give no
          // bound): any p sites, the greedy's or the relaxation's, still a bound
          for (const start of [relaxed.open, greedyOpen(cover, p)]) {
            const fromStart = Bound.coverRelaxed(cover, p, { upper: opt.uncovered + 5, iterations, stall: 30, deflection, start })
            assert.isAtMost(fromStart.bound, opt.uncovered, `grouped bound from a solution after ${iterations} steps`)
          }
        }
        for (let j = 0; j < inst.sites; j++) {
          if (inst.status[j] === Problem.Status.fixed) assert.strictEqual(relaxed.open[j], 1, "fixed site open")
          if (inst.status[j] === Problem.Status.forbidden) assert.strictEqual(relaxed.open[j], 0, "forbidden site closed")
        }
      }),
      { numRuns: 60 }
    )
  })

  it("covering LP branch and bound (MCLP): from a poor start and no bound it proves the enumerated optimum; stopped at once, its bound is still ≤ the optimum and its solution never below it", () => {
    fc.assert(
      fc.property(tiny, fc.integer({ min: 6, max: 20 }), ({ inst, p }, radius) => {
        const optimum = enumerate(inst, p, radius).uncovered
        const c = Cover.dominance(Cover.group(inst, radius), p)
        const { open, value } = poorStart(c, p)
        const tolerance = 1e-6 * Math.max(1, optimum)
        const proven = CoverBranch.search(highs, c, p, { open, upper: value, floor: 0, tolerance, deadline: Infinity })
        assert.isUndefined(proven.failure)
        assert.isTrue(proven.proven)
        assert.approximately(proven.value, optimum, tolerance)
        assert.approximately(proven.bound, optimum, tolerance)
        assert.strictEqual(
          proven.open.reduce((a, b) => a + b, 0),
          p
        )
        const stopped = CoverBranch.search(highs, c, p, { open, upper: value, floor: 0, tolerance, deadline: 0 })
        assert.isAtMost(stopped.bound, optimum + tolerance)
        assert.isAtLeast(stopped.value, optimum - tolerance)
      }),
      { numRuns: 60 }
    )
  })

  it("covering LP branch and bound (MCLP) = the plain covering MILP on random instances with fixed and forbidden sites, whole or fractional pupils", () => {
    const instance = fc
      .record({
        n: fc.integer({ min: 10, max: 40 }),
        m: fc.integer({ min: 4, max: 12 }),
        p: fc.integer({ min: 1, max: 5 }),
        radius: fc.integer({ min: 5, max: 25 }),
        whole: fc.boolean(),
        xs: fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })), { minLength: 52, maxLength: 52 }),
        ws: fc.array(fc.double({ min: 1, max: 90, noNaN: true }), { minLength: 40, maxLength: 40 }),
        statuses: fc.array(fc.constantFrom(0, 0, 0, 0, 1, 2), { minLength: 12, maxLength: 12 })
      })
      .map(({ m, n, p, radius, whole, xs, ws, statuses }) => {
        const pts = xs.slice(0, n)
        const sites = xs.slice(40, 40 + m)
        // at most p − 1 fixed and at least p allowed sites: every such instance has a choice of p
        const status = statuses.slice(0, m)
        let fixed = 0
        for (let j = 0; j < m; j++) if (status[j] === 1 && ++fixed >= p) status[j] = 0
        for (let j = 0, allowed = status.filter((v) => v !== 2).length; j < m && allowed < p; j++)
          if (status[j] === 2) (status[j] = 0), allowed++
        const inst = right(
          Problem.make({
            weight: ws.slice(0, n).map((w) => (whole ? Math.round(w) : w)),
            km: pts.flatMap(([a, b]) => sites.map(([c, d]) => Math.hypot(a - c, b - d))),
            sites: m,
            status
          })
        )
        return { inst, p: Math.min(p, m), radius }
      })
    fc.assert(
      fc.property(instance, ({ inst, p, radius }) => {
        const problem = { kind: "mclp", p, radius } as const
        const plain = right(Exact.solve(highs, inst, problem, { timeLimit: 20, reduce: false, warmStart: false }))
        assert.strictEqual(plain.status, "optimal")
        const optimum = plain.solution!.objective
        const c = Cover.dominance(Cover.group(inst, radius), p)
        const { open, value } = poorStart(c, p)
        const tolerance = 1e-6 * Math.max(1, optimum)
        const r = CoverBranch.search(highs, c, p, { open, upper: value, floor: 0, tolerance, deadline: Infinity })
        assert.isUndefined(r.failure)
        assert.isTrue(r.proven)
        assert.approximately(r.value, optimum, 1e-6 * Math.max(1, optimum) + 1e-9)
        for (let j = 0; j < inst.sites; j++) {
          if (inst.status[j] === Problem.Status.fixed) assert.strictEqual(r.open[j], 1, "fixed site open")
          if (inst.status[j] === Problem.Status.forbidden) assert.strictEqual(r.open[j], 0, "forbidden site closed")
        }
        // and seatplan's exact path (the heuristic, then this search unless its bound meets it) agrees
        const exact = right(Exact.solve(highs, inst, problem, { timeLimit: 20 }))
        assert.strictEqual(exact.status, "optimal")
        assert.approximately(exact.solution!.objective, optimum, tolerance + 1e-9)
      }),
      { numRuns: 80 }
    )
  })

  it("covering LP branch and bound (MCLP) = the plain covering MILP on seeded synthetic counties, where its root LP leaves a gap", () => {
    let branched = 0
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const rng = Rng.make(seed)
        const u = () => Rng.nextFloat(rng)
        const points = 150 + Math.floor(u() * 150)
        const sites = 30 + Math.floor(u() * 20)
        const p = 4 + Math.floor(u() * 6)
        const radius = 2 + 2 * u()
        const inst = Synthetic.county({ points, sites, uniform: u })
        const problem = { kind: "mclp", p, radius } as const
        const plain = right(Exact.solve(highs, inst, problem, { timeLimit: 30, reduce: false, warmStart: false }))
        assert.strictEqual(plain.status, "optimal")
        const optimum = plain.solution!.objective
        const c = Cover.dominance(Cover.group(inst, radius), p)
        const { open, value } = poorStart(c, p)
        const r = CoverBranch.search(highs, c, p, { open, upper: value, floor: 0, tolerance: 1e-6 * optimum, deadline: Infinity })
        assert.isUndefined(r.failure)
        assert.isTrue(r.proven)
        assert.approximately(r.value, optimum, 1e-6 * optimum)
        if (r.nodes > 1) branched++
      }),
      { numRuns: 40 }
    )
    // the property is not vacuous: the search branches on some of these (about one in five)
    assert.isAbove(branched, 0)
  })

  it("capacitated p-median: exact = enumerated optimum ≤ heuristic; the capacity-aware bound ≤ optimum; loads within seats", () => {
    fc.assert(
      fc.property(tiny, ({ inst, p }) => {
        const problem = { kind: "capacitated-p-median", p, kmCost: 1 } as const
        const optimum = enumerateCapacitated(inst, p)
        const tol = 1e-6 * Math.max(1, optimum)
        const bound = Bound.capacitatedMedian(inst, p, 1, { upper: optimum })
        assert.isAtMost(bound, optimum + tol, "capacity-aware bound above the optimum")
        assert.isAtLeast(bound, Bound.nearestBound(inst, 1) - tol, "not below the nearest-site bound")
        // stopped after a few knapsack iterations: still ≤ the optimum, with p sites in its relaxation
        const early = Bound.capacitatedMedianRelaxed(inst, p, 1, { upper: optimum, iterations: 3 })
        assert.isAtMost(early.bound, optimum + tol, "early capacity-aware bound above the optimum")
        if (early.open.some((v) => v === 1))
          assert.strictEqual(
            early.open.reduce((a, b) => a + b, 0),
            p
          )
        const solved = Exact.solve(highs, inst, problem, { timeLimit: 20 })
        if (optimum === Infinity) {
          // no single-sourcing assignment fits: the exact solver says infeasible
          assert.isTrue(Either.isLeft(solved) && solved.left._tag === "Infeasible")
          return
        }
        const exact = right(solved)
        assert.strictEqual(exact.status, "optimal")
        assert.approximately(exact.solution!.objective, optimum, tol)
        assert.isAtMost(exact.bound!, optimum + tol)
        valid(inst, exact.solution!, p, true)
        const h = Heuristic.solve(inst, problem, { timeLimit: 5 })
        if (Either.isRight(h)) {
          assert.isAtLeast(h.right.solution.objective, optimum - tol)
          assert.isAtMost(h.right.bound!, optimum + tol)
          valid(inst, h.right.solution, p, true)
        } else assert.match(h.left.message, /no feasible solution/)
        // stopped at once (the search computes the bound on the way, with what time is left): still a true gap
        const hurried = Heuristic.solve(inst, problem, { timeLimit: 0.001 })
        if (Either.isRight(hurried)) {
          assert.isAtLeast(hurried.right.solution.objective, optimum - tol)
          assert.isAtMost(hurried.right.bound!, optimum + tol)
          valid(inst, hurried.right.solution, p, true)
        } else assert.match(hurried.left.message, /no feasible solution/)
      }),
      { numRuns: 60 }
    )
  })

  it("Lagrangian branch and bound (p-median): from a poor start and a weak bound it proves the enumerated optimum; stopped at once, its bound is still ≤ the optimum", () => {
    const small = fc.record({
      n: fc.integer({ min: 6, max: 14 }),
      m: fc.integer({ min: 4, max: 9 }),
      p: fc.integer({ min: 2, max: 4 }),
      xs: fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 45 })), { minLength: 23, maxLength: 23 }),
      ws: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 14, maxLength: 14 }),
      steps: fc.integer({ min: 1, max: 30 })
    })
    fc.assert(
      fc.property(small, ({ m, n, p, steps, ws, xs }) => {
        const pts = xs.slice(0, n)
        const sites = xs.slice(14, 14 + m)
        const inst = right(
          Problem.make({ weight: ws.slice(0, n), km: pts.flatMap(([a, b]) => sites.map(([c, d]) => Math.hypot(a - c, b - d))), sites: m })
        )
        const q = Math.min(p, m - 1)
        const optimum = enumerate(inst, q, 0).median
        const tol = 1e-6 * Math.max(1, optimum)
        // the start: the first q sites, priced as Branch prices (each point to its nearest open site)
        const open = new Uint8Array(m)
        for (let j = 0; j < q; j++) open[j] = 1
        let upper = 0
        for (let i = 0; i < n; i++) upper += inst.weight[i] * Math.min(...Array.from({ length: q }, (_, j) => km(inst, i, j)))
        const root = Bound.medianMultipliers(inst, q, 1, { upper, iterations: steps })
        assert.isAtMost(root.bound, optimum + tol)
        const options = { open, upper, lambda: root.lambda, bound: root.bound, tolerance: tol }
        const done = Branch.medianSearch(inst, q, { ...options, deadline: Date.now() + 20_000 })
        assert.isTrue(done.proven)
        assert.approximately(done.value, optimum, tol)
        assert.approximately(done.bound, optimum, tol)
        assert.strictEqual(
          done.open.reduce((a, b) => a + b, 0),
          q,
          "p sites open"
        )
        const stopped = Branch.medianSearch(inst, q, { ...options, deadline: Date.now() - 1 })
        assert.isAtMost(stopped.bound, optimum + tol)
        assert.isAtLeast(stopped.value, optimum - tol)
      }),
      { numRuns: 100 }
    )
  })

  it("volume algorithm (p-median): from any multipliers and any target its bound is the Lagrangian value of the multipliers it returns, never above the enumerated optimum, and ȳ sums to p", () => {
    const small = fc.record({
      n: fc.integer({ min: 3, max: 12 }),
      m: fc.integer({ min: 3, max: 8 }),
      p: fc.integer({ min: 1, max: 4 }),
      xs: fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 45 })), { minLength: 20, maxLength: 20 }),
      ws: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 12, maxLength: 12 }),
      start: fc.array(fc.double({ min: 0, max: 3000, noNaN: true }), { minLength: 12, maxLength: 12 }),
      // the Polyak target: below, at or far above the optimum (the bound must stay valid whatever it is)
      aim: fc.double({ min: 0.5, max: 3, noNaN: true }),
      steps: fc.integer({ min: 0, max: 200 })
    })
    fc.assert(
      fc.property(small, ({ aim, m, n, p, start, steps, ws, xs }) => {
        const pts = xs.slice(0, n)
        const sites = xs.slice(12, 12 + m)
        const inst = right(
          Problem.make({ weight: ws.slice(0, n), km: pts.flatMap(([a, b]) => sites.map(([c, d]) => Math.hypot(a - c, b - d))), sites: m })
        )
        const q = Math.min(p, m)
        const optimum = enumerate(inst, q, 0).median
        const tol = 1e-6 * Math.max(1, optimum)
        const sorted = Bound.sortSites(inst, 1)!
        const usage = new Float64Array(m)
        const choose = (rho: Float64Array, o: Uint8Array) => Bound.chooseMedian(inst, q, rho, o)
        const a = Bound.volume(
          n,
          m,
          sorted,
          Float64Array.from(start.slice(0, n)),
          { upper: aim * optimum, iterations: steps, usage },
          choose
        )
        assert.isAtMost(a.bound, optimum + tol)
        // L at the returned multipliers, from the distances themselves
        const rho = new Float64Array(m)
        let base = 0
        for (let i = 0; i < n; i++) {
          base += a.lambda[i]
          for (let j = 0; j < m; j++) rho[j] += Math.min(0, inst.weight[i] * km(inst, i, j) - a.lambda[i])
        }
        assert.approximately(base + choose(rho, new Uint8Array(m)), a.bound, tol)
        assert.approximately(
          usage.reduce((x, y) => x + y, 0),
          q,
          1e-9
        )
      }),
      { numRuns: 200 }
    )
  })

  it("p-median over each point's nearest sites only (lists of any width): the fast interchange ends at a swap-local optimum priced right, never above its start, fixed sites open; the volume bound with multipliers capped by the lists is the Lagrangian value of its multipliers from every distance, never above the enumerated optimum", () => {
    const small = fc.record({
      n: fc.integer({ min: 2, max: 14 }),
      m: fc.integer({ min: 2, max: 9 }),
      p: fc.integer({ min: 1, max: 4 }),
      width: fc.integer({ min: 1, max: 9 }),
      xs: fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 45 })), { minLength: 23, maxLength: 23 }),
      ws: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 14, maxLength: 14 }),
      // each site: 0 free, 1 fixed open, 2 forbidden (mostly free)
      kinds: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
      picks: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 4, maxLength: 4 }),
      aim: fc.double({ min: 0.5, max: 3, noNaN: true }),
      steps: fc.integer({ min: 0, max: 150 })
    })
    fc.assert(
      fc.property(small, ({ aim, kinds, m, n, p, picks, steps, width, ws, xs }) => {
        const pts = xs.slice(0, n)
        const sites = xs.slice(14, 14 + m)
        const status = kinds
          .slice(0, m)
          .map((k) => (k === 1 ? Problem.Status.fixed : k === 2 ? Problem.Status.forbidden : Problem.Status.free))
        const inst = right(
          Problem.make({
            weight: ws.slice(0, n),
            km: pts.flatMap(([a, b]) => sites.map(([c, d]) => Math.hypot(a - c, b - d))),
            sites: m,
            status
          })
        )
        const near = Bound.nearestSites(inst, width)
        const tol = (v: number) => 1e-7 * Math.max(1, Math.abs(v))
        const price = (o: Uint8Array) => Problem.evaluate(inst, { kind: "p-median", p }, o)?.objective ?? Infinity
        // a start: the fixed sites and up to p others that are not forbidden
        const open = new Uint8Array(m)
        for (let j = 0; j < m; j++) if (status[j] === Problem.Status.fixed) open[j] = 1
        for (const j of picks) if (j < m && status[j] !== Problem.Status.forbidden) open[j] = 1
        if (!open.some((v) => v === 1)) return
        const before = price(open)
        const r = Heuristic.fastInterchange(inst, open, Date.now() + 60_000, near)
        assert.isFalse(r.stopped)
        assert.strictEqual(
          open.reduce((a, b) => a + b, 0),
          r.open.reduce((a, b) => a + b, 0)
        )
        for (let j = 0; j < m; j++) if (status[j] === Problem.Status.fixed) assert.strictEqual(r.open[j], 1)
        for (let j = 0; j < m; j++) if (status[j] === Problem.Status.forbidden) assert.strictEqual(r.open[j], open[j])
        const after = price(r.open)
        assert.approximately(r.value, after, tol(after))
        assert.isAtMost(after, before + tol(before))
        // no swap of an open site (not fixed) for a closed free one improves it
        for (let out = 0; out < m; out++) {
          if (r.open[out] !== 1 || status[out] === Problem.Status.fixed) continue
          for (let into = 0; into < m; into++) {
            if (r.open[into] === 1 || status[into] !== Problem.Status.free) continue
            const trial = r.open.slice()
            trial[out] = 0
            trial[into] = 1
            assert.isAtLeast(price(trial), after - 1e-6 * Math.max(1, after))
          }
        }
        // the bound over the same lists, against the enumerated optimum (every site free)
        const free = { ...inst, status: new Uint8Array(m) }
        const q = Math.min(p, m)
        const optimum = enumerate(free, q, 0).median
        const nearFree = Bound.nearestSites(free, width)
        const b = Bound.medianAveraged(free, q, { upper: aim * Math.max(1, optimum), steps, near: nearFree })
        assert.isAtMost(b.bound, optimum + tol(optimum))
        const rho = new Float64Array(m)
        let base = 0
        for (let i = 0; i < n; i++) {
          base += b.lambda[i]
          for (let j = 0; j < m; j++) rho[j] += Math.min(0, free.weight[i] * km(free, i, j) - b.lambda[i])
        }
        const value = base + Bound.chooseMedian(free, q, rho, new Uint8Array(m))
        assert.isAtMost(b.bound, Math.max(value, Bound.nearestBound(free, 1)) + tol(optimum))
      }),
      { numRuns: 300 }
    )
  })

  it("chooseMedian's selection opens the fixed sites and the p − fixed free sites of least ρ (against a sort)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -50, max: 5 }), fc.constantFrom(0, 0, 0, 1, 2)), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 70 }),
        (sites, p) => {
          const m = sites.length
          const status = Uint8Array.from(sites.map(([, s]) => s))
          const rho = Float64Array.from(sites.map(([r]) => r))
          const inst = { sites: m, status } as unknown as Problem.Instance
          const open = new Uint8Array(m)
          const sum = Bound.chooseMedian(inst, p, rho, open)
          const fixed = sites.flatMap(([r, s]) => (s === Problem.Status.fixed ? [r] : []))
          const free = sites.flatMap(([r, s]) => (s === Problem.Status.free ? [r] : [])).sort((a, b) => a - b)
          const k = Math.min(Math.max(0, p - fixed.length), free.length)
          const expected = [...fixed, ...free.slice(0, k)].reduce((a, b) => a + b, 0)
          assert.strictEqual(sum, expected)
          assert.strictEqual(
            open.reduce((a, b) => a + b, 0),
            fixed.length + k
          )
          let chosen = 0
          for (let j = 0; j < m; j++) {
            if (status[j] === Problem.Status.fixed) assert.strictEqual(open[j], 1)
            if (status[j] === Problem.Status.forbidden) assert.strictEqual(open[j], 0)
            if (open[j] === 1) chosen += rho[j]
          }
          assert.strictEqual(chosen, expected)
        }
      ),
      { numRuns: 500 }
    )
  })

  it("Lagrangian site fixing (p-median): with any multipliers and any known solution's value, every optimal solution keeps the sites fixed open and none of those forbidden", () => {
    const small = fc.record({
      n: fc.integer({ min: 5, max: 14 }),
      m: fc.integer({ min: 3, max: 9 }),
      p: fc.integer({ min: 1, max: 4 }),
      xs: fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 45 })), { minLength: 23, maxLength: 23 }),
      ws: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 14, maxLength: 14 }),
      steps: fc.integer({ min: 1, max: 400 }),
      start: fc.integer({ min: 0, max: 8 })
    })
    let fixedSeen = 0
    let forbiddenSeen = 0
    fc.assert(
      fc.property(small, ({ m, n, p, start, steps, ws, xs }) => {
        const pts = xs.slice(0, n)
        const sites = xs.slice(14, 14 + m)
        const inst = right(
          Problem.make({ weight: ws.slice(0, n), km: pts.flatMap(([a, b]) => sites.map(([c, d]) => Math.hypot(a - c, b - d))), sites: m })
        )
        const q = Math.min(p, m - 1)
        // every choice of q sites with its value; the optimal ones
        const priced = subsets(m, q).map((s) => ({
          s,
          value: Array.from({ length: n }, (_, i) => inst.weight[i] * Math.min(...s.map((j) => km(inst, i, j)))).reduce((a, b) => a + b, 0)
        }))
        const optimum = Math.min(...priced.map((x) => x.value))
        const tol = 1e-9 * Math.max(1, optimum)
        const optimal = priced.filter((x) => x.value <= optimum + tol).map((x) => x.s)
        // a known solution: the optimum itself (the tightest test) or another choice
        const upper = priced[start % priced.length].value
        const { lambda } = Bound.medianMultipliers(inst, q, 1, { upper, iterations: steps })
        const status = Bound.reduceMedian(inst, q, lambda, upper)
        for (let j = 0; j < m; j++) {
          if (status[j] === Problem.Status.fixed) {
            fixedSeen++
            for (const s of optimal) assert.include(s, j, `site ${j} fixed open but not in the optimal ${s}`)
          }
          if (status[j] === Problem.Status.forbidden) {
            forbiddenSeen++
            for (const s of optimal) assert.notInclude(s, j, `site ${j} forbidden but in the optimal ${s}`)
          }
        }
      }),
      { numRuns: 200 }
    )
    // the property is not vacuous: the tests fix and forbid sites on these instances
    assert.isAbove(fixedSeen, 0)
    assert.isAbove(forbiddenSeen, 0)
  })

  it("dominated sites (maximal coverage): the reduced problem's optimum is the enumerated optimum of the whole, its groups price every choice as the instance does, its Lagrangian bound bounds the whole, and the incremental greedy opens what a recounting greedy opens", () => {
    const small = fc.record({
      n: fc.integer({ min: 3, max: 12 }),
      m: fc.integer({ min: 2, max: 9 }),
      p: fc.integer({ min: 1, max: 4 }),
      radius: fc.integer({ min: 5, max: 40 }),
      // site statuses: mostly free, some fixed open, some forbidden
      kinds: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
      // sites drawn near a few places, so that some cover the same points or fewer
      xs: fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 45 })), { minLength: 21, maxLength: 21 }),
      ws: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 12, maxLength: 12 })
    })
    let dropped = 0
    fc.assert(
      fc.property(small, ({ kinds, m, n, p, radius, ws, xs }) => {
        const pts = xs.slice(0, n)
        const sites = xs.slice(12, 12 + m)
        const made = right(
          Problem.make({ weight: ws.slice(0, n), km: pts.flatMap(([a, b]) => sites.map(([c, d]) => Math.hypot(a - c, b - d))), sites: m })
        )
        const status = Uint8Array.from({ length: m }, (_, j) =>
          kinds[j] === 9 ? Problem.Status.forbidden : kinds[j] === 8 ? Problem.Status.fixed : Problem.Status.free
        )
        const inst = { ...made, status }
        const fixed = Array.from({ length: m }, (_, j) => j).filter((j) => status[j] === Problem.Status.fixed)
        const whole = Cover.group(inst, radius)
        const q = Math.max(fixed.length, Math.min(p, fixed.length + whole.free.length))
        const reduced = Cover.dominance(whole, q)
        dropped += whole.free.length - reduced.free.length
        // the pupils beyond the radius of every open site, from the instance
        const uncovered = (open: ReadonlyArray<number>) =>
          Array.from({ length: n }, (_, i) => (open.every((j) => km(inst, i, j) > radius) ? inst.weight[i] : 0)).reduce((a, b) => a + b, 0)
        // the same from a cover's groups (pupils no allowed site covers are total − Σ group pupils)
        const fromGroups = (c: Cover.Cover, open: ReadonlyArray<number>) => {
          let covered = 0
          for (let g = 0; g < c.groups; g++) {
            let hit = false
            for (let k = c.at[g]; k < c.at[g + 1]; k++) hit ||= open.includes(c.site[k])
            if (hit) covered += c.weight[g]
          }
          return c.total - covered
        }
        const best = (free: ReadonlyArray<number>) =>
          Math.min(...subsets(free.length, q - fixed.length).map((s) => uncovered([...fixed, ...s.map((k) => free[k])])))
        assert.isAtLeast(reduced.free.length, q - fixed.length)
        for (const j of reduced.free) assert.include([...whole.free], j)
        assert.strictEqual(reduced.total, whole.total)
        assert.closeTo(
          reduced.weight.reduce((a, b) => a + b, 0),
          whole.weight.reduce((a, b) => a + b, 0),
          1e-9
        )
        assert.strictEqual(best([...reduced.free]), best([...whole.free]))
        for (const s of subsets(reduced.free.length, q - fixed.length)) {
          const open = [...fixed, ...s.map((k) => reduced.free[k])]
          assert.strictEqual(fromGroups(reduced, open), uncovered(open))
        }
        // the Lagrangian bound on the reduced cover (its relaxation chooses among the kept free sites)
        // bounds the whole problem, stopped early or not
        const optimum = best([...whole.free])
        for (const iterations of [1, 5, 200]) {
          const relaxed = Bound.coverRelaxed(reduced, q, { upper: optimum + 5, iterations, stall: 20 })
          assert.isAtMost(relaxed.bound, optimum + 1e-9, `reduced cover's bound after ${iterations} steps`)
        }
        // the greedy with gains kept up to date opens what the greedy recounting every round opens
        const s = Cover.state(reduced)
        Cover.greedy(reduced, s, q)
        const chosen = [...fixed]
        for (let count = fixed.length; count < q; count++) {
          let pick = -1
          let most = -1
          for (const j of reduced.free) {
            if (chosen.includes(j)) continue
            const gain = fromGroups(reduced, chosen) - fromGroups(reduced, [...chosen, j])
            if (gain > most) (most = gain), (pick = j)
          }
          chosen.push(pick)
        }
        assert.deepStrictEqual(
          Array.from(s.open, (o, j) => (o === 1 ? j : -1)).filter((j) => j >= 0),
          [...chosen].sort((a, b) => a - b)
        )
        assert.strictEqual(reduced.total - s.covered, uncovered(chosen))
      }),
      { numRuns: 300 }
    )
    // the property is not vacuous: sites are dropped on these instances
    assert.isAbove(dropped, 0)
  })

  it("capacitated fixed charge heuristic (adds, drops and swaps priced on the allocation at hand): feasible within the seats, its objective recomputed from scratch, never below the enumerated optimum; its bound never above it", () => {
    // fixed charges, expansions (seats at a cost), fixed and forbidden sites, kmCost ≠ 1
    const charged = fc.record({
      base: tiny,
      charge: fc.integer({ min: 0, max: 400 }),
      kmCost: fc.constantFrom(1, 2.5),
      grow: fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 900 })), { minLength: 5, maxLength: 5 }),
      statuses: fc.array(fc.constantFrom(0, 0, 0, 0, 1, 2), { minLength: 5, maxLength: 5 }),
      tight: fc.double({ min: 0.45, max: 1, noNaN: true })
    })
    let solved = 0
    fc.assert(
      fc.property(charged, ({ base: { inst: made }, charge, grow, kmCost, statuses, tight }) => {
        const m = made.sites
        const status = Uint8Array.from(statuses.slice(0, m))
        const capacity = made.capacity.map((c) => Math.max(1, Math.round(tight * c)))
        const inst: Problem.Instance = {
          ...made,
          capacity,
          fixedCost: capacity.map((c, j) => charge * c * (1 + 0.1 * j)),
          expandSeats: Float64Array.from({ length: m }, (_, j) => grow[j][0]),
          expandCost: Float64Array.from({ length: m }, (_, j) => grow[j][1]),
          status
        }
        const problem = { kind: "fixed-charge", kmCost, capacitated: true } as const
        // every allowed set of sites (the fixed ones in it), every single-sourcing assignment within the seats
        const n = inst.points
        let optimum = Infinity
        for (let mask = 1; mask < 1 << m; mask++) {
          const set = Array.from({ length: m }, (_, j) => j).filter((j) => (mask >> j) & 1)
          if (set.some((j) => status[j] === Problem.Status.forbidden)) continue
          if (Array.from(status).some((v, j) => v === Problem.Status.fixed && !set.includes(j))) continue
          const load = new Float64Array(m)
          const go = (i: number, cost: number) => {
            if (i === n) {
              let total = cost
              for (const j of set) total += inst.fixedCost[j] + (load[j] > inst.capacity[j] + 1e-9 ? inst.expandCost[j] : 0)
              optimum = Math.min(optimum, total)
              return
            }
            for (const j of set) {
              if (load[j] + inst.weight[i] > inst.capacity[j] + inst.expandSeats[j] + 1e-9) continue
              load[j] += inst.weight[i]
              go(i + 1, cost + kmCost * inst.weight[i] * km(inst, i, j))
              load[j] -= inst.weight[i]
            }
          }
          go(0, 0)
        }
        const h = Heuristic.solve(inst, problem, { timeLimit: 5 })
        if (Either.isLeft(h)) {
          // refused: infeasible (the check or no assignment at all), or a packing too tight for its allocation
          if (optimum < Infinity) assert.match(h.left.message, /no feasible solution/)
          return
        }
        assert.isBelow(optimum, Infinity, "a solution where enumeration finds none")
        solved++
        const s = h.right.solution
        const tol = 1e-6 * Math.max(1, optimum)
        // recomputed from scratch: open sites, loads within the seats (expanded past them), the objective
        const load = new Float64Array(m)
        let distance = 0
        for (let i = 0; i < n; i++) {
          const j = s.assign[i]
          assert.isAtLeast(j, 0, "every point is assigned")
          assert.strictEqual(s.open[j], 1, "to an open site")
          load[j] += inst.weight[i]
          distance += kmCost * inst.weight[i] * km(inst, i, j)
        }
        let total = distance
        for (let j = 0; j < m; j++) {
          if (status[j] === Problem.Status.fixed) assert.strictEqual(s.open[j], 1, "fixed site open")
          if (status[j] === Problem.Status.forbidden) assert.strictEqual(s.open[j], 0, "forbidden site closed")
          if (s.open[j] !== 1) continue
          assert.isAtMost(load[j], inst.capacity[j] + inst.expandSeats[j] + 1e-9, "within the seats")
          assert.strictEqual(s.expanded[j], load[j] > inst.capacity[j] + 1e-9 ? 1 : 0, "expanded where past its seats")
          total += inst.fixedCost[j] + (s.expanded[j] === 1 ? inst.expandCost[j] : 0)
        }
        assert.approximately(s.objective, total, tol, "objective recomputed")
        assert.isAtLeast(s.objective, optimum - tol, "heuristic below the optimum")
        assert.isAtMost(h.right.bound!, optimum + tol, "bound above the optimum")
        assert.isAtMost(h.right.bound!, s.objective + tol)
      }),
      { numRuns: 150 }
    )
    // the property is not vacuous: most instances are solved
    assert.isAbove(solved, 50)
  })

  it("capacitated fixed charge: the capacity-aware bound (knapsacks + the seats every solution needs) ≤ the enumerated optimum", () => {
    fc.assert(
      fc.property(tiny, fc.integer({ min: 0, max: 400 }), ({ inst }, charge) => {
        const charged = { ...inst, fixedCost: inst.capacity.map((c) => charge * c) }
        // every non-empty set of sites, every single-sourcing assignment within the seats
        let optimum = Infinity
        for (let q = 1; q <= inst.sites; q++) {
          const best = enumerateCapacitated(charged, q)
          if (best < Infinity) optimum = Math.min(optimum, best + q * charge * inst.capacity[0])
        }
        if (optimum === Infinity) return
        const tol = 1e-6 * Math.max(1, optimum)
        const bound = Bound.capacitatedFacility(charged, 1, { upper: optimum })
        assert.isAtMost(bound, optimum + tol)
        assert.isAtLeast(bound, Bound.nearestBound(charged, 1) - tol)
      }),
      { numRuns: 60 }
    )
  })
})
