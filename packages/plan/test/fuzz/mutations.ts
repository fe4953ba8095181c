/**
 * Hostile mutations of the example scenarios, for the loader's fuzz test (test/fuzz.test.ts) and the
 * larger `pnpm fuzz` run (test/fuzz/run.ts). Each case is a named mutation applied to a scenario's bytes;
 * loading it must give a scenario or a ScenarioError whose every problem is located, never a throw.
 */
import { Either } from "effect"
import fc from "fast-check"
import * as fs from "node:fs"
import * as path from "node:path"
import * as ScenarioLoader from "../../src/ScenarioLoader.js"

const scenarios = path.resolve(import.meta.dirname, "../../../../scenarios")
const read = (name: string) => fs.readFileSync(path.join(scenarios, name, "scenario.yaml"), "utf8")
/** A list section of a YAML text (`  births:` up to the next key at that indentation) cut to its first `keep` items. */
const trim = (text: string, section: string, keep: number): string => {
  const start = text.indexOf(`\n${section}:\n`)
  if (start < 0) return text
  const indent = section.length - section.trimStart().length
  const body = text.slice(start + section.length + 3)
  const next = body.search(new RegExp(`\\n {0,${indent}}[a-z]`))
  const items = (next < 0 ? body : body.slice(0, next + 1)).split(new RegExp(`(?=^ {${indent}}\\s*- )`, "m"))
  return text.slice(0, start + section.length + 3) + items.slice(0, keep).join("") + (next < 0 ? "" : body.slice(next + 1))
}

const tiny = read("tiny")
/**
 * Sources: the examples, and the tiny one with its history cut to a few records ("tiny-short": the same
 * structure, loads in a third of the time, so most cases use it).
 */
export const sources = {
  "tiny-short": ["  births", "  enrolment", "  migration", "population"].reduce((t, s) => trim(t, s, 4), tiny),
  tiny,
  county: read("county"),
  backtest: read("backtest")
}
type Source = keyof typeof sources

const lines = (text: string) => text.split("\n")

/** A mutation: its name (for the report) and what it does to the text (as bytes: some are not UTF-8). */
export interface Case {
  readonly source: Source
  readonly mutation: string
  readonly bytes: Uint8Array
}

const utf8 = (s: string) => Buffer.from(s, "utf8")

/** Picks a line holding a `key: value` and rewrites its value. */
const atValue = (text: string, pick: number, value: (old: string) => string): string => {
  const ls = lines(text)
  const candidates: Array<number> = []
  for (let i = 0; i < ls.length; i++) if (/^\s*(- )?[A-Za-z][\w.]*: \S/.test(ls[i])) candidates.push(i)
  if (candidates.length === 0) return text
  const i = candidates[pick % candidates.length]
  ls[i] = ls[i].replace(/^(\s*(?:- )?[A-Za-z][\w.]*: )(.*)$/, (_, key: string, old: string) => key + value(old))
  return ls.join("\n")
}

const values = [
  ".nan",
  ".inf",
  "-.inf",
  "1e308",
  "-1e308",
  "1e999",
  "-0",
  "0x10",
  "~",
  "null",
  "true",
  '""',
  "[]",
  "{}",
  "- x",
  "12345678901234567890",
  '"a\\u0000b"',
  "!!binary aGk=",
  "&x 1",
  "*x",
  "2024-01-01",
  "'",
  '"',
  "[",
  "{",
  "|",
  ">-",
  "?",
  "%",
  "@",
  "`"
]

/** The mutations; each takes a source text and some random numbers. */
export const mutations: ReadonlyArray<{
  readonly name: string
  readonly apply: (text: string, r: ReadonlyArray<number>) => Uint8Array | string
}> = [
  { name: "value swap", apply: (t, r) => atValue(t, r[0], () => values[r[1] % values.length]) },
  { name: "type swap: number to string", apply: (t, r) => atValue(t, r[0], (old) => (/^-?\d/.test(old) ? `"${old}"` : `${r[1] % 1000}`)) },
  { name: "type swap: scalar to list", apply: (t, r) => atValue(t, r[0], (old) => `[${old}]`) },
  { name: "type swap: scalar to map", apply: (t, r) => atValue(t, r[0], (old) => `{ v: ${old} }`) },
  {
    name: "non-finite number",
    apply: (t, r) => atValue(t, r[0], (old) => (/^-?\d/.test(old) ? [".nan", ".inf", "-.inf", "1e308", "-1e308"][r[1] % 5] : old))
  },
  {
    name: "huge number",
    apply: (t, r) => atValue(t, r[0], (old) => (/^-?\d/.test(old) ? ["1e308", "9007199254740993", "1e20", "-1e20"][r[1] % 4] : old))
  },
  {
    name: "removed id line",
    apply: (t, r) => {
      const ls = lines(t)
      const ids = ls.flatMap((l, i) => (/\b(id|settlement|school|into|from|to|parent): /.test(l) ? [i] : []))
      if (ids.length > 0) ls.splice(ids[r[0] % ids.length], 1)
      return ls.join("\n")
    }
  },
  {
    name: "duplicated id",
    apply: (t, r) => {
      const ids = [...t.matchAll(/ id: (\S+)/g)].map((m) => m[1])
      if (ids.length < 2) return t
      const a = ids[r[0] % ids.length]
      const b = ids[r[1] % ids.length]
      return t.replace(` id: ${a}\n`, ` id: ${b}\n`)
    }
  },
  {
    name: "renamed reference",
    apply: (t, r) => atValue(t, r[0], (old) => (/^[A-Z]/.test(old) ? `${old}-X` : old))
  },
  {
    name: "removed line",
    apply: (t, r) => {
      const ls = lines(t)
      ls.splice(r[0] % ls.length, 1 + (r[1] % 3))
      return ls.join("\n")
    }
  },
  {
    name: "duplicated line",
    apply: (t, r) => {
      const ls = lines(t)
      const i = r[0] % ls.length
      ls.splice(i, 0, ls[i])
      return ls.join("\n")
    }
  },
  { name: "truncation", apply: (t, r) => t.slice(0, r[0] % (t.length + 1)) },
  {
    name: "byte truncation",
    apply: (t, r) => {
      const b = utf8(t)
      return b.subarray(0, r[0] % (b.length + 1))
    }
  },
  {
    name: "deep nesting",
    apply: (t, r) => {
      const depth = [10, 63, 64, 65, 100, 3000, 100_000][r[1] % 7]
      const open = r[2] % 2 === 0 ? "[" : "{a: "
      const close = r[2] % 2 === 0 ? "]" : "}"
      return atValue(t, r[0], () => open.repeat(depth) + "1" + close.repeat(depth))
    }
  },
  {
    name: "deep indentation",
    apply: (t, r) => `${t}\n${Array.from({ length: [20, 70, 500][r[1] % 3] }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n")}\n`
  },
  {
    name: "deep dashes",
    apply: (t, r) => `${t}\nextra: ${"- ".repeat([10, 70, 2000][r[1] % 3])}x\n`.replace("\nextra: - ", "\nextra:\n  - ")
  },
  {
    name: "alias",
    apply: (t, r) => {
      const kind = r[1] % 4
      if (kind === 0) return atValue(t, r[0], () => "*nowhere")
      if (kind === 1)
        return atValue(
          atValue(t, r[0], (old) => `&a ${old}`),
          r[2],
          () => "*a"
        )
      if (kind === 2) return atValue(t, r[0], () => "&self [*self]")
      const bomb = Array.from({ length: 10 }, (_, i) => `b${i + 1}: &b${i + 1} [${new Array(10).fill(`*b${i}`).join(", ")}]`).join("\n")
      return `${t}\nb0: &b0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n${bomb}\n`
    }
  },
  {
    name: "bad bytes",
    apply: (t, r) => {
      const b = utf8(t)
      const at = r[0] % (b.length + 1)
      const bad = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe4, 0xb8], [0xf4, 0x90, 0x80, 0x80], [0x80], [0x00]][r[1] % 7]
      return Buffer.concat([b.subarray(0, at), Buffer.from(bad), b.subarray(at)])
    }
  },
  { name: "BOM", apply: (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(t)]) },
  { name: "CRLF", apply: (t) => t.replace(/\n/g, "\r\n") },
  { name: "lone CR", apply: (t) => t.replace(/\n/g, "\r") },
  {
    name: "tab indentation",
    apply: (t, r) => {
      const ls = lines(t)
      const i = r[0] % ls.length
      ls[i] = ls[i].replace(/^ {1,2}/, "\t")
      return ls.join("\n")
    }
  },
  { name: "tab after value", apply: (t, r) => atValue(t, r[0], (old) => `${old}\t`) },
  {
    name: "empty document",
    apply: (_, r) => ["", "~", "---", "- 1", "42", '"x"', "{}", "[]", "# only a comment", "--- a\n--- b"][r[0] % 10]
  },
  {
    name: "random bytes",
    apply: (t, r) => {
      const b = Buffer.from(utf8(t))
      for (let k = 0; k < 1 + (r[1] % 8); k++) b[(r[0] * (k + 7) + r[2] * k) % b.length] = (r[2] + k * 37) % 256
      return b
    }
  },
  { name: "long string", apply: (t, r) => atValue(t, r[0], () => `"${"x".repeat(100_000)}"`) },
  { name: "long key", apply: (t, r) => atValue(t, r[0], () => `{ ${"k".repeat(10_000)}: 1 }`) },
  {
    name: "unknown key",
    apply: (t, r) => {
      const ls = lines(t)
      const i = r[0] % ls.length
      ls.splice(i, 0, ls[i].replace(/^(\s*(?:- )?)[A-Za-z][\w.]*:/, "$1surprise:"))
      return ls.join("\n")
    }
  },
  {
    name: "swapped lines",
    apply: (t, r) => {
      const ls = lines(t)
      const i = r[0] % ls.length
      const j = r[1] % ls.length
      ;[ls[i], ls[j]] = [ls[j], ls[i]]
      return ls.join("\n")
    }
  },
  { name: "big list", apply: (t, r) => atValue(t, r[0], () => `[${new Array(5_000).fill(r[1] % 10).join(",")}]`) }
]

/** A generated case: mostly the tiny scenario, the county one for a fraction (it takes ~1 s to load). */
export const arbitraryCase = (countyShare = 0.005): fc.Arbitrary<Case> =>
  fc
    .tuple(
      fc.noBias(fc.integer({ min: 0, max: 9_999 })).map((n) => n / 10_000),
      fc.nat({ max: mutations.length - 1 }),
      fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
      fc.boolean()
    )
    .map(([share, m, r, twice]) => {
      const source: Source = share < countyShare ? "county" : share < countyShare * 1.5 ? "backtest" : share < 0.1 ? "tiny" : "tiny-short"
      const first = mutations[m]
      const second = mutations[(m + r[2]) % mutations.length]
      let applied = first.apply(sources[source], r)
      let mutation = first.name
      // sometimes a second mutation on top (when the first kept the text)
      if (twice && typeof applied === "string" && source.startsWith("tiny")) {
        applied = second.apply(applied, [r[1], r[2], r[0]])
        mutation += ` + ${second.name}`
      }
      return { source, mutation, bytes: typeof applied === "string" ? utf8(applied) : applied }
    })

export interface Outcome {
  readonly accepted: boolean
  /** What is wrong with how it failed (not located, too long, a throw…); empty when it failed well. */
  readonly faults: ReadonlyArray<string>
  readonly ms: number
}

/** Loads a case in-process and judges how it failed. */
export const run = (c: Case): Outcome => {
  const start = performance.now()
  let result: ReturnType<typeof ScenarioLoader.fromBytes>
  try {
    result = ScenarioLoader.fromBytes(c.bytes, `${c.source}.yaml`, () => undefined)
  } catch (e) {
    return { accepted: false, faults: [`threw: ${String(e).slice(0, 200)}`], ms: performance.now() - start }
  }
  const ms = performance.now() - start
  if (Either.isRight(result)) return { accepted: true, faults: [], ms }
  const error = result.left
  const faults: Array<string> = []
  if (error._tag !== "ScenarioError") faults.push(`not a ScenarioError: ${String(error)}`)
  if (error.problems.length === 0) faults.push("no problems")
  for (const p of error.problems) {
    const shown = `${p.path}: ${p.message.slice(0, 200)}`
    if (p.message.includes("internal error")) faults.push(`internal error: ${shown}`)
    if (p.line === undefined || p.column === undefined) faults.push(`not located: ${shown}`)
    if (p.path === "" && !documentLevel(p.message)) faults.push(`no field path: ${shown}`)
  }
  for (const line of error.message.split("\n")) if (line.length > 500) faults.push(`a ${line.length}-character line: ${line.slice(0, 200)}`)
  return { accepted: false, faults, ms }
}

/** Problems that belong to the document, not to a field: syntax, bytes, nesting, aliases, the document's shape. */
const documentLevel = (message: string) =>
  /^(not valid (YAML|JSON|UTF-8)|nested deeper|a tab in the indentation|unresolved alias|alias|aliases expand|expected a scenario|internal error)/.test(
    message
  )
