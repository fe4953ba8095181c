/** Issue 13 item 9: whole numbers for people, rounded so that the parts add up to their totals. */
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { Columns, Compile, Engine, Tables, Whole } from "../src/index.js"
import { tiny } from "./fixtures.js"

describe("largest-remainder rounding", () => {
  it("gives whole numbers within 1 of each value that add up to the rounded sum (or the total asked for)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 60 }),
        fc.integer({ min: -3, max: 3 }),
        (values, shift) => {
          const rounded = Whole.largestRemainder(values)
          expect(rounded.every(Number.isInteger)).toBe(true)
          expect(rounded.reduce((a, b) => a + b, 0) + 0).toBe(Math.round(values.reduce((a, b) => a + b, 0)) + 0)
          rounded.forEach((r, i) => expect(Math.abs(r - values[i])).toBeLessThan(1 + 1e-9))
          if (values.length > 0) {
            const total = Math.round(values.reduce((a, b) => a + b, 0)) + shift
            expect(Whole.largestRemainder(values, total).reduce((a, b) => a + b, 0) + 0).toBe(total + 0)
          }
        }
      )
    )
  })

  it("the example the issue saw: three schools of 1,727.778 seats add up to 5,183 not 5,184", () => {
    expect(Whole.largestRemainder([1727.778, 1727.778, 1727.777])).toEqual([1728, 1728, 1727])
  })

  it("makes a level's schools add up to the county's whole figure in every counted column", () => {
    const m = Compile.compile(tiny("plan/township"), { horizon: 6 })
    const cube = Engine.run(m)
    const group = (r: { variant: string; year: number; level: string }) => `${r.variant}|${r.year}|${r.level}`
    const schools = Whole.table("schools", Tables.schools(m, cube, "v"), group)
    const county = Whole.table("county", Tables.county(m, cube, "v"), group)
    const summed = Columns.of("county").filter((c) => Columns.counted(c) && c.county === "sum")
    expect(summed.map((c) => c.id)).toContain("pupils")
    for (const c of county) {
      const mine = schools.filter((s) => s.year === c.year && s.level === c.level)
      for (const col of summed) {
        const total = mine.reduce((n, s) => n + (s as unknown as Record<string, number>)[col.id], 0)
        expect(total, `${c.year} ${c.level} ${col.id}`).toBe((c as unknown as Record<string, number>)[col.id])
        expect(Number.isInteger(total)).toBe(true)
      }
    }
  })
})
