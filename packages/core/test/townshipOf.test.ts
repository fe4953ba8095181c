import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { Geography } from "../src/index.js"

// a forest of places with arbitrary parents (cycles, missing parents and villages under villages included)
const places = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.array(
    fc.record({
      tier: fc.constantFrom<Geography.Tier>(...Geography.tiers),
      parent: fc.option(fc.integer({ min: 0, max: n + 3 }), { nil: undefined })
    }),
    { minLength: n, maxLength: n }
  )
)

describe("Geography.townshipOf", () => {
  it("hand cases: a village under its township, a county-seat district and its village under the county seat", () => {
    const world = new Map<string, { tier: Geography.Tier; parent?: string }>([
      ["seat", { tier: "county-seat" }],
      ["district", { tier: "county-seat", parent: "seat" }],
      ["t", { tier: "township", parent: "seat" }],
      ["v", { tier: "village", parent: "t" }],
      ["vv", { tier: "village", parent: "v" }],
      ["dv", { tier: "village", parent: "district" }],
      ["orphan", { tier: "village", parent: "gone" }]
    ])
    const of = (id: string) => Geography.townshipOf((x) => world.get(x), id)
    assert.deepStrictEqual(["seat", "district", "t", "v", "vv", "dv", "orphan", "unknown"].map(of), [
      "seat",
      "seat",
      "t",
      "t",
      "t",
      "seat",
      "orphan",
      "unknown"
    ])
  })

  it.prop("ends on an ancestor-or-self that is a township seat or has nowhere further to go, even on cycles", [places], ([ps]) => {
    const lookup = (id: string) => {
      const p = ps[Number(id)]
      return p === undefined ? undefined : { tier: p.tier, parent: p.parent === undefined ? undefined : String(p.parent) }
    }
    ps.forEach((_, i) => {
      const t = Geography.townshipOf(lookup, String(i))
      // an ancestor-or-self
      const chain = [String(i)]
      for (let at = lookup(String(i)); at?.parent !== undefined && !chain.includes(at.parent); at = lookup(at.parent)) chain.push(at.parent)
      assert.include(chain, t)
      const place = lookup(t)
      const stops = place === undefined || place.tier === "township" || place.parent === undefined || lookup(place.parent) === undefined
      // or the walk came round: going on would revisit a place already walked
      const cycle = place?.parent !== undefined && chain.includes(place.parent)
      assert.isTrue(stops || cycle, `${i} → ${t}`)
    })
  })
})
