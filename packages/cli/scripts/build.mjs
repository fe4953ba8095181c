#!/usr/bin/env node
// Builds the `seatplan` command into one JavaScript file (packages/cli/dist/seatplan.mjs) and the Monte
// Carlo worker beside it, so that a command starts at once instead of transpiling the workspace's
// TypeScript on every start (issue 12). Run on install (the root `prepare` script), before the tests
// (vitest's global setup) and by bin/seatplan.mjs whenever a source is newer than the bundle.
// The workspace packages, effect and the other pure-JavaScript dependencies are bundled; better-sqlite3
// (a native addon) and highs (WebAssembly beside its loader) stay external and load from node_modules, as do
// exceljs and hyparquet-writer (large, and imported only by the commands that write workbooks and Parquet, so
// that every other command starts without them).
import * as esbuild from "esbuild"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
export const dist = path.join(cli, "dist")
export const bundle = path.join(dist, "seatplan.mjs")

const banner = [
  'import { createRequire as __seatplanCreateRequire } from "node:module";',
  "const require = __seatplanCreateRequire(import.meta.url);"
].join("\n")

/** Builds both entries; writes each output to a temporary file renamed into place (concurrent builds never leave half a file). */
export const build = async () => {
  const result = await esbuild.build({
    entryPoints: {
      seatplan: path.join(cli, "src/bin.ts"),
      "internal/monteCarloWorker": path.join(cli, "../sim/src/internal/monteCarloWorker.ts")
    },
    outdir: dist,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["better-sqlite3", "highs", "exceljs", "hyparquet-writer"],
    banner: { js: banner },
    sourcemap: "linked",
    legalComments: "none",
    minify: true,
    keepNames: false,
    logLevel: "error",
    write: false
  })
  fs.mkdirSync(path.join(dist, "internal"), { recursive: true })
  for (const file of result.outputFiles) {
    const temp = `${file.path}.${process.pid}.tmp`
    fs.writeFileSync(temp, file.contents)
    fs.renameSync(temp, file.path)
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now()
  await build()
  console.error(`built ${path.relative(process.cwd(), bundle)} in ${Math.round(performance.now() - started)} ms`)
}
