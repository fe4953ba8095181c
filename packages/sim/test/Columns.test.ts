import { assert, describe, it } from "@effect/vitest"
import * as Standards from "@seatplan/core/Standards"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Ids from "@seatplan/core/Ids"
import { Columns, Compile, Completeness, Engine, Compliance, Groups, Tables } from "../src/index.js"
import { tiny } from "./fixtures.js"

const docs = path.resolve(import.meta.dirname, "../../../docs/columns.md")

/** A group of the first two schools with pupils in the base year: the groups table's rows. */
const groupRows = (schools: ReadonlyArray<Tables.SchoolRow>) => {
  const year = schools[0].year
  const members = [...new Set(schools.filter((r) => r.year === year && r.pupils > 0).map((r) => r.school_id))].slice(0, 2)
  const group = { id: Ids.groupId("G"), name: "G", form: "group" as const, lead: members[0], members, formedIn: year }
  return Groups.share(schools, [{ year, group, eligible: 10, rotated: 1, backboneRotated: 0 }], "plan").groups
}

describe("the column registry", () => {
  const m = Compile.compile(tiny("plan/township"), { horizon: 3 })
  const cube = Engine.run(m)
  // the seat-demand account, the comparison's and accounts' tables and the sweep tables are built by @seatplan/plan: their keys
  // are checked with a run (packages/cli/test/registryHeaders.test.ts, sweep.test.ts)
  const rows: Record<
    Exclude<Columns.Table, "seat_demand" | (typeof Columns.sweepTables)[number] | (typeof Columns.planTables)[number]>,
    ReadonlyArray<object>
  > = {
    schools: Tables.schools(m, cube, "plan"),
    county: Tables.county(m, cube, "plan"),
    catchments: Tables.catchments(m, cube, "plan"),
    population: [...Tables.population(m, cube, "plan")],
    completeness: Completeness.rows([{ id: "A", name: "A school", missing: ["floorArea", "musicRooms"] }]),
    groups: groupRows(Tables.schools(m, cube, "plan"))
  }

  it("every key of every row the tables produce is in the registry, in its order, and the other way round", () => {
    for (const table of [...Columns.engineTables, "completeness", "groups"] as const) {
      assert.isAbove(rows[table].length, 0, `the ${table} table of the fixture is empty`)
      for (const row of rows[table]) {
        assert.deepStrictEqual(Object.keys(row), [...Columns.ids(table)], `keys of a ${table} row against Columns.of("${table}")`)
      }
    }
  })

  it("each value has the registry's type; a record has the registry's keys", () => {
    for (const table of [...Columns.engineTables, "completeness", "groups"] as const) {
      const row = rows[table][0] as Record<string, unknown>
      for (const c of Columns.of(table)) {
        const v = row[c.id]
        const type = c.type === "record" ? "object" : c.type === "text" ? "string" : c.type
        assert.strictEqual(typeof v, type, `${table}.${c.id}`)
        if (c.type === "record") assert.deepStrictEqual(Object.keys(v as object), [...(c.keys ?? [])], `${table}.${c.id} keys`)
      }
    }
  })

  it("a key is defined once per table, with a unit, both labels, a meaning and a formula", () => {
    for (const table of Columns.tables) {
      const ids = Columns.ids(table)
      assert.deepStrictEqual(
        ids.filter((id, i) => ids.indexOf(id) !== i),
        [],
        `duplicate keys in ${table}`
      )
    }
    for (const c of Columns.all) {
      assert.isAbove(c.tables.length, 0, c.id)
      for (const text of [c.zh, c.en, c.meaning, c.formula, c.unit.en, c.unit.zh]) assert.isAbove(text.trim().length, 0, c.id)
    }
  })

  it("the rules' columns are the registry's numeric columns, and every national rule names one", () => {
    assert.deepStrictEqual(Compliance.schoolColumns, Columns.numeric("schools"))
    assert.deepStrictEqual(Compliance.countyColumns, Columns.numeric("county"))
    assert.deepStrictEqual(Compliance.groupColumns, Columns.numeric("groups"))
    for (const rule of Compliance.national) {
      const columns = Columns.numeric(rule.scope === "school" ? "schools" : rule.scope === "group" ? "groups" : "county")
      assert.include(columns, rule.column, rule.id)
    }
  })

  it("the seven indicators are the quality rules and name standards that exist for primary and junior", () => {
    assert.strictEqual(Columns.indicators.length, 7)
    for (const c of Columns.indicators) {
      for (const level of ["primary", "junior"]) {
        assert.include(Standards.keys as ReadonlyArray<string>, `quality.${c.standard}.${level}`)
      }
      const rule = Compliance.national.find((r) => r.id === `quality.${c.standard}`)
      assert.isDefined(rule)
      assert.strictEqual(rule?.column, c.id)
    }
    assert.strictEqual(Compliance.national.find((r) => r.id === "quality.sixOfSeven")?.threshold, Columns.qualityIndicatorsToMeet)
  })

  it("the CSV header flattens the difference coefficients to dc_{indicator}", () => {
    const header = Columns.csvHeader("county")
    for (const id of Columns.indicatorIds) assert.include(header, `dc_${id}`)
    assert.notInclude(header, "difference_coefficients")
  })

  it("docs/columns.md is the registry's documentation (run `pnpm docs:columns` after changing the registry)", () => {
    const committed = fs.existsSync(docs) ? fs.readFileSync(docs, "utf8") : ""
    assert.isTrue(committed === Columns.markdown(), "docs/columns.md differs from the column registry: run `pnpm docs:columns`")
  })
})
