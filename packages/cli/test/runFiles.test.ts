/**
 * What `seatplan run` writes for spreadsheets and data tools: seatplan.xlsx read back with exceljs and
 * compared with the CSV, CSV with a byte-order mark for Excel, Parquet read back with hyparquet.
 */
import { assert, describe, it } from "@effect/vitest"
import { Columns } from "@seatplan/sim"
import ExcelJS from "exceljs"
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Tabular from "../src/Tabular.js"
import { csvRecords, seatplan, temp } from "./seatplan.js"

/** RFC 4180 CSV (quotes, doubled quotes, commas and line ends inside quotes), as text cells. */
const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let cell = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ",") {
      row.push(cell)
      cell = ""
    } else if (c === "\n") {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ""
    } else cell += c
  }
  return rows
}

const readCsv = (file: string) => {
  const text = fs.readFileSync(file, "utf8")
  const rows = parseCsv(text.replace(/^\uFEFF/, ""))
  return { header: rows[0], rows: rows.slice(1) }
}

const bomOf = (file: string) =>
  fs
    .readFileSync(file)
    .subarray(0, 3)
    .equals(Buffer.from([0xef, 0xbb, 0xbf]))

/** Whether a column counts people or things shown whole (rounded in the workbook), from the registry. */
const wholeKeys = (table: Columns.Table) =>
  new Set(
    Columns.of(table)
      .filter(
        (c) =>
          c.type === "number" &&
          (c.wholePupils ||
            [
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
            ].includes(c.unit as never))
      )
      .map((c) => c.id)
  )

/** A CSV cell and a cell read back agree: numbers to the CSV's 6 decimals (whole ones rounded), text and yes/no as written. */
const same = (csv: string, value: unknown, whole: boolean): boolean => {
  if (typeof value === "number") {
    const n = Number(csv)
    return whole ? value === Math.round(n) : Math.abs(value - n) <= 1e-6 * Math.max(1, Math.abs(n))
  }
  if (typeof value === "boolean") return String(value) === csv
  if (value === null || value === undefined) return csv === ""
  return String(value) === csv.replace(/^'(?=[=+\-@\t\r])/, "")
}

describe("seatplan run: workbook, CSV for Excel, Parquet", () => {
  const zh = temp("seatplan-files-")

  it("seatplan.xlsx: summary, compare and accounts first, Chinese headers with units, frozen, formats, values equal the CSV", async () => {
    const r = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--lang", "zh", "--years", "2024..2027", "--out", zh, "--quiet"])
    assert.strictEqual(r.status, 0, r.stderr)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(path.join(zh, "seatplan.xlsx"))
    const names = wb.worksheets.map((w) => w.name)
    assert.deepStrictEqual(names.slice(0, 3), ["概要 summary", "方案比较 compare", "六笔账 accounts"])
    for (const n of ["学校 schools", "全县 county", "学区 catchments", "人口 population", "达标 standards"]) assert.include(names, n)
    const schools = wb.getWorksheet("学校 schools")!
    assert.deepInclude(schools.views[0], { state: "frozen", ySplit: 2 })
    const zhHeaders = (schools.getRow(1).values as Array<unknown>).slice(1).map(String)
    const pupils = Columns.get("schools", "pupils")!
    assert.include(zhHeaders, `${Columns.label(pupils, "zh")}（人）`)
    assert.include(zhHeaders, `${Columns.label(Columns.get("schools", "seats")!, "zh")}（个）`)
    const keys = (schools.getRow(2).values as Array<unknown>).slice(1).map(String)
    assert.strictEqual(schools.getColumn(keys.indexOf("pupils") + 1).numFmt, "#,##0")
    // every table's sheet equals its CSV, whole numbers rounded
    for (const [sheet, table] of [
      ["学校 schools", "schools"],
      ["全县 county", "county"],
      ["学区 catchments", "catchments"],
      ["人口 population", "population"]
    ] as const) {
      const csv = readCsv(path.join(zh, `${table}.csv`))
      const ws = wb.getWorksheet(sheet)!
      assert.deepStrictEqual((ws.getRow(2).values as Array<unknown>).slice(1), csv.header, sheet)
      assert.strictEqual(ws.rowCount - 2, csv.rows.length, sheet)
      const whole = wholeKeys(table)
      let rounded = 0
      csv.rows.forEach((row, i) => {
        const cells = ws.getRow(i + 3)
        row.forEach((text, c) => {
          const value = cells.getCell(c + 1).value
          const isWhole = whole.has(csv.header[c])
          if (isWhole && typeof value === "number") {
            assert.isTrue(Number.isInteger(value), `${sheet} ${csv.header[c]} row ${i + 3}: ${value}`)
            if (Number(text) !== value) rounded++
          }
          assert.isTrue(same(text, value, isWhole), `${sheet}!${csv.header[c]} row ${i + 3}: CSV ${text}, workbook ${String(value)}`)
        })
      })
      // the CSV is whole too (largest remainder, issue 13): the workbook shows exactly the CSV's numbers
      if (table === "schools") assert.strictEqual(rounded, 0, "the workbook's whole numbers are the CSV's")
    }
    // the accounts and the ledger count whole pupils, seats and teachers too (the registry's accounts and ledger tables)
    for (const [file, table] of [
      ["accounts.csv", "accounts"],
      ["accounts-ledger.csv", "ledger"]
    ] as const) {
      const csv = readCsv(path.join(zh, file))
      const whole = new Set(Columns.csvHeader(table).filter((k) => Tabular.fields([{ [k]: 1 }], table)[0]?.whole === true))
      assert.isAbove(whole.size, 3, file)
      for (const row of csv.rows)
        row.forEach((text, c) => {
          if (whole.has(csv.header[c])) assert.isTrue(Number.isInteger(Number(text)), `${file} ${csv.header[c]}: ${text} is whole`)
        })
    }
  })

  it("whole figures a planner can add up: a school's pupils over seats (idle seats, boarders without beds) are its row's; the county's, the compare sheet's, the accounts' and the report summary's are sums of the printed rows", async () => {
    const dir = temp("seatplan-whole-")
    const r = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--lang", "en", "--years", "2024..2030", "--out", dir, "--quiet"])
    assert.strictEqual(r.status, 0, r.stderr)
    const schools = readCsv(path.join(dir, "schools.csv"))
    const county = readCsv(path.join(dir, "county.csv"))
    const at = (t: { header: ReadonlyArray<string> }, row: ReadonlyArray<string>, k: string) => Number(row[t.header.indexOf(k)])
    const key = (t: { header: ReadonlyArray<string> }, row: ReadonlyArray<string>) =>
      ["variant", "year", "level"].map((k) => row[t.header.indexOf(k)]).join("|")
    const differences = [
      ["pupils_over_seats", "pupils", "seats"],
      ["idle_seats", "seats", "pupils"],
      ["boarding_bed_gap", "boarders", "beds"]
    ] as const
    const sums = new Map<string, Record<string, number>>()
    for (const row of schools.rows) {
      const sum = sums.get(key(schools, row)) ?? {}
      for (const [k, of, less] of differences) {
        assert.strictEqual(at(schools, row, k), Math.max(0, at(schools, row, of) - at(schools, row, less)), `${key(schools, row)} ${k}`)
        sum[k] = (sum[k] ?? 0) + at(schools, row, k)
      }
      sums.set(key(schools, row), sum)
    }
    assert.isAbove(county.rows.length, 8)
    // the county's children of a level's ages are what population.csv's ages add up to
    const population = readCsv(path.join(dir, "population.csv"))
    const levelOf = (age: number) =>
      age < 3 || age > 17 ? undefined : age < 6 ? "kindergarten" : age < 12 ? "primary" : age < 15 ? "junior" : "senior"
    const children = new Map<string, number>()
    for (const row of population.rows) {
      const level = levelOf(at(population, row, "age"))
      if (level === undefined) continue
      const k = `${row[population.header.indexOf("variant")]}|${row[population.header.indexOf("year")]}|${level}`
      children.set(k, (children.get(k) ?? 0) + at(population, row, "children"))
    }
    for (const row of county.rows)
      assert.strictEqual(at(county, row, "children"), children.get(key(county, row)), `children ${key(county, row)}`)
    for (const row of county.rows)
      for (const [k] of differences)
        assert.strictEqual(at(county, row, k), sums.get(key(county, row))?.[k] ?? 0, `county ${key(county, row)} ${k}`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(path.join(dir, "seatplan.xlsx"))
    const compare = wb.getWorksheet(Tabular.sheetName("compare", "en"))!
    const header = (compare.getRow(2).values as Array<unknown>).slice(1).map(String)
    let checked = 0
    compare.eachRow((r, i) => {
      if (i < 3) return
      const cells = (r.values as Array<unknown>).slice(1)
      const k = ["variant", "year", "level"].map((c) => String(cells[header.indexOf(c)])).join("|")
      for (const f of ["pupils_over_seats", "idle_seats"]) {
        assert.strictEqual(cells[header.indexOf(f)], sums.get(k)?.[f] ?? 0, `compare ${k} ${f}`)
        checked++
      }
      // its other county figures are county.csv's (a teacher gap of whole teachers), its area seats short the
      // seat-demand account's areas summed
      const mine = county.rows.find((row) => key(county, row) === k)!
      for (const f of ["pupils", "seats", "teacher_gap", "boarders", "large_classes"])
        assert.strictEqual(cells[header.indexOf(f)], at(county, mine, f), `compare ${k} ${f}`)
      const areas = readCsv(path.join(dir, "accounts-demand.csv"))
      assert.strictEqual(
        cells[header.indexOf("area_seats_short")],
        areas.rows.filter((row) => key(areas, row) === k).reduce((n, row) => n + at(areas, row, "area_seats_short"), 0),
        `compare ${k} area_seats_short`
      )
    })
    assert.isAbove(checked, 3)
    // the accounts people read are sums of the school rows printed beside them (the exact ones are in accounts.json)
    const accounts = readCsv(path.join(dir, "accounts.csv"))
    const last = String(Math.max(...schools.rows.map((row) => at(schools, row, "year"))))
    const cell = (row: ReadonlyArray<string>, k: string) => row[schools.header.indexOf(k)]
    const township = accounts.rows.find((row) => row[accounts.header.indexOf("variant")] === "township")!
    const ever = (status: (s: string) => boolean) =>
      new Set(
        schools.rows
          .filter((row) => cell(row, "variant") === "township" && status(cell(row, "status")))
          .map((row) => cell(row, "school_id"))
      )
    const closed = ever((s) => s === "closed" || s.startsWith("merged"))
    const opened = ever((s) => s === "opened")
    const sumOf = (variant: string, ids: ReadonlySet<string>, k: string) =>
      schools.rows
        .filter((row) => cell(row, "variant") === variant && cell(row, "year") === last && ids.has(cell(row, "school_id")))
        .reduce((n, row) => n + at(schools, row, k), 0)
    assert.isAbove(closed.size, 0)
    assert.strictEqual(at(accounts, township, "pupils_integrated"), sumOf("baseline", closed, "pupils"), "pupils integrated")
    assert.strictEqual(
      at(accounts, township, "new_school_teachers_needed"),
      sumOf("township", opened, "teachers_needed"),
      "new schools' teachers"
    )
    // and the report's one-page summary is what those tables add up to in the compared (last) year
    const report = fs.readFileSync(path.join(dir, "report.html"), "utf8")
    const demand = readCsv(path.join(dir, "accounts-demand.csv"))
    const summary = (label: string): ReadonlyArray<number> => {
      const from = report.indexOf(`>${label}</th>`)
      assert.isAbove(from, 0, label)
      const row = report.slice(from, report.indexOf("</tr>", from))
      return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => Number(m[1].replace(/,/g, "")))
    }
    const variants = ["baseline", "township"]
    type Table = { header: ReadonlyArray<string>; rows: ReadonlyArray<ReadonlyArray<string>> }
    const total = (t: Table, variant: string, f: (row: ReadonlyArray<string>) => number) =>
      t.rows
        .filter((row) => row[t.header.indexOf("variant")] === variant && row[t.header.indexOf("year")] === last)
        .reduce((n, row) => n + f(row), 0)
    const open = (row: ReadonlyArray<string>) => cell(row, "open") === "true"
    assert.deepStrictEqual(
      summary("teachers short (Σ over the schools lacking them; teachers)"),
      variants.map((v) => total(schools, v, (row) => (open(row) ? Math.max(0, at(schools, row, "teacher_gap")) : 0))),
      "teachers short"
    )
    assert.deepStrictEqual(
      summary("boarders without a bed (pupils)"),
      variants.map((v) => total(county, v, (row) => at(county, row, "boarding_bed_gap")))
    )
    assert.deepStrictEqual(
      summary("pupils beyond the boarding distance standard (pupils)"),
      variants.map((v) => total(county, v, (row) => at(county, row, "boarders")))
    )
    assert.deepStrictEqual(
      summary("area seats short (seats)"),
      variants.map((v) => total(demand, v, (row) => at(demand, row, "area_seats_short")))
    )
  })

  it("school groups: groups.csv adds up the schools.csv rows with its group_id, and a school's teachers available are its assigned and shared", async () => {
    const dir = temp("seatplan-groups-")
    const r = await seatplan(["run", "packages/plan/test/fixtures/groups/scenario.yaml", "--files", "csv", "--out", dir, "--quiet"])
    assert.strictEqual(r.status, 0, r.stderr)
    const schools = csvRecords(path.join(dir, "schools.csv"))
    const groups = csvRecords(path.join(dir, "groups.csv"))
    assert.isAbove(groups.length, 0)
    for (const s of schools)
      assert.strictEqual(
        Number(s.teachers_available),
        Number(s.teachers_assigned) + Number(s.teachers_shared),
        `${s.variant} ${s.year} ${s.school_id}`
      )
    // nothing is shared outside a group
    for (const s of schools) if (s.group_id === "") assert.strictEqual(Number(s.teachers_shared), 0)
    for (const g of groups) {
      const members = schools.filter(
        (s) => s.variant === g.variant && s.year === g.year && s.level === g.level && s.group_id === g.group_id
      )
      const sum = (f: (s: Record<string, string>) => number) => members.reduce((n, s) => n + f(s), 0)
      const where = `${g.variant} ${g.year} ${g.group_id} ${g.level}`
      assert.strictEqual(Number(g.group_members), members.length, where)
      // each group figure and the sum over its member rows, as a planner adds them up in the spreadsheet
      const sums: ReadonlyArray<readonly [string, (s: Record<string, string>) => number]> = [
        ["group_pupils", (s) => Number(s.pupils)],
        ["group_teachers_needed", (s) => Number(s.teachers_needed)],
        ["group_teachers_assigned", (s) => Number(s.teachers_assigned)],
        ["group_teachers_shared", (s) => Math.max(0, Number(s.teachers_shared))],
        ["group_teachers_short", (s) => Math.max(0, Number(s.teachers_needed) - Number(s.teachers_available))]
      ]
      for (const [column, f] of sums) assert.strictEqual(Number(g[column]), sum(f), `${where} ${column}`)
    }
  }, 120_000)

  it("seatplan.xlsx in English: summary, compare and accounts first; every figure's heading a name with its unit, frozen, formatted", async () => {
    const en = temp("seatplan-files-")
    const r = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--lang", "en", "--years", "2024..2026", "--out", en, "--quiet"])
    assert.strictEqual(r.status, 0, r.stderr)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(path.join(en, "seatplan.xlsx"))
    const names = wb.worksheets.map((w) => w.name)
    assert.deepStrictEqual(names.slice(0, 3), ["summary", "compare", "accounts"])
    for (const ws of wb.worksheets) {
      assert.deepInclude(ws.views[0], { state: "frozen", ySplit: 2 }, ws.name)
      const headings = (ws.getRow(1).values as Array<unknown>).slice(1).map(String)
      const keys = (ws.getRow(2).values as Array<unknown>).slice(1).map(String)
      keys.forEach((key, c) => {
        // a figure: a number in its column; its heading names it in words with a unit, never only its key
        const numbers = Array.from({ length: ws.rowCount - 2 }, (_, i) => ws.getRow(i + 3).getCell(c + 1).value).filter(
          (v) => typeof v === "number"
        )
        if (numbers.length === 0 || key === "year") return
        assert.match(headings[c], / \(.+\)$/, `${ws.name}!${key}: "${headings[c]}" has a unit`)
        assert.notInclude(headings[c], "_", `${ws.name}!${key}: "${headings[c]}" is named in words, not by its key`)
        const unit = /\((.+)\)$/.exec(headings[c])![1]
        const fmt = ws.getColumn(c + 1).numFmt
        if (["pupils", "children", "seats", "schools", "classrooms", "beds", "teachers"].includes(unit)) {
          assert.strictEqual(fmt, "#,##0", `${ws.name}!${key}`)
          for (const v of numbers) assert.isTrue(Number.isInteger(v), `${ws.name}!${key}: ${v} is whole`)
        }
        if (unit === "yuan") assert.strictEqual(fmt, "#,##0", `${ws.name}!${key}`)
      })
    }
    const accounts = wb.getWorksheet("accounts")!
    const headings = (accounts.getRow(1).values as Array<unknown>).slice(1).map(String)
    for (const h of ["seats added (seats)", "investment (yuan)", "seat demand, primary (seats)"]) assert.include(headings, h)
  })

  it("CSV for Excel: a byte-order mark by default for a Chinese report, --csv-bom and --no-csv-bom", async () => {
    assert.isTrue(bomOf(path.join(zh, "schools.csv")))
    assert.isTrue(bomOf(path.join(zh, "accounts.csv")))
    assert.strictEqual(readCsv(path.join(zh, "schools.csv")).header[0], "variant")
    const en = temp("seatplan-files-")
    const a = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--lang", "en", "--years", "2024..2025", "--out", en, "--quiet"])
    assert.strictEqual(a.status, 0, a.stderr)
    assert.isFalse(bomOf(path.join(en, "schools.csv")))
    const b = await seatplan([
      "run",
      "scenarios/tiny/scenario.yaml",
      "--lang",
      "en",
      "--csv-bom",
      "--years",
      "2024..2025",
      "--out",
      en,
      "--quiet"
    ])
    assert.strictEqual(b.status, 0, b.stderr)
    assert.isTrue(bomOf(path.join(en, "schools.csv")))
    assert.isTrue(bomOf(path.join(en, "accounts-ledger.csv")))
    const c = await seatplan([
      "run",
      "scenarios/tiny/scenario.yaml",
      "--lang",
      "zh",
      "--no-csv-bom",
      "--years",
      "2024..2025",
      "--out",
      en,
      "--quiet"
    ])
    assert.strictEqual(c.status, 0, c.stderr)
    assert.isFalse(bomOf(path.join(en, "schools.csv")))
  }, 180_000) // three runs of the command: on a busy shared machine each takes up to a minute

  it("Parquet: the registry's column names and types, values equal the CSV", async () => {
    for (const table of ["schools", "catchments", "population"] as const) {
      const bytes = fs.readFileSync(path.join(zh, `${table}.parquet`))
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
      const csv = readCsv(path.join(zh, `${table}.csv`))
      const schema = parquetSchema(parquetMetadata(file))
      const columns = schema.children.map((c) => c.element)
      assert.deepStrictEqual(
        columns.map((c) => c.name),
        [...Columns.csvHeader(table)],
        table
      )
      for (const c of columns) {
        const registered = Columns.get(table, c.name) ?? Columns.of(table).find((k) => k.type === "record")!
        const expected =
          registered.type === "text"
            ? "BYTE_ARRAY"
            : registered.type === "boolean"
              ? "BOOLEAN"
              : registered.unit === Columns.units.year || registered.unit === Columns.units.age
                ? "INT32"
                : "DOUBLE"
        assert.strictEqual(c.type, expected, `${table}.${c.name}`)
      }
      const rows = await parquetReadObjects({ file })
      assert.strictEqual(rows.length, csv.rows.length, table)
      csv.rows.forEach((row, i) =>
        row.forEach((text, c) => {
          const value = rows[i][csv.header[c]]
          // the CSV shows counted figures whole (largest remainder), Parquet keeps them exact: within 1, and a
          // difference of its row's whole figures (idle seats: seats less pupils) within 2
          const column = Columns.get(table as Columns.Table, csv.header[c])
          const counted = column !== undefined && Columns.counted(column) && typeof value === "number"
          const within = column !== undefined && Columns.wholeFromIn(column, table as Columns.Table) !== undefined ? 2 : 1
          assert.isTrue(
            counted ? Math.abs((value as number) - Number(text)) < within : same(text, value, false),
            `${table}.parquet ${csv.header[c]} row ${i}: CSV ${text}, Parquet ${String(value)}`
          )
        })
      )
    }
  })
})
