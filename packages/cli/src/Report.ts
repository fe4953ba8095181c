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
 *
 * This module lays out the page; the words are in report/Labels, the charts' data in report/ChartData and
 * the page's script in report/PageScript.
 */
import { createRequire } from "node:module"
import * as fs from "node:fs"
import type { Bands, Geometry, Project } from "@seatplan/plan"
import type { Compliance, Tables } from "@seatplan/sim"
import { Compare } from "@seatplan/plan"
import { cspMeta, escapeHtml, inlineScript, jsonForScript } from "./internal/Html.js"
import * as Output from "./Output.js"
import { chartData } from "./report/ChartData.js"
import * as Font from "./report/Font.js"
import * as Labels from "./report/Labels.js"
import { mapData, namesOf } from "./report/MapData.js"
import * as Summary from "./report/Summary.js"
import type * as Tiles from "./report/Tiles.js"
import { page } from "./report/PageScript.js"

export type Lang = Labels.Lang

let echartsText: string | undefined
const echarts = (): string => {
  const require = createRequire(import.meta.url)
  echartsText ??= fs.readFileSync(require.resolve("echarts/dist/echarts.min.js"), "utf8")
  return echartsText
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
  /** Township boundaries the scenario gives, by seat id (the others are derived from the settlements). */
  readonly boundaries?: ReadonlyMap<string, Geometry.Area>
  /** A background under the maps (`--tiles`); none by default: the report is offline and says so. */
  readonly tiles?: Tiles.Background
}

/** A cell is text (escaped) or markup the report made itself. */
type Cell = string | { readonly html: string }

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>) =>
  `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${typeof c === "string" ? escapeHtml(c) : c.html}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`

/** Builds the report's HTML. */
export const html = (input: Input): string => {
  const t = Labels.words[input.lang]
  const lv = (l: string) => t[l as "primary"] ?? l
  const yesNo = (b: boolean) => (b ? t.yes : t.no)
  const u = Labels.units[input.lang]
  const compareTable = table(
    Compare.compareHeader(input.lang),
    // in whole figures as the compare sheet has them (a level's pupils over seats: its schools' in the schools table)
    Output.wholeCompared(input.compared.rows, input.results, input.demand).map((r) => Compare.cells(r, lv))
  )
  const accountsTable = table(
    [
      t.variant,
      `${t.opened} (${u.schools})`,
      `${t.expanded} (${u.schools})`,
      `${t.closed} (${u.schools})`,
      `${t.repurposed} (${u.schools})`,
      `${t.seatsAdded} (${u.seats})`,
      `${t.classroomsAdded} (${u.rooms})`,
      `${t.bedsAdded} (${u.beds})`,
      `${t.integrated} (${u.persons})`,
      `${t.seatsReused} (${u.seats})`,
      t.investment,
      `${t.newTeachers} (${u.persons})`,
      t.seniorCost
    ],
    input.accounts.map(Compare.accountCells)
  )
  // in whole seats as the CSV and the workbook give them (largest remainder within a variant's level): each
  // cell rounded on its own had a column that did not add up to the summary's total
  const inYear = Output.whole(
    "seat_demand",
    input.demand.filter((d) => d.year === input.compared.year)
  ) as typeof input.demand
  const areas = [...new Map(inYear.map((d) => [`${d.area}|${d.level}`, d])).values()]
  const demandTable = table(
    [
      t.area,
      t.level,
      ...input.results.flatMap((r) => [
        `${r.variant}: ${t.seatsNeeded} (${u.seats})`,
        `${r.variant}: ${t.seats} (${u.seats})`,
        `${r.variant}: ${t.areaShort} (${u.seats})`
      ])
    ],
    areas.map((a) => [
      a.area_name,
      lv(a.level),
      ...input.results.flatMap((r) => {
        // an area a variant does not have (a district only a plan adds) is blank, not 0
        const d = inYear.find((x) => x.variant === r.variant && x.area === a.area && x.level === a.level)
        return d === undefined ? ["—", "—", "—"] : [d.seat_demand.toFixed(0), d.seats.toFixed(0), d.area_seats_short.toFixed(0)]
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
            `${t.tasks} (${u.tasks})`,
            `${t.opened} (${u.schools})`,
            `${t.expanded} (${u.schools})`,
            `${t.closed} (${u.schools})`,
            `${t.repurposed} (${u.schools})`,
            `${t.other} (${u.tasks})`,
            `${t.seatsAdded} (${u.seats})`,
            `${t.classroomsAdded} (${u.rooms})`,
            `${t.bedsAdded} (${u.beds})`,
            t.investment,
            t.investmentShare,
            t.taskShare,
            `${t.invested} (${u.schools})`
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
    [
      t.variant,
      t.fullCompliance,
      t.holdsFrom,
      t.failsAgain,
      `${t.failingChecks} (${u.checks})`,
      `${t.failingMost} (${u.checks})`,
      t.unknownChecks
    ],
    input.results.map((r) => [
      ...Compare.complianceCells(r.compliance, lastYear, () => t.notBy).slice(0, 5),
      r.compliance.rules
        .filter((x) => x.counts && x.failing_last_year > 0)
        .sort((a, b) => b.failing_last_year - a.failing_last_year)
        .slice(0, 4)
        .map((x) => `${Summary.ruleName(input.rules, x.rule, input.lang)} ${x.failing_last_year}`)
        .join("; "),
      Compare.complianceCells(r.compliance, lastYear)[6]
    ])
  )
  const ruleYearsTable = table(
    [t.rule, ...input.results.map((r) => r.variant)],
    Compare.ruleYears(input.results, input.rules, input.lang).map(([id, , ...years]) => [
      Summary.ruleName(input.rules, id!, input.lang),
      ...years
    ])
  )
  const failing = {
    years: Object.keys(input.results[0]?.compliance.failing_by_year ?? {}),
    series: input.results.map((r) => ({ name: r.variant, data: Object.values(r.compliance.failing_by_year) }))
  }
  const maps = input.results.map((r) => mapData(r, Math.max(...r.county.map((c) => c.year)), input.boundaries))
  const bg = input.tiles
  const basemap =
    bg === undefined
      ? t.noBasemap
      : bg.kind === "file"
        ? t.basemapFile(bg.source, bg.zoom, bg.tiles.length)
        : t.basemapUrl(bg.source, bg.zoom, bg.tiles.length)
  const background = bg === undefined ? undefined : { tiles: bg.tiles, label: bg.kind === "file" ? t.basemapShortFile : t.basemapShortUrl }
  const variants = input.results.map((r, i) => {
    const last = Math.max(...r.county.map((c) => c.year))
    const failing = new Map<string, Array<string>>()
    for (const c of r.checks) {
      // an unknown check (data missing) is not a failing rule: completeness.csv lists what the school lacks
      if (c.year !== last || c.pass || c.status === "unknown" || !c.counts || c.scope !== "school") continue
      const key = `${c.school_id}|${c.level}`
      failing.set(key, [...(failing.get(key) ?? []), Summary.failingText(input.rules, c.rule, c.margin, input.lang)])
    }
    const { names } = namesOf(r)
    const standards = table(
      [
        t.school,
        t.level,
        `${t.pupils} (${u.persons})`,
        `${t.seats} (${u.seats})`,
        `${t.maxClass} (${u.persons})`,
        t.largeOrSuper,
        t.sizeOk,
        t.teachersOk,
        t.qualityMet,
        t.roomsOk,
        t.failingRules
      ],
      // whole pupils and seats as schools.csv has them (largest remainder within the level), not each cell rounded
      (Output.whole("schools", r.schools.inYear(last)) as ReadonlyArray<Tables.SchoolRow>)
        .filter((s) => s.open)
        .map((s) => [
          names.get(s.school_id) ?? s.school_id,
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
          { html: `<div class="failing">${(failing.get(`${s.school_id}|${s.level}`) ?? []).map(escapeHtml).join("<br>")}</div>` }
        ])
    )
    return `<section class="variant"><h2>${t.variant}: ${escapeHtml(r.variant)}</h2>
<div id="map-${i}" class="chart map"></div>
<p class="mapnote">${escapeHtml(basemap)} ${escapeHtml(t.projectionNote)} ${escapeHtml(t.boundaryNotes[maps[i]!.boundaries])} ${escapeHtml(t.statusNote(maps[i]!.baseYear, maps[i]!.year))}</p>
<div class="grid"><div id="seats-${i}" class="chart"></div>
<div id="classes-${i}" class="chart"></div><div id="teachers-${i}" class="chart"></div></div>
<h3>${t.standards} (${last})</h3>${standards}</section>`
  })
  const data = input.results.map((r) => chartData(r, input.lang))
  const library = echarts()
  return `<!doctype html>
<html lang="${input.lang === "zh" ? "zh-CN" : "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${cspMeta([library, page], bg?.origin === undefined ? [] : [bg.origin])}
<title>${escapeHtml(input.title)} — ${t.report}</title>
<style>
${Font.marker}
body{font-family:${Font.stack};margin:24px;color:#222}button{font:inherit}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}h3{font-size:15px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:right}
th{background:#f3f5f7}td:first-child,td:nth-child(2){text-align:left}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:12px;margin-top:12px}.chart{height:340px;border:1px solid #eee}.chart.map{height:620px}
.mapnote{font-size:12px;color:#5d4037;margin:4px 0 0}
.summary-table th[scope=row]{text-align:left;font-weight:normal;max-width:420px}
.summary-table td{font-size:15px;font-weight:bold;min-width:120px;padding:5px 10px;text-align:right}
.summary-table td.best{background:#e8f5e9;color:#1b5e20}
.summary-table td.rules{font-size:12px;font-weight:normal;text-align:left}
.summary-table ol{margin:0;padding-left:18px}
.lead,.note-sign{color:#555;font-size:12px}.failing{text-align:left;min-width:320px}
@page{size:landscape;margin:10mm}
@media print{body{margin:0}.details,section.variant{break-before:page}h2{margin-top:0}.chart{break-inside:avoid}.chart.map{height:600px}
table{font-size:9px}tr{break-inside:avoid}thead{display:table-header-group}#provenance{display:none!important}a.explain{color:inherit;text-decoration:none}}
.note{color:#a33}
#provenance{position:fixed;right:16px;top:16px;bottom:16px;width:min(640px,45vw);overflow:auto;background:#fff;border:1px solid #888;box-shadow:0 4px 16px rgba(0,0,0,.2);padding:12px;display:none}
#provenance pre{white-space:pre-wrap;font-size:12px;font-family:${Font.stack}}a.explain{color:#1565c0}
</style>
${inlineScript(library)}</head><body>
<h1>${escapeHtml(input.title)} — ${t.report}</h1>
${input.synthetic ? `<p class="note">${t.synthetic}</p>` : ""}
${Summary.section(
  input.results.map((r) => Summary.figures(r, input.compared.year, input.demand)),
  input.rules,
  input.lang,
  input.compared.year,
  lastYear
)}
<section class="details"><h2>${t.compare} (${input.compared.year})</h2>${compareTable}<p class="note-sign">${escapeHtml(t.signNote)}</p>
${bandsTable === "" ? "" : `<h3>${t.empiricalBands}</h3>${bandsTable}`}
${mcTable === "" ? "" : `<h3>${t.monteCarloBands}</h3>${mcTable}`}
<h2>${t.compliance}</h2>${complianceTable}
<div id="compliance" class="chart"></div>
<h3>${t.ruleYears}</h3>${ruleYearsTable}
<h2>${t.accounts}</h2>${accountsTable}
<h3>${t.demand} (${input.compared.year})</h3>${demandTable}
${ledgerTable === "" ? "" : `<h3>${t.ledger}</h3>${ledgerTable}`}</section>
${variants.join("\n")}
<div id="provenance"><button id="provenance-close">${t.close}</button><h3>${t.provenance}</h3><pre id="provenance-text"></pre></div>
<script type="application/json" id="report-data">${jsonForScript({ explain: input.explanations ?? [], data, maps, t, failing, font: Font.family, background })}</script>
${inlineScript(page)}</body></html>
`
}

/** The report with its font: Noto Sans SC cut to the page's characters and embedded (report/Font). */
export const render = (input: Input): Promise<string> => Font.embed(html(input), [echarts()])
