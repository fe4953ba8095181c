/**
 * The counted standards (计入全部达标的标准) checked straight on a run's cube, per year and rule, without
 * building the `schools`, `county` or `groups` tables: what a sweep records for every future. The same rules
 * (`Compliance.Rule`, the scenario's set), rows, thresholds, group sharing (`Groups.groupFigures`) and
 * unknown-for-want-of-data checks (`Completeness`) as `Compliance.evaluate` on the tables a run writes, so a
 * rule holds here in a year exactly when `run` reports no failing check of it that year (tested).
 *
 * A checker is made once per variant (`checker`): rule thresholds, columns and what each school lacks are
 * resolved to indexes then; `check` on a cube makes one pass over its slots per year into scratch arrays.
 */
import * as Standards from "@seatplan/core/Standards"
import * as Completeness from "./Completeness.js"
import * as Compliance from "./Compliance.js"
import { levelNames, levels } from "./Dimensions.js"
import * as Groups from "./Groups.js"
import type { Model } from "./Model.js"
import type * as Results from "./Results.js"
import * as Tables from "./Tables.js"

/** What a variant's check needs besides its model and cube: plain data, so it crosses to worker threads. */
export interface Spec {
  /** The counted rules, in the rule set's order. */
  readonly rules: ReadonlyArray<Compliance.Rule>
  /** The variant's groups per year (`Groups.byYear`): they share teachers before the staffing rule is checked. */
  readonly groups: ReadonlyArray<Groups.GroupYear>
  /** What each school lacks (`Completeness`): a check needing it is unknown, never a failure. */
  readonly missing: Completeness.Missing
}

/** A variant's spec: the counted rules of a rule set, its groups and what its schools lack. */
export const spec = (
  rules: ReadonlyArray<Compliance.Rule>,
  groups: ReadonlyArray<Groups.GroupYear>,
  missing: Completeness.Missing
): Spec => ({ rules: rules.filter((r) => r.counts), groups, missing })

/** Checks a cube: years × rules, 1 where the rule has no failing check that year (unknown checks do not fail). */
export type Checker = (m: Model, cube: Results.Cube) => Uint8Array

const SC = Tables.schoolColumns
const C = SC.length
const sc = (id: string) => SC.indexOf(id)
const CCOLS = Tables.countyColumns
const CC = CCOLS.length
const GC = Groups.groupColumns.length
const K = Standards.keys.length
const standardIndex = new Map<string, number>(Standards.keys.map((k, i) => [k, i]))

interface Resolved {
  readonly scope: Compliance.Scope
  readonly direction: Compliance.Direction
  readonly column: number
  /** 0 a number, 1 a column of the row, 2 a standard (per level). */
  readonly kind: 0 | 1 | 2
  readonly value: number
  readonly thresholdColumn: number
  /** Per level: the standard's index in the cube's standards, or -1. */
  readonly standard: Int32Array
  readonly levels: Uint8Array
  /** Per slot (school and county rules): the slot's school lacks a figure the check needs. */
  readonly needs: Uint8Array
}

/**
 * Resolves a spec for a model's cube (its slots): made once per variant, then `check` per future (the
 * futures share the slots; only the figures change).
 */
export const checker = (s: Spec, model: Model, shape: Pick<Results.Cube, "slotSchool" | "slotLevel">): Checker => {
  const slots = shape.slotSchool.length
  const resolved: Array<Resolved> = s.rules.map((rule) => {
    const columns = rule.scope === "school" ? SC : rule.scope === "county" ? CCOLS : Groups.groupColumns
    const t = rule.threshold
    const kind = typeof t === "number" ? 0 : "column" in t ? 1 : 2
    const needs = new Uint8Array(slots)
    if (rule.scope !== "group" && s.missing.size > 0) {
      for (let i = 0; i < slots; i++) {
        const lacks = s.missing.get(model.schoolIds[shape.slotSchool[i]])
        const need =
          Completeness.lacking(rule.column, lacks).length > 0 ||
          (typeof t === "object" && "column" in t && Completeness.lacking(t.column, lacks).length > 0)
        needs[i] = need ? 1 : 0
      }
    }
    return {
      scope: rule.scope,
      direction: rule.direction,
      column: columns.indexOf(rule.column),
      kind,
      value: typeof t === "number" ? t : 0,
      thresholdColumn: typeof t === "object" && "column" in t ? columns.indexOf(t.column) : -1,
      standard: Int32Array.from(levelNames, (level) =>
        typeof t === "object" && "standard" in t ? (standardIndex.get(t.standard.replace("{level}", level)) ?? -1) : -1
      ),
      levels: Uint8Array.from(levelNames, (level) => ((rule.levels as ReadonlyArray<string>).includes(level) ? 1 : 0)),
      needs
    }
  })
  const R = resolved.length
  const anyCounty = resolved.some((r) => r.scope === "county")
  const maxDc = CCOLS.indexOf("max_difference_coefficient")
  const withDc = resolved.some((r) => r.scope === "county" && (r.column === maxDc || r.thresholdColumn === maxDc))
  // each group's members as slots, per year index and level, in the group's order
  const slotOf = new Map<string, number>()
  for (let i = 0; i < slots; i++) slotOf.set(`${shape.slotSchool[i]}|${shape.slotLevel[i]}`, i)
  const groups = s.groups.map((g) => ({
    g,
    y: g.year - model.baseYear,
    members: Array.from({ length: levels }, (_, l) =>
      Int32Array.from(g.group.members.map((id) => slotOf.get(`${model.schoolIndex.get(id) ?? -1}|${l}`) ?? -1).filter((i) => i >= 0))
    )
  }))
  const x = new Float64Array(slots * C)
  const has = new Uint8Array(slots)
  const derived = { x, has }
  const county = anyCounty ? Tables.countyScratch(shape) : undefined
  const countyNeeds = new Uint8Array(levels * R)
  const groupRows: Array<{ level: number; figures: Float64Array }> = []
  const needed = new Float64Array(slots)
  const assigned = new Float64Array(slots)
  const pupils = new Float64Array(slots)
  const shared = new Float64Array(slots)
  const member = new Int32Array(slots)
  const open = sc("open")
  const pupilsCol = sc("pupils")
  const neededCol = sc("teachers_needed")
  const assignedCol = sc("teachers_assigned")
  const sharedCol = sc("teachers_shared")
  const availableCol = sc("teachers_available")
  const children = CCOLS.indexOf("children")
  const groupPupils = Groups.groupColumns.indexOf("group_pupils")
  return (m, cube) => {
    const out = new Uint8Array(cube.years * R).fill(1)
    for (let y = 0; y < cube.years; y++) {
      const standards = y * K
      for (let i = 0; i < slots; i++) {
        const row = x.subarray(i * C, (i + 1) * C)
        has[i] = Tables.deriveSchool(m, cube, y, i, row) ? 1 : 0
      }
      if (county !== undefined) {
        // the county's figures from the rows just derived (before any group's sharing, as the county table)
        Tables.countyFigures(m, cube, y, withDc, county, derived)
        // a county check is unknown when a school counted in it (open, with pupils) lacks what it needs
        countyNeeds.fill(0)
        for (let r = 0; r < R; r++) {
          const rule = resolved[r]
          if (rule.scope !== "county") continue
          for (let i = 0; i < slots; i++) {
            if (rule.needs[i] === 1 && has[i] === 1 && x[i * C + open] === 1 && x[i * C + pupilsCol] > 0) {
              countyNeeds[cube.slotLevel[i] * R + r] = 1
            }
          }
        }
      }
      // groups share teachers between members with pupils, per level (`Groups.share`)
      groupRows.length = 0
      for (const { g, y: gy, members } of groups) {
        if (gy !== y) continue
        for (let l = 0; l < levels; l++) {
          let n = 0
          for (const i of members[l]) {
            if (has[i] === 1 && x[i * C + open] === 1 && x[i * C + pupilsCol] > 0) {
              member[n] = i
              needed[n] = x[i * C + neededCol]
              assigned[n] = x[i * C + assignedCol]
              pupils[n] = x[i * C + pupilsCol]
              n++
            }
          }
          if (n === 0) continue
          const figures = new Float64Array(GC)
          Groups.groupFigures(g, n, needed, assigned, pupils, shared, figures)
          for (let j = 0; j < n; j++) {
            x[member[j] * C + sharedCol] = shared[j]
            x[member[j] * C + availableCol] = assigned[j] + shared[j]
          }
          groupRows.push({ level: l, figures })
        }
      }
      for (let r = 0; r < R; r++) {
        const rule = resolved[r]
        let fails = false
        if (rule.scope === "school") {
          for (let i = 0; i < slots && !fails; i++) {
            const l = cube.slotLevel[i]
            if (rule.levels[l] === 0 || has[i] === 0 || x[i * C + open] !== 1 || !(x[i * C + pupilsCol] > 0)) continue
            const threshold =
              rule.kind === 0
                ? rule.value
                : rule.kind === 1
                  ? x[i * C + rule.thresholdColumn]
                  : cube.standards[standards + rule.standard[l]]
            if (!Compliance.passes(rule.direction, x[i * C + rule.column], threshold) && rule.needs[i] === 0) fails = true
          }
        } else if (rule.scope === "county" && county !== undefined) {
          for (let l = 0; l < levels && !fails; l++) {
            const row = l * CC
            if (rule.levels[l] === 0 || !(county.out[row + children] > 0)) continue
            const threshold =
              rule.kind === 0
                ? rule.value
                : rule.kind === 1
                  ? county.out[row + rule.thresholdColumn]
                  : cube.standards[standards + rule.standard[l]]
            if (!Compliance.passes(rule.direction, county.out[row + rule.column], threshold) && countyNeeds[l * R + r] === 0) fails = true
          }
        } else {
          for (const g of groupRows) {
            if (rule.levels[g.level] === 0 || !(g.figures[groupPupils] > 0)) continue
            const threshold =
              rule.kind === 0
                ? rule.value
                : rule.kind === 1
                  ? g.figures[rule.thresholdColumn]
                  : cube.standards[standards + rule.standard[g.level]]
            if (!Compliance.passes(rule.direction, g.figures[rule.column], threshold)) fails = true
          }
        }
        if (fails) out[y * R + r] = 0
      }
    }
    return out
  }
}
