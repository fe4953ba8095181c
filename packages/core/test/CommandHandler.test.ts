/**
 * The command handler, the one write path: decide against the stream's world, append with the version
 * read, retry on a conflict, and append nothing when a command is refused.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Layer } from "effect"
import { type Command, CommandHandler, Decider, EventStore, Ids, World } from "../src/index.js"
import { Arbitraries } from "../src/testing/index.js"

const stream = Ids.streamId("baseline")
const at = "2026-01-01T00:00:00.000Z"
const numbered = (commands: ReadonlyArray<Command.Command>, prefix = "c"): ReadonlyArray<Command.Command> =>
  commands.map((c, i) => ({ ...c, id: `${prefix}/${i}` }))
const region: ReadonlyArray<Command.Command> = Arbitraries.settlements.map((settlement, i) => ({
  _tag: "RecordSettlement",
  id: `region/${i}`,
  at,
  year: Ids.schoolYear(2024),
  settlement
}))

/** The in-memory store, with another writer slipping one event in before each of `n` appends after the first `skip`. */
const racing = (n: number, skip = 0) =>
  Layer.effect(
    EventStore.EventStore,
    Effect.gen(function* () {
      const store = yield* EventStore.makeMemory
      let left = n
      let skipping = skip
      return {
        ...store,
        append: (s, events, expected) =>
          Effect.gen(function* () {
            if (skipping-- <= 0 && left-- > 0) {
              const v = yield* store.version(s)
              yield* store.append(
                s,
                Decider.envelopes({ id: `other/${left}`, at }, [
                  { _tag: "StandardChanged", year: Ids.schoolYear(2024), key: "classCap.primary", value: 45 }
                ]),
                v
              )
            }
            return yield* store.append(s, events, expected)
          })
      } satisfies EventStore.EventStore["Type"]
    })
  )

describe("CommandHandler.handleAll", () => {
  it.effect("appends the batch's events with the version read, as deciding them in memory does", () =>
    Effect.gen(function* () {
      const result = yield* CommandHandler.handleAll(stream, region)
      const stored = yield* EventStore.EventStore.pipe(Effect.flatMap((s) => s.readStream(stream)))
      assert.strictEqual(result.version, region.length)
      assert.deepStrictEqual(
        stored.map((e) => e.event),
        result.events.map((e) => e.event)
      )
      assert.strictEqual(World.fold(stored.map((e) => e.event)).settlements.size, Arbitraries.settlements.length)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("a refused command appends nothing of the batch and names the command", () =>
    Effect.gen(function* () {
      const bad: Command.Command = {
        _tag: "CloseSchool",
        id: "close-nothing",
        at,
        year: Ids.schoolYear(2025),
        schoolId: Ids.schoolId("NOPE")
      }
      const failed = yield* Effect.either(CommandHandler.handleAll(stream, [...region, bad]))
      assert.isTrue(Either.isLeft(failed))
      if (Either.isLeft(failed)) {
        assert.strictEqual(failed.left._tag, "CommandRefused")
        if (failed.left._tag === "CommandRefused") assert.strictEqual(failed.left.commandId, "close-nothing")
      }
      assert.strictEqual(yield* EventStore.EventStore.pipe(Effect.flatMap((s) => s.version(stream))), 0)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("a batch that landed already is not appended twice (idempotent retry)", () =>
    Effect.gen(function* () {
      yield* CommandHandler.handleAll(stream, region)
      const again = yield* CommandHandler.handleAll(stream, region)
      assert.strictEqual(again.appended, 0)
      assert.strictEqual(yield* EventStore.EventStore.pipe(Effect.flatMap((s) => s.version(stream))), region.length)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("another writer in between: it reads again, decides again and appends after it", () =>
    Effect.gen(function* () {
      const result = yield* CommandHandler.handleAll(stream, region)
      const stored = yield* EventStore.EventStore.pipe(Effect.flatMap((s) => s.readStream(stream)))
      assert.strictEqual(stored.length, region.length + 2)
      assert.strictEqual(result.version, region.length + 2)
    }).pipe(Effect.provide(racing(2)))
  )

  it.effect("more conflicts than retries: a VersionConflict, nothing of the batch appended", () =>
    Effect.gen(function* () {
      const failed = yield* Effect.either(CommandHandler.handleAll(stream, region, { retries: 1 }))
      assert.isTrue(Either.isLeft(failed) && failed.left._tag === "VersionConflict")
      assert.strictEqual(yield* EventStore.EventStore.pipe(Effect.flatMap((s) => s.version(stream))), 2)
    }).pipe(Effect.provide(racing(5)))
  )

  it.effect("property: all or nothing, and what it stores is what deciding the batch in year order in memory gives", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.array(Arbitraries.command, { maxLength: 30 }), async (commands) => {
          const batch = numbered(commands)
          // the reference: the region, then each command in school-year order against the world so far
          const world = World.builder(World.fold(region.flatMap((c) => Either.getOrThrow(Decider.decide(c, World.initial)))))
          const expected: Array<unknown> = []
          let refused: string | undefined
          for (const c of [...batch]
            .map((c, k) => ({ c, k }))
            .sort((a, b) => a.c.year - b.c.year || a.k - b.k)
            .map((x) => x.c)) {
            const r = Decider.decide(c, world.world)
            if (Either.isLeft(r)) {
              refused = c.id
              break
            }
            for (const e of r.right) {
              expected.push(e)
              world.apply(e)
            }
          }
          const outcome = await Effect.runPromise(
            Effect.gen(function* () {
              yield* CommandHandler.handleAll(stream, region)
              const result = yield* Effect.either(CommandHandler.handleAll(stream, batch))
              const stored = (yield* EventStore.EventStore.pipe(Effect.flatMap((s) => s.readStream(stream)))).map((e) => e.event)
              return { result, stored: stored.slice(region.length) }
            }).pipe(Effect.provide(EventStore.layerMemory))
          )
          if (refused !== undefined) {
            return (
              Either.isLeft(outcome.result) &&
              outcome.result.left._tag === "CommandRefused" &&
              outcome.result.left.commandId === refused &&
              outcome.stored.length === 0
            )
          }
          return Either.isRight(outcome.result) && JSON.stringify(outcome.stored) === JSON.stringify(expected)
        }),
        { numRuns: 200 }
      )
    )
  )
})

describe("CommandHandler.handle", () => {
  it.effect("decides one command against the world as of its year, appends with the version read, retries after another writer", () =>
    Effect.gen(function* () {
      yield* CommandHandler.handleAll(stream, region)
      const bad: Command.Command = {
        _tag: "CloseSchool",
        id: "close-nothing",
        at,
        year: Ids.schoolYear(2025),
        schoolId: Ids.schoolId("NOPE")
      }
      const refused = yield* Effect.either(CommandHandler.handle(stream, bad))
      assert.isTrue(Either.isLeft(refused) && refused.left._tag === "SchoolNotFound")
      const store = yield* EventStore.EventStore
      const before = yield* store.version(stream)
      const standard: Command.Command = {
        _tag: "ChangeStandard",
        id: "cap",
        at,
        year: Ids.schoolYear(2025),
        key: "classCap.junior",
        value: 50
      }
      const handled = yield* CommandHandler.handle(stream, standard)
      assert.strictEqual(handled.version, before + 1 + 1) // the other writer's event, then ours
    }).pipe(Effect.provide(racing(1, 1)))
  ) // the region's batch lands undisturbed; the other writer comes before this one
})

describe("CommandHandler.appendDecided", () => {
  const decided = (() => {
    const world = World.builder(World.initial)
    return region.flatMap((command) => {
      const events = Decider.envelopes(command, Either.getOrThrow(Decider.decide(command, world.world)))
      for (const e of events) world.apply(e.event)
      return events
    })
  })()

  it.effect("appends in batches, each its own append; again, or after a partial store, only what is missing", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      // a store that got the first batch only (a run stopped halfway)
      yield* store.append(stream, decided.slice(0, 2), 0)
      const seen: Array<number> = []
      const result = yield* CommandHandler.appendDecided(stream, decided, { batch: 2, onAppended: (n) => seen.push(n) })
      assert.strictEqual(result.version, decided.length)
      assert.strictEqual(result.appended, decided.length - 2)
      assert.deepStrictEqual(
        seen,
        Array.from({ length: Math.ceil(decided.length / 2) }, (_, k) => Math.min(decided.length, 2 * (k + 1)))
      )
      const stored = yield* store.readStream(stream)
      assert.deepStrictEqual(
        stored.map((e) => e.id),
        decided.map((e) => e.id)
      )
      const again = yield* CommandHandler.appendDecided(stream, decided, { batch: 3 })
      assert.strictEqual(again.appended, 0)
      assert.strictEqual((yield* store.readStream(stream)).length, decided.length)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("a stream holding other events refuses the batch", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append(
        stream,
        Decider.envelopes({ id: "other/1", at }, [
          { _tag: "StandardChanged", year: Ids.schoolYear(2024), key: "classCap.primary", value: 45 }
        ]),
        0
      )
      const refused = yield* Effect.either(CommandHandler.appendDecided(stream, decided, { batch: 2 }))
      assert.isTrue(Either.isLeft(refused))
      if (Either.isLeft(refused)) assert.strictEqual(refused.left._tag, "VersionConflict")
    }).pipe(Effect.provide(EventStore.layerMemory))
  )
})
