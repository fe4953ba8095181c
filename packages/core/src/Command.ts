/**
 * Commands: what a planner or a scenario asks for. `decide` checks each against the world and turns it
 * into events or a `DomainError`. A command carries its own id and time (no clock is read), so deciding
 * is deterministic; the events it yields get ids `<command id>/<n>` and the command id as causation.
 */
import { Schema } from "effect"
import * as Event from "./Event.js"
import * as Numbers from "./Numbers.js"

const Count = Numbers.Count

/** Who asked and when: the command's id (events derive their ids from it) and time. */
const CommandMeta = {
  id: Schema.String.pipe(Schema.minLength(1)),
  at: Event.Timestamp
}

const withoutTag = <F extends { readonly _tag: unknown }>({ _tag, ...rest }: F): Omit<F, "_tag"> => rest

export const RecordSettlement = Schema.TaggedStruct("RecordSettlement", {
  ...CommandMeta,
  ...withoutTag(Event.SettlementRecorded.fields)
})
export const RecordPopulation = Schema.TaggedStruct("RecordPopulation", {
  ...CommandMeta,
  ...withoutTag(Event.PopulationRecorded.fields)
})
export const RecordBirths = Schema.TaggedStruct("RecordBirths", {
  ...CommandMeta,
  ...withoutTag(Event.BirthsRecorded.fields)
})
export const RecordMigration = Schema.TaggedStruct("RecordMigration", {
  ...CommandMeta,
  ...withoutTag(Event.MigrationRecorded.fields)
})
export const CompleteHousing = Schema.TaggedStruct("CompleteHousing", {
  ...CommandMeta,
  ...withoutTag(Event.HousingCompleted.fields)
})
export const RecordEnrolment = Schema.TaggedStruct("RecordEnrolment", {
  ...CommandMeta,
  ...withoutTag(Event.EnrolmentRecorded.fields)
})
export const OpenSchool = Schema.TaggedStruct("OpenSchool", {
  ...CommandMeta,
  ...withoutTag(Event.SchoolOpened.fields)
})
export const ExpandSchool = Schema.TaggedStruct("ExpandSchool", {
  ...CommandMeta,
  ...withoutTag(Event.SchoolExpanded.fields)
})

/**
 * Merge schools (撤并). `pupils` is the number of pupils to move when the caller knows it (a projection);
 * otherwise the absorbed schools' latest recorded enrolment is used.
 */
export const MergeSchools = Schema.TaggedStruct("MergeSchools", {
  ...CommandMeta,
  ...withoutTag(Event.SchoolsMerged.fields),
  pupils: Schema.optional(Count)
})

/** Close a school, moving its pupils to `pupilsTo` (先建后撤: that school must have the seats). */
export const CloseSchool = Schema.TaggedStruct("CloseSchool", {
  ...CommandMeta,
  ...withoutTag(Event.SchoolClosed.fields),
  pupils: Schema.optional(Count)
})
export const RepurposeSchool = Schema.TaggedStruct("RepurposeSchool", {
  ...CommandMeta,
  ...withoutTag(Event.SchoolRepurposed.fields)
})
export const ConvertSchool = Schema.TaggedStruct("ConvertSchool", {
  ...CommandMeta,
  ...withoutTag(Event.SchoolConverted.fields)
})
export const AssignCatchment = Schema.TaggedStruct("AssignCatchment", {
  ...CommandMeta,
  ...withoutTag(Event.CatchmentAssigned.fields)
})
export const ChangeBoarding = Schema.TaggedStruct("ChangeBoarding", {
  ...CommandMeta,
  ...withoutTag(Event.BoardingChanged.fields)
})
export const HireTeachers = Schema.TaggedStruct("HireTeachers", {
  ...CommandMeta,
  ...withoutTag(Event.TeachersHired.fields)
})
export const RetireTeachers = Schema.TaggedStruct("RetireTeachers", {
  ...CommandMeta,
  ...withoutTag(Event.TeachersRetired.fields)
})
export const TransferTeachers = Schema.TaggedStruct("TransferTeachers", {
  ...CommandMeta,
  ...withoutTag(Event.TeachersTransferred.fields)
})
export const FormGroup = Schema.TaggedStruct("FormGroup", {
  ...CommandMeta,
  ...withoutTag(Event.GroupFormed.fields)
})
export const JoinGroup = Schema.TaggedStruct("JoinGroup", {
  ...CommandMeta,
  ...withoutTag(Event.GroupJoined.fields)
})
export const LeaveGroup = Schema.TaggedStruct("LeaveGroup", {
  ...CommandMeta,
  ...withoutTag(Event.GroupLeft.fields)
})
export const DissolveGroup = Schema.TaggedStruct("DissolveGroup", {
  ...CommandMeta,
  ...withoutTag(Event.GroupDissolved.fields)
})
/**
 * Rotate teachers (交流轮岗) inside a group for a year: from each member, `share` of its eligible teachers
 * (the 30-39, 40-49 and 50-54 age bands, rounded up), of whom `backboneShare` are backbone teachers where
 * the member has them, move to the next member (the lead first, a ring), so each member gives and receives.
 * Decided against the world: the events are `TeachersTransferred` with `rotation` set.
 */
export const RotateTeachers = Schema.TaggedStruct("RotateTeachers", {
  ...CommandMeta,
  year: Event.GroupJoined.fields.year,
  groupId: Event.GroupJoined.fields.groupId,
  share: Numbers.Share,
  backboneShare: Numbers.Share
})
/**
 * Exchange teachers (县域内交流) between two schools for a year, across townships and outside any group: each
 * sends the larger of the two schools' `share` of their eligible teachers (the 30-39, 40-49 and 50-54 age
 * bands, rounded up; at most its own eligible), so both meet the share and neither's headcount changes where
 * both have them; `backboneShare` of them are backbone teachers where the school has them. A school alone at
 * its level in its township has no group partner: this is its rotation. Decided against the world: the events
 * are `TeachersTransferred` with `rotation` set.
 */
export const ExchangeTeachers = Schema.TaggedStruct("ExchangeTeachers", {
  ...CommandMeta,
  year: Event.GroupJoined.fields.year,
  schoolId: Event.GroupJoined.fields.schoolId,
  partnerId: Event.GroupJoined.fields.schoolId,
  share: Numbers.Share,
  backboneShare: Numbers.Share
})
export const ChangeStandard = Schema.TaggedStruct("ChangeStandard", {
  ...CommandMeta,
  ...withoutTag(Event.StandardChanged.fields)
})

export const Command = Schema.Union(
  RecordSettlement,
  RecordPopulation,
  RecordBirths,
  RecordMigration,
  CompleteHousing,
  RecordEnrolment,
  OpenSchool,
  ExpandSchool,
  MergeSchools,
  CloseSchool,
  RepurposeSchool,
  ConvertSchool,
  AssignCatchment,
  ChangeBoarding,
  HireTeachers,
  RetireTeachers,
  TransferTeachers,
  FormGroup,
  JoinGroup,
  LeaveGroup,
  DissolveGroup,
  RotateTeachers,
  ExchangeTeachers,
  ChangeStandard
)
export type Command = typeof Command.Type
export type CommandTag = Command["_tag"]
export type CommandOf<T extends CommandTag> = Extract<Command, { readonly _tag: T }>
