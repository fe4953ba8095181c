/**
 * The command starts from its bundle compiled with V8's code cache (bin/seatplan.mjs, issue 12): the cache
 * is an optimisation only, so a missing, stale or corrupt cache must never change what the command does.
 */
import * as fs from "node:fs"
import { describe, expect, it } from "vitest"
import { codeCaches } from "../scripts/build.mjs"
import { seatplan, temp } from "./seatplan.js"

describe("start-up with V8's code cache", () => {
  it("writes the cache after a run and gives the same help with it", async () => {
    const first = await seatplan(["--help"])
    expect(first.status).toBe(0)
    expect(codeCaches().length).toBeGreaterThan(0)
    const second = await seatplan(["--help"])
    expect(second.status).toBe(0)
    expect(second.stdout).toBe(first.stdout)
  })

  it("a corrupt cache is rejected by V8 and rewritten; the command runs as before", async () => {
    const reference = await seatplan(["validate", "scenarios/tiny/scenario.yaml"])
    expect(reference.status).toBe(0)
    const garbage = Buffer.alloc(4096, 0x5a)
    const caches = codeCaches()
    expect(caches.length).toBeGreaterThan(0)
    for (const cache of caches) fs.writeFileSync(cache, garbage)
    const ran = await seatplan(["validate", "scenarios/tiny/scenario.yaml"])
    expect(ran.status).toBe(0)
    expect(ran.stdout).toBe(reference.stdout)
    expect(ran.stderr).toBe("")
    expect(codeCaches().some((cache) => !fs.readFileSync(cache).equals(garbage))).toBe(true)
  })

  it("a command that loads modules dynamically (the report's font tool, the workbook writer) runs from the cache too", async () => {
    const out = temp()
    for (let i = 0; i < 2; i++) {
      const ran = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", out, "--quiet"])
      expect(ran.status, ran.stderr).toBe(0)
      expect(codeCaches().length).toBeGreaterThan(0)
    }
    expect(fs.existsSync(`${out}/seatplan.xlsx`) && fs.existsSync(`${out}/report.html`)).toBe(true)
  })
})
