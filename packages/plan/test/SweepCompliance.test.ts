/**
 * Robustness over every counted standard (issue 17): the compliance a sweep records for a future (`Counted`,
 * checked on the cube without tables) is what `run`'s path reports for that future's assumptions
 * (`Project.checked`: the schools, county and groups tables, `Compliance.evaluate`, `Compliance.compliance`),
 * rule by rule and year by year, on the county example (school groups sharing teachers in `comply`) and on
 * the tiny one with a school whose data are missing (unknown checks are not failures).
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore } from "@seatplan/core"
import { Compile, Compliance, Counted, Engine, Groups } from "@seatplan/sim"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Futures, Project, Robustness, ScenarioLoader, Sweep } from "../src/index.js"

const root = path.resolve(import.meta.dirname, "../../..")
const load = (file: string) => Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(path.join(root, file), "utf8"), file))

/** Per variant and future: how many rule-years the sweep and run's path compared, and how many failed. */
const compare = (loaded: ScenarioLoader.Loaded, variants: ReadonlyArray<string>, futures: number, seed: number) =>
  Effect.runSync(
    Effect.gen(function* () {
      yield* Project.store(loaded)
      let compared = 0
      let failed = 0
      for (const variant of variants) {
        const { model, events } = yield* Project.compiled(loaded, variant)
        const groups = Groups.byYear(
          events.map((e) => e.event),
          model.baseYear,
          model.baseYear + model.horizon
        )
        const spec = Counted.spec(loaded.rules, groups, loaded.missing ?? new Map())
        const space: Futures.Space = { uncertainty: loaded.scenario.uncertainty ?? {}, named: [] }
        const drawn = Futures.latinHypercube(space, futures, seed)
        for (const future of [{ id: -1, name: "central", values: {} }, ...drawn]) {
          const a = Futures.assumptionsOf(model.assumptions, future, { baseYear: model.baseYear, horizon: model.horizon })
          const holds = Sweep.project(model, a, spec).holds
          // run's path with the future's assumptions
          const m = { ...Compile.fresh(model), assumptions: a }
          const cube = Engine.run(m)
          const { checks } = Project.checked(loaded, variant, m, cube, events)
          const years = Array.from({ length: cube.years }, (_, y) => model.baseYear + y)
          const reported = Compliance.compliance(variant, checks, years, loaded.rules)
          const R = spec.rules.length
          spec.rules.forEach((rule, r) => {
            const failing = new Set(reported.rules.find((x) => x.rule === rule.id)?.failing_years ?? [])
            years.forEach((year, y) => {
              compared++
              if (failing.has(year)) failed++
              assert.strictEqual(holds[y * R + r] === 1, !failing.has(year), `${variant} ${future.name} ${rule.id} ${year}`)
            })
          })
          // every counted rule together is run's headline (全部达标)
          years.forEach((year, y) => {
            let all = true
            for (let r = 0; r < R; r++) if (holds[y * R + r] === 0) all = false
            assert.strictEqual(all, reported.failing_by_year[String(year)] === 0, `${variant} ${future.name} all ${year}`)
          })
        }
      }
      return { compared, failed }
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

describe("a sweep's compliance per counted standard is run's", () => {
  it("on the county example: comply (school groups) and layout, the central future and 2 drawn ones", () => {
    const county = load("scenarios/county/scenario.yaml")
    const { compared, failed } = compare(county, ["comply", "layout"], 2, 5)
    assert.isAbove(compared, 500)
    assert.isAbove(failed, 0)
    assert.isBelow(failed, compared)
  }, 300_000)

  it("on the tiny example with a school's teachers missing: unknown checks fail in neither", () => {
    const tiny = load("scenarios/tiny/scenario.yaml")
    const school = tiny.scenario.schools?.[0]?.id
    assert.isDefined(school)
    const missing = new Map([[String(school), new Set(["teachers", "teachers.aboveDegree", "books"] as const)]])
    const { compared } = compare({ ...tiny, missing }, ["baseline"], 3, 2)
    assert.isAbove(compared, 0)
  }, 120_000)
})

describe("robustness reads every counted standard", () => {
  it("lists the figure standards, each counted rule and full compliance; a rule's share is the futures holding it", () => {
    const futures = [0, 1].map((id) => ({ id, name: `f${id}`, values: {} }))
    const rows = futures.flatMap((f) => Sweep.rowsOf(f, "A", 2025, new Float64Array(2 * 4 * Sweep.figures.length)))
    const rules = [
      { id: "classCap", zh: "班额", en: "class cap" },
      { id: "staffing", zh: "编制", en: "staffing" }
    ] as unknown as ReadonlyArray<Compliance.Rule>
    // years × rules: future 0 fails classCap in 2026, future 1 fails staffing in both years
    const holds = [Uint8Array.from([1, 1, 0, 1]), Uint8Array.from([1, 0, 1, 0])]
    const t = Robustness.totals({ futures, variants: ["A"], rows, rules: [rules], holds: [holds] })
    assert.deepStrictEqual(Robustness.standardsOf(t), ["seats", "class-size", "teachers", "all", "classCap", "staffing", "counted"])
    const share = (standard: string, year: number) =>
      Robustness.robustness(t).find((r) => r.standard === standard && r.year === year)?.holds_share
    assert.strictEqual(share("classCap", 2025), 1)
    assert.strictEqual(share("classCap", 2026), 0.5)
    assert.strictEqual(share("staffing", 2025), 0.5)
    assert.strictEqual(share("counted", 2026), 0)
    assert.strictEqual(share("seats", 2026), 1)
    const verdict = Robustness.verdicts(t, { design: "named", keys: [] }).find((v) => v.standard === "classCap")!
    assert.strictEqual(verdict.year, 2025)
    assert.strictEqual(verdict.share, 0.5)
    assert.deepStrictEqual(verdict.failing, ["f0"])
    assert.include(verdict.text.en, 'A meets "class cap" from 2025 on in 50 % of futures; it fails in f0.')
  })
})
