/**
 * The siting optimiser (选址) over a scenario: projected demand of a level per settlement, candidate sites
 * (the schools of the level, which may be kept, expanded or closed, and new sites at settlements without
 * one or on a grid), and the plan variant that carries a solution out (build, then move catchments and
 * close: 先建后撤).
 */
import { type Ids, School, World } from "@seatplan/core"
import { Problem } from "@seatplan/optimize"
import { Compile, Dimensions, Distance, Engine, Results } from "@seatplan/sim"
import { Data, Either } from "effect"
import type { Loaded } from "./ScenarioLoader.js"
import * as Scenario from "./Scenario.js"

export interface Site {
  readonly id: string
  readonly kind: "existing" | "new"
  readonly lon: number
  readonly lat: number
  /** Settlement the site stands in (new sites: the nearest). */
  readonly settlement: string
  /** Seats for the level now (existing) or when built (new). */
  readonly seats: number
}

export interface Siting {
  readonly level: School.Level
  /** Years whose demand was taken (each settlement's peak over them). */
  readonly years: readonly [number, number]
  readonly settlementIds: ReadonlyArray<string>
  readonly sites: ReadonlyArray<Site>
  readonly instance: Problem.Instance
  readonly baseYear: number
  readonly horizon: number
}

export interface Options {
  readonly level: School.Level
  readonly years: readonly [number, number]
  /** Seats of a new school (default 1,080: 24 classes of 45). */
  readonly newSeats?: number
  /** Seats an expansion adds to an existing school (default 540: 12 classrooms of 45). */
  readonly expandSeats?: number
  /** Yuan a year of keeping an existing school open, over the period (fixed charge; default 0). */
  readonly upkeep?: number
  /** New candidate sites: at settlements (township seats and the county seat) without a school of the level, and/or a grid of this spacing (km). */
  readonly settlementSites?: boolean
  readonly gridKm?: number
  /** Candidate new sites given by the planner (id, location, seats: default `newSeats`), besides the scenario's `candidateSites` for the level. */
  readonly candidates?: ReadonlyArray<{ readonly id: string; readonly lon: number; readonly lat: number; readonly seats?: number }>
  /** Existing schools that must stay open. */
  readonly keep?: ReadonlyArray<string>
  /** Keep every existing school open (only add new sites). */
  readonly noClosures?: boolean
  /** The problem's p, if it has one: checked against the sites before their distances are measured. */
  readonly p?: number
  /** The most settlement × site distances to measure (default `maxPairs`); more is refused before any is. */
  readonly maxPairs?: number
}

/**
 * Why a siting cannot be built or carried out as a plan, in the planner's words: `file` is the scenario,
 * `option` the command-line option it concerns (`--year`, `--keep`, `--sites`), if one. The message is
 * `FILE: OPTION: REASON`.
 */
export class SitingError extends Data.TaggedError("SitingError")<{
  readonly reason: string
  readonly file: string
  readonly option?: string
}> {
  override get message(): string {
    return `${this.file}: ${this.option === undefined ? "" : `${this.option}: `}${this.reason}`
  }
}

const refuse = (loaded: Loaded, reason: string, option?: string): Either.Either<never, SitingError> =>
  Either.left(new SitingError(option === undefined ? { reason, file: loaded.file } : { reason, file: loaded.file, option }))

const closable: ReadonlyArray<School.SchoolType> = ["primary", "teaching-point", "junior", "senior", "kindergarten"]

/**
 * Projects the baseline and builds the instance. Fails with a `SitingError` on bad options, a
 * `Compile.CompileError` when the baseline cannot be projected, `Problem.Infeasible` when `p` is fewer than
 * the schools that must stay open or more than the sites.
 */
export const build = (
  loaded: Loaded,
  o: Options
): Either.Either<Siting, SitingError | Compile.CompileError | Problem.SolverError | Problem.Infeasible> => {
  const s = loaded.scenario
  const base = s.baseYear
  const [from, to] = o.years
  const horizon = s.horizon ?? 15
  if (from <= base || to > base + horizon || from > to) {
    return refuse(
      loaded,
      `expected years after the base year ${base} up to ${base + horizon} (the horizon), found ${from === to ? from : `${from}..${to}`}`,
      "--year"
    )
  }
  const events = loaded.streams.baseline.map((e) => e.event)
  return Either.flatMap(Compile.compileEither(events, { ...Scenario.compileOptions(s), horizon: to - base }), (model) =>
    instanceOf(loaded, o, model)
  )
}

/**
 * The most settlement × site distances one siting measures: 400 M (3.2 GB of them, and the search's own
 * arrays beside). A county's 3,000 settlements and 611 sites are 1.8 M; a generated 20,000-settlement
 * region's 82 M took 27 s to build; a province of 100,000 settlements and 20,455 sites (2 G, 16 GB) is
 * refused before anything is allocated (it would have allocated 16 GB for the distances alone).
 */
export const maxPairs = 400_000_000

const gigabytes = (bytes: number) => (bytes / 1e9).toFixed(1)

/** The instance over a compiled baseline: demand, candidate sites, distances, costs. */
const instanceOf = (
  loaded: Loaded,
  o: Options,
  model: Compile.Model
): Either.Either<Siting, SitingError | Problem.SolverError | Problem.Infeasible> => {
  const s = loaded.scenario
  const base = s.baseYear
  const [from, to] = o.years
  const horizon = s.horizon ?? 15
  const l = Dimensions.levelIndex(o.level)
  const S = model.settlements
  const K = model.schools
  const existing: Array<Site> = []
  const fixed: Array<boolean> = []
  for (let k = 0; k < K; k++) {
    if (model.open[k] !== 1 || model.teaches[k * Dimensions.levels + l] !== 1) continue
    const id = model.schoolIds[k]
    const type = world(loaded).schools.get(id)?.type
    existing.push({
      id,
      kind: "existing",
      lon: model.schoolLon[k],
      lat: model.schoolLat[k],
      settlement: model.settlementIds[model.schoolSettlement[k]],
      seats: Math.round(model.seats[k] * Results.levelShare(model, k, l))
    })
    fixed.push(o.noClosures === true || (o.keep ?? []).includes(id) || type === undefined || !closable.includes(type))
  }
  const unknown = (o.keep ?? []).filter((id) => !existing.some((e) => e.id === id))
  if (unknown.length > 0) return refuse(loaded, `no open ${o.level} school ${unknown.join(", ")}`, "--keep")
  const demand = new Float64Array(S)
  Engine.run(model, {
    population: false,
    onYear: (y) => {
      if (base + y < from || base + y > to) return
      for (let s = 0; s < S; s++) {
        let pupils = 0
        for (let g = Dimensions.firstGrade[l]; g < Dimensions.endGrade[l]; g++) pupils += model.demand[s * Dimensions.grades + g]
        demand[s] = Math.max(demand[s], pupils)
      }
    }
  })
  const newSeats = o.newSeats ?? 1080
  const fresh: Array<Site> = []
  const served = new Set(existing.map((e) => e.settlement))
  if (o.settlementSites !== false) {
    for (let s = 0; s < S; s++) {
      if (model.tier[s] === 2 || served.has(model.settlementIds[s])) continue
      fresh.push({
        id: "",
        kind: "new",
        lon: model.settlementLon[s],
        lat: model.settlementLat[s],
        settlement: model.settlementIds[s],
        seats: newSeats
      })
    }
  }
  if (o.gridKm !== undefined) {
    // each cell is weighed against every settlement: a spacing of a metre over a county is billions of
    // distances and held the command (Ctrl-C too) for hours; refused before the grid is made, as the pairs are
    const g = gridOver(model, demand, o.gridKm)
    const most = o.maxPairs ?? maxPairs
    if (g.cells * S > most) {
      const least = Math.sqrt((g.heightKm * g.widthKm * S) / most)
      return refuse(
        loaded,
        `a grid of ${o.gridKm} km over the populated ${g.heightKm.toFixed(1)} × ${g.widthKm.toFixed(1)} km has ${g.cells.toLocaleString("en")} cells, ` +
          `each weighed against the ${S.toLocaleString("en")} settlements: more than the ${most.toLocaleString("en")} distances one call measures; ` +
          `expected a spacing of at least ${(Math.ceil(least * 100) / 100).toLocaleString("en")} km (1-5 km is usual)`,
        "--grid-km"
      )
    }
    for (const site of grid(model, demand, o.gridKm, newSeats)) fresh.push(site) // a province's grid outnumbers push(...)'s arguments
  }
  const fromScenario = (s.candidateSites ?? [])
    .filter((c) => c.levels === undefined || c.levels.includes(o.level))
    .map((c) => ({ id: c.id, ...Scenario.candidateLocation(s, c), ...(c.seats === undefined ? {} : { seats: c.seats }) }))
  const given = [...fromScenario, ...(o.candidates ?? []).filter((c) => !fromScenario.some((x) => x.id === c.id))]
  const taken = given.find((c) => model.schoolIndex.has(c.id))
  if (taken !== undefined) return refuse(loaded, `${taken.id} is already a school id`, "--sites")
  const named = given.map((c): Site => {
    let near = 0
    let nd = Infinity
    for (let s = 0; s < S; s++) {
      const d = Distance.km(c.lon, c.lat, model.settlementLon[s], model.settlementLat[s])
      if (d < nd) (nd = d), (near = s)
    }
    return { id: c.id, kind: "new", lon: c.lon, lat: c.lat, settlement: model.settlementIds[near], seats: c.seats ?? newSeats }
  })
  const sites = [
    ...existing,
    ...named,
    ...fresh.map((f, i) => ({ ...f, id: `NEW-${o.level.toUpperCase()}-${String(i + 1).padStart(3, "0")}` }))
  ]
  const m = sites.length
  const counted = Problem.checkP(o.p, fixed.filter((f) => f).length, m)
  if (Either.isLeft(counted)) return Either.left(counted.left)
  const most = o.maxPairs ?? maxPairs
  if (S * m > most)
    return refuse(
      loaded,
      `siting pairs every settlement with every candidate site: ${S.toLocaleString("en")} settlements × ${m.toLocaleString("en")} sites ` +
        `are ${(S * m).toLocaleString("en")} distances (${gigabytes(S * m * 8)} GB), more than the ${most.toLocaleString("en")} ` +
        `(${gigabytes(most * 8)} GB) one call measures and searches; site one county at a time (a scenario of the county)`
    )
  const km = new Float64Array(S * m)
  for (let s = 0; s < S; s++) {
    for (let j = 0; j < m; j++) km[s * m + j] = Distance.km(model.settlementLon[s], model.settlementLat[s], sites[j].lon, sites[j].lat)
  }
  const perSeat = model.assumptions.capitalPerSeat
  const expandSeats = o.expandSeats ?? 540
  const upkeep = o.upkeep ?? 0
  const instance = Problem.make({
    weight: demand,
    km,
    sites: m,
    capacity: sites.map((x) => x.seats),
    expandSeats: sites.map(() => expandSeats),
    expandCost: sites.map(() => expandSeats * perSeat),
    fixedCost: sites.map((x) => (x.kind === "new" ? x.seats * perSeat : upkeep)),
    status: sites.map((x, j) => (x.kind === "existing" && fixed[j] ? Problem.Status.fixed : Problem.Status.free))
  })
  return Either.map(instance, (instance) => ({
    level: o.level,
    years: o.years,
    settlementIds: model.settlementIds,
    sites,
    instance,
    baseYear: base,
    horizon
  }))
}

export interface PlanOptions {
  /** The year new schools open and schools expand (default the year before the target, at least base + 1). */
  readonly buildYear?: number
}

/**
 * The plan steps of a solution: new schools open and schools expand in the build year; in the year
 * after, settlements move to their chosen school's catchment and the schools left out close into the
 * open school that takes most of their pupils. Expansions cover what the allocation sends to a school
 * beyond its seats (uncapacitated problems) or the solver's expansions (capacitated ones), and at
 * least the recorded pupils of the schools closing into it beyond its free seats (an overcrowded school's
 * deficit counted), so every step passes `decide`. Fails with a `SitingError` when the horizon leaves no
 * year to move pupils in, or no open school can receive a closing school's pupils.
 */
export const plan = (
  loaded: Loaded,
  siting: Siting,
  solution: Problem.Solution,
  o: PlanOptions = {}
): Either.Either<ReadonlyArray<Scenario.PlanStep>, SitingError> => {
  const buildYear = o.buildYear ?? Math.max(siting.baseYear + 1, siting.years[0] - 1)
  const moveYear = buildYear + 1
  if (moveYear > siting.baseYear + siting.horizon) {
    return refuse(
      loaded,
      `no room in the horizon: schools built in ${buildYear} can take pupils in ${moveYear}, after ${siting.baseYear + siting.horizon}`
    )
  }
  const w = world(loaded)
  const inst = siting.instance
  const m = inst.sites
  const load = new Float64Array(m)
  for (let i = 0; i < inst.points; i++) if (solution.assign[i] >= 0) load[solution.assign[i]] += inst.weight[i]
  const closing = siting.sites.map((site, j) => site.kind === "existing" && solution.open[j] !== 1)
  const into = new Int32Array(m).fill(-1)
  const extra = new Float64Array(m)
  for (let j = 0; j < m; j++) {
    if (!closing[j]) continue
    const site = siting.sites[j]
    const byTarget = new Float64Array(m)
    for (let i = 0; i < inst.points; i++) {
      if (World.catchmentOf(w, siting.level, siting.settlementIds[i] as Ids.SettlementId) === site.id)
        byTarget[solution.assign[i]] += inst.weight[i]
    }
    let best = -1
    for (let k = 0; k < m; k++) {
      if (solution.open[k] !== 1 || !receives(w, siting.sites[k], site.id)) continue
      if (
        best < 0 ||
        byTarget[k] > byTarget[best] ||
        (byTarget[k] === byTarget[best] && distance(site, siting.sites[k]) < distance(site, siting.sites[best]))
      )
        best = k
    }
    if (best < 0) return refuse(loaded, `no open school can receive the pupils of ${site.id}`)
    into[j] = best
    extra[best] += World.pupilsOf(w, site.id as Ids.SchoolId)
  }
  const steps: Array<Scenario.PlanStep> = []
  const moves: Array<Scenario.PlanStep> = []
  const cap = 45
  for (let j = 0; j < m; j++) {
    if (solution.open[j] !== 1) continue
    const site = siting.sites[j]
    const isNew = site.kind === "new"
    const needed = Math.max(solution.expanded[j] === 1 ? inst.expandSeats[j] : 0, load[j] - site.seats, 0)
    const free = isNew
      ? site.seats
      : (w.schools.get(site.id as Ids.SchoolId)?.facilities.seats ?? 0) - World.pupilsOf(w, site.id as Ids.SchoolId)
    // seats for the pupils of the schools closing into this one (先建后撤: its free seats must hold them);
    // a school receiving none needs none for closures, even when it is over its seats already (that is
    // `needed`'s): its overload had been added as seats for closures that never came
    const forClosures = extra[j] > 0 ? Math.max(0, extra[j] - free) : 0
    const more = Math.ceil(Math.max(needed, forClosures) / cap) * cap
    if (isNew) {
      const seats = site.seats + more
      steps.push({
        type: "open",
        year: buildYear,
        school: {
          id: site.id,
          name: `New ${siting.level} school at ${site.settlement} (optimiser)`,
          type: siting.level,
          settlement: site.settlement,
          lon: site.lon,
          lat: site.lat,
          classrooms: Math.ceil(seats / cap),
          seats
        }
      })
    } else if (more > 0) {
      steps.push({ type: "expand", year: buildYear, school: site.id, classrooms: more / cap, seats: more })
    }
  }
  for (let i = 0; i < inst.points; i++) {
    const j = solution.assign[i]
    if (j < 0 || inst.weight[i] <= 0) continue
    const settlement = siting.settlementIds[i]
    if (World.catchmentOf(w, siting.level, settlement as Ids.SettlementId) === siting.sites[j].id) continue
    moves.push({ type: "catchment", year: moveYear, level: siting.level, settlement, school: siting.sites[j].id })
  }
  for (let j = 0; j < m; j++)
    if (closing[j]) moves.push({ type: "close", year: moveYear, school: siting.sites[j].id, into: siting.sites[into[j]].id })
  return Either.right([...steps, ...moves])
}

// == helpers

const worlds = new WeakMap<Loaded, World.World>()

/** The world as of the base year (the baseline folded). */
const world = (loaded: Loaded): World.World => {
  const cached = worlds.get(loaded)
  if (cached !== undefined) return cached
  const b = World.builder()
  for (const e of loaded.streams.baseline) b.apply(e.event)
  worlds.set(loaded, b.world)
  return b.world
}

/** Whether a site can receive a closing school's pupils: it teaches every level the closing school teaches. */
const receives = (w: World.World, site: Site, closing: string): boolean => {
  const type = w.schools.get(closing as Ids.SchoolId)?.type
  if (type === undefined) return false
  const levels = School.levelsOf(type)
  const receiverType = site.kind === "new" ? undefined : w.schools.get(site.id as Ids.SchoolId)?.type
  return site.kind === "new" ? levels.length === 1 : levels.every((l) => School.teaches(receiverType!, l))
}

const distance = (a: Site, b: Site) => Distance.km(a.lon, a.lat, b.lon, b.lat)

/** The populated area's box (settlements with pupils) and the grid of `spacing` km over it: its rows, columns and step. */
const gridOver = (model: Compile.Model, demand: Float64Array, spacing: number) => {
  let minLon = Infinity,
    maxLon = -Infinity,
    minLat = Infinity,
    maxLat = -Infinity
  for (let s = 0; s < model.settlements; s++) {
    if (demand[s] <= 0) continue
    minLon = Math.min(minLon, model.settlementLon[s])
    maxLon = Math.max(maxLon, model.settlementLon[s])
    minLat = Math.min(minLat, model.settlementLat[s])
    maxLat = Math.max(maxLat, model.settlementLat[s])
  }
  const dLat = spacing / 111.2
  const dLon = spacing / (111.2 * Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180)))
  const populated = minLon !== Infinity
  return {
    minLon,
    maxLon,
    minLat,
    maxLat,
    dLat,
    dLon,
    /** Cell centres to weigh (each against every settlement): 0 without pupils anywhere. */
    cells: populated ? (Math.floor((maxLat - minLat) / dLat) + 1) * (Math.floor((maxLon - minLon) / dLon) + 1) : 0,
    /** The box's sides in km. */
    heightKm: populated ? (maxLat - minLat) * 111.2 : 0,
    widthKm: populated ? ((maxLon - minLon) / dLon) * spacing : 0
  }
}

/** Grid sites over the populated area: cell centres within one spacing of a settlement with pupils. */
const grid = (model: Compile.Model, demand: Float64Array, spacing: number, seats: number): Array<Site> => {
  const { minLon, maxLon, minLat, maxLat, dLat, dLon, cells } = gridOver(model, demand, spacing)
  if (cells === 0) return []
  const out: Array<Site> = []
  for (let lat = minLat; lat <= maxLat + 1e-9; lat += dLat) {
    for (let lon = minLon; lon <= maxLon + 1e-9; lon += dLon) {
      let near = -1
      let nd = Infinity
      for (let s = 0; s < model.settlements; s++) {
        if (demand[s] <= 0) continue
        const d = Distance.km(lon, lat, model.settlementLon[s], model.settlementLat[s])
        if (d < nd) (nd = d), (near = s)
      }
      if (near >= 0 && nd <= spacing) out.push({ id: "", kind: "new", lon, lat, settlement: model.settlementIds[near], seats })
    }
  }
  return out
}
