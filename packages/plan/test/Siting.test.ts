import { assert, describe, it } from "@effect/vitest"
import { Heuristic, Problem } from "@seatplan/optimize"
import { Compliance, Synthetic } from "@seatplan/sim"
import { Either, FastCheck as fc } from "effect"
import { FromEvents, Scenario, Siting } from "../src/index.js"

const region = fc.record({
  seed: fc.integer({ min: 1, max: 100_000 }),
  settlements: fc.integer({ min: 20, max: 80 }),
  yearOffset: fc.integer({ min: 2, max: 6 }),
  share: fc.double({ min: 0, max: 1, noNaN: true }),
  problem: fc.constantFrom("p-median", "capacitated-p-median", "fixed-charge") as fc.Arbitrary<Problem.Kind>
})

const loadedOf = (seed: number, settlements: number) => {
  const g = Either.getOrThrow(Synthetic.generate({ seed, settlements }))
  const scenario = FromEvents.scenarioOf(g.events, {
    name: "siting test (synthetic)",
    description: "synthetic",
    baseYear: g.baseYear,
    horizon: 10
  }) as Scenario.ScenarioFile
  const streams = Scenario.toStreams(scenario)
  if (Either.isLeft(streams)) throw new Error(JSON.stringify(streams.left.slice(0, 3)))
  return { file: "synthetic.yaml", scenario, streams: streams.right, rules: Compliance.national }
}

describe("siting over a scenario", () => {
  it.prop(
    "the plan of any solution passes decide, builds the year before it moves catchments and closes, and closes only schools left out",
    [region],
    ([r]) => {
      const loaded = loadedOf(r.seed, r.settlements)
      const year = loaded.scenario.baseYear + r.yearOffset
      const siting = Either.getOrThrow(Siting.build(loaded, { level: "primary", years: [year, year] }))
      const inst = siting.instance
      let fixed = 0
      for (let j = 0; j < inst.sites; j++) if (inst.status[j] === Problem.Status.fixed) fixed++
      const p = Math.max(1, fixed + Math.round(r.share * (inst.sites - fixed)))
      const problem: Problem.Problem =
        r.problem === "fixed-charge"
          ? { kind: "fixed-charge", kmCost: 3800, capacitated: true }
          : r.problem === "capacitated-p-median"
            ? { kind: "capacitated-p-median", p, kmCost: 3800 }
            : { kind: "p-median", p }
      const solved = Heuristic.solve(inst, problem, { timeLimit: 5 })
      if (Either.isLeft(solved)) {
        // capacities below demand, or a settlement larger than any one school (single sourcing), are a
        // legitimate answer, stated with the shortfall
        assert.include(["Infeasible", "SolverError"], solved.left._tag)
        assert.match(solved.left.message, /below demand|no feasible solution|wholly to one school.*seats short/)
        return
      }
      const solution = solved.right.solution
      const steps = Either.getOrThrow(Siting.plan(loaded, siting, solution))
      const streams = Scenario.toStreams({ ...loaded.scenario, variants: [{ name: "optimized", events: steps }] })
      assert.isTrue(Either.isRight(streams), Either.isLeft(streams) ? JSON.stringify(streams.left.slice(0, 3)) : "")
      const buildYear = Math.max(loaded.scenario.baseYear + 1, year - 1)
      for (const s of steps) {
        if (s.type === "open" || s.type === "expand") assert.strictEqual(s.year, buildYear)
        else assert.strictEqual(s.year, buildYear + 1)
      }
      const closed = new Set(steps.flatMap((s) => (s.type === "close" ? [s.school] : [])))
      siting.sites.forEach((site, j) => {
        if (site.kind === "existing") assert.strictEqual(closed.has(site.id), solution.open[j] !== 1, site.id)
        if (inst.status[j] === Problem.Status.fixed) assert.isFalse(closed.has(site.id), `${site.id} is fixed`)
      })
      for (const s of steps) if (s.type === "close") assert.isFalse(closed.has(s.into!), "never into a closing school")
    },
    {
      fastCheck: {
        numRuns: 15,
        // CI's counterexample: a settlement of 2,022 pupils larger than any one site
        examples: [[{ seed: 1, settlements: 80, yearOffset: 2, share: 0, problem: "capacitated-p-median" }]]
      }
    }
  )
})

describe("siting errors", () => {
  it("bad options and a plan without room are tagged SitingErrors naming the option, never throws", () => {
    const loaded = loadedOf(7, 30)
    const base = loaded.scenario.baseYear
    const refused = (r: Either.Either<unknown, { readonly _tag: string; readonly message: string }>) => {
      if (Either.isRight(r)) return assert.fail("expected a SitingError")
      assert.instanceOf(r.left, Siting.SitingError)
      return r.left as Siting.SitingError
    }
    const late = refused(Siting.build(loaded, { level: "primary", years: [base + 50, base + 50] }))
    assert.strictEqual(late.option, "--year")
    assert.strictEqual(
      late.message,
      `synthetic.yaml: --year: expected years after the base year ${base} up to ${base + 10} (the horizon), found ${base + 50}`
    )
    const keep = refused(Siting.build(loaded, { level: "primary", years: [base + 2, base + 2], keep: ["NO-SUCH-SCHOOL"] }))
    assert.strictEqual(keep.message, "synthetic.yaml: --keep: no open primary school NO-SUCH-SCHOOL")
    const school = loaded.scenario.schools[0].id
    const taken = refused(
      Siting.build(loaded, { level: "primary", years: [base + 2, base + 2], candidates: [{ id: school, lon: 111, lat: 32 }] })
    )
    assert.deepStrictEqual([taken.option, taken.message], ["--sites", `synthetic.yaml: --sites: ${school} is already a school id`])
    const siting = Either.getOrThrow(Siting.build(loaded, { level: "primary", years: [base + 10, base + 10] }))
    const open = Uint8Array.from(siting.sites, () => 1)
    const solution = Problem.evaluate(siting.instance, { kind: "p-median", p: siting.instance.sites }, open)!
    const noRoom = refused(Siting.plan(loaded, siting, solution, { buildYear: base + 10 }))
    assert.isUndefined(noRoom.option)
    assert.match(noRoom.message, /^synthetic\.yaml: no room in the horizon: schools built in \d+ can take pupils in \d+/)
  })
})

describe("checked before the distances are measured", () => {
  it.prop(
    "build with p refuses exactly when the problem's own check of the built instance does, with the same reason",
    [fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 20, max: 60 }), fc.boolean(), fc.integer({ min: -1, max: 80 })],
    ([seed, settlements, noClosures, p]) => {
      const loaded = loadedOf(seed, settlements)
      const year = loaded.scenario.baseYear + 3
      const options = { level: "primary", years: [year, year], noClosures } as const
      const inst = Either.getOrThrow(Siting.build(loaded, options)).instance
      const want = Problem.check(inst, { kind: "p-median", p })
      const got = Siting.build(loaded, { ...options, p })
      if (Either.isRight(got)) assert.isTrue(Either.isRight(want), "no count it should refuse")
      else {
        assert.strictEqual(got.left._tag, "Infeasible")
        assert.isTrue(Either.isLeft(want))
        if (Either.isLeft(want)) assert.strictEqual(got.left.message, want.left.message)
      }
    },
    { fastCheck: { numRuns: 40 } }
  )

  it("more settlement × site distances than one call measures is refused, naming the counts, before any is measured", () => {
    const loaded = loadedOf(11, 40)
    const year = loaded.scenario.baseYear + 3
    const inst = Either.getOrThrow(Siting.build(loaded, { level: "primary", years: [year, year] })).instance
    const pairs = inst.points * inst.sites
    assert.isTrue(Either.isRight(Siting.build(loaded, { level: "primary", years: [year, year], maxPairs: pairs })))
    const refused = Either.getLeft(Siting.build(loaded, { level: "primary", years: [year, year], maxPairs: pairs - 1 }))
    assert.isTrue(refused._tag === "Some" && refused.value._tag === "SitingError")
    if (refused._tag === "Some")
      assert.match(
        refused.value.message,
        new RegExp(
          `^synthetic\\.yaml: siting pairs every settlement with every candidate site: ${inst.points} settlements × ${inst.sites} sites are ${pairs.toLocaleString("en")} distances .* site one county at a time`
        )
      )
  })

  it("a grid spacing too fine to weigh is refused with the spacing that would do, before the grid is made", () => {
    const loaded = loadedOf(11, 40)
    const year = loaded.scenario.baseYear + 3
    const options = { level: "primary" as const, years: [year, year] as const, maxPairs: 1_000_000 }
    const refused = Either.getLeft(Siting.build(loaded, { ...options, gridKm: 0.0001 }))
    assert.isTrue(refused._tag === "Some" && refused.value._tag === "SitingError")
    const least = refused._tag === "Some" ? /at least ([\d.,]+) km/.exec(refused.value.message) : null
    assert.isNotNull(least, String(refused))
    // the spacing it names is taken (the grid's cells × settlements within the limit)
    const spacing = Number((least?.[1] ?? "0").replace(/,/g, ""))
    assert.isTrue(Either.isRight(Siting.build(loaded, { ...options, gridKm: spacing * 1.05 })))
  })
})
