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

  const backtest = (noise: boolean) => {
    const loaded = Effect.runSync(ScenarioLoader.loadBaseline(file))
    const { assumptions, rule } = Scenario.compileOptions(loaded.scenario)
    const replicates = 10
    const futures = Futures.latinHypercube({ uncertainty: loaded.scenario.uncertainty ?? {}, named: [] }, replicates, 1)
    assert.strictEqual(Object.keys(loaded.scenario.uncertainty ?? {}).length, 3)
    return Either.getOrThrow(
      Backtest.run(
        loaded.baseline.events.map((e) => e.event),
        {
          horizon: 5,
          methods: [{ kind: "cohort-component" }],
          ...(assumptions === undefined ? {} : { assumptions }),
          ...(rule === undefined ? {} : { rule }),
          replicates,
          seed: 1,
          noise,
          replicateAssumptions: (i, baseYear, horizon, central) => Futures.assumptionsOf(central, futures[i], { baseYear, horizon })
        }
      )
    )
  }
  const covers = (result: Backtest.Result) => {
    const summary = Backtest.Calibrated.summary(Backtest.Calibrated.calibrate(result.errors, 0.9))
    assert.strictEqual(summary.length, 12)
    for (const s of summary) {
      assert.isAtLeast(s.n, 30, `${s.level} ${s.scope}`)
      assert.isAtLeast(s.coverage ?? 0, 0.85, `${s.level} ${s.scope}`)
      assert.isAtMost(s.coverage ?? 1, 0.95, `${s.level} ${s.scope}`)
    }
    return summary
  }

  it("90 % bands of futures and noise (run --replicates) hold 85-95 % of the actuals in the backtest, per level and scope", () => {
    const result = backtest(true)
    covers(result)
    // the replicates' band alone misses the unforeseen migration (primary county)
    const mc = result.errors.filter((e) => e.level === "primary" && e.scope === "county" && e.in_mc !== undefined)
    assert.isBelow(mc.filter((e) => e.in_mc).length / mc.length, 0.85)
  }, 300_000)

  it("90 % bands of futures alone (sweep) hold 85-95 % of the actuals in the backtest, per level and scope", () => {
    const result = backtest(false)
    covers(result)
    // futures alone differ from futures and noise: the calibration is only valid for the band it was made for
    const calibration = Backtest.Calibrated.calibration(result.errors, 0.9, "futures", 10)
    assert.strictEqual(calibration.base, "futures")
    assert.isAbove(calibration.quantiles.length, 0)
  }, 300_000)

  it("a calibration from every origin: the ⌈(n + 1)·0.9⌉-th score per method, level, scope and horizon, its longest horizon beyond", () => {
    const row = (origin: number, horizon: number, actual: number): Backtest.ErrorRow =>
      ({
        method: "m",
        origin,
        level: "primary",
        scope: "county",
        unit: "county",
        year: origin + horizon,
        horizon,
        forecast: 100,
        actual,
        mc_lower: 90,
        mc_upper: 110
      }) as unknown as Backtest.ErrorRow
    // scores: (actual − 110) / 100 above the band, (90 − actual) / 100 below it
    const rows = [row(2010, 1, 120), row(2011, 1, 80), row(2012, 1, 100), row(2010, 2, 130), row(2011, 2, 105)]
    const c = Backtest.Calibrated.calibration(rows, 0.9, "futures and noise", 10)
    // horizon 1: scores 0.1, 0.1, −0.1 → n = 3, the largest (⌈4·0.9⌉ = 4 > 3); horizon 2: 0.2, −0.05 → 0.2
    assert.deepStrictEqual(
      c.quantiles.map((q) => [q.horizon, q.n, q.q]),
      [
        [1, 3, 0.1],
        [2, 2, 0.2]
      ]
    )
    assert.strictEqual(Backtest.Calibrated.quantileFor(c, "m", "primary", "county", 1), 0.1)
    assert.strictEqual(Backtest.Calibrated.quantileFor(c, "m", "primary", "county", 7), 0.2)
    assert.isUndefined(Backtest.Calibrated.quantileFor(c, "m", "primary", "county", 0))
    assert.isUndefined(Backtest.Calibrated.quantileFor(c, "m", "primary", "school", 1))
    assert.deepStrictEqual(Backtest.Calibrated.widen(90, 110, 100, 0.2), [70, 130])
    assert.deepStrictEqual(Backtest.Calibrated.widen(5, 110, 100, 0.2), [0, 130])
  })
})
