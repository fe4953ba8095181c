import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { AllocationRule, Compile, MonteCarlo, Synthetic } from "../src/index.js"
import { tiny } from "./fixtures.js"

describe("Monte Carlo", () => {
  it.effect(
    "the same seed gives identical bands in this thread and in worker threads; progress counts every replicate",
    () =>
      Effect.gen(function* () {
        const model = Compile.compile(tiny("baseline"), { horizon: 5 })
        const seen: Array<number> = []
        const here = yield* MonteCarlo.run({ model, replicates: 6, seed: 11, workers: 0, onProgress: (d) => seen.push(d) })
        const threads = yield* MonteCarlo.run({ model, replicates: 6, seed: 11, workers: 2 })
        assert.deepStrictEqual(threads.rows, here.rows)
        assert.deepStrictEqual(seen, [1, 2, 3, 4, 5, 6])
        const other = yield* MonteCarlo.run({ model, replicates: 6, seed: 12, workers: 0 })
        assert.notDeepEqual(other.rows, here.rows)
      }),
    60_000
  )

  it.effect(
    "bands are ordered, and stochastic replicates vary",
    () =>
      Effect.gen(function* () {
        const region = Either.getOrThrow(Synthetic.generate({ seed: 3, settlements: 60, schools: 25 }))
        const summary = yield* MonteCarlo.run({
          model: Compile.compile(region.events, { horizon: 6 }),
          replicates: 30,
          seed: 5,
          workers: 0
        })
        for (const row of summary.rows) {
          assert.isAtMost(row.p5, row.p50)
          assert.isAtMost(row.p50, row.p95)
        }
        const births = summary.rows.filter((r) => r.metric === "children" && r.level === "kindergarten" && r.year > region.baseYear + 3)
        assert.isTrue(
          births.some((r) => r.p95 > r.p5),
          "stochastic runs vary"
        )
      }),
    60_000
  )

  it.effect(
    "the model is not changed by the replicates: a second run of it gives the same bands",
    () =>
      Effect.gen(function* () {
        const model = Compile.compile(tiny("baseline"), { horizon: 4 })
        const first = yield* MonteCarlo.run({ model, replicates: 3, seed: 2, workers: 0 })
        const second = yield* MonteCarlo.run({ model, replicates: 3, seed: 2, workers: 1 })
        assert.deepStrictEqual(second.rows, first.rows)
      }),
    60_000
  )

  it.effect(
    "a rule of one's own runs in this thread; worker threads refuse it, naming the rules that cross",
    () =>
      Effect.gen(function* () {
        const own: AllocationRule.AllocationRule = { ...AllocationRule.catchmentOnly, name: "lottery" }
        const model = Compile.compile(tiny("baseline"), { horizon: 2, rule: own })
        const here = yield* MonteCarlo.run({ model, replicates: 2, seed: 1, workers: 0 })
        assert.isAbove(here.rows.length, 0)
        const error = yield* Effect.flip(MonteCarlo.run({ model, replicates: 2, seed: 1, workers: 2 }))
        assert.include(error.message, 'allocation rule "lottery"')
        assert.include(error.message, "catchment-then-nearest")
      }),
    60_000
  )
})
