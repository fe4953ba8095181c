#!/usr/bin/env node
// Builds the `seatplan` command into one JavaScript file (packages/cli/dist/seatplan.cjs) and the Monte
// Carlo worker beside it, so that a command starts at once instead of transpiling the workspace's
// TypeScript on every start (issue 12), and the sweep worker (issue 17). Run on install (the root `prepare` script), before the tests
// (vitest's global setup) and by bin/seatplan.mjs whenever a source is newer than the bundle.
// The workspace packages, effect and the other pure-JavaScript dependencies are bundled; better-sqlite3
// (a native addon) and highs (WebAssembly beside its loader) stay external and load from node_modules, and
// so do subset-font (HarfBuzz as WebAssembly, for the reports' font) and playwright-core (`--pdf`).
// The command is a CommonJS bundle because bin/seatplan.mjs compiles it with V8's code cache (vm.Script
// cachedData, kept beside it in seatplan.cjs.<flags>.cache): parsing and compiling 1.1 MB of JavaScript was a
// third of every start, and Node 20 has no compile cache for ES modules. `import.meta.url` (the worker's
// and the report's paths) is defined as the bundle's own file URL. The worker, started by URL, stays ESM.
// exceljs and hyparquet-writer stay external too (large, and imported only by the commands that write
// workbooks and Parquet, so that every other command starts without them).
import * as esbuild from "esbuild"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
export const dist = path.join(cli, "dist")
export const bundle = path.join(dist, "seatplan.cjs")
/** V8's code caches of the bundle (one per set of Node flags), written by bin/seatplan.mjs after a run; stale once the bundle is rebuilt. */
export const codeCaches = () =>
  fs
    .readdirSync(dist)
    .filter((name) => name.startsWith("seatplan.cjs.") && name.endsWith(".cache"))
    .map((name) => path.join(dist, name))

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  external: ["better-sqlite3", "highs", "subset-font", "playwright-core", "exceljs", "hyparquet-writer"],
  sourcemap: "linked",
  legalComments: "none",
  minify: true,
  keepNames: false,
  logLevel: "error",
  write: false
}

/**
 * The command's dynamic imports (a scenario's rule module; exceljs, hyparquet-writer, subset-font and
 * playwright-core, loaded only by the commands that need them) go through `__seatplanImport`, which
 * bin/seatplan.mjs sets to an import() of its own: Node 20 drops the dynamic-import callback of functions
 * V8 compiles from a code cache ("A dynamic import callback was not specified"), so an import() left in the
 * cached bundle fails on every start after the first. Run without bin/, the banner's fallback imports as usual.
 */
const dynamicImports = (text) =>
  text.replace(/(?<![\w$.])import\(/g, "__seatplanImport(").replace("__seatplanImport(specifier)", "import(specifier)")

/** Builds both entries; writes each output to a temporary file renamed into place (concurrent builds never leave half a file). */
export const build = async () => {
  const [command, worker, page] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { seatplan: path.join(cli, "src/bin.ts") },
      outdir: dist,
      outExtension: { ".js": ".cjs" },
      format: "cjs",
      define: { "import.meta.url": "__seatplanUrl" },
      banner: {
        js: [
          'const __seatplanUrl = require("node:url").pathToFileURL(__filename).href;',
          // see `dynamicImports` below
          "const __seatplanImport = globalThis.__seatplanImport ?? ((specifier) => import(specifier));"
        ].join("\n")
      }
    }),
    esbuild.build({
      ...common,
      entryPoints: {
        "internal/monteCarloWorker": path.join(cli, "../sim/src/internal/monteCarloWorker.ts"),
        "internal/optimizeWorker": path.join(cli, "src/internal/optimizeWorker.ts"),
        // `seatplan run`'s population and standards tables, written beside the others (LargeTables.ts)
        "internal/tableWorker": path.join(cli, "src/internal/tableWorker.ts"),
        // `seatplan run`'s streams stored beside the projection (StoreThread.ts)
        "internal/storeWorker": path.join(cli, "src/internal/storeWorker.ts"),
        // `seatplan sweep`'s worker (packages/plan/src/Sweep.ts starts it by the same relative URL)
        "internal/sweepWorker": path.join(cli, "../plan/src/internal/sweepWorker.ts")
      },
      outdir: dist,
      outExtension: { ".js": ".mjs" },
      format: "esm",
      banner: {
        js: [
          'import { createRequire as __seatplanCreateRequire } from "node:module";',
          "const require = __seatplanCreateRequire(import.meta.url);"
        ].join("\n")
      }
    }),
    // the page of `seatplan serve`: its script for the browser, ECharts included (nothing loads from elsewhere)
    esbuild.build({
      entryPoints: { "serve/app": path.join(cli, "src/serve/client/main.ts") },
      outdir: dist,
      bundle: true,
      platform: "browser",
      format: "iife",
      target: "es2022",
      legalComments: "none",
      minify: true,
      logLevel: "error",
      write: false
    })
  ])
  fs.mkdirSync(path.join(dist, "internal"), { recursive: true })
  fs.mkdirSync(path.join(dist, "serve"), { recursive: true })
  for (const cache of codeCaches()) fs.rmSync(cache, { force: true })
  for (const file of [...command.outputFiles, ...worker.outputFiles, ...page.outputFiles]) {
    const temp = `${file.path}.${process.pid}.tmp`
    fs.writeFileSync(temp, file.path === bundle ? dynamicImports(file.text) : file.contents)
    fs.renameSync(temp, file.path)
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now()
  await build()
  console.error(`built ${path.relative(process.cwd(), bundle)} in ${Math.round(performance.now() - started)} ms`)
}
