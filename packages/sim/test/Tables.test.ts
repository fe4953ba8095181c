import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids } from "@seatplan/core"
import { FastCheck as fc } from "effect"
import { Compile, Engine, Synthetic, Tables } from "../src/index.js"
import { tiny } from "./fixtures.js"

describe("tables", () => {
  const m = Compile.compile(tiny("plan/township"), { horizon: 6 })
  const cube = Engine.run(m)
  const schools = Tables.schools(m, cube, "plan")
  const county = Tables.county(m, cube, "plan")

  it("a year's school rows built alone (schoolsIn) are that year's rows of the whole table", () => {
    for (let year = m.baseYear - 1; year <= m.baseYear + cube.years; year++) {
      assert.deepStrictEqual(
        Tables.schoolsIn(m, cube, "plan", year),
        schools.filter((r) => r.year === year)
      )
    }
  })

  it("the county table sums the school table, level by level and year by year", () => {
    for (const c of county) {
      const rows = schools.filter((s) => s.year === c.year && s.level === c.level)
      const sum = (f: (r: Tables.SchoolRow) => number) => rows.reduce((n, r) => n + f(r), 0)
      assert.approximately(
        c.pupils,
        sum((r) => r.pupils),
        1e-6
      )
      assert.approximately(
        c.seats,
        sum((r) => r.seats),
        1e-6
      )
      assert.approximately(
        c.pupils_over_seats,
        sum((r) => r.pupils_over_seats),
        1e-6
      )
      assert.strictEqual(
        c.classes,
        sum((r) => r.classes)
      )
      assert.strictEqual(
        c.large_classes + c.super_large_classes,
        sum((r) => r.large_classes + r.super_large_classes)
      )
      assert.approximately(
        c.teacher_gap,
        sum((r) => r.teacher_gap),
        1e-6
      )
      assert.strictEqual(c.schools, rows.filter((r) => r.open).length)
    }
  })

  it("a mean class is never above the largest, on generated regions of several sizes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 20, max: 120 }), (seed, settlements) => {
        const region = Synthetic.generate({ seed, settlements, schools: Math.max(2, Math.round(settlements / 4)) })
        if (region._tag === "Left") return
        const model = Compile.compile(region.right.events, { horizon: 8 })
        const rows = Tables.schools(model, Engine.run(model), "v")
        for (const r of rows) {
          if (r.classes === 0) assert.strictEqual(r.mean_class_size, 0)
          // a mean over whole pupils: whole pupils over classes, so at most the largest class
          else assert.isAtMost(r.mean_class_size, r.max_class_size + 1e-9, `${r.school_id} ${r.level} ${r.year}`)
          assert.isTrue(Number.isInteger(Math.round(r.mean_class_size * r.classes * 1e6) / 1e6))
        }
      }),
      { numRuns: 12 }
    )
  })

  it("classes split into within the cap, over the cap, large and super-large, in every row", () => {
    for (const r of [...schools, ...county]) {
      assert.strictEqual(r.classes_within_cap + r.classes_over_cap + r.large_classes + r.super_large_classes, r.classes)
      assert.isAtLeast(r.classes_over_cap, 0)
    }
    assert.isAbove(
      county.reduce((n, r) => n + r.classes_within_cap, 0),
      0
    )
  })

  it("every school row has the contract's columns", () => {
    const required = [
      "variant",
      "year",
      "school_id",
      "level",
      "pupils",
      "seats",
      "classrooms",
      "classes",
      "mean_class_size",
      "max_class_size",
      "large_classes",
      "super_large_classes",
      "teachers_needed",
      "teachers_assigned",
      "boarders",
      "mean_distance_km"
    ]
    for (const key of required) assert.property(schools[0], key)
    const c = county[0]
    for (const key of [
      "pupils",
      "seats",
      "pupils_over_seats",
      "classes",
      "large_class_share",
      "super_large_classes",
      "teachers_needed",
      "teachers_assigned",
      "teacher_gap",
      "difference_coefficients",
      "capital_cost",
      "recurrent_cost"
    ]) {
      assert.property(c, key)
    }
  })

  it("the expansion's capital cost lands in its year; recurrent cost floors small schools at 100 pupils", () => {
    const capital = county.filter((c) => c.year === 2025 && c.level === "primary")[0].capital_cost
    assert.strictEqual(capital, 270 * 57000)
    const small = schools.find((r) => r.school_pupils > 0 && r.school_pupils < 100 && r.open)
    if (small !== undefined) assert.approximately(small.recurrent_cost, 12000 * 100 * (small.pupils / small.school_pupils), 1e-6)
  })

  it("the difference coefficient is the pupil-weighted coefficient of variation", () => {
    assert.strictEqual(Tables.differenceCoefficient([2, 2, 2], [10, 20, 30]), 0)
    const x = [1, 3]
    const w = [1, 1]
    assert.approximately(Tables.differenceCoefficient(x, w), 1 / 2, 1e-12)
    assert.approximately(Tables.differenceCoefficient([1, 3], [3, 1]), Math.sqrt(0.75) / 1.5, 1e-12)
  })
})

describe("the catchment table (学区)", () => {
  it("every settlement's pupils are counted in exactly one catchment per level", () => {
    const m = Compile.compile(tiny("plan/township"), { horizon: 4 })
    const cube = Engine.run(m)
    const rows = Tables.catchments(m, cube, "plan")
    const county = Tables.county(m, cube, "plan")
    for (const c of county) {
      const zoned = rows.filter((r) => r.year === c.year && r.level === c.level)
      const resident = zoned.reduce((n, r) => n + r.resident_pupils, 0)
      assert.approximately(resident + c.unzoned, c.pupils + c.unplaced, 1e-6, `${c.year} ${c.level}`)
      const zonedSettlements = zoned.reduce((n, r) => n + r.settlements, 0)
      assert.strictEqual(zonedSettlements, c.level === "primary" && c.year >= 2027 ? 8 : 7)
      if (zonedSettlements === 7 && c.year >= 2025) assert.isAbove(c.unzoned, 0)
    }
    const east = rows.find((r) => r.year === 2028 && r.level === "primary" && r.school_id === "SEAT-PRI-2")
    assert.strictEqual(east?.settlements, 1)
  })
})

describe("schools' statuses (Tables.statuses)", () => {
  const region = Synthetic.county(3)
  const baseYear = region.baseYear
  const schools = region.events.flatMap((e) => (e._tag === "SchoolOpened" ? [e.school.id] : []))
  const horizon = 6

  /** The definition: every event of a year tested against every school (what `statuses` did before it looked at each event once). */
  const reference = (m: Compile.Model, years: number): ReadonlyArray<ReadonlyArray<string>> => {
    const at = (id: string) => m.schoolIndex.get(id) ?? -1
    const opens = (e: Event.Event): number =>
      e._tag === "SchoolOpened" ? at(e.school.id) : e._tag === "SchoolRepurposed" && e.use === "kindergarten" ? at(e.schoolId) : -1
    const closes = (e: Event.Event, k: number): string | undefined =>
      e._tag === "SchoolClosed" && at(e.schoolId) === k
        ? "closed"
        : e._tag === "SchoolsMerged" && e.into !== m.schoolIds[k] && e.absorbed.some((id) => at(id) === k)
          ? `merged into ${e.into}`
          : undefined
    const planned = new Set(m.timeline.flatMap((events) => events.map(opens)))
    const state = Array.from<unknown, string>({ length: m.schools }, (_, k) =>
      m.open[k] === 1 ? "open" : planned.has(k) ? "not yet open" : "closed"
    )
    const out: Array<ReadonlyArray<string>> = []
    for (let y = 0; y < years; y++) {
      const flag = new Map<number, string>()
      for (const e of m.timeline[y] ?? []) {
        const o = opens(e)
        if (o >= 0) {
          state[o] = "open"
          flag.set(o, "opened")
        }
        if ((e._tag === "SchoolExpanded" || e._tag === "BoardingChanged") && !flag.has(at(e.schoolId))) flag.set(at(e.schoolId), "expanded")
        for (let k = 0; k < m.schools; k++) {
          const closed = closes(e, k)
          if (closed !== undefined) state[k] = closed
        }
      }
      const next = m.timeline[y + 1] ?? []
      out.push(
        state.map((s, k) => (s !== "open" ? s : (flag.get(k) ?? (next.some((e) => closes(e, k) !== undefined) ? "closing" : "open"))))
      )
    }
    return out
  }

  const school = fc.constantFrom(...schools, Ids.schoolId("unbuilt"))
  /** A planned event that changes a school's status, in one of the projected years. */
  const planned: fc.Arbitrary<Event.Event> = fc.integer({ min: 1, max: horizon }).chain((after) => {
    const year = Ids.schoolYear(baseYear + after)
    return fc.oneof(
      school.map((schoolId): Event.Event => ({ _tag: "SchoolClosed", year, schoolId })),
      // sometimes merged into one of the absorbed schools (which stays open)
      fc.tuple(fc.array(school, { minLength: 1, maxLength: 3 }), fc.boolean(), school).map(
        ([absorbed, intoOwn, other]): Event.Event => ({
          _tag: "SchoolsMerged",
          year,
          absorbed: absorbed as [Ids.SchoolId, ...Array<Ids.SchoolId>],
          into: intoOwn ? absorbed[absorbed.length - 1] : other
        })
      )
    )
  })

  it("each event looked at once gives what testing it against every school gives", () => {
    fc.assert(
      fc.property(fc.array(planned, { maxLength: 12 }), (extra) => {
        const m = Compile.compile([...region.events.filter((e) => e.year <= baseYear), ...extra], { horizon, baseYear })
        assert.deepStrictEqual(Tables.statuses(m, horizon + 1), reference(m, horizon + 1))
      }),
      { numRuns: 60 }
    )
  })
})
