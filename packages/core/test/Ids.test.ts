import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { Ids } from "../src/index.js"

describe("Ids.eventId", () => {
  it("accepts exactly the strings the EventId schema accepts, and throws the schema's error for the rest", () => {
    const decode = Schema.decodeUnknownEither(Ids.EventId)
    const ids = fc.oneof(
      fc.string({ maxLength: 210 }),
      fc.string({ unit: "grapheme", maxLength: 8 }),
      fc.constantFrom("", " ", " a", "a ", "a b", "a\nb", "\ta", "a".repeat(200), "a".repeat(201), "e1", "e\u00a0")
    )
    fc.assert(
      fc.property(ids, (s) => {
        const expected = decode(s)
        if (Either.isRight(expected)) assert.strictEqual(Ids.eventId(s), expected.right)
        else assert.throws(() => Ids.eventId(s))
      }),
      { numRuns: 2000 }
    )
  })
})
