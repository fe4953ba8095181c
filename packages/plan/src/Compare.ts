/**
 * Variants side by side on the figures that decide (a year's county figures, plus the plan's six
 * accounts, 六笔账), with deltas against the baseline.
 */
import { School, type World } from "@seatplan/core"
import { Columns, Dimensions, Distance, type Compliance, type Tables, Whole } from "@seatplan/sim"
import * as Changes from "./Changes.js"
import type * as Project from "./Project.js"
import type * as Scenario from "./Scenario.js"

/**
 * The county figures a comparison carries, typed by the county table's rows (the column registry's
 * `county` columns: `Columns` in @seatplan/sim), plus the county's shortage of seats where children live
 * (`area_seats_short`, the seat-demand account summed over areas) — a different figure from
 * `pupils_over_seats`, which counts pupils schools hold beyond their seats.
 */
export type Row = Pick<
  Tables.CountyRow,
  | "variant"
  | "level"
  | "year"
  | "pupils"
  | "seats"
  | "pupils_over_seats"
  | "idle_seats"
  | "large_classes"
  | "super_large_classes"
  | "large_class_share"
  | "teacher_gap"
  | "boarders"
  | "mean_distance_km"
  | "max_distance_km"
  | "schools_over_size_cap"
  | "max_difference_coefficient"
  | "difference_coefficient_limit"
  | "quality_schools_passing"
  | "quality_schools"
  | "recurrent_cost"
> & {
  /** Seats the level lacks where children live: Σ over areas of the seat-demand account's `area_seats_short`. */
  readonly area_seats_short: number
  /** The mean trip as minutes on foot, and the longest as minutes by school bus (the assumptions' speeds). */
  readonly mean_trip_walking_min: number
  readonly max_trip_bus_min: number
  /** Capital spent from the base year to this year (the investment account, 投入账). */
  readonly capital_cost_to_date: number
}

/** The six accounts (六笔账) of a variant over the whole horizon. */
export interface Accounts {
  readonly variant: string
  /** 1. Seat demand: pupils by level in the chosen year (by place and year: `seatDemand`). */
  readonly seat_demand: Readonly<Record<string, number>>
  /** 2. Construction tasks: schools opened, expanded, merged or closed, repurposed; seats and classrooms added. */
  readonly schools_opened: number
  readonly schools_expanded: number
  readonly schools_closed_or_merged: number
  readonly schools_repurposed: number
  readonly seats_added: number
  readonly classrooms_added: number
  readonly boarding_beds_added: number
  /** 3. Integration (资源整合): pupils the closed or merged schools had in the chosen year (baseline run), taken in by others. */
  readonly pupils_integrated: number
  /** 3. …and seats gained by reusing closed buildings as kindergartens (预增学位). */
  readonly seats_reused: number
  /** 4. Investment by year (yuan). */
  readonly investment_by_year: Readonly<Record<string, number>>
  /** 5. Teachers needed by newly opened schools (and buildings reopened as kindergartens) in the chosen year. */
  readonly new_school_teachers_needed: number
  /** 6. Senior-high running cost in the chosen year (yuan). */
  readonly senior_running_cost: number
}

/** The accounts as a table (accounts.csv, the registry's `accounts`): the investment summed over the years (by year: the ledger). */
export type AccountsRow = Omit<Accounts, "investment_by_year"> & { readonly investment: number }

/** One year of a plan's ledger (台账): its tasks and their share of the whole. */
export interface LedgerRow {
  readonly variant: string
  readonly year: number
  readonly tasks: number
  readonly opened: number
  readonly expanded: number
  readonly closed_or_merged: number
  readonly repurposed: number
  readonly other: number
  readonly seats_added: number
  readonly classrooms_added: number
  readonly beds_added: number
  readonly investment: number
  /** This year's share of the plan's investment (Xuchang: 20 % / 50 % / 30 % over 2020-2022). */
  readonly investment_share: number
  readonly task_share: number
  /** Facility investments (`invest` steps: equipment, multimedia, music and art rooms, sports ground, floor area without seats). */
  readonly invested: number
}

/**
 * Seat demand by level, place and year (the first account): where pupils live against the seats there.
 * Its columns are the registry's `seat_demand` table (`Columns` in @seatplan/sim).
 */
export interface DemandRow {
  readonly variant: string
  readonly year: number
  readonly level: string
  /** The county seat or a township with its villages (乡镇片区). */
  readonly area: string
  readonly area_name: string
  /** Children of the level's ages living in the area times the participation rate, in this variant. */
  readonly seat_demand: number
  /** Seats of the area's open schools. */
  readonly seats: number
  readonly area_seats_short: number
}

type Plans = ReadonlyMap<string, ReadonlyArray<Scenario.PlanStep>>

/**
 * What the comparison and the accounts read of a variant's run (a `Project.VariantResult` is one): its name,
 * model and events (its changes, `Changes.of`), its school rows of a year and the county's rows. The live
 * workspace compares one year's projections in this shape.
 */
export type Outcome = Pick<Project.VariantResult, "variant" | "model" | "events" | "county"> & {
  readonly schools: Pick<Tables.SchoolTable, "inYear">
}

/** Each variant's whole plan (strategies expanded), as loaded; the baseline's is empty. */
export const plans = (streams: Scenario.Streams): Plans => new Map(streams.variants.map((v) => [v.name, v.steps]))

/** Each variant's changes (`Changes.of`): its events after the fork of the baseline (the first result). */
const changesOf = (results: ReadonlyArray<Outcome>, forkedWorld?: World.World) => {
  const forked = results[0]?.events.length ?? 0
  return (r: Outcome) => (r === results[0] ? [] : Changes.of(r, forked, forkedWorld))
}

const total = (changes: ReadonlyArray<Changes.Change>, key: "seats" | "classrooms" | "beds") => changes.reduce((n, c) => n + c[key], 0)
const schoolsOf = (changes: ReadonlyArray<Changes.Change>, kind: Changes.Kind) =>
  new Set(changes.filter((c) => c.kind === kind).flatMap((c) => c.schools))

/**
 * The six accounts of each variant (the baseline's plan is the status quo: no changes). Openings,
 * expansions (a boarding step that adds beds is one), closures and the seats, classrooms and beds added
 * are counted from the plan's changes (`Changes.of`), as the ledger counts them. `forkedWorld`, when
 * given, is the world the baseline's events make (each variant's first events): it is not folded again.
 * `printed`: the pupils integrated, seats reused and new schools' teachers are summed over the school rows
 * of `year` as the schools table prints them (whole: `Whole.table`), so that the account people read is the
 * sum of the rows they can read beside it (the county example's 104 pupils integrated were 107 in
 * schools.csv); otherwise over the exact rows, as the JSON keeps them.
 */
export const accounts = (
  results: ReadonlyArray<Outcome>,
  plans: Plans,
  year: number,
  /** The seat-demand account's rows (`seatDemand`) of at least `year`: the first account sums them. */
  demand: ReadonlyArray<DemandRow>,
  forkedWorld?: World.World,
  printed = false
): ReadonlyArray<Accounts> => {
  const changes = changesOf(results, forkedWorld)
  // each variant's school rows of the year, whole as schools.csv has them (largest remainder within the variant, year and level) when printed
  const schoolsIn = (r: Outcome): ReadonlyArray<Tables.SchoolRow> => {
    const rows = r.schools.inYear(year)
    return printed ? Whole.table("schools", rows, Whole.schoolKey) : rows
  }
  const baselineSchools = results.length === 0 ? [] : schoolsIn(results[0])
  // 1. seat demand: Σ over areas of the account's rows (it was the county's enrolled pupils, under the name
  // 学位需求: 14,041 against the account's 14,112 for the county example's primaries in 2039)
  const demanded = new Map<string, number>()
  for (const d of demand) {
    if (d.year !== year) continue
    const key = `${d.variant}|${d.level}`
    demanded.set(key, (demanded.get(key) ?? 0) + d.seat_demand)
  }
  return results.map((r) => {
    const mine = changes(r)
    const steps = plans.get(r.variant) ?? []
    const reopened = new Set(steps.flatMap((s) => (s.type === "repurpose" && s.use === "kindergarten" ? [s.school] : [])))
    const opened = new Set([...schoolsOf(mine, "opened"), ...reopened])
    const closed = schoolsOf(mine, "closed or merged")
    const mineIn = r === results[0] ? baselineSchools : schoolsIn(r)
    const county = (level: string) => r.county.find((c) => c.year === year && c.level === level)
    const investment: Record<string, number> = {}
    for (const c of r.county) investment[String(c.year)] = (investment[String(c.year)] ?? 0) + c.capital_cost
    return {
      variant: r.variant,
      seat_demand: Object.fromEntries(School.levels.map((l) => [l, demanded.get(`${r.variant}|${l}`) ?? 0])),
      schools_opened: schoolsOf(mine, "opened").size,
      schools_expanded: schoolsOf(mine, "expanded").size,
      schools_closed_or_merged: closed.size,
      schools_repurposed: mine.filter((c) => c.kind === "repurposed").length,
      seats_added: total(mine, "seats"),
      classrooms_added: total(mine, "classrooms"),
      boarding_beds_added: total(mine, "beds"),
      pupils_integrated: baselineSchools.filter((x) => closed.has(x.school_id)).reduce((n, x) => n + x.pupils, 0),
      seats_reused: mineIn.filter((x) => reopened.has(x.school_id) && x.level === "kindergarten").reduce((n, x) => n + x.seats, 0),
      investment_by_year: investment,
      new_school_teachers_needed: mineIn.filter((x) => opened.has(x.school_id)).reduce((n, x) => n + x.teachers_needed, 0),
      senior_running_cost: county("senior")?.recurrent_cost ?? 0
    }
  })
}

/** The accounts as the table accounts.csv writes: each variant's investment summed over its years. */
export const accountsTable = (
  results: ReadonlyArray<Project.VariantResult>,
  plans: Plans,
  year: number,
  demand: ReadonlyArray<DemandRow>,
  /** Summed over the school rows as printed (`accounts`): for the CSV and the workbook. */
  printed = false
): ReadonlyArray<AccountsRow> =>
  accounts(results, plans, year, demand, undefined, printed).map(({ investment_by_year, ...a }) => ({
    ...a,
    investment: Object.values(investment_by_year).reduce((x, v) => x + v, 0)
  }))

/**
 * The ledger (台账) of each variant with a plan: per year, its tasks (the plan's changes: a step is one
 * task) by kind, the seats, classrooms and beds they add, and the investment (the county table's capital
 * cost), with shares of the whole.
 */
export const ledger = (results: ReadonlyArray<Project.VariantResult>, _plans?: Plans): ReadonlyArray<LedgerRow> => {
  const changes = changesOf(results)
  return results.flatMap((r) => {
    const all = changes(r)
    if (all.length === 0) return []
    const invested = new Map<number, number>()
    for (const c of r.county) invested.set(c.year, (invested.get(c.year) ?? 0) + c.capital_cost)
    const years = [...new Set([...all.map((c) => c.year), ...[...invested].filter(([, v]) => v > 0).map(([y]) => y)])].sort((a, b) => a - b)
    const whole = [...invested.values()].reduce((a, b) => a + b, 0)
    return years.map((year) => {
      const mine = all.filter((c) => c.year === year)
      const count = (...kinds: ReadonlyArray<Changes.Kind>) => mine.filter((c) => kinds.includes(c.kind)).length
      const investment = invested.get(year) ?? 0
      return {
        variant: r.variant,
        year,
        tasks: mine.length,
        opened: count("opened"),
        expanded: count("expanded"),
        closed_or_merged: count("closed or merged"),
        repurposed: count("repurposed"),
        other: count("other", "beds removed"),
        seats_added: total(mine, "seats"),
        classrooms_added: total(mine, "classrooms"),
        beds_added: total(mine, "beds"),
        investment,
        investment_share: whole > 0 ? investment / whole : 0,
        task_share: mine.length / all.length,
        invested: count("invested")
      }
    })
  })
}

/** The level whose grades children of each age are in (age = grade + 5), if any. */
const levelOfAge: ReadonlyArray<School.Level | undefined> = Array.from(
  { length: Math.max(...Dimensions.ageOfGradeIndex) + 1 },
  (_, age) => {
    const g = Dimensions.ageOfGradeIndex.indexOf(age)
    return g < 0 ? undefined : Dimensions.levelNames[Dimensions.levelOfGradeIndex[g]]
  }
)

/**
 * The county a settlement's senior pupils are planned in, named by its seat: the top of its parents where
 * the region links settlements to county seats (a province: each township's parent is its county seat); a
 * region that links none (one county whose townships are written without a parent, as the bundled example)
 * is one county, named by its first county seat (a county-seat district a plan adds is in it too).
 */
const countyArea = (
  scenario: Scenario.ScenarioFile,
  settlements: ReadonlyMap<string, { readonly tier: string; readonly parent: string | undefined }>
): ((id: string) => string) => {
  const linked = [...settlements.values()].some((s) => s.parent !== undefined && settlements.get(s.parent)?.tier === "county-seat")
  const seat = scenario.settlements.find((s) => s.tier === "county-seat")?.id as string | undefined
  if (!linked && seat !== undefined) return () => seat
  return (id) => {
    let at = id
    for (let step = 0; step < 16; step++) {
      const parent = settlements.get(at)?.parent
      if (parent === undefined || !settlements.has(parent)) break
      at = parent
    }
    return at
  }
}

/**
 * Seat demand by level, place and year: children of each level's ages where they live (population table)
 * times participation, against the seats of the open schools in the same area (the county seat, or a
 * township with its villages; for senior high, the county, named by its seat: 高中向县城集中, a township
 * without a senior school is not short of senior seats: `countyArea`). Needs the population table (kept by `run`).
 */
export const seatDemand = (results: ReadonlyArray<Project.VariantResult>, scenario: Scenario.ScenarioFile): ReadonlyArray<DemandRow> => {
  const rows: Array<DemandRow> = []
  for (const r of results) {
    // the variant's own settlements (a plan may add a district): names and parents from its events
    const settlements = new Map(
      scenario.settlements.map((s) => [s.id as string, { name: s.name, tier: s.tier, parent: s.parent as string | undefined }])
    )
    for (const e of r.events) {
      if (e.event._tag === "SettlementRecorded") {
        const s = e.event.settlement
        settlements.set(s.id, { name: s.name, tier: s.tier, parent: s.parent })
      }
    }
    const areaOf = (id: string): string => {
      const s = settlements.get(id)
      return s === undefined ? id : s.tier === "village" && s.parent !== undefined ? s.parent : id
    }
    // senior high schools serve the county (高中向县城集中): their area is the county, named by its seat
    const countyOf = countyArea(scenario, settlements)
    const m = r.model
    const participation = m.assumptions.participation
    // sums by year, level and area in typed arrays (a province's population is 2 M settlement-years of 19
    // ages: keyed by text in a map it was 6 s), each age added to its cell in the order the rows come, as row
    // by row, so every sum is the same to the bit
    const areas = Dimensions.numbering<string>()
    const areaIds = areas.values
    const areaAt = (id: string): number => areas.of(areaOf(id))
    const settlementArea = new Map<string, number>()
    const settlementCounty = new Map<string, number>()
    for (const id of settlements.keys()) settlementArea.set(id, areaAt(id))
    for (const id of settlements.keys()) settlementCounty.set(id, areaAt(countyOf(id)))
    // each open school's area (-1 closed), before the arrays are made at the number of areas
    // (and its year, level and seats: the rows are read once, `Tables.SchoolTable` making each as it is read)
    const schoolArea = new Int32Array(r.schools.length).fill(-1)
    const schoolYear = new Int32Array(r.schools.length)
    const schoolLevel = new Int32Array(r.schools.length)
    const schoolSeats = new Float64Array(r.schools.length)
    r.schools.forEach((x, i) => {
      const at = m.settlementIds[m.schoolSettlement[m.schoolIndex.get(x.school_id)!]] ?? ""
      if (x.open) schoolArea[i] = areaAt(x.level === "senior" ? countyOf(at) : at)
      schoolYear[i] = x.year
      schoolLevel[i] = (Dimensions.levelNames as ReadonlyArray<string>).indexOf(x.level)
      schoolSeats[i] = x.seats
    })
    const areaCount = areaIds.length
    const levels = Dimensions.levelNames
    const levelIndex = new Map<string, number>(levels.map((l, i) => [l, i]))
    // typed arrays: the loop below reads them 40 M times at a province (as plain arrays it was 20 × slower)
    const ageLevel = Int32Array.from(levelOfAge, (l) => (l === undefined ? -1 : levelIndex.get(l)!))
    const ageShare = Float64Array.from(levelOfAge, (l) => (l === undefined ? 0 : participation[l]))
    interface Year {
      readonly needed: Float64Array
      readonly seats: Float64Array
      /** 1 where a key has pupils needing seats, 2 where it has seats, 3 both. */
      readonly keys: Uint8Array
    }
    const byYear = new Map<number, Year>()
    const yearOf = (year: number): Year => {
      let y = byYear.get(year)
      if (y === undefined) {
        const cells = levels.length * areaCount
        y = { needed: new Float64Array(cells), seats: new Float64Array(cells), keys: new Uint8Array(cells) }
        byYear.set(year, y)
      }
      return y
    }
    // read in place from the population's typed array (a province's is 30 M rows), a year at a time
    const block = r.population.block()
    const areaOfSettlement = Int32Array.from(block.settlementIds, (id) => settlementArea.get(id) ?? -1)
    const countyOfSettlement = Int32Array.from(block.settlementIds, (id) => settlementCounty.get(id) ?? -1)
    const seniorLevel = levelIndex.get("senior") ?? -1
    // the ages in some level's grades (the population's last ages are in none, and add nothing)
    const schoolAges = Math.min(block.perGroup, ageLevel.length)
    for (let y = 0; y < block.years; y++) {
      const { needed, keys } = yearOf(block.firstYear + y)
      for (let s = 0; s < areaOfSettlement.length; s++) {
        const area = areaOfSettlement[s]
        if (area < 0) continue
        const county = countyOfSettlement[s]
        const at = (y * areaOfSettlement.length + s) * block.perGroup
        for (let age = 0; age < schoolAges; age++) {
          const level = ageLevel[age]
          if (level < 0) continue
          const cell = level * areaCount + (level === seniorLevel ? county : area)
          needed[cell] += block.children[at + age] * ageShare[age]
          keys[cell] |= 1
        }
      }
    }
    for (let i = 0; i < schoolArea.length; i++) {
      const area = schoolArea[i]
      if (area < 0) continue
      const { seats, keys } = yearOf(schoolYear[i])
      const cell = schoolLevel[i] * areaCount + area
      seats[cell] += schoolSeats[i]
      keys[cell] |= 2
    }
    // in the order a planner reads them: by year, then level from kindergarten to senior, then area in the
    // scenario's order (the county seat first; a cell is level × areas + area, so its number is that order).
    // Sorted as text they came junior, kindergarten, primary, senior and T10 before T2.
    for (const year of [...byYear.keys()].sort((a, b) => a - b)) {
      const y = byYear.get(year)!
      for (let cell = 0; cell < y.keys.length; cell++) {
        if (y.keys[cell] === 0) continue
        const level = levels[Math.floor(cell / areaCount)]
        const area = areaIds[cell % areaCount]
        const n = y.needed[cell]
        const have = y.seats[cell]
        rows.push({
          variant: r.variant,
          year,
          level,
          area,
          area_name: settlements.get(area)?.name ?? area,
          seat_demand: n,
          seats: have,
          area_seats_short: Math.max(0, n - have)
        })
      }
    }
  }
  return rows
}

/**
 * Compares the variants' county figures in `year` (default the last), with deltas against the first (the
 * baseline). `demand` (the seat-demand account) gives each level's `area_seats_short`; without it that
 * figure is 0.
 */
export const compare = (results: ReadonlyArray<Outcome>, year?: number, demand: ReadonlyArray<DemandRow> = []) => {
  const last = Math.max(...results[0].county.map((r) => r.year))
  const y = year ?? last
  const rows: Array<Row> = []
  for (const r of results) {
    for (const c of r.county.filter((c) => c.year === y)) {
      const capital = r.county.filter((x) => x.level === c.level && x.year <= y).reduce((n, x) => n + x.capital_cost, 0)
      rows.push({
        variant: r.variant,
        level: c.level,
        year: y,
        pupils: c.pupils,
        seats: c.seats,
        pupils_over_seats: c.pupils_over_seats,
        idle_seats: c.idle_seats,
        area_seats_short: demand
          .filter((d) => d.variant === r.variant && d.year === y && d.level === c.level)
          .reduce((n, d) => n + d.area_seats_short, 0),
        large_classes: c.large_classes,
        super_large_classes: c.super_large_classes,
        large_class_share: c.large_class_share,
        teacher_gap: c.teacher_gap,
        boarders: c.boarders,
        mean_distance_km: c.mean_distance_km,
        max_distance_km: c.max_distance_km,
        mean_trip_walking_min: (c.mean_distance_km / r.model.assumptions.walkingKmh) * 60,
        max_trip_bus_min: (c.max_distance_km / r.model.assumptions.busKmh) * 60,
        schools_over_size_cap: c.schools_over_size_cap,
        max_difference_coefficient: c.max_difference_coefficient,
        difference_coefficient_limit: c.difference_coefficient_limit,
        quality_schools_passing: c.quality_schools_passing,
        quality_schools: c.quality_schools,
        capital_cost_to_date: capital,
        recurrent_cost: c.recurrent_cost
      })
    }
  }
  const baseline = new Map(rows.filter((r) => r.variant === results[0].variant).map((r) => [r.level, r]))
  const numeric = (Object.keys(rows[0] ?? {}) as ReadonlyArray<keyof Row>).filter((k) => typeof rows[0][k] === "number" && k !== "year")
  const deltas = rows
    .filter((r) => r.variant !== results[0].variant)
    .map((r) => {
      const b = baseline.get(r.level)
      const d: Record<string, unknown> = { variant: r.variant, level: r.level, year: y, against: results[0].variant }
      for (const k of numeric) d[k] = (r[k] as number) - ((b?.[k] as number | undefined) ?? 0)
      return d
    })
  return { year: y, rows, deltas }
}

const signed = (v: number, digits = 0): string => {
  const text = v.toFixed(digits)
  return Number(text) === 0 ? "0" : v > 0 ? `+${text}` : text
}

/** The signed difference of a compared row against the baseline's, as display cells (blank where it means nothing). */
export const deltaCells = (r: Row, baseline: Row | undefined, label = "Δ"): ReadonlyArray<string> => {
  const d = (k: keyof Row, digits = 0) => signed((r[k] as number) - ((baseline?.[k] as number | undefined) ?? 0), digits)
  return [
    `${label} ${r.variant}`,
    "",
    d("pupils"),
    d("seats"),
    d("area_seats_short"),
    d("pupils_over_seats"),
    d("idle_seats"),
    d("large_classes"),
    d("super_large_classes"),
    d("teacher_gap"),
    d("boarders"),
    d("mean_distance_km", 1),
    d("max_distance_km", 1),
    "",
    "",
    d("schools_over_size_cap"),
    "",
    "",
    signed((r.capital_cost_to_date - (baseline?.capital_cost_to_date ?? 0)) / 1e4)
  ]
}

/** A registry column's heading with its unit, e.g. "pupils over seats (pupils)" or "超员人数（人）". */
const heading = (table: Columns.Table, id: string, lang: "zh" | "en"): string => {
  const c = Columns.get(table, id)
  if (c === undefined) return id
  return lang === "zh" ? `${Columns.label(c, "zh")}（${c.unit.zh}）` : `${Columns.label(c, "en")} (${c.unit.en})`
}

/** The headings of `cells`, from the column registry, with units (the `compare` table and the report). */
export const compareHeader = (lang: "zh" | "en" = "en"): ReadonlyArray<string> => {
  const county = (id: string) => heading("county", id, lang)
  const zh = lang === "zh"
  return [
    zh ? "方案" : "variant",
    zh ? "学段" : "level",
    county("pupils"),
    county("seats"),
    heading("seat_demand", "area_seats_short", lang),
    county("pupils_over_seats"),
    county("idle_seats"),
    county("large_classes"),
    county("super_large_classes"),
    county("teacher_gap"),
    county("boarders"),
    county("mean_distance_km"),
    county("max_distance_km"),
    zh ? "平均步行时间（分钟）" : "mean trip walking (min)",
    zh ? "最长车程（分钟，校车）" : "longest trip by school bus (min)",
    county("schools_over_size_cap"),
    zh ? "最大差异系数/标准" : "max difference coefficient / limit",
    zh ? "优质均衡达标学校/学校" : "quality schools passing / schools",
    zh ? "累计投入（万元）" : "capital to date (10k yuan)"
  ]
}

/** The position of a compared figure in `compareHeader` and `cells`. */
export const compareColumn = (figure: (typeof peakFigures)[number]): number =>
  compareHeader("en").indexOf(heading(figure === "area_seats_short" ? "seat_demand" : "county", figure, "en"))

/** A compared row as display cells (the order of the `compare` table and the report): the level named by `level`. */
export const cells = (r: Row, level: (name: string) => string = (l) => l): ReadonlyArray<string> => [
  r.variant,
  level(r.level),
  r.pupils.toFixed(0),
  r.seats.toFixed(0),
  r.area_seats_short.toFixed(0),
  r.pupils_over_seats.toFixed(0),
  r.idle_seats.toFixed(0),
  String(r.large_classes),
  String(r.super_large_classes),
  r.teacher_gap.toFixed(0),
  r.boarders.toFixed(0),
  r.mean_distance_km.toFixed(1),
  r.max_distance_km.toFixed(1),
  r.mean_trip_walking_min.toFixed(0),
  r.max_trip_bus_min.toFixed(0),
  String(r.schools_over_size_cap),
  r.difference_coefficient_limit > 0 ? `${r.max_difference_coefficient.toFixed(2)}/${r.difference_coefficient_limit}` : "",
  r.quality_schools > 0 ? `${r.quality_schools_passing}/${r.quality_schools}` : "",
  (r.capital_cost_to_date / 1e4).toFixed(0)
]

/** A variant's six accounts as display cells (money in 10,000 yuan). */
export const accountCells = (a: Accounts): ReadonlyArray<string> => [
  a.variant,
  String(a.schools_opened),
  String(a.schools_expanded),
  String(a.schools_closed_or_merged),
  String(a.schools_repurposed),
  String(a.seats_added),
  String(a.classrooms_added),
  String(a.boarding_beds_added),
  a.pupils_integrated.toFixed(0),
  a.seats_reused.toFixed(0),
  (Object.values(a.investment_by_year).reduce((x, v) => x + v, 0) / 1e4).toFixed(0),
  a.new_school_teachers_needed.toFixed(0),
  (a.senior_running_cost / 1e4).toFixed(0)
]

/** Years as ranges: 2026, 2029-2031, 2035. */
export const yearRanges = (years: ReadonlyArray<number>): string => {
  const parts: Array<string> = []
  for (let i = 0; i < years.length; i++) {
    let j = i
    while (j + 1 < years.length && years[j + 1] === years[j] + 1) j++
    parts.push(j === i ? String(years[i]) : `${years[i]}-${years[j]}`)
    i = j
  }
  return parts.join(", ")
}

/**
 * The headline per variant: the year from which every counted rule passes everywhere in that year and
 * every later year of the horizon (全部达标 holds from), the first year it is reached (it may be lost again),
 * the years after that in which it fails, and what still fails in the last year (the rules with the most
 * failing checks).
 */
export const complianceCells = (
  c: Compliance.Compliance,
  lastYear: number,
  notBy: (year: number) => string = (y) => `not by ${y}`
): ReadonlyArray<string> => {
  const failing = c.rules.filter((r) => r.counts && r.failing_last_year > 0).sort((a, b) => b.failing_last_year - a.failing_last_year)
  const lost =
    c.first_compliant_year === null
      ? []
      : Object.entries(c.failing_by_year)
          .filter(([y, n]) => Number(y) > (c.first_compliant_year ?? 0) && n > 0)
          .map(([y]) => Number(y))
  return [
    c.variant,
    c.compliant_from === null ? notBy(lastYear) : String(c.compliant_from),
    c.first_compliant_year === null ? "" : String(c.first_compliant_year),
    yearRanges(lost),
    String(c.failing_by_year[String(lastYear)] ?? 0),
    failing
      .slice(0, 4)
      .map((r) => `${r.rule} ${r.failing_last_year}`)
      .join(", "),
    // unknown for want of data (completeness.csv): neither passing nor failing
    String(c.unknown_by_year[String(lastYear)] ?? 0)
  ]
}

export const complianceHeader = [
  "variant",
  "full compliance 全部达标 holds from",
  "first reached",
  "fails again in",
  "failing checks (last year)",
  "rules failing most (last year)",
  "unknown checks, data missing (last year)"
]

/**
 * Per counted rule, the year from which each variant passes it everywhere in every later year ("—" when it
 * fails in the last year), with the years it fails in beside it: "2030 (fails 2026-2029)".
 */
export const ruleYears = (
  results: ReadonlyArray<Project.VariantResult>,
  rules: ReadonlyArray<Compliance.Rule>,
  /** The words around the failing years: the Chinese report had "2031 (fails 2024-2030)". */
  lang: "zh" | "en" = "en"
): ReadonlyArray<ReadonlyArray<string>> =>
  rules
    .filter((r) => r.counts)
    .map((rule) => [
      rule.id,
      rule.zh,
      ...results.map((v) => {
        const r = v.compliance.rules.find((x) => x.rule === rule.id)
        if (r === undefined) return "—"
        const holds = r.holds_from === null ? "—" : String(r.holds_from)
        if (r.failing_years.length === 0) return holds
        return lang === "zh" ? `${holds}（${yearRanges(r.failing_years)}年未达标）` : `${holds} (fails ${yearRanges(r.failing_years)})`
      })
    ])

export const accountHeader = [
  "variant",
  "opened",
  "expanded",
  "closed/merged",
  "repurposed",
  "seats added",
  "classrooms added",
  "beds added",
  "pupils integrated",
  "seats reused",
  "investment (10k yuan)",
  "new-school teachers",
  "senior running cost (10k yuan)"
]

/** A ledger row as display cells (money in 10,000 yuan, shares in %). */
export const ledgerCells = (l: LedgerRow): ReadonlyArray<string> => [
  l.variant,
  String(l.year),
  String(l.tasks),
  String(l.opened),
  String(l.expanded),
  String(l.closed_or_merged),
  String(l.repurposed),
  String(l.other),
  String(l.seats_added),
  String(l.classrooms_added),
  String(l.beds_added),
  (l.investment / 1e4).toFixed(0),
  `${(l.investment_share * 100).toFixed(0)} %`,
  `${(l.task_share * 100).toFixed(0)} %`,
  String(l.invested)
]

export const ledgerHeader = [
  "variant",
  "year",
  "tasks",
  "opened",
  "expanded",
  "closed/merged",
  "repurposed",
  "other",
  "seats added",
  "classrooms added",
  "beds added",
  "investment (10k yuan)",
  "investment share",
  "task share",
  "facility investments"
]

// ----------------------------------------------------------------------------------- over a range of years

/** A figure's worst year within a range: its largest value and the first year it is reached. */
export interface Peak {
  readonly variant: string
  readonly level: string
  readonly figure: string
  readonly peak: number
  readonly year: number
}

/** The figures whose peak a planner plans for. */
export const peakFigures = [
  "area_seats_short",
  "pupils_over_seats",
  "large_classes",
  "super_large_classes",
  "teacher_gap",
  "boarders",
  "max_distance_km"
] as const satisfies ReadonlyArray<keyof Row>
export type PeakFigure = (typeof peakFigures)[number]

/** Each variant's and level's peak of each `peakFigures` figure over `years` (compare rows of each year). */
export const peaks = (
  results: ReadonlyArray<Project.VariantResult>,
  years: ReadonlyArray<number>,
  demand: ReadonlyArray<DemandRow>,
  /** The compared rows as they are shown (whole for a printed table); as computed by default. */
  shown: (rows: ReadonlyArray<Row>) => ReadonlyArray<Row> = (rows) => rows
): ReadonlyArray<Peak> => {
  const rows = shown(years.flatMap((y) => compare(results, y, demand).rows))
  const out: Array<Peak> = []
  for (const r of results) {
    for (const level of School.levels) {
      const mine = rows.filter((x) => x.variant === r.variant && x.level === level)
      if (mine.length === 0 || mine.every((x) => x.pupils === 0 && x.seats === 0)) continue
      for (const figure of peakFigures) {
        let best = mine[0]
        for (const x of mine) if (x[figure] > best[figure]) best = x
        out.push({ variant: r.variant, level, figure, peak: best[figure], year: best.year })
      }
    }
  }
  return out
}

/** What a variant's plan costs over a range of years (yuan): capital, recurrent, school transport and boarding subsidies. */
export interface Cost {
  readonly variant: string
  readonly from: number
  readonly to: number
  readonly capital: number
  readonly recurrent: number
  /** Day pupils × mean one-way km × the transport cost per pupil-km and year (a local assumption). */
  readonly transport: number
  /** Boarders × the living subsidy of their level × the share receiving it. */
  readonly boarding_subsidy: number
  readonly total: number
}

/** Each variant's cost over `from..to`, from its county table and its assumptions (unit costs as data). */
export const costs = (results: ReadonlyArray<Project.VariantResult>, from: number, to: number): ReadonlyArray<Cost> =>
  results.map((r) => {
    const a = r.model.assumptions
    let capital = 0
    let recurrent = 0
    let transport = 0
    let subsidy = 0
    for (const c of r.county) {
      if (c.year < from || c.year > to) continue
      capital += c.capital_cost
      recurrent += c.recurrent_cost
      transport += Math.max(0, c.pupils - c.boarders) * c.mean_distance_km * a.transportPerPupilKm
      subsidy += c.boarders * (a.boardingSubsidy[c.level as School.Level] ?? 0) * a.boardingSubsidyShare
    }
    return {
      variant: r.variant,
      from,
      to,
      capital,
      recurrent,
      transport,
      boarding_subsidy: subsidy,
      total: capital + recurrent + transport + subsidy
    }
  })

/** A school a plan closes or opens, by name: where a closed school's pupils go and how far, an opened one's seats and pupils. */
export interface Move {
  readonly variant: string
  readonly year: number
  readonly change: "closed" | "opened"
  readonly school_id: string
  readonly school: string
  /** Pupils at the closed school the year before it closes (the variant's run), or at the opened one in the last year. */
  readonly pupils: number
  readonly into_id: string
  readonly into: string
  /** Straight-line km from the closed school to the one its pupils go to. */
  readonly km_to_receiver: number
  /** The receiving school's mean trip in the closing year, km and minutes by school bus. */
  readonly receiver_mean_km: number
  readonly receiver_mean_bus_min: number
  readonly seats: number
}

/** The closures and openings of each variant's plan, by name (`Changes.of`). */
export const moves = (results: ReadonlyArray<Project.VariantResult>): ReadonlyArray<Move> => {
  const changes = changesOf(results)
  const last = Math.max(...(results[0]?.county.map((c) => c.year) ?? [0]))
  return results.flatMap((r) => {
    const m = r.model
    const name = (id: string) => m.schoolNames[m.schoolIndex.get(id) ?? -1] ?? id
    const pupilsAt = (id: string, year: number) =>
      r.schools
        .inYear(year)
        .filter((x) => x.school_id === id)
        .reduce((n, x) => n + x.pupils, 0)
    return changes(r).flatMap((c): ReadonlyArray<Move> => {
      if (c.kind === "closed or merged") {
        return c.schools.map((id) => {
          const k = m.schoolIndex.get(id) ?? -1
          const j = c.into === undefined ? -1 : (m.schoolIndex.get(c.into) ?? -1)
          const receiver = c.into === undefined ? [] : r.schools.inYear(c.year).filter((x) => x.school_id === c.into)
          const pupils = receiver.reduce((n, x) => n + x.pupils, 0)
          const meanKm = pupils > 0 ? receiver.reduce((n, x) => n + x.pupils * x.mean_distance_km, 0) / pupils : 0
          return {
            variant: r.variant,
            year: c.year,
            change: "closed",
            school_id: id,
            school: name(id),
            pupils: pupilsAt(id, c.year - 1),
            into_id: c.into ?? "",
            into: c.into === undefined ? "" : name(c.into),
            km_to_receiver: k >= 0 && j >= 0 ? Distance.km(m.schoolLon[k], m.schoolLat[k], m.schoolLon[j], m.schoolLat[j]) : 0,
            receiver_mean_km: meanKm,
            receiver_mean_bus_min: (meanKm / m.assumptions.busKmh) * 60,
            seats: 0
          }
        })
      }
      if (c.kind === "opened") {
        return c.schools.map((id) => ({
          variant: r.variant,
          year: c.year,
          change: "opened",
          school_id: id,
          school: name(id),
          pupils: pupilsAt(id, last),
          into_id: "",
          into: "",
          km_to_receiver: 0,
          receiver_mean_km: 0,
          receiver_mean_bus_min: 0,
          seats: c.seats
        }))
      }
      return []
    })
  })
}
