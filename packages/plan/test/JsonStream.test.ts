/**
 * The streaming JSON reader makes what JSON.parse makes, read in pieces of any size (down to one byte, so
 * every token is cut somewhere), and refuses what JSON.parse refuses, at the same line and column where
 * JSON.parse says where; its errors name the field path being read.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { JsonStream } from "../src/index.js"

const bytes = (text: string) => new TextEncoder().encode(text)

/** Line and column (1-based, in characters) of a character offset. */
const lineCol = (text: string, offset: number) => {
  const before = text.slice(0, offset)
  const lastBreak = before.lastIndexOf("\n")
  return { line: before.split("\n").length, column: offset - (lastBreak + 1) + 1 }
}

const outcome = (text: string, chunk: number) => {
  try {
    return { ok: true as const, value: JsonStream.readBytes(bytes(text), { chunk, comments: false }).value }
  } catch (e) {
    if (!(e instanceof JsonStream.JsonStreamError)) throw e
    return { ok: false as const, error: e }
  }
}

const texts = fc
  .tuple(fc.jsonValue(), fc.constantFrom(undefined, 0, 1, 2, "\t", "\r\n "))
  .map(([value, space]) => JSON.stringify(value, null, space))

const mutations = fc.tuple(
  texts,
  fc.nat(),
  fc.constantFrom("delete", "insert", "truncate"),
  fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", "x", "0", "-", ".", "e", "\n", " ", "\u0001", "é", "t")
)

describe("JsonStream", () => {
  it("reads what JSON.parse reads, whatever the pieces", () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 1, max: 9 }), (text, chunk) => {
        const got = outcome(text, chunk)
        assert.isTrue(got.ok, got.ok ? "" : got.error.message)
        if (got.ok) assert.deepStrictEqual(got.value, JSON.parse(text))
      }),
      { numRuns: 400 }
    )
  })

  it("refuses what JSON.parse refuses, where JSON.parse says", () => {
    fc.assert(
      fc.property(mutations, fc.integer({ min: 1, max: 9 }), ([text, at, how, c], chunk) => {
        const k = text.length === 0 ? 0 : at % text.length
        const mutated =
          how === "delete"
            ? text.slice(0, k) + text.slice(k + 1)
            : how === "insert"
              ? text.slice(0, k) + c + text.slice(k)
              : text.slice(0, k)
        let expected: unknown
        let message: string | undefined
        try {
          expected = JSON.parse(mutated)
        } catch (e) {
          message = (e as Error).message
        }
        const got = outcome(mutated, chunk)
        if (message === undefined) {
          // a mutation can repeat a key, which this reader refuses and JSON.parse does not
          if (!got.ok) assert.match(got.error.reason, /twice in one object/)
          else assert.deepStrictEqual(got.value, expected)
          return
        }
        assert.isFalse(got.ok, `JSON.parse refused ${JSON.stringify(mutated)} (${message})`)
        const position = /at position (\d+)/.exec(message)
        if (!got.ok && position !== null) {
          const want = lineCol(mutated, Number(position[1]))
          // a repeated key is refused where it is read, which may come before JSON.parse's error (it allows
          // repeated keys), never after it
          if (/twice in one object/.test(got.error.reason)) {
            assert.isTrue(got.error.line < want.line || (got.error.line === want.line && got.error.column <= want.column))
            return
          }
          assert.deepStrictEqual(
            { line: got.error.line, column: got.error.column },
            want,
            `${JSON.stringify(mutated)}: ${message} / ${got.error.message}`
          )
        }
      }),
      {
        numRuns: 1500,
        // found by a CI run: `" \u"` ends inside a \u escape whose next character is no hex digit
        examples: [[['" \\"u"', 1552111413, "delete", "{"], 1]]
      }
    )
  })

  it("names the field path of an error and notes where wanted fields are", () => {
    const text = '# a comment\n{"settlements": [\n {"id": "a", "lon": 1},\n {"id": "b", "lon": 1.}\n]}\n'
    const got = outcome(text.replace(/^#.*\n/, ""), 3)
    assert.isFalse(got.ok)
    if (!got.ok) {
      assert.deepStrictEqual(got.error.path, ["settlements", 1, "lon"])
      assert.deepStrictEqual([got.error.line, got.error.column], [3, 23])
    }
    const fixed = text.replace("1.}", "2}")
    const read = JsonStream.readBytes(bytes(fixed), { chunk: 2, wanted: [["settlements", 1, "lon"], ["settlements", 0], ["nowhere"]] })
    assert.deepStrictEqual(read.value, JSON.parse(fixed.replace(/^#.*\n/, "")))
    assert.deepStrictEqual(read.positions.get(JsonStream.pathKey(["settlements", 1, "lon"])), { line: 4, column: 21 })
    assert.deepStrictEqual(read.positions.get(JsonStream.pathKey(["settlements", 0])), { line: 3, column: 2 })
    assert.isFalse(read.positions.has(JsonStream.pathKey(["nowhere"])))
  })

  it("refuses a repeated key and bytes that are not UTF-8, with their place", () => {
    const twice = outcome('{"a": 1,\n "b": {"c": 1, "c": 2}}', 4)
    assert.isFalse(twice.ok)
    if (!twice.ok) {
      assert.match(twice.error.reason, /the key "c" twice/)
      assert.deepStrictEqual(twice.error.path, ["b", "c"])
      assert.deepStrictEqual([twice.error.line, twice.error.column], [2, 16])
    }
    const bad = new Uint8Array([...bytes('{"a": "'), 0xff, ...bytes('"}')])
    assert.throws(() => JsonStream.readBytes(bad, { chunk: 2 }), /not UTF-8/)
  })
})
