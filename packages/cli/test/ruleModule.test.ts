/**
 * The real command with a scenario naming an allocation rule module (`allocation: ./rule.mjs`, relative to
 * the scenario): the bundled CLI imports it and projects with it; a missing module is a located problem.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { root, seatplan, temp } from "./seatplan.js"

const tiny = fs.readFileSync(path.join(root, "scenarios/tiny/scenario.yaml"), "utf8")
const fixture = path.join(root, "packages/plan/test/fixtures/rules/all-unplaced.mjs")

/** The tiny scenario in a fresh folder, naming `allocation`, beside a copy of the all-unplaced rule. */
const scenarioNaming = (allocation: string): { readonly dir: string; readonly file: string } => {
  const dir = temp()
  fs.copyFileSync(fixture, path.join(dir, "all-unplaced.mjs"))
  const file = path.join(dir, "scenario.yaml")
  fs.writeFileSync(file, tiny.replace("\nallocation: catchment-then-nearest", `\nallocation: ${allocation}`))
  return { dir, file }
}

describe("seatplan with a scenario's own allocation rule module", () => {
  it("run: imports ./all-unplaced.mjs and projects with it (every pupil unplaced)", { timeout: 300_000 }, async () => {
    const { dir, file } = scenarioNaming("./all-unplaced.mjs")
    try {
      const r = await seatplan(["run", file, "--out", path.join(dir, "out"), "--format", "json", "--years", "2024..2026", "--quiet"])
      assert.strictEqual(r.status, 0, r.stderr)
      const rows = JSON.parse(r.stdout) as ReadonlyArray<{ variant: string; year: number; level: string; pupils: number; unplaced: number }>
      const primary = rows.filter((x) => x.variant === "baseline" && x.level === "primary" && x.year === 2025)
      assert.strictEqual(primary.length, 1, r.stdout.slice(0, 400))
      assert.isAbove(primary[0].unplaced, 0)
      assert.strictEqual(primary[0].pupils, 0)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("validate: a module that does not exist names the scenario's line and column and the path looked for", {
    timeout: 300_000
  }, async () => {
    const { dir, file } = scenarioNaming("./rules/missing.mjs")
    try {
      const r = await seatplan(["validate", file])
      assert.notStrictEqual(r.status, 0)
      // the line of `allocation:` in the file as written (the example may grow above it)
      const line =
        fs
          .readFileSync(file, "utf8")
          .split("\n")
          .findIndex((l) => l.startsWith("allocation:")) + 1
      assert.match(
        r.stderr,
        new RegExp(
          `scenario\\.yaml:${line}:13: allocation: cannot load the allocation rule module .*missing\\.mjs: the file does not exist`
        )
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
