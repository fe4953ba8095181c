/**
 * Issue 13 item 5: kindergarten children never board, and distance and boarding limits per level are
 * standards, checked and counted. Seen before: the county example showed 294 kindergarten boarders and a
 * 33.5 km trip for 3-5-year-olds that no rule flagged, and boarders without beds never reached the headline.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Standards from "@seatplan/core/Standards"
import { Either, FastCheck as fc } from "effect"
import { AllocationRule, Compile, Compliance, Engine, Results, Synthetic, Tables } from "../src/index.js"
import { allocationInput, outputFor } from "../src/testing/index.js"

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  settlements: fc.integer({ min: 8, max: 40 }),
  rule: fc.constantFrom(...AllocationRule.all),
  horizon: fc.integer({ min: 1, max: 3 }),
  stochastic: fc.boolean()
})

type Scenario = typeof scenario extends fc.Arbitrary<infer A> ? A : never

const project = (s: Scenario) => {
  const region = Either.getOrThrow(Synthetic.generate({ seed: s.seed, settlements: s.settlements }))
  const m = Compile.compile(region.events, { horizon: s.horizon, rule: s.rule })
  const cube = Engine.run(Compile.fresh(m), s.stochastic ? { seed: s.seed } : {})
  return { m, cube, schools: Tables.schools(m, cube, "baseline"), county: Tables.county(m, cube, "baseline") }
}

describe("kindergarten boarding and the distance standards", () => {
  it("a generated county with far kindergarten children: none boards, those beyond the service radius are counted and fail the rule", () => {
    // seed 3 with 60 settlements has villages several km from their kindergarten: before the fix they boarded
    const region = Either.getOrThrow(Synthetic.generate({ seed: 3, settlements: 60 }))
    const m = Compile.compile(region.events, { horizon: 2, rule: AllocationRule.catchmentThenBoarding })
    const cube = Engine.run(Compile.fresh(m))
    const schools = Tables.schools(m, cube, "baseline")
    const county = Tables.county(m, cube, "baseline")
    const kg = county.filter((r) => r.level === "kindergarten")
    assert.isTrue(
      kg.some((r) => r.max_distance_km > Standards.defaults["distance.kindergarten"]),
      "the region has kindergarten children beyond 2 km"
    )
    for (const r of kg) {
      assert.strictEqual(r.boarders, 0, `${r.year}: kindergarten boarders`)
      assert.isAbove(r.beyond_distance, 0, `${r.year}: kindergarten children beyond the service radius are counted`)
    }
    const checks = Compliance.evaluate(Compliance.national, schools, county, (y) => Results.standardsAt(cube, y - m.baseYear))
    const failing = checks.filter((c) => c.rule === "distance" && c.level === "kindergarten" && !c.pass)
    assert.isAbove(failing.length, 0, "the distance rule flags them")
    assert.isTrue(Compliance.national.find((r) => r.id === "distance")?.counts)
  })

  it("boarders without beds are a counted rule (they reach the headline)", () => {
    const rule = Compliance.national.find((r) => r.id === "boardingBeds")
    assert.strictEqual(rule?.counts, true)
    assert.strictEqual(rule?.column, "boarding_bed_gap")
  })

  it("the distance standards are in the catalogue with a source, marked local policy", () => {
    for (const level of ["kindergarten", "primary", "junior", "senior"] as const) {
      const s = Standards.catalogue[`distance.${level}`]
      assert.strictEqual(s.unit, "km")
      assert.match(s.source, /^local policy \(no national figure\): /)
      assert.isAbove(s.sources.length, 0)
    }
  })

  it("a standard changed by a scenario is the one counted: a wider kindergarten radius counts fewer children", () => {
    const region = Either.getOrThrow(Synthetic.generate({ seed: 3, settlements: 60 }))
    const wide = [
      ...region.events,
      { _tag: "StandardChanged", year: region.events[0]!.year, key: "distance.kindergarten", value: 1000 } as const
    ]
    const m = Compile.compile(wide as never, { horizon: 1, rule: AllocationRule.catchmentThenBoarding })
    const cube = Engine.run(Compile.fresh(m))
    for (const r of Tables.county(m, cube, "baseline")) assert.strictEqual(r.beyond_distance, 0, `${r.level} ${r.year}`)
  })

  it.prop(
    "over generated regions, rules and runs: no kindergarten boarder; day pupils beyond the standard never exceed the pupils, and are there exactly when a kindergarten child lives beyond the radius",
    [scenario],
    ([s]) => {
      const { cube, m, schools } = project(s)
      for (const r of schools) {
        if (r.level === "kindergarten") {
          assert.strictEqual(r.boarders, 0)
          const radius = Results.standardsAt(cube, r.year - m.baseYear)["distance.kindergarten"]
          if (r.pupils > 1e-9) assert.strictEqual(r.beyond_distance > 1e-9, r.max_distance_km > radius, `${r.school_id} ${r.year}`)
        }
        assert.isAtMost(r.beyond_distance + r.boarders, r.pupils + 1e-6, `${r.school_id} ${r.level} ${r.year}`)
        assert.isAtLeast(r.beyond_distance, 0)
      }
    },
    { fastCheck: { numRuns: 25 } }
  )

  it.prop(
    "every shipped rule, on any input: a level that does not board books no boarder, and every pupil sent is a boarder, a day pupil within the standard or one beyond it",
    [allocationInput, fc.constantFrom(...AllocationRule.all)],
    ([input, rule]) => {
      const output = outputFor(input)
      rule.allocate(input, output)
      const boarders = output.boarders.reduce((a, b) => a + b, 0)
      if (!input.boards) assert.strictEqual(boarders, 0)
      const placed = output.enrolled.reduce((a, b) => a + b, 0)
      assert.isAtMost(boarders + output.beyond.reduce((a, b) => a + b, 0), placed + 1e-6)
    }
  )
})
