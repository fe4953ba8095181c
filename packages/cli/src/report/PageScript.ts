/**
 * The page's own script, the same text for every report (so its CSP hash is too). It reads the data from
 * the `report-data` JSON block, and every string it puts into HTML (tooltips) goes through `esc`; the
 * explain panel uses textContent. Chart titles, legends and axis labels are drawn on the canvas.
 * Its sha256 is in the report's Content-Security-Policy: any change to this text, even whitespace,
 * changes the CSP of every report.
 */
export const page = `
const REPORT = JSON.parse(document.getElementById("report-data").textContent);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\\"": "&quot;", "'": "&#39;" })[c]);
const EXPLAIN = REPORT.explain;
const DATA = REPORT.data;
const T = REPORT.t;
const FAILING = REPORT.failing;
const FONT = REPORT.font;
/* the charts draw text on canvas: only once the embedded font is loaded do they draw it, not boxes */
const init = (id) => echarts.init(document.getElementById(id), null, { renderer: "canvas" });
const themed = (o) => ({ textStyle: { fontFamily: FONT }, ...o });
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
const draw = () => {
init("compliance").setOption(themed({
  title: { text: T.failingChart, textStyle: { fontSize: 13 } }, tooltip: { trigger: "axis", formatter: axisTip }, legend: { bottom: 0, type: "scroll" },
  grid: { bottom: 60 }, xAxis: { type: "category", data: FAILING.years }, yAxis: { type: "value", min: 0 },
  series: FAILING.series.map((s) => ({ type: "line", name: s.name, data: s.data }))
}));
DATA.forEach((d, i) => {
  init("map-" + i).setOption(themed({
    title: { text: T.map, textStyle: { fontSize: 13 } },
    tooltip: { formatter: mapTip },
    xAxis: { type: "value", scale: true, name: "lon" }, yAxis: { type: "value", scale: true, name: "lat" },
    visualMap: { dimension: 3, min: 0.5, max: 1.3, precision: 1, calculable: true, seriesIndex: 2, text: [T.utilisation, ""], inRange: { color: ["#2c7bb6", "#ffffbf", "#d7191c"] }, right: 0, top: 40 },
    series: [
      { type: "lines", coordinateSystem: "cartesian2d", data: d.lines, lineStyle: { color: "#999", width: 1, opacity: 0.6 }, silent: true },
      { type: "scatter", data: d.settlements, symbolSize: 5, itemStyle: { color: "#555" } },
      { type: "scatter", data: d.schoolPoints, symbolSize: (v) => 6 + Math.sqrt(v[2]) / 2, itemStyle: { opacity: 0.85 } }
    ]
  }));
  const line = (id, title, series) => init(id).setOption(themed({
    title: { text: title, textStyle: { fontSize: 13 } }, tooltip: { trigger: "axis", formatter: axisTip }, legend: { bottom: 0, type: "scroll" },
    grid: { bottom: 60 }, xAxis: { type: "category", data: d.years }, yAxis: { type: "value" }, series
  }));
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
};
document.fonts.load("13px \\"" + FONT + "\\"", T.report).then(draw, draw);
`
