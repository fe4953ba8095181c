/**
 * What a backtest compares: the enrolment recorded per school, year and level, the catchment areas schools
 * belong to, and the cells (county, area, school × level × year) a forecast and its actual are summed over.
 */
import type * as Event from "@seatplan/core/Event"
import * as School from "@seatplan/core/School"
import type * as Compile from "../Compile.js"
import { levelNames } from "../Dimensions.js"
import * as Results from "../Results.js"
import type { Scope } from "./Methods.js"

/** Recorded enrolment: `school|year|level` → pupils, and the years recorded. */
export interface Recorded {
  readonly pupils: ReadonlyMap<string, number>
  readonly years: ReadonlyArray<number>
}

/** The key of a school's pupils of a level in a year in `Recorded.pupils` and in forecasts: `school|year|level`. */
export const key = (school: string, year: number, level: string): string => `${school}|${year}|${level}`

/** Sums the recorded enrolment (`EnrolmentRecorded`) of each school, year and level; later records replace earlier. */
export const recorded = (events: ReadonlyArray<Event.Event>): Recorded => {
  const byGrade = new Map<string, number>()
  for (const e of events) if (e._tag === "EnrolmentRecorded") byGrade.set(`${e.schoolId}|${e.year}|${e.grade}`, e.pupils)
  const pupils = new Map<string, number>()
  const years = new Set<number>()
  for (const [k, n] of byGrade) {
    const [school, year, grade] = k.split("|")
    years.add(Number(year))
    const level = School.levelOfGrade(Number(grade))
    const kk = key(school, Number(year), level)
    pupils.set(kk, (pupils.get(kk) ?? 0) + n)
  }
  return { pupils, years: [...years].sort((a, b) => a - b) }
}

/**
 * The catchment area (学区片区) of each school: the settlement it stands in, climbed from a village to its
 * township and from a county-seat district to the county seat.
 */
export const areas = (events: ReadonlyArray<Event.Event>): ReadonlyMap<string, string> => {
  const settlements = new Map<string, { readonly tier: string; readonly parent: string | undefined }>()
  const schools = new Map<string, string>()
  for (const e of events) {
    if (e._tag === "SettlementRecorded") settlements.set(e.settlement.id, { tier: e.settlement.tier, parent: e.settlement.parent })
    else if (e._tag === "SchoolOpened") schools.set(e.school.id, e.school.settlementId)
  }
  const up = (id: string): string => {
    let at = id
    for (let depth = 0; depth < 4; depth++) {
      const s = settlements.get(at)
      if (s === undefined || s.parent === undefined) return at
      const parent = settlements.get(s.parent)
      if (s.tier === "village" || (s.tier === "county-seat" && parent?.tier === "county-seat")) at = s.parent
      else return at
    }
    return at
  }
  return new Map([...schools].map(([school, settlement]) => [school, up(settlement)]))
}

/** Projected pupils per `school|year|level` of a run's cube (years origin+1..origin+horizon). */
export const projected = (m: Compile.Model, cube: Results.Cube, out: Map<string, number>): void => {
  for (let y = 1; y < cube.years; y++) {
    for (let slot = 0; slot < cube.slotSchool.length; slot++) {
      const school = m.schoolIds[cube.slotSchool[slot]]
      out.set(key(school, m.baseYear + y, levelNames[cube.slotLevel[slot]]), Results.value(cube, y, slot, "pupils"))
    }
  }
}

/** One unit's forecast and actual in one year. */
export interface Cell {
  /** Years ahead of the origin (1..N). */
  readonly horizon: number
  readonly year: number
  readonly level: School.Level
  readonly scope: Scope
  /** `county`, the catchment area's settlement id, or the school id. */
  readonly unit: string
  readonly forecast: number
  readonly actual: number
}

/**
 * Pairs forecasts with the recorded enrolment, per scope: a school is scored in a year when it recorded
 * pupils of the level that year; the catchment and county sums run over the schools recorded that year.
 */
export const cells = (
  forecast: ReadonlyMap<string, number>,
  actual: Recorded,
  area: ReadonlyMap<string, string>,
  origin: number,
  horizon: number,
  levels: ReadonlyArray<School.Level>,
  schoolIds: ReadonlyArray<string>
): Array<Cell> => {
  const out: Array<Cell> = []
  const recordedYears = new Set(actual.years)
  for (let h = 1; h <= horizon; h++) {
    const year = origin + h
    if (!recordedYears.has(year)) continue
    for (const level of levels) {
      const sums = new Map<string, [number, number]>()
      const add = (scope: Scope, unit: string, f: number, a: number) => {
        const k = `${scope}|${unit}`
        const s = sums.get(k) ?? [0, 0]
        s[0] += f
        s[1] += a
        sums.set(k, s)
      }
      for (const school of schoolIds) {
        const a = actual.pupils.get(key(school, year, level))
        if (a === undefined) continue
        const f = forecast.get(key(school, year, level)) ?? 0
        add("school", school, f, a)
        add("catchment", area.get(school) ?? school, f, a)
        add("county", "county", f, a)
      }
      for (const [k, [f, a]] of sums) {
        const [scope, unit] = k.split("|") as [Scope, string]
        out.push({ horizon: h, year, level, scope, unit, forecast: f, actual: a })
      }
    }
  }
  return out
}
