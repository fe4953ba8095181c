/**
 * The page's own script, the same text for every report (so its CSP hash is too). It reads the data from
 * the `report-data` JSON block, and every string it puts into HTML (tooltips) goes through `esc`; the
 * explain panel uses textContent. Chart titles, legends and axis labels are drawn on the canvas, in the
 * embedded font once it has loaded (before, they would be drawn as boxes). The map draws the projected
 * kilometres of report/MapData on equal scales (the axes' ranges follow the canvas' aspect), with a north
 * arrow, a scale bar, a size legend in pupils and utilisation in %. Legends are plain and wrap: never paged.
 * When every chart is drawn the body gets `data-charts="drawn"` (the PDF printer waits for it).
 * Its sha256 is in the report's Content-Security-Policy: any change to this text, even whitespace,
 * changes the CSP of every report.
 */
export const page = `
const REPORT = JSON.parse(document.getElementById("report-data").textContent);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\\"": "&quot;", "'": "&#39;" })[c]);
const EXPLAIN = REPORT.explain;
const DATA = REPORT.data;
const MAPS = REPORT.maps;
const T = REPORT.t;
const FAILING = REPORT.failing;
const FONT = REPORT.font;
/* a background only when the planner gave tiles (run/report --tiles): each [west, south, east, north, image], decoded before the maps are drawn */
const BG = REPORT.background;
const TILES = BG ? BG.tiles.map((t) => { const img = new Image(); img.src = t[4]; return img; }) : [];
const tilesReady = Promise.all(TILES.map((img) => img.decode().catch(() => undefined)));
document.querySelectorAll("a.explain").forEach((a) => a.addEventListener("click", (e) => {
  e.preventDefault();
  const texts = EXPLAIN[Number(a.dataset.variant)] ?? {};
  document.getElementById("provenance-text").textContent = Object.hasOwn(texts, a.dataset.key) ? texts[a.dataset.key] : "";
  document.getElementById("provenance").style.display = "block";
}));
document.getElementById("provenance-close").addEventListener("click", () => { document.getElementById("provenance").style.display = "none"; });
const fmt = (v) => (typeof v === "number" ? Math.round(v).toLocaleString("en") : String(v ?? ""));
/* ECharts inserts a formatter's result as HTML: names and values are escaped, markers are ECharts' own; the page's own emphasis is <strong> (the hostile-name test treats any <b> as injected). */
const axisTip = (unit) => (ps) => (ps.length === 0 ? "" : esc(ps[0].axisValueLabel) + ps.map((p) => "<br>" + p.marker + esc(p.seriesName) + ": " + esc(fmt(p.value)) + " " + esc(unit)).join(""));
const charts = [];
const init = (id) => { const c = echarts.init(document.getElementById(id), null, { renderer: "canvas" }); charts.push(c); return c; };
/* every chart: the embedded font, no animation (print and PDF draw at once), legends laid out plainly and wrapped, never paged */
const base = (o, series) => {
  const width = document.getElementById(o.id).clientWidth || 600;
  const perRow = Math.max(1, Math.floor((width - 20) / 150));
  const rows = Math.ceil(series.length / perRow);
  return {
    animation: false, textStyle: { fontFamily: FONT },
    title: { text: o.title, textStyle: { fontSize: 13, fontFamily: FONT } },
    tooltip: { trigger: "axis", formatter: axisTip(o.unit) },
    legend: { type: "plain", bottom: 0, left: "center", width: width - 20, itemGap: 10, itemWidth: 16, textStyle: { fontSize: 11, fontFamily: FONT } },
    grid: { left: 56, right: 16, top: 66, bottom: 44 + 20 * rows },
    xAxis: { type: "category", data: o.years, name: T.yearAxis, nameLocation: "middle", nameGap: 24 },
    yAxis: { type: "value", min: o.min, name: o.axis, nameTextStyle: { align: "left" } },
    series
  };
};
const line = (id, title, unit, axis, years, series, min) => init(id).setOption(base({ id, title, unit, axis, years, min }, series));
const STATUS_SYMBOLS = ["circle", "diamond", "triangle", "rect", "path://M0,2L2,0L5,3L8,0L10,2L7,5L10,8L8,10L5,7L2,10L0,8L3,5Z"];
const CATCHMENT_FILLS = ["#e3f2fd", "#fce4ec", "#e8f5e9", "#fff8e1", "#f3e5f5", "#e0f7fa", "#f1f8e9", "#efebe9", "#ede7f6", "#fbe9e7"];
const size = (pupils) => Math.min(40, 5 + Math.sqrt(Math.max(pupils, 0)) / 1.6);
const nice = (x) => { const p = Math.pow(10, Math.floor(Math.log10(x))); return [1, 2, 5, 10].map((k) => k * p).filter((v) => v <= x).pop() ?? p; };
const drawMap = (id, m) => {
  const chart = init(id);
  const W = chart.getWidth(), H = chart.getHeight();
  const grid = { left: 8, right: 150, top: 36, bottom: 8 };
  const w = W - grid.left - grid.right, h = H - grid.top - grid.bottom;
  const [x0, y0, x1, y1] = m.extent;
  const k = Math.max((x1 - x0) / w, (y1 - y0) / h);
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const xr = [cx - (k * w) / 2, cx + (k * w) / 2], yr = [cy - (k * h) / 2, cy + (k * h) / 2];
  const areas = (name, list, style, z, tip) => ({
    type: "custom", name, coordinateSystem: "cartesian2d", z, clip: false,
    data: list.map((_, i) => [cx, cy, i]),
    renderItem: (params, api) => ({
      type: "group",
      children: list[params.dataIndex].rings.map((ring) => ({ type: "polygon", shape: { points: ring.map((p) => api.coord(p)) }, style: style(params.dataIndex) }))
    }),
    tooltip: { formatter: (p) => esc(tip) + ": " + esc(list[p.dataIndex].name) },
    silent: tip === undefined
  });
  /* the map's projection (MapData): km east and north of its origin, one km the same length both ways */
  const kx = 111.32 * Math.cos((m.origin[1] * Math.PI) / 180);
  const proj = (lon, lat) => [(lon - m.origin[0]) * kx, (lat - m.origin[1]) * 110.574];
  const tileSeries = BG ? [{
    type: "custom", name: "basemap", coordinateSystem: "cartesian2d", z: 0, silent: true, clip: true,
    data: BG.tiles.map((_, i) => [cx, cy, i]),
    renderItem: (params, api) => {
      const t = BG.tiles[params.dataIndex];
      const a = api.coord(proj(t[0], t[3])), b = api.coord(proj(t[2], t[1]));
      return { type: "image", style: { image: TILES[params.dataIndex], x: a[0], y: a[1], width: b[0] - a[0], height: b[1] - a[1] } };
    }
  }] : [];
  const tierName = [T.countySeat, T.townshipSeat, T.village];
  const schoolSeries = T.statuses.map((name, s) => ({
    type: "scatter", name, z: 5,
    data: m.schools.filter((x) => x[5] === s),
    symbol: STATUS_SYMBOLS[s], symbolSize: (v) => (s === 4 ? 12 : size(v[3])),
    itemStyle: s === 4 ? { color: "#616161" } : { borderColor: "#263238", borderWidth: 1, opacity: 0.9 },
    tooltip: { formatter: (p) => "<strong>" + esc(p.value[2]) + "</strong> (" + esc(name) + ")" + (s === 4 ? "" : "<br>" + esc(T.pupils) + ": " + esc(fmt(p.value[3])) + " " + esc(T.personUnit) + "<br>" + esc(T.seats) + ": " + esc(fmt(p.value[6])) + " " + esc(T.seatUnit) + "<br>" + esc(T.utilisation) + ": " + esc(p.value[4]) + " %") }
  }));
  const scale = nice((xr[1] - xr[0]) / 5);
  const px = scale / k;
  const sx = grid.left + 16, sy = H - grid.bottom - 24;
  const sizes = [100, 500, 1000, 2000];
  const graphic = [
    { type: "polygon", left: grid.left + 18, top: grid.top + 6, shape: { points: [[8, 0], [16, 24], [8, 18], [0, 24]] }, style: { fill: "#263238" } },
    { type: "text", left: grid.left + 14, top: grid.top + 32, style: { text: T.north, font: "bold 12px \\"" + FONT + "\\"", fill: "#263238" } },
    { type: "rect", left: sx, top: sy, shape: { width: px / 2, height: 6 }, style: { fill: "#263238" } },
    { type: "rect", left: sx + px / 2, top: sy, shape: { width: px / 2, height: 6 }, style: { fill: "#fff", stroke: "#263238" } },
    { type: "text", left: sx - 3, top: sy + 8, style: { text: "0", font: "11px \\"" + FONT + "\\"" } },
    { type: "text", left: sx + px - 6, top: sy + 8, style: { text: scale + " km", font: "11px \\"" + FONT + "\\"" } },
    { type: "text", right: 8, top: 166, style: { text: T.utilisationPct + " (%)", font: "11px \\"" + FONT + "\\"", fill: "#333" } },
    { type: "text", right: 8, top: 280, style: { text: T.sizeLegend, font: "11px \\"" + FONT + "\\"", fill: "#333" } },
    ...sizes.flatMap((n, j) => [
      { type: "circle", right: 118 - size(n), top: 300 + j * 40 + (36 - 2 * size(n) / 2) / 2, shape: { r: size(n) / 2 }, style: { fill: "#fff", stroke: "#455a64" } },
      { type: "text", right: 40, top: 306 + j * 40, style: { text: fmt(n) + " " + T.personUnit, font: "11px \\"" + FONT + "\\"", fill: "#333" } }
    ]),
    { type: "text", right: 8, bottom: 12, style: { text: BG ? BG.label : T.noBasemapShort, font: "11px \\"" + FONT + "\\"", fill: "#8d6e63" } }
  ];
  chart.setOption({
    animation: false, textStyle: { fontFamily: FONT },
    title: { text: T.mapTitle + " (" + m.year + ")", textStyle: { fontSize: 13, fontFamily: FONT } },
    tooltip: { trigger: "item" },
    grid: { ...grid, containLabel: false },
    xAxis: { type: "value", min: xr[0], max: xr[1], show: false },
    yAxis: { type: "value", min: yr[0], max: yr[1], show: false },
    legend: { type: "plain", orient: "vertical", right: 8, top: 36, data: T.statuses, itemWidth: 14, textStyle: { fontSize: 11, fontFamily: FONT } },
    visualMap: {
      type: "piecewise", dimension: 4, seriesIndex: [4, 5, 6, 7], right: 8, top: 184, itemWidth: 14, itemHeight: 10, itemGap: 6,
      showLabel: true, textStyle: { fontSize: 11, fontFamily: FONT },
      pieces: [{ lt: 70, label: "< 70 %", color: "#4575b4" }, { gte: 70, lt: 100, label: "70–100 %", color: "#91cf60" }, { gte: 100, lt: 115, label: "100–115 %", color: "#fdae61" }, { gte: 115, label: "≥ 115 %", color: "#d73027" }]
    },
    /* above the tiles (a background is drawn under everything else) */
    graphic: graphic.map((g) => ({ z: 100, ...g })),
    series: [
      areas(T.catchment, m.catchments, (i) => ({ fill: CATCHMENT_FILLS[i % CATCHMENT_FILLS.length], fillOpacity: BG ? 0.35 : 1, stroke: "#ffffff", lineWidth: 1.2 }), 1, T.catchment),
      areas(T.township, m.townships, () => ({ fill: "none", stroke: "#37474f", lineWidth: 1.6 }), 2, undefined),
      { type: "scatter", name: T.settlement, z: 3, data: m.settlements, symbolSize: (v) => [7, 5, 3][v[3]], itemStyle: { color: "#546e7a" },
        tooltip: { formatter: (p) => "<strong>" + esc(p.value[2]) + "</strong> (" + esc(tierName[p.value[3]]) + ", " + esc(T.township) + ": " + esc(p.value[5]) + ")<br>" + esc(T.children) + ": " + esc(fmt(p.value[4])) + " " + esc(T.personUnit) } },
      { type: "scatter", name: T.seatLabels, z: 6, silent: true, data: m.settlements.filter((s) => s[6] === 1), symbolSize: 0,
        label: { show: true, position: "right", distance: 6, formatter: (p) => p.value[2], fontFamily: FONT, fontSize: 12, fontWeight: "bold", color: "#212121", textBorderColor: "#fff", textBorderWidth: 2 },
        labelLayout: { hideOverlap: false } },
      ...schoolSeries.slice(0, 4),
      schoolSeries[4],
      ...tileSeries
    ]
  });
};
const draw = () => {
  line("compliance", T.failingChart, T.checkUnit, T.checksAxis, FAILING.years, FAILING.series.map((s) => ({ type: "line", name: s.name, data: s.data })), 0);
  DATA.forEach((d, i) => {
    drawMap("map-" + i, MAPS[i]);
    /* a level's pupils (solid) and its seats (dashed) in the level's one colour */
    const LEVEL_COLOURS = ["#e53935", "#1e88e5", "#43a047", "#8e24aa"];
    line("seats-" + i, T.seatsChart, "", T.seatsAxis, d.years, [
      ...d.demand.map((s, l) => ({ type: "line", name: s.name, data: s.data, color: LEVEL_COLOURS[l % 4], symbolSize: 3 })),
      ...d.supply.map((s, l) => ({ type: "line", name: s.name, data: s.data, color: LEVEL_COLOURS[l % 4], symbolSize: 3, lineStyle: { type: "dashed" } }))
    ]);
    line("classes-" + i, T.classesChart, T.classUnit, T.classesAxis, d.years, [
      { type: "bar", stack: "size", name: T.classesWithinCap, data: d.withinCap, itemStyle: { color: "#4caf50" } },
      { type: "bar", stack: "size", name: T.classesOverCap, data: d.overCap, itemStyle: { color: "#ffc107" } },
      { type: "bar", stack: "size", name: T.large, data: d.large, itemStyle: { color: "#ff7043" } },
      { type: "bar", stack: "size", name: T.superLarge, data: d.superLarge, itemStyle: { color: "#c62828" } }
    ]);
    line("teachers-" + i, T.teachersChart, T.personUnit, T.teachersAxis, d.years, [
      { type: "line", name: T.needed, data: d.needed },
      { type: "line", name: T.assigned, data: d.assigned }
    ]);
  });
  document.body.dataset.charts = "drawn";
};
window.addEventListener("beforeprint", () => charts.forEach((c) => c.resize()));
Promise.all([document.fonts.load("13px \\"" + FONT + "\\"", T.report).catch(() => undefined), tilesReady]).then(draw, draw);
`
