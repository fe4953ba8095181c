/**
 * Regression tests for issue 19's defects: a time limit is a deadline for the whole call (greedy add,
 * interchange, bound, model building, HiGHS), a HiGHS abort never discards the best known solution, a
 * coverage heuristic that stops reports a true gap (not 100 %), and the exact capacitated p-median
 * stopped by its limit reports a valid bound (not 0).
 *
 * The seconds asserted are the limit plus a wide allowance for the shared machine; before the fixes
 * these calls overran by several times (greedy add never looked at the clock).
 */
import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Rng } from "@seatplan/sim"
import { Either } from "effect"
import * as Cover from "../src/Cover.js"
import { Bound, Exact, Heuristic, Problem, Synthetic } from "../src/index.js"

const county = (points: number, sites: number, seed: number) => {
  const rng = Rng.make(seed)
  return Synthetic.county({ points, sites, uniform: () => Rng.nextFloat(rng) })
}

/** The county with every site holding `share` × an equal share of p sites' pupils (at least the largest settlement). */
const capacitated = (points: number, sites: number, seed: number, p: number, share: number) => {
  const inst = county(points, sites, seed)
  const seats = Math.max(Math.max(...inst.weight), (share * Problem.totalWeight(inst)) / p)
  return { ...inst, capacity: new Float64Array(sites).fill(Math.ceil(seats)) }
}

const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) assert.fail(`expected a result, got ${String(e.left)}`)
  return (e as Either.Right<E, A>).right
}

type Highs = Awaited<ReturnType<typeof Exact.load>>
let highs: Highs
beforeAll(async () => {
  highs = await Exact.load()
})

/** Allowance over a time limit: the granularity of the deadline checks plus a busy machine. */
const slack = 1.5

/**
 * The MCLP heuristic's incumbent (greedy add, then interchange) on the reduced cover, with its uncovered
 * pupils and the heuristic's stopping slack (0.5 % of the coverable pupils).
 */
const incumbent = (inst: Problem.Instance, radius: number, p: number) => {
  const c = Cover.dominance(Cover.group(inst, radius), p)
  const s = Cover.state(c)
  Cover.greedy(c, s, p)
  Cover.interchange(c, s, Infinity)
  return { c, open: s.open.slice(), upper: c.total - s.covered, slack: (u: number) => 0.005 * (c.total - u) }
}

describe("every time limit is a deadline for the whole call", () => {
  it("heuristic MCLP at 2,000 × 200 stops within its limit and reports a true gap (not 100 %)", () => {
    const inst = county(2000, 200, 5)
    const r = right(Heuristic.solve(inst, { kind: "mclp", p: 20, radius: 3 }, { timeLimit: 0.3 }))
    assert.isAtMost(r.seconds, 0.3 + slack)
    assert.isDefined(r.bound)
    assert.isAtMost(r.bound!, r.solution.objective)
    assert.isBelow(r.gap!, 1, "a stopped coverage search still has its bound")
  })

  it("MCLP gaps are the coverage's: where few pupils are beyond reach the answer is not reported 100 % off", () => {
    // a 12 km radius with 30 sites: the optimum leaves 104 of 48,435 pupils beyond reach and the bound is
    // 0 uncovered; on the uncovered pupils that gap read 100 % (before 2026-12-02)
    const inst = county(1000, 100, 2)
    const problem = { kind: "mclp", p: 30, radius: 12 } as const
    const total = Problem.totalWeight(inst)
    for (const r of [right(Heuristic.solve(inst, problem)), right(Exact.solve(highs, inst, problem, { timeLimit: 20 }))]) {
      const v = r.solution!.objective
      assert.approximately(r.gap!, (v - r.bound!) / (total - r.bound!), 1e-12)
      assert.isAtMost(r.gap!, 0.005, "proven within 0.5 % of the coverable pupils")
    }
  })

  it("MCLP bound: an answer with (nearly) every pupil within reach is proven at once, not after all its steps", () => {
    // a 12 km radius, 30 sites: the Lagrangian value on the uncovered pupils starts far below 0, and without
    // the floor at 0 pupils the ascent ran its 1,000 steps (50 ms at 2,000 × 200) on answers already proven
    const { c, upper, slack } = incumbent(county(1000, 100, 2), 12, 30)
    // the heuristic's stop: within 0.5 % of the coverable pupils, which 0 pupils beyond reach proves here
    assert.isAtMost(upper, slack(upper))
    const r = Bound.coverRelaxed(c, 30, { upper, iterations: 1000, slack })
    assert.strictEqual(r.steps, 1)
    assert.strictEqual(r.bound, 0)
  })

  it("MCLP bound: where p sites reach nearly everyone, multipliers from the incumbent prove it in a step, not hundreds", () => {
    // an 8 km radius, 30 sites: the first multipliers (a group's pupils shared among its sites) give a value
    // above the pupils' total, a bound of 0 beyond reach, for hundreds of steps (379 here); made from the
    // incumbent as complementary slackness has them, the bound proves it within 0.5 % at the first step
    const { c, open, upper, slack } = incumbent(county(1000, 100, 1), 8, 30)
    const shared = Bound.coverRelaxed(c, 30, { upper, iterations: 1000, slack })
    const fromIncumbent = Bound.coverRelaxed(c, 30, { upper, iterations: 1000, slack, start: open })
    assert.isAbove(shared.steps ?? 0, 100)
    assert.isAtMost(fromIncumbent.steps ?? Infinity, 2)
    assert.isAtMost(fromIncumbent.bound, upper)
    assert.isAtLeast(fromIncumbent.bound, upper - slack(upper), "proven within 0.5 % of the coverable pupils")
  })

  it("heuristic fixed charge (capacitated) and capacitated p-median stop within their limits", () => {
    const inst = capacitated(1500, 150, 6, 30, 1.3)
    for (const problem of [
      { kind: "fixed-charge", kmCost: 1, capacitated: true },
      { kind: "capacitated-p-median", p: 30, kmCost: 1 }
    ] as const) {
      const started = Date.now()
      const r = Heuristic.solve(inst, problem, { timeLimit: 0.4 })
      const seconds = (Date.now() - started) / 1000
      assert.isAtMost(seconds, 0.4 + slack, problem.kind)
      const solved = right(r)
      assert.isDefined(solved.bound, problem.kind)
      assert.isAtMost(solved.bound!, solved.solution.objective, problem.kind)
    }
  })

  it("heuristic p-median with a limit too short for its bound still reports a valid one", () => {
    const inst = county(3000, 300, 7)
    const r = right(Heuristic.solve(inst, { kind: "p-median", p: 25 }, { timeLimit: 0.05 }))
    assert.isAtMost(r.seconds, 0.05 + slack)
    assert.isAbove(r.bound!, 0)
    assert.isAtMost(r.bound!, r.solution.objective)
  })

  it("exact capacitated p-median: the warm start, the build and HiGHS share one limit; at the limit the bound is valid, not 0", () => {
    const inst = capacitated(1000, 100, 8, 12, 1.3)
    const r = right(Exact.solve(highs, inst, { kind: "capacitated-p-median", p: 12, kmCost: 1 }, { timeLimit: 3 }))
    assert.isAtMost(r.seconds, 3 + slack)
    assert.isDefined(r.solution)
    assert.isDefined(r.bound)
    assert.isAbove(r.bound!, 0)
    assert.isAtMost(r.bound!, r.solution!.objective * (1 + 1e-9))
    assert.isBelow(r.gap!, 1)
  })
})

describe("a HiGHS failure never discards the best known solution", () => {
  it("HiGHS aborting while it solves (WebAssembly out of memory, an abort at its time limit) returns the warm start and its bound", () => {
    const aborting = {
      infinity: Infinity,
      constants: { callbackType: { mipInterrupt: 0 }, modelStatus: {} },
      createModel: () => ({
        options: { set: () => undefined },
        setSolution: () => undefined,
        run: () => {
          throw new Error("RuntimeError: Aborted()")
        },
        dispose: () => undefined
      })
    } as unknown as Highs
    const inst = county(300, 30, 9)
    for (const problem of [{ kind: "p-median", p: 4 } as const, { kind: "mclp", p: 4, radius: 4 } as const]) {
      const start = right(Heuristic.solve(inst, problem)).solution
      const r = right(Exact.solve(aborting, inst, problem, { start, reduce: false }))
      assert.strictEqual(r.status, "aborted")
      assert.strictEqual(r.solution?.objective, start.objective)
      assert.match(r.note ?? "", /HiGHS failed: RuntimeError: Aborted\(\); the best solution known/)
      assert.isDefined(r.bound)
      assert.isAtMost(r.bound!, start.objective)
    }
  })

  it("the p-median's reduction path keeps its Lagrangian bound when HiGHS aborts", () => {
    // (the branch and bound now takes the whole time on this path, so HiGHS is seldom reached: the MILP paths
    // below, reduce off and the MCLP's, reach it and keep the known solution and bound when it aborts)
    const aborting = {
      infinity: Infinity,
      constants: { callbackType: { mipInterrupt: 0 }, modelStatus: {} },
      createModel: () => ({
        options: { set: () => undefined },
        setSolution: () => undefined,
        run: () => {
          throw new Error("RuntimeError: Aborted()")
        },
        dispose: () => undefined
      })
    } as unknown as Highs
    const inst = county(2000, 200, 2)
    const problem = { kind: "p-median", p: 20 } as const
    const start = right(Heuristic.solve(inst, problem)).solution
    const r = right(Exact.solve(aborting, inst, problem, { start, timeLimit: 20 }))
    assert.include(["optimal", "aborted"], r.status)
    assert.isAtMost(r.solution!.objective, start.objective)
    assert.isAbove(r.bound!, 0)
    assert.isAtMost(r.gap!, 0.05)
    // the plain MILP (reduce off) and the MCLP's reduced MILP reach HiGHS: its abort keeps the known solution
    const plain = right(Exact.solve(aborting, inst, problem, { start, timeLimit: 20, reduce: false }))
    assert.strictEqual(plain.status, "aborted")
    assert.strictEqual(plain.solution!.objective, start.objective)
    assert.match(plain.note ?? "", /HiGHS failed: .*Aborted.*the best solution known/)
    const cover = { kind: "mclp", p: 20, radius: 3 } as const
    const covered = right(Exact.solve(aborting, inst, cover, { timeLimit: 20 }))
    const heuristic = right(Heuristic.solve(inst, cover, { patience: 0 }))
    assert.include(["optimal", "aborted"], covered.status)
    assert.isAtMost(covered.solution!.objective, heuristic.solution.objective)
    assert.isAtMost(covered.bound!, covered.solution!.objective)
    assert.isAbove(covered.bound!, 0)
  })
})

describe("MCLP exact", () => {
  it("points covered by the same sites share one coverage column, and the optimum is the ungrouped one's", () => {
    const inst = county(400, 40, 10)
    const problem = { kind: "mclp", p: 5, radius: 4 } as const
    const r = right(Exact.solve(highs, inst, problem, { timeLimit: 30 }))
    assert.strictEqual(r.status, "optimal")
    assert.isBelow(r.columns, inst.sites + inst.points)
    // brute force over every choice of 5 of 40 sites is 658,008 choices: check against the heuristic and the bound instead
    const h = right(Heuristic.solve(inst, problem))
    assert.isAtLeast(h.solution.objective, r.solution!.objective - 1e-6)
    assert.isAtMost(h.bound!, r.solution!.objective + 1e-6)
    assert.strictEqual(Problem.evaluate(inst, problem, r.solution!.open)?.objective, r.solution!.objective)
  })
})

describe("capacitated bound", () => {
  it("accounts for the capacities: above the uncapacitated bound where they bind, never above the exact optimum", () => {
    const inst = capacitated(200, 30, 11, 5, 1.15)
    const problem = { kind: "capacitated-p-median", p: 5, kmCost: 1 } as const
    const exact = right(Exact.solve(highs, inst, problem, { timeLimit: 60 }))
    const upper = exact.solution!.objective
    const uncapacitated = Bound.median(inst, 5, 1, { upper })
    const withCapacities = Bound.capacitatedMedian(inst, 5, 1, { upper })
    assert.isAbove(withCapacities, uncapacitated)
    if (exact.status === "optimal") assert.isAtMost(withCapacities, upper * (1 + 1e-9))
    assert.isAtMost(withCapacities, upper * (1 + 1e-9))
  })
})

describe("progress", () => {
  it("reports the incumbent and the bound as the search improves, with the objective's unit", () => {
    const messages: Array<string> = []
    right(Heuristic.solve(county(500, 50, 12), { kind: "p-median", p: 6 }, { onProgress: (m) => messages.push(m) }))
    const line = messages.find((m) => /incumbent [\d,.]+ pupil-km, bound [\d,.]+, gap [\d.]+ %/.test(m))
    assert.isDefined(line, messages.join("\n"))
  })

  it("counts pupils beyond reach whole in the MCLP's messages", () => {
    const messages: Array<string> = []
    right(Heuristic.solve(county(500, 50, 12), { kind: "mclp", p: 6, radius: 3 }, { onProgress: (m) => messages.push(m) }))
    const counts = messages.filter((m) => m.includes("pupils beyond reach"))
    assert.isNotEmpty(counts, messages.join("\n"))
    // whole pupils with thousands separators: "4,275 pupils beyond reach", never "4275.4"
    for (const m of counts) assert.match(m, /(^|\s)\d{1,3}(,\d{3})* pupils beyond reach/, m)
  })
})
