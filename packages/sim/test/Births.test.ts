import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids } from "@seatplan/core"
import { Assumptions, Compile, Dimensions, Engine } from "../src/index.js"

const y = Ids.schoolYear
const town = Ids.settlementId("TOWN")
const events: ReadonlyArray<Event.Event> = [
  { _tag: "SettlementRecorded", year: y(2024), settlement: { id: town, name: "Town", tier: "township", lon: 113, lat: 34 } },
  { _tag: "PopulationRecorded", year: y(2024), settlementId: town, byAge: Array.from({ length: 19 }, () => 100) },
  { _tag: "BirthsRecorded", year: y(2024), settlementId: town, births: 120 },
  { _tag: "BirthsRecorded", year: y(2026), settlementId: town, births: 77 }
]

/** Children aged 0 in each projected year. */
const newborns = (assumptions: Assumptions.Assumptions) => {
  const m = Compile.compile(events, { horizon: 3, assumptions })
  const pop = Engine.run(m).population!
  return [0, 1, 2, 3].map((yi) => pop[yi * m.settlements * Dimensions.ages])
}

describe("births", () => {
  it("by index: the base year's recorded births times the birth index; recorded births win", () => {
    const a = { ...Assumptions.defaults, birthIndex: { 2024: 10, 2025: 8, 2027: 5 } }
    assert.deepStrictEqual(newborns(a), [100, 120 * 0.8, 77, 120 * 0.5])
  })

  it("by fertility: women aged 15-49 (changing by tier) × the general fertility rate per 1,000", () => {
    const a: Assumptions.Assumptions = {
      ...Assumptions.defaults,
      births: "fertility",
      generalFertility: { 2024: 40, 2025: 30 },
      women: { TOWN: 10_000 },
      womenChange: { "county-seat": 0, township: -0.01, village: 0 }
    }
    const born = newborns(a)
    assert.approximately(born[1], (10_000 * 0.99 * 30) / 1000, 1e-9)
    assert.strictEqual(born[2], 77)
    assert.approximately(born[3], (10_000 * 0.99 ** 3 * 30) / 1000, 1e-9)
  })

  it("by fertility without known women: inferred so the base year's births are reproduced", () => {
    const a: Assumptions.Assumptions = {
      ...Assumptions.defaults,
      births: "fertility",
      generalFertility: { 2024: 40 },
      womenChange: { "county-seat": 0, township: 0, village: 0 }
    }
    assert.approximately(newborns(a)[1], 120, 1e-9)
  })
})
