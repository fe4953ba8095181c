/**
 * `--pdf`: the report printed to PDF through headless Chromium (Debian's `chromium`, driven by
 * playwright-core; the launch is internal/Browser's, the one the page tests use), landscape A4 or A3. The
 * page is laid out at the paper's printable width before it is printed, so the charts are drawn for the
 * paper (they re-draw themselves on `beforeprint` too), and the print CSS puts each section on a new page.
 */
import { pathToFileURL } from "node:url"
import * as fs from "node:fs"
import { executablePath, launch } from "./internal/Browser.js"

/** The one Chromium launch (and where it is looked for): `pnpm bench` measures the workspace page with it. */
export { executablePath as chromiumPath, launch as launchChromium }

export type Paper = "a4" | "a3"

/** The printable width of a landscape sheet, in CSS pixels (96 per inch), with 10 mm margins. */
const widthPx: Readonly<Record<Paper, number>> = { a4: Math.floor(((297 - 20) / 25.4) * 96), a3: Math.floor(((420 - 20) / 25.4) * 96) }

/** Why a PDF cannot be made here, or undefined. */
export const unavailable = (): string | undefined =>
  fs.existsSync(executablePath)
    ? undefined
    : `--pdf prints through Chromium, expected at ${executablePath} (Debian: apt-get install chromium; or set SEATPLAN_CHROMIUM to its path), found nothing there`

/** Prints the HTML file `html` to `pdf` on landscape `paper`. */
export const print = async (html: string, pdf: string, paper: Paper): Promise<void> => {
  const browser = await launch()
  try {
    const page = await browser.newPage({ viewport: { width: widthPx[paper], height: 900 } })
    await page.goto(pathToFileURL(html).href)
    // page-side code as text: this package is compiled without the DOM's types
    await page.evaluate("document.fonts.ready.then(() => undefined)")
    // a report with charts marks its body when they are drawn; a page without charts is ready once loaded
    await page.waitForFunction('document.querySelector(".chart") === null || document.body.dataset.charts === "drawn"', undefined, {
      timeout: 60_000
    })
    await page.emulateMedia({ media: "print" })
    await page.evaluate('window.dispatchEvent(new Event("beforeprint"))')
    await page.pdf({
      path: pdf,
      format: paper === "a3" ? "A3" : "A4",
      landscape: true,
      printBackground: true,
      margin: { top: "10mm", bottom: "10mm", left: "10mm", right: "10mm" }
    })
  } finally {
    await browser.close()
  }
}
