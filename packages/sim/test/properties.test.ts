/**
 * Properties over generated regions (Synthetic) and generated plans: pupils and children are neither lost
 * nor duplicated, closures move pupils and teachers without loss, runs are deterministic.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids } from "@seatplan/core"
import { Either, FastCheck as fc } from "effect"
import { AllocationRule, Compile, Dimensions, Engine, Results, Synthetic, Tables } from "../src/index.js"

const scenario = fc
  .record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    settlements: fc.integer({ min: 8, max: 40 }),
    rule: fc.constantFrom(...AllocationRule.all),
    horizon: fc.integer({ min: 1, max: 4 }),
    closures: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 4 })), { maxLength: 3 })
  })
  .map(({ closures, horizon, rule, seed, settlements }) => {
    const region = Either.getOrThrow(Synthetic.generate({ seed, settlements }))
    const schools = region.events.flatMap((e) => (e._tag === "SchoolOpened" ? [e.school] : []))
    const primaries = schools.filter((s) => s.type === "primary")
    const closed = new Set<string>()
    const plan: Array<Event.Event> = []
    for (const [a, b, when] of closures) {
      if (primaries.length < 2) break
      const from = primaries[a % primaries.length]
      const into = primaries[b % primaries.length]
      if (from.id === into.id || closed.has(from.id) || closed.has(into.id)) continue
      closed.add(from.id)
      plan.push({
        _tag: "SchoolClosed",
        year: Ids.schoolYear(region.baseYear + Math.min(when, horizon)),
        schoolId: from.id,
        pupilsTo: into.id
      })
    }
    return { region, plan, rule, horizon }
  })

const run = (events: ReadonlyArray<Event.Event>, rule: AllocationRule.AllocationRule, horizon: number, seed?: number) => {
  const m = Compile.compile(events, { horizon, rule })
  const cube = Engine.run(m, seed === undefined ? {} : { seed })
  return { m, cube }
}

describe("engine properties over generated regions and plans", () => {
  it.prop(
    "every child of enrolment age is in a school, unplaced or out of school; population flows balance",
    [scenario],
    ([s]) => {
      const { cube, m } = run([...s.region.events, ...s.plan], s.rule, s.horizon)
      for (const r of Tables.county(m, cube, "v", { differenceCoefficients: false })) {
        assert.approximately(r.pupils + r.unplaced + r.out_of_school, r.children, 1e-6 * Math.max(1, r.children))
        assert.isAtLeast(r.seats, 0)
        assert.isAtLeast(r.unplaced, 0)
      }
      const size = m.settlements * Dimensions.ages
      const pop = cube.population!
      const F = Results.flowMetrics.length
      for (let y = 1; y < cube.years; y++) {
        let before = 0
        let after = 0
        for (let i = 0; i < size; i++) {
          before += pop[(y - 1) * size + i]
          after += pop[y * size + i]
        }
        const f = (name: (typeof Results.flowMetrics)[number]) => cube.flows[y * F + Results.flowMetrics.indexOf(name)]
        assert.approximately(after, before - f("died") - f("aged_out") - f("moved_out") + f("moved_in") + f("born"), 1e-6 * before)
      }
    },
    { fastCheck: { numRuns: 25 } }
  )

  it.prop(
    "closures move pupils and teachers to the receiving schools without loss",
    [scenario],
    ([s]) => {
      if (s.plan.length === 0) return
      const rule = AllocationRule.catchmentOnly
      const without = run(s.region.events, rule, s.horizon)
      const withPlan = run([...s.region.events, ...s.plan], rule, s.horizon)
      const totals = (r: ReturnType<typeof run>) => {
        const rows = Tables.schools(r.m, r.cube, "v")
        const byYear = new Map<string, { pupils: number; teachers: number }>()
        for (const row of rows) {
          const key = `${row.year}|${row.level}`
          const t = byYear.get(key) ?? { pupils: 0, teachers: 0 }
          byYear.set(key, { pupils: t.pupils + row.pupils, teachers: t.teachers + row.teachers_assigned })
        }
        return byYear
      }
      const a = totals(without)
      const b = totals(withPlan)
      for (const [key, t] of a) {
        const level = key.split("|")[1]
        assert.approximately(b.get(key)?.pupils ?? 0, t.pupils, 1e-6 * Math.max(1, t.pupils), key)
        if (level === "primary") {
          const teachersA = [...a].filter(([k]) => k.startsWith(key.split("|")[0])).reduce((n, [, v]) => n + v.teachers, 0)
          const teachersB = [...b].filter(([k]) => k.startsWith(key.split("|")[0])).reduce((n, [, v]) => n + v.teachers, 0)
          assert.approximately(teachersB, teachersA, 1e-6 * Math.max(1, teachersA), key)
        }
      }
    },
    { fastCheck: { numRuns: 25 } }
  )

  it.prop(
    "the same events and seed give byte-identical results",
    [scenario, fc.option(fc.nat(), { nil: undefined })],
    ([s, seed]) => {
      const events = [...s.region.events, ...s.plan]
      const a = run(events, s.rule, s.horizon, seed).cube
      const b = run(events, s.rule, s.horizon, seed).cube
      assert.strictEqual(Buffer.compare(Buffer.from(Results.schoolFigures(a).buffer), Buffer.from(Results.schoolFigures(b).buffer)), 0)
      assert.strictEqual(Buffer.compare(Buffer.from(a.county.buffer), Buffer.from(b.county.buffer)), 0)
    },
    { fastCheck: { numRuns: 15 } }
  )
})
