/**
 * Replays an event log: imports a JSONL file into a SQLite event store (idempotent: a second run finds
 * every event stored) and prints, for every stream, the world as of a school year. The `seatplan` CLI
 * (issue 3/6) supersedes this script; until then it is the runnable end of the data path.
 *
 *   pnpm replay scenarios/tiny/events.jsonl [--year 2027] [--db out/tiny.sqlite]
 */
import { NodeFileSystem } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { EventStore, Jsonl, CommandHandler, School, SqliteEventStore, World } from "../src/index.js"

const usage = "usage: pnpm replay FILE.jsonl [--year YEAR] [--db FILE.sqlite]"

const parseArgs = (argv: ReadonlyArray<string>) => {
  const file = argv.find((a, i) => !a.startsWith("--") && (i === 0 || !argv[i - 1].startsWith("--")))
  const option = (name: string) => {
    const i = argv.indexOf(`--${name}`)
    return i < 0 ? undefined : argv[i + 1]
  }
  const yearText = option("year")
  const year = yearText === undefined ? undefined : Number(yearText)
  if (file === undefined) return { error: `no event file given\n${usage}` } as const
  if (year !== undefined && !Number.isInteger(year))
    return { error: `--year: expected a school year such as 2026, found ${JSON.stringify(yearText)}` } as const
  const db =
    option("db") ??
    path.join("out", `${path.basename(path.dirname(path.resolve(file)))}-${path.basename(file).replace(/\.[^.]+$/, "")}.sqlite`)
  return { file, year, db } as const
}

const pad = (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  return rows.map((r) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")).join("\n")
}

const describeWorld = (stream: string, w: World.World, year: number): string => {
  const tiers = new Map<string, number>()
  for (const s of w.settlements.values()) tiers.set(s.tier, (tiers.get(s.tier) ?? 0) + 1)
  const rows: Array<Array<string>> = [["school", "type", "status", "seats", "classrooms", "pupils", "free", "teachers", "beds"]]
  for (const s of w.schools.values()) {
    rows.push([
      s.id,
      s.type,
      s.status,
      String(s.facilities.seats),
      String(s.facilities.classrooms),
      String(World.pupilsOf(w, s.id)),
      String(World.freeSeats(w, s.id)),
      String(School.teacherCount(s.teachers)),
      String(s.facilities.boardingBeds)
    ])
  }
  const zoned = School.levels.map((l) => `${l} ${w.catchments.get(l)?.size ?? 0}`).join(", ")
  const children = [...w.population.values()].reduce((n, p) => n + p.byAge.reduce((a, b) => a + b, 0), 0)
  return [
    `== ${stream} as of school year ${year}/${String((year + 1) % 100).padStart(2, "0")} (${w.events} events applied)`,
    `settlements: ${[...tiers].map(([t, n]) => `${n} ${t}`).join(", ")}; children 0-18 recorded: ${children.toLocaleString("en")}`,
    `housing estates completed: ${w.housing.length}; migration flows recorded: ${w.migrations.length}`,
    `catchments (settlements zoned): ${zoned}`,
    pad(rows),
    ""
  ].join("\n")
}

const program = (file: string, dbFile: string, year: number | undefined) =>
  Effect.gen(function* () {
    const imported = yield* Jsonl.importFrom(file)
    const store = yield* EventStore.EventStore
    const streams = yield* store.streams
    const lines = [
      `imported ${file} into ${dbFile}: ${imported.events} new events, ${imported.skipped} already stored, ${imported.forks} forks`,
      ""
    ]
    for (const info of streams) {
      const events = yield* store.readStream(info.stream)
      const at = year ?? Math.max(...events.map((e) => e.event.year))
      lines.push(describeWorld(info.stream, yield* CommandHandler.worldAt(info.stream, at), at))
    }
    return lines.join("\n")
  }).pipe(Effect.provide(Layer.merge(SqliteEventStore.layer({ filename: dbFile }), NodeFileSystem.layer)))

const args = parseArgs(process.argv.slice(2))
if ("error" in args) {
  process.stderr.write(`replay: ${args.error}\n`)
  process.exit(2)
}
fs.mkdirSync(path.dirname(path.resolve(args.db)), { recursive: true })
const exit = await Effect.runPromiseExit(program(args.file, args.db, args.year))
if (Exit.isSuccess(exit)) {
  process.stdout.write(exit.value + "\n")
} else {
  const failure = Cause.failureOption(exit.cause)
  process.stderr.write(`replay: ${Option.isSome(failure) ? failure.value.message : Cause.pretty(exit.cause)}\n`)
  process.exit(1)
}
