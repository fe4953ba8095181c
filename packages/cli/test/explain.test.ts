/**
 * `seatplan explain` as a child process on the tiny scenario: it names exactly the settlements and events
 * that fed a figure, and its arithmetic reproduces the figure `seatplan run` writes.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { seatplan } from "./seatplan.js"

const tiny = "scenarios/tiny/scenario.yaml"

interface Explained {
  readonly value: number
  readonly trace: {
    readonly pupils: number
    readonly fromSettlements: number
    readonly overflow: number
    readonly settlements: ReadonlyArray<{
      readonly settlementId: string
      readonly pupils: number
      readonly share: number
      readonly sent: number
      readonly cohorts: ReadonlyArray<{ readonly pupils: number }>
    }>
    readonly grades: ReadonlyArray<{ readonly pupils: number; readonly classes: number }>
  }
  readonly events: ReadonlyArray<{ readonly id: string; readonly year: number; readonly type: string; readonly why: string }>
}

describe("seatplan explain", () => {
  it("names the settlements and events behind a school's pupils, and the arithmetic gives the run's figure", {
    timeout: 300_000
  }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-explain-"))
    try {
      const args = ["explain", tiny, "--variant", "township", "--year", "2028", "--school", "DONG-PRI", "--level", "primary"]
      const [json, run] = await Promise.all([
        seatplan([...args, "--format", "json"]),
        seatplan(["run", tiny, "--variant", "township", "--out", dir, "--quiet", "--format", "csv"])
      ])
      assert.strictEqual(json.status, 0, json.stderr)
      assert.strictEqual(run.status, 0, run.stderr)
      const e = JSON.parse(json.stdout) as Explained
      // DONG-PRI serves its township seat and, once the Zhangzhuang teaching point closes into it in 2026, Zhangzhuang
      assert.deepStrictEqual(
        e.trace.settlements.map((s) => s.settlementId),
        ["LS-DONG", "LS-DONG-ZHANG"]
      )
      const sum = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0)
      for (const s of e.trace.settlements) {
        assert.approximately(s.pupils, sum(s.cohorts.map((c) => c.pupils)), 1e-9)
        assert.approximately(s.sent, s.pupils * s.share, 1e-9)
      }
      assert.approximately(e.trace.fromSettlements + e.trace.overflow, e.value, 1e-9)
      assert.approximately(sum(e.trace.grades.map((g) => g.pupils)), e.value, 1e-9)
      const schools = JSON.parse(fs.readFileSync(path.join(dir, "schools.json"), "utf8")) as ReadonlyArray<{
        variant: string
        year: number
        school_id: string
        level: string
        pupils: number
      }>
      const row = schools.find((r) => r.variant === "township" && r.year === 2028 && r.school_id === "DONG-PRI" && r.level === "primary")!
      assert.approximately(e.value, row.pupils, 1e-9)
      assert.deepStrictEqual(
        e.events.map((x) => [x.year, x.type, x.why]),
        [
          [2015, "SchoolOpened", "school"],
          [2015, "CatchmentAssigned", "catchment"],
          [2015, "CatchmentAssigned", "catchment"],
          [2024, "PopulationRecorded", "population"],
          [2024, "PopulationRecorded", "population"],
          [2025, "SchoolExpanded", "school"],
          [2026, "SchoolClosed", "school"]
        ]
      )
      for (const x of e.events) assert.match(x.id, /^scenario\/\d{6}/)
      const every = await seatplan(["explain", tiny, "--variant", "township", "--year", "2028", "--all", "--format", "json"])
      assert.strictEqual(every.status, 0, every.stderr)
      const traces = JSON.parse(every.stdout) as ReadonlyArray<Explained & { trace: { schoolId: string; level: string } }>
      const same = traces.find((t) => t.trace.schoolId === "DONG-PRI" && t.trace.level === "primary")!
      assert.deepStrictEqual(same, e)
      for (const t of traces) {
        const r = schools.find(
          (x) => x.variant === "township" && x.year === 2028 && x.school_id === t.trace.schoolId && x.level === t.trace.level
        )
        assert.approximately(t.value, r?.pupils ?? 0, 1e-9, `${t.trace.schoolId} ${t.trace.level}`)
      }
      const zh = await seatplan([...args])
      assert.strictEqual(zh.status, 0, zh.stderr)
      // named, never by id alone, and in whole pupils as the tables show them
      assert.match(zh.stdout, /^Dongzhuang [^\n]+ \(DONG-PRI\) 2028\/29学年 小学在校生（township）：\d+ 人（未取整 [\d.]+）/)
      assert.include(zh.stdout, "Zhangzhuang village 张庄村 (LS-DONG-ZHANG)，村")
      const en = await seatplan([...args, "--lang", "en", "--metric", "classes"])
      assert.match(en.stdout, /^Classes of primary at Dongzhuang [^\n]+ \(DONG-PRI\) in 2028\/29 \(township\): \d+ classes/)
      assert.match(en.stdout, /grade 1: \d+ pupils \/ cap 45 → \d+ classes wanted/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("bad input exits 1 naming the option, what was expected and what was found", { timeout: 300_000 }, async () => {
    const year = await seatplan(["explain", tiny, "--year", "2050", "--school", "DONG-PRI", "--level", "primary"])
    assert.strictEqual(year.status, 1)
    assert.include(year.stderr, "--year: expected a year from 2024 to 2039, found 2050")
    const variant = await seatplan(["explain", tiny, "--variant", "nope", "--year", "2026", "--school", "DONG-PRI", "--level", "primary"])
    assert.strictEqual(variant.status, 1)
    assert.include(variant.stderr, '--variant: expected one of baseline, township, found "nope"')
    const missing = await seatplan(["explain", tiny, "--year", "2026", "--level", "primary"])
    assert.strictEqual(missing.status, 1)
    assert.include(missing.stderr, "expected --school and --level (or --all for every school), found no --school")
    for (const r of [year, variant, missing]) assert.notInclude(r.stderr, "    at ")
  })
})
