/**
 * The backtest's printed table and its report: `backtest.html`, one self-contained file (inline SVG, no
 * script, no network) with MAPE by horizon per method for each level and scope, and the metrics table.
 * Text from the scenario (its name, levels, methods, warnings naming schools) is escaped, and the page's
 * Content-Security-Policy allows no script at all and loads nothing (see internal/Html).
 */
import type { Backtest } from "@seatplan/sim"
import { cspMeta, escapeHtml } from "./internal/Html.js"
import * as Output from "./Output.js"

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

/** One SVG line chart: MAPE (%) by horizon, a line per method. */
const chart = (
  title: string,
  lines: ReadonlyArray<{ readonly method: string; readonly points: ReadonlyArray<readonly [number, number]> }>,
  horizon: number,
  methods: ReadonlyArray<string>
) => {
  const w = 420
  const h = 240
  const pad = { l: 44, r: 12, t: 28, b: 34 }
  const max = Math.max(1, ...lines.flatMap((l) => l.points.map(([, y]) => y)).filter(Number.isFinite))
  const x = (hz: number) => pad.l + ((hz - 1) / Math.max(1, horizon - 1)) * (w - pad.l - pad.r)
  const y = (v: number) => h - pad.b - (v / max) * (h - pad.t - pad.b)
  const ticks = Array.from({ length: 5 }, (_, i) => (max * i) / 4)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(title)}">
<text x="${pad.l}" y="16" font-size="13" font-weight="bold">${escapeHtml(title)}</text>
${ticks.map((t) => `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${pad.l - 4}" y="${y(t) + 4}" font-size="10" text-anchor="end">${t.toFixed(1)}</text>`).join("\n")}
${Array.from({ length: horizon }, (_, i) => `<text x="${x(i + 1)}" y="${h - pad.b + 14}" font-size="10" text-anchor="middle">${i + 1}</text>`).join("")}
<text x="${(w + pad.l) / 2}" y="${h - 4}" font-size="10" text-anchor="middle">years ahead 预测年限</text>
${lines
  .map((l) => {
    const color = palette[methods.indexOf(l.method) % palette.length]
    const pts = l.points.filter(([, v]) => Number.isFinite(v))
    return (
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([hz, v]) => `${x(hz).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"><title>${escapeHtml(l.method)}</title></polyline>` +
      pts
        .map(
          ([hz, v]) =>
            `<circle cx="${x(hz).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${color}"><title>${escapeHtml(l.method)}: ${v.toFixed(2)} % at ${hz} y</title></circle>`
        )
        .join("")
    )
  })
  .join("\n")}
</svg>`
}

/** `backtest.html`: the charts (MAPE by horizon, per level and scope) and the metrics table. */
export const html = (title: string, synthetic: boolean, result: Backtest.Result): string => {
  const levels = [...new Set(result.summary.map((r) => r.level))]
  const scopes = ["county", "catchment", "school"] as const
  const legend = result.methods
    .map((m, i) => `<span style="color:${palette[i % palette.length]}">■</span> ${escapeHtml(m)}`)
    .join(" &nbsp; ")
  const charts = levels
    .map(
      (level) =>
        `<h3>${escapeHtml(level)}</h3><div class="row">` +
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
            return lines.length === 0 ? "" : chart(`${level} · ${scope}: MAPE %`, lines, result.horizon, result.methods)
          })
          .join("") +
        "</div>"
    )
    .join("\n")
  const rows = result.summary
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.level)}</td><td>${escapeHtml(r.scope)}</td><td>${escapeHtml(r.method)}</td><td>${r.horizon}</td><td>${r.n}</td><td>${pct(r.mean_error_pct, 2)}</td><td>${pct(r.mape, 2)}</td><td>${pct(r.median_ape, 2)}</td><td>${share(r.within_2)}</td><td>${share(r.within_5)}</td><td>${share(r.empirical_coverage)}</td><td>${share(r.mc_coverage)}</td></tr>`
    )
    .join("\n")
  const band = Math.round(result.coverage * 100)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${cspMeta([])}<title>${escapeHtml(title)}: backtest 回测</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}.row{display:flex;flex-wrap:wrap;gap:12px}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:nth-child(-n+3){text-align:left}.note{color:#a00}</style>
</head><body>
<h1>${escapeHtml(title)}: backtest 回测</h1>
${synthetic ? '<p class="note">Synthetic data: nothing in this scenario is real. 合成数据。</p>' : ""}
<p>Origins ${escapeHtml(result.origins.join(", "))}; forecasts scored 1-${result.horizon} years ahead against the enrolment recorded afterwards.
Signed error = (forecast − actual) / actual (over-forecast positive); MAPE = mean absolute percentage error.
Bands hold ${band} %: empirical bands from the other origins' errors (leave-one-origin-out), Monte Carlo bands from seeded replicates.</p>
<p>${legend}</p>
<h2>MAPE by years ahead 各预测年限的平均绝对百分比误差</h2>
${charts}
<h2>Best method 最优方法 (lowest MAPE over all horizons)</h2>
<table><tr><th>level</th><th>scope</th><th>method</th><th>MAPE %</th></tr>
${result.best.map((b) => `<tr><td>${escapeHtml(b.level)}</td><td>${escapeHtml(b.scope)}</td><td>${escapeHtml(b.method)}</td><td>${pct(b.mape, 2)}</td></tr>`).join("\n")}
</table>
<h2>Metrics 指标</h2>
<table><tr><th>level</th><th>scope</th><th>method</th><th>years ahead</th><th>n</th><th>bias %</th><th>MAPE %</th><th>median APE %</th><th>within ±2 %</th><th>within ±5 %</th><th>in ${band} % empirical band</th><th>in ${band} % Monte Carlo band</th></tr>
${rows}
</table>
${result.warnings.length === 0 ? "" : `<h2>Warnings 提示</h2><ul>${result.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul>`}
</body></html>
`
}
