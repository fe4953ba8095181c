/**
 * `seatplan run --pdf` (issue 14): the report printed through headless Chromium. Checked with Debian's
 * poppler-utils: landscape A4 (or A3 with --paper a3); the summary alone on the first page, the details
 * and each variant starting a new page (pdftotext, page by page), so at least 2 + variants pages; and no
 * page blank (pdftoppm renders every page, and each has ink).
 */
import { assert, describe, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { root, seatplan } from "./seatplan.js"

const pages = (pdf: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))![1])
const size = (pdf: string) =>
  /Page size:\s+([\d.]+) x ([\d.]+) pts/
    .exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))!
    .slice(1, 3)
    .map(Number)
const text = (pdf: string, page: number) =>
  execFileSync("pdftotext", ["-f", String(page), "-l", String(page), "-layout", pdf, "-"], { encoding: "utf8" })
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")

/** The share of dark pixels of every page, rendered by pdftoppm as 20 dpi greyscale (binary PGM). */
const ink = (pdf: string, dir: string): ReadonlyArray<number> => {
  execFileSync("pdftoppm", ["-r", "20", "-gray", pdf, path.join(dir, "page")])
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith("page") && f.endsWith(".pgm"))
    .sort()
    .map((f) => {
      const bytes = fs.readFileSync(path.join(dir, f))
      // P5\n<width> <height>\n<max>\n<pixels>
      const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 40).toString("latin1"))!
      const pixels = bytes.subarray(header[0].length)
      let dark = 0
      for (const p of pixels) if (p < 200) dark++
      return dark / pixels.length
    })
}

describe("seatplan run --pdf", () => {
  it("prints the report: the summary first, each section on a new page, no blank page, A4 and A3 landscape", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-pdf-"))
    try {
      const run = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--quiet", "--lang", "zh", "--pdf"])
      assert.strictEqual(run.status, 0, run.stderr)
      assert.include(run.stdout + run.stderr, "report.pdf")
      const pdf = path.join(dir, "report.pdf")
      const [w, h] = size(pdf)
      assert.isBelow(Math.abs(w - 842), 2, "A4 landscape: 297 mm wide")
      assert.isBelow(Math.abs(h - 595), 2, "A4 landscape: 210 mm high")
      const n = pages(pdf)
      const variants = ["baseline", "township"]
      assert.isAtLeast(n, 2 + variants.length, "summary, details, and a page per variant at least")
      const first = text(pdf, 1)
      assert.include(first.join("\n"), "一页摘要")
      assert.notInclude(first.join("\n"), "方案比较", "the summary page holds the summary only")
      const tops = Array.from({ length: n }, (_, i) => text(pdf, i + 1)[0] ?? "")
      assert.include(tops, "方案比较 (2039)", "the details start a page")
      for (const v of variants) assert.include(tops, `方案: ${v}`, `variant ${v} starts a page`)
      const shares = ink(pdf, dir)
      assert.strictEqual(shares.length, n)
      shares.forEach((s, i) => assert.isAbove(s, 0.002, `page ${i + 1} is blank`))
      fs.mkdirSync(path.join(root, "out", "report-pages"), { recursive: true })
      fs.copyFileSync(pdf, path.join(root, "out", "report-pages", "report-zh-a4.pdf"))

      const a3 = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--quiet", "--lang", "en", "--pdf", "--paper", "a3"])
      assert.strictEqual(a3.status, 0, a3.stderr)
      const [w3, h3] = size(pdf)
      assert.isBelow(Math.abs(w3 - 1191), 2, "A3 landscape: 420 mm wide")
      assert.isBelow(Math.abs(h3 - 842), 2, "A3 landscape: 297 mm high")
      assert.include(text(pdf, 1).join("\n"), "Summary")
      assert.isAtMost(pages(pdf), n, "A3 holds at least as much as A4 on a page")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)

  it("says what to install when Chromium is missing (exit 1), and writes the HTML report all the same", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-pdf-"))
    try {
      const run = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--quiet", "--pdf"], {
        SEATPLAN_CHROMIUM: path.join(dir, "no-chromium")
      })
      assert.strictEqual(run.status, 1, run.stderr)
      assert.include(run.stderr, "--pdf prints through Chromium, expected at")
      assert.isTrue(fs.existsSync(path.join(dir, "report.html")))
      assert.isFalse(fs.existsSync(path.join(dir, "report.pdf")))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
