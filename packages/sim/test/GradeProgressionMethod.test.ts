import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids, School } from "@seatplan/core"
import { Fixtures } from "@seatplan/core/testing"
import { AllocationRule, Compile, Engine, Tables } from "../src/index.js"

const y = Ids.schoolYear
const town = Ids.settlementId("TOWN")
const pri = Ids.schoolId("PRI")

/** One town, one primary school, enrolment recorded 2022-2024 (hand-made numbers). */
const history: ReadonlyArray<Event.Event> = [
  { _tag: "SettlementRecorded", year: y(2022), settlement: { id: town, name: "Town", tier: "township", lon: 113, lat: 34 } },
  {
    _tag: "SchoolOpened",
    year: y(2022),
    school: {
      id: pri,
      name: "Primary",
      type: "primary",
      settlementId: town,
      lon: 113,
      lat: 34,
      ownership: "public",
      facilities: Fixtures.facilities({ classrooms: 30, seats: 1350 }),
      teachers: School.noTeachers
    }
  },
  { _tag: "CatchmentAssigned", year: y(2022), level: "primary", settlementId: town, schoolId: pri },
  { _tag: "PopulationRecorded", year: y(2024), settlementId: town, byAge: Array.from({ length: 19 }, () => 100) },
  ...(
    [
      [2022, [100, 90, 80, 70, 60, 50]],
      [2023, [110, 95, 90, 80, 70, 60]],
      [2024, [120, 99, 100, 90, 80, 70]]
    ] as const
  ).flatMap(([year, byGrade]) =>
    byGrade.map((pupils, i): Event.Event => ({ _tag: "EnrolmentRecorded", year: y(year), schoolId: pri, grade: i + 1, pupils }))
  )
]

describe("the grade-progression method in the engine", () => {
  it("reproduces a hand computation: grade g next year = grade g−1 this year × the mean ratio", () => {
    const m = Compile.compile(history, { horizon: 2, method: { kind: "grade-progression" }, rule: AllocationRule.catchmentOnly })
    const rows = Tables.schools(m, Engine.run(m), "v")
    const pupils = (year: number) => rows.find((r) => r.year === year)!.pupils
    // ratios (mean of 2023 and 2024): grade 2: (95/100 + 99/110) / 2; grade 3: (90/90 + 100/95) / 2; …
    const r = [
      0,
      0,
      (95 / 100 + 99 / 110) / 2,
      (90 / 90 + 100 / 95) / 2,
      (80 / 80 + 90 / 90) / 2,
      (70 / 70 + 80 / 80) / 2,
      (60 / 60 + 70 / 70) / 2
    ]
    assert.strictEqual(pupils(2024), 120 + 99 + 100 + 90 + 80 + 70)
    // entrants from the population model: 100 children of every age in 2024, surviving to age 6
    const entry2025 = 100 * m.survival[5]
    const entry2026 = 100 * m.survival[4] * m.survival[5]
    const g2025 = [entry2025, 120 * r[2], 99 * r[3], 100 * r[4], 90 * r[5], 80 * r[6]]
    assert.approximately(
      pupils(2025),
      g2025.reduce((a, b) => a + b, 0),
      1e-6
    )
    const g2026 = [entry2026, g2025[0] * r[2], g2025[1] * r[3], g2025[2] * r[4], g2025[3] * r[5], g2025[4] * r[6]]
    assert.approximately(
      pupils(2026),
      g2026.reduce((a, b) => a + b, 0),
      1e-6
    )
    assert.deepStrictEqual(m.warnings, [])
  })

  it("a school without two consecutive recorded years falls back to the cohort-component method, with a warning", () => {
    const gappy = history.filter((e) => !(e._tag === "EnrolmentRecorded" && e.year === 2023))
    const m = Compile.compile(gappy, { horizon: 1, method: { kind: "grade-progression" } })
    assert.strictEqual(m.warnings.length, 1)
    assert.include(m.warnings[0], "no two consecutive years of enrolment for school PRI")
    assert.isTrue(m.progression.every((r) => Number.isNaN(r)))
  })
})
