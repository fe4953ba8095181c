#!/usr/bin/env node
// The seatplan command. Runs the bundle built from the TypeScript sources (dist/seatplan.mjs, built on
// install); when a source of the workspace is newer than the bundle (a developer edited it), it is
// rebuilt first, so the command never runs stale code.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const bundle = path.join(cli, "dist", "seatplan.mjs")

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
await import(pathToFileURL(bundle).href)
