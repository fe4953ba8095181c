/**
 * Whole pupils, seats, classes and teachers for the tables people read (CSV, spreadsheets, printed
 * tables): projected figures are fractional, and rounding each cell on its own makes the schools of a
 * level add up to something other than the county's figure. Here each column shown whole (the counted
 * ones and yuan: `Columns.shownWhole`) is rounded by the largest-remainder method within the rows that add up
 * to one total (a level's schools to the county, an area's levels, a settlement's ages), so that the parts
 * still add up to their rounded total; a difference shown beside its parts is then taken from their whole
 * figures (`Column.wholeFrom`, `Column.lessLeast`). A settlement's ages are rounded along their order
 * instead (`cumulativeInto`, `Column.cumulative`), so that a level's ages add up to within 1 of their exact sum.
 * JSON and Parquet keep the exact values.
 */
import * as Columns from "./Columns.js"
import { ageOfGradeIndex, endGrade, firstGrade, levelNames } from "./Dimensions.js"
import type { PopulationBlock } from "./Tables.js"

/**
 * Rounds `values` to whole numbers that add up to `total` (default: the rounded sum), each within 1 of its
 * value: every value is floored, and the units left over go to the values with the largest remainders
 * (or are taken from the smallest, when `total` is below the floors' sum).
 */
export const largestRemainder = (values: ReadonlyArray<number>, total?: number): Array<number> => {
  const out = new Array<number>(values.length)
  largestRemainderInto(values, 0, values.length, out, total)
  return out
}

/** Scratch for `largestRemainderInto`'s remainders and their selection, grown to the longest group seen. */
let scratch = new Float64Array(64)

/**
 * `largestRemainder` of `values[from .. from + n)` written to `out[0 .. n)`, allocating nothing for the
 * groups it has seen the size of: what the writers of a province's tables call for each of millions of
 * small groups (a settlement's 19 ages, 2 M times), where three arrays a call were a third of the rounding.
 */
export const largestRemainderInto = (
  values: ArrayLike<number>,
  from: number,
  n: number,
  out: { [i: number]: number },
  total?: number
): void => {
  if (n === 0) return
  let sum = 0
  let exact = 0
  let finite = true
  for (let i = 0; i < n; i++) {
    const v = values[from + i]
    const floor = Math.floor(v)
    out[i] = floor
    sum += floor
    exact += v
    if (!Number.isFinite(v - floor)) finite = false
  }
  const left = (total ?? Math.round(exact)) - sum + 0
  if (left === 0) return
  if (!finite) {
    byOrder(values, from, n, out, left)
    return
  }
  if (scratch.length < 2 * n) scratch = new Float64Array(Math.max(2 * n, 2 * scratch.length))
  // remainders in the first n places, their copy to select in the next n
  const remainders = scratch
  for (let i = 0; i < n; i++) remainders[i] = values[from + i] - out[i]
  // the units go round the values in order of remainder, largest first (ties: the earlier value), as
  // `byOrder` gives them: each value takes the whole rounds, and the first (or last) of the order the rest;
  // which values those are is found from the remainders sorted as numbers (a province's school level is
  // 9,000 values, each column's order by a comparator was most of its CSV's rounding)
  const rounds = Math.trunc(left / n)
  if (rounds !== 0) for (let i = 0; i < n; i++) out[i] += rounds
  const rest = Math.abs(left - rounds * n)
  if (rest === 0) return
  // the threshold remainder by selection, not a sort (a sort of each piece's columns was a third of rounding a
  // province's school rows)
  const sorted = scratch.subarray(n, 2 * n)
  sorted.set(remainders.subarray(0, n))
  if (left > 0) {
    // the `rest` largest remainders, the earliest of those equal to the smallest of them
    const t = select(sorted, n - rest)
    let ties = rest
    for (let i = 0; i < n; i++) if (remainders[i] > t) ties--
    for (let i = 0; i < n; i++) {
      if (remainders[i] > t) out[i]++
      else if (remainders[i] === t && ties > 0) {
        out[i]++
        ties--
      }
    }
  } else {
    // the `rest` smallest remainders, the latest of those equal to the largest of them
    const t = select(sorted, rest - 1)
    let ties = rest
    for (let i = 0; i < n; i++) if (remainders[i] < t) ties--
    for (let i = n - 1; i >= 0; i--) {
      if (remainders[i] < t) out[i]--
      else if (remainders[i] === t && ties > 0) {
        out[i]--
        ties--
      }
    }
  }
}

/**
 * `values[from .. from + n)` made whole along their order by cumulative sums into `out[0 .. n)`: the `i`-th is
 * round(C_i) − round(C_{i−1}), C_i the sum of the first i + 1 values. The whole ones add up to the rounded sum
 * (as by largest remainder), each is within 1 of its value (and not negative when the values are not), and so
 * is the sum of any run of consecutive ones (round(C_j) − round(C_{i−1})): a settlement's ages of a level add up
 * to within 1 of their exact sum, which largest remainder does not give. Non-finite values: largest remainder.
 */
export const cumulativeInto = (values: ArrayLike<number>, from: number, n: number, out: { [i: number]: number }): void => {
  let sum = 0
  let before = 0
  for (let i = 0; i < n; i++) {
    const v = values[from + i]
    if (!Number.isFinite(v)) {
      largestRemainderInto(values, from, n, out)
      return
    }
    sum += v
    const upTo = Math.round(sum)
    out[i] = upTo - before + 0
    before = upTo
  }
}

/** `cumulativeInto` of `values` as a new array. */
export const cumulative = (values: ReadonlyArray<number>): Array<number> => {
  const out = new Array<number>(values.length)
  cumulativeInto(values, 0, values.length, out)
  return out
}

/**
 * The `k`-th smallest (from 0) of `a`, reordering `a`: Hoare's selection with a median-of-three pivot (linear
 * on average; `a` holds no NaN).
 */
const select = (a: Float64Array, k: number): number => {
  let lo = 0
  let hi = a.length - 1
  while (hi > lo) {
    const x = a[lo]
    const y = a[(lo + hi) >>> 1]
    const z = a[hi]
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z))
    let i = lo
    let j = hi
    while (i <= j) {
      while (a[i] < pivot) i++
      while (a[j] > pivot) j--
      if (i <= j) {
        const t = a[i]
        a[i] = a[j]
        a[j] = t
        i++
        j--
      }
    }
    // a[lo..j] <= pivot, a[i..hi] >= pivot, and what lies between equals it
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return a[k]
  }
  return a[k]
}

/** `largestRemainder`'s units given round the values in order of remainder (largest first, ties the earlier). */
const byOrder = (values: ArrayLike<number>, from: number, n: number, out: { [i: number]: number }, units: number): void => {
  let left = units
  const remainder = (i: number) => values[from + i] - Math.floor(values[from + i])
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => remainder(b) - remainder(a) || a - b)
  for (let j = 0; left > 0; j = (j + 1) % n, left--) out[order[j]]++
  for (let j = n - 1; left < 0; j = (j - 1 + n) % n, left++) out[order[j]]--
}

type Row = Readonly<Record<string, unknown>>

/**
 * `rows` with every counted column of `table` made whole, by largest remainder within the groups of rows
 * that share `group(row)`: each group's column adds up to its rounded exact sum. Other columns are kept.
 * Given `schools` (`schoolSums` of the school rows, `merged` with `populationSums` of the population), a
 * county or compared row's `Column.wholeFromSchools` figures are its schools' sums, and a county row's
 * children (`Column.wholeFromPopulation`) population.csv's; given `groupSums` of the school rows, a groups
 * row's `Column.wholeFromMembers` figures are its members'.
 */
export const table = <R extends object>(
  table: Columns.Table,
  rows: ReadonlyArray<R>,
  group: (row: R) => string,
  schools?: PrintedSums
): Array<R> => {
  const columns = Columns.of(table).filter(Columns.shownWhole)
  // nothing counted (the standards checks): the rows as they are, with no groups made
  if (columns.length === 0) return [...rows]
  const out = rows.map((r) => ({ ...r }) as Record<string, unknown>)
  const groups = new Map<string, Array<number>>()
  rows.forEach((r, i) => {
    const key = group(r)
    const members = groups.get(key)
    if (members === undefined) groups.set(key, [i])
    else members.push(i)
  })
  for (const members of groups.values()) {
    for (const c of columns) {
      const values = members.map((i) => (rows[i] as Row)[c.id])
      if (c.type === "record") {
        // each key of the record on its own (seat demand by level): the group's rows add up key by key
        const records = values.filter((v): v is Readonly<Record<string, unknown>> => typeof v === "object" && v !== null)
        if (records.length !== values.length) continue
        const copies = records.map((r) => ({ ...r }))
        for (const k of c.keys ?? []) {
          const parts = records.map((r) => r[k])
          if (!parts.every((v) => typeof v === "number")) continue
          largestRemainder(parts as Array<number>).forEach((v, j) => {
            copies[j][k] = v
          })
        }
        copies.forEach((r, j) => {
          out[members[j]][c.id] = r
        })
        continue
      }
      if (!values.every((v) => typeof v === "number")) continue
      const numbers = values as Array<number>
      const whole = c.cumulative === true ? cumulative(numbers) : largestRemainder(numbers)
      whole.forEach((v, j) => {
        out[members[j]][c.id] = v
      })
    }
  }
  for (const c of columns) {
    if (c.lessLeast !== undefined) lessLeast(out, c.id, c.lessLeast)
    if (Columns.wholeFromIn(c, table) !== undefined) {
      for (const r of out) {
        const v = Columns.wholeOf(c, table, (id) => r[id])
        if (typeof r[c.id] === "number" && v !== undefined) r[c.id] = v
      }
    }
    // a county or compared row (where the figure is not its own row's difference): its schools' sum; the
    // county's children: population.csv's
    const summed = (c.wholeFromSchools === true && Columns.wholeFromIn(c, table) === undefined) || c.wholeFromPopulation === true
    if (summed && schools !== undefined) {
      for (const r of out) {
        const v = schools.get(schoolKey(r))?.[c.id]
        if (typeof r[c.id] === "number" && v !== undefined) r[c.id] = v
      }
    }
    // a school group's row: its members' sums, as schools.csv prints them (`groupSums`)
    if (c.wholeFromMembers === true && schools !== undefined) {
      for (const r of out) {
        const v = schools.get(groupKey(r))?.[c.id]
        if (typeof r[c.id] === "number" && v !== undefined) r[c.id] = v
      }
    }
  }
  return out as Array<R>
}

/** The variant, year and level of a row: the schools that add up to a county row (and a compared one) share them. */
export const schoolKey = (row: object): string => {
  const r = row as { readonly variant?: unknown; readonly year?: unknown; readonly level?: unknown }
  return `${String(r.variant)}|${String(r.year)}|${String(r.level)}`
}

/**
 * Sums of figures as the tables print them, per variant, year and level (`schoolKey`): of the school rows'
 * whole figures of `Column.wholeFromSchools` (`schoolSums`), and of population.csv's whole children
 * (`populationSums`). What a county or compared row shows, so that it adds up to the rows beside it.
 */
export type PrintedSums = ReadonlyMap<string, Readonly<Record<string, number>>>

/** Both sums in one map (a key's figures merged). */
export const merged = (a: PrintedSums, b: PrintedSums): PrintedSums => {
  const out = new Map<string, Readonly<Record<string, number>>>(a)
  for (const [key, sums] of b) out.set(key, { ...out.get(key), ...sums })
  return out
}

/**
 * The county's children of each level's ages as population.csv prints them, per variant, year and level
 * (`schoolKey`): each settlement's ages made whole along the ages (`cumulativeInto`, as the CSV writes them),
 * those of the level's ages summed over the settlements. `years`: only those school years.
 */
export const populationSums = (blocks: Iterable<PopulationBlock>, years?: ReadonlySet<number>): PrintedSums => {
  const out = new Map<string, Record<string, number>>()
  const levelOfAge = new Int8Array(64).fill(-1)
  for (let l = 0; l < levelNames.length; l++) for (let g = firstGrade[l]; g < endGrade[l]; g++) levelOfAge[ageOfGradeIndex[g]] = l
  for (const { variant, firstYear, years: count, perGroup, settlementIds, children } of blocks) {
    const whole = new Float64Array(perGroup)
    for (let y = 0; y < count; y++) {
      if (years !== undefined && !years.has(firstYear + y)) continue
      const sums = new Float64Array(levelNames.length)
      for (let s = 0; s < settlementIds.length; s++) {
        cumulativeInto(children, (y * settlementIds.length + s) * perGroup, perGroup, whole)
        for (let a = 0; a < perGroup; a++) if (levelOfAge[a] >= 0) sums[levelOfAge[a]] += whole[a]
      }
      levelNames.forEach((level, l) => out.set(`${variant}|${firstYear + y}|${level}`, { children: sums[l] }))
    }
  }
  return out
}

/**
 * The whole figures of the schools' columns that are their row's difference (`Column.wholeFrom`) and that
 * the county sums (`Column.wholeFromSchools`), summed per variant, year and level: each school's figure is the
 * difference of its whole figures as schools.csv has them (largest remainder within the variant, year and level,
 * in the order of `rows`, as `table` and the CSV writers round them). What the county and compare tables show
 * in whole figures, so that the county's figure is the sum of its schools' printed ones.
 */
export const schoolSums = (rows: Iterable<object>): PrintedSums => {
  const summed = Columns.of("schools").filter((c) => c.wholeFromSchools === true && Columns.wholeFromIn(c, "schools") !== undefined)
  const inputs = [...new Set(summed.flatMap((c) => [c.wholeFrom!.of, Columns.operand(c.wholeFrom!)]))]
  // each group's input figures, column by column (undefined once one is not a number: not rounded), in the order of `rows`;
  // a group found by its variant and year (a province's school rows come a variant's year at a time), then its
  // level, so that a key is made per group rather than per row
  const groups = new Map<string, Array<Array<number> | undefined>>()
  let variant: unknown
  let year: unknown
  let levels = new Map<unknown, Array<Array<number> | undefined>>()
  for (const row of rows) {
    const r = row as Readonly<Record<string, unknown>>
    if (r.variant !== variant || r.year !== year || levels.size === 0) {
      variant = r.variant
      year = r.year
      levels = new Map()
    }
    let figures = levels.get(r.level)
    if (figures === undefined) {
      const key = schoolKey(r)
      figures = groups.get(key)
      if (figures === undefined) groups.set(key, (figures = inputs.map(() => [])))
      levels.set(r.level, figures)
    }
    for (let i = 0; i < inputs.length; i++) {
      const v = r[inputs[i]]
      if (typeof v === "number") figures[i]?.push(v)
      else figures[i] = undefined
    }
  }
  const out = new Map<string, Record<string, number>>()
  for (const [key, figures] of groups) {
    // a column is rounded where all its group's figures are numbers, as `table` and the CSV round it
    const whole = figures.map((values) => (values === undefined ? undefined : largestRemainder(values)))
    const sums: Record<string, number> = {}
    for (const c of summed) {
      const from = c.wholeFrom!
      const a = whole[inputs.indexOf(from.of)]
      const b = whole[inputs.indexOf(Columns.operand(from))]
      if (a === undefined || b === undefined) continue
      let sum = 0
      for (let i = 0; i < a.length; i++) sum += Columns.combined(from, a[i], b[i])
      sums[c.id] = sum
    }
    out.set(key, sums)
  }
  return out
}

/** The variant, year, group and level of a groups row (and of its members' school rows, by their `group_id`). */
export const groupKey = (row: object): string => {
  const r = row as { readonly variant?: unknown; readonly year?: unknown; readonly group_id?: unknown; readonly level?: unknown }
  return `${String(r.variant)}|${String(r.year)}|${String(r.group_id)}|${String(r.level)}`
}

/**
 * The groups table's member sums (`Column.wholeFromMembers`) as schools.csv prints the members, per variant,
 * year, group and level (`groupKey`): each school row's pupils and teachers made whole within its variant,
 * year and level (largest remainder in the order of `rows`, as `table` and the CSV writers round them), its
 * teachers available made from them by the registry (`Column.wholeFrom`), then summed over the rows with the
 * group's id.
 */
export const groupSums = (rows: ReadonlyArray<object>): PrintedSums => {
  const teachersAvailable = Columns.get("schools", "teachers_available")!
  const figures = ["pupils", "teachers_needed", "teachers_assigned", "teachers_shared"] as const
  const byLevel = new Map<string, Array<Readonly<Record<string, unknown>>>>()
  for (const row of rows) {
    const r = row as Readonly<Record<string, unknown>>
    const key = schoolKey(r)
    const list = byLevel.get(key)
    if (list === undefined) byLevel.set(key, [r])
    else list.push(r)
  }
  const out = new Map<string, Record<string, number>>()
  for (const list of byLevel.values()) {
    if (!list.some((r) => typeof r.group_id === "string" && r.group_id !== "")) continue
    const whole = figures.map((f) =>
      list.every((r) => typeof r[f] === "number") ? largestRemainder(list.map((r) => r[f] as number)) : undefined
    )
    const [pupils, needed, assigned, shared] = whole
    if (pupils === undefined || needed === undefined || assigned === undefined || shared === undefined) continue
    list.forEach((r, i) => {
      if (typeof r.group_id !== "string" || r.group_id === "") return
      // the member's teachers available as schools.csv prints them: the registry's rule (`wholeFrom`) over its
      // whole assigned and shared (numbers both, so never undefined)
      const printed: Record<string, number> = { teachers_assigned: assigned[i], teachers_shared: shared[i] }
      const available = Columns.wholeOf(teachersAvailable, "schools", (id) => printed[id])!
      const key = groupKey(r)
      const sums = out.get(key) ?? {
        group_pupils: 0,
        group_teachers_needed: 0,
        group_teachers_assigned: 0,
        group_teachers_shared: 0,
        group_teachers_short: 0
      }
      sums.group_pupils += pupils[i]
      sums.group_teachers_needed += needed[i]
      sums.group_teachers_assigned += assigned[i]
      sums.group_teachers_shared += Math.max(0, shared[i])
      sums.group_teachers_short += Math.max(0, needed[i] - available)
      out.set(key, sums)
    })
  }
  return out
}

/**
 * Column `id` of `rows` (whole already) as `of` less its least value among the rows alike in `within`
 * (`Columns.Column.lessLeast`): the difference of the whole figures, not the difference rounded on its own
 * (8,088 − 7,904 pupil-years read as a regret of 183).
 */
const lessLeast = (
  rows: ReadonlyArray<Record<string, unknown>>,
  id: string,
  { of, within }: { readonly of: string; readonly within: ReadonlyArray<string> }
): void => {
  const keyOf = (r: Record<string, unknown>) => within.map((k) => String(r[k])).join("|")
  const least = new Map<string, number>()
  for (const r of rows) {
    const v = r[of]
    if (typeof v !== "number") return
    const key = keyOf(r)
    least.set(key, Math.min(least.get(key) ?? Number.POSITIVE_INFINITY, v))
  }
  for (const r of rows) if (typeof r[id] === "number") r[id] = (r[of] as number) - least.get(keyOf(r))!
}
