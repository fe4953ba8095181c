/**
 * Loads a scenario file (YAML or JSON): parses it keeping source positions, decodes it with the scenario
 * Schema, turns it into event streams through the decider, and reports every problem at once with the
 * file, line and column, the field path (`variants[1].events[3].into`), what was expected and what was
 * found.
 */
import { Data, Effect, Either, ParseResult, Schema, SchemaAST as AST } from "effect"
import { centroid } from "@turf/turf"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import * as v8 from "node:v8"
import { type Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from "yaml"
import type { AllocationRule } from "@seatplan/sim"
import { type Completeness, Compliance } from "@seatplan/sim"
import * as Boundaries from "./Boundaries.js"
import * as DataQuality from "./DataQuality.js"
import * as Futures from "./Futures.js"
import * as JsonLocator from "./JsonLocator.js"
import * as JsonStream from "./JsonStream.js"
import * as PlainDecode from "./PlainDecode.js"
import * as Scenario from "./Scenario.js"

export interface Located {
  readonly path: string
  readonly line?: number
  readonly column?: number
  readonly message: string
}

/** A scenario that cannot be used, with every problem found. */
export class ScenarioError extends Data.TaggedError("ScenarioError")<{
  readonly file: string
  readonly problems: ReadonlyArray<Located>
}> {
  override get message() {
    const lines = this.problems
      .slice(0, 60)
      .map(
        (p) => `${this.file}${p.line === undefined ? "" : `:${p.line}:${p.column ?? 1}`}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`
      )
    const more = this.problems.length > 60 ? [`… and ${this.problems.length - 60} more`] : []
    return [...lines, ...more, `${this.problems.length} problem(s) in ${this.file}`].join("\n")
  }
}

/** A warning as a line: `file:line:col: path: warning: message`, like a problem's. */
export const warningLine = (file: string, w: Located): string =>
  `${file}${w.line === undefined ? "" : `:${w.line}:${w.column ?? 1}`}: ${w.path === "" ? "" : `${w.path}: `}warning: ${w.message}`

export interface Loaded {
  readonly file: string
  readonly scenario: Scenario.ScenarioFile
  readonly streams: Scenario.Streams
  /** The rule set in force: the national set with the scenario's changes and additions. */
  readonly rules: ReadonlyArray<Compliance.Rule>
  /**
   * Where the scenario names an allocation rule module (`allocation: ./my-rule.mjs`; `scenario.allocation`
   * is then its absolute path): the path as written and the position of the field. `load` (through
   * `loadRule`) imports the module before reading the scenario; `fromText` does not import.
   */
  readonly ruleModule?: { readonly path: string; readonly line: number; readonly column: number }
  /** The allocation rule imported from that module, when `load` (or `loadRule`) imported it. */
  readonly rule?: AllocationRule.AllocationRule
  /**
   * What the file says that is not wrong but may be a mistake, located like problems (`validate` and `run`
   * print them; the scenario loads): base-year births that differ from the children aged 0 (`DataQuality`).
   */
  readonly warnings?: ReadonlyArray<Located>
  /** The completeness table (数据完整性): one row per school with the figures it leaves out (`DataQuality`). */
  readonly completeness?: ReadonlyArray<Completeness.CompletenessRow>
  /** What each school lacks, by id: the checks that need it are unknown (`Compliance.evaluate`). */
  readonly missing?: Completeness.Missing
}

/**
 * A scenario read and checked up to its baseline: decoded, completed, its rule set applied and its region
 * and history decided. Nothing is projected yet: `expand` decides the variants and runs their layout
 * strategies, the one step of loading that runs the engine (`fromText` and `load` do both).
 */
export interface Decoded extends Omit<Loaded, "streams"> {
  readonly baseline: Scenario.Baseline
  /** Where a problem at a field path is in the file (line and column of the YAML node). */
  readonly locate: (path: ReadonlyArray<string | number>, message: string) => Located
}

/** Renders a field path: `variants[1].events[3].into`. */
export const renderPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`), "")

// the plain sections (settlements, schools, history…) checked by predicates compiled from the schema, the rest
// decoded by it (PlainDecode: a province's scenario took 20 s through the decoder alone)
const decodeFile = PlainDecode.sections(Scenario.ScenarioFile, { errors: "all", onExcessProperty: "error" })

/** Reads a file named by a scenario (relative to it); undefined when it cannot be read. */
export type Reader = (relative: string) => string | undefined

const readBeside =
  (file: string): Reader =>
  (relative) => {
    try {
      return fs.readFileSync(path.resolve(path.dirname(file), relative), "utf8")
    } catch {
      return undefined
    }
  }

/**
 * How deep a scenario may nest (maps, lists, flow brackets; aliases counted as expanded). Deeper input is
 * refused before it is parsed, so hostile input cannot exhaust the parser's stack. Real scenarios nest
 * about 8 levels.
 */
export const maxNesting = 64

/** How many nodes all the aliases of a scenario may expand to, together (an alias bomb is refused). */
export const maxAliasNodes = 100_000

/** Problems shown on one line are at most this long; values found are shown as excerpts of at most 80 characters. */
const maxMessage = 300

/** Loads and validates a scenario from its bytes: UTF-8, with or without a byte-order mark. */
export const fromBytes = (bytes: Uint8Array, file: string, read: Reader = readBeside(file)): Either.Either<Loaded, ScenarioError> => {
  const text = utf8(bytes)
  return typeof text === "string" ? fromText(text, file, read) : Either.left(new ScenarioError({ file, problems: [text] }))
}

/** Loads and validates a scenario from text; `file` names it in messages; `read` reads the files it names. */
export const fromText = (text: string, file: string, read: Reader = readBeside(file)): Either.Either<Loaded, ScenarioError> =>
  guarded(file, () => Either.flatMap(decodeText(normalised(text), file, read), expand))

/**
 * Reads a scenario from text up to its baseline, projecting nothing (see `Decoded`): enough for what needs
 * only the region and its history (the standards, a backtest); `expand` goes on to the variants.
 */
export const decode = (text: string, file: string, read: Reader = readBeside(file)): Either.Either<Decoded, ScenarioError> =>
  guarded(file, () => decodeText(normalised(text), file, read))

/**
 * Without a byte-order mark; old Mac line ends (a lone CR) are line ends too (the YAML parser reads them as
 * spaces), one character for one, so lines and columns stay where the file has them.
 */
const normalised = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r(?!\n)/g, "\n")

/** A safety net: every failure should have been turned into a located problem before here. */
const guarded = <A>(file: string, f: () => Either.Either<A, ScenarioError>): Either.Either<A, ScenarioError> => {
  try {
    return f()
  } catch (e) {
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
    return Either.left(
      new ScenarioError({
        file,
        problems: [
          {
            path: "",
            line: 1,
            column: 1,
            message: clip(`internal error while loading the scenario (please report it): ${why}`, maxMessage)
          }
        ]
      })
    )
  }
}

const decodeText = (text: string, file: string, read: Reader, progress?: Progress): Either.Either<Decoded, ScenarioError> => {
  const fail = (problems: ReadonlyArray<Located>) =>
    Either.left(
      new ScenarioError({ file, problems: problems.map((p) => ({ ...p, path: clip(p.path, 120), message: clip(p.message, maxMessage) })) })
    )
  const counter = new LineCounter()
  const tooDeep = prescan(text, /\.json$/i.test(file) ? "JSON" : "YAML")
  if (tooDeep !== undefined) return fail([tooDeep])
  // JSON (YAML's subset, what `seatplan generate` writes) is read with JSON.parse, 10-100 times faster
  // than the YAML parser and in a fraction of its memory; the YAML document, which only serves to place
  // problems at a line and column, is then parsed when a problem or a warning needs a place.
  const json = fastJson(text)
  let parsed: Document.Parsed | undefined
  const document = (): Document.Parsed => (parsed ??= parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true }))
  if (json === undefined) {
    const doc = document()
    if (doc.errors.length > 0) {
      return fail(
        doc.errors.map((e) => {
          const pos = counter.linePos(e.pos[0])
          return {
            path: "",
            line: pos.line,
            column: pos.col,
            message: `not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}: ${e.message.split("\n")[0]}`
          }
        })
      )
    }
  }
  const at = (node: Node | null | undefined): { line: number; column: number } => {
    const pos = node?.range === undefined || node.range === null ? undefined : counter.linePos(node.range[0])
    return pos === undefined ? { line: 1, column: 1 } : { line: pos.line, column: pos.col }
  }
  // a JSON text's problems and warnings are placed by walking the text (a YAML document of a province takes a minute)
  const placeJson = json === undefined ? undefined : JsonLocator.locator(text, json.start)
  const locate = (path: ReadonlyArray<string | number>, message: string): Located => ({
    path: renderPath(path),
    ...(placeJson === undefined ? at(nearest(document().contents as Node | null, path)) : placeJson(path)),
    message
  })
  if (json === undefined) {
    const aliasProblems = aliases(document().contents as Node | null, at)
    if (aliasProblems.length > 0) return fail(aliasProblems)
  }
  const raw = json === undefined ? (document().toJS({ maxAliasCount: -1 }) as unknown) : json.value
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    const found =
      raw === undefined || (raw === null && document().contents === null)
        ? "an empty document"
        : Array.isArray(raw)
          ? "a list"
          : preview(raw)
    return fail([
      {
        path: "",
        ...at(document().contents as Node | null),
        message: `expected a scenario: a mapping with name, baseYear, schools and catchments (and optionally settlements, population, history, variants…; see scenarios/README.md), found ${found}`
      }
    ])
  }
  return decodeValue(
    raw,
    file,
    read,
    locate,
    (path) => placeJson?.(path) ?? at(nearest(document().contents as Node | null, path)),
    progress
  )
}

/**
 * The second half of reading a scenario, from its value (however it was read: JSON.parse, the YAML parser
 * or the streaming reader): decoded with the schema, completed, its rules and futures checked, its
 * baseline decided. `locate` places a problem at a field path, `place` gives a field's line and column.
 */
const decodeValue = (
  raw: object,
  file: string,
  read: Reader,
  locate: (path: ReadonlyArray<string | number>, message: string) => Located,
  place: (path: ReadonlyArray<string | number>) => { readonly line: number; readonly column: number },
  progress: Progress | undefined
): Either.Either<Decoded, ScenarioError> => {
  const fail = (problems: ReadonlyArray<Located>) =>
    Either.left(
      new ScenarioError({ file, problems: problems.map((p) => ({ ...p, path: clip(p.path, 120), message: clip(p.message, maxMessage) })) })
    )
  const decoded = decodeFile(raw)
  progress?.update(1)
  if (Either.isLeft(decoded)) {
    const leaves: Array<Leaf> = []
    issueLeaves(decoded.left.issue, [], leaves)
    return fail(leaves.map((l) => locate(l.path as ReadonlyArray<string | number>, l.message)))
  }
  const polygons = new Map<string, Scenario.Boundary>()
  const geo =
    decoded.right.settlementsFile === undefined ? Either.right([]) : settlementsFrom(decoded.right.settlementsFile, read, polygons)
  if (Either.isLeft(geo)) return fail(geo.left.map((p) => ({ ...locate(["settlementsFile"], ""), ...p })))
  const withSettlements = Scenario.complete(decoded.right, geo.right)
  // township boundaries (Boundaries): checked, and a file's polygons carried inline from here on
  const bounds = Boundaries.resolve(withSettlements, read, polygons)
  if (Either.isLeft(bounds)) return fail(bounds.left.map((p) => locate(p.path, p.message)))
  const { boundaries: _given, ...rest } = withSettlements
  const completed: Scenario.ScenarioFile = bounds.right.boundaries === undefined ? rest : { ...rest, boundaries: bounds.right.boundaries }
  // a rule module is known by its absolute path (relative to the scenario), under which `load` registered it
  const named = completed.allocation !== undefined && Scenario.isRuleModule(completed.allocation) ? completed.allocation : undefined
  const scenario = named === undefined ? completed : { ...completed, allocation: path.resolve(path.dirname(file), named) }
  if (
    named !== undefined &&
    !Scenario.isRuleLoaded(scenario.allocation!) &&
    scenario.variants.some((v) => (v.strategies ?? []).length > 0)
  ) {
    return fail([
      locate(
        ["allocation"],
        `the rule module ${named} must be imported before the strategies can be expanded with it: load the scenario with ScenarioLoader.load, not fromText`
      )
    ])
  }
  const rules = Compliance.apply(Compliance.national, scenario.rules ?? [])
  if (Either.isLeft(rules)) return fail(rules.left.map((p) => locate(["rules", p.index, ...p.field.split(".")], p.message)))
  const futureProblems = Futures.check(scenario.uncertainty, scenario.futures, Scenario.compileOptions(scenario).assumptions!)
  if (futureProblems.length > 0) return fail(futureProblems.map((p) => locate(p.path, p.message)))
  const ruleModule = named === undefined ? {} : { ruleModule: { path: named, ...place(["allocation"]) } }
  const rule = named === undefined || !Scenario.isRuleLoaded(scenario.allocation!) ? {} : { rule: Scenario.compileOptions(scenario).rule! }
  // one warning a field: a base-year births figure a digit too large is that, not also a disagreement with age 0
  const warnings = [
    ...DataQuality.onePerField([
      ...DataQuality.figureWarnings(decoded.right),
      ...DataQuality.birthWarnings(decoded.right),
      ...DataQuality.locationWarnings(completed, decoded.right.settlements.length)
    ]),
    ...bounds.right.warnings
  ].map((w) => {
    const located = locate(w.path, w.message)
    return { ...located, path: clip(located.path, 120), message: clip(located.message, maxMessage) }
  })
  const { missing, rows: completeness } = DataQuality.completeness(scenario)
  const baseline = Scenario.baselineOf(scenario)
  progress?.update(2)
  return Either.right({
    file,
    scenario,
    rules: rules.right,
    baseline,
    locate,
    warnings,
    completeness,
    missing,
    ...ruleModule,
    ...rule
  })
}

/**
 * The value of a text that is JSON (after any comment lines, which YAML allows before it), or undefined
 * when it is not JSON or not plain: a duplicate key (JSON.parse keeps the last, YAML refuses it) or a
 * `__proto__` key sends the text to the YAML parser, which says where the problem is.
 */
const fastJson = (text: string): { readonly value: unknown; readonly start: number } | undefined => {
  const start = afterComments(text)
  if (start === undefined || text[start] !== "{") return undefined
  let value: unknown
  try {
    value = JSON.parse(start === 0 ? text : text.slice(start))
  } catch {
    return undefined
  }
  return hasDuplicateKeys(text, start) ? undefined : { value, start }
}

/** Where a text's content starts after the comment lines YAML allows before JSON (undefined: comments only). */
const afterComments = (text: string): number | undefined => {
  let start = 0
  for (;;) {
    while (start < text.length && (text[start] === " " || text[start] === "\n" || text[start] === "\t" || text[start] === "\r")) start++
    if (text[start] !== "#") return start
    const end = text.indexOf("\n", start)
    if (end < 0) return undefined
    start = end + 1
  }
}

/**
 * Whether a JSON text repeats a key within one object (JSON.parse keeps the last value silently) or has a
 * `__proto__` key: a scan of the text's keys with a stack of the objects open (strings skipped whole).
 */
const hasDuplicateKeys = (text: string, start: number): boolean => {
  const open: Array<Set<string> | undefined> = []
  let expectKey = false
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      let j = i + 1
      let escaped = false
      while (j < text.length) {
        const d = text.charCodeAt(j)
        if (d === 92 /* \ */) {
          escaped = true
          j += 2
          continue
        }
        if (d === 34) break
        j++
      }
      const top = open[open.length - 1]
      if (expectKey && top !== undefined) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j)
        if (top.has(key) || key === "__proto__") return true
        top.add(key)
        expectKey = false
      }
      i = j
    } else if (c === 123 /* { */) {
      open.push(new Set())
      expectKey = true
    } else if (c === 91 /* [ */) open.push(undefined)
    else if (c === 125 /* } */ || c === 93 /* ] */) open.pop()
    else if (c === 44 /* , */) expectKey = open[open.length - 1] !== undefined
  }
  return false
}

/**
 * Decides a decoded scenario's variants on its baseline, expanding their layout strategies (which project
 * the plan so far), and reports every problem of the baseline and the variants at once.
 */
export const expand = (decoded: Decoded, progress?: Progress, only?: ReadonlyArray<string>): Either.Either<Loaded, ScenarioError> => {
  const { baseline, locate, ...rest } = decoded
  const variants = Scenario.variantsOf(only === undefined ? decoded.scenario : selecting(decoded.scenario, only), baseline)
  progress?.update(3)
  const problems = [...baseline.problems, ...(Either.isLeft(variants) ? variants.left : [])]
  if (problems.length > 0 || Either.isLeft(variants)) {
    return Either.left(
      new ScenarioError({
        file: decoded.file,
        problems: problems
          .map((p) => locate(p.path, p.message))
          .map((p) => ({ ...p, path: clip(p.path, 120), message: clip(p.message, maxMessage) }))
      })
    )
  }
  return Either.right({ ...rest, streams: { baseline: baseline.events, variants: variants.right } })
}

/** The variant `name` and its ancestors (by `extends`), oldest first; empty when the scenario has no such variant. */
export const variantChain = (
  variants: ReadonlyArray<Scenario.ScenarioFile["variants"][number]>,
  name: string
): ReadonlyArray<Scenario.ScenarioFile["variants"][number]> => {
  const byName = new Map(variants.map((v) => [v.name, v]))
  const chain: Array<Scenario.ScenarioFile["variants"][number]> = []
  for (let v = byName.get(name); v !== undefined && !chain.includes(v); v = v.extends === undefined ? undefined : byName.get(v.extends))
    chain.unshift(v)
  return chain
}

/** The scenario with only the variants `only` names and their ancestors, in the file's order (names it lacks are the caller's to report). */
const selecting = (scenario: Scenario.ScenarioFile, only: ReadonlyArray<string>): Scenario.ScenarioFile => {
  const kept = new Set(only.flatMap((name) => variantChain(scenario.variants, name)))
  return { ...scenario, variants: scenario.variants.filter((v) => kept.has(v)) }
}

/** The name a module's rule is missing, or undefined when it has the AllocationRule shape. */
const notARule = (rule: unknown): string | undefined => {
  if (rule === undefined) return "no default export"
  if (rule === null || typeof rule !== "object") return `a default export of type ${rule === null ? "null" : typeof rule}`
  const r = rule as Record<string, unknown>
  if (typeof r.allocate !== "function") return "an object without allocate"
  if (typeof r.name !== "string" || r.name === "") return "an object without a name"
  if (typeof r.description !== "string") return "an object without a description"
  return undefined
}

/** Where a scenario's text names an allocation rule module: the path as written, line and column; else undefined. */
const ruleModuleIn = (text: string): { readonly path: string; readonly line: number; readonly column: number } | undefined => {
  if (prescan(text) !== undefined) return undefined
  // a JSON text (a generated province's) is scanned for its top-level key, not parsed into a YAML document
  const start = afterComments(text)
  const json = start === undefined ? "not JSON" : JsonLocator.topLevel(text, start, "allocation")
  if (json === undefined) return undefined
  if (json !== "not JSON" && start !== undefined) {
    let value: unknown
    try {
      value = JSON.parse(json)
    } catch {
      value = undefined
    }
    if (typeof value !== "string" || !Scenario.isRuleModule(value)) return undefined
    return { path: value, ...JsonLocator.locator(text, start)(["allocation"]) }
  }
  const counter = new LineCounter()
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false })
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined
  const node = doc.contents.get("allocation", true)
  if (!isScalar(node) || typeof node.value !== "string" || !Scenario.isRuleModule(node.value)) return undefined
  const pos = node.range === undefined || node.range === null ? { line: 1, col: 1 } : counter.linePos(node.range[0])
  return { path: node.value, line: pos.line, column: pos.col }
}

/**
 * Imports the allocation rule module a scenario file names (`allocation: ./my-rule.mjs`, relative to the
 * file), checks that its default export has the AllocationRule shape, and registers it under its absolute
 * path, where `Scenario.compileOptions` finds it. Succeeds with undefined when the scenario names a shipped
 * rule (or is not readable as YAML: loading reports that). A .ts module loads only where Node can run
 * TypeScript (under tsx); the bundled CLI on Node 20 needs a .mjs or .js module.
 */
export const loadRule = (text: string, file: string): Effect.Effect<AllocationRule.AllocationRule | undefined, ScenarioError> =>
  importRule(ruleModuleIn(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), file)

/** Imports the rule module a scenario names (at its place in the file), as `loadRule` says. */
const importRule = (
  named: { readonly path: string; readonly line: number; readonly column: number } | undefined,
  file: string
): Effect.Effect<AllocationRule.AllocationRule | undefined, ScenarioError> => {
  if (named === undefined) return Effect.succeed(undefined)
  const absolute = path.resolve(path.dirname(file), named.path)
  const fail = (message: string) =>
    new ScenarioError({
      file,
      problems: [{ path: "allocation", line: named.line, column: named.column, message: clip(message, maxMessage) }]
    })
  const cannot = `cannot load the allocation rule module ${absolute}`
  if (!fs.existsSync(absolute)) return Effect.fail(fail(`${cannot}: the file does not exist`))
  return Effect.tryPromise({
    try: () => import(pathToFileURL(absolute).href) as Promise<{ readonly default?: unknown }>,
    catch: (e) => {
      const code = (e as { code?: string }).code
      const why = e instanceof Error ? e.message.split("\n")[0] : String(e)
      return fail(
        code === "ERR_UNKNOWN_FILE_EXTENSION"
          ? `${cannot}: this Node cannot run TypeScript; run under tsx, or give a .mjs or .js module`
          : `${cannot}: ${why}`
      )
    }
  }).pipe(
    Effect.flatMap((module) => {
      const wrong = notARule(module.default)
      if (wrong !== undefined) {
        return Effect.fail(
          fail(`expected a module whose default export is an AllocationRule { name, description, allocate(input, output) }, found ${wrong}`)
        )
      }
      const rule = module.default as AllocationRule.AllocationRule
      Scenario.registerRule(absolute, rule)
      return Effect.succeed(rule)
    })
  )
}

/** What loading tells as it goes (the CLI's progress bar): the `read` phase in MB, then `validate` in 3 steps. */
export interface Progress {
  readonly start: (phase: string, total: number, unit: string) => void
  readonly update: (done: number) => void
}

/**
 * JSON scenarios larger than this are read by the streaming reader (`JsonStream`) rather than as one text:
 * a province of a million settlements is longer than a string can be, and the reader needs no second copy
 * of the text nor a second walk to find repeated keys. Smaller ones are read with JSON.parse, which is
 * faster.
 */
export const streamAbove = 64 * 2 ** 20

/**
 * YAML scenarios (not JSON) larger than this are refused: the YAML parser needs about a hundred times the
 * file in memory (a 32 MB file would take several gigabytes). `seatplan generate` writes JSON at any size,
 * which YAML reads too; a large region kept as YAML can be converted to JSON.
 */
export const maxYamlBytes = 32 * 2 ** 20

/**
 * The heap a scenario needs to load, validate, store and run, as a multiple of its file's bytes, measured end
 * to end (`seatplan run`, 2026-12-04) on a generated region of 1,000,000 settlements, 1,180,651,618 bytes of
 * JSON: with the heap limited to 14,000 MB (12.4 × the file) it ran to the end, all 14 files written, in 27 min
 * 56 s of wall time, at most 19.5 GB resident (18 × the file: the heap, the typed arrays outside it and
 * SQLite); the code before (the baseline's commands all made before deciding) ran out of that heap while
 * validating. At 100,000 settlements the live heap when validating ends is 8.6 × the file (981 MB after a full
 * collection), and the run peaks at 3.3-3.7 GB with Node's default 4 GB heap: V8 collects lazily far below
 * its limit. (It was 17 from 2026-12-02, a run with 19,000 MB; 25 before, from that 100,000-settlement peak.)
 */
export const memoryPerFileByte = 13

/**
 * A scenario whose `memoryPerFileByte` estimate is more than this many times the heap Node allows the
 * process is refused before it is read: the run would run out of memory minutes in (a million settlements,
 * 1.16 GB, stopped out of heap after 9 minutes of validating with the default 4 GB). Between one and this
 * many times the run is attempted (the estimate is a measure, not a bound): the live heap measured at
 * 100,000 settlements, 8.6 × the file when validating ends, is below 13 / 1.15 = 11.3 × with room for the
 * collector. (1.5 with 17 × until 2026-12-04, the same 11.3 ×; twice, with 25 ×, until 2026-12-02: the
 * threshold then was 12.5 × the file; a threshold of 8.5 × would leave no room.)
 */
export const memoryMargin = 1.15

/** The memory resident at the peak, as a multiple of the file's bytes, with the heap at `memoryPerFileByte` (the million settlements' run: 18). */
const residentPerFileByte = 18

/** The heap this process may use, in bytes (Node's limit: `--max-old-space-size`, or its default for the machine). */
const heapLimit = (): number => v8.getHeapStatistics().heap_size_limit

/** Why a scenario file of `size` bytes is refused for the memory it would need, if it is; `machine`: this machine's memory, bytes. */
const tooLarge = (file: string, size: number | undefined, limit: number, machine = os.totalmem()): ScenarioError | undefined => {
  if (size === undefined || size * memoryPerFileByte <= memoryMargin * limit) return undefined
  const needGb = (size * memoryPerFileByte) / 2 ** 30
  const heapGb = limit / 2 ** 30
  const machineGb = machine / 2 ** 30
  const suggest = Math.ceil(needGb) * 1024
  const fits = machine >= residentPerFileByte * size
  return new ScenarioError({
    file,
    problems: [
      {
        path: "",
        line: 1,
        column: 1,
        message:
          `a scenario of ${mb(size).toLocaleString("en")} MB needs about ${needGb.toFixed(needGb < 10 ? 1 : 0)} GB of heap to load and run ` +
          `(about ${memoryPerFileByte} × the file: 1,000,000 settlements, 1,126 MB, ran with 14,000 MB of heap in 28 minutes, 19.5 GB at the peak), ` +
          `and this Node process may use ${heapGb.toFixed(1)} GB: give it more (NODE_OPTIONS=--max-old-space-size=${suggest}; this machine has ` +
          `${machineGb.toFixed(machineGb < 10 ? 1 : 0)} GB of memory${fits ? "" : ", too little for it: on a machine with more"}), ` +
          "or split the region into smaller scenarios (a county each)"
      }
    ]
  })
}

export interface LoadOptions {
  readonly progress?: Progress
  /** JSON files larger than this many bytes are streamed (default `streamAbove`; tests lower it). */
  readonly streamAbove?: number
  /**
   * Only these variants (and those they extend) are decided and expanded, so a command that runs some of a
   * scenario's variants does not pay for the others' layout strategies (a comply-by variant plans for
   * seconds); the scenario as loaded still lists every variant. Default: all.
   */
  readonly variants?: ReadonlyArray<string>
  /** The heap, in bytes, the memory check holds a file against (default Node's limit for this process; tests lower it). */
  readonly heapLimit?: number
  /** This machine's memory, in bytes, the memory check names (default `os.totalmem()`; tests set it). */
  readonly machineMemory?: number
}

const mb = (bytes: number) => Math.max(1, Math.round(bytes / 2 ** 20))

/**
 * Loads and validates a scenario file: its bytes, the rule module it names (imported), then `fromText`; a
 * JSON file larger than `streamAbove` is read by the streaming reader (the same scenario, the same
 * problems at the same places), a YAML file larger than `maxYamlBytes` is refused.
 */
export const load = (file: string, options: LoadOptions = {}): Effect.Effect<Loaded, ScenarioError> =>
  Effect.suspend(() => {
    const size = sizeOf(file)
    const refused = tooLarge(file, size, options.heapLimit ?? heapLimit(), options.machineMemory)
    if (refused !== undefined) return Effect.fail(refused)
    const progress = options.progress
    if (size !== undefined && size > Math.min(options.streamAbove ?? streamAbove, maxYamlBytes)) {
      const kind = kindOf(file)
      if (kind === "yaml" && size > maxYamlBytes) {
        return Effect.fail(
          new ScenarioError({
            file,
            problems: [
              {
                path: "",
                line: 1,
                column: 1,
                message: `a YAML scenario of ${mb(size)} MB: seatplan reads YAML up to ${mb(maxYamlBytes)} MB (the YAML parser needs about a hundred times the file in memory); write a scenario this large as JSON (which YAML reads too: \`seatplan generate\` writes JSON at any size), and it is read in pieces`
              }
            ]
          })
        )
      }
      if (kind === "json" && size > (options.streamAbove ?? streamAbove)) return streamed(file, size, progress, options.variants)
    }
    progress?.start("read", mb(size ?? 0), "MB")
    return Effect.flatMap(read(file), ({ text }) => {
      progress?.update(mb(size ?? 0))
      progress?.start("validate", 3, "steps")
      return guarded(file, () =>
        Either.flatMap(decodeText(normalised(text), file, readBeside(file), progress), (d) => expand(d, progress, options.variants))
      )
    })
  })

const sizeOf = (file: string): number | undefined => {
  try {
    return fs.statSync(file).size
  } catch {
    return undefined
  }
}

/** Whether a file holds JSON (its first character after a byte-order mark, blanks and `#` comment lines is `{`) or YAML. */
const kindOf = (file: string): "json" | "yaml" => {
  const fd = fs.openSync(file, "r")
  try {
    const head = Buffer.alloc(1 << 16)
    const n = fs.readSync(fd, head, 0, head.length, 0)
    const text = head.toString("utf8", 0, n).replace(/^\uFEFF/, "")
    const start = afterComments(text)
    return start !== undefined && text[start] === "{" ? "json" : "yaml"
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * A large JSON scenario read by the streaming reader: the value, then what `fromText` does with it. Problems
 * and warnings are placed at their line and column by a second pass of the reader over the file, looking
 * for their field paths only (there is no text to walk).
 */
const streamed = (
  file: string,
  size: number,
  progress: Progress | undefined,
  only: ReadonlyArray<string> | undefined
): Effect.Effect<Loaded, ScenarioError> =>
  Effect.gen(function* () {
    progress?.start("read", mb(size), "MB")
    const allocation = ["allocation"]
    const first = yield* Effect.try({
      try: () =>
        JsonStream.readFile(file, {
          onRead: (bytes) => progress?.update(Math.min(mb(size), Math.floor(bytes / 2 ** 20))),
          wanted: [allocation]
        }),
      catch: (e) =>
        new ScenarioError({
          file,
          problems: [
            e instanceof JsonStream.JsonStreamError
              ? { path: clip(renderPath(e.path), 120), line: e.line, column: e.column, message: `not valid JSON: ${e.reason}` }
              : { path: "", message: `cannot read the scenario: ${e instanceof Error ? e.message : String(e)}` }
          ]
        })
    })
    progress?.update(mb(size))
    const raw = first.value
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      return yield* new ScenarioError({
        file,
        problems: [
          {
            path: "",
            line: 1,
            column: 1,
            message: `expected a scenario: a mapping with name, baseYear, schools and catchments (see scenarios/README.md), found ${Array.isArray(raw) ? "a list" : preview(raw)}`
          }
        ]
      })
    }
    const allocationAt = first.positions.get(JsonStream.pathKey(allocation)) ?? { line: 1, column: 1 }
    const named = (raw as { allocation?: unknown }).allocation
    yield* importRule(typeof named === "string" && Scenario.isRuleModule(named) ? { path: named, ...allocationAt } : undefined, file)
    // problems are located after the fact: their paths now, their lines and columns by a second pass
    const paths = new Map<string, ReadonlyArray<string | number>>()
    const locate = (at: ReadonlyArray<string | number>, message: string): Located => {
      const rendered = renderPath(at)
      paths.set(clip(rendered, 120), at)
      return { path: rendered, message }
    }
    progress?.start("validate", 3, "steps")
    const result = guarded(file, () =>
      Either.flatMap(
        decodeValue(
          raw,
          file,
          readBeside(file),
          locate,
          (at) => (at.length === 1 && at[0] === "allocation" ? allocationAt : { line: 1, column: 1 }),
          progress
        ),
        (d) => expand(d, progress, only)
      )
    )
    const unplaced = [...(Either.isLeft(result) ? result.left.problems : (result.right.warnings ?? []))].filter((p) => p.line === undefined)
    if (unplaced.length === 0) return yield* result
    // each path and its ancestors: a missing field is placed at the mapping that lacks it
    const wanted = unplaced.slice(0, 1000).flatMap((p) => {
      const at = paths.get(p.path)
      return at === undefined ? [] : [...at.map((_, k) => at.slice(0, k + 1)), []]
    })
    const second = JsonStream.readFile(file, { wanted })
    const placed = (p: Located): Located => {
      if (p.line !== undefined) return p
      const at = paths.get(p.path)
      const position = at === undefined ? undefined : nearestPosition(second.positions, at)
      return position === undefined ? p : { ...p, ...position }
    }
    return yield* Either.isLeft(result)
      ? Either.left(new ScenarioError({ file, problems: result.left.problems.map(placed) }))
      : Either.right({ ...result.right, warnings: (result.right.warnings ?? []).map(placed) })
  })

/**
 * Reads a scenario file up to its baseline (see `decode`): for commands that need only the region and its
 * history, so that no layout strategy is projected to answer them.
 */
export const loadBaseline = (file: string): Effect.Effect<Decoded, ScenarioError> =>
  Effect.suspend(() => {
    const refused = tooLarge(file, sizeOf(file), heapLimit())
    return refused !== undefined ? Effect.fail(refused) : Effect.flatMap(read(file), ({ text }) => decode(text, file))
  })

/** Where the value at a path, or else its nearest ancestor found (the top at least), starts. */
const nearestPosition = (
  positions: ReadonlyMap<string, JsonStream.Position>,
  at: ReadonlyArray<string | number>
): JsonStream.Position | undefined => {
  for (let k = at.length; k >= 0; k--) {
    const found = positions.get(JsonStream.pathKey(at.slice(0, k)))
    if (found !== undefined) return found
  }
  return undefined
}

/** A scenario file's text (strict UTF-8), with the rule module it names imported. */
const read = (file: string): Effect.Effect<{ readonly text: string }, ScenarioError> =>
  Effect.suspend(() => {
    let bytes: Uint8Array
    try {
      bytes = fs.readFileSync(file)
    } catch (e) {
      const code = (e as { code?: string }).code
      const reason = code === "ENOENT" ? "the file does not exist" : code === "EISDIR" ? "it is a folder, expected a file" : String(e)
      return Effect.fail(new ScenarioError({ file, problems: [{ path: "", message: `cannot read the scenario: ${reason}` }] }))
    }
    const text = utf8(bytes)
    return typeof text === "string" ? Effect.as(loadRule(text, file), { text }) : Effect.fail(new ScenarioError({ file, problems: [text] }))
  })

// == hostile input

/** At most `max` characters, elided with … */
const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`)

/** Line and column (1-based) of a character offset. */
const lineCol = (text: string, offset: number): { line: number; column: number } => {
  let line = 1
  let start = 0
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      start = i + 1
    }
  }
  return { line, column: offset - start + 1 }
}

/** The text of UTF-8 bytes (a byte-order mark dropped), or the located first byte that is not UTF-8. */
const utf8 = (bytes: Uint8Array): string | Located => {
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body)
  } catch {
    const bad = firstBadByte(body)
    const before = new TextDecoder("utf-8").decode(body.subarray(0, bad))
    return {
      path: "",
      ...lineCol(before, before.length),
      message: `not valid UTF-8: byte 0x${(body[bad] ?? 0).toString(16).padStart(2, "0")} at offset ${bad + (body === bytes ? 0 : 3)}; save the file as UTF-8`
    }
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
const firstBadByte = (b: Uint8Array): number => {
  let i = 0
  while (i < b.length) {
    const c = b[i]
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1
    if (n < 0) return i
    for (let k = 1; k <= n; k++) {
      const x = b[i + k]
      if (x === undefined) return i
      const lo = k === 1 ? (c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80) : 0x80
      const hi = k === 1 ? (c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf) : 0xbf
      if (x < lo || x > hi) return i
    }
    i += n + 1
  }
  return b.length
}

/**
 * A cheap scan of the text before it is parsed: refuses nesting deeper than `maxNesting` (block indentation,
 * `- ` and `? ` indicators and flow brackets, outside comments, quoted strings and block scalars) at the line
 * and column where it crosses the limit, tabs used as indentation (which YAML forbids and which make the
 * parser report every following line), and a flow `[` or `{` left open where the block goes on (below).
 */
const prescan = (text: string, kind: "YAML" | "JSON" = "YAML"): Located | undefined => {
  const indents: Array<number> = []
  let flow = 0
  let quote: '"' | "'" | undefined
  let blockScalar: number | undefined // the indentation of the line that opened a block scalar
  let line = 0
  let start = 0
  const tooDeep = (column: number): Located => ({
    path: "",
    line,
    column,
    message: `nested deeper than ${maxNesting} levels: a scenario nests at most ${maxNesting} levels of maps and lists (see scenarios/README.md)`
  })
  // the outermost open flow collection: where it opened, and the indentation its lines must be deeper than
  let flowLine = 0
  let flowColumn = 0
  let flowStart = 0
  let flowParent = -1
  while (start <= text.length) {
    line++
    let end = text.indexOf("\n", start)
    if (end < 0) end = text.length
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end
    let p = start
    // the line's first character after its leading spaces
    let lead = start
    while (lead < lineEnd && text[lead] === " ") lead++
    // a line inside an unclosed `[` or `{` that is not indented deeper than the line that opened it (a closing
    // bracket may be), or that starts a block list item, which flow content never does: the bracket is not
    // closed. YAML refuses such a line anyway, but the parser recovers by nesting a block map a line (a
    // fuzzed county scenario whose `settlement: [` left 17,000 lines open overflowed its stack)
    if (quote === undefined && flow > 0 && lead < lineEnd && text[lead] !== "#") {
      const dash = text[lead] === "-" && (lead + 1 === lineEnd || text[lead + 1] === " " || text[lead + 1] === "\t")
      const closer = text[lead] === "]" || text[lead] === "}"
      if (dash || (!closer && lead - start <= flowParent)) {
        return {
          path: "",
          line: flowLine,
          column: flowColumn,
          message: `not valid ${kind}: this "${text[flowStart]}" is not closed before line ${line}: close it with "${text[flowStart] === "[" ? "]" : "}"}", or write the value without brackets`
        }
      }
    }
    if (quote === undefined && flow === 0) {
      p = lead
      let q = p
      while (q < lineEnd && (text[q] === " " || text[q] === "\t")) q++
      const blank = q === lineEnd || text[q] === "#"
      const indent = p - start
      if (blockScalar !== undefined && (blank || indent > blockScalar)) {
        start = end + 1
        continue
      }
      blockScalar = undefined
      if (blank) {
        start = end + 1
        continue
      }
      if (text[p] === "\t") {
        return { path: "", line, column: p - start + 1, message: "a tab in the indentation: YAML indents with spaces only" }
      }
      if (indent === 0 && (text.startsWith("---", p) || text.startsWith("...", p))) indents.length = 0
      const open = (column: number) => {
        while (indents.length > 0 && indents[indents.length - 1] > column) indents.pop()
        if (indents.length === 0 || indents[indents.length - 1] < column) indents.push(column)
      }
      open(indent)
      if (indents.length > maxNesting) return tooDeep(p - start + 1)
      // compact nesting on one line: `- - x`, `? - x`
      while ((text[p] === "-" || text[p] === "?") && (p + 1 === lineEnd || text[p + 1] === " " || text[p + 1] === "\t")) {
        p++
        while (p < lineEnd && (text[p] === " " || text[p] === "\t")) p++
        if (p === lineEnd || text[p] === "#") break
        open(p - start)
        if (indents.length > maxNesting) return tooDeep(p - start + 1)
      }
    }
    // the rest of the line: quoted strings, comments, flow brackets, block scalar headers
    let valueStart = quote === undefined
    for (; p < lineEnd; p++) {
      const c = text[p]
      if (quote !== undefined) {
        if (quote === '"' && c === "\\") p++
        else if (c === quote) {
          if (quote === "'" && text[p + 1] === "'") p++
          else quote = undefined
        }
        continue
      }
      if (c === " " || c === "\t") continue
      const prev = p === start ? " " : text[p - 1]
      if (c === "#" && (prev === " " || prev === "\t" || p === start)) break
      if (valueStart || flow > 0) {
        if ((c === '"' || c === "'") && (valueStart || "[{,: \t".includes(prev))) {
          quote = c
          valueStart = false
          continue
        }
        if (c === "[" || c === "{") {
          if (flow === 0) {
            // deeper than the line's indentation when the bracket follows a key or `- ` on it; when it opens
            // the line, deeper than the block the line is in
            const indent = lead - start
            flowParent = indent
            if (p === lead) {
              flowParent = -1
              for (const at of indents) if (at < indent) flowParent = at
            }
            flowLine = line
            flowColumn = p - start + 1
            flowStart = p
          }
          flow++
          if (indents.length + flow > maxNesting) return tooDeep(p - start + 1)
          valueStart = false
          continue
        }
      }
      if (flow > 0 && (c === "]" || c === "}")) {
        flow--
        continue
      }
      if (flow === 0 && valueStart && (c === "|" || c === ">")) {
        let indent = 0
        while (text[start + indent] === " ") indent++
        blockScalar = indent
        break
      }
      if (valueStart && (c === "&" || c === "!")) {
        while (p + 1 < lineEnd && text[p + 1] !== " " && text[p + 1] !== "\t") p++
        continue
      }
      if (c === ":" && (p + 1 === lineEnd || text[p + 1] === " " || text[p + 1] === "\t")) {
        valueStart = true
        continue
      }
      if (flow > 0 && c === ",") continue
      valueStart = false
    }
    start = end + 1
  }
  return undefined
}

/**
 * Aliases checked before they are expanded: each must name an anchor set before it and outside itself;
 * together they may expand to at most `maxAliasNodes` nodes, and nothing may nest deeper than `maxNesting`
 * levels once they are expanded.
 */
const aliases = (root: Node | null, at: (node: Node) => { line: number; column: number }): Array<Located> => {
  if (root === null) return []
  const problems: Array<Located> = []
  const anchors = new Map<string, Node>()
  const size = new Map<unknown, { nodes: number; depth: number }>()
  let expanded = 0
  let failed = false
  const measure = (node: unknown): { nodes: number; depth: number } => {
    const known = size.get(node)
    if (known !== undefined) return known
    let nodes = 1
    let depth = 1
    if (isAlias(node)) {
      const target = anchors.get(node.source)
      const t = target === undefined ? { nodes: 1, depth: 1 } : measure(target)
      nodes = t.nodes
      depth = t.depth
    } else if (isPair(node)) {
      const k = measure(node.key)
      const v = measure(node.value)
      nodes = k.nodes + v.nodes
      depth = Math.max(k.depth, v.depth)
    } else if (isCollection(node)) {
      for (const item of node.items) {
        const m = measure(item)
        nodes += m.nodes
        if (m.depth + 1 > depth) depth = m.depth + 1
      }
    }
    const m = { nodes: Math.min(nodes, Number.MAX_SAFE_INTEGER), depth }
    size.set(node, m)
    return m
  }
  visit(root as Parameters<typeof visit>[0], {
    Node: (_key, node, path) => {
      if (failed) return visit.BREAK
      if (isAlias(node)) {
        const target = anchors.get(node.source)
        const where = { path: "", ...at(node as Node) }
        if (target === undefined) {
          problems.push({
            ...where,
            message: `unresolved alias *${clip(node.source, 40)}: expected an anchor &${clip(node.source, 40)} before it`
          })
        } else if (path.includes(target as never)) {
          problems.push({ ...where, message: `alias *${clip(node.source, 40)} inside its own anchor: a scenario cannot contain itself` })
        } else {
          const m = measure(target)
          expanded += m.nodes
          if (expanded > maxAliasNodes) {
            problems.push({
              ...where,
              message: `aliases expand to more than ${maxAliasNodes} values (an alias bomb?) at *${clip(node.source, 40)}`
            })
            failed = true
          } else if (m.depth + path.filter((n) => isCollection(n)).length > maxNesting) {
            problems.push({ ...where, message: `alias *${clip(node.source, 40)} nests deeper than ${maxNesting} levels once expanded` })
            failed = true
          }
        }
      }
      const anchor = (node as { anchor?: string }).anchor
      if (typeof anchor === "string" && !isAlias(node)) anchors.set(anchor, node as Node)
      return undefined
    }
  })
  return problems
}

/** A short excerpt of a value as found (JSON-like), at most `max` characters. */
export const preview = (value: unknown, max = 80): string => {
  let out = ""
  const seen = new Set<unknown>()
  const go = (v: unknown): void => {
    if (out.length > max) return
    if (typeof v === "string") out += JSON.stringify(v.length > max ? v.slice(0, max) : v)
    else if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") out += String(v)
    else if (v === null || v === undefined) out += String(v)
    else if (typeof v !== "object" || seen.has(v)) out += typeof v === "object" ? "[circular]" : typeof v
    else {
      seen.add(v)
      if (Array.isArray(v)) {
        out += "["
        for (let i = 0; i < v.length && out.length <= max; i++) {
          if (i > 0) out += ","
          go(v[i])
        }
        out += "]"
      } else if (v instanceof Date) out += v.toISOString()
      else {
        out += "{"
        let first = true
        for (const k in v) {
          if (out.length > max) break
          out += `${first ? "" : ","}${JSON.stringify(k.length > max ? k.slice(0, max) : k)}:`
          first = false
          go((v as Record<string, unknown>)[k])
        }
        out += "}"
      }
      seen.delete(v)
    }
  }
  go(value)
  return clip(out, max)
}

interface Leaf {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

/**
 * One message per problem from a parse issue: the alternatives of a union (and the `undefined` of an
 * optional field) are not all listed; the one that got furthest speaks, or one line says what was expected.
 */
const issueLeaves = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>, out: Array<Leaf>): void => {
  switch (issue._tag) {
    case "Pointer":
      return issueLeaves(issue.issue, [...path, ...(Array.isArray(issue.path) ? issue.path : [issue.path])], out)
    case "Transformation":
      return issueLeaves(issue.issue, path, out)
    case "Refinement":
      if (issue.kind === "From") return issueLeaves(issue.issue, path, out)
      break
    case "Composite": {
      const issues: ReadonlyArray<ParseResult.ParseIssue> = Array.isArray(issue.issues)
        ? issue.issues
        : [issue.issues as ParseResult.ParseIssue]
      if (!AST.isUnion(issue.ast)) {
        for (const i of issues) issueLeaves(i, path, out)
        return
      }
      const real = issues.filter((i) => !(i._tag === "Type" && AST.isUndefinedKeyword(i.ast)))
      if (real.length === 1) return issueLeaves(real[0], path, out)
      let best: Array<Leaf> = []
      let bestDepth = path.length
      for (const i of real) {
        const o: Array<Leaf> = []
        issueLeaves(i, path, o)
        let depth = path.length
        for (const l of o) if (l.path.length > depth) depth = l.path.length
        if (depth > bestDepth) {
          best = o
          bestDepth = depth
        }
      }
      if (best.length > 0) {
        for (const l of best) out.push(l)
        return
      }
      out.push({ path, message: `Expected ${expectedOf(issue.ast)}, actual ${preview(issue.actual)}` })
      return
    }
  }
  if (issue._tag === "Type" && (AST.isTypeLiteral(issue.ast) || AST.isUnion(issue.ast))) {
    out.push({ path, message: `Expected ${expectedOf(issue.ast)}, actual ${preview(issue.actual)}` })
    return
  }
  const message = ParseResult.ArrayFormatter.formatIssueSync(issue)[0]?.message ?? "is not valid"
  const cut = message.indexOf(", actual ")
  out.push({
    path,
    message:
      cut < 0 || issue._tag === "Missing"
        ? clip(message, maxMessage)
        : `${clip(message.slice(0, cut), 200)}, actual ${preview(issue.actual)}`
  })
}

/**
 * What a schema expects, in a few words: a mapping names its fields (and, for a union of mappings told
 * apart by a literal field such as a step's `type`, that field's values), not its whole type.
 */
const expectedOf = (ast: AST.AST): string => {
  const members = AST.isUnion(ast) ? ast.types.filter((t) => !AST.isUndefinedKeyword(t)) : [ast]
  if (members.length > 0 && members.every(AST.isTypeLiteral)) {
    const literals = members.map(
      (m) => new Map(m.propertySignatures.flatMap((p) => (AST.isLiteral(p.type) ? [[p.name, String(p.type.literal)] as const] : [])))
    )
    const tag = [...literals[0].keys()].find((k) => literals.every((l) => l.has(k)))
    if (members.length > 1 && tag !== undefined)
      return clip(`a mapping with ${String(tag)}: ${literals.map((l) => l.get(tag)).join(" | ")}`, 200)
    const keys = [...new Set(members.flatMap((m) => m.propertySignatures.map((p) => String(p.name))))]
    return clip(`a mapping${keys.length > 0 ? ` (${keys.join(", ")})` : ""}`, 200)
  }
  return clip(String(members.length === 1 ? members[0] : AST.Union.make(members)), 200)
}

/** The YAML node at a path, or the deepest existing node on the way (for a missing field: its parent). */
const nearest = (root: Node | null, path: ReadonlyArray<string | number>): Node | null => {
  let node: Node | null = root
  for (const key of path) {
    if (node === null) return null
    let next: unknown
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key))
      next = pair === undefined ? undefined : (pair.value ?? pair.key)
    } else if (isSeq(node) && typeof key === "number") next = node.items[key]
    if (next === undefined || next === null) return node
    node = next as Node
  }
  return node
}

const decodeSettlement = Schema.decodeUnknownEither(Scenario.SettlementSpec, { errors: "all" })
const decodeBoundary = Schema.decodeUnknownEither(Scenario.Boundary)

/** Settlements from a GeoJSON FeatureCollection: properties id, name, tier, parent; points or polygon centroids. */
const settlementsFrom = (
  relative: string,
  read: Reader,
  polygons: Map<string, Scenario.Boundary>
): Either.Either<ReadonlyArray<typeof Scenario.SettlementSpec.Type>, ReadonlyArray<Located>> => {
  const text = read(relative)
  if (text === undefined) return Either.left([{ path: "settlementsFile", message: `cannot read ${relative} (relative to the scenario)` }])
  let geojson: { type?: unknown; features?: unknown }
  try {
    geojson = JSON.parse(text)
  } catch (e) {
    return Either.left([{ path: "settlementsFile", message: `${relative} is not JSON: ${(e as Error).message}` }])
  }
  if (geojson.type !== "FeatureCollection" || !Array.isArray(geojson.features)) {
    return Either.left([
      { path: "settlementsFile", message: `${relative}: expected a GeoJSON FeatureCollection, found ${JSON.stringify(geojson.type)}` }
    ])
  }
  const problems: Array<Located> = []
  const out: Array<typeof Scenario.SettlementSpec.Type> = []
  geojson.features.forEach(
    (f: { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> }, i: number) => {
      const where = `${relative}: features[${i}]`
      const g = f.geometry
      let lonLat: readonly [number, number] | undefined
      if (g?.type === "Point" && Array.isArray(g.coordinates)) lonLat = [Number(g.coordinates[0]), Number(g.coordinates[1])]
      else if (g?.type === "Polygon" || g?.type === "MultiPolygon") {
        const c = centroid(f as Parameters<typeof centroid>[0]).geometry.coordinates
        lonLat = [c[0], c[1]]
      }
      if (lonLat === undefined) {
        problems.push({
          path: "settlementsFile",
          message: `${where}.geometry: expected a Point, Polygon or MultiPolygon, found ${JSON.stringify(g?.type)}`
        })
        return
      }
      const decoded = decodeSettlement({ ...f.properties, lon: lonLat[0], lat: lonLat[1] })
      if (Either.isLeft(decoded)) {
        for (const issue of ParseResult.ArrayFormatter.formatErrorSync(decoded.left)) {
          problems.push({ path: "settlementsFile", message: `${where}.properties.${renderPath(issue.path)}: ${issue.message}` })
        }
        return
      }
      out.push(decoded.right)
      // a township seat's or the county seat's polygon is its boundary (Boundaries.resolve keeps those)
      const boundary = g?.type === "Polygon" || g?.type === "MultiPolygon" ? decodeBoundary(g) : undefined
      if (boundary !== undefined && Either.isRight(boundary)) polygons.set(decoded.right.id, boundary.right)
    }
  )
  return problems.length > 0 ? Either.left(problems) : Either.right(out)
}
