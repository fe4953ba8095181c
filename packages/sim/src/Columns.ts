/**
 * The column registry: every column of the `schools`, `county`, `catchments` and `population` tables
 * defined once — its key (the CSV and JSON key), the tables it appears in, unit, Chinese and English
 * label, meaning, formula, how it aggregates to a catchment and to the county, and whether it counts whole
 * pupils. The row builders of `Tables`, the columns a standards rule may name (`Compliance`), the seven 优质均衡
 * indicators and the generated `docs/columns.md` (`pnpm docs:columns`) all come from here; a test fails when
 * a table produces a key the registry lacks or the other way round, or when the committed docs differ.
 *
 * An entry may serve several tables when it means the same in each (the county's `seats` is the sum of the
 * schools'); a key that means something else in another table has its own entry (a catchment's `catchment_seats_short`
 * counts resident pupils, a school's enrolled ones). Entries are listed in the order the tables write their
 * keys: a table's columns are the entries naming it, in registry order.
 */

import * as School from "@seatplan/core/School"

/** The tidy tables the engine's results give (`Tables`). */
export const engineTables = ["schools", "county", "catchments", "population"] as const
/**
 * Every table whose columns are defined here: the engine's, the seat-demand account (学位需求账, built
 * by @seatplan/plan's Compare.seatDemand from the population and schools tables) and the data-completeness
 * table (`Completeness`).
 */
/** The tables of `seatplan sweep` (@seatplan/plan's Sweep and Robustness): futures × variants and what they say. */
export const sweepTables = ["sweep", "sweep_bands", "robustness", "regret"] as const
/**
 * The tables of the comparison and the accounts (@seatplan/plan's Compare): variants side by side in a year
 * (`compare`, the workbook's compare sheet), the six accounts (`accounts`, accounts.csv), the ledger by year
 * (`ledger`, accounts-ledger.csv), and every standards check (`standards`, standards.csv).
 */
export const planTables = ["compare", "accounts", "ledger", "standards"] as const
export const tables = [...engineTables, "seat_demand", "completeness", "groups", ...sweepTables, ...planTables] as const
export type Table = (typeof tables)[number]

/** How a school-level figure becomes a catchment's or the county's. */
export type Aggregation =
  /** Added up over the schools (or catchments). */
  | "sum"
  /** The largest over the schools. */
  | "max"
  /** Σ pupils × value / Σ pupils over the schools. */
  | "weighted mean by pupils"
  /** Computed again from the aggregated figures (see `formula`), not summed. */
  | "recomputed"
  /** A key or label of the row: carried, not aggregated. */
  | "key"
  /** Not carried to that table. */
  | "none"

/** A unit, in English and Chinese. */
export interface Unit {
  readonly en: string
  readonly zh: string
}

/** The JSON type of a column's values. A `record` is an object keyed by `keys`; CSV flattens it to `{csvPrefix}_{key}`. */
export type ValueType = "text" | "number" | "boolean" | "record"

/** How a column's whole figure is made from two whole figures of its row (`Column.wholeFrom`). */
export type WholeFrom = {
  readonly of: string
  readonly atLeastZero: boolean
  /** The tables whose rows it is taken from (default: every table of the column). */
  readonly tables?: ReadonlyArray<Table>
} & ({ readonly less: string } | { readonly plus: string })

export interface Column {
  /** The CSV and JSON key. */
  readonly id: string
  readonly tables: ReadonlyArray<Table>
  readonly type: ValueType
  readonly unit: Unit
  readonly zh: string
  readonly en: string
  /** A shorter heading where a printed table or the report uses one (`label` falls back to `zh`/`en`). */
  readonly short?: { readonly zh?: string; readonly en?: string }
  /** What the figure is, in one sentence. */
  readonly meaning: string
  /** How it is computed. */
  readonly formula: string
  /** How the school figure aggregates to a catchment (`none` when the catchments table does not carry it). */
  readonly catchment: Aggregation
  /** How the school figure aggregates to the county (`none` when the county table does not carry it). */
  readonly county: Aggregation
  /** Whether the value counts pupils or children (projected figures are fractional: round for display). */
  readonly wholePupils: boolean
  /** For a `record`: its keys, and the prefix CSV gives the flattened columns. */
  readonly keys?: ReadonlyArray<string>
  readonly csvPrefix?: string
  /**
   * A figure that is column `of` less its least value among the rows alike in the columns `within` (a regret:
   * the variant against the best of its future). Its whole value (`Whole.table`) is taken from `of`'s whole
   * values the same way, so that it is the difference of the whole figures printed beside it.
   */
  readonly lessLeast?: { readonly of: string; readonly within: ReadonlyArray<string> }
  /**
   * A difference of its row's figures, `of` − `less` (at least 0 with `atLeastZero`: a shortfall), or their
   * sum, `of` + `plus` (teachers available: assigned and shared). Its whole value (`Whole.table`, the CSV) is
   * the difference or sum of the whole figures beside it, so that a row reads 1,529 needed, 1,430 there,
   * 99 short, or 47 teachers needed, 40 assigned, a gap of 7 (rounded on their own they had read 100 and 8).
   */
  readonly wholeFrom?: WholeFrom
  /**
   * A county figure summed over the schools of its level whose school figure is made whole from its row
   * (`wholeFrom` in the schools table): in whole figures (the county and compare tables, given the school
   * rows: `Whole.schoolSums`) it is the sum of the schools' whole values, so that the county's 31 pupils over
   * seats are its schools' 12 and 19 as schools.csv prints them, each of them its row's pupils less its seats.
   */
  readonly wholeFromSchools?: boolean
  /**
   * A county figure summed over the settlements' children of the level's ages: in whole figures (given the
   * population: `Whole.populationSums`) the sum of population.csv's whole children, so that the county's
   * children are what that table's ages add up to.
   */
  readonly wholeFromPopulation?: boolean
  /**
   * A school group's figure summed over its members' school rows (those with its `group_id`): in whole
   * figures (given them: `Whole.groupSums`) the sum of the members' whole figures as schools.csv prints
   * them, so that groups.csv adds up to the rows it names.
   */
  readonly wholeFromMembers?: boolean
  /**
   * Rounded to whole figures along the order of its group's rows (a settlement's ages) by cumulative sums
   * (`Whole.cumulativeInto`) instead of largest remainder: every run of consecutive rows (a level's ages) then
   * adds up to within 1 of its exact sum. By largest remainder, villages of one age profile lost their units
   * at the same ages, and a synthetic county's primary-age children in population.csv read 290 fewer than
   * county.csv's (23,093 against 23,383).
   */
  readonly cumulative?: boolean
}

// ------------------------------------------------------------------------------------------------ units

export const units = {
  text: { en: "text", zh: "文本" },
  year: { en: "school year", zh: "学年" },
  degrees: { en: "degrees", zh: "度" },
  age: { en: "years of age", zh: "岁" },
  boolean: { en: "yes/no", zh: "是/否" },
  pupils: { en: "pupils", zh: "人" },
  children: { en: "children", zh: "人" },
  seats: { en: "seats", zh: "个" },
  classes: { en: "classes", zh: "个" },
  classrooms: { en: "classrooms", zh: "间" },
  rooms: { en: "rooms", zh: "间" },
  pupilsPerClass: { en: "pupils per class", zh: "人/班" },
  teachers: { en: "teachers", zh: "人" },
  beds: { en: "beds", zh: "张" },
  km: { en: "km", zh: "公里" },
  schools: { en: "schools", zh: "所" },
  settlements: { en: "settlements", zh: "个" },
  indicators: { en: "indicators", zh: "项" },
  fields: { en: "figures", zh: "项" },
  yuan: { en: "yuan", zh: "元" },
  ratio: { en: "ratio", zh: "比值" },
  teachersPer100: { en: "teachers per 100 pupils", zh: "人/百生" },
  m2PerPupil: { en: "m² per pupil", zh: "平方米/生" },
  yuanPerPupil: { en: "yuan per pupil", zh: "元/生" },
  roomsPer100: { en: "rooms per 100 pupils", zh: "间/百生" },
  booksPerPupil: { en: "volumes per pupil", zh: "册/生" },
  futures: { en: "futures", zh: "个" },
  share: { en: "share", zh: "比例" },
  pupilYears: { en: "pupil-years", zh: "人·年" },
  asFigure: { en: "the figure's unit", zh: "同所述指标" },
  asRule: { en: "the rule's unit", zh: "该标准的单位" },
  minutes: { en: "minutes", zh: "分钟" },
  tasks: { en: "tasks", zh: "项" },
  steps: { en: "steps", zh: "项" }
} as const satisfies Record<string, Unit>

// ----------------------------------------------------------------------------- the seven indicators

/** One of the seven 优质均衡 resource indicators (per 100 pupils or per pupil; 教督〔2017〕6号). */
export interface IndicatorColumn extends Column {
  /** The standard's name: the threshold is the standard `quality.{standard}.{level}`. */
  readonly standard: string
}

const indicator = <Id extends string>(
  id: Id,
  standard: string,
  zh: string,
  en: string,
  unit: Unit,
  formula: string
): IndicatorColumn & { readonly id: Id } => ({
  id,
  tables: ["schools"],
  type: "number",
  unit,
  zh,
  en,
  meaning: `One of the seven 优质均衡 resource indicators of the school's level (${en}); the school's resources are shared between its levels by grades taught.`,
  formula,
  catchment: "none",
  county: "none",
  wholePupils: false,
  standard
})

/**
 * The seven 优质均衡 resource indicators, in the order of the standards (教督〔2017〕6号): their difference
 * coefficients are the county's `difference_coefficients`.
 */
export const indicators = [
  indicator(
    "above_degree_per_100",
    "aboveDegreePer100",
    "每百名学生拥有高于规定学历教师数",
    "teachers above the required degree per 100 pupils",
    units.teachersPer100,
    "above-degree teachers × level share × 100 / pupils (0 without pupils)"
  ),
  indicator(
    "backbone_per_100",
    "backbonePer100",
    "每百名学生拥有县级及以上骨干教师数",
    "county-level or higher backbone teachers per 100 pupils",
    units.teachersPer100,
    "backbone teachers × level share × 100 / pupils (0 without pupils)"
  ),
  indicator(
    "pe_arts_per_100",
    "peArtsPer100",
    "每百名学生拥有体育、艺术专任教师数",
    "PE and arts teachers per 100 pupils",
    units.teachersPer100,
    "PE and arts teachers × level share × 100 / pupils (0 without pupils)"
  ),
  indicator(
    "floor_area_per_pupil",
    "floorAreaPerPupil",
    "生均教学及辅助用房面积",
    "teaching and auxiliary floor area per pupil",
    units.m2PerPupil,
    "floorArea × level share / pupils (0 without pupils)"
  ),
  indicator(
    "sports_area_per_pupil",
    "sportsAreaPerPupil",
    "生均体育运动场馆面积",
    "sports ground area per pupil",
    units.m2PerPupil,
    "sportsArea × level share / pupils (0 without pupils)"
  ),
  indicator(
    "equipment_per_pupil",
    "equipmentPerPupil",
    "生均教学仪器设备值",
    "teaching equipment value per pupil",
    units.yuanPerPupil,
    "equipmentValue × level share / pupils (0 without pupils)"
  ),
  indicator(
    "multimedia_per_100",
    "multimediaPer100",
    "每百名学生拥有网络多媒体教室数",
    "networked multimedia classrooms per 100 pupils",
    units.roomsPer100,
    "multimediaRooms × level share × 100 / pupils (0 without pupils)"
  )
] as const
export type Indicator = (typeof indicators)[number]["id"]
export const indicatorIds: ReadonlyArray<Indicator> = indicators.map((c) => c.id)

/** The 优质均衡 school rule: at least this many of the seven indicators meet the standard (教督〔2017〕6号). */
export const qualityIndicatorsToMeet = 6

// ------------------------------------------------------------------------------------------ the registry

type Entry = Omit<Column, "catchment" | "county" | "wholePupils"> & Partial<Pick<Column, "catchment" | "county" | "wholePupils">>

const entry = (e: Entry): Column => ({ catchment: "none", county: "none", wholePupils: false, ...e })

const key = (e: Omit<Entry, "catchment" | "county">): Column =>
  entry({ ...e, catchment: e.tables.includes("catchments") ? "key" : "none", county: e.tables.includes("county") ? "key" : "none" })

/** Every column but the comparison's (`compare` takes its columns from these), in the order the tables write their keys. */
const defined: ReadonlyArray<Column> = [
  key({
    id: "future",
    tables: ["sweep", "regret"],
    type: "number",
    unit: units.futures,
    zh: "情景编号",
    en: "future",
    meaning: "The future's number in the sweep's design (0 first; in a named design 0 is the central future).",
    formula: "index of the future in Futures.draw(space, design, N, seed)"
  }),
  key({
    id: "future_name",
    tables: ["sweep", "regret"],
    type: "text",
    unit: units.text,
    zh: "情景",
    en: "future name",
    meaning: "The future's name: a named future's own, or lhs-N / grid-N for a drawn one.",
    formula: "the named future's name, or the design and the future's number from 1"
  }),
  key({
    id: "variant",
    tables: [
      "schools",
      "county",
      "catchments",
      "population",
      "seat_demand",
      "groups",
      "sweep",
      "sweep_bands",
      "robustness",
      "regret",
      "accounts",
      "ledger",
      "standards"
    ],
    type: "text",
    unit: units.text,
    zh: "方案",
    en: "variant",
    meaning: "The variant (baseline or a plan) the row belongs to.",
    formula: "the name the run was given (baseline, or the plan's name)"
  }),
  key({
    id: "year",
    tables: [
      "schools",
      "county",
      "catchments",
      "population",
      "seat_demand",
      "groups",
      "sweep",
      "sweep_bands",
      "robustness",
      "ledger",
      "standards"
    ],
    type: "number",
    unit: units.year,
    zh: "学年",
    en: "school year",
    short: { en: "year" },
    meaning: "The school year of the row, named by the calendar year it starts in (2025 is 2025/26).",
    formula: "base year + year index of the run"
  }),
  key({
    id: "rule",
    tables: ["standards"],
    type: "text",
    unit: units.text,
    zh: "标准",
    en: "rule",
    meaning: "The standards rule checked (its id in the rule set: `seatplan standards` lists each with its source).",
    formula: "the rule's id in the scenario's rule set"
  }),
  key({
    id: "scope",
    tables: ["standards"],
    type: "text",
    unit: units.text,
    zh: "范围",
    en: "scope",
    meaning: "What the check is about: a school (of a level), a catchment, a school group or the county.",
    formula: "the rule's scope"
  }),
  key({
    id: "school_id",
    tables: ["schools"],
    type: "text",
    unit: units.text,
    zh: "学校编号",
    en: "school id",
    meaning: "The school the row describes.",
    formula: "the school's id in the event log"
  }),
  key({
    id: "school_name",
    tables: ["schools"],
    type: "text",
    unit: units.text,
    zh: "学校名称",
    en: "school",
    meaning: "The school's name.",
    formula: "the name its SchoolOpened event records"
  }),
  key({
    id: "level",
    tables: ["schools", "county", "catchments", "seat_demand", "groups", "sweep", "sweep_bands", "standards"],
    type: "text",
    unit: units.text,
    zh: "学段",
    en: "level",
    meaning: "The level of schooling: kindergarten, primary, junior or senior.",
    formula: "one of School.levels"
  }),
  ...standardsColumns(),
  key({
    id: "area",
    tables: ["seat_demand"],
    type: "text",
    unit: units.text,
    zh: "片区编号",
    en: "area id",
    meaning:
      "The area seats are planned for: the county seat, or a township with its villages (乡镇片区); for senior high, the county (高中向县城集中), named by its seat.",
    formula:
      "a village's parent settlement; any other settlement itself; senior high: the top of the settlement's parent chain, or the region's first county seat when no settlement's parent is a county seat (one county)"
  }),
  key({
    id: "area_name",
    tables: ["seat_demand"],
    type: "text",
    unit: units.text,
    zh: "片区",
    en: "area",
    meaning: "The area's name (of the settlement, also one a plan adds).",
    formula: "the settlement's name in the variant's events"
  }),
  entry({
    id: "seat_demand",
    tables: ["seat_demand"],
    type: "number",
    unit: units.seats,
    wholePupils: true,
    zh: "学位需求",
    en: "seat demand",
    meaning: "Seats the children of the level's ages living in the area need, in this variant (its migration and housing included).",
    formula: "Σ children of the level's ages in the area's settlements × the level's participation rate"
  }),
  entry({
    id: "seats",
    tables: ["seat_demand"],
    type: "number",
    unit: units.seats,
    zh: "片区学位",
    en: "seats in the area",
    meaning: "Approved seats of the level at the area's open schools, in this variant.",
    formula: "Σ seats over the level's open schools located in the area's settlements"
  }),
  entry({
    id: "area_seats_short",
    tables: ["seat_demand"],
    type: "number",
    unit: units.seats,
    wholePupils: true,
    zh: "片区学位缺口",
    en: "area seats short",
    meaning:
      "Seats the area lacks for the children living there: the shortage a planner builds for. Summed over areas it is the county's shortage where children live, which pupils travelling to other areas' spare seats can hide in pupils_over_seats.",
    formula: "max(0, seat_demand − seats) (in whole seats: of the whole figures beside it)",
    wholeFrom: { of: "seat_demand", less: "seats", atLeastZero: true }
  }),
  key({
    id: "school_id",
    tables: ["catchments"],
    type: "text",
    unit: units.text,
    zh: "学区学校",
    en: "catchment school",
    meaning: "The school the catchment's settlements are zoned to for the level.",
    formula: "the school's id in the event log"
  }),
  key({
    id: "status",
    tables: ["schools"],
    type: "text",
    unit: units.text,
    zh: "状态",
    en: "status",
    meaning:
      "What the school is in the year: not yet open, opened (this year), open, expanded (capacity added this year), closing (its last open year), closed, or merged into another school (named by id). Every school has a row every year; a school that is not open has no pupils, seats or costs.",
    formula: "from the variant's events of the year (and the next, for closing)"
  }),
  entry({
    id: "lon",
    tables: ["schools"],
    type: "number",
    unit: units.degrees,
    zh: "经度",
    en: "longitude",
    meaning: "Where the school stands (WGS 84).",
    formula: "the school's recorded longitude"
  }),
  entry({
    id: "lat",
    tables: ["schools"],
    type: "number",
    unit: units.degrees,
    zh: "纬度",
    en: "latitude",
    meaning: "Where the school stands (WGS 84).",
    formula: "the school's recorded latitude"
  }),
  entry({
    id: "children",
    tables: ["county"],
    type: "number",
    unit: units.children,
    wholePupils: true,
    zh: "适龄儿童",
    en: "children of the level's ages",
    meaning: "Children of the ages of the level's grades living in the county.",
    formula: "Σ over settlements and the level's grades of children aged grade + 5 (in whole figures: of population.csv's whole children)",
    wholeFromPopulation: true
  }),
  entry({
    id: "pupils",
    tables: ["schools", "county", "sweep"],
    type: "number",
    unit: units.pupils,
    county: "sum",
    wholePupils: true,
    zh: "在校生",
    en: "pupils",
    meaning: "Pupils enrolled in the level's grades at the school.",
    formula: "Σ over the level's grades of pupils enrolled"
  }),
  entry({
    id: "out_of_school",
    tables: ["county"],
    type: "number",
    unit: units.children,
    wholePupils: true,
    zh: "未入学",
    en: "out of school",
    meaning: "Children of the level's ages who do not enrol (participation below 1).",
    formula: "Σ over settlements of max(0, children − pupils who enrol)"
  }),
  entry({
    id: "unplaced",
    tables: ["county"],
    type: "number",
    unit: units.pupils,
    wholePupils: true,
    zh: "无学位",
    en: "unplaced",
    meaning: "Pupils who would enrol but find no seat in any school within reach.",
    formula: "Σ over settlements of pupils left unallocated"
  }),
  entry({
    id: "unzoned",
    tables: ["county"],
    type: "number",
    unit: units.pupils,
    wholePupils: true,
    zh: "未划学区",
    en: "unzoned",
    meaning: "Pupils living in settlements zoned to no school for the level.",
    formula: "Σ over settlements without a catchment school of the level's pupils"
  }),
  entry({
    id: "schools",
    tables: ["county"],
    type: "number",
    unit: units.schools,
    zh: "学校数",
    en: "schools",
    meaning: "Schools open for the level.",
    formula: "count of school rows with open"
  }),
  entry({
    id: "settlements",
    tables: ["catchments"],
    type: "number",
    unit: units.settlements,
    zh: "学区村镇数",
    en: "settlements",
    meaning: "Settlements zoned to the school for the level (a settlement whose catchment is split by street counts in both schools').",
    formula: "count of settlements whose catchment school for the level, or second school of a split catchment, is the school"
  }),
  entry({
    id: "resident_pupils",
    tables: ["catchments"],
    type: "number",
    unit: units.pupils,
    wholePupils: true,
    zh: "学区内学生",
    en: "resident pupils",
    meaning:
      "Pupils of the level living in the catchment (where they live, not where they end up); a split catchment's second school has its share in whole pupils, the zoned school the rest.",
    formula:
      "Σ over the catchment's settlements of the level's pupils (split: round(pupils × share) to the second school, the rest to the zoned school)"
  }),
  entry({
    id: "enrolled",
    tables: ["catchments"],
    type: "number",
    unit: units.pupils,
    wholePupils: true,
    zh: "学校在校生",
    en: "enrolled",
    meaning: "Pupils the catchment's school takes for the level (from its catchment and beyond).",
    formula: "the school row's pupils"
  }),
  entry({
    id: "seats",
    tables: ["schools", "county", "catchments"],
    type: "number",
    unit: units.seats,
    catchment: "sum",
    county: "sum",
    zh: "学位",
    en: "seats",
    meaning: "Approved seats (核定学位) serving the level.",
    formula: "school seats × level share (the level's grades over all grades the school teaches)"
  }),
  entry({
    id: "pupils_over_seats",
    tables: ["schools", "county", "sweep"],
    type: "number",
    unit: units.pupils,
    county: "sum",
    wholePupils: true,
    zh: "超员人数",
    en: "pupils over seats",
    meaning:
      "Enrolled pupils beyond the school's seats (超员), summed over schools for the county: pupils the schools hold without a seat. Not the county's shortage of seats where children live (area_seats_short in the seat-demand account) nor a catchment's (catchment_seats_short).",
    formula:
      "school: max(0, pupils − seats) (in whole figures: of the whole figures beside it); county: Σ over the level's schools (in whole figures: of the schools' whole figures)",
    wholeFrom: { of: "pupils", less: "seats", atLeastZero: true, tables: ["schools"] },
    wholeFromSchools: true
  }),
  entry({
    id: "catchment_seats_short",
    tables: ["catchments"],
    type: "number",
    unit: units.seats,
    wholePupils: true,
    zh: "学区学位缺口",
    en: "catchment seats short",
    meaning:
      "Pupils living in the catchment beyond its school's seats: what the catchment lacks if every resident went to its zoned school.",
    formula: "max(0, resident_pupils − seats) (in whole figures: of the whole figures beside it)",
    wholeFrom: { of: "resident_pupils", less: "seats", atLeastZero: true }
  }),
  entry({
    id: "idle_seats",
    tables: ["schools", "county"],
    type: "number",
    unit: units.seats,
    county: "sum",
    zh: "闲置学位",
    en: "idle seats",
    meaning: "Seats above the pupils: what the school does not use.",
    formula:
      "school: max(0, seats − pupils) (in whole figures: of the whole figures beside it); county: Σ over the level's schools (in whole figures: of the schools' whole figures)",
    wholeFrom: { of: "seats", less: "pupils", atLeastZero: true, tables: ["schools"] },
    wholeFromSchools: true
  }),
  entry({
    id: "catchment_idle_seats",
    tables: ["catchments"],
    type: "number",
    unit: units.seats,
    zh: "学区闲置学位",
    en: "catchment idle seats",
    meaning: "Seats above the resident pupils: what the catchment does not need.",
    formula: "max(0, seats − resident_pupils) (in whole figures: of the whole figures beside it)",
    wholeFrom: { of: "seats", less: "resident_pupils", atLeastZero: true }
  }),
  entry({
    id: "classrooms",
    tables: ["schools"],
    type: "number",
    unit: units.classrooms,
    zh: "普通教室",
    en: "classrooms",
    meaning: "Ordinary classrooms serving the level.",
    formula: "school classrooms × level share"
  }),
  entry({
    id: "classes",
    tables: ["schools", "county"],
    type: "number",
    unit: units.classes,
    county: "sum",
    zh: "班级数",
    en: "classes",
    meaning: "Classes the level's pupils are taught in.",
    formula: "Σ over the level's grades of classes formed"
  }),
  entry({
    id: "classes_within_cap",
    tables: ["schools", "county"],
    type: "number",
    unit: units.classes,
    county: "sum",
    zh: "标准班额班级",
    en: "classes within the cap",
    meaning: "Classes within the level's cap (标准班额: 45 primary, 50 junior and senior).",
    formula: "Σ over the level's grades of classes of at most classCap pupils"
  }),
  entry({
    id: "classes_over_cap",
    tables: ["schools", "county"],
    type: "number",
    unit: units.classes,
    county: "sum",
    zh: "超标准班额班级",
    en: "classes over the cap",
    meaning: "Classes above the cap but not yet large (46-55 in primary).",
    formula: "classes − classes_within_cap − large_classes − super_large_classes"
  }),
  entry({
    id: "mean_class_size",
    tables: ["schools"],
    type: "number",
    unit: units.pupilsPerClass,
    zh: "平均班额",
    en: "mean class size",
    meaning:
      "Pupils per class of the level, over the whole pupils its classes are formed of (each grade's pupils rounded), so never above the largest class.",
    formula: "Σ over the level's grades with classes of round(pupils) / classes (0 without classes)"
  }),
  entry({
    id: "max_class_size",
    tables: ["schools"],
    type: "number",
    unit: units.pupilsPerClass,
    zh: "最大班额",
    en: "largest class",
    meaning: "The largest class of the level.",
    formula: "max over the level's grades of the largest class"
  }),
  entry({
    id: "large_classes",
    tables: ["schools", "county", "sweep"],
    type: "number",
    unit: units.classes,
    county: "sum",
    zh: "大班额班级",
    en: "large classes",
    meaning: "Classes of 56-65 pupils (大班额).",
    formula: "Σ over the level's grades of classes of 56-65"
  }),
  entry({
    id: "super_large_classes",
    tables: ["schools", "county", "sweep"],
    type: "number",
    unit: units.classes,
    county: "sum",
    zh: "超大班额班级",
    en: "super-large classes",
    meaning: "Classes of 66 pupils or more (超大班额).",
    formula: "Σ over the level's grades of classes of 66+"
  }),
  entry({
    id: "large_class_share",
    tables: ["county"],
    type: "number",
    unit: units.ratio,
    zh: "大班额比例",
    en: "large-class share",
    short: { en: "large %" },
    meaning: "The share of the level's classes that are large or super-large.",
    formula: "(large_classes + super_large_classes) / classes (0 without classes)"
  }),
  entry({
    id: "teachers_needed",
    tables: ["schools", "county"],
    type: "number",
    unit: units.teachers,
    county: "sum",
    zh: "应配教师",
    en: "teachers needed",
    meaning: "Teachers the staffing standard requires for the level.",
    formula:
      "pupils / pupils per staff post (编制: primary 19, junior 13.5, senior 12.5), or classes × teachersPerClass under the per-class staffing assumption"
  }),
  entry({
    id: "teachers_assigned",
    tables: ["schools", "county"],
    type: "number",
    unit: units.teachers,
    county: "sum",
    zh: "在岗教师",
    en: "teachers assigned",
    meaning: "Teachers the county has placed at the school for the level.",
    formula: "the school's teachers (after hiring, retirements and rotation) shared between its levels in proportion to teachers_needed"
  }),
  entry({
    id: "teacher_gap",
    tables: ["schools", "county"],
    type: "number",
    unit: units.teachers,
    county: "recomputed",
    zh: "教师缺口",
    en: "teacher gap",
    meaning: "Teachers needed above those assigned (negative: a surplus).",
    formula: "teachers_needed − teachers_assigned (in whole teachers: of the whole figures beside it)",
    wholeFrom: { of: "teachers_needed", less: "teachers_assigned", atLeastZero: false }
  }),
  entry({
    id: "teachers_shared",
    tables: ["schools"],
    type: "number",
    unit: units.teachers,
    zh: "集团共享教师",
    en: "teachers shared in the group",
    meaning:
      "Teachers' time the school receives from (positive) or gives to (negative) the other members of its school group (集团化办学 / 学区制) for the level; 0 outside a group.",
    formula:
      "the group's surplus of the level (Σ max(0, assigned − needed) over members) and shortage (Σ max(0, needed − assigned)) are matched: a short member receives its shortage × min(1, surplus ÷ shortage), a member with a surplus gives its surplus × min(1, shortage ÷ surplus) (packages/sim/src/Groups.ts)"
  }),
  entry({
    id: "teachers_available",
    tables: ["schools"],
    type: "number",
    unit: units.teachers,
    zh: "可用教师(含集团共享)",
    en: "teachers available (with the group's sharing)",
    meaning:
      "The teachers who teach the level at the school: its own, plus those its group shares in (minus those it shares out); what the staffing rule holds against the need.",
    formula: "teachers_assigned + teachers_shared (in whole teachers: of the whole figures beside it)",
    wholeFrom: { of: "teachers_assigned", plus: "teachers_shared", atLeastZero: false }
  }),
  entry({
    id: "group_id",
    tables: ["schools"],
    type: "text",
    unit: units.text,
    zh: "所属集团",
    en: "school group",
    meaning:
      "The school group (集团化办学 / 学区制) whose figures count this row: groups.csv's figures of the group, year and level add up its members' rows by this id. Empty outside a group, and for a member closed or without pupils of the level that year (its group does not count it).",
    formula:
      "the group the school is a member of that year (GroupFormed, SchoolJoinedGroup, SchoolLeftGroup), where its row of the level is open with pupils"
  }),
  entry({
    id: "boarders",
    tables: ["schools", "county"],
    type: "number",
    unit: units.pupils,
    county: "sum",
    wholePupils: true,
    zh: "寄宿生",
    en: "boarders",
    meaning: "Pupils of the level who live beyond the boarding distance and board (kindergarten children never board).",
    formula: "Σ of the pupils placed at the school from settlements farther than the level's boardingKm (0 for kindergarten)"
  }),
  entry({
    id: "beds",
    tables: ["schools", "county"],
    type: "number",
    unit: units.beds,
    county: "sum",
    zh: "寄宿床位",
    en: "boarding beds",
    meaning: "Boarding beds serving the level.",
    formula: "school boardingBeds × level share"
  }),
  entry({
    id: "boarding_bed_gap",
    tables: ["schools", "county"],
    type: "number",
    unit: units.beds,
    county: "sum",
    wholePupils: true,
    zh: "床位缺口(无床位寄宿生)",
    en: "boarding bed gap (boarders without beds)",
    meaning: "Boarders above the beds: pupils who should board and have no bed.",
    formula:
      "school: max(0, boarders − beds) (in whole figures: of the whole figures beside it); county: Σ over the level's schools (in whole figures: of the schools' whole figures)",
    wholeFrom: { of: "boarders", less: "beds", atLeastZero: true, tables: ["schools"] },
    wholeFromSchools: true
  }),
  entry({
    id: "mean_distance_km",
    tables: ["schools", "county"],
    type: "number",
    unit: units.km,
    county: "weighted mean by pupils",
    zh: "平均上学距离",
    en: "mean distance",
    short: { zh: "平均距离", en: "mean distance" },
    meaning: "The mean straight-line distance from home to school of the level's pupils.",
    formula: "Σ pupils × km / pupils (0 without pupils)"
  }),
  entry({
    id: "max_distance_km",
    tables: ["schools", "county"],
    type: "number",
    unit: units.km,
    county: "max",
    zh: "最远上学距离",
    en: "longest distance",
    short: { zh: "最远距离", en: "max distance" },
    meaning: "The longest distance from home to school of any of the level's pupils.",
    formula: "max over the settlements sending pupils of the distance"
  }),
  entry({
    id: "beyond_distance",
    tables: ["schools", "county"],
    type: "number",
    unit: units.pupils,
    county: "sum",
    wholePupils: true,
    zh: "超出上学距离标准的走读学生",
    en: "day pupils beyond the distance standard",
    short: { zh: "超距走读生", en: "beyond distance" },
    meaning:
      "Day pupils (not boarding) living farther from the school than the level's distance standard: kindergarten children beyond the service radius (they never board), pupils of the other levels who walk farther than the standard allows.",
    formula: "Σ of the day pupils placed at the school from settlements farther than the standard distance.{level} in force (km)"
  }),
  entry({
    id: "school_pupils",
    tables: ["schools"],
    type: "number",
    unit: units.pupils,
    wholePupils: true,
    zh: "全校在校生",
    en: "school pupils",
    meaning: "Pupils of the whole school, all levels.",
    formula: "Σ over all grades of pupils enrolled at the school"
  }),
  entry({
    id: "size_pupils",
    tables: ["schools"],
    type: "number",
    unit: units.pupils,
    wholePupils: true,
    zh: "校额计数",
    en: "pupils against the size cap",
    meaning: "The pupils counted against the size cap (a nine-year school's compulsory grades; 0 where no cap applies).",
    formula: "Σ over the capped grades of pupils enrolled, when size_cap > 0"
  }),
  entry({
    id: "size_cap",
    tables: ["schools"],
    type: "number",
    unit: units.pupils,
    zh: "校额上限",
    en: "size cap",
    meaning: "The school size cap (校额) that applies (2,000; 2,500 nine- and twelve-year; 5,000 senior; 0 none).",
    formula: "schoolSize standard for the school's type and level"
  }),
  entry({
    id: "over_size_cap",
    tables: ["schools"],
    type: "boolean",
    unit: units.boolean,
    zh: "超校额",
    en: "over the size cap",
    meaning: "The school has more pupils than its size cap allows.",
    formula: "size_cap > 0 and size_pupils > size_cap"
  }),
  entry({
    id: "schools_over_size_cap",
    tables: ["county"],
    type: "number",
    unit: units.schools,
    zh: "超校额学校数",
    en: "schools over the size cap",
    meaning: "Schools of the level over their size cap.",
    formula: "count of school rows with over_size_cap"
  }),
  ...indicators,
  entry({
    id: "difference_coefficients",
    tables: ["county"],
    type: "record",
    unit: units.ratio,
    zh: "校际差异系数",
    en: "difference coefficients",
    meaning: "Per indicator, the pupil-weighted coefficient of variation across the level's schools with pupils (校际差异系数).",
    formula: "sqrt(Σ p (x − x̄)² / Σ p) / x̄, x̄ = Σ p x / Σ p over schools with pupils p > 0 (0 with fewer than two schools)",
    keys: indicators.map((c) => c.id),
    csvPrefix: "dc"
  }),
  entry({
    id: "max_difference_coefficient",
    tables: ["county"],
    type: "number",
    unit: units.ratio,
    zh: "最大校际差异系数",
    en: "largest difference coefficient",
    meaning: "The largest of the seven difference coefficients (what the limit is held against).",
    formula: "max of difference_coefficients"
  }),
  entry({
    id: "rotation_share",
    tables: ["county"],
    type: "number",
    unit: units.ratio,
    zh: "交流轮岗比例",
    en: "rotation share",
    meaning:
      "Teachers who rotated (交流轮岗) in the year over the county's primary and junior teachers eligible to rotate (aged 30-54, the stand-in for years at one school, as in the groups table); county-wide, on the primary and junior rows.",
    formula:
      "teachers rotated / Σ over open schools of (teachers aged 30-54 × the school's primary + junior share of teachers_assigned) (0 on other levels)"
  }),
  entry({
    id: "backbone_rotation_share",
    tables: ["county"],
    type: "number",
    unit: units.ratio,
    zh: "骨干教师轮岗比例",
    en: "backbone share of rotation",
    meaning: "Backbone teachers' share of the teachers who rotated; county-wide, on the primary and junior rows.",
    formula: "backbone teachers rotated / teachers rotated (0 without rotation)"
  }),
  entry({
    id: "music_rooms",
    tables: ["schools"],
    type: "number",
    unit: units.rooms,
    zh: "音乐专用教室",
    en: "music rooms",
    meaning: "Music rooms serving the level.",
    formula: "school musicRooms × level share"
  }),
  entry({
    id: "art_rooms",
    tables: ["schools"],
    type: "number",
    unit: units.rooms,
    zh: "美术专用教室",
    en: "art rooms",
    meaning: "Art rooms serving the level.",
    formula: "school artRooms × level share"
  }),
  entry({
    id: "books_per_pupil",
    tables: ["schools"],
    type: "number",
    unit: units.booksPerPupil,
    zh: "生均图书",
    en: "library books per pupil",
    meaning:
      "Library books (图书藏书量) per pupil of the level: the standard books.perPupil (primary 25 volumes, 中小学图书馆(室)规程 2018; junior 35, a local assumption: the regulation's junior row is not confirmed). Not one of the seven 优质均衡 indicators; its own rule, books.",
    formula: "books × level share / pupils (0 without pupils)"
  }),
  entry({
    id: "capital_cost",
    tables: ["schools", "county", "sweep"],
    type: "number",
    unit: units.yuan,
    county: "sum",
    zh: "基建投入",
    en: "capital cost",
    meaning: "Capital spent on the school in the year, for the level.",
    formula: "(event cost, or seats and classrooms built × unit costs) × level share"
  }),
  entry({
    id: "recurrent_cost",
    tables: ["schools", "county", "sweep"],
    type: "number",
    unit: units.yuan,
    county: "sum",
    zh: "经常性经费",
    en: "recurrent cost",
    meaning: "The year's recurrent cost of the level, with schools under the funding floor funded as if at it.",
    formula:
      "recurrentPerPupil × (pupils + top-up), top-up = (fundingFloor − school_pupils) × pupils / school_pupils when 0 < school_pupils < fundingFloor; 0 when closed"
  }),
  entry({
    id: "open",
    tables: ["schools"],
    type: "boolean",
    unit: units.boolean,
    zh: "开办",
    en: "open",
    meaning: "The school is open and teaches the level.",
    formula: "school open and teaches the level"
  }),
  entry({
    id: "quality_pass",
    tables: ["schools"],
    type: "boolean",
    unit: units.boolean,
    zh: "优质均衡达标",
    en: "meets 优质均衡",
    meaning: "Primary and junior: the school meets 优质均衡 (≥ 6 of 7 met, the rest ≥ 85 % of the standard).",
    formula: `quality_indicators_met ≥ ${qualityIndicatorsToMeet} and every indicator ≥ quality.floorShare × its standard (false outside primary and junior or without pupils)`
  }),
  entry({
    id: "mental_health_ok",
    tables: ["schools"],
    type: "boolean",
    unit: units.boolean,
    zh: "心理健康教师足额",
    en: "mental-health teachers enough",
    meaning: "The school has the mental-health teachers it needs.",
    formula: "mental-health teachers ≥ mental_health_teachers_needed"
  }),
  entry({
    id: "quality_min_share",
    tables: ["schools"],
    type: "number",
    unit: units.ratio,
    zh: "最低指标达标率",
    en: "least indicator share",
    meaning: "Primary and junior: the least of the seven indicators as a share of its standard (the 85 % floor is on this).",
    formula: "min over the seven indicators of value / standard (1 where the standard is 0; 0 outside primary and junior or without pupils)"
  }),
  entry({
    id: "no_large_classes",
    tables: ["schools"],
    type: "boolean",
    unit: units.boolean,
    zh: "无大班额",
    en: "no large classes",
    meaning: "No class above 55 pupils (no 大班额 or 超大班额).",
    formula: "large_classes + super_large_classes = 0"
  }),
  entry({
    id: "teachers_enough",
    tables: ["schools"],
    type: "boolean",
    unit: units.boolean,
    zh: "教师足额",
    en: "teachers enough",
    meaning: "The level has at least the teachers the staffing standard requires.",
    formula: "teacher_gap ≤ 1e-9"
  }),
  entry({
    id: "quality_indicators_met",
    tables: ["schools"],
    type: "number",
    unit: units.indicators,
    zh: "达标指标数",
    en: "indicators met",
    meaning: "Primary and junior: how many of the seven 优质均衡 resource indicators meet the standard (0 otherwise).",
    formula: "count of the seven indicators with value ≥ standard"
  }),
  entry({
    id: "music_art_rooms_ok",
    tables: ["schools"],
    type: "boolean",
    unit: units.boolean,
    zh: "音美教室足额",
    en: "music and art rooms enough",
    meaning: "A music room and an art room per 12 classes (Wenling 2020 §五(一)3(2)).",
    formula: "musicRooms ≥ ⌈school classes / 12⌉ and artRooms ≥ ⌈school classes / 12⌉"
  }),
  entry({
    id: "mental_health_teachers_needed",
    tables: ["schools"],
    type: "number",
    unit: units.teachers,
    zh: "应配心理健康教师",
    en: "mental-health teachers needed",
    meaning: "Mental-health teachers the school needs (1 per 1,000 pupils from 1,000 urban / 1,200 rural; Leshan 2021 §二(二)4).",
    formula: "⌈school_pupils / 1,000⌉ when school_pupils ≥ the urban or rural threshold, else 0"
  }),
  entry({
    id: "music_art_rooms_short",
    tables: ["schools"],
    type: "number",
    unit: units.rooms,
    zh: "音美教室缺口",
    en: "music or art rooms short",
    meaning: "Music or art rooms the whole school lacks for its classes (0 when it has enough).",
    formula: "max(0, ⌈school classes / 12⌉ − min(musicRooms, artRooms))"
  }),
  entry({
    id: "mental_health_teachers_short",
    tables: ["schools"],
    type: "number",
    unit: units.teachers,
    zh: "心理健康教师缺口",
    en: "mental-health teachers short",
    meaning: "Mental-health teachers the whole school lacks (0 when it has enough).",
    formula: "max(0, mental_health_teachers_needed − mental-health teachers)"
  }),
  entry({
    id: "large_class_share_ok",
    tables: ["county"],
    type: "boolean",
    unit: units.boolean,
    zh: "大班额比例达标",
    en: "large-class share within the limit",
    meaning: "The county's share of large and super-large classes is under the limit (5 %, the Henan provincial standard).",
    formula: "large_class_share < largeClassShare.max"
  }),
  entry({
    id: "difference_coefficient_limit",
    tables: ["county"],
    type: "number",
    unit: units.ratio,
    zh: "差异系数限值",
    en: "difference coefficient limit",
    meaning: "Primary and junior: the difference coefficient limit in force (0.50 / 0.45; 0 on other levels).",
    formula: "differenceCoefficient.{level} standard"
  }),
  entry({
    id: "difference_coefficients_ok",
    tables: ["county"],
    type: "boolean",
    unit: units.boolean,
    zh: "差异系数达标",
    en: "difference coefficients within the limit",
    meaning: "Primary and junior: all seven difference coefficients are within the limit.",
    formula: "every difference coefficient ≤ difference_coefficient_limit (true where no limit applies)"
  }),
  entry({
    id: "quality_schools",
    tables: ["county"],
    type: "number",
    unit: units.schools,
    zh: "参评学校数",
    en: "schools assessed",
    meaning: "Primary and junior: schools of the level with pupils (those the 优质均衡 school rule assesses).",
    formula: "count of school rows with pupils > 0 (0 on other levels)"
  }),
  entry({
    id: "quality_schools_passing",
    tables: ["county"],
    type: "number",
    unit: units.schools,
    zh: "优质均衡达标学校数",
    en: "schools meeting 优质均衡",
    meaning: "Primary and junior: schools meeting the 优质均衡 school rule.",
    formula: "count of school rows with quality_pass (0 on other levels)"
  }),
  key({
    id: "settlement_id",
    tables: ["population"],
    type: "text",
    unit: units.text,
    zh: "村镇编号",
    en: "settlement id",
    meaning: "The settlement the children live in.",
    formula: "the settlement's id in the event log"
  }),
  key({
    id: "age",
    tables: ["population"],
    type: "number",
    unit: units.age,
    zh: "年龄",
    en: "age",
    meaning: "Single year of age, 0-18.",
    formula: "age at the start of the school year"
  }),
  entry({
    id: "children",
    tables: ["population"],
    type: "number",
    unit: units.children,
    wholePupils: true,
    zh: "儿童数",
    en: "children",
    meaning: "Children of the age living in the settlement.",
    formula:
      "the population kernel's projection (births, survival, migration) (in whole figures: rounded along the settlement's ages, so that any run of ages adds up to within 1 of its exact sum)",
    cumulative: true
  }),
  // the completeness table (数据完整性, `Completeness`): what each school's data lacks
  key({
    id: "school_id",
    tables: ["completeness"],
    type: "text",
    unit: units.text,
    zh: "学校编号",
    en: "school id",
    meaning: "The school the row describes (every school of the scenario file, the baseline's and those a plan opens).",
    formula: "the school's id in the scenario file"
  }),
  entry({
    id: "school_name",
    tables: ["completeness"],
    type: "text",
    unit: units.text,
    zh: "学校名称",
    en: "school name",
    meaning: "The school's name as the scenario file gives it.",
    formula: "the school's name in the scenario file"
  }),
  entry({
    id: "fields_missing",
    tables: ["completeness"],
    type: "number",
    unit: units.fields,
    zh: "缺失数据项",
    en: "figures missing",
    meaning:
      "How many of the school's facility and teacher figures the scenario leaves out (of 12: floor and sports area, equipment value, multimedia, music and art rooms, library books, teachers and four teacher categories); checks that need them are unknown, not failed.",
    formula: "count of Completeness.fields absent from the school's entry"
  }),
  entry({
    id: "missing",
    tables: ["completeness"],
    type: "text",
    unit: units.text,
    zh: "缺失数据(英文)",
    en: "figures missing",
    meaning: "The figures the school lacks, by their field names in the scenario file.",
    formula: "the absent fields, joined with '; '"
  }),
  entry({
    id: "missing_zh",
    tables: ["completeness"],
    type: "text",
    unit: units.text,
    zh: "缺失数据",
    en: "figures missing (Chinese)",
    meaning: "The figures the school lacks, in Chinese.",
    formula: "the absent fields' Chinese names, joined with '、'"
  }),
  ...groupColumns(),
  // ------------------------------------------------------------------------ seatplan sweep (futures)
  entry({
    id: "teachers_short",
    tables: ["sweep"],
    type: "number",
    unit: units.teachers,
    zh: "教师短缺（各校之和）",
    en: "teachers short",
    meaning: "Teachers the schools that lack them need beyond those assigned; a surplus at other schools does not fill them.",
    formula: "Σ over the level's schools of max(0, teachers_needed − teachers_assigned)"
  }),
  entry({
    id: "transport_cost",
    tables: ["sweep"],
    type: "number",
    unit: units.yuan,
    zh: "校车交通费用",
    en: "school transport cost",
    meaning: "What carrying the day pupils costs in the year (a local unit cost; Compare.costs prices it the same way).",
    formula: "max(0, pupils − boarders) × mean_distance_km × transportPerPupilKm"
  }),
  entry({
    id: "boarding_subsidy_cost",
    tables: ["sweep"],
    type: "number",
    unit: units.yuan,
    zh: "寄宿生生活补助",
    en: "boarding subsidy cost",
    meaning: "Living subsidies paid to boarders in the year.",
    formula: "boarders × boardingSubsidy[level] × boardingSubsidyShare"
  }),
  entry({
    id: "total_cost",
    tables: ["sweep"],
    type: "number",
    unit: units.yuan,
    zh: "总成本",
    en: "total cost",
    meaning: "Capital, recurrent, transport and boarding subsidy in the year.",
    formula: "capital_cost + recurrent_cost + transport_cost + boarding_subsidy_cost"
  }),
  key({
    id: "figure",
    tables: ["sweep_bands"],
    type: "text",
    unit: units.text,
    zh: "指标",
    en: "figure",
    meaning: "The sweep figure the percentiles describe (a key of the sweep table, e.g. pupils_over_seats).",
    formula: "one of Sweep.figures"
  }),
  ...(["p5", "p25", "p50", "p75", "p95"] as const).map((p) =>
    entry({
      id: p,
      tables: ["sweep_bands"],
      type: "number",
      unit: units.asFigure,
      zh: `第${p.slice(1)}百分位`,
      en: `${p.slice(1)}th percentile`,
      meaning: `The value below which ${p.slice(1)} % of the futures fall, for the variant, year and level (in the figure's own unit).`,
      formula: `quantile ${Number(p.slice(1)) / 100} of the figure over the futures (R-7, as simple-statistics)`
    })
  ),
  entry({
    id: "mean",
    tables: ["sweep_bands"],
    type: "number",
    unit: units.asFigure,
    zh: "平均值",
    en: "mean",
    meaning: "The figure's mean over the futures.",
    formula: "Σ over futures / futures"
  }),
  key({
    id: "standard",
    tables: ["robustness"],
    type: "text",
    unit: units.text,
    zh: "标准编号",
    en: "standard",
    meaning:
      "The standard checked in each future: seats (no pupil over the seats), class-size (no class of 56 or more), teachers (no school short of teachers), all (those three); then every counted rule of the scenario's rule set by its id (classCap, staffing, …: docs/standards.md), checked on every row as run checks it, and counted (全部达标: every counted rule).",
    formula: "Robustness.standardsOf: the figure standards, the counted rules' ids (Counted.spec), counted"
  }),
  entry({
    id: "standard_name",
    tables: ["robustness"],
    type: "text",
    unit: units.text,
    zh: "标准",
    en: "standard name",
    meaning: "The standard's name in Chinese and English (a rule's own zh and en).",
    formula: "Robustness.nameOf"
  }),
  entry({
    id: "futures",
    tables: ["robustness"],
    type: "number",
    unit: units.futures,
    zh: "情景数",
    en: "futures",
    meaning: "How many futures were projected for the variant.",
    formula: "N of the design"
  }),
  entry({
    id: "holds_share",
    tables: ["robustness"],
    type: "number",
    unit: units.share,
    zh: "达标情景占比",
    en: "share of futures holding",
    meaning:
      "The share of futures in which the standard holds in the year: for seats, class-size and teachers all levels together (whole pupils, classes and teachers: a figure under ½ counts as none); for a rule, no check of it fails on any row that year (a check unknown for want of data does not fail), as run's standards table says for that future.",
    formula: "futures where the year's figure (Σ over levels) < 0.5, or where the rule has no failing check (Counted.checker) / futures"
  }),
  entry({
    id: "horizon_cost",
    tables: ["regret"],
    type: "number",
    unit: units.yuan,
    zh: "规划期总成本",
    en: "cost over the horizon",
    meaning: "The variant's total cost in the future, every year and level of the horizon.",
    formula: "Σ total_cost over years and levels"
  }),
  entry({
    id: "pupil_years_over_seats",
    tables: ["regret"],
    type: "number",
    unit: units.pupilYears,
    wholePupils: true,
    zh: "超员人年",
    en: "pupil-years over seats",
    meaning: "Pupils beyond the seats of their school, added up over the years of the horizon: the pupils beyond standard.",
    formula: "Σ pupils_over_seats over years and levels"
  }),
  entry({
    id: "cost_regret",
    tables: ["regret"],
    type: "number",
    unit: units.yuan,
    zh: "成本遗憾值",
    en: "cost regret",
    meaning: "How much more the variant costs in this future than the cheapest variant of the same future (0 for the best).",
    formula: "horizon_cost − min over variants of horizon_cost, same future (in whole yuan: of the whole figures)",
    lessLeast: { of: "horizon_cost", within: ["future"] }
  }),
  entry({
    id: "pupils_regret",
    tables: ["regret"],
    type: "number",
    unit: units.pupilYears,
    wholePupils: true,
    zh: "超员遗憾值",
    en: "pupils regret",
    meaning: "How many more pupil-years over seats the variant has in this future than the best variant of the same future.",
    formula: "pupil_years_over_seats − min over variants, same future (in whole pupil-years: of the whole figures)",
    lessLeast: { of: "pupil_years_over_seats", within: ["future"] }
  }),
  ...accountsColumns(),
  ...ledgerColumns()
]

/** Every column, in the order the tables write their keys. */
export const all: ReadonlyArray<Column> = [...defined, ...compareColumns(defined)]

/** The `standards` table (Compliance's checks, standards.csv): one row per rule, scope, school and year; after `level`. */
function standardsColumns(): ReadonlyArray<Column> {
  const c = (e: Omit<Entry, "tables">): Column => entry({ ...e, tables: ["standards"] })
  const inRuleUnit = (id: string, zh: string, en: string, meaning: string, formula: string) =>
    c({ id, type: "number", unit: units.asRule, zh, en, meaning, formula })
  return [
    c({
      id: "school_id",
      type: "text",
      unit: units.text,
      zh: "学校编号",
      en: "school id",
      meaning: "The school checked, or empty for a check of a catchment, a group or the county.",
      formula: "the school's id in the event log (empty unless the scope is a school)"
    }),
    inRuleUnit(
      "value",
      "实际值",
      "value",
      "The figure the rule measures, in the rule's unit (pupils per class, m² per pupil, km…).",
      "the rule's column of the scope's row"
    ),
    inRuleUnit(
      "threshold",
      "标准值",
      "threshold",
      "The standard the value is held to, in the rule's unit.",
      "the rule's threshold for the level and year"
    ),
    inRuleUnit(
      "margin",
      "余量",
      "margin",
      "How far inside the threshold the value is: negative when the check fails.",
      "threshold − value for an at-most rule, value − threshold for an at-least rule"
    ),
    c({
      id: "pass",
      type: "boolean",
      unit: units.boolean,
      zh: "达标",
      en: "pass",
      meaning: "Whether the check passed (false when it failed or is unknown).",
      formula: "status = pass"
    }),
    c({
      id: "status",
      type: "text",
      unit: units.text,
      zh: "状态",
      en: "status",
      meaning: "pass, fail, or unknown when the school lacks data the rule reads (an unknown check counts neither way).",
      formula: "unknown when a figure the rule reads is missing (completeness), else pass when margin ≥ 0, else fail"
    }),
    c({
      id: "missing",
      type: "text",
      unit: units.text,
      zh: "缺数据",
      en: "missing data",
      meaning: 'The figures the school lacks that the check needs ("; "-joined; empty when none).',
      formula: "the completeness table's missing figures the rule's column reads"
    }),
    c({
      id: "counts",
      type: "boolean",
      unit: units.boolean,
      zh: "计入",
      en: "counts",
      meaning: "Whether the rule counts toward full compliance (全部达标) in the scenario's rule set.",
      formula: "the rule's `counts` in the rule set"
    })
  ]
}

/** The six accounts (六笔账, accounts.csv): one row per variant over the horizon (Compare.accounts). */
function accountsColumns(): ReadonlyArray<Column> {
  const a = (e: Omit<Entry, "tables">): Column => entry({ ...e, tables: ["accounts"] })
  const count = (id: string, unit: Unit, zh: string, en: string, meaning: string, formula: string) =>
    a({ id, type: "number", unit, wholePupils: unit === units.pupils, zh, en, meaning, formula })
  return [
    a({
      id: "seat_demand",
      type: "record",
      keys: School.levels,
      csvPrefix: "seat_demand",
      unit: units.seats,
      wholePupils: true,
      zh: "学位需求",
      en: "seat demand",
      meaning: "1. Seat demand (学位需求账): seats the children of each level need in the compared year (by area: accounts-demand.csv).",
      formula: "Σ over areas of the seat-demand account's seat_demand, by level, in the compared year"
    }),
    count(
      "schools_opened",
      units.schools,
      "新建学校",
      "schools opened",
      "2. Construction tasks (建设任务账): schools the plan opens.",
      "schools with a SchoolOpened event after the fork from the baseline"
    ),
    count(
      "schools_expanded",
      units.schools,
      "改扩建学校",
      "schools expanded",
      "2. Schools the plan expands (classrooms, seats or beds added).",
      "schools with an expansion (or beds added) after the fork"
    ),
    count(
      "schools_closed_or_merged",
      units.schools,
      "撤并学校",
      "schools closed or merged",
      "2. Schools the plan closes or merges into another.",
      "schools with a SchoolClosed or SchoolsMerged event after the fork"
    ),
    count(
      "schools_repurposed",
      units.schools,
      "转作他用学校",
      "schools repurposed",
      "2. Schools the plan converts to another use (a kindergarten, a teaching site).",
      "schools with a SchoolRepurposed event after the fork"
    ),
    count(
      "seats_added",
      units.seats,
      "新增学位",
      "seats added",
      "2. Seats the plan adds over the horizon.",
      "Σ seats of the plan's changes"
    ),
    count(
      "classrooms_added",
      units.classrooms,
      "新增教室",
      "classrooms added",
      "2. Classrooms the plan adds over the horizon.",
      "Σ classrooms of the plan's changes"
    ),
    count(
      "boarding_beds_added",
      units.beds,
      "新增寄宿床位",
      "boarding beds added",
      "2. Boarding beds the plan adds over the horizon.",
      "Σ beds of the plan's changes"
    ),
    count(
      "pupils_integrated",
      units.pupils,
      "整合学生",
      "pupils integrated",
      "3. Integration (资源整合账): pupils the closed or merged schools held in the compared year of the baseline, taken in by others.",
      "Σ pupils of the closed or merged schools in the baseline's compared year (in whole figures: of the school rows as schools.csv prints them)"
    ),
    count(
      "seats_reused",
      units.seats,
      "盘活学位",
      "seats reused",
      "3. Seats gained by reusing closed buildings as kindergartens (预增学位).",
      "Σ seats of repurposed buildings (in whole figures: of the school rows as schools.csv prints them)"
    ),
    count(
      "new_school_teachers_needed",
      units.teachers,
      "新校应配教师",
      "new-school teachers needed",
      "5. Teachers (教师配置账) the newly opened schools (and buildings reopened as kindergartens) need in the compared year.",
      "Σ teachers_needed of the opened schools in the compared year (in whole figures: of the school rows as schools.csv prints them)"
    ),
    a({
      id: "senior_running_cost",
      type: "number",
      unit: units.yuan,
      zh: "高中运行经费",
      en: "senior running cost",
      meaning: "6. Senior-high running cost (高中运行账) in the compared year.",
      formula: "Σ recurrent_cost of the senior level in the compared year"
    }),
    a({
      id: "investment",
      type: "number",
      unit: units.yuan,
      zh: "投入",
      en: "investment",
      meaning: "4. Investment (投入账): capital the plan spends over the horizon (by year: the ledger).",
      formula: "Σ over the plan's years of the ledger's investment"
    })
  ]
}

/** The ledger (台账, accounts-ledger.csv): one row per variant and year with plan steps (Compare.ledger). */
function ledgerColumns(): ReadonlyArray<Column> {
  const l = (e: Omit<Entry, "tables">): Column => entry({ ...e, tables: ["ledger"] })
  const count = (id: string, unit: Unit, zh: string, en: string, meaning: string, formula: string) =>
    l({ id, type: "number", unit, zh, en, meaning, formula })
  return [
    count(
      "tasks",
      units.tasks,
      "任务数",
      "tasks",
      "The plan's steps that take effect in the year.",
      "number of the plan's changes dated in the year"
    ),
    count("opened", units.schools, "新建", "opened", "Schools opened in the year.", "changes of kind opened in the year"),
    count("expanded", units.schools, "改扩建", "expanded", "Schools expanded in the year.", "changes of kind expanded in the year"),
    count(
      "closed_or_merged",
      units.schools,
      "撤并",
      "closed or merged",
      "Schools closed or merged in the year.",
      "changes of kind closed or merged in the year"
    ),
    count(
      "repurposed",
      units.schools,
      "转作他用",
      "repurposed",
      "Schools repurposed in the year.",
      "changes of kind repurposed in the year"
    ),
    count(
      "other",
      units.steps,
      "其他步骤",
      "other steps",
      "The year's other steps (catchment changes, boarding, teachers, groups, investments).",
      "tasks − opened − expanded − closed_or_merged − repurposed"
    ),
    count("seats_added", units.seats, "新增学位", "seats added", "Seats the year's steps add.", "Σ seats of the year's changes"),
    count(
      "classrooms_added",
      units.classrooms,
      "新增教室",
      "classrooms added",
      "Classrooms the year's steps add.",
      "Σ classrooms of the year's changes"
    ),
    count("beds_added", units.beds, "新增寄宿床位", "beds added", "Boarding beds the year's steps add.", "Σ beds of the year's changes"),
    count("investment", units.yuan, "投入", "investment", "Capital the year's steps cost.", "Σ cost of the year's changes"),
    count(
      "investment_share",
      units.share,
      "投入占比",
      "investment share",
      "The year's share of the plan's investment (Xuchang's plan: 20 % / 50 % / 30 % over 2020-2022).",
      "investment ÷ Σ investment over the plan's years (0 when the plan invests nothing)"
    ),
    count(
      "task_share",
      units.share,
      "任务占比",
      "task share",
      "The year's share of the plan's tasks.",
      "tasks ÷ Σ tasks over the plan's years"
    ),
    count(
      "invested",
      units.schools,
      "设施投入学校",
      "schools invested in",
      "Schools with facility investments in the year (invest steps: equipment, multimedia, music and art rooms, sports ground, floor area without seats).",
      "changes of kind invested in the year"
    )
  ]
}

/**
 * The comparison (`compare`, the workbook's compare sheet; Compare.compare): the county's figures of a year
 * for each variant and level, the county's seats short where children live, trips in minutes and capital
 * to date. Its county figures are the county table's columns, its seats short the seat-demand account's.
 */
function compareColumns(from: ReadonlyArray<Column>): ReadonlyArray<Column> {
  const of = (table: Table, id: string): Column => {
    const c = from.find((x) => x.id === id && x.tables.includes(table))
    if (c === undefined) throw new Error(`the compare table names ${table}.${id}, which the registry lacks`)
    return { ...c, tables: ["compare"], catchment: "none", county: "none" }
  }
  const own = (e: Omit<Entry, "tables">): Column => entry({ ...e, tables: ["compare"] })
  return [
    ...["variant", "level", "year", "pupils", "seats", "pupils_over_seats", "idle_seats"].map((id) => of("county", id)),
    {
      ...of("seat_demand", "area_seats_short"),
      meaning: "Seats the level lacks where children live: the seat-demand account's area_seats_short summed over areas.",
      formula: "Σ over areas of area_seats_short"
    },
    ...["large_classes", "super_large_classes", "large_class_share", "teacher_gap", "boarders", "mean_distance_km", "max_distance_km"].map(
      (id) => of("county", id)
    ),
    own({
      id: "mean_trip_walking_min",
      type: "number",
      unit: units.minutes,
      zh: "平均步行时间",
      en: "mean trip walking",
      meaning: "The mean trip as minutes on foot, at the assumptions' walking speed.",
      formula: "mean_distance_km ÷ walking km/h × 60"
    }),
    own({
      id: "max_trip_bus_min",
      type: "number",
      unit: units.minutes,
      zh: "最长车程（校车）",
      en: "longest trip by school bus",
      meaning: "The longest trip as minutes by school bus, at the assumptions' bus speed.",
      formula: "max_distance_km ÷ bus km/h × 60"
    }),
    ...[
      "schools_over_size_cap",
      "max_difference_coefficient",
      "difference_coefficient_limit",
      "quality_schools_passing",
      "quality_schools"
    ].map((id) => of("county", id)),
    own({
      id: "capital_cost_to_date",
      type: "number",
      unit: units.yuan,
      zh: "累计基建投入",
      en: "capital cost to date",
      meaning: "Capital spent on the level from the base year to the compared year (the investment account, 投入账).",
      formula: "Σ capital_cost of the county rows of the level from the base year to the year"
    }),
    of("county", "recurrent_cost")
  ]
}

/** The `groups` table (packages/sim/src/Groups.ts): one row per school group, year and level its members teach. */
function groupColumns(): ReadonlyArray<Column> {
  const g = (e: Omit<Entry, "tables">): Column => entry({ ...e, tables: ["groups"] })
  const text = (id: string, zh: string, en: string, meaning: string, formula: string) =>
    g({ id, type: "text", unit: units.text, zh, en, meaning, formula })
  const teachers = (id: string, zh: string, en: string, meaning: string, formula: string, wholeFromMembers = true) =>
    g({ id, type: "number", unit: units.teachers, zh, en, meaning, formula, ...(wholeFromMembers ? { wholeFromMembers } : {}) })
  return [
    text(
      "group_id",
      "集团编号",
      "group id",
      "The school group (集团化办学, 学区制, 校际联盟 or 委托管理) the row describes.",
      "the id its GroupFormed event records"
    ),
    text("group_name", "集团名称", "group", "The group's name.", "the name its GroupFormed event records"),
    text(
      "group_form",
      "组织形式",
      "form",
      "How the group is run: group (集团化办学), district (大学区/学区制), alliance (校际联盟) or entrusted (委托管理).",
      "the form its GroupFormed event records"
    ),
    text(
      "lead_school_id",
      "牵头学校",
      "lead school",
      "The school that leads the group (牵头学校).",
      "the lead of the GroupFormed event, passed on when it closes"
    ),
    g({
      id: "group_members",
      type: "number",
      unit: units.schools,
      zh: "成员学校",
      en: "member schools",
      meaning: "Member schools open with pupils of the level that year.",
      formula: "count of the members' school rows of the level that are open with pupils"
    }),
    g({
      id: "group_pupils",
      type: "number",
      unit: units.pupils,
      wholePupils: true,
      zh: "集团在校生",
      en: "pupils in the group",
      meaning: "Pupils of the level at the group's members.",
      formula: "Σ pupils of the members' rows (schools rows with this group_id)",
      wholeFromMembers: true
    }),
    teachers(
      "group_teachers_needed",
      "集团所需教师",
      "teachers needed in the group",
      "Teachers the members need for the level.",
      "Σ teachers_needed of the members' rows (schools rows with this group_id)"
    ),
    teachers(
      "group_teachers_assigned",
      "集团在岗教师",
      "teachers in the group",
      "Teachers the members have for the level.",
      "Σ teachers_assigned of the members' rows (schools rows with this group_id)"
    ),
    teachers(
      "group_teachers_shared",
      "集团内共享教师",
      "teachers shared between members",
      "Teachers' time moved from members with a surplus to members short of teachers.",
      "min(Σ surplus, Σ shortage) over the members' rows: Σ max(0, teachers_shared) of the rows with this group_id"
    ),
    teachers(
      "group_teachers_short",
      "共享后教师缺口",
      "teachers short after sharing",
      "Teachers the group's short members still lack once the group's surplus is shared: what hiring or transfers from outside must bring.",
      "Σ max(0, teachers_needed − teachers_available) over the members' rows (schools rows with this group_id)"
    ),
    teachers(
      "eligible_teachers",
      "符合交流条件教师",
      "teachers eligible to rotate",
      "The members' teachers eligible to rotate (交流轮岗): aged 30-54 (not the newest, not those near retirement), a proxy for years at one school, which seatplan does not record; the whole group's, on every level's row.",
      "Σ over members of the 30-39, 40-49 and 50-54 age bands of the recorded teacher stock after the year's events",
      false
    ),
    teachers(
      "teachers_rotated",
      "交流轮岗教师",
      "teachers rotated",
      "Teachers who rotated between members of the group in the year (TeachersTransferred with rotation); the whole group's, on every level's row.",
      "Σ teachers moved by rotation events between two members of the group that year",
      false
    ),
    g({
      id: "group_rotation_share",
      type: "number",
      unit: units.ratio,
      zh: "交流轮岗比例",
      en: "share of eligible teachers rotated",
      meaning: "Teachers rotated over teachers eligible in the group (the rotation standard: at least 10 %).",
      formula: "teachers_rotated ÷ eligible_teachers (0 when none is eligible)"
    }),
    g({
      id: "group_backbone_rotation_share",
      type: "number",
      unit: units.ratio,
      zh: "交流轮岗骨干教师比例",
      en: "backbone share of the rotated",
      meaning: "Backbone teachers among those rotated (the standard: at least 20 %).",
      formula: "backbone teachers rotated ÷ teachers_rotated (0 when none rotated)"
    })
  ]
}

const countUnits: ReadonlySet<Unit> = new Set([
  units.pupils,
  units.children,
  units.seats,
  units.classes,
  units.classrooms,
  units.rooms,
  units.teachers,
  units.beds
])

/**
 * Whether a column counts whole things (pupils, seats, classes, teachers, rooms, beds): shown as whole numbers
 * to people. A record column (seat demand by level) counts when each of its values does.
 */
export const counted = (c: Column): boolean => (c.type === "number" || c.type === "record") && (c.wholePupils || countUnits.has(c.unit))

/** The figure a column's `wholeFrom` takes from, or adds to, its `of` (`Column.wholeFrom`). */
export const operand = (from: WholeFrom): string => ("less" in from ? from.less : from.plus)

/** A column's `wholeFrom` where it applies to `table`'s rows. */
export const wholeFromIn = (c: Column, table: Table): Column["wholeFrom"] =>
  c.wholeFrom !== undefined && (c.wholeFrom.tables ?? c.tables).includes(table) ? c.wholeFrom : undefined

/**
 * A column's whole value from the whole values of its row in `table` (`Column.wholeFrom`), or undefined when
 * it is not taken from its row there or they are not numbers.
 */
export const wholeOf = (c: Column, table: Table, row: (id: string) => unknown): number | undefined => {
  const from = wholeFromIn(c, table)
  if (from === undefined) return undefined
  const of = row(from.of)
  const other = row(operand(from))
  if (typeof of !== "number" || typeof other !== "number") return undefined
  return combined(from, of, other)
}

/** `of` and the `operand` as a `wholeFrom` combines them: their difference or their sum, at least 0 with `atLeastZero`. */
export const combined = (from: WholeFrom, of: number, other: number): number => {
  const v = "plus" in from ? of + other : of - other
  return from.atLeastZero ? Math.max(0, v) : v
}

/**
 * Whether people read a column in whole numbers (CSV, workbook: `Whole`): the counted ones, and money in
 * yuan (a county's recurrent cost of 297,767,795.449461 yuan is read as 297,767,795). JSON and Parquet keep
 * the exact figures.
 */
export const shownWhole = (c: Column): boolean => counted(c) || (c.type === "number" && c.unit === units.yuan)

/** The columns of a table, in the order its rows write them. */
export const of = (table: Table): ReadonlyArray<Column> => all.filter((c) => c.tables.includes(table))

/** The keys of a table's rows, in order. */
export const ids = (table: Table): ReadonlyArray<string> => of(table).map((c) => c.id)

/** A table's column by key. */
export const get = (table: Table, id: string): Column | undefined => of(table).find((c) => c.id === id)

/** The numeric columns of a table a standards rule may measure or compare with (not the year). */
export const numeric = (table: Table): ReadonlyArray<string> =>
  of(table)
    .filter((c) => c.type === "number" && c.id !== "year" && c.id !== "age")
    .map((c) => c.id)

/** A column's heading in a printed table or the report: its short label in the language, else its label. */
export const label = (column: Column, lang: "zh" | "en"): string => column.short?.[lang] ?? column[lang]

/** A table's CSV header: its keys, with a record flattened to `{csvPrefix}_{key}`. */
export const csvHeader = (table: Table): ReadonlyArray<string> =>
  of(table).flatMap((c) => (c.type === "record" ? (c.keys ?? []).map((k) => `${c.csvPrefix ?? c.id}_${k}`) : [c.id]))

// --------------------------------------------------------------------------------------- documentation

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ")

/** The documented table of columns (`docs/columns.md`), generated from the registry. */
export const markdown = (): string => {
  const lines: Array<string> = [
    "<!-- Generated from packages/sim/src/Columns.ts by `pnpm docs:columns`: do not edit by hand. -->",
    "",
    "# Output columns",
    "",
    "Every column of the `schools`, `county`, `catchments` and `population` tables and the seat-demand account (`seat_demand`, `accounts-demand.csv`): its CSV and JSON key,",
    "unit, labels, meaning, formula, and how a school's figure aggregates to a catchment and to the county",
    "(`sum`, `max`, `weighted mean by pupils`, `recomputed` from the aggregated figures, `key`: carried,",
    '`none`: not in that table). "Pupils" marks figures that count pupils or children: projected',
    "figures are fractional. The CSV files and the workbook show whole pupils, children, seats, classes,",
    "teachers, rooms, beds and yuan, rounded by largest remainder within the rows that add up to one total",
    "(a level's schools to the county), so that the parts still add up; JSON and Parquet keep the exact figures.",
    "The `completeness` table (`completeness.csv/json`, written by `seatplan run`) lists, per school, the",
    "facility and teacher figures the scenario leaves out: checks that need them are unknown, not failed.",
    "The `compare`, `accounts`, `ledger` and `standards` tables are the comparison of variants (the workbook's",
    "compare sheet), the six accounts (`accounts.csv`), the ledger by year (`accounts-ledger.csv`) and every",
    "standards check (`standards.csv`); the workbook's headings and units come from here.",
    ""
  ]
  for (const table of tables) {
    lines.push(`## ${table}`, "")
    lines.push("| key | unit | 中文 | English | meaning | formula | catchment | county | pupils |")
    lines.push("|---|---|---|---|---|---|---|---|---|")
    for (const c of of(table)) {
      const k = c.type === "record" ? `${c.id} (CSV: ${(c.keys ?? []).map((x) => `${c.csvPrefix ?? c.id}_${x}`).join(", ")})` : c.id
      lines.push(
        `| ${cell(k)} | ${cell(`${c.unit.en} (${c.unit.zh})`)} | ${cell(c.zh)} | ${cell(c.en)} | ${cell(c.meaning)} | ${cell(c.formula)} | ${c.catchment} | ${c.county} | ${c.wholePupils ? "yes" : ""} |`
      )
    }
    lines.push("")
  }
  return lines.join("\n")
}
