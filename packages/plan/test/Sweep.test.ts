/**
 * Sweeps (issue 17): a future runs on the variant's one compiled model with its assumptions and gives what
 * a full compile with those assumptions gives; the figures are the county table's; the rows are the same
 * bits whatever the number of workers and however the futures are cut into ranges; a variant whose only
 * change is adding seats holds the seats standard in at least as many futures (property); the regret table
 * of 3 futures × 2 variants checked by hand.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Event, EventStore } from "@seatplan/core"
import { Compile, Engine, Tables } from "@seatplan/sim"
import { Effect, Either } from "effect"
import fc from "fast-check"
import * as fs from "node:fs"
import * as path from "node:path"
import { Futures, Project, Robustness, Scenario, ScenarioLoader, Sweep } from "../src/index.js"

const root = path.resolve(import.meta.dirname, "../../..")
const file = "scenarios/tiny/scenario.yaml"
const full = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(path.join(root, file), "utf8"), file))
const loaded = { ...full, scenario: { ...full.scenario, horizon: 6 } }

const space: Futures.Space = {
  uncertainty: {
    birthTrend: { low: -0.08, central: 0, high: 0.04 },
    "migration.village.county-seat": { low: 0.0, central: 0.025, high: 0.08 },
    "participation.kindergarten": { distribution: "normal", mean: 0.92, sd: 0.05, min: 0.8, max: 1 },
    teacherAttrition: { distribution: "triangular", min: 0, mode: 0, max: 0.05 },
    capitalPerSeat: { low: 40000, central: 56853, high: 80000 }
  },
  named: []
}
const drawOf = (futures: number, seed = 3): Sweep.Draw => ({
  ...Sweep.drawOf(loaded, "lhs", futures, seed),
  space
})

const models = Effect.runSync(
  Effect.gen(function* () {
    yield* Project.store(loaded)
    const variants = yield* Sweep.compileVariants(loaded)
    const baseline = yield* Project.compiled(loaded, "baseline")
    return { variants, baseline }
  }).pipe(Effect.provide(EventStore.layerMemory))
)

describe("a future on the variant's one compiled model", () => {
  it("gives the same figures as compiling the variant again with the future's assumptions", () => {
    const options = Scenario.compileOptions(loaded.scenario)
    const events = models.baseline.events.map((e) => e.event)
    for (const future of Futures.latinHypercube(space, 4, 11)) {
      const a = Futures.assumptionsOf(options.assumptions!, future, { baseYear: options.baseYear, horizon: options.horizon })
      const again = Compile.compile(events, { ...options, assumptions: a })
      assert.deepStrictEqual(Sweep.project(models.baseline.model, a), Sweep.project(again, a), future.name)
    }
  })

  it("its figures are the county table's, and teachers short is Σ over the schools short of them", () => {
    const model = models.baseline.model
    const values = Sweep.project(model, model.assumptions).figures
    const m = Compile.fresh(model)
    const cube = Engine.run(m, { population: false })
    const county = Tables.county(m, cube, "x")
    const schools = Tables.schools(m, cube, "x")
    const rows = Sweep.rowsOf({ id: 0, name: "central", values: {} }, "x", model.baseYear, values)
    for (const c of county) {
      const r = rows.find((x) => x.year === c.year && x.level === c.level)!
      for (const k of ["pupils", "pupils_over_seats", "large_classes", "super_large_classes", "capital_cost", "recurrent_cost"] as const) {
        assert.closeTo(r[k], c[k], 1e-6 * Math.max(1, Math.abs(c[k])), `${k} ${c.year} ${c.level}`)
      }
      const short = schools.filter((s) => s.year === c.year && s.level === c.level).reduce((n, s) => n + Math.max(0, s.teacher_gap), 0)
      assert.closeTo(r.teachers_short, short, 1e-6, `teachers_short ${c.year} ${c.level}`)
      assert.closeTo(r.total_cost, r.capital_cost + r.recurrent_cost + r.transport_cost + r.boarding_subsidy_cost, 1e-6)
    }
  })
})

describe("the same bits whatever runs it", () => {
  it.effect(
    "0, 1 and 2 worker threads give identical rows; ranges run apart add up to the whole",
    () =>
      Effect.gen(function* () {
        const draw = drawOf(7)
        const inThread = yield* Sweep.run({ models: models.variants, draw, workers: 0 })
        const one = yield* Sweep.run({ models: models.variants, draw, workers: 1 })
        const two = yield* Sweep.run({ models: models.variants, draw, workers: 2 })
        assert.strictEqual(inThread.rows.length, 7 * models.variants.length * 7 * 4)
        assert.deepStrictEqual(one.rows, inThread.rows)
        assert.deepStrictEqual(two.rows, inThread.rows)
        assert.deepStrictEqual(one.schools, inThread.schools)
        assert.deepStrictEqual(two.schools, inThread.schools)
        // every counted standard checked in every future, the same bits in worker threads
        assert.isAbove(inThread.rules[0].length, 5)
        assert.deepStrictEqual(one.holds, inThread.holds)
        assert.deepStrictEqual(two.holds, inThread.holds)
        const model = models.variants[0].model
        const whole = Sweep.runRange(model, draw, 0, 7)
        const parts = [...Sweep.runRange(model, draw, 0, 3), ...Sweep.runRange(model, draw, 3, 7)]
        assert.deepStrictEqual(parts, whole)
      }),
    180_000
  )
})

describe("robustness", () => {
  it("a variant whose only change is adding seats holds the seats standard in at least as many futures, every year (property)", () => {
    const options = Scenario.compileOptions(loaded.scenario)
    const events = models.baseline.events.map((e) => e.event)
    const schools = ["SEAT-PRI-1", "DONG-PRI", "LIU-PRI", "WANG-PRI", "SEAT-JUN", "SEAT-KG"]
    const base = models.baseline.model
    const draw = drawOf(6, 5)
    fc.assert(
      fc.property(
        fc.constantFrom(...schools),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 2025, max: 2030 }),
        (school, seats, year) => {
          const expansion = { _tag: "SchoolExpanded", year, schoolId: school, seats } as unknown as Event.Event
          const more = Compile.compile([...events, expansion], options)
          const result: Sweep.Rows = {
            futures: Sweep.futuresOf(draw),
            variants: ["base", "more"],
            rows: [base, more].flatMap((m, v) =>
              Sweep.futuresOf(draw).flatMap((f) =>
                Sweep.rowsOf(
                  f,
                  v === 0 ? "base" : "more",
                  m.baseYear,
                  Sweep.project(m, Futures.assumptionsOf(m.assumptions, f, draw.years)).figures
                )
              )
            )
          }
          const rows = Robustness.robustness(Robustness.totals(result)).filter((r) => r.standard === "seats")
          for (const r of rows.filter((x) => x.variant === "more")) {
            const before = rows.find((x) => x.variant === "base" && x.year === r.year)!
            assert.isAtLeast(r.holds_share, before.holds_share, `${school} +${seats} seats in ${year}, year ${r.year}`)
          }
        }
      ),
      { numRuns: 12 }
    )
  })

  it("the regret table of 3 futures × 2 variants, checked by hand", () => {
    // one level, two years; figures chosen so each variant is best in some future
    const futures = [0, 1, 2].map((id) => ({ id, name: `f${id}`, values: {} }))
    const row = (future: number, variant: string, year: number, total_cost: number, pupils_over_seats: number): Sweep.Row => ({
      future,
      future_name: `f${future}`,
      variant,
      year,
      level: "primary",
      pupils: 100,
      pupils_over_seats,
      large_classes: 0,
      super_large_classes: 0,
      capital_cost: total_cost,
      recurrent_cost: 0,
      teachers_short: 0,
      transport_cost: 0,
      boarding_subsidy_cost: 0,
      total_cost
    })
    // A: cheap but short of seats; B: dear, enough seats except in f2
    const rows = [
      row(0, "A", 2025, 10, 5),
      row(0, "A", 2026, 10, 5),
      row(0, "B", 2025, 30, 0),
      row(0, "B", 2026, 0, 0),
      row(1, "A", 2025, 10, 0),
      row(1, "A", 2026, 10, 0),
      row(1, "B", 2025, 30, 0),
      row(1, "B", 2026, 0, 0),
      row(2, "A", 2025, 50, 20),
      row(2, "A", 2026, 0, 0),
      row(2, "B", 2025, 30, 4),
      row(2, "B", 2026, 10, 4)
    ]
    const t = Robustness.totals({ futures, variants: ["A", "B"], rows })
    const regret = Robustness.regret(t).map((r) => [
      r.future_name,
      r.variant,
      r.horizon_cost,
      r.pupil_years_over_seats,
      r.cost_regret,
      r.pupils_regret
    ])
    assert.deepStrictEqual(regret, [
      // f0: A costs 20, B 30 → B regrets 10 yuan; A has 10 pupil-years over seats, B none → A regrets 10
      ["f0", "A", 20, 10, 0, 10],
      ["f0", "B", 30, 0, 10, 0],
      // f1: same costs, nobody short
      ["f1", "A", 20, 0, 0, 0],
      ["f1", "B", 30, 0, 10, 0],
      // f2: A costs 50 with 20 over seats, B 40 with 8
      ["f2", "A", 50, 20, 10, 12],
      ["f2", "B", 40, 8, 0, 0]
    ])
    const summary = Robustness.regretSummary(Robustness.regret(t), ["A", "B"])
    assert.deepStrictEqual(summary[0].cost, { mean: 10 / 3, p90: 8, max: 10 })
    assert.deepStrictEqual([summary[1].bestInCost, summary[1].bestInPupils], [1, 3])
    // the seats standard: A holds in f1 both years and in f2 in 2026; B everywhere but f2
    const robustness = Robustness.robustness(t).filter((r) => r.standard === "seats")
    assert.deepStrictEqual(
      robustness.map((r) => [r.variant, r.year, r.holds_share]),
      [
        ["A", 2025, 1 / 3],
        ["A", 2026, 2 / 3],
        ["B", 2025, 2 / 3],
        ["B", 2026, 2 / 3]
      ]
    )
  })

  it("a variant's verdicts in one sentence: standards held, never held, full compliance, and the worst in between with its box", () => {
    const box: Robustness.Box = {
      restrictions: [{ key: "birthTrend", min: -0.01 }],
      coverage: 0.8,
      density: 0.95,
      support: 0.3
    }
    const verdict = (standard: string, share: number, withBox = false): Robustness.Verdict => ({
      variant: "A",
      standard,
      year: 2030,
      share,
      failing: [],
      box: withBox ? box : undefined,
      text: { en: "", zh: "" }
    })
    const t = { variants: ["A"], rules: [{ id: "classCap", zh: "班额", en: "every class within the standard cap" }] }
    const verdicts = [
      verdict("seats", 0.95),
      verdict("class-size", 0.6, true),
      verdict("teachers", 0),
      verdict("all", 0),
      // fewer futures, but no box: the one with a box is the worst to name
      verdict("classCap", 0.3),
      verdict("counted", 0)
    ]
    const [summary] = Robustness.summaries(t, verdicts, 0.9)
    assert.deepStrictEqual([summary.standards, summary.met, summary.never, summary.worst?.standard], [4, 1, 1, "class-size"])
    assert.strictEqual(
      summary.text.en,
      'A: 1 of 4 standards hold to the horizon in at least 90 % of futures, 1 in none, 2 in between; full compliance (every counted standard): in no future. Worst in between: "no large classes (none of 56 or more)", from 2030 on in 60 % of futures; it fails when birth trend (yearly change of births against the central assumption) ≥ -0.01 (share per year) (80 % of the failing futures; 95 % of the futures in that box fail).'
    )
  })

  it("PRIM finds the box a failure was made from, naming only the assumptions that matter", () => {
    const futures = Futures.latinHypercube(
      {
        uncertainty: {
          birthTrend: { low: -0.05, central: 0, high: 0.02 },
          "migration.village.county-seat": { low: 0.01, central: 0.025, high: 0.05 },
          capitalPerSeat: { low: 40000, central: 56853, high: 80000 }
        },
        named: []
      },
      400,
      9
    )
    const keys = ["birthTrend", "capitalPerSeat", "migration.village.county-seat"]
    const x = futures.map((f) => keys.map((k) => f.values[k]))
    const fails = futures.map((f) => f.values.birthTrend > -0.01 && f.values["migration.village.county-seat"] > 0.03)
    const box = Robustness.prim(x, fails, keys)!
    assert.deepStrictEqual(
      box.restrictions.map((r) => r.key),
      ["birthTrend", "migration.village.county-seat"]
    )
    assert.isAbove(box.density, 0.9)
    assert.isAbove(box.coverage, 0.5)
    const trend = box.restrictions[0]
    assert.closeTo(trend.min ?? Number.NaN, -0.01, 0.005)
    assert.isUndefined(
      Robustness.prim(
        x,
        futures.map(() => false),
        keys
      )
    )
  })
})

// PRIM as first written (every candidate box evaluated over every assumption): the reference the
// incremental peeling must match exactly
const plainPrim = (
  x: ReadonlyArray<ReadonlyArray<number>>,
  fails: ReadonlyArray<boolean>,
  keys: ReadonlyArray<string>,
  options: Robustness.PrimOptions = {}
): Robustness.Box | undefined => {
  const n = x.length
  const failing = fails.filter(Boolean).length
  if (n === 0 || failing === 0 || failing === n || keys.length === 0) return undefined
  const alpha = options.alpha ?? 0.05
  const minSupport = options.minSupport ?? 0.05
  const minCoverage = options.minCoverage ?? 0.5
  const d = keys.length
  const lo = keys.map((_, j) => Math.min(...x.map((r) => r[j])))
  const hi = keys.map((_, j) => Math.max(...x.map((r) => r[j])))
  const evaluate = (blo: ReadonlyArray<number>, bhi: ReadonlyArray<number>) => {
    let inside = 0
    let bad = 0
    for (let i = 0; i < n; i++) {
      let ok = true
      for (let j = 0; j < d && ok; j++) ok = x[i][j] >= blo[j] && x[i][j] <= bhi[j]
      if (ok) {
        inside++
        if (fails[i]) bad++
      }
    }
    return { inside, bad }
  }
  const trajectory: Array<{ lo: Array<number>; hi: Array<number>; inside: number; bad: number }> = []
  let blo = [...lo]
  let bhi = [...hi]
  let current = evaluate(blo, bhi)
  trajectory.push({ lo: blo, hi: bhi, ...current })
  while (current.inside / n >= minSupport) {
    let best: { lo: Array<number>; hi: Array<number>; inside: number; bad: number } | undefined
    for (let j = 0; j < d; j++) {
      const values = x
        .filter((r) => r.every((v, k) => v >= blo[k] && v <= bhi[k]))
        .map((r) => r[j])
        .sort((a, b) => a - b)
      const k = Math.max(1, Math.floor(alpha * values.length))
      const cutLow = values.find((v) => v > values[k - 1])
      const cutHigh = [...values].reverse().find((v) => v < values[values.length - k])
      for (const [which, bound] of [
        ["lo", cutLow],
        ["hi", cutHigh]
      ] as const) {
        if (bound === undefined) continue
        const nlo = [...blo]
        const nhi = [...bhi]
        if (which === "lo") nlo[j] = bound
        else nhi[j] = bound
        const e = evaluate(nlo, nhi)
        if (e.inside === 0) continue
        const better =
          best === undefined ||
          e.bad / e.inside > best.bad / best.inside + 1e-12 ||
          (Math.abs(e.bad / e.inside - best.bad / best.inside) <= 1e-12 && e.inside > best.inside)
        if (better) best = { lo: nlo, hi: nhi, ...e }
      }
    }
    if (best === undefined || best.inside / n < minSupport) break
    blo = best.lo
    bhi = best.hi
    current = { inside: best.inside, bad: best.bad }
    trajectory.push(best)
  }
  let chosen = trajectory[0]
  for (const b of trajectory) {
    if (b.bad / failing < minCoverage) continue
    if (b.bad / b.inside > chosen.bad / chosen.inside + 1e-12) chosen = b
  }
  // drop, one at a time, the restriction whose removal costs the least density, while it costs less than
  // `tolerance` (a box reads with as few assumptions as it needs; a cut that only trims noise goes)
  const tolerance = options.tolerance ?? 0.05
  const clo = [...chosen.lo]
  const chi = [...chosen.hi]
  let e = evaluate(clo, chi)
  for (;;) {
    let best: { j: number; side: "lo" | "hi"; e: { inside: number; bad: number } } | undefined
    for (let j = 0; j < d; j++) {
      for (const side of ["lo", "hi"] as const) {
        if (side === "lo" ? clo[j] <= lo[j] : chi[j] >= hi[j]) continue
        const tlo = [...clo]
        const thi = [...chi]
        if (side === "lo") tlo[j] = lo[j]
        else thi[j] = hi[j]
        const without = evaluate(tlo, thi)
        if (best === undefined || without.bad / without.inside > best.e.bad / best.e.inside + 1e-12) best = { j, side, e: without }
      }
    }
    if (best === undefined || best.e.bad / best.e.inside < e.bad / e.inside - tolerance) break
    if (best.side === "lo") clo[best.j] = lo[best.j]
    else chi[best.j] = hi[best.j]
    e = best.e
  }
  const restrictions: Array<Robustness.Restriction> = []
  keys.forEach((key, j) => {
    if (clo[j] > lo[j] || chi[j] < hi[j]) {
      restrictions.push({ key, ...(clo[j] > lo[j] ? { min: clo[j] } : {}), ...(chi[j] < hi[j] ? { max: chi[j] } : {}) })
    }
  })
  return { restrictions, coverage: e.bad / failing, density: e.bad / e.inside, support: e.inside / n }
}

// ---------------------------------------------------------------------------------------- verdicts

describe("PRIM's incremental peeling", () => {
  it.prop(
    "gives exactly the box of the plain peeling (ties included: values on a coarse grid)",
    [
      fc.integer({ min: 1, max: 4 }).chain((d) =>
        fc.array(fc.tuple(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: d, maxLength: d }), fc.boolean()), {
          minLength: 1,
          maxLength: 300
        })
      ),
      fc.constantFrom(0.05, 0.1, 0.2)
    ],
    ([rows, alpha]) => {
      const x = rows.map(([r]) => r)
      const fails = rows.map(([, f]) => f)
      const keys = x[0].map((_, j) => `a${j}`)
      assert.deepStrictEqual(Robustness.prim(x, fails, keys, { alpha }), plainPrim(x, fails, keys, { alpha }))
    },
    { fastCheck: { numRuns: 300 } }
  )
})
