/**
 * The workspace's projection after an edit is incremental: the plan's events are compiled onto the
 * baseline compiled once (`Compile.extendEither`), only the years from the edit's on are run
 * (`Engine.resume` from the variant's last run) and only their school rows are built. Whatever plans a
 * planner walks through — edits added, undone, redone, in any year order, openings that change the
 * model's shape — the result is a projection from scratch (`Compile.compile` of the whole stream, run
 * from the base year, as `seatplan run` does): the same model, the cube byte for byte, the same tables,
 * and the same figures on the page.
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore, SqliteEventStore } from "@seatplan/core"
import { Scenario } from "@seatplan/plan"
import { Compile, Engine, Groups, Places, Results, Tables } from "@seatplan/sim"
import { Effect, Exit, Layer, Scope } from "effect"
import fc from "fast-check"
import * as path from "node:path"
import { afterAll, beforeAll } from "vitest"
import { Schema } from "effect"
import * as Api from "../../src/serve/Api.js"
import * as Figures from "../../src/serve/Figures.js"
import * as Workspace from "../../src/serve/Workspace.js"
import { temp } from "../seatplan.js"
import { tiny } from "./harness.js"

let scope: Scope.CloseableScope
let workspace: Workspace.Workspace

beforeAll(async () => {
  const db = path.join(temp("seatplan-serve-inc-"), "workspace.sqlite")
  scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(SqliteEventStore.layer({ filename: db }), scope))
  workspace = await Effect.runPromise(
    Effect.gen(function* () {
      return yield* Workspace.open(db, yield* EventStore.EventStore, tiny)
    }).pipe(Effect.provide(context), Scope.extend(scope))
  )
}, 60_000)
afterAll(async () => {
  if (scope !== undefined) await Effect.runPromise(Scope.close(scope, Exit.void))
})

const year = fc.integer({ min: 2025, max: 2039 })
const step: fc.Arbitrary<Scenario.PlanStep> = fc.oneof(
  fc.record({
    type: fc.constant("hire" as const),
    year,
    school: fc.constantFrom("DONG-PRI", "SEAT-PRI-1", "WANG-PRI", "SEAT-JUN"),
    count: fc.integer({ min: 1, max: 6 })
  }),
  fc.record({
    type: fc.constant("expand" as const),
    year,
    school: fc.constantFrom("DONG-PRI", "SEAT-KG", "DONG-JUN"),
    classrooms: fc.integer({ min: 1, max: 6 }),
    seats: fc.integer({ min: 45, max: 300 })
  }),
  fc.record({ type: fc.constant("close" as const), year, school: fc.constant("ZHANG-TP"), into: fc.constant("DONG-PRI") }),
  fc.record({
    type: fc.constant("catchment" as const),
    year,
    level: fc.constant("primary"),
    settlement: fc.constant("LS-DONG-ZHANG"),
    school: fc.constantFrom("DONG-PRI", "LIU-PRI")
  }),
  fc.record({ type: fc.constant("boarding" as const), year, school: fc.constant("DONG-PRI"), beds: fc.integer({ min: 0, max: 200 }) }),
  // a school group shares teachers (Groups.share on the year's rows): a second one of the same id is refused
  fc.record({
    type: fc.constant("form-group" as const),
    year,
    group: fc.constant("G1"),
    name: fc.constant("Group 1"),
    lead: fc.constant("SEAT-PRI-1"),
    members: fc.constant(["WANG-PRI", "DONG-PRI"])
  }),
  fc.record({ type: fc.constant("rotate" as const), year, group: fc.constant("G1") }),
  fc.record({
    type: fc.constant("transfer" as const),
    year,
    from: fc.constant("SEAT-PRI-1"),
    to: fc.constant("WANG-PRI"),
    count: fc.constant(1)
  }),
  fc.record({
    type: fc.constant("open" as const),
    year,
    school: fc.record({
      id: fc.constantFrom("NEW-PRI-A", "NEW-PRI-B"),
      name: fc.constant("New primary 新小学"),
      type: fc.constant("primary"),
      settlement: fc.constant("LS-SEAT"),
      classrooms: fc.constant(12),
      seats: fc.constant(540)
    })
  })
) as fc.Arbitrary<Scenario.PlanStep>

/**
 * The plan projected from scratch, as `seatplan run` does: the baseline's and the plan's events compiled
 * whole (`Compile.compile`), run from the base year, tabled.
 */
const scratch = (plan: ReturnType<Workspace.Workspace["decidePlan"]>, steps: ReadonlyArray<Scenario.PlanStep>): Figures.Projection => {
  if (plan._tag === "Left") throw new Error("a refused plan")
  const stored = [...workspace.ctx.baseline.events, ...(plan.right[0]?.events ?? [])] as Figures.Projection["events"]
  const events = stored.map((e) => e.event)
  const model = Compile.compile(events, Scenario.compileOptions(workspace.ctx.scenario))
  const run = Engine.runKept(model)
  // every year's rows built at once, as `seatplan run` builds them (the workspace builds a year's when asked)
  const grouped = Groups.share(
    Tables.schools(model, run.cube, "v"),
    Groups.byYear(events, model.baseYear, model.baseYear + run.cube.years - 1),
    "v"
  )
  return {
    variant: "v",
    steps,
    model,
    events: stored,
    cube: run.cube,
    places: Places.of(run.states[run.states.length - 1]),
    county: Tables.county(model, run.cube, "v"),
    schoolsIn: (year) => grouped.schools.filter((r) => r.year === year),
    groupsIn: (year) => grouped.groups.filter((r) => r.year === year)
  }
}

const bytes = (a: Float64Array | undefined) => (a === undefined ? Buffer.alloc(0) : Buffer.from(a.buffer, a.byteOffset, a.byteLength))

describe("the workspace's projection resumed from the edit's year", () => {
  it("is the whole run's, for any walk through the plans a variant goes through", () => {
    let resumed = 0
    let whole = 0
    let patches = 0
    let grouped = 0
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(6), { minLength: 2, maxLength: 8 }), (steps, walk) => {
        const base = scratch(workspace.decidePlan([]), [])
        let previous: Figures.Kept | undefined
        /** The figures a page holds (the last ones it was answered), by year: each answer is sent as a patch against them. */
        const held = new Map<number, Api.Figures>()
        for (const n of walk) {
          const prefix = steps.slice(0, Math.min(n, steps.length))
          const plan = workspace.decidePlan(prefix)
          if (plan._tag === "Left") continue
          const inc = Figures.project(workspace.ctx, "v", plan, prefix, previous)
          const full = scratch(plan, prefix)
          assert.isTrue(Compile.alike(inc.model, full.model), `the model compiled onto the baseline after ${JSON.stringify(prefix)}`)
          if (inc.resumedFrom > 0) resumed++
          else whole++
          assert.isTrue(
            bytes(Results.schoolFigures(inc.cube)).equals(bytes(Results.schoolFigures(full.cube))),
            `school figures after ${JSON.stringify(prefix)}`
          )
          for (const k of ["county", "flows", "population", "standards"] as const)
            assert.isTrue(bytes(inc.cube[k]).equals(bytes(full.cube[k])), `cube.${k} after ${JSON.stringify(prefix)}`)
          for (let year = full.model.baseYear; year < full.model.baseYear + full.cube.years; year++) {
            assert.deepStrictEqual(inc.schoolsIn(year), full.schoolsIn(year), `school rows of ${year} after ${JSON.stringify(prefix)}`)
            assert.deepStrictEqual(inc.groupsIn(year), full.groupsIn(year), `group rows of ${year} after ${JSON.stringify(prefix)}`)
            if (inc.groupsIn(year).length > 0) grouped++
          }
          assert.deepStrictEqual(inc.county, full.county)
          assert.deepStrictEqual(inc.places, full.places)
          // and so are the page's figures read from them (the accounts start from the baseline's world, folded once)
          for (const year of [2026, 2030, 2039]) {
            const figures = Figures.figures(workspace.ctx, base, inc, year)
            assert.deepStrictEqual(figures, Figures.figures(workspace.ctx, base, full, year))
            // the patch against what the page held, through JSON and the API's Schema, applied there: the whole figures
            const before = held.get(year)
            if (before !== undefined) {
              const sent = JSON.parse(JSON.stringify(Api.diff("held", before, figures))) as unknown
              const patch = Schema.decodeUnknownSync(Api.FiguresPatch)(sent)
              assert.deepStrictEqual(Api.apply(before, patch), figures, `the patch after ${JSON.stringify(prefix)} in ${year}`)
              patches++
            }
            held.set(year, figures)
          }
          previous = inc.kept
        }
      }),
      { numRuns: 40 }
    )
    // the walks exercise both paths: runs resumed from a year, and whole runs (a first run, a new school)
    assert.isAbove(resumed, 20)
    assert.isAbove(whole, 5)
    assert.isAbove(patches, 60)
    // and plans whose school groups share teachers
    assert.isAbove(grouped, 0)
  }, 240_000)

  it("patches any figures into any others: schools and settlements added, removed and reordered (fast-check)", () => {
    const base = Figures.figures(workspace.ctx, scratch(workspace.decidePlan([]), []), scratch(workspace.decidePlan([]), []), 2030)
    const school = base.map.schools[0]
    /** Figures changed at random: entries dropped, changed, added and shuffled in every keyed list. */
    const variantOf = fc.record({
      drop: fc.array(fc.nat(), { maxLength: 4 }),
      change: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 999 })), { maxLength: 6 }),
      add: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 3 }),
      shuffle: fc.boolean(),
      year: fc.integer({ min: 2025, max: 2040 })
    })
    const make = (
      v: fc.RecordValue<{ drop: Array<number>; change: Array<[number, number]>; add: Array<string>; shuffle: boolean; year: number }>
    ) => {
      let schools = base.map.schools.filter((_, i) => !v.drop.some((d) => d % base.map.schools.length === i))
      schools = schools.map((s, i) => {
        const c = v.change.find(([k]) => k % Math.max(1, schools.length) === i)
        return c === undefined ? s : { ...s, pupils: c[1] }
      })
      schools = [...schools, ...[...new Set(v.add)].map((id) => ({ ...school, id: `new-${id}` }))]
      if (v.shuffle) schools = [...schools].reverse()
      const settlements = base.map.settlements
        .filter((_, i) => !v.drop.some((d) => d % base.map.settlements.length === i))
        .map((s, i) => (v.change.some(([k]) => k % 50 === i) ? { ...s, catchment: { ...s.catchment, primary: null } } : s))
      return {
        ...base,
        year: v.year,
        map: { schools, settlements: v.shuffle ? [...settlements].reverse() : settlements },
        county: {
          ...base.county,
          variant: base.county.variant.map((r, i) => (v.change.some(([k]) => k % 60 === i) ? { ...r, seats: 0 } : r))
        },
        standards: v.shuffle ? [...base.standards].reverse() : base.standards.slice(v.drop.length)
      }
    }
    fc.assert(
      fc.property(variantOf, variantOf, (a, b) => {
        const before = make(a)
        const after = make(b)
        const patch = Schema.decodeUnknownSync(Api.FiguresPatch)(JSON.parse(JSON.stringify(Api.diff("a", before, after))))
        assert.deepStrictEqual(Api.apply(before, patch), after)
      }),
      { numRuns: 200 }
    )
  })
})
