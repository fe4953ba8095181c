/**
 * Hostile names and ids in the reports (issue 11 item 1). Ids and names come from the scenario file, so a
 * school id `</script><script>…` or a settlement named `<img src=x onerror=…>` must show as text in every
 * place it appears (tables, map tooltips, chart tooltips, the explain panel, the title) and never run,
 * and the page's Content-Security-Policy must stop anything loading. Checked in headless Chromium: no
 * dialog, no title change, no console error, no CSP violation, no request, no element the data made.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { Browser, Page } from "playwright-core"
import { executablePath, launch } from "./browser.js"
import * as YAML from "yaml"
import * as Html from "../src/internal/Html.js"
import { root, seatplan } from "./seatplan.js"

/** Payloads for ids (one line, no space at either end, as the scenario schema allows). */
const idPayloads = [
  "</script><script>document.title='pwned';alert(1)</script>",
  "<img src=x onerror=\"document.title='pwned';alert(1)\">",
  '"><svg onload=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, meant literally
  "{{7*7}}'-alert(1)-'${alert(1)}",
  '<img src="http://127.0.0.1:9/beacon.png"><link rel=stylesheet href="https://example.invalid/x.css">',
  "<!--<script>alert(1)//",
  "</SCRIPT ><iframe src=javascript:alert(1)></iframe>"
]
/** Names may also hold line terminators that old JavaScript does not allow in a string literal. */
const namePayloads = ["\u2028\u2029<img src=x onerror=alert(1)>", "<style>*{display:none}</style><b>bold</b>", ...idPayloads]

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }

/** Every string equal to an id (values and record keys alike) replaced by its hostile version. */
const rename = (x: Json, ids: ReadonlyMap<string, string>): Json =>
  typeof x === "string"
    ? (ids.get(x) ?? x)
    : Array.isArray(x)
      ? x.map((y) => rename(y, ids))
      : x !== null && typeof x === "object"
        ? Object.fromEntries(Object.entries(x).map(([k, v]) => [ids.get(k) ?? k, rename(v as Json, ids)]))
        : x

interface Hostile {
  readonly file: string
  readonly name: string
  readonly ids: ReadonlyMap<string, string>
  readonly schools: ReadonlyArray<string>
  /** The schools' hostile names (the report names schools, never by id). */
  readonly schoolNames: ReadonlyArray<string>
  /** Hostile id → hostile name, settlements and schools. */
  readonly names: ReadonlyMap<string, string>
}

/** A shipped scenario with every settlement and school id and name, and its own name, made hostile. */
const hostile = (
  source: string,
  dir: string,
  extra: (s: Record<string, unknown>, ids: ReadonlyMap<string, string>) => void = () => {}
): Hostile => {
  const s = YAML.parse(fs.readFileSync(path.join(root, source), "utf8")) as Record<string, unknown>
  const ids = new Map<string, string>()
  const collect = (list: unknown) => {
    for (const x of (list ?? []) as ReadonlyArray<{ id: string }>) ids.set(x.id, `${x.id}${idPayloads[ids.size % idPayloads.length]}`)
  }
  collect(s.settlements)
  collect(s.schools)
  const schools = ((s.schools ?? []) as ReadonlyArray<{ id: string }>).map((x) => ids.get(x.id)!)
  for (const v of (s.variants ?? []) as ReadonlyArray<{ events: ReadonlyArray<Record<string, { id?: string }>> }>) {
    collect(v.events.flatMap((e) => (typeof e.school === "object" && e.school.id !== undefined ? [e.school] : [])))
    collect(v.events.flatMap((e) => (e.settlement !== undefined && typeof e.settlement === "object" ? [e.settlement] : [])))
  }
  const out = rename(s as Json, ids) as Record<string, unknown>
  let n = 0
  const names = (list: unknown) => {
    for (const x of (list ?? []) as Array<{ name?: string }>) x.name = `${x.name ?? ""} ${namePayloads[n++ % namePayloads.length]}`
  }
  names(out.settlements)
  names(out.schools)
  for (const v of (out.variants ?? []) as ReadonlyArray<{ events: ReadonlyArray<Record<string, unknown>> }>) {
    for (const e of v.events) {
      if (typeof e.school === "object") names([e.school])
      if (typeof e.settlement === "object") names([e.settlement])
      if (typeof e.estate === "string") e.estate = `${e.estate} ${namePayloads[n++ % namePayloads.length]}`
    }
  }
  out.name = `Hostile 县 </title><script>document.title='pwned';alert(1)</script><img src=x onerror=alert(1)> {{7*7}}`
  out.description = `${namePayloads.join(" ")}`
  extra(out, ids)
  const file = path.join(dir, "scenario.json")
  fs.writeFileSync(file, JSON.stringify(out, null, 1))
  const schoolNames = ((out.schools ?? []) as ReadonlyArray<{ name: string }>).map((x) => x.name)
  const named = [
    ...((out.settlements ?? []) as ReadonlyArray<{ id: string; name: string }>),
    ...((out.schools ?? []) as ReadonlyArray<{ id: string; name: string }>)
  ]
  return { file, name: out.name as string, ids, schools, schoolNames, names: new Map(named.map((x) => [x.id, x.name])) }
}

interface Watched {
  readonly page: Page
  readonly problems: Array<string>
}

/** A page that records every dialog, console error, page error, CSP violation and request off the file. */
const watch = async (browser: Browser, file: string): Promise<Watched> => {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1800 } })
  const problems: Array<string> = []
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`)
  })
  page.on("pageerror", (e) => problems.push(`page error: ${String(e)}`))
  page.on("request", (r) => {
    if (r.url() !== `file://${file}`) problems.push(`request: ${r.url()}`)
  })
  page.on("popup", (p) => problems.push(`popup: ${p.url()}`))
  await page.addInitScript(() => {
    const w = window as unknown as { violations: Array<string> }
    w.violations = []
    document.addEventListener("securitypolicyviolation", (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI}`))
  })
  await page.goto(`file://${file}`)
  return { page, problems }
}

/** Elements a payload would have made: the reports make none of these themselves. */
const injected = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("img, svg:not(body > svg, .row > svg), iframe, link, object, embed, b, style:not(head > style)")].map(
      (e) => e.outerHTML.slice(0, 80)
    )
  )

describe("Html", () => {
  it("jsonForScript: no <, >, &, U+2028/U+2029 left, and it parses back to the value", () => {
    fc.assert(
      // a "__proto__" key: JSON.parse makes it an own property, an object literal in a script sets the
      // prototype instead, so no script text can be both; the loader refuses such keys in a scenario, so the
      // embedded data never holds one
      fc.property(
        fc.jsonValue().filter((v) => !JSON.stringify(v).includes('"__proto__":')),
        fc.string(),
        (v, s) => {
          for (const value of [v, s, { s, v }, [`</script>${s}<!--`, "\u2028\u2029&"]]) {
            const out = Html.jsonForScript(value)
            assert.notMatch(out, /[<>&\u2028\u2029]/)
            assert.deepStrictEqual(JSON.parse(out), JSON.parse(JSON.stringify(value)))
            assert.deepStrictEqual(new Function(`return ${out}`)(), JSON.parse(JSON.stringify(value)))
          }
        }
      )
    )
  })

  it("escapeHtml: no markup characters left, and the text comes back when decoded", () => {
    const decode = (s: string) =>
      s.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[e]!)
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("<", ">", "&", '"', "'", "a", "é", ";", "#") }), (s) => {
        const out = Html.escapeHtml(s)
        assert.notMatch(out, /[<>"']/)
        assert.strictEqual(decode(out), s)
      })
    )
  })

  it("the policy lets only the hashed scripts run and loads nothing", () => {
    const csp = Html.contentSecurityPolicy(["alert(1)"])
    assert.include(csp, "default-src 'none'")
    assert.include(csp, "script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='")
    assert.include(csp, "connect-src 'none'")
    assert.notInclude(csp, "unsafe-eval")
    assert.notMatch(csp, /script-src[^;]*unsafe-inline/)
  })
})

describe("reports with hostile names and ids", () => {
  it("report.html shows them as text everywhere, runs none, loads nothing", async () => {
    assert.isTrue(fs.existsSync(executablePath), `${executablePath} is missing: install Debian's chromium`)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-hostile-"))
    const browser = await launch()
    try {
      const h = hostile("scenarios/tiny/scenario.yaml", dir, (s) => {
        s.rules = [
          {
            id: "<img src=x onerror=alert(1)>rule",
            zh: "<svg onload=alert(1)>规则",
            en: "</script><script>alert(1)</script> rule",
            levels: ["primary"],
            scope: "school",
            column: "pupils",
            unit: "<b>pupils</b>",
            threshold: 1,
            direction: "at-least",
            counts: true,
            source: "<iframe src=javascript:alert(1)>"
          }
        ]
      })
      const run = await seatplan(["run", h.file, "--out", dir, "--quiet", "--lang", "en"])
      assert.strictEqual(run.status, 0, run.stderr)
      const file = path.join(dir, "report.html")
      const { page, problems } = await watch(browser, file)
      await page
        .waitForFunction(() => document.querySelectorAll("canvas").length >= 9, undefined, { timeout: 15_000 })
        .catch((e) => {
          throw new Error(`the charts did not draw: ${String(e)}\n${problems.join("\n")}`)
        })
      await page.waitForTimeout(300)
      assert.strictEqual(
        await page.title(),
        `${h.name} — School layout plan report (中小学布局规划)`,
        "the title is the scenario's name, as text"
      )
      const body = await page.locator("body").evaluate((b) => b.textContent ?? "")
      const shown = h.schoolNames.filter((name) => body.includes(name))
      assert.isAtLeast(shown.length, 8, "the standards tables name the schools, as text")
      for (const payload of namePayloads)
        assert.isTrue(
          shown.some((name) => name.endsWith(payload)),
          `a name ending ${payload} shows as text`
        )
      // the demand table's areas are the county seat and the townships (the first three settlements)
      for (const payload of namePayloads.slice(0, 3)) assert.include(body, payload, "settlement names show as text")
      assert.include(body, "</script><script>alert(1)</script> rule", "a rule shows by its (hostile) name, as text")
      assert.include(body, "{{7*7}}")

      await page.locator("#map-0").scrollIntoViewIfNeeded()
      // a real hover over a school on the first map
      const point = await page.evaluate(() => {
        const el = document.getElementById("map-0")!
        // biome-ignore lint/suspicious/noExplicitAny: ECharts' instance inside the page has no types here
        const chart = (window as unknown as { echarts: { getInstanceByDom: (d: Element) => any } }).echarts.getInstanceByDom(el)
        // the schools are the series from the fifth on (one per state: unchanged, new, expanded, closing, closed)
        const series = chart.getOption().series as ReadonlyArray<{ data?: ReadonlyArray<ReadonlyArray<number | string>> }>
        const s = series.findIndex((x, i) => i >= 4 && (x.data ?? []).length > 0)
        const points = series[s].data!
        const p = points[0]
        const [x, y] = chart.convertToPixel({ seriesIndex: s }, [p[0], p[1]])
        const box = el.getBoundingClientRect()
        // schools in one settlement stand on one spot: the tooltip names one of them
        const names = points.filter((q) => q[0] === p[0] && q[1] === p[1]).map((q) => String(q[2]))
        return { x: box.left + x, y: box.top + y, names }
      })
      await page.mouse.move(point.x - 20, point.y - 20)
      await page.mouse.move(point.x, point.y, { steps: 5 })
      await page.waitForTimeout(300)
      const hovered = await page.locator("#map-0").evaluate((el) => el.textContent ?? "")
      assert.isTrue(
        point.names.some((name) => hovered.includes(name)),
        `hovering a school shows its name as text: ${hovered}`
      )

      // every point of every map and every axis chart: the tooltip shows the id as text
      const tips = await page.evaluate(async () => {
        // biome-ignore lint/suspicious/noExplicitAny: ECharts' instance inside the page has no types here
        const e = (window as unknown as { echarts: { getInstanceByDom: (d: Element) => any } }).echarts
        const seen: Array<string> = []
        for (const el of document.querySelectorAll(".chart")) {
          const chart = e.getInstanceByDom(el)
          const option = chart.getOption()
          for (let s = 0; s < option.series.length; s++) {
            const n = Math.min(40, (option.series[s].data ?? []).length)
            for (let k = 0; k < n; k++) {
              chart.dispatchAction({ type: "showTip", seriesIndex: s, dataIndex: k })
              await new Promise((r) => setTimeout(r, 5))
              const tip = [...el.querySelectorAll("div")]
                .filter((d) => d.style.position === "absolute" && d.textContent !== "")
                .map((d) => d.textContent)
              seen.push(...tip.map((t) => t ?? ""))
            }
          }
          chart.dispatchAction({ type: "hideTip" })
        }
        return seen
      })
      assert.isTrue(
        tips.some((t) => t.includes("<img src=x onerror=")),
        `a map tooltip shows a hostile id as text: ${tips.slice(0, 3).join(" | ")}`
      )
      assert.isTrue(
        tips.some((t) => t.includes("</script><script>")),
        "a map tooltip shows the </script> id as text"
      )
      for (const id of ["LS-SEAT", "LS-XI", "LS-DONG-LIU", "XI-NINE"])
        assert.isTrue(
          tips.some((t) => t.includes(h.names.get(h.ids.get(id)!)!)),
          `the tooltip of ${id} names it as text`
        )
      assert.isTrue(
        tips.some((t) => t.includes("primary pupils")),
        "the axis tooltips list their series"
      )

      // the explain panel of every school whose id is hostile
      const links = page.locator("a.explain")
      const count = await links.count()
      assert.isAbove(count, 5)
      for (let k = 0; k < count; k++) {
        const key = await links.nth(k).getAttribute("data-key")
        if (key === null || ![...h.ids.values()].some((id) => key.startsWith(`${id}|`))) continue
        await links.nth(k).click()
        const text = await page.locator("#provenance-text").evaluate((e) => e.textContent ?? "")
        assert.include(text, key.split("|")[0], "the explain panel names the school as text")
        await page.locator("#provenance-close").click()
      }

      await page.waitForTimeout(200)
      assert.deepStrictEqual(await injected(page), [], "no element came from the data")
      assert.strictEqual(await page.evaluate(() => document.querySelectorAll("script").length), 3, "echarts, the data and the page script")
      assert.deepStrictEqual(await page.evaluate(() => (window as unknown as { violations: Array<string> }).violations), [])
      assert.strictEqual(await page.title(), `${h.name} — School layout plan report (中小学布局规划)`, "nothing changed the title")
      assert.deepStrictEqual(problems, [])
      const inked = await page.evaluate(() =>
        [...document.querySelectorAll(".chart")].map((chart) => {
          const canvas = chart.querySelector("canvas")! // the main layer (hovering adds others)
          const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height)
          let ink = 0
          for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 230 || data[i + 1] < 230 || data[i + 2] < 230)) ink++
          return ink / (data.length / 4)
        })
      )
      assert.strictEqual(inked.length, 9)
      for (const share of inked) assert.isAbove(share, 0.01, "a chart drew nothing under the policy")
      assert.include(
        fs.readFileSync(file, "utf8"),
        '<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-'
      )
      await page.locator("#map-0").scrollIntoViewIfNeeded()
      const shot = path.join(root, "out", "screenshots", "report-hostile.png")
      fs.mkdirSync(path.dirname(shot), { recursive: true })
      await page.screenshot({ path: shot })
    } finally {
      await browser.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)

  it("backtest.html shows them as text, runs nothing, loads nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-hostile-bt-"))
    const browser = await launch()
    try {
      // one school records no primary pupils in 2023: the backtest warns, naming it
      const h = hostile("scenarios/backtest/scenario.yaml", dir, (s, ids) => {
        const enrolment = (s.history as { enrolment: Array<{ school: string; year: number; byGrade: Record<string, number> }> }).enrolment
        for (const e of enrolment) {
          if (e.school === ids.get("C1-SEAT-PRI-1") && e.year === 2023) for (const g of Object.keys(e.byGrade)) e.byGrade[g] = 0
        }
      })
      const args = [
        "backtest",
        h.file,
        "--origin",
        "2021",
        "--origin",
        "2022",
        "--horizon",
        "2",
        "--level",
        "primary",
        "--method",
        "cohort-component",
        "--out",
        dir
      ]
      const run = await seatplan(args)
      assert.strictEqual(run.status, 0, run.stderr)
      const file = path.join(dir, "backtest.html")
      const { page, problems } = await watch(browser, file)
      await page.waitForTimeout(300)
      // a name with Chinese in it: the page is in Chinese by default
      assert.strictEqual(await page.title(), `${h.name}: 回测：预测方法的历史误差`)
      assert.include(await page.locator("h1").evaluate((e) => e.textContent ?? ""), h.name)
      assert.include(
        await page.locator("body").evaluate((e) => e.textContent ?? ""),
        `school ${h.ids.get("C1-SEAT-PRI-1")} recorded no primary pupils in 2023`
      )
      assert.deepStrictEqual(await injected(page), [])
      assert.strictEqual(await page.evaluate(() => document.querySelectorAll("script").length), 0)
      assert.deepStrictEqual(await page.evaluate(() => (window as unknown as { violations: Array<string> }).violations), [])
      assert.deepStrictEqual(problems, [])
      assert.include(fs.readFileSync(file, "utf8"), "script-src &#39;none&#39;", "backtest.html has no script, and the policy says so")
    } finally {
      await browser.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)
})
