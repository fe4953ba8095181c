/**
 * The event catalogue: everything that happens to a county, each event dated by the school year (学年)
 * it takes effect in. Events are facts: never edited, never deleted; a correction is a new event.
 *
 * `Event` is the tagged union of the payloads; `Envelope` wraps a payload with its metadata (id,
 * recorded-at, optional causation id and the schema version it was written with).
 */
import { Schema } from "effect"
import { Settlement } from "./Geography.js"
import { EventId, GroupId, SchoolId, SchoolYear, SettlementId, StreamId } from "./Ids.js"
import * as Numbers from "./Numbers.js"
import { AgeBand, facilityChangeFields, Grade, Level, School, SchoolType } from "./School.js"
import { StandardKey } from "./Standards.js"

const Count = Numbers.Count
const PositiveCount = Numbers.PositiveCount
/** Children, births, migrants: may be fractional (projected, averaged). */
const Amount = Numbers.People
const year = SchoolYear

/** Where a migration flow starts or ends: a settlement, or `outside` the county. */
export const Place = Schema.Union(SettlementId, Schema.Literal("outside"))
export type Place = typeof Place.Type

/** An age range, inclusive, in whole years. */
export const AgeRange = Schema.Struct({
  min: Schema.Int.pipe(Schema.between(0, 18)),
  max: Schema.Int.pipe(Schema.between(0, 18))
}).pipe(Schema.filter((r) => r.min <= r.max || `min (${r.min}) must not exceed max (${r.max})`))
export type AgeRange = typeof AgeRange.Type

// ---------------------------------------------------------------- demography

/** A settlement is part of the region (recorded with the base year, or a new estate/town). */
export const SettlementRecorded = Schema.TaggedStruct("SettlementRecorded", { year, settlement: Settlement })

/** Children by single year of age (0-18) living in a settlement in a school year (base-year census). */
export const PopulationRecorded = Schema.TaggedStruct("PopulationRecorded", {
  year,
  settlementId: SettlementId,
  /** Children aged 0, 1, …, up to 18 (index = age); shorter arrays mean the rest are unknown. */
  byAge: Schema.Array(Amount).pipe(Schema.maxItems(19))
})

/** Live births recorded in a settlement in a year. */
export const BirthsRecorded = Schema.TaggedStruct("BirthsRecorded", {
  year,
  settlementId: SettlementId,
  births: Amount
})

/**
 * Children of an age range moving between settlements, or into/out of the county (`outside`).
 * `migrant` marks children of migrant workers (随迁子女).
 */
export const MigrationRecorded = Schema.TaggedStruct("MigrationRecorded", {
  year,
  from: Place,
  to: Place,
  ages: AgeRange,
  count: Amount,
  migrant: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/**
 * A residential estate completed: its dwellings bring pupils over the following years
 * (the student-generation rates district planners use).
 */
export const HousingCompleted = Schema.TaggedStruct("HousingCompleted", {
  year,
  settlementId: SettlementId,
  estate: Schema.String,
  dwellings: PositiveCount,
  type: Schema.Literal("commercial", "resettlement", "affordable")
})

/** Pupils enrolled in a school's grade in a school year (history, used for calibration). */
export const EnrolmentRecorded = Schema.TaggedStruct("EnrolmentRecorded", {
  year,
  schoolId: SchoolId,
  grade: Grade,
  pupils: Count,
  /** Classes the grade was taught in, when recorded. */
  classes: Schema.optional(Count)
})

// ---------------------------------------------------------------- schools

/** A school opens (or is recorded as open in the base year). */
export const SchoolOpened = Schema.TaggedStruct("SchoolOpened", { year, school: School })

/** Capacity added to a school (新建、改扩建). Fields are increments; they may be negative for demolitions. */
export const SchoolExpanded = Schema.TaggedStruct("SchoolExpanded", {
  year,
  schoolId: SchoolId,
  /** A change to each of the ten facility fields (`School.facilityDefinitions`), 0 when omitted. */
  ...facilityChangeFields,
  /** Capital cost in yuan, when known (the investment account 投入账). */
  cost: Schema.optional(Numbers.Money)
})

/** Schools merged (撤并): the absorbed schools close; pupils, teachers and catchments move `into` one school. */
export const SchoolsMerged = Schema.TaggedStruct("SchoolsMerged", {
  year,
  absorbed: Schema.NonEmptyArray(SchoolId),
  into: SchoolId
})

/** A school closes; its pupils, teachers and catchments move to the receiving school, if any. */
export const SchoolClosed = Schema.TaggedStruct("SchoolClosed", {
  year,
  schoolId: SchoolId,
  pupilsTo: Schema.optional(SchoolId)
})

/** A closed school's building is put to another use (闲置校舍再利用); a kindergarten use reopens it as one. */
export const SchoolRepurposed = Schema.TaggedStruct("SchoolRepurposed", {
  year,
  schoolId: SchoolId,
  use: Schema.Literal("kindergarten", "labour-education", "community-learning", "elderly-care", "returned")
})

/** A school changes type, e.g. to a nine-year school (九年一贯制) or down to a teaching point (教学点). */
export const SchoolConverted = Schema.TaggedStruct("SchoolConverted", { year, schoolId: SchoolId, to: SchoolType })

/**
 * A settlement's children of a level are zoned to a school (招生划片 / 学区). With `share` (above 0, below 1)
 * the catchment is split (学区划分 by street, as bureaus divide a large town between schools): that share of
 * the settlement's pupils of the level go to `schoolId`, the rest stay with the school the settlement is
 * zoned to. A later assignment without `share` zones the whole settlement again and ends the split.
 */
export const CatchmentAssigned = Schema.TaggedStruct("CatchmentAssigned", {
  year,
  level: Level,
  settlementId: SettlementId,
  schoolId: SchoolId,
  share: Schema.optional(Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(1)))
})

/**
 * A school's boarding beds set to a new total (寄宿制): `beds` is the total after the change, not an
 * increment (an expansion's `boardingBeds` adds). Beds added cost `cost` yuan when given, else the added
 * beds × the capital cost per bed (sim's assumptions).
 */
export const BoardingChanged = Schema.TaggedStruct("BoardingChanged", {
  year,
  schoolId: SchoolId,
  beds: Count,
  cost: Schema.optional(Numbers.Money)
})

// ---------------------------------------------------------------- teachers

const TeacherCategories = {
  aboveDegree: Schema.optionalWith(Count, { default: () => 0 }),
  backbone: Schema.optionalWith(Count, { default: () => 0 }),
  peArts: Schema.optionalWith(Count, { default: () => 0 }),
  mentalHealth: Schema.optionalWith(Count, { default: () => 0 })
}

/** Teachers hired into a school (in one age band; categories are subsets of `count`). */
export const TeachersHired = Schema.TaggedStruct("TeachersHired", {
  year,
  schoolId: SchoolId,
  count: PositiveCount,
  ageBand: Schema.optionalWith(AgeBand, { default: () => "under-30" as const }),
  ...TeacherCategories
})

/** Teachers of an age band retire from a school. */
export const TeachersRetired = Schema.TaggedStruct("TeachersRetired", {
  year,
  schoolId: SchoolId,
  count: PositiveCount,
  ageBand: Schema.optionalWith(AgeBand, { default: () => "55+" as const }),
  ...TeacherCategories
})

/** Teachers move between schools (调动), or rotate (交流轮岗) when `rotation` is set. */
export const TeachersTransferred = Schema.TaggedStruct("TeachersTransferred", {
  year,
  from: SchoolId,
  to: SchoolId,
  count: PositiveCount,
  ageBand: Schema.optionalWith(AgeBand, { default: () => "30-39" as const }),
  rotation: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  ...TeacherCategories
})

// ---------------------------------------------------------------- school groups

/**
 * The forms a school group takes (seeds 000, 001, 003): group-based running (集团化办学), a large catchment
 * district (大学区 / 学区制), an inter-school alliance (校际联盟) and entrusted management (委托管理). In every
 * form the members' teachers are pooled (shared) and rotated (交流轮岗) inside the group.
 */
export const GroupForm = Schema.Literal("group", "district", "alliance", "entrusted")
export type GroupForm = typeof GroupForm.Type

/** A school group is formed: a lead school (牵头学校) and its members (the lead is a member). */
export const GroupFormed = Schema.TaggedStruct("GroupFormed", {
  year,
  groupId: GroupId,
  name: Schema.String,
  form: Schema.optionalWith(GroupForm, { default: () => "group" as const }),
  lead: SchoolId,
  /** The other members (the lead is a member without being listed). */
  members: Schema.Array(SchoolId)
})

/** A school joins a group. */
export const GroupJoined = Schema.TaggedStruct("GroupJoined", { year, groupId: GroupId, schoolId: SchoolId })

/** A school leaves a group (the lead leaves only when the group is dissolved). */
export const GroupLeft = Schema.TaggedStruct("GroupLeft", { year, groupId: GroupId, schoolId: SchoolId })

/** A group is dissolved: its members stand alone again. */
export const GroupDissolved = Schema.TaggedStruct("GroupDissolved", { year, groupId: GroupId })

// ---------------------------------------------------------------- policy

/** A numeric standard changes from this year on (a province's own cap, a new staffing ratio). */
export const StandardChanged = Schema.TaggedStruct("StandardChanged", {
  year,
  key: StandardKey,
  value: Numbers.StandardValue
})

/** Every event seatplan knows. */
export const Event = Schema.Union(
  SettlementRecorded,
  PopulationRecorded,
  BirthsRecorded,
  MigrationRecorded,
  HousingCompleted,
  EnrolmentRecorded,
  SchoolOpened,
  SchoolExpanded,
  SchoolsMerged,
  SchoolClosed,
  SchoolRepurposed,
  SchoolConverted,
  CatchmentAssigned,
  BoardingChanged,
  TeachersHired,
  TeachersRetired,
  TeachersTransferred,
  GroupFormed,
  GroupJoined,
  GroupLeft,
  GroupDissolved,
  StandardChanged
)
export type Event = typeof Event.Type
export type EventEncoded = typeof Event.Encoded
export type EventTag = Event["_tag"]

/** Every event tag, in catalogue order. */
export const tags: ReadonlyArray<EventTag> = [
  "SettlementRecorded",
  "PopulationRecorded",
  "BirthsRecorded",
  "MigrationRecorded",
  "HousingCompleted",
  "EnrolmentRecorded",
  "SchoolOpened",
  "SchoolExpanded",
  "SchoolsMerged",
  "SchoolClosed",
  "SchoolRepurposed",
  "SchoolConverted",
  "CatchmentAssigned",
  "BoardingChanged",
  "TeachersHired",
  "TeachersRetired",
  "TeachersTransferred",
  "GroupFormed",
  "GroupJoined",
  "GroupLeft",
  "GroupDissolved",
  "StandardChanged"
]

/** The event payload of one tag. */
export type EventOf<T extends EventTag> = Extract<Event, { readonly _tag: T }>

/** An instant in UTC, ISO 8601 (`2026-11-27T09:30:00.000Z`). */
export const Timestamp = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/)).annotations({
  description: "an ISO 8601 UTC timestamp, e.g. 2026-11-27T09:30:00.000Z"
})

/**
 * Metadata every stored event carries: a unique id (idempotency key), when it was recorded, and the
 * command or event that caused it.
 */
export const Metadata = Schema.Struct({
  id: EventId,
  recordedAt: Timestamp,
  causationId: Schema.optional(Schema.String)
})

/** An event ready to append: metadata and payload. */
export const NewEvent = Schema.Struct({ ...Metadata.fields, event: Event })
export type NewEvent = typeof NewEvent.Type

/** An event as stored: its stream, its version in the stream (1-based) and its global position (1-based). */
export const StoredEvent = Schema.Struct({
  position: Schema.Int.pipe(Schema.positive()),
  stream: StreamId,
  version: Schema.Int.pipe(Schema.positive()),
  ...Metadata.fields,
  event: Event
})
export type StoredEvent = typeof StoredEvent.Type
