/**
 * The reports as a planner opens them (issue 14), in Debian's headless Chromium on a machine without any
 * Chinese font: the embedded Noto Sans SC draws the Chinese text (document.fonts.check and a pixel test
 * that two different characters are two different glyphs, not the same box), nothing is fetched, nothing
 * fails in the console, and every chart inks its canvas, at 1366×768 and at A4. Screenshots are kept
 * under out/ for review.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { Browser, Page } from "playwright-core"
import { chineseNotIn, doubledBrackets, executablePath, launch } from "./browser.js"
import { root, seatplan } from "./seatplan.js"

const family = "Seatplan Noto Sans SC"
const shots = path.join(root, "out", "report-pages")

/** A page that records console errors and every request that is not the file itself. */
const open = async (browser: Browser, file: string, viewport: { width: number; height: number }) => {
  const page = await browser.newPage({ viewport })
  const errors: Array<string> = []
  const requests: Array<string> = []
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text())
  })
  page.on("pageerror", (e) => errors.push(String(e)))
  page.on("request", (r) => {
    if (r.url() !== `file://${file}`) requests.push(r.url())
  })
  await page.goto(`file://${file}`)
  await page.evaluate(() => document.fonts.ready)
  return { page, errors, requests }
}

/**
 * Two different Chinese characters drawn in `font` on a canvas: whether their pixels are the same (the
 * same .notdef box: tofu) and how many pixels the first inked.
 */
const glyphs = (page: Page, font: string) =>
  page.evaluate((font) => {
    // two different Chinese characters of the page's heading (the font holds the page's characters only)
    const chars = [...new Set(document.querySelector("h1")!.textContent!.match(/[\u4e00-\u9fff]/g) ?? [])]
    const canvas = document.createElement("canvas")
    canvas.width = 64
    canvas.height = 64
    const ctx = canvas.getContext("2d", { willReadFrequently: true })!
    const drawn = chars.slice(0, 2).map((ch) => {
      ctx.clearRect(0, 0, 64, 64)
      ctx.font = `48px ${font}`
      ctx.fillText(ch, 4, 52)
      return Array.from(ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3))
    })
    return { same: drawn[0].join() === drawn[1].join(), ink: drawn[0].filter((a) => a > 0).length }
  }, font)

/** The share of each chart's canvas that is not blank. */
const inked = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll(".chart")].map((chart) => {
      const canvas = chart.querySelector("canvas")
      const ctx = canvas?.getContext("2d", { willReadFrequently: true })
      if (canvas === null || canvas === undefined || ctx === null || ctx === undefined) return 0
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
      let ink = 0
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 230 || data[i + 1] < 230 || data[i + 2] < 230)) ink++
      return ink / (data.length / 4)
    })
  )

/** The page's Chinese is drawn by the embedded font, and would be boxes without it on this machine. */
const assertNotTofu = async (page: Page, heading: string) => {
  assert.isTrue(await page.evaluate((f) => document.fonts.check(`16px "${f}"`, "中小学"), family), "the embedded font is loaded")
  const fallback = await glyphs(page, "sans-serif")
  assert.isTrue(fallback.same, "this machine has no Chinese font (keep it so: the test shows the embedded one is needed)")
  const embedded = await glyphs(page, `"${family}"`)
  assert.isFalse(embedded.same, "with the embedded font two characters are two glyphs, not the same box")
  assert.isAbove(embedded.ink, 100)
  const h1 = page.locator("h1")
  assert.strictEqual(await h1.evaluate((e) => getComputedStyle(e).fontFamily.split(",")[0].replaceAll('"', "")), family)
  assert.include(await h1.innerText(), heading)
  const shot = await h1.screenshot()
  await h1.evaluate((e) => {
    e.style.fontFamily = "sans-serif"
  })
  const tofu = await h1.screenshot()
  await h1.evaluate((e) => {
    e.style.fontFamily = ""
  })
  assert.isFalse(shot.equals(tofu), "the heading's pixels change when the embedded font is taken away")
}

describe("report pages in Chromium", () => {
  it("report.html in Chinese: the embedded font draws every Chinese heading, offline, at 1366×768 and A4", async () => {
    assert.isTrue(fs.existsSync(executablePath), `${executablePath} is missing: install Debian's chromium (apt-get install chromium)`)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-pages-"))
    fs.mkdirSync(shots, { recursive: true })
    const browser = await launch()
    try {
      const run = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--quiet", "--lang", "zh"])
      assert.strictEqual(run.status, 0, run.stderr)
      const file = path.join(dir, "report.html")
      for (const [name, viewport] of [
        ["1366x768", { width: 1366, height: 768 }],
        ["a4", { width: 794, height: 1123 }]
      ] as const) {
        const { page, errors, requests } = await open(browser, file, viewport)
        await page.waitForFunction(() => [...document.querySelectorAll(".chart")].every((c) => c.querySelector("canvas") !== null))
        await page.waitForTimeout(800)
        await assertNotTofu(page, "中小学布局规划报告")
        // every element holding Chinese text draws it with the embedded font, the provenance panel's text
        // (a <pre>, monospace by default: its school and place names were boxes) included
        if (name === "1366x768") {
          await page.locator("a.explain").first().click()
          assert.match(await page.locator("#provenance-text").innerText(), /[\u4e00-\u9fff]/)
          const elsewhere = await chineseNotIn(page, family)
          assert.deepStrictEqual(elsewhere, [], "elements drawing Chinese in another font")
          await page.locator("#provenance-close").click()
        }
        // one page first: the summary is the first section, before the details
        assert.strictEqual(await page.locator("h2").first().innerText(), "一页摘要 (2039)")
        // each heading says its unit once
        assert.deepStrictEqual(await doubledBrackets(page), [])
        assert.strictEqual(await page.locator(".summary-table tbody tr").count(), 11)
        // legends are plain (they wrap), never paged ("1/2"), so no series is missing on paper
        const legends = await page.evaluate(() =>
          [...document.querySelectorAll(".chart")].flatMap((el) =>
            // biome-ignore lint/suspicious/noExplicitAny: ECharts' instance inside the page has no types here
            ((window as any).echarts.getInstanceByDom(el).getOption().legend ?? []).map((l: { type: string }) => l.type)
          )
        )
        assert.isAtLeast(legends.length, 9)
        for (const type of legends) assert.strictEqual(type, "plain")
        // every chart's axis has its unit, and the map says it has no basemap
        const axes = await page.evaluate(() =>
          [...document.querySelectorAll(".chart:not(.map)")].map(
            // biome-ignore lint/suspicious/noExplicitAny: as above
            (el) => (window as any).echarts.getInstanceByDom(el).getOption().yAxis[0].name as string
          )
        )
        for (const name of axes) assert.match(name, /[人个次班]/, `an axis without its unit: ${name}`)
        assert.include(await page.locator(".mapnote").first().innerText(), "本图无底图")
        const ink = await inked(page)
        assert.isAtLeast(ink.length, 9)
        ink.forEach((share, i) => assert.isAbove(share, 0.01, `chart ${i} drew nothing at ${name}`))
        assert.deepStrictEqual(errors, [])
        assert.deepStrictEqual(requests, [], "the report must not fetch anything")
        await page.screenshot({ path: path.join(shots, `report-zh-${name}.png`) })
        await page.screenshot({ path: path.join(shots, `report-zh-${name}-full.png`), fullPage: true })
        await page.close()
      }
    } finally {
      await browser.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)

  it("backtest.html in Chinese (--lang zh) and English: the embedded font, no request, no error", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-pages-bt-"))
    fs.mkdirSync(shots, { recursive: true })
    const browser = await launch()
    try {
      for (const lang of ["zh", "en"] as const) {
        const out = path.join(dir, lang)
        const bt = await seatplan(
          [
            "backtest",
            "scenarios/backtest/scenario.yaml",
            "--origin",
            "2020",
            "--origin",
            "2021",
            "--horizon",
            "3",
            "--level",
            "primary"
          ].concat(["--method", "cohort-component", "--method", "gp-median", "--lang", lang, "--out", out])
        )
        assert.strictEqual(bt.status, 0, bt.stderr)
        const file = path.join(out, "backtest.html")
        const html = fs.readFileSync(file, "utf8")
        assert.include(html, lang === "zh" ? "年级升级比（中位数）" : "grade progression (median)")
        const { page, errors, requests } = await open(browser, file, { width: 1366, height: 768 })
        await assertNotTofu(page, "回测")
        assert.deepStrictEqual(errors, [])
        assert.deepStrictEqual(requests, [])
        await page.screenshot({ path: path.join(shots, `backtest-${lang}.png`), fullPage: true })
        await page.close()
      }
    } finally {
      await browser.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)
})
