/**
 * `seatplan backtest` as a child process, on the shipped backtest scenario.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { seatplan } from "./seatplan.js"

const scenario = "scenarios/backtest/scenario.yaml"

describe("seatplan backtest", () => {
  it("scores the methods by level, horizon and scope, and writes the tables and the report", { timeout: 300_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-backtest-"))
    try {
      const args = [
        "backtest",
        scenario,
        "--origin",
        "2019",
        "--origin",
        "2020",
        "--origin",
        "2021",
        "--origin",
        "2022",
        "--horizon",
        "2",
        "--level",
        "primary",
        "--method",
        "cohort-component",
        "--method",
        "gp-median",
        "--out",
        dir
      ]
      const r = await seatplan([...args, "--format", "json"])
      assert.strictEqual(r.status, 0, r.stderr)
      const json = JSON.parse(r.stdout) as {
        origins: Array<number>
        methods: Array<string>
        summary: Array<{ method: string; level: string; scope: string; horizon: number; n: number; mape: number; within_5: number }>
      }
      assert.deepStrictEqual(json.origins, [2019, 2020, 2021, 2022])
      assert.deepStrictEqual(json.methods, ["cohort-component", "gp-median"])
      const county = json.summary.filter((s) => s.scope === "county" && s.method === "cohort-component")
      assert.deepStrictEqual(
        county.map((s) => [s.horizon, s.n]),
        [
          [1, 4],
          [2, 4]
        ]
      )
      assert.isBelow(county[0].mape, 2)
      assert.deepStrictEqual([...new Set(json.summary.map((s) => s.scope))], ["county", "catchment", "school"])
      for (const f of ["backtest-errors.csv", "backtest-summary.json", "backtest-bands.csv", "projection-bands.csv", "backtest.html"])
        assert.isTrue(fs.existsSync(path.join(dir, f)), f)
      assert.match(
        fs.readFileSync(path.join(dir, "backtest-errors.csv"), "utf8").split("\n")[0],
        /^method,origin,horizon,year,level,scope,unit,forecast,actual,error_pct,abs_error_pct/
      )
      assert.include(fs.readFileSync(path.join(dir, "backtest.html"), "utf8"), "<svg")
      // an origin, a level or a method given twice is scored once (it was counted twice in n and the errors)
      const repeated = await seatplan([...args, "--origin", "2020", "--level", "primary", "--method", "gp-median", "--format", "json"])
      assert.strictEqual(repeated.status, 0, repeated.stderr)
      assert.deepStrictEqual((JSON.parse(repeated.stdout) as typeof json).summary, json.summary)
      const table = await seatplan(args)
      assert.strictEqual(table.status, 0, table.stderr)
      assert.match(table.stdout, /primary\s+school\s+cohort-component\s+[\d.]+\s+[\d.]+/)
      const compared = await seatplan([
        "compare",
        scenario,
        "--year",
        "2027",
        "--format",
        "json",
        "--bands",
        path.join(dir, "backtest-bands.json")
      ])
      assert.strictEqual(compared.status, 0, compared.stderr)
      const banded = (
        JSON.parse(compared.stdout) as {
          bands: Array<{ variant: string; level: string; pupils: number; lower?: number; upper?: number; horizon: number }>
        }
      ).bands
      const primary = banded.find((b) => b.variant === "baseline" && b.level === "primary")!
      assert.strictEqual(primary.horizon, 2)
      assert.isTrue(primary.lower! < primary.upper!)
      assert.isUndefined(banded.find((b) => b.level === "junior")!.lower) // the backtest scored primary only
      fs.writeFileSync(path.join(dir, "bad.json"), '[{"method": 1}]')
      const bad = await seatplan(["compare", scenario, "--bands", path.join(dir, "bad.json")])
      assert.strictEqual(bad.status, 1)
      assert.include(bad.stderr, "bad.json: expected backtest bands")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("bad input exits 1 with a message naming the option, what was expected and found, and no stack trace", {
    timeout: 300_000
  }, async () => {
    const method = await seatplan(["backtest", scenario, "--method", "gp-mode", "--out", os.tmpdir()])
    assert.strictEqual(method.status, 1)
    assert.include(method.stderr, "--method: expected cohort-component or gp-SUMMARY")
    assert.include(method.stderr, 'found "gp-mode"')
    const origin = await seatplan(["backtest", scenario, "--origin", "2010", "--method", "cohort-component", "--out", os.tmpdir()])
    assert.strictEqual(origin.status, 1)
    assert.include(origin.stderr, "origin 2010: no population by age")
    const tiny = await seatplan(["backtest", "scenarios/tiny/scenario.yaml", "--out", os.tmpdir()])
    assert.strictEqual(tiny.status, 1)
    assert.include(tiny.stderr, "no origin to backtest: enrolment is recorded in 2022, 2023, 2024 and population by age in 2024")
    for (const r of [method, origin, tiny]) assert.notInclude(r.stderr, "    at ")
  })
})
