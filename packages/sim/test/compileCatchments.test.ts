/**
 * Compiling folds the catchment assignments after the last closure or merge straight into the model's
 * arrays (`compile/Catchments`) instead of into the world's maps: the zones and splits it loads are the
 * world's (`World.fold` of the recorded events, then each settlement and level by index), whatever the
 * order of assignments, splits, closures, merges and the records of the settlements and schools named.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids, World } from "@seatplan/core"
import { FastCheck as fc } from "effect"
import { Compile, Synthetic } from "../src/index.js"
import { levelIndex } from "../src/Dimensions.js"

describe("compiling the catchments", () => {
  const region = Synthetic.county(3)
  const baseYear = region.baseYear
  const recorded = region.events.filter((e) => e.year <= baseYear)
  const assignments = recorded.flatMap((e) => (e._tag === "CatchmentAssigned" ? [e] : []))
  const schools = recorded.flatMap((e) => (e._tag === "SchoolOpened" ? [e.school.id] : []))
  const settlements = recorded.flatMap((e) => (e._tag === "SettlementRecorded" ? [e.settlement.id] : []))
  const year = Ids.schoolYear(baseYear)
  type Edit = (year: Ids.SchoolYear) => Event.Event

  /** The world's zones and splits loaded by index, as compiling loaded them before. */
  const fromWorld = (events: ReadonlyArray<Event.Event>, m: Compile.Model) => {
    const world = World.fold(World.chronological(events.filter((e) => e.year <= baseYear)))
    const S = m.settlements
    const catchment = new Int32Array(m.catchment.length).fill(-1)
    const splitSchool = new Int32Array(m.splitSchool.length).fill(-1)
    const splitShare = new Float64Array(m.splitShare.length)
    for (const [level, zone] of world.catchments) {
      for (const [settlement, school] of zone)
        catchment[levelIndex(level) * S + m.settlementIndex.get(settlement)!] = m.schoolIndex.get(school)!
    }
    for (const [level, zone] of world.splits) {
      for (const [settlement, split] of zone) {
        splitSchool[levelIndex(level) * S + m.settlementIndex.get(settlement)!] = m.schoolIndex.get(split.schoolId)!
        splitShare[levelIndex(level) * S + m.settlementIndex.get(settlement)!] = split.share
      }
    }
    return { catchment, splitSchool, splitShare }
  }

  /** An event that touches the zones, dated as the events it is put among. */
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(...assignments),
        fc.constantFrom(...schools),
        fc.option(fc.double({ min: 0.05, max: 1.2, noNaN: true }), { nil: undefined })
      )
      .map(
        ([a, schoolId, share]) =>
          (year: Ids.SchoolYear): Event.Event => ({ ...a, year, schoolId, ...(share === undefined ? {} : { share }) })
      ),
    fc.constantFrom(...assignments).map(
      (a) =>
        (year: Ids.SchoolYear): Event.Event => ({ ...a, year, settlementId: Ids.settlementId("nowhere") })
    ),
    fc.constantFrom(...assignments).map(
      (a) =>
        (year: Ids.SchoolYear): Event.Event => ({ ...a, year, schoolId: Ids.schoolId("unbuilt") })
    ),
    fc.tuple(fc.constantFrom(...schools), fc.option(fc.constantFrom(...schools), { nil: undefined })).map(
      ([schoolId, pupilsTo]) =>
        (year: Ids.SchoolYear): Event.Event => ({
          _tag: "SchoolClosed" as const,
          year,
          schoolId,
          ...(pupilsTo === undefined ? {} : { pupilsTo })
        })
    ),
    fc.tuple(fc.constantFrom(...schools), fc.constantFrom(...schools)).map(
      ([absorbed, into]) =>
        (year: Ids.SchoolYear): Event.Event => ({
          _tag: "SchoolsMerged" as const,
          year,
          absorbed: [absorbed] as const,
          into
        })
    )
  )

  it("the zones and splits compiled are the world's, for edits anywhere in the recorded events", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(recorded.length), edit), { maxLength: 6 }),
        fc.option(fc.nat(recorded.length - 1), { nil: undefined }),
        (edits, late) => {
          const events: Array<Event.Event> = [...region.events]
          for (const [at, e] of edits) events.splice(at, 0, e(events[Math.min(at, recorded.length - 1)].year))
          // a settlement's record moved to the end of the base year: its earlier assignments are ignored
          if (late !== undefined && events[late]._tag === "SettlementRecorded") events.push({ ...events.splice(late, 1)[0], year })
          const m = Compile.compile(events, { horizon: 1, baseYear })
          const expected = fromWorld(events, m)
          assert.deepStrictEqual(m.catchment, expected.catchment)
          assert.deepStrictEqual(m.splitSchool, expected.splitSchool)
          assert.deepStrictEqual(m.splitShare, expected.splitShare)
        }
      ),
      { numRuns: 60 }
    )
    assert.isAbove(settlements.length, 0)
  })
})
