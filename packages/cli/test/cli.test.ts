/**
 * The real `seatplan` command as a child process: happy paths, exit codes, and messages without stack traces.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../../..")
const seatplan = (args: ReadonlyArray<string>) =>
  spawnSync(process.execPath, ["--import", "tsx", "packages/cli/src/bin.ts", ...args], { cwd: root, encoding: "utf8", timeout: 180_000 })
const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-cli-"))

describe("seatplan", () => {
  it("validate: a valid scenario prints a census and exits 0", () => {
    const r = seatplan(["validate", "scenarios/tiny/scenario.yaml"])
    assert.strictEqual(r.status, 0, r.stderr)
    assert.match(r.stdout, /^valid: scenarios\/tiny\/scenario.yaml: .*7 settlements, 11 schools, 1 variant\(s\) \(township\)/)
  })

  it("validate: each class of bad input exits 1 with file, line and field, and no stack trace", () => {
    const dir = temp()
    try {
      const tiny = fs.readFileSync(path.join(root, "scenarios/tiny/scenario.yaml"), "utf8")
      const cases: ReadonlyArray<readonly [string, string, string]> = [
        ["malformed.yaml", "name: x\nbaseYear: [2024\n", "malformed.yaml:3:1: not valid YAML"],
        ["type.yaml", tiny.replace("horizon: 15", "horizon: fifteen"), "type.yaml:8:10: horizon: Expected number"],
        ["unknown.yaml", tiny.replace("into: DONG-PRI", "into: DONG-PRX"), "variants[0].events[1].into: school DONG-PRX does not exist"],
        ["rule.yaml", tiny.replace("        school: ZHANG-TP\n        into: DONG-PRI", "        school: SEAT-PRI-1\n        into: DONG-PRI"), "先建后撤"]
      ]
      for (const [name, text, expected] of cases) {
        fs.writeFileSync(path.join(dir, name), text)
        const r = seatplan(["validate", path.join(dir, name)])
        assert.strictEqual(r.status, 1, name)
        assert.include(r.stderr, expected, name)
        assert.notInclude(r.stderr, "    at ", name)
      }
      const missing = seatplan(["validate", path.join(dir, "nope.yaml")])
      assert.strictEqual(missing.status, 1)
      assert.include(missing.stderr, "cannot read the scenario: the file does not exist")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("usage errors exit 2", () => {
    assert.strictEqual(seatplan(["run"]).status, 2)
    assert.strictEqual(seatplan(["frobnicate"]).status, 2)
    const help = seatplan(["run", "--help"])
    assert.strictEqual(help.status, 0)
    assert.include(help.stdout, "--replicates")
  })

  it("run: stores the streams, prints the county summary and writes tables and maps", () => {
    const dir = temp()
    try {
      const r = seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--format", "json"])
      assert.strictEqual(r.status, 0, r.stderr)
      const summary = JSON.parse(r.stdout) as ReadonlyArray<{ variant: string; year: number; level: string }>
      assert.deepStrictEqual([...new Set(summary.map((s) => s.variant))], ["baseline", "township"])
      for (const f of ["schools.csv", "county.json", "catchments.csv", "population.csv", "map-baseline.geojson", "map-township.geojson", "events.sqlite"]) {
        assert.isTrue(fs.existsSync(path.join(dir, f)), f)
      }
      const map = JSON.parse(fs.readFileSync(path.join(dir, "map-township.geojson"), "utf8")) as { features: ReadonlyArray<{ properties: { kind: string; id?: string; school_id?: string } }> }
      assert.isTrue(map.features.some((f) => f.properties.kind === "school" && f.properties.school_id === "SEAT-PRI-2"))
      const again = seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--variant", "township", "--format", "csv"])
      assert.strictEqual(again.status, 0, again.stderr)
      assert.match(again.stdout.split("\n")[0], /^variant,year,level,children,pupils/)
      const bad = seatplan(["run", "scenarios/tiny/scenario.yaml", "--out", dir, "--variant", "nope"])
      assert.strictEqual(bad.status, 1)
      assert.include(bad.stderr, "no variant nope; the scenario has township")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("schema: the committed scenarios/seatplan.schema.json is what the command prints", () => {
    const r = seatplan(["schema"])
    assert.strictEqual(r.status, 0, r.stderr)
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> }
    assert.property(schema.properties, "variants")
    assert.strictEqual(r.stdout, fs.readFileSync(path.join(root, "scenarios/seatplan.schema.json"), "utf8"))
  })
})
