import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids } from "@seatplan/core"
import { AllocationRule, Assumptions, Compile, Dimensions, Engine, Results, Tables } from "../src/index.js"
import { Fixtures } from "@seatplan/core/testing"
import { tiny } from "./fixtures.js"

const total = (a: Float64Array, from = 0, to = a.length) => {
  let n = 0
  for (let i = from; i < to; i++) n += a[i]
  return n
}

const noRepetition: Assumptions.Assumptions = Assumptions.defaults

const runTiny = (stream: "baseline" | "plan/township", options: Compile.Options = {}, seed?: number) => {
  const m = Compile.compile(tiny(stream), { horizon: 10, ...options })
  const cube = Engine.run(m, seed === undefined ? {} : { seed })
  return { m, cube }
}

describe("the engine on the tiny example", () => {
  it("counts every child of enrolment age once: in a school, unplaced, or out of school", () => {
    for (const rule of AllocationRule.all) {
      const { cube, m } = runTiny("plan/township", { rule, assumptions: noRepetition })
      const rows = Tables.county(m, cube, "v")
      for (const r of rows) {
        assert.approximately(
          r.pupils + r.unplaced + r.out_of_school,
          r.children,
          1e-6 * Math.max(1, r.children),
          `${rule.name} ${r.year} ${r.level}`
        )
      }
    }
  })

  it("moves children without loss: each year's population is last year's, minus deaths, ageing out and leavers, plus births and arrivals", () => {
    const { cube, m } = runTiny("plan/township")
    const size = m.settlements * Dimensions.ages
    const pop = cube.population!
    const F = Results.flowMetrics.length
    for (let y = 1; y < cube.years; y++) {
      const before = total(pop, (y - 1) * size, y * size)
      const after = total(pop, y * size, (y + 1) * size)
      const f = (name: (typeof Results.flowMetrics)[number]) => cube.flows[y * F + Results.flowMetrics.indexOf(name)]
      const expected = before - f("died") - f("aged_out") - f("moved_out") + f("moved_in") + f("born")
      assert.approximately(after, expected, 1e-6 * before)
    }
  })

  it("the same input gives identical results; a seed gives identical draws, another seed other draws", () => {
    const bytes = (c: Results.Cube) => Buffer.from(Results.schoolFigures(c).buffer)
    assert.strictEqual(Buffer.compare(bytes(runTiny("baseline").cube), bytes(runTiny("baseline").cube)), 0)
    const a = runTiny("baseline", {}, 7).cube
    const b = runTiny("baseline", {}, 7).cube
    const c = runTiny("baseline", {}, 8).cube
    assert.strictEqual(Buffer.compare(bytes(a), bytes(b)), 0)
    assert.strictEqual(Buffer.compare(Buffer.from(a.population!.buffer), Buffer.from(b.population!.buffer)), 0)
    assert.notStrictEqual(Buffer.compare(bytes(a), bytes(c)), 0)
    assert.notStrictEqual(Buffer.compare(bytes(a), bytes(runTiny("baseline").cube)), 0)
  })

  it("a closure moves the closed school's pupils and teachers to the receiving school without loss", () => {
    const base = runTiny("baseline", { rule: AllocationRule.catchmentOnly })
    const plan = runTiny("plan/township", { rule: AllocationRule.catchmentOnly })
    const rows = (r: typeof base) => Tables.schools(r.m, r.cube, "v").filter((x) => x.year === 2026 && x.level === "primary")
    const pick = (list: ReadonlyArray<Tables.SchoolRow>, id: string) => list.find((x) => x.school_id === id)
    const b = rows(base)
    const p = rows(plan)
    // the closed school keeps its row (issue 13 item 10): closed, with no pupils
    assert.strictEqual(pick(p, "ZHANG-TP")!.status, "closed")
    assert.strictEqual(pick(p, "ZHANG-TP")!.pupils, 0)
    const moved = pick(b, "ZHANG-TP")!.pupils
    assert.isAbove(moved, 0)
    assert.approximately(pick(p, "DONG-PRI")!.pupils, pick(b, "DONG-PRI")!.pupils + moved, 1e-6)
    const teachers = (list: ReadonlyArray<Tables.SchoolRow>) => list.reduce((n, r) => n + r.teachers_assigned, 0)
    const planTeachersBefore = Tables.schools(plan.m, plan.cube, "v").filter((x) => x.year === 2025 && x.level === "primary")
    const closedTeachers = pick(planTeachersBefore, "ZHANG-TP")!.teachers_assigned
    assert.isAbove(closedTeachers, 0)
    assert.approximately(teachers(p), teachers(b), 1e-6)
  })

  it("adding seats never increases the county's seat gap", () => {
    const events = tiny("baseline")
    const more: Event.Event = {
      _tag: "SchoolExpanded",
      year: Ids.schoolYear(2026),
      schoolId: Ids.schoolId("SEAT-PRI-1"),
      ...Fixtures.noExpansion,
      classrooms: 6,
      seats: 300
    }
    for (const rule of AllocationRule.all) {
      const gap = (list: ReadonlyArray<Event.Event>) => {
        const m = Compile.compile(list, { horizon: 8, rule })
        return Tables.county(m, Engine.run(m), "v").map((r) => r.pupils_over_seats)
      }
      const before = gap(events)
      const after = gap([...events, more])
      after.forEach((g, i) => assert.isAtMost(g, before[i] + 1e-9, rule.name))
    }
  })
})
