import { Args, Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import type * as FileSystem from "@effect/platform/FileSystem"
import { Event, EventStore, type EventStoreError, Ids, Jsonl } from "@seatplan/core"
import { Console, Effect, Either, Layer, Option } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Output from "../Output.js"
import { Project } from "@seatplan/plan"
import { described, store } from "../Options.js"
import * as Store from "../Store.js"

const dbOption = Options.text("db").pipe(
  Options.withDescription("the SQLite event store (e.g. out/tiny/events.sqlite); --store says the same and also takes postgres://…"),
  Options.optional
)

/** `--db FILE` or `--store FILE|postgres://…`: the one store a subcommand works on. */
const db = Options.all({ db: dbOption, store }).pipe(
  Options.mapEffect(({ db, store }) =>
    Option.isSome(db) && Option.isSome(store) && db.value !== store.value
      ? Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--db and --store name two stores (${db.value}, ${store.value}): give one`)))
      : Option.isSome(store)
        ? Effect.succeed(store.value)
        : Option.isSome(db)
          ? Effect.succeed(db.value)
          : Effect.fail(
              ValidationError.missingValue(HelpDoc.p("expected --store FILE|postgres://… (or --db FILE): the event store to work on"))
            )
  )
)
const stream = Options.text("stream").pipe(Options.withDescription("only this stream (e.g. baseline, plan/township)"), Options.optional)
const type = Options.text("type").pipe(Options.withDescription("only this event type (e.g. SchoolClosed)"), Options.optional)
const year = Options.integer("year").pipe(Options.withDescription("only events of this school year"), Options.optional)
const format = Options.choice("format", ["table", "json"]).pipe(Options.withDefault("table" as const))

const withStore = <A, E>(
  file: string,
  effect: Effect.Effect<A, E, EventStore.EventStore | FileSystem.FileSystem>
): Effect.Effect<A, E | Project.RunError | EventStoreError.StorageError | EventStoreError.StoreBusy> =>
  Effect.suspend(
    (): Effect.Effect<A, E | Project.RunError | EventStoreError.StorageError | EventStoreError.StoreBusy> =>
      Store.isPostgres(file) || fs.existsSync(file)
        ? effect.pipe(Effect.provide(Layer.merge(Store.layer(file), NodeFileSystem.layer)))
        : Effect.fail(
            new Project.RunError({ reason: `${file}: no such event store (run \`seatplan run\` or \`seatplan events import\` first)` })
          )
  )

/** `seatplan events list`: the stored events, filtered by stream, type and year. */
const list = Command.make("list", { db, stream, type, year, format }, (o) =>
  withStore(
    o.db,
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      if (Option.isSome(o.type) && !(Event.tags as ReadonlyArray<string>).includes(o.type.value)) {
        return yield* new Project.RunError({
          reason: `--type: expected one of ${Event.tags.join(", ")}, found ${JSON.stringify(o.type.value)}`
        })
      }
      const events = Option.isSome(o.stream) ? yield* store.readStream(Ids.StreamId.make(o.stream.value)) : yield* store.readAll()
      const kept = events.filter(
        (e) => (Option.isNone(o.type) || e.event._tag === o.type.value) && (Option.isNone(o.year) || e.event.year === o.year.value)
      )
      if (o.format === "json") return yield* Console.log(kept.map((e) => Jsonl.encodeEntry({ _tag: "Event", stored: e })).join("\n"))
      yield* Console.log(
        Output.table(
          [
            ["position", "stream", "version", "year", "type", "id"],
            ...kept.map((e) => [String(e.position), e.stream, String(e.version), String(e.event.year), e.event._tag, e.id])
          ],
          0
        )
      )
      yield* Console.error(`${kept.length} of ${events.length} events`)
    })
  )
)

const file = Args.text({ name: "FILE" }).pipe(Args.withDescription("a JSONL event log"))
const logFile = Args.text({ name: "FILE" }).pipe(
  Args.withDescription(
    "a JSONL event log; without it, standard output (export) or standard input (import), to pipe one store into another"
  ),
  Args.withDefault("-")
)

/**
 * `seatplan events export [FILE] --store STORE`: the whole log (forks and events) as JSONL, to FILE or to
 * standard output, so that `seatplan events export --store A | seatplan events import --store B` moves a
 * log between stores (SQLite and PostgreSQL alike).
 */
const exportLog = Command.make("export", { file: logFile, db }, ({ db, file }) =>
  withStore(
    db,
    file === "-"
      ? Effect.gen(function* () {
          const entries = yield* (yield* EventStore.EventStore).log
          yield* Effect.promise(() => writeStdout(Jsonl.encode(entries)))
          yield* Console.error(`wrote ${entries.length} entries from ${Store.name(db)} to standard output`)
        })
      : Effect.gen(function* () {
          const n = yield* Jsonl.exportTo(file)
          yield* Console.log(`wrote ${n} entries to ${file}`)
        })
  )
)

/** Writes to standard output and waits until it is flushed (a pipe may be slower than the store). */
const writeStdout = (text: string) =>
  new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e === null || e === undefined ? resolve() : reject(e))))

/** Standard input, whole. */
const readStdin = Effect.promise(async () => {
  const chunks: Array<Buffer> = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8")
})

/**
 * `seatplan events import FILE --db STORE`: imports a JSONL log atomically (nothing on any error). Into an
 * existing store the import is one transaction; a new store is built in a temporary file beside it and
 * put in place only when the import succeeded, so a failed import leaves no file behind.
 */
const importLog = Command.make("import", { file: logFile, db }, ({ db, file }) =>
  Effect.suspend(() =>
    file === "-"
      ? importStdin(db)
      : Store.isPostgres(db) || fs.existsSync(db)
        ? importInto(db, file)
        : fs.existsSync(path.dirname(path.resolve(db)))
          ? importIntoNew(db, file)
          : Effect.fail(new Project.RunError({ reason: `${db}: the folder ${path.dirname(db)} does not exist; nothing was imported` }))
  ).pipe(
    Effect.flatMap((r) =>
      Console.log(`imported ${r.events} events and ${r.forks} forks into ${Store.name(db)}; ${r.skipped} already there`)
    )
  )
)

const importInto = (db: string, file: string) =>
  Jsonl.importFrom(file).pipe(Effect.provide(Layer.merge(Store.layer(db), NodeFileSystem.layer)))

/** Imports the log on standard input, atomically (into a new SQLite file, created only when it succeeded). */
const importStdin = (db: string) =>
  Effect.gen(function* () {
    const text = yield* readStdin
    const entries = yield* Jsonl.decode(text, "standard input")
    if (Store.isPostgres(db) || fs.existsSync(db)) {
      return yield* Effect.flatMap(EventStore.EventStore, (s) => s.importLog(entries)).pipe(Effect.provide(Store.layer(db)))
    }
    // a new SQLite store: the log goes through a temporary file, so the same all-or-nothing rule holds
    const temp = path.join(os.tmpdir(), `seatplan-import-${process.pid}-${Date.now()}.jsonl`)
    fs.writeFileSync(temp, text)
    return yield* importIntoNew(db, temp).pipe(Effect.ensuring(Effect.sync(() => fs.rmSync(temp, { force: true }))))
  })

const importIntoNew = (db: string, file: string) => {
  if (!fs.existsSync(path.dirname(path.resolve(db)))) {
    return Effect.fail(new Project.RunError({ reason: `${db}: the folder ${path.dirname(db)} does not exist; nothing was imported` }))
  }
  const temp = path.join(path.dirname(db), `.${path.basename(db)}.import-${process.pid}-${Date.now()}`)
  const leftovers = [temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]
  const failed = (reason: string) => new Project.RunError({ reason: `${db}: ${reason}; nothing was imported` })
  return importInto(temp, file).pipe(
    // The store's connection is closed here (its WAL checkpointed and removed): the file is complete.
    Effect.flatMap((result) =>
      Effect.try({
        try: () => {
          if (fs.existsSync(`${temp}-wal`) && fs.statSync(`${temp}-wal`).size > 0)
            throw new Error("the new store's log was not written back")
          try {
            fs.linkSync(temp, db) // never replaces a file: fails if another process created the store meanwhile
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "EEXIST" || fs.existsSync(db)) throw e
            fs.renameSync(temp, db) // a file system without hard links
          }
          return result
        },
        catch: (e) =>
          (e as NodeJS.ErrnoException).code === "EEXIST"
            ? failed("another process created this store during the import; run the import again")
            : failed(`cannot put the new store in place (${e instanceof Error ? e.message : String(e)})`)
      })
    ),
    Effect.ensuring(
      Effect.sync(() => {
        for (const f of leftovers) fs.rmSync(f, { force: true })
      })
    )
  )
}

const target = Options.text("stream").pipe(Options.withDescription("the stream to append to"))

/**
 * `seatplan events append FILE --db STORE --stream S`: appends events (`{ id, recordedAt, event }` per
 * line) to a stream at its current version, atomically. They are checked against the event schemas, not
 * the decider: prefer changing the scenario.
 */
const append = Command.make("append", { file, db, stream: target }, (o) =>
  Effect.gen(function* () {
    const text = yield* Effect.try({
      try: () => fs.readFileSync(o.file, "utf8"),
      catch: () => new Project.RunError({ reason: `${o.file}: cannot read the file` })
    })
    const decoded = Jsonl.decodeNew(text, o.file)
    if (Either.isLeft(decoded))
      return yield* new Project.RunError({ reason: decoded.left.message.replace("nothing imported", "nothing appended") })
    const events = decoded.right
    const result = yield* withStore(
      o.db,
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const s = Ids.StreamId.make(o.stream)
        const at = yield* store.version(s)
        // a stream is made by `run` or `serve` (the scenario's) or by a fork: a name that is none of the
        // store's is a typo, which appended to a new stream nobody reads
        if (at === 0) {
          const known = (yield* store.streams).map((x) => x.stream)
          return yield* new Project.RunError({
            reason: `--stream: expected a stream of the store (${known.join(", ") || "it has none"}), found ${JSON.stringify(o.stream)}; nothing appended`
          })
        }
        return yield* store.append(s, events, at)
      })
    )
    yield* Console.log(`appended ${result.appended} events to ${o.stream} (now at version ${result.version})`)
  })
)

/** `seatplan events list|export|import|append`: inspect and move the event log. */
export const events = Command.make("events").pipe(
  Command.withDescription(
    described("Inspect and move the event log (JSONL): list, export, import, append", [
      "seatplan events list --db out/tiny/events.sqlite --stream plan/township --type SchoolClosed",
      "seatplan events export log.jsonl --db out/tiny/events.sqlite",
      "seatplan events import log.jsonl --db other.sqlite",
      "seatplan events export --store out/tiny/events.sqlite | seatplan events import --store postgres://planner@db.bureau/seatplan?schema=tiny"
    ])
  ),
  Command.withSubcommands([list, exportLog, importLog, append])
)
