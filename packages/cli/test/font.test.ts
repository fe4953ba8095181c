/**
 * The characters a report's font is cut down to (`Font.charactersOf`): each character of the page once, in
 * the order of first appearance after the ones always kept, control characters left out, the libraries'
 * scripts not counted; the same string as spreading the page into characters gives, on any text.
 */
import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import * as Font from "../src/report/Font.js"

/** The definition by spreading: `always` (what an empty page keeps), then the page's characters, deduplicated. */
const reference = (text: string): string =>
  [...new Set([...Font.charactersOf(""), ...text])].filter((c) => c.codePointAt(0)! >= 32).join("")

/** Text with ASCII, controls, Chinese, astral characters (emoji, CJK extension B) and lone surrogates. */
const page = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.constantFrom("\u0000", "\t", "\n", "\u001f", "学位", "班额", "😀", "𠀀", "\ud800", "\udc00", "\ud83d"),
      fc.fullUnicodeString({ maxLength: 8 })
    ),
    { maxLength: 40 }
  )
  .map((parts) => parts.join(""))

describe("Font.charactersOf", () => {
  it("is the page's characters once each, in order, after the ones always kept", () => {
    fc.assert(
      fc.property(page, (text) => assert.strictEqual(Font.charactersOf(text), reference(text))),
      { numRuns: 2000 }
    )
  })

  it("leaves out the characters of the scripts it is told to", () => {
    fc.assert(
      fc.property(page, page, (text, script) => {
        fc.pre(script.length > 0)
        const whole = text + script + text
        assert.strictEqual(Font.charactersOf(whole, [script]), reference(whole.split(script).join("")))
      }),
      { numRuns: 500 }
    )
  })
})
