/**
 * The workspace page's script (bundled by scripts/build.mjs into dist/serve/app.js). It talks to this
 * server only (the page's CSP allows nothing else), and puts every name and message into the page as text
 * (`textContent`, `new Option`), never as markup; ECharts' tooltips, which it inserts as HTML, get escaped text.
 */
import { LineChart, LinesChart, ScatterChart } from "echarts/charts"
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from "echarts/components"
import * as echarts from "echarts/core"
import type { Schema } from "effect"
import { CanvasRenderer } from "echarts/renderers"
import * as Api from "../Api.js"
import { type Labels, labels } from "../PageLabels.js"

echarts.use([ScatterChart, LineChart, LinesChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, CanvasRenderer])

// == the API's answers: their Schemas are the server's (../Api.ts), and every answer is decoded with them

type VariantSummary = Api.VariantSummary
type Figures = Api.Figures
type View = Api.View
/** A row of the county figures or of the comparison (figures by name). */
type Row = Readonly<Record<string, number | string>>

const lang: "zh" | "en" = document.body.dataset.lang === "en" ? "en" : "zh"
const T: Labels = labels[lang]
const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E
const esc = (s: unknown) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag)
  if (text !== undefined) e.textContent = text
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v)
  return e
}
const fmt = (x: unknown) => (typeof x === "number" ? Math.round(x).toLocaleString(lang === "zh" ? "zh-CN" : "en") : String(x ?? ""))

// == state

let scenario: Api.ScenarioInfo
/** The scenario's settlements by id: where they are and what they are called (an edit's answer sends catchments only). */
let places = new Map<string, Api.ScenarioInfo["settlements"][number]>()
let variants: ReadonlyArray<VariantSummary> = []
let current: View | undefined
/** The version being viewed when it is not the latest (history). */
let asOf: number | undefined
let selectedSchool: string | undefined
let selectedSettlement: string | undefined
/** The last edit sent, to retry on the new version after a conflict. */
let pending: unknown
const params = new URLSearchParams(location.search)

/** The last answer's Server-Timing header (where the server's milliseconds went), for the page's tests. */
let serverTiming = ""

/** A request to this server, its answer decoded with `schema` (or the server's problem). */
const request = async <A, I>(schema: Schema.Schema<A, I>, method: string, path: string, body?: unknown): Promise<Api.Answer<A>> => {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  serverTiming = response.headers.get("server-timing") ?? ""
  return Api.decode(schema, response.status, await response.text())
}

/** The last figures the page was given, by key: an answer's patch applies to the ones it names. */
const held = new Map<string, Figures>()
/** The figures of an answer: whole, or the patch applied to the figures it was made against. */
const figuresOf = (body: Api.View | Api.PatchedView): View => {
  const base = "figures" in body ? undefined : held.get(body.patch.base)
  if (!("figures" in body) && base === undefined) throw new Error(`a patch against ${body.patch.base}, which this page does not hold`)
  const view = "figures" in body ? body : { ...body, figures: Api.apply(base!, body.patch) }
  held.delete(view.key)
  held.set(view.key, view.figures)
  if (held.size > 8) held.delete(held.keys().next().value!)
  return { variant: view.variant, version: view.version, key: view.key, ms: view.ms, figures: view.figures }
}
/** The `since` parameter naming the figures the page holds (the server answers with a patch against them). */
const since = () => (current === undefined ? "" : `since=${encodeURIComponent(current.key)}`)

/** Resolves once the frame drawn before it has been painted (a task queued from the frame's callback runs after the paint). */
const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))

const say = (kind: "ok" | "warning" | "refusal" | "conflict" | "", text: string, retry?: () => void, items: ReadonlyArray<string> = []) => {
  const box = $("message")
  box.replaceChildren()
  box.className = kind
  box.dataset.kind = kind
  box.append(el("span", text))
  if (items.length > 0) {
    const list = el("ul")
    for (const item of items) list.append(el("li", item))
    box.append(list)
  }
  if (retry !== undefined) {
    const b = el("button", T.retry, { "data-testid": "retry" })
    b.addEventListener("click", retry)
    box.append(" ", b)
  }
}

// == rendering

const map = echarts.init($("map"))
const charts = echarts.init($("charts"))
/** The charts draw their words in the page's font (the served Noto Sans SC): a canvas does not inherit CSS. */
const textStyle = { fontFamily: getComputedStyle(document.body).fontFamily }
document.body.dataset.chartFont = textStyle.fontFamily
const utilisationColour = (u: number, open: boolean) =>
  !open ? "#999" : u > 1 ? "#c62828" : u > 0.9 ? "#ef6c00" : u < 0.5 ? "#1565c0" : "#2e7d32"

/** A settlement of the map with its place and name: the scenario's, or the answer's for one a plan added. */
const placed = (s: Api.MapSettlement) => {
  const p = places.get(s.id)
  return { ...s, name: p?.name ?? s.name ?? s.id, tier: p?.tier ?? s.tier ?? "", lon: p?.lon ?? s.lon ?? 0, lat: p?.lat ?? s.lat ?? 0 }
}

/**
 * What the map, charts and tables show now: the parts of the figures they were drawn from, and the
 * selection. A patched answer shares the parts that did not change with the figures before it, so a part
 * drawn from the same array is not drawn again.
 */
const drawn: {
  schools?: Figures["map"]["schools"]
  settlements?: Figures["map"]["settlements"]
  selectedSchool?: string | undefined
  selectedSettlement?: string | undefined
  /** The catchment lines as drawn: each settlement's primary school and where both are. */
  lines?: string | undefined
  /** The schools' and settlements' symbols as drawn (place, size, colour, selection): a layer whose symbols are the same is not redrawn. */
  schoolSymbols?: string
  settlementSymbols?: string
  county?: Figures["county"]
  years?: Figures["years"]
  /** Each chart series' data as drawn (JSON), and the years of the axis. */
  chartYears?: string
  chartData?: ReadonlyArray<string>
  form?: string
} = {}

/**
 * A map symbol's tooltip, read from the figures shown when the pointer is over it: the symbols carry only
 * what is drawn, so figures that change no symbol (a hire changes teachers, not seats) redraw nothing.
 */
const tooltipOf = (kind: string | undefined, id: string | undefined): string => {
  const f = current?.figures.map
  if (f === undefined || id === undefined) return ""
  if (kind === "school") {
    const s = f.schools.find((x) => x.id === id)
    return s === undefined
      ? ""
      : `${esc(s.name)}<br>${esc(`${s.id}: ${fmt(s.pupils)} ${T.pupils} / ${fmt(s.seats)} ${T.seatsAxis} (${T.utilisation} ${Math.round(s.utilisation * 100)} %)`)}`
  }
  if (kind === "settlement") {
    const found = f.settlements.find((x) => x.id === id)
    if (found === undefined) return ""
    const s = placed(found)
    return `${esc(s.name)}<br>${esc(`${s.id} · ${s.tier}`)}`
  }
  return ""
}

map.setOption({
  animation: false,
  textStyle,
  tooltip: {
    formatter: (p: { data?: { kind?: string; id?: string } }) => tooltipOf(p.data?.kind, p.data?.id)
  },
  grid: { left: 40, right: 10, top: 10, bottom: 30 },
  xAxis: { type: "value", scale: true, name: "lon", axisLabel: { formatter: (v: number) => v.toFixed(2) } },
  yAxis: { type: "value", scale: true, name: "lat", axisLabel: { formatter: (v: number) => v.toFixed(2) } },
  series: [
    { id: "lines", type: "lines", coordinateSystem: "cartesian2d", data: [], lineStyle: { color: "#bbb", width: 0.6 }, silent: true },
    { id: "settlements", type: "scatter", name: T.settlement, symbolSize: 4, itemStyle: { color: "#777" }, data: [] },
    { id: "schools", type: "scatter", name: T.school, data: [] }
  ]
})

/** Redraws the map's layers whose figures (or selection) changed since they were drawn; the others stay as they are. */
const renderMap = (f: Figures) => {
  const schools = f.map.schools
  const schoolsChanged = schools !== drawn.schools || selectedSchool !== drawn.selectedSchool
  const settlementsChanged = f.map.settlements !== drawn.settlements || selectedSettlement !== drawn.selectedSettlement
  // the catchment lines join settlements to their primary schools: redrawn when one of them changed
  const touched = f.map.settlements !== drawn.settlements || schools !== drawn.schools
  if (!schoolsChanged && !settlementsChanged && !touched) return
  const series: Array<Record<string, unknown>> = []
  const settlements = settlementsChanged || touched ? f.map.settlements.map(placed) : []
  const byId = new Map(schools.map((s) => [s.id, s]))
  const linesKey = touched
    ? settlements
        .map(
          (s) =>
            `${s.lon},${s.lat}>${s.catchment.primary ?? ""}@${byId.get(s.catchment.primary ?? "")?.lon ?? ""},${byId.get(s.catchment.primary ?? "")?.lat ?? ""}`
        )
        .join(";")
    : drawn.lines
  if (linesKey !== drawn.lines) {
    drawn.lines = linesKey
    const lines = settlements.flatMap((s) => {
      const to = byId.get(s.catchment.primary ?? "")
      return to === undefined
        ? []
        : [
            {
              coords: [
                [s.lon, s.lat],
                [to.lon, to.lat]
              ]
            }
          ]
    })
    series.push({ id: "lines", data: lines })
  }
  if (settlementsChanged) {
    const data = settlements.map((s) => ({
      value: [s.lon, s.lat],
      kind: "settlement",
      id: s.id,
      name: s.name,
      itemStyle: s.id === selectedSettlement ? { color: "#000", borderColor: "#ff0", borderWidth: 2 } : undefined,
      symbolSize: s.id === selectedSettlement ? 10 : 4
    }))
    const symbols = JSON.stringify(data)
    if (symbols !== drawn.settlementSymbols) {
      drawn.settlementSymbols = symbols
      series.push({ id: "settlements", data })
    }
  }
  if (schoolsChanged) {
    const data = schools.map((s) => ({
      value: [s.lon, s.lat],
      kind: "school",
      id: s.id,
      name: s.name,
      symbolSize: Math.max(6, Math.sqrt(s.seats) / 2) + (s.id === selectedSchool ? 6 : 0),
      itemStyle: {
        color: utilisationColour(s.utilisation, s.open),
        borderColor: s.id === selectedSchool ? "#000" : "#fff",
        borderWidth: s.id === selectedSchool ? 3 : 1
      }
    }))
    const symbols = JSON.stringify(data)
    if (symbols !== drawn.schoolSymbols) {
      drawn.schoolSymbols = symbols
      series.push({ id: "schools", data })
    }
  }
  // merged into what is drawn: only the series given are replaced (none: nothing drawn changed)
  if (series.length > 0) map.setOption({ series })
  drawn.schools = schools
  drawn.settlements = f.map.settlements
  drawn.selectedSchool = selectedSchool
  drawn.selectedSettlement = selectedSettlement
}

map.on("click", (p: { data?: unknown }) => {
  const d = p.data as { kind?: string; id?: string } | undefined
  if (d?.kind === "school" && d.id !== undefined) selectSchool(d.id)
  else if (d?.kind === "settlement" && d.id !== undefined) selectSettlement(d.id)
})

// dragging a settlement onto a school: the settlement's children of the level chosen beside the map go
// to that school from the year shown (a catchment step, decided by the domain rules like any edit)
let dragged: string | undefined
map.on("mousedown", (p: { data?: unknown }) => {
  const d = p.data as { kind?: string; id?: string } | undefined
  dragged = d?.kind === "settlement" && current?.variant.editable === true && asOf === undefined ? d.id : undefined
  $("map").style.cursor = dragged === undefined ? "" : "grabbing"
})
map.on("mouseup", (p: { data?: unknown }) => {
  const d = p.data as { kind?: string; id?: string } | undefined
  const from = dragged
  dragged = undefined
  $("map").style.cursor = ""
  if (from === undefined || d?.kind !== "school" || d.id === undefined) return
  const shown = year() ?? scenario.baseYear + 1
  const step = {
    type: "catchment",
    year: Math.max(scenario.baseYear + 1, shown),
    level: $<HTMLSelectElement>("drag-level").value,
    settlement: from,
    school: d.id
  }
  const by = $<HTMLInputElement>("planner").value.trim()
  void send("edits", by === "" ? { step } : { step, by })
})
map.getZr().on("mouseup", () => {
  // released off any school: nothing is sent
  setTimeout(() => {
    dragged = undefined
    $("map").style.cursor = ""
  }, 0)
})

/** Where a school or settlement is drawn on the map, in page pixels (for tools and the page's tests). */
;(window as unknown as { seatplanMapPoint: unknown }).seatplanMapPoint = (kind: "school" | "settlement", id: string) => {
  const f = current?.figures.map
  const found = kind === "school" ? f?.schools.find((s) => s.id === id) : f?.settlements.find((s) => s.id === id)
  const at = found === undefined ? undefined : "levels" in found ? found : placed(found)
  if (at === undefined) return undefined
  const [x, y] = map.convertToPixel({ gridIndex: 0 }, [at.lon, at.lat]) as [number, number]
  const box = $("map").getBoundingClientRect()
  return { x: box.left + window.scrollX + x, y: box.top + window.scrollY + y }
}

const sum = (rows: ReadonlyArray<Row>, year: number, key: string) =>
  rows.filter((r) => r.year === year).reduce((n, r) => n + Number(r[key] ?? 0), 0)

/**
 * Redraws the charts when the county's figures changed since they were drawn: the whole chart when the
 * years changed, else only the series whose values changed (merged by id: axes and legend stay drawn).
 */
const renderCharts = (f: Figures) => {
  if (f.county === drawn.county && f.years === drawn.years) return
  drawn.county = f.county
  drawn.years = f.years
  const values = (rows: ReadonlyArray<Row>, key: string) => f.years.map((y) => sum(rows, y, key))
  const series = [
    { id: "pupils", type: "line", name: `${T.pupils} (${T.thisVariant})`, data: values(f.county.variant, "pupils") },
    { id: "seats", type: "line", name: `${T.seatsAxis} (${T.thisVariant})`, data: values(f.county.variant, "seats") },
    {
      id: "baseline-seats",
      type: "line",
      name: `${T.seatsAxis} (${T.baseline})`,
      data: values(f.county.baseline, "seats"),
      lineStyle: { type: "dashed" }
    },
    {
      id: "large-classes",
      type: "line",
      name: `${T.largeClasses} (${T.thisVariant})`,
      yAxisIndex: 1,
      data: values(f.county.variant, "large_classes")
    },
    {
      id: "teacher-gap",
      type: "line",
      name: `${T.teacherGap} (${T.thisVariant})`,
      yAxisIndex: 1,
      data: values(f.county.variant, "teacher_gap")
    }
  ]
  const data = series.map((s) => JSON.stringify(s.data))
  const years = JSON.stringify(f.years)
  if (years === drawn.chartYears && drawn.chartData !== undefined) {
    const before = drawn.chartData
    const changed = series.filter((_, i) => data[i] !== before[i])
    drawn.chartData = data
    if (changed.length > 0) charts.setOption({ series: changed.map((s) => ({ id: s.id, data: s.data })) })
    return
  }
  drawn.chartYears = years
  drawn.chartData = data
  charts.setOption(
    {
      animation: false,
      textStyle,
      tooltip: {
        trigger: "axis",
        formatter: (ps: ReadonlyArray<{ axisValueLabel: string; seriesName: string; value: number }>) =>
          ps.length === 0 ? "" : esc(ps[0].axisValueLabel) + ps.map((p) => `<br>${esc(p.seriesName)}: ${esc(fmt(p.value))}`).join("")
      },
      // plain (it wraps), never paged: a paged legend hides series, as the report never does
      legend: { bottom: 0, type: "plain" },
      grid: { left: 60, right: 60, top: 30, bottom: 70 },
      xAxis: { type: "category", data: f.years.map(String) },
      yAxis: [
        { type: "value", name: T.pupils },
        { type: "value", name: T.largeClasses, position: "right" }
      ],
      series
    },
    { notMerge: true }
  )
}

/**
 * Fills a table: when it already has these rows (the same header and row keys), only the cells whose text
 * changed are written; else it is built again.
 */
const table = (id: string, header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, testKeys?: ReadonlyArray<string>) => {
  const t = $<HTMLTableElement>(id)
  const shape = JSON.stringify([header, testKeys ?? rows.length])
  if (t.dataset.shape === shape) {
    const trs = t.rows
    rows.forEach((r, i) => {
      const cells = trs[i + 1].cells
      r.forEach((c, j) => {
        if (cells[j].textContent !== c) cells[j].textContent = c
      })
    })
    return
  }
  t.dataset.shape = shape
  t.replaceChildren()
  const head = el("tr")
  for (const h of header) head.append(el("th", h))
  t.append(head)
  rows.forEach((r, i) => {
    const tr = el("tr", undefined, testKeys === undefined ? {} : { "data-key": testKeys[i] })
    for (const c of r) tr.append(el("td", c))
    t.append(tr)
  })
}

const renderTables = (f: Figures) => {
  const [base, mine] = [f.accounts[0], f.accounts[1]]
  /** An account's figure by its name in the labels (investment: the sum over the years). */
  const account = (a: (typeof f.accounts)[number] | undefined, k: string): number | undefined => {
    if (a === undefined) return undefined
    if (k === "investment") return Object.values(a.investment_by_year).reduce((x, v) => x + v, 0)
    const v: unknown = (a as Readonly<Record<string, unknown>>)[k]
    return typeof v === "number" ? v : undefined
  }
  const keys = Object.keys(T.accountNames)
  table(
    "accounts",
    [T.figure, T.thisVariant, T.baseline],
    keys.map((k) => [T.accountNames[k], fmt(account(mine, k)), fmt(account(base, k))]),
    keys
  )
  const levels = [...new Set(f.compare.map((r) => String(r.level)))]
  const figures = ["pupils", "seats", "pupils_over_seats", "large_classes", "teacher_gap", "mean_distance_km"] as const
  const names: Record<(typeof figures)[number], string> = {
    pupils: T.pupils,
    seats: T.seatsAxis,
    pupils_over_seats: T.seatsShort,
    large_classes: T.largeClasses,
    teacher_gap: T.teacherGap,
    mean_distance_km: T.distance
  }
  const rows: Array<Array<string>> = []
  const rowKeys: Array<string> = []
  for (const level of levels) {
    const b = f.compare.find((r) => r.level === level && r.variant === "baseline")
    const m = f.compare.find((r) => r.level === level && r.variant !== "baseline") ?? b
    for (const k of figures) {
      const digits = k === "mean_distance_km" ? 2 : 0
      const show = (x: unknown) => (typeof x === "number" ? (digits === 0 ? fmt(x) : x.toFixed(digits)) : "")
      rows.push([`${T.levelNames[level] ?? level} · ${names[k]}`, show(m?.[k]), show(b?.[k])])
      rowKeys.push(`${level}.${k}`)
    }
  }
  table("county", [`${T.figure} (${f.year})`, T.thisVariant, T.baseline], rows, rowKeys)
  const failing = f.standards.filter((s) => s.failing > 0 || s.baselineFailing > 0)
  table(
    "standards",
    [lang === "zh" ? "规则" : "rule", T.failing, T.baselineFailing],
    failing.map((s) => [`${lang === "zh" ? s.zh : s.en} (${s.unit})`, fmt(s.failing), fmt(s.baselineFailing)]),
    failing.map((s) => s.id)
  )
}

const renderTimeline = async () => {
  if (current === undefined) return
  const h = await request(Api.History, "GET", `/api/variants/${encodeURIComponent(current.variant.id)}/history`)
  const list = $("timeline")
  list.replaceChildren()
  if (!h.ok) return
  const t = h.body
  for (const r of t.timeline) {
    const li = el("li", undefined, { "data-version": String(r.after) })
    li.append(
      el(
        "span",
        `v${r.after} · ${new Date(r.at).toLocaleString(lang === "zh" ? "zh-CN" : "en")} · ${r.kind === "edit" ? T.edited : T.fromScenario}${r.by === undefined ? "" : ` (${r.by})`}: ${r.what}`
      )
    )
    li.append(el("br"), el("small", `${T.rulesPassed}: ${r.rules.join("; ")}`), " ")
    const view = el("button", T.view, { "data-testid": `view-${r.after}` })
    view.addEventListener("click", () => void load(r.after))
    const fork = el("button", T.forkHere, { "data-testid": `fork-${r.after}` })
    fork.addEventListener("click", () => void forkAt(r.after))
    li.append(view, " ", fork)
    list.append(li)
  }
  document.body.dataset.timeline = String(current.variant.version)
}

const renderHeader = () => {
  const select = $<HTMLSelectElement>("variant")
  select.replaceChildren(...variants.map((v) => new Option(v.id === "baseline" ? `${T.baseline}` : v.name, v.id)))
  if (current !== undefined) select.value = current.variant.id
  const v = current?.variant
  $<HTMLButtonElement>("undo").disabled = v?.canUndo !== true || asOf !== undefined
  $<HTMLButtonElement>("redo").disabled = v?.canRedo !== true || asOf !== undefined
  $<HTMLButtonElement>("rename").disabled = v?.editable !== true
  $<HTMLButtonElement>("delete").disabled = v?.editable !== true
  const exportLink = $<HTMLAnchorElement>("export")
  if (v !== undefined) {
    exportLink.href = `/api/variants/${encodeURIComponent(v.id)}/export${asOf === undefined ? "" : `?version=${asOf}`}`
    exportLink.setAttribute("download", `${v.id}.scenario.yaml`)
    for (const [link, file] of [
      ["out-report", "report.html"],
      ["out-pdf", "report.pdf"],
      ["out-workbook", "seatplan.xlsx"]
    ] as const) {
      $<HTMLAnchorElement>(link).href =
        `/api/variants/${encodeURIComponent(v.id)}/out?file=${file}${asOf === undefined ? "" : `&version=${asOf}`}`
    }
  }
  const versionText = current === undefined ? "" : `${T.version} ${current.version}${asOf === undefined ? "" : ` (${T.viewing})`}`
  $("version").textContent = versionText
  $("version").dataset.version = String(current?.version ?? "")
}

/** The milliseconds each part of the last render took ("map=12;charts=3;…"), for the page's tests. */
let renderParts = ""

/** Draws the view: each part redraws only when what it shows changed (see `drawn`). */
const render = () => {
  if (current === undefined) return
  const f = current.figures
  const parts: Array<string> = []
  const timed = (name: string, draw: () => void) => {
    const t0 = performance.now()
    draw()
    parts.push(`${name}=${(performance.now() - t0).toFixed(1)}`)
  }
  timed("header", renderHeader)
  timed("map", () => renderMap(f))
  timed("charts", () => renderCharts(f))
  timed("tables", () => renderTables(f))
  timed("form", renderEditForm)
  renderParts = parts.join(";")
  document.body.dataset.ready = String(current.version)
}

// == loading

const variantId = () => $<HTMLSelectElement>("variant").value || current?.variant.id || "baseline"
const year = () => Number($<HTMLSelectElement>("year").value) || undefined

const load = async (version?: number) => {
  asOf = version
  const id = variantId()
  const query = new URLSearchParams()
  if (year() !== undefined) query.set("year", String(year()))
  if (version !== undefined) query.set("version", String(version))
  // the same variant again (another year or version): only what changed is sent
  if (current !== undefined && current.variant.id === id) query.set("since", current.key)
  const r = await request(Api.ViewOrPatch, "GET", `/api/variants/${encodeURIComponent(id)}?${query}`)
  if (!r.ok) return say("refusal", r.problem.message)
  current = figuresOf(r.body)
  if (version !== undefined && version === current.variant.version) asOf = undefined
  render()
  await renderTimeline()
}

const refreshVariants = async () => {
  const r = await request(Api.VariantList, "GET", "/api/variants")
  if (r.ok) variants = r.body
  else say("refusal", r.problem.message)
}

// == editing

/** Edits whose new figures have been painted (the page's tests wait for the count). */
let editsDrawn = 0

/**
 * Sends an edit, undo or redo; `started` is when the planner asked for it (the click's time), from which
 * the page measures how long the updated figures took to be painted.
 */
const send = async (path: string, body: Record<string, unknown>, started = performance.now()) => {
  if (current === undefined) return
  const id = current.variant.id
  const query = [year() === undefined ? "" : `year=${year()}`, since()].filter((q) => q !== "").join("&")
  const r = await request(Api.ChangedOrPatch, "POST", `/api/variants/${encodeURIComponent(id)}/${path}?${query}`, {
    ...body,
    expectedVersion: current.variant.version,
    expectedState: current.variant.state
  })
  // the answer read and decoded: what the server and the wire took (the rest is drawing)
  const answered = performance.now()
  if (r.ok) {
    current = figuresOf(r.body)
    asOf = undefined
    pending = undefined
    const timing = serverTiming
    const drawnAt = performance.now()
    render()
    // an accepted edit may still look mistyped (a school's place, its seats): said beside the acceptance
    const warned = r.body.result?.warnings ?? []
    if (warned.length === 0) say("ok", `${T.accepted} (${T.version} ${current.version})`)
    else say("warning", `${T.accepted} (${T.version} ${current.version}). ${T.check}`, undefined, warned)
    const rendered = performance.now()
    await painted()
    const ds = document.body.dataset
    ds.lastEditMs = String(Math.round(performance.now() - started))
    ds.lastEditAnswerMs = String(Math.round(answered - started))
    ds.lastEditApplyMs = String(Math.round(drawnAt - answered))
    ds.lastEditRenderMs = String(Math.round(rendered - drawnAt))
    ds.lastEditServerMs = String(r.body.ms)
    ds.lastEditServerTiming = timing
    ds.lastEditRenderParts = renderParts
    ds.lastEditPatched = String(!("figures" in r.body))
    ds.editsDrawn = String(++editsDrawn)
    await refreshVariants()
    renderHeader()
    await renderTimeline()
  } else if (r.problem.error === "conflict") {
    pending = { path, body }
    say("conflict", `${T.conflict}${r.problem.message}`, () => void retry())
  } else {
    say("refusal", `${r.status === 422 ? T.refused : ""}${r.problem.message}`)
  }
}

const retry = async () => {
  const p = pending as { path: string; body: Record<string, unknown> } | undefined
  if (p === undefined) return
  await load()
  await send(p.path, p.body)
}

const selectSchool = (id: string) => {
  selectedSchool = id
  selectedSettlement = undefined
  $<HTMLSelectElement>("pick-school").value = id
  render()
}
const selectSettlement = (id: string) => {
  selectedSettlement = id
  selectedSchool = undefined
  render()
}

const field = (name: string, label: string, input: HTMLInputElement | HTMLSelectElement) => {
  input.name = name
  input.dataset.testid = `field-${name}`
  const l = el("label", `${label} `)
  l.append(input)
  return l
}
const number = (value: number) => {
  const i = el("input", undefined, { type: "number", min: "0", step: "1" })
  i.value = String(value)
  return i
}
const text = (value = "") => {
  const i = el("input", undefined, { type: "text" })
  i.value = value
  return i
}
const choose = (options: ReadonlyArray<readonly [string, string]>) => {
  const s = el("select")
  s.replaceChildren(...options.map(([v, t]) => new Option(t, v)))
  return s
}
const schoolOptions = () => (current?.figures.map.schools ?? []).map((s) => [s.id, `${s.name} (${s.id})`] as const)
const actionsFor = {
  school: ["close", "merge", "expand", "boarding", "convert", "repurpose", "hire", "transfer"],
  settlement: ["catchment", "open"]
}

/** The selected school's or settlement's figures beside the form (their figures change with every edit). */
const renderSelected = () => {
  const school = current?.figures.map.schools.find((s) => s.id === selectedSchool)
  const found = current?.figures.map.settlements.find((s) => s.id === selectedSettlement)
  const place = found === undefined ? undefined : placed(found)
  $("selected").textContent =
    school !== undefined
      ? `${school.name} (${school.id}): ${fmt(school.pupils)} ${T.pupils} / ${fmt(school.seats)} ${T.seatsAxis}; ${school.levels.map((l) => `${T.levelNames[l.level] ?? l.level} ${T.distance} ${l.mean_distance_km}`).join("; ")}`
      : place !== undefined
        ? `${place.name} (${place.id}) · ${place.tier}`
        : ""
}

/**
 * The edit form: built again only when what it offers changes (the selection, whether the view is
 * editable, the schools and settlements to choose from), so that an edit's figures do not rebuild its
 * hundreds of options; the selection's figures are written every time.
 */
const renderEditForm = () => {
  const editable = current?.variant.editable === true && asOf === undefined
  const structure = JSON.stringify([
    editable,
    selectedSchool ?? "",
    selectedSettlement ?? "",
    (current?.figures.map.schools ?? []).map((s) => [s.id, s.name]),
    (current?.figures.map.settlements ?? []).map((s) => s.id)
  ])
  renderSelected()
  if (drawn.form === structure) return
  drawn.form = structure
  const form = $<HTMLFormElement>("edit")
  form.replaceChildren()
  const pick = choose([["", "—"], ...schoolOptions()])
  pick.id = "pick-school"
  pick.value = selectedSchool ?? ""
  pick.addEventListener("change", () => (pick.value === "" ? undefined : selectSchool(pick.value)))
  form.append(field("pickSchool", T.school, pick))
  const settlements = (current?.figures.map.settlements ?? []).map(placed)
  const pickPlace = choose([["", "—"], ...settlements.map((s) => [s.id, `${s.name} (${s.id})`] as const)])
  pickPlace.value = selectedSettlement ?? ""
  pickPlace.addEventListener("change", () => (pickPlace.value === "" ? undefined : selectSettlement(pickPlace.value)))
  form.append(field("pickSettlement", T.settlement, pickPlace))
  const school = current?.figures.map.schools.find((s) => s.id === selectedSchool)
  const place = settlements.find((s) => s.id === selectedSettlement)
  if (!editable || (school === undefined && place === undefined)) return
  const kind = school !== undefined ? "school" : "settlement"
  const action = choose(actionsFor[kind].map((a) => [a, T[a as keyof Labels] as string] as const))
  form.append(el("br"), field("action", T.action, action))
  const fields = el("span")
  form.append(fields)
  const y = number(Math.min(scenario.baseYear + 2, scenario.lastYear))
  y.min = String(scenario.baseYear + 1)
  y.max = String(scenario.lastYear)
  const others = () => schoolOptions().filter(([id]) => id !== selectedSchool)
  const inputs: Record<string, HTMLInputElement | HTMLSelectElement> = {}
  const build = () => {
    fields.replaceChildren()
    for (const k of Object.keys(inputs)) delete inputs[k]
    const add = (name: string, label: string, input: HTMLInputElement | HTMLSelectElement) => {
      inputs[name] = input
      fields.append(field(name, label, input))
    }
    add("year", T.year, y)
    switch (action.value) {
      case "close":
      case "merge":
        add("into", T.into, choose(others()))
        break
      case "expand":
        add("classrooms", T.classrooms, number(0))
        add("seats", T.seats, number(0))
        add("boardingBeds", T.beds, number(0))
        break
      case "boarding":
        add("beds", T.beds, number(0))
        break
      case "convert":
        add(
          "to",
          T.type,
          choose(
            ["kindergarten", "primary", "junior", "senior", "nine-year", "twelve-year", "complete-secondary"].map((t) => [t, t] as const)
          )
        )
        break
      case "repurpose":
        add(
          "use",
          T.use,
          choose(["kindergarten", "labour-education", "community-learning", "elderly-care", "returned"].map((t) => [t, t] as const))
        )
        break
      case "hire":
        add("count", T.count, number(1))
        break
      case "transfer":
        add("to", T.to, choose(others()))
        add("count", T.count, number(1))
        break
      case "catchment":
        add("level", T.level, choose(["kindergarten", "primary", "junior", "senior"].map((l) => [l, T.levelNames[l]] as const)))
        add("school", T.school, choose(schoolOptions()))
        break
      case "open":
        add("id", T.id, text(`${selectedSettlement ?? "NEW"}-NEW`))
        add("name", T.name, text())
        add("type", T.type, choose(["primary", "kindergarten", "junior", "senior", "nine-year"].map((t) => [t, t] as const)))
        add("classrooms", T.classrooms, number(12))
        add("seats", T.seats, number(540))
        break
    }
    const apply = el("button", T.apply, { type: "submit", "data-testid": "apply" })
    fields.append(apply)
  }
  action.addEventListener("change", build)
  build()
  form.onsubmit = (e) => {
    e.preventDefault()
    // the click's time (the event's timestamp, on the clock of performance.now()): the edit is measured from it
    const clicked = e.timeStamp
    const v = (k: string) => inputs[k]?.value ?? ""
    const n = (k: string) => Number(v(k))
    const yearOf = n("year")
    const step: Record<string, unknown> = (() => {
      switch (action.value) {
        case "close":
          return { type: "close", year: yearOf, school: selectedSchool, into: v("into") }
        case "merge":
          return { type: "merge", year: yearOf, schools: [selectedSchool], into: v("into") }
        case "expand":
          return {
            type: "expand",
            year: yearOf,
            school: selectedSchool,
            classrooms: n("classrooms"),
            seats: n("seats"),
            boardingBeds: n("boardingBeds")
          }
        case "boarding":
          return { type: "boarding", year: yearOf, school: selectedSchool, beds: n("beds") }
        case "convert":
          return { type: "convert", year: yearOf, school: selectedSchool, to: v("to") }
        case "repurpose":
          return { type: "repurpose", year: yearOf, school: selectedSchool, use: v("use") }
        case "hire":
          return { type: "hire", year: yearOf, school: selectedSchool, count: n("count") }
        case "transfer":
          return { type: "transfer", year: yearOf, from: selectedSchool, to: v("to"), count: n("count") }
        case "catchment":
          return { type: "catchment", year: yearOf, level: v("level"), settlement: selectedSettlement, school: v("school") }
        default: {
          const found = current?.figures.map.settlements.find((s) => s.id === selectedSettlement)
          const place = found === undefined ? undefined : placed(found)
          return {
            type: "open",
            year: yearOf,
            school: {
              id: v("id"),
              name: v("name") || v("id"),
              type: v("type"),
              settlement: selectedSettlement,
              ...(place === undefined ? {} : { lon: place.lon, lat: place.lat }),
              classrooms: n("classrooms"),
              seats: n("seats")
            }
          }
        }
      }
    })()
    const by = $<HTMLInputElement>("planner").value.trim()
    localStorage.setItem("seatplan-planner", by)
    void send("edits", by === "" ? { step } : { step, by }, clicked)
  }
}

const forkAt = async (version?: number) => {
  if (current === undefined) return
  const name = $<HTMLInputElement>("new-name").value.trim() || `${current.variant.name}-${version ?? current.variant.version}`
  const r = await request(Api.Created, "POST", `/api/variants/${encodeURIComponent(current.variant.id)}/fork`, {
    name,
    ...(version === undefined ? {} : { version })
  })
  if (!r.ok) return say("refusal", r.problem.message)
  await refreshVariants()
  renderHeader()
  $<HTMLSelectElement>("variant").value = r.body.id
  await load()
  say("ok", `${T.accepted}: ${name}`)
}

// == start

const start = async () => {
  document.querySelectorAll<HTMLElement>("[data-t]").forEach((e) => {
    e.textContent = String(T[e.dataset.t as keyof Labels] ?? "")
  })
  const other = lang === "zh" ? "en" : "zh"
  const langLink = $<HTMLAnchorElement>("lang")
  langLink.textContent = T.lang
  langLink.href = `/?lang=${other}`
  const nameInput = el("input", undefined, { type: "text", id: "new-name", placeholder: T.newName, "data-testid": "new-name" })
  $("fork").before(nameInput)
  const dragLevel = choose(["kindergarten", "primary", "junior", "senior"].map((l) => [l, T.levelNames[l]] as const))
  dragLevel.id = "drag-level"
  dragLevel.dataset.testid = "drag-level"
  dragLevel.value = "primary"
  const dragLabel = el("label", `${T.dragLevel} `)
  dragLabel.append(dragLevel)
  $("message").before(dragLabel)
  const planner = el("input", undefined, { type: "text", id: "planner", placeholder: T.planner, "data-testid": "planner" })
  planner.value = localStorage.getItem("seatplan-planner") ?? ""
  $("version").before(planner)
  const info = await request(Api.ScenarioInfo, "GET", "/api/scenario")
  if (!info.ok) return say("refusal", info.problem.message)
  scenario = info.body
  places = new Map(scenario.settlements.map((s) => [s.id, s]))
  $("title").textContent = scenario.name
  const years = $<HTMLSelectElement>("year")
  for (let y = scenario.baseYear; y <= scenario.lastYear; y++) years.append(new Option(String(y), String(y)))
  years.value = String(Math.min(scenario.baseYear + 4, scenario.lastYear))
  await refreshVariants()
  const first = params.get("variant") ?? variants.find((v) => v.editable)?.id ?? "baseline"
  renderHeader()
  $<HTMLSelectElement>("variant").value = first
  $("variant").addEventListener("change", () => void load())
  years.addEventListener("change", () => void load(asOf))
  $("undo").addEventListener("click", () => void send("undo", {}))
  $("redo").addEventListener("click", () => void send("redo", {}))
  $("fork").addEventListener("click", () => void forkAt(asOf))
  $("rename").addEventListener("click", async () => {
    if (current === undefined) return
    const name = $<HTMLInputElement>("new-name").value.trim()
    if (name === "") return
    const r = await request(Api.Created, "POST", `/api/variants/${encodeURIComponent(current.variant.id)}/rename`, { name })
    if (!r.ok) return say("refusal", r.problem.message)
    await refreshVariants()
    await load()
  })
  $("delete").addEventListener("click", async () => {
    if (current === undefined) return
    const r = await request(Api.Deleted, "POST", `/api/variants/${encodeURIComponent(current.variant.id)}/delete`, {})
    if (!r.ok) return say("refusal", r.problem.message)
    await refreshVariants()
    renderHeader()
    $<HTMLSelectElement>("variant").value = "baseline"
    await load()
  })
  // the canvases are drawn once the font is here (a few seconds the first time the server makes it), so
  // their Chinese is never drawn in a fallback that lacks it; after 10 s they are drawn anyway
  await Promise.race([document.fonts.load(`14px ${textStyle.fontFamily}`, "中小学"), new Promise((r) => setTimeout(r, 10_000))])
  await load()
}

window.addEventListener("resize", () => {
  map.resize()
  charts.resize()
})
void start()
