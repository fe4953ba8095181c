/**
 * Output safety (issue 11, items 7 and 8): CSV cells a spreadsheet would run as formulas are neutralised,
 * numbers stay numbers; files are never written through a link; default output folders stay inside out/.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import fc from "fast-check"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Output from "../src/Output.js"
import { temp } from "./seatplan.js"

describe("CSV formula injection", () => {
  it("prefixes text cells that start with = + - @ tab or CR with an apostrophe", () => {
    const text = Output.csv([
      { name: '=HYPERLINK("http://x","y")' },
      { name: "+1" },
      { name: "-2" },
      { name: "@SUM(A1)" },
      { name: "\tx" },
      { name: "\rx" },
      { name: "ok" }
    ])
    expect(text.split("\n").slice(1, 8)).toEqual(['"\'=HYPERLINK(""http://x"",""y"")"', "'+1", "'-2", "'@SUM(A1)", "'\tx", '"\'\rx"', "ok"])
  })

  it("keeps numbers as numbers, negative ones included", () => {
    expect(Output.csv([{ gap: -5, seats: 1.5 }])).toBe("gap,seats\n-5,1.5\n")
  })

  it("no text cell of any string starts with a formula character", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const cell = Output.csv([{ s }]).slice(2).replace(/\n$/, "")
        const unquoted = cell.startsWith('"') ? cell.slice(1) : cell
        return s === "" || !/^[=+\-@\t\r]/.test(unquoted)
      }),
      { numRuns: 2000 }
    )
  })
})

describe("writing files", () => {
  it.effect("replaces a link in the output folder instead of writing through it", () =>
    Effect.gen(function* () {
      const dir = temp()
      const elsewhere = path.join(temp(), "precious.txt")
      fs.writeFileSync(elsewhere, "keep me")
      fs.symlinkSync(elsewhere, path.join(dir, "report.html"))
      yield* Output.write(path.join(dir, "report.html"), "<html></html>")
      expect(fs.readFileSync(elsewhere, "utf8")).toBe("keep me")
      expect(fs.lstatSync(path.join(dir, "report.html")).isSymbolicLink()).toBe(false)
      expect(fs.readFileSync(path.join(dir, "report.html"), "utf8")).toBe("<html></html>")
      expect(fs.readdirSync(dir)).toEqual(["report.html"])
    })
  )

  it.effect("a dangling link is replaced too, and nothing is created where it points", () =>
    Effect.gen(function* () {
      const dir = temp()
      const target = path.join(temp(), "created.txt")
      fs.symlinkSync(target, path.join(dir, "a.csv"))
      yield* Output.write(path.join(dir, "a.csv"), "x")
      expect(fs.existsSync(target)).toBe(false)
    })
  )

  it.effect("a folder in the file's place is a WriteError, not a crash", () =>
    Effect.gen(function* () {
      const dir = temp()
      fs.mkdirSync(path.join(dir, "county.csv"))
      const exit = yield* Effect.exit(Output.write(path.join(dir, "county.csv"), "x"))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(fs.readdirSync(dir)).toEqual(["county.csv"])
    })
  )
})

describe("default output folders", () => {
  it("stay inside out/, one folder per scenario name", () => {
    const inside = (dir: string) => {
      const rel = path.relative(path.resolve("out"), path.resolve(dir))
      return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) && !rel.includes(path.sep)
    }
    for (const f of ["...yaml", "..yaml", ".yaml", "a/../../..yaml", "scenario.yaml", "/x/县.yaml", "a b.yml", "-x.yaml"]) {
      expect(inside(Output.defaultDir(f)), f).toBe(true)
      expect(inside(Output.defaultDir(f, "-backtest")), f).toBe(true)
    }
    expect(Output.defaultDir("scenarios/tiny/scenario.yaml")).toBe(path.join("out", "tiny"))
    fc.assert(
      fc.property(fc.string(), (s) => inside(Output.defaultDir(`${s}.yaml`))),
      { numRuns: 2000 }
    )
  })
})

describe("printed tables", () => {
  it("a table of 300,000 rows prints (no argument spread over the rows)", () => {
    const rows = [["id", "n"], ...Array.from({ length: 300_000 }, (_, i) => [`e${i}`, String(i)])]
    expect(Output.table(rows, 1).split("\n")).toHaveLength(300_001)
  })

  it("are named after the scenario's folder and never shared by two scenarios (issue 13 item 6)", () => {
    const unique = `seatplan-test-${process.pid}-${Date.now()}`
    const a = path.join(os.tmpdir(), `${unique}-a`, unique, "scenario.yaml")
    const b = path.join(os.tmpdir(), `${unique}-b`, unique, "scenario.yaml")
    const dirA = Output.defaultDir(a)
    expect(dirA).toBe(path.join("out", unique))
    try {
      Effect.runSync(Output.claim(dirA, a))
      expect(Output.defaultDir(a)).toBe(dirA)
      const dirB = Output.defaultDir(b)
      expect(dirB).toBe(path.join("out", `${unique}-2`))
      Effect.runSync(Output.claim(dirB, b))
      expect(Output.defaultDir(b)).toBe(dirB)
      expect(Output.defaultDir(a)).toBe(dirA)
      // a file not called scenario.yaml gets its own name after the folder's
      expect(Output.defaultDir(path.join(os.tmpdir(), unique, "north.yaml"))).toBe(path.join("out", `${unique}-north`))
    } finally {
      fs.rmSync(dirA, { recursive: true, force: true })
      fs.rmSync(path.join("out", `${unique}-2`), { recursive: true, force: true })
    }
  })
})
