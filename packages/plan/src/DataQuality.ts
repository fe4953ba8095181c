/**
 * What a scenario file lacks or says twice, found when it is read (not failures: the scenario loads).
 *
 * - **Completeness** (数据完整性): the facility and teacher figures each school leaves out (`completeness`),
 *   the baseline's schools and those a variant opens. Checks that need a missing figure are unknown, never a
 *   pass or a fail (`@seatplan/sim` `Completeness`); `run` writes the table as `completeness.csv/json` and
 *   `validate` prints a one-line summary.
 * - **Births against age 0** (`birthWarnings`): the base year's recorded births and the children aged 0 in the
 *   base year's population are two figures for one cohort. seatplan keeps both and warns when they differ by
 *   more than 5 % (and more than one child): the children aged 0 are the cohort projected forward (they enter
 *   kindergarten at 3), and the base-year births are what future births are scaled from (× the birth index).
 *   Nothing is derived from the other: the warning says which is used for what, at the line of the births.
 * - **Places far from the region** (`locationWarnings`): a settlement, school or candidate site whose lon and
 *   lat put it far from the rest (a digit dropped, 3.42 for 34.2; a sign lost; a village's township on the
 *   other side of the province). Every figure of distance, catchment and trip to it would be wrong, and the
 *   scenario still loads, so it is a warning at the field's line, not a refusal.
 * - **Figures a digit too large** (`figureWarnings`): a grade's recorded pupils above the school's seats for
 *   all its grades, a school with more than `seatsPerClassroom` seats a classroom (or seats and no classroom),
 *   an age's children or a year's births many times the ages or years beside it. Each is what an extra
 *   digit typed in a spreadsheet makes, and each goes straight into the figures (the base year's recorded
 *   enrolment is the projection's start), so each is a warning at its field.
 */
import { Backtest, Completeness, Distance } from "@seatplan/sim"
import type { PlanStep } from "./PlanStep.js"
import type { ScenarioFile } from "./ScenarioFile.js"

/** A school's figures left out: the spec as the scenario file gives it. */
interface SchoolFigures {
  readonly id: string
  readonly name: string
  readonly floorArea?: number | undefined
  readonly sportsArea?: number | undefined
  readonly equipmentValue?: number | undefined
  readonly multimediaRooms?: number | undefined
  readonly musicRooms?: number | undefined
  readonly artRooms?: number | undefined
  readonly books?: number | undefined
  readonly teachers?:
    | {
        readonly aboveDegree?: number | undefined
        readonly backbone?: number | undefined
        readonly peArts?: number | undefined
        readonly mentalHealth?: number | undefined
      }
    | undefined
}

/** The fields of `Completeness.fields` a school's entry leaves out, in that order. */
export const missingOf = (s: SchoolFigures): ReadonlyArray<Completeness.Field> =>
  Completeness.fields.filter((f) => {
    if (f === "teachers") return s.teachers === undefined
    if (f.startsWith("teachers.")) return s.teachers?.[f.slice("teachers.".length) as "aboveDegree"] === undefined
    return s[f as "floorArea"] === undefined
  })

/** Every school of the scenario (the baseline's, then those the variants open) with what it lacks. */
export const schoolsOf = (
  s: ScenarioFile
): ReadonlyArray<{ readonly id: string; readonly name: string; readonly missing: ReadonlyArray<Completeness.Field> }> => {
  const seen = new Set<string>()
  const out: Array<{ readonly id: string; readonly name: string; readonly missing: ReadonlyArray<Completeness.Field> }> = []
  const add = (x: SchoolFigures) => {
    if (seen.has(x.id)) return
    seen.add(x.id)
    out.push({ id: x.id, name: x.name, missing: missingOf(x) })
  }
  for (const x of s.schools) add(x)
  for (const v of s.variants) for (const e of v.events) if (e.type === "open") add(e.school)
  return out
}

/** The completeness table (`Columns.of("completeness")`) and what each school lacks, for `Compliance.evaluate`. */
export const completeness = (
  s: ScenarioFile
): { readonly rows: ReadonlyArray<Completeness.CompletenessRow>; readonly missing: Completeness.Missing } => {
  const schools = schoolsOf(s)
  return {
    rows: Completeness.rows(schools),
    missing: new Map(schools.filter((x) => x.missing.length > 0).map((x) => [x.id, new Set(x.missing)]))
  }
}

/** A warning at a field of the scenario file. */
export interface Warning {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/** The first warning of each field (the same path), in order. */
export const onePerField = <W extends Warning>(warnings: ReadonlyArray<W>): ReadonlyArray<W> => {
  const seen = new Set<string>()
  return warnings.filter((w) => {
    const key = JSON.stringify(w.path)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * The warnings the last of a variant's `steps` gets in scenario `s` (a school opened at a mistyped place,
 * seats a digit too many in a classroom): what loading the scenario with that variant says of the step,
 * for `seatplan serve` to tell the planner when it accepts an edit. The region's recorded figures are not
 * checked again (they are the scenario's, warned about when it was read), nor the steps before the last.
 * Paths are the step's own (`["school", "lat"]`).
 */
export const stepWarnings = (s: ScenarioFile, steps: ReadonlyArray<PlanStep>): ReadonlyArray<Warning> => {
  if (steps.length === 0 || s.settlements.length === 0) return []
  // what the steps' places are judged against: the region (its middle once per scenario), the settlements they
  // belong to with what else belongs to those (their villages, schools and sites), and the schools they name;
  // a step's warnings are those of the whole scenario (a property test compares), in a province's
  // hundredth of the time
  let region = regions.get(s.settlements)
  if (region === undefined) regions.set(s.settlements, (region = regionOf(s.settlements)))
  const hubs = new Set<string>()
  const named = new Set<string>()
  for (const e of steps) {
    if (e.type === "open" && e.school.settlement !== undefined) hubs.add(e.school.settlement)
    else if (e.type === "settlement") {
      hubs.add(e.settlement.id)
      if (e.settlement.parent !== undefined) hubs.add(e.settlement.parent)
    } else if (e.type === "expand") named.add(e.school)
  }
  const near = (x: { readonly id: string; readonly parent?: string | undefined }) =>
    hubs.has(x.id) || (x.parent !== undefined && hubs.has(x.parent))
  const part: ScenarioFile = {
    ...s,
    settlements: s.settlements.filter(near),
    schools: s.schools.filter((x) => named.has(x.id) || (x.settlement !== undefined && hubs.has(x.settlement))),
    candidateSites: s.candidateSites?.filter((x) => x.settlement !== undefined && hubs.has(x.settlement)),
    population: [],
    history: undefined,
    variants: [{ name: "edit", events: steps }]
  }
  const at = ["variants", 0, "events", steps.length - 1]
  const mine = (w: Warning) => at.every((p, i) => w.path[i] === p)
  return onePerField([...figureWarnings(part), ...locationWarnings(part, part.settlements.length, region)].filter(mine)).map((w) => ({
    ...w,
    path: w.path.slice(at.length)
  }))
}

/** Each scenario's region (`regionOf` its settlements), for the steps checked one by one against it. */
const regions = new WeakMap<ReadonlyArray<Place>, Region>()

/** Births and age 0 may differ this much (a share of the larger) before a warning: deaths, moves and dates. */
export const birthTolerance = 0.05

/** Base-year births that differ from the base year's children aged 0 of the same settlement. */
export const birthWarnings = (s: ScenarioFile): ReadonlyArray<Warning> => {
  const ageZero = new Map<string, number>()
  for (const p of s.history?.population ?? []) if (p.year === s.baseYear && p.byAge.length > 0) ageZero.set(p.settlement, p.byAge[0])
  for (const p of s.population) if (p.byAge.length > 0) ageZero.set(p.settlement, p.byAge[0])
  const warnings: Array<Warning> = []
  ;(s.history?.births ?? []).forEach((b, i) => {
    if (b.year !== s.baseYear) return
    const aged0 = ageZero.get(b.settlement)
    if (aged0 === undefined) return
    const gap = Math.abs(b.births - aged0)
    if (gap <= 1 || gap <= birthTolerance * Math.max(b.births, aged0)) return
    warnings.push({
      path: ["history", "births", i, "births"],
      message:
        `${b.settlement}: ${fmt(b.births)} births recorded for the base year ${s.baseYear} differ from its ${fmt(aged0)} children aged 0 in the population ` +
        `(by ${Math.round((gap / Math.max(b.births, aged0)) * 100)} %): future births are projected from the ${fmt(b.births)} births × the birth index; ` +
        `the ${fmt(aged0)} children aged 0 are the cohort that enters kindergarten in ${s.baseYear + 3}. Make them agree if one is a mistake.`
    })
  })
  return warnings
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1))

/**
 * A place further than this from the middle of the region's settlements (the median of their longitudes
 * and of their latitudes), and further than `regionSpread` × the distance within which nine in ten of the
 * settlements lie, is warned about: a county is 30-100 km across and a province 300-1,000 km, and nine in
 * ten of its settlements lie within a quarter of that of its middle, so a place this far out is a mistyped
 * coordinate (a degree is 111 km of latitude), not a remote village.
 */
export const regionKm = 100
export const regionSpread = 4
/** A village further than this from its township (its `parent`). */
export const villageKm = 100
/** A school or candidate site whose own lon/lat is further than this from the settlement it is given. */
export const schoolKm = 50

/**
 * Places (settlements, schools, candidate sites and those a variant adds) far from the region, or from what
 * they belong to: a village from its township, a school or candidate site with its own lon/lat from its
 * settlement. Of two places too far apart, the one mistyped is blamed, one warning a place: a settlement
 * most of whose villages and schools (two or more) are far from it is itself wrong (a township a degree
 * off is 107 km from each of its villages, which are not); with one of them, the one further from the
 * region's middle is.
 */
export const locationWarnings = (
  s: ScenarioFile,
  inline: number = s.settlements.length,
  /** The region's middle and spread (`regionOf`), when `s` holds only some of its settlements. */
  region: Region | undefined = undefined
): ReadonlyArray<Warning> => {
  if (s.settlements.length === 0) return []
  const { mid, spread } = region ?? regionOf(s.settlements)
  const fromMid = (p: Place) => Distance.km(mid.lon, mid.lat, p.lon, p.lat)
  const limit = Math.max(regionKm, regionSpread * spread)
  const km = (d: number) => `${Math.round(d).toLocaleString("en")} km`
  const at = (p: Place) => `[${p.lon}, ${p.lat}]`
  const hint = "a mistyped lon or lat (decimal degrees, longitude first)? Distances, catchments and trips to it would be wrong"
  /** The coordinate to point at: the one further from `ref`'s (in km along it). */
  const field = (p: Place, ref: Place) =>
    Math.abs(p.lat - ref.lat) >= Math.abs(p.lon - ref.lon) * Math.cos((ref.lat * Math.PI) / 180) ? "lat" : "lon"

  // every place with its own location, and what each belongs to; paths and names made only for a warning
  // (a province has 137,000 places and no warning)
  const settled = (
    x: { readonly id: string; readonly name: string; readonly lon: number; readonly lat: number; readonly parent?: string | undefined },
    path: () => ReadonlyArray<string | number>
  ): Located => ({
    id: x.id,
    lon: x.lon,
    lat: x.lat,
    path,
    what: () => `${x.name} (${x.id})`,
    hub: x.parent,
    limitKm: villageKm,
    relation: "township (parent)",
    other: "parent"
  })
  const settlements: Array<Located> = s.settlements.map((x, i) => settled(x, () => (i < inline ? ["settlements", i] : ["settlementsFile"])))
  const owned = (
    x: {
      readonly id: string
      readonly name?: string | undefined
      readonly settlement?: string | undefined
      readonly lon?: number | undefined
      readonly lat?: number | undefined
    },
    path: () => ReadonlyArray<string | number>,
    kind: string
  ): ReadonlyArray<Located> =>
    x.lon === undefined || x.lat === undefined
      ? []
      : [
          {
            id: x.id,
            lon: x.lon,
            lat: x.lat,
            path,
            what: () => `${kind} ${x.name === undefined ? x.id : `${x.name} (${x.id})`}`,
            hub: x.settlement,
            limitKm: schoolKm,
            relation: "settlement",
            other: "settlement"
          }
        ]
  const others: Array<Located> = [
    ...s.schools.flatMap((x, i) => owned(x, () => ["schools", i], "school")),
    ...(s.candidateSites ?? []).flatMap((x, i) => owned(x, () => ["candidateSites", i], "candidate site"))
  ]
  s.variants.forEach((v, i) =>
    v.events.forEach((e, j) => {
      if (e.type === "open") others.push(...owned(e.school, () => ["variants", i, "events", j, "school"], "school"))
      if (e.type === "settlement") settlements.push(settled(e.settlement, () => ["variants", i, "events", j, "settlement"]))
    })
  )
  const all = [...settlements, ...others]
  const byId = new Map(settlements.map((x) => [x.id, x]))

  const warned = new Map<Located, Warning>()
  for (const x of all) {
    const d = fromMid(x)
    if (d > limit)
      warned.set(x, {
        path: [...x.path(), field(x, mid)],
        message: `${x.what()} at ${at(x)} is ${km(d)} from the region (nine in ten of its settlements lie within ${km(spread)} of ${at(mid)}): ${hint}`
      })
  }
  // what belongs to each settlement, and which of those stand too far from it (neither already out of the region)
  const members = new Map<Located, Array<Located>>()
  for (const x of all) {
    const hub = x.hub === undefined ? undefined : byId.get(x.hub)
    if (hub === undefined) continue
    const list = members.get(hub)
    if (list === undefined) members.set(hub, [x])
    else list.push(x)
  }
  for (const [hub, list] of members) {
    if (warned.has(hub)) continue
    const far = list.filter((x) => !warned.has(x) && Distance.km(hub.lon, hub.lat, x.lon, x.lat) > x.limitKm)
    if (far.length === 0) continue
    const hubWrong = list.length >= 2 ? far.length * 2 > list.length : fromMid(hub) > fromMid(far[0])
    if (hubWrong) {
      const nearest = Math.min(...far.map((x) => Distance.km(hub.lon, hub.lat, x.lon, x.lat)))
      const what = far.length === 1 ? far[0].what() : `${far.length} of the ${list.length} villages, schools and sites it has`
      warned.set(hub, {
        path: [...hub.path(), field(hub, mid)],
        message: `${hub.what()} at ${at(hub)} is ${km(nearest)}${far.length === 1 ? "" : " or more"} from ${what}: ${hint}`
      })
      continue
    }
    for (const x of far)
      warned.set(x, {
        path: [...x.path(), field(x, hub)],
        message: `${x.what()} at ${at(x)} is ${km(Distance.km(hub.lon, hub.lat, x.lon, x.lat))} from its ${x.relation} ${hub.what()} at ${at(hub)}: ${hint} (or the wrong ${x.other})`
      })
  }
  return [...warned.values()]
}

/** The middle of a region's settlements (the median of their longitudes and of their latitudes), and the km from it within which nine in ten lie. */
export interface Region {
  readonly mid: Place
  readonly spread: number
}

/** The region of `settlements`: where a place is judged far from the rest (`locationWarnings`). */
export const regionOf = (settlements: ReadonlyArray<Place>): Region => {
  const mid = { lon: median(settlements.map((x) => x.lon)), lat: median(settlements.map((x) => x.lat)) }
  return {
    mid,
    spread: quantile(
      settlements.map((x) => Distance.km(mid.lon, mid.lat, x.lon, x.lat)),
      0.9
    )
  }
}

/** A place with its own lon/lat, where it is in the file, and what it belongs to (its township, its settlement). */
interface Located extends Place {
  readonly id: string
  readonly path: () => ReadonlyArray<string | number>
  /** How a message names it: its kind, name and id. */
  readonly what: () => string
  /** The settlement it belongs to (none: nothing to be near), how far from it it may be, and what that settlement is to it. */
  readonly hub: string | undefined
  readonly limitKm: number
  readonly relation: string
  readonly other: string
}

interface Place {
  readonly lon: number
  readonly lat: number
}

/** The `q` quantile of `xs` (`Backtest.quantile`: R's default, type 7). */
const quantile = (xs: ReadonlyArray<number>, q: number): number => Backtest.quantile(Float64Array.from(xs).sort(), q)
const median = (xs: ReadonlyArray<number>): number => quantile(xs, 0.5)

/**
 * The indexes of `values` far above the values beside them: more than `outlierAtLeast` and more than
 * `outlierTimes` × the larger neighbour (at least 10). A figure typed with a digit too many stands out
 * from both sides; a trend (a district's births growing from nothing, an age profile that falls) does not.
 */
const spikes = (values: ArrayLike<number>): Array<number> => {
  const out: Array<number> = []
  if (values.length < 2) return out
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v <= outlierAtLeast) continue
    const beside = Math.max(i > 0 ? values[i - 1] : 0, i + 1 < values.length ? values[i + 1] : 0, 10)
    if (v > outlierTimes * beside) out.push(i)
  }
  return out
}

/** The values beside `i`, each named (`aged 4: 120, aged 6: 131`). */
const besideOf = (values: ArrayLike<number>, i: number, name: (j: number) => string): string =>
  [i - 1, i + 1]
    .filter((j) => j >= 0 && j < values.length)
    .map((j) => `${name(j)}: ${Math.round(values[j]).toLocaleString("en")}`)
    .join(", ")

/** More seats than this a classroom is a mistyped figure: the largest class a standard counts (超大班额) is 66 and more. */
export const seatsPerClassroom = 100
/** An age's children or a year's births more than this many times the figures beside it (and more than `outlierAtLeast`) are warned about. */
export const outlierTimes = 5
export const outlierAtLeast = 100

/** Recorded figures a digit too large: a grade above its school's seats, seats per classroom, an age or a year's births far above the rest. */
export const figureWarnings = (s: ScenarioFile): ReadonlyArray<Warning> => {
  const warnings: Array<Warning> = []
  const n = (v: number) => Math.round(v).toLocaleString("en")
  const schools = new Map(s.schools.map((x) => [x.id as string, x]))
  const settlements = new Map(s.settlements.map((x) => [x.id as string, x]))
  const placeName = (id: string) => {
    const x = settlements.get(id)
    return x === undefined ? id : `${x.name} (${id})`
  }
  const rooms = (
    x: { readonly id: string; readonly name: string; readonly seats: number; readonly classrooms: number },
    path: ReadonlyArray<string | number>
  ) => {
    if (x.classrooms === 0 && x.seats > 0)
      warnings.push({
        path: [...path, "classrooms"],
        message: `${x.name} (${x.id}) has ${n(x.seats)} seats and no classroom: its pupils form no class (classes are formed from classrooms); give its classrooms`
      })
    else if (x.classrooms > 0 && x.seats > seatsPerClassroom * x.classrooms)
      warnings.push({
        path: [...path, "seats"],
        message: `${x.name} (${x.id}) has ${n(x.seats)} seats in ${n(x.classrooms)} classrooms, ${n(x.seats / x.classrooms)} a classroom (more than ${seatsPerClassroom}): a digit too many in its seats or too few in its classrooms?`
      })
  }
  s.schools.forEach((x, i) => rooms(x, ["schools", i]))
  // the schools a variant opens, and the seats and classrooms an expansion adds (the same typing, in a plan)
  s.variants.forEach((v, i) =>
    v.events.forEach((e, j) => {
      if (e.type === "open") rooms(e.school, ["variants", i, "events", j, "school"])
      else if (
        e.type === "expand" &&
        e.seats !== undefined &&
        e.seats > 0 &&
        e.classrooms !== undefined &&
        e.classrooms > 0 &&
        e.seats > seatsPerClassroom * e.classrooms
      )
        warnings.push({
          path: ["variants", i, "events", j, "seats"],
          message: `the expansion of ${schools.get(e.school)?.name ?? e.school} (${e.school}) in ${e.year} adds ${n(e.seats)} seats in ${n(e.classrooms)} classrooms, ${n(e.seats / e.classrooms)} a classroom (more than ${seatsPerClassroom}): a digit too many in its seats or too few in its classrooms?`
        })
    })
  )
  // a grade's recorded pupils above its school's seats for all grades: the figure mistyped, one warning a record;
  // or, when most of the school's recorded grades are above them, its seats (one warning at the seats)
  const recorded = new Map<
    string,
    { figures: number; over: Array<{ readonly i: number; readonly year: number; readonly grades: Array<readonly [string, number]> }> }
  >()
  ;(s.history?.enrolment ?? []).forEach((e, i) => {
    const school = schools.get(e.school)
    if (school === undefined || school.seats <= 0) return
    let r = recorded.get(e.school)
    if (r === undefined) recorded.set(e.school, (r = { figures: 0, over: [] }))
    const above = Math.max(school.seats, outlierAtLeast)
    let grades: Array<readonly [string, number]> | undefined
    for (const grade in e.byGrade) {
      r.figures++
      const pupils = e.byGrade[grade]
      if (pupils > above) (grades ??= []).push([grade, pupils])
    }
    if (grades !== undefined) r.over.push({ i, year: e.year, grades })
  })
  s.schools.forEach((school, k) => {
    const r = recorded.get(school.id)
    if (r === undefined || r.over.length === 0) return
    const over = r.over.reduce((sum, o) => sum + o.grades.length, 0)
    const most = r.over
      .flatMap((o) => o.grades.map(([grade, pupils]) => ({ grade, pupils, year: o.year })))
      .sort((a, b) => b.pupils - a.pupils)[0]
    if (over >= 3 && over * 2 > r.figures) {
      warnings.push({
        path: ["schools", k, "seats"],
        message: `${school.name} (${school.id}) has ${n(school.seats)} seats, fewer than the pupils recorded in ${over} of its ${r.figures} grade figures (the most ${n(most.pupils)} in grade ${most.grade} in ${most.year}), each for one grade: a digit too few in its seats?`
      })
      return
    }
    for (const o of r.over) {
      const [grade, pupils] = o.grades[0]
      const also = o.grades.length > 1 ? ` (and ${o.grades.length - 1} other grade${o.grades.length > 2 ? "s" : ""} that year)` : ""
      warnings.push({
        path: ["history", "enrolment", o.i, "byGrade", grade],
        message: `${n(pupils)} pupils recorded in grade ${grade}${also} at ${school.name} (${school.id}) in ${o.year}, more than its ${n(school.seats)} seats for all its grades: a digit too many, or the wrong school? The base year's recorded pupils are where the projection starts`
      })
    }
  })
  const ages = (byAge: ReadonlyArray<number>, path: ReadonlyArray<string | number>, where: () => string) => {
    for (const age of spikes(byAge))
      warnings.push({
        path: [...path, "byAge", age],
        message: `${n(byAge[age])} children aged ${age} in ${where()}, more than ${outlierTimes} × the ages beside it (${besideOf(byAge, age, (a) => `aged ${a}`)}): a digit too many? They enter school as a cohort and stay in the figures for years`
      })
  }
  s.population.forEach((p, i) => ages(p.byAge, ["population", i], () => placeName(p.settlement)))
  ;(s.history?.population ?? []).forEach((p, i) =>
    ages(p.byAge, ["history", "population", i], () => `${placeName(p.settlement)} in ${p.year}`)
  )
  // each settlement's births records (their indexes) in year order, then any year far above the years beside it
  // (a spike is a typo; a new district's births growing from nothing year by year are not)
  const births = s.history?.births ?? []
  const bySettlement = new Map<string, Array<number>>()
  births.forEach((b, i) => {
    const list = bySettlement.get(b.settlement)
    if (list === undefined) bySettlement.set(b.settlement, [i])
    else list.push(i)
  })
  for (const [id, records] of bySettlement) {
    if (records.length < 2 || !records.some((i) => births[i].births > outlierAtLeast)) continue
    records.sort((a, b) => births[a].year - births[b].year)
    const values = records.map((i) => births[i].births)
    for (const j of spikes(values)) {
      const b = births[records[j]]
      warnings.push({
        path: ["history", "births", records[j], "births"],
        message: `${n(b.births)} births recorded in ${placeName(id)} in ${b.year}, more than ${outlierTimes} × the years recorded beside it (${besideOf(values, j, (k) => String(births[records[k]].year))}): a digit too many? Future births are scaled from the base year's`
      })
    }
  }
  return warnings
}
