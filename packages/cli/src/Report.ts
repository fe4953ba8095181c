/**
 * `report.html`: one self-contained file a bureau can open offline: the variants compared, and for each
 * variant a map of settlements and schools (circles sized by pupils, coloured by how full they are,
 * catchment lines), seat demand against seats by level over the years, classes and large classes,
 * teacher need against supply, the standards per school with pass/fail, and the six accounts. Charts are
 * Apache ECharts (what Chinese bureaus already see), inlined into the file. Labels in Chinese or English.
 *
 * Ids and names come from the scenario file and are treated as hostile: HTML text is escaped, the data
 * sit in a `<script type="application/json">` block with `<`, `>`, `&`, U+2028/U+2029 escaped, the page
 * script escapes what it hands ECharts' tooltips, and a Content-Security-Policy lets only the two inline
 * scripts (ECharts and the page's own, by sha256) run and loads nothing (see internal/Html).
 */
import { School } from "@seatplan/core"
import { Columns, type Compliance } from "@seatplan/sim"
import { createRequire } from "node:module"
import * as fs from "node:fs"
import type { Bands, Project } from "@seatplan/plan"
import { cspMeta, escapeHtml, inlineScript, jsonForScript } from "./internal/Html.js"
import { Compare } from "@seatplan/plan"

export type Lang = "zh" | "en"

/**
 * A column's label from the registry (issue 12); the report's own words below keep their text where the
 * registry's label is not what the report prints (a shorter table heading, a unit in brackets).
 */
const column =
  (lang: Lang) =>
  (table: Columns.Table, id: string): string => {
    const c = Columns.get(table, id)
    return c === undefined ? id : Columns.label(c, lang)
  }
const zh = column("zh")
const en = column("en")

const words = {
  zh: {
    report: "中小学布局规划报告",
    synthetic: "示例数据为虚构（合成）数据，不代表任何真实地区。",
    compare: "方案比较",
    accounts: "六笔账",
    compliance: "标准达标",
    fullCompliance: "全部达标年份",
    holdsFrom: "持续达标起始年",
    failingChecks: "末年未达标项次",
    failingMost: "末年未达标最多的规则",
    notBy: "规划期内未达标",
    ruleYears: "各规则首次全部达标年份",
    rule: "规则",
    failingChart: "各年未达标项次（计入全部达标的规则）",
    failingRules: "未达标规则(差距)",
    demand: "学位需求账：各片区各学段学位需求与供给",
    empiricalBands: "在校生预测及90%经验区间（依据回测的历史误差）",
    monteCarloBands: "在校生预测中位数及5%–95%蒙特卡洛区间",
    provenance: "数字来源（点击学校在校生数查看）",
    close: "关闭",
    area: "片区",
    seatsNeeded: "学位需求",
    ledger: "台账：各年任务及占比",
    tasks: "任务数",
    other: "其他任务",
    investmentShare: "投入占比",
    taskShare: "任务占比",
    bedsAdded: "新增床位",
    seatsReused: "闲置校舍新增学位",
    variant: zh("county", "variant"),
    level: zh("county", "level"),
    pupils: zh("county", "pupils"),
    seats: zh("county", "seats"),
    short: zh("county", "seat_gap"),
    idle: zh("county", "idle_seats"),
    large: "大班额",
    superLarge: "超大班额",
    teacherGap: zh("county", "teacher_gap"),
    boarders: zh("county", "boarders"),
    meanKm: zh("county", "mean_distance_km"),
    maxKm: zh("county", "max_distance_km"),
    overCap: "超校额学校",
    dc: "最大差异系数/标准",
    quality: "优质均衡达标学校",
    capital: "累计投入(万元)",
    map: "学校与居民点分布（圆大小=在校生，颜色=学位使用率）",
    seatsChart: "学位需求与学位供给",
    classesChart: "班额分布（中小学各班）",
    classesWithinCap: "标准班额以内",
    classesOverCap: "超标准班额(未达大班额)",
    teachersChart: "教师需求与配置",
    standards: "各校标准达标情况",
    school: "学校",
    maxClass: zh("schools", "max_class_size"),
    sizeOk: "校额达标",
    teachersOk: "师资达标",
    qualityMet: "优质均衡指标",
    roomsOk: "音美教室",
    yes: "是",
    no: "否",
    classes: zh("county", "classes"),
    needed: "需求",
    assigned: "配置",
    opened: "新建",
    expanded: "改扩建",
    closed: "撤并",
    repurposed: "闲置校舍利用",
    seatsAdded: "新增学位",
    classroomsAdded: "新增教室",
    integrated: "整合学生",
    investment: "投入(万元)",
    newTeachers: "新校教师需求",
    seniorCost: "高中办学经费(万元)",
    year: zh("county", "year"),
    utilisation: "学位使用率",
    kindergarten: School.levelLabels.kindergarten.zh,
    primary: School.levelLabels.primary.zh,
    junior: School.levelLabels.junior.zh,
    senior: School.levelLabels.senior.zh
  },
  en: {
    report: "School layout plan report",
    synthetic: "Example data are invented (synthetic) and describe no real place.",
    compare: "Variants compared",
    accounts: "The six accounts",
    compliance: "Standards",
    fullCompliance: "full compliance (全部达标)",
    holdsFrom: "holds from",
    failingChecks: "failing checks, last year",
    failingMost: "rules failing most, last year",
    notBy: "not within the horizon",
    ruleYears: "First year each rule passes everywhere",
    rule: "rule",
    failingChart: "Failing checks per year (rules counted for full compliance)",
    failingRules: "rules failing (margin)",
    demand: "Seat demand by area and level (the first account)",
    empiricalBands: "County pupils with the empirical 90 % band of the backtest's past errors",
    monteCarloBands: "County pupils: Monte Carlo median and 5–95 % band",
    provenance: "How this figure was produced (click a school's pupils)",
    close: "close",
    area: "area",
    seatsNeeded: "seats needed",
    ledger: "Ledger (台账): the plan's tasks by year and their share",
    tasks: "tasks",
    other: "other tasks",
    investmentShare: "investment share",
    taskShare: "task share",
    bedsAdded: "beds added",
    seatsReused: "seats reused",
    variant: en("county", "variant"),
    level: en("county", "level"),
    pupils: en("county", "pupils"),
    seats: en("county", "seats"),
    short: "seats short",
    idle: en("county", "idle_seats"),
    large: en("county", "large_classes"),
    superLarge: "super-large",
    teacherGap: en("county", "teacher_gap"),
    boarders: en("county", "boarders"),
    meanKm: en("county", "mean_distance_km"),
    maxKm: en("county", "max_distance_km"),
    overCap: "over size cap",
    dc: "max DC / limit",
    quality: en("county", "quality_schools_passing"),
    capital: "capital to date (10k yuan)",
    map: "Schools and settlements (size = pupils, colour = seat utilisation)",
    seatsChart: "Seat demand and seats",
    classesChart: "Class sizes (primary to senior classes)",
    classesWithinCap: "within the cap",
    classesOverCap: "over the cap, not large",
    teachersChart: "Teachers needed and assigned",
    standards: "Standards per school",
    school: "school",
    maxClass: en("schools", "max_class_size"),
    sizeOk: "size cap",
    teachersOk: "teachers",
    qualityMet: "quality indicators",
    roomsOk: "music/art rooms",
    yes: "yes",
    no: "no",
    classes: en("county", "classes"),
    needed: "needed",
    assigned: "assigned",
    opened: "opened",
    expanded: "expanded",
    closed: "closed/merged",
    repurposed: "repurposed",
    seatsAdded: "seats added",
    classroomsAdded: "classrooms added",
    integrated: "pupils integrated",
    investment: "investment (10k yuan)",
    newTeachers: "new-school teachers",
    seniorCost: "senior running cost (10k yuan)",
    year: en("county", "year"),
    utilisation: "seat utilisation",
    kindergarten: School.levelLabels.kindergarten.en,
    primary: School.levelLabels.primary.en,
    junior: School.levelLabels.junior.en,
    senior: School.levelLabels.senior.en
  }
} as const

const echarts = (): string => {
  const require = createRequire(import.meta.url)
  return fs.readFileSync(require.resolve("echarts/dist/echarts.min.js"), "utf8")
}

/** Chinese when the scenario's name has Chinese characters, else English. */
export const defaultLang = (name: string): Lang => (/[\u4e00-\u9fff]/.test(name) ? "zh" : "en")

export interface Input {
  readonly title: string
  readonly synthetic: boolean
  readonly results: ReadonlyArray<Project.VariantResult>
  readonly compared: ReturnType<typeof Compare.compare>
  readonly accounts: ReadonlyArray<Compare.Accounts>
  readonly ledger: ReadonlyArray<Compare.LedgerRow>
  /** Seat demand by level, area and year (the first account); the report shows the compared year. */
  readonly demand: ReadonlyArray<Compare.DemandRow>
  /** County pupils with the empirical band of a backtest's past errors (`run --bands`), when asked. */
  readonly bands: ReadonlyArray<Bands.BandedPupils>
  /** Per variant (in `results` order), school|level → how its pupils in the compared year were produced. */
  readonly explanations?: ReadonlyArray<Readonly<Record<string, string>>>
  /** The rule set the checks were made against (the counted rules get a row in the rule-years table). */
  readonly rules: ReadonlyArray<Compliance.Rule>
  readonly lang: Lang
}

/** The data each variant's charts draw. */
const chartData = (r: Project.VariantResult, lang: Lang) => {
  const t = words[lang]
  const places = r.places
  const last = Math.max(...r.county.map((c) => c.year))
  const years = [...new Set(r.county.map((c) => c.year))].sort((a, b) => a - b)
  const byLevel = (level: string, f: (c: Project.VariantResult["county"][number]) => number) =>
    years.map((y) => f(r.county.find((c) => c.year === y && c.level === level)!))
  const final = r.schools.filter((s) => s.year === last)
  const schoolPoints = final
    .filter((s) => s.open)
    .map((s) => {
      const school = places.schoolById.get(s.school_id)!
      return {
        name: s.school_id,
        value: [school.lon, school.lat, s.pupils, s.seats > 0 ? s.pupils / s.seats : 0],
        level: t[s.level as "primary"]
      }
    })
  const settlements = places.settlements.map((s) => ({ name: s.id, value: [s.lon, s.lat] }))
  const lines: Array<{ coords: ReadonlyArray<ReadonlyArray<number>> }> = []
  places.settlements.forEach((s, i) => {
    const school = places.catchments.primary[i]
    if (school !== undefined)
      lines.push({
        coords: [
          [s.lon, s.lat],
          [school.lon, school.lat]
        ]
      })
  })
  const levels = School.levels
  return {
    years,
    schoolPoints,
    settlements,
    lines,
    demand: levels.map((l) => ({ name: `${t[l]} ${t.pupils}`, data: byLevel(l, (c) => Math.round(c.pupils)) })),
    supply: levels.map((l) => ({ name: `${t[l]} ${t.seats}`, data: byLevel(l, (c) => Math.round(c.seats)) })),
    withinCap: years.map((y) =>
      r.county.filter((c) => c.year === y && c.level !== "kindergarten").reduce((n, c) => n + c.classes_within_cap, 0)
    ),
    overCap: years.map((y) =>
      r.county.filter((c) => c.year === y && c.level !== "kindergarten").reduce((n, c) => n + c.classes_over_cap, 0)
    ),
    large: years.map((y) => r.county.filter((c) => c.year === y && c.level !== "kindergarten").reduce((n, c) => n + c.large_classes, 0)),
    superLarge: years.map((y) =>
      r.county.filter((c) => c.year === y && c.level !== "kindergarten").reduce((n, c) => n + c.super_large_classes, 0)
    ),
    needed: years.map((y) => Math.round(r.county.filter((c) => c.year === y).reduce((n, c) => n + c.teachers_needed, 0))),
    assigned: years.map((y) => Math.round(r.county.filter((c) => c.year === y).reduce((n, c) => n + c.teachers_assigned, 0)))
  }
}

/** A cell is text (escaped) or markup the report made itself. */
type Cell = string | { readonly html: string }

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>) =>
  `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${typeof c === "string" ? escapeHtml(c) : c.html}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`

/**
 * The page's own script, the same text for every report (so its CSP hash is too). It reads the data from
 * the `report-data` JSON block, and every string it puts into HTML (tooltips) goes through `esc`; the
 * explain panel uses textContent. Chart titles, legends and axis labels are drawn on the canvas.
 */
const page = `
const REPORT = JSON.parse(document.getElementById("report-data").textContent);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\\"": "&quot;", "'": "&#39;" })[c]);
const EXPLAIN = REPORT.explain;
const DATA = REPORT.data;
const T = REPORT.t;
const FAILING = REPORT.failing;
document.querySelectorAll("a.explain").forEach((a) => a.addEventListener("click", (e) => {
  e.preventDefault();
  const texts = EXPLAIN[Number(a.dataset.variant)] ?? {};
  document.getElementById("provenance-text").textContent = Object.hasOwn(texts, a.dataset.key) ? texts[a.dataset.key] : "";
  document.getElementById("provenance").style.display = "block";
}));
document.getElementById("provenance-close").addEventListener("click", () => { document.getElementById("provenance").style.display = "none"; });
/* ECharts inserts a formatter's result as HTML: names and values are escaped, markers are ECharts' own. */
const axisTip = (ps) => (ps.length === 0 ? "" : esc(ps[0].axisValueLabel) + ps.map((p) => "<br>" + p.marker + esc(p.seriesName) + ": " + esc(p.value)).join(""));
const mapTip = (p) => p.seriesType === "scatter" && p.value.length > 2
  ? esc(p.name) + ": " + Math.round(p.value[2]) + " / " + Math.round(p.value[2] / Math.max(p.value[3], 1e-9))
  : esc(p.name);
echarts.init(document.getElementById("compliance")).setOption({
  title: { text: T.failingChart, textStyle: { fontSize: 13 } }, tooltip: { trigger: "axis", formatter: axisTip }, legend: { bottom: 0, type: "scroll" },
  grid: { bottom: 60 }, xAxis: { type: "category", data: FAILING.years }, yAxis: { type: "value", min: 0 },
  series: FAILING.series.map((s) => ({ type: "line", name: s.name, data: s.data }))
});
DATA.forEach((d, i) => {
  const map = echarts.init(document.getElementById("map-" + i));
  map.setOption({
    title: { text: T.map, textStyle: { fontSize: 13 } },
    tooltip: { formatter: mapTip },
    xAxis: { type: "value", scale: true, name: "lon" }, yAxis: { type: "value", scale: true, name: "lat" },
    visualMap: { dimension: 3, min: 0.5, max: 1.3, precision: 1, calculable: true, seriesIndex: 2, text: [T.utilisation, ""], inRange: { color: ["#2c7bb6", "#ffffbf", "#d7191c"] }, right: 0, top: 40 },
    series: [
      { type: "lines", coordinateSystem: "cartesian2d", data: d.lines, lineStyle: { color: "#999", width: 1, opacity: 0.6 }, silent: true },
      { type: "scatter", data: d.settlements, symbolSize: 5, itemStyle: { color: "#555" } },
      { type: "scatter", data: d.schoolPoints, symbolSize: (v) => 6 + Math.sqrt(v[2]) / 2, itemStyle: { opacity: 0.85 } }
    ]
  });
  const line = (id, title, series) => echarts.init(document.getElementById(id)).setOption({
    title: { text: title, textStyle: { fontSize: 13 } }, tooltip: { trigger: "axis", formatter: axisTip }, legend: { bottom: 0, type: "scroll" },
    grid: { bottom: 60 }, xAxis: { type: "category", data: d.years }, yAxis: { type: "value" }, series
  });
  line("seats-" + i, T.seatsChart, [
    ...d.demand.map((s) => ({ type: "line", name: s.name, data: s.data })),
    ...d.supply.map((s) => ({ type: "line", name: s.name, data: s.data, lineStyle: { type: "dashed" } }))
  ]);
  line("classes-" + i, T.classesChart, [
    { type: "bar", stack: "size", name: T.classesWithinCap, data: d.withinCap, itemStyle: { color: "#4caf50" } },
    { type: "bar", stack: "size", name: T.classesOverCap, data: d.overCap, itemStyle: { color: "#ffc107" } },
    { type: "bar", stack: "size", name: T.large, data: d.large, itemStyle: { color: "#ff7043" } },
    { type: "bar", stack: "size", name: T.superLarge, data: d.superLarge, itemStyle: { color: "#c62828" } }
  ]);
  line("teachers-" + i, T.teachersChart, [
    { type: "line", name: T.needed, data: d.needed },
    { type: "line", name: T.assigned, data: d.assigned }
  ]);
});
`

/** Builds the report's HTML. */
export const html = (input: Input): string => {
  const t = words[input.lang]
  const lv = (l: string) => t[l as "primary"] ?? l
  const yesNo = (b: boolean) => (b ? t.yes : t.no)
  const compareTable = table(
    [
      t.variant,
      t.level,
      t.pupils,
      t.seats,
      t.short,
      t.idle,
      t.large,
      t.superLarge,
      t.teacherGap,
      t.boarders,
      t.meanKm,
      t.maxKm,
      t.overCap,
      t.dc,
      t.quality,
      t.capital
    ],
    input.compared.rows.map((r) => Compare.cells(r, lv))
  )
  const accountsTable = table(
    [
      t.variant,
      t.opened,
      t.expanded,
      t.closed,
      t.repurposed,
      t.seatsAdded,
      t.classroomsAdded,
      t.bedsAdded,
      t.integrated,
      t.seatsReused,
      t.investment,
      t.newTeachers,
      t.seniorCost
    ],
    input.accounts.map(Compare.accountCells)
  )
  const inYear = input.demand.filter((d) => d.year === input.compared.year)
  const areas = [...new Map(inYear.map((d) => [`${d.area}|${d.level}`, d])).values()]
  const demandTable = table(
    [t.area, t.level, t.seatsNeeded, ...input.results.flatMap((r) => [`${r.variant}: ${t.seats}`, `${r.variant}: ${t.short}`])],
    areas.map((a) => [
      a.area_name,
      lv(a.level),
      a.seats_needed.toFixed(0),
      ...input.results.flatMap((r) => {
        const d = inYear.find((x) => x.variant === r.variant && x.area === a.area && x.level === a.level)
        return [(d?.seats ?? 0).toFixed(0), (d?.seats_short ?? 0).toFixed(0)]
      })
    ])
  )
  const ledgerTable =
    input.ledger.length === 0
      ? ""
      : table(
          [
            t.variant,
            t.year,
            t.tasks,
            t.opened,
            t.expanded,
            t.closed,
            t.repurposed,
            t.other,
            t.seatsAdded,
            t.classroomsAdded,
            t.investment,
            t.investmentShare,
            t.taskShare
          ],
          input.ledger.map(Compare.ledgerCells)
        )
  const lastYear = input.compared.year
  const bandYears = [...new Set(input.bands.filter((b) => b.lower !== undefined).map((b) => b.year))].sort((a, b) => a - b)
  const bandsTable =
    input.bands.length === 0
      ? ""
      : table(
          [t.variant, t.level, ...bandYears.map(String)],
          [...new Map(input.bands.map((b) => [`${b.variant}|${b.level}`, b])).values()].map((first) => [
            first.variant,
            lv(first.level),
            ...bandYears.map((y) => {
              const b = input.bands.find((x) => x.variant === first.variant && x.level === first.level && x.year === y)
              return b === undefined || b.lower === undefined || b.upper === undefined
                ? ""
                : `${b.pupils.toFixed(0)} (${b.lower.toFixed(0)}–${b.upper.toFixed(0)})`
            })
          ])
        )
  const monteCarlo = input.results.some((r) => r.bands.length > 0)
  const mcYears = [...new Set(input.results.flatMap((r) => r.bands.map((b) => b.year)))]
    .sort((a, b) => a - b)
    .filter((_, k, all) => k % Math.max(1, Math.ceil(all.length / 6)) === 0 || k === all.length - 1)
  const mcTable = !monteCarlo
    ? ""
    : table(
        [t.variant, t.level, ...mcYears.map(String)],
        input.results.flatMap((r) =>
          [...new Set(r.bands.filter((b) => b.metric === "pupils").map((b) => b.level))].map((level) => [
            r.variant,
            lv(level),
            ...mcYears.map((y) => {
              const b = r.bands.find((x) => x.metric === "pupils" && x.level === level && x.year === y)
              return b === undefined ? "" : `${b.p50.toFixed(0)} (${b.p5.toFixed(0)}–${b.p95.toFixed(0)})`
            })
          ])
        )
      )
  const complianceTable = table(
    [t.variant, t.fullCompliance, t.holdsFrom, t.failingChecks, t.failingMost],
    input.results.map((r) => Compare.complianceCells(r.compliance, lastYear, () => t.notBy))
  )
  const ruleYearsTable = table([t.rule, "", ...input.results.map((r) => r.variant)], Compare.ruleYears(input.results, input.rules))
  const failing = {
    years: Object.keys(input.results[0]?.compliance.failing_by_year ?? {}),
    series: input.results.map((r) => ({ name: r.variant, data: Object.values(r.compliance.failing_by_year) }))
  }
  const variants = input.results.map((r, i) => {
    const last = Math.max(...r.county.map((c) => c.year))
    const failing = new Map<string, Array<string>>()
    for (const c of r.checks) {
      if (c.year !== last || c.pass || !c.counts || c.scope !== "school") continue
      const key = `${c.school_id}|${c.level}`
      failing.set(key, [...(failing.get(key) ?? []), `${c.rule} ${c.margin > -10 ? c.margin.toFixed(2) : c.margin.toFixed(0)}`])
    }
    const standards = table(
      [t.school, t.level, t.pupils, t.seats, t.maxClass, t.large, t.sizeOk, t.teachersOk, t.qualityMet, t.roomsOk, t.failingRules],
      r.schools
        .filter((s) => s.year === last && s.open)
        .map((s) => [
          s.school_id,
          lv(s.level),
          input.explanations?.[i]?.[`${s.school_id}|${s.level}`] === undefined
            ? s.pupils.toFixed(0)
            : {
                html: `<a href="#" class="explain" data-variant="${i}" data-key="${escapeHtml(`${s.school_id}|${s.level}`)}">${s.pupils.toFixed(0)}</a>`
              },
          s.seats.toFixed(0),
          String(s.max_class_size),
          String(s.large_classes + s.super_large_classes),
          yesNo(!s.over_size_cap),
          yesNo(s.teachers_enough),
          s.level === "primary" || s.level === "junior" ? `${s.quality_indicators_met}/7 ${yesNo(s.quality_pass)}` : "",
          yesNo(s.music_art_rooms_ok),
          (failing.get(`${s.school_id}|${s.level}`) ?? []).join("; ")
        ])
    )
    return `<section class="variant"><h2>${t.variant}: ${escapeHtml(r.variant)}</h2>
<div class="grid"><div id="map-${i}" class="chart tall"></div><div id="seats-${i}" class="chart"></div>
<div id="classes-${i}" class="chart"></div><div id="teachers-${i}" class="chart"></div></div>
<h3>${t.standards} (${last})</h3>${standards}</section>`
  })
  const data = input.results.map((r) => chartData(r, input.lang))
  const library = echarts()
  return `<!doctype html>
<html lang="${input.lang === "zh" ? "zh-CN" : "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${cspMeta([library, page])}
<title>${escapeHtml(input.title)} — ${t.report}</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}h3{font-size:15px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:right}
th{background:#f3f5f7}td:first-child,td:nth-child(2){text-align:left}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:12px}.chart{height:320px;border:1px solid #eee}.tall{height:420px;grid-row:span 2}
.note{color:#a33}
#provenance{position:fixed;right:16px;top:16px;bottom:16px;width:min(640px,45vw);overflow:auto;background:#fff;border:1px solid #888;box-shadow:0 4px 16px rgba(0,0,0,.2);padding:12px;display:none}
#provenance pre{white-space:pre-wrap;font-size:12px}a.explain{color:#1565c0}
</style>
${inlineScript(library)}</head><body>
<h1>${escapeHtml(input.title)} — ${t.report}</h1>
${input.synthetic ? `<p class="note">${t.synthetic}</p>` : ""}
<h2>${t.compare} (${input.compared.year})</h2>${compareTable}
${bandsTable === "" ? "" : `<h3>${t.empiricalBands}</h3>${bandsTable}`}
${mcTable === "" ? "" : `<h3>${t.monteCarloBands}</h3>${mcTable}`}
<h2>${t.compliance}</h2>${complianceTable}
<div id="compliance" class="chart"></div>
<h3>${t.ruleYears}</h3>${ruleYearsTable}
<h2>${t.accounts}</h2>${accountsTable}
<h3>${t.demand} (${input.compared.year})</h3>${demandTable}
${ledgerTable === "" ? "" : `<h3>${t.ledger}</h3>${ledgerTable}`}
${variants.join("\n")}
<div id="provenance"><button id="provenance-close">${t.close}</button><h3>${t.provenance}</h3><pre id="provenance-text"></pre></div>
<script type="application/json" id="report-data">${jsonForScript({ explain: input.explanations ?? [], data, t, failing })}</script>
${inlineScript(page)}</body></html>
`
}
