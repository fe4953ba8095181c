/**
 * A scenario as a workbook (工作簿) a county bureau keeps: one sheet per kind of record (settlements,
 * schools, enrolment by grade, births, population by age, migration, catchments, variants, plan steps, and
 * the scenario's own fields), each with a Chinese and an English header row. Pure: workbook rows ↔
 * scenario file; reading and writing .xlsx is the command's (packages/cli, exceljs). `toScenario` reports
 * every problem at once, each at its sheet and cell (`学校 schools!B12: 学校代码 (school id): expected…,
 * found…`), the cell's own (a number stored as text, a date, a merged cell) and the scenario's (through
 * the loader: duplicate ids, ids that do not exist, steps the domain rules refuse), mapped back to the cell
 * the field came from.
 */
import { Geography, School } from "@seatplan/core"
import { Data, Either } from "effect"
import { stringify } from "yaml"
import type { ScenarioFile } from "./ScenarioFile.js"
import * as ScenarioLoader from "./ScenarioLoader.js"

/** A cell's value as the workbook holds it (formulas already replaced by their results). */
export type Cell = string | number | boolean | Date | null

export interface Sheet {
  readonly name: string
  /** Rows top to bottom, cells left to right; row 0 is the Chinese header, row 1 the English one. */
  readonly rows: ReadonlyArray<ReadonlyArray<Cell>>
  /** Merged ranges, `A3:B4`. */
  readonly merges: ReadonlyArray<string>
}

/** A problem at a sheet's cell (or with the workbook as a whole when `sheet` is absent). */
export interface Problem {
  readonly sheet?: string
  readonly cell?: string
  /** The column: `学校代码 (school id)`. */
  readonly label?: string
  readonly message: string
}

/** A workbook that cannot be turned into a scenario, with every problem found. */
export class WorkbookError extends Data.TaggedError("WorkbookError")<{
  readonly file: string
  readonly problems: ReadonlyArray<Problem>
}> {
  override get message() {
    const lines = this.problems
      .slice(0, 60)
      .map(
        (p) =>
          `${this.file}${p.sheet === undefined ? "" : `:${p.sheet}!${p.cell ?? "A1"}`}: ${p.label === undefined ? "" : `${p.label}: `}${p.message}`
      )
    const more = this.problems.length > 60 ? [`… and ${this.problems.length - 60} more`] : []
    return [...lines, ...more, `${this.problems.length} problem(s) in ${this.file}; nothing was written`].join("\n")
  }
}

// ------------------------------------------------------------------------------------------- columns

type Kind = "id" | "text" | "int" | "number" | "year" | "bool" | "json" | "ids" | "tier" | "type" | "level" | "any"

interface Column {
  /** The scenario field it fills. */
  readonly key: string
  readonly zh: string
  readonly en: string
  readonly kind: Kind
  readonly unit?: { readonly zh: string; readonly en: string }
  readonly required?: boolean
}

const col = (key: string, zh: string, en: string, kind: Kind, extra: Partial<Column> = {}): Column => ({ key, zh, en, kind, ...extra })
const u = (zh: string, en: string) => ({ unit: { zh, en } })

/** The column's name in messages: `学校代码 (school id)`. */
const labelOf = (c: { readonly zh: string; readonly en: string }): string => `${c.zh} (${c.en})`
/** The header cells, with the unit: `教学及辅助用房面积（平方米）` / `floor area (m²)`. */
const headerZh = (c: Column): string => (c.unit === undefined ? c.zh : `${c.zh}（${c.unit.zh}）`)
const headerEn = (c: Column): string => (c.unit === undefined ? c.en : `${c.en} (${c.unit.en})`)

const facilityUnits: Record<string, { zh: string; en: string }> = {
  rooms: { zh: "间", en: "rooms" },
  seats: { zh: "个", en: "seats" },
  beds: { zh: "张", en: "beds" },
  "m²": { zh: "平方米", en: "m²" },
  yuan: { zh: "元", en: "yuan" }
}
const facilityColumns = School.facilityFields.map((f) => {
  const d = School.facilityDefinitions[f]
  return col(f, d.zh, d.en, d.kind === "count" ? "int" : "number", {
    unit: facilityUnits[d.unit],
    required: f === "classrooms" || f === "seats"
  })
})
const teacherColumns = [
  col("teachers.total", "教师总数", "teachers", "int", u("人", "teachers")),
  ...School.ageBands.map((b) =>
    col(
      `teachers.byAge.${b}`,
      `教师 ${b === "55+" ? "55岁及以上" : b === "under-30" ? "30岁以下" : `${b}岁`}`,
      `teachers aged ${b}`,
      "int",
      u("人", "teachers")
    )
  ),
  col("teachers.aboveDegree", "高于规定学历教师", "teachers above the required degree", "int", u("人", "teachers")),
  col("teachers.backbone", "县级及以上骨干教师", "backbone teachers", "int", u("人", "teachers")),
  col("teachers.peArts", "体育艺术专任教师", "PE and arts teachers", "int", u("人", "teachers")),
  col("teachers.mentalHealth", "心理健康教师", "mental health teachers", "int", u("人", "teachers"))
]
const planned = col("variant", "规划方案（现有留空）", "planned in variant (blank: existing)", "id")

const gradeZh: Record<number, string> = { [-2]: "小班", [-1]: "中班", 0: "大班" }
const grades = Array.from({ length: 15 }, (_, i) => i - 2)
const gradeName = (g: number): string =>
  gradeZh[g] ?? `${["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"][g]}年级`

const stepFieldColumns = [
  col("school", "学校代码", "school id", "id"),
  col("schools", "被合并学校（逗号分隔）", "schools merged (comma-separated)", "ids"),
  col("into", "并入学校", "into school", "id"),
  col("from", "调出学校", "from school", "id"),
  col("to", "调入学校或新类型", "to (school or new type)", "text"),
  col("level", "学段", "level", "level"),
  col("settlement", "居民点代码", "settlement id", "id"),
  col("use", "新用途", "new use", "text"),
  col("beds", "寄宿床位", "beds", "int", u("张", "beds")),
  col("count", "人数", "count", "int", u("人", "teachers")),
  col("ageBand", "年龄段", "age band", "text"),
  col("aboveDegree", "高于规定学历", "above degree", "int", u("人", "teachers")),
  col("backbone", "骨干教师", "backbone", "int", u("人", "teachers")),
  col("peArts", "体育艺术", "PE and arts", "int", u("人", "teachers")),
  col("mentalHealth", "心理健康", "mental health", "int", u("人", "teachers")),
  col("rotation", "交流轮岗", "rotation", "bool"),
  col("estate", "楼盘", "estate", "text"),
  col("dwellings", "住房套数", "dwellings", "int", u("套", "dwellings")),
  col("kind", "住房类型", "housing kind", "text"),
  col("key", "标准", "standard key", "text"),
  col("value", "标准值", "standard value", "number"),
  col("share", "比例（学区划分或轮岗）", "share (split catchment or rotation)", "number"),
  col("backboneShare", "轮岗骨干教师占比", "backbone share of the rotated", "number"),
  col("partner", "交流学校", "exchange partner school", "id"),
  col("group", "集团代码", "group id", "id"),
  col("name", "集团名称", "group name", "text"),
  col("form", "办学形式", "group form", "text"),
  col("lead", "牵头学校", "lead school", "id"),
  col("members", "成员学校（逗号分隔）", "member schools (comma-separated)", "ids"),
  ...facilityColumns.map((c) => ({ ...c, key: `change.${c.key}`, zh: `新增${c.zh}`, en: `added ${c.en}`, required: false })),
  col("cost", "投资", "cost", "number", u("元", "yuan"))
]

interface SheetSpec {
  readonly name: string
  readonly zh: string
  readonly en: string
  readonly columns: ReadonlyArray<Column>
  readonly required: boolean
}

const sheet = (zh: string, en: string, columns: ReadonlyArray<Column>, required = false): SheetSpec => ({
  name: `${zh} ${en}`,
  zh,
  en,
  columns,
  required
})

const scenarioFields: ReadonlyArray<Column> = [
  col("name", "情景名称", "name", "text", { required: true }),
  col("synthetic", "虚构数据", "synthetic", "bool"),
  col("description", "说明", "description", "text"),
  col("baseYear", "基年", "base year", "year", { required: true }),
  col("horizon", "预测年数", "horizon", "int", u("年", "years")),
  col("method", "预测方法", "method", "text"),
  col("allocation", "分配规则", "allocation rule", "text"),
  col("settlementsFile", "居民点GeoJSON文件", "settlements file", "text"),
  col("populationByTier", "按层级人口（JSON）", "population by tier (JSON)", "json"),
  col("assumptions", "假设（JSON）", "assumptions (JSON)", "json"),
  col("standards", "标准调整（JSON）", "standards (JSON)", "json"),
  col("rules", "达标规则调整（JSON）", "rules (JSON)", "json"),
  col("candidateSites", "候选校址（JSON）", "candidate sites (JSON)", "json"),
  // the sweep's and the calibrated bands' inputs (they were lost on export then import)
  col("uncertainty", "不确定性（JSON）", "uncertainty (JSON)", "json"),
  col("futures", "情景未来（JSON）", "futures (JSON)", "json")
]

/** The sheets, in the order a workbook holds them. */
export const sheets = {
  notes: sheet("说明", "notes", []),
  scenario: sheet("情景", "scenario", [col("field", "字段", "field", "text"), col("value", "值", "value", "any")], true),
  settlements: sheet("居民点", "settlements", [
    col("id", "居民点代码", "settlement id", "id", { required: true }),
    col("name", "名称", "name", "text", { required: true }),
    col("tier", "层级", "tier", "tier", { required: true }),
    col("parent", "所属乡镇", "township (parent)", "id"),
    col("lon", "经度", "longitude", "number", { ...u("度", "degrees"), required: true }),
    col("lat", "纬度", "latitude", "number", { ...u("度", "degrees"), required: true }),
    planned
  ]),
  schools: sheet(
    "学校",
    "schools",
    [
      col("id", "学校代码", "school id", "id", { required: true }),
      col("name", "学校名称", "school name", "text", { required: true }),
      col("type", "学段类型", "type (levels)", "type", { required: true }),
      col("settlement", "所在居民点", "settlement id", "id", { required: true }),
      col("lon", "经度", "longitude", "number", u("度", "degrees")),
      col("lat", "纬度", "latitude", "number", u("度", "degrees")),
      ...facilityColumns,
      col("classroomsByGrade", "分年级教室（年级:间）", "classrooms by grade (grade:rooms)", "text"),
      ...teacherColumns,
      planned
    ],
    true
  ),
  enrolment: sheet("在校生", "enrolment", [
    col("school", "学校代码", "school id", "id", { required: true }),
    col("year", "学年", "school year", "year", { required: true }),
    ...grades.map((g) => col(`byGrade.${g}`, gradeName(g), `grade ${g}`, "int", u("人", "pupils")))
  ]),
  births: sheet("出生", "births", [
    col("settlement", "居民点或乡镇代码", "settlement or township id", "id", { required: true }),
    col("year", "年份", "year", "year", { required: true }),
    col("births", "出生人数", "births", "number", { ...u("人", "children"), required: true })
  ]),
  population: sheet("人口", "population", [
    col("settlement", "居民点代码", "settlement id", "id", { required: true }),
    col("year", "年份（基年留空）", "year (blank: base year)", "year"),
    ...Array.from({ length: 19 }, (_, a) => col(`byAge.${a}`, `${a}岁`, `age ${a}`, "number", u("人", "children")))
  ]),
  migration: sheet("迁移", "migration", [
    col("year", "年份", "year", "year", { required: true }),
    col("from", "迁出地", "from", "id", { required: true }),
    col("to", "迁入地", "to", "id", { required: true }),
    col("ages.min", "最小年龄", "youngest age", "int", { ...u("岁", "years"), required: true }),
    col("ages.max", "最大年龄", "oldest age", "int", { ...u("岁", "years"), required: true }),
    col("count", "人数", "children", "number", { ...u("人", "children"), required: true }),
    col("migrant", "随迁子女", "migrant children", "bool")
  ]),
  catchments: sheet("学区", "catchments", [
    col("settlement", "居民点代码", "settlement id", "id", { required: true }),
    ...School.levels.map((l) => col(l, `${School.levelLabels[l].zh}学区学校`, `${l} school`, "id")),
    // a base split catchment (学区划分): the second school of a level and the share of the settlement's pupils zoned to it
    ...School.levels.flatMap((l) => [
      col(`split.${l}`, `${School.levelLabels[l].zh}分流学校`, `${l} split school`, "id"),
      col(`share.${l}`, `${School.levelLabels[l].zh}分流比例`, `${l} split share`, "number")
    ])
  ]),
  variants: sheet("方案", "variants", [
    col("name", "方案名称", "variant", "id", { required: true }),
    col("description", "说明", "description", "text"),
    col("extends", "继承方案", "extends", "id"),
    col("strategies", "布局策略（JSON）", "strategies (JSON)", "json")
  ]),
  steps: sheet("方案步骤", "plan steps", [
    col("variant", "方案名称", "variant", "id", { required: true }),
    col("year", "学年", "school year", "year", { required: true }),
    col("type", "步骤", "step", "text", { required: true }),
    ...stepFieldColumns
  ])
} as const satisfies Record<string, SheetSpec>

type SheetKey = keyof typeof sheets
const sheetKeys = Object.keys(sheets) as ReadonlyArray<SheetKey>

// ------------------------------------------------------------------------------------------ cells

/** The column letters of a 0-based index: 0 → A, 26 → AA. */
export const columnLetters = (index: number): string => {
  let s = ""
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}
const address = (row: number, column: number): string => `${columnLetters(column)}${row + 1}`

const isBlank = (c: Cell | undefined): boolean => c === null || c === undefined || (typeof c === "string" && c.trim() === "")
const numeric = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/

const shown = (c: Cell): string => {
  const text =
    typeof c === "string"
      ? JSON.stringify(c.length > 60 ? `${c.slice(0, 60)}…` : c)
      : c instanceof Date
        ? c.toISOString().slice(0, 10)
        : String(c)
  return text
}
const found = (c: Cell): string =>
  c instanceof Date
    ? `the date ${shown(c)}`
    : typeof c === "string"
      ? numeric.test(c)
        ? `the text ${shown(c)} (a number stored as text: convert the column to numbers)`
        : `the text ${shown(c)}`
      : typeof c === "boolean"
        ? `the logical value ${c}`
        : String(c)

/** Excel's serial day number of a date (1900 system): 46023 is 2026-01-01. */
const serialDate = (n: number): string => new Date(Date.UTC(1899, 11, 30) + n * 86_400_000).toISOString().slice(0, 10)

const typeZh: Record<string, School.SchoolType> = {
  幼儿园: "kindergarten",
  小学: "primary",
  初中: "junior",
  高中: "senior",
  普通高中: "senior",
  九年一贯制: "nine-year",
  九年一贯制学校: "nine-year",
  十二年一贯制: "twelve-year",
  十二年一贯制学校: "twelve-year",
  完全中学: "complete-secondary",
  教学点: "teaching-point"
}
const tierZh = Object.fromEntries(Geography.tiers.map((t) => [Geography.tierLabels[t].zh, t]))
const levelZh = Object.fromEntries(School.levels.map((l) => [School.levelLabels[l].zh, l]))

type Read = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string }
const ok = (value: unknown): Read => ({ ok: true, value })
const bad = (message: string): Read => ({ ok: false, message })

/** A cell read as a column's kind: its value, undefined for a blank cell, or what was expected and found. */
const readCell = (kind: Kind, c: Cell): Read => {
  if (isBlank(c)) return ok(undefined)
  const cell = c as Exclude<Cell, null>
  switch (kind) {
    case "any":
      return ok(cell)
    case "id":
    case "tier":
    case "type":
    case "level": {
      const expected = { id: "an id (text)", tier: "a tier", type: "a school type", level: "a level" }[kind]
      if (typeof cell === "number" && Number.isSafeInteger(cell) && cell >= 0) return ok(String(cell))
      if (typeof cell !== "string") return bad(`expected ${expected}, found ${found(cell)}`)
      const text = cell.trim()
      if (kind === "tier") return ok(tierZh[text] ?? text)
      if (kind === "type") return ok(typeZh[text] ?? text)
      if (kind === "level") return ok(levelZh[text] ?? text)
      return ok(text)
    }
    case "text":
      return typeof cell === "string" ? ok(cell) : typeof cell === "number" ? ok(String(cell)) : bad(`expected text, found ${found(cell)}`)
    case "int":
    case "number": {
      const what = kind === "int" ? "a whole number" : "a number"
      if (typeof cell !== "number") return bad(`expected ${what}, found ${found(cell)}`)
      if (!Number.isFinite(cell)) return bad(`expected ${what}, found ${cell}`)
      if (kind === "int" && !Number.isInteger(cell)) return bad(`expected ${what}, found ${cell}`)
      return ok(cell)
    }
    case "year": {
      if (typeof cell === "number" && Number.isInteger(cell) && cell >= 1949 && cell <= 2200) return ok(cell)
      if (cell instanceof Date)
        return bad(`expected a school year such as 2026, found ${found(cell)}: write the year as a number, not a date`)
      if (typeof cell === "number" && Number.isInteger(cell) && cell > 2200 && cell < 110_000)
        return bad(
          `expected a school year such as 2026, found ${cell}, a date's serial number (${serialDate(cell)}): write the year as a number`
        )
      return bad(`expected a school year such as 2026 (1949-2200), found ${found(cell)}`)
    }
    case "bool": {
      if (typeof cell === "boolean") return ok(cell)
      const t = String(cell).trim().toLowerCase()
      if (["是", "yes", "true", "y", "1"].includes(t)) return ok(true)
      if (["否", "no", "false", "n", "0"].includes(t)) return ok(false)
      return bad(`expected 是/否 (yes/no), found ${found(cell)}`)
    }
    case "json": {
      if (typeof cell !== "string") return ok(cell)
      try {
        return ok(JSON.parse(cell))
      } catch (e) {
        return bad(`expected JSON, found ${shown(cell)} (${(e as Error).message.split("\n")[0]})`)
      }
    }
    case "ids":
      if (typeof cell === "number" && Number.isSafeInteger(cell)) return ok([String(cell)])
      if (typeof cell !== "string") return bad(`expected ids separated by commas, found ${found(cell)}`)
      return ok(
        cell
          .split(/[,，、;；]/)
          .map((x) => x.trim())
          .filter((x) => x !== "")
      )
  }
}

// ------------------------------------------------------------------------------------------ reading

/** Where a scenario field came from: its sheet, cell and column. */
interface Origin {
  readonly sheet: string
  readonly cell: string
  readonly label: string
}

interface Row {
  readonly sheet: string
  /** 0-based row index. */
  readonly row: number
  readonly values: ReadonlyMap<string, unknown>
  /** Columns whose cell was reported and left out of `values` (the loader's "is missing" for them is that cell's). */
  readonly bad?: ReadonlySet<string>
  /** Where each column is, for messages. */
  readonly at: (key: string) => Origin
}

const setPath = (target: Record<string, unknown>, dotted: string, value: unknown): void => {
  const keys = dotted.split(".")
  let o = target
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>
  o[keys[keys.length - 1]] = value
}

/** The fields of a row as a nested object (`teachers.byAge.55+` → `{ teachers: { byAge: { "55+": … } } }`). */
const nested = (row: Row, prefix = ""): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of row.values) if (v !== undefined && k.startsWith(prefix)) setPath(out, k.slice(prefix.length), v)
  return out
}

/** The sheet of the workbook a spec names: by its full name, its Chinese or its English word. */
const matches = (spec: SheetSpec, name: string): boolean => {
  const n = name.trim().toLowerCase()
  return n === spec.name.toLowerCase() || n === spec.zh || n === spec.en.toLowerCase()
}

/** Reads one sheet's data rows by its header, reporting unknown and missing columns, merged cells and bad cells. */
const readSheet = (spec: SheetSpec, data: Sheet, problems: Array<Problem>): ReadonlyArray<Row> => {
  const at = (row: number, column: number, label?: string): Problem & Origin => ({
    sheet: data.name,
    cell: address(row, column),
    label: label ?? "",
    message: ""
  })
  for (const m of data.merges)
    problems.push({
      sheet: data.name,
      cell: m.split(":")[0],
      message: `merged cells ${m}: expected one value in each cell; unmerge them and fill each cell`
    })
  const zhRow = data.rows[0] ?? []
  const enRow = data.rows[1] ?? []
  const columnAt = new Map<number, Column>()
  const width = Math.max(zhRow.length, enRow.length)
  for (let c = 0; c < width; c++) {
    const en = typeof enRow[c] === "string" ? (enRow[c] as string).trim().toLowerCase() : ""
    const zh = typeof zhRow[c] === "string" ? (zhRow[c] as string).trim() : ""
    if (en === "" && zh === "") continue
    const column = spec.columns.find(
      (k) => headerEn(k).toLowerCase() === en || k.en.toLowerCase() === en || (en === "" && (headerZh(k) === zh || k.zh === zh))
    )
    if (column === undefined) {
      problems.push({
        sheet: data.name,
        cell: address(1, c),
        message: `unknown column ${shown(enRow[c] ?? zhRow[c] ?? "")}: expected one of ${spec.columns.map((k) => headerEn(k)).join(", ")} in row 2`
      })
      continue
    }
    const twice = [...columnAt].find(([, k]) => k === column)
    if (twice !== undefined) {
      problems.push({
        ...at(1, c),
        label: labelOf(column),
        message: `the column is there twice, first at ${address(1, twice[0])}: expected it once`
      })
      continue
    }
    columnAt.set(c, column)
  }
  // every column must be there, a value needed or not: a column deleted in Excel would lose its values
  // silently (a school's beds read as none); a column kept and left blank says "none" on purpose
  const present = new Set(columnAt.values())
  for (const k of spec.columns)
    if (!present.has(k))
      problems.push({
        sheet: data.name,
        cell: "A2",
        label: labelOf(k),
        message: `expected a column headed ${shown(headerEn(k))} (row 2) or ${shown(headerZh(k))} (row 1), found none${
          k.required === true ? "" : " (its cells may be left blank, but the column must stay: a deleted column's values would be lost)"
        }`
      })
  const where = new Map([...columnAt].map(([c, k]) => [k.key, c]))
  const rows: Array<Row> = []
  for (let r = 2; r < data.rows.length; r++) {
    const cells = data.rows[r]
    if (cells.every((c) => isBlank(c))) continue // a blank row between the records is skipped
    // a bad cell is left out of its record (and reported): the rest of the record is still checked
    const values = new Map<string, unknown>()
    const bad = new Set<string>()
    for (const [c, k] of columnAt) {
      const read = readCell(k.kind, cells[c] ?? null)
      if (!read.ok) {
        problems.push({ ...at(r, c), label: labelOf(k), message: read.message })
        bad.add(k.key)
      } else if (read.value === undefined && k.required === true && spec.columns !== sheets.scenario.columns) {
        problems.push({ ...at(r, c), label: labelOf(k), message: `expected ${expectedOf(k)}, found an empty cell` })
        bad.add(k.key)
      } else values.set(k.key, read.value)
    }
    rows.push({
      sheet: data.name,
      row: r,
      values,
      bad,
      at: (key) => {
        const c = where.get(key) ?? 0
        const k = columnAt.get(c)
        return { sheet: data.name, cell: address(r, c), label: k === undefined ? "" : labelOf(k) }
      }
    })
  }
  return rows
}

const expectedOf = (k: Column): string =>
  ({
    id: "an id",
    text: "text",
    int: "a whole number",
    number: "a number",
    year: "a school year such as 2026",
    bool: "是/否 (yes/no)",
    json: "JSON",
    any: "a value",
    ids: "ids",
    tier: "a tier (county-seat, township, village)",
    type: "a school type",
    level: "a level"
  })[k.kind]

/** The scenario's own fields from the key/value sheet. */
const readScenarioSheet = (data: Sheet, rows: ReadonlyArray<Row>, origins: Map<string, Origin>, problems: Array<Problem>) => {
  const out: Record<string, unknown> = {}
  for (const row of rows) {
    const key = row.values.get("field")
    const raw = (row.values.get("value") ?? null) as Cell
    const field = scenarioFields.find(
      (f) => typeof key === "string" && (f.key === key.trim() || f.en === key.trim() || f.zh === key.trim())
    )
    const here = { sheet: data.name, cell: row.at("value").cell }
    if (field === undefined) {
      problems.push({
        sheet: data.name,
        cell: row.at("field").cell,
        label: labelOf(sheets.scenario.columns[0]),
        message: `expected one of ${scenarioFields.map((f) => f.key).join(", ")}, found ${shown(typeof key === "string" ? key : "")}`
      })
      continue
    }
    const read = readCell(field.kind, raw)
    if (!read.ok) {
      problems.push({ ...here, label: labelOf(field), message: read.message })
      continue
    }
    if (read.value === undefined) continue
    out[field.key] = read.value
    origins.set(field.key, { ...here, label: labelOf(field) })
  }
  for (const f of scenarioFields)
    if (f.required === true && out[f.key] === undefined && !problems.some((p) => p.label === labelOf(f)))
      problems.push({
        sheet: data.name,
        cell: "A3",
        label: labelOf(f),
        message: `expected a row ${f.key} with ${expectedOf(f)}, found none`
      })
  return out
}

/** Records where each field of an object made from a row came from. */
const originsOf = (
  row: Row,
  path: string,
  origins: Map<string, Origin>,
  keys: Iterable<string>,
  rename: (k: string) => string = (k) => k
) => {
  origins.set(path, row.at([...keys][0] ?? ""))
  for (const k of keys) origins.set(`${path}.${rename(k)}`, row.at(k))
  // a cell reported and left out: the loader's "is missing" for its field is located there (and not repeated),
  // not at the record's first cell ("学校代码 (school id): is missing" beside a seats cell stored as text)
  for (const k of row.bad ?? []) if (!origins.has(`${path}.${rename(k)}`)) origins.set(`${path}.${rename(k)}`, row.at(k))
}

const classroomsByGrade = (text: unknown, origin: Origin, problems: Array<Problem>): Record<string, number> | undefined => {
  if (typeof text !== "string") return undefined
  const out: Record<string, number> = {}
  for (const part of text
    .split(/[,，;；]/)
    .map((x) => x.trim())
    .filter((x) => x !== "")) {
    const m = /^(-?\d+)\s*[:：]\s*(\d+)$/.exec(part)
    if (m === null) {
      problems.push({ ...origin, message: `expected grade:rooms pairs such as "1:2, 2:2", found ${shown(part)}` })
      return undefined
    }
    out[m[1]] = Number(m[2])
  }
  return out
}

const schoolOf = (row: Row, path: string, origins: Map<string, Origin>, problems: Array<Problem>): Record<string, unknown> => {
  const o = nested(row)
  delete o.variant
  const fields = [...row.values].filter(([k, v]) => v !== undefined && k !== "variant").map(([k]) => k)
  originsOf(row, path, origins, ["id", ...fields])
  if (o.classroomsByGrade !== undefined) o.classroomsByGrade = classroomsByGrade(o.classroomsByGrade, row.at("classroomsByGrade"), problems)
  if (o.teachers !== undefined && (o.teachers as Record<string, unknown>).total === undefined)
    problems.push({
      ...row.at("teachers.total"),
      message: "expected the number of teachers when teachers by age or category are given, found an empty cell"
    })
  return o
}

const settlementOf = (row: Row, path: string, origins: Map<string, Origin>): Record<string, unknown> => {
  const o = nested(row)
  delete o.variant
  originsOf(row, path, origins, ["id", ...[...row.values].filter(([k, v]) => v !== undefined && k !== "variant").map(([k]) => k)])
  return o
}

export interface Imported {
  /** The scenario as a file holds it (fields in the scenario file's order). */
  readonly scenario: Record<string, unknown>
  /** The scenario as YAML, the text `seatplan import` writes. */
  readonly yaml: string
  /** The loaded scenario: validated, its streams decided. */
  readonly loaded: ScenarioLoader.Loaded
}

/**
 * A workbook turned into a scenario and validated by the loader (`file` names the workbook in messages,
 * `out` the scenario file the YAML is for, which the loader reads named files beside). Fails with every
 * problem at once, located at sheet and cell.
 */
export const toScenario = (
  data: ReadonlyArray<Sheet>,
  file: string,
  out = "scenario.yaml",
  read?: ScenarioLoader.Reader
): Either.Either<Imported, WorkbookError> => {
  const problems: Array<Problem> = []
  const origins = new Map<string, Origin>()
  const found = new Map<SheetKey, { data: Sheet; rows: ReadonlyArray<Row> }>()
  for (const d of data) {
    const key = sheetKeys.find((k) => matches(sheets[k], d.name))
    if (key === undefined) {
      problems.push({
        sheet: d.name,
        cell: "A1",
        message: `unknown sheet ${shown(d.name)}: expected one of ${sheetKeys.map((k) => shown(sheets[k].name)).join(", ")}`
      })
      continue
    }
    if (found.has(key)) {
      problems.push({
        sheet: d.name,
        cell: "A1",
        message: `a second ${sheets[key].name} sheet (the first is ${shown(found.get(key)!.data.name)}): expected one`
      })
      continue
    }
    found.set(key, { data: d, rows: key === "notes" ? [] : readSheet(sheets[key], d, problems) })
  }
  // every sheet but the notes must be there, empty or not: a sheet deleted in Excel (the population) would
  // import as a region without it and project nobody
  for (const k of sheetKeys)
    if (k !== "notes" && !found.has(k))
      problems.push({
        message: `expected a sheet named ${shown(sheets[k].name)}, found ${data.map((d) => shown(d.name)).join(", ") || "no sheets"}${
          sheets[k].required ? "" : " (it may hold no rows, but must stay: a deleted sheet's records would be lost)"
        }`
      })
  const rows = (k: SheetKey) => found.get(k)?.rows ?? []
  const scenarioSheet = found.get("scenario")
  const head = scenarioSheet === undefined ? {} : readScenarioSheet(scenarioSheet.data, scenarioSheet.rows, origins, problems)

  // the region and planned records
  const settlements: Array<unknown> = []
  const plannedSettlements = new Map<string, Row>()
  for (const row of rows("settlements")) {
    const v = row.values.get("variant") as string | undefined
    if (v !== undefined) plannedSettlements.set(`${v}|${row.values.get("id")}`, row)
    else settlements.push(settlementOf(row, `settlements[${settlements.length}]`, origins))
  }
  const schools: Array<unknown> = []
  const plannedSchools = new Map<string, Row>()
  for (const row of rows("schools")) {
    const v = row.values.get("variant") as string | undefined
    if (v !== undefined) {
      const key = `${v}|${row.values.get("id")}`
      if (plannedSchools.has(key))
        problems.push({
          ...row.at("id"),
          message: `duplicate school id ${shown(String(row.values.get("id")))} planned in variant ${shown(v)}, first at ${plannedSchools.get(key)!.at("id").cell}`
        })
      plannedSchools.set(key, row)
    } else schools.push(schoolOf(row, `schools[${schools.length}]`, origins, problems))
  }
  const population: Array<unknown> = []
  const earlier: Array<unknown> = []
  for (const row of rows("population")) {
    const byAge: Array<number> = []
    let last = -1
    for (let a = 0; a < 19; a++) if (row.values.get(`byAge.${a}`) !== undefined) last = a
    for (let a = 0; a <= last; a++) {
      const v = row.values.get(`byAge.${a}`)
      if (v === undefined)
        problems.push({
          ...row.at(`byAge.${a}`),
          message: "expected children of this age (0 if none) before older ages, found an empty cell"
        })
      byAge.push((v as number | undefined) ?? 0)
    }
    const year = row.values.get("year")
    const target = year === undefined ? population : earlier
    const path = year === undefined ? `population[${population.length}]` : `history.population[${earlier.length}]`
    originsOf(row, path, origins, ["settlement", "year"])
    for (let a = 0; a <= last; a++) origins.set(`${path}.byAge[${a}]`, row.at(`byAge.${a}`))
    target.push({ settlement: row.values.get("settlement"), ...(year === undefined ? {} : { year }), byAge })
  }
  const births = rows("births").map((row, i) => {
    originsOf(row, `history.births[${i}]`, origins, ["settlement", "year", "births"])
    return nested(row)
  })
  const enrolment = rows("enrolment").map((row, i) => {
    const path = `history.enrolment[${i}]`
    originsOf(row, path, origins, ["school", "year"])
    for (const g of grades) origins.set(`${path}.byGrade.${g}`, row.at(`byGrade.${g}`))
    origins.set(`${path}.byGrade`, row.at("school"))
    const o = nested(row)
    return { school: o.school, year: o.year, byGrade: o.byGrade ?? {} }
  })
  const migration = rows("migration").map((row, i) => {
    originsOf(row, `history.migration[${i}]`, origins, ["year", "from", "to", "ages.min", "ages.max", "count", "migrant"], (k) =>
      k.replace("ages.", "ages.")
    )
    return nested(row)
  })
  const catchments: Record<string, Record<string, string>> = {}
  const splits: Record<string, Record<string, { school: unknown; share: unknown }>> = {}
  const seen = new Map<string, string>()
  for (const row of rows("catchments")) {
    const s = row.values.get("settlement") as string | undefined
    if (s === undefined) continue
    if (seen.has(s)) {
      problems.push({
        ...row.at("settlement"),
        message: `duplicate settlement id ${shown(s)}, first at ${seen.get(s)}: expected one row per settlement`
      })
      continue
    }
    seen.set(s, row.at("settlement").cell)
    for (const l of School.levels) {
      const school = row.values.get(l)
      if (school !== undefined) {
        ;(catchments[l] ??= {})[s] = school as string
        origins.set(`catchments.${l}.${s}`, row.at(l))
      }
      const second = row.values.get(`split.${l}`)
      const share = row.values.get(`share.${l}`)
      if (second === undefined && share === undefined) continue
      ;(splits[l] ??= {})[s] = { school: second, share }
      origins.set(`splits.${l}.${s}`, row.at(second === undefined ? `split.${l}` : `share.${l}`))
      origins.set(`splits.${l}.${s}.school`, row.at(`split.${l}`))
      origins.set(`splits.${l}.${s}.share`, row.at(`share.${l}`))
    }
  }

  // variants and their steps
  const variants: Array<Record<string, unknown> & { events: Array<unknown> }> = []
  const variantIndex = new Map<string, number>()
  for (const row of rows("variants")) {
    const name = row.values.get("name") as string
    const path = `variants[${variants.length}]`
    originsOf(row, path, origins, ["name", "description", "extends", "strategies"])
    if (!variantIndex.has(name)) variantIndex.set(name, variants.length)
    variants.push({ ...nested(row), events: [] })
  }
  const opened = new Set<string>()
  for (const row of rows("steps")) {
    const name = row.values.get("variant") as string | undefined
    if (name === undefined) continue
    const vi = variantIndex.get(name)
    if (vi === undefined) {
      problems.push({
        ...row.at("variant"),
        message: `expected a variant of the ${sheets.variants.name} sheet (${[...variantIndex.keys()].map((v) => shown(v)).join(", ") || "none"}), found ${shown(name)}`
      })
      continue
    }
    const v = variants[vi]
    const path = `variants[${vi}].events[${v.events.length}]`
    const o = nested(row)
    delete o.variant
    const { change, ...fields } = o as Record<string, unknown> & { change?: Record<string, unknown> }
    const step: Record<string, unknown> = { ...fields, ...(change ?? {}) }
    // a group formed by its lead alone: its blank members cell is no member
    if (step.type === "form-group" && step.members === undefined) step.members = []
    originsOf(
      row,
      path,
      origins,
      [...row.values].filter(([k, x]) => x !== undefined && k !== "variant").map(([k]) => k),
      (k) => k.replace(/^change\./, "")
    )
    for (const [k, x] of row.values)
      if ((k === "schools" || k === "members") && Array.isArray(x)) x.forEach((_, i) => origins.set(`${path}.${k}[${i}]`, row.at(k)))
    if (step.type === "open" || step.type === "settlement") {
      const field = step.type === "open" ? "school" : "settlement"
      const id = step[field]
      const planned = (step.type === "open" ? plannedSchools : plannedSettlements).get(`${name}|${id}`)
      if (planned === undefined) {
        problems.push({
          ...row.at(field),
          message: `expected a ${field} of the ${(step.type === "open" ? sheets.schools : sheets.settlements).name} sheet planned in variant ${shown(name)} (its row says so in the last column), found ${id === undefined ? "an empty cell" : shown(String(id))}`
        })
        continue
      }
      opened.add(`${field}|${name}|${id}`)
      step[field] =
        field === "school" ? schoolOf(planned, `${path}.school`, origins, problems) : settlementOf(planned, `${path}.settlement`, origins)
    }
    v.events.push(step)
  }
  for (const [key, row] of plannedSchools)
    if (!opened.has(`school|${key}`))
      problems.push({
        ...row.at("variant"),
        message: `a school planned in variant ${shown(key.split("|")[0])} that no open step of the ${sheets.steps.name} sheet opens: expected an open step for it, or a blank cell`
      })
  for (const [key, row] of plannedSettlements)
    if (!opened.has(`settlement|${key}`))
      problems.push({
        ...row.at("variant"),
        message: `a settlement planned in variant ${shown(key.split("|")[0])} that no settlement step of the ${sheets.steps.name} sheet adds: expected a settlement step for it, or a blank cell`
      })

  // ids that name no row of the schools or settlements sheet (planned rows included: the loader checks the years)
  const ids = (k: "schools" | "settlements") => new Set(rows(k).map((r) => String(r.values.get("id"))))
  const known = { school: ids("schools"), settlement: ids("settlements") }
  const sheetOf = { school: sheets.schools.name, settlement: sheets.settlements.name }
  const refer = (row: Row, key: string, what: "school" | "settlement", value = row.values.get(key)) => {
    if (value === undefined || known[what].size === 0) return
    for (const id of Array.isArray(value) ? value.map(String) : [String(value)])
      if (!known[what].has(id))
        problems.push({ ...row.at(key), message: `expected a ${what} id of the ${sheetOf[what]} sheet, found ${shown(id)}` })
  }
  for (const row of rows("schools")) refer(row, "settlement", "settlement")
  for (const row of rows("enrolment")) refer(row, "school", "school")
  for (const row of rows("births")) refer(row, "settlement", "settlement")
  for (const row of rows("population")) refer(row, "settlement", "settlement")
  for (const row of rows("migration")) for (const k of ["from", "to"]) if (row.values.get(k) !== "outside") refer(row, k, "settlement")
  for (const row of rows("catchments")) {
    refer(row, "settlement", "settlement")
    for (const l of School.levels) {
      refer(row, l, "school")
      refer(row, `split.${l}`, "school")
    }
  }
  for (const row of rows("steps")) {
    const type = row.values.get("type")
    if (type !== "open") refer(row, "school", "school")
    for (const k of ["into", "from", "schools", "lead", "members"]) refer(row, k, "school")
    if (type !== "settlement") refer(row, "settlement", "settlement")
  }

  const history = {
    ...(births.length > 0 ? { births } : {}),
    ...(enrolment.length > 0 ? { enrolment } : {}),
    ...(migration.length > 0 ? { migration } : {}),
    ...(earlier.length > 0 ? { population: earlier } : {})
  }
  const { name, synthetic, description, baseYear, horizon, ...rest } = head
  const scenario: Record<string, unknown> = {
    name,
    ...(synthetic === undefined ? {} : { synthetic }),
    ...(description === undefined ? {} : { description }),
    baseYear,
    ...(horizon === undefined ? {} : { horizon }),
    settlements,
    population,
    schools,
    catchments,
    ...(Object.keys(splits).length > 0 ? { splits } : {}),
    ...(Object.keys(history).length > 0 ? { history } : {}),
    ...rest,
    variants
  }
  const yaml = stringify(scenario, { lineWidth: 0, aliasDuplicateObjects: false })
  // without the scenario's name, base year or schools the loader would only repeat what is reported
  const loadable = head.name !== undefined && head.baseYear !== undefined && found.has("schools")
  const loaded = loadable
    ? ScenarioLoader.fromText(yaml, out, read)
    : Either.left(new ScenarioLoader.ScenarioError({ file: out, problems: [] }))
  if (problems.length === 0 && Either.isRight(loaded)) return Either.right({ scenario, yaml, loaded: loaded.right })
  // the loader's problems too (duplicate and unknown ids, steps refused), except at cells already reported
  const reported = new Set(problems.map((p) => `${p.sheet}!${p.cell}`))
  const all = [...problems, ...(Either.isLeft(loaded) ? loaded.left.problems.map((p) => locate(p, origins)) : [])]
  const lines = new Set<string>()
  const unique = all.filter((p, i) => {
    const line = `${p.sheet}!${p.cell}: ${p.label}: ${p.message}`
    if (lines.has(line) || (i >= problems.length && reported.has(`${p.sheet}!${p.cell}`))) return false
    lines.add(line)
    return true
  })
  return Either.left(new WorkbookError({ file, problems: unique }))
}

/** A loader's message with the scenario paths it names (`first used at schools[0]`) as the cells they came from (`学校 schools!A3`). */
const atCells = (message: string, origins: ReadonlyMap<string, Origin>): string =>
  message.replace(/\b[A-Za-z][\w.]*(?:\[\d+\][\w.]*)+/g, (path) => {
    const o = origins.get(path.replace(/\.$/, ""))
    return o === undefined ? path : `${o.sheet}!${o.cell}`
  })

/** A loader's problem at the cell its field came from: the longest known prefix of its path. */
const locate = (p: ScenarioLoader.Located, origins: ReadonlyMap<string, Origin>): Problem => {
  for (let path = p.path; path !== ""; path = path.replace(/(\.[^.[\]]*|\[\d+\])$/, "")) {
    const o = origins.get(path)
    if (o !== undefined)
      return { sheet: o.sheet, cell: o.cell, ...(o.label === "" ? {} : { label: o.label }), message: atCells(p.message, origins) }
    if (!/(\.[^.[\]]*|\[\d+\])$/.test(path)) break
  }
  return { message: `${p.path === "" ? "" : `${p.path}: `}${p.message}` }
}

// ------------------------------------------------------------------------------------------ writing

const header = (spec: SheetSpec): ReadonlyArray<ReadonlyArray<Cell>> => [spec.columns.map(headerZh), spec.columns.map(headerEn)]

const get = (o: unknown, dotted: string): unknown =>
  dotted.split(".").reduce<unknown>((x, k) => (x === null || typeof x !== "object" ? undefined : (x as Record<string, unknown>)[k]), o)

const cellOf = (kind: Kind, v: unknown): Cell => {
  if (v === undefined || v === null) return null
  if (kind === "json") return JSON.stringify(v)
  if (kind === "ids") return (v as ReadonlyArray<string>).join(", ")
  return v as Cell
}

const rowOf = (spec: SheetSpec, o: unknown, extra: Record<string, Cell> = {}): ReadonlyArray<Cell> =>
  spec.columns.map((c) => (c.key in extra ? extra[c.key] : cellOf(c.kind, get(o, c.key))))

const schoolRow = (s: Record<string, unknown>, variant?: string): ReadonlyArray<Cell> =>
  rowOf(sheets.schools, s, {
    classroomsByGrade:
      s.classroomsByGrade === undefined
        ? null
        : Object.entries(s.classroomsByGrade as Record<string, number>)
            .map(([g, n]) => `${g}:${n}`)
            .join(", "),
    variant: variant ?? null
  })

const notes: ReadonlyArray<ReadonlyArray<Cell>> = [
  ["seatplan 数据模板 / data template"],
  ["每张表第1行为中文表头、第2行为英文表头（导入时按第2行识别列），从第3行起每行一条记录；空行会被跳过。"],
  [
    "Row 1 of each sheet is the Chinese header, row 2 the English one (import reads the columns by row 2); records start in row 3; blank rows are skipped."
  ],
  ["数字请以数值格式填写（不要以文本存储），年份写作 2026，不要用日期格式；不要合并单元格。"],
  ["Numbers as numbers (not text), years as 2026 (not dates), no merged cells."],
  [
    "学段类型 type: kindergarten 幼儿园, primary 小学, junior 初中, senior 高中, nine-year 九年一贯制, twelve-year 十二年一贯制, complete-secondary 完全中学, teaching-point 教学点"
  ],
  ["层级 tier: county-seat 县城, township 乡镇, village 村"],
  [
    "方案步骤 step: open, expand, merge, close, repurpose, convert, catchment (share: 学区划分 by street), boarding, hire, retire, transfer, housing, settlement, standard, form-group, join-group, leave-group, dissolve-group, rotate, exchange (县域内交流: school and partner), invest (the added facility columns) (scenarios/README.md)"
  ],
  ["新建学校（open）与新增居民点（settlement）：在学校/居民点表中填一行，最后一列填方案名称；步骤表中该行的学校代码/居民点代码指向它。"],
  [
    "A school an open step builds (or a settlement a settlement step adds) is a row of the schools (settlements) sheet whose last column names the variant."
  ],
  ["seatplan import WORKBOOK.xlsx --out scenario.yaml"]
]

/**
 * A scenario as workbook sheets (the inverse of `toScenario`): every record a row, planned schools and
 * settlements rows of their sheets marked with their variant.
 */
export const fromScenario = (s: ScenarioFile): ReadonlyArray<Sheet> => {
  const sheet = (key: SheetKey, rows: ReadonlyArray<ReadonlyArray<Cell>>): Sheet => ({
    name: sheets[key].name,
    rows: key === "notes" ? rows : [...header(sheets[key]), ...rows],
    merges: []
  })
  const head = s as unknown as Record<string, unknown>
  const plannedSchools: Array<ReadonlyArray<Cell>> = []
  const plannedSettlements: Array<ReadonlyArray<Cell>> = []
  const steps: Array<ReadonlyArray<Cell>> = []
  for (const v of s.variants) {
    for (const e of v.events) {
      const fields: Record<string, unknown> = { ...e }
      if (e.type === "open") {
        plannedSchools.push(schoolRow(e.school as unknown as Record<string, unknown>, v.name))
        fields.school = e.school.id
      }
      if (e.type === "settlement") {
        plannedSettlements.push(rowOf(sheets.settlements, e.settlement, { variant: v.name }))
        fields.settlement = e.settlement.id
      }
      // an expansion's and an investment's facility fields share the steps sheet's "added …" columns
      if (e.type === "expand" || e.type === "invest") {
        for (const f of School.facilityFields) {
          if (fields[f] !== undefined) fields.change = { ...(fields.change as object), [f]: fields[f] }
          delete fields[f]
        }
      }
      steps.push(rowOf(sheets.steps, { ...fields, variant: v.name }))
    }
  }
  const settlementsByCatchment = [
    ...new Set(School.levels.flatMap((l) => [...Object.keys(s.catchments[l] ?? {}), ...Object.keys(s.splits?.[l] ?? {})]))
  ]
  return [
    sheet("notes", notes),
    sheet(
      "scenario",
      scenarioFields.map((f) => [f.key, cellOf(f.kind, head[f.key])])
    ),
    sheet("settlements", [...s.settlements.map((x) => rowOf(sheets.settlements, x)), ...plannedSettlements]),
    sheet("schools", [...s.schools.map((x) => schoolRow(x as unknown as Record<string, unknown>)), ...plannedSchools]),
    sheet(
      "enrolment",
      (s.history?.enrolment ?? []).map((e) => rowOf(sheets.enrolment, e))
    ),
    sheet(
      "births",
      (s.history?.births ?? []).map((b) => rowOf(sheets.births, b))
    ),
    sheet("population", [
      ...s.population.map((p) => rowOf(sheets.population, { settlement: p.settlement, byAge: { ...p.byAge } })),
      ...(s.history?.population ?? []).map((p) => rowOf(sheets.population, { ...p, byAge: { ...p.byAge } }))
    ]),
    sheet(
      "migration",
      (s.history?.migration ?? []).map((m) => rowOf(sheets.migration, m))
    ),
    sheet(
      "catchments",
      settlementsByCatchment.map((id) =>
        rowOf(sheets.catchments, {
          settlement: id,
          ...Object.fromEntries(School.levels.map((l) => [l, s.catchments[l]?.[id]])),
          split: Object.fromEntries(School.levels.map((l) => [l, s.splits?.[l]?.[id]?.school])),
          share: Object.fromEntries(School.levels.map((l) => [l, s.splits?.[l]?.[id]?.share]))
        })
      )
    ),
    sheet(
      "variants",
      s.variants.map((v) => rowOf(sheets.variants, v))
    ),
    sheet("steps", steps)
  ]
}

/**
 * The template (数据模板): one filled example row in each sheet, together a small scenario that imports and
 * validates, to overwrite with a county's own records.
 */
export const template: ScenarioFile = {
  name: "示例县（模板） Example county (template)",
  synthetic: true,
  description: "模板示例：请替换为本县数据 / a template example: replace with the county's records",
  baseYear: 2025,
  horizon: 10,
  settlements: [{ id: "CS", name: "城关镇", tier: "county-seat", lon: 112.5, lat: 28.2 }],
  population: [
    { settlement: "CS", byAge: [310, 320, 330, 340, 350, 360, 370, 380, 390, 400, 410, 420, 410, 400, 390, 380, 370, 360, 350] }
  ],
  schools: [
    {
      id: "4301000001",
      name: "城关第一小学",
      type: "primary",
      settlement: "CS",
      classrooms: 36,
      seats: 1620,
      boardingBeds: 0,
      floorArea: 9800,
      sportsArea: 12000,
      equipmentValue: 3_600_000,
      multimediaRooms: 36,
      musicRooms: 2,
      artRooms: 2,
      teachers: {
        total: 96,
        byAge: { "under-30": 18, "30-39": 26, "40-49": 28, "50-54": 14, "55+": 10 },
        aboveDegree: 80,
        backbone: 12,
        peArts: 14,
        mentalHealth: 1
      }
    }
  ],
  catchments: { primary: { CS: "4301000001" } },
  history: {
    births: [{ settlement: "CS", year: 2024, births: 310 }],
    enrolment: [{ school: "4301000001", year: 2025, byGrade: { "1": 260, "2": 265, "3": 270, "4": 268, "5": 262, "6": 255 } }],
    migration: [{ year: 2024, from: "outside", to: "CS", ages: { min: 6, max: 11 }, count: 20 }]
  },
  variants: [
    {
      name: "expand",
      description: "扩建城关第一小学 / expand the first primary school",
      events: [{ type: "expand", year: 2027, school: "4301000001", classrooms: 6, seats: 270, cost: 12_000_000 }]
    }
  ]
}
