/**
 * Standards as data (达标规则): each rule compares one column of the `schools` or `county` table with a
 * threshold, in a direction, for the levels it names, and cites its source. The national set ships here;
 * a scenario overrides any rule's threshold, direction or weight by id, or adds rules of its own, without
 * code. `evaluate` checks every rule for every school level (or county level) and year, with the margin;
 * `compliance` finds the first year a variant meets every counted rule everywhere.
 *
 * Thresholds are a number, a standard in force (`{ standard: "classCap.{level}" }`: the value that year,
 * after any `StandardChanged` event or scenario override; `{level}` is replaced by the row's level) or
 * another column of the same row (`{ column: "teachers_needed" }`).
 */
import * as Numbers from "@seatplan/core/Numbers"
import * as School from "@seatplan/core/School"
import * as Sources from "@seatplan/core/Sources"
import * as Standards from "@seatplan/core/Standards"
import { Either, Schema } from "effect"
import * as Columns from "./Columns.js"
import * as Completeness from "./Completeness.js"
import { levelNames, numbering, shared } from "./Dimensions.js"
import type * as Groups from "./Groups.js"
import type * as Tables from "./Tables.js"

export const Direction = Schema.Literal("at-most", "below", "at-least", "above").annotations({
  description: "at-most: value ≤ threshold; below: value < threshold; at-least: value ≥ threshold; above: value > threshold"
})
export type Direction = typeof Direction.Type

export const Scope = Schema.Literal("school", "county", "group").annotations({
  description:
    "school: checked on every school level's row; county: on the county's row per level; group: on each school group's row per level (the groups table)"
})
export type Scope = typeof Scope.Type

const LevelName = School.Level
type LevelName = School.Level

export const Threshold = Schema.Union(
  Numbers.bounded(-1e13, 1e13, "a threshold"),
  Schema.Struct({ standard: Schema.String }).annotations({
    description: "a standard in force, e.g. classCap.{level} ({level} is the row's level)"
  }),
  Schema.Struct({ column: Schema.String }).annotations({ description: "another column of the same row" })
)
export type Threshold = typeof Threshold.Type

export const Rule = Schema.Struct({
  id: Schema.String.pipe(Schema.minLength(1)),
  zh: Schema.String,
  en: Schema.String,
  levels: Schema.Array(LevelName).pipe(Schema.minItems(1)),
  scope: Scope,
  /** The column of the schools (scope school) or county (scope county) table the rule measures. */
  column: Schema.String,
  unit: Schema.String,
  threshold: Threshold,
  direction: Direction,
  /** Whether the rule is part of full compliance (全部达标); indicator-only rules are reported, not counted. */
  counts: Schema.Boolean,
  source: Schema.String,
  note: Schema.optional(Schema.String)
})
export type Rule = typeof Rule.Type

/** A scenario's change to a rule (by id), or a new rule (every field of `Rule` but `counts` and `note` then required). */
export const RulePatch = Schema.Struct({
  id: Schema.String.pipe(Schema.minLength(1)),
  zh: Schema.optional(Schema.String),
  en: Schema.optional(Schema.String),
  levels: Schema.optional(Schema.Array(LevelName).pipe(Schema.minItems(1))),
  scope: Schema.optional(Scope),
  column: Schema.optional(Schema.String),
  unit: Schema.optional(Schema.String),
  threshold: Schema.optional(Threshold),
  direction: Schema.optional(Direction),
  counts: Schema.optional(Schema.Boolean),
  source: Schema.optional(Schema.String),
  note: Schema.optional(Schema.String)
}).annotations({
  description:
    "override a rule of the national set by id (any field), or add a rule (id, zh, en, levels, scope, column, unit, threshold, direction, source)"
})
export type RulePatch = typeof RulePatch.Type

const compulsory: ReadonlyArray<LevelName> = ["primary", "junior"]
const schooling: ReadonlyArray<LevelName> = ["primary", "junior", "senior"]
const all: ReadonlyArray<LevelName> = levelNames

/** The rule on one of the seven 优质均衡 indicators: its labels, unit and standard come from the column registry. */
const quality = (column: Columns.IndicatorColumn): Rule => ({
  id: `quality.${column.standard}`,
  zh: column.zh,
  en: column.en,
  levels: compulsory,
  scope: "school",
  column: column.id,
  unit: column.unit.en,
  threshold: { standard: `quality.${column.standard}.{level}` },
  direction: "at-least",
  counts: false,
  source: Sources.cite(
    { document: "wenling-2020", clause: "§五(一)2-3; 附件2" },
    { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
  ),
  note: "one of the seven indicators: the school rule quality.sixOfSeven and quality.floor decide"
})

/** The national set: each rule cites the policy documents it comes from (`Sources`, listed in docs/standards.md). */
export const national: ReadonlyArray<Rule> = [
  {
    id: "classCap",
    zh: "班额不超过标准班额",
    en: "every class within the standard cap",
    levels: all,
    scope: "school",
    column: "max_class_size",
    unit: "pupils per class",
    threshold: { standard: "classCap.{level}" },
    direction: "at-most",
    counts: true,
    source: Sources.cite(
      { document: "wenling-2020", clause: "§五(一)3(3); 附件2 item 5", note: "小学45人, 初中50人" },
      { document: "kindergarten-rules-2016", clause: "art. 11", note: "混合班30人" },
      { document: "leshan-2021", clause: "§二(三)3", note: "高中消除大班额; 50 as for junior" }
    )
  },
  {
    id: "superLargeClass.school",
    zh: "消除超大班额",
    en: "no super-large class (66+) in the school",
    levels: all,
    scope: "school",
    column: "super_large_classes",
    unit: "classes",
    threshold: 0,
    direction: "at-most",
    counts: true,
    source: Sources.cite(
      { document: "state-council-2016", note: "超大班额: 66人及以上" },
      { document: "henan-2021", clause: "漯河 §四", note: "已经全面消除超大班额" }
    )
  },
  {
    id: "largeClassShare",
    zh: "大班额比例低于5%",
    en: "county share of large and super-large classes under the limit",
    levels: schooling,
    scope: "county",
    column: "large_class_share",
    unit: "share of classes",
    threshold: { standard: "largeClassShare.max" },
    direction: "below",
    counts: true,
    source: Sources.cite({ document: "henan-2021", clause: "许昌 §三", note: "大班额比例低于省定5%的标准" })
  },
  {
    id: "seniorLargeClass.county",
    zh: "普通高中消除大班额",
    en: "no large or super-large class in senior high schools",
    levels: ["senior"],
    scope: "county",
    column: "large_class_share",
    unit: "share of classes",
    threshold: 0,
    direction: "at-most",
    counts: true,
    source: Sources.cite({ document: "leshan-2021", clause: "§二(三)3", note: "到2021年底全面消除普通高中大班额" })
  },
  {
    id: "schoolSize",
    zh: "校额不超过上限",
    en: "school size within its cap (2,000; 2,500 for nine- and twelve-year schools; 5,000 senior)",
    levels: schooling,
    scope: "school",
    column: "size_pupils",
    unit: "pupils",
    threshold: { column: "size_cap" },
    direction: "at-most",
    counts: true,
    source: Sources.cite(
      { document: "wenling-2020", clause: "§五(一)3(3); 附件2 item 4", note: "小学、初中≤2000人, 九年/十二年一贯制≤2500人" },
      { document: "leshan-2021", clause: "§二(三)3", note: "消除5000人以上普通高中" }
    )
  },
  {
    id: "staffing",
    zh: "教职工编制足额",
    en: "teachers assigned at least the staffing standard",
    levels: all,
    scope: "school",
    column: "teachers_available",
    unit: "teachers",
    threshold: { column: "teachers_needed" },
    direction: "at-least",
    counts: true,
    source: Sources.cite(
      { document: "staffing-2014", note: "19 / 13.5 / 12.5 pupils per post" },
      { document: "kindergarten-staffing-2013" },
      { document: "leshan-2021", clause: "§二(五)2", note: "根据学生总量动态核定教职工编制" }
    )
  },
  ...Columns.indicators.map(quality),
  {
    id: "quality.sixOfSeven",
    zh: "七项资源配置指标至少六项达标",
    en: "at least 6 of the 7 resource indicators meet the standard (优质均衡 school rule)",
    levels: compulsory,
    scope: "school",
    column: "quality_indicators_met",
    unit: "indicators",
    threshold: Columns.qualityIndicatorsToMeet,
    direction: "at-least",
    counts: true,
    source: Sources.cite({ document: "moe-2017-balance", clause: "资源配置 (resource allocation)", note: "每所学校至少6项指标达到要求" })
  },
  {
    id: "quality.floor",
    zh: "未达标指标不低于标准的85%",
    en: "the indicators missed still reach 85 % of the standard (优质均衡 school rule)",
    levels: compulsory,
    scope: "school",
    column: "quality_min_share",
    unit: "share of the standard",
    threshold: { standard: "quality.floorShare" },
    direction: "at-least",
    counts: true,
    source: Sources.cite({ document: "moe-2017-balance", clause: "资源配置 (resource allocation)", note: "余项不能低于要求的85%" })
  },
  {
    id: "differenceCoefficient",
    zh: "校际差异系数(优质均衡): 小学≤0.50, 初中≤0.45",
    en: "inter-school difference coefficients within the high-quality balance limit",
    levels: compulsory,
    scope: "county",
    column: "max_difference_coefficient",
    unit: "coefficient of variation",
    threshold: { standard: "differenceCoefficient.{level}" },
    direction: "at-most",
    counts: true,
    source: Sources.cite(
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" },
      { document: "wenling-2020", clause: "§二" }
    )
  },
  {
    id: "differenceCoefficient.basic",
    zh: "校际差异系数(基本均衡): 小学≤0.65, 初中≤0.55",
    en: "inter-school difference coefficients within the older basic balance limit",
    levels: compulsory,
    scope: "county",
    column: "max_difference_coefficient",
    unit: "coefficient of variation",
    threshold: { standard: "differenceCoefficient.basic.{level}" },
    direction: "at-most",
    counts: false,
    source: Sources.cite({ document: "moe-2012-balance" }),
    note: "the older level, superseded by differenceCoefficient; shown for counties still reporting against it"
  },
  {
    id: "rooms.musicAndArt",
    zh: "每12个班配备音乐、美术专用教室各1间",
    en: "a music room and an art room per 12 classes",
    levels: compulsory,
    scope: "school",
    column: "music_art_rooms_short",
    unit: "rooms short",
    threshold: 0,
    direction: "at-most",
    counts: true,
    source: Sources.cite({ document: "wenling-2020", clause: "§五(一)3(2); 附件2 item 3" })
  },
  {
    id: "books",
    zh: "生均图书达到标准(小学25册, 初中35册)",
    en: "library books per pupil at least the standard (primary 25, junior 35 volumes)",
    levels: compulsory,
    scope: "school",
    column: "books_per_pupil",
    unit: "volumes per pupil",
    threshold: { standard: "books.perPupil.{level}" },
    direction: "at-least",
    counts: true,
    source: Sources.cite({ document: "moe-2018-library", clause: "附件 藏书量" }, { document: "moe-2012-balance", note: "生均图书册数" }),
    note: "a school whose books are not recorded has this check unknown (missing data is not a failure), never failed"
  },
  {
    id: "mentalHealth",
    zh: "心理健康教师配备",
    en: "mental-health teachers: 1 per 1,000 pupils in urban schools of 1,000+ and rural schools of 1,200+",
    levels: schooling,
    scope: "school",
    column: "mental_health_teachers_short",
    unit: "teachers short",
    threshold: 0,
    direction: "at-most",
    counts: true,
    source: Sources.cite({ document: "leshan-2021", clause: "§二(二)4" })
  },
  {
    id: "rotation.share",
    zh: "每年交流轮岗教师不低于10%",
    en: "at least 10 % of teachers rotate (交流轮岗) each year",
    levels: compulsory,
    scope: "county",
    column: "rotation_share",
    unit: "share of teachers",
    threshold: { standard: "rotation.share" },
    direction: "at-least",
    counts: true,
    source: Sources.cite({ document: "wenling-2020", clause: "§五(一)2(2)", note: "不低于符合交流条件教师总数的10%" }),
    note: "measured over the primary and junior teachers eligible (aged 30-54: the seeds do not state the years-at-one-school threshold, and seatplan does not record years at a school, so age stands in, as for the groups); counted by default: groups rotate inside themselves and a school alone at its level in its township exchanges teachers county-wide (ExchangeTeachers, 县域内交流), so a plan can reach it; a plan that rotates no one fails it"
  },
  {
    id: "rotation.backbone",
    zh: "骨干教师不低于交流轮岗教师的20%",
    en: "backbone teachers at least 20 % of those rotating",
    levels: compulsory,
    scope: "county",
    column: "backbone_rotation_share",
    unit: "share of rotated teachers",
    threshold: { standard: "rotation.backboneShare" },
    direction: "at-least",
    counts: true,
    source: Sources.cite({ document: "wenling-2020", clause: "§五(一)2(2)", note: "骨干教师不低于交流轮岗教师总数的20%" }),
    note: "0 in years without rotation (so a plan that rotates no one fails it); counted by default"
  },
  {
    id: "rotation.group",
    zh: "集团内每年交流轮岗教师不低于符合条件教师的10%",
    en: "in each school group, at least 10 % of the teachers eligible rotate (交流轮岗) each year",
    levels: compulsory,
    scope: "group",
    column: "group_rotation_share",
    unit: "share of eligible teachers",
    threshold: { standard: "rotation.share" },
    direction: "at-least",
    counts: true,
    source: Sources.cite(
      { document: "wenling-2020", clause: "§五(一)2(2)", note: "不低于符合交流条件教师总数的10%" },
      { document: "changchun-2020", note: "集团化发展; 城区优质学校教师到乡村学校、薄弱学校交流任教" }
    ),
    note: "counted by default: a group's rows exist only where the plan forms groups, and its eligible teachers (aged 30-54, a proxy for years at one school) are in the groups table"
  },
  {
    id: "rotation.backbone.group",
    zh: "集团交流轮岗教师中骨干教师不低于20%",
    en: "in each school group, backbone teachers at least 20 % of those rotating",
    levels: compulsory,
    scope: "group",
    column: "group_backbone_rotation_share",
    unit: "share of rotated teachers",
    threshold: { standard: "rotation.backboneShare" },
    direction: "at-least",
    counts: true,
    source: Sources.cite({ document: "wenling-2020", clause: "§五(一)2(2)", note: "骨干教师不低于交流轮岗教师总数的20%" }),
    note: "counted by default, on the rows of the groups a plan forms"
  },
  {
    id: "everyChildPlaced",
    zh: "适龄儿童均有学位",
    en: "every compulsory-age child who enrols has a seat in a school (none unplaced)",
    levels: compulsory,
    scope: "county",
    column: "unplaced",
    unit: "pupils",
    threshold: 0.5,
    direction: "below",
    counts: true,
    source: Sources.cite(
      { document: "compulsory-education-law", clause: "art. 12", note: "免试就近入学" },
      { document: "wenling-2020", clause: "§五(二)2", note: "划片招生、就近免试入学" }
    ),
    note: "below half a pupil: projected figures are fractional"
  },
  {
    id: "boardingBeds",
    zh: "寄宿生均有床位",
    en: "a boarding bed for every pupil living beyond the boarding distance (no boarder without a bed)",
    levels: schooling,
    scope: "school",
    column: "boarding_bed_gap",
    unit: "beds short",
    threshold: 0.5,
    direction: "below",
    counts: true,
    source: Sources.cite(
      { document: "leshan-2021", clause: "§二(一)1", note: "资源向寄宿制学校集中" },
      { document: "state-council-2018-rural-schools", note: "在住宿、生活、交通、安全等有保障的前提下可适当寄宿" }
    ),
    note: "below half a pupil: projected figures are fractional; counted, so boarders without beds after a consolidation reach the headline"
  },
  {
    id: "distance",
    zh: "走读学生上学距离不超过标准(幼儿园服务半径)",
    en: "no day pupil lives beyond the level's distance standard (kindergarten: the service radius; kindergarten children never board)",
    levels: all,
    scope: "school",
    column: "beyond_distance",
    unit: "pupils",
    threshold: 0.5,
    direction: "below",
    counts: true,
    source: Sources.cite(
      { document: "state-council-2018-rural-schools", note: "小学1—3年级不寄宿, 就近走读, 路途时间一般不超过半小时" },
      { document: "leshan-2021", clause: "§二(一)1", note: "幼儿园就近就便" }
    ),
    note: "the distances are the standards distance.{level} (local policy: no national figure in km; set your county's own under standards:); below half a pupil: projected figures are fractional"
  },
  {
    id: "fundingFloor",
    zh: "不足100人学校按100人核定公用经费",
    en: "schools under 100 pupils are funded as if they had 100",
    levels: all,
    scope: "school",
    column: "school_pupils",
    unit: "pupils",
    threshold: { standard: "smallSchool.fundingFloor" },
    direction: "at-least",
    counts: false,
    source: Sources.cite({
      document: "wenling-2020",
      clause: "§五(一)3(1); 附件2 item 6",
      note: "不足100名学生的校区按100名学生核定公用经费"
    }),
    note: "a funding rule, applied in recurrent costs: the rows below it are the schools funded at the floor"
  }
]

/** Numeric columns a school-scope rule may measure or compare with (from the registry, `Columns.numeric`). */
export const schoolColumns: ReadonlyArray<string> = Columns.numeric("schools")

/** Numeric columns a county-scope rule may measure or compare with (from the registry, `Columns.numeric`). */
export const countyColumns: ReadonlyArray<string> = Columns.numeric("county")

/** Numeric columns a group-scope rule may measure or compare with (the groups table). */
export const groupColumns: ReadonlyArray<string> = Columns.numeric("groups")

/** A problem with a rule set: the index of the patch and field, and what is wrong. */
export interface Problem {
  readonly index: number
  readonly field: string
  readonly message: string
}

const required = ["zh", "en", "levels", "scope", "column", "unit", "threshold", "direction", "source"] as const

/**
 * Applies a scenario's patches to a rule set: a patch with a known id changes the fields it gives, one with a
 * new id adds a rule (and must give every field). Every column and standard a rule names is checked; a
 * patch with a problem is reported and not applied.
 */
export const apply = (
  base: ReadonlyArray<Rule>,
  patches: ReadonlyArray<RulePatch>
): Either.Either<ReadonlyArray<Rule>, ReadonlyArray<Problem>> => {
  const rules = [...base]
  const problems: Array<Problem> = []
  patches.forEach((patch, index) => {
    const at = rules.findIndex((r) => r.id === patch.id)
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
    if (at < 0) {
      const missing = required.filter((k) => patch[k] === undefined)
      if (missing.length > 0) {
        problems.push({
          index,
          field: missing[0],
          message: `expected ${missing.join(", ")} for a new rule ${JSON.stringify(patch.id)} (no rule of the national set has this id), found none`
        })
        return
      }
    }
    const rule = (at < 0 ? { counts: true, ...defined } : { ...rules[at], ...defined }) as Rule
    const wrong = check(rule)
    if (wrong.length > 0) problems.push(...wrong.map((p) => ({ ...p, index })))
    else if (at < 0) rules.push(rule)
    else rules[at] = rule
  })
  return problems.length > 0 ? Either.left(problems) : Either.right(rules)
}

/** What is wrong with a rule: a column its scope's table does not have, or a standard that does not exist. */
export const check = (rule: Rule): ReadonlyArray<Omit<Problem, "index">> => {
  const columns = rule.scope === "school" ? schoolColumns : rule.scope === "group" ? groupColumns : countyColumns
  const problems: Array<Omit<Problem, "index">> = []
  if (!columns.includes(rule.column)) {
    // the table has dozens of columns and a message line is cut at 300 characters: name the closest ones
    const near = columns.filter((c) => c.includes(rule.column) || rule.column.includes(c)).slice(0, 3)
    problems.push({
      field: "column",
      message: `expected a column of the ${rule.scope} table (one of ${columns.length}, listed in docs/columns.md${near.length > 0 ? `; did you mean ${near.join(" or ")}?` : ""}), found ${JSON.stringify(rule.column)}`
    })
  }
  const t = rule.threshold
  if (typeof t === "object" && "column" in t && !columns.includes(t.column)) {
    problems.push({ field: "threshold.column", message: `expected a column of the ${rule.scope} table, found ${JSON.stringify(t.column)}` })
  }
  if (typeof t === "object" && "standard" in t) {
    for (const level of rule.levels) {
      const key = t.standard.replace("{level}", level)
      if (!(Standards.keys as ReadonlyArray<string>).includes(key)) {
        problems.push({
          field: "threshold.standard",
          message: `expected a standard (${t.standard.includes("{level}") ? `for level ${level}, ` : ""}see \`seatplan standards\`), found ${JSON.stringify(key)}`
        })
        break
      }
    }
  }
  return problems
}

/** One rule checked on one row: a school level's (school_id set) or the county's for a level. */
export interface Check {
  readonly variant: string
  readonly year: number
  readonly rule: string
  readonly scope: Scope
  readonly level: string
  readonly school_id: string
  readonly value: number
  readonly threshold: number
  /** How far inside the threshold the value is, in the rule's unit: negative when it fails. */
  readonly margin: number
  /** Passed (`status` pass); false when it failed or is unknown. */
  readonly pass: boolean
  /**
   * pass, fail, or unknown: the row's school lacks data the column reads (`Completeness`) and the check could
   * go either way. An unknown check is never counted as a pass or a fail.
   */
  readonly status: Status
  /** The figures the school (or, for a county check, a school of the level) lacks that the check needs ("; "-joined). */
  readonly missing: string
  readonly counts: boolean
}

/** A check's outcome: unknown when the data it needs are missing. */
export type Status = "pass" | "fail" | "unknown"

const epsilon = 1e-9

/** The margin of a value against a threshold in a direction (positive: inside; negative: outside). */
export const margin = (direction: Direction, value: number, threshold: number): number =>
  direction === "at-most" || direction === "below" ? threshold - value : value - threshold

/** Whether a value meets a threshold in a direction (with a tolerance of 1e-9 for the inclusive ones). */
export const passes = (direction: Direction, value: number, threshold: number): boolean => {
  switch (direction) {
    case "at-most":
      return value <= threshold + epsilon
    case "below":
      return value < threshold
    case "at-least":
      return value >= threshold - epsilon
    case "above":
      return value > threshold
  }
}

/** The threshold of a rule for a row, given the standards in force that year. */
export const thresholdOf = (rule: Rule, row: Readonly<Record<string, unknown>>, level: string, standards: Standards.Standards): number => {
  const t = rule.threshold
  if (typeof t === "number") return t
  if ("column" in t) return Number(row[t.column])
  return standards[t.standard.replace("{level}", level) as Standards.StandardKey]
}

/**
 * Every rule on every row it applies to: school rules on school levels that are open with pupils, county
 * rules on the county's rows of levels with children; `standardsIn(year)` gives the standards in force.
 * `missing` (what each school's data lacks, `Completeness`) makes a check that needs a missing figure
 * `unknown` unless it passes whatever the figure is (see `Completeness`). The checks as objects: `table`
 * gives the same checks kept as columns.
 */
export const evaluate = (
  rules: ReadonlyArray<Rule>,
  schools: SchoolRows,
  county: ReadonlyArray<Tables.CountyRow>,
  standardsIn: (year: number) => Standards.Standards,
  missing: Completeness.Missing = new Map(),
  groups: ReadonlyArray<Groups.GroupRow> = []
): ReadonlyArray<Check> => [...table(rules, schools, county, standardsIn, missing, groups)]

/**
 * A run's checks kept as columns (issue 18: a province has 8.5 M, about 170 bytes each as objects and 33
 * here): iterating gives each as the `Check` object `evaluate` gives, in the same order.
 */
export interface Checks extends Iterable<Check> {
  /** How many checks iterating gives. */
  readonly length: number
  /** The checks of the school year `year` and later, in the same order. */
  readonly from: (year: number) => Checks
  /** The checks that satisfy `keep`, as objects, in order. */
  readonly filter: (keep: (check: Check) => boolean) => Array<Check>
  /** Whether some check satisfies `test`. */
  readonly some: (test: (check: Check) => boolean) => boolean
  /**
   * The columns the checks are kept in, for a writer that makes each check's text without making the check
   * (a province's 8.5 M): iterating gives, for each index `i` of `columns.year` whose year is `since` or later,
   * in order, the check these columns hold at `i`.
   */
  readonly columns: CheckColumns
  /** The first school year iterating gives (`from`): checks of earlier years in `columns` are skipped. */
  readonly since: number
}

/** A check's status by its code in `CheckColumns.status`. */
export const statuses: ReadonlyArray<Status> = ["pass", "fail", "unknown"]
const statusNames = statuses

/**
 * Columns of `capacity` checks (the count is known before they are made: growing and trimming arrays of a
 * province's 8.5 M checks was 3 s of fresh memory and copies): the text columns as indexes into lists of
 * their distinct values (`intern`).
 */
const builder = (capacity: number, strings = numbering<string>()) => {
  let size = 0
  // shared with worker threads: `seatplan run` writes standards.csv on another thread (a province's 8.5 M checks, 350 MB)
  const year = shared(Int32Array, capacity)
  const rule = shared(Int32Array, capacity)
  const text = shared(Int32Array, capacity * 4) // variant, level, school, missing
  const numbers = shared(Float64Array, capacity * 2) // value, threshold
  const status = shared(Uint8Array, capacity)
  const intern = strings.of
  return {
    intern,
    /** A check whose variant, level and school are `intern`ed already. */
    push: (
      r: number,
      variant: number,
      y: number,
      level: number,
      school: number,
      value: number,
      threshold: number,
      st: number,
      lacks: string
    ) => {
      year[size] = y
      rule[size] = r
      text[size * 4] = variant
      text[size * 4 + 1] = level
      text[size * 4 + 2] = school
      text[size * 4 + 3] = intern(lacks)
      numbers[size * 2] = value
      numbers[size * 2 + 1] = threshold
      status[size] = st
      size++
    },
    done: (rules: ReadonlyArray<Rule>): Checks => {
      // `size` is `capacity`: both come from `table`'s one row condition per scope
      return checksOf({ rules, strings: strings.values, year, rule, text, numbers, status }, 0, size)
    }
  }
}

/**
 * Checks as columns (`Checks.columns`), one entry a check (two or four where said): the check at `i` is
 * variant `strings[text[4i]]`, year `year[i]`, rule `rules[rule[i]]` (its id, scope and counts), level
 * `strings[text[4i + 1]]`, school id `strings[text[4i + 2]]`, value `numbers[2i]`, threshold
 * `numbers[2i + 1]`, margin `margin(rule.direction, value, threshold)`, status `statuses[status[i]]` and
 * missing `strings[text[4i + 3]]`.
 */
export interface CheckColumns {
  readonly rules: ReadonlyArray<Rule>
  /** The distinct texts `text` points into. */
  readonly strings: ReadonlyArray<string>
  readonly year: Int32Array
  readonly rule: Int32Array
  /** Four a check: variant, level, school id, missing. */
  readonly text: Int32Array
  /** Two a check: value, threshold. */
  readonly numbers: Float64Array
  readonly status: Uint8Array
}

/** The checks `c` keeps whose year is `from` or later, among the `size` kept. */
const checksOf = (c: CheckColumns, from: number, size: number): Checks => {
  let length = 0
  for (let i = 0; i < size; i++) if (c.year[i] >= from) length++
  const checks: Checks = {
    length,
    columns: c,
    since: from,
    from: (year) => checksOf(c, Math.max(from, year), size),
    filter: (keep) => {
      const kept: Array<Check> = []
      for (const check of checks) if (keep(check)) kept.push(check)
      return kept
    },
    some: (test) => {
      for (const check of checks) if (test(check)) return true
      return false
    },
    *[Symbol.iterator]() {
      for (let i = 0; i < size; i++) {
        if (c.year[i] < from) continue
        const rule = c.rules[c.rule[i]]
        const value = c.numbers[i * 2]
        const threshold = c.numbers[i * 2 + 1]
        const status = statusNames[c.status[i]]
        yield {
          variant: c.strings[c.text[i * 4]],
          year: c.year[i],
          rule: rule.id,
          scope: rule.scope,
          level: c.strings[c.text[i * 4 + 1]],
          school_id: c.strings[c.text[i * 4 + 2]],
          value,
          threshold,
          margin: margin(rule.direction, value, threshold),
          pass: status === "pass",
          status,
          missing: c.strings[c.text[i * 4 + 3]],
          counts: rule.counts
        }
      }
    }
  }
  return checks
}

/**
 * A scope's rows for `table`: how many, each row's level, and whether it has pupils (`has`), read once into
 * arrays: each rule asked every row again, and a province's 600,000 school rows are scattered objects.
 */
const scopeOf = <R extends { readonly level: string }>(rows: ReadonlyArray<R>, hasPupils: (row: R) => boolean) => {
  const levels = numbering<string>()
  const levelAt = new Int32Array(rows.length)
  const hasAt = new Uint8Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    levelAt[i] = levels.of(rows[i].level)
    hasAt[i] = hasPupils(rows[i]) ? 1 : 0
  }
  return {
    rows: rows.length,
    level: (i: number) => levels.values[levelAt[i]],
    has: (i: number) => hasAt[i] === 1,
    /** Whether a rule at `wanted` levels checks row `i` (it has pupils, at one of them). */
    checks: (wanted: ReadonlySet<string>): ((i: number) => boolean) => {
      const at = Uint8Array.from(levels.values, (level) => (wanted.has(level) ? 1 : 0))
      return (i) => hasAt[i] === 1 && at[levelAt[i]] === 1
    }
  }
}

/** School rows as `table` reads them: an array, or a run's `Tables.SchoolTable` (read once, a year at a time). */
export type SchoolRows = Iterable<Tables.SchoolRow> & { readonly length: number }

/**
 * The school rows' figures `table` reads, read once into columns (issue 18: a province's 780,000 rows are not
 * kept as objects, and each rule asking each row object for its figure was most of the checks' time): per row
 * its year, level (numbered), whether it has pupils, its variant, level and school id (`intern`ed), and the
 * `figures` named; and what the county's rows lack (`countyMissing`), from the schools counted in them.
 */
const schoolScope = (
  rows: SchoolRows,
  figures: ReadonlyArray<string>,
  intern: (s: string) => number,
  missing: Completeness.Missing,
  countyMissing: Map<string, Set<Completeness.Field>>
) => {
  const n = rows.length
  const levels = numbering<string>()
  const levelAt = new Int32Array(n)
  const hasAt = new Uint8Array(n)
  const year = new Int32Array(n)
  const text = new Int32Array(n * 3)
  const values = figures.map(() => new Float64Array(n))
  const lacking: Array<ReadonlySet<Completeness.Field> | undefined> = []
  const lacksAt = new Int32Array(n).fill(-1)
  const lacksOf = new Map<string, number>()
  let i = 0
  for (const row of rows) {
    const r = row as unknown as Readonly<Record<string, unknown>>
    const has = row.open && row.pupils > 0
    levelAt[i] = levels.of(row.level)
    hasAt[i] = has ? 1 : 0
    year[i] = row.year
    text[i * 3] = intern(row.variant)
    text[i * 3 + 1] = intern(row.level)
    text[i * 3 + 2] = intern(row.school_id)
    for (let c = 0; c < figures.length; c++) values[c][i] = Number(r[figures[c]])
    const lacks = missing.size === 0 ? undefined : missing.get(row.school_id)
    if (lacks !== undefined && lacks.size > 0) {
      let k = lacksOf.get(row.school_id)
      if (k === undefined) {
        k = lacking.push(lacks) - 1
        lacksOf.set(row.school_id, k)
      }
      lacksAt[i] = k
      if (has) {
        const key = `${row.variant}|${row.year}|${row.level}`
        const set = countyMissing.get(key) ?? new Set<Completeness.Field>()
        for (const f of lacks) set.add(f)
        countyMissing.set(key, set)
      }
    }
    i++
  }
  return {
    rows: n,
    year,
    text,
    /** Each row's level, numbered (`level` names it). */
    levelAt,
    level: (i: number) => levels.values[levelAt[i]],
    has: (i: number) => hasAt[i] === 1,
    checks: (wanted: ReadonlySet<string>): ((i: number) => boolean) => {
      const at = Uint8Array.from(levels.values, (level) => (wanted.has(level) ? 1 : 0))
      return (i) => hasAt[i] === 1 && at[levelAt[i]] === 1
    },
    /** Per figure of `figures`, each row's. */
    values,
    lacks: (i: number) => (lacksAt[i] < 0 ? undefined : lacking[lacksAt[i]])
  }
}

/** `evaluate`'s checks kept as columns (`Checks`): what a run keeps of them. */
export const table = (
  rules: ReadonlyArray<Rule>,
  schools: SchoolRows,
  county: ReadonlyArray<Tables.CountyRow>,
  standardsIn: (year: number) => Standards.Standards,
  missing: Completeness.Missing = new Map(),
  groups: ReadonlyArray<Groups.GroupRow> = []
): Checks => {
  // which rows each rule checks (a row of a scope that has pupils, at one of the rule's levels): counted
  // first from the same conditions, so that the columns are made at their size
  const strings = numbering<string>()
  // per variant, year and level: the figures some school counted in the county's row lacks
  const countyMissing = new Map<string, Set<Completeness.Field>>()
  // the school rows' figures the school rules read (their column, and their threshold's column)
  const figures = [
    ...new Set(
      rules
        .filter((rule) => rule.scope === "school")
        .flatMap((rule) => [
          rule.column,
          ...(typeof rule.threshold === "object" && "column" in rule.threshold ? [rule.threshold.column] : [])
        ])
    )
  ]
  const school = schoolScope(schools, figures, strings.of, missing, countyMissing)
  const scopes = {
    school,
    group: scopeOf(groups, (row) => row.group_pupils > 0),
    county: scopeOf(county, (row) => row.children > 0)
  }
  const levelsOf = rules.map((rule) => new Set<string>(rule.levels))
  const checked = (rule: Rule, levels: ReadonlySet<string>): ((i: number) => boolean) => scopes[rule.scope].checks(levels)
  const rowsByLevel = {
    school: new Map<string, number>(),
    group: new Map<string, number>(),
    county: new Map<string, number>()
  }
  for (const scope of ["school", "group", "county"] as const) {
    const { rows, level, has } = scopes[scope]
    for (let i = 0; i < rows; i++) if (has(i)) rowsByLevel[scope].set(level(i), (rowsByLevel[scope].get(level(i)) ?? 0) + 1)
  }
  let count = 0
  rules.forEach((rule, r) => {
    for (const level of levelsOf[r]) count += rowsByLevel[rule.scope].get(level) ?? 0
  })
  const checks = builder(count, strings)
  // each row's text once (a school row is checked by many rules)
  const texts = (rows: ReadonlyArray<{ readonly variant: string; readonly level: string }>, name: (i: number) => string) => {
    const out = new Int32Array(rows.length * 3)
    for (let i = 0; i < rows.length; i++) {
      out[i * 3] = checks.intern(rows[i].variant)
      out[i * 3 + 1] = checks.intern(rows[i].level)
      out[i * 3 + 2] = checks.intern(name(i))
    }
    return out
  }
  const groupTexts = texts(groups, (i) => groups[i].group_id)
  const countyTexts = texts(county, () => "")
  // the standards in force, once a year (each is a record of every standard)
  const inForce = new Map<number, Standards.Standards>()
  const standardsOf = (year: number) => {
    let s = inForce.get(year)
    if (s === undefined) {
      s = standardsIn(year)
      inForce.set(year, s)
    }
    return s
  }
  // a check of rule `r` on row `i` of a scope (its texts in `text`): its value, its threshold, and what the row lacks
  const push = (
    r: number,
    rule: Rule,
    value: number,
    threshold: number,
    year: number,
    text: Int32Array,
    i: number,
    lacks: ReadonlySet<Completeness.Field> | undefined
  ) => {
    const pass = passes(rule.direction, value, threshold)
    const t = rule.threshold
    // most rows lack nothing: no set is made for them (one year of a county is thousands of checks)
    const needs =
      lacks === undefined || lacks.size === 0
        ? []
        : [
            ...new Set([
              ...Completeness.lacking(rule.column, lacks),
              ...(typeof t === "object" && "column" in t ? Completeness.lacking(t.column, lacks) : [])
            ])
          ]
    const thresholdNeeds = typeof t === "object" && "column" in t && Completeness.lacking(t.column, lacks).length > 0
    const unknown = needs.length > 0 && !(pass && !thresholdNeeds && Completeness.passesAnyway(rule.column, rule.direction))
    checks.push(
      r,
      text[i * 3],
      year,
      text[i * 3 + 1],
      text[i * 3 + 2],
      value,
      threshold,
      unknown ? 2 : pass ? 0 : 1,
      unknown ? needs.join("; ") : ""
    )
  }
  rules.forEach((rule, r) => {
    const take = checked(rule, levelsOf[r])
    if (rule.scope === "school") {
      // the rule's figure, and its threshold's (a number, a figure of the row, or a standard of the year's and level's)
      const values = school.values[figures.indexOf(rule.column)]
      const t = rule.threshold
      const others = typeof t === "object" && "column" in t ? school.values[figures.indexOf(t.column)] : undefined
      // a standard's threshold looked up once a year and level
      const standard = new Map<number, number>()
      const none: Readonly<Record<string, unknown>> = {}
      for (let i = 0; i < school.rows; i++) {
        if (!take(i)) continue
        let threshold: number
        if (typeof t === "number") threshold = t
        else if (others !== undefined) threshold = others[i]
        else {
          const key = school.year[i] * 64 + school.levelAt[i]
          const known = standard.get(key)
          threshold = known ?? thresholdOf(rule, none, school.level(i), standardsOf(school.year[i]))
          if (known === undefined) standard.set(key, threshold)
        }
        push(r, rule, values[i], threshold, school.year[i], school.text, i, school.lacks(i))
      }
    } else {
      // a group's or the county's rows, as objects (a few per year and level)
      const rows: ReadonlyArray<{ readonly year: number; readonly level: string }> = rule.scope === "group" ? groups : county
      const text = rule.scope === "group" ? groupTexts : countyTexts
      for (let i = 0; i < rows.length; i++) {
        if (!take(i)) continue
        const row = rows[i]
        const record = row as unknown as Record<string, unknown>
        const lacks = rule.scope === "group" ? undefined : countyMissing.get(`${record.variant}|${row.year}|${row.level}`)
        push(r, rule, Number(record[rule.column]), thresholdOf(rule, record, row.level, standardsOf(row.year)), row.year, text, i, lacks)
      }
    }
  })
  return checks.done(rules)
}

/** A variant's compliance over its years: the headline (全部达标) and each rule's own first year. */
export interface Compliance {
  readonly variant: string
  /** The first year every counted rule passes on every row, or null within the horizon. */
  readonly first_compliant_year: number | null
  /** The first year from which every later year complies too, or null. */
  readonly compliant_from: number | null
  /** Counted checks failing, per year (unknown checks are not failing). */
  readonly failing_by_year: Readonly<Record<string, number>>
  /** Counted checks unknown for want of data (`Completeness`), per year: neither passing nor failing. */
  readonly unknown_by_year: Readonly<Record<string, number>>
  /**
   * Per rule: checks made and failing in the last year; the first year the rule passes everywhere (it may
   * fail again later); the year from which it holds (passes everywhere in that year and every later year
   * of the horizon, null when it fails in the last year); and every year in which it fails somewhere.
   */
  readonly rules: ReadonlyArray<{
    readonly rule: string
    readonly counts: boolean
    readonly checks_last_year: number
    readonly failing_last_year: number
    /** Checks of the last year that are unknown for want of data. */
    readonly unknown_last_year: number
    readonly worst_margin_last_year: number
    readonly first_year_passing: number | null
    readonly holds_from: number | null
    readonly failing_years: ReadonlyArray<number>
  }>
}

/** Summarises a variant's checks over `years`. */
export const compliance = (
  variant: string,
  checks: Iterable<Check>,
  years: ReadonlyArray<number>,
  rules: ReadonlyArray<Rule>
): Compliance => {
  const last = years[years.length - 1]
  const failing: Record<string, number> = Object.fromEntries(years.map((y) => [String(y), 0]))
  const unknown: Record<string, number> = Object.fromEntries(years.map((y) => [String(y), 0]))
  const ruleFailing = new Map<string, Set<number>>()
  const lastYear = new Map<string, { checks: number; failing: number; unknown: number; worst: number }>()
  for (const c of checks) {
    if (c.variant !== variant) continue
    // an unknown check is neither a pass nor a fail: it counts apart
    const isUnknown = c.status === "unknown"
    if (isUnknown && c.counts) unknown[String(c.year)] = (unknown[String(c.year)] ?? 0) + 1
    if (!c.pass && !isUnknown) {
      if (c.counts) failing[String(c.year)] = (failing[String(c.year)] ?? 0) + 1
      const set = ruleFailing.get(c.rule) ?? new Set<number>()
      set.add(c.year)
      ruleFailing.set(c.rule, set)
    }
    if (c.year === last) {
      const s = lastYear.get(c.rule) ?? { checks: 0, failing: 0, unknown: 0, worst: Infinity }
      s.checks++
      if (isUnknown) s.unknown++
      else if (!c.pass) s.failing++
      if (!isUnknown) s.worst = Math.min(s.worst, c.margin)
      lastYear.set(c.rule, s)
    }
  }
  const first = years.find((y) => failing[String(y)] === 0) ?? null
  let from: number | null = null
  for (let i = years.length - 1; i >= 0 && failing[String(years[i])] === 0; i--) from = years[i]
  return {
    variant,
    first_compliant_year: first,
    compliant_from: from,
    failing_by_year: failing,
    unknown_by_year: unknown,
    rules: rules.map((r) => {
      const s = lastYear.get(r.id)
      const fails = ruleFailing.get(r.id)
      let holds: number | null = null
      for (let i = years.length - 1; i >= 0 && !(fails?.has(years[i]) ?? false); i--) holds = years[i]
      return {
        rule: r.id,
        counts: r.counts,
        checks_last_year: s?.checks ?? 0,
        failing_last_year: s?.failing ?? 0,
        unknown_last_year: s?.unknown ?? 0,
        worst_margin_last_year: s === undefined || s.worst === Infinity ? 0 : s.worst,
        first_year_passing: years.find((y) => !(fails?.has(y) ?? false)) ?? null,
        holds_from: holds,
        failing_years: years.filter((y) => fails?.has(y) ?? false)
      }
    })
  }
}
