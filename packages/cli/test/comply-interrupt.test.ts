/**
 * Ctrl-C on `seatplan comply`: the search holds the command's thread (minutes on a region of 20,000
 * settlements), so the runtime's own handlers could only act once it was done, and the command ran on after
 * Ctrl-C and SIGTERM. Now the signal ends it at once (exit status 130, as a shell shows Ctrl-C), having
 * written nothing.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { root, seatplan, temp } from "./seatplan.js"

describe("seatplan comply stopped with Ctrl-C", () => {
  it("ends at once, writing nothing", { timeout: 300_000 }, async () => {
    const dir = temp("seatplan-comply-int-")
    const region = path.join(dir, "region.json")
    const generated = await seatplan(["generate", "--settlements", "20000", "--seed", "3", "--out", region])
    assert.strictEqual(generated.status, 0, generated.stderr)
    const out = path.join(dir, "planned.json")
    const child = spawn(
      process.execPath,
      ["packages/cli/bin/seatplan.mjs", "comply", region, "--by", "2035", "--budget", "1000", "--out", out],
      {
        cwd: root
      }
    )
    let stdout = ""
    let stderr = ""
    let sentAt: number | undefined
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString()
      // once the search has started (the command says so), stop it
      if (sentAt === undefined && stderr.includes("searching for the least-cost plan")) {
        setTimeout(() => {
          sentAt = Date.now()
          child.kill("SIGINT")
        }, 1000)
      }
    })
    // the search alone takes minutes here: a command still running a minute after Ctrl-C did not stop
    const watchdog = setTimeout(() => child.kill("SIGKILL"), 240_000)
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s]))
    )
    clearTimeout(watchdog)
    assert.isDefined(sentAt, `the search never started: ${stderr}`)
    const after = (Date.now() - sentAt!) / 1000
    assert.isBelow(after, 60, `still running ${after.toFixed(0)} s after Ctrl-C`)
    assert.isTrue(signal === "SIGINT" || code === 130, `ended by Ctrl-C: code ${code}, signal ${signal}; ${stderr}`)
    assert.strictEqual(stdout, "", "no report printed")
    assert.isFalse(fs.existsSync(out), "nothing written")
  })
})
