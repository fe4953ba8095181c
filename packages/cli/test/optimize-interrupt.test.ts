/**
 * Ctrl-C on `seatplan optimize` (issue 19): the search stops, the best plan found is written and passes
 * the domain rules, the answer says it was interrupted, and the command exits 0. The search runs in a
 * worker thread; SIGINT reaches the command's main thread, which sets the search's stop flag.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { parse } from "yaml"
import { root, seatplan, temp } from "./seatplan.js"

describe("seatplan optimize stopped with Ctrl-C", () => {
  it("writes the best plan found and says so", { timeout: 300_000 }, async () => {
    const out = path.join(temp("seatplan-optimize-int-"), "county.yaml")
    // the exact capacitated siting of the county's primary schools: several seconds of HiGHS at least
    const child = spawn(
      process.execPath,
      [
        "packages/cli/bin/seatplan.mjs",
        "optimize",
        "scenarios/county/scenario.yaml",
        "--level",
        "primary",
        "--year",
        "2030",
        "--problem",
        "capacitated-p-median",
        "--p",
        "40",
        "--expand-seats",
        "900",
        "--exact",
        "--time-limit",
        "600",
        "--out",
        out,
        "--format",
        "json"
      ],
      { cwd: root }
    )
    let stdout = ""
    let stderr = ""
    let sent = false
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString()
      // once the search has started (the command says so), stop it
      if (!sent && stderr.includes("searching for at most")) {
        sent = true
        setTimeout(() => child.kill("SIGINT"), 500)
      }
    })
    const started = Date.now()
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve))
    const seconds = (Date.now() - started) / 1000
    assert.isTrue(sent, stderr)
    assert.strictEqual(status, 0, stderr)
    assert.include(stderr, "stopping (Ctrl-C)")
    assert.isBelow(seconds, 300, "stopped by Ctrl-C, not by the 600 s limit")
    const report = JSON.parse(stdout)
    assert.strictEqual(report.status, "interrupted")
    assert.strictEqual(report.breakdown.openSites, 40)
    const written = parse(fs.readFileSync(out, "utf8"))
    const variant = written.variants.find((v: { name: string }) => v.name === "optimized-capacitated-p-median-primary-2030")
    assert.include(variant.description, "interrupted")
    const valid = await seatplan(["validate", out])
    assert.strictEqual(valid.status, 0, valid.stderr)
  })
})
