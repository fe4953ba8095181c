/**
 * The real `seatplan` command as a child process: happy paths, exit codes, and messages without stack traces.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import * as Cli from "../src/Cli.js"
import { root, seatplan, temp } from "./seatplan.js"

describe("seatplan", () => {
  it("validate: a valid scenario prints a census and exits 0", async () => {
    const r = await seatplan(["validate", "scenarios/tiny/scenario.yaml"])
    assert.strictEqual(r.status, 0, r.stderr)
    assert.match(r.stdout, /^valid: scenarios\/tiny\/scenario.yaml: .*7 settlements, 11 schools, 1 variant\(s\) \(township\)/)
  })

  it("validate: each class of bad input exits 1 with file, line and field, and no stack trace", { timeout: 300_000 }, async () => {
    const dir = temp()
    try {
      const tiny = fs.readFileSync(path.join(root, "scenarios/tiny/scenario.yaml"), "utf8")
      const cases: ReadonlyArray<readonly [string, string, string]> = [
        ["malformed.yaml", "name: x\nbaseYear: [2024\n", "malformed.yaml:3:1: not valid YAML"],
        ["type.yaml", tiny.replace("horizon: 15", "horizon: fifteen"), "type.yaml:8:10: horizon: Expected number"],
        ["unknown.yaml", tiny.replace("into: DONG-PRI", "into: DONG-PRX"), "variants[0].events[1].into: school DONG-PRX does not exist"],
        [
          "rule.yaml",
          tiny.replace("        school: ZHANG-TP\n        into: DONG-PRI", "        school: SEAT-PRI-1\n        into: DONG-PRI"),
          "先建后撤"
        ]
      ]
      for (const [name, text, expected] of cases) {
        fs.writeFileSync(path.join(dir, name), text)
        const r = await seatplan(["validate", path.join(dir, name)])
        assert.strictEqual(r.status, 1, name)
        assert.include(r.stderr, expected, name)
        assert.notInclude(r.stderr, "    at ", name)
      }
      const missing = await seatplan(["validate", path.join(dir, "nope.yaml")])
      assert.strictEqual(missing.status, 1)
      assert.include(missing.stderr, "cannot read the scenario: the file does not exist")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("usage errors exit 2", { timeout: 180_000 }, async () => {
    assert.strictEqual((await seatplan(["run"])).status, 2)
    assert.strictEqual((await seatplan(["frobnicate"])).status, 2)
    const years = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--years", "2030-2026"])
    assert.strictEqual(years.status, 2)
    assert.include(years.stderr, "--years: expected two years A..B")
    const help = await seatplan(["run", "--help"])
    assert.strictEqual(help.status, 0)
    assert.include(help.stdout, "--replicates")
  })

  it("run: stores the streams, prints the county summary and writes tables and maps", { timeout: 300_000 }, async () => {
    const dir = temp()
    try {
      const r = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--format", "json"])
      assert.strictEqual(r.status, 0, r.stderr)
      const summary = JSON.parse(r.stdout) as ReadonlyArray<{ variant: string; year: number; level: string }>
      assert.deepStrictEqual([...new Set(summary.map((s) => s.variant))], ["baseline", "township"])
      for (const f of [
        "schools.csv",
        "county.json",
        "catchments.csv",
        "population.csv",
        "map-baseline.geojson",
        "map-township.geojson",
        "events.sqlite"
      ]) {
        assert.isTrue(fs.existsSync(path.join(dir, f)), f)
      }
      const map = JSON.parse(fs.readFileSync(path.join(dir, "map-township.geojson"), "utf8")) as {
        features: ReadonlyArray<{ properties: { kind: string; id?: string; school_id?: string } }>
      }
      assert.isTrue(map.features.some((f) => f.properties.kind === "school" && f.properties.school_id === "SEAT-PRI-2"))
      const again = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--variant", "township", "--format", "csv"])
      assert.strictEqual(again.status, 0, again.stderr)
      assert.match(again.stdout.split("\n")[0], /^variant,year,level,children,pupils/)
      const window = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--years", "2026..2030", "--quiet"])
      assert.strictEqual(window.status, 0, window.stderr)
      const years = new Set(
        (JSON.parse(fs.readFileSync(path.join(dir, "county.json"), "utf8")) as ReadonlyArray<{ year: number }>).map((r) => r.year)
      )
      assert.deepStrictEqual([...years].sort(), [2026, 2027, 2028, 2029, 2030])
      const bad = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--variant", "nope"])
      assert.strictEqual(bad.status, 1)
      assert.include(bad.stderr, "no variant nope; the scenario has township")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("compare: variants side by side with deltas against the baseline and the six accounts", { timeout: 300_000 }, async () => {
    const r = await seatplan(["compare", "scenarios/tiny/scenario.yaml", "--year", "2030", "--format", "json"])
    assert.strictEqual(r.status, 0, r.stderr)
    const out = JSON.parse(r.stdout) as {
      year: number
      rows: ReadonlyArray<{ variant: string; level: string; seats: number }>
      deltas: ReadonlyArray<{ variant: string; level: string; seats: number; against: string }>
      accounts: ReadonlyArray<{
        variant: string
        schools_opened: number
        schools_closed_or_merged: number
        seats_added: number
        investment_by_year: Record<string, number>
      }>
    }
    assert.strictEqual(out.year, 2030)
    const primary = out.deltas.find((d) => d.variant === "township" && d.level === "primary")!
    assert.strictEqual(primary.against, "baseline")
    assert.strictEqual(primary.seats, 270 + 1620 - 80) // the teaching point's 80 seats go to kindergarten
    const plan = out.accounts.find((a) => a.variant === "township")!
    assert.deepStrictEqual([plan.schools_opened, plan.schools_closed_or_merged, plan.seats_added], [1, 1, 1890])
    assert.strictEqual(plan.investment_by_year["2025"], 270 * 57000)
    const table = await seatplan(["compare", "scenarios/tiny/scenario.yaml"])
    assert.strictEqual(table.status, 0, table.stderr)
    assert.include(table.stdout, "six accounts (六笔账)")
    const badYear = await seatplan(["compare", "scenarios/tiny/scenario.yaml", "--year", "2090"])
    assert.strictEqual(badYear.status, 1)
    assert.include(badYear.stderr, "--year: expected a year from 2024 to 2039, found 2090")
  })

  it("numbers out of range are refused as usage errors naming what was expected", { timeout: 120_000 }, async () => {
    const tiny = "scenarios/tiny/scenario.yaml"
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [["run", tiny, "--replicates", "-3"], "--replicates: expected 0 or more replicates, found -3"],
      [
        ["optimize", tiny, "--year", "2030", "--p", "3", "--problem", "mclp", "--radius", "-1"],
        "--radius: expected km above 0, at most 1,000, found -1"
      ],
      [
        ["optimize", tiny, "--year", "2030", "--p", "3", "--time-limit", "-5"],
        "--time-limit: expected seconds above 0, at most 604,800 (a week), found -5"
      ],
      [
        ["comply", tiny, "--by", "2035", "--budget", "1000", "--hire-quota", "-5"],
        "--hire-quota: expected 0 or more recruits a year, found -5"
      ],
      // were exit 1, and the horizon's message named the scenario file as if its own horizon were wrong
      [["sweep", tiny, "--futures", "0"], "--futures: expected 1 to 100,000 futures, found 0"],
      [
        ["backtest", "scenarios/backtest/scenario.yaml", "--horizon", "0"],
        "--horizon: expected a whole number of years from 1 to 30, found 0"
      ]
    ]
    for (const [args, message] of [
      ...cases,
      [["optimize", tiny, "--year", "2030", "--p", "0"], "--p: expected 1 or more sites, found 0"] as const
    ]) {
      const r = await seatplan(args)
      assert.strictEqual(r.status, 2, `${args.join(" ")}: ${r.stderr}`)
      assert.include(r.stderr, message)
    }
    // a range past the horizon is named as the range (it was reported as --year's)
    const range = await seatplan(["compare", tiny, "--years", "2020..2045"])
    assert.strictEqual(range.status, 1, range.stderr)
    assert.include(range.stderr, "--years: expected years from 2024 to 2039, found 2020..2045")
  })

  it("a variant given twice is run once; an empty path option is refused before anything is written", { timeout: 120_000 }, async () => {
    const dir = temp()
    const twice = await seatplan([
      "run",
      "scenarios/tiny/scenario.yaml",
      "--variant",
      "township",
      "--variant",
      "township,township",
      "--files",
      "csv",
      "--quiet",
      "--out",
      dir
    ])
    assert.strictEqual(twice.status, 0, twice.stderr)
    const rows = fs.readFileSync(path.join(dir, "county.csv"), "utf8").trim().split("\n").slice(1)
    const count = (v: string) => rows.filter((r) => r.replace(/^\uFEFF/, "").startsWith(`${v},`)).length
    assert.strictEqual(count("township"), count("baseline"))
    for (const args of [
      ["generate", "--settlements", "5", "--out", ""],
      ["sweep", "scenarios/tiny/scenario.yaml", "--out="],
      ["events", "list", "--db", " "]
    ]) {
      const r = await seatplan(args)
      assert.strictEqual(r.status, 2, `${args.join(" ")}: ${r.stderr}`)
      assert.match(r.stderr, /--(out|db): expected a file, folder or store, found an empty text/)
    }
    // any other option given twice is named with both values (it was "Received unknown argument")
    const out = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--out=elsewhere", "--quiet"])
    assert.strictEqual(out.status, 2, out.stderr)
    assert.include(out.stderr, `--out: expected it once, found it twice (${JSON.stringify(dir)} and "elsewhere")`)
    const year = await seatplan(["compare", "scenarios/tiny/scenario.yaml", "--year", "2030", "--year", "2031"])
    assert.strictEqual(year.status, 2, year.stderr)
    assert.include(year.stderr, '--year: expected it once, found it twice ("2030" and "2031"); only --variant')
    // the options that repeat, as the commands' usage shows them (`--keep text...`), are the ones Cli lets repeat:
    // the list is kept by hand (the parser reads a second occurrence as an unknown argument), this keeps it true
    const help = await seatplan(["--help"])
    const repeated = new Set<string>()
    for (const line of help.stdout.split("\n").filter((l) => l.startsWith("  - ")))
      for (const m of line.matchAll(/(--[a-z][a-z-]*)((?:(?!--)[^[\]<])*)/g)) if (m[2].trimEnd().endsWith("...")) repeated.add(m[1])
    assert.deepStrictEqual([...repeated].sort(), Cli.repeatable.filter((o) => o !== "--variants").sort())
  })

  it("generate writes a synthetic region that validates; init writes a scenario and never overwrites", async () => {
    const dir = temp()
    try {
      const region = path.join(dir, "region.yaml")
      const g = await seatplan(["generate", "--settlements", "40", "--seed", "5", "--out", region])
      assert.strictEqual(g.status, 0, g.stderr)
      assert.match(fs.readFileSync(region, "utf8"), /^# SYNTHETIC/)
      // a region past the heap is refused at once, naming what it needs, and writes nothing
      const huge = path.join(dir, "huge.json")
      const h = await seatplan(["generate", "--settlements", "100000000", "--out", huge])
      assert.strictEqual(h.status, 1, h.stderr)
      assert.match(
        h.stderr,
        /cannot generate: --settlements 100,000,000 needs about [\d.]+ GB of heap .* this Node process may use [\d.]+ GB/
      )
      assert.isFalse(fs.existsSync(huge))
      // fewer than two settlements a county is refused (it used to make 2 a county silently)
      const few = await seatplan(["generate", "--settlements", "10", "--counties", "100", "--out", huge])
      assert.strictEqual(few.status, 1, few.stderr)
      assert.include(few.stderr, "--settlements 10 is fewer than 2 per county for --counties 100")
      assert.isFalse(fs.existsSync(huge))
      const v = await seatplan(["validate", region])
      assert.strictEqual(v.status, 0, v.stderr)
      assert.include(v.stdout, "40 settlements")
      const init = await seatplan(["init", path.join(dir, "start")])
      assert.strictEqual(init.status, 0, init.stderr)
      assert.isTrue(fs.existsSync(path.join(dir, "start/seatplan.schema.json")))
      const again = await seatplan(["init", path.join(dir, "start")])
      assert.strictEqual(again.status, 1)
      assert.include(again.stderr, "exists; nothing was overwritten")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)

  it("events: list filters, export then import then export is identical, append is atomic", async () => {
    const dir = temp()
    try {
      const out = path.join(dir, "run")
      assert.strictEqual((await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", out, "--quiet"])).status, 0)
      const db = path.join(out, "events.sqlite")
      const listed = await seatplan([
        "events",
        "list",
        "--db",
        db,
        "--stream",
        "plan/township",
        "--type",
        "SchoolClosed",
        "--format",
        "json"
      ])
      assert.strictEqual(listed.status, 0, listed.stderr)
      const lines = listed.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { event: { _tag: string; schoolId: string; year: number } })
      assert.deepStrictEqual(
        lines.map((l) => [l.event._tag, l.event.schoolId, l.event.year]),
        [["SchoolClosed", "ZHANG-TP", 2026]]
      )
      const log = path.join(dir, "log.jsonl")
      assert.strictEqual((await seatplan(["events", "export", log, "--db", db])).status, 0)
      const copy = path.join(dir, "copy.sqlite")
      assert.strictEqual((await seatplan(["events", "import", log, "--db", copy])).status, 0)
      const log2 = path.join(dir, "log2.jsonl")
      assert.strictEqual((await seatplan(["events", "export", log2, "--db", copy])).status, 0)
      assert.strictEqual(fs.readFileSync(log2, "utf8"), fs.readFileSync(log, "utf8"))
      const extra = path.join(dir, "extra.jsonl")
      fs.writeFileSync(
        extra,
        [
          JSON.stringify({
            id: "x1",
            recordedAt: "2026-01-01T00:00:00.000Z",
            event: { _tag: "BoardingChanged", year: 2030, schoolId: "DONG-PRI", beds: 300 }
          }),
          JSON.stringify({
            id: "x2",
            recordedAt: "2026-01-01T00:00:00.000Z",
            event: { _tag: "BoardingChanged", year: 2030, schoolId: "DONG-PRI", beds: -3 }
          })
        ].join("\n")
      )
      const bad = await seatplan(["events", "append", extra, "--db", copy, "--stream", "plan/township"])
      assert.strictEqual(bad.status, 1)
      assert.include(bad.stderr, `${extra}:2: event.beds:`)
      assert.include(bad.stderr, "nothing appended")
      // a field missing is named by its path (the whole union of event types was printed), a line that is not JSON too
      const missing = path.join(dir, "missing.jsonl")
      fs.writeFileSync(
        missing,
        [
          JSON.stringify({ id: "m1", recordedAt: "2026-01-01T00:00:00.000Z", event: { _tag: "SchoolClosed", year: 2027, school: "NOPE" } }),
          '{"id":"m2","recordedAt":'
        ].join("\n")
      )
      const named = await seatplan(["events", "append", missing, "--db", copy, "--stream", "plan/township"])
      assert.strictEqual(named.status, 1)
      assert.include(named.stderr, `${missing}:1: event.schoolId:`)
      assert.include(named.stderr, `${missing}:2: not valid JSON`)
      assert.isBelow(named.stderr.length, 2000, named.stderr)
      fs.writeFileSync(extra, fs.readFileSync(extra, "utf8").split("\n")[0] + "\n")
      const good = await seatplan(["events", "append", extra, "--db", copy, "--stream", "plan/township"])
      assert.strictEqual(good.status, 0, good.stderr)
      assert.include(good.stdout, "appended 1 events to plan/township")
      // a stream the store does not have is a typo, not a new stream
      const typo = await seatplan(["events", "append", extra, "--db", copy, "--stream", "baselin"])
      assert.strictEqual(typo.status, 1)
      assert.include(typo.stderr, '--stream: expected a stream of the store (baseline, plan/township), found "baselin"')
      // a reader that stops reading ends the export silently (exit 141, as Unix tools on SIGPIPE), no stack trace
      const piped = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ["packages/cli/bin/seatplan.mjs", "events", "export", "--db", copy], { cwd: root })
        let stderr = ""
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
        child.stdout.destroy() // the reader gone before the first line, as `| head -c 0` leaves it
        child.on("close", (status) => resolve({ status, stderr }))
      })
      assert.strictEqual(piped.status, 141, piped.stderr)
      assert.strictEqual(piped.stderr, "")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)

  it("the example county: the layout variant's strategies reach zero super-large classes and fewer large classes than the status quo by 2028, and compare shows it", {
    timeout: 300_000
  }, async () => {
    const r = await seatplan(["compare", "scenarios/county/scenario.yaml", "--year", "2028", "--format", "json"])
    assert.strictEqual(r.status, 0, r.stderr)
    const out = JSON.parse(r.stdout) as {
      rows: ReadonlyArray<{ variant: string; level: string; large_classes: number; super_large_classes: number }>
      compliance: ReadonlyArray<{ variant: string; rules: ReadonlyArray<{ rule: string; first_year_passing: number | null }> }>
      ledger: ReadonlyArray<{ variant: string; year: number; investment_share: number }>
    }
    const total = (variant: string, key: "large_classes" | "super_large_classes") =>
      out.rows.filter((x) => x.variant === variant && x.level !== "kindergarten").reduce((n, x) => n + x[key], 0)
    assert.strictEqual(total("layout", "super_large_classes"), 0)
    assert.isAbove(total("status-quo", "super_large_classes"), 0)
    assert.isBelow(total("layout", "large_classes"), total("status-quo", "large_classes") + total("status-quo", "super_large_classes"))
    const firstYear = (variant: string, rule: string) =>
      out.compliance.find((c) => c.variant === variant)!.rules.find((x) => x.rule === rule)!.first_year_passing
    assert.isAtMost(firstYear("layout", "superLargeClass.school")!, 2028)
    assert.isAtMost(firstYear("layout", "largeClassShare")!, 2028)
    assert.isNull(firstYear("status-quo", "superLargeClass.school"))
    const shares = out.ledger.filter((l) => l.variant === "layout").reduce((n, l) => n + l.investment_share, 0)
    assert.approximately(shares, 1, 1e-9)
    const table = await seatplan(["compare", "scenarios/county/scenario.yaml", "--variants", "layout", "--year", "2028"])
    assert.strictEqual(table.status, 0, table.stderr)
    for (const heading of ["standards (达标)", "the year from which each rule holds everywhere", "six accounts (六笔账)", "ledger (台账)"])
      assert.include(table.stdout, heading)
    assert.match(table.stdout, /superLargeClass\.school\s+消除超大班额\s+—(?: \(fails [^)]*\))?\s+20(2[4-8])/)
  })

  it("standards: lists the rule set with sources; a scenario's rule changes apply, and a bad one names its line and field", {
    timeout: 300_000
  }, async () => {
    const national = await seatplan(["standards"])
    assert.strictEqual(national.status, 0, national.stderr)
    assert.match(national.stdout, /classCap\s+班额不超过标准班额\s+school .*max_class_size ≤ classCap\.\{level\} = 30 \/ 45 \/ 50 \/ 50/)
    assert.include(national.stdout, "differenceCoefficient.basic")
    const dir = temp()
    try {
      const tiny = fs.readFileSync(path.join(root, "scenarios/tiny/scenario.yaml"), "utf8")
      const changed = tiny.replace(
        "horizon: 15",
        "horizon: 15\nstandards:\n  classCap.primary: 40\nrules:\n  - id: rotation.share\n    counts: false\n  - id: smallClass\n    zh: 小班化\n    en: small classes\n    levels: [primary]\n    scope: school\n    column: max_class_size\n    unit: pupils\n    threshold: 30\n    direction: at-most\n    source: a province's own standard"
      )
      fs.writeFileSync(path.join(dir, "rules.yaml"), changed)
      const r = await seatplan(["standards", path.join(dir, "rules.yaml"), "--format", "json"])
      assert.strictEqual(r.status, 0, r.stderr)
      const out = JSON.parse(r.stdout) as {
        rules: ReadonlyArray<{ id: string; counts: boolean }>
        standards: ReadonlyArray<{ key: string; value: number }>
      }
      assert.isFalse(out.rules.find((x) => x.id === "rotation.share")!.counts)
      assert.isTrue(out.rules.some((x) => x.id === "smallClass"))
      assert.strictEqual(out.standards.find((x) => x.key === "classCap.primary")!.value, 40)
      fs.writeFileSync(
        path.join(dir, "bad.yaml"),
        tiny.replace("horizon: 15", "horizon: 15\nrules:\n  - id: classCap\n    column: class_size")
      )
      const bad = await seatplan(["validate", path.join(dir, "bad.yaml")])
      assert.strictEqual(bad.status, 1)
      assert.match(bad.stderr, /bad\.yaml:\d+:\d+: rules\[0\]\.column: expected a column of the school table .*found "class_size"/)
      const out2 = path.join(dir, "out")
      const run = await seatplan(["run", path.join(dir, "rules.yaml"), "--out", out2, "--quiet"])
      assert.strictEqual(run.status, 0, run.stderr)
      assert.include(run.stdout, "standards (达标)")
      for (const f of ["standards.csv", "compliance.json", "accounts-ledger.csv", "accounts-demand.csv", "accounts.csv"])
        assert.isTrue(fs.existsSync(path.join(out2, f)), f)
      // a scenario named in Chinese gets a Chinese report and CSV with a byte-order mark for Excel (issue 15)
      const checks = fs.readFileSync(path.join(out2, "standards.csv"), "utf8").split("\n")
      assert.strictEqual(checks[0], "\uFEFFvariant,year,rule,scope,level,school_id,value,threshold,margin,pass,status,missing,counts")
      assert.isTrue(checks.some((l) => l.includes(",smallClass,school,primary,")))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("an output place that cannot be written is a message naming it and exit 1, never a hang or a stack trace", {
    timeout: 180_000
  }, async () => {
    const dir = temp()
    try {
      const file = path.join(dir, "a-file")
      fs.writeFileSync(file, "")
      const run = await seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", path.join(file, "out"), "--quiet"])
      assert.strictEqual(run.status, 1)
      assert.include(run.stderr, `--out ${path.join(file, "out")}: expected a folder seatplan can write to, found ENOTDIR`)
      const schema = await seatplan(["schema", "--out", "/proc/seatplan/schema.json"])
      assert.strictEqual(schema.status, 1)
      assert.include(schema.stderr, "cannot write /proc/seatplan/schema.json: expected a place seatplan can write to, found ENOENT")
      // sweep and backtest look before they compute (they computed for minutes, then found a file there)
      const sweep = await seatplan(["sweep", "scenarios/county/scenario.yaml", "--futures", "4", "--out", file])
      const backtest = await seatplan([
        "backtest",
        "scenarios/backtest/scenario.yaml",
        "--level",
        "primary",
        "--method",
        "gp-last",
        "--out",
        file
      ])
      for (const r of [sweep, backtest]) {
        assert.strictEqual(r.status, 1, r.stderr)
        assert.include(r.stderr, `cannot write ${file}: expected a place seatplan can write to, found ENOTDIR`)
      }
      for (const r of [run, schema, sweep, backtest]) assert.notInclude(r.stderr, "    at ")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("schema: the committed scenarios/seatplan.schema.json is what the command prints", async () => {
    const r = await seatplan(["schema"])
    assert.strictEqual(r.status, 0, r.stderr)
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> }
    assert.property(schema.properties, "variants")
    assert.strictEqual(r.stdout, fs.readFileSync(path.join(root, "scenarios/seatplan.schema.json"), "utf8"))
  })
})

describe("seatplan events and a store file", () => {
  const logLine = (n: number) =>
    JSON.stringify({
      position: n,
      stream: "baseline",
      version: n,
      id: `e${n}`,
      recordedAt: "2026-01-01T00:00:00.000Z",
      v: 1,
      event: { _tag: "BirthsRecorded", year: 2024, settlementId: "S0", births: 10 + n }
    })

  it("a failed import into a new store leaves no file; into an existing store it changes nothing", async () => {
    const dir = temp()
    try {
      const db = path.join(dir, "events.sqlite")
      const bad = path.join(dir, "bad.jsonl")
      fs.writeFileSync(bad, [logLine(1), "{not json"].join("\n") + "\n")
      const failed = await seatplan(["events", "import", bad, "--db", db])
      assert.strictEqual(failed.status, 1)
      assert.include(failed.stderr, "bad.jsonl:2")
      const missing = await seatplan(["events", "import", path.join(dir, "nope.jsonl"), "--db", db])
      assert.strictEqual(missing.status, 1)
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["bad.jsonl"], "the failed imports left files behind")
      const nowhere = await seatplan(["events", "import", bad, "--db", path.join(dir, "no-such-folder", "events.sqlite")])
      assert.strictEqual(nowhere.status, 1)
      assert.include(nowhere.stderr, "no-such-folder does not exist")

      const good = path.join(dir, "good.jsonl")
      fs.writeFileSync(good, [logLine(1), logLine(2)].join("\n") + "\n")
      const imported = await seatplan(["events", "import", good, "--db", db])
      assert.strictEqual(imported.status, 0, imported.stderr)
      assert.include(imported.stdout, "imported 2 events")
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["bad.jsonl", "events.sqlite", "good.jsonl"])

      const conflicting = path.join(dir, "conflicting.jsonl")
      fs.writeFileSync(conflicting, logLine(1).replace('"e1"', '"other"') + "\n")
      const refused = await seatplan(["events", "import", conflicting, "--db", db])
      assert.strictEqual(refused.status, 1)
      assert.isTrue(fs.existsSync(db), "a failed import removed an existing store")
      const listed = await seatplan(["events", "list", "--db", db, "--format", "json"])
      assert.strictEqual(listed.status, 0, listed.stderr)
      assert.deepStrictEqual(
        listed.stdout
          .trim()
          .split("\n")
          .map((l) => (JSON.parse(l) as { id: string }).id),
        ["e1", "e2"]
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)

  it("a store another process keeps locked is reported as busy, exit 4, not as a version conflict", async () => {
    const dir = temp()
    // better-sqlite3 is a dependency of @seatplan/core, not of the CLI: load it from there.
    const Database = createRequire(path.join(root, "packages/core/package.json"))("better-sqlite3") as new (
      file: string
    ) => {
      exec: (sql: string) => void
      close: () => void
    }
    try {
      const db = path.join(dir, "events.sqlite")
      const log = path.join(dir, "log.jsonl")
      fs.writeFileSync(log, logLine(1) + "\n")
      assert.strictEqual((await seatplan(["events", "import", log, "--db", db])).status, 0)
      const extra = path.join(dir, "extra.jsonl")
      fs.writeFileSync(
        extra,
        JSON.stringify({ id: "x1", recordedAt: "2026-01-01T00:00:00.000Z", event: JSON.parse(logLine(2)).event }) + "\n"
      )
      const holder = new Database(db)
      holder.exec("BEGIN IMMEDIATE")
      try {
        const r = await seatplan(["events", "append", extra, "--db", db, "--stream", "baseline"])
        assert.strictEqual(r.status, 4) // the error table's "store busy or conflict"
        assert.include(r.stderr, `seatplan: the store ${db} is busy: another seatplan process held it for more than 5 s`)
        assert.notInclude(r.stderr, "expected")
        assert.notInclude(r.stderr, "    at ")
      } finally {
        holder.exec("ROLLBACK")
        holder.close()
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})
