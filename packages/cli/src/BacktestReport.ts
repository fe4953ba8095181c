/**
 * The backtest's printed table and its report: `backtest.html`, one self-contained file (inline SVG, no
 * script, no network) with MAPE by horizon per method for each level and scope, and the metrics table.
 * Text from the scenario (its name, levels, methods, warnings naming schools) is escaped, and the page's
 * Content-Security-Policy allows no script at all and loads nothing (see internal/Html). In Chinese or
 * English (`--lang`), with Noto Sans SC embedded for the page's characters (report/Font).
 */
import { School } from "@seatplan/core"
import type { Backtest } from "@seatplan/sim"
import { cspMeta, escapeHtml } from "./internal/Html.js"
import * as Output from "./Output.js"
import * as Font from "./report/Font.js"

export type Lang = "zh" | "en"

const pct = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "")
const share = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? `${Math.round(x * 100)}%` : "")

/** Groups summary rows by method × level × scope, horizons in order. */
const byMethod = (summary: ReadonlyArray<Backtest.SummaryRow>) => {
  const groups = new Map<string, Array<Backtest.SummaryRow>>()
  for (const r of summary) {
    const k = `${r.level}|${r.scope}|${r.method}`
    const list = groups.get(k)
    if (list === undefined) groups.set(k, [r])
    else list.push(r)
  }
  return [...groups.values()]
}

/** The combined metrics of a method, level and scope over every horizon. */
const overall = (rows: ReadonlyArray<Backtest.SummaryRow>) => {
  const n = rows.reduce((s, r) => s + r.n, 0)
  const weighted = (f: (r: Backtest.SummaryRow) => number | undefined, w: (r: Backtest.SummaryRow) => number = (r) => r.n) => {
    const value = (r: Backtest.SummaryRow) => f(r) ?? NaN
    const total = rows.reduce((s, r) => s + (Number.isFinite(value(r)) ? w(r) : 0), 0)
    return total === 0 ? NaN : rows.reduce((s, r) => s + (Number.isFinite(value(r)) ? value(r) * w(r) : 0), 0) / total
  }
  return {
    n,
    bias: weighted((r) => r.mean_error_pct),
    within2: weighted((r) => r.within_2),
    within5: weighted((r) => r.within_5),
    empirical: weighted(
      (r) => r.empirical_coverage,
      (r) => r.empirical_n
    ),
    mc: weighted(
      (r) => r.mc_coverage,
      (r) => r.mc_n
    )
  }
}

/**
 * The printed table: per level, scope and method, MAPE per horizon, then over all horizons the bias, the
 * shares within ±2 % and ±5 %, and the coverage of the empirical and Monte Carlo bands.
 */
export const table = (result: Backtest.Result): string => {
  const horizons = Array.from({ length: result.horizon }, (_, i) => i + 1)
  const band = `${Math.round(result.coverage * 100)}%`
  const rows = byMethod(result.summary).map((list) => {
    const o = overall(list)
    const at = new Map(list.map((r) => [r.horizon, r]))
    return [
      list[0].level,
      list[0].scope,
      list[0].method,
      ...horizons.map((h) => pct(at.get(h)?.mape ?? NaN, 2)),
      String(o.n),
      pct(o.bias, 2),
      share(o.within2),
      share(o.within5),
      share(o.empirical),
      share(o.mc)
    ]
  })
  return Output.table(
    [
      ["level", "scope", "method", ...horizons.map((h) => `MAPE ${h}y`), "n", "bias %", "±2%", "±5%", `in ${band} emp`, `in ${band} MC`],
      ...rows
    ],
    3
  )
}

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f", "#17becf", "#bcbd22"]

const words = {
  zh: {
    backtest: "回测：预测方法的历史误差",
    synthetic: "示例数据为虚构（合成）数据，不代表任何真实地区。",
    intro: (origins: string, horizon: number, band: number) =>
      `预测起点 ${origins}；每个起点向后预测 1–${horizon} 年，与此后记录的在校生数比较。带符号误差 = (预测 − 实际) / 实际（正值为高估）；MAPE = 平均绝对百分比误差。区间覆盖 ${band}%：经验区间取其他起点的历史误差（留一起点交叉验证），蒙特卡洛区间取带种子的随机重复。`,
    mapeByHorizon: "各预测年限的平均绝对百分比误差（MAPE，%）",
    yearsAhead: "预测年限（年）",
    mapePct: "MAPE（%）",
    best: "最优方法（各年限合计 MAPE 最低）",
    metrics: "指标",
    warnings: "提示",
    level: "学段",
    scope: "范围",
    method: "方法",
    horizon: "预测年限（年）",
    n: "预测数（个）",
    bias: "平均带符号误差（%，正=高估）",
    mape: "MAPE（%）",
    median: "绝对百分比误差中位数（%）",
    within2: "误差在±2%以内的比例",
    within5: "误差在±5%以内的比例",
    empirical: (b: number) => `落在${b}%经验区间内的比例`,
    mc: (b: number) => `落在${b}%蒙特卡洛区间内的比例`,
    at: (h: number) => `预测 ${h} 年`,
    scopes: { county: "全县", catchment: "片区（乡镇及所辖村、县城）", school: "学校" } as Record<string, string>,
    cohort: "队列要素法",
    gp: "年级升级比",
    summaries: {
      mean: "算术均值",
      "geometric-mean": "几何均值",
      median: "中位数",
      last: "最近一年",
      "recency-weighted": "近期加权"
    } as Record<string, string>,
    lastN: (n: string) => `近${n}年`
  },
  en: {
    backtest: "Backtest (回测): how wrong each projection method would have been",
    synthetic: "Example data are invented (synthetic) and describe no real place.",
    intro: (origins: string, horizon: number, band: number) =>
      `Origins ${origins}; forecasts scored 1-${horizon} years ahead against the enrolment recorded afterwards. Signed error = (forecast − actual) / actual (over-forecast positive); MAPE = mean absolute percentage error. Bands hold ${band} %: empirical bands from the other origins' errors (leave-one-origin-out), Monte Carlo bands from seeded replicates.`,
    mapeByHorizon: "Mean absolute percentage error (MAPE, %) by years ahead",
    yearsAhead: "years ahead",
    mapePct: "MAPE (%)",
    best: "Best method (lowest MAPE over all horizons)",
    metrics: "Metrics",
    warnings: "Warnings",
    level: "level",
    scope: "scope",
    method: "method",
    horizon: "years ahead",
    n: "forecasts",
    bias: "mean signed error (%, + = over-forecast)",
    mape: "MAPE (%)",
    median: "median absolute % error",
    within2: "share within ±2 %",
    within5: "share within ±5 %",
    empirical: (b: number) => `share in the ${b} % empirical band`,
    mc: (b: number) => `share in the ${b} % Monte Carlo band`,
    at: (h: number) => `${h} years ahead`,
    scopes: { county: "county", catchment: "catchment area (township with its villages, county seat)", school: "school" } as Record<
      string,
      string
    >,
    cohort: "cohort-component",
    gp: "grade progression",
    summaries: {
      mean: "mean",
      "geometric-mean": "geometric mean",
      median: "median",
      last: "last year's ratio",
      "recency-weighted": "recency-weighted"
    } as Record<string, string>,
    lastN: (n: string) => `last ${n} years`
  }
}

/** A method's name in words (`gp-mean-last3` → "grade progression, mean, last 3 years"), the id beside it. */
export const methodName = (id: string, lang: Lang): string => {
  const t = words[lang]
  if (id === "cohort-component") return t.cohort
  const m = /^gp-(geometric-mean|recency-weighted|mean|median|last)(?:-([\d.]+))?(?:-last(\d+))?$/.exec(id)
  if (m === null) return id
  const parts = [t.summaries[m[1]] ?? m[1], ...(m[2] === undefined ? [] : [m[2]]), ...(m[3] === undefined ? [] : [t.lastN(m[3])])]
  return lang === "zh" ? `${t.gp}（${parts.join("，")}）` : `${t.gp} (${parts.join(", ")})`
}

const levelName = (level: string, lang: Lang) => School.levelLabels[level as School.Level]?.[lang] ?? level

/** One SVG line chart: MAPE (%) by horizon, a line per method; both axes carry their unit. */
const chart = (
  title: string,
  lines: ReadonlyArray<{ readonly method: string; readonly points: ReadonlyArray<readonly [number, number]> }>,
  horizon: number,
  methods: ReadonlyArray<string>,
  lang: Lang
) => {
  const t = words[lang]
  const w = 420
  const h = 250
  const pad = { l: 52, r: 12, t: 28, b: 40 }
  const max = Math.max(1, ...lines.flatMap((l) => l.points.map(([, y]) => y)).filter(Number.isFinite))
  const x = (hz: number) => pad.l + ((hz - 1) / Math.max(1, horizon - 1)) * (w - pad.l - pad.r)
  const y = (v: number) => h - pad.b - (v / max) * (h - pad.t - pad.b)
  const ticks = Array.from({ length: 5 }, (_, i) => (max * i) / 4)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(title)}">
<text x="${pad.l}" y="16" font-size="13" font-weight="bold">${escapeHtml(title)}</text>
${ticks.map((v) => `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${pad.l - 4}" y="${y(v) + 4}" font-size="10" text-anchor="end">${v.toFixed(1)}</text>`).join("\n")}
<text x="12" y="${(pad.t + h - pad.b) / 2}" font-size="10" text-anchor="middle" transform="rotate(-90 12 ${(pad.t + h - pad.b) / 2})">${escapeHtml(t.mapePct)}</text>
${Array.from({ length: horizon }, (_, i) => `<text x="${x(i + 1)}" y="${h - pad.b + 14}" font-size="10" text-anchor="middle">${i + 1}</text>`).join("")}
<text x="${(w + pad.l) / 2}" y="${h - 6}" font-size="10" text-anchor="middle">${escapeHtml(t.yearsAhead)}</text>
${lines
  .map((l) => {
    const color = palette[methods.indexOf(l.method) % palette.length]
    const name = methodName(l.method, lang)
    const pts = l.points.filter(([, v]) => Number.isFinite(v))
    return (
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([hz, v]) => `${x(hz).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"><title>${escapeHtml(name)}</title></polyline>` +
      pts
        .map(
          ([hz, v]) =>
            `<circle cx="${x(hz).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${color}"><title>${escapeHtml(name)}: ${v.toFixed(2)} %, ${escapeHtml(t.at(hz))}</title></circle>`
        )
        .join("")
    )
  })
  .join("\n")}
</svg>`
}

/**
 * `backtest.html`: the charts (MAPE by horizon, per level and scope) and the metrics table, in `lang`,
 * with a marker where `render` puts the font.
 */
export const html = (title: string, synthetic: boolean, result: Backtest.Result, lang: Lang = "en"): string => {
  const t = words[lang]
  const levels = [...new Set(result.summary.map((r) => r.level))]
  const scopes = ["county", "catchment", "school"] as const
  const scopeName = (s: string) => t.scopes[s] ?? s
  const legend = result.methods
    .map(
      (m, i) => `<span class="key"><span style="color:${palette[i % palette.length]}">■</span> ${escapeHtml(methodName(m, lang))}</span>`
    )
    .join(" ")
  const charts = levels
    .map(
      (level) =>
        `<h3>${escapeHtml(levelName(level, lang))}</h3><div class="row">` +
        scopes
          .map((scope) => {
            const lines = result.methods
              .map((method) => ({
                method,
                points: result.summary
                  .filter((r) => r.level === level && r.scope === scope && r.method === method)
                  .map((r) => [r.horizon, r.mape] as const)
              }))
              .filter((l) => l.points.length > 0)
            return lines.length === 0
              ? ""
              : chart(`${levelName(level, lang)} · ${scopeName(scope)}`, lines, result.horizon, result.methods, lang)
          })
          .join("") +
        "</div>"
    )
    .join("\n")
  const band = Math.round(result.coverage * 100)
  const head = (cells: ReadonlyArray<string>) => `<tr>${cells.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`
  const rows = result.summary
    .map(
      (r) =>
        `<tr><td>${escapeHtml(levelName(r.level, lang))}</td><td>${escapeHtml(scopeName(r.scope))}</td><td>${escapeHtml(methodName(r.method, lang))}</td><td>${r.horizon}</td><td>${r.n}</td><td>${pct(r.mean_error_pct, 2)}</td><td>${pct(r.mape, 2)}</td><td>${pct(r.median_ape, 2)}</td><td>${share(r.within_2)}</td><td>${share(r.within_5)}</td><td>${share(r.empirical_coverage)}</td><td>${share(r.mc_coverage)}</td></tr>`
    )
    .join("\n")
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}"><head><meta charset="utf-8">${cspMeta([])}<title>${escapeHtml(title)}: ${escapeHtml(t.backtest)}</title>
<style>${Font.marker}
body{font-family:${Font.stack};margin:24px;color:#222}.row{display:flex;flex-wrap:wrap;gap:12px}svg{font-family:${Font.stack}}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:nth-child(-n+3){text-align:left;white-space:nowrap}.note{color:#a00}.key{white-space:nowrap;margin-right:12px}
@media print{@page{size:A4 landscape;margin:12mm}body{margin:0}h2{break-before:page}.row svg{break-inside:avoid}tr{break-inside:avoid}}</style>
</head><body>
<h1>${escapeHtml(title)}: ${escapeHtml(t.backtest)}</h1>
${synthetic ? `<p class="note">${escapeHtml(t.synthetic)}</p>` : ""}
<p>${escapeHtml(t.intro(result.origins.join(", "), result.horizon, band))}</p>
<p>${legend}</p>
<h2>${escapeHtml(t.mapeByHorizon)}</h2>
${charts}
<h2>${escapeHtml(t.best)}</h2>
<table>${head([t.level, t.scope, t.method, t.mape])}
${result.best.map((b) => `<tr><td>${escapeHtml(levelName(b.level, lang))}</td><td>${escapeHtml(scopeName(b.scope))}</td><td>${escapeHtml(methodName(b.method, lang))}</td><td>${pct(b.mape, 2)}</td></tr>`).join("\n")}
</table>
<h2>${escapeHtml(t.metrics)}</h2>
<table>${head([t.level, t.scope, t.method, t.horizon, t.n, t.bias, t.mape, t.median, t.within2, t.within5, t.empirical(band), t.mc(band)])}
${rows}
</table>
${result.warnings.length === 0 ? "" : `<h2>${escapeHtml(t.warnings)}</h2><ul>${result.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul>`}
</body></html>
`
}

/** `backtest.html` with Noto Sans SC cut to its characters and embedded. */
export const render = (title: string, synthetic: boolean, result: Backtest.Result, lang: Lang): Promise<string> =>
  Font.embed(html(title, synthetic, result, lang))
