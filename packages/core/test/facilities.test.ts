/**
 * The ten facility fields (the nine of issue 12 and books, issue 20) are defined once (`School.facilityDefinitions`, issue 12): the Facilities schema,
 * the SchoolExpanded event and the optional forms a scenario file uses all carry exactly those fields, in order.
 */
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { Event, School } from "../src/index.js"

describe("the ten facility fields", () => {
  it("Facilities has them (and classroomsByGrade) in the definitions' order", () => {
    const keys = Object.keys(School.Facilities.fields)
    assert.deepStrictEqual(
      keys.filter((k) => k !== "classroomsByGrade"),
      [...School.facilityFields]
    )
    assert.strictEqual(School.facilityFields.length, 10)
  })

  it("SchoolExpanded changes every one of them, each defaulting to 0", () => {
    const keys = Object.keys(Event.SchoolExpanded.fields)
    assert.deepStrictEqual(
      keys.filter((k) => (School.facilityFields as ReadonlyArray<string>).includes(k)),
      [...School.facilityFields]
    )
    const e = Schema.decodeUnknownSync(Event.SchoolExpanded)({ _tag: "SchoolExpanded", year: 2025, schoolId: "S", seats: 3 })
    for (const f of School.facilityFields) assert.strictEqual(e[f], f === "seats" ? 3 : 0)
  })

  it("the optional forms (no default) of a scenario file: seven amounts, nine changes", () => {
    assert.deepStrictEqual(
      Object.keys(School.optionalFacilityAmounts),
      School.facilityFields.filter((f) => f !== "classrooms" && f !== "seats")
    )
    assert.deepStrictEqual(Object.keys(School.optionalFacilityChanges), [...School.facilityFields])
    const spec = Schema.Struct({ ...School.optionalFacilityAmounts })
    assert.deepStrictEqual(Schema.decodeUnknownSync(spec)({ floorArea: 5 }), { floorArea: 5 })
    assert.throws(() => Schema.decodeUnknownSync(spec)({ floorArea: -5 }))
    const change = Schema.Struct({ ...School.optionalFacilityChanges })
    assert.deepStrictEqual(Schema.decodeUnknownSync(change)({ floorArea: -5 }), { floorArea: -5 })
  })
})
