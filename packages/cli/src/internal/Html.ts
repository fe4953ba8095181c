/**
 * HTML safety for the reports (`report.html`, `backtest.html`): ids and names come from the scenario
 * file, so anything written into the page is escaped for where it lands, and the page carries a
 * Content-Security-Policy that lets only its own inline scripts (by hash) run and loads nothing.
 */
import { createHash } from "node:crypto"

const entities: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

/** Text for an element's content or a quoted attribute value. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => entities[c]!)

/**
 * JSON that is safe inside `<script>`: `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026` (no `</script>`,
 * `<!--` or `<script` can end or change the script element), and U+2028/U+2029 escaped too (line
 * terminators in older JavaScript). Still valid JSON and a valid JavaScript literal.
 */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

/** The CSP source of an inline script: the sha256 of exactly the text between `<script>` and `</script>`. */
const scriptHash = (text: string): string => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`

/**
 * The report's policy: nothing loads from anywhere (no network, no other file), only the given inline
 * scripts run (by hash); inline styles are allowed (`style-src 'unsafe-inline'`: the page's `<style>` and
 * the style attributes ECharts writes into its tooltips), images and fonts only from `data:`/`blob:`; images
 * also from `images` (origins such as https://tiles.example.org, only when the planner gives a tile server).
 */
export const contentSecurityPolicy = (scripts: ReadonlyArray<string>, images: ReadonlyArray<string> = []): string =>
  [
    "default-src 'none'",
    scripts.length === 0 ? "script-src 'none'" : `script-src ${scripts.map(scriptHash).join(" ")}`,
    "style-src 'unsafe-inline'",
    `img-src data: blob:${images.map((o) => ` ${o}`).join("")}`,
    "font-src data:",
    "connect-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "manifest-src 'none'",
    "base-uri 'none'",
    "form-action 'none'"
  ].join("; ")

/** The `<meta>` element carrying the policy; it must come before any script in `<head>`. */
export const cspMeta = (scripts: ReadonlyArray<string>, images: ReadonlyArray<string> = []): string =>
  `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(scripts, images))}">`

/** An inline `<script>` whose text cannot end the element early (refuses text containing `</script`). */
export const inlineScript = (text: string): string => {
  if (/<\/script/i.test(text)) throw new Error("an inline script must not contain </script") // a programming error, not a data one
  return `<script>${text}</script>`
}
