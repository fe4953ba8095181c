/**
 * The report's first page (issue 14): per variant, in the compared year, the figures a director decides
 * on — seats short, large and super-large classes, teachers short, pupils beyond the boarding distance,
 * boarders without a bed, capital and total cost, the first year of full compliance (全部达标) and the three
 * rules that still fail most — side by side, the best value of each row marked. And the rules' words:
 * every rule by its human name (never its id), and what its margin means (short by, over by) in its unit.
 */
import type { Compare, Project } from "@seatplan/plan"
import { Columns, type Compliance, Whole } from "@seatplan/sim"
import { escapeHtml } from "../internal/Html.js"
import type { Lang } from "./Labels.js"

export interface Figures {
  readonly variant: string
  /** Σ over levels of the county's seat gap (Σ of the schools lacking seats), seats. */
  readonly seatsShort: number
  readonly large: number
  readonly superLarge: number
  /** Σ of the teachers the schools that lack them lack (a surplus elsewhere is not counted against it). */
  readonly teachersShort: number
  /** Σ of the surplus teachers at the other schools. */
  readonly teachersSurplus: number
  /** Pupils living beyond their level's boarding distance (the boarders column). */
  readonly beyondDistance: number
  readonly bedsShort: number
  /** Yuan, from the base year to the compared year. */
  readonly capital: number
  /** Capital and running costs, yuan, from the base year to the compared year. */
  readonly total: number
  readonly firstCompliantYear: number | null
  readonly failing: ReadonlyArray<{ readonly rule: string; readonly checks: number }>
}

/**
 * A variant's figures in `year`, each the sum of the rows schools.csv, county.csv and the seat-demand
 * account print (whole pupils, seats and teachers: `Whole`), so that a director's figure is what the tables
 * beside it add up to (rounding each exact sum on its own, the teachers short read 395 where the schools'
 * printed gaps add up to 396).
 */
export const figures = (r: Project.VariantResult, year: number, demand: ReadonlyArray<Compare.DemandRow> = []): Figures => {
  const inYear = r.schools.inYear(year)
  // whole as the CSV rounds them: within the variant, year and level, over every school row (open or not)
  const schools = Whole.table("schools", inYear, Whole.schoolKey).filter((s) => s.open)
  const county = Whole.table(
    "county",
    r.county.filter((c) => c.year === year),
    Whole.schoolKey,
    Whole.schoolSums(inYear)
  )
  const upTo = Whole.table(
    "county",
    r.county.filter((c) => c.year <= year),
    Whole.schoolKey
  )
  const areas = Whole.table(
    "seat_demand",
    demand.filter((d) => d.variant === r.variant && d.year === year),
    Whole.schoolKey
  )
  const sum = <A>(list: ReadonlyArray<A>, f: (a: A) => number) => list.reduce((n, a) => n + f(a), 0)
  return {
    variant: r.variant,
    // the seats areas lack for the children living there (the seat-demand account), what a plan builds for
    seatsShort: sum(areas, (d) => d.area_seats_short),
    large: sum(county, (c) => c.large_classes),
    superLarge: sum(county, (c) => c.super_large_classes),
    teachersShort: sum(schools, (s) => Math.max(0, s.teacher_gap)),
    teachersSurplus: sum(schools, (s) => Math.max(0, -s.teacher_gap)),
    beyondDistance: sum(county, (c) => c.boarders),
    bedsShort: sum(county, (c) => c.boarding_bed_gap),
    capital: sum(upTo, (c) => c.capital_cost),
    total: sum(upTo, (c) => c.capital_cost + c.recurrent_cost),
    firstCompliantYear: r.compliance.first_compliant_year,
    failing: r.compliance.rules
      .filter((x) => x.counts && x.failing_last_year > 0)
      .sort((a, b) => b.failing_last_year - a.failing_last_year)
      .slice(0, 3)
      .map((x) => ({ rule: x.rule, checks: x.failing_last_year }))
  }
}

/** A rule's human name in `lang` (its id only when the rule set does not know it). */
export const ruleName = (rules: ReadonlyArray<Compliance.Rule>, id: string, lang: Lang): string => {
  const rule = rules.find((r) => r.id === id)
  return rule === undefined ? id : rule[lang]
}

/** The rule's column in the registry (undefined for a column it does not know). */
const columnOf = (rule: Compliance.Rule) => Columns.get(rule.scope === "school" ? "schools" : "county", rule.column)

/** The rule's unit in `lang`, from the column registry (the rule's own unit text otherwise). */
const unitOf = (rule: Compliance.Rule, lang: Lang): string => columnOf(rule)?.unit[lang] ?? rule.unit

const number = (x: number) => {
  const a = Math.abs(x)
  return a >= 10 || Number.isInteger(a) ? Math.round(a).toLocaleString("en") : a >= 1 ? a.toFixed(1) : a.toFixed(2)
}

/**
 * What a failing check's margin means: the value is short of an at-least threshold, or over an at-most
 * one, by |margin| in the rule's unit ("班额不超过标准班额：超出 3 人" / "…: over by 3 pupils").
 */
export const failingText = (rules: ReadonlyArray<Compliance.Rule>, id: string, margin: number, lang: Lang): string => {
  const rule = rules.find((r) => r.id === id)
  if (rule === undefined) return `${id} ${margin.toFixed(2)}`
  // a shortage column kept at most at a limit (music_art_rooms_short ≤ 0, teacher_gap ≤ 0) is still a shortage
  const shortage = /_(short|gap)$/.test(rule.column)
  const over = (rule.direction === "at-most" || rule.direction === "below") && !shortage
  const unit = unitOf(rule, lang)
  // a counted figure (teachers, pupils, rooms) is short or over by whole ones: 0.41 of a teacher short is a
  // teacher to find ("差 0.41 人" read as a fraction of a person)
  const column = columnOf(rule)
  const by = number(column !== undefined && Columns.counted(column) ? Math.ceil(Math.abs(margin) - 1e-9) : margin)
  return lang === "zh" ? `${rule.zh}：${over ? "超出" : "差"} ${by} ${unit}` : `${rule.en}: ${over ? "over by" : "short by"} ${by} ${unit}`
}

const words = {
  zh: {
    title: "一页摘要",
    lead: (year: number) =>
      `${year}年，各方案一览（学位缺口、班额、师资、距离、床位为该年数字；投入为基年至该年累计）。绿色为各行最好的方案。`,
    metric: "指标",
    seatsShort: "片区学位缺口（个）",
    large: "大班额（56–65人，个班）",
    superLarge: "超大班额（66人及以上，个班）",
    teachersShort: "教师缺口（各校短缺之和，人）",
    teachersSurplus: "富余教师（其他学校多出之和，人；不能抵消短缺学校的缺口）",
    beyond: "超出寄宿距离标准的学生（人）",
    bedsShort: "寄宿床位缺口（无床位的寄宿生，人）",
    capital: "基建投入（万元）",
    total: "总费用：基建+运行（万元）",
    first: "全部达标年份",
    notBy: (y: number) => `${y}年前未全部达标`,
    failing: "仍未达标最多的三项规则（末年未达标项次）",
    none: "无",
    checks: "项次"
  },
  en: {
    title: "Summary",
    lead: (year: number) =>
      `The variants in ${year} (seats, classes, teachers, distance and beds in that year; money from the base year to it). Green marks each row's best variant.`,
    metric: "figure",
    seatsShort: "area seats short (seats)",
    large: "large classes (56-65 pupils; classes)",
    superLarge: "super-large classes (66+ pupils; classes)",
    teachersShort: "teachers short (Σ over the schools lacking them; teachers)",
    teachersSurplus: "surplus teachers (Σ over the other schools; they do not fill the shortage where it is)",
    beyond: "pupils beyond the boarding distance standard (pupils)",
    bedsShort: "boarders without a bed (pupils)",
    capital: "capital (10,000 yuan)",
    total: "total cost: capital + running (10,000 yuan)",
    first: "first year of full compliance (全部达标)",
    notBy: (y: number) => `not by ${y}`,
    failing: "the three rules failing most (failing checks in the last year)",
    none: "none",
    checks: "checks"
  }
} as const

/** The summary section's HTML. */
export const section = (
  list: ReadonlyArray<Figures>,
  rules: ReadonlyArray<Compliance.Rule>,
  lang: Lang,
  year: number,
  lastYear: number
): string => {
  const t = words[lang]
  const wan = (yuan: number) => Math.round(yuan / 1e4).toLocaleString("en")
  const row = (label: string, values: ReadonlyArray<number>, show: (v: number) => string, marked = true) => {
    const best = Math.min(...values)
    const differ = marked && new Set(values).size > 1
    return `<tr><th scope="row">${escapeHtml(label)}</th>${values
      .map((v) => `<td${differ && v === best ? ' class="best"' : ""}>${escapeHtml(show(v))}</td>`)
      .join("")}</tr>`
  }
  const whole = (v: number) => Math.round(v).toLocaleString("en")
  const firstYears = list.map((f) => f.firstCompliantYear ?? Number.POSITIVE_INFINITY)
  return `<section class="summary"><h2>${escapeHtml(t.title)} (${year})</h2><p class="lead">${escapeHtml(t.lead(year))}</p>
<table class="summary-table"><thead><tr><th>${escapeHtml(t.metric)}</th>${list.map((f) => `<th>${escapeHtml(f.variant)}</th>`).join("")}</tr></thead><tbody>
${row(
  t.seatsShort,
  list.map((f) => f.seatsShort),
  whole
)}
${row(
  t.large,
  list.map((f) => f.large),
  whole
)}
${row(
  t.superLarge,
  list.map((f) => f.superLarge),
  whole
)}
${row(
  t.teachersShort,
  list.map((f) => f.teachersShort),
  whole
)}
${row(
  t.teachersSurplus,
  list.map((f) => f.teachersSurplus),
  whole,
  false
)}
${row(
  t.beyond,
  list.map((f) => f.beyondDistance),
  whole
)}
${row(
  t.bedsShort,
  list.map((f) => f.bedsShort),
  whole
)}
${row(
  t.capital,
  list.map((f) => f.capital),
  wan
)}
${row(
  t.total,
  list.map((f) => f.total),
  wan
)}
${row(t.first, firstYears, (v) => (Number.isFinite(v) ? String(v) : t.notBy(lastYear)))}
<tr><th scope="row">${escapeHtml(t.failing)}</th>${list
    .map(
      (f) =>
        `<td class="rules">${
          f.failing.length === 0
            ? escapeHtml(t.none)
            : `<ol>${f.failing.map((x) => `<li>${escapeHtml(ruleName(rules, x.rule, lang))} (${x.checks} ${escapeHtml(t.checks)})</li>`).join("")}</ol>`
        }</td>`
    )
    .join("")}</tr>
</tbody></table></section>`
}
