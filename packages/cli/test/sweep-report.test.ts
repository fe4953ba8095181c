/**
 * sweep.html in real headless Chromium (issue 17): it opens offline with no console error and fetches
 * nothing; every school and level with pupils has its two fan charts (pupils, seats short), each variant's
 * bands drawn; a screenshot is kept in out/. And `sweep --calibration`: the futures' band of pupils widened by
 * the backtest's quantile, around the central run, and a calibration drawn otherwise is refused.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { executablePath, launch } from "./browser.js"
import { root, seatplan, temp } from "./seatplan.js"

const withRanges = (dir: string): string => {
  const file = path.join(dir, "scenario.yaml")
  fs.writeFileSync(
    file,
    fs.readFileSync(path.join(root, "scenarios/tiny/scenario.yaml"), "utf8").replace(/^horizon: 15$/m, "horizon: 5") +
      [
        "uncertainty:",
        "  birthTrend: { low: -0.08, central: 0, high: 0.04 }",
        "  migration.village.county-seat: { distribution: uniform, min: 0, max: 0.08 }",
        ""
      ].join("\n")
  )
  return file
}

const calibration = (base: string) => ({
  base,
  coverage: 0.9,
  replicates: 10,
  quantiles: [1, 2].flatMap((horizon) =>
    ["county", "catchment", "school"].map((scope) => ({
      method: "cohort-component",
      level: "primary",
      scope,
      horizon,
      n: 9,
      q: 0.1 * horizon
    }))
  )
})

describe("sweep.html", () => {
  it("opens offline in Chromium with per-school fan charts of pupils and seats short; --calibration widens the futures' band", {
    timeout: 300_000
  }, async () => {
    assert.isTrue(fs.existsSync(executablePath), `${executablePath} is missing: install Debian's chromium (apt-get install chromium)`)
    const dir = temp("seatplan-sweep-report-")
    const browser = await launch()
    try {
      const scenario = withRanges(dir)
      const good = path.join(dir, "futures.json")
      fs.writeFileSync(good, JSON.stringify(calibration("futures")))
      const out = path.join(dir, "out")
      const r = await seatplan(["sweep", scenario, "--futures", "8", "--workers", "0", "--lang", "en", "--calibration", good, "--out", out])
      assert.strictEqual(r.status, 0, r.stderr)
      // calibrated bands: [p5 − q·pupils, p95 + q·pupils] with q for the years ahead; none for the base year
      const bands = JSON.parse(fs.readFileSync(path.join(out, "calibrated-bands.json"), "utf8")) as ReadonlyArray<{
        year: number
        level: string
        scope: string
        unit: string
        pupils: number
        p5: number
        p95: number
        q?: number
        calibrated_lower?: number
        calibrated_upper?: number
      }>
      const county = bands.filter((b) => b.scope === "county" && b.level === "primary")
      const base = Math.min(...county.map((b) => b.year))
      for (const b of county) {
        const q = b.year === base ? undefined : b.year - base === 1 ? 0.1 : 0.2
        assert.strictEqual(b.q, q, `${b.year}`)
        if (q === undefined) continue
        assert.closeTo(b.calibrated_lower!, Math.max(0, b.p5 - q * b.pupils), 1e-9)
        assert.closeTo(b.calibrated_upper!, b.p95 + q * b.pupils, 1e-9)
        assert.isAtMost(b.p5, b.p95)
      }
      assert.isAbove(bands.filter((b) => b.scope === "school" && b.level === "primary" && b.q !== undefined).length, 0)
      // a calibration whose replicates drew noise is not valid for futures alone
      const noise = path.join(dir, "noise.json")
      fs.writeFileSync(noise, JSON.stringify(calibration("futures and noise")))
      const refused = await seatplan([
        "sweep",
        scenario,
        "--futures",
        "2",
        "--workers",
        "0",
        "--calibration",
        noise,
        "--out",
        path.join(dir, "x")
      ])
      assert.strictEqual(refused.status, 1)
      assert.match(refused.stderr, /expected a calibration whose replicates drew futures \(--calibration\), found one of futures and noise/)

      const page = await browser.newPage({ viewport: { width: 1300, height: 1800 } })
      const errors: Array<string> = []
      const requests: Array<string> = []
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text())
      })
      page.on("pageerror", (e) => errors.push(String(e)))
      page.on("request", (q) => {
        if (!q.url().startsWith("file:")) requests.push(q.url())
      })
      await page.goto(`file://${path.join(out, "sweep.html")}`)
      assert.deepStrictEqual(errors, [])
      assert.deepStrictEqual(requests, [], "sweep.html must not fetch anything")
      const text = await page.locator("body").innerText()
      for (const heading of ["Verdicts", "Fan charts per school: pupils and seats short over the futures", "Where it fails (PRIM boxes)"])
        assert.include(text, heading)
      // every school and level with pupils in the sweep has its two charts, each with the variant's two bands and median
      const schools = await page.evaluate(() =>
        [...document.querySelectorAll(".school")].map((d) => ({
          school: d.getAttribute("data-school"),
          level: d.getAttribute("data-level"),
          charts: d.querySelectorAll("svg").length,
          bands: d.querySelectorAll("svg polygon").length,
          medians: d.querySelectorAll("svg polyline").length,
          height: d.getBoundingClientRect().height
        }))
      )
      const rows = JSON.parse(fs.readFileSync(path.join(out, "verdicts.json"), "utf8")) as { variants: ReadonlyArray<string> }
      const expected = new Set(bands.filter((b) => b.scope === "school").map((b) => `${b.unit}|${b.level}`))
      assert.strictEqual(schools.length, expected.size)
      for (const s of schools) {
        assert.isTrue(expected.has(`${s.school}|${s.level}`), `${s.school} ${s.level}`)
        assert.strictEqual(s.charts, 2)
        assert.strictEqual(s.bands, 2 * 2 * rows.variants.length)
        assert.strictEqual(s.medians, 2 * rows.variants.length)
        assert.isAbove(s.height, 100, "a school's charts are drawn")
      }
      await page.locator(".school").first().scrollIntoViewIfNeeded()
      const shot = path.join(root, "out", "sweep-screenshot.png")
      fs.mkdirSync(path.dirname(shot), { recursive: true })
      await page.screenshot({ path: shot })
      assert.isAbove(fs.statSync(shot).size, 30_000)
    } finally {
      await browser.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("run --replicates --calibration: each replicate draws a future too, and the pupils' band is calibrated for the county, each catchment area and each school", {
    timeout: 300_000
  }, async () => {
    const dir = temp("seatplan-run-calibration-")
    try {
      const scenario = withRanges(dir)
      const file = path.join(dir, "calibration.json")
      fs.writeFileSync(file, JSON.stringify(calibration("futures and noise")))
      const out = path.join(dir, "out")
      const common = ["run", scenario, "--replicates", "6", "--seed", "2", "--files", "json", "--quiet", "--lang", "en"]
      const r = await seatplan([...common, "--calibration", file, "--out", out])
      assert.strictEqual(r.status, 0, r.stderr)
      const rows = JSON.parse(fs.readFileSync(path.join(out, "calibrated-bands.json"), "utf8")) as ReadonlyArray<{
        variant: string
        year: number
        level: string
        pupils: number
        p5: number
        p95: number
        q?: number
        calibrated_lower?: number
        calibrated_upper?: number
      }>
      const county = JSON.parse(fs.readFileSync(path.join(out, "county.json"), "utf8")) as ReadonlyArray<{
        variant: string
        year: number
        level: string
        pupils: number
      }>
      const all = rows as ReadonlyArray<(typeof rows)[number] & { scope: string; unit: string }>
      const primary = all.filter((b) => b.level === "primary" && b.scope === "county")
      const base = Math.min(...primary.map((b) => b.year))
      // each catchment area and each school has its band, calibrated with its scope's quantile; the areas' plain
      // pupils add up to the county's, as do the schools'
      for (const scope of ["catchment", "school"]) {
        const cells = all.filter((b) => b.level === "primary" && b.scope === scope)
        assert.isAbove(new Set(cells.map((b) => b.unit)).size, 1, scope)
        for (const b of cells) {
          if (b.year === base) continue
          assert.strictEqual(b.q, b.year - base === 1 ? 0.1 : 0.2, `${scope} ${b.unit} ${b.year}`)
          assert.isAtMost(b.calibrated_lower!, b.p5)
          assert.isAtLeast(b.calibrated_upper!, b.p95)
        }
        for (const c of primary) {
          const sum = cells.filter((b) => b.variant === c.variant && b.year === c.year).reduce((n, b) => n + b.pupils, 0)
          assert.closeTo(sum, c.pupils, 1e-6, `${scope} ${c.variant} ${c.year}`)
        }
      }
      assert.isAbove(primary.length, 2)
      for (const b of primary) {
        assert.strictEqual(b.pupils, county.find((c) => c.variant === b.variant && c.year === b.year && c.level === "primary")!.pupils)
        if (b.year === base) continue
        const q = b.year - base === 1 ? 0.1 : 0.2
        assert.strictEqual(b.q, q)
        assert.closeTo(b.calibrated_upper!, b.p95 + q * b.pupils, 1e-9)
      }
      // the futures widen the replicates' own band: the same seed without them gives a narrower one at the horizon
      // (kindergarten: the birth trend reaches the 3-year-olds within 5 years, primary not yet)
      const plain = path.join(dir, "plain")
      assert.strictEqual((await seatplan([...common, "--out", plain])).status, 0)
      const bands = (d: string) =>
        JSON.parse(fs.readFileSync(path.join(d, "bands.json"), "utf8")) as ReadonlyArray<{
          variant: string
          year: number
          level: string
          metric: string
          p5: number
          p95: number
        }>
      const last = Math.max(...primary.map((b) => b.year))
      const width = (d: string) => {
        const b = bands(d).find((x) => x.variant === "baseline" && x.year === last && x.level === "kindergarten" && x.metric === "pupils")!
        return b.p95 - b.p5
      }
      assert.isAbove(width(out), width(plain))
      // a calibration of noise alone does not fit a scenario with uncertainty
      fs.writeFileSync(file, JSON.stringify(calibration("noise")))
      const refused = await seatplan([...common, "--calibration", file, "--out", path.join(dir, "x")])
      assert.strictEqual(refused.status, 1)
      assert.match(refused.stderr, /expected a calibration whose replicates drew futures and noise/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
