/**
 * Branded identifiers and the school year (学年) every event is dated by.
 *
 * A school year is named by the calendar year it starts in: `2025` is the 2025/26 school year, which
 * starts in September 2025. Ids are non-empty strings chosen by the planner (`S-TOWN1-PRI`, `V-LIJIA`).
 */
import { Schema } from "effect"

/** What an id must look like: the one definition, used by the schemas and by the constructors' fast check. */
const idPattern = /^\S(.*\S)?$/
const idMaxLength = 200

const IdString = Schema.String.pipe(Schema.pattern(idPattern), Schema.maxLength(idMaxLength)).annotations({
  description: "a non-empty id without leading or trailing spaces"
})

/** Id of a settlement (county seat, township seat or village). */
export const SettlementId = IdString.pipe(Schema.brand("SettlementId"))
export type SettlementId = typeof SettlementId.Type

/** Id of a school (or teaching point, 教学点). */
export const SchoolId = IdString.pipe(Schema.brand("SchoolId"))
export type SchoolId = typeof SchoolId.Type

/** Id of a school group (集团化办学 / 学区制 / 校际联盟): a lead school and its members. */
export const GroupId = IdString.pipe(Schema.brand("GroupId"))
export type GroupId = typeof GroupId.Type

/** Id of an event: unique across the whole store; re-appending the same id is a no-op. */
export const EventId = IdString.pipe(Schema.brand("EventId"))
export type EventId = typeof EventId.Type

/** Name of an event stream: `baseline`, `plan/<variant>`. */
export const StreamId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._\-/:]*$/),
  Schema.maxLength(200),
  Schema.brand("StreamId")
).annotations({ description: "a stream name: letters, digits and . _ - / :, e.g. baseline or plan/township" })
export type StreamId = typeof StreamId.Type

/** The first and last school years seatplan accepts: the one bound of every schema of years. */
export const firstSchoolYear = 1949
export const lastSchoolYear = 2200

/** A year within the bounds, unbranded: for schemas of years that are not event dates (scenarios, options). */
export const Year = Schema.Int.pipe(Schema.between(firstSchoolYear, lastSchoolYear))

/** A school year (学年), named by the calendar year it starts in (`firstSchoolYear`-`lastSchoolYear`, 1949-2200). */
export const SchoolYear = Schema.Int.pipe(Schema.between(firstSchoolYear, lastSchoolYear), Schema.brand("SchoolYear")).annotations({
  description: "a school year named by the calendar year it starts in, e.g. 2025 for 2025/26"
})
export type SchoolYear = typeof SchoolYear.Type

/**
 * Whether a string passes IdString's checks, without running the schema (a province's load makes millions
 * of ids; the schema's validation was about a sixth of it). The schema still speaks for a string that fails.
 */
const isId = (s: string): boolean => s.length <= idMaxLength && idPattern.test(s)

/** Constructors that validate (they throw on an invalid id, with the schema's message; use them for literals in code and tests). */
export const settlementId = (s: string): SettlementId => (isId(s) ? (s as SettlementId) : SettlementId.make(s))
export const schoolId = (s: string): SchoolId => (isId(s) ? (s as SchoolId) : SchoolId.make(s))
export const eventId = (s: string): EventId => (isId(s) ? (s as EventId) : EventId.make(s))
export const groupId = (s: string): GroupId => (isId(s) ? (s as GroupId) : GroupId.make(s))
export const streamId = (s: string): StreamId => StreamId.make(s)
/** A school year, checked as `SchoolYear` checks it (an integer in its bounds) without running the schema, which speaks for a year that fails. */
export const schoolYear = (y: number): SchoolYear =>
  Number.isInteger(y) && y >= firstSchoolYear && y <= lastSchoolYear ? (y as SchoolYear) : SchoolYear.make(y)
