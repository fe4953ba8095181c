import * as fc from "fast-check"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as Output from "../src/Output.js"

const rowsOf = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => ({
    variant: "baseline",
    year: 2024 + (i % 16),
    settlement_id: `S${(i * seed) % 997}`,
    age: i % 19,
    children: (i * 7.3) / (seed + 1)
  }))

describe("tables written in pieces (a province's population table is longer than a string can be)", () => {
  it("the CSV and JSON pieces, joined, are the whole table's CSV and JSON", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 120 }), (n, seed, size) => {
        const rows = rowsOf(n, seed)
        expect([...Output.csvChunks(rows, size)].join("")).toBe(Output.csv(rows))
        expect([...Output.jsonChunks(rows, size)].join("")).toBe(JSON.stringify(rows))
      }),
      { numRuns: 200 }
    )
  })

  it("writeChunksSync writes the pieces into place, and leaves nothing when a piece fails", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-chunks-"))
    try {
      const file = path.join(dir, "t.csv")
      Output.writeChunksSync(file, ["a,b\n", "1,2\n"])
      expect(fs.readFileSync(file, "utf8")).toBe("a,b\n1,2\n")
      function* failing() {
        yield "x"
        throw new Error("disk full")
      }
      expect(() => Output.writeChunksSync(path.join(dir, "u.csv"), failing())).toThrow("disk full")
      expect(fs.readdirSync(dir)).toEqual(["t.csv"])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
