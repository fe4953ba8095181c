import { launch } from "./src/internal/Browser.ts"
const [file, out, w, h, clipSel] = process.argv.slice(2)
const b = await launch()
const p = await b.newPage({ viewport: { width: Number(w), height: Number(h) } })
p.on("console", (m) => {
  if (m.type() !== "warning") console.log("console", m.type(), m.text())
})
p.on("pageerror", (e) => console.log("pageerror", String(e)))
p.on("request", (r) => {
  if (!r.url().startsWith("file:")) console.log("REQUEST", r.url())
})
await p.goto("file://" + file)
await p
  .waitForFunction(() => document.body.dataset.charts === "drawn", null, { timeout: 30000 })
  .catch((e) => console.log("not drawn", String(e)))
await p.waitForTimeout(500)
if (clipSel) await p.locator(clipSel).screenshot({ path: out })
else await p.screenshot({ path: out })
await b.close()
