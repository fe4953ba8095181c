/**
 * Ctrl-C (issue 19): a search stopped by the planner ends as at its time limit, with the best solution it
 * has, feasible and evaluated; the stop comes from another thread (a search holds its own thread, so no
 * signal handler could run), through the shared flag `Clock.interruptible` reads.
 */
import { assert, describe, it } from "@effect/vitest"
import { Rng } from "@seatplan/sim"
import { Either } from "effect"
import { Worker } from "node:worker_threads"
import { Clock, Exact, Heuristic, Problem, Solve, Synthetic } from "../src/index.js"

const county = (points: number, sites: number, seed: number) => {
  const rng = Rng.make(seed)
  return Synthetic.county({ points, sites, uniform: () => Rng.nextFloat(rng) })
}

const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) assert.fail(`expected a result, got ${String(e.left)}`)
  return (e as Either.Right<E, A>).right
}

/** A flag over shared memory that another thread sets after `ms` milliseconds. */
const stopAfter = (ms: number): Int32Array => {
  const flag = new Int32Array(new SharedArrayBuffer(4))
  new Worker(
    "const { workerData } = require('node:worker_threads'); setTimeout(() => Atomics.store(workerData, 0, 1), Number(process.env.MS))",
    { eval: true, workerData: flag, env: { MS: String(ms) } }
  ).unref()
  return flag
}

describe("a search the planner stops", () => {
  it("a flag already set: the heuristic still gives a feasible solution, stopped, at once", () => {
    const inst = county(1000, 100, 3)
    const flag = new Int32Array(new SharedArrayBuffer(4))
    Atomics.store(flag, 0, 1)
    const r = right(Clock.interruptible(flag, () => Heuristic.solve(inst, { kind: "p-median", p: 10 }, { timeLimit: 600 })))
    assert.isTrue(r.stopped)
    const again = Problem.evaluate(inst, { kind: "p-median", p: 10 }, r.solution.open)
    assert.strictEqual(again?.objective, r.solution.objective)
    let open = 0
    for (const o of r.solution.open) open += o
    assert.strictEqual(open, 10)
    assert.isFalse(Clock.interrupted(), "the flag belongs to that call only")
  })

  it("set by another thread while a long search runs: it ends long before its 600 s limit, with its best solution", () => {
    const inst = county(3000, 300, 5)
    const problem = { kind: "p-median", p: 30 } as const
    const r = right(
      Clock.interruptible(stopAfter(1500), () => Heuristic.solve(inst, problem, { timeLimit: 600, patience: 1_000_000, tolerance: 0 }))
    )
    assert.isTrue(r.stopped)
    assert.isBelow(r.seconds, 120, "stopped by the flag, not by the 600 s limit")
    assert.strictEqual(Problem.evaluate(inst, problem, r.solution.open)?.objective, r.solution.objective)
    assert.isAtMost(r.bound ?? 0, r.solution.objective)
  })

  it("the exact path stopped: the warm start or better, a valid bound, status time-limit", async () => {
    const highs = await Exact.load()
    const inst = county(400, 60, 7)
    const seats = Math.ceil((1.2 * Problem.totalWeight(inst)) / 6)
    const capacitated = { ...inst, capacity: new Float64Array(60).fill(Math.max(seats, ...inst.weight)) }
    const problem = { kind: "capacitated-p-median", p: 6, kmCost: 1 } as const
    const flag = new Int32Array(new SharedArrayBuffer(4))
    Atomics.store(flag, 0, 1)
    const r = right(Clock.interruptible(flag, () => Solve.solve(highs, capacitated, problem, { timeLimit: 600 })))
    assert.strictEqual(r.method, "exact")
    assert.notStrictEqual(r.status, "optimal")
    assert.isBelow(r.seconds, 120)
    assert.isDefined(r.solution)
    assert.isAtMost(r.bound ?? 0, r.solution.objective + 1e-6)
  })
})
