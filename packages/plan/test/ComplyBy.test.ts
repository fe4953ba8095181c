/**
 * The comply-by strategy (全部达标 at least cost, issue 20) on a township of two primary schools and a junior
 * school: the plan passes the domain rules, its run meets every counted rule from the year it reports, a
 * budget one yuan short delays compliance by a year, and more budget never delays it.
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore } from "@seatplan/core"
import { Effect, Either, FastCheck as fc } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Assumptions, Costs } from "@seatplan/sim"
import { Comply, FromEvents, Project, Scenario, ScenarioLoader, Strategies } from "../src/index.js"

const file = path.join(import.meta.dirname, "fixtures/comply/scenario.yaml")
const text = fs.readFileSync(file, "utf8")
const decoded = Either.getOrThrow(ScenarioLoader.decode(text, file))
const ctx = Scenario.contextOf(decoded.scenario, decoded.baseline)
const reached = (budget: number, targetYear = 2026) => Strategies.complyByPlan(ctx, { year: 2025, targetYear, budget }).report
/** The fixture with the town primary school's entry changed (`from` → `to` in its lines). */
const variantOf = (from: string, to: string) => {
  const at = text.indexOf("  - id: TOWN-PRI")
  const end = text.indexOf("  - id: VILL-PRI")
  const changed = text.slice(0, at) + text.slice(at, end).replace(from, to) + text.slice(end)
  const d = Either.getOrThrow(ScenarioLoader.decode(changed, file))
  return Scenario.contextOf(d.scenario, d.baseline)
}

describe("comply-by: every counted standard by a year at least cost", () => {
  it.effect(
    "the plan passes the domain rules and its run meets every counted rule from the reported year on",
    () =>
      Effect.gen(function* () {
        const report = reached(1_000_000)
        assert.strictEqual(report.reachedYear, 2026)
        assert.deepStrictEqual(report.binding, [])
        assert.deepStrictEqual(report.unaddressed, [])
        // by hand: the town school's equipment to 2,000 yuan a pupil and a multimedia room, an art room at the village school
        assert.deepStrictEqual(report.capitalByYear, { 2025: 686_236 })
        // 6 recruits above the required degree at the town school (5 before the county-wide rotation rules
        // counted): the junior school is the county's only one, so no school can exchange with it, and the two
        // primaries rotate its part of the county's 10 % (8.2 of 82 eligible) between them: 8.2 / 42 of theirs,
        // 3 from the town and 6 from the village (2 and 3 at 10 %). Rotated teachers move without their degree
        // category, so the town keeps 9 of its 12 above the degree (10 before), and one more recruit is needed.
        assert.strictEqual(report.hires, 6)
        assert.strictEqual(report.cost, report.bound, "no round had to add anything: the plan costs its bound")
        // the scenario loads (every step decided against the world) and its run holds from 2026
        const loaded = Either.getOrThrow(ScenarioLoader.fromText(text, file))
        const [baseline, comply] = yield* Effect.gen(function* () {
          yield* Project.store(loaded)
          return yield* Project.run(loaded, { variants: [] })
        }).pipe(Effect.provide(EventStore.layerMemory))
        assert.isNull(baseline.compliance.compliant_from)
        assert.strictEqual(comply.compliance.compliant_from, 2026)
        const failing = comply.checks.filter((c) => c.counts && c.year >= 2026 && c.status === "fail")
        assert.deepStrictEqual(
          failing.map((c) => `${c.year} ${c.rule} ${c.school_id}`),
          []
        )
        // the fixture records no books: those checks are unknown (missing data is not a failure), none else is
        const unknown = new Set(comply.checks.filter((c) => c.counts && c.status === "unknown").map((c) => c.rule))
        assert.deepStrictEqual([...unknown], ["books"])
        // the levers it used: a group (teachers shared, 10 % rotated), recruits by category, investments
        const steps = loaded.streams.variants[0].steps
        assert.deepStrictEqual([...new Set(steps.map((s) => s.type))].sort(), ["form-group", "hire", "invest", "rotate"])
        // the county-wide rotation rules count: 9 of the 82 eligible rotate each year, the junior school none
        const county = comply.county.filter((x) => x.year >= 2025 && x.level === "primary")
        for (const row of county) assert.isAtLeast(row.rotation_share, 0.1, `${row.year}`)
        const share = steps.flatMap((x) => (x.type === "rotate" ? [x.share] : []))
        assert.deepStrictEqual([...new Set(share)], [(0.1 * 82) / 42])
      }),
    180_000
  )

  it("a budget short of the plan's new schools leaves them unbuilt and no step names them: the written plan passes the domain rules, within each year's budget", async () => {
    // the tiny county needs new schools (schools over the size cap); budgets from a fraction of them upward
    const tinyFile = path.join(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml")
    const tiny = Either.getOrThrow(ScenarioLoader.decode(fs.readFileSync(tinyFile, "utf8"), tinyFile))
    for (const budget of [2e6, 1e7, 3e7]) {
      for (const by of [2026, 2030]) {
        // six plans of 4-9 s each: the test's thread answers vitest between them (one block of over a minute
        // on a slow machine times out the worker's call to vitest, which fails the run though every test passed)
        await new Promise((resolve) => setImmediate(resolve))
        const request = { variant: "baseline", year: 2025, targetYear: by, budget }
        const outcome = Either.getOrThrow(Comply.plan(tiny, request))
        const checked = Comply.check(tiny, request, "written", outcome.steps)
        assert.isTrue(Either.isRight(checked), `budget ${budget} by ${by}: ${Either.isLeft(checked) ? checked.left.message : ""}`)
        for (const [year, paid] of Object.entries(outcome.report.capitalByYear))
          assert.isAtMost(paid, budget + 1e-6, `budget ${budget} by ${by}: paid in ${year}`)
      }
    }
  }, 180_000)

  it("a budget one yuan short delays compliance by a year, and says the budget binds", () => {
    const enough = reached(10_000_000, 2025)
    assert.strictEqual(enough.reachedYear, 2025)
    const exact = enough.capital
    assert.strictEqual(reached(exact, 2025).reachedYear, 2025)
    const short = reached(exact - 1, 2025)
    assert.strictEqual(short.reachedYear, 2026)
    assert.deepStrictEqual(short.binding, ["budget"])
    assert.match(short.why, /budget: by 2025 .* the earliest year they fit is 2026/)
  })

  it("a target out of reach says why: a year's budget below the price of one art room", () => {
    const r = reached(1)
    assert.isNull(r.reachedYear)
    assert.deepStrictEqual(r.binding, ["budget"])
    assert.match(r.why, /a music or art room alone costs/)
  })

  it.prop(
    "more budget never delays compliance",
    [fc.integer({ min: 1, max: 1_500_000 }), fc.integer({ min: 0, max: 1_500_000 })],
    ([budget, more]) => {
      const year = (r: Strategies.ComplyByReport) => r.reachedYear ?? Number.POSITIVE_INFINITY
      assert.isAtMost(year(reached(budget + more, 2025)), year(reached(budget, 2025)))
      return true
    },
    { fastCheck: { numRuns: 8 } }
  )

  it.effect(
    "backbone recruits arriving in the target year rotate in it: the group's backbone rotation holds from the target, by hand",
    () =>
      Effect.gen(function* () {
        // neither primary school has a backbone teacher: the group's rotation (10 % of the 42 eligible, 2 from the
        // town and 3 from the village) can carry none until recruits arrive. The backbone indicator (1 per 100
        // pupils) is met by backbone recruits arriving at the start of 2026, as late as the target allows; the
        // 2026 rotation comes after them in the plan, so they rotate in 2026 (before, it ran first and the
        // group's backbone share failed in the target year: the county at 400 million a year reported no year)
        const none = text
          .replace("aboveDegree: 12, backbone: 4, peArts: 4", "aboveDegree: 12, backbone: 0, peArts: 4")
          .replace("aboveDegree: 25, backbone: 5, peArts: 5", "aboveDegree: 25, backbone: 0, peArts: 5")
          .replace(
            "{ strategy: comply-by, year: 2025, targetYear: 2026, budget: 1000000 }",
            "{ strategy: comply-by, year: 2025, targetYear: 2026, budget: 100000000 }"
          )
        const d = Either.getOrThrow(ScenarioLoader.decode(none, file))
        const { steps, report } = Strategies.complyByPlan(Scenario.contextOf(d.scenario, d.baseline), {
          year: 2025,
          targetYear: 2026,
          budget: 100_000_000
        })
        assert.strictEqual(report.reachedYear, 2026)
        const hired = steps.flatMap((x, i) => (x.type === "hire" && x.year === 2026 && (x.backbone ?? 0) > 0 ? [i] : []))
        const rotated = steps.findIndex((x) => x.type === "rotate" && x.year === 2026)
        assert.isAbove(hired.length, 0, "backbone recruits arrive in 2026")
        assert.isAbove(rotated, Math.max(...hired), "the 2026 rotation follows the 2026 recruits")
        const loaded = Either.getOrThrow(ScenarioLoader.fromText(none, file))
        const [, comply] = yield* Effect.gen(function* () {
          yield* Project.store(loaded)
          return yield* Project.run(loaded, { variants: [] })
        }).pipe(Effect.provide(EventStore.layerMemory))
        assert.deepStrictEqual(
          comply.checks.filter((c) => c.counts && c.year >= 2026 && c.status === "fail").map((c) => `${c.year} ${c.rule} ${c.school_id}`),
          []
        )
        assert.strictEqual(comply.compliance.compliant_from, 2026)
      }),
    180_000
  )

  it("more budget never delays compliance on a generated county (townships, villages, ~25 schools), budgets from a tenth of its needs to all of them in a year", () => {
    // a synthetic county (the generator behind the county example), drawn at a fifth of its extent so that its
    // homes are within the distance standards comply-by does not build sites for: budgets from a tenth of what the
    // plan with money enough spends up to all of it in one year, for targets one and three years on. Seeds whose
    // plan with money enough reaches a year (seed 3 through a plan holding later than the year it was made for,
    // seed 5 through the plan made again for a later target: its base+2 plan's rounds left classCap failing;
    // seed 7 needs a third primary in the county seat, land, and reaches none whatever the budget)
    const year = (r: Strategies.ComplyByReport) => r.reachedYear ?? Number.POSITIVE_INFINITY
    for (const seed of [3, 5, 11, 13]) {
      const g = Either.getOrThrow(FromEvents.compactCounty(seed, 60, 25))
      const county = g.scenario
      const c = Scenario.contextOf(county, Scenario.baselineOf(county))
      for (const target of [g.baseYear + 2, g.baseYear + 4]) {
        const at = (budget: number) => Strategies.complyByPlan(c, { year: g.baseYear + 1, targetYear: target, budget }).report
        const enough = at(1e10).capital
        const years = [0.1, 0.3, 1].map((f) => year(at(Math.round(enough * f))))
        assert.isFinite(years[2], `seed ${seed}, target ${target}: with money enough a year is reached`)
        for (let i = 1; i < years.length; i++) assert.isAtMost(years[i], years[i - 1], `seed ${seed}, target ${target}: ${years}`)
      }
    }
  }, 600_000)

  it("with money enough, generated counties whose plans were late reach their target: a split school grows in the rounds, a school its expansion fills past the size cap gets its site, an earlier year's plan holds, rotations are lifted to the county-wide share", () => {
    // `pnpm bench --only=comply`'s counties (three sizes, seeds 1-16): before the rounds sized the plan's own new
    // schools and sited schools their expansions filled past the cap, these plans held 2-6 years late (seeds 4,
    // 8, 10, 16) or never (seed 9 for base+4: its plan for base+2 holds, so holds by base+4)
    for (const [seed, settlements, offset] of [
      [4, 60, 2],
      [8, 90, 2],
      [10, 60, 2],
      [16, 60, 4],
      [9, 40, 4],
      // the county-wide rotation share fell to 9.7-9.9 % in the last years as recruits aged 30-54 at schools in
      // no group joined the eligible: the rounds now lift those years' rotations (seeds 20 and 26 held a year late)
      [20, 40, 2],
      [26, 40, 2]
    ] as const) {
      const g = Either.getOrThrow(FromEvents.compactCounty(seed, settlements, Math.round(settlements * 0.42)))
      const c = Scenario.contextOf(g.scenario, Scenario.baselineOf(g.scenario))
      const target = g.baseYear + offset
      const { steps, report } = Strategies.complyByPlan(c, { year: g.baseYear + 1, targetYear: target, budget: 1e10 })
      assert.isNotNull(report.reachedYear, `seed ${seed}: ${report.why}`)
      assert.isAtMost(report.reachedYear ?? Infinity, target, `seed ${seed}: ${report.why}`)
      assert.deepStrictEqual(report.binding, [], `seed ${seed}`)
      // the plan passes the domain rules: decided step by step against the world
      assert.isAbove(steps.length, 0)
      const planned = Scenario.toStreams({
        ...g.scenario,
        variants: [{ name: "comply", events: steps }]
      } as unknown as Scenario.ScenarioFile)
      assert.isTrue(Either.isRight(planned), `seed ${seed}: ${Either.isLeft(planned) ? planned.left.map((x) => x.message).join("; ") : ""}`)
    }
  }, 300_000)

  it.prop(
    "more budget never delays compliance on any generated county (a property over the generator's seeds and two budgets)",
    [fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })],
    ([seed, low, more]) => {
      const g = Either.getOrThrow(FromEvents.compactCounty(seed, 40, 17))
      const c = Scenario.contextOf(g.scenario, Scenario.baselineOf(g.scenario))
      const at = (budget: number) => Strategies.complyByPlan(c, { year: g.baseYear + 1, targetYear: g.baseYear + 2, budget }).report
      const year = (r: Strategies.ComplyByReport) => r.reachedYear ?? Number.POSITIVE_INFINITY
      // budgets as shares of what the plan with money enough spends in all
      const enough = at(1e10).capital
      const budget = Math.round(enough * low)
      const richer = Math.round(enough * Math.min(1, low + more))
      assert.isAtMost(year(at(richer)), year(at(budget)), `seed ${seed}: ${budget} and ${richer} yuan a year`)
      return true
    },
    { timeout: 300_000, fastCheck: { numRuns: 4 } }
  )

  it("books (图书) are a lever: the town school's volumes short of 25 a pupil are bought at 30 yuan each", () => {
    const withBooks = variantOf("    artRooms: 1\n", "    artRooms: 1\n    books: 8000\n")
    const { steps, report } = Strategies.complyByPlan(withBooks, { year: 2025, targetYear: 2026, budget: 1_000_000 })
    assert.strictEqual(report.reachedYear, 2026)
    const books = steps
      .filter((x) => x.type === "invest" && x.school === "TOWN-PRI")
      .reduce((n, x) => n + (x.type === "invest" ? (x.books ?? 0) : 0), 0)
    // 25 volumes × the school's peak pupils from 2026 (398.1 in 2030: 360 and the village's migrants) − 8,000 recorded
    // = 1,953; the other schools record no books: their checks are unknown, nothing is bought for them
    assert.strictEqual(books, 1_953)
    assert.strictEqual(report.capitalByYear[2025], 686_236 + 1_953 * Costs.facilityUnitCosts.books)
  })

  it("expand is a lever: a school with half the classrooms its classes need is expanded before the target, paid from the budget", () => {
    const crowded = variantOf("    classrooms: 12\n", "    classrooms: 6\n")
    const { steps, report } = Strategies.complyByPlan(crowded, { year: 2025, targetYear: 2026, budget: 100_000_000 })
    assert.strictEqual(report.reachedYear, 2026)
    const expand = steps.find((x) => x.type === "expand" && x.school === "TOWN-PRI")
    assert.isDefined(expand)
    // 360 pupils in 6 grades of 60: two classes of 30 a grade, 12 classrooms, 6 of them missing
    assert.strictEqual(expand?.type === "expand" ? expand.classrooms : 0, 6)
    const built =
      expand?.type === "expand"
        ? Costs.capital(Assumptions.defaults, expand.seats ?? 0, expand.classrooms ?? 0, expand.boardingBeds ?? 0)
        : 0
    assert.isAtLeast(report.capitalByYear[2025] ?? 0, built)
  })

  it.effect.prop(
    "whatever the budget and target, the plan passes the domain rules and its run meets every counted rule from the year it reports",
    [fc.integer({ min: 300_000, max: 2_000_000 }), fc.constantFrom(2025, 2026, 2027)],
    ([budget, target]) =>
      Effect.gen(function* () {
        const report = reached(budget, target)
        const changed = text.replace(
          "{ strategy: comply-by, year: 2025, targetYear: 2026, budget: 1000000 }",
          `{ strategy: comply-by, year: 2025, targetYear: ${target}, budget: ${budget} }`
        )
        // loading decides every step of the plan against the world: a refused step is a Left here
        const loaded = ScenarioLoader.fromText(changed, file)
        assert.isTrue(Either.isRight(loaded), Either.isLeft(loaded) ? loaded.left.message : "")
        if (Either.isLeft(loaded) || report.reachedYear === null) return true
        const reachedYear = report.reachedYear
        const [, comply] = yield* Effect.gen(function* () {
          yield* Project.store(loaded.right)
          return yield* Project.run(loaded.right, { variants: [] })
        }).pipe(Effect.provide(EventStore.layerMemory))
        const failing = comply.checks.filter((c) => c.counts && c.year >= reachedYear && c.status === "fail")
        assert.deepStrictEqual(
          failing.map((c) => `${c.year} ${c.rule} ${c.school_id}`),
          []
        )
        return true
      }),
    { fastCheck: { numRuns: 4 }, timeout: 300_000 }
  )

  it("a village near a closed building comply-by reopens as a kindergarten is rezoned to it (not left beyond the radius)", () => {
    // the town kindergarten serves the town, the village (2.15 km away) and a hamlet 1.0 km east of the village
    // (3.06 km from the town): both are beyond the 2 km radius. The village's empty teaching point closes in 2025;
    // comply-by reopens it as the village's kindergarten (幼儿园就近就便), and the hamlet, which that building
    // serves, is zoned to it too (before, it stayed zoned to the town's and the report said land binds)
    const kg = text
      .replace(
        "population:\n",
        "  - { id: FAR, name: Hamlet, tier: village, lon: 113.531, lat: 34.21, parent: TOWN }\npopulation:\n  - settlement: FAR\n    byAge: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]\n"
      )
      .replace(
        "schools:\n",
        [
          "schools:",
          "  - { id: TOWN-KG, name: Town kindergarten, type: kindergarten, settlement: TOWN, classrooms: 10, seats: 300, boardingBeds: 0, floorArea: 2000, sportsArea: 2000, equipmentValue: 300000, multimediaRooms: 4, musicRooms: 1, artRooms: 1, teachers: { total: 30, byAge: { 30-39: 30 }, aboveDegree: 30, backbone: 3, peArts: 3, mentalHealth: 0 } }",
          "  - { id: VILL-TP, name: Village teaching point, type: teaching-point, settlement: VILL, classrooms: 2, seats: 60, boardingBeds: 0, floorArea: 300, sportsArea: 600, equipmentValue: 20000, multimediaRooms: 1, musicRooms: 0, artRooms: 0, teachers: { total: 0 } }",
          ""
        ].join("\n")
      )
      .replace("catchments:\n", "catchments:\n  kindergarten: { TOWN: TOWN-KG, VILL: TOWN-KG, FAR: TOWN-KG }\n")
      .replace("  primary: { TOWN: TOWN-PRI, VILL: VILL-PRI }", "  primary: { TOWN: TOWN-PRI, VILL: VILL-PRI, FAR: VILL-PRI }")
      .replace("  junior: { TOWN: TOWN-JUN, VILL: TOWN-JUN }", "  junior: { TOWN: TOWN-JUN, VILL: TOWN-JUN, FAR: TOWN-JUN }")
    const d = Either.getOrThrow(ScenarioLoader.decode(kg, file))
    const closed: ReadonlyArray<Scenario.PlanStep> = [{ type: "close", year: 2025, school: "VILL-TP" }]
    const { steps, report } = Strategies.complyByPlan(Scenario.contextOf(d.scenario, d.baseline, closed), {
      year: 2025,
      targetYear: 2026,
      budget: 100_000_000
    })
    assert.deepStrictEqual(
      steps.filter((x) => x.type === "repurpose"),
      [{ type: "repurpose", year: 2025, school: "VILL-TP", use: "kindergarten" }]
    )
    const zoned = steps.flatMap((x) => (x.type === "catchment" && x.level === "kindergarten" ? [`${x.settlement} ${x.school}`] : []))
    assert.sameMembers(zoned, ["VILL VILL-TP", "FAR VILL-TP"])
    assert.notInclude(report.binding, "land")
    assert.notInclude(report.unaddressed, "distance")
  })

  it.effect(
    "a lone junior school and the junior school of another township exchange teachers (县域内交流): both meet 10 %, by hand",
    () =>
      Effect.gen(function* () {
        // a second township, FAR (about 9 km east), with junior pupils only and its own junior school: 20 teachers
        // eligible (aged 30-54), 2 backbone. TOWN-JUN (40 eligible, 6 backbone) is alone at its level in TOWN, FAR-JUN
        // in FAR: each year they exchange the larger of ⌈10 %⌉ of 40 and of 20, 4 each way (10 % and 20 %), one
        // backbone teacher among each four (⌈0.8⌉); the primaries' group rotates 2 + 3 at 10 %, so no share is raised
        const far = text
          .replace(
            "population:\n",
            "  - { id: FAR, name: Far, tier: township, lon: 113.6, lat: 34.2 }\npopulation:\n  - settlement: FAR\n    byAge: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 40, 40, 0, 0, 0, 0]\n"
          )
          .replace(
            "catchments:\n",
            "  - id: FAR-JUN\n    name: Far junior\n    type: junior\n    settlement: FAR\n    classrooms: 6\n    seats: 300\n    boardingBeds: 0\n    floorArea: 1500\n    sportsArea: 2500\n    equipmentValue: 600000\n    multimediaRooms: 6\n    musicRooms: 1\n    artRooms: 1\n    teachers: { total: 20, byAge: { 30-39: 10, 40-49: 10 }, aboveDegree: 20, backbone: 2, peArts: 3, mentalHealth: 0 }\ncatchments:\n"
          )
          .replace("junior: { TOWN: TOWN-JUN, VILL: TOWN-JUN }", "junior: { TOWN: TOWN-JUN, VILL: TOWN-JUN, FAR: FAR-JUN }")
        const loaded = Either.getOrThrow(ScenarioLoader.fromText(far, file))
        const steps = loaded.streams.variants[0].steps
        const exchanges = steps.flatMap((x) => (x.type === "exchange" ? [`${x.year} ${x.school} ${x.partner} ${x.share ?? "-"}`] : []))
        assert.deepStrictEqual(
          exchanges,
          [2025, 2026, 2027, 2028, 2029, 2030].map((y) => `${y} FAR-JUN TOWN-JUN -`)
        )
        assert.isTrue(
          steps.every((x) => x.type !== "rotate" || x.share === undefined),
          "everyone has a partner: 10 %"
        )
        const [, comply] = yield* Effect.gen(function* () {
          yield* Project.store(loaded)
          return yield* Project.run(loaded, { variants: [] })
        }).pipe(Effect.provide(EventStore.layerMemory))
        const rows = comply.county.filter((x) => x.level === "junior" && x.year >= 2025)
        // 2025: 5 primary + 8 junior of 42 + 60 eligible rotate (12.7 %), 4 of the 13 backbone (1 from each school)
        assert.approximately(rows[0].rotation_share, 13 / 102, 1e-12)
        assert.approximately(rows[0].backbone_rotation_share, 4 / 13, 1e-12)
        for (const r of rows) assert.isAtLeast(r.rotation_share, 0.1, `${r.year}`)
        const failing = comply.checks.filter((c) => c.counts && c.year >= 2025 && c.status === "fail" && c.rule.startsWith("rotation"))
        assert.deepStrictEqual(
          failing.map((c) => `${c.year} ${c.rule} ${c.school_id}`),
          []
        )
      }),
    180_000
  )

  it.effect(
    "the teacher indicators' difference coefficient (差异系数) is evened up by recruits at the lowest school, by hand",
    () =>
      Effect.gen(function* () {
        // every village teacher a backbone teacher: 30 per 360 pupils (8.33 per 100) against the town's 4 (1.11):
        // the pupil-weighted coefficient of two schools is |a − b| / (a + b) = 0.76, over the primary limit 0.50.
        // Within it when the town has at least a third of the village's rate: 2.78 per 100, 10 of 360 pupils,
        // so at least 6 backbone recruits at the town school (groups off: no rotation moves them, so the
        // county-wide rotation rules, which count by default, are not counted here)
        const backbone = text
          .replace("aboveDegree: 25, backbone: 5, peArts: 5", "aboveDegree: 25, backbone: 30, peArts: 5")
          .replace(
            "variants:\n",
            "rules:\n  - { id: rotation.share, counts: false }\n  - { id: rotation.backbone, counts: false }\nvariants:\n"
          )
          .replace(
            "{ strategy: comply-by, year: 2025, targetYear: 2026, budget: 1000000 }",
            "{ strategy: comply-by, year: 2025, targetYear: 2026, budget: 100000000, groups: false }"
          )
        const loaded = Either.getOrThrow(ScenarioLoader.fromText(backbone, file))
        const [baseline, comply] = yield* Effect.gen(function* () {
          yield* Project.store(loaded)
          return yield* Project.run(loaded, { variants: [] })
        }).pipe(Effect.provide(EventStore.layerMemory))
        const dc = (r: Project.VariantResult, year: number) =>
          r.county.find((x) => x.year === year && x.level === "primary")?.difference_coefficients.backbone_per_100 ?? Number.NaN
        assert.approximately(dc(baseline, 2024), (30 - 4) / (30 + 4), 1e-9, "two schools of 360 pupils: |a − b| / (a + b)")
        for (let year = 2026; year <= 2030; year++) assert.isAtMost(dc(comply, year), 0.5, `${year}`)
        const hires = loaded.streams.variants[0].steps.flatMap((x) => (x.type === "hire" ? [x] : []))
        assert.deepStrictEqual([...new Set(hires.map((x) => x.school))], ["TOWN-PRI"], "only the lowest school is raised")
        assert.isAtLeast(
          hires.reduce((n, x) => n + (x.backbone ?? 0), 0),
          6
        )
        assert.strictEqual(comply.compliance.compliant_from, 2026)
      }),
    180_000
  )

  it.effect(
    "a school over the size cap from its own settlement alone: a second school in the town takes half its pupils (学区划分), by hand",
    () =>
      Effect.gen(function* () {
        // the primary size cap set to 300: the town school's 360 pupils (398.1 at the 2030 peak, with the
        // village's migrants) come from the town alone, so no settlement can go elsewhere: the town is split
        const capped = text.replace("catchments:\n", "standards: { schoolSize.primary: 300 }\ncatchments:\n")
        const d = Either.getOrThrow(ScenarioLoader.decode(capped, file))
        const { steps, report } = Strategies.complyByPlan(Scenario.contextOf(d.scenario, d.baseline), {
          year: 2025,
          targetYear: 2026,
          budget: 100_000_000
        })
        // the size cap no longer binds (no land needed)
        assert.notInclude(report.binding, "land")
        assert.notInclude(report.unaddressed, "schoolSize")
        const opened = steps.find((x) => x.type === "open" && x.school.id === "TOWN-PRI-PS")
        assert.strictEqual(opened?.type === "open" ? opened.school.settlement : undefined, "TOWN")
        const split = steps.find((x) => x.type === "catchment" && x.school === "TOWN-PRI-PS")
        assert.deepStrictEqual(split, {
          type: "catchment",
          year: 2025,
          level: "primary",
          settlement: "TOWN",
          school: "TOWN-PRI-PS",
          share: 0.5
        })
        // the plan, run as explicit steps: each school has half the town's pupils (whole pupils), none lost
        const changed = capped.replace(
          "{ strategy: comply-by, year: 2025, targetYear: 2026, budget: 1000000 }",
          "{ strategy: comply-by, year: 2025, targetYear: 2026, budget: 100000000 }"
        )
        const loaded = Either.getOrThrow(ScenarioLoader.fromText(changed, file))
        const [baseline, comply] = yield* Effect.gen(function* () {
          yield* Project.store(loaded)
          return yield* Project.run(loaded, { variants: [] })
        }).pipe(Effect.provide(EventStore.layerMemory))
        const pupils = (r: Project.VariantResult, id: string, year: number) =>
          r.schools.find((x) => x.school_id === id && x.year === year && x.level === "primary")?.pupils ?? 0
        for (const year of [2026, 2030]) {
          const town = pupils(baseline, "TOWN-PRI", year)
          assert.isAbove(town, 300, `${year}: over the cap without the split`)
          const second = pupils(comply, "TOWN-PRI-PS", year)
          assert.strictEqual(second, Math.round(town * 0.5), `${year}: whole pupils to the second school`)
          assert.approximately(pupils(comply, "TOWN-PRI", year) + second, town, 1e-9, `${year}: none lost or duplicated`)
          // the catchments table: the town is in both catchments, its residents split as its pupils are
          const zone = (id: string) => comply.catchments.find((x) => x.school_id === id && x.year === year && x.level === "primary")
          const whole = baseline.catchments.find((x) => x.school_id === "TOWN-PRI" && x.year === year && x.level === "primary")!
          assert.strictEqual(zone("TOWN-PRI-PS")?.settlements, 1, `${year}: the second school's catchment holds the town`)
          assert.strictEqual(zone("TOWN-PRI-PS")?.resident_pupils, Math.round(whole.resident_pupils * 0.5), `${year}: whole residents`)
          assert.approximately(
            zone("TOWN-PRI")!.resident_pupils + zone("TOWN-PRI-PS")!.resident_pupils,
            whole.resident_pupils,
            1e-9,
            `${year}: residents neither lost nor counted twice`
          )
        }
        const over = comply.checks.filter((c) => c.rule === "schoolSize" && c.year >= 2025 && c.status === "fail")
        assert.deepStrictEqual(
          over.map((c) => `${c.year} ${c.school_id}`),
          []
        )
      }),
    180_000
  )
})
