/** The package README's "Write your own allocation rule" shows the example and its test as they are. */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"

describe("packages/sim/README.md", () => {
  it("shows examples/custom-allocation-rule.ts and test/customRule.test.ts as they are", () => {
    const read = (relative: string) => fs.readFileSync(path.join(import.meta.dirname, relative), "utf8")
    const readme = read("../README.md")
    assert.include(readme, read("../examples/custom-allocation-rule.ts").trimEnd())
    const test = read("customRule.test.ts")
    assert.include(readme, test.slice(test.indexOf("import { assert")).trimEnd())
  })
})
