import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids, World } from "@seatplan/core"
import { AllocationRule, Compile, Distance, Engine, Synthetic, Tables } from "@seatplan/sim"
import { Either, FastCheck as fc } from "effect"
import { FromEvents, Scenario, Strategies } from "../src/index.js"

const region = fc.record({
  seed: fc.integer({ min: 1, max: 100_000 }),
  settlements: fc.integer({ min: 20, max: 120 }),
  maxPupils: fc.integer({ min: 30, max: 300 }),
  boardingKm: fc.constantFrom(1, 3, 5),
  yearOffset: fc.integer({ min: 1, max: 5 })
})

const build = (r: { readonly seed: number; readonly settlements: number; readonly maxPupils: number; readonly boardingKm: number; readonly yearOffset: number }) => {
  const g = Synthetic.generate({ seed: r.seed, settlements: r.settlements })
  const world = World.asOf(g.events, g.baseYear)
  const steps = Strategies.primaryTowardTownships(world, { year: g.baseYear + r.yearOffset, maxPupils: r.maxPupils, boardingKm: r.boardingKm })
  const scenario = {
    ...FromEvents.scenarioOf(g.events, { name: "strategy test (synthetic)", description: "synthetic", baseYear: g.baseYear, horizon: 10 }),
    variants: [{ name: "township", events: steps }]
  } as Scenario.ScenarioFile
  return { g, world, steps, scenario }
}

describe("primary toward townships (小学向乡镇集中)", () => {
  it.prop("the plan it writes passes decide: every closure finds seats built first (先建后撤)", [region], ([r]) => {
    const { scenario } = build(r)
    const streams = Scenario.toStreams(scenario)
    assert.isTrue(Either.isRight(streams), Either.isLeft(streams) ? JSON.stringify(streams.left.slice(0, 3)) : "")
  }, { fastCheck: { numRuns: 25 } })

  it.prop("closes only small village schools, builds before it closes, and gives every far pupil a bed", [region], ([r]) => {
    const { steps, world } = build(r)
    const beds = new Map<string, number>()
    const built = new Map<string, number>()
    for (const s of steps) {
      if (s.type === "expand") {
        beds.set(s.school, (beds.get(s.school) ?? 0) + (s.boardingBeds ?? 0))
        built.set(s.school, s.year)
      }
    }
    const far = new Map<string, number>()
    for (const s of steps) {
      if (s.type !== "close") continue
      const closing = world.schools.get(s.school as never)!
      assert.isBelow(World.pupilsOf(world, closing.id), r.maxPupils)
      assert.strictEqual(world.settlements.get(closing.settlementId)?.tier, "village")
      assert.isBelow(built.get(s.into!)!, s.year, "built before the closure")
      const into = world.schools.get(s.into as never)!
      const home = world.settlements.get(closing.settlementId)!
      if (Distance.km(home.lon, home.lat, into.lon, into.lat) > r.boardingKm) {
        far.set(into.id, (far.get(into.id) ?? 0) + World.pupilsOf(world, closing.id))
      }
    }
    for (const [school, pupils] of far) assert.isAtLeast(beds.get(school) ?? 0, pupils)
  }, { fastCheck: { numRuns: 25 } })

  it("with every village school small, all expansions come the year before all closures", () => {
    const g = Synthetic.generate({ seed: 3, settlements: 60 })
    const steps = Strategies.primaryTowardTownships(World.asOf(g.events, g.baseYear), { year: 2026, maxPupils: 10_000 })
    assert.isTrue(steps.some((s) => s.type === "expand" && s.year === 2026))
    assert.isTrue(steps.every((s) => s.type === "expand" ? s.year === 2026 : s.year === 2027))
  })
})

describe("eliminate large classes (消除大班额)", () => {
  it.prop("after its expansions, no class in the target year is over its cap (catchment-only allocation)", [
    fc.record({ seed: fc.integer({ min: 1, max: 100_000 }), settlements: fc.integer({ min: 20, max: 100 }), lead: fc.integer({ min: 0, max: 3 }) })
  ], ([r]) => {
    const g = Synthetic.generate({ seed: r.seed, settlements: r.settlements })
    const target = g.baseYear + 1 + r.lead
    const compile = { rule: AllocationRule.catchmentOnly }
    const steps = Strategies.eliminateLargeClasses(g.events, { year: g.baseYear + 1, targetYear: target, compile })
    const expansions: ReadonlyArray<Event.Event> = steps.flatMap((s): ReadonlyArray<Event.Event> =>
      s.type === "expand"
        ? [{
          _tag: "SchoolExpanded",
          year: Ids.schoolYear(s.year),
          schoolId: Ids.schoolId(s.school),
          classrooms: s.classrooms ?? 0,
          seats: s.seats ?? 0,
          boardingBeds: 0,
          floorArea: s.floorArea ?? 0,
          sportsArea: 0,
          equipmentValue: 0,
          multimediaRooms: s.multimediaRooms ?? 0,
          musicRooms: 0,
          artRooms: 0
        }]
        : []
    )
    const m = Compile.compile([...g.events, ...expansions], { ...compile, horizon: target - g.baseYear })
    const rows = Tables.schools(m, Engine.run(m, { population: false }), "v").filter((x) => x.year === target && x.open)
    for (const row of rows) {
      assert.strictEqual(row.large_classes + row.super_large_classes + row.classes_over_cap, 0, `${row.school_id} ${row.level}`)
    }
    const before = Compile.compile(g.events, { ...compile, horizon: target - g.baseYear })
    const over = Tables.schools(before, Engine.run(before, { population: false }), "v")
      .filter((x) => x.year === target && x.open && x.classes_over_cap + x.large_classes + x.super_large_classes > 0)
    assert.strictEqual(steps.length > 0, over.length > 0, "it expands exactly when some class is over its cap")
  }, { fastCheck: { numRuns: 15 } })
})
