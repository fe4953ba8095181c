/**
 * The report in real headless Chromium (Debian's `chromium`, driven by playwright-core): it loads with
 * no console errors, every chart draws on its canvas under the page's Content-Security-Policy, and a
 * screenshot is kept beside the test output (report-hostile.test.ts tries hostile names and ids).
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { root, seatplan } from "./seatplan.js"
import { doubledBrackets, executablePath, launch } from "./browser.js"

describe("report.html", () => {
  it("opens offline in headless Chromium with no console errors, and its charts draw", async () => {
    assert.isTrue(fs.existsSync(executablePath), `${executablePath} is missing: install Debian's chromium (apt-get install chromium)`)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-report-"))
    const browser = await launch()
    try {
      // empirical bands as a backtest writes them: the actual within −2 %…+3 % one year ahead, −4 %…+5 % two
      const bands = path.join(dir, "bands.json")
      fs.writeFileSync(
        bands,
        JSON.stringify([
          { method: "cohort-component", level: "primary", scope: "county", horizon: 1, lower: -2, upper: 3, n: 8 },
          { method: "cohort-component", level: "primary", scope: "county", horizon: 2, lower: -4, upper: 5, n: 8 }
        ])
      )
      const run = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--quiet", "--lang", "en", "--bands", bands])
      assert.strictEqual(run.status, 0, run.stderr)
      const file = path.join(dir, "report.html")
      const page = await browser.newPage({ viewport: { width: 1300, height: 1800 } })
      const errors: Array<string> = []
      const requests: Array<string> = []
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text())
      })
      page.on("pageerror", (e) => errors.push(String(e)))
      page.on("request", (r) => {
        if (!r.url().startsWith("file:")) requests.push(r.url())
      })
      await page.goto(`file://${file}`)
      await page.waitForFunction(() => document.querySelectorAll("canvas").length >= 9)
      await page.waitForTimeout(500)
      assert.deepStrictEqual(errors, [])
      assert.deepStrictEqual(requests, [], "the report must not fetch anything")
      // it ran under its own policy (a blocked script would have been a console error and no charts)
      assert.match(
        fs.readFileSync(file, "utf8"),
        /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-[A-Za-z0-9+/=]+&#39; &#39;sha256-[A-Za-z0-9+/=]+&#39;;/
      )
      assert.include(await page.title(), "Lanshui County")
      const inked = await page.evaluate(() =>
        [...document.querySelectorAll(".chart")].map((chart) => {
          const canvas = chart.querySelector("canvas")
          if (canvas === null) return 0
          const ctx = canvas.getContext("2d")
          if (ctx === null) return 0
          const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
          let ink = 0
          for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 230 || data[i + 1] < 230 || data[i + 2] < 230)) ink++
          return ink / (data.length / 4)
        })
      )
      assert.strictEqual(inked.length, 9, "two variants' four charts and the failing-checks chart")
      for (const share of inked) assert.isAbove(share, 0.01, "a chart drew nothing")
      // each heading says its unit once ("mean km (km)", "(the first account) (2039)" before)
      assert.deepStrictEqual(await doubledBrackets(page), [])
      const rows = await page.locator(".details table").first().locator("tbody tr").count()
      assert.strictEqual(rows, 8)
      const text = await page.locator("body").innerText()
      for (const heading of ["Standards", "full compliance (全部达标)", "The year from which each rule passes everywhere", "Ledger (台账)"])
        assert.include(text, heading)
      // the band around 2025's primary pupils: forecast / (1 + error), the actual between f / 1.03 and f / 0.98
      const county = JSON.parse(fs.readFileSync(path.join(dir, "county.json"), "utf8")) as ReadonlyArray<{
        variant: string
        year: number
        level: string
        pupils: number
      }>
      const f = county.find((c) => c.variant === "baseline" && c.year === 2025 && c.level === "primary")!.pupils
      assert.include(text, `${f.toFixed(0)} (${(f / 1.03).toFixed(0)}–${(f / 0.98).toFixed(0)})`)
      // clicking a school's pupils shows how the figure was produced, and the arithmetic ends at that figure
      const link = page.locator("a.explain").first()
      const figure = await link.innerText()
      await link.click()
      const provenance = await page.locator("#provenance-text").innerText()
      assert.match(provenance, /^Pupils of \w+ at [^\n]+ \([\w-]+\) in \d{4}\/\d{2} \(\w+\): \d+ pupils \([\d.]+ unrounded\)/)
      assert.include(provenance, "Events behind it")
      const total = /Total: ([\d.]+)/.exec(provenance)?.[1]
      // the table shows whole pupils as schools.csv does (largest remainder within the level), so the
      // arithmetic's total is the figure shown within less than a pupil
      assert.isBelow(Math.abs(Number(total) - Number(figure)), 1, "the arithmetic reproduces the figure shown")
      const shot = path.join(root, "out", "report-screenshot.png")
      fs.mkdirSync(path.dirname(shot), { recursive: true })
      await page.screenshot({ path: shot })
      assert.isAbove(fs.statSync(shot).size, 50_000)
    } finally {
      await browser.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)
})
