#!/usr/bin/env node
// The seatplan command. Runs the bundle built from the TypeScript sources (dist/seatplan.cjs, built on
// install); when a source of the workspace is newer than the bundle (a developer edited it), it is
// rebuilt first, so the command never runs stale code.
//
// The bundle is compiled with V8's code cache (dist/seatplan.cjs.<flags>.cache): without it, parsing and
// compiling the bundle is about a third of a start. The cache is written after the first run that lacks
// one (or whose cache V8 rejects, e.g. after a Node upgrade), into a temporary file renamed into place;
// a folder that cannot be written only means every start compiles afresh.
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import Module from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as vm from "node:vm"

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const bundle = path.join(cli, "dist", "seatplan.cjs")
// V8 refuses a cache made under other flags (`pnpm seatplan` passes --max-semi-space-size), so each set
// of Node options has its own file.
const flags = createHash("sha256").update(process.execArgv.join("\0")).digest("hex").slice(0, 12)
const codeCache = `${bundle}.${flags}.cache`

const newest = (dir) => {
  let t = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) t = Math.max(t, newest(p))
    else if (entry.name.endsWith(".ts")) t = Math.max(t, fs.statSync(p).mtimeMs)
  }
  return t
}

const stale = () => {
  const built = fs.statSync(bundle, { throwIfNoEntry: false })
  if (built === undefined) return true
  const packages = path.join(cli, "..")
  for (const name of fs.readdirSync(packages)) {
    const src = path.join(packages, name, "src")
    if (fs.existsSync(src) && newest(src) > built.mtimeMs) return true
  }
  return false
}

if (stale()) {
  const { build } = await import("../scripts/build.mjs")
  await build()
}

const readCache = () => {
  try {
    return fs.readFileSync(codeCache)
  } catch {
    return undefined
  }
}

const cachedData = readCache()
const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, "utf8")), {
  filename: bundle,
  cachedData,
  // the bundle's one dynamic import loads a scenario's own allocation rule module, by file URL: with
  // Node's own loader, as an import() in a module would
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER
})
if (cachedData === undefined || script.cachedDataRejected === true) {
  // Written at exit, so that the cache holds the functions this run compiled, not only the top level.
  process.once("exit", () => {
    try {
      const temp = `${codeCache}.${process.pid}.tmp`
      fs.writeFileSync(temp, script.createCachedData())
      fs.renameSync(temp, codeCache)
    } catch {
      // a read-only installation: start without a cache
    }
  })
}
// the bundle's dynamic imports come here (see scripts/build.mjs, `dynamicImports`): an import() in a
// function compiled from V8's code cache loses Node's callback, one in this module does not
globalThis.__seatplanImport = (specifier) => import(specifier)
const module = { exports: {} }
script.runInThisContext()(module.exports, Module.createRequire(bundle), module, bundle, path.dirname(bundle))
