/**
 * Calibrated bands (issue 17) on the backtest example: each replicate draws a future from the scenario's
 * uncertainty and noise; the band of the replicates, widened by the other origins' past misses (split
 * conformal), holds 85-95 % of the actuals at every level and scope, where the Monte Carlo band alone does not.
 */
import { assert, describe, it } from "@effect/vitest"
import { Backtest } from "@seatplan/sim"
import { Effect, Either } from "effect"
import * as path from "node:path"
import { Futures, Scenario, ScenarioLoader } from "../src/index.js"

const file = path.resolve(import.meta.dirname, "../../../scenarios/backtest/scenario.yaml")

describe("calibrated bands", () => {
  it("the conformal quantile is the ⌈(n + 1)·coverage⌉-th smallest score, the largest when n is small", () => {
    assert.strictEqual(Backtest.Calibrated.conformalQuantile([5, 1, 3, 2, 4, 9, 8, 7, 6, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19], 0.9), 18)
    assert.strictEqual(Backtest.Calibrated.conformalQuantile([0.3, -0.1, 0.2], 0.9), 0.3)
    assert.isUndefined(Backtest.Calibrated.conformalQuantile([], 0.9))
  })

  it("90 % bands hold 85-95 % of the actuals in the backtest, per level and scope", () => {
    const loaded = Effect.runSync(ScenarioLoader.loadBaseline(file))
    const { assumptions, rule } = Scenario.compileOptions(loaded.scenario)
    const replicates = 10
    const futures = Futures.latinHypercube({ uncertainty: loaded.scenario.uncertainty ?? {}, named: [] }, replicates, 1)
    assert.strictEqual(Object.keys(loaded.scenario.uncertainty ?? {}).length, 3)
    const result = Either.getOrThrow(
      Backtest.run(
        loaded.baseline.events.map((e) => e.event),
        {
          horizon: 5,
          methods: [{ kind: "cohort-component" }],
          ...(assumptions === undefined ? {} : { assumptions }),
          ...(rule === undefined ? {} : { rule }),
          replicates,
          seed: 1,
          replicateAssumptions: (i, baseYear, horizon, central) => Futures.assumptionsOf(central, futures[i], { baseYear, horizon })
        }
      )
    )
    const summary = Backtest.Calibrated.summary(Backtest.Calibrated.calibrate(result.errors, 0.9))
    assert.strictEqual(summary.length, 12)
    for (const s of summary) {
      assert.isAtLeast(s.n, 30, `${s.level} ${s.scope}`)
      assert.isAtLeast(s.coverage ?? 0, 0.85, `${s.level} ${s.scope}`)
      assert.isAtMost(s.coverage ?? 1, 0.95, `${s.level} ${s.scope}`)
    }
    // the replicates' band alone misses the unforeseen migration (primary county)
    const mc = result.errors.filter((e) => e.level === "primary" && e.scope === "county" && e.in_mc !== undefined)
    assert.isBelow(mc.filter((e) => e.in_mc).length / mc.length, 0.85)
  }, 300_000)
})
