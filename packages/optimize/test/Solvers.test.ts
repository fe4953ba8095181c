import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import { Rng } from "@seatplan/sim"
import { Bound, Exact, Heuristic, Problem, Synthetic } from "../src/index.js"

/** A seeded synthetic county (sim's `Rng` draws the instance; optimize's source depends on no seatplan package). */
const county = (o: { readonly points: number; readonly sites: number; readonly seed: number }) => {
  const rng = Rng.make(o.seed)
  return Synthetic.county({ points: o.points, sites: o.sites, uniform: () => Rng.nextFloat(rng) })
}

/** The solvers answer with an Either: the result, or a tagged Infeasible / SolverError. */
const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) assert.fail(`expected a result, got ${String(e.left)}`)
  return (e as Either.Right<E, A>).right
}
const left = <A, E>(e: Either.Either<A, E>): E => {
  if (Either.isRight(e)) assert.fail("expected a failure, got a result")
  return (e as Either.Left<E, A>).left
}

type Highs = Awaited<ReturnType<typeof Exact.load>>
let highs: Highs
beforeAll(async () => {
  highs = await Exact.load()
})

/** Six villages of one pupil on a line at km 0, 1, 2, 10, 11, 12; a candidate site at each. */
const line = (extra: Partial<Parameters<typeof Problem.make>[0]> = {}) => {
  const x = [0, 1, 2, 10, 11, 12]
  return right(
    Problem.make({
      weight: x.map(() => 1),
      km: x.flatMap((a) => x.map((b) => Math.abs(a - b))),
      sites: x.length,
      ...extra
    })
  )
}

const both = (inst: Problem.Instance, problem: Problem.Problem) => {
  const exact = right(Exact.solve(highs, inst, problem, { timeLimit: 30 }))
  const heuristic = right(Heuristic.solve(inst, problem, { timeLimit: 10 }))
  assert.strictEqual(exact.status, "optimal")
  return { exact: exact.solution!, heuristic: heuristic.solution, bound: heuristic.bound }
}

describe("hand-checkable instances", () => {
  it("p-median: two sites at km 1 and 11, 4 pupil-km", () => {
    const { bound, exact, heuristic } = both(line(), { kind: "p-median", p: 2 })
    assert.strictEqual(exact.objective, 4)
    assert.strictEqual(heuristic.objective, 4)
    assert.deepStrictEqual([...exact.open], [0, 1, 0, 0, 1, 0])
    assert.isAtMost(bound!, 4 + 1e-9)
    assert.isAbove(bound!, 3.9)
  })

  it("maximal coverage: one site within 1.5 km covers three of six pupils", () => {
    const { exact, heuristic } = both(line(), { kind: "mclp", p: 1, radius: 1.5 })
    assert.strictEqual(exact.objective, 3)
    assert.strictEqual(heuristic.objective, 3)
    assert.strictEqual(exact.breakdown.covered, 3)
  })

  it("set cover: two sites put everyone within 1 km", () => {
    const { exact, heuristic } = both(line(), { kind: "set-cover", radius: 1 })
    assert.strictEqual(exact.objective, 2)
    assert.strictEqual(heuristic.objective, 2)
  })

  it("fixed charge: at 100 a site one site (30 pupil-km) beats two (4 pupil-km)", () => {
    const { exact, heuristic } = both(line({ fixedCost: [100, 100, 100, 100, 100, 100] }), {
      kind: "fixed-charge",
      kmCost: 1,
      capacitated: false
    })
    assert.strictEqual(exact.objective, 130)
    assert.strictEqual(heuristic.objective, 130)
    assert.strictEqual(exact.breakdown.openSites, 1)
    assert.strictEqual(exact.breakdown.fixedCost, 100)
  })

  it("capacitated p-median: two seats a site force expansions (10 each) or a third pupil elsewhere", () => {
    const inst = line({ capacity: [2, 2, 2, 2, 2, 2], expandSeats: [1, 1, 1, 1, 1, 1], expandCost: [10, 10, 10, 10, 10, 10] })
    const { exact, heuristic } = both(inst, { kind: "capacitated-p-median", p: 2, kmCost: 1 })
    // without expanding, 4 seats for 6 pupils: both sites expand; pupil-km 4 as uncapacitated
    assert.strictEqual(exact.objective, 24)
    assert.strictEqual(heuristic.objective, 24)
    assert.strictEqual(exact.breakdown.expandCost, 20)
  })

  it("fixed sites stay open", () => {
    const { exact, heuristic } = both(line({ status: [1, 0, 0, 0, 0, 0] }), { kind: "p-median", p: 2 })
    assert.strictEqual(exact.open[0], 1)
    assert.strictEqual(heuristic.open[0], 1)
    assert.strictEqual(exact.objective, 5)
    assert.strictEqual(heuristic.objective, 5)
  })

  it("says by how much capacities fall short of demand", () => {
    const inst = line({ capacity: [2, 2, 2, 2, 2, 2] })
    const problem: Problem.Problem = { kind: "capacitated-p-median", p: 2, kmCost: 1 }
    const answers: ReadonlyArray<Either.Either<unknown, Problem.Infeasible | Problem.SolverError>> = [
      Exact.solve(highs, inst, problem),
      Heuristic.solve(inst, problem)
    ]
    for (const solved of answers) {
      const e = left(solved)
      assert.strictEqual(e._tag, "Infeasible")
      assert.instanceOf(e, Problem.Infeasible)
      assert.strictEqual((e as Problem.Infeasible).shortfall, 2)
      assert.match(e.message, /6 pupils but at most 4 seats.*2 seats short/)
    }
    assert.isTrue(Either.isLeft(Problem.check(inst, problem)))
    assert.isTrue(Either.isRight(Problem.check(inst, { kind: "p-median", p: 2 })))
  })

  it("names the settlement too large for any one school under single sourcing", () => {
    const inst = right(Problem.make({ weight: [1, 9], km: [0, 1, 1, 0], sites: 2, capacity: [5, 5], expandSeats: [2, 2] }))
    const e = left(Heuristic.solve(inst, { kind: "capacitated-p-median", p: 2, kmCost: 1 }))
    assert.instanceOf(e, Problem.Infeasible)
    assert.strictEqual((e as Problem.Infeasible).point, 1)
    assert.strictEqual((e as Problem.Infeasible).shortfall, 2)
    assert.match(e.message, /9 pupils .* largest site holds 7 seats, expanded: 2 seats short/)
  })

  it("refuses a set cover that leaves a village beyond every site, naming the pupils", () => {
    const inst = line({ status: [2, 2, 2, 0, 0, 0] })
    const e = left(Heuristic.solve(inst, { kind: "set-cover", radius: 5 }))
    assert.strictEqual(e._tag, "Infeasible")
    assert.match(e.message, /3 demand point\(s\) with 3 pupils/)
  })

  it("an instance whose arrays do not fit its sizes is a SolverError naming the array, not a throw", () => {
    const km = left(Problem.make({ weight: [1, 1], km: [0, 1, 1], sites: 2 }))
    assert.strictEqual(km._tag, "SolverError")
    assert.strictEqual(km.message, "km has 3 entries, expected 2 × 2")
    const capacity = left(Problem.make({ weight: [1], km: [0, 1], sites: 2, capacity: [5] }))
    assert.match(capacity.message, /^capacity has 1 entries, expected 2/)
  })
})

describe("synthetic counties", () => {
  it("the heuristic matches the exact p-median at 200 × 40 and its bound is below the optimum", () => {
    const inst = county({ points: 200, sites: 40, seed: 3 })
    const exact = right(Exact.solve(highs, inst, { kind: "p-median", p: 5 }))
    const heuristic = right(Heuristic.solve(inst, { kind: "p-median", p: 5 }))
    assert.strictEqual(exact.status, "optimal")
    assert.isAtLeast(heuristic.solution.objective, exact.solution!.objective * (1 - 1e-9))
    assert.isAtMost(heuristic.solution.objective, exact.solution!.objective * 1.01)
    assert.isAtMost(heuristic.bound!, exact.solution!.objective * (1 + 1e-9))
  })
})

describe("warm start", () => {
  it("HiGHS stopped by its time limit keeps at least the heuristic's solution it was given", () => {
    const inst = county({ points: 2000, sites: 200, seed: 2 })
    const problem = { kind: "p-median", p: 20 } as const
    const heuristic = right(Heuristic.solve(inst, problem))
    const exact = right(Exact.solve(highs, inst, problem, { timeLimit: 3, start: heuristic.solution }))
    assert.isDefined(exact.solution)
    assert.isAtMost(exact.solution!.objective, heuristic.solution.objective * (1 + 1e-9))
  })
})

describe("HiGHS failures", () => {
  it("a HiGHS that throws (a rejected model, out of WebAssembly memory) is not an exception: the best known solution comes back, saying why", () => {
    const broken = {
      infinity: Infinity,
      createModel: () => {
        throw new Error("Aborted(OOM)")
      }
    } as unknown as Highs
    const r = right(Exact.solve(broken, line(), { kind: "p-median", p: 2 }, { reduce: false }))
    assert.strictEqual(r.status, "aborted")
    assert.strictEqual(r.solution?.objective, 4)
    assert.match(r.note ?? "", /^HiGHS could not take the model: Aborted\(OOM\); the best solution known/)
  })
})

describe("size guard", () => {
  it("refuses a MILP above maxColumns before building it: the heuristic's (p-median: the reduction's) solution and bound, saying so", () => {
    const inst = county({ points: 300, sites: 30, seed: 4 })
    const start = right(Heuristic.solve(inst, { kind: "p-median", p: 4 })).solution
    const r = right(Exact.solve(highs, inst, { kind: "p-median", p: 4 }, { maxColumns: 100, reduce: true, start }))
    assert.include(["optimal", "too-large"], r.status)
    assert.isDefined(r.solution)
    const f = right(Exact.solve(highs, inst, { kind: "fixed-charge", kmCost: 1, capacitated: false }, { maxColumns: 100 }))
    assert.strictEqual(f.status, "too-large")
    assert.match(f.note ?? "", /would have [\d,]+ columns, more than the 100 .*: the heuristic's solution, with its gap/)
    assert.isDefined(f.solution)
    assert.isBelow(f.gap!, 1)
    const g = right(Exact.solve(highs, inst, { kind: "mclp", p: 4, radius: 5 }, { maxMegabytes: 0.001, reduce: false }))
    assert.strictEqual(g.status, "too-large")
    assert.match(g.note ?? "", /would need about [\d,]+ MB/)
    // with the reduction, a Lagrangian bound that meets the first solution proves it: no MILP is needed
    const h = right(Exact.solve(highs, inst, { kind: "mclp", p: 4, radius: 5 }, { maxMegabytes: 0.001 }))
    if (h.status === "optimal") assert.strictEqual(h.gap, 0)
    else assert.strictEqual(h.status, "too-large")
  })
})

const instance = fc
  .record({
    n: fc.integer({ min: 3, max: 10 }),
    m: fc.integer({ min: 2, max: 6 }),
    seed: fc.integer({ min: 0, max: 1_000_000 })
  })
  .map(({ m, n, seed }) => {
    let s = seed + 1
    const u = () => (s = (s * 16807) % 2147483647) / 2147483647
    const pts = Array.from({ length: n }, () => [u() * 20, u() * 20])
    const sites = Array.from({ length: m }, () => [u() * 20, u() * 20])
    const weight = pts.map(() => Math.round(1 + u() * 30))
    const total = weight.reduce((a, b) => a + b, 0)
    return right(
      Problem.make({
        weight,
        km: pts.flatMap(([a, b]) => sites.map(([c, d]) => Math.hypot(a - c, b - d))),
        sites: m,
        capacity: sites.map(() => Math.round((total / m) * (0.8 + u()))),
        expandSeats: sites.map(() => Math.round(total / m)),
        expandCost: sites.map(() => Math.round(u() * 200)),
        fixedCost: sites.map(() => Math.round(u() * 300)),
        status: sites.map((_, j) => (j === 0 ? Problem.Status.fixed : Problem.Status.free))
      })
    )
  })

const problems = (m: number): ReadonlyArray<Problem.Problem> => {
  const p = Math.min(m, 2)
  return [
    { kind: "p-median", p },
    { kind: "capacitated-p-median", p: m, kmCost: 1 },
    { kind: "fixed-charge", kmCost: 1, capacitated: true },
    { kind: "fixed-charge", kmCost: 1, capacitated: false },
    { kind: "mclp", p, radius: 6 }
  ]
}

describe("properties over random instances", () => {
  it("every point is allocated to an open site, capacities hold, fixed sites stay open; the heuristic is never better than the exact optimum, nor the bound above it", () => {
    fc.assert(
      fc.property(instance, (inst) => {
        for (const problem of problems(inst.sites)) {
          const solved = Exact.solve(highs, inst, problem, { timeLimit: 20 })
          if (Either.isLeft(solved) && solved.left._tag === "Infeasible") continue
          const exact = right(solved)
          assert.strictEqual(exact.status, "optimal", problem.kind)
          const opt = exact.solution!.objective
          const tolerance = 1e-6 * Math.max(1, Math.abs(opt))
          const searched = Heuristic.solve(inst, problem, { timeLimit: 5 })
          // the heuristic allocation may miss a tight feasible packing: it must say so, not invent one
          if (Either.isLeft(searched)) {
            assert.strictEqual(searched.left._tag, "SolverError")
            assert.match(searched.left.message, /no feasible solution/)
          }
          const heuristic = Either.getOrUndefined(searched)
          for (const s of heuristic === undefined ? [exact.solution!] : [exact.solution!, heuristic.solution]) {
            assert.strictEqual(s.open[0], 1, "the fixed site is open")
            const load = new Float64Array(inst.sites)
            for (let i = 0; i < inst.points; i++) {
              const j = s.assign[i]
              assert.isAtLeast(j, 0, "every point is allocated")
              assert.strictEqual(s.open[j], 1, "to an open site")
              load[j] += inst.weight[i]
            }
            if (Problem.isCapacitated(problem)) {
              for (let j = 0; j < inst.sites; j++) {
                assert.isAtMost(load[j], inst.capacity[j] + (s.expanded[j] === 1 ? inst.expandSeats[j] : 0) + 1e-6, "capacity")
              }
            }
            if (Problem.pOf(problem) !== undefined) assert.strictEqual(s.breakdown.openSites, Problem.pOf(problem))
          }
          if (heuristic !== undefined) {
            assert.isAtLeast(heuristic.solution.objective, opt - tolerance, `${problem.kind}: heuristic below the optimum`)
            if (heuristic.bound !== undefined) assert.isAtMost(heuristic.bound, opt + tolerance, `${problem.kind}: bound above the optimum`)
          }
          if (problem.kind === "p-median") {
            const plain = right(Exact.solve(highs, inst, problem, { reduce: false }))
            assert.approximately(plain.solution!.objective, opt, tolerance, "the Lagrangian reduction keeps the optimum")
          }
          const bound = Bound.lower(inst, problem, { upper: opt })
          if (bound !== undefined) assert.isAtMost(bound, opt + tolerance)
        }
      }),
      { numRuns: 40 }
    )
  })
})
