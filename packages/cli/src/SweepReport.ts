/**
 * `sweep.html`: what a sweep says, in one self-contained page (inline SVG, no script, nothing loaded; the
 * Content-Security-Policy of internal/Html, Noto Sans SC embedded for its characters as the other reports):
 * the verdicts in plain words, the robustness table (share of futures each standard holds in, per year),
 * fan charts of the decision figures for the county (5-95 % and 25-75 % of the futures, and the median),
 * the regret of each variant and the failing-futures boxes (PRIM). Text from the scenario is escaped.
 */
import { School } from "@seatplan/core"
import { Futures, Robustness } from "@seatplan/plan"
import { Columns } from "@seatplan/sim"
import { cspMeta, escapeHtml } from "./internal/Html.js"
import * as Font from "./report/Font.js"

export type Lang = "zh" | "en"

export interface Input {
  readonly title: string
  readonly synthetic: boolean
  readonly design: Futures.Design
  readonly seed: number
  readonly futures: ReadonlyArray<Futures.Future>
  readonly variants: ReadonlyArray<string>
  readonly bands: ReadonlyArray<Robustness.BandRow>
  /** Each school's pupils and pupils over seats over the futures (`Robustness.schoolBands`). */
  readonly schoolBands: ReadonlyArray<Robustness.SchoolBandRow>
  readonly robustness: ReadonlyArray<Robustness.RobustnessRow>
  /** The counted rules checked in every future (`Sweep.Result.rules`): a row each in the robustness table. */
  readonly rules: Robustness.Totals["rules"]
  readonly verdicts: ReadonlyArray<Robustness.Verdict>
  /** One sentence per variant (`Robustness.summaries`), above every verdict. */
  readonly summaries: ReadonlyArray<Robustness.Summary>
  readonly regret: ReadonlyArray<Robustness.RegretSummary>
  readonly lang: Lang
}

const words = {
  zh: {
    sweep: "情景扫描与稳健性",
    synthetic: "示例数据为虚构（合成），不代表任何真实地区。",
    intro: (n: number, v: number, design: string, seed: number) =>
      `${n} 个情景 × ${v} 个方案，每个情景逐年预测至规划期末；抽样设计 ${design}，随机种子 ${seed}。情景只改变不确定的假设，方案本身不变。`,
    verdicts: "结论",
    robustness: "达标情景占比（各年，全部学段）",
    variant: "方案",
    standard: "标准",
    fans: "扇形图：全县指标在各情景中的分布",
    fanNote: "深色带为 25%–75% 的情景，浅色带为 5%–95%，线为中位数。",
    year: "学年",
    regret: "遗憾值（相对每个情景中的最优方案）",
    costRegret: "成本遗憾值（万元）",
    pupilsRegret: "超员遗憾值（人·年）",
    mean: "平均",
    p90: "第90百分位",
    max: "最大",
    best: "最优情景数（成本／超员）",
    boxes: "失败情景范围（PRIM）",
    boxNote:
      "每个方框给出使该方案在结论年份后未能持续达标的假设范围：覆盖率为落入方框的失败情景占全部失败情景的比例，密度为方框内情景中失败的比例，支持度为方框内情景占全部情景的比例。",
    assumption: "假设",
    range: "范围",
    coverage: "覆盖率",
    density: "密度",
    support: "支持度",
    noBox: "没有可描述的失败范围（从不失败、总是失败，或情景太少）。",
    futuresTable: "情景取值",
    future: "情景",
    schools: "扇形图：各学校（学段）在各情景中的在校生与学位缺口",
    schoolNote:
      "每所学校每个学段两幅图：在校生数与超出学位的学生数（学位缺口）。每个方案一种颜色：浅色带为 5%–95% 的情景，深色带为 25%–75%，线为中位数。学位缺口最大的学校排在前面。",
    schoolPupils: "在校生",
    schoolShort: "学位缺口",
    pupilsUnit: "人"
  },
  en: {
    sweep: "futures sweep and robustness",
    synthetic: "SYNTHETIC example data: no place or figure is real.",
    intro: (n: number, v: number, design: string, seed: number) =>
      `${n} futures × ${v} variants, each projected year by year to the end of the horizon; design ${design}, seed ${seed}. A future changes only the uncertain assumptions, never the plan.`,
    verdicts: "Verdicts",
    robustness: "Share of futures in which each standard holds (each year, all levels)",
    variant: "variant",
    standard: "standard",
    fans: "Fan charts: the county's figures over the futures",
    fanNote: "Dark band: 25-75 % of the futures; light band: 5-95 %; line: the median.",
    year: "school year",
    regret: "Regret (against the best variant of each future)",
    costRegret: "cost regret (10,000 yuan)",
    pupilsRegret: "pupils regret (pupil-years over seats)",
    mean: "mean",
    p90: "90th percentile",
    max: "largest",
    best: "futures where best (cost / pupils)",
    boxes: "Where it fails (PRIM boxes)",
    boxNote:
      "Each box gives the ranges of the assumptions under which the variant fails to hold the standard from the verdict's year on: coverage is the share of all failing futures inside the box, density the share of the futures inside that fail, support the share of all futures inside.",
    assumption: "assumption",
    range: "range",
    coverage: "coverage",
    density: "density",
    support: "support",
    noBox: "No failing region to describe (it never fails, always fails, or there are too few futures).",
    futuresTable: "The futures' values",
    future: "future",
    schools: "Fan charts per school: pupils and seats short over the futures",
    schoolNote:
      "Two charts per school and level: its pupils, and its pupils over the seats (seats short). One colour per variant: light band 5-95 % of the futures, dark band 25-75 %, line the median. Schools most short of seats come first.",
    schoolPupils: "pupils",
    schoolShort: "seats short",
    pupilsUnit: "pupils"
  }
} as const

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
const pct = (x: number) => `${Math.round(x * 100)}%`
const fmt = (x: number, digits = 0) => x.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: 0 })
const num = (v: number) => String(Number(v.toPrecision(3)))

/** The percentiles a fan chart draws (a county band row, or a school's). */
type Fan = Pick<Robustness.BandRow, "year" | "p5" | "p25" | "p50" | "p75" | "p95">

/**
 * A fan chart of one figure over the years: per series (a variant, in its colour) two bands and the median,
 * axes with their units. `size` small draws the compact charts of the per-school section.
 */
const fan = (
  title: string,
  unit: string,
  series: ReadonlyArray<{ readonly color: string; readonly rows: ReadonlyArray<Fan> }>,
  yearLabel: string,
  scale: number,
  size: "large" | "small" = "large"
) => {
  const w = size === "large" ? 360 : 250
  const h = size === "large" ? 220 : 150
  const pad = { l: 52, r: 12, t: 22, b: 32 }
  const all = series.flatMap((s) => s.rows)
  const years = all.map((r) => r.year)
  const y0 = Math.min(...years)
  const y1 = Math.max(...years)
  const max = Math.max(1e-9, ...all.map((r) => r.p95 / scale))
  const x = (year: number) => pad.l + ((year - y0) / Math.max(1, y1 - y0)) * (w - pad.l - pad.r)
  const y = (v: number) => h - pad.b - (v / scale / max) * (h - pad.t - pad.b)
  const area = (rows: ReadonlyArray<Fan>, lo: keyof Fan, hi: keyof Fan) =>
    [
      ...rows.map((r) => `${x(r.year).toFixed(1)},${y(r[hi]).toFixed(1)}`),
      ...[...rows].reverse().map((r) => `${x(r.year).toFixed(1)},${y(r[lo]).toFixed(1)}`)
    ].join(" ")
  const steps = size === "large" ? 4 : 2
  // a figure that is 0 in every future (no seats short) has one gridline, not several labelled 0
  const ticks = max <= 1e-9 ? [0] : Array.from({ length: steps + 1 }, (_, i) => (max * i) / steps)
  const drawn = series
    .map(
      ({ color, rows }) => `<polygon points="${area(rows, "p5", "p95")}" fill="${color}" fill-opacity="${series.length > 1 ? 0.12 : 0.18}"/>
<polygon points="${area(rows, "p25", "p75")}" fill="${color}" fill-opacity="${series.length > 1 ? 0.22 : 0.35}"/>
<polyline fill="none" stroke="${color}" stroke-width="2" points="${rows.map((r) => `${x(r.year).toFixed(1)},${y(r.p50).toFixed(1)}`).join(" ")}"/>
${rows.map((r) => `<circle cx="${x(r.year).toFixed(1)}" cy="${y(r.p50).toFixed(1)}" r="2" fill="${color}"><title>${r.year}: ${fmt(r.p50 / scale, 1)} (5-95 %: ${fmt(r.p5 / scale, 1)}–${fmt(r.p95 / scale, 1)})</title></circle>`).join("")}`
    )
    .join("\n")
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(title)}">
<text x="${size === "large" ? pad.l : 4}" y="14" font-size="${size === "large" ? 12 : 10}" font-weight="bold">${escapeHtml(title)}</text>
${ticks.map((v) => `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(v * scale).toFixed(1)}" y2="${y(v * scale).toFixed(1)}" stroke="#e4e4e4"/><text x="${pad.l - 4}" y="${(y(v * scale) + 4).toFixed(1)}" font-size="10" text-anchor="end">${fmt(v, max < 10 ? 1 : 0)}</text>`).join("")}
<text x="12" y="${(pad.t + h - pad.b) / 2}" font-size="10" text-anchor="middle" transform="rotate(-90 12 ${(pad.t + h - pad.b) / 2})">${escapeHtml(unit)}</text>
${[y0, Math.round((y0 + y1) / 2), y1].map((yr) => `<text x="${x(yr).toFixed(1)}" y="${h - pad.b + 14}" font-size="10" text-anchor="middle">${yr}</text>`).join("")}
<text x="${(w + pad.l) / 2}" y="${h - 4}" font-size="10" text-anchor="middle">${escapeHtml(yearLabel)}</text>
${drawn}
</svg>`
}

const figureLabel = (figure: string, lang: Lang): { readonly name: string; readonly unit: string; readonly scale: number } => {
  const c = Columns.get("sweep", figure)
  if (c === undefined) return { name: figure, unit: "", scale: 1 }
  const yuan = c.unit === Columns.units.yuan
  return {
    name: Columns.label(c, lang),
    unit: yuan ? (lang === "zh" ? "万元" : "10,000 yuan") : c.unit[lang],
    scale: yuan ? 10_000 : 1
  }
}

/** `sweep.html` before the font is embedded. */
export const html = (input: Input): string => {
  const t = words[input.lang]
  const lang = input.lang
  const years = [...new Set(input.robustness.map((r) => r.year))].sort((a, b) => a - b)
  const head = (cells: ReadonlyArray<string>) => `<tr>${cells.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`
  const short: Readonly<Record<Robustness.FigureStandard, { readonly zh: string; readonly en: string }>> = {
    seats: { zh: "学位充足（无超员）", en: "enough seats" },
    "class-size": { zh: "消除大班额", en: "no large classes" },
    teachers: { zh: "教师足额", en: "enough teachers" },
    all: { zh: "三项全部", en: "all three" }
  }
  const standardName = (s: Robustness.Standard) =>
    (Robustness.figureStandards as ReadonlyArray<string>).includes(s)
      ? short[s as Robustness.FigureStandard][lang]
      : Robustness.nameOf({ rules: input.rules }, s)[lang]
  const robustness = input.variants
    .flatMap((variant) =>
      Robustness.standardsOf({ rules: input.rules }).map((standard) => {
        const cells = years.map((year) => {
          const r = input.robustness.find((x) => x.variant === variant && x.standard === standard && x.year === year)
          const share = r?.holds_share ?? 0
          const shade = share >= 0.9 ? "#d9f2d9" : share >= 0.5 ? "#fff4cc" : "#f9d6d5"
          return `<td style="background:${shade}">${pct(share)}</td>`
        })
        return `<tr><td>${escapeHtml(variant)}</td><td>${escapeHtml(standardName(standard))}</td>${cells.join("")}</tr>`
      })
    )
    .join("\n")
  const figures = ["pupils_over_seats", "large_classes", "super_large_classes", "teachers_short", "pupils", "total_cost"]
  const fans = figures
    .map((figure) => {
      const label = figureLabel(figure, lang)
      return (
        `<h3>${escapeHtml(label.name)} (${escapeHtml(label.unit)})</h3><div class="row">` +
        input.variants
          .map((variant, i) => {
            const rows = input.bands
              .filter((b) => b.variant === variant && b.level === "all" && b.figure === figure)
              .sort((a, b) => a.year - b.year)
            return rows.length === 0
              ? ""
              : fan(`${variant}`, label.unit, [{ color: palette[i % palette.length], rows }], t.year, label.scale)
          })
          .join("") +
        "</div>"
      )
    })
    .join("\n")
  const schoolKeys = [...new Set(input.schoolBands.map((r) => `${r.school}\u0000${r.level}`))]
  const worst = new Map<string, number>()
  for (const r of input.schoolBands) {
    if (r.figure !== "pupils_over_seats") continue
    const k = `${r.school}\u0000${r.level}`
    worst.set(k, Math.max(worst.get(k) ?? 0, r.p95))
  }
  schoolKeys.sort((a, b) => (worst.get(b) ?? 0) - (worst.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
  const bySchool = new Map<string, Array<Robustness.SchoolBandRow>>()
  for (const r of input.schoolBands) {
    const k = `${r.school}\u0000${r.level}`
    const list = bySchool.get(k)
    if (list === undefined) bySchool.set(k, [r])
    else list.push(r)
  }
  const legend = input.variants
    .map((v, i) => `<span class="key"><span style="background:${palette[i % palette.length]}"></span>${escapeHtml(v)}</span>`)
    .join(" ")
  const schoolFans = schoolKeys
    .map((k) => {
      const [school, level] = k.split("\u0000")
      const rows = bySchool.get(k) ?? []
      const series = (figure: Robustness.SchoolBandRow["figure"]) =>
        input.variants.flatMap((variant, i) => {
          const mine = rows.filter((r) => r.variant === variant && r.figure === figure).sort((a, b) => a.year - b.year)
          return mine.length === 0 ? [] : [{ color: palette[i % palette.length], rows: mine }]
        })
      const levelName = School.levelLabels[level as School.Level]?.[lang] ?? level
      return `<div class="school" data-school="${escapeHtml(school)}" data-level="${escapeHtml(level)}">${fan(`${school} · ${levelName} · ${t.schoolPupils}`, t.pupilsUnit, series("pupils"), t.year, 1, "small")}${fan(`${school} · ${levelName} · ${t.schoolShort}`, t.pupilsUnit, series("pupils_over_seats"), t.year, 1, "small")}</div>`
    })
    .join("\n")
  const regret = input.regret
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.variant)}</td><td>${fmt(r.cost.mean / 1e4)}</td><td>${fmt(r.cost.p90 / 1e4)}</td><td>${fmt(r.cost.max / 1e4)}</td><td>${fmt(r.pupils.mean)}</td><td>${fmt(r.pupils.p90)}</td><td>${fmt(r.pupils.max)}</td><td>${r.bestInCost} / ${r.bestInPupils}</td></tr>`
    )
    .join("\n")
  const boxes = input.verdicts
    .filter((v) => v.standard !== "all")
    .map((v) => {
      const title = `${v.variant} · ${standardName(v.standard)} · ${v.year}`
      if (v.box === undefined || v.box.restrictions.length === 0) {
        return v.failing.length > 0
          ? `<div class="box"><h3>${escapeHtml(title)}</h3><p>${escapeHtml(v.failing.join(", "))}</p></div>`
          : `<div class="box"><h3>${escapeHtml(title)}</h3><p>${escapeHtml(t.noBox)}</p></div>`
      }
      const rows = v.box.restrictions
        .map((r) => {
          const p = Futures.parameter(r.key)
          const range =
            r.min !== undefined && r.max !== undefined
              ? `${num(r.min)} – ${num(r.max)}`
              : r.min !== undefined
                ? `≥ ${num(r.min)}`
                : `≤ ${num(r.max ?? 0)}`
          return `<tr><td>${escapeHtml(p === undefined ? r.key : lang === "zh" ? p.zh : p.en)}</td><td>${escapeHtml(range)} ${escapeHtml(p?.unit ?? "")}</td></tr>`
        })
        .join("")
      return `<div class="box"><h3>${escapeHtml(title)}</h3><table>${head([t.assumption, t.range])}${rows}</table><p>${escapeHtml(t.coverage)} ${pct(v.box.coverage)} · ${escapeHtml(t.density)} ${pct(v.box.density)} · ${escapeHtml(t.support)} ${pct(v.box.support)}</p></div>`
    })
    .join("\n")
  const keys = [...new Set(input.futures.flatMap((f) => Object.keys(f.values)))].sort()
  const futuresTable =
    input.futures.length > 60 || keys.length === 0
      ? ""
      : `<h2>${escapeHtml(t.futuresTable)}</h2><table>${head([t.future, ...keys.map((k) => Futures.parameter(k)?.[lang === "zh" ? "zh" : "en"] ?? k)])}${input.futures
          .map(
            (f) =>
              `<tr><td>${escapeHtml(f.name)}</td>${keys.map((k) => `<td>${f.values[k] === undefined ? "" : num(f.values[k])}</td>`).join("")}</tr>`
          )
          .join("")}</table>`
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}"><head><meta charset="utf-8">${cspMeta([])}<title>${escapeHtml(input.title)}: ${escapeHtml(t.sweep)}</title>
<style>${Font.marker}
body{font-family:${Font.stack};margin:24px;color:#222}.row{display:flex;flex-wrap:wrap;gap:12px}svg{font-family:${Font.stack}}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:nth-child(-n+2){text-align:left;white-space:nowrap}.note{color:#a00}.box{display:inline-block;vertical-align:top;margin:0 16px 12px 0}.box h3{font-size:13px}li{margin-bottom:4px}.school{display:flex;gap:4px;border:1px solid #eee}.key{margin-right:12px}.key span{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
@media print{@page{size:A4 landscape;margin:12mm}body{margin:0}h2{break-before:page}.row svg{break-inside:avoid}tr{break-inside:avoid}}</style>
</head><body>
<h1>${escapeHtml(input.title)}: ${escapeHtml(t.sweep)}</h1>
${input.synthetic ? `<p class="note">${escapeHtml(t.synthetic)}</p>` : ""}
<p>${escapeHtml(t.intro(input.futures.length, input.variants.length, input.design, input.seed))}</p>
<h2>${escapeHtml(t.verdicts)}</h2>
<ul>${input.summaries.map((x) => `<li><b>${escapeHtml(x.text[lang])}</b></li>`).join("")}</ul>
<ul>${input.verdicts
    .filter((v) => v.standard !== "all")
    .map((v) => `<li>${escapeHtml(v.text[lang])}</li>`)
    .join("")}</ul>
<h2>${escapeHtml(t.robustness)}</h2>
<table>${head([t.variant, t.standard, ...years.map(String)])}
${robustness}
</table>
<h2>${escapeHtml(t.fans)}</h2>
<p>${escapeHtml(t.fanNote)}</p>
${fans}
<h2>${escapeHtml(t.schools)}</h2>
<p>${escapeHtml(t.schoolNote)}</p>
<p>${legend}</p>
<div class="row">${schoolFans}</div>
<h2>${escapeHtml(t.regret)}</h2>
<table>${head([t.variant, `${t.costRegret} ${t.mean}`, `${t.costRegret} ${t.p90}`, `${t.costRegret} ${t.max}`, `${t.pupilsRegret} ${t.mean}`, `${t.pupilsRegret} ${t.p90}`, `${t.pupilsRegret} ${t.max}`, t.best])}
${regret}
</table>
<h2>${escapeHtml(t.boxes)}</h2>
<p>${escapeHtml(t.boxNote)}</p>
${boxes}
${futuresTable}
</body></html>
`
}

/** `sweep.html` with Noto Sans SC cut to its characters and embedded. */
export const render = (input: Input): Promise<string> => Font.embed(html(input))
