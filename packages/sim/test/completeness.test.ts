/**
 * Issue 13 item 8: missing data is unknown, never a pass or a fail. Properties over generated regions and
 * generated gaps in their schools' data.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { AllocationRule, Compile, Completeness, Compliance, Engine, Results, Synthetic, Tables } from "../src/index.js"

const gaps = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  settlements: fc.integer({ min: 8, max: 30 }),
  // which schools lack what: (school pick, field pick) pairs
  holes: fc.array(fc.tuple(fc.nat(), fc.subarray([...Completeness.fields], { minLength: 1 })), { maxLength: 6 })
})

describe("an unknown check is neither a pass nor a fail", () => {
  it.prop(
    "with figures missing, each check keeps its status or becomes unknown; a pass that more of the figure cannot undo stays a pass; fail counts drop by exactly the checks that became unknown",
    [gaps],
    ([g]) => {
      const region = Either.getOrThrow(Synthetic.generate({ seed: g.seed, settlements: g.settlements }))
      const m = Compile.compile(region.events, { horizon: 2, rule: AllocationRule.catchmentThenNearest })
      const cube = Engine.run(Compile.fresh(m))
      const schools = Tables.schools(m, cube, "v")
      const county = Tables.county(m, cube, "v")
      const standardsIn = (y: number) => Results.standardsAt(cube, y - m.baseYear)
      const missing = new Map<string, Set<Completeness.Field>>()
      for (const [pick, fields] of g.holes) {
        const id = m.schoolIds[pick % m.schools]
        missing.set(id, new Set([...(missing.get(id) ?? []), ...fields]))
      }
      const known = Compliance.evaluate(Compliance.national, schools, county, standardsIn)
      const partly = Compliance.evaluate(Compliance.national, schools, county, standardsIn, missing)
      assert.strictEqual(partly.length, known.length)
      const rules = new Map(Compliance.national.map((r) => [r.id, r]))
      let becameUnknown = 0
      for (let i = 0; i < known.length; i++) {
        const a = known[i]
        const b = partly[i]
        assert.strictEqual(`${b.rule}|${b.school_id}|${b.level}|${b.year}`, `${a.rule}|${a.school_id}|${a.level}|${a.year}`)
        assert.notStrictEqual(a.status, "unknown", "without gaps nothing is unknown")
        assert.isTrue(b.status === a.status || b.status === "unknown", `${a.rule} ${a.school_id}: ${a.status} became ${b.status}`)
        assert.strictEqual(b.pass, b.status === "pass")
        const rule = rules.get(a.rule)!
        if (a.status === "pass" && Completeness.passesAnyway(rule.column, rule.direction) && typeof rule.threshold !== "object") {
          assert.strictEqual(b.status, "pass", `${a.rule} ${a.school_id}: a pass at 0 passes whatever the figure`)
        }
        if (b.status === "unknown") assert.isAbove(b.missing.length, 0)
        if (a.status === "fail" && b.status === "unknown" && a.counts && a.year === m.baseYear + 2) becameUnknown++
      }
      const years = [m.baseYear, m.baseYear + 1, m.baseYear + 2]
      const before = Compliance.compliance("v", known, years, Compliance.national)
      const after = Compliance.compliance("v", partly, years, Compliance.national)
      const last = String(m.baseYear + 2)
      assert.strictEqual(after.failing_by_year[last], before.failing_by_year[last] - becameUnknown)
      assert.strictEqual(before.unknown_by_year[last], 0)
      assert.strictEqual(
        after.unknown_by_year[last],
        partly.filter((c) => c.status === "unknown" && c.counts && String(c.year) === last).length
      )
    },
    { fastCheck: { numRuns: 20 } }
  )

  it("a school lacking its music and art rooms: the rooms rule is unknown where it would fail, and the figures it lacks are named", () => {
    const region = Either.getOrThrow(Synthetic.generate({ seed: 5, settlements: 20 }))
    const m = Compile.compile(region.events, { horizon: 1 })
    const cube = Engine.run(Compile.fresh(m))
    const schools = Tables.schools(m, cube, "v")
    const county = Tables.county(m, cube, "v")
    const missing = new Map(m.schoolIds.map((id) => [id as string, new Set<Completeness.Field>(["musicRooms", "artRooms"])]))
    const checks = Compliance.evaluate(Compliance.national, schools, county, (y) => Results.standardsAt(cube, y - m.baseYear), missing)
    const rooms = checks.filter((c) => c.rule === "rooms.musicAndArt")
    assert.isAbove(rooms.length, 0)
    for (const c of rooms) {
      assert.include(["pass", "unknown"], c.status)
      if (c.status === "unknown") assert.strictEqual(c.missing, "musicRooms; artRooms")
    }
  })
})
