/**
 * The workspace page: a shell the page's script (client/main.ts, bundled to /app.js) fills. It carries no
 * data and no inline script: everything the page shows comes from the API as JSON and is put into the page
 * as text (textContent), never markup.
 */
import { escapeHtml } from "../internal/Html.js"
import * as Font from "../report/Font.js"

// the page's Chinese is drawn by Noto Sans SC, served from /font.woff2 (Server.ts), never a system font this
// machine may lack; the charts read the body's family (client/main.ts)
const style = `
@font-face { font-family: "${Font.family}"; font-style: normal; font-weight: 100 900; font-display: swap; src: url(/font.woff2) format("woff2"); }
body { font: 14px/1.4 ${Font.stack}; margin: 0; color: #222; }
button, input, select, textarea { font: inherit; }
header { display: flex; gap: 12px; align-items: center; padding: 8px 12px; background: #f3f5f7; border-bottom: 1px solid #dde; flex-wrap: wrap; }
header h1 { font-size: 16px; margin: 0 12px 0 0; }
main { display: grid; grid-template-columns: minmax(420px, 1.3fr) 1fr; gap: 12px; padding: 12px; }
section { border: 1px solid #dde; border-radius: 4px; padding: 8px; }
#map { height: 520px; }
#charts { height: 290px; }
.refusal { color: #a00; background: #fee; padding: 6px; border-radius: 3px; }
.warning { color: #7a4b00; background: #fff8e1; padding: 6px; border-radius: 3px; }
.warning ul { margin: 4px 0 0; padding-left: 18px; }
.conflict { color: #7a4b00; background: #fff3d6; padding: 6px; border-radius: 3px; }
.ok { color: #075; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
td, th { border-bottom: 1px solid #eee; padding: 2px 4px; text-align: right; }
td:first-child, th:first-child { text-align: left; }
#timeline li { margin: 2px 0; }
form label { display: inline-block; margin: 2px 6px 2px 0; }
input[type=number] { width: 6em; }
`

/** The page in `lang` (or the `?lang=` the address asks for). */
export const html = (lang: "zh" | "en", asked: string | null): string => {
  const l = asked === "en" || asked === "zh" ? asked : lang
  const text = `<!doctype html>
<html lang="${l === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>seatplan serve</title>
<style>${style}</style>
<script src="/app.js" defer></script>
</head>
<body data-lang="${escapeHtml(l)}">
<header>
  <h1 id="title">seatplan</h1>
  <label><span data-t="variant"></span> <select id="variant" data-testid="variant"></select></label>
  <label><span data-t="year"></span> <select id="year" data-testid="year"></select></label>
  <button id="undo" data-testid="undo" data-t="undo"></button>
  <button id="redo" data-testid="redo" data-t="redo"></button>
  <button id="fork" data-testid="fork" data-t="fork"></button>
  <button id="rename" data-testid="rename" data-t="rename"></button>
  <button id="delete" data-testid="delete" data-t="delete"></button>
  <a id="export" data-testid="export" data-t="export" href="#"></a>
  <a id="out-report" data-testid="out-report" data-t="outReport" href="#" target="_blank"></a>
  <a id="out-pdf" data-testid="out-pdf" data-t="outPdf" href="#"></a>
  <a id="out-workbook" data-testid="out-workbook" data-t="outWorkbook" href="#"></a>
  <span id="version" data-testid="version"></span>
  <a id="lang" href="#"></a>
</header>
<main>
  <div>
    <section><div id="map" data-testid="map"></div></section>
    <section>
      <div id="message" data-testid="message" role="status"></div>
      <div id="selected" data-testid="selected"></div>
      <form id="edit" data-testid="edit-form"></form>
    </section>
  </div>
  <div>
    <section><div id="charts"></div></section>
    <section><h3 data-t="accounts"></h3><table id="accounts" data-testid="accounts"></table></section>
    <section><h3 data-t="county"></h3><table id="county" data-testid="county"></table></section>
    <section><h3 data-t="standards"></h3><table id="standards" data-testid="standards"></table></section>
    <section><h3 data-t="history"></h3><ol id="timeline" data-testid="timeline"></ol></section>
  </div>
</main>
</body>
</html>`
  return text
}
