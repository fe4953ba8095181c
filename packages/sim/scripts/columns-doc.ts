/**
 * Writes docs/columns.md, the documented table of output columns, from the column registry
 * (packages/sim/src/Columns.ts). Run with `pnpm docs:columns`; packages/sim/test/Columns.test.ts fails
 * when the committed file differs from what this writes.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as Columns from "../src/Columns.js"

/** Where the documented table lives (repository root's docs/). */
export const file = path.resolve(import.meta.dirname, "../../../docs/columns.md")

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, Columns.markdown())
  console.log(`wrote ${path.relative(process.cwd(), file)}`)
}
