/**
 * The reports' own font (issue 14): Noto Sans SC (SIL Open Font License), cut down to exactly the
 * characters the page shows and embedded as a `data:` WOFF2, so `report.html` and `backtest.html` read
 * the same on a machine without any Chinese font (where every Chinese character would otherwise be a box).
 *
 * The full font (about 10 MB) comes from the npm package `@expo-google-fonts/noto-sans-sc`; `subset-font`
 * (HarfBuzz's hb-subset compiled to WebAssembly) keeps the glyphs of the page's characters plus printable
 * ASCII and the symbols the charts draw (digits, %, –, ·, ±…): about 60 KB for the county report.
 * One weight (400); the browser emboldens headings itself.
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"

/** The family name the pages and their charts ask for; never a system font's name. */
export const family = "Seatplan Noto Sans SC"

/** CSS `font-family` with the embedded font first. */
export const stack = `"${family}",sans-serif`

/** Characters always kept: printable ASCII and the symbols charts and tables draw from numbers. */
const always = `${Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("")}–—·±×÷≤≥…‰°−→←↑↓■●▲▼◆○□△▽☆★§¶‘’“”「」、。，：；！？（）【】《》～`

/**
 * The text whose characters the font must draw: the page without the given (library) scripts, each
 * character once, in the order of first appearance (`always` first), control characters left out. The
 * page is walked a code point at a time against a table of those seen: spreading it into an array of
 * one-character strings (`[...text]`) took 9 s for the 50 MB report of 20,000 settlements.
 */
export const charactersOf = (html: string, without: ReadonlyArray<string> = []): string => {
  let text = html
  for (const w of without) text = text.split(w).join("")
  const seen = new Uint8Array(0x110000)
  const out: Array<string> = []
  const add = (code: number) => {
    if (code >= 32 && seen[code] === 0) {
      seen[code] = 1
      out.push(String.fromCodePoint(code))
    }
  }
  for (const c of always) add(c.codePointAt(0)!)
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!
    // a surrogate pair is one character (a lone surrogate stays a character of its own, as `[...text]` has it)
    if (code > 0xffff) i++
    add(code)
  }
  return out.join("")
}

/**
 * The 3,755 most used Chinese characters (GB 2312 level 1) and GB 2312's punctuation rows: for a page whose
 * text is typed while it is open (seatplan serve: the names of forks and renames), beside its own characters.
 */
export const commonChinese = (): string => {
  const decoder = gbk()
  if (decoder === undefined) return "" // a Node built without full ICU: the page's own words and names still are cut
  let out = ""
  for (const [from, to] of [
    [0xa1, 0xa3],
    [0xb0, 0xd7]
  ] as const) {
    for (let a = from; a <= to; a++) {
      for (let b = 0xa1; b <= 0xfe; b++) {
        const c = decoder.decode(new Uint8Array([a, b]))
        if (c.length === 1 && c !== "\ufffd") out += c
      }
    }
  }
  return out
}

/** A GBK decoder, or undefined where Node has none (built without full ICU). */
const gbk = () => {
  try {
    return new TextDecoder("gbk")
  } catch {
    return undefined
  }
}

const fontFile = (): string => {
  const require = createRequire(import.meta.url)
  return require.resolve("@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf")
}

/** The font subset to `characters`, as WOFF2 (subset-font is loaded only here: no other command pays for it at start). */
export const subset = async (characters: string): Promise<Uint8Array> => {
  const { default: subsetFont } = await import("subset-font")
  return new Uint8Array(await subsetFont(fs.readFileSync(fontFile()), characters, { targetFormat: "woff2" }))
}

/** The `@font-face` rule with the subset as a `data:` URL (the page's CSP has `font-src data:`). */
export const fontFace = (woff2: Uint8Array): string =>
  `@font-face{font-family:"${family}";font-style:normal;font-weight:100 900;font-display:block;src:url(data:font/woff2;base64,${Buffer.from(woff2).toString("base64")}) format("woff2")}`

/** Where a page marks the place of its font (inside its `<style>`). */
export const marker = "/*seatplan-font*/"

/**
 * The page with its font: the characters of `html` (less the `without` scripts, a library's text) subset
 * from Noto Sans SC and put in place of the marker.
 */
export const embed = async (html: string, without: ReadonlyArray<string> = []): Promise<string> => {
  const at = html.indexOf(marker)
  if (at < 0) return html
  const face = fontFace(await subset(charactersOf(html, without)))
  return html.slice(0, at) + face + html.slice(at + marker.length)
}
