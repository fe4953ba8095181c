import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { type Command, Decider, type Event, Ids, School, World } from "../src/index.js"
import { DeciderSpec, Fixtures } from "../src/testing/index.js"

const at = "2026-02-01T00:00:00.000Z"
const y = Ids.schoolYear
const S = Ids.schoolId
const town = Ids.settlementId("TOWN")
const village = Ids.settlementId("LIJIA")

const school = (id: string, type: School.SchoolType, seats: number, teachers = 0): School.School => ({
  id: S(id),
  name: id,
  type,
  settlementId: id.startsWith("V") ? village : town,
  lon: 113.2,
  lat: 34.1,
  ownership: "public",
  facilities: Fixtures.facilities({ classrooms: 12, seats }),
  teachers: { ...School.noTeachers, byAge: { ...School.noTeachers.byAge, "40-49": teachers }, backbone: Math.min(2, teachers) }
})

const history: ReadonlyArray<Event.Event> = [
  { _tag: "SettlementRecorded", year: y(2024), settlement: { id: town, name: "Town", tier: "township", lon: 113.2, lat: 34.1 } },
  {
    _tag: "SettlementRecorded",
    year: y(2024),
    settlement: { id: village, name: "Lijia", tier: "village", lon: 113.25, lat: 34.12, parent: town }
  },
  { _tag: "SchoolOpened", year: y(2024), school: school("TOWN-PRI", "primary", 600, 30) },
  { _tag: "SchoolOpened", year: y(2024), school: school("V-PRI", "primary", 200, 6) },
  { _tag: "SchoolOpened", year: y(2024), school: school("TOWN-JUN", "junior", 900, 40) },
  { _tag: "EnrolmentRecorded", year: y(2024), schoolId: S("TOWN-PRI"), grade: 1, pupils: 520 },
  { _tag: "EnrolmentRecorded", year: y(2024), schoolId: S("V-PRI"), grade: 1, pupils: 90 },
  { _tag: "CatchmentAssigned", year: y(2024), level: "primary", settlementId: village, schoolId: S("V-PRI") }
]

const close = (year: number, pupilsTo?: string): Command.Command => ({
  _tag: "CloseSchool",
  id: "close-v",
  at,
  year: y(year),
  schoolId: S("V-PRI"),
  ...(pupilsTo === undefined ? {} : { pupilsTo: S(pupilsTo) })
})

describe("decide", () => {
  it("先建后撤: closing a school whose receiving school lacks seats is refused, with the figures", () => {
    const error = DeciderSpec.given(history).when(close(2025, "TOWN-PRI")).thenFails("ReceivingSchoolLacksSeats")
    assert.include(error.message, "80 free seats")
    assert.include(error.message, "90 pupils")
  })

  it("先建后撤: after an expansion dated before the closure, the closure is accepted", () => {
    const expanded: Event.Event = {
      _tag: "SchoolExpanded",
      year: y(2025),
      schoolId: S("TOWN-PRI"),
      ...Fixtures.noExpansion,
      classrooms: 4,
      seats: 180,
      boardingBeds: 100
    }
    DeciderSpec.given([...history, expanded])
      .when(close(2025, "TOWN-PRI"))
      .then([{ _tag: "SchoolClosed", year: y(2025), schoolId: S("V-PRI"), pupilsTo: S("TOWN-PRI") }])
    const tooEarly = DeciderSpec.given([...history, { ...expanded, year: y(2026) }]).when(close(2025, "TOWN-PRI"))
    tooEarly.thenFails("ReceivingSchoolLacksSeats")
  })

  it("a school with pupils cannot close without a receiving school; an empty one can", () => {
    DeciderSpec.given(history).when(close(2025)).thenFails("ReceivingSchoolMissing")
    const empty = history.filter((e) => !(e._tag === "EnrolmentRecorded" && e.schoolId === "V-PRI"))
    DeciderSpec.given(empty)
      .when(close(2025))
      .then([{ _tag: "SchoolClosed", year: y(2025), schoolId: S("V-PRI") }])
  })

  it("no merge into a closed or missing school, nor into a school of another level", () => {
    const merge = (into: string): Command.CommandOf<"MergeSchools"> => ({
      _tag: "MergeSchools",
      id: "m",
      at,
      year: y(2026),
      absorbed: [S("V-PRI")],
      into: S(into),
      pupils: 10
    })
    const closedTown: Event.Event = { _tag: "SchoolClosed", year: y(2025), schoolId: S("TOWN-PRI") }
    const emptyTown = history.filter((e) => !(e._tag === "EnrolmentRecorded" && e.schoolId === "TOWN-PRI"))
    DeciderSpec.given([...emptyTown, closedTown])
      .when(merge("TOWN-PRI"))
      .thenFails("SchoolNotOpen")
    DeciderSpec.given(history).when(merge("NOWHERE")).thenFails("SchoolNotFound")
    DeciderSpec.given(history).when(merge("TOWN-JUN")).thenFails("ReceivingSchoolLacksLevel")
    DeciderSpec.given(history)
      .when(merge("TOWN-PRI"))
      .then([{ _tag: "SchoolsMerged", year: y(2026), absorbed: [S("V-PRI")], into: S("TOWN-PRI") }])
    DeciderSpec.given(history)
      .when({ ...merge("V-PRI") })
      .thenFails("InvalidCommand")
  })

  it("no transfer of more teachers than a school has", () => {
    const transfer = (count: number): Command.CommandOf<"TransferTeachers"> => ({
      _tag: "TransferTeachers",
      id: "t",
      at,
      year: y(2025),
      from: S("V-PRI"),
      to: S("TOWN-PRI"),
      count,
      ageBand: "40-49",
      rotation: true,
      aboveDegree: 0,
      backbone: 0,
      peArts: 0,
      mentalHealth: 0
    })
    const error = DeciderSpec.given(history).when(transfer(7)).thenFails("InsufficientTeachers")
    assert.include(error.message, "has 6")
    assert.isTrue(Either.isRight(DeciderSpec.given(history).when(transfer(6)).result))
    DeciderSpec.given(history)
      .when({ ...transfer(1), backbone: 3 })
      .thenFails("InvalidCommand")
  })

  it("no negative capacities", () => {
    const shrink: Command.Command = {
      _tag: "ExpandSchool",
      id: "x",
      at,
      year: y(2025),
      schoolId: S("V-PRI"),
      ...Fixtures.noExpansion,
      classrooms: -13
    }
    const error = DeciderSpec.given(history).when(shrink).thenFails("NegativeCapacity")
    assert.include(error.message, "classrooms 12 - 13")
  })

  it("a catchment goes only to an open school that teaches the level", () => {
    const assign = (schoolId: string, level: School.Level): Command.CommandOf<"AssignCatchment"> => ({
      _tag: "AssignCatchment",
      id: "a",
      at,
      year: y(2025),
      level,
      settlementId: village,
      schoolId: S(schoolId)
    })
    DeciderSpec.given(history).when(assign("TOWN-PRI", "junior")).thenFails("LevelNotTaught")
    DeciderSpec.given(history)
      .when(assign("TOWN-JUN", "junior"))
      .then([{ _tag: "CatchmentAssigned", year: y(2025), level: "junior", settlementId: village, schoolId: S("TOWN-JUN") }])
    DeciderSpec.given(history)
      .when({ ...assign("TOWN-PRI", "primary"), settlementId: Ids.settlementId("X") })
      .thenFails("SettlementNotFound")
  })

  it("repurposing needs a closed school; a school id cannot be opened twice", () => {
    const repurpose: Command.Command = {
      _tag: "RepurposeSchool",
      id: "r",
      at,
      year: y(2026),
      schoolId: S("TOWN-JUN"),
      use: "kindergarten"
    }
    DeciderSpec.given(history).when(repurpose).thenFails("SchoolNotClosed")
    DeciderSpec.given(history)
      .when({
        _tag: "OpenSchool",
        id: "o",
        at,
        year: y(2026),
        school: school("TOWN-PRI", "primary", 100)
      })
      .thenFails("SchoolAlreadyExists")
  })

  it("events get ids from the command and the command as their cause", () => {
    const envelopes = Decider.envelopes({ id: "cmd-7", at }, [
      { _tag: "BoardingChanged", year: y(2025), schoolId: S("TOWN-PRI"), beds: 200 },
      { _tag: "BoardingChanged", year: y(2025), schoolId: S("V-PRI"), beds: 0 }
    ])
    assert.deepStrictEqual(
      envelopes.map((e) => [e.id, e.causationId, e.recordedAt]),
      [
        ["cmd-7/0", "cmd-7", at],
        ["cmd-7/1", "cmd-7", at]
      ]
    )
  })

  it("split catchment (学区划分): a share of a zoned settlement to a second school is accepted; of an unzoned one, refused", () => {
    const split = (settlement: string, share: number): Command.Command => ({
      _tag: "AssignCatchment",
      id: "split",
      at,
      year: y(2025),
      level: "primary",
      settlementId: Ids.settlementId(settlement),
      schoolId: S("TOWN-PRI"),
      share
    })
    // the village is zoned to V-PRI: TOWN-PRI may take 40 % of its pupils, V-PRI keeps the rest
    const event: Event.Event = {
      _tag: "CatchmentAssigned",
      year: y(2025),
      level: "primary",
      settlementId: village,
      schoolId: S("TOWN-PRI"),
      share: 0.4
    }
    DeciderSpec.given(history).when(split("LIJIA", 0.4)).then([event])
    const world = World.asOf([...history, event], y(2025))
    assert.deepStrictEqual(world.splits.get("primary")?.get(village), { schoolId: S("TOWN-PRI"), share: 0.4 })
    assert.strictEqual(world.catchments.get("primary")?.get(village), S("V-PRI"))
    // a whole assignment afterwards ends the split
    const whole = World.asOf(
      [...history, event, { _tag: "CatchmentAssigned", year: y(2025), level: "primary", settlementId: village, schoolId: S("V-PRI") }],
      y(2025)
    )
    assert.isUndefined(whole.splits.get("primary")?.get(village))
    // the town is zoned to no primary school: nobody would keep the rest
    const error = DeciderSpec.given(history).when(split("TOWN", 0.4)).thenFails("InvalidCommand")
    assert.include(error.message, "no other primary school")
  })
})
