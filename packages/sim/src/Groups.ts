/**
 * School groups after the run (集团化办学, 大学区 / 学区制, 校际联盟, 委托管理): a step apart from the engine's
 * yearly loop, so the loop stays as it is. The variant's events say which schools are in which group in
 * each year; the schools table says, per school and level, the teachers needed and assigned. Inside a group
 * the members' teachers are pooled (县管校聘, "teachers shared"): a member short of teachers for a level
 * receives time from members with a surplus of that level, at no cost beyond the teachers already paid.
 * `share` writes what each school receives or gives (`teachers_shared`, `teachers_available`) and builds
 * the `groups` table: the group's staffing and its rotation (交流轮岗) against the teachers eligible.
 *
 * Pure: rows in, rows out.
 */
import * as Decider from "@seatplan/core/Decider"
import type * as Event from "@seatplan/core/Event"
import * as World from "@seatplan/core/World"
import * as Columns from "./Columns.js"
import type { SchoolRow, SchoolTable, Share } from "./Tables.js"

/** One school group, year and level its members teach (`Columns.of("groups")`). */
export interface GroupRow {
  readonly variant: string
  readonly year: number
  readonly level: string
  readonly group_id: string
  readonly group_name: string
  readonly group_form: string
  readonly lead_school_id: string
  readonly group_members: number
  readonly group_pupils: number
  readonly group_teachers_needed: number
  readonly group_teachers_assigned: number
  readonly group_teachers_shared: number
  readonly group_teachers_short: number
  readonly eligible_teachers: number
  readonly teachers_rotated: number
  readonly group_rotation_share: number
  readonly group_backbone_rotation_share: number
}

/** A group as it stands in a year: members after the year's events, and its rotation in the year. */
export interface GroupYear {
  readonly year: number
  readonly group: World.GroupState
  /** Teachers eligible to rotate at the members after the year's events (`Decider.eligibleTeachers`). */
  readonly eligible: number
  readonly rotated: number
  readonly backboneRotated: number
}

/**
 * The groups in force in each year from `first` to `last`, from a variant's events (in any order: they are
 * applied in year order): members after each year's events, and the teachers rotated between two members
 * of the same group during the year.
 */
export const byYear = (events: ReadonlyArray<Event.Event>, first: number, last: number): ReadonlyArray<GroupYear> => {
  // most variants form no group: nothing to fold
  if (!events.some((e) => e._tag === "GroupFormed")) return []
  const ordered = World.chronological(events)
  const world = World.builder()
  const out: Array<GroupYear> = []
  let i = 0
  for (let year = first; year <= last; year++) {
    const rotated = new Map<string, { count: number; backbone: number }>()
    for (; i < ordered.length && ordered[i].year <= year; i++) {
      const e = ordered[i]
      if (e.year === year && e._tag === "TeachersTransferred" && e.rotation) {
        const g = World.groupOf(world.world, e.from)
        const from = world.world.schools.get(e.from)
        if (g !== undefined && from !== undefined && g.members.includes(e.to)) {
          const taken = World.teachersTaken(from.teachers, e.ageBand, e.count, e)
          const r = rotated.get(g.id) ?? { count: 0, backbone: 0 }
          rotated.set(g.id, { count: r.count + taken.count, backbone: r.backbone + taken.backbone })
        }
      }
      world.apply(e)
    }
    for (const group of world.world.groups.values()) {
      let eligible = 0
      for (const id of group.members) {
        const s = world.world.schools.get(id)
        if (s !== undefined) eligible += Decider.eligibleTeachers(s)
      }
      const r = rotated.get(group.id)
      out.push({ year, group, eligible, rotated: r?.count ?? 0, backboneRotated: r?.backbone ?? 0 })
    }
  }
  return out
}

/** The numeric columns of a group row in the registry's order (`Columns.numeric("groups")`): what `groupFigures` writes. */
export const groupColumns: ReadonlyArray<string> = Columns.numeric("groups")
const gc = Object.fromEntries(groupColumns.map((c, i) => [c, i])) as Record<string, number>

/**
 * One group's sharing for a level in a year, on typed arrays: its `n` members' teachers needed and assigned
 * and pupils in, each member's teachers received (+) or given (−) into `shared`, and the group row's figures
 * into `out` (`groupColumns` order). The one formula of `share`'s rows, and of a sweep's group checks.
 */
export const groupFigures = (
  g: GroupYear,
  n: number,
  needed: ArrayLike<number>,
  assigned: ArrayLike<number>,
  pupils: ArrayLike<number>,
  shared: Float64Array,
  out: Float64Array
): void => {
  let surplus = 0
  let shortage = 0
  let need = 0
  let have = 0
  let children = 0
  for (let i = 0; i < n; i++) {
    surplus += Math.max(0, assigned[i] - needed[i])
    shortage += Math.max(0, needed[i] - assigned[i])
    need += needed[i]
    have += assigned[i]
    children += pupils[i]
  }
  const moved = Math.min(surplus, shortage)
  let short = 0
  for (let i = 0; i < n; i++) {
    const gap = needed[i] - assigned[i]
    shared[i] = gap > 0 ? (shortage > 0 ? gap * (moved / shortage) : 0) : surplus > 0 ? gap * (moved / surplus) : 0
    short += Math.max(0, needed[i] - (assigned[i] + shared[i]))
  }
  out[gc.group_members] = n
  out[gc.group_pupils] = children
  out[gc.group_teachers_needed] = need
  out[gc.group_teachers_assigned] = have
  out[gc.group_teachers_shared] = moved
  out[gc.group_teachers_short] = short
  out[gc.eligible_teachers] = g.eligible
  out[gc.teachers_rotated] = g.rotated
  out[gc.group_rotation_share] = g.eligible > 0 ? g.rotated / g.eligible : 0
  out[gc.group_backbone_rotation_share] = g.rotated > 0 ? g.backboneRotated / g.rotated : 0
}

/**
 * The schools table with each group member's sharing written in, and the `groups` table. Sharing is per
 * level: a member's surplus of primary teachers covers another member's primary shortage. Schools outside
 * any group keep `teachers_shared` 0 and `teachers_available` = `teachers_assigned`. Given a `SchoolTable`
 * (a run's), only the years the groups stand in are read, and the shares are kept beside the table.
 */
export function share(
  schools: SchoolTable,
  groups: ReadonlyArray<GroupYear>,
  variant: string
): { readonly schools: SchoolTable; readonly groups: ReadonlyArray<GroupRow> }
export function share(
  schools: ReadonlyArray<SchoolRow>,
  groups: ReadonlyArray<GroupYear>,
  variant: string
): { readonly schools: ReadonlyArray<SchoolRow>; readonly groups: ReadonlyArray<GroupRow> }
export function share(
  schools: ReadonlyArray<SchoolRow> | SchoolTable,
  groups: ReadonlyArray<GroupYear>,
  variant: string
): { readonly schools: ReadonlyArray<SchoolRow> | SchoolTable; readonly groups: ReadonlyArray<GroupRow> } {
  if (groups.length === 0) return { schools, groups: [] }
  if (isTable(schools)) {
    // a year's rows at a time, their index in the table from the year's first
    const shares = new Map<number, Share>()
    const rows = sharing(
      (year) => {
        const first = (year - schools.firstYear) * schools.slots
        return { rows: schools.inYear(year), indexOf: (j) => first + j }
      },
      // every year has every slot of the run: the first year's rows give the levels
      [...new Set(schools.inYear(schools.firstYear).map((r) => r.level))],
      groups,
      variant,
      (i, _row, shared, group_id) => shares.set(i, { shared, group_id })
    )
    return { schools: schools.withShares(shares), groups: rows }
  }
  const out = schools.slice()
  const byYear = new Map<number, Array<number>>()
  schools.forEach((r, i) => {
    const at = byYear.get(r.year)
    if (at === undefined) byYear.set(r.year, [i])
    else at.push(i)
  })
  const rows = sharing(
    (year) => {
      const at = byYear.get(year) ?? []
      return { rows: at.map((i) => schools[i]), indexOf: (j) => at[j] }
    },
    [...new Set(schools.map((r) => r.level))],
    groups,
    variant,
    (i, r, shared, group_id) => {
      out[i] = { ...r, teachers_shared: shared, teachers_available: r.teachers_assigned + shared, group_id }
    }
  )
  return { schools: out, groups: rows }
}

const isTable = (s: ReadonlyArray<SchoolRow> | SchoolTable): s is SchoolTable => !Array.isArray(s)

/**
 * The groups table, and each member row's sharing told to `write` (its index in the table: `indexOf` its
 * place in the year's rows `rowsOf(year)` gives), the levels in the order `levels` gives them.
 */
const sharing = (
  rowsOf: (year: number) => { readonly rows: ReadonlyArray<SchoolRow>; readonly indexOf: (j: number) => number },
  levels: ReadonlyArray<string>,
  groups: ReadonlyArray<GroupYear>,
  variant: string,
  write: (index: number, row: SchoolRow, shared: number, group: string) => void
): Array<GroupRow> => {
  const rows: Array<GroupRow> = []
  const figures = new Float64Array(groupColumns.length)
  // each year's rows read once, indexed by school and level (the levels in the order rows first give them)
  const years = new Map<
    number,
    { readonly rows: ReadonlyArray<SchoolRow>; readonly indexOf: (j: number) => number; readonly index: Map<string, number> }
  >()
  const yearOf = (year: number) => {
    let got = years.get(year)
    if (got === undefined) {
      const { rows: all, indexOf } = rowsOf(year)
      const index = new Map<string, number>()
      all.forEach((r, i) => index.set(`${r.school_id}|${r.level}`, i))
      got = { rows: all, indexOf, index }
      years.set(year, got)
    }
    return got
  }
  for (const g of groups) {
    const { rows: schools, indexOf, index } = yearOf(g.year)
    for (const level of levels) {
      const members: Array<number> = []
      for (const id of g.group.members) {
        const i = index.get(`${id}|${level}`)
        if (i !== undefined && schools[i].open && schools[i].pupils > 0) members.push(i)
      }
      if (members.length === 0) continue
      const shared = new Float64Array(members.length)
      groupFigures(
        g,
        members.length,
        members.map((i) => schools[i].teachers_needed),
        members.map((i) => schools[i].teachers_assigned),
        members.map((i) => schools[i].pupils),
        shared,
        figures
      )
      members.forEach((i, j) => write(indexOf(i), schools[i], shared[j], g.group.id))
      rows.push({
        variant,
        year: g.year,
        level,
        group_id: g.group.id,
        group_name: g.group.name,
        group_form: g.group.form,
        lead_school_id: g.group.lead,
        group_members: figures[gc.group_members],
        group_pupils: figures[gc.group_pupils],
        group_teachers_needed: figures[gc.group_teachers_needed],
        group_teachers_assigned: figures[gc.group_teachers_assigned],
        group_teachers_shared: figures[gc.group_teachers_shared],
        group_teachers_short: figures[gc.group_teachers_short],
        eligible_teachers: figures[gc.eligible_teachers],
        teachers_rotated: figures[gc.teachers_rotated],
        group_rotation_share: figures[gc.group_rotation_share],
        group_backbone_rotation_share: figures[gc.group_backbone_rotation_share]
      })
    }
  }
  return rows
}
