/**
 * The figures the workspace page shows for a variant, beside the baseline: the map (each school's
 * utilisation, class sizes, teachers and distances; each settlement's catchment school), the county's
 * seats against pupils, class sizes and teachers by year, the standards checked in the chosen year and
 * the six accounts (六笔账).
 *
 * A variant's plan is projected from the same events `seatplan run` projects for a scenario holding that
 * plan: the baseline's events and the plan decided in school-year order (`Workspace.decidePlan`). After an
 * edit only what it changes is redone: the plan's events are compiled onto the baseline compiled once
 * (`Compile.extendEither`), the run resumes from the edit's year (`Engine.resume`) and only the school rows
 * of the year shown are built (`Tables.schoolsIn`); the result is a projection from scratch's
 * (test/serve/incremental.test.ts).
 * Projections are cached per variant stream and version (a stream's version fixes its events), so the
 * figures of another year, or of the page reloading, cost no run. The scenario's settlements are placed
 * and named in /api/scenario, once: the figures carry their catchments (Api.MapSettlement).
 */
import { type Event, School, World } from "@seatplan/core"
import { Compare, Project, Scenario } from "@seatplan/plan"
import { Compile, Compliance, Dimensions, Engine, Groups, Places, Results, Tables } from "@seatplan/sim"
import { Either } from "effect"
import * as Output from "../Output.js"
import type * as Api from "./Api.js"
import type * as Workspace from "./Workspace.js"

export interface Projection {
  readonly variant: string
  readonly steps: ReadonlyArray<Scenario.PlanStep>
  readonly model: Compile.Model
  /** The events the model was compiled from (the baseline's, then the plan's): the accounts read the plan's changes from them. */
  readonly events: Project.VariantResult["events"]
  readonly cube: Results.Cube
  readonly places: Places.Places
  readonly county: ReadonlyArray<Tables.CountyRow>
  /**
   * The school rows of one year (`Tables.schoolsIn`), school groups sharing their teachers as in `seatplan
   * run` (`Groups.share`): built when a year is first asked for (the page shows one), then kept.
   */
  readonly schoolsIn: (year: number) => ReadonlyArray<Tables.SchoolRow>
  /** The school groups' rows of one year (`Groups.share`): empty when the plan forms no group. */
  readonly groupsIn: (year: number) => ReadonlyArray<Groups.GroupRow>
}

/**
 * A run's school and group rows by year, each year built when first asked for: the page shows one year,
 * and an edit's run changes every year from its own on, so building every year's rows would be wasted.
 */
export const yearly = (
  model: Compile.Model,
  cube: Results.Cube,
  variant: string,
  events: ReadonlyArray<Event.Event>
): Pick<Projection, "schoolsIn" | "groupsIn"> => {
  const built = new Map<number, ReturnType<typeof Groups.share>>()
  let groupYears: ReadonlyArray<Groups.GroupYear> | undefined
  const of = (year: number) => {
    let rows = built.get(year)
    if (rows === undefined) {
      groupYears ??= Groups.byYear(events, model.baseYear, model.baseYear + cube.years - 1)
      rows = Groups.share(
        Tables.schoolsIn(model, cube, variant, year),
        groupYears.filter((g) => g.year === year),
        variant
      )
      built.set(year, rows)
    }
    return rows
  }
  return { schoolsIn: (year) => of(year).schools, groupsIn: (year) => of(year).groups }
}

/**
 * The baseline of a scenario compiled as far as it goes alone (`Compile.prefix`, with the scenario's
 * compile options), made once: every variant's model extends it with the plan's events.
 */
const prefixOf = new WeakMap<Workspace.Context, Compile.Prefix>()
const prefix = (ctx: Workspace.Context): Compile.Prefix => {
  let p = prefixOf.get(ctx)
  if (p === undefined)
    prefixOf.set(
      ctx,
      (p = Compile.prefix(
        ctx.baseline.events.map((e) => e.event),
        Scenario.compileOptions(ctx.scenario)
      ))
    )
  return p
}

/** The world the baseline's events make (every variant's first events), folded once: the accounts start from it. */
const forkedWorldOf = new WeakMap<Workspace.Context, World.World>()
const forkedWorld = (ctx: Workspace.Context): World.World => {
  let w = forkedWorldOf.get(ctx)
  if (w === undefined) forkedWorldOf.set(ctx, (w = World.fold(ctx.baseline.events.map((e) => e.event))))
  return w
}

/**
 * Projects a plan (already accepted: a refusal here is a bug, raised as a RunError). With `previous` (the
 * run of an earlier version of the same variant, kept with its state after every year), only the years
 * from the first one the plans differ in are run again (`Engine.resume`); the figures are the same as a
 * whole run's. The run kept for the next edit is the projection's `kept`; `previous` is given up (its
 * states' memory is reused: `Engine.resume`'s `consume`) and must not be passed again.
 */
export const project = (
  ctx: Workspace.Context,
  variant: string,
  plan: ReturnType<Workspace.Workspace["decidePlan"]>,
  steps: ReadonlyArray<Scenario.PlanStep>,
  previous?: Kept
): Projection & { readonly kept: Kept; readonly resumedFrom: number } => {
  if (Either.isLeft(plan)) {
    throw new Project.RunError({
      reason: `the plan of ${variant} no longer passes the rules: ${plan.left.map((p) => p.message).join("; ")}`
    })
  }
  const planned = plan.right[0]?.events ?? []
  const stored = [...ctx.baseline.events, ...planned] as Project.VariantResult["events"]
  // the baseline's part of the compilation is made once; the plan's events are compiled onto it
  const compiled = Compile.extendEither(
    prefix(ctx),
    planned.map((e) => e.event)
  )
  if (Either.isLeft(compiled)) throw compiled.left
  const model = compiled.right
  // the previous run is the server's to give up (Server.ts takes it out of its map): its states are reused
  const run = Engine.resume(model, previous?.run, { consume: true })
  const cube = run.cube
  // the county rows of the years the run did not redo are the previous run's (a year's rows read that year of the cube)
  const reused = previous === undefined ? 0 : run.resumedFrom * Dimensions.levelNames.length
  const county =
    reused > 0 && previous !== undefined && previous.county.length >= reused && previous.county[0]?.variant === variant
      ? [...previous.county.slice(0, reused), ...Tables.county(model, cube, variant, { from: run.resumedFrom })]
      : Tables.county(model, cube, variant)
  return {
    variant,
    steps,
    model,
    events: stored,
    cube,
    places: Places.of(run.states[run.states.length - 1]),
    county,
    ...yearly(
      model,
      cube,
      variant,
      stored.map((e) => e.event)
    ),
    kept: { run, county },
    resumedFrom: run.resumedFrom
  }
}

/** A variant's last run, with its state after every year, and its county rows: what the next edit resumes. */
export interface Kept {
  readonly run: Engine.Kept
  readonly county: ReadonlyArray<Tables.CountyRow>
}

/** A few projections kept, most recently used last. */
export const cache = (size = 6) => {
  const entries = new Map<string, Projection>()
  return (key: string, make: () => Projection): Projection => {
    const hit = entries.get(key)
    if (hit !== undefined) {
      entries.delete(key)
      entries.set(key, hit)
      return hit
    }
    const made = make()
    entries.set(key, made)
    if (entries.size > size) entries.delete(entries.keys().next().value!)
    return made
  }
}

/** Each projection's standards checked per year (a projection never changes, so neither do they). */
const standardsCache = new WeakMap<Projection, Map<number, Map<string, { checked: number; failing: number }>>>()

const round = (x: number, digits = 0) => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** The page's figures for `variant` against `baseline` in `year`. */
export const figures = (ctx: Workspace.Context, baseline: Projection, variant: Projection, year: number): Api.Figures => {
  const names = new Map<string, string>(ctx.scenario.schools.map((s) => [s.id, s.name]))
  for (const s of variant.steps) if (s.type === "open") names.set(s.school.id, s.school.name)
  const m = variant.model
  const rowsOf = (p: Projection) => p.schoolsIn(year)
  const byId = new Map<string, Array<Tables.SchoolRow>>()
  for (const r of rowsOf(variant)) byId.set(r.school_id, [...(byId.get(r.school_id) ?? []), r])
  const schools = m.schoolIds.map((id, k) => {
    const rows = byId.get(id) ?? []
    const pupils = rows.reduce((n, r) => n + r.pupils, 0)
    const seats = rows.reduce((n, r) => n + r.seats, 0)
    return {
      id,
      name: names.get(id) ?? id,
      lon: m.schoolLon[k],
      lat: m.schoolLat[k],
      open: rows.some((r) => r.open),
      pupils: round(pupils),
      seats: round(seats),
      utilisation: seats > 0 ? round(pupils / seats, 3) : 0,
      levels: rows.map((r) => ({
        level: r.level,
        pupils: round(r.pupils),
        seats: round(r.seats),
        mean_class_size: round(r.mean_class_size, 1),
        max_class_size: round(r.max_class_size, 1),
        teachers_needed: round(r.teachers_needed, 1),
        teacher_gap: round(r.teacher_gap, 1),
        mean_distance_km: round(r.mean_distance_km, 2)
      }))
    }
  })
  // the scenario's settlements are placed and named once (/api/scenario): an edit sends their catchments
  const settlements = variant.places.settlements.map((s, i): Api.MapSettlement => {
    const catchment = Object.fromEntries(School.levels.map((l) => [l, variant.places.catchments[l][i]?.id ?? null]))
    return ctx.settlements.has(s.id) ? { id: s.id, catchment } : { id: s.id, name: s.id, tier: s.tier, lon: s.lon, lat: s.lat, catchment }
  })
  // the accounts and the comparison read the school rows of `year` only
  const asResult = (p: Projection): Compare.Outcome & { readonly schools: Tables.SchoolTable } => ({
    variant: p.variant,
    model: p.model,
    events: p.events,
    schools: Tables.tableOfRows(p.variant, rowsOf(p)),
    county: p.county
  })
  const results = [asResult(baseline), asResult(variant)]
  const plans = new Map([[variant.variant, variant.steps]])
  const compared = Compare.compare(results, year)
  const standards = (p: Projection) => {
    const known = standardsCache.get(p)?.get(year)
    if (known !== undefined) return known
    const standardsIn = Results.standardsAt(p.cube, year - p.model.baseYear) // one year's rows: one year's standards
    const byRule = new Map<string, { checked: number; failing: number }>()
    const checks = Compliance.evaluate(
      ctx.rules,
      rowsOf(p),
      p.county.filter((r) => r.year === year),
      () => standardsIn,
      new Map(),
      p.groupsIn(year)
    )
    for (const c of checks) {
      const s = byRule.get(c.rule) ?? { checked: 0, failing: 0 }
      s.checked++
      if (!c.pass) s.failing++
      byRule.set(c.rule, s)
    }
    const perYear = standardsCache.get(p) ?? new Map()
    perYear.set(year, byRule)
    standardsCache.set(p, perYear)
    return byRule
  }
  const base = standards(baseline)
  const mine = standards(variant)
  return {
    year,
    years: [...new Set(variant.county.map((r) => r.year))],
    map: { schools, settlements },
    county: { variant: variant.county.map(countyFigures), baseline: baseline.county.map(countyFigures) },
    // in whole figures as the run's compare sheet and county.csv print them (a level's pupils over seats: its schools')
    compare: Output.wholeCompared(compared.rows, results),
    standards: ctx.rules
      .filter((r) => mine.has(r.id) || base.has(r.id))
      .map((r) => ({
        id: r.id,
        zh: r.zh,
        en: r.en,
        unit: r.unit,
        counts: r.counts,
        checked: mine.get(r.id)?.checked ?? 0,
        failing: mine.get(r.id)?.failing ?? 0,
        baselineFailing: base.get(r.id)?.failing ?? 0
      })),
    // without seat demand: the workspace's runs keep no population table (the account's source), and the
    // page shows none; run and compare write it
    // summed over the school rows as the report and schools.csv print them (the page shows what they show)
    accounts: Compare.accounts(results, plans, year, [], forkedWorld(ctx), true).map(({ seat_demand: _, ...a }) => a)
  }
}

const countyFigures = (r: Tables.CountyRow) => ({
  year: r.year,
  level: r.level,
  pupils: round(r.pupils),
  seats: round(r.seats),
  large_classes: r.large_classes,
  super_large_classes: r.super_large_classes,
  teacher_gap: round(r.teacher_gap, 1),
  mean_distance_km: round(r.mean_distance_km, 2),
  capital_cost: round(r.capital_cost)
})
