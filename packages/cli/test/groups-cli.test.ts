/**
 * Issue 20 at the command line: `run` on a plan with a school group writes the groups table
 * (groups.csv/json, the registry's columns), and the staffing rule holds once the group shares teachers.
 */
import { describe, expect, it } from "@effect/vitest"
import { Columns } from "@seatplan/sim"
import * as fs from "node:fs"
import * as path from "node:path"
import { root, seatplan, temp } from "./seatplan.js"

const fixture = path.join(root, "packages/plan/test/fixtures/groups/scenario.yaml")

describe("school groups at the command line", () => {
  it("run writes groups.csv/json with the registry's columns; the group's rows show the sharing", async () => {
    const out = path.join(temp(), "out")
    const r = await seatplan(["run", fixture, "--out", out, "--variant", "rotate"])
    expect(r.status).toBe(0)
    const csv = fs
      .readFileSync(path.join(out, "groups.csv"), "utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n")
    expect(csv[0].split(",")).toEqual([...Columns.csvHeader("groups")])
    const json = JSON.parse(fs.readFileSync(path.join(out, "groups.json"), "utf8")) as ReadonlyArray<Record<string, unknown>>
    const row = json.find((g) => g.year === 2025 && g.level === "primary")!
    expect(row.group_id).toBe("G1")
    expect(row.group_teachers_short).toBe(0)
    expect(row.teachers_rotated).toBe(5)
    const standards = JSON.parse(fs.readFileSync(path.join(out, "compliance.json"), "utf8")) as ReadonlyArray<{
      variant: string
      rules: ReadonlyArray<{ rule: string; failing_years: ReadonlyArray<number> }>
    }>
    const rotate = standards.find((v) => v.variant === "rotate")!
    expect(rotate.rules.find((x) => x.rule === "staffing")?.failing_years).toEqual([2024])
    expect(rotate.rules.find((x) => x.rule === "rotation.group")?.failing_years).toEqual([])
  }, 240_000)
})
