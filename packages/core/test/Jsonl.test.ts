import { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as path from "node:path"
import { EventStore, Ids, Jsonl } from "../src/index.js"

const good = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    position: n,
    stream: "baseline",
    version: n,
    id: `e${n}`,
    recordedAt: "2026-01-01T00:00:00.000Z",
    v: 1,
    event: { _tag: "BirthsRecorded", year: 2024, settlementId: "S0", births: 10 + n, ...extra }
  })

const problems = (text: string) => {
  const result = Jsonl.decode(text, "log.jsonl")
  assert.isTrue(Either.isLeft(result))
  return Either.isLeft(result) ? result.left : undefined!
}

describe("JSONL import of bad input", () => {
  it("a malformed line is named by its line number", () => {
    const error = problems([good(1), "{not json", good(2)].join("\n"))
    assert.strictEqual(error.problems.length, 1)
    assert.strictEqual(error.problems[0].line, 2)
    assert.include(error.message, "log.jsonl:2: not valid JSON")
  })

  it("an unknown event tag names the line, the field and the known tags", () => {
    const line = good(1).replace("BirthsRecorded", "SchoolTeleported")
    const error = problems(line)
    assert.deepStrictEqual([error.problems[0].line, error.problems[0].path], [1, "event._tag"])
    assert.include(error.problems[0].message, 'unknown event type "SchoolTeleported"')
    assert.include(error.problems[0].message, "SchoolOpened")
  })

  it("a wrong field type names the line and the field path; every problem is reported", () => {
    const error = problems([good(1), good(2, { births: "many" }), good(3, { year: 1800 })].join("\n"))
    assert.deepStrictEqual(
      error.problems.map((p) => [p.line, p.path]),
      [
        [2, "event.births"],
        [3, "event.year"]
      ]
    )
    assert.include(error.message, "log.jsonl:2: event.births:")
    assert.include(error.problems[0].message, '"many"')
  })

  it("a number JSON reads as Infinity (1e400) or past its range (1e308) is refused with the line and field", () => {
    const infinite = good(1).replace(/"births":\d+/, '"births":1e400')
    const huge = JSON.stringify({
      position: 2,
      stream: "baseline",
      version: 2,
      id: "e2",
      recordedAt: "2026-01-01T00:00:00.000Z",
      v: 1,
      event: { _tag: "SchoolExpanded", year: 2025, schoolId: "A", floorArea: -1e308, cost: 1e308 }
    })
    const error = problems([infinite, huge].join("\n"))
    assert.deepStrictEqual(
      error.problems.map((p) => [p.line, p.path]),
      [
        [1, "event.births"],
        [2, "event.floorArea"],
        [2, "event.cost"]
      ]
    )
    assert.include(error.message, "log.jsonl:1: event.births: expected a finite number from 0 to 1e9 (a number of people), found Infinity")
    assert.include(error.message, "log.jsonl:2: event.cost: expected a finite number from 0 to 1e13 (yuan), found 1e+308")
  })

  it("a line whose event is wrong is the only one named: the next line is not blamed for the version it skips", () => {
    // seatplan events import once reported line 3 as well: "expected version 2 of stream baseline …, found 3"
    const error = problems([good(1), good(2, { births: "many" }), good(3), good(4)].join("\n"))
    assert.deepStrictEqual(
      error.problems.map((p) => [p.line, p.path]),
      [[2, "event.births"]]
    )
  })

  it("a value that is none of a field's choices: one problem listing them, not one a choice", () => {
    const line = JSON.stringify({
      position: 1,
      stream: "baseline",
      version: 1,
      id: "e1",
      recordedAt: "2026-01-01T00:00:00.000Z",
      v: 1,
      event: { _tag: "CatchmentAssigned", year: 2024, settlementId: "S0", schoolId: "A", level: null }
    })
    const error = problems(line)
    assert.deepStrictEqual(
      error.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`),
      ['1: event.level: expected one of "kindergarten", "primary", "junior", "senior", found null']
    )
  })

  it("a gap in a stream's versions is an error", () => {
    const error = problems([good(1), good(3)].join("\n"))
    assert.deepStrictEqual([error.problems[0].line, error.problems[0].path], [2, "version"])
  })

  it("an id a line before had is an error naming both lines: it would be dropped as stored already", () => {
    const twice = good(2).replace('"id":"e2"', '"id":"e1"')
    const error = problems([good(1), twice, good(3)].join("\n"))
    assert.deepStrictEqual(
      error.problems.map((p) => [p.line, p.path]),
      [[2, "id"]]
    )
    assert.include(error.message, "log.jsonl:2: id: expected an id no other event of the file has, found e1, the id of line 1's event")
  })

  it.scoped("nothing is imported from a file with any bad line", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const file = path.join(dir, "bad.jsonl")
      yield* fs.writeFileString(file, [good(1), good(2), good(3, { settlementId: 7 })].join("\n") + "\n")
      const error = yield* Effect.flip(Jsonl.importFrom(file))
      assert.strictEqual(error._tag, "JsonlError")
      assert.include(error.message, `${file}:3: event.settlementId`)
      const store = yield* EventStore.EventStore
      assert.deepStrictEqual(yield* store.readAll(), [])
    }).pipe(Effect.provide(EventStore.layerMemory), Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("a good file imports, and exports back to the same lines", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const file = path.join(dir, "good.jsonl")
      const text = [good(1), good(2)].join("\n") + "\n"
      yield* fs.writeFileString(file, text)
      const result = yield* Jsonl.importFrom(file)
      assert.deepStrictEqual(result, { events: 2, skipped: 0, forks: 0 })
      yield* Jsonl.exportTo(path.join(dir, "out.jsonl"))
      assert.strictEqual(yield* fs.readFileString(path.join(dir, "out.jsonl")), text)
      const store = yield* EventStore.EventStore
      assert.strictEqual(yield* store.version(Ids.streamId("baseline")), 2)
    }).pipe(Effect.provide(EventStore.layerMemory), Effect.provide(NodeFileSystem.layer))
  )
})
