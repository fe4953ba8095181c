/**
 * Ctrl-C while a scenario is read and validated: a province's file (100,000 settlements) holds the command's
 * thread for 10-15 s between the few points where the runtime could interrupt it, and the command ran on
 * until the validation was done. Now loading steps the runtime's handlers aside (`Stopping.atOnce`), so the
 * signal's default action ends the process at once: it has written nothing yet.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as path from "node:path"
import { root, seatplan, temp } from "./seatplan.js"

describe("Ctrl-C while a large scenario is validated", () => {
  it("ends the command at once, not when the validation is done", { timeout: 300_000 }, async () => {
    const dir = temp("seatplan-load-int-")
    const region = path.join(dir, "region.json")
    const generated = await seatplan(["generate", "--settlements", "100000", "--seed", "3", "--out", region])
    assert.strictEqual(generated.status, 0, generated.stderr)
    // the same validation uninterrupted, for the time it takes here
    const started = Date.now()
    const whole = await seatplan(["validate", region])
    const validating = (Date.now() - started) / 1000
    assert.strictEqual(whole.status, 0, whole.stderr)
    const child = spawn(process.execPath, ["packages/cli/bin/seatplan.mjs", "validate", region], { cwd: root })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    // a fifth of the way in: reading or validating
    let sentAt = 0
    const send = setTimeout(
      () => {
        sentAt = Date.now()
        child.kill("SIGINT")
      },
      Math.max(1000, (validating * 1000) / 5)
    )
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s]))
    )
    clearTimeout(send)
    const after = (Date.now() - sentAt) / 1000
    assert.isAbove(sentAt, 0, `ended before the signal: ${code} ${stderr}`)
    assert.isTrue(signal === "SIGINT" || code === 130, `ended by Ctrl-C: code ${code}, signal ${signal}; ${stderr}`)
    assert.strictEqual(stdout, "", "it stopped before it said the file is valid")
    // at once: well before what was left of the validation (four fifths of it)
    assert.isBelow(
      after,
      (validating * 4) / 5 / 2,
      `still running ${after.toFixed(1)} s after Ctrl-C (validating takes ${validating.toFixed(1)} s)`
    )
  })
})
