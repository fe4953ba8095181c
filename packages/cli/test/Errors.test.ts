/**
 * The one error table: every tagged error of the domain has an exit code, the README documents exactly
 * the codes the table uses, anything unknown is an internal error (70), and help reads as a person types.
 */
import { ValidationError, HelpDoc } from "@effect/cli"
import { DomainError, EventStoreError } from "@seatplan/core"
import { Cause, Data, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { tidy } from "../src/Cli.js"
import * as Errors from "../src/Errors.js"

const tagsOf = (module: Record<string, unknown>): ReadonlyArray<string> =>
  Object.values(module).flatMap((v) => {
    if (typeof v !== "function") return []
    try {
      const tag = new (v as new (a: object) => { _tag?: unknown })({})._tag
      return typeof tag === "string" ? [tag] : []
    } catch {
      return []
    }
  })

describe("the error table", () => {
  it("gives every tagged error of core's domain and store an exit code other than internal", () => {
    const tags = [...tagsOf(DomainError as never), ...tagsOf(EventStoreError as never)]
    expect(tags.length).toBeGreaterThan(15)
    for (const tag of tags) expect(Errors.categories[tag], tag).toBeDefined()
  })

  it("maps tags to codes and messages", () => {
    const busy = new EventStoreError.StoreBusy({ file: "x.sqlite", operation: "append", timeoutMs: 5000, waitedMs: 5000 })
    expect(Errors.outcome(Cause.fail(busy))).toEqual({
      code: 4,
      message: Option.some(expect.stringContaining("the store x.sqlite is busy"))
    })
    class Infeasible extends Data.TaggedError("Infeasible")<{ readonly reason: string }> {
      override get message() {
        return this.reason
      }
    }
    expect(Errors.outcome(Cause.fail(new Infeasible({ reason: "3 seats short" })))).toEqual({
      code: 3,
      message: Option.some("3 seats short")
    })
    expect(Errors.outcome(Cause.fail(ValidationError.missingValue(HelpDoc.p("x")))).code).toBe(2)
  })

  it("anything it does not know is an internal error, exit 70, never a stack trace", () => {
    class Surprise extends Data.TaggedError("Surprise")<{ readonly message: string }> {}
    const unknown = Errors.outcome(Cause.fail(new Surprise({ message: "boom" })))
    expect(unknown.code).toBe(70)
    const defect = Errors.outcome(Cause.die(new TypeError("x is undefined")))
    expect(defect.code).toBe(70)
    expect(Option.getOrThrow(defect.message)).toMatch(/^internal error: x is undefined \(a bug in seatplan/)
    expect(Option.getOrThrow(defect.message)).not.toMatch(/\n\s+at /)
  })

  it("the README's table of exit codes lists exactly the codes of the table", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../../README.md"), "utf8")
    const section = readme.slice(readme.indexOf("### Exit codes"))
    const documented = [...section.slice(0, section.indexOf("\n\n", section.indexOf("| code |") + 1) + 1).matchAll(/^\| (\d+) \|/gm)].map(
      (m) => Number(m[1])
    )
    expect(documented.sort((a, b) => a - b)).toEqual([...new Set(Object.values(Errors.ExitCode))].sort((a, b) => a - b))
  })
})

describe("help as a person reads it", () => {
  const help =
    "\x1b[1mUSAGE\x1b[0m\n\n$ list --db text [--stream text] --type text... <FILE>\n\nOPTIONS\n\n--db text\n\n  A user-defined piece of text.\n\n  the store\n"
  it("names the whole command, shows repeatable options as optional and drops type boilerplate", () => {
    const out = tidy(help, ["events", "list"], false)
    expect(out).toContain("$ seatplan events list --db text [--stream text] [--type text]... <FILE>")
    expect(out).not.toContain("A user-defined piece of text.")
    expect(out).not.toContain("\x1b[")
  })
  it("keeps colour on a terminal and leaves output that is not help alone", () => {
    expect(tidy(help, ["events", "list"], true)).toContain("\x1b[1mUSAGE")
    expect(tidy("a,b\nA user-defined piece of text.\n", [], false)).toBe("a,b\nA user-defined piece of text.\n")
  })
})
