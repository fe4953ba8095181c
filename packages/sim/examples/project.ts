/**
 * Projects every stream of an event log (or the ones named) year by year and writes the tables: imports
 * the JSONL log into a SQLite event store, reads each stream back, compiles and runs the engine, prints
 * a county summary, and writes `schools`, `county`, `catchments` and `population` as CSV and JSON. The
 * `seatplan run` command (issue 3/6) will supersede this script.
 *
 *   pnpm project scenarios/tiny/events.jsonl [--variant plan/township]… [--horizon 12] [--rule NAME]
 *                [--method cohort-component|grade-progression] [--seed N] [--replicates N] [--out DIR]
 */
import { NodeFileSystem } from "@effect/platform-node"
import { EventStore, Ids, Jsonl, SqliteEventStore } from "@seatplan/core"
import { Cause, Effect, Exit, Layer, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { AllocationRule, Compile, Engine, MonteCarlo, Tables } from "../src/index.js"

const usage = "usage: pnpm project FILE.jsonl [--variant STREAM]… [--horizon N] [--rule NAME] " +
  "[--method cohort-component|grade-progression] [--seed N] [--replicates N] [--out DIR] [--db FILE]"

interface Args {
  readonly file: string
  readonly variants: ReadonlyArray<string>
  readonly horizon: number
  readonly rule: AllocationRule.AllocationRule
  readonly method: "cohort-component" | "grade-progression"
  readonly seed: number | undefined
  readonly replicates: number
  readonly out: string
  readonly db: string
}

const parse = (argv: ReadonlyArray<string>): Args | string => {
  const values = new Map<string, Array<string>>()
  const positional: Array<string> = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith("--")) {
      positional.push(a)
      continue
    }
    const value = argv[i + 1]
    if (value === undefined || value.startsWith("--")) return `${a}: expected a value\n${usage}`
    values.set(a.slice(2), [...(values.get(a.slice(2)) ?? []), value])
    i++
  }
  const known = new Set(["variant", "horizon", "rule", "method", "seed", "replicates", "out", "db"])
  const unknown = [...values.keys()].find((k) => !known.has(k))
  if (unknown !== undefined) return `unknown option --${unknown}\n${usage}`
  if (positional.length !== 1) return `expected one event file, found ${positional.length}\n${usage}`
  const one = (name: string) => values.get(name)?.at(-1)
  const int = (name: string, fallback: number | undefined, min: number, max: number) => {
    const text = one(name)
    if (text === undefined) return fallback
    const n = Number(text)
    return Number.isInteger(n) && n >= min && n <= max ? n : `--${name}: expected a whole number from ${min} to ${max}, found ${JSON.stringify(text)}`
  }
  const horizon = int("horizon", 15, 1, 30)
  const seed = int("seed", undefined, 0, 2 ** 32 - 1)
  const replicates = int("replicates", 0, 0, 100_000)
  for (const v of [horizon, seed, replicates]) if (typeof v === "string") return v
  const ruleName = one("rule") ?? AllocationRule.catchmentThenNearest.name
  const rule = AllocationRule.byName(ruleName)
  if (rule === undefined) return `--rule: expected one of ${AllocationRule.all.map((r) => r.name).join(", ")}, found ${JSON.stringify(ruleName)}`
  const method = one("method") ?? "cohort-component"
  if (method !== "cohort-component" && method !== "grade-progression") {
    return `--method: expected cohort-component or grade-progression, found ${JSON.stringify(method)}`
  }
  const file = positional[0]
  const name = `${path.basename(path.dirname(path.resolve(file)))}-${path.basename(file).replace(/\.[^.]+$/, "")}`
  return {
    file,
    variants: values.get("variant") ?? [],
    horizon: horizon as number,
    rule,
    method,
    seed: seed as number | undefined,
    replicates: replicates as number,
    out: one("out") ?? path.join("out", name),
    db: one("db") ?? path.join("out", `${name}.sqlite`)
  }
}

const csv = (rows: ReadonlyArray<Record<string, unknown>>): string => {
  if (rows.length === 0) return ""
  const flat = rows.map((r) => {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(r)) {
      if (typeof v === "object" && v !== null) for (const [kk, vv] of Object.entries(v)) out[`dc_${kk}`] = vv
      else out[k] = v
    }
    return out
  })
  const header = Object.keys(flat[0])
  const cell = (v: unknown) => {
    const text = typeof v === "number" ? String(Math.round(v * 1e6) / 1e6) : String(v)
    return /[",\n]/.test(text) ? `"${text.replaceAll("\"", "\"\"")}"` : text
  }
  return [header.join(","), ...flat.map((r) => header.map((h) => cell(r[h])).join(","))].join("\n") + "\n"
}

const table = (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  return rows.map((r) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")).join("\n")
}

const summary = (county: ReadonlyArray<Tables.CountyRow>, variant: string, horizon: number): string => {
  const base = county[0].year
  const years = new Set([base, base + 1, base + Math.round(horizon / 2), base + horizon])
  const rows = [["year", "level", "children", "pupils", "seats", "seat gap", "idle seats", "classes", "large %", "teacher gap", "quality pass"]]
  for (const r of county) {
    if (!years.has(r.year) || r.level === "senior" && r.pupils === 0) continue
    rows.push([
      String(r.year),
      r.level,
      r.children.toFixed(0),
      r.pupils.toFixed(0),
      r.seats.toFixed(0),
      r.seat_gap.toFixed(0),
      r.idle_seats.toFixed(0),
      String(r.classes),
      (r.large_class_share * 100).toFixed(1),
      r.teacher_gap.toFixed(0),
      r.quality_schools > 0 ? `${r.quality_schools_passing}/${r.quality_schools}` : ""
    ])
  }
  return `== ${variant}\n${table(rows)}\n`
}

const program = (args: Args) =>
  Effect.gen(function*() {
    const imported = yield* Jsonl.importFrom(args.file)
    const store = yield* EventStore.EventStore
    const streams = (yield* store.streams).map((s) => s.stream as string)
    const missing = args.variants.filter((v) => !streams.includes(v))
    if (missing.length > 0) {
      return yield* Effect.fail(new Error(`${args.file}: no stream ${missing.join(", ")}; the log has ${streams.join(", ")}`))
    }
    const chosen = args.variants.length > 0 ? args.variants : streams
    const lines = [`imported ${args.file} into ${args.db}: ${imported.events} new events, ${imported.skipped} already stored`]
    const all = { schools: [] as Array<Tables.SchoolRow>, county: [] as Array<Tables.CountyRow>, catchments: [] as Array<Tables.CatchmentRow>, population: [] as Array<Tables.PopulationRow> }
    const bands: Array<MonteCarlo.BandRow & { readonly variant: string }> = []
    for (const variant of chosen) {
      const events = (yield* store.readStream(Ids.streamId(variant))).map((e) => e.event)
      const options: Compile.Options = { horizon: args.horizon, rule: args.rule, method: { kind: args.method } }
      const model = yield* Effect.try({ try: () => Compile.compile(events, options), catch: (e) => e as Error })
      const cube = Engine.run(model, args.seed === undefined ? {} : { seed: args.seed })
      const schools = Tables.schools(model, cube, variant)
      const county = Tables.county(model, cube, variant)
      all.schools.push(...schools)
      all.county.push(...county)
      all.catchments.push(...Tables.catchments(model, cube, variant))
      all.population.push(...Tables.population(model, cube, variant))
      for (const w of model.warnings) lines.push(`warning (${variant}): ${w}`)
      lines.push(summary(county, variant, args.horizon))
      if (args.replicates > 0) {
        const mc = yield* MonteCarlo.run({
          events,
          horizon: args.horizon,
          rule: args.rule.name,
          method: { kind: args.method },
          replicates: args.replicates,
          seed: args.seed ?? 1
        })
        bands.push(...mc.rows.map((r) => ({ variant, ...r })))
      }
    }
    fs.mkdirSync(args.out, { recursive: true })
    const written: Array<string> = []
    const write = (name: string, rows: ReadonlyArray<object>) => {
      if (rows.length === 0) return
      fs.writeFileSync(path.join(args.out, `${name}.csv`), csv(rows as ReadonlyArray<Record<string, unknown>>))
      fs.writeFileSync(path.join(args.out, `${name}.json`), JSON.stringify(rows))
      written.push(`${name}.csv/.json (${rows.length} rows)`)
    }
    write("schools", all.schools)
    write("county", all.county)
    write("catchments", all.catchments)
    write("population", all.population)
    write("bands", bands)
    lines.push(`wrote to ${args.out}: ${written.join(", ")}`)
    return lines.join("\n")
  }).pipe(Effect.provide(Layer.merge(SqliteEventStore.layer({ filename: args.db }), NodeFileSystem.layer)))

const args = parse(process.argv.slice(2))
if (typeof args === "string") {
  process.stderr.write(`project: ${args}\n`)
  process.exit(2)
}
fs.mkdirSync(path.dirname(path.resolve(args.db)), { recursive: true })
const exit = await Effect.runPromiseExit(program(args))
if (Exit.isSuccess(exit)) {
  process.stdout.write(exit.value + "\n")
} else {
  const failure = Cause.failureOption(exit.cause)
  process.stderr.write(`project: ${Option.isSome(failure) ? failure.value.message : Cause.pretty(exit.cause)}\n`)
  process.exit(1)
}
