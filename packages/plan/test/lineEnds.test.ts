/** Line ends as editors write them: LF, CRLF and old Mac CR load alike, and problems keep their lines. */
import { describe, expect, it } from "vitest"
import { Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { ScenarioLoader } from "../src/index.js"

const text = fs.readFileSync(path.resolve(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml"), "utf8")

describe("line ends", () => {
  it("a file with lone CR line ends (old Mac) loads as the LF one does", () => {
    const lf = ScenarioLoader.fromText(text, "lf.yaml")
    const cr = ScenarioLoader.fromText(text.replaceAll("\n", "\r"), "cr.yaml")
    expect(Either.isRight(lf) && Either.isRight(cr)).toBe(true)
    if (Either.isRight(lf) && Either.isRight(cr)) expect(cr.right.streams.baseline.length).toBe(lf.right.streams.baseline.length)
  })

  it("a problem in a CR or CRLF file is reported at the same line as in the LF file", () => {
    const broken = text.replace(/^horizon: .*$/m, "horizon: fifteen")
    const line = (t: string) => {
      const r = ScenarioLoader.fromText(t, "x.yaml")
      return Either.isLeft(r) ? r.left.problems[0].line : undefined
    }
    const expected = line(broken)
    expect(expected).toBeGreaterThan(1)
    expect(line(broken.replaceAll("\n", "\r"))).toBe(expected)
    expect(line(broken.replaceAll("\n", "\r\n"))).toBe(expected)
  })
})
