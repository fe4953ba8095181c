/**
 * Uncertain assumptions and named futures (issue 17): located problems for bad ranges, designs that give
 * the same bits for the same seed, Latin-hypercube strata, inverse CDFs inside their bounds, and a future's
 * assumptions.
 */
import { assert, describe, it } from "@effect/vitest"
import { Assumptions } from "@seatplan/sim"
import { Either } from "effect"
import fc from "fast-check"
import * as fs from "node:fs"
import * as path from "node:path"
import { parse, stringify } from "yaml"
import { Futures, ScenarioLoader } from "../src/index.js"

const root = path.resolve(import.meta.dirname, "../../..")
const tinyText = fs.readFileSync(path.join(root, "scenarios/tiny/scenario.yaml"), "utf8")

/** The tiny scenario with `extra` added at the top level, as YAML text. */
const tinyWith = (extra: Record<string, unknown>): string => stringify({ ...(parse(tinyText) as object), ...extra })

const problemsOf = (text: string) => {
  const r = ScenarioLoader.decode(text, "x.yaml")
  return Either.isLeft(r) ? r.left.problems : []
}

describe("uncertainty and named futures in the scenario file", () => {
  it("a scenario with ranges of every kind and named futures loads; the ranges do not change its assumptions", () => {
    const text = tinyWith({
      uncertainty: {
        birthTrend: { low: -0.04, central: 0, high: 0.01 },
        "migration.village.county-seat": { distribution: "uniform", min: 0.01, max: 0.05 },
        "participation.kindergarten": { distribution: "normal", mean: 0.92, sd: 0.03, min: 0.8, max: 1 },
        teacherAttrition: { distribution: "triangular", min: 0, mode: 0, max: 0.04 }
      },
      futures: [{ name: "births-fall-faster", description: "births fall 3 % a year faster", values: { birthTrend: -0.03 } }]
    })
    const r = ScenarioLoader.decode(text, "x.yaml")
    assert.isTrue(Either.isRight(r), Either.isLeft(r) ? r.left.message : "")
  })

  it("bad ranges are located problems: the file, line and column, the field path, what was expected and found", () => {
    const text = tinyWith({
      uncertainty: {
        birthTrend: { low: 0.02, central: 0, high: 0.01 },
        "participation.primary": { low: 0.9, central: 0.95, high: 1 },
        "migration.county-seat.township": { distribution: "uniform", min: 0, max: 0.1 },
        "retention.junior": { distribution: "normal", mean: 0.985, sd: 0.01, min: 0.9, max: 1.2 },
        nonsense: { low: 0, central: 0, high: 1 }
      },
      futures: [
        { name: "a", values: { birthTrend: -0.5 } },
        { name: "a", values: {} }
      ]
    })
    const problems = problemsOf(text)
    const lines = text.split("\n")
    const find = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1
    const byPath = new Map(problems.map((p) => [p.path, p]))
    assert.match(byPath.get("uncertainty.nonsense")?.message ?? "", /is unexpected, expected: an uncertain assumption: birthTrend/)
    // decoding stops at the unknown key: fix it and the semantic checks speak
    const fixed = text.replace(/\n {2}nonsense:\n( {4}.*\n)+/, "\n")
    const second = problemsOf(fixed)
    const lines2 = fixed.split("\n")
    const where = new Map(second.map((p) => [p.path, p]))
    assert.strictEqual(where.get("uncertainty.birthTrend.high")?.message, "expected high above low (0.02), found 0.01")
    assert.match(where.get("uncertainty.birthTrend.central")?.message ?? "", /expected central from 0.02 to 0.01, found 0/)
    assert.strictEqual(
      where.get("uncertainty.participation.primary.central")?.message,
      "expected the value the assumptions give, 1 (the central future is the plain run), found 0.95"
    )
    assert.match(where.get("uncertainty.migration.county-seat.township")?.message ?? "", /no single value of migration rate/)
    assert.strictEqual(where.get("uncertainty.retention.junior.max")?.message, "expected at most 1 (retention, junior, share), found 1.2")
    assert.strictEqual(
      where.get("futures[0].values.birthTrend")?.message,
      "expected 0.02 to 0.01 (the range under uncertainty.birthTrend), found -0.5"
    )
    assert.strictEqual(where.get("futures[1].name")?.message, 'a future named "a" is given twice')
    // located on the line of the field
    const high = where.get("uncertainty.birthTrend.high")!
    assert.strictEqual(high.line, lines2.findIndex((l, i) => l.includes("high: 0.01") && i > find("uncertainty:") - 1) + 1)
    assert.isAbove(high.column ?? 0, 0)
    const message = Either.getLeft(ScenarioLoader.decode(fixed, "x.yaml")).pipe((o) => (o._tag === "Some" ? o.value.message : ""))
    assert.match(message, /^x\.yaml:\d+:\d+: uncertainty\.birthTrend\.high: expected high above low/m)
  })
})

const space: Futures.Space = {
  uncertainty: {
    birthTrend: { low: -0.04, central: 0, high: 0.01 },
    "migration.village.county-seat": { distribution: "uniform", min: 0.01, max: 0.05 },
    "participation.kindergarten": { distribution: "normal", mean: 0.92, sd: 0.03, min: 0.8, max: 1 }
  },
  named: [{ name: "low-births", values: { birthTrend: -0.03 } }]
}

describe("designs", () => {
  it("the same seed gives the same futures bit for bit; another seed others", () => {
    const a = Futures.draw(space, "lhs", 50, 7)
    const b = Futures.draw(space, "lhs", 50, 7)
    assert.deepStrictEqual(a, b)
    assert.notDeepEqual(Futures.draw(space, "lhs", 50, 8), a)
  })

  it("a Latin hypercube puts exactly one future in each of the N equally likely strata of every assumption", () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 2 ** 31 }), (n, seed) => {
        const futures = Futures.latinHypercube(space, n, seed)
        const uniform = space.uncertainty["migration.village.county-seat"] as { min: number; max: number }
        const strata = futures.map((f) =>
          Math.floor(((f.values["migration.village.county-seat"] - uniform.min) / (uniform.max - uniform.min)) * n)
        )
        assert.deepStrictEqual(
          [...strata].sort((x, y) => x - y),
          Array.from({ length: n }, (_, i) => i)
        )
      }),
      { numRuns: 50 }
    ))

  it("every quantile lies within its distribution's bounds and grows with the probability", () =>
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (u, w) => {
        for (const d of Object.values(space.uncertainty)) {
          const [lo, hi] = Futures.bounds(d)
          const x = Futures.quantile(d, u)
          assert.isTrue(x >= lo && x <= hi)
          if (u <= w) assert.isTrue(Futures.quantile(d, u) <= Futures.quantile(d, w) + 1e-12)
        }
      })
    ))

  it("a triangular range's quantile at its mode's probability is the central value", () => {
    const d = { low: -0.04, central: 0, high: 0.01 }
    assert.closeTo(Futures.quantile(d, 0.04 / 0.05), 0, 1e-12)
  })

  it("a grid of 27 over three ranges takes low, central and high of a range, and N at most", () => {
    const g = Futures.grid(space, 27, 1)
    assert.strictEqual(g.length, 27)
    assert.deepStrictEqual([...new Set(g.map((f) => f.values.birthTrend))], [-0.04, 0, 0.01])
    assert.strictEqual(Futures.grid(space, 5, 1).length, 5)
  })

  it("the named design is the central future and the scenario's named ones", () => {
    assert.deepStrictEqual(
      Futures.named(space).map((f) => f.name),
      ["central", "low-births"]
    )
  })

  it("a future's assumptions: the birth trend compounds the index from the base year, other values are put in", () => {
    const a = Futures.assumptionsOf(
      Assumptions.defaults,
      { id: 0, name: "x", values: { birthTrend: -0.1, "participation.kindergarten": 0.8, "migration.village.county-seat": 0.05 } },
      { baseYear: 2024, horizon: 3 }
    )
    assert.closeTo(Assumptions.birthIndexAt(a, 2026), Assumptions.birthIndexAt(Assumptions.defaults, 2026) * 0.81, 1e-9)
    assert.strictEqual(Assumptions.birthIndexAt(a, 2024), Assumptions.birthIndexAt(Assumptions.defaults, 2024))
    assert.strictEqual(a.participation.kindergarten, 0.8)
    assert.deepStrictEqual(
      a.migration.filter((r) => r.from === "village" && r.to === "county-seat").map((r) => r.rate),
      [0.05]
    )
    assert.deepStrictEqual(
      Futures.assumptionsOf(Assumptions.defaults, { id: 0, name: "central", values: {} }, { baseYear: 2024, horizon: 3 }),
      Assumptions.defaults
    )
  })
})
