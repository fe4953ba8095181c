import { assert, describe, it } from "@effect/vitest"
import type { Event } from "@seatplan/core"
import { Either } from "effect"
import * as fc from "fast-check"
import { Backtest, Compile, Synthetic, SyntheticHistory } from "../src/index.js"

const close = (actual: number | undefined, expected: number, digits = 9) =>
  assert.closeTo(actual ?? NaN, expected, 10 ** -digits, `${actual} ≈ ${expected}`)

describe("the error metrics, by hand", () => {
  it("signed and absolute percentage error: an over-forecast is positive, an under-forecast negative", () => {
    close(Backtest.percentError(110, 100), 10)
    close(Backtest.percentError(90, 100), -10)
    close(Backtest.percentError(50, 40), 25)
    assert.strictEqual(Backtest.percentError(5, 0), undefined)
  })

  it("MAPE, bias and the shares within ±2 % and ±5 %", () => {
    const errors = [10, -10, 5, -1, 2]
    close(Backtest.mape(errors), (10 + 10 + 5 + 1 + 2) / 5)
    close(Backtest.bias(errors), (10 - 10 + 5 - 1 + 2) / 5)
    close(Backtest.withinShare(errors, 2), 2 / 5)
    close(Backtest.withinShare(errors, 5), 3 / 5)
    assert.isNaN(Backtest.mape([]))
  })

  it("an error band and its application to a new forecast", () => {
    // quantiles of [-10, 0, 10, 20] at 0.25 and 0.75, interpolated: h = 0.75 → -10 + 0.75·10; h = 2.25 → 10 + 0.25·10
    const band = Backtest.errorBand([20, -10, 10, 0], 0.5)!
    assert.deepStrictEqual(band, { lower: -2.5, upper: 12.5, n: 4 })
    const [lo, hi] = Backtest.applyBand(112.5, band)
    close(lo, 100) // 112.5 / 1.125: had the new forecast been 12.5 % over
    close(hi, 112.5 / 0.975) // had it been 2.5 % under
    assert.strictEqual(Backtest.errorBand([1, 2], 0.9), undefined)
  })

  it("scores a forecast by horizon and scope against the recorded enrolment", () => {
    // origin 2020; schools A and B in township T, C in the county seat S; primary only.
    //          forecast 2021  actual 2021   forecast 2022  actual 2022
    //   A            110          100            90            100
    //   B             50           40            60             60
    //   C            200          250           (none)        (not recorded)
    const f = new Map([
      [Backtest.key("A", 2021, "primary"), 110],
      [Backtest.key("B", 2021, "primary"), 50],
      [Backtest.key("C", 2021, "primary"), 200],
      [Backtest.key("A", 2022, "primary"), 90],
      [Backtest.key("B", 2022, "primary"), 60]
    ])
    const actual: Backtest.Recorded = {
      pupils: new Map([
        [Backtest.key("A", 2021, "primary"), 100],
        [Backtest.key("B", 2021, "primary"), 40],
        [Backtest.key("C", 2021, "primary"), 250],
        [Backtest.key("A", 2022, "primary"), 100],
        [Backtest.key("B", 2022, "primary"), 60]
      ]),
      years: [2020, 2021, 2022]
    }
    const area = new Map([
      ["A", "T"],
      ["B", "T"],
      ["C", "S"]
    ])
    const cells = Backtest.cells(f, actual, area, 2020, 3, ["primary"], ["A", "B", "C"])
    const error = (scope: string, unit: string, horizon: number) => {
      const c = cells.find((x) => x.scope === scope && x.unit === unit && x.horizon === horizon)!
      return Backtest.percentError(c.forecast, c.actual)
    }
    close(error("school", "A", 1), 10) // over
    close(error("school", "B", 1), 25) // over
    close(error("school", "C", 1), -20) // under
    close(error("catchment", "T", 1), ((160 - 140) / 140) * 100)
    close(error("county", "county", 1), ((360 - 390) / 390) * 100)
    close(error("school", "A", 2), -10)
    close(error("school", "B", 2), 0)
    close(error("county", "county", 2), ((150 - 160) / 160) * 100) // C not recorded in 2022: left out of the sum
    assert.isUndefined(cells.find((x) => x.horizon === 3)) // 2023 not recorded: nothing scored
  })

  it("names methods and parses the names back", () => {
    for (const m of Backtest.defaultMethods(4)) assert.deepStrictEqual(Backtest.parseMethod(Backtest.methodName(m)), m)
    assert.strictEqual(Backtest.methodName({ kind: "grade-progression", summary: "mean", window: 3 }), "gp-mean-last3")
    assert.strictEqual(Backtest.parseMethod("gp-mode"), undefined)
  })

  it.prop(
    "the error has the sign of forecast − actual, and a band that holds 0 % holds the forecast",
    [
      fc.double({ min: 0, max: 1e5, noNaN: true }),
      fc.double({ min: 0.5, max: 1e5, noNaN: true }),
      fc.array(fc.double({ min: -90, max: 300, noNaN: true }), { minLength: 3 })
    ],
    ([forecast, actual, errors]) => {
      const e = Backtest.percentError(forecast, actual)!
      assert.strictEqual(Math.sign(e), Math.sign(forecast - actual))
      const band = Backtest.errorBand([...errors, 0], 0.99)!
      const [lo, hi] = Backtest.applyBand(forecast, band)
      if (band.lower <= 0 && band.upper >= 0) assert.isTrue(lo <= forecast * (1 + 1e-12) && forecast <= hi * (1 + 1e-12))
    }
  )
})

/** A small synthetic county whose history (2014-2022) the engine generated with default assumptions. */
const region = Either.getOrThrow(Synthetic.generate({ seed: 3, settlements: 40, schools: 15, baseYear: 2014 }))
const history = Either.getOrThrow(SyntheticHistory.extend(region.events, { years: 8, seed: 5 }))

describe("a synthetic history", () => {
  it("records population, births and every taught grade's enrolment for each simulated year", () => {
    const years = (tag: Event.Event["_tag"]) => [...new Set(history.filter((e) => e._tag === tag).map((e) => e.year))].sort()
    assert.deepStrictEqual(years("EnrolmentRecorded"), [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022])
    assert.deepStrictEqual(years("PopulationRecorded"), [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022])
    assert.includeMembers(years("BirthsRecorded"), [2015, 2022])
    assert.deepStrictEqual(Either.getOrThrow(SyntheticHistory.extend(region.events, { years: 8, seed: 5 })), history)
  })

  it("refuses bad years and an uncompilable history with tagged errors, never a throw", () => {
    const years = SyntheticHistory.extend(region.events, { years: 0 })
    assert.isTrue(Either.isLeft(years) && years.left instanceof Synthetic.InvalidOptions && years.left.option === "years")
    assert.strictEqual(Either.isLeft(years) ? years.left.message : "", "years must be a positive integer, got 0")
    const unprojectable = SyntheticHistory.extend(
      region.events.filter((e) => e._tag !== "PopulationRecorded"),
      { years: 2 }
    )
    assert.isTrue(Either.isLeft(unprojectable) && unprojectable.left instanceof Compile.CompileError)
    assert.strictEqual(Either.isLeft(unprojectable) ? unprojectable.left._tag : "", "CompileError")
    const compiled = Compile.compileEither([], { horizon: 1 })
    assert.isTrue(Either.isLeft(compiled) && compiled.left._tag === "CompileError" && compiled.left instanceof Error)
    assert.match(Either.isLeft(compiled) ? compiled.left.message : "", /^no PopulationRecorded event/)
  })
})

describe("backtests", () => {
  it("recover small errors on a region generated with known parameters, and the generating method wins", () => {
    const result = Either.getOrThrow(Backtest.run(history, { horizon: 3 }))
    assert.deepStrictEqual(result.origins, [2015, 2016, 2017, 2018, 2019, 2020, 2021])
    assert.deepStrictEqual(result.warnings, [])
    const cc = (scope: Backtest.Scope, horizon: number) =>
      result.summary.find((s) => s.method === "cohort-component" && s.level === "primary" && s.scope === scope && s.horizon === horizon)!
    for (const h of [1, 2, 3]) {
      assert.isBelow(cc("county", h).mape, 1)
      assert.isBelow(cc("school", h).mape, 3)
    }
    for (const b of result.best) assert.strictEqual(b.method, "cohort-component", `${b.level} ${b.scope}`)
    for (const r of result.errors) assert.isTrue(Number.isFinite(r.error_pct))
  })

  it("warns once about a year missing from the record and never scores it", () => {
    const gap = history.filter((e) => !(e._tag === "EnrolmentRecorded" && e.year === 2018))
    const result = Either.getOrThrow(Backtest.run(gap, { horizon: 2, methods: [{ kind: "cohort-component" }] }))
    const missing = result.warnings.filter((w) => w.includes("no enrolment recorded in 2018"))
    assert.strictEqual(missing.length, 1)
    assert.isFalse(result.errors.some((r) => r.year === 2018))
    assert.isFalse(result.origins.includes(2018) || result.origins.includes(2019)) // 2019 would need 2018
  })

  it("carries the grade-progression warnings: a zero feeder grade is a warning, not a division by zero", () => {
    const school = history.find((e): e is Event.EventOf<"EnrolmentRecorded"> => e._tag === "EnrolmentRecorded" && e.grade === 1)!.schoolId
    const zero = history.map((e) =>
      e._tag === "EnrolmentRecorded" && e.schoolId === school && e.grade === 1 && e.year === 2016 ? { ...e, pupils: 0 } : e
    )
    const result = Either.getOrThrow(
      Backtest.run(zero, { horizon: 1, origins: [2018], methods: [{ kind: "grade-progression", summary: "mean" }] })
    )
    const warned = result.warnings.filter((w) => w.includes(`school ${school} had no pupils in grade 1 in 2016`))
    assert.strictEqual(warned.length, 1)
    assert.isTrue(warned[0].startsWith("gp-mean: "))
    for (const r of result.errors) assert.isTrue(Number.isFinite(r.error_pct))
  })

  it("scores Monte Carlo bands when asked, and reports the coverage of both kinds of band", () => {
    const result = Either.getOrThrow(
      Backtest.run(history, {
        horizon: 1,
        origins: [2018, 2019, 2020, 2021],
        methods: [{ kind: "cohort-component" }],
        replicates: 20,
        levels: ["primary"]
      })
    )
    const county = result.summary.find((s) => s.scope === "county")!
    assert.strictEqual(county.mc_n, 4)
    assert.strictEqual(county.empirical_n, 4) // each origin's band from the 3 others
    const school = result.summary.find((s) => s.scope === "school")!
    assert.isAbove(school.mc_coverage!, 0.5)
    assert.isAbove(school.empirical_coverage!, 0.5)
  })

  it("puts the empirical bands around a new projection from the last recorded year", () => {
    const result = Either.getOrThrow(Backtest.run(history, { horizon: 2, methods: [{ kind: "cohort-component" }], levels: ["primary"] }))
    const bands = Backtest.empiricalBands(result)
    const rows = Backtest.banded(history, bands, { method: { kind: "cohort-component" }, horizon: 2, levels: ["primary"] })
    assert.deepStrictEqual([...new Set(rows.map((r) => r.year))], [2023, 2024])
    const county = rows.find((r) => r.scope === "county" && r.horizon === 1)!
    const band = bands.find((b) => b.scope === "county" && b.horizon === 1)!
    const [lo, hi] = Backtest.applyBand(county.pupils, band)
    assert.deepStrictEqual([county.lower, county.upper], [lo, hi])
    for (const r of rows) if (r.lower !== undefined) assert.isTrue(r.lower <= r.upper!)
  })

  it("fails with a message naming the problem", () => {
    const noPopulation = history.filter((e) => !(e._tag === "PopulationRecorded" && e.year < 2018))
    const e = Backtest.run(noPopulation, { origins: [2016] })
    assert.isTrue(Either.isLeft(e))
    assert.match(
      Either.getLeft(e).pipe((o) => (o._tag === "Some" ? o.value.message : "")),
      /origin 2016: no population by age/
    )
    const none = Backtest.run(history.filter((e) => e._tag !== "EnrolmentRecorded"))
    assert.match(Either.isLeft(none) ? none.left.message : "", /no enrolment recorded/)
    const bad = Backtest.run(history, { horizon: 0 })
    assert.match(Either.isLeft(bad) ? bad.left.message : "", /horizon: expected/)
  })
})
