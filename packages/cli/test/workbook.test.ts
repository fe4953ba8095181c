/**
 * The workbook a bureau keeps, in and out: `init --xlsx`, `import`, `export` through real .xlsx files
 * (exceljs), and bad workbooks: every problem located at sheet!cell, exit 1, nothing written.
 */
import { assert, describe, it } from "@effect/vitest"
import { Scenario, Workbook } from "@seatplan/plan"
import { Synthetic } from "@seatplan/sim"
import { FromEvents } from "@seatplan/plan"
import ExcelJS from "exceljs"
import { Effect, Either, FastCheck as fc, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { parse } from "yaml"
import * as Xlsx from "../src/Xlsx.js"
import { seatplan, temp } from "./seatplan.js"

const decode = Schema.decodeUnknownSync(Scenario.ScenarioFile)
const normal = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(normal)
  if (v === null || typeof v !== "object") return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) {
    const n = normal(x)
    if (n === undefined || (Array.isArray(n) && n.length === 0)) continue
    if (typeof n === "object" && n !== null && !Array.isArray(n) && Object.keys(n).length === 0 && k !== "byGrade") continue
    out[k] = n
  }
  return out
}

type Rows = Array<Array<Workbook.Cell>>
/** The template's sheets with some rows changed, written as an .xlsx file. */
const badWorkbook = async (change: (sheets: Map<string, Rows>) => void, after?: (wb: ExcelJS.Workbook) => void): Promise<string> => {
  const sheets = new Map(Workbook.fromScenario(Workbook.template).map((s) => [s.name, s.rows.map((r) => [...r])]))
  change(sheets)
  const bytes = await Xlsx.bytes([...sheets].map(([name, rows]) => ({ name, rows, merges: [] })))
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  after?.(wb)
  const file = path.join(temp("seatplan-xlsx-"), "county.xlsx")
  await wb.xlsx.writeFile(file)
  return file
}

const column = (sheet: Rows, en: string): number => sheet[1].findIndex((c) => typeof c === "string" && c.startsWith(en))

/** Imports a bad workbook: exit 1, these messages, and no scenario written. */
const refused = async (file: string, ...expected: ReadonlyArray<string>) => {
  const out = path.join(path.dirname(file), "scenario.yaml")
  const r = await seatplan(["import", file, "--out", out])
  assert.strictEqual(r.status, 1, r.stderr)
  for (const e of expected) assert.include(r.stderr, e)
  assert.isFalse(fs.existsSync(out), "nothing is written")
  return r.stderr
}

/** Plan steps drawn from a region's own schools and settlements: numbers with fractions, yes/no, text and new schools through the cells. */
const picks = fc.array(
  fc.record({
    kind: fc.constantFrom("expand", "open", "hire", "boarding", "housing", "catchment", "standard"),
    i: fc.nat(),
    n: fc.integer({ min: 1, max: 400 }),
    lead: fc.integer({ min: 1, max: 5 })
  }),
  { maxLength: 6 }
)

const planSteps = (
  base: ReturnType<typeof FromEvents.scenarioOf>,
  baseYear: number,
  steps: ReadonlyArray<{ kind: string; i: number; n: number; lead: number }>
): Array<unknown> =>
  steps.flatMap((p, k): Array<unknown> => {
    const year = baseYear + p.lead
    const school = base.schools[p.i % base.schools.length]
    const place = base.settlements[p.i % base.settlements.length]
    const primary = base.schools.find((x) => x.type === "primary")
    switch (p.kind) {
      case "expand":
        return [{ type: "expand", year, school: school.id, classrooms: p.n % 7, seats: p.n, floorArea: p.n * 2.5, cost: p.n * 10_000 }]
      case "open":
        return [
          {
            type: "open",
            year,
            school: {
              id: `NEW-${k}`,
              name: `新校 ${k}`,
              type: "primary",
              settlement: place.id,
              classrooms: 12,
              seats: 540,
              ...(p.n % 2 === 0 ? { musicRooms: 1, teachers: { total: p.n % 50, byAge: { "30-39": Math.min(p.n % 20, p.n % 50) } } } : {})
            }
          }
        ]
      case "hire":
        return [
          { type: "hire", year, school: school.id, count: (p.n % 9) + 1, ...(p.n % 2 === 0 ? { ageBand: "under-30", rotation: true } : {}) }
        ]
      case "boarding":
        return [{ type: "boarding", year, school: school.id, beds: p.n }]
      case "housing":
        return [{ type: "housing", year, settlement: place.id, estate: `小区 ${k}`, dwellings: p.n, kind: "commercial" }]
      case "catchment":
        return primary === undefined ? [] : [{ type: "catchment", year, level: "primary", settlement: place.id, school: primary.id }]
      default:
        return [{ type: "standard", year, key: "classCap.primary", value: 40 + (p.n % 10) }]
    }
  })

describe("seatplan init --xlsx, import, export", () => {
  it("the template imports into the template scenario, which validates", async () => {
    const dir = temp()
    const init = await seatplan(["init", "--xlsx", dir])
    assert.strictEqual(init.status, 0, init.stderr)
    const file = path.join(dir, "seatplan-template.xlsx")
    // Chinese and English headers, frozen, one example row in each sheet
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const names = wb.worksheets.map((w) => w.name)
    for (const n of ["居民点 settlements", "学校 schools", "在校生 enrolment", "出生 births", "学区 catchments", "方案步骤 plan steps"])
      assert.include(names, n)
    for (const ws of wb.worksheets.slice(1)) {
      assert.match(String(ws.getCell("A1").value), /[\u4e00-\u9fff]/, ws.name)
      assert.match(String(ws.getCell("A2").value), /^[a-z]/, ws.name)
      assert.isAtLeast(ws.rowCount, 3, ws.name)
      assert.deepInclude(ws.views[0], { state: "frozen", ySplit: 2 })
    }
    const schools = wb.getWorksheet("学校 schools")!
    const headers = (schools.getRow(2).values as Array<unknown>).map(String)
    for (const h of [
      "approved seats (seats)",
      "teaching and auxiliary floor area (m²)",
      "teaching equipment value (yuan)",
      "teachers aged 55+ (teachers)"
    ])
      assert.include(headers, h)
    const r = await seatplan(["import", file, "--out", path.join(dir, "scenario.yaml")])
    assert.strictEqual(r.status, 0, r.stderr)
    const text = fs.readFileSync(path.join(dir, "scenario.yaml"), "utf8")
    assert.deepStrictEqual(normal(decode(parse(text))), normal(decode(Workbook.template)))
    const v = await seatplan(["validate", path.join(dir, "scenario.yaml")])
    assert.strictEqual(v.status, 0, v.stderr)
  })

  it("export then import of the example scenario gives the same scenario", async () => {
    const dir = temp()
    const e = await seatplan(["export", "scenarios/tiny/scenario.yaml", "--out", path.join(dir, "tiny.xlsx")])
    assert.strictEqual(e.status, 0, e.stderr)
    const i = await seatplan(["import", path.join(dir, "tiny.xlsx"), "--out", path.join(dir, "tiny.yaml")])
    assert.strictEqual(i.status, 0, i.stderr)
    const original = decode(parse(fs.readFileSync("scenarios/tiny/scenario.yaml", "utf8")))
    assert.deepStrictEqual(normal(decode(parse(fs.readFileSync(path.join(dir, "tiny.yaml"), "utf8")))), normal(original))
  })

  it.effect("export then import through .xlsx bytes gives the same scenario (generated regions with plan steps)", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 6, max: 40 }), picks, async (seed, settlements, steps) => {
          const g = Either.getOrThrow(Synthetic.generate({ seed, settlements }))
          const base = FromEvents.scenarioOf(g.events, {
            name: `区域 ${seed}`,
            description: "synthetic",
            baseYear: g.baseYear,
            horizon: 10
          })
          const s = decode({ ...base, variants: [{ name: "plan", description: "a plan", events: planSteps(base, g.baseYear, steps) }] })
          const file = path.join(temp("seatplan-xlsx-"), "r.xlsx")
          fs.writeFileSync(file, await Xlsx.bytes(Workbook.fromScenario(s)))
          const sheets = await Effect.runPromise(Xlsx.read(file))
          const back = Workbook.toScenario(sheets, file)
          if (Either.isLeft(back)) assert.fail(back.left.message)
          assert.deepStrictEqual(normal(decode(back.right.scenario)), normal(s))
        }),
        { numRuns: 8 }
      )
    )
  )

  it("a wrong sheet name", async () => {
    const file = await badWorkbook((s) => {
      const rows = s.get("学校 schools")!
      s.delete("学校 schools")
      s.set("Schools2024", rows)
    })
    await refused(file, 'county.xlsx:Schools2024!A1: unknown sheet "Schools2024": expected one of', 'expected a sheet named "学校 schools"')
  })

  it("merged cells", async () => {
    const file = await badWorkbook(
      () => {},
      (wb) => wb.getWorksheet("学校 schools")!.mergeCells("G3:H3")
    )
    await refused(file, "county.xlsx:学校 schools!G3: merged cells G3:H3: expected one value in each cell")
  })

  it("numbers stored as text", async () => {
    let cell = ""
    const file = await badWorkbook((s) => {
      const rows = s.get("学校 schools")!
      const c = column(rows, "approved seats")
      rows[2][c] = "1620"
      cell = `${Workbook.columnLetters(c)}3`
    })
    await refused(
      file,
      `county.xlsx:学校 schools!${cell}: 核定学位 (approved seats): expected a whole number, found the text "1620" (a number stored as text`
    )
  })

  it("dates: a year as a date serial, and a date cell", async () => {
    const file = await badWorkbook((s) => {
      s.get("出生 births")![2][1] = 45658
      s.get("在校生 enrolment")![2][1] = new Date(Date.UTC(2025, 0, 1))
    })
    await refused(
      file,
      "county.xlsx:出生 births!B3: 年份 (year): expected a school year such as 2026, found 45658, a date's serial number (2025-01-01)",
      "county.xlsx:在校生 enrolment!B3: 学年 (school year): expected a school year such as 2026, found the date 2025-01-01"
    )
  })

  it("blank rows between records are skipped; an empty required cell is a located problem", async () => {
    const fine = await badWorkbook((s) => {
      const rows = s.get("出生 births")!
      rows.splice(2, 0, [null, null, null], ["", null, null])
    })
    const out = path.join(path.dirname(fine), "scenario.yaml")
    const r = await seatplan(["import", fine, "--out", out])
    assert.strictEqual(r.status, 0, r.stderr)
    assert.strictEqual((parse(fs.readFileSync(out, "utf8")) as { history: { births: Array<unknown> } }).history.births.length, 1)
    const file = await badWorkbook((s) => {
      s.get("出生 births")![2][2] = null
    })
    await refused(file, "county.xlsx:出生 births!C3: 出生人数 (births): expected a number, found an empty cell")
  })

  it("duplicate ids", async () => {
    const file = await badWorkbook((s) => {
      const rows = s.get("学校 schools")!
      rows.push([...rows[2]])
      const catchments = s.get("学区 catchments")!
      catchments.push([...catchments[2]])
    })
    await refused(
      file,
      'county.xlsx:学校 schools!A4: 学校代码 (school id): duplicate school id "4301000001", first used at 学校 schools!A3',
      'county.xlsx:学区 catchments!A4: 居民点代码 (settlement id): duplicate settlement id "CS", first at A3'
    )
  })

  it("ids that do not exist, every problem at once, each at its cell", async () => {
    const file = await badWorkbook((s) => {
      s.get("学区 catchments")![2][2] = "NO-SUCH-SCHOOL"
      s.get("在校生 enrolment")![2][0] = "GHOST"
      s.get("方案步骤 plan steps")![2][0] = "no-such-variant"
      s.get("出生 births")![2][0] = "NOWHERE"
    })
    const stderr = await refused(
      file,
      'county.xlsx:学区 catchments!C3: 小学学区学校 (primary school): expected a school id of the 学校 schools sheet, found "NO-SUCH-SCHOOL"',
      'county.xlsx:在校生 enrolment!A3: 学校代码 (school id): expected a school id of the 学校 schools sheet, found "GHOST"',
      'county.xlsx:出生 births!A3: 居民点或乡镇代码 (settlement or township id): expected a settlement id of the 居民点 settlements sheet, found "NOWHERE"',
      'county.xlsx:方案步骤 plan steps!A3: 方案名称 (variant): expected a variant of the 方案 variants sheet ("expand"), found "no-such-variant"'
    )
    // each problem once, at its cell
    assert.strictEqual(stderr.match(/NO-SUCH-SCHOOL/g)?.length, 1, stderr)
    assert.strictEqual(stderr.match(/GHOST/g)?.length, 1, stderr)
  })

  it("a file that is not a workbook", async () => {
    const dir = temp()
    fs.writeFileSync(path.join(dir, "x.xlsx"), "not a zip")
    await refused(path.join(dir, "x.xlsx"), "x.xlsx: expected an Excel workbook (.xlsx), found a file exceljs cannot read")
  })
})
