/**
 * The rules `decide` enforces, one tagged error per broken rule, each with a message that says what was
 * expected and what was found.
 */
import { Data } from "effect"

/** A school id names no school in the world. */
export class SchoolNotFound extends Data.TaggedError("SchoolNotFound")<{
  readonly schoolId: string
  readonly year: number
}> {
  override get message() {
    return `school ${this.schoolId} does not exist in ${this.year}`
  }
}

/** The school exists but is not open (closed or repurposed). */
export class SchoolNotOpen extends Data.TaggedError("SchoolNotOpen")<{
  readonly schoolId: string
  readonly status: string
  readonly year: number
  readonly action: string
}> {
  override get message() {
    return `cannot ${this.action}: school ${this.schoolId} is ${this.status} in ${this.year}, expected open`
  }
}

/** A new school would reuse the id of an open school. */
export class SchoolAlreadyExists extends Data.TaggedError("SchoolAlreadyExists")<{
  readonly schoolId: string
}> {
  override get message() {
    return `school ${this.schoolId} already exists and is open; choose another id`
  }
}

/** A settlement id names no settlement. */
export class SettlementNotFound extends Data.TaggedError("SettlementNotFound")<{
  readonly settlementId: string
}> {
  override get message() {
    return `settlement ${this.settlementId} does not exist`
  }
}

/**
 * 先建后撤 (build first, close after): a school may close or merge only into a receiving school that
 * already has the seats for its pupils in that year.
 */
export class ReceivingSchoolLacksSeats extends Data.TaggedError("ReceivingSchoolLacksSeats")<{
  readonly schoolId: string
  readonly receivingSchoolId: string
  readonly year: number
  readonly needed: number
  readonly free: number
}> {
  override get message() {
    return (
      `先建后撤: ${this.receivingSchoolId} has ${this.free} free seats in ${this.year} but ` +
      `${this.schoolId} has ${this.needed} pupils to move; expand ${this.receivingSchoolId} first`
    )
  }
}

/** A school with pupils cannot close without a receiving school. */
export class ReceivingSchoolMissing extends Data.TaggedError("ReceivingSchoolMissing")<{
  readonly schoolId: string
  readonly pupils: number
}> {
  override get message() {
    return `school ${this.schoolId} has ${this.pupils} pupils: closing it needs a receiving school (pupilsTo)`
  }
}

/** The receiving school does not teach a level the closing school teaches. */
export class ReceivingSchoolLacksLevel extends Data.TaggedError("ReceivingSchoolLacksLevel")<{
  readonly schoolId: string
  readonly receivingSchoolId: string
  readonly level: string
}> {
  override get message() {
    return (
      `${this.receivingSchoolId} does not teach ${this.level}, which ${this.schoolId} teaches; ` +
      `its ${this.level} pupils would have no school`
    )
  }
}

/** A school is zoned for a level it does not teach. */
export class LevelNotTaught extends Data.TaggedError("LevelNotTaught")<{
  readonly schoolId: string
  readonly level: string
  readonly type: string
}> {
  override get message() {
    return `school ${this.schoolId} is a ${this.type} school and does not teach ${this.level}`
  }
}

/** More teachers asked to leave a school (retire or transfer) than it has. */
export class InsufficientTeachers extends Data.TaggedError("InsufficientTeachers")<{
  readonly schoolId: string
  readonly what: string
  readonly requested: number
  readonly available: number
}> {
  override get message() {
    return `school ${this.schoolId} has ${this.available} ${this.what}, cannot move ${this.requested}`
  }
}

/** A change would leave a capacity below zero. */
export class NegativeCapacity extends Data.TaggedError("NegativeCapacity")<{
  readonly schoolId: string
  readonly field: string
  readonly current: number
  readonly change: number
}> {
  override get message() {
    return (
      `school ${this.schoolId}: ${this.field} ${this.current} ${this.change < 0 ? "-" : "+"} ` +
      `${Math.abs(this.change)} would be negative`
    )
  }
}

/** A command whose own parts contradict each other (a school merged into itself, a subset larger than the whole). */
export class InvalidCommand extends Data.TaggedError("InvalidCommand")<{
  readonly command: string
  readonly reason: string
}> {
  override get message() {
    return `${this.command}: ${this.reason}`
  }
}

/** A repurpose needs a closed school: an open school still has pupils. */
export class SchoolNotClosed extends Data.TaggedError("SchoolNotClosed")<{
  readonly schoolId: string
  readonly status: string
}> {
  override get message() {
    return `school ${this.schoolId} is ${this.status}; only a closed school's building can be repurposed`
  }
}

/** A group id names no group that is formed and not dissolved. */
export class GroupNotFound extends Data.TaggedError("GroupNotFound")<{
  readonly groupId: string
  readonly year: number
}> {
  override get message() {
    return `school group ${this.groupId} does not exist in ${this.year} (never formed, or dissolved)`
  }
}

/** A new group would reuse the id of a group that is formed and not dissolved. */
export class GroupAlreadyExists extends Data.TaggedError("GroupAlreadyExists")<{
  readonly groupId: string
}> {
  override get message() {
    return `school group ${this.groupId} already exists; choose another id or dissolve it first`
  }
}

/** A school is a member of at most one group (集团化办学: one lead, no member in two groups). */
export class SchoolInAnotherGroup extends Data.TaggedError("SchoolInAnotherGroup")<{
  readonly schoolId: string
  readonly groupId: string
  readonly memberOf: string
}> {
  override get message() {
    return `school ${this.schoolId} cannot join group ${this.groupId}: it is already a member of group ${this.memberOf}; leave that group first`
  }
}

/** A school leaves a group it is not a member of, or the lead leaves (dissolve the group instead). */
export class NotAGroupMember extends Data.TaggedError("NotAGroupMember")<{
  readonly schoolId: string
  readonly groupId: string
  readonly reason: string
}> {
  override get message() {
    return `school ${this.schoolId} cannot leave group ${this.groupId}: ${this.reason}`
  }
}

export type DomainError =
  | SchoolNotFound
  | SchoolNotOpen
  | SchoolAlreadyExists
  | SettlementNotFound
  | ReceivingSchoolLacksSeats
  | ReceivingSchoolMissing
  | ReceivingSchoolLacksLevel
  | LevelNotTaught
  | InsufficientTeachers
  | NegativeCapacity
  | InvalidCommand
  | SchoolNotClosed
  | GroupNotFound
  | GroupAlreadyExists
  | SchoolInAnotherGroup
  | NotAGroupMember
