/**
 * Writes a scenario file from events: the region, schools, catchments (splits included) and history that a stream
 * records up to its base year, and plan variants from commands. Used by `seatplan generate` (synthetic
 * regions) and the example generator.
 */
import { type Event, School } from "@seatplan/core"
import { Synthetic } from "@seatplan/sim"
import { Either } from "effect"
import type * as Scenario from "./Scenario.js"

type SchoolRecord = Event.EventOf<"SchoolOpened">["school"]

/** A school record as a scenario school. */
export const schoolSpec = (s: SchoolRecord): Scenario.SchoolSpec => ({
  id: s.id,
  name: s.name,
  type: s.type,
  settlement: s.settlementId,
  lon: s.lon,
  lat: s.lat,
  ...(Object.fromEntries(School.facilityFields.map((f) => [f, s.facilities[f]])) as Pick<Scenario.SchoolSpec, School.FacilityField>),
  teachers: {
    total: Object.values(s.teachers.byAge).reduce((a, b) => a + b, 0),
    byAge: s.teachers.byAge,
    aboveDegree: s.teachers.aboveDegree,
    backbone: s.teachers.backbone,
    peArts: s.teachers.peArts,
    mentalHealth: s.teachers.mentalHealth
  }
})

/** The scenario of a history: everything recorded up to and including `baseYear`. */
export const scenarioOf = (
  events: ReadonlyArray<Event.Event>,
  header: { readonly name: string; readonly description: string; readonly baseYear: number; readonly horizon: number }
): Omit<Scenario.ScenarioFile, "variants"> & { variants: Array<unknown> } => {
  const catchments: Record<string, Record<string, string>> = {}
  const splits: Record<string, Record<string, { school: string; share: number }>> = {}
  const enrolment = new Map<string, { school: string; year: number; byGrade: Record<string, number> }>()
  const settlements: Array<unknown> = []
  const population: Array<{ settlement: string; byAge: ReadonlyArray<number> }> = []
  const schools: Array<Scenario.SchoolSpec> = []
  const births: Array<{ settlement: string; year: number; births: number }> = []
  const migration: Array<unknown> = []
  const earlier: Array<{ settlement: string; year: number; byAge: ReadonlyArray<number> }> = []
  for (const e of events) {
    if (e.year > header.baseYear) continue
    switch (e._tag) {
      case "SettlementRecorded":
        settlements.push({ ...e.settlement })
        break
      case "PopulationRecorded":
        if (e.year === header.baseYear) population.push({ settlement: e.settlementId, byAge: e.byAge })
        else earlier.push({ settlement: e.settlementId, year: e.year, byAge: e.byAge })
        break
      case "SchoolOpened":
        schools.push(schoolSpec(e.school))
        break
      case "CatchmentAssigned":
        // a split (share below 1) does not rezone the settlement: it is the base's `splits`; a whole assignment ends one
        if (e.share === undefined || e.share >= 1) {
          ;(catchments[e.level] ??= {})[e.settlementId] = e.schoolId
          delete splits[e.level]?.[e.settlementId]
        } else (splits[e.level] ??= {})[e.settlementId] = { school: e.schoolId, share: e.share }
        break
      case "BirthsRecorded":
        births.push({ settlement: e.settlementId, year: e.year, births: e.births })
        break
      case "EnrolmentRecorded": {
        const key = `${e.schoolId}@${e.year}`
        const row = enrolment.get(key) ?? { school: e.schoolId, year: e.year, byGrade: {} }
        row.byGrade[String(e.grade)] = e.pupils
        enrolment.set(key, row)
        break
      }
      case "MigrationRecorded":
        migration.push({ year: e.year, from: e.from, to: e.to, ages: e.ages, count: e.count, migrant: e.migrant })
        break
      default:
        break
    }
  }
  return {
    name: header.name,
    synthetic: true,
    description: header.description,
    baseYear: header.baseYear,
    horizon: header.horizon,
    settlements: settlements as Scenario.ScenarioFile["settlements"],
    population,
    schools,
    catchments,
    ...(Object.values(splits).some((x) => Object.keys(x).length > 0) ? { splits } : {}),
    history: {
      births,
      enrolment: [...enrolment.values()],
      migration: migration as NonNullable<Scenario.ScenarioFile["history"]>["migration"],
      ...(earlier.length === 0 ? {} : { population: earlier })
    },
    variants: []
  }
}

/**
 * A synthetic county's scenario (invented data: `Synthetic.generate`, one county, no variants) drawn at a fifth
 * of the generator's extent around its centre, so that its homes are within the distance standards: the
 * generated counties that `comply-by` is tested and benchmarked on (`pnpm bench --only=comply`), whose
 * settlements and schools vary with the seed. Fails as the generator does on options out of range.
 */
export const compactCounty = (
  seed: number,
  settlements: number,
  schools: number,
  horizon = 8
): Either.Either<{ readonly baseYear: number; readonly scenario: Scenario.ScenarioFile }, Synthetic.InvalidOptions> =>
  Either.map(Synthetic.generate({ seed, settlements, schools }), (g) => {
    const raw = scenarioOf(g.events, {
      name: `county ${seed} (synthetic)`,
      description: "synthetic (invented data)",
      baseYear: g.baseYear,
      horizon
    })
    const lon = raw.settlements.reduce((n, x) => n + x.lon, 0) / raw.settlements.length
    const lat = raw.settlements.reduce((n, x) => n + x.lat, 0) / raw.settlements.length
    const shrink = (v: number, centre: number) => centre + (v - centre) / 5
    const scenario: Scenario.ScenarioFile = {
      ...raw,
      settlements: raw.settlements.map((x) => ({ ...x, lon: shrink(x.lon, lon), lat: shrink(x.lat, lat) })),
      schools: raw.schools.map((x) =>
        x.lon === undefined || x.lat === undefined ? x : { ...x, lon: shrink(x.lon, lon), lat: shrink(x.lat, lat) }
      ),
      variants: []
    }
    return { baseYear: g.baseYear, scenario }
  })
