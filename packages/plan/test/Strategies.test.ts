import { assert, describe, it } from "@effect/vitest"
import { type Event, World } from "@seatplan/core"
import { AllocationRule, Compile, Distance, Engine, Synthetic, Tables } from "@seatplan/sim"
import { Either, FastCheck as fc } from "effect"
import { FromEvents, Scenario, type Strategies } from "../src/index.js"

const region = fc.record({
  seed: fc.integer({ min: 1, max: 100_000 }),
  settlements: fc.integer({ min: 20, max: 120 }),
  maxPupils: fc.integer({ min: 30, max: 300 }),
  lead: fc.integer({ min: 1, max: 4 })
})
type Region = typeof region extends fc.Arbitrary<infer T> ? T : never

/** A synthetic region as a scenario with one variant applying `strategies`, loaded through the decider. */
const plan = (r: Region, strategies: (base: number) => ReadonlyArray<Strategies.Spec>, allocation = "catchment-then-nearest") => {
  const g = Either.getOrThrow(Synthetic.generate({ seed: r.seed, settlements: r.settlements }))
  const scenario = {
    ...FromEvents.scenarioOf(g.events, { name: "strategy test (synthetic)", description: "synthetic", baseYear: g.baseYear, horizon: 10 }),
    allocation,
    variants: [{ name: "plan", events: [], strategies: strategies(g.baseYear) }]
  } as Scenario.ScenarioFile
  const streams = Scenario.toStreams(scenario)
  return { g, scenario, streams, world: World.asOf(g.events, g.baseYear) }
}

const planned = (streams: ReturnType<typeof plan>["streams"]) => {
  assert.isTrue(Either.isRight(streams), Either.isLeft(streams) ? JSON.stringify(streams.left.slice(0, 3)) : "")
  return Either.getOrThrow(streams)
}

/** Every strategy at once, in the order a layout plan applies them. */
const everything =
  (r: Region) =>
  (base: number): ReadonlyArray<Strategies.Spec> => [
    { strategy: "primary-toward-townships", year: base + r.lead, maxPupils: r.maxPupils },
    { strategy: "junior-toward-central-towns", year: base + r.lead, maxPupils: r.maxPupils * 2 },
    { strategy: "senior-toward-county-seat", year: base + r.lead },
    { strategy: "kindergartens-near-homes", year: base + r.lead + 1 },
    { strategy: "eliminate-large-classes", year: base + r.lead + 1, targetYear: base + r.lead + 2 }
  ]

describe("layout strategies compose into plans that pass decide (布局策略)", () => {
  it.prop(
    "all five in one variant: the plan passes decide, and builds before it closes (先建后撤)",
    [region],
    ([r]) => {
      const { streams } = plan(r, everything(r))
      const steps = planned(streams).variants[0].steps
      const built = new Map<string, number>()
      for (const s of steps) if (s.type === "expand") built.set(s.school, Math.min(built.get(s.school) ?? Infinity, s.year))
      for (const s of steps) {
        if (s.type !== "close" || s.into === undefined || !built.has(s.into)) continue
        assert.isBelow(built.get(s.into)!, s.year, `${s.into} is expanded before ${s.school} closes into it`)
      }
    },
    { fastCheck: { numRuns: 12 } }
  )

  it.prop(
    "never closes a school whose pupils have no seat in the receiving school",
    [region],
    ([r]) => {
      const { streams, world } = plan(r, everything(r))
      const steps = planned(streams).variants[0].steps
      const moving = new Map<string, number>()
      for (const s of steps)
        if (s.type === "close" && s.into !== undefined)
          moving.set(s.into, (moving.get(s.into) ?? 0) + World.pupilsOf(world, s.school as never))
      for (const [into, pupils] of moving) {
        const closeYear = Math.min(...steps.filter((s) => s.type === "close" && s.into === into).map((s) => s.year))
        const seats =
          world.schools.get(into as never)!.facilities.seats +
          steps
            .filter((s) => s.type === "expand" && s.school === into && s.year < closeYear)
            .reduce((n, s) => n + (s.type === "expand" ? (s.seats ?? 0) : 0), 0)
        assert.isAtLeast(seats, World.pupilsOf(world, into as never) + pupils, `${into} seats its own pupils and those moving in`)
      }
    },
    { fastCheck: { numRuns: 12 } }
  )

  it.prop(
    "never leaves a pupil beyond the boarding distance without a bed at a school that takes in a closure",
    [region],
    ([r]) => {
      const { g, streams } = plan(r, (base) => everything(r)(base).slice(0, 3), "catchment-only")
      const s = planned(streams)
      const receivers = new Set(s.variants[0].steps.flatMap((x) => (x.type === "close" && x.into !== undefined ? [x.into] : [])))
      const from = Math.min(...s.variants[0].steps.filter((x) => x.type === "close").map((x) => x.year))
      const events: ReadonlyArray<Event.Event> = [...s.baseline, ...s.variants[0].events].map((e) => e.event)
      const m = Compile.compile(events, { baseYear: g.baseYear, horizon: 10, rule: AllocationRule.catchmentOnly })
      // beds are the school's: a nine-year school's rows each show their level's share, so sum over levels
      const gap = new Map<string, number>()
      for (const row of Tables.schools(m, Engine.run(m, { population: false }), "plan")) {
        if (row.year < from || !receivers.has(row.school_id)) continue
        const key = `${row.school_id} ${row.year}`
        gap.set(key, (gap.get(key) ?? 0) + row.boarders - row.beds)
      }
      for (const [key, short] of gap) assert.isAtMost(short, 1e-6, `${key}: ${short} boarders without a bed`)
    },
    { fastCheck: { numRuns: 10 } }
  )
})

describe("primary toward townships (小学向乡镇集中)", () => {
  it.prop(
    "closes only village primary schools under the threshold, into their own township's school",
    [region],
    ([r]) => {
      const { streams, world } = plan(r, (base) => [{ strategy: "primary-toward-townships", year: base + r.lead, maxPupils: r.maxPupils }])
      for (const s of planned(streams).variants[0].steps) {
        if (s.type !== "close") continue
        const closing = world.schools.get(s.school as never)!
        const home = world.settlements.get(closing.settlementId)!
        assert.strictEqual(home.tier, "village")
        assert.include(["primary", "teaching-point"], closing.type)
        assert.strictEqual(world.schools.get(s.into as never)!.settlementId, home.parent)
      }
    },
    { fastCheck: { numRuns: 15 } }
  )

  it("with every village school small, all expansions come the year before all closures", () => {
    const { streams } = plan({ seed: 3, settlements: 60, maxPupils: 10_000, lead: 2 }, (base) => [
      { strategy: "primary-toward-townships", year: base + 2, maxPupils: 10_000 }
    ])
    const steps = planned(streams).variants[0].steps
    const base = Either.getOrThrow(Synthetic.generate({ seed: 3, settlements: 60 })).baseYear
    assert.isTrue(steps.some((s) => s.type === "close"))
    assert.isTrue(steps.every((s) => (s.type === "expand" ? s.year === base + 2 : s.year === base + 3)))
  })
})

describe("junior toward central towns, senior toward the county seat (初中向中心城镇、高中向县城集中)", () => {
  it.prop(
    "juniors close only into town schools; seniors only into the county seat; towns are sized to the projected peak",
    [region],
    ([r]) => {
      const { g, streams, world } = plan(
        r,
        (base) => [
          { strategy: "junior-toward-central-towns", year: base + r.lead },
          { strategy: "senior-toward-county-seat", year: base + r.lead }
        ],
        "catchment-only"
      )
      const s = planned(streams)
      for (const x of s.variants[0].steps) {
        if (x.type !== "close") continue
        const into = world.schools.get(x.into as never)!
        const tier = world.settlements.get(into.settlementId)!.tier
        if (world.schools.get(x.school as never)!.type === "junior") assert.notStrictEqual(tier, "village")
        else assert.strictEqual(tier, "county-seat")
      }
      // sized at the peak: no town junior or county-seat senior has a class over its cap in any later year
      const towns = new Set(
        [...world.schools.values()]
          .filter(
            (k) =>
              k.status === "open" &&
              world.settlements.get(k.settlementId)!.tier !== "village" &&
              (k.type === "junior" || (k.type === "senior" && world.settlements.get(k.settlementId)!.tier === "county-seat"))
          )
          .map((k) => k.id as string)
      )
      const events = [...s.baseline, ...s.variants[0].events].map((e) => e.event)
      const m = Compile.compile(events, { baseYear: g.baseYear, horizon: 10, rule: AllocationRule.catchmentOnly })
      for (const row of Tables.schools(m, Engine.run(m, { population: false }), "plan")) {
        if (row.year <= g.baseYear + r.lead || !towns.has(row.school_id) || !row.open) continue
        assert.strictEqual(
          row.classes_over_cap + row.large_classes + row.super_large_classes,
          0,
          `${row.school_id} ${row.level} ${row.year}`
        )
      }
    },
    { fastCheck: { numRuns: 10 } }
  )
})

describe("kindergartens near homes (幼儿园就近就便)", () => {
  it.prop(
    "reuses only closed buildings, after they close; every place with young children then has a kindergarten nearby",
    [region],
    ([r]) => {
      const { streams } = plan(r, (base) => [
        { strategy: "primary-toward-townships", year: base + r.lead, maxPupils: r.maxPupils },
        { strategy: "kindergartens-near-homes", year: base + r.lead, minChildren: 10, withinKm: 2 }
      ])
      const s = planned(streams)
      const steps = s.variants[0].steps
      const closed = new Map(steps.flatMap((x) => (x.type === "close" ? [[x.school, x.year] as const] : [])))
      for (const x of steps)
        if (x.type === "repurpose") assert.isAtLeast(x.year, closed.get(x.school)!, `${x.school} reopens after it closes`)
      const world = World.fold([...s.baseline, ...s.variants[0].events].map((e) => e.event))
      const kindergartens = [...world.schools.values()].filter(
        (k) => k.status === "open" && (k.type === "kindergarten" || k.type === "twelve-year")
      )
      for (const x of steps) {
        if (x.type !== "catchment") continue
        const place = world.settlements.get(x.settlement as never)!
        assert.isTrue(
          kindergartens.some((k) => Distance.km(place.lon, place.lat, k.lon, k.lat) <= 2),
          `${place.id} has a kindergarten within 2 km`
        )
      }
    },
    { fastCheck: { numRuns: 10 } }
  )
})

describe("eliminate large classes (消除大班额)", () => {
  it.prop(
    "after its expansions, no class in the target year is over its cap (catchment-only allocation)",
    [region],
    ([r]) => {
      const { g, streams } = plan(
        r,
        (base) => [{ strategy: "eliminate-large-classes", year: base + 1, targetYear: base + r.lead }],
        "catchment-only"
      )
      const s = planned(streams)
      const target = g.baseYear + r.lead
      const run = (events: ReadonlyArray<Event.Event>) => {
        const m = Compile.compile(events, {
          baseYear: g.baseYear,
          horizon: Math.max(1, target - g.baseYear),
          rule: AllocationRule.catchmentOnly
        })
        return Tables.schools(m, Engine.run(m, { population: false }), "v").filter((x) => x.year === target && x.open)
      }
      const over = (rows: ReadonlyArray<Tables.SchoolRow>) =>
        rows.filter((x) => x.classes_over_cap + x.large_classes + x.super_large_classes > 0)
      assert.deepStrictEqual(
        over(run([...s.baseline, ...s.variants[0].events].map((e) => e.event))).map((x) => x.school_id),
        []
      )
      const before = over(run(s.baseline.map((e) => e.event)))
      assert.strictEqual(s.variants[0].steps.length > 0, before.length > 0, "it expands exactly when some class is over its cap")
    },
    { fastCheck: { numRuns: 12 } }
  )
})
