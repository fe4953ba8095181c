/**
 * `seatplan sweep` as a child process (issue 17): the tiny example with ranges added; the tables' CSV
 * headers are the registry's, the Parquet file reads back, the same seed gives the same files with 0 and 2
 * workers, sweep.html loads nothing and runs no script, and a scenario without ranges is refused.
 */
import { assert, describe, it } from "@effect/vitest"
import { Columns } from "@seatplan/sim"
import { parquetMetadata, parquetReadObjects } from "hyparquet"
import * as fs from "node:fs"
import * as path from "node:path"
import { root, seatplan, temp } from "./seatplan.js"

const withRanges = (dir: string): string => {
  const file = path.join(dir, "scenario.yaml")
  fs.writeFileSync(
    file,
    fs.readFileSync(path.join(root, "scenarios/tiny/scenario.yaml"), "utf8").replace(/^horizon: 15$/m, "horizon: 5") +
      [
        "uncertainty:",
        "  birthTrend: { low: -0.08, central: 0, high: 0.04 }",
        "  migration.village.county-seat: { distribution: uniform, min: 0, max: 0.08 }",
        "  teacherAttrition: { distribution: triangular, min: 0, mode: 0, max: 0.05 }",
        "futures:",
        "  - name: births-fall-faster",
        "    values: { birthTrend: -0.06 }",
        ""
      ].join("\n")
  )
  return file
}

describe("seatplan sweep", () => {
  it("writes the sweep's tables with the registry's headers, the same bits whatever the workers, and sweep.html", {
    timeout: 300_000
  }, async () => {
    const dir = temp("seatplan-sweep-")
    try {
      const scenario = withRanges(dir)
      const a = path.join(dir, "a")
      const b = path.join(dir, "b")
      const first = await seatplan(["sweep", scenario, "--futures", "6", "--seed", "3", "--workers", "0", "--lang", "en", "--out", a])
      assert.strictEqual(first.status, 0, first.stderr)
      // one line per variant; every standard's verdict in verdicts.json (and sweep.html)
      assert.match(
        first.stdout,
        /^township: \d+ of \d+ standards hold to the horizon in at least 90 % of futures, \d+ in none, \d+ in between/m
      )
      assert.notMatch(first.stdout, /township meets "enough seats/)
      assert.match(first.stdout, /Every standard's verdict and failing box: .*verdicts\.json and sweep\.html\./)
      assert.match(first.stdout, /6 futures × 1 variants in [\d.]+ s \(0 workers, [\d.]+ s of CPU\)/)
      const second = await seatplan(["sweep", scenario, "--futures", "6", "--seed", "3", "--workers", "2", "--lang", "en", "--out", b])
      assert.strictEqual(second.status, 0, second.stderr)
      for (const name of ["sweep.json", "sweep.csv", "robustness.csv", "regret.csv", "sweep-bands.csv", "verdicts.json"]) {
        assert.strictEqual(fs.readFileSync(path.join(b, name), "utf8"), fs.readFileSync(path.join(a, name), "utf8"), name)
      }
      for (const [name, table] of [
        ["sweep", "sweep"],
        ["sweep-bands", "sweep_bands"],
        ["robustness", "robustness"],
        ["regret", "regret"]
      ] as const) {
        const header = fs
          .readFileSync(path.join(a, `${name}.csv`), "utf8")
          .split("\n")[0]
          .split(",")
        assert.deepStrictEqual(header, [...Columns.csvHeader(table)], name)
      }
      const rows = JSON.parse(fs.readFileSync(path.join(a, "sweep.json"), "utf8")) as Array<Record<string, unknown>>
      assert.strictEqual(rows.length, 6 * 1 * 6 * 4)
      const bytes = fs.readFileSync(path.join(a, "sweep.parquet"))
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
      assert.strictEqual(Number(parquetMetadata(file).num_rows), rows.length)
      const read = await parquetReadObjects({ file })
      assert.strictEqual(read[5].pupils_over_seats, rows[5].pupils_over_seats)
      const html = fs.readFileSync(path.join(a, "sweep.html"), "utf8")
      assert.include(html, "Content-Security-Policy")
      assert.notInclude(html, "<script")
      assert.include(html, "Fan charts")
      // the named design: the central future and the scenario's named one
      const named = await seatplan(["sweep", scenario, "--design", "named", "--workers", "0", "--lang", "en", "--out", path.join(dir, "n")])
      assert.strictEqual(named.status, 0, named.stderr)
      const verdicts = JSON.parse(fs.readFileSync(path.join(dir, "n", "verdicts.json"), "utf8")) as {
        futures: Array<{ name: string }>
        summary: Array<{ variant: string }>
        verdicts: Array<{ variant: string; standard: string }>
      }
      assert.deepStrictEqual(
        verdicts.summary.map((x) => x.variant),
        ["township"]
      )
      assert.include(
        verdicts.verdicts.map((v) => v.standard),
        "seats"
      )
      assert.deepStrictEqual(
        verdicts.futures.map((f) => f.name),
        ["central", "births-fall-faster"]
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("a scenario without ranges is refused with exit 1 and says what to add", { timeout: 120_000 }, async () => {
    const r = await seatplan(["sweep", "scenarios/tiny/scenario.yaml", "--futures", "3", "--out", path.join(temp(), "x")])
    assert.strictEqual(r.status, 1)
    assert.match(r.stderr, /the scenario has no uncertainty: add ranges under uncertainty:/)
  })
})
