import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { Ids, School, World } from "../src/index.js"
import type { Event } from "../src/index.js"

const y = Ids.schoolYear
const S = Ids.schoolId
const town = Ids.settlementId("TOWN")
const village = Ids.settlementId("V1")

const pool = (n: number): School.TeacherPool => ({
  ...School.noTeachers,
  byAge: { ...School.noTeachers.byAge, "30-39": n },
  backbone: 1
})

const open = (id: string, type: School.SchoolType, seats: number, teachers: number): Event.Event => ({
  _tag: "SchoolOpened",
  year: y(2024),
  school: {
    id: S(id),
    name: id,
    type,
    settlementId: town,
    lon: 113,
    lat: 34,
    ownership: "public",
    facilities: {
      classrooms: 10,
      seats,
      boardingBeds: 0,
      floorArea: 1000,
      sportsArea: 2000,
      equipmentValue: 1e5,
      multimediaRooms: 2,
      musicRooms: 1,
      artRooms: 1,
      books: 0
    },
    teachers: pool(teachers)
  }
})

const base: ReadonlyArray<Event.Event> = [
  { _tag: "SettlementRecorded", year: y(2024), settlement: { id: town, name: "T", tier: "township", lon: 113, lat: 34 } },
  { _tag: "SettlementRecorded", year: y(2024), settlement: { id: village, name: "V", tier: "village", lon: 113.1, lat: 34 } },
  open("A", "primary", 800, 20),
  open("B", "primary", 200, 5),
  { _tag: "EnrolmentRecorded", year: y(2024), schoolId: S("A"), grade: 1, pupils: 100 },
  { _tag: "EnrolmentRecorded", year: y(2024), schoolId: S("A"), grade: 2, pupils: 110 },
  { _tag: "EnrolmentRecorded", year: y(2024), schoolId: S("B"), grade: 1, pupils: 30 },
  { _tag: "CatchmentAssigned", year: y(2024), level: "primary", settlementId: village, schoolId: S("B") }
]

describe("World.evolve", () => {
  it("a merge moves pupils, teachers and catchments to the receiving school", () => {
    const w = World.fold([...base, { _tag: "SchoolsMerged", year: y(2025), absorbed: [S("B")], into: S("A") }])
    assert.strictEqual(w.schools.get(S("B"))?.status, "closed")
    assert.strictEqual(World.pupilsOf(w, S("A")), 240)
    assert.strictEqual(World.pupilsOf(w, S("B")), 0)
    assert.strictEqual(World.teachersOf(w, S("A")), 25)
    assert.strictEqual(World.teachersOf(w, S("B")), 0)
    assert.strictEqual(w.schools.get(S("A"))?.teachers.backbone, 2)
    assert.strictEqual(World.catchmentOf(w, "primary", village), S("A"))
  })

  it("is pure: the world passed in is unchanged", () => {
    const before = World.fold(base)
    const snapshot = JSON.stringify([...before.schools], null, 0)
    const after = World.evolve(before, { _tag: "SchoolClosed", year: y(2025), schoolId: S("B"), pupilsTo: S("A") })
    assert.strictEqual(JSON.stringify([...before.schools]), snapshot)
    assert.strictEqual(before.catchments.get("primary")?.get(village), S("B"))
    assert.strictEqual(after.catchments.get("primary")?.get(village), S("A"))
  })

  it("a recorded enrolment of a later year replaces the school's current enrolment; a correction replaces a grade", () => {
    const w = World.fold([
      ...base,
      { _tag: "EnrolmentRecorded", year: y(2024), schoolId: S("A"), grade: 2, pupils: 90 },
      { _tag: "EnrolmentRecorded", year: y(2025), schoolId: S("B"), grade: 1, pupils: 12 }
    ])
    assert.strictEqual(World.pupilsOf(w, S("A")), 190)
    assert.strictEqual(World.pupilsOf(w, S("B")), 12)
    assert.strictEqual(w.enrolment.size, 4)
  })

  it("asOf applies events up to the year in year order, whatever order they were appended in", () => {
    const events: ReadonlyArray<Event.Event> = [
      ...base,
      { _tag: "BoardingChanged", year: y(2030), schoolId: S("A"), beds: 300 },
      { _tag: "BoardingChanged", year: y(2027), schoolId: S("A"), beds: 100 }
    ]
    assert.strictEqual(World.asOf(events, 2026).schools.get(S("A"))?.facilities.boardingBeds, 0)
    assert.strictEqual(World.asOf(events, 2028).schools.get(S("A"))?.facilities.boardingBeds, 100)
    assert.strictEqual(World.asOf(events, 2031).schools.get(S("A"))?.facilities.boardingBeds, 300)
  })

  it("is total: an event about a missing school changes nothing but the ignored count", () => {
    const before = World.fold(base)
    const after = World.evolve(before, {
      _tag: "TeachersHired",
      year: y(2025),
      schoolId: S("X"),
      count: 3,
      ageBand: "under-30",
      aboveDegree: 0,
      backbone: 0,
      peArts: 0,
      mentalHealth: 0
    })
    assert.strictEqual(after.ignored, before.ignored + 1)
    assert.deepStrictEqual([...after.schools], [...before.schools])
  })

  it("a repurposed school building can reopen as a kindergarten", () => {
    const w = World.fold([
      ...base,
      { _tag: "SchoolClosed", year: y(2025), schoolId: S("B"), pupilsTo: S("A") },
      { _tag: "SchoolRepurposed", year: y(2026), schoolId: S("B"), use: "kindergarten" }
    ])
    const b = w.schools.get(S("B"))
    assert.deepStrictEqual([b?.status, b?.type, b?.openedIn], ["open", "kindergarten", 2026])
  })

  it("a standard change takes effect", () => {
    const w = World.fold([{ _tag: "StandardChanged", year: y(2025), key: "classCap.primary", value: 40 }])
    assert.strictEqual(w.standards["classCap.primary"], 40)
    assert.strictEqual(World.initial.standards["classCap.primary"], 45)
  })
})

describe("World: the births and enrolment records, kept as lists and read as maps", () => {
  const settled: ReadonlyArray<Event.Event> = [
    { _tag: "SettlementRecorded", year: y(2015), settlement: { id: town, name: "Town", tier: "township", lon: 113, lat: 34 } },
    {
      _tag: "SettlementRecorded",
      year: y(2015),
      settlement: { id: village, name: "V1", tier: "village", lon: 113.1, lat: 34, parent: town }
    },
    open("PRI", "primary", 500, 20)
  ]
  const record = fc.oneof(
    fc
      .record({
        settlement: fc.constantFrom(town, village, Ids.settlementId("NOWHERE")),
        year: fc.integer({ min: 2016, max: 2019 }),
        births: fc.nat(500)
      })
      .map((r): Event.Event => ({ _tag: "BirthsRecorded", year: y(r.year), settlementId: r.settlement, births: r.births })),
    fc
      .record({
        school: fc.constantFrom("PRI", "GONE"),
        year: fc.integer({ min: 2016, max: 2019 }),
        grade: fc.integer({ min: 1, max: 6 }),
        pupils: fc.nat(300)
      })
      .map((r): Event.Event => ({ _tag: "EnrolmentRecorded", year: y(r.year), schoolId: S(r.school), grade: r.grade, pupils: r.pupils }))
  )
  /** The maps the records make in order, a later record of a key replacing the earlier (what the world's maps were). */
  const expected = (events: ReadonlyArray<Event.Event>) => {
    const births = new Map<string, unknown>()
    const enrolment = new Map<string, unknown>()
    for (const e of events) {
      if (e._tag === "BirthsRecorded" && e.settlementId !== "NOWHERE")
        births.set(World.birthsKey(e.settlementId, e.year), { settlementId: e.settlementId, year: e.year, births: e.births })
      if (e._tag === "EnrolmentRecorded" && e.schoolId === "PRI")
        enrolment.set(World.enrolmentKey(e.schoolId, e.year, e.grade), {
          schoolId: e.schoolId,
          year: e.year,
          grade: e.grade,
          pupils: e.pupils
        })
    }
    return { births: [...births], enrolment: [...enrolment] }
  }
  const seen = (w: World.World) => ({ births: [...w.births], enrolment: [...w.enrolment] })

  it("folded, built one event at a time (read in between) or evolved, they are the maps of the records in order; the world evolved from is unchanged", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), fc.nat(40), (records, split) => {
        const events = [...settled, ...records]
        assert.deepStrictEqual(seen(World.fold(events)), expected(events))
        // read while it grows: a map made early is kept up to date by later records
        const built = World.builder()
        for (const [i, e] of events.entries()) {
          built.apply(e)
          if (i === settled.length + split) assert.strictEqual(built.world.births.size, expected(events.slice(0, i + 1)).births.length)
        }
        assert.deepStrictEqual(seen(built.world), expected(events))
        assert.deepStrictEqual(
          built.world.enrolment.get(World.enrolmentKey("PRI", 2019, 1)),
          new Map(expected(events).enrolment).get(World.enrolmentKey("PRI", 2019, 1))
        )
        // evolving a world leaves it as it was, whether its maps were read before or not
        const at = Math.min(split, records.length)
        const before = World.fold([...settled, ...records.slice(0, at)])
        const read = seen(before)
        const after = records.slice(at).reduce(World.evolve, before)
        assert.deepStrictEqual(seen(before), read)
        assert.deepStrictEqual(seen(after), expected(events))
      })
    )
  })
})
