import { assert, describe, it } from "@effect/vitest"
import ExcelJS from "exceljs"
import { Effect, FastCheck as fc } from "effect"
import * as XlsxWriter from "../src/XlsxWriter.js"

const readBack = async (bytes: Uint8Array) => {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  return wb
}

/** What XML 1.0 can hold of a string (the writer drops the rest). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: drops the control characters XML 1.0 cannot hold, on purpose
const invalid = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const xmlSafe = (s: string) => s.replace(invalid, "")

const cell = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("=1+1", "<b>&amp;</b>", '"quoted"', "  spaced  ", "学校 school", "-3", "@SUM(A1)", "a\r\nb\rc\td"),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null)
)

describe("XlsxWriter", () => {
  it.effect("every cell reads back with exceljs as written: text (formula-like included), numbers, yes/no, blanks", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }), async (rows) => {
          const wb = await readBack(
            XlsxWriter.xlsx([{ name: "t <&> 表", rows, headerRows: 1, numFmt: new Map([[0, "#,##0.00"]]), widths: new Map() }])
          )
          const ws = wb.worksheets[0]
          assert.strictEqual(ws.name, "t <&> 表")
          rows.forEach((row, r) =>
            row.forEach((v, c) => {
              const got = ws.getRow(r + 1).getCell(c + 1).value
              if (v === null || (typeof v === "string" && xmlSafe(v) === "")) assert.include([null, undefined, ""], got as never)
              else if (typeof v === "string") assert.strictEqual(got, xmlSafe(v))
              else if (typeof v === "number") assert.strictEqual(got, Object.is(v, -0) ? 0 : v)
              else assert.strictEqual(got, v)
            })
          )
        }),
        { numRuns: 60 }
      )
    )
  )

  it.effect("frozen header rows, bold headers, number formats and dates", () =>
    Effect.promise(async () => {
      const date = new Date(Date.UTC(2026, 0, 1))
      const wb = await readBack(
        XlsxWriter.xlsx([
          {
            name: "a",
            rows: [
              ["学生", "日期"],
              ["pupils", "date"],
              [12.6, date]
            ],
            headerRows: 2,
            numFmt: new Map([[0, "#,##0"]]),
            widths: new Map([[0, 14]])
          },
          { name: "b", rows: [], headerRows: 0, numFmt: new Map(), widths: new Map() }
        ])
      )
      const ws = wb.getWorksheet("a")!
      assert.deepInclude(ws.views[0], { state: "frozen", ySplit: 2 })
      assert.isTrue(ws.getCell("A1").font?.bold === true)
      assert.strictEqual(ws.getCell("A3").numFmt, "#,##0")
      assert.strictEqual(ws.getColumn(1).width, 14)
      assert.deepStrictEqual(ws.getCell("B3").value, date)
      assert.deepStrictEqual(
        wb.worksheets.map((w) => w.name),
        ["a", "b"]
      )
    })
  )
})
