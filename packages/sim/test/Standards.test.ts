import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids } from "@seatplan/core"
import { Fixtures } from "@seatplan/core/testing"
import { AllocationRule, Assumptions, Compile, Engine, Tables } from "../src/index.js"

/** No one drops out, so the school has exactly 100 pupils a grade. */
const assumptions: Assumptions.Assumptions = {
  ...Assumptions.defaults,
  retention: { kindergarten: 1, primary: 1, junior: 1, senior: 1 },
  mortality: [0]
}

const y = Ids.schoolYear
const town = Ids.settlementId("TOWN")
const pri = Ids.schoolId("PRI")

/** One town of 100 children per age and one primary school: 600 pupils (ages 6-11), 15 classrooms. */
const region = (facilities: Partial<Record<string, number>>, teachers: { total: number; aboveDegree: number; backbone: number; peArts: number; mentalHealth: number }): ReadonlyArray<Event.Event> => [
  { _tag: "SettlementRecorded", year: y(2024), settlement: { id: town, name: "Town", tier: "township", lon: 113, lat: 34 } },
  {
    _tag: "SchoolOpened",
    year: y(2024),
    school: {
      id: pri,
      name: "Primary",
      type: "primary",
      settlementId: town,
      lon: 113,
      lat: 34,
      ownership: "public",
      facilities: Fixtures.facilities({ classrooms: 15, seats: 700, ...facilities }),
      teachers: {
        byAge: { "under-30": 0, "30-39": teachers.total, "40-49": 0, "50-54": 0, "55+": 0 },
        aboveDegree: teachers.aboveDegree,
        backbone: teachers.backbone,
        peArts: teachers.peArts,
        mentalHealth: teachers.mentalHealth
      }
    }
  },
  { _tag: "CatchmentAssigned", year: y(2024), level: "primary", settlementId: town, schoolId: pri },
  { _tag: "PopulationRecorded", year: y(2024), settlementId: town, byAge: Array.from({ length: 19 }, () => 100) }
]

const primaryRow = (events: ReadonlyArray<Event.Event>, year = 2024) => {
  const m = Compile.compile(events, { horizon: 2, rule: AllocationRule.catchmentOnly, assumptions })
  const cube = Engine.run(m)
  return {
    school: Tables.schools(m, cube, "v").find((r) => r.year === year && r.level === "primary")!,
    county: Tables.county(m, cube, "v").find((r) => r.year === year && r.level === "primary")!
  }
}

describe("standards per school and county", () => {
  // 600 pupils: the primary thresholds per 100 pupils × 6, per pupil × 600 (a hair above, against rounding)
  const up = 1.0001
  const meeting = {
    floorArea: 4.5 * 600 * up,
    sportsArea: 7.5 * 600 * up,
    equipmentValue: 2000 * 600 * up,
    multimediaRooms: 2.3 * 6 * up,
    musicRooms: 2,
    artRooms: 2
  }
  const staff = { total: 32, aboveDegree: 4.2 * 6 * up, backbone: 6 * up, peArts: 0.9 * 6 * up, mentalHealth: 0 }

  it("a school at every 优质均衡 threshold meets all seven and passes", () => {
    const { school } = primaryRow(region(meeting, staff))
    assert.approximately(school.pupils, 600, 1e-9)
    assert.strictEqual(school.quality_indicators_met, 7)
    assert.isTrue(school.quality_pass)
    assert.isTrue(school.music_art_rooms_ok)
    assert.strictEqual(school.mental_health_teachers_needed, 0)
  })

  it("one indicator at 90 % of the standard still passes (6 of 7, the rest ≥ 85 %); at 80 % it fails", () => {
    const ninety = primaryRow(region({ ...meeting, sportsArea: 7.5 * 600 * 0.9 }, staff)).school
    assert.deepStrictEqual([ninety.quality_indicators_met, ninety.quality_pass], [6, true])
    const eighty = primaryRow(region({ ...meeting, sportsArea: 7.5 * 600 * 0.8 }, staff)).school
    assert.deepStrictEqual([eighty.quality_indicators_met, eighty.quality_pass], [6, false])
    const two = primaryRow(region({ ...meeting, sportsArea: 7.5 * 600 * 0.9, floorArea: 4.5 * 600 * 0.9 }, staff)).school
    assert.deepStrictEqual([two.quality_indicators_met, two.quality_pass], [5, false])
  })

  it("music and art rooms: one each per 12 classes", () => {
    const { school } = primaryRow(region({ ...meeting, musicRooms: 1 }, staff))
    assert.strictEqual(school.classes, 15)
    assert.isFalse(school.music_art_rooms_ok)
    assert.isTrue(primaryRow(region(meeting, staff)).school.music_art_rooms_ok)
  })

  it("a standard changed mid-run takes effect that year: a 40-pupil cap makes more classes", () => {
    const events = [
      ...region({ ...meeting, classrooms: 40 }, staff),
      { _tag: "StandardChanged", year: y(2025), key: "classCap.primary", value: 40 } satisfies Event.Event
    ]
    const before = primaryRow(events, 2024).school
    const after = primaryRow(events, 2025).school
    assert.strictEqual(before.classes, 6 * Math.ceil(100 / 45))
    assert.strictEqual(after.classes, 6 * Math.ceil(100 / 40))
  })

  it("the county's large-class share is checked against 5 %; difference coefficients against 0.50", () => {
    const crowded = primaryRow(region({ ...meeting, classrooms: 6 }, staff)).county
    assert.strictEqual(crowded.large_classes + crowded.super_large_classes, 6)
    assert.isFalse(crowded.large_class_share_ok)
    assert.strictEqual(crowded.difference_coefficient_limit, 0.5)
    assert.isTrue(crowded.difference_coefficients_ok)
    assert.deepStrictEqual([crowded.quality_schools, crowded.quality_schools_passing], [1, 1])
  })
})
