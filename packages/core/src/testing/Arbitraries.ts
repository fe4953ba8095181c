/**
 * fast-check arbitraries for property tests of the decider and the stores: a small region (settlements
 * and schools drawn from fixed id pools), commands that refer to those ids (and now and then to ids that
 * do not exist, so refusals are exercised), and event sequences, valid or not.
 */
import { FastCheck as fc } from "effect"
import type * as Command from "../Command.js"
import * as Decider from "../Decider.js"
import type * as Event from "../Event.js"
import type { Settlement } from "../Geography.js"
import * as Ids from "../Ids.js"
import { ageBands, levels, type School, type SchoolType } from "../School.js"
import * as Standards from "../Standards.js"
import * as World from "../World.js"

export const settlementIds = ["S0", "S1", "S2", "S3", "S4"].map(Ids.settlementId)
export const schoolIds = ["K0", "K1", "K2", "K3", "K4", "K5"].map(Ids.schoolId)
const unknownSchool = Ids.schoolId("NOPE")
const unknownSettlement = Ids.settlementId("NOWHERE")

const baseYear = 2020
const at = "2026-01-01T00:00:00.000Z"
const year = fc.integer({ min: baseYear + 1, max: baseYear + 12 }).map(Ids.schoolYear)
const small = fc.integer({ min: 0, max: 60 })
const schoolRef = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...schoolIds) },
  {
    weight: 1,
    arbitrary: fc.constant(unknownSchool)
  }
)
const settlementRef = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...settlementIds) },
  {
    weight: 1,
    arbitrary: fc.constant(unknownSettlement)
  }
)
const schoolType = fc.constantFrom<SchoolType>(...levels, "nine-year", "twelve-year", "teaching-point")
const ageBand = fc.constantFrom(...ageBands)

/** The settlements every generated history starts with. */
export const settlements: ReadonlyArray<Settlement> = settlementIds.map((id, i) => ({
  id,
  name: `Settlement ${i}`,
  tier: i === 0 ? "county-seat" : i < 3 ? "township" : "village",
  lon: 113 + i * 0.05,
  lat: 34 + i * 0.03,
  ...(i >= 3 ? { parent: settlementIds[1] } : {})
}))

/** A school with small random facilities and teachers. */
export const school = (id: Ids.SchoolId): fc.Arbitrary<School> =>
  fc
    .record({
      type: schoolType,
      settlementId: fc.constantFrom(...settlementIds),
      classrooms: small,
      seats: fc.integer({ min: 0, max: 3000 }),
      beds: small,
      teachers: fc.tuple(small, small, small, small, small)
    })
    .map(({ beds, classrooms, seats, settlementId, teachers, type }) => ({
      id,
      name: `School ${id}`,
      type,
      settlementId,
      lon: 113.1,
      lat: 34.1,
      ownership: "public" as const,
      facilities: {
        classrooms,
        seats,
        boardingBeds: beds,
        floorArea: seats * 4,
        sportsArea: seats * 7,
        equipmentValue: seats * 2000,
        multimediaRooms: classrooms,
        musicRooms: 1,
        artRooms: 1,
        books: seats * 25
      },
      teachers: {
        byAge: {
          "under-30": teachers[0],
          "30-39": teachers[1],
          "40-49": teachers[2],
          "50-54": teachers[3],
          "55+": teachers[4]
        },
        aboveDegree: Math.floor(teachers[1] / 2),
        backbone: Math.floor(teachers[2] / 3),
        peArts: Math.floor(teachers[0] / 4),
        mentalHealth: 0
      }
    }))

const categories = fc.record({
  aboveDegree: fc.integer({ min: 0, max: 3 }),
  backbone: fc.integer({ min: 0, max: 2 }),
  peArts: fc.integer({ min: 0, max: 2 }),
  mentalHealth: fc.constant(0)
})

/** Group ids: two known to the generated commands. */
export const groupIds = ["G0", "G1"].map(Ids.groupId)
const groupRef = fc.constantFrom(...groupIds)

/** A command about the generated region (ids mostly known, sometimes not). */
export const command: fc.Arbitrary<Command.Command> = fc.oneof(
  fc
    .record({ year, schoolId: fc.constantFrom(...schoolIds) })
    .chain(({ schoolId, year }) => school(schoolId).map((s): Command.Command => ({ _tag: "OpenSchool", id: "c", at, year, school: s }))),
  fc
    .record({ year, schoolId: schoolRef, grade: fc.integer({ min: -2, max: 12 }), pupils: fc.integer({ min: 0, max: 400 }) })
    .map((r): Command.Command => ({ _tag: "RecordEnrolment", id: "c", at, ...r })),
  fc
    .record({
      year,
      schoolId: schoolRef,
      classrooms: fc.integer({ min: -10, max: 24 }),
      seats: fc.integer({ min: -500, max: 1200 }),
      boardingBeds: fc.integer({ min: -50, max: 300 })
    })
    .map(
      (r): Command.Command => ({
        _tag: "ExpandSchool",
        id: "c",
        at,
        floorArea: 0,
        sportsArea: 0,
        equipmentValue: 0,
        multimediaRooms: 0,
        musicRooms: 0,
        artRooms: 0,
        books: 0,
        ...r
      })
    ),
  fc
    .record({ year, absorbed: fc.uniqueArray(schoolRef, { minLength: 1, maxLength: 2 }), into: schoolRef })
    .map((r): Command.Command => ({ _tag: "MergeSchools", id: "c", at, ...r, absorbed: [r.absorbed[0], ...r.absorbed.slice(1)] })),
  fc
    .record({ year, schoolId: schoolRef, pupilsTo: fc.option(schoolRef, { nil: undefined }) })
    .map(
      (r): Command.Command =>
        r.pupilsTo === undefined
          ? { _tag: "CloseSchool", id: "c", at, year: r.year, schoolId: r.schoolId }
          : { _tag: "CloseSchool", id: "c", at, year: r.year, schoolId: r.schoolId, pupilsTo: r.pupilsTo }
    ),
  fc
    .record({
      year,
      schoolId: schoolRef,
      use: fc.constantFrom("kindergarten", "labour-education", "community-learning", "elderly-care", "returned") as fc.Arbitrary<
        Event.EventOf<"SchoolRepurposed">["use"]
      >
    })
    .map((r): Command.Command => ({ _tag: "RepurposeSchool", id: "c", at, ...r })),
  fc.record({ year, schoolId: schoolRef, to: schoolType }).map(
    (r): Command.Command => ({
      _tag: "ConvertSchool",
      id: "c",
      at,
      ...r
    })
  ),
  fc
    .record({ year, level: fc.constantFrom(...levels), settlementId: settlementRef, schoolId: schoolRef })
    .map((r): Command.Command => ({ _tag: "AssignCatchment", id: "c", at, ...r })),
  fc.record({ year, schoolId: schoolRef, beds: fc.integer({ min: 0, max: 500 }) }).map(
    (r): Command.Command => ({
      _tag: "ChangeBoarding",
      id: "c",
      at,
      ...r
    })
  ),
  fc
    .record({ year, schoolId: schoolRef, count: fc.integer({ min: 1, max: 10 }), ageBand, c: categories })
    .map(({ c, ...r }): Command.Command => ({ _tag: "HireTeachers", id: "c", at, ...r, ...c })),
  fc
    .record({ year, schoolId: schoolRef, count: fc.integer({ min: 1, max: 10 }), ageBand, c: categories })
    .map(({ c, ...r }): Command.Command => ({ _tag: "RetireTeachers", id: "c", at, ...r, ...c })),
  fc
    .record({
      year,
      from: schoolRef,
      to: schoolRef,
      count: fc.integer({ min: 1, max: 10 }),
      ageBand,
      rotation: fc.boolean(),
      c: categories
    })
    .map(({ c, ...r }): Command.Command => ({ _tag: "TransferTeachers", id: "c", at, ...r, ...c })),
  fc.record({ year, settlementId: settlementRef, births: fc.integer({ min: 0, max: 500 }) }).map(
    (r): Command.Command => ({
      _tag: "RecordBirths",
      id: "c",
      at,
      ...r
    })
  ),
  fc
    .record({
      year,
      settlementId: settlementRef,
      byAge: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 19, maxLength: 19 })
    })
    .map((r): Command.Command => ({ _tag: "RecordPopulation", id: "c", at, ...r })),
  fc
    .record({
      year,
      from: fc.oneof(settlementRef, fc.constant("outside" as const)),
      to: fc.oneof(settlementRef, fc.constant("outside" as const)),
      min: fc.integer({ min: 0, max: 18 }),
      span: fc.integer({ min: 0, max: 6 }),
      count: fc.integer({ min: 0, max: 100 })
    })
    .map(
      ({ count, from, min, span, to, year }): Command.Command => ({
        _tag: "RecordMigration",
        id: "c",
        at,
        year,
        from,
        to,
        ages: { min, max: Math.min(18, min + span) },
        count,
        migrant: false
      })
    ),
  fc
    .record({ year, groupId: groupRef, lead: schoolRef, members: fc.uniqueArray(schoolRef, { minLength: 0, maxLength: 3 }) })
    .map((r): Command.Command => ({ _tag: "FormGroup", id: "c", at, name: r.groupId, form: "group", ...r })),
  fc.record({ year, groupId: groupRef, schoolId: schoolRef }).map((r): Command.Command => ({ _tag: "JoinGroup", id: "c", at, ...r })),
  fc.record({ year, groupId: groupRef, schoolId: schoolRef }).map((r): Command.Command => ({ _tag: "LeaveGroup", id: "c", at, ...r })),
  fc.record({ year, groupId: groupRef }).map((r): Command.Command => ({ _tag: "DissolveGroup", id: "c", at, ...r })),
  fc
    .record({
      year,
      groupId: groupRef,
      share: fc.double({ min: 0, max: 1, noNaN: true }),
      backboneShare: fc.double({ min: 0, max: 1, noNaN: true })
    })
    .map((r): Command.Command => ({ _tag: "RotateTeachers", id: "c", at, ...r })),
  fc
    .record({
      year,
      schoolId: schoolRef,
      partnerId: schoolRef,
      share: fc.double({ min: 0, max: 1, noNaN: true }),
      backboneShare: fc.double({ min: 0, max: 1, noNaN: true })
    })
    .map((r): Command.Command => ({ _tag: "ExchangeTeachers", id: "c", at, ...r })),
  fc
    .record({
      year,
      key: fc.constantFrom(...Standards.keys),
      value: fc.integer({ min: 1, max: 80 })
    })
    .map((r): Command.Command => ({ _tag: "ChangeStandard", id: "c", at, ...r }))
)

/** The events that set up the generated region: its settlements, recorded in the base year. */
export const regionEvents: ReadonlyArray<Event.Event> = settlements.map((settlement) => ({
  _tag: "SettlementRecorded",
  year: Ids.schoolYear(baseYear),
  settlement
}))

/**
 * A valid history: the region, every school of the id pool opened in the base year with some pupils
 * recorded, then the events of every generated command that `decide` accepted, in year order, each against
 * the world with all earlier events.
 */
export const validHistory = (maxCommands = 40): fc.Arbitrary<ReadonlyArray<Event.Event>> =>
  fc
    .tuple(openedSchools, fc.array(command, { minLength: 1, maxLength: maxCommands, size: "max" }))
    .map(([opened, commands]) => decideAll(commands, opened).events)

/** Every school of the id pool, opened in the base year, with pupils recorded in one grade. */
export const openedSchools: fc.Arbitrary<ReadonlyArray<Event.Event>> = fc
  .tuple(...schoolIds.map((id) => fc.tuple(school(id), fc.integer({ min: 0, max: 300 }))))
  .map((schools) =>
    schools.flatMap(
      ([s, pupils]): ReadonlyArray<Event.Event> => [
        { _tag: "SchoolOpened", year: Ids.schoolYear(baseYear), school: s },
        { _tag: "EnrolmentRecorded", year: Ids.schoolYear(baseYear), schoolId: s.id, grade: firstGrade(s.type), pupils }
      ]
    )
  )

const firstGrade = (type: SchoolType): number => (type === "kindergarten" ? -2 : type === "junior" ? 7 : type === "senior" ? 10 : 1)

/** Decides commands in order against a growing world; returns the events accepted and how many were refused. */
export const decideAll = (
  commands: ReadonlyArray<Command.Command>,
  setup: ReadonlyArray<Event.Event> = []
): { readonly events: ReadonlyArray<Event.Event>; readonly refused: number } => {
  const events: Array<Event.Event> = [...regionEvents, ...setup]
  let world = World.fold(events)
  let refused = 0
  for (const c of World.chronological(commands)) {
    const result = Decider.decide(c, world)
    if (result._tag === "Left") {
      refused++
      continue
    }
    for (const e of result.right) {
      events.push(e)
      world = World.evolve(world, e)
    }
  }
  return { events, refused }
}

const eventTagOf: Record<Command.CommandTag, Event.EventTag> = {
  RecordSettlement: "SettlementRecorded",
  RecordPopulation: "PopulationRecorded",
  RecordBirths: "BirthsRecorded",
  RecordMigration: "MigrationRecorded",
  CompleteHousing: "HousingCompleted",
  RecordEnrolment: "EnrolmentRecorded",
  OpenSchool: "SchoolOpened",
  ExpandSchool: "SchoolExpanded",
  MergeSchools: "SchoolsMerged",
  CloseSchool: "SchoolClosed",
  RepurposeSchool: "SchoolRepurposed",
  ConvertSchool: "SchoolConverted",
  AssignCatchment: "CatchmentAssigned",
  ChangeBoarding: "BoardingChanged",
  HireTeachers: "TeachersHired",
  RetireTeachers: "TeachersRetired",
  TransferTeachers: "TeachersTransferred",
  FormGroup: "GroupFormed",
  JoinGroup: "GroupJoined",
  LeaveGroup: "GroupLeft",
  DissolveGroup: "GroupDissolved",
  RotateTeachers: "TeachersTransferred",
  ExchangeTeachers: "TeachersTransferred",
  ChangeStandard: "StandardChanged"
}

/** The event a command would yield if no rule were checked (for the totality of `evolve`). */
export const uncheckedEvent = (c: Command.Command): Event.Event => {
  // a rotation's events depend on the world: unchecked, it stands for the group event it names
  if (c._tag === "RotateTeachers") return { _tag: "GroupDissolved", year: c.year, groupId: c.groupId }
  // an exchange's counts depend on the world too: unchecked, one teacher each way stands for it (the first way here)
  if (c._tag === "ExchangeTeachers") {
    return {
      _tag: "TeachersTransferred",
      year: c.year,
      from: c.schoolId,
      to: c.partnerId,
      count: 1,
      ageBand: "30-39",
      rotation: true,
      aboveDegree: 0,
      backbone: 0,
      peArts: 0,
      mentalHealth: 0
    }
  }
  const { _tag, at: _at, id: _id, ...fields } = c
  const { pupils: _pupils, ...payload } = fields as typeof fields & { readonly pupils?: number }
  return { ...payload, _tag: eventTagOf[_tag] } as Event.Event
}

/** Any event, valid or not: commands turned into events without checking them. */
export const anyEvent: fc.Arbitrary<Event.Event> = command.map(uncheckedEvent)

/** Envelopes with unique ids for a list of events. */
export const envelopes = (events: ReadonlyArray<Event.Event>, prefix: string): ReadonlyArray<Event.NewEvent> =>
  events.map((event, i) => ({ id: Ids.eventId(`${prefix}-${i}`), recordedAt: at, event }))
