import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Schema } from "effect"
import { Decider, Event, EventStore, Jsonl, School, World } from "../src/index.js"
import { Arbitraries, DeciderSpec } from "../src/testing/index.js"

const snapshot = (w: World.World): string =>
  DeciderSpec.canonical({
    ...w,
    settlements: [...w.settlements],
    schools: [...w.schools],
    catchments: [...w.catchments].map(([l, m]) => [l, [...m]]),
    population: [...w.population],
    births: [...w.births],
    enrolment: [...w.enrolment],
    enrolled: [...w.enrolled],
    groups: [...w.groups]
  })

const negativeCounts = (w: World.World): ReadonlyArray<string> => {
  const found: Array<string> = []
  for (const s of w.schools.values()) {
    for (const [k, v] of Object.entries(s.facilities)) if (typeof v === "number" && v < 0) found.push(`${s.id}.${k}=${v}`)
    for (const [k, v] of Object.entries(s.teachers.byAge)) if (v < 0) found.push(`${s.id}.byAge.${k}=${v}`)
    for (const k of ["aboveDegree", "backbone", "peArts", "mentalHealth"] as const) {
      const v = s.teachers[k]
      if (v < 0 || v > School.teacherCount(s.teachers)) found.push(`${s.id}.${k}=${v}`)
    }
  }
  for (const [id, e] of w.enrolled) {
    if (e.total < 0 || Object.values(e.byGrade).some((n) => n < 0)) found.push(`${id}.enrolled`)
  }
  return found
}

/** Pupils recorded in open schools, counted by the latest enrolment of each. */
const pupilsInSchools = (w: World.World) => [...w.enrolled.values()].reduce((n, e) => n + e.total, 0)

describe("properties of the decider and the world", () => {
  it.prop(
    "replaying the same events gives the same world twice",
    [Arbitraries.validHistory()],
    ([events]) => {
      assert.strictEqual(snapshot(World.fold(events)), snapshot(World.fold(events)))
      const stepwise = events.reduce(World.evolve, World.initial)
      assert.strictEqual(snapshot(stepwise), snapshot(World.fold(events)))
    },
    { fastCheck: { numRuns: 150 } }
  )

  it.prop(
    "evolve never produces negative counts, for any events, valid or not",
    [fc.array(Arbitraries.anyEvent, { maxLength: 60 })],
    ([events]) => {
      const world = World.fold([...Arbitraries.regionEvents, ...events])
      assert.deepStrictEqual(negativeCounts(world), [])
    },
    { fastCheck: { numRuns: 300 } }
  )

  it.prop(
    "every event decide emits is accepted by evolve",
    [Arbitraries.openedSchools, fc.array(Arbitraries.command, { maxLength: 50, size: "max" })],
    ([opened, commands]) => {
      let world = World.fold([...Arbitraries.regionEvents, ...opened])
      for (const c of World.chronological(commands)) {
        const result = Decider.decide(c, world)
        if (Either.isLeft(result)) continue
        for (const e of result.right) {
          const next = World.evolve(world, e)
          assert.strictEqual(next.ignored, world.ignored, `${e._tag} was ignored by evolve`)
          world = next
        }
      }
      assert.deepStrictEqual(negativeCounts(world), [])
    },
    { fastCheck: { numRuns: 300 } }
  )

  it.prop(
    "merges and closures move pupils: none lost, none duplicated",
    [Arbitraries.validHistory(60)],
    ([events]) => {
      let world = World.initial
      for (const e of events) {
        const next = World.evolve(world, e)
        if (e._tag === "SchoolsMerged" || e._tag === "SchoolClosed") {
          assert.strictEqual(pupilsInSchools(next), pupilsInSchools(world), `${e._tag} changed the number of pupils`)
        }
        world = next
      }
    },
    { fastCheck: { numRuns: 200 } }
  )

  it.effect.prop(
    "export then import gives an identical log",
    [Arbitraries.validHistory(30), fc.integer({ min: 0, max: 30 })],
    ([events, forkAt]) =>
      Effect.gen(function* () {
        const source = yield* EventStore.makeMemory
        yield* source.append(EventStore.baseline, Arbitraries.envelopes(events, "e"), 0)
        const at = Math.min(forkAt, events.length)
        yield* source.fork(EventStore.baseline, at, EventStore.planStream("v"))
        yield* source.append(EventStore.planStream("v"), Arbitraries.envelopes(events.slice(0, 3), "v"), at)
        const text = Jsonl.encode(yield* source.log)
        const target = yield* EventStore.makeMemory
        yield* target.importLog(Either.getOrThrow(Jsonl.decode(text, "x.jsonl")))
        assert.strictEqual(Jsonl.encode(yield* target.log), text)
        assert.deepStrictEqual(yield* target.readStream(EventStore.planStream("v")), yield* source.readStream(EventStore.planStream("v")))
      }),
    { fastCheck: { numRuns: 60 } }
  )
})

describe("the stored form of events", () => {
  const encode = Schema.encodeSync(Event.Event)
  const decode = Schema.decodeUnknownSync(Event.Event)
  it.prop(
    "every event's type equals its encoded form, so the SQLite store may store it as typed",
    [Arbitraries.validHistory(30)],
    ([events]) => {
      for (const e of events) {
        const stored = JSON.parse(JSON.stringify(e))
        assert.deepStrictEqual(stored, JSON.parse(JSON.stringify(encode(e))))
        assert.deepStrictEqual(decode(stored), stored)
      }
    },
    { fastCheck: { numRuns: 50 } }
  )
})
