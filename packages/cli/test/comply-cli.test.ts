/**
 * `seatplan comply` (issue 20): the least-cost plan for 全部达标 by a year, its report, the variant it
 * writes (which a run then meets from that year on), and its errors through the one table (Errors.ts).
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { root, seatplan, temp } from "./seatplan.js"

const fixture = path.join(root, "packages/plan/test/fixtures/comply/scenario.yaml")

describe("seatplan comply", () => {
  it("refuses --from and --by outside the horizon or in the wrong order before searching, naming the years there are", async () => {
    for (const [args, says] of [
      [["--by", "2030", "--from", "1900"], "--from: expected a school year from 2025"],
      [["--by", "2100"], "--by: expected a school year from 2025"],
      [["--from", "2029", "--by", "2027"], "--by: expected a school year from 2029"]
    ] as const) {
      const r = await seatplan(["comply", fixture, "--budget", "1000000", ...args])
      expect(r.status, r.stderr).toBe(1)
      expect(r.stderr).toContain(says)
      expect(r.stderr).not.toContain("internal error")
    }
  }, 120_000)

  it("prints the plan's report and writes it as a variant that a run meets from the year reached", async () => {
    const dir = temp()
    const file = path.join(dir, "scenario.yaml")
    const r = await seatplan(["comply", fixture, "--by", "2026", "--budget", "1000000", "--from", "2025", "--out", file])
    expect(r.stderr).toContain(`wrote ${file} (variant comply-2026)`)
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("全部达标 by 2026: reached")
    expect(r.stdout).toContain("binding: none")
    // the two-school township: equipment, a multimedia room and an art room in 2025 (686,236 yuan), 6 recruits
    // (the primaries rotate the lone junior school's part of the county's 10 %: packages/plan/test/ComplyBy.test.ts)
    expect(r.stdout).toMatch(/capital 69 万元, recruits 6/)
    const json = await seatplan(["comply", fixture, "--by", "2026", "--budget", "1000000", "--from", "2025", "--format", "json"])
    const report = JSON.parse(json.stdout) as { reachedYear: number; capitalByYear: Record<string, number>; steps: Record<string, number> }
    expect(report.reachedYear).toBe(2026)
    expect(report.capitalByYear).toEqual({ 2025: 686_236 })
    expect(Object.keys(report.steps).sort()).toEqual(["form-group", "hire", "invest", "rotate"])
    // the written variant replays as explicit steps and its run holds from 2026
    expect(fs.readFileSync(file, "utf8")).toMatch(/- name: comply-2026\n\s+description: "?全部达标 by 2026 \(reached: 2026\)/)
    const out = path.join(dir, "out")
    const run = await seatplan(["run", file, "--variant", "comply-2026", "--out", out])
    expect(run.status).toBe(0)
    const compliance = JSON.parse(fs.readFileSync(path.join(out, "compliance.json"), "utf8")) as ReadonlyArray<{
      variant: string
      compliant_from: number | null
    }>
    expect(compliance.find((v) => v.variant === "comply-2026")?.compliant_from).toBe(2026)
  }, 600_000)

  it("a year out of reach: the report, then exit 3 with the earliest year and why", async () => {
    const r = await seatplan(["comply", fixture, "--by", "2025", "--budget", "686235", "--from", "2025"])
    expect(r.stdout).toContain("全部达标 by 2025: not reachable; earliest 2026")
    expect(r.stdout).toContain("binding: budget")
    expect(r.stderr).toMatch(/全部达标 cannot be reached by 2025; the earliest year is 2026: budget/)
    expect(r.status).toBe(3)
    // never within the horizon: the plan written does not comply, so no cost of it is printed as if it did;
    // the bound is what a plan that complies costs at least, and the money reads with its thousands and in 万元
    const never = await seatplan(["comply", fixture, "--by", "2026", "--budget", "2000", "--from", "2025"])
    expect(never.stdout).toContain("全部达标 by 2026: not reachable within the horizon")
    expect(never.stdout).toMatch(/a plan that reaches it costs at least [\d,]+ 万元 over the horizon/)
    expect(never.stdout).not.toContain("cost over the horizon 0")
    expect(never.stdout).toMatch(/budget: [\d,]+ yuan \([\d,.]+ 万元\) of building and investment/)
    expect(never.stdout).toContain("2,000 yuan and unlimited recruits a year")
    expect(never.status).toBe(3)
  }, 240_000)

  it("input errors: an unknown variant (1), a negative budget (2); --help shows examples", async () => {
    const unknown = await seatplan(["comply", fixture, "--by", "2026", "--budget", "1", "--variant", "nope"])
    expect(unknown.status).toBe(1)
    expect(unknown.stderr).toContain('--variant: expected one of baseline, comply, found "nope"')
    const negative = await seatplan(["comply", fixture, "--by", "2026", "--budget", "-5"])
    expect(negative.status).toBe(2)
    const help = await seatplan(["comply", "--help"])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain("seatplan comply scenarios/county/scenario.yaml --variant layout --by 2030")
  }, 240_000)
})
