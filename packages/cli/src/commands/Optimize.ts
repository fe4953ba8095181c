import { Args, Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import { Problem, type Solve } from "@seatplan/optimize"
import { EventStore, School } from "@seatplan/core"
import { Compile, type Tables, Whole } from "@seatplan/sim"
import { Console, Effect, Either, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { parseDocument } from "yaml"
import * as Output from "../Output.js"
import { Project, type Scenario, ScenarioLoader, Siting } from "@seatplan/plan"
import { checked, described, variantName } from "../Options.js"
import * as Solving from "../Solving.js"
import * as Stopping from "../Stopping.js"

const scenario = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("a scenario file (YAML or JSON)"))
const level = Options.choice("level", School.levels).pipe(
  Options.withDescription("the school level to site"),
  Options.withDefault("primary" as const)
)
const year = Options.text("year").pipe(
  Options.withDescription("the year whose projected pupils weigh the settlements, or A..B for each settlement's peak over the years"),
  Options.mapEffect((text) => {
    const m = /^(\d{4})(?:\.\.(\d{4}))?$/.exec(text)
    return m !== null
      ? Effect.succeed([Number(m[1]), Number(m[2] ?? m[1])] as const)
      : Effect.fail(
          ValidationError.invalidValue(HelpDoc.p(`--year: expected a year or A..B, e.g. 2030 or 2030..2035, found ${JSON.stringify(text)}`))
        )
  })
)
const problem = Options.choice("problem", Problem.kinds).pipe(
  Options.withDescription("p-median, capacitated-p-median, mclp (maximal coverage), set-cover, fixed-charge"),
  Options.withDefault("p-median" as const)
)
const p = Options.integer("p").pipe(
  Options.withDescription("sites to open, existing schools kept included (p-median, capacitated, mclp)"),
  checked("p", "1 or more sites", (n) => n >= 1),
  Options.optional
)
const radius = Options.float("radius").pipe(
  Options.withDescription("walking distance in km for coverage (default the level's boarding distance)"),
  checked("radius", "km above 0, at most 1,000", (n) => n > 0 && n <= 1000),
  Options.optional
)
const kmCost = Options.float("km-cost").pipe(
  Options.withDescription(
    "yuan per pupil-km over the period, pricing distance against building (default 3,800: 2 trips a day, 190 days, 0.5 yuan/km, 20 years)"
  ),
  checked("km-cost", "0 to 1,000,000 yuan a pupil-km (the default is 3,800)", (n) => n >= 0 && n <= 1e6),
  Options.withDefault(3800)
)
const capacitated = Options.boolean("capacitated").pipe(
  Options.withDescription("fixed-charge: respect seats (single sourcing, expansions at a cost)")
)
const exact = Options.boolean("exact").pipe(
  Options.withDescription("solve the MILP with HiGHS (default for up to 100,000 settlement × site pairs)")
)
const heuristic = Options.boolean("heuristic").pipe(
  Options.withDescription("greedy + interchange with a Lagrangian bound (default above that)")
)
const timeLimit = Options.float("time-limit").pipe(
  Options.withDescription("seconds before the solver stops with its best solution (Ctrl-C stops it sooner, keeping the best plan found)"),
  checked("time-limit", "seconds above 0, at most 604,800 (a week)", (n) => n > 0 && n <= 604_800),
  Options.withDefault(120)
)
const newSeats = Options.integer("new-seats").pipe(
  Options.withDescription("seats of a new school (default 1,080)"),
  checked("new-seats", "1 to 100,000 seats", (n) => n >= 1 && n <= 100_000),
  Options.withDefault(1080)
)
const expandSeats = Options.integer("expand-seats").pipe(
  Options.withDescription("seats an expansion adds (default 540)"),
  checked("expand-seats", "0 to 100,000 seats", (n) => n >= 0 && n <= 100_000),
  Options.withDefault(540)
)
const upkeep = Options.float("upkeep").pipe(
  Options.withDescription("fixed-charge: yuan of keeping an existing school open over the period (default 0)"),
  checked("upkeep", "0 to 1e13 yuan", (n) => n >= 0 && n <= 1e13),
  Options.withDefault(0)
)
const grid = Options.float("grid-km").pipe(
  Options.withDescription("also consider new sites on a grid of this spacing over the populated area"),
  checked("grid-km", "km above 0, at most 1,000", (n) => n > 0 && n <= 1000),
  Options.optional
)
const sites = Options.text("sites").pipe(
  Options.withDescription("candidate new sites: a GeoJSON file of Points with properties id (and seats)"),
  Options.optional
)
const keep = Options.text("keep").pipe(Options.withDescription("an existing school that must stay open (repeat)"), Options.repeated)
const noClosures = Options.boolean("no-closures").pipe(Options.withDescription("keep every existing school open; only add new sites"))
const name = variantName("the variant's name (default optimized-PROBLEM-LEVEL-YEAR)")
const out = Options.text("out").pipe(
  Options.withDescription("where to write the scenario with the new variant (default beside the scenario: NAME.VARIANT.yaml)"),
  Options.optional
)
const format = Options.choice("format", ["table", "json"]).pipe(
  Options.withDescription("how to print the result"),
  Options.withDefault("table" as const)
)
const quiet = Options.boolean("quiet").pipe(Options.withDescription("no progress on stderr"))

/**
 * `seatplan optimize SCENARIO`: where to build, expand or close schools of a level for the projected
 * demand of a year, by p-median, capacitated p-median, maximal or set coverage, or fixed charge; solved
 * exactly (HiGHS) or by heuristics with a bound; written as a plan variant in a copy of the scenario,
 * which `seatplan run` and `compare` evaluate like any other plan.
 */
export const optimize = Command.make(
  "optimize",
  {
    scenario,
    level,
    year,
    problem,
    p,
    radius,
    kmCost,
    capacitated,
    exact,
    heuristic,
    timeLimit,
    newSeats,
    expandSeats,
    upkeep,
    grid,
    sites,
    keep,
    noClosures,
    name,
    out,
    format,
    quiet
  },
  (o) =>
    Effect.gen(function* () {
      const loaded = yield* Stopping.atOnce(ScenarioLoader.load(o.scenario))
      const progress = (message: string) => {
        if (!o.quiet && process.stderr.isTTY === true) process.stderr.write(`\r\x1b[K${message}`)
      }
      const fail = (reason: string) => new Project.RunError({ reason: `${o.scenario}: ${reason}` })
      const candidates = yield* Option.match(o.sites, {
        onNone: () => Effect.succeed<ReturnType<typeof candidatesFrom>>([]),
        onSome: (file) =>
          Effect.try({
            try: () => candidatesFrom(file),
            catch: (e) => fail(`--sites ${file}: ${e instanceof Error ? e.message : String(e)}`)
          })
      })
      const boardingKm = loaded.scenario.assumptions?.boardingKm?.[o.level] ?? defaultRadius[o.level]
      const spec = yield* problemOf(o, boardingKm).pipe(Effect.mapError(fail))
      progress("projecting demand…")
      // the domain's tagged errors go to the CLI's table (Errors.ts) as they are, named after the scenario
      const siting = yield* Siting.build(loaded, {
        level: o.level,
        years: o.year,
        newSeats: o.newSeats,
        expandSeats: o.expandSeats,
        upkeep: o.upkeep,
        keep: o.keep,
        noClosures: o.noClosures,
        candidates,
        ...(Option.isSome(o.grid) ? { gridKm: o.grid.value } : {}),
        ...Option.match(Option.fromNullable(Problem.pOf(spec)), { onNone: () => ({}), onSome: (p) => ({ p }) })
      }).pipe(Either.mapLeft((e) => inScenario(o.scenario, e)))
      const inst = siting.instance
      if (o.exact && o.heuristic) return yield* fail("--exact and --heuristic exclude each other")
      const useExact = o.exact || (!o.heuristic && inst.points * inst.sites <= 100_000)
      const solveError = (e: Problem.Infeasible | Problem.SolverError) =>
        e._tag === "Infeasible"
          ? new Problem.Infeasible({
              ...e,
              reason: `${o.scenario}: infeasible: ${e.point === undefined ? "" : `${siting.settlementIds[e.point]}: `}${e.reason}`
            })
          : new Problem.SolverError({ reason: `${o.scenario}: ${e.reason}` })
      progress("")
      // the search runs in a worker: this thread draws its progress and stops it on Ctrl-C (Solving.ts)
      const outcome = yield* Solving.inWorker(inst, spec, { exact: useExact, timeLimit: o.timeLimit, quiet: o.quiet }).pipe(
        Effect.mapError(solveError)
      )
      const solved: Solved = outcome.interrupted ? { ...outcome.solved, status: "interrupted" } : outcome.solved
      const variant = Option.getOrElse(
        o.name,
        () => `optimized-${o.problem}-${o.level}-${o.year[0] === o.year[1] ? o.year[0] : `${o.year[0]}-${o.year[1]}`}`
      )
      if (loaded.scenario.variants.some((v) => v.name === variant))
        return yield* fail(`the scenario already has a variant ${variant}; give --name`)
      const steps = yield* Siting.plan(loaded, siting, solved.solution)
      const file = Option.getOrElse(o.out, () =>
        path.join(path.dirname(o.scenario), `${path.basename(o.scenario).replace(/\.[^.]+$/, "")}.${variant}.yaml`)
      )
      const text = yield* Effect.try({
        try: () => withVariant(fs.readFileSync(o.scenario, "utf8"), variant, describe(o, solved), steps),
        catch: (e) => fail(String(e))
      })
      const checked = ScenarioLoader.fromText(text, file, (relative) => {
        try {
          return fs.readFileSync(path.resolve(path.dirname(o.scenario), relative), "utf8")
        } catch {
          return undefined
        }
      })
      if (checked._tag === "Left") return yield* fail(`the generated plan does not pass the domain rules (a bug):\n${checked.left.message}`)
      const target = path.resolve(path.dirname(file))
      if (path.resolve(path.dirname(o.scenario)) !== target && loaded.scenario.settlementsFile !== undefined) {
        yield* Console.error(`warning: ${file} names ${loaded.scenario.settlementsFile} relative to itself; copy it beside the file`)
      }
      yield* Output.write(file, text)
      const reachKm = spec.kind === "mclp" || spec.kind === "set-cover" ? spec.radius : boardingKm
      // the written plan run as `seatplan run` runs it (the engine's allocation by catchment, boarding and
      // beds), so that what is printed beside the optimiser's model is what the plan does
      progress("running the written plan…")
      const ran = yield* ranPlan(checked.right, variant, o.level, o.year[1])
      progress("")
      const report = summary(siting, solved, variant, file, steps, reachKm, ran, Problem.objectiveUnit(spec.kind))
      yield* Console.log(o.format === "json" ? JSON.stringify(report, null, 2) : table(report, spec.kind))
      yield* Console.error(
        `wrote ${file} (variant ${variant}, ${steps.length} steps); evaluate it: seatplan compare ${file} --year ${o.year[1]}`
      )
    })
).pipe(
  Command.withDescription(
    described("Where to build, expand or close schools (location-allocation), written as a plan variant", [
      "seatplan optimize scenarios/county/scenario.yaml --level primary --year 2030 --problem p-median --p 40",
      "seatplan optimize scenarios/county/scenario.yaml --level junior --year 2030..2035 --problem mclp --p 8 --radius 5"
    ])
  )
)

// == helpers

/** Candidate sites from a GeoJSON FeatureCollection of Points: properties `id` (required) and `seats`. */
const candidatesFrom = (file: string): ReadonlyArray<{ id: string; lon: number; lat: number; seats?: number }> => {
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { type?: unknown; features?: unknown }
  if (json.type !== "FeatureCollection" || !Array.isArray(json.features)) throw new Error("expected a GeoJSON FeatureCollection")
  const first = new Map<string, number>()
  return json.features.map(
    (f: { geometry?: { type?: string; coordinates?: Array<unknown> }; properties?: { id?: unknown; seats?: unknown } }, i: number) => {
      const g = f.geometry
      const id = f.properties?.id
      const seats = f.properties?.seats
      if (g?.type !== "Point" || !Array.isArray(g.coordinates)) throw new Error(`features[${i}]: expected a Point`)
      const [lon, lat] = g.coordinates
      // a coordinate that is no number became NaN and reached the written plan, refused there as a bug
      if (typeof lon !== "number" || !Number.isFinite(lon) || lon < -180 || lon > 180)
        throw new Error(`features[${i}].geometry.coordinates[0]: expected a longitude from -180 to 180, found ${JSON.stringify(lon)}`)
      if (typeof lat !== "number" || !Number.isFinite(lat) || lat < -90 || lat > 90)
        throw new Error(`features[${i}].geometry.coordinates[1]: expected a latitude from -90 to 90, found ${JSON.stringify(lat)}`)
      if (typeof id !== "string" || id.trim() === "") throw new Error(`features[${i}].properties.id: expected an id`)
      const before = first.get(id)
      if (before !== undefined)
        throw new Error(
          `features[${i}].properties.id: expected an id no other site has, found ${JSON.stringify(id)}, the id of features[${before}]`
        )
      first.set(id, i)
      if (seats !== undefined && (typeof seats !== "number" || !Number.isInteger(seats) || seats < 1 || seats > 100_000))
        throw new Error(
          `features[${i}].properties.seats: expected a whole number of seats from 1 to 100,000, found ${JSON.stringify(seats)}`
        )
      return { id, lon, lat, ...(seats === undefined ? {} : { seats }) }
    }
  )
}

/**
 * A domain error with its message prefixed by the scenario file (`FILE: …`), its tag kept, so the CLI's
 * table (Errors.ts) still gives its exit code. A SitingError names the file itself.
 */
const inScenario = (file: string, e: Siting.SitingError | Problem.SolverError | Problem.Infeasible | Compile.CompileError) =>
  e._tag === "SitingError"
    ? e
    : e._tag === "SolverError"
      ? new Problem.SolverError({ reason: `${file}: ${e.reason}` })
      : e._tag === "Infeasible"
        ? new Problem.Infeasible({ ...e, reason: `${file}: infeasible: ${e.reason}` })
        : new Compile.CompileError({ message: `${file}: ${e.message}` })

const defaultRadius: Record<string, number> = { kindergarten: 2, primary: 3, junior: 5, senior: 8 }

/** The written plan's run (a store in memory, as `seatplan run` stores and runs it): its county and schools' rows of `level` in `year`. */
const ranPlan = (loaded: ScenarioLoader.Loaded, variant: string, level: string, year: number) =>
  Effect.gen(function* () {
    yield* Project.store(loaded)
    const results = yield* Project.run(loaded, { variants: [variant], baseline: false })
    const result = results.find((r) => r.variant === variant)
    const county = result?.county.find((c) => c.year === year && c.level === level)
    if (result === undefined || county === undefined)
      return yield* new Project.RunError({ reason: `${loaded.file}: the run of ${variant} has no ${level} figures for ${year} (a bug)` })
    // in whole figures as the run's schools.csv and county.csv print them (a county's bed gap and pupils over
    // seats the sums of its schools' printed ones; its children population.csv's)
    const inYear = result.schools.inYear(year)
    const [printed] = Output.whole("county", [county], Output.countySums([result], new Set([year]))) as ReadonlyArray<typeof county>
    const schools = new Map<string, Tables.SchoolRow>()
    for (const row of Output.whole("schools", inYear) as ReadonlyArray<Tables.SchoolRow>)
      if (row.level === level) schools.set(row.school_id, row)
    return { year, county: printed, schools }
  }).pipe(Effect.provide(EventStore.layerMemory))

type Ran = Effect.Effect.Success<ReturnType<typeof ranPlan>>

interface Chosen {
  readonly problem: Problem.Kind
  readonly p: Option.Option<number>
  readonly radius: Option.Option<number>
  readonly kmCost: number
  readonly capacitated: boolean
}

const problemOf = (o: Chosen, boardingKm: number): Effect.Effect<Problem.Problem, string> => {
  const needP = Option.match(o.p, { onNone: () => Effect.fail(`--problem ${o.problem} needs --p`), onSome: (p) => Effect.succeed(p) })
  const radius = Option.getOrElse(o.radius, () => boardingKm)
  switch (o.problem) {
    case "p-median":
      return Effect.map(needP, (p) => ({ kind: "p-median", p }))
    case "capacitated-p-median":
      return Effect.map(needP, (p) => ({ kind: "capacitated-p-median", p, kmCost: o.kmCost }))
    case "mclp":
      return Effect.map(needP, (p) => ({ kind: "mclp", p, radius }))
    case "set-cover":
      return Effect.succeed({ kind: "set-cover", radius })
    case "fixed-charge":
      return Effect.succeed({ kind: "fixed-charge", kmCost: o.kmCost, capacitated: o.capacitated })
  }
}

type Solved = Omit<Solve.Solved, "status" | "method"> & { readonly method: string; readonly status: string }

const describe = (o: { readonly problem: Problem.Kind; readonly level: string; readonly year: readonly [number, number] }, s: Solved) =>
  `${o.problem} for ${o.level} pupils of ${o.year[0] === o.year[1] ? o.year[0] : `${o.year[0]}..${o.year[1]} (peak)`}, ` +
  `${s.method} (${s.status}), objective ${Problem.objectiveText(o.problem, s.solution.objective)}` +
  (s.gap === undefined ? "" : `, gap ${(100 * s.gap).toFixed(2)} %`) +
  "; written by seatplan optimize"

/** The scenario text with the variant appended (comments and layout of the rest kept), extending `base` unless it is the baseline. */
export const withVariant = (text: string, name: string, description: string, steps: ReadonlyArray<unknown>, base = "baseline"): string => {
  const doc = parseDocument(text)
  const variant = doc.createNode({ name, description, ...(base === "baseline" ? {} : { extends: base }), events: steps })
  if (doc.has("variants")) doc.addIn(["variants"], variant)
  else doc.set("variants", doc.createNode([variant]))
  return doc.toString({ lineWidth: 0 })
}

/**
 * What is printed is what the written plan does: each site's decision and added seats come from the plan's
 * steps (an expansion the plan makes for a closing school's pupils shows as `expand` even where the
 * optimiser's allocation fits the seats); within reach and the longest trip are measured at `reachKm`
 * for every problem (a p-median's objective counts no radius); and beside the optimiser's pupils and
 * trips, the run of the written plan's (`ran`: the engine's catchments, boarding and beds).
 */
const summary = (
  siting: Siting.Siting,
  s: Solved,
  variant: string,
  file: string,
  steps: ReadonlyArray<Scenario.PlanStep>,
  reachKm: number,
  ran: Ran,
  /** What the objective and its bound count (`Problem.objectiveUnit`). */
  unit: string
) => {
  const inst = siting.instance
  const load = new Float64Array(inst.sites)
  let within = 0
  let total = 0
  let maxTripKm = 0
  for (let i = 0; i < inst.points; i++) {
    const j = s.solution.assign[i]
    total += inst.weight[i]
    if (j < 0) continue
    load[j] += inst.weight[i]
    const d = inst.km[i * inst.sites + j]
    if (d <= reachKm) within += inst.weight[i]
    if (inst.weight[i] > 0) maxTripKm = Math.max(maxTripKm, d)
  }
  const added = new Map<string, number>()
  const built = new Map<string, number>()
  const closed = new Set<string>()
  for (const step of steps) {
    if (step.type === "expand") added.set(step.school, (added.get(step.school) ?? 0) + (step.seats ?? 0))
    else if (step.type === "open") built.set(step.school.id, step.school.seats ?? 0)
    else if (step.type === "close") closed.add(step.school)
  }
  // whole pupils by largest remainder over the sites, so that they add up to the totals printed (each
  // rounded on its own, a column of them did not); the run's as its schools.csv prints them
  const loads = Whole.largestRemainder(siting.sites.map((_, i) => load[i]))
  const runLoads = siting.sites.map((site) => ran.schools.get(site.id)?.pupils ?? 0)
  const sites = siting.sites
    .map((site, i) => ({
      id: site.id,
      kind: site.kind,
      settlement: site.settlement,
      decision: built.has(site.id)
        ? "build"
        : closed.has(site.id)
          ? "close"
          : added.has(site.id)
            ? "expand"
            : site.kind === "new"
              ? "-"
              : "keep",
      seats: built.get(site.id) ?? site.seats,
      addedSeats: added.get(site.id) ?? 0,
      pupils: loads[i],
      /** The pupils the run of the written plan places at the school (whole; 0 where it has none of the level). */
      runPupils: runLoads[i],
      fixed: inst.status[i] === Problem.Status.fixed
    }))
    .filter((x) => x.decision !== "-")
  return {
    level: siting.level,
    years: siting.years,
    method: s.method,
    status: s.status,
    seconds: Number(s.seconds.toFixed(3)),
    objective: s.solution.objective,
    objectiveUnit: unit,
    bound: s.bound,
    gap: s.gap,
    breakdown: s.solution.breakdown,
    reach: {
      km: reachKm,
      within: Math.round(within),
      beyond: Math.round(total - within),
      maxTripKm: Number(maxTripKm.toFixed(2)),
      expansionSeats: [...added.values()].reduce((a, b) => a + b, 0),
      /** The new schools' seats (they were left out of "seats added by the plan"). */
      newSchoolSeats: [...built.values()].reduce((a, b) => a + b, 0)
    },
    model:
      "the optimiser sends each settlement's pupils whole to one open school by straight-line distance, with no boarding " +
      "(住宿) and no beds; the run allocates by catchment with boarding and beds, so its trips and loads differ: the run " +
      "of the written plan is given beside them",
    run: {
      year: ran.year,
      pupils: Math.round(ran.county.pupils),
      meanTripKm: Number(ran.county.mean_distance_km.toFixed(2)),
      maxTripKm: Number(ran.county.max_distance_km.toFixed(2)),
      boarders: Math.round(ran.county.boarders),
      bedGap: Math.round(ran.county.boarding_bed_gap),
      beyondDistance: Math.round(ran.county.beyond_distance),
      overSeats: Math.round(ran.county.pupils_over_seats),
      unplaced: Math.round(ran.county.unplaced)
    },
    pupils: Math.round(inst.weight.reduce((a, b) => a + b, 0)),
    settlements: inst.points,
    candidates: inst.sites,
    sites,
    variant,
    file,
    steps: steps.length
  }
}

const table = (r: ReturnType<typeof summary>, kind: Problem.Kind): string => {
  const b = r.breakdown
  const lines = [
    `${r.method} (${r.status}) in ${r.seconds} s over ${r.settlements} settlements and ${r.candidates} candidate sites, ${r.pupils.toLocaleString("en")} ${r.level} pupils`,
    `objective ${Problem.objectiveText(kind, r.objective)}` +
      (r.bound === undefined ? "" : `, bound ${Problem.objectiveFigure(kind, r.bound)}`) +
      (r.gap === undefined ? "" : `, gap ${(100 * r.gap).toFixed(2)} %`),
    `pupil-km ${b.pupilKm.toLocaleString("en", { maximumFractionDigits: 1 })} (mean ${(b.pupilKm / Math.max(1, r.pupils)).toFixed(2)} km, ` +
      `longest ${r.reach.maxTripKm} km), within reach (≤ ${r.reach.km} km) ${r.reach.within.toLocaleString("en")} pupils, ` +
      `beyond ${r.reach.beyond.toLocaleString("en")}, open sites ${b.openSites}, seats added by the plan ${(r.reach.expansionSeats + r.reach.newSchoolSeats).toLocaleString("en")}${
        r.reach.newSchoolSeats > 0
          ? ` (${r.reach.newSchoolSeats.toLocaleString("en")} in new schools, ${r.reach.expansionSeats.toLocaleString("en")} by expansions)`
          : ""
      }` +
      (b.fixedCost + b.expandCost + b.distanceCost > 0
        ? `, fixed ${Math.round(b.fixedCost).toLocaleString("en")} + expansions ${Math.round(b.expandCost).toLocaleString("en")} + distance ${Math.round(b.distanceCost).toLocaleString("en")} yuan`
        : ""),
    `the run of the written plan in ${r.run.year}: ${r.run.pupils.toLocaleString("en")} ${r.level} pupils, mean trip ${r.run.meanTripKm} km, ` +
      `longest ${r.run.maxTripKm} km, boarders (住宿生) ${r.run.boarders.toLocaleString("en")} (without beds ${r.run.bedGap.toLocaleString("en")}), ` +
      `day pupils beyond the distance standard ${r.run.beyondDistance.toLocaleString("en")}, pupils over seats ${r.run.overSeats.toLocaleString("en")}` +
      (r.run.unplaced > 0 ? `, unplaced ${r.run.unplaced.toLocaleString("en")}` : ""),
    `note: ${r.model}`,
    ""
  ]
  const rows = r.sites.map((x) => [
    x.id,
    x.decision,
    x.settlement,
    String(x.seats),
    x.addedSeats > 0 ? `+${x.addedSeats}` : "",
    String(x.pupils),
    String(x.runPupils),
    x.fixed ? "fixed" : ""
  ])
  const head = ["site", "decision", "settlement", "seats", "added", "pupils (model)", `pupils (run ${r.run.year})`, ""]
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => (i >= 3 && i <= 6 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd()
  return [...lines, line(head), ...rows.map(line)].join("\n")
}
