/**
 * The order a scenario's commands are decided in (`Scenario.byYear`): by year, and in the list's order
 * within a year. It places items by counting instead of sorting; the property holds it to a stable sort.
 */
import { assert, describe, it } from "@effect/vitest"
import { Ids } from "@seatplan/core"
import fc from "fast-check"
import * as Scenario from "../src/Scenario.js"

// school years over their whole range (1949-2200), as a command's year is one
const items = fc.array(
  fc.record({
    command: fc.record({ year: fc.integer({ min: Ids.firstSchoolYear, max: Ids.lastSchoolYear }).map(Ids.schoolYear) }),
    n: fc.nat()
  }),
  { maxLength: 300 }
)

describe("Scenario.byYear", () => {
  it("is a stable sort by year, whatever the order given", () =>
    fc.assert(
      fc.property(items, fc.boolean(), (given, presorted) => {
        // half the lists already in order: the pass that gives the list back unchanged is checked too
        const list = presorted ? [...given].sort((a, b) => a.command.year - b.command.year) : given
        const expected = list.map((x, i) => ({ x, i })).sort((a, b) => a.x.command.year - b.x.command.year || a.i - b.i)
        assert.deepStrictEqual(
          Scenario.byYear(list),
          expected.map((e) => e.x)
        )
      }),
      { numRuns: 1000 }
    ))
})

/**
 * The baseline's commands made one at a time as they are decided (`Scenario.lazily`): the same commands,
 * with the same ids (numbered in the sections' order) and years, in the order `byYear` gives the list made whole.
 */
describe("Scenario.lazily", () => {
  const sections = fc.array(fc.array(fc.integer({ min: 1990, max: 2040 }), { maxLength: 60 }), { maxLength: 8 })
  it("gives byYear's order of the commands made whole, numbered in the sections' order", () =>
    fc.assert(
      fc.property(sections, (yearsOf) => {
        const made: Array<Scenario.Section> = yearsOf.map((years, n) => ({
          count: years.length,
          year: (i) => Ids.schoolYear(years[i]),
          path: (i) => ["section", n, i],
          command: (i, meta) => ({ ...meta, section: n, i }) as never
        }))
        const whole: Array<Scenario.Entry> = []
        let k = 0
        made.forEach((x) => {
          for (let i = 0; i < x.count; i++) {
            const id = `scenario/${String(++k).padStart(6, "0")}`
            whole.push({ path: x.path(i), command: x.command(i, { id, at: "2000-01-01T00:00:00.000Z", year: x.year(i) }) })
          }
        })
        const lazy = Scenario.lazily(made)
        assert.strictEqual(lazy.count, whole.length)
        assert.deepStrictEqual([...lazy.ordered], Scenario.byYear(whole))
      }),
      { numRuns: 500 }
    ))
})
