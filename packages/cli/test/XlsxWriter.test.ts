import { assert, describe, it } from "@effect/vitest"
import ExcelJS from "exceljs"
import { Effect, FastCheck as fc } from "effect"
import * as zlib from "node:zlib"
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

  it.effect("a sheet deflated in many pieces is one valid zip part: checksums hold, each text is stored once, every cell reads back", () =>
    Effect.promise(async () => {
      // about 12 MB of sheet XML: deflated in pieces of 4 MB
      const rows = Array.from({ length: 60_000 }, (_, r) => [`S${r % 263}`, `村 ${r % 97} <&>`, r * 0.5, r % 7 === 0, r])
      const bytes = XlsxWriter.xlsx([{ name: "big", rows, headerRows: 0, numFmt: new Map([[2, "#,##0.00"]]), widths: new Map() }])
      const parts = unzip(bytes)
      for (const [name, { data, crc }] of parts) assert.strictEqual(zlib.crc32(data), crc, name)
      const sheet = parts.get("xl/worksheets/sheet1.xml")!.data.toString("utf8")
      assert.isAbove(sheet.length, 1 << 23)
      const shared = parts.get("xl/sharedStrings.xml")!.data.toString("utf8")
      assert.match(shared, /uniqueCount="360"/)
      const ws = (await readBack(bytes)).worksheets[0]
      assert.strictEqual(ws.rowCount, rows.length)
      for (const r of [0, 1, 29_999, 59_999]) assert.deepStrictEqual(ws.getRow(r + 1).values, [undefined, ...rows[r]], `row ${r + 1}`)
    })
  )
})

/** The parts of a zip archive (from its central directory): each one's inflated bytes and the checksum the archive gives. */
const unzip = (bytes: Uint8Array): Map<string, { data: Buffer; crc: number }> => {
  const b = Buffer.from(bytes)
  const end = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = b.readUInt16LE(end + 10)
  let at = b.readUInt32LE(end + 16)
  const out = new Map<string, { data: Buffer; crc: number }>()
  for (let i = 0; i < count; i++) {
    assert.strictEqual(b.readUInt32LE(at), 0x02014b50)
    const crc = b.readUInt32LE(at + 16)
    const packed = b.readUInt32LE(at + 20)
    const size = b.readUInt32LE(at + 24)
    const nameLength = b.readUInt16LE(at + 28)
    const extra = b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32)
    const name = b.subarray(at + 46, at + 46 + nameLength).toString("utf8")
    const local = b.readUInt32LE(at + 42)
    assert.strictEqual(b.readUInt32LE(local + 14), crc, `${name}: the local header's checksum`)
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28)
    const data = zlib.inflateRawSync(b.subarray(start, start + packed))
    assert.strictEqual(data.length, size, name)
    out.set(name, { data, crc })
    at += 46 + nameLength + extra
  }
  return out
}
