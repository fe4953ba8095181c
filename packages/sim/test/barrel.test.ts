import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"

describe("the public barrel", () => {
  it("re-exports every public module of src/ and src/kernels/", () => {
    const src = path.join(import.meta.dirname, "../src")
    const barrel = fs.readFileSync(path.join(src, "index.ts"), "utf8")
    const modules = [
      ...fs
        .readdirSync(src)
        .filter((f) => f.endsWith(".ts") && f !== "index.ts")
        .map((f) => `./${f}`),
      ...fs.readdirSync(path.join(src, "kernels")).map((f) => `./kernels/${f}`)
    ]
    const missing = modules.filter((f) => !barrel.includes(`from "${f.replace(/\.ts$/, ".js")}"`))
    assert.deepStrictEqual(missing, [])
  })
})
