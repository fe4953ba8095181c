/**
 * The id constructors check ids without running the schema (a province makes millions of them): they must
 * accept and refuse exactly what the schemas accept and refuse.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { Ids } from "../src/index.js"

const outcome = (f: () => string): string | "refused" => {
  try {
    return f()
  } catch {
    return "refused"
  }
}

const ids = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\r", "a", "é", "/", "\u00a0", "\u2028"), maxLength: 6 }),
  fc.string({ minLength: 195, maxLength: 205 }),
  fc.constantFrom("", " ", "a", " a", "a ", "a b", "a\nb", "\na", "scenario/000001/0", "x".repeat(200), "x".repeat(201))
)

describe("Ids", () => {
  it("the constructors accept exactly what the schemas accept", () => {
    fc.assert(
      fc.property(ids, (s) => {
        const valid = Either.isRight(Schema.decodeUnknownEither(Ids.EventId)(s))
        for (const make of [Ids.eventId, Ids.settlementId, Ids.schoolId, Ids.groupId]) {
          assert.strictEqual(
            outcome(() => make(s)),
            valid ? s : "refused",
            JSON.stringify(s)
          )
        }
      }),
      { numRuns: 2000 }
    )
  })

  it("the school year's constructor accepts exactly what the schema accepts", () => {
    const years = fc.oneof(
      fc.integer({ min: 1940, max: 2210 }),
      fc.double(),
      fc.constantFrom(1948, 1949, 2200, 2201, 2024.5, -0, 0, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2)
    )
    fc.assert(
      fc.property(years, (y) => {
        const valid = Either.isRight(Schema.decodeUnknownEither(Ids.SchoolYear)(y))
        let made: number | "refused"
        try {
          made = Ids.schoolYear(y)
        } catch {
          made = "refused"
        }
        assert.strictEqual(made, valid ? y : "refused", String(y))
      }),
      { numRuns: 2000 }
    )
  })
})
