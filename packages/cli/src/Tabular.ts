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
import type { Workbook } from "@seatplan/plan"
import { Columns } from "@seatplan/sim"
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
  Columns.units.settlements
])

/** Flattens a row as the CSV does: a record column becomes `{csvPrefix}_{key}` columns. */
export const flatten = (row: object): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      const prefix = Columns.all.find((c) => c.id === k && c.type === "record")?.csvPrefix ?? k
      for (const [kk, vv] of Object.entries(v)) out[`${prefix}_${kk}`] = vv
    } else out[k] = v
  }
  return out
}

const minutes: Columns.Unit = { en: "minutes", zh: "分钟" }
/** A standard's value, threshold and margin are in the unit of its rule (pupils per class, m² per pupil…), row by row. */
const ruleUnit: Columns.Unit = { en: "the rule's unit", zh: "该标准的单位" }

/**
 * Headings of the columns of the compare, accounts, ledger and standards sheets that are not the registry's
 * (they are the comparison's and the accounts' own, Compare.ts): name in Chinese and English, and unit.
 */
const sheetOnly: Readonly<Record<string, { readonly zh: string; readonly en: string; readonly unit?: Columns.Unit }>> = {
  mean_trip_walking_min: { zh: "平均步行时间", en: "mean trip walking", unit: minutes },
  max_trip_bus_min: { zh: "最长车程（校车）", en: "longest trip by school bus", unit: minutes },
  capital_cost_to_date: { zh: "累计基建投入", en: "capital cost to date", unit: Columns.units.yuan },
  ...Object.fromEntries(
    (
      [
        ["kindergarten", "幼儿园"],
        ["primary", "小学"],
        ["junior", "初中"],
        ["senior", "高中"]
      ] as const
    ).map(([l, zh]) => [`seat_demand_${l}`, { zh: `${zh}学位需求`, en: `seat demand, ${l}`, unit: Columns.units.seats }])
  ),
  schools_opened: { zh: "新建学校", en: "schools opened", unit: Columns.units.schools },
  schools_expanded: { zh: "改扩建学校", en: "schools expanded", unit: Columns.units.schools },
  schools_closed_or_merged: { zh: "撤并学校", en: "schools closed or merged", unit: Columns.units.schools },
  schools_repurposed: { zh: "转作他用学校", en: "schools repurposed", unit: Columns.units.schools },
  seats_added: { zh: "新增学位", en: "seats added", unit: Columns.units.seats },
  classrooms_added: { zh: "新增教室", en: "classrooms added", unit: Columns.units.classrooms },
  boarding_beds_added: { zh: "新增寄宿床位", en: "boarding beds added", unit: Columns.units.beds },
  beds_added: { zh: "新增寄宿床位", en: "beds added", unit: Columns.units.beds },
  pupils_integrated: { zh: "整合学生", en: "pupils integrated", unit: Columns.units.pupils },
  seats_reused: { zh: "盘活学位", en: "seats reused", unit: Columns.units.seats },
  new_school_teachers_needed: { zh: "新校应配教师", en: "new-school teachers needed", unit: Columns.units.teachers },
  senior_running_cost: { zh: "高中运行经费", en: "senior running cost", unit: Columns.units.yuan },
  investment: { zh: "投入", en: "investment", unit: Columns.units.yuan },
  tasks: { zh: "任务数", en: "tasks", unit: { en: "tasks", zh: "项" } },
  opened: { zh: "新建", en: "opened", unit: Columns.units.schools },
  expanded: { zh: "改扩建", en: "expanded", unit: Columns.units.schools },
  closed_or_merged: { zh: "撤并", en: "closed or merged", unit: Columns.units.schools },
  repurposed: { zh: "转作他用", en: "repurposed", unit: Columns.units.schools },
  invested: { zh: "设施投入学校", en: "schools invested in", unit: Columns.units.schools },
  other: { zh: "其他步骤", en: "other steps", unit: { en: "steps", zh: "项" } },
  investment_share: { zh: "投入占比", en: "investment share", unit: Columns.units.ratio },
  task_share: { zh: "任务占比", en: "task share", unit: Columns.units.ratio },
  rule: { zh: "标准", en: "rule" },
  scope: { zh: "范围", en: "scope" },
  value: { zh: "实际值", en: "value", unit: ruleUnit },
  threshold: { zh: "标准值", en: "threshold", unit: ruleUnit },
  margin: { zh: "余量", en: "margin", unit: ruleUnit },
  pass: { zh: "达标", en: "pass" },
  status: { zh: "状态", en: "status" },
  missing: { zh: "缺数据", en: "missing data" },
  counts: { zh: "计入", en: "counts" }
}

/** The registry's column for a key of a table (or, for the compare and summary tables, the county's or the seat-demand account's). */
const registered = (
  table: Columns.Table | undefined,
  key: string
): { readonly column: Columns.Column; readonly sub?: string } | undefined => {
  for (const t of table === undefined ? (["county", "seat_demand"] as const) : [table]) {
    const direct = Columns.get(t, key)
    if (direct !== undefined && direct.type !== "record") return { column: direct }
    for (const c of Columns.of(t))
      if (c.type === "record") for (const k of c.keys ?? []) if (`${c.csvPrefix ?? c.id}_${k}` === key) return { column: c, sub: k }
  }
  return undefined
}

/** The fields of rows (flattened), from the registry where it defines them, else from the values. */
export const fields = (rows: ReadonlyArray<Record<string, unknown>>, table?: Columns.Table): ReadonlyArray<Field> => {
  if (rows.length === 0) return []
  return Object.keys(rows[0]).map((key): Field => {
    const r = registered(table, key)
    const sample = rows.find((x) => x[key] !== undefined && x[key] !== null)?.[key]
    const type = typeof sample === "number" ? "number" : typeof sample === "boolean" ? "boolean" : "text"
    if (r === undefined) {
      const own = sheetOnly[key]
      if (own === undefined) return { key, label: { zh: key, en: key }, type, whole: false, int: key === "year" || key === "age" }
      return {
        key,
        label: { zh: own.zh, en: own.en },
        ...(own.unit === undefined ? {} : { unit: own.unit }),
        type,
        whole: type === "number" && own.unit !== undefined && wholeUnits.has(own.unit),
        int: false
      }
    }
    const c = r.column
    // a record's key named by the registry's column of that id where there is one (a difference coefficient's indicator)
    const sub = r.sub === undefined ? undefined : Columns.all.find((x) => x.id === r.sub && x.type !== "record")
    const label =
      r.sub === undefined
        ? { zh: Columns.label(c, "zh"), en: Columns.label(c, "en") }
        : sub === undefined
          ? { zh: `${c.zh} ${r.sub}`, en: `${c.en} ${r.sub}` }
          : { zh: `${c.zh}：${Columns.label(sub, "zh")}`, en: `${c.en}: ${Columns.label(sub, "en")}` }
    const unit = c.unit === Columns.units.text || c.unit === Columns.units.boolean ? undefined : c.unit
    return {
      key,
      label,
      ...(unit === undefined ? {} : { unit }),
      type: c.type === "record" ? "number" : c.type,
      whole: c.type === "number" && (c.wholePupils || wholeUnits.has(c.unit)),
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
        : f.unit === Columns.units.ratio && /share/.test(f.key)
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
