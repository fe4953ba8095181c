import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids, School } from "@seatplan/core"
import { Fixtures } from "@seatplan/core/testing"
import { Either } from "effect"
import { AllocationRule, Compile, Engine, Provenance, Tables } from "../src/index.js"

const y = Ids.schoolYear
const T = Ids.settlementId("TOWN")
const V1 = Ids.settlementId("V1")
const V2 = Ids.settlementId("V2")
const V3 = Ids.settlementId("V3")
const P = Ids.schoolId("PRI")
const Q = Ids.schoolId("Q-PRI")

const school = (id: Ids.SchoolId, settlementId: Ids.SettlementId, seats: number): Event.Event => ({
  _tag: "SchoolOpened",
  year: y(2024),
  school: {
    id,
    name: id,
    type: "primary",
    settlementId,
    lon: 113,
    lat: 34,
    ownership: "public",
    facilities: Fixtures.facilities({ classrooms: Math.ceil(seats / 45), seats }),
    teachers: School.noTeachers
  }
})

/**
 * A town with primary PRI (seats `seats`) serving the town and villages V1 and V2; V3 is zoned to Q-PRI.
 * Flat populations: 100, 50, 80 and 60 children of every age.
 */
const region = (seats: number): ReadonlyArray<Event.Event> => [
  { _tag: "SettlementRecorded", year: y(2024), settlement: { id: T, name: "Town", tier: "township", lon: 113, lat: 34 } },
  ...[V1, V2, V3].map(
    (id, i): Event.Event => ({
      _tag: "SettlementRecorded",
      year: y(2024),
      settlement: { id, name: id, tier: "village", lon: 113 + 0.02 * (i + 1), lat: 34, parent: T }
    })
  ),
  school(P, T, seats),
  school(Q, V3, 600),
  ...[T, V1, V2].map((s): Event.Event => ({ _tag: "CatchmentAssigned", year: y(2024), level: "primary", settlementId: s, schoolId: P })),
  { _tag: "CatchmentAssigned", year: y(2024), level: "primary", settlementId: V3, schoolId: Q },
  ...(
    [
      [T, 100],
      [V1, 50],
      [V2, 80],
      [V3, 60]
    ] as const
  ).map(
    ([s, n]): Event.Event => ({
      _tag: "PopulationRecorded",
      year: y(2024),
      settlementId: s,
      byAge: Array.from({ length: 19 }, () => n)
    })
  )
]

const engineFigure = (events: ReadonlyArray<Event.Event>, options: Compile.Options, year: number) => {
  const m = Compile.compile(events, options)
  return Tables.schools(m, Engine.run(m), "v").find((r) => r.year === year && r.school_id === P && r.level === "primary")!
}

describe("provenance of a school's pupils", () => {
  it("names exactly the settlements of its catchment, and the arithmetic reproduces the engine's figure", () => {
    const events = region(2000)
    const options: Compile.Options = { horizon: 3, rule: AllocationRule.catchmentThenNearest }
    const t = Either.getOrThrow(Provenance.trace(Compile.compile(events, options), { year: 2026, schoolId: P, level: "primary" }))
    assert.deepStrictEqual(
      t.settlements.map((s) => s.settlementId),
      [T, V1, V2]
    )
    const row = engineFigure(events, options, 2026)
    assert.approximately(t.pupils, row.pupils, 1e-9)
    assert.strictEqual(t.classes, row.classes)
    for (const s of t.settlements) {
      assert.strictEqual(s.share, 1)
      for (const c of s.cohorts) assert.approximately(c.pupils, c.children * c.rate + c.older * c.repeatRate, 1e-9)
      assert.approximately(
        s.pupils,
        s.cohorts.reduce((n, c) => n + c.pupils, 0),
        1e-9
      )
    }
    assert.approximately(t.overflow, 0, 1e-9)
    assert.approximately(t.fromSettlements + t.overflow, t.pupils, 1e-9)
    assert.deepStrictEqual(
      t.grades.map((g) => g.source),
      ["allocation", "allocation", "allocation", "allocation", "allocation", "allocation"]
    )
    for (const g of t.grades) assert.strictEqual(g.classes, Math.ceil(Math.round(g.pupils) / 45))
  })

  it("with too few seats, the first pass takes seats / catchment pupils of each settlement and the overflow leaves", () => {
    const events = region(300)
    const options: Compile.Options = { horizon: 2, rule: AllocationRule.catchmentThenNearest }
    const t = Either.getOrThrow(Provenance.trace(Compile.compile(events, options), { year: 2025, schoolId: P, level: "primary" }))
    assert.approximately(t.settlements[0].share, t.seats / t.catchmentPupils, 1e-12)
    assert.isBelow(t.settlements[0].share, 1)
    assert.approximately(t.fromSettlements + t.overflow, t.pupils, 1e-9)
    assert.approximately(t.pupils, engineFigure(events, options, 2025).pupils, 1e-9)
  })

  it("under grade progression, grade g is last year's grade g − 1 × the ratio, and the base year is as recorded", () => {
    const recorded = (
      [
        [2023, [60, 55, 50, 45, 40, 35]],
        [2024, [66, 58, 54, 48, 44, 38]]
      ] as const
    ).flatMap(([year, byGrade]) =>
      byGrade.map((pupils, i): Event.Event => ({ _tag: "EnrolmentRecorded", year: y(year), schoolId: P, grade: i + 1, pupils }))
    )
    const events = [...region(2000), ...recorded]
    const options: Compile.Options = { horizon: 3, method: { kind: "grade-progression", summary: "mean" } }
    const t = Either.getOrThrow(Provenance.trace(Compile.compile(events, options), { year: 2026, schoolId: P, level: "primary" }))
    assert.deepStrictEqual(
      t.grades.map((g) => g.source),
      ["allocation", "progression", "progression", "progression", "progression", "progression"]
    )
    for (const g of t.grades.slice(1)) assert.approximately(g.pupils, g.previous! * g.ratio!, 1e-9)
    assert.approximately(t.grades[1].ratio!, 58 / 60, 1e-12) // one observed transition into grade 2: 2024 58 / 2023 60
    assert.approximately(t.pupils, engineFigure(events, options, 2026).pupils, 1e-9)
    assert.approximately(t.fromSettlements + t.overflow, t.grades[0].pupils, 1e-9) // the settlements feed the entry grade only
    const base = Either.getOrThrow(Provenance.trace(Compile.compile(events, options), { year: 2024, schoolId: P, level: "primary" }))
    assert.deepStrictEqual(
      base.grades.map((g) => [g.source, g.pupils]),
      [66, 58, 54, 48, 44, 38].map((n) => ["recorded", n])
    )
  })

  it("traces a whole year from one run, each trace equal to the single one", () => {
    const events = region(300)
    const options: Compile.Options = { horizon: 2 }
    const all = Either.getOrThrow(Provenance.traceAll(Compile.compile(events, options), 2026))
    assert.deepStrictEqual(
      all.map((t) => `${t.schoolId}/${t.level}`),
      ["PRI/primary", "Q-PRI/primary"]
    )
    assert.deepStrictEqual(
      all[0],
      Either.getOrThrow(Provenance.trace(Compile.compile(events, options), { year: 2026, schoolId: P, level: "primary" }))
    )
  })

  it("reads a rule's first pass from the rule itself, not its name: a renamed rule traces as the one it is", () => {
    const events = region(300)
    const model = Compile.compile(events, { horizon: 2, rule: AllocationRule.catchmentThenNearest })
    const renamed = Compile.compile(events, { horizon: 2, rule: { ...AllocationRule.catchmentThenNearest, name: "my-nearest" } })
    const q = { year: 2025, schoolId: P, level: "primary" } as const
    const t = Either.getOrThrow(Provenance.trace(model, q))
    const u = Either.getOrThrow(Provenance.trace(renamed, q))
    assert.isBelow(u.settlements[0].share, 1)
    assert.deepStrictEqual(u.settlements, t.settlements)
    assert.strictEqual(u.overflow, t.overflow)
  })

  it("under catchment-only every settlement's first pass is whole, however full the school", () => {
    const events = region(300)
    const options: Compile.Options = { horizon: 2, rule: AllocationRule.catchmentOnly }
    const t = Either.getOrThrow(Provenance.trace(Compile.compile(events, options), { year: 2025, schoolId: P, level: "primary" }))
    for (const s of t.settlements) assert.strictEqual(s.share, 1)
    assert.approximately(t.overflow, 0, 1e-9)
    assert.approximately(t.pupils, engineFigure(events, options, 2025).pupils, 1e-9)
  })

  it("traces from a compiled model without consuming it: tracing twice gives the same trace and the tables are unchanged", () => {
    const events = region(300)
    const options: Compile.Options = { horizon: 2 }
    const model = Compile.compile(events, options)
    const q = { year: 2026, schoolId: P, level: "primary" } as const
    const first = Either.getOrThrow(Provenance.trace(model, q))
    assert.deepStrictEqual(Either.getOrThrow(Provenance.trace(model, q)), first)
    const tables = Tables.schools(model, Engine.run(Compile.fresh(model)), "v")
    const fromScratch = Compile.compile(events, options)
    assert.deepStrictEqual(tables, Tables.schools(fromScratch, Engine.run(fromScratch), "v"))
  })

  it("fails with a message naming what was asked", () => {
    const e = Provenance.trace(Compile.compile(region(2000), { horizon: 2 }), { year: 2040, schoolId: P, level: "primary" })
    assert.match(Either.isLeft(e) ? e.left.message : "", /year: expected a year from 2024 to 2026, found 2040/)
    const s = Provenance.trace(Compile.compile(region(2000), { horizon: 2 }), { year: 2025, schoolId: "NOPE", level: "primary" })
    assert.match(Either.isLeft(s) ? s.left.message : "", /no school NOPE/)
    // a level the school does not teach and has no pupils of: refused (it used to explain "0.0 pupils")
    const l = Provenance.trace(Compile.compile(region(2000), { horizon: 2 }), { year: 2025, schoolId: P, level: "senior" })
    assert.match(Either.isLeft(l) ? l.left.message : "", /level: PRI does not teach senior in 2025; it teaches primary/)
    // every school and level of traceAll traces alone; a level it does not teach does not
    const model = Compile.compile(region(300), { horizon: 2 })
    const all = new Set(Either.getOrThrow(Provenance.traceAll(model, 2026)).map((t) => `${t.schoolId}/${t.level}`))
    for (const schoolId of [P, Q])
      for (const level of School.levels)
        assert.strictEqual(
          Either.isRight(Provenance.trace(model, { year: 2026, schoolId, level })),
          all.has(`${schoolId}/${level}`),
          `${schoolId}/${level}`
        )
  })
})
