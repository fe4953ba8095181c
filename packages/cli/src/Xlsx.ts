/**
 * .xlsx files at the edge: a workbook read through exceljs into plain sheets (`Workbook.Sheet`: values,
 * formulas replaced by their results, merged ranges), and sheets written (`XlsxWriter`) with frozen header
 * rows, number formats and column widths. The conversion to and from scenarios is `@seatplan/plan`'s
 * `Workbook`. exceljs is imported when a command first reads a workbook, so other commands start without it.
 */
import { Workbook } from "@seatplan/plan"
import { Effect } from "effect"
import type ExcelJS from "exceljs"
import * as fs from "node:fs"
import * as Output from "./Output.js"
import * as XlsxWriter from "./XlsxWriter.js"

const exceljs = (): Promise<typeof ExcelJS> =>
  import("exceljs").then((m) => (m as { default?: typeof ExcelJS }).default ?? (m as typeof ExcelJS))

/** A cell's value as a plain value: formulas give their result, rich text its text, errors their code. */
const plain = (v: ExcelJS.CellValue): Workbook.Cell => {
  if (v === undefined || v === null) return null
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean" || v instanceof Date) return v
  if ("richText" in v) return v.richText.map((r) => r.text).join("")
  if ("error" in v) return String(v.error)
  if ("formula" in v || "sharedFormula" in v) {
    const r = (v as { result?: unknown }).result
    if (r === undefined || r === null) return null
    if (typeof r === "object" && r !== null && "error" in r) return String((r as { error: unknown }).error)
    return r as Workbook.Cell
  }
  if ("text" in v)
    return typeof v.text === "string" ? v.text : (v.text as { richText: Array<{ text: string }> }).richText.map((r) => r.text).join("")
  return null
}

/** The sheets of an .xlsx file; a file that cannot be read or is not a workbook is one problem naming it. */
export const read = (file: string): Effect.Effect<ReadonlyArray<Workbook.Sheet>, Workbook.WorkbookError> =>
  Effect.tryPromise({
    try: async () => {
      const bytes = fs.readFileSync(file)
      const E = await exceljs()
      const wb = new E.Workbook()
      await wb.xlsx.load(bytes as unknown as ArrayBuffer)
      return wb.worksheets.map((ws): Workbook.Sheet => {
        const rows: Array<Array<Workbook.Cell>> = []
        ws.eachRow({ includeEmpty: true }, (row, r) => {
          const cells: Array<Workbook.Cell> = []
          row.eachCell({ includeEmpty: true }, (cell, c) => {
            // a merged cell other than its range's first holds the first's value in exceljs: read it as empty
            cells[c - 1] = cell.isMerged && cell.master !== cell ? null : plain(cell.value)
          })
          rows[r - 1] = Array.from(cells, (c) => c ?? null)
        })
        const merges = ((ws.model as { merges?: ReadonlyArray<string> }).merges ?? []).slice()
        return { name: ws.name, rows: Array.from(rows, (r) => r ?? []), merges }
      })
    },
    catch: (e) =>
      new Workbook.WorkbookError({
        file,
        problems: [
          {
            message: `expected an Excel workbook (.xlsx), found ${
              (e as NodeJS.ErrnoException).code === "ENOENT"
                ? "no such file"
                : `a file exceljs cannot read (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`
            }`
          }
        ]
      })
  })

/** How a sheet is laid out when written. */
export interface SheetStyle {
  /** Header rows frozen at the top (default 2: Chinese and English). */
  readonly headerRows?: number
  /** Excel number formats by 0-based column (`0`, `#,##0`, `0.0%`…). */
  readonly numFmt?: ReadonlyMap<number, string>
  /** Column widths in characters by 0-based column (default from the header). */
  readonly widths?: ReadonlyMap<number, number>
}

/** Sheets as .xlsx bytes (`XlsxWriter`): header rows bold and frozen, number formats and widths as given. */
export const bytes = async (sheets: ReadonlyArray<Workbook.Sheet & { readonly style?: SheetStyle }>): Promise<Uint8Array> =>
  XlsxWriter.xlsx(
    sheets.map((s) => {
      const headerRows = s.style?.headerRows ?? (s.rows.length >= 2 ? 2 : 0)
      const heads = s.rows.slice(0, Math.max(headerRows, 1))
      const width = heads.reduce((w, r) => Math.max(w, r.length), 0)
      const widths = new Map<number, number>()
      for (let c = 0; c < width; c++) {
        const head = heads.map((r) => Output.displayWidth(String(r[c] ?? "")))
        widths.set(c, s.style?.widths?.get(c) ?? Math.min(40, Math.max(8, ...head) + 2))
      }
      return { name: s.name, rows: s.rows, headerRows, numFmt: s.style?.numFmt ?? new Map(), widths }
    })
  )

/** Writes sheets to an .xlsx file (through a temporary file renamed into place, as `Output.write`). */
export const write = (file: string, sheets: ReadonlyArray<Workbook.Sheet & { readonly style?: SheetStyle }>) =>
  Effect.flatMap(
    Effect.tryPromise({
      try: () => bytes(sheets),
      catch: (e) => new Output.WriteError({ file, code: "an error", detail: e instanceof Error ? e.message : String(e) })
    }),
    (data) => Output.write(file, data)
  )
