import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { Jsonl, Upcast } from "../src/index.js"

describe("upcasting old event versions", () => {
  it("MigrationRecorded v1 (a single age) reads as v2 (an age range)", () => {
    assert.strictEqual(Upcast.currentVersion("MigrationRecorded"), 2)
    assert.strictEqual(Upcast.currentVersion("BirthsRecorded"), 1)
    const v1 = JSON.stringify({
      position: 1,
      stream: "baseline",
      version: 1,
      id: "m1",
      recordedAt: "2019-09-01T00:00:00Z",
      v: 1,
      event: { _tag: "MigrationRecorded", year: 2019, from: "outside", to: "outside", age: 7, count: 12 }
    })
    const [entry] = Either.getOrThrow(Jsonl.decode(v1, "old.jsonl"))
    assert.strictEqual(entry._tag, "Event")
    if (entry._tag === "Event" && entry.stored.event._tag === "MigrationRecorded") {
      assert.deepStrictEqual(entry.stored.event.ages, { min: 7, max: 7 })
      assert.include(Jsonl.encodeEntry(entry), `"v":2`)
    }
  })
})
