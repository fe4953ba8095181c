/**
 * Hostile scenario files through the real command (issue 11): located messages on stderr, exit 1, no
 * stack trace and no "internal error". Few cases: each start of the command costs seconds.
 */
import { assert, describe, it } from "@effect/vitest"
import { seatplan } from "./seatplan.js"

describe("seatplan validate on hostile files", () => {
  it("deep nesting and bytes that are not UTF-8: one located line each, exit 1", { timeout: 120_000 }, async () => {
    const cases = [
      ["deep-nesting.yaml", ":2:70: nested deeper than 64 levels"],
      ["bad-utf8.yaml", ":1:46: not valid UTF-8: byte 0xe9"]
    ] as const
    for (const [name, expected] of cases) {
      const file = `packages/plan/test/fixtures/hostile/${name}`
      const r = await seatplan(["validate", file])
      assert.strictEqual(r.status, 1, `${name}: ${r.stdout}${r.stderr}`)
      assert.include(r.stderr, `${file}${expected}`)
      assert.include(r.stderr, `1 problem(s) in ${file}`)
      assert.notInclude(r.stderr, "internal error")
      assert.notInclude(r.stderr, "    at ")
    }
  })
})
