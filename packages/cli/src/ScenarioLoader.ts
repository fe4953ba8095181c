/**
 * Loads a scenario file (YAML or JSON): parses it keeping source positions, decodes it with the scenario
 * Schema, turns it into event streams through the decider, and reports every problem at once with the
 * file, line and column, the field path (`variants[1].events[3].into`), what was expected and what was
 * found.
 */
import { Data, Effect, Either, ParseResult, Schema } from "effect"
import { centroid } from "@turf/turf"
import * as fs from "node:fs"
import * as path from "node:path"
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml"
import { Rules } from "@seatplan/sim"
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
    const lines = this.problems.slice(0, 60).map((p) =>
      `${this.file}${p.line === undefined ? "" : `:${p.line}:${p.column ?? 1}`}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`
    )
    const more = this.problems.length > 60 ? [`… and ${this.problems.length - 60} more`] : []
    return [...lines, ...more, `${this.problems.length} problem(s) in ${this.file}`].join("\n")
  }
}

export interface Loaded {
  readonly file: string
  readonly scenario: Scenario.ScenarioFile
  readonly streams: Scenario.Streams
  /** The rule set in force: the national set with the scenario's changes and additions. */
  readonly rules: ReadonlyArray<Rules.Rule>
}

/** Renders a field path: `variants[1].events[3].into`. */
export const renderPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, key) =>
    typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`, "")

const decode = Schema.decodeUnknownEither(Scenario.ScenarioFile, { errors: "all", onExcessProperty: "error" })

/** Reads a file named by a scenario (relative to it); undefined when it cannot be read. */
export type Reader = (relative: string) => string | undefined

const readBeside = (file: string): Reader => (relative) => {
  try {
    return fs.readFileSync(path.resolve(path.dirname(file), relative), "utf8")
  } catch {
    return undefined
  }
}

/** Loads and validates a scenario from text; `file` names it in messages; `read` reads the files it names. */
export const fromText = (text: string, file: string, read: Reader = readBeside(file)): Either.Either<Loaded, ScenarioError> => {
  const counter = new LineCounter()
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true })
  const fail = (problems: ReadonlyArray<Located>) => Either.left(new ScenarioError({ file, problems }))
  if (doc.errors.length > 0) {
    return fail(doc.errors.map((e) => {
      const pos = counter.linePos(e.pos[0])
      return { path: "", line: pos.line, column: pos.col, message: `not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}: ${e.message.split("\n")[0]}` }
    }))
  }
  const locate = (path: ReadonlyArray<string | number>, message: string): Located => {
    const node = nearest(doc.contents as Node | null, path)
    const pos = node?.range === undefined || node.range === null ? undefined : counter.linePos(node.range[0])
    return pos === undefined ? { path: renderPath(path), message } : { path: renderPath(path), line: pos.line, column: pos.col, message }
  }
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown
  const decoded = decode(raw)
  if (Either.isLeft(decoded)) {
    const issues = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
    const key = (p: ReadonlyArray<PropertyKey>) => renderPath(p)
    const paths = new Set(issues.filter((i) => !i.message.startsWith("Expected undefined")).map((i) => key(i.path)))
    return fail(issues
      .filter((i) => !(i.message.startsWith("Expected undefined") && paths.has(key(i.path))))
      .map((i) => locate(i.path as ReadonlyArray<string | number>, i.message)))
  }
  const geo = decoded.right.settlementsFile === undefined
    ? Either.right([])
    : settlementsFrom(decoded.right.settlementsFile, read)
  if (Either.isLeft(geo)) return fail(geo.left.map((p) => ({ ...locate(["settlementsFile"], ""), ...p })))
  const scenario = Scenario.complete(decoded.right, geo.right)
  const rules = Rules.apply(Rules.national, scenario.rules ?? [])
  const streams = Scenario.toStreams(scenario)
  const problems = [
    ...(Either.isLeft(rules) ? rules.left.map((p) => locate(["rules", p.index, ...p.field.split(".")], p.message)) : []),
    ...(Either.isLeft(streams) ? streams.left.map((p) => locate(p.path, p.message)) : [])
  ]
  if (Either.isLeft(rules) || Either.isLeft(streams)) return fail(problems)
  return Either.right({ file, scenario, streams: streams.right, rules: rules.right })
}

/** Loads and validates a scenario file. */
export const load = (file: string): Effect.Effect<Loaded, ScenarioError> =>
  Effect.suspend(() => {
    let text: string
    try {
      text = fs.readFileSync(file, "utf8")
    } catch (e) {
      const code = (e as { code?: string }).code
      const reason = code === "ENOENT" ? "the file does not exist" : code === "EISDIR" ? "it is a folder, expected a file" : String(e)
      return Effect.fail(new ScenarioError({ file, problems: [{ path: "", message: `cannot read the scenario: ${reason}` }] }))
    }
    return fromText(text, file)
  })

/** The YAML node at a path, or the deepest existing node on the way (for a missing field: its parent). */
const nearest = (root: Node | null, path: ReadonlyArray<string | number>): Node | null => {
  let node: Node | null = root
  for (const key of path) {
    if (node === null) return null
    let next: unknown = undefined
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

/** Settlements from a GeoJSON FeatureCollection: properties id, name, tier, parent; points or polygon centroids. */
const settlementsFrom = (
  relative: string,
  read: Reader
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
    return Either.left([{ path: "settlementsFile", message: `${relative}: expected a GeoJSON FeatureCollection, found ${JSON.stringify(geojson.type)}` }])
  }
  const problems: Array<Located> = []
  const out: Array<typeof Scenario.SettlementSpec.Type> = []
  geojson.features.forEach((f: { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> }, i: number) => {
    const where = `${relative}: features[${i}]`
    const g = f.geometry
    let lonLat: readonly [number, number] | undefined
    if (g?.type === "Point" && Array.isArray(g.coordinates)) lonLat = [Number(g.coordinates[0]), Number(g.coordinates[1])]
    else if (g?.type === "Polygon" || g?.type === "MultiPolygon") {
      const c = centroid(f as Parameters<typeof centroid>[0]).geometry.coordinates
      lonLat = [c[0], c[1]]
    }
    if (lonLat === undefined) {
      problems.push({ path: "settlementsFile", message: `${where}.geometry: expected a Point, Polygon or MultiPolygon, found ${JSON.stringify(g?.type)}` })
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
  })
  return problems.length > 0 ? Either.left(problems) : Either.right(out)
}
