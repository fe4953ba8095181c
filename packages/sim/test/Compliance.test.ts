import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids } from "@seatplan/core"
import { Fixtures } from "@seatplan/core/testing"
import { Either, Option } from "effect"
import { AllocationRule, Assumptions, Compile, Engine, Results, Compliance, Tables } from "../src/index.js"

/** No one drops out or moves away, so the school has exactly 100 pupils a grade. */
const assumptions: Assumptions.Assumptions = {
  ...Assumptions.defaults,
  migration: [],
  retention: { kindergarten: 1, primary: 1, junior: 1, senior: 1 },
  mortality: [0]
}

const y = Ids.schoolYear
const town = Ids.settlementId("TOWN")
const pri = Ids.schoolId("PRI")

/** One town of 100 children per age and one primary school: 600 pupils (ages 6-11), 15 classrooms. */
const region = (
  facilities: Partial<Record<string, number>>,
  teachers: { total: number; aboveDegree: number; backbone: number; peArts: number; mentalHealth: number }
): ReadonlyArray<Event.Event> => [
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

describe("standards per school and county", () => {
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

describe("the rule set (standards as data), checked with its margin", () => {
  const village = Ids.settlementId("VIL")
  const pri2 = Ids.schoolId("PRI2")
  /** A second place of 50 children an age (300 primary pupils) and its school, at the standards per pupil but floor area `floor` per pupil. */
  const second = (floor: number): ReadonlyArray<Event.Event> => [
    { _tag: "SettlementRecorded", year: y(2024), settlement: { id: village, name: "Village", tier: "village", lon: 113.2, lat: 34 } },
    {
      _tag: "SchoolOpened",
      year: y(2024),
      school: {
        id: pri2,
        name: "Village primary",
        type: "primary",
        settlementId: village,
        lon: 113.2,
        lat: 34,
        ownership: "public",
        facilities: Fixtures.facilities({
          classrooms: 12,
          seats: 400,
          floorArea: floor * 300,
          sportsArea: 7.5 * 300 * up,
          equipmentValue: 2000 * 300 * up,
          multimediaRooms: 2.3 * 3 * up,
          musicRooms: 1,
          artRooms: 1
        }),
        teachers: {
          byAge: { "under-30": 0, "30-39": 16, "40-49": 0, "50-54": 0, "55+": 0 },
          aboveDegree: 4.2 * 3 * up,
          backbone: 3 * up,
          peArts: 0.9 * 3 * up,
          mentalHealth: 0
        }
      }
    },
    { _tag: "CatchmentAssigned", year: y(2024), level: "primary", settlementId: village, schoolId: pri2 },
    { _tag: "PopulationRecorded", year: y(2024), settlementId: village, byAge: Array.from({ length: 19 }, () => 50) }
  ]

  const checksOf = (events: ReadonlyArray<Event.Event>, year = 2024, patches: ReadonlyArray<Compliance.RulePatch> = []) => {
    const m = Compile.compile(events, { horizon: 2, rule: AllocationRule.catchmentOnly, assumptions })
    const cube = Engine.run(m)
    const rules = Either.getOrThrow(Compliance.apply(Compliance.national, patches))
    const checks = Compliance.evaluate(rules, Tables.schools(m, cube, "v"), Tables.county(m, cube, "v"), (yr) =>
      Results.standardsAt(cube, yr - m.baseYear)
    )
    const at = (rule: string, school = "PRI", level = "primary") =>
      checks.find((c) => c.year === year && c.rule === rule && c.level === level && c.school_id === (school === "county" ? "" : school))!
    return { checks, at }
  }

  it("class cap: 100 pupils a grade in 15 classrooms make classes of 50 (cap 45: 5 over); 18 classrooms make 34", () => {
    const tight = checksOf(region(meeting, staff)).at("classCap")
    assert.deepStrictEqual([tight.value, tight.threshold, tight.margin, tight.pass], [50, 45, -5, false])
    const roomy = checksOf(region({ ...meeting, classrooms: 18 }, staff)).at("classCap")
    assert.deepStrictEqual([roomy.value, roomy.margin, roomy.pass], [34, 11, true])
  })

  it("super-large classes and the county's large-class share: one class of 100 a grade fails both", () => {
    const { at } = checksOf(region({ ...meeting, classrooms: 6 }, staff))
    const school = at("superLargeClass.school")
    assert.deepStrictEqual([school.value, school.margin, school.pass], [6, -6, false])
    const share = at("largeClassShare", "county")
    assert.deepStrictEqual([share.value, share.threshold, share.pass], [1, 0.05, false])
    assert.approximately(share.margin, -0.95, 1e-12)
    assert.isTrue(at("largeClassShare", "county").counts)
  })

  it("school size against its cap in force: 600 of 2,000; a province's cap of 500 from 2025 fails by 100", () => {
    const events = [
      ...region(meeting, staff),
      { _tag: "StandardChanged", year: y(2025), key: "schoolSize.primary", value: 500 } satisfies Event.Event
    ]
    const before = checksOf(events, 2024).at("schoolSize")
    assert.deepStrictEqual([before.value, before.threshold, before.margin, before.pass], [600, 2000, 1400, true])
    const after = checksOf(events, 2025).at("schoolSize")
    assert.deepStrictEqual([after.value, after.threshold, after.margin, after.pass], [600, 500, -100, false])
  })

  it("staffing: 600 pupils at 19 per post need 31.58 teachers; 32 pass by 0.42, 30 fail by 1.58", () => {
    const enough = checksOf(region(meeting, staff)).at("staffing")
    assert.approximately(enough.threshold, 600 / 19, 1e-9)
    assert.approximately(enough.margin, 32 - 600 / 19, 1e-9)
    assert.isTrue(enough.pass)
    const short = checksOf(region(meeting, { ...staff, total: 30 })).at("staffing")
    assert.approximately(short.margin, 30 - 600 / 19, 1e-9)
    assert.isFalse(short.pass)
  })

  it("优质均衡: 6 of 7 met with the seventh at 90 % passes both school rules; at 80 % the floor rule fails by 0.05", () => {
    const ninety = checksOf(region({ ...meeting, sportsArea: 7.5 * 600 * 0.9 }, staff)).at
    assert.deepStrictEqual([ninety("quality.sixOfSeven").value, ninety("quality.sixOfSeven").pass], [6, true])
    assert.approximately(ninety("quality.floor").value, 0.9, 1e-9)
    assert.isTrue(ninety("quality.floor").pass)
    assert.isFalse(ninety("quality.sportsAreaPerPupil").pass)
    assert.isFalse(ninety("quality.sportsAreaPerPupil").counts)
    assert.approximately(ninety("quality.sportsAreaPerPupil").margin, 7.5 * 0.9 - 7.5, 1e-9)
    const eighty = checksOf(region({ ...meeting, sportsArea: 7.5 * 600 * 0.8 }, staff)).at
    assert.isTrue(eighty("quality.sixOfSeven").pass)
    assert.approximately(eighty("quality.floor").margin, 0.8 - 0.85, 1e-9)
    assert.isFalse(eighty("quality.floor").pass)
  })

  it("difference coefficient against a manual computation: floor areas 4.5 and 9 m² for 600 and 300 pupils give 0.354", () => {
    // x̄ = (600·4.5 + 300·9) / 900 = 6; σ² = (600·1.5² + 300·3²) / 900 = 4.5; CV = √4.5 / 6 = 0.35355
    const within = checksOf([...region({ ...meeting, floorArea: 4.5 * 600 }, staff), ...second(9)]).at("differenceCoefficient", "county")
    assert.approximately(within.value, Math.sqrt(4.5) / 6, 1e-9)
    assert.deepStrictEqual([within.threshold, within.pass], [0.5, true])
    // 4.5 and 18 m²: x̄ = 9, σ² = (600·4.5² + 300·9²) / 900 = 40.5, CV = √40.5 / 9 = 0.7071: over 0.50 and the older 0.65
    const { at } = checksOf([...region({ ...meeting, floorArea: 4.5 * 600 }, staff), ...second(18)])
    assert.approximately(at("differenceCoefficient", "county").value, Math.sqrt(40.5) / 9, 1e-9)
    assert.isFalse(at("differenceCoefficient", "county").pass)
    assert.deepStrictEqual(
      [at("differenceCoefficient.basic", "county").threshold, at("differenceCoefficient.basic", "county").pass],
      [0.65, false]
    )
  })

  it("music and art rooms: 15 classes need 2 of each; with one music room the school is 1 short", () => {
    const short = checksOf(region({ ...meeting, musicRooms: 1 }, staff)).at("rooms.musicAndArt")
    assert.deepStrictEqual([short.value, short.margin, short.pass], [1, -1, false])
    assert.isTrue(checksOf(region(meeting, staff)).at("rooms.musicAndArt").pass)
  })

  it("mental health: a rural school of 600 needs none; a province lowering the threshold to 500 makes it 1 short", () => {
    assert.isTrue(checksOf(region(meeting, staff)).at("mentalHealth").pass)
    const events = [
      ...region(meeting, staff),
      { _tag: "StandardChanged", year: y(2025), key: "mentalHealth.ruralFrom", value: 500 } satisfies Event.Event
    ]
    const short = checksOf(events, 2025).at("mentalHealth")
    assert.deepStrictEqual([short.value, short.margin, short.pass], [1, -1, false])
  })

  it("rotation: 6 of 48 eligible teachers (all aged 30-39) rotating (2 of them backbone) meet 10 % and 20 %; no rotation fails, and counts", () => {
    const rotation = {
      _tag: "TeachersTransferred",
      year: y(2025),
      from: pri,
      to: pri2,
      count: 6,
      ageBand: "30-39",
      rotation: true,
      aboveDegree: 0,
      backbone: 2,
      peArts: 0,
      mentalHealth: 0
    } satisfies Event.Event
    const { at } = checksOf([...region(meeting, staff), ...second(9), rotation], 2025)
    assert.approximately(at("rotation.share", "county").value, 6 / 48, 1e-9)
    assert.isTrue(at("rotation.share", "county").pass)
    assert.approximately(at("rotation.backbone", "county").value, 2 / 6, 1e-9)
    const none = checksOf([...region(meeting, staff), ...second(9)], 2025).at("rotation.share", "county")
    // counted by default since a school without a group partner can exchange county-wide (ExchangeTeachers)
    assert.deepStrictEqual([none.value, none.pass, none.counts], [0, false, true])
  })

  it("boarding beds: the village's 300 pupils 18 km from the town school board; with 100 beds the counted rule fails by 200", () => {
    // the village school closes into the town school: its pupils live 0.2° of longitude (≈ 18 km) away, beyond 3 km
    const closing = { _tag: "SchoolClosed", year: y(2025), schoolId: pri2, pupilsTo: pri } satisfies Event.Event
    const beds = { _tag: "BoardingChanged", year: y(2025), schoolId: pri, beds: 100 } satisfies Event.Event
    const boarding = checksOf([...region({ ...meeting, classrooms: 30, seats: 1000 }, staff), ...second(9), closing, beds], 2025).at(
      "boardingBeds"
    )
    assert.approximately(boarding.value, 200, 1e-6)
    // counted since issue 13: boarders without beds after a consolidation reach the headline
    assert.deepStrictEqual([boarding.pass, boarding.counts], [false, true])
  })

  it("the funding floor: a school of 600 is above it by 500 (reported, not counted)", () => {
    const floor = checksOf(region(meeting, staff)).at("fundingFloor")
    assert.deepStrictEqual([floor.value, floor.threshold, floor.margin, floor.pass, floor.counts], [600, 100, 500, true, false])
  })

  it("every child placed: primary pupils all have a seat; the 297 junior pupils (300 children at 99 % participation) have no junior school", () => {
    const { at } = checksOf(region(meeting, staff))
    assert.deepStrictEqual([at("everyChildPlaced", "county").value, at("everyChildPlaced", "county").pass], [0, true])
    const junior = at("everyChildPlaced", "county", "junior")
    assert.approximately(junior.value, 300 * 0.99, 1e-9)
    assert.isFalse(junior.pass)
  })

  it("a scenario overrides a threshold by id, makes a rule count, and adds one of its own", () => {
    const { at } = checksOf(region(meeting, staff), 2024, [
      { id: "classCap", threshold: 50 },
      { id: "rotation.share", counts: true },
      {
        id: "smallClass",
        zh: "小班化",
        en: "small classes of 30",
        levels: ["primary"],
        scope: "school",
        column: "max_class_size",
        unit: "pupils",
        threshold: 30,
        direction: "at-most",
        source: "a province's own standard"
      }
    ])
    assert.deepStrictEqual([at("classCap").threshold, at("classCap").pass], [50, true])
    assert.deepStrictEqual([at("smallClass").margin, at("smallClass").pass, at("smallClass").counts], [-20, false, true])
    assert.isTrue(at("rotation.share", "county").counts)
  })

  it("a rule naming a column or standard that does not exist, or a new rule missing fields, is refused with the field", () => {
    const problems = Either.getLeft(
      Compliance.apply(Compliance.national, [
        { id: "classCap", column: "class_size" },
        { id: "mine", threshold: 3 },
        { id: "classCap", threshold: { standard: "classCap.{level}s" } }
      ])
    ).pipe(Option.getOrThrow)
    assert.deepStrictEqual(
      problems.map((p) => [p.index, p.field]),
      [
        [0, "column"],
        [1, "zh"],
        [2, "threshold.standard"]
      ]
    )
    assert.match(problems[0].message, /found "class_size"/)
    assert.match(problems[1].message, /expected zh, en, levels, scope, column, unit, direction, source for a new rule "mine"/)
  })

  it("compliance: the first year every counted rule passes, and from when it holds", () => {
    const check = (year: number, pass: boolean, counts = true): Compliance.Check => ({
      variant: "v",
      year,
      rule: counts ? "a" : "b",
      scope: "school",
      level: "primary",
      school_id: "S",
      value: 0,
      threshold: 0,
      margin: pass ? 1 : -1,
      pass,
      status: pass ? "pass" : "fail",
      missing: "",
      counts
    })
    const rules = Compliance.national.slice(0, 0)
    const c = Compliance.compliance(
      "v",
      [check(2024, false), check(2025, true), check(2026, false), check(2027, true), check(2028, true), check(2027, false, false)],
      [2024, 2025, 2026, 2027, 2028],
      rules
    )
    assert.deepStrictEqual([c.first_compliant_year, c.compliant_from], [2025, 2027])
    assert.deepStrictEqual(c.failing_by_year, { 2024: 1, 2025: 0, 2026: 1, 2027: 0, 2028: 0 })
  })
})
