/**
 * Writes docs/standards.md, the policy documents, standards and national rules with their sources, from
 * packages/core/src/Sources.ts, Standards.ts and packages/sim/src/Compliance.ts. Run with `pnpm docs:standards`;
 * packages/sim/test/StandardsDoc.test.ts fails when the committed file differs from what this writes.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as StandardsDoc from "../src/StandardsDoc.js"

/** Where the document lives (repository root's docs/). */
export const file = path.resolve(import.meta.dirname, "../../../docs/standards.md")

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, StandardsDoc.markdown())
  console.log(`wrote ${path.relative(process.cwd(), file)}`)
}
