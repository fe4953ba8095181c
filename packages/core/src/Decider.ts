/**
 * The decider (Emmett's pattern): `decide(command, world)` checks a command against the world as of the
 * command's school year and yields the events it causes, or the `DomainError` of the rule it breaks;
 * `evolve` (World.ts) applies events. Both are pure: no clock, no ids drawn, no I/O.
 */
import { Either } from "effect"
import type * as Command from "./Command.js"
import * as DomainError from "./DomainError.js"
import type * as Event from "./Event.js"
import * as Ids from "./Ids.js"
import { facilityFields, type Level, levelsOf, type SchoolState, teacherCount, teaches } from "./School.js"
import * as World from "./World.js"

/** A decider: the pure core of a command handler. */
export interface Decider<C, E, S, Err> {
  readonly decide: (command: C, state: S) => Either.Either<ReadonlyArray<E>, Err>
  readonly evolve: (state: S, event: E) => S
  readonly initialState: S
}

type Result = Either.Either<ReadonlyArray<Event.Event>, DomainError.DomainError>

/** Checks a command against the world (as of the command's year) and returns the events it causes. */
export const decide = (command: Command.Command, world: World.World): Result => {
  switch (command._tag) {
    case "RecordSettlement":
      return ok({ _tag: "SettlementRecorded", year: command.year, settlement: command.settlement })
    case "RecordPopulation":
      return withSettlement(world, command.settlementId, () =>
        ok({ _tag: "PopulationRecorded", year: command.year, settlementId: command.settlementId, byAge: command.byAge })
      )
    case "RecordBirths":
      return withSettlement(world, command.settlementId, () =>
        ok({ _tag: "BirthsRecorded", year: command.year, settlementId: command.settlementId, births: command.births })
      )
    case "RecordMigration":
      return recordMigration(command, world)
    case "CompleteHousing":
      return withSettlement(world, command.settlementId, () => ok({ ...payload(command), _tag: "HousingCompleted" }))
    case "RecordEnrolment":
      return withSchool(world, command.schoolId, command.year, () => ok({ ...payload(command), _tag: "EnrolmentRecorded" }))
    case "OpenSchool":
      return openSchool(command, world)
    case "ExpandSchool":
      return expandSchool(command, world)
    case "MergeSchools":
      return mergeSchools(command, world)
    case "CloseSchool":
      return closeSchool(command, world)
    case "RepurposeSchool":
      return withSchool(world, command.schoolId, command.year, (s) =>
        s.status !== "closed"
          ? Either.left(new DomainError.SchoolNotClosed({ schoolId: s.id, status: s.status }))
          : ok({ ...payload(command), _tag: "SchoolRepurposed" })
      )
    case "ConvertSchool":
      return withOpenSchool(world, command.schoolId, command.year, "convert", () => ok({ ...payload(command), _tag: "SchoolConverted" }))
    case "AssignCatchment":
      return assignCatchment(command, world)
    case "ChangeBoarding":
      return withOpenSchool(world, command.schoolId, command.year, "change boarding", () =>
        ok({ ...payload(command), _tag: "BoardingChanged" })
      )
    case "HireTeachers":
      return withOpenSchool(world, command.schoolId, command.year, "hire teachers", () =>
        categoriesWithin(command).pipe(Either.map(() => [{ ...payload(command), _tag: "TeachersHired" as const }]))
      )
    case "RetireTeachers":
      return withSchool(world, command.schoolId, command.year, (s) =>
        teachersAvailable(s, command).pipe(Either.map(() => [{ ...payload(command), _tag: "TeachersRetired" as const }]))
      )
    case "TransferTeachers":
      return transferTeachers(command, world)
    case "FormGroup":
      return formGroup(command, world)
    case "JoinGroup":
      return withGroup(world, command.groupId, command.year, () =>
        withOpenSchool(world, command.schoolId, command.year, `join group ${command.groupId}`, () =>
          notInAGroup(world, command.schoolId, command.groupId).pipe(
            Either.map(() => [{ ...payload(command), _tag: "GroupJoined" as const }])
          )
        )
      )
    case "LeaveGroup":
      return withGroup(world, command.groupId, command.year, (g) =>
        !g.members.includes(command.schoolId)
          ? Either.left(new DomainError.NotAGroupMember({ schoolId: command.schoolId, groupId: g.id, reason: "it is not a member" }))
          : g.lead === command.schoolId
            ? Either.left(
                new DomainError.NotAGroupMember({
                  schoolId: command.schoolId,
                  groupId: g.id,
                  reason: "it leads the group (dissolve the group, or let another school lead a new one)"
                })
              )
            : ok({ ...payload(command), _tag: "GroupLeft" })
      )
    case "DissolveGroup":
      return withGroup(world, command.groupId, command.year, () => ok({ ...payload(command), _tag: "GroupDissolved" }))
    case "RotateTeachers":
      return withGroup(world, command.groupId, command.year, (g) => rotate(command, g, world))
    case "ExchangeTeachers":
      return exchange(command, world)
    case "ChangeStandard":
      return ok({ ...payload(command), _tag: "StandardChanged" })
  }
}

/** The seatplan decider over the world state. */
export const decider: Decider<Command.Command, Event.Event, World.World, DomainError.DomainError> = {
  decide,
  evolve: World.evolve,
  initialState: World.initial
}

/** Wraps decided events in envelopes: ids `<command id>/<n>`, the command's time, the command as cause. */
export const envelopes = (command: Pick<Command.Command, "id" | "at">, events: ReadonlyArray<Event.Event>): ReadonlyArray<Event.NewEvent> =>
  events.map((event, n) => ({
    id: Ids.eventId(`${command.id}/${n}`),
    recordedAt: command.at,
    causationId: command.id,
    event
  }))

// ---------------------------------------------------------------- rules

const ok = (...events: ReadonlyArray<Event.Event>): Result => Either.right(events)

const payload = <C extends { readonly _tag: string; readonly id: string; readonly at: string }>({
  _tag,
  at,
  id,
  ...rest
}: C): Omit<C, "_tag" | "id" | "at"> => rest

const withSettlement = (world: World.World, id: Ids.SettlementId, f: () => Result): Result =>
  world.settlements.has(id) ? f() : Either.left(new DomainError.SettlementNotFound({ settlementId: id }))

const withSchool = (world: World.World, id: Ids.SchoolId, year: number, f: (s: SchoolState) => Result): Result => {
  const school = world.schools.get(id)
  return school === undefined ? Either.left(new DomainError.SchoolNotFound({ schoolId: id, year })) : f(school)
}

const withOpenSchool = (world: World.World, id: Ids.SchoolId, year: number, action: string, f: (s: SchoolState) => Result): Result =>
  withSchool(world, id, year, (s) =>
    s.status === "open" ? f(s) : Either.left(new DomainError.SchoolNotOpen({ schoolId: id, status: s.status, year, action }))
  )

const withGroup = (world: World.World, id: Ids.GroupId, year: number, f: (g: World.GroupState) => Result): Result => {
  const g = world.groups.get(id)
  return g === undefined ? Either.left(new DomainError.GroupNotFound({ groupId: id, year })) : f(g)
}

const notInAGroup = (world: World.World, school: Ids.SchoolId, group: Ids.GroupId): Either.Either<void, DomainError.DomainError> => {
  const g = World.groupOf(world, school)
  if (g === undefined) return Either.void
  return g.id === group
    ? Either.left(new DomainError.InvalidCommand({ command: "JoinGroup", reason: `${school} is already a member of group ${group}` }))
    : Either.left(new DomainError.SchoolInAnotherGroup({ schoolId: school, groupId: group, memberOf: g.id }))
}

/** A group: a new id, a lead and at least one other member, each open, named once and in no other group. */
const formGroup = (c: Command.CommandOf<"FormGroup">, world: World.World): Result => {
  if (world.groups.has(c.groupId)) return Either.left(new DomainError.GroupAlreadyExists({ groupId: c.groupId }))
  const all = [c.lead, ...c.members]
  if (new Set(all).size !== all.length) {
    return Either.left(
      new DomainError.InvalidCommand({ command: c._tag, reason: "a school is named twice (the lead is a member without being listed)" })
    )
  }
  if (c.members.length === 0) {
    return Either.left(
      new DomainError.InvalidCommand({ command: c._tag, reason: `group ${c.groupId} needs at least one member beside its lead ${c.lead}` })
    )
  }
  return openSchools(world, all, c.year, `be in group ${c.groupId}`).pipe(
    Either.flatMap(() => Either.all(all.map((id) => notInAGroup(world, id, c.groupId)))),
    Either.map(() => [{ ...payload(c), _tag: "GroupFormed" as const }])
  )
}

/** The age bands whose teachers are eligible to rotate: not the newest (under 30) nor those near retirement (55+). */
export const eligibleBands = ["30-39", "40-49", "50-54"] as const

/** A school's teachers eligible to rotate (交流轮岗): those of `eligibleBands`. */
export const eligibleTeachers = (s: SchoolState): number => eligibleBands.reduce((n, b) => n + s.teachers.byAge[b], 0)

/** Teachers a member with `eligible` teachers eligible rotates at `share`: rounded up, so the share is met. */
const rotating = (eligible: number, share: number): number => Math.min(Math.floor(eligible), Math.ceil(eligible * share - 1e-9))

/**
 * `count` of a school's eligible teachers rotated to `to` (band by band, youngest eligible first), of whom
 * ⌈count × backboneShare⌉ are backbone teachers where it has them: `TeachersTransferred` with `rotation`.
 */
const rotationFrom = (
  s: SchoolState,
  to: Ids.SchoolId,
  year: Ids.SchoolYear,
  count: number,
  backboneShare: number
): ReadonlyArray<Event.Event> => {
  const events: Array<Event.Event> = []
  let left = count
  // Math.max: never −0 (ceil of a tiny negative), which a JSON log cannot keep
  let backbone = Math.max(0, Math.min(s.teachers.backbone, Math.ceil(left * backboneShare - 1e-9)))
  for (const band of eligibleBands) {
    const n = Math.min(left, Math.floor(s.teachers.byAge[band]))
    if (n <= 0) continue
    const b = Math.min(backbone, n)
    events.push({
      _tag: "TeachersTransferred",
      year,
      from: s.id,
      to,
      count: n,
      ageBand: band,
      rotation: true,
      aboveDegree: 0,
      backbone: b,
      peArts: 0,
      mentalHealth: 0
    })
    left -= n
    backbone -= b
  }
  return events
}

const rotate = (c: Command.CommandOf<"RotateTeachers">, g: World.GroupState, world: World.World): Result => {
  if (g.members.length < 2) {
    return Either.left(new DomainError.InvalidCommand({ command: c._tag, reason: `group ${g.id} has one member: nobody to rotate with` }))
  }
  const events: Array<Event.Event> = []
  g.members.forEach((from, i) => {
    const s = world.schools.get(from)
    if (s === undefined) return
    const to = g.members[(i + 1) % g.members.length]
    events.push(...rotationFrom(s, to, c.year, rotating(eligibleTeachers(s), c.share), c.backboneShare))
  })
  return ok(...events)
}

/** 县域内交流: two open schools each send the larger of their two rotations (each at most its own eligible). */
const exchange = (c: Command.CommandOf<"ExchangeTeachers">, world: World.World): Result => {
  if (c.schoolId === c.partnerId) {
    return Either.left(new DomainError.InvalidCommand({ command: c._tag, reason: `${c.schoolId} cannot exchange teachers with itself` }))
  }
  return withOpenSchool(world, c.schoolId, c.year, `exchange teachers with ${c.partnerId}`, (a) =>
    withOpenSchool(world, c.partnerId, c.year, `exchange teachers with ${c.schoolId}`, (b) => {
      const ea = eligibleTeachers(a)
      const eb = eligibleTeachers(b)
      const n = Math.max(rotating(ea, c.share), rotating(eb, c.share))
      return ok(
        ...rotationFrom(a, b.id, c.year, Math.min(n, Math.floor(ea)), c.backboneShare),
        ...rotationFrom(b, a.id, c.year, Math.min(n, Math.floor(eb)), c.backboneShare)
      )
    })
  )
}

const recordMigration = (c: Command.CommandOf<"RecordMigration">, world: World.World): Result => {
  for (const place of [c.from, c.to]) {
    if (place !== "outside" && !world.settlements.has(place)) {
      return Either.left(new DomainError.SettlementNotFound({ settlementId: place }))
    }
  }
  if (c.from === c.to) {
    return Either.left(new DomainError.InvalidCommand({ command: c._tag, reason: `from and to are both ${c.from}` }))
  }
  return ok({ ...payload(c), _tag: "MigrationRecorded" })
}

const openSchool = (c: Command.CommandOf<"OpenSchool">, world: World.World): Result => {
  const existing = world.schools.get(c.school.id)
  if (existing !== undefined && existing.status === "open") {
    return Either.left(new DomainError.SchoolAlreadyExists({ schoolId: c.school.id }))
  }
  return withSettlement(world, c.school.settlementId, () => ok({ ...payload(c), _tag: "SchoolOpened" }))
}

const expandSchool = (c: Command.CommandOf<"ExpandSchool">, world: World.World): Result =>
  withOpenSchool(world, c.schoolId, c.year, "expand", (s) => {
    for (const field of facilityFields) {
      const current = s.facilities[field]
      if (current + c[field] < 0) {
        return Either.left(new DomainError.NegativeCapacity({ schoolId: s.id, field, current, change: c[field] }))
      }
    }
    return ok({ ...payload(c), _tag: "SchoolExpanded" })
  })

/** 先建后撤: the receiving school must be open, teach every level, and have the seats in that year. */
const receive = (
  world: World.World,
  year: number,
  closing: ReadonlyArray<SchoolState>,
  intoId: Ids.SchoolId,
  pupils: number
): Either.Either<void, DomainError.DomainError> => {
  const into = world.schools.get(intoId)
  if (into === undefined) return Either.left(new DomainError.SchoolNotFound({ schoolId: intoId, year }))
  if (into.status !== "open") {
    return Either.left(new DomainError.SchoolNotOpen({ schoolId: intoId, status: into.status, year, action: "receive pupils" }))
  }
  for (const s of closing) {
    const missing = levelsOf(s.type).find((level: Level) => !teaches(into.type, level))
    if (missing !== undefined) {
      return Either.left(new DomainError.ReceivingSchoolLacksLevel({ schoolId: s.id, receivingSchoolId: intoId, level: missing }))
    }
  }
  const free = World.freeSeats(world, intoId)
  if (pupils > free) {
    return Either.left(
      new DomainError.ReceivingSchoolLacksSeats({
        schoolId: closing.map((s) => s.id).join(", "),
        receivingSchoolId: intoId,
        year,
        needed: pupils,
        free
      })
    )
  }
  return Either.void
}

const openSchools = (
  world: World.World,
  ids: ReadonlyArray<Ids.SchoolId>,
  year: number,
  action: string
): Either.Either<ReadonlyArray<SchoolState>, DomainError.DomainError> =>
  Either.all(
    ids.map((id) => {
      const s = world.schools.get(id)
      if (s === undefined) return Either.left(new DomainError.SchoolNotFound({ schoolId: id, year }))
      if (s.status !== "open") {
        return Either.left(new DomainError.SchoolNotOpen({ schoolId: id, status: s.status, year, action }))
      }
      return Either.right(s)
    })
  )

const mergeSchools = (c: Command.CommandOf<"MergeSchools">, world: World.World): Result => {
  if (c.absorbed.includes(c.into)) {
    return Either.left(new DomainError.InvalidCommand({ command: c._tag, reason: `${c.into} cannot absorb itself` }))
  }
  if (new Set(c.absorbed).size !== c.absorbed.length) {
    return Either.left(new DomainError.InvalidCommand({ command: c._tag, reason: "a school is named twice" }))
  }
  return openSchools(world, c.absorbed, c.year, "merge").pipe(
    Either.flatMap((closing) => {
      const pupils = c.pupils ?? closing.reduce((n, s) => n + World.pupilsOf(world, s.id), 0)
      return receive(world, c.year, closing, c.into, pupils)
    }),
    Either.map(() => [{ _tag: "SchoolsMerged" as const, year: c.year, absorbed: c.absorbed, into: c.into }])
  )
}

const closeSchool = (c: Command.CommandOf<"CloseSchool">, world: World.World): Result =>
  withOpenSchool(world, c.schoolId, c.year, "close", (s) => {
    const pupils = c.pupils ?? World.pupilsOf(world, s.id)
    const closed: Event.Event =
      c.pupilsTo === undefined
        ? { _tag: "SchoolClosed", year: c.year, schoolId: c.schoolId }
        : { _tag: "SchoolClosed", year: c.year, schoolId: c.schoolId, pupilsTo: c.pupilsTo }
    if (c.pupilsTo === undefined) {
      return pupils > 0 ? Either.left(new DomainError.ReceivingSchoolMissing({ schoolId: s.id, pupils })) : ok(closed)
    }
    if (c.pupilsTo === c.schoolId) {
      return Either.left(new DomainError.InvalidCommand({ command: c._tag, reason: "a school cannot receive its own pupils" }))
    }
    return receive(world, c.year, [s], c.pupilsTo, pupils).pipe(Either.map(() => [closed]))
  })

const assignCatchment = (c: Command.CommandOf<"AssignCatchment">, world: World.World): Result =>
  withSettlement(world, c.settlementId, () =>
    withOpenSchool(world, c.schoolId, c.year, "take a catchment", (s) => {
      if (!teaches(s.type, c.level)) return Either.left(new DomainError.LevelNotTaught({ schoolId: s.id, level: c.level, type: s.type }))
      if (c.share === undefined || c.share >= 1) return ok({ ...payload(c), _tag: "CatchmentAssigned" })
      // a split (学区划分): the rest of the settlement's pupils stay with the school it is zoned to, which must be another
      const zoned = World.catchmentOf(world, c.level, c.settlementId)
      return zoned === undefined || zoned === c.schoolId
        ? Either.left(
            new DomainError.InvalidCommand({
              command: c._tag,
              reason: `${c.settlementId} has no other ${c.level} school to keep the rest of its pupils: a split needs the settlement zoned to another school first`
            })
          )
        : ok({ ...payload(c), _tag: "CatchmentAssigned" })
    })
  )

interface TeacherMove {
  readonly _tag: string
  readonly count: number
  readonly ageBand: keyof SchoolState["teachers"]["byAge"]
  readonly aboveDegree: number
  readonly backbone: number
  readonly peArts: number
  readonly mentalHealth: number
}

const categories = ["aboveDegree", "backbone", "peArts", "mentalHealth"] as const

const categoriesWithin = (c: TeacherMove): Either.Either<void, DomainError.DomainError> => {
  const over = categories.find((k) => c[k] > c.count)
  return over === undefined
    ? Either.void
    : Either.left(
        new DomainError.InvalidCommand({
          command: c._tag,
          reason: `${over} (${c[over]}) cannot exceed the number of teachers (${c.count})`
        })
      )
}

const teachersAvailable = (s: SchoolState, c: TeacherMove): Either.Either<void, DomainError.DomainError> =>
  categoriesWithin(c).pipe(
    Either.flatMap(() => {
      const inBand = s.teachers.byAge[c.ageBand]
      if (c.count > inBand) {
        return Either.left(
          new DomainError.InsufficientTeachers({
            schoolId: s.id,
            what: `teachers aged ${c.ageBand} (of ${teacherCount(s.teachers)} in all)`,
            requested: c.count,
            available: inBand
          })
        )
      }
      const short = categories.find((k) => c[k] > s.teachers[k])
      return short === undefined
        ? Either.void
        : Either.left(
            new DomainError.InsufficientTeachers({
              schoolId: s.id,
              what: `${short} teachers`,
              requested: c[short],
              available: s.teachers[short]
            })
          )
    })
  )

const transferTeachers = (c: Command.CommandOf<"TransferTeachers">, world: World.World): Result => {
  if (c.from === c.to) {
    return Either.left(new DomainError.InvalidCommand({ command: c._tag, reason: `from and to are both ${c.from}` }))
  }
  return withSchool(world, c.from, c.year, (from) =>
    withOpenSchool(world, c.to, c.year, "receive teachers", () =>
      teachersAvailable(from, c).pipe(Either.map(() => [{ ...payload(c), _tag: "TeachersTransferred" as const }]))
    )
  )
}
