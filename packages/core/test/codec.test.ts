import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import type { Event } from "../src/index.js"
import type { StreamId } from "../src/Ids.js"
import * as Codec from "../src/internal/codec.js"
import { Arbitraries } from "../src/testing/index.js"
import * as Upcast from "../src/Upcast.js"

const stream = "baseline" as StreamId

/** A row as the stores keep it: `[position, stream seq, version, v, data]`. */
const row = (data: string, event: Event.Event): Codec.EventRow => [7, 1, 3, Upcast.currentVersion(event._tag), data]

/** The envelope as the stores write it (`{ id, recordedAt, causationId?, event }`, in that order). */
const written = (id: string, recordedAt: string, causationId: string | undefined, event: Event.Event): string =>
  JSON.stringify(causationId === undefined ? { id, recordedAt, event } : { id, recordedAt, causationId, event })

/** The same envelope with the event first: never read by cutting the text, always parsed whole. */
const reordered = (id: string, recordedAt: string, causationId: string | undefined, event: Event.Event): string =>
  JSON.stringify(causationId === undefined ? { event, id, recordedAt } : { event, id, recordedAt, causationId })

/** Ids and times of any text: quotes, backslashes, control characters, non-ASCII, short and long. */
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  fc.constantFrom("e1", "scenario/000001/1", "2026-01-01T00:00:00.000Z", 'a"b', "a\\b", "\\", '"', "x".repeat(13))
)

describe("decoding a stored row", () => {
  it.prop(
    "a row as written reads as the envelope parsed whole, whatever its id, time and causation",
    [Arbitraries.anyEvent, text, text, fc.option(text, { nil: undefined })],
    ([event, id, recordedAt, causationId]) => {
      const fast = Codec.decodeRow(row(written(id, recordedAt, causationId, event), event), stream)
      const whole = Codec.decodeRow(row(reordered(id, recordedAt, causationId, event), event), stream)
      assert.deepStrictEqual(fast, whole)
      assert.notStrictEqual(typeof fast, "string")
      if (typeof fast !== "string") {
        assert.strictEqual(fast.id, id)
        assert.strictEqual(fast.recordedAt, recordedAt)
        assert.strictEqual(fast.causationId, causationId)
        assert.deepStrictEqual(fast.event, JSON.parse(JSON.stringify(event)))
      }
    },
    { fastCheck: { numRuns: 300 } }
  )

  it("a text that only looks like an envelope is parsed whole, and refused as before when it is not JSON", () => {
    const event: Event.Event = { _tag: "BirthsRecorded", year: 2024, settlementId: "S1", births: 3 } as Event.Event
    const good = written("e1", "2026-01-01T00:00:00.000Z", undefined, event)
    // a key after the event: the cut text does not parse, the whole does
    const later = `${good.slice(0, -1)},"note":"x"}`
    const read = Codec.decodeRow(row(later, event), stream)
    assert.notStrictEqual(typeof read, "string")
    if (typeof read !== "string") assert.deepStrictEqual(read.event, JSON.parse(JSON.stringify(event)))
    // a broken event: refused with the reason the whole text gives
    const broken = good.slice(0, -3)
    const refused = Codec.decodeRow(row(broken, event), stream)
    assert.strictEqual(typeof refused, "string")
    assert.match(String(refused), /^event at position 7 is not JSON: /)
    // a control character JSON refuses, in a short and in a long id: refused as the whole text is
    for (const id of ["e\u0001", "scenario/\u0001/000001"]) {
      const raw = good.replace('"e1"', `"${id}"`)
      assert.match(String(Codec.decodeRow(row(raw, event), stream)), /^event at position 7 is not JSON: /)
    }
  })
})
