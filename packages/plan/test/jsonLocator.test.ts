import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml"
import * as JsonLocator from "../src/JsonLocator.js"

/** Every path into a JSON value (the root's too). */
const paths = (value: unknown, at: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
  const inner = Array.isArray(value)
    ? value.flatMap((v, i) => paths(v, [...at, i]))
    : value !== null && typeof value === "object"
      ? Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))
      : []
  return [at, ...inner]
}

/** Where the YAML parser places the node at `path` (what the loader did for JSON before). */
const yamlPosition = (text: string, path: ReadonlyArray<string | number>) => {
  const counter = new LineCounter()
  let node = parseDocument(text, { lineCounter: counter }).contents as Node | null
  for (const key of path) {
    if (isMap(node)) node = node.items.find((p) => String((p.key as { value: unknown }).value) === String(key))?.value as Node
    else if (isSeq(node)) node = node.items[key as number] as Node
  }
  const pos = counter.linePos(node!.range![0])
  return { line: pos.line, column: pos.col }
}

describe("JsonLocator: a field path's line and column in JSON text, without a YAML document (issue 18)", () => {
  it("places every value where the YAML parser places it, compact or indented, after comment lines", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 1, 2), fc.boolean(), (value, indent, comment) => {
        const prefix = comment ? "# a comment\n\n" : ""
        const text = prefix + JSON.stringify(value, null, indent)
        const locate = JsonLocator.locator(text, prefix.length)
        for (const path of paths(value)) assert.deepStrictEqual(locate(path), yamlPosition(text, path), JSON.stringify(path))
      }),
      { numRuns: 200 }
    )
  })

  it("a path past what the text has stops at the deepest value found", () => {
    const text = '{"a":\n {"b": [1,\n  2]}}'
    const locate = JsonLocator.locator(text, 0)
    assert.deepStrictEqual(locate(["a", "b", 1]), { line: 3, column: 3 })
    assert.deepStrictEqual(locate(["a", "b", 7, "x"]), { line: 2, column: 8 })
    assert.deepStrictEqual(locate(["a", "missing"]), { line: 2, column: 2 })
  })

  it("topLevel finds a top-level key's text, says when there is none, and refuses what is not shaped as JSON", () => {
    assert.strictEqual(JsonLocator.topLevel('{"x":{"allocation":1},"allocation":"./r.mjs"}', 0, "allocation"), '"./r.mjs"')
    assert.strictEqual(JsonLocator.topLevel('{"x":{"allocation":1}}\n', 0, "allocation"), undefined)
    assert.strictEqual(JsonLocator.topLevel("{allocation: ./r.mjs}", 0, "allocation"), "not JSON")
    assert.strictEqual(JsonLocator.topLevel('{"a":1} trailing', 0, "allocation"), "not JSON")
  })
})
