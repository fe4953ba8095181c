/**
 * The steps of a plan variant (方案步骤) and the school and settlement records a step or a scenario carries:
 * the part of the scenario format that layout strategies write.
 */
import { Event, Geography, Ids, School, Standards } from "@seatplan/core"
import * as Numbers from "@seatplan/core/Numbers"
import { Schema } from "effect"
export const Id = Schema.String.pipe(Schema.pattern(/^\S(.*\S)?$/), Schema.maxLength(200)).annotations({
  description: "an id: no spaces at either end, e.g. LS-SEAT or SEAT-PRI-1"
})
/** Ids were validated by the schema; these only name the brand. */
export const asSchool = (id: string) => id as Ids.SchoolId
export const asSettlement = (id: string) => id as Ids.SettlementId
export const Year = Ids.Year.annotations({ description: "a school year, e.g. 2026 for 2026/27" })
// Every number is finite and in a documented range (core's Numbers; scenarios/README.md "Number ranges").
export const Count = Numbers.Count
/** Children, births, migrants (may be fractional). */
export const Amount = Numbers.People
export const Tier = Geography.Tier

/**
 * A name a person reads beside the figures (a settlement's, a school's): some text, not empty or only spaces.
 * The tables, maps and report show names rather than ids; an empty one left a row a planner could not place.
 */
export const Name = Schema.String.pipe(
  Schema.pattern(/\S/, { message: () => "expected a name (some text, shown in the tables and the report), found an empty one" })
).annotations({ description: "a name shown in the tables and the report: some text, not empty or only spaces" })

export const SettlementSpec = Schema.Struct({
  id: Id,
  name: Name,
  tier: Tier,
  lon: Numbers.Longitude,
  lat: Numbers.Latitude,
  parent: Schema.optional(Id)
})

export const TeachersSpec = Schema.Struct({
  total: Count,
  /** Teachers by age band; the rest of `total` is spread evenly. */
  byAge: Schema.optional(Schema.partial(School.TeacherPool.fields.byAge)),
  aboveDegree: Schema.optional(Count),
  backbone: Schema.optional(Count),
  peArts: Schema.optional(Count),
  mentalHealth: Schema.optional(Count)
})

export const SchoolSpec = Schema.Struct({
  id: Id,
  name: Name,
  type: School.SchoolType,
  settlement: Id,
  /** Location; defaults to the settlement's. */
  lon: Schema.optional(Numbers.Longitude),
  lat: Schema.optional(Numbers.Latitude),
  classrooms: Count,
  classroomsByGrade: Schema.optional(Schema.Record({ key: Schema.String, value: Count })),
  seats: Count,
  ...School.optionalFacilityAmounts,
  teachers: Schema.optional(TeachersSpec)
})
export type SchoolSpec = typeof SchoolSpec.Type

const step = <T extends string, F extends Schema.Struct.Fields>(type: T, fields: F) =>
  Schema.Struct({ type: Schema.Literal(type), year: Year, ...fields })

const TeacherCategories = {
  ageBand: Schema.optional(School.AgeBand),
  aboveDegree: Schema.optional(Count),
  backbone: Schema.optional(Count),
  peArts: Schema.optional(Count),
  mentalHealth: Schema.optional(Count)
}

/** One scheduled step of a plan variant. */
export const PlanStep = Schema.Union(
  step("open", { school: SchoolSpec }),
  step("expand", {
    school: Id,
    ...School.optionalFacilityChanges,
    cost: Schema.optional(Numbers.Money)
  }),
  step("merge", { schools: Schema.NonEmptyArray(Id), into: Id }),
  step("close", { school: Id, into: Schema.optional(Id) }),
  step("repurpose", {
    school: Id,
    use: Schema.Literal("kindergarten", "labour-education", "community-learning", "elderly-care", "returned")
  }),
  step("convert", { school: Id, to: School.SchoolType }),
  step("catchment", {
    level: School.Level,
    settlement: Id,
    school: Id,
    share: Schema.optional(Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(1))).annotations({
      description:
        "a share above 0, at most 1 (split catchment, 学区划分 by street): the share of the settlement's pupils of the level zoned to this school (whole pupils, rounded), the rest staying with the school the settlement is zoned to; default 1, the whole settlement"
    })
  }),
  /** Sets the school's boarding beds to `beds` in total (not an increment: to add beds, `expand` with `boardingBeds`). */
  step("boarding", {
    school: Id,
    beds: Count.annotations({ description: "the school's boarding beds in total after this step (sets, does not add)" }),
    cost: Schema.optional(Numbers.Money).annotations({
      description: "capital cost in yuan of the beds added; default the beds added × the assumptions' capital cost per bed"
    })
  }),
  step("hire", { school: Id, count: Numbers.PositiveCount, ...TeacherCategories }),
  step("retire", { school: Id, count: Numbers.PositiveCount, ...TeacherCategories }),
  step("transfer", {
    from: Id,
    to: Id,
    count: Numbers.PositiveCount,
    rotation: Schema.optional(Schema.Boolean),
    ...TeacherCategories
  }),
  step("housing", {
    settlement: Id,
    estate: Schema.String,
    dwellings: Numbers.PositiveCount,
    kind: Schema.Literal("commercial", "resettlement", "affordable")
  }),
  step("settlement", { settlement: SettlementSpec }),
  step("standard", { key: Standards.StandardKey, value: Numbers.StandardValue }),
  /** A school group (集团化办学 / 学区制): a lead school and its members share and rotate teachers. */
  step("form-group", {
    group: Id,
    name: Name,
    form: Schema.optional(Event.GroupForm).annotations({
      description: "group 集团化办学 (default), district 大学区/学区制, alliance 校际联盟, entrusted 委托管理"
    }),
    lead: Id,
    members: Schema.Array(Id).annotations({ description: "the other members (the lead is a member without being listed)" })
  }),
  step("join-group", { group: Id, school: Id }),
  step("leave-group", { group: Id, school: Id }),
  step("dissolve-group", { group: Id }),
  /** 交流轮岗 inside a group for one school year: each member sends `share` of its eligible teachers to the next. */
  step("rotate", {
    group: Id,
    share: Schema.optional(Numbers.Share).annotations({
      description: "share of each member's eligible teachers (aged 30-54) rotated, rounded up; default the standard rotation.share (0.1)"
    }),
    backboneShare: Schema.optional(Numbers.Share).annotations({
      description:
        "share of the rotated who are backbone teachers, where a member has them; default the standard rotation.backboneShare (0.2)"
    })
  }),
  /**
   * 县域内交流 for one school year between two schools (any townships, no group needed): each sends the larger of
   * the two schools' `share` of their eligible teachers (at most its own), so both meet it; a school alone at its
   * level in its township rotates this way.
   */
  step("exchange", {
    school: Id,
    partner: Id,
    share: Schema.optional(Numbers.Share).annotations({
      description:
        "share of each school's eligible teachers (aged 30-54) to rotate, rounded up; both send the larger of the two counts; default the standard rotation.share (0.1)"
    }),
    backboneShare: Schema.optional(Numbers.Share).annotations({
      description:
        "share of the exchanged who are backbone teachers, where a school has them; default the standard rotation.backboneShare (0.2)"
    })
  }),
  /**
   * A facility investment (设施设备投入): equipment, networked multimedia rooms, music and art rooms, sports
   * ground, teaching floor area and library books added to a school, at the unit costs of `Costs.facilityUnitCosts` unless
   * `cost` is given. Seat-free: it counts in the accounts and ledger as an investment, not a construction.
   */
  step("invest", {
    school: Id,
    equipmentValue: Schema.optional(Numbers.Money),
    multimediaRooms: Schema.optional(Count),
    musicRooms: Schema.optional(Count),
    artRooms: Schema.optional(Count),
    sportsArea: Schema.optional(Numbers.Area),
    floorArea: Schema.optional(Numbers.Area),
    books: Schema.optional(Count).annotations({ description: "library books (图书), volumes" }),
    cost: Schema.optional(Numbers.Money).annotations({
      description: "capital cost in yuan; default the unit costs (docs: Costs.facilityUnitCosts)"
    })
  })
)
export type PlanStep = typeof PlanStep.Type
