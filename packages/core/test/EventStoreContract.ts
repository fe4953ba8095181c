/**
 * The one contract every event store keeps (Emmett's store-conformance suite): the memory and SQLite
 * stores run exactly these tests.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Exit, FastCheck as fc, type Scope } from "effect"
import { type Event, EventStore, Ids, Jsonl } from "../src/index.js"
import { Arbitraries } from "../src/testing/index.js"

type Store = EventStore.EventStore["Type"]

const at = "2026-03-01T08:00:00.000Z"
const stream = Ids.streamId("baseline")
const births = (n: number, id = `b${n}`): Event.NewEvent => ({
  id: Ids.eventId(id),
  recordedAt: at,
  event: { _tag: "BirthsRecorded", year: Ids.schoolYear(2020 + (n % 10)), settlementId: Ids.settlementId("S0"), births: n }
})
const batch = (from: number, count: number, prefix = "b") =>
  Array.from({ length: count }, (_, i) => births(from + i, `${prefix}${from + i}`))

export const eventStoreContract = (name: string, fresh: Effect.Effect<Store, unknown, Scope.Scope>) =>
  describe(`${name} event store contract`, () => {
    it.scoped("appends and reads back in order (read-your-writes)", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        const r1 = yield* store.append(stream, batch(1, 3), 0)
        assert.deepStrictEqual([r1.version, r1.appended, r1.position], [3, 3, 3])
        const r2 = yield* store.append(stream, batch(4, 2), 3)
        assert.deepStrictEqual([r2.version, r2.position], [5, 5])
        const read = yield* store.readStream(stream)
        assert.deepStrictEqual(
          read.map((e) => e.version),
          [1, 2, 3, 4, 5]
        )
        assert.deepStrictEqual(
          read.map((e) => e.id),
          ["b1", "b2", "b3", "b4", "b5"]
        )
        assert.deepStrictEqual(read[0].event, births(1).event)
        assert.strictEqual(yield* store.version(stream), 5)
        const part = yield* store.readStream(stream, { fromVersion: 2, toVersion: 3 })
        assert.deepStrictEqual(
          part.map((e) => e.version),
          [2, 3]
        )
      })
    )

    it.scoped("readPages hands over a stream page by page, a fork's inherited prefix included", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        yield* store.append(stream, batch(1, 5), 0)
        const plan = Ids.streamId("plan/pages")
        yield* store.fork(stream, 4, plan)
        yield* store.append(plan, batch(5, 3, "p"), 4)
        const pages: Array<ReadonlyArray<string>> = []
        yield* EventStore.readPages(store, plan, (page) => pages.push(page.map((e) => e.id)), 3)
        assert.deepStrictEqual(pages, [["b1", "b2", "b3"], ["b4", "p5", "p6"], ["p7"]])
        const none: Array<unknown> = []
        yield* EventStore.readPages(store, Ids.streamId("nothing"), (page) => none.push(page))
        assert.deepStrictEqual(none, [])
      })
    )

    it.scoped(
      "a filtered read leaves out exactly the events of the skipped types dated before the year, in any window, a fork's prefix included",
      () =>
        Effect.gen(function* () {
          const store = yield* fresh
          const population = (n: number): Event.NewEvent => ({
            id: Ids.eventId(`pop${n}`),
            recordedAt: at,
            event: { _tag: "PopulationRecorded", year: Ids.schoolYear(2020 + (n % 7)), settlementId: Ids.settlementId("S1"), byAge: [n, 1] }
          })
          const history = [
            ...Arbitraries.envelopes(Arbitraries.regionEvents, "r"),
            ...batch(1, 12),
            ...Array.from({ length: 6 }, (_, i) => population(i))
          ]
          yield* store.append(stream, history, 0)
          const plan = Ids.streamId("plan/filtered")
          yield* store.fork(stream, 9, plan)
          const planOwn = [...batch(30, 5, "p"), population(9)]
          yield* store.append(plan, planOwn, 9)
          // then the two streams appended to in turn, one event each and then three of the baseline's to one of
          // the plan's: a stream's own events interleaved with another's (the SQLite store reads a window by
          // position or through its index depending on how much of other streams lies between)
          const baselineMore: Array<Event.NewEvent> = []
          const planMore: Array<Event.NewEvent> = []
          for (let i = 0; i < 8; i++) {
            const more = batch(40 + i * 3, i < 4 ? 1 : 3, `i${i}-`)
            yield* store.append(stream, more, history.length + baselineMore.length)
            baselineMore.push(...more)
            const mine = [births(50 + i, `q${i}`)]
            yield* store.append(plan, mine, 9 + planOwn.length + planMore.length)
            planMore.push(...mine)
          }
          // each stream's ids in version order, as appended
          const expected = new Map([
            [stream, [...history, ...baselineMore].map((e) => e.id)],
            [plan, [...history.slice(0, 9), ...planOwn, ...planMore].map((e) => e.id)]
          ])
          const types = ["BirthsRecorded", "PopulationRecorded", "SettlementRecorded", "MigrationRecorded"] as const
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(
                fc.constantFrom(stream, plan),
                fc.subarray([...types]),
                fc.integer({ min: 2018, max: 2031 }),
                fc.integer({ min: 1, max: 45 }),
                fc.integer({ min: 0, max: 45 }),
                (s, skipTypes, beforeYear, from, span) =>
                  Effect.runPromise(
                    Effect.gen(function* () {
                      const window = { fromVersion: from, toVersion: from + span }
                      const all = yield* store.readStream(s, window)
                      const ids = expected.get(s) ?? []
                      assert.deepStrictEqual(
                        all.map((e) => [e.version, e.id]),
                        ids.slice(from - 1, from + span).map((id, i) => [from + i, id])
                      )
                      const read = yield* store.readStream(s, { ...window, filter: { skipTypes, beforeYear } })
                      const skip = new Set<string>(skipTypes)
                      assert.deepStrictEqual(
                        read,
                        all.filter((e) => !(skip.has(e.event._tag) && e.event.year < beforeYear))
                      )
                    })
                  )
              ),
              { numRuns: 60 }
            )
          )
          const pages: Array<ReadonlyArray<string>> = []
          const filter = { skipTypes: ["BirthsRecorded"] as const, beforeYear: 2023 }
          yield* EventStore.readPages(store, plan, (page) => pages.push(page.map((e) => e.id)), 3, filter)
          // the births left out are of 2020-2022 (b1, b2 inherited; p30-p32, q0-q2 the plan's own): versions 10-12
          // and 16-18 are empty pages, not handed over
          assert.deepStrictEqual(pages, [
            ["r-0", "r-1", "r-2"],
            ["r-3", "r-4"],
            ["b3", "b4"],
            ["p33", "p34", "pop9"],
            ["q3", "q4", "q5"],
            ["q6", "q7"]
          ])
        })
    )

    it.scoped("an unknown stream is empty at version 0", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        assert.deepStrictEqual(yield* store.readStream(Ids.streamId("nothing")), [])
        assert.strictEqual(yield* store.version(Ids.streamId("nothing")), 0)
      })
    )

    it.scoped("refuses an append at a moved version with a typed conflict and writes nothing", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        yield* store.append(stream, batch(1, 2), 0)
        const error = yield* Effect.flip(store.append(stream, batch(3, 1), 1))
        assert.strictEqual(error._tag, "VersionConflict")
        if (error._tag === "VersionConflict") assert.deepStrictEqual([error.expected, error.actual], [1, 2])
        assert.strictEqual(yield* store.version(stream), 2)
        const fresh0 = yield* Effect.flip(store.append(Ids.streamId("other"), batch(10, 1), 3))
        assert.strictEqual(fresh0._tag, "VersionConflict")
        const any = yield* store.append(stream, batch(3, 1), "any")
        assert.strictEqual(any.version, 3)
      })
    )

    it.scoped("of two concurrent appenders at the same version exactly one wins", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        yield* store.append(stream, batch(1, 1), 0)
        const results = yield* Effect.all([store.append(stream, batch(100, 50, "x"), 1), store.append(stream, batch(200, 50, "y"), 1)], {
          concurrency: "unbounded",
          mode: "either"
        })
        const wins = results.filter(Either.isRight)
        const losses = results.filter(Either.isLeft)
        assert.strictEqual(wins.length, 1)
        assert.strictEqual(losses.length, 1)
        assert.strictEqual(losses[0].left._tag, "VersionConflict")
        const read = yield* store.readStream(stream)
        assert.strictEqual(read.length, 51)
        const prefixes = new Set(read.slice(1).map((e) => e.id[0]))
        assert.strictEqual(prefixes.size, 1)
      })
    )

    it.scoped("re-appending the same event ids is a no-op, not a duplicate", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        const first = yield* store.append(stream, batch(1, 3), 0)
        const again = yield* store.append(stream, batch(1, 3), 0)
        assert.deepStrictEqual([again.appended, again.version, again.position], [0, 3, first.position])
        // retried at the version it reached (the stores append without looking the ids up first there)
        const retried = yield* store.append(stream, batch(1, 3), 3)
        assert.deepStrictEqual([retried.appended, retried.version, retried.position], [0, 3, first.position])
        assert.strictEqual((yield* store.readAll()).length, 3)
        const mixed = yield* Effect.flip(store.append(stream, batch(3, 2), 3))
        assert.strictEqual(mixed._tag, "DuplicateEventIds")
        const elsewhere = yield* Effect.flip(store.append(Ids.streamId("other"), batch(1, 1), 0))
        assert.strictEqual(elsewhere._tag, "DuplicateEventIds")
        const twice = yield* Effect.flip(store.append(stream, [births(9, "z"), births(10, "z")], 3))
        assert.strictEqual(twice._tag, "DuplicateEventIds")
        assert.strictEqual((yield* store.readAll()).length, 3)
      })
    )

    it.scoped("reads all events in global order from a position", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        yield* store.append(stream, batch(1, 2), 0)
        yield* store.append(Ids.streamId("plan/a"), batch(3, 2), 0)
        yield* store.append(stream, batch(5, 1), 2)
        const all = yield* store.readAll()
        assert.deepStrictEqual(
          all.map((e) => e.position),
          [1, 2, 3, 4, 5]
        )
        assert.deepStrictEqual(
          all.map((e) => e.stream),
          ["baseline", "baseline", "plan/a", "plan/a", "baseline"]
        )
        const tail = yield* store.readAll({ fromPosition: 3, limit: 2 })
        assert.deepStrictEqual(
          tail.map((e) => e.id),
          ["b3", "b4"]
        )
        const streams = yield* store.streams
        assert.deepStrictEqual(
          streams.map((s) => [s.stream, s.version]),
          [
            ["baseline", 3],
            ["plan/a", 2]
          ]
        )
      })
    )

    it.scoped("a fork shares the prefix and is isolated from its parent both ways", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        yield* store.append(stream, batch(1, 4), 0)
        const plan = Ids.streamId("plan/township")
        const info = yield* store.fork(stream, 3, plan)
        assert.deepStrictEqual([info.version, info.parent?.stream, info.parent?.version], [3, "baseline", 3])
        const before = yield* store.readStream(stream)
        yield* store.append(plan, batch(50, 2, "p"), 3)
        assert.deepStrictEqual(yield* store.readStream(stream), before)
        yield* store.append(stream, batch(5, 1), 4)
        const forked = yield* store.readStream(plan)
        assert.deepStrictEqual(
          forked.map((e) => e.id),
          ["b1", "b2", "b3", "p50", "p51"]
        )
        assert.deepStrictEqual(
          forked.map((e) => e.version),
          [1, 2, 3, 4, 5]
        )
        assert.strictEqual(yield* store.version(plan), 5)
        const conflict = yield* Effect.flip(store.append(plan, batch(60, 1, "q"), 3))
        assert.strictEqual(conflict._tag, "VersionConflict")
        const nested = yield* store.fork(plan, 4, Ids.streamId("plan/township/b"))
        assert.strictEqual(nested.version, 4)
        assert.deepStrictEqual(
          (yield* store.readStream(Ids.streamId("plan/township/b"))).map((e) => e.id),
          ["b1", "b2", "b3", "p50"]
        )
      })
    )

    it.scoped("refuses forks of missing streams, past the end, or onto an existing stream", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        yield* store.append(stream, batch(1, 2), 0)
        assert.strictEqual((yield* Effect.flip(store.fork(Ids.streamId("none"), 0, Ids.streamId("x"))))._tag, "StreamNotFound")
        assert.strictEqual((yield* Effect.flip(store.fork(stream, 3, Ids.streamId("x"))))._tag, "StreamNotFound")
        assert.strictEqual((yield* Effect.flip(store.fork(stream, 1, stream)))._tag, "StreamAlreadyExists")
      })
    )

    it.scoped("a JSONL export imported into an empty store exports identically", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        const history = Arbitraries.envelopes(Arbitraries.regionEvents, "r")
        yield* store.append(stream, history, 0)
        yield* store.fork(stream, 2, Ids.streamId("plan/a"))
        yield* store.append(Ids.streamId("plan/a"), [{ ...births(7, "c7"), causationId: "cmd-1" }], 2)
        yield* store.append(stream, batch(1, 2), history.length)
        const text = Jsonl.encode(yield* store.log)
        const entries = Either.getOrThrow(Jsonl.decode(text, "log.jsonl"))
        const target = yield* fresh
        const result = yield* target.importLog(entries)
        assert.deepStrictEqual(result, { events: history.length + 3, skipped: 0, forks: 1 })
        assert.strictEqual(Jsonl.encode(yield* target.log), text)
        assert.deepStrictEqual(yield* target.readStream(Ids.streamId("plan/a")), yield* store.readStream(Ids.streamId("plan/a")))
        const again = yield* target.importLog(entries)
        assert.deepStrictEqual(again, { events: 0, skipped: history.length + 3, forks: 0 })
      })
    )

    it.scoped("refuses a payload holding NaN or ±Infinity anywhere, writes nothing, and the log still exports", () =>
      Effect.gen(function* () {
        const store = yield* fresh
        yield* store.append(stream, batch(1, 2), 0)
        const before = Jsonl.encode(yield* store.log)
        const nan: Event.NewEvent = { ...births(3), event: { ...births(3).event, births: Number.NaN } as Event.Event }
        const error = yield* Effect.flip(store.append(stream, [births(4, "ok"), nan], 2))
        assert.strictEqual(error._tag, "NonFiniteNumber")
        if (error._tag === "NonFiniteNumber") {
          assert.deepStrictEqual(
            [error.stream, error.id, error.eventType, error.path],
            ["baseline", "b3", "BirthsRecorded", "event.births"]
          )
          assert.match(error.message, /event b3 \(BirthsRecorded\) field event\.births: expected a finite number, found NaN/)
        }
        const population: Event.NewEvent = {
          id: Ids.eventId("p1"),
          recordedAt: at,
          event: {
            _tag: "PopulationRecorded",
            year: Ids.schoolYear(2020),
            settlementId: Ids.settlementId("S0"),
            byAge: [1, 2, Number.POSITIVE_INFINITY]
          }
        }
        const nested = yield* Effect.flip(store.append(Ids.streamId("plan/x"), [population], "any"))
        assert.strictEqual(nested._tag, "NonFiniteNumber")
        if (nested._tag === "NonFiniteNumber") assert.deepStrictEqual([nested.path, nested.value], ["event.byAge[2]", Infinity])
        const expansion: Event.NewEvent = {
          id: Ids.eventId("x1"),
          recordedAt: at,
          event: {
            _tag: "SchoolExpanded",
            year: Ids.schoolYear(2021),
            schoolId: Ids.schoolId("A"),
            classrooms: 0,
            seats: 0,
            boardingBeds: 0,
            floorArea: Number.NEGATIVE_INFINITY,
            sportsArea: 0,
            equipmentValue: 0,
            multimediaRooms: 0,
            musicRooms: 0,
            artRooms: 0,
            books: 0
          }
        }
        assert.strictEqual((yield* Effect.flip(store.append(stream, [expansion], 2)))._tag, "NonFiniteNumber")
        const imported = yield* Effect.flip(store.importLog([{ _tag: "Event", stored: { ...nan, position: 3, stream, version: 3 } }]))
        assert.strictEqual(imported._tag, "NonFiniteNumber")
        assert.strictEqual(yield* store.version(stream), 2)
        assert.strictEqual(yield* store.version(Ids.streamId("plan/x")), 0)
        assert.strictEqual(Jsonl.encode(yield* store.log), before)
      })
    )

    it.scoped("an import that conflicts with the store imports nothing", () =>
      Effect.gen(function* () {
        const source = yield* fresh
        yield* source.append(stream, batch(1, 3), 0)
        const entries = yield* source.log
        const target = yield* fresh
        yield* target.append(stream, batch(90, 1, "other"), 0)
        const exit = yield* Effect.exit(target.importLog(entries))
        assert.isTrue(Exit.isFailure(exit))
        assert.deepStrictEqual(
          (yield* target.readAll()).map((e) => e.id),
          ["other90"]
        )
      })
    )
  })
