/**
 * The run's tables for spreadsheets and data tools: `seatplan.xlsx` (the summary, compare and accounts
 * sheets first, then one sheet per table; headers in the report's language with units from the column
 * registry, frozen header rows, number formats, whole numbers where people are counted) and Parquet files
 * of the large tables with the registry's column names and types.
 *
 * Whole numbers: the workbook's tables come already whole from `Output.whole` (largest remainder within the
 * rows that add up to one total, as in the CSV, so a level's schools add up to the county); a counted figure
 * of another sheet is rounded cell by cell here. Parquet keeps the exact values.
 */
import { School } from "@seatplan/core"
import type { Workbook } from "@seatplan/plan"
import { Columns } from "@seatplan/sim"
import * as Output from "./Output.js"
import type * as Xlsx from "./Xlsx.js"

type Lang = "zh" | "en"

/** One column of an output table: its key, heading, unit and type. */
export interface Field {
  /** The CSV key (a record's flattened `{prefix}_{key}`). */
  readonly key: string
  readonly label: { readonly zh: string; readonly en: string }
  readonly unit?: Columns.Unit
  readonly type: "text" | "number" | "boolean"
  /** A count of people or things shown as a whole number (rounded in the workbook). */
  readonly whole: boolean
  /** Stored as a 32-bit integer in Parquet (school years, ages). */
  readonly int: boolean
}

const wholeUnits = new Set<Columns.Unit>([
  Columns.units.pupils,
  Columns.units.children,
  Columns.units.seats,
  Columns.units.classes,
  Columns.units.classrooms,
  Columns.units.rooms,
  Columns.units.teachers,
  Columns.units.beds,
  Columns.units.schools,
  Columns.units.settlements,
  Columns.units.tasks,
  Columns.units.steps
])

/** Flattens a row as the CSV does: a record column becomes `{csvPrefix}_{key}` columns. */
export const flatten = Output.flatten

/** The registry's column for a key of a table (a record's flattened key names the record and its key). */
const registered = (
  table: Columns.Table | undefined,
  key: string
): { readonly column: Columns.Column; readonly sub?: string } | undefined => {
  if (table === undefined) return undefined
  const direct = Columns.get(table, key)
  if (direct !== undefined && direct.type !== "record") return { column: direct }
  for (const c of Columns.of(table))
    if (c.type === "record") for (const k of c.keys ?? []) if (`${c.csvPrefix ?? c.id}_${k}` === key) return { column: c, sub: k }
  return undefined
}

/** The fields of rows (flattened), from the registry where it defines them, else from the values. */
export const fields = (rows: ReadonlyArray<Record<string, unknown>>, table?: Columns.Table): ReadonlyArray<Field> => {
  if (rows.length === 0) return []
  return Object.keys(rows[0]).map((key): Field => {
    const r = registered(table, key)
    const sample = rows.find((x) => x[key] !== undefined && x[key] !== null)?.[key]
    const type = typeof sample === "number" ? "number" : typeof sample === "boolean" ? "boolean" : "text"
    // a table the registry does not define (the Monte Carlo bands): its keys, typed by their values
    if (r === undefined) return { key, label: { zh: key, en: key }, type, whole: false, int: key === "year" || key === "age" }
    const c = r.column
    // a record's key named by the registry's column of that id where there is one (a difference coefficient's indicator)
    const sub = r.sub === undefined ? undefined : Columns.all.find((x) => x.id === r.sub && x.type !== "record")
    // …or by the level it is (seat demand by level)
    const level =
      r.sub !== undefined && (School.levels as ReadonlyArray<string>).includes(r.sub)
        ? School.levelLabels[r.sub as School.Level]
        : undefined
    const label =
      r.sub === undefined
        ? { zh: Columns.label(c, "zh"), en: Columns.label(c, "en") }
        : level !== undefined
          ? { zh: `${level.zh}${c.zh}`, en: `${c.en}, ${level.en}` }
          : sub === undefined
            ? { zh: `${c.zh} ${r.sub}`, en: `${c.en} ${r.sub}` }
            : { zh: `${c.zh}：${Columns.label(sub, "zh")}`, en: `${c.en}: ${Columns.label(sub, "en")}` }
    const unit = c.unit === Columns.units.text || c.unit === Columns.units.boolean ? undefined : c.unit
    return {
      key,
      label,
      ...(unit === undefined ? {} : { unit }),
      type: c.type === "record" ? "number" : c.type,
      whole: c.type !== "text" && c.type !== "boolean" && (c.wholePupils || wholeUnits.has(c.unit)),
      int: c.unit === Columns.units.year || c.unit === Columns.units.age
    }
  })
}

/** A heading in the language with its unit: `在校生（人）`, `pupils (pupils)`. */
export const heading = (f: Field, lang: Lang): string =>
  f.unit === undefined || f.unit === Columns.units.year
    ? f.label[lang]
    : lang === "zh"
      ? `${f.label.zh}（${f.unit.zh}）`
      : `${f.label.en} (${f.unit.en})`

const numFmt = (f: Field): string | undefined =>
  f.type !== "number"
    ? undefined
    : f.int
      ? "0"
      : f.whole || f.unit === Columns.units.yuan
        ? "#,##0"
        : f.unit === Columns.units.share || (f.unit === Columns.units.ratio && /share/.test(f.key))
          ? "0.0%"
          : "#,##0.00"

/** A cell of the workbook: whole numbers rounded, the rest as they are. */
export const cellValue = (f: Field, v: unknown): Workbook.Cell => {
  if (v === undefined || v === null) return null
  if (typeof v === "number") return f.whole ? Math.round(v) : v
  if (typeof v === "boolean" || typeof v === "string") return v
  return JSON.stringify(v)
}

/** Excel's row limit less the two header rows: a longer table continues on `name 2`, `name 3`… */
const maxRows = 1_048_576 - 2

/** A table as sheets: row 1 the headings in the language with units, row 2 the CSV keys, then the rows. */
export const sheets = (
  name: string,
  rows: ReadonlyArray<object>,
  lang: Lang,
  table?: Columns.Table
): ReadonlyArray<Workbook.Sheet & { readonly style: Xlsx.SheetStyle }> => {
  if (rows.length === 0) return []
  const flat = rows.map(flatten)
  const fs = fields(flat, table)
  const style: Xlsx.SheetStyle = {
    headerRows: 2,
    numFmt: new Map(fs.flatMap((f, i) => (numFmt(f) === undefined ? [] : [[i, numFmt(f)!] as const])))
  }
  const out: Array<Workbook.Sheet & { readonly style: Xlsx.SheetStyle }> = []
  for (let start = 0, part = 1; start < flat.length; start += maxRows, part++) {
    out.push({
      name: part === 1 ? name : `${name} ${part}`,
      rows: [
        fs.map((f) => heading(f, lang)),
        fs.map((f) => f.key),
        ...flat.slice(start, start + maxRows).map((r) => fs.map((f) => cellValue(f, r[f.key])))
      ],
      merges: [],
      style
    })
  }
  return out
}

/** The sheet names of the workbook in the language. */
export const sheetName = (key: string, lang: Lang): string => {
  const zh: Record<string, string> = {
    summary: "概要",
    compare: "方案比较",
    accounts: "六笔账",
    "accounts-ledger": "台账",
    "accounts-demand": "学位需求",
    schools: "学校",
    county: "全县",
    catchments: "学区",
    population: "人口",
    bands: "区间",
    standards: "达标"
  }
  return lang === "zh" && zh[key] !== undefined ? `${zh[key]} ${key}` : key
}

/** The Parquet columns of a table: the registry's names and types (text STRING, numbers DOUBLE, years INT32, yes/no BOOLEAN). */
export const parquetColumns = (rows: ReadonlyArray<object>, table?: Columns.Table) => {
  const flat = rows.map(flatten)
  return fields(flat, table).map((f) => ({
    name: f.key,
    type: (f.type === "text" ? "STRING" : f.type === "boolean" ? "BOOLEAN" : f.int ? "INT32" : "DOUBLE") as
      | "STRING"
      | "BOOLEAN"
      | "INT32"
      | "DOUBLE",
    data: flat.map((r) => {
      const v = r[f.key]
      if (v === undefined || v === null) return null
      return f.type === "text" ? String(v) : v
    })
  }))
}

/** A table as Parquet bytes (hyparquet-writer, imported when first needed). */
export const parquet = async (rows: ReadonlyArray<object>, table?: Columns.Table): Promise<Uint8Array> => {
  const { parquetWriteBuffer } = await import("hyparquet-writer")
  return new Uint8Array(parquetWriteBuffer({ columnData: parquetColumns(rows, table), createdBy: "seatplan" }))
}
