import { assert, describe, it } from "@effect/vitest"
import * as Ids from "@seatplan/core/Ids"
import { FastCheck as fc } from "effect"
import { Compile, Engine, Groups, Results, Tables } from "../src/index.js"
import * as Testing from "../src/testing/index.js"

/**
 * `Tables.SchoolTable` makes a run's school rows as they are read (issue 18: a province's are not held as
 * objects). Whatever way they are read (all in order, a year, one by index, from a year on), they are the
 * same rows; a group's sharing written beside the table is the sharing written into the rows.
 */
describe("Tables.SchoolTable: the schools table made as it is read", () => {
  const arb = fc.record({
    region: Testing.region,
    seed: Testing.runSeed,
    horizon: fc.integer({ min: 1, max: 6 }),
    groups: fc.array(
      fc.record({
        year: fc.nat(6),
        members: fc.uniqueArray(fc.nat(200), { minLength: 1, maxLength: 6 }),
        eligible: fc.nat(20),
        rotated: fc.nat(5)
      }),
      { maxLength: 4 }
    )
  })

  it.prop(
    "every way of reading gives the same rows; shares beside the table are those written into rows",
    [arb],
    ([c]) => {
      const m = Compile.compile(c.region.events, { horizon: c.horizon })
      const cube = Engine.run(Compile.fresh(m), { seed: c.seed, population: false })
      const table = Tables.schoolTable(m, cube, "v")
      const rows = [...table]
      const slots = cube.slotSchool.length
      assert.strictEqual(rows.length, table.length)
      assert.strictEqual(table.length, cube.years * slots)
      assert.strictEqual(table.firstYear, m.baseYear)
      for (let year = m.baseYear - 1; year <= m.baseYear + cube.years; year++) {
        const inYear = rows.filter((r) => r.year === year)
        assert.deepStrictEqual(table.inYear(year), inYear, `the rows of ${year}`)
        const later = rows.filter((r) => r.year >= year)
        const from = table.from(year)
        assert.strictEqual(from.length, later.length)
        assert.deepStrictEqual([...from], later, `the rows from ${year}`)
        if (later.length > 0) assert.deepStrictEqual(from.at(later.length - 1), later[later.length - 1])
        assert.deepStrictEqual(from.inYear(year - 1), [], "a table from a year has none of the years before")
      }
      for (let i = 0; i < rows.length; i += Math.max(1, Math.floor(rows.length / 17))) assert.deepStrictEqual(table.at(i), rows[i])
      // the status of a level not taught that year, against its history read year by year (what the rows carried
      // from year to year before the table): closed once the level was taught, not yet open before
      const status = Tables.statuses(m, cube.years)
      const taught = new Uint8Array(slots)
      rows.forEach((r, index) => {
        const y = Math.floor(index / slots)
        const i = index % slots
        const has = Results.value(cube, y, i, "open") === 1 || Results.value(cube, y, i, "pupils") > 0
        const own = status[y][cube.slotSchool[i]]
        const active = ["open", "opened", "expanded", "closing"].includes(own)
        assert.strictEqual(r.status, has || !active ? own : taught[i] === 1 ? "closed" : "not yet open")
        if (has) taught[i] = 1
      })
      // groups of the region's schools: the table's shares are the array's
      const groups = c.groups.map((g, n) => {
        const members = [...new Set(g.members.map((k) => m.schoolIds[k % m.schoolIds.length]))].map((id) => Ids.schoolId(id))
        return {
          year: m.baseYear + (g.year % cube.years),
          group: { id: Ids.groupId(`G${n}`), name: `G${n}`, form: "group" as const, lead: members[0], members, formedIn: m.baseYear },
          eligible: g.eligible,
          rotated: Math.min(g.rotated, g.eligible),
          backboneRotated: 0
        }
      })
      const onTable = Groups.share(table, groups, "v")
      const onRows = Groups.share(rows, groups, "v")
      assert.deepStrictEqual(onTable.groups, onRows.groups)
      assert.deepStrictEqual([...onTable.schools], onRows.schools)
      // the same table over the rows made already (a page's): read alike, shared alike
      const made = Tables.tableOfRows("v", rows)
      assert.deepStrictEqual(
        [made.length, made.firstYear, made.years, made.slots],
        [table.length, table.firstYear, table.years, table.slots]
      )
      assert.deepStrictEqual(made.inYear(m.baseYear), table.inYear(m.baseYear))
      assert.deepStrictEqual([...made.from(m.baseYear + 1)], [...table.from(m.baseYear + 1)])
      const onMade = Groups.share(made, groups, "v")
      assert.deepStrictEqual(onMade.groups, onRows.groups)
      assert.deepStrictEqual([...onMade.schools], onRows.schools)
      for (let year = m.baseYear; year < m.baseYear + cube.years; year++) {
        assert.deepStrictEqual(
          [...onTable.schools.from(year)],
          onRows.schools.filter((r) => r.year >= year),
          "a shared table from a year keeps its shares"
        )
        assert.deepStrictEqual(
          Groups.share(table.from(year), groups, "v").groups,
          Groups.share(
            rows.filter((r) => r.year >= year),
            groups,
            "v"
          ).groups
        )
      }
      return true
    },
    { fastCheck: { numRuns: 15 } }
  )
})
