/**
 * Debian's headless Chromium for the page tests: the same launch as the command's `--pdf`
 * (src/internal/Browser), so tests and command start it one way.
 */
import type { Page } from "playwright-core"

export { executablePath, launch } from "../src/internal/Browser.js"

/**
 * The elements of the page that hold Chinese text but draw it in a family other than `family` (tag#id):
 * a <pre> (monospace), a button or a select (which do not inherit the page's font) drew it in a system
 * font, boxes on a machine without a Chinese one.
 */
export const chineseNotIn = (page: Page, family: string): Promise<ReadonlyArray<string>> =>
  page.evaluate(
    (f) =>
      [...document.querySelectorAll("body *")]
        .filter((e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && /[\u4e00-\u9fff]/.test(n.textContent ?? "")))
        .filter((e) => getComputedStyle(e).fontFamily.split(",")[0].replaceAll('"', "").trim() !== f)
        .map((e) => `${e.tagName.toLowerCase()}${e.id === "" ? "" : `#${e.id}`}`),
    family
  )

/**
 * The page's headings (table heads, section and chart titles) that carry two bracketed parts: a unit given
 * twice ("平均距离(km)（公里）") or a note and a unit side by side ("大班额（含超大班额…） (个班)").
 */
export const doubledBrackets = (page: Page): Promise<ReadonlyArray<string>> =>
  page.evaluate(() =>
    [...new Set([...document.querySelectorAll("th, h2, h3, h4, caption")].map((e) => (e as HTMLElement).innerText.trim()))].filter(
      (t) => (t.match(/[（(][^）)]*[）)]/g) ?? []).length >= 2
    )
  )
