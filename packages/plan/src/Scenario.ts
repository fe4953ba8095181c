/**
 * A scenario turned into event streams: `toStreams` sends every fact and plan step through `decide`, so a
 * scenario that loads obeys the domain rules (先建后撤 included), and every refusal is a problem at the field
 * that caused it. The module also re-exports the file format (ScenarioFile) and the plan steps (PlanStep),
 * so `Scenario.X` names every part of a scenario.
 */
import { type Command as DomainCommand, Decider, type Event, Ids, School, Standards, World } from "@seatplan/core"
import { Costs } from "@seatplan/sim"
import { Either } from "effect"
import { asSchool, asSettlement, type PlanStep, type SchoolSpec, type SettlementSpec } from "./PlanStep.js"
import { type CandidateSite, compileOptions, type ScenarioFile, type Variant } from "./ScenarioFile.js"
import * as DataQuality from "./DataQuality.js"
import * as Strategies from "./Strategies.js"

export * from "./PlanStep.js"
export * from "./ScenarioFile.js"
/** A problem with a scenario: where (a field path) and what. */
export interface Problem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

export interface Streams {
  /** Events per stream, in the order they were decided: `baseline`, then `plan/<variant>` (own steps only). */
  readonly baseline: ReadonlyArray<Event.NewEvent>
  readonly variants: ReadonlyArray<{
    readonly name: string
    /** The variant's events decided on the baseline (its ancestors' steps and strategies' included). */
    readonly events: ReadonlyArray<Event.NewEvent>
    /** The variant's whole plan (its ancestors' steps first), strategies expanded: what the accounts count. */
    readonly steps: ReadonlyArray<PlanStep>
  }>
}

type PlanCommand = { readonly path: ReadonlyArray<string | number>; readonly source: object; readonly command: DomainCommand.Command }

const at = "2000-01-01T00:00:00.000Z"

/**
 * The baseline of a scenario decided through the decider: its events, how many commands they came from
 * (the variants' command ids go on from there) and the world they make, with every problem of the region
 * and its history. Cheap: nothing is projected. The commands themselves are not kept: the events are what
 * is stored (`Project.store`), and a province has millions of commands.
 */
export interface Baseline {
  readonly events: ReadonlyArray<Event.NewEvent>
  readonly commandCount: number
  readonly world: World.World
  /** Problems of the region, history and variants' names (empty when the baseline is sound). */
  readonly problems: ReadonlyArray<Problem>
}

/**
 * Turns a decoded scenario into event streams through the decider: the baseline (`baselineOf`), then each
 * variant with its strategies expanded (`variantsOf`, the step that projects). Every refusal becomes a
 * problem at the field that caused it; all problems are reported, not only the first.
 */
export const toStreams = (s: ScenarioFile): Either.Either<Streams, ReadonlyArray<Problem>> => {
  const baseline = baselineOf(s)
  const variants = variantsOf(s, baseline)
  const problems = [...baseline.problems, ...(Either.isLeft(variants) ? variants.left : [])]
  return problems.length > 0 || Either.isLeft(variants)
    ? Either.left(problems)
    : Either.right({ baseline: baseline.events, variants: variants.right })
}

/** Where the scenario's history starts: its earliest record, or the base year. */
const firstYear = (s: ScenarioFile): number => {
  const history = s.history ?? {}
  // a loop, not Math.min(...records): a province's history has more records than a call has room for arguments
  let first = s.baseYear
  for (const records of [history.births, history.enrolment, history.migration, history.population]) {
    for (const r of records ?? []) if (r.year < first) first = r.year
  }
  return first
}

/** The ids of a scenario's own commands: `scenario/000001`…, the baseline's first, then the variants'. */
const counter = (from = 0) => {
  let n = from
  return () => ({ id: commandId(++n), at })
}

/** The id of a scenario's `n`th command (from 1). */
const commandId = (n: number): string => `scenario/${String(n).padStart(6, "0")}`

/**
 * A section of the baseline's commands (`baselineOf`): how many, each one's year (read without making the
 * command), its field in the scenario, and the command itself, made when it is decided.
 */
export interface Section {
  readonly count: number
  readonly year: (i: number) => Ids.SchoolYear
  /** Whether a record may be dated after the base year (births: a bureau's provisional figures). */
  readonly later?: boolean
  readonly path: (i: number) => ReadonlyArray<string | number>
  /** The command, given its id, time and year (`year(i)`, read once). */
  readonly command: (i: number, meta: { readonly id: string; readonly at: string; readonly year: Ids.SchoolYear }) => DomainCommand.Command
}

/**
 * The sections' commands, numbered `scenario/000001`… in the sections' order, in the order `byYear` puts
 * them (by year, in their ids' order within a year), each made as it is taken and let go of once decided.
 * Made all at once with their fields, a province's 2.2 M commands were about half a gigabyte held through
 * deciding, copied by every scavenge on the way to the old generation (a million settlements: 5 GB).
 */
export const lazily = (
  sections: ReadonlyArray<Section>
): { readonly count: number; readonly years: Int32Array; readonly ordered: Iterable<Entry> } => {
  let count = 0
  for (const x of sections) count += x.count
  const years = new Int32Array(count)
  const sectionOf = new Uint16Array(count)
  const starts = new Int32Array(sections.length)
  let k = 0
  sections.forEach((x, n) => {
    starts[n] = k
    for (let i = 0; i < x.count; i++) {
      years[k] = x.year(i)
      sectionOf[k++] = n
    }
  })
  const order = yearOrder(years)
  function* ordered(): Generator<Entry> {
    for (let o = 0; o < count; o++) {
      const j = order[o]
      const n = sectionOf[j]
      const x = sections[n]
      const i = j - starts[n]
      // the year as `year(i)` gave it (a SchoolYear), kept in the array
      yield { path: x.path(i), command: x.command(i, { id: commandId(j + 1), at, year: years[j] as Ids.SchoolYear }) }
    }
  }
  return { count, years, ordered: ordered() }
}

/** Decides the region and its history: the baseline stream, without projecting anything. */
export const baselineOf = (s: ScenarioFile): Baseline => {
  const problems: Array<Problem> = []
  const history = s.history ?? {}
  const first = Ids.schoolYear(firstYear(s))
  duplicates(
    s.settlements.map((x) => x.id),
    ["settlements"],
    "settlement",
    problems
  )
  parentProblems(s.settlements, problems)
  duplicates(
    s.schools.map((x) => x.id),
    ["schools"],
    "school",
    problems
  )
  candidateProblems(s, problems)
  duplicates(
    s.variants.map((x) => x.name),
    ["variants"],
    "variant",
    problems
  )

  const settlementById = new Map(s.settlements.map((x) => [x.id, x]))
  // a school's problems are found as it is read, before any command is decided (as they always were)
  const schools = s.schools.map((x, i) => school(x, settlementById, problems, ["schools", i]))
  const sections: Array<Section> = [
    {
      count: s.settlements.length,
      year: () => first,
      path: (i) => ["settlements", i],
      command: (i, meta) => ({ _tag: "RecordSettlement", ...meta, settlement: settlement(s.settlements[i]) })
    },
    {
      count: schools.length,
      year: () => first,
      path: (i) => ["schools", i],
      command: (i, meta) => ({ _tag: "OpenSchool", ...meta, school: schools[i] })
    }
  ]
  const assignments = (
    section: "catchments" | "splits",
    level: School.Level,
    entries: ReadonlyArray<readonly [string, string, number?]>
  ): Section => ({
    count: entries.length,
    year: () => first,
    path: (i) => [section, level, entries[i][0]],
    command: (i, meta) => {
      const [settlementId, schoolId, share] = entries[i]
      return {
        _tag: "AssignCatchment",
        ...meta,
        level,
        settlementId: asSettlement(settlementId),
        schoolId: asSchool(schoolId),
        ...(share === undefined ? {} : { share })
      }
    }
  })
  for (const level of School.levels) sections.push(assignments("catchments", level, Object.entries(s.catchments[level] ?? {})))
  // base splits after every whole catchment: a split needs the settlement zoned to another school first
  for (const level of School.levels)
    sections.push(
      assignments(
        "splits",
        level,
        Object.entries(s.splits?.[level] ?? {}).map(([settlementId, split]) => [settlementId, split.school, split.share] as const)
      )
    )
  const births = history.births ?? []
  sections.push({
    count: births.length,
    year: (i) => Ids.schoolYear(births[i].year),
    // births recorded for later years (a bureau's provisional figures) are accepted: they replace the
    // projected births of their settlement and year (the base year's births × the birth index)
    later: true,
    path: (i) => ["history", "births", i],
    command: (i, meta) => {
      const b = births[i]
      return { _tag: "RecordBirths", ...meta, settlementId: asSettlement(b.settlement), births: b.births }
    }
  })
  // an enrolment record is a command a grade: the records and grades of the valid ones, in the file's order
  const enrolment = history.enrolment ?? []
  const enrolled: Array<number> = []
  const grades: Array<string> = []
  enrolment.forEach((e, i) => {
    for (const grade of Object.keys(e.byGrade)) {
      const g = Number(grade)
      if (!Number.isInteger(g) || g < -2 || g > 12) {
        problems.push({
          path: ["history", "enrolment", i, "byGrade", grade],
          message: `expected a grade from -2 to 12, found ${JSON.stringify(grade)}`
        })
        continue
      }
      enrolled.push(i)
      grades.push(grade)
    }
  })
  sections.push({
    count: enrolled.length,
    year: (k) => Ids.schoolYear(enrolment[enrolled[k]].year),
    path: (k) => ["history", "enrolment", enrolled[k]],
    command: (k, meta) => {
      const e = enrolment[enrolled[k]]
      return {
        _tag: "RecordEnrolment",
        ...meta,
        schoolId: asSchool(e.school),
        grade: Number(grades[k]),
        pupils: e.byGrade[grades[k]]
      }
    }
  })
  const migration = history.migration ?? []
  sections.push({
    count: migration.length,
    year: (i) => Ids.schoolYear(migration[i].year),
    path: (i) => ["history", "migration", i],
    command: (i, meta) => {
      const m = migration[i]
      return {
        _tag: "RecordMigration",
        ...meta,
        from: m.from === "outside" ? "outside" : asSettlement(m.from),
        to: m.to === "outside" ? "outside" : asSettlement(m.to),
        ages: m.ages,
        count: m.count,
        migrant: m.migrant ?? false
      }
    }
  })
  const populations = (
    records: ReadonlyArray<{ readonly settlement: string; readonly byAge: ReadonlyArray<number> }>,
    at: (i: number) => number,
    path: (i: number) => ReadonlyArray<string | number>
  ): Section => ({
    count: records.length,
    year: (i) => Ids.schoolYear(at(i)),
    path,
    command: (i, meta) => ({
      _tag: "RecordPopulation",
      ...meta,
      settlementId: asSettlement(records[i].settlement),
      byAge: records[i].byAge
    })
  })
  const recorded = history.population ?? []
  sections.push(
    populations(
      recorded,
      (i) => recorded[i].year,
      (i) => ["history", "population", i]
    )
  )
  const standards = (Object.entries(s.standards ?? {}) as ReadonlyArray<[Standards.StandardKey, number | undefined]>).filter(
    (kv): kv is [Standards.StandardKey, number] => kv[1] !== undefined
  )
  sections.push({
    count: standards.length,
    year: () => first,
    path: (i) => ["standards", standards[i][0]],
    command: (i, meta) => ({ _tag: "ChangeStandard", ...meta, key: standards[i][0], value: standards[i][1] })
  })
  sections.push(
    populations(
      s.population,
      () => s.baseYear,
      (i) => ["population", i]
    )
  )
  const made = lazily(sections)
  let k = 0
  for (const section of sections) {
    for (let i = 0; i < section.count; i++, k++) {
      const year = made.years[k]
      if (section.later !== true && year > s.baseYear)
        problems.push({ path: section.path(i), message: `history must be dated up to the base year ${s.baseYear}, found ${year}` })
    }
  }
  const decided = decideOrdered(made.ordered, World.initial, problems)
  return { events: decided.events, commandCount: made.count, world: decided.world, problems }
}

/**
 * Decides each variant's steps on the baseline, expanding its layout strategies in order (each projects
 * the plan so far: the one step of loading that runs the engine). Problems are reported at the variant's
 * own fields; the baseline's are the baseline's to report.
 */
export const variantsOf = (s: ScenarioFile, baseline: Baseline): Either.Either<Streams["variants"], ReadonlyArray<Problem>> => {
  const problems: Array<Problem> = []
  const horizon = s.horizon ?? 15
  const meta = counter(baseline.commandCount)
  const settlementById = new Map(s.settlements.map((x) => [x.id, x]))
  const variants: Array<Streams["variants"][number]> = []
  const missing = DataQuality.completeness(s).missing
  const byName = new Map(s.variants.map((v, i) => [v.name, { v, i }]))
  const compile = compileOptions(s)
  // the baseline's events as a strategy compiles them, made when a strategy first runs (a region's millions otherwise)
  let recordedEvents: ReadonlyArray<Event.Event> | undefined
  const recorded = () => (recordedEvents ??= baseline.events.map((e) => e.event))
  s.variants.forEach((variant, i) => {
    const chain = lineage(variant, byName, ["variants", i], problems)
    const planCommands: Array<PlanCommand> = []
    const steps: Array<PlanStep> = []
    const inHorizon = (year: number) => year > s.baseYear && year <= s.baseYear + horizon
    const horizonMessage = (year: number) =>
      `expected a year after the base year ${s.baseYear} and up to ${s.baseYear + horizon} (the horizon), found ${year}`
    for (const { i: vi, v } of chain) {
      v.events.forEach((e, j) => {
        const path = ["variants", vi, "events", j]
        if (!inHorizon(e.year)) {
          if (vi === i) problems.push({ path: [...path, "year"], message: horizonMessage(e.year) })
          return
        }
        planCommands.push({ path, source: e, command: planCommand(e, meta(), settlementById, problems, path) })
        steps.push(e)
      })
      ;(v.strategies ?? []).forEach((spec, j) => {
        const path = ["variants", vi, "strategies", j]
        const own = vi === i ? problems : []
        if (!inHorizon(spec.year)) {
          own.push({ path: [...path, "year"], message: horizonMessage(spec.year) })
          return
        }
        const sofarRefused: Array<Problem> = []
        const sofar = decideAll(planCommands, baseline.world, sofarRefused)
        // the plan so far may have problems of its own (reported at their steps); the steps a strategy probes
        // must pass: the first probe refused is recorded here (not thrown) and fails the strategy after it ran
        let probeRefused: string | undefined
        const probe = (extra: ReadonlyArray<PlanStep>) => {
          let p = 0
          const refused: Array<Problem> = []
          // one copy of the settlements for the probe's steps (a settlement one adds is known to the later
          // ones, as in the plan itself), not one per step: a copy of a region's settlements for every step
          // of every probe was most of comply-by's time on large regions
          const known = new Map(settlementById)
          const extraCommands = extra.map((e) => ({
            path,
            source: e,
            command: planCommand(e, { id: `probe/${++p}`, at }, known, refused, path)
          }))
          const decided = decideAll([...planCommands, ...extraCommands], baseline.world, refused)
          if (refused.length > sofarRefused.length) probeRefused ??= refused[refused.length - 1].message
          return decided
        }
        const generated = Either.try(() =>
          Strategies.run(spec, {
            world: sofar.world,
            events: [...recorded(), ...sofar.events.map((e) => e.event)],
            steps,
            compile,
            withSteps: (extra) => [...recorded(), ...probe(extra).events.map((e) => e.event)],
            missing
          })
        )
        if (probeRefused !== undefined) {
          own.push({ path, message: `the ${spec.strategy} strategy could not run: a step it probed was refused: ${probeRefused}` })
          return
        }
        if (Either.isLeft(generated)) {
          const e = generated.left
          own.push({ path, message: `the ${spec.strategy} strategy could not run: ${e instanceof Error ? e.message : String(e)}` })
          return
        }
        for (const e of generated.right) {
          if (!inHorizon(e.year)) {
            own.push({
              path: [...path, "year"],
              message: `the ${spec.strategy} strategy writes a ${e.type} step in ${e.year}: ${horizonMessage(e.year)}`
            })
            continue
          }
          planCommands.push({ path, source: e, command: planCommand(e, meta(), settlementById, own, path) })
          steps.push(e)
        }
      })
    }
    const own: Array<Problem> = []
    const events = decideAll(planCommands, baseline.world, own)
    for (const p of own) if (p.path[1] === i) problems.push(p)
    variants.push({ name: variant.name, events: events.events, steps })
  })
  return problems.length > 0 ? Either.left(problems) : Either.right(variants)
}

// == helpers

/** A candidate site needs a location (lon/lat or a known settlement) and an id no school or other site has. */
const candidateProblems = (s: ScenarioFile, problems: Array<Problem>): void => {
  const settlements = new Set(s.settlements.map((x) => x.id))
  const schools = new Set(s.schools.map((x) => x.id))
  const seen = new Map<string, number>()
  ;(s.candidateSites ?? []).forEach((c, i) => {
    const path = ["candidateSites", i]
    if (schools.has(c.id))
      problems.push({ path: [...path, "id"], message: `expected an id no school has, found ${JSON.stringify(c.id)} (a school)` })
    const first = seen.get(c.id)
    if (first !== undefined)
      problems.push({
        path: [...path, "id"],
        message: `duplicate candidate site id ${JSON.stringify(c.id)}, first used at candidateSites[${first}]`
      })
    else seen.set(c.id, i)
    if (c.settlement !== undefined && !settlements.has(c.settlement)) {
      problems.push({
        path: [...path, "settlement"],
        message: `expected a settlement of the scenario, found ${JSON.stringify(c.settlement)}`
      })
    }
    if ((c.lon === undefined) !== (c.lat === undefined))
      problems.push({ path: [...path, c.lon === undefined ? "lon" : "lat"], message: "expected lon and lat together, found only one" })
    if (c.lon === undefined && c.settlement === undefined)
      problems.push({ path: [...path, "lon"], message: "expected a location: lon and lat, or a settlement" })
  })
}

/** Where a candidate site stands: its own lon/lat, else its settlement's. */
export const candidateLocation = (s: ScenarioFile, c: CandidateSite): { readonly lon: number; readonly lat: number } => {
  if (c.lon !== undefined && c.lat !== undefined) return { lon: c.lon, lat: c.lat }
  const home = s.settlements.find((x) => x.id === c.settlement)!
  return { lon: home.lon, lat: home.lat }
}

/** The field of a step that holds the id a refusal names (`into`, `school`, `settlement`…), if any. */
const fieldOf = (error: object, source: object | undefined): ReadonlyArray<string | number> => {
  if (source === undefined) return []
  const fields = error as Readonly<Record<string, unknown>>
  const ids = ["receivingSchoolId", "schoolId", "settlementId", "groupId"].map((k) => fields[k]).filter((v) => typeof v === "string")
  for (const id of ids) {
    for (const [key, value] of Object.entries(source)) {
      if (value === id) return [key]
      if (Array.isArray(value)) {
        const i = value.indexOf(id)
        if (i >= 0) return [key, i]
      }
    }
  }
  return []
}

/** A settlement's parent must be a settlement of the scenario, and parents must not go round in a circle. */
const parentProblems = (settlements: ReadonlyArray<typeof SettlementSpec.Type>, problems: Array<Problem>) => {
  const index = new Map<string, number>()
  settlements.forEach((x, i) => {
    if (!index.has(x.id)) index.set(x.id, i)
  })
  settlements.forEach((x, i) => {
    if (x.parent !== undefined && !index.has(x.parent)) {
      problems.push({
        path: ["settlements", i, "parent"],
        message: `expected the id of a settlement of the scenario, found ${JSON.stringify(x.parent)}`
      })
    }
  })
  // walk up from each settlement once (linear in the settlements): a walk that meets itself is a circle
  const state = new Map<number, "walking" | "done">()
  for (let i = 0; i < settlements.length; i++) {
    const walk: Array<number> = []
    let j: number | undefined = i
    while (j !== undefined && state.get(j) === undefined) {
      state.set(j, "walking")
      walk.push(j)
      const parent: string | undefined = settlements[j].parent
      j = parent === undefined ? undefined : index.get(parent)
    }
    if (j !== undefined && state.get(j) === "walking") {
      const circle = walk.slice(walk.indexOf(j))
      const names = [...circle, j].map((k) => settlements[k].id).join(" → ")
      for (const k of circle)
        problems.push({
          path: ["settlements", k, "parent"],
          message: `settlements are each other's parents in a circle (${clipped(names)})`
        })
    }
    for (const k of walk) state.set(k, "done")
  }
}

const clipped = (s: string, max = 160) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`)

const duplicates = (ids: ReadonlyArray<string>, path: ReadonlyArray<string | number>, what: string, problems: Array<Problem>) => {
  const seen = new Map<string, number>()
  ids.forEach((id, i) => {
    const first = seen.get(id)
    if (first !== undefined)
      problems.push({
        path: [...path, i, what === "variant" ? "name" : "id"],
        message: `duplicate ${what} id ${JSON.stringify(id)}, first used at ${path.join(".")}[${first}]`
      })
    else seen.set(id, i)
  })
}

const settlement = (x: typeof SettlementSpec.Type) => ({
  id: asSettlement(x.id),
  name: x.name,
  tier: x.tier,
  lon: x.lon,
  lat: x.lat,
  ...(x.parent === undefined ? {} : { parent: asSettlement(x.parent) })
})

/** The ten facility fields in `School.facilityFields` order, an absent one 0 (a school's plant, an expansion's change). */
const facilityAmounts = (amount: (f: School.FacilityField) => number | undefined): Record<School.FacilityField, number> =>
  Object.fromEntries(School.facilityFields.map((f) => [f, amount(f) ?? 0])) as Record<School.FacilityField, number>

const school = (
  x: SchoolSpec,
  settlements: ReadonlyMap<string, typeof SettlementSpec.Type>,
  problems: Array<Problem>,
  path: ReadonlyArray<string | number>
): School.School => {
  const home = settlements.get(x.settlement)
  const lon = x.lon ?? home?.lon
  const lat = x.lat ?? home?.lat
  if (lon === undefined || lat === undefined) {
    problems.push({
      path: [...path, "lon"],
      message: `no location: give lon and lat, or a known settlement (found ${JSON.stringify(x.settlement)})`
    })
  }
  const t = x.teachers ?? { total: 0 }
  const given = t.byAge ?? {}
  const named = School.ageBands.reduce((n, b) => n + (given[b] ?? 0), 0)
  const rest = Math.max(0, t.total - named)
  const unnamed = School.ageBands.filter((b) => given[b] === undefined)
  const byAge = Object.fromEntries(
    School.ageBands.map((b) => {
      if (given[b] !== undefined) return [b, given[b]]
      const i = unnamed.indexOf(b)
      return [b, Math.floor(rest / unnamed.length) + (i < rest % unnamed.length ? 1 : 0)]
    })
  ) as School.TeacherPool["byAge"]
  const total = School.ageBands.reduce((n, b) => n + byAge[b], 0)
  // the age bands and the total must agree: when they did not, the bands' sum replaced the total unsaid
  // (teachers_assigned 200 for a stated total of 56)
  if (x.teachers !== undefined && t.byAge !== undefined) {
    if (unnamed.length === 0 && named !== t.total)
      problems.push({
        path: [...path, "teachers", "total"],
        message: `expected the sum of teachers.byAge (${named}), found ${t.total}: make them agree, or leave an age band out to be filled with the rest`
      })
    else if (named > t.total)
      problems.push({
        path: [...path, "teachers", "total"],
        message: `expected at least the ${named} teachers teachers.byAge names, found ${t.total}`
      })
  }
  const { classrooms, ...otherFacilities } = facilityAmounts((f) => x[f])
  for (const k of ["aboveDegree", "backbone", "peArts", "mentalHealth"] as const) {
    if ((t[k] ?? 0) > total)
      problems.push({ path: [...path, "teachers", k], message: `expected at most the ${total} teachers, found ${t[k]}` })
  }
  return {
    id: asSchool(x.id),
    name: x.name,
    type: x.type,
    settlementId: asSettlement(x.settlement),
    lon: lon ?? 0,
    lat: lat ?? 0,
    ownership: "public",
    facilities: {
      classrooms,
      ...(x.classroomsByGrade === undefined ? {} : { classroomsByGrade: x.classroomsByGrade }),
      ...otherFacilities
    },
    teachers: {
      byAge,
      aboveDegree: Math.min(total, t.aboveDegree ?? 0),
      backbone: Math.min(total, t.backbone ?? 0),
      peArts: Math.min(total, t.peArts ?? 0),
      mentalHealth: Math.min(total, t.mentalHealth ?? 0)
    }
  }
}

const lineage = (
  variant: Variant,
  byName: ReadonlyMap<string, { readonly v: Variant; readonly i: number }>,
  path: ReadonlyArray<string | number>,
  problems: Array<Problem>
): ReadonlyArray<{ readonly v: Variant; readonly i: number }> => {
  const chain: Array<{ v: Variant; i: number }> = [{ v: variant, i: path[1] as number }]
  let current = variant
  while (current.extends !== undefined) {
    const parent = byName.get(current.extends)
    if (parent === undefined) {
      problems.push({
        path: [...path, "extends"],
        message: `no variant named ${JSON.stringify(current.extends)}; expected one of ${[...byName.keys()].join(", ")}`
      })
      break
    }
    if (chain.some((c) => c.v === parent.v)) {
      problems.push({
        path: [...path, "extends"],
        message: `variants extend each other in a circle (${chain.map((c) => c.v.name).join(" → ")} → ${parent.v.name})`
      })
      break
    }
    chain.unshift(parent)
    current = parent.v
  }
  return chain
}

interface TeacherStep {
  readonly ageBand?: School.AgeBand | undefined
  readonly aboveDegree?: number | undefined
  readonly backbone?: number | undefined
  readonly peArts?: number | undefined
  readonly mentalHealth?: number | undefined
}

const teacherFields = (e: TeacherStep, band: School.AgeBand) => ({
  ageBand: e.ageBand ?? band,
  aboveDegree: e.aboveDegree ?? 0,
  backbone: e.backbone ?? 0,
  peArts: e.peArts ?? 0,
  mentalHealth: e.mentalHealth ?? 0
})

/** A plan step as the domain command it asks for (the workspace of `seatplan serve` decides edits with it too). */
export const planCommand = (
  e: PlanStep,
  meta: { readonly id: string; readonly at: string },
  settlements: Map<string, typeof SettlementSpec.Type>,
  problems: Array<Problem>,
  path: ReadonlyArray<string | number>
): DomainCommand.Command => {
  const year = Ids.schoolYear(e.year)
  const S = asSchool
  switch (e.type) {
    case "open":
      return { _tag: "OpenSchool", ...meta, year, school: school(e.school, settlements, problems, [...path, "school"]) }
    case "expand":
      return {
        _tag: "ExpandSchool",
        ...meta,
        year,
        schoolId: S(e.school),
        ...facilityAmounts((f) => e[f]),
        ...(e.cost === undefined ? {} : { cost: e.cost })
      }
    case "merge":
      return { _tag: "MergeSchools", ...meta, year, absorbed: [S(e.schools[0]), ...e.schools.slice(1).map((x) => S(x))], into: S(e.into) }
    case "close":
      return { _tag: "CloseSchool", ...meta, year, schoolId: S(e.school), ...(e.into === undefined ? {} : { pupilsTo: S(e.into) }) }
    case "repurpose":
      return { _tag: "RepurposeSchool", ...meta, year, schoolId: S(e.school), use: e.use }
    case "convert":
      return { _tag: "ConvertSchool", ...meta, year, schoolId: S(e.school), to: e.to }
    case "catchment":
      return {
        _tag: "AssignCatchment",
        ...meta,
        year,
        level: e.level,
        settlementId: asSettlement(e.settlement),
        schoolId: S(e.school),
        ...(e.share === undefined ? {} : { share: e.share })
      }
    case "boarding":
      return {
        _tag: "ChangeBoarding",
        ...meta,
        year,
        schoolId: S(e.school),
        beds: e.beds,
        ...(e.cost === undefined ? {} : { cost: e.cost })
      }
    case "hire":
      return { _tag: "HireTeachers", ...meta, year, schoolId: S(e.school), count: e.count, ...teacherFields(e, "under-30") }
    case "retire":
      return { _tag: "RetireTeachers", ...meta, year, schoolId: S(e.school), count: e.count, ...teacherFields(e, "55+") }
    case "transfer":
      return {
        _tag: "TransferTeachers",
        ...meta,
        year,
        from: S(e.from),
        to: S(e.to),
        count: e.count,
        rotation: e.rotation ?? false,
        ...teacherFields(e, "30-39")
      }
    case "housing":
      return {
        _tag: "CompleteHousing",
        ...meta,
        year,
        settlementId: asSettlement(e.settlement),
        estate: e.estate,
        dwellings: e.dwellings,
        type: e.kind
      }
    case "settlement":
      settlements.set(e.settlement.id, e.settlement)
      return { _tag: "RecordSettlement", ...meta, year, settlement: settlement(e.settlement) }
    case "standard":
      return { _tag: "ChangeStandard", ...meta, year, key: e.key, value: e.value }
    case "form-group":
      return {
        _tag: "FormGroup",
        ...meta,
        year,
        groupId: asGroup(e.group),
        name: e.name,
        form: e.form ?? "group",
        lead: S(e.lead),
        members: e.members.map((m) => S(m))
      }
    case "join-group":
      return { _tag: "JoinGroup", ...meta, year, groupId: asGroup(e.group), schoolId: S(e.school) }
    case "leave-group":
      return { _tag: "LeaveGroup", ...meta, year, groupId: asGroup(e.group), schoolId: S(e.school) }
    case "dissolve-group":
      return { _tag: "DissolveGroup", ...meta, year, groupId: asGroup(e.group) }
    case "rotate":
      return {
        _tag: "RotateTeachers",
        ...meta,
        year,
        groupId: asGroup(e.group),
        share: e.share ?? Standards.defaults["rotation.share"],
        backboneShare: e.backboneShare ?? Standards.defaults["rotation.backboneShare"]
      }
    case "exchange":
      return {
        _tag: "ExchangeTeachers",
        ...meta,
        year,
        schoolId: S(e.school),
        partnerId: S(e.partner),
        share: e.share ?? Standards.defaults["rotation.share"],
        backboneShare: e.backboneShare ?? Standards.defaults["rotation.backboneShare"]
      }
    case "invest":
      return {
        _tag: "ExpandSchool",
        ...meta,
        year,
        schoolId: S(e.school),
        ...facilityAmounts((f) => (f === "seats" || f === "classrooms" || f === "boardingBeds" ? 0 : e[f])),
        cost: e.cost ?? Costs.investment(e)
      }
  }
}

const asGroup = (id: string) => id as Ids.GroupId

/**
 * Items ordered by their command's year, in the list's order within a year (a stable sort by year): the
 * list itself when it is in that order already, else placed by counting (a province's 2.16 M commands
 * were first copied with their index and sorted by a comparator, then pushed onto a list a year and joined
 * with `flatMap`: 1.2 s of its validating, against one pass to count and one to place). The years are
 * school years (whole, 1949-2200: `Ids.SchoolYear`), so an `Int32Array` holds them exactly and the count
 * has at most 252 slots.
 */
export const byYear = <A extends { readonly command: { readonly year: Ids.SchoolYear } }>(items: ReadonlyArray<A>): ReadonlyArray<A> => {
  let sorted = true
  for (let i = 1; i < items.length && sorted; i++) sorted = items[i - 1].command.year <= items[i].command.year
  if (sorted) return items
  const order = yearOrder(Int32Array.from(items, (c) => c.command.year))
  const ordered = new Array<A>(items.length)
  for (let o = 0; o < items.length; o++) ordered[o] = items[order[o]]
  return ordered
}

/** The indexes of `years` in a stable sort by year: one pass to count each year, one to place. */
const yearOrder = (years: Int32Array): Int32Array => {
  const count = years.length
  let low = Infinity
  let high = -Infinity
  for (let j = 0; j < count; j++) {
    if (years[j] < low) low = years[j]
    if (years[j] > high) high = years[j]
  }
  // where each year's indexes start, years ascending
  const next = new Int32Array(count === 0 ? 1 : high - low + 2)
  for (let j = 0; j < count; j++) next[years[j] - low + 1]++
  for (let y = 1; y < next.length; y++) next[y] += next[y - 1]
  const order = new Int32Array(count)
  for (let j = 0; j < count; j++) order[next[years[j] - low]++] = j
  return order
}

/** Decides commands in order against a growing world; refusals become problems at their paths. */
const decideAll = (
  commands: ReadonlyArray<Entry>,
  from: World.World,
  problems: Array<Problem>
): { readonly events: ReadonlyArray<Event.NewEvent>; readonly world: World.World } => decideOrdered(byYear(commands), from, problems)

/** A command and the field of the scenario it comes from (a refusal's problem is placed there, within `source` when given). */
export interface Entry {
  readonly path: ReadonlyArray<string | number>
  readonly command: DomainCommand.Command
  readonly source?: object
}

/** Decides commands in the order given against a growing world; refusals become problems at their paths. */
const decideOrdered = (
  ordered: Iterable<Entry>,
  from: World.World,
  problems: Array<Problem>
): { readonly events: ReadonlyArray<Event.NewEvent>; readonly world: World.World } => {
  const events: Array<Event.NewEvent> = []
  const world = World.builder(from)
  for (const { command, path, source } of ordered) {
    const result = Decider.decide(command, world.world)
    if (Either.isLeft(result)) {
      problems.push({ path: [...path, ...fieldOf(result.left, source)], message: result.left.message })
      continue
    }
    for (const e of Decider.envelopes(command, result.right)) {
      events.push(e)
      world.apply(e.event)
    }
  }
  return { events, world: world.world }
}

/**
 * What a strategy would see after `steps` on the baseline (the world, the events, how the scenario projects),
 * for running a strategy on its own (its report, tests). A step the domain rules refuse is left out.
 */
export const contextOf = (s: ScenarioFile, baseline: Baseline, steps: ReadonlyArray<PlanStep> = []): Strategies.Context => {
  const settlements = new Map(s.settlements.map((x) => [x.id, x]))
  const recorded = baseline.events.map((e) => e.event)
  const decided = (extra: ReadonlyArray<PlanStep>) => {
    let n = 0
    const problems: Array<Problem> = []
    // one copy of the settlements for the steps decided together (see `probe` above), not one per step
    const known = new Map(settlements)
    const commands = extra.map((e) => ({
      path: [],
      source: e,
      command: planCommand(e, { id: `context/${++n}`, at }, known, problems, [])
    }))
    return decideAll(commands, baseline.world, problems)
  }
  const sofar = decided(steps)
  return {
    world: sofar.world,
    events: [...recorded, ...sofar.events.map((e) => e.event)],
    steps,
    compile: compileOptions(s),
    withSteps: (extra) => [...recorded, ...decided([...steps, ...extra]).events.map((e) => e.event)],
    missing: DataQuality.completeness(s).missing
  }
}
