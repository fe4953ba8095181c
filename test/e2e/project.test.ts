/**
 * The projection of the bundled example end to end: JSONL → SQLite event store → engine → tables on disk.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../..")
const project = (args: ReadonlyArray<string>) =>
  spawnSync(process.execPath, ["--import", "tsx", "packages/sim/examples/project.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 180_000
  })

describe("pnpm project on the tiny example", () => {
  it("projects both streams and writes the contract's tables", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-project-"))
    try {
      const out = path.join(dir, "out")
      const result = project(["scenarios/tiny/events.jsonl", "--horizon", "6", "--out", out, "--db", path.join(dir, "e.sqlite")])
      assert.strictEqual(result.status, 0, result.stderr)
      assert.include(result.stdout, "== baseline")
      assert.include(result.stdout, "== plan/township")
      for (const name of ["schools", "county", "catchments", "population"]) {
        assert.isTrue(fs.existsSync(path.join(out, `${name}.csv`)), name)
        assert.isTrue(fs.existsSync(path.join(out, `${name}.json`)), name)
      }
      const header = fs.readFileSync(path.join(out, "schools.csv"), "utf8").split("\n")[0].split(",")
      for (const column of ["variant", "year", "school_id", "level", "pupils", "seats", "classrooms", "classes", "mean_class_size", "max_class_size", "large_classes", "super_large_classes", "teachers_needed", "teachers_assigned", "boarders", "mean_distance_km"]) {
        assert.include(header, column)
      }
      const county = JSON.parse(fs.readFileSync(path.join(out, "county.json"), "utf8")) as ReadonlyArray<{ variant: string; year: number }>
      assert.strictEqual(county.length, 2 * 7 * 4)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("bad options exit 2 and a missing stream exits 1, each with a message and no stack trace", () => {
    const rule = project(["scenarios/tiny/events.jsonl", "--rule", "lottery"])
    assert.strictEqual(rule.status, 2)
    assert.include(rule.stderr, "--rule: expected one of catchment-only")
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-project-"))
    try {
      const missing = project(["scenarios/tiny/events.jsonl", "--variant", "plan/nope", "--db", path.join(dir, "e.sqlite"), "--out", dir])
      assert.strictEqual(missing.status, 1)
      assert.include(missing.stderr, "no stream plan/nope; the log has baseline, plan/township")
      assert.notInclude(missing.stderr, "    at ")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
