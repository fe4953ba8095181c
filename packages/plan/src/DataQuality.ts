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
 */
import { Completeness } from "@seatplan/sim"
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
