/** Compiling a log read page by page (`Compile.reading`) gives the model compiling the whole log gives. */
import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids } from "@seatplan/core"
import { Either, FastCheck as fc } from "effect"
import { Compile, Synthetic } from "../src/index.js"

describe("Compile.reading", () => {
  const region = Synthetic.county(3)
  const years = [...new Set(region.events.map((e) => e.year))]

  const inPages = (events: ReadonlyArray<Event.Event>, size: number, options: Compile.Options, filtered = false) => {
    const reading = Compile.reading(options)
    const filter = filtered ? reading.filter : undefined
    // what a store leaves out of the read with the reading's filter (`EventStore.ReadFilter`)
    const left = filter === undefined ? events : events.filter((e) => !(filter.skipTypes.includes(e._tag) && e.year < filter.beforeYear))
    for (let i = 0; i < left.length; i += size) reading.add(left.slice(i, i + size))
    return reading.events()
  }

  it("keeps what compiling reads, for any order, page size, base year and method", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(region.events.length - 1), fc.nat(region.events.length - 1), fc.integer({ min: -3, max: 3 })), {
          maxLength: 6
        }),
        fc.integer({ min: 1, max: 5000 }),
        fc.option(fc.constantFrom(...years), { nil: undefined }),
        fc.boolean(),
        (moves, size, baseYear, progression) => {
          // some events moved (out of order) and dated a few years earlier or later
          const events = [...region.events]
          for (const [from, to, shift] of moves) {
            const [e] = events.splice(from, 1)
            events.splice(to, 0, { ...e, year: Ids.schoolYear(e.year + shift) })
          }
          const options: Compile.Options = {
            horizon: 3,
            ...(baseYear === undefined ? {} : { baseYear }),
            ...(progression ? { method: { kind: "grade-progression" } } : {})
          }
          const kept = inPages(events, size, options)
          // the store leaving out what the reading's filter names changes nothing it keeps
          assert.deepStrictEqual(inPages(events, size, options, true), kept)
          const whole = Compile.compileEither(events, options)
          const read = Compile.compileEither(kept, options)
          assert.strictEqual(Either.isRight(read), Either.isRight(whole))
          if (Either.isRight(whole) && Either.isRight(read)) assert.isTrue(Compile.alike(read.right, whole.right))
          else if (Either.isLeft(whole) && Either.isLeft(read)) assert.strictEqual(read.left.message, whole.left.message)
        }
      ),
      { numRuns: 25 }
    )
  })

  it("drops the births recorded before the base year (most of a province's log)", () => {
    const kept = inPages(region.events, 1000, { horizon: 3 })
    const births = (es: ReadonlyArray<Event.Event>) => es.filter((e) => e._tag === "BirthsRecorded").length
    assert.isBelow(births(kept), births(region.events))
    assert.isBelow(kept.length, region.events.length)
  })

  it("lets a store leave out the births, migration and enrolment records before a given base year, and nothing without one", () => {
    assert.deepStrictEqual(Compile.reading({ baseYear: 2024 }).filter, {
      skipTypes: ["BirthsRecorded", "MigrationRecorded", "EnrolmentRecorded"],
      beforeYear: 2024
    })
    assert.deepStrictEqual(Compile.reading({ baseYear: 2024, method: { kind: "grade-progression" } }).filter, {
      skipTypes: ["BirthsRecorded", "MigrationRecorded"],
      beforeYear: 2024
    })
    assert.strictEqual(Compile.reading({}).filter, undefined)
  })
})
