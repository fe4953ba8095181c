import { assert, describe, it } from "@effect/vitest"
import { Synthetic } from "@seatplan/sim"
import { Either, FastCheck as fc, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { FromEvents, Scenario, ScenarioLoader, Workbook } from "../src/index.js"

const decode = Schema.decodeUnknownSync(Scenario.ScenarioFile)

/** A scenario compared as a planner reads it: absent, empty lists and empty mappings are the same. */
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

const roundTrip = (s: Scenario.ScenarioFile) => {
  const sheets = Workbook.fromScenario(s)
  const imported = Workbook.toScenario(sheets, "test.xlsx")
  if (Either.isLeft(imported)) assert.fail(imported.left.message)
  return imported.right
}

/** A generated region with a variant of plan steps drawn from its own schools and settlements. */
const scenario = fc
  .record({
    seed: fc.integer({ min: 1, max: 100_000 }),
    settlements: fc.integer({ min: 8, max: 40 }),
    picks: fc.array(
      fc.record({
        kind: fc.constantFrom(
          "expand",
          "open",
          "hire",
          "boarding",
          "housing",
          "settlement",
          "catchment",
          "split",
          "base-split",
          "standard",
          "group",
          "invest"
        ),
        i: fc.nat(),
        j: fc.nat(),
        n: fc.integer({ min: 1, max: 400 }),
        lead: fc.integer({ min: 1, max: 5 })
      }),
      { maxLength: 8 }
    )
  })
  .map(({ seed, settlements, picks }) => {
    const g = Either.getOrThrow(Synthetic.generate({ seed, settlements }))
    const base = FromEvents.scenarioOf(g.events, {
      name: `区域 region ${seed}`,
      description: "synthetic",
      baseYear: g.baseYear,
      horizon: 10
    })
    const schools = base.schools
    const places = base.settlements
    const primaries = schools.filter((x) => x.type === "primary" || x.type === "nine-year" || x.type === "teaching-point")
    const events: Array<Scenario.PlanStep> = []
    // one catchment step a settlement and one group a school, so that every generated plan passes the rules
    const rezoned = new Set<string>()
    const grouped = new Set<string>()
    const splits: Record<string, { school: string; share: number }> = {}
    picks.forEach((p, k) => {
      const year = g.baseYear + p.lead
      const school = schools[p.i % schools.length]
      const place = places[p.j % places.length]
      switch (p.kind) {
        case "expand":
          events.push({
            type: "expand",
            year,
            school: school.id,
            classrooms: p.n % 7,
            seats: p.n,
            floorArea: p.n * 2.5,
            cost: p.n * 10_000
          })
          break
        case "open":
          events.push({
            type: "open",
            year,
            school: {
              id: `NEW-${k}`,
              name: `新校 ${k}`,
              type: "primary",
              settlement: place.id,
              classrooms: 12,
              seats: 540,
              ...(p.n % 2 === 0 ? { musicRooms: 1, teachers: { total: p.n % 50, byAge: { "30-39": Math.min(p.n % 20, p.n % 50) } } } : {}),
              ...(p.n % 3 === 0 ? { classroomsByGrade: { "1": 2, "2": 2 } } : {})
            }
          })
          break
        case "hire":
          events.push({
            type: "hire",
            year,
            school: school.id,
            count: (p.n % 9) + 1,
            ...(p.n % 2 === 0 ? { ageBand: "under-30", backbone: 0 } : {})
          })
          break
        case "boarding":
          events.push({ type: "boarding", year, school: school.id, beds: p.n })
          break
        case "housing":
          events.push({ type: "housing", year, settlement: place.id, estate: `小区 ${k}`, dwellings: p.n, kind: "commercial" })
          break
        case "settlement":
          events.push({
            type: "settlement",
            year,
            settlement: {
              id: `NEWS-${k}`,
              name: `新村 ${k}`,
              tier: "village",
              lon: place.lon + 0.01,
              lat: place.lat,
              parent: place.parent ?? place.id
            }
          })
          break
        case "catchment":
          if (primaries.length > 0 && !rezoned.has(place.id)) {
            rezoned.add(place.id)
            events.push({ type: "catchment", year, level: "primary", settlement: place.id, school: primaries[p.i % primaries.length].id })
          }
          break
        case "split": {
          // 学区划分: a share of the settlement's primary pupils to a school other than its own
          const own = base.catchments.primary?.[place.id]
          const other = primaries[p.i % Math.max(1, primaries.length)]
          if (own !== undefined && other !== undefined && other.id !== own && !rezoned.has(place.id)) {
            rezoned.add(place.id)
            events.push({ type: "catchment", year, level: "primary", settlement: place.id, school: other.id, share: (p.n % 9) / 10 + 0.1 })
          }
          break
        }
        case "base-split": {
          // a split recorded in the base (学区划分 before the base year): the catchments sheet's split columns
          const own = base.catchments.primary?.[place.id]
          const other = primaries[p.i % Math.max(1, primaries.length)]
          if (own !== undefined && other !== undefined && other.id !== own && splits[place.id] === undefined)
            splits[place.id] = { school: other.id, share: (p.n % 9) / 10 + 0.05 }
          break
        }
        case "group": {
          const member = schools[p.j % schools.length]
          if (member.id === school.id || grouped.has(school.id) || grouped.has(member.id)) break
          grouped.add(school.id)
          grouped.add(member.id)
          events.push({
            type: "form-group",
            year,
            group: `G-${k}`,
            name: `教育集团 ${k}`,
            form: "district",
            lead: school.id,
            members: [member.id]
          })
          events.push({ type: "rotate", year: year + 1, group: `G-${k}`, share: (p.n % 5) / 10 + 0.1, backboneShare: 0.2 })
          events.push({
            type: "exchange",
            year: year + 1,
            school: member.id,
            partner: school.id,
            share: 0.1,
            backboneShare: (p.n % 3) / 10
          })
          break
        }
        case "invest":
          events.push({ type: "invest", year, school: school.id, equipmentValue: p.n * 1000, books: p.n * 10, musicRooms: 1 })
          break
        case "standard":
          events.push({ type: "standard", year, key: "classCap.primary", value: 40 + (p.n % 10) })
          break
      }
    })
    return decode({
      ...base,
      ...(Object.keys(splits).length === 0 ? {} : { splits: { primary: splits } }),
      horizon: 10,
      variants: [{ name: "plan", description: "a plan", events }]
    })
  })

describe("Workbook", () => {
  it("the template imports into a scenario that validates", () => {
    const imported = roundTrip(Workbook.template)
    assert.deepStrictEqual(normal(decode(imported.scenario)), normal(decode(Workbook.template)))
    assert.strictEqual(imported.loaded.streams.variants.length, 1)
  })

  it("every sheet has a Chinese and an English header and the template one example row", () => {
    for (const sheet of Workbook.fromScenario(Workbook.template).slice(1)) {
      assert.isTrue(sheet.rows.length >= 3, sheet.name)
      assert.isTrue(
        sheet.rows[0].every((c) => typeof c === "string" && /[\u4e00-\u9fff]/.test(c)),
        `${sheet.name}: ${JSON.stringify(sheet.rows[0])}`
      )
      assert.isTrue(
        sheet.rows[1].every((c) => typeof c === "string" && /^[\x20-\x7e²]+$/.test(c)),
        `${sheet.name}: ${JSON.stringify(sheet.rows[1])}`
      )
    }
  })

  it("export then import gives the same scenario (generated regions with plan steps)", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const imported = roundTrip(s)
        assert.deepStrictEqual(normal(decode(imported.scenario)), normal(s))
      }),
      { numRuns: 12 }
    )
  })

  it("a sheet or a column deleted in Excel is refused, never imported as no records (fast-check over sheets and columns)", () => {
    const sheets = Workbook.fromScenario(Workbook.template)
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.boolean(), (si, ci, wholeSheet) => {
        const at = 1 + (si % (sheets.length - 1)) // the notes (first) may go
        const target = sheets[at]
        const column = ci % target.rows[0].length
        const cut = sheets.flatMap((sh, i) =>
          i !== at ? [sh] : wholeSheet ? [] : [{ ...sh, rows: sh.rows.map((r) => r.filter((_, c) => c !== column)) }]
        )
        const imported = Workbook.toScenario(cut, "cut.xlsx")
        assert.isTrue(Either.isLeft(imported), `${target.name} ${wholeSheet ? "" : String(target.rows[1][column])} deleted, imported`)
        if (Either.isLeft(imported)) {
          const said = imported.left.message
          if (wholeSheet) assert.include(said, `expected a sheet named "${target.name}"`)
          else assert.include(said, `expected a column headed "${String(target.rows[1][column])}"`)
        }
      }),
      { numRuns: 60 }
    )
    const withoutNotes = Workbook.toScenario(sheets.slice(1), "no-notes.xlsx")
    assert.isTrue(Either.isRight(withoutNotes))
  })

  it("a bad cell is one problem at that cell: its field left out is not reported again at the record's first cell", () => {
    const sheets = Workbook.fromScenario(Workbook.template)
    const at = sheets.findIndex((sh) => sh.name.startsWith("学校"))
    const column = sheets[at].rows[1].findIndex((c) => String(c).startsWith("approved seats"))
    assert.isAtLeast(column, 0)
    const cut = sheets.map((sh, i) =>
      i !== at ? sh : { ...sh, rows: sh.rows.map((r, j) => (j === 2 ? r.map((c, k) => (k === column ? "1620" : c)) : r)) }
    )
    const imported = Workbook.toScenario(cut, "text.xlsx")
    assert.isTrue(Either.isLeft(imported))
    if (Either.isLeft(imported)) {
      assert.strictEqual(imported.left.problems.length, 1, imported.left.message)
      assert.strictEqual(imported.left.problems[0].cell, `${Workbook.columnLetters(column)}3`)
    }
  })

  it("export then import keeps the county example's uncertainty and futures (the sweep's inputs)", () => {
    const file = path.join(import.meta.dirname, "../../../scenarios/county/scenario.yaml")
    const county = Either.getOrThrow(ScenarioLoader.decode(fs.readFileSync(file, "utf8"), file)).scenario
    assert.isDefined(county.uncertainty)
    assert.isDefined(county.futures)
    const imported = decode(roundTrip(county).scenario)
    assert.deepStrictEqual(imported.uncertainty, county.uncertainty)
    assert.deepStrictEqual(imported.futures, county.futures)
  })

  it("column letters run A..Z, AA..", () => {
    assert.deepStrictEqual([0, 25, 26, 27, 51, 52, 701, 702].map(Workbook.columnLetters), ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"])
  })
})
