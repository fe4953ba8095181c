/**
 * The planning workspace of `seatplan serve`: a scenario's baseline and plan variants in one SQLite file.
 *
 * Two logs live in that file. The event store (packages/core) holds the domain events: the baseline stream
 * and one stream per variant; every edit is a plan step decided by the domain rules and appended to the
 * variant's stream with the version the planner saw (optimistic concurrency). The workspace log
 * (`serve_log`, append-only) holds what is about variants rather than the domain: a variant added or forked,
 * renamed, deleted, an edit's plan step (so that the variant can be written back as a scenario file), and
 * undo/redo. The workspace's state is the fold of that log; nothing is ever updated in place.
 *
 * Undo is a pointer, not a compensating event (the domain has no event that un-closes a school): undoing
 * forks the variant's stream at the version before its last edit and points the variant at the fork; the
 * undone stream stays in the store, and redo points the variant back at it (until a new edit is made).
 *
 * Every edit is decided twice, and must pass both: against the stream's own world (the events as stored,
 * like `CommandHandler.handleAll`), and as part of the variant's whole plan in school-year order from the
 * baseline (`Scenario.variantsOf`, exactly what loading an exported scenario does), so that an exported
 * variant always loads and `seatplan run` on it projects what the workspace showed.
 */
import { Decider, type Event, EventStore, Ids, World } from "@seatplan/core"
import type { StorageError } from "@seatplan/core/EventStoreError"
import { DataQuality, Project, Scenario, ScenarioLoader } from "@seatplan/plan"
import Database from "better-sqlite3"
import { Console, Data, Effect, Either } from "effect"
import { randomUUID } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import * as YAML from "yaml"

/** A request the workspace cannot carry out as asked (an unknown variant, the read-only baseline, …). */
export class WorkspaceError extends Data.TaggedError("WorkspaceError")<{ readonly reason: string; readonly status: 400 | 404 }> {
  override get message() {
    return this.reason
  }
}

/** The domain rules refused an edit: nothing was stored. */
export class EditRefused extends Data.TaggedError("EditRefused")<{ readonly reason: string }> {
  override get message() {
    return this.reason
  }
}

/** The variant moved since the version the edit was made on: nothing was stored; `changes` says what moved it. */
export class EditConflict extends Data.TaggedError("EditConflict")<{
  readonly variant: string
  readonly expected: number
  readonly version: number
  readonly changes: ReadonlyArray<string>
}> {
  override get message() {
    return `variant ${this.variant} is at version ${this.version}, not ${this.expected}: ${
      this.changes.length === 0 ? "it was changed in between" : this.changes.join("; ")
    }; nothing was stored, look at the new state and make the edit again`
  }
}

/** Steps appended to a stream: the scenario's own plan (when the workspace was created) or one edit. */
export interface StepRecord {
  readonly kind: "scenario" | "edit"
  readonly variant: string
  readonly stream: string
  /** The stream's version before and after the steps' events. */
  readonly before: number
  readonly after: number
  readonly steps: ReadonlyArray<Scenario.PlanStep>
  readonly at: string
  readonly commandId?: string
  /** Who made the edit, as the planner gave their name on the page (none when not given). */
  readonly by?: string
  /** The events the step was decided into (their types). */
  readonly events: ReadonlyArray<string>
}

interface Fork {
  readonly stream: string
  readonly parent: string
  readonly version: number
}

/** The workspace log's entries. */
type Entry =
  | { readonly kind: "Created"; readonly file: string; readonly text: string; readonly baselineVersion: number }
  | {
      readonly kind: "VariantAdded"
      readonly variant: string
      readonly name: string
      readonly description: string
      readonly stream: string
      readonly fork: Fork
      readonly from?: { readonly variant: string; readonly version: number }
    }
  | { readonly kind: "StepsRecorded"; readonly record: StepRecord }
  | { readonly kind: "VariantRenamed"; readonly variant: string; readonly name: string }
  | { readonly kind: "VariantDeleted"; readonly variant: string }
  | { readonly kind: "EditUndone"; readonly variant: string; readonly fork: Fork; readonly undone: string }
  | { readonly kind: "EditRedone"; readonly variant: string; readonly stream: string }

export interface Variant {
  readonly id: string
  name: string
  readonly description: string
  stream: string
  deleted: boolean
  /** The version the variant started from (its fork of the baseline or of another variant): undo stops there. */
  readonly floor: number
  /** Streams undo left, newest last (redo goes back to them). */
  redo: Array<string>
  readonly from?: { readonly variant: string; readonly version: number }
}

interface State {
  file: string
  text: string
  baselineVersion: number
  readonly variants: Map<string, Variant>
  readonly records: Map<string, Array<StepRecord>>
  readonly forks: Map<string, Fork>
  /** Every entry with its time, for the variants' action history. */
  readonly entries: Array<{ readonly at: string; readonly entry: Entry }>
}

const apply = (state: State, entry: Entry, at: string): void => {
  state.entries.push({ at, entry })
  switch (entry.kind) {
    case "Created":
      state.file = entry.file
      state.text = entry.text
      state.baselineVersion = entry.baselineVersion
      return
    case "VariantAdded":
      state.forks.set(entry.fork.stream, entry.fork)
      state.variants.set(entry.variant, {
        id: entry.variant,
        name: entry.name,
        description: entry.description,
        stream: entry.stream,
        floor: entry.fork.version,
        deleted: false,
        redo: [],
        ...(entry.from === undefined ? {} : { from: entry.from })
      })
      return
    case "StepsRecorded": {
      const list = state.records.get(entry.record.stream) ?? []
      list.push(entry.record)
      state.records.set(entry.record.stream, list)
      const v = state.variants.get(entry.record.variant)
      if (v !== undefined && entry.record.kind === "edit") v.redo = []
      return
    }
    case "VariantRenamed":
      state.variants.get(entry.variant)!.name = entry.name
      return
    case "VariantDeleted":
      state.variants.get(entry.variant)!.deleted = true
      return
    case "EditUndone": {
      state.forks.set(entry.fork.stream, entry.fork)
      const v = state.variants.get(entry.variant)!
      v.redo.push(entry.undone)
      v.stream = entry.fork.stream
      return
    }
    case "EditRedone": {
      const v = state.variants.get(entry.variant)!
      v.redo = v.redo.filter((s) => s !== entry.stream)
      v.stream = entry.stream
      return
    }
  }
}

const baselineVariant = (state: State): Variant => ({
  id: baselineId,
  name: "baseline",
  description: "",
  stream: EventStore.baseline,
  floor: state.baselineVersion,
  deleted: false,
  redo: []
})

/** The id of the read-only baseline variant. */
export const baselineId = "baseline"

/** What the projection needs of the scenario: its file, rules and baseline decided once. */
export interface Context {
  readonly file: string
  readonly text: string
  readonly scenario: Scenario.ScenarioFile
  readonly rules: ScenarioLoader.Loaded["rules"]
  readonly baseline: Scenario.Baseline
  readonly settlements: Map<string, typeof Scenario.SettlementSpec.Type>
}

type Store = EventStore.EventStore["Type"]

/** Whether a file is a SQLite database (its 16-byte header), i.e. a workspace to open rather than a scenario. */
export const isStore = (file: string): boolean => {
  try {
    const fd = fs.openSync(file, "r")
    try {
      const header = Buffer.alloc(16)
      fs.readSync(fd, header, 0, 16, 0)
      return header.toString("latin1") === "SQLite format 3\u0000"
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return false
  }
}

const contextOf = (file: string, text: string, scenario: Scenario.ScenarioFile, rules: Context["rules"]): Context => ({
  file,
  text,
  scenario,
  rules,
  baseline: Scenario.baselineOf(scenario),
  settlements: new Map(scenario.settlements.map((s) => [s.id, s]))
})

const now = () => new Date().toISOString()

/**
 * Opens the workspace in `db` (its event store `store` is the same file), creating it from `scenarioFile`
 * when the file has no workspace yet.
 */
export const open = (db: string, store: Store, scenarioFile: string | undefined) =>
  Effect.gen(function* () {
    const sql = yield* Effect.try({
      try: () => {
        const d = new Database(db)
        d.pragma("journal_mode = WAL")
        d.pragma("synchronous = FULL")
        d.pragma("busy_timeout = 5000")
        d.exec(
          "CREATE TABLE IF NOT EXISTS serve_log (position INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL)"
        )
        return d
      },
      catch: (e) => new WorkspaceError({ reason: `${db}: cannot open the workspace: ${(e as Error).message}`, status: 400 })
    })
    yield* Effect.addFinalizer(() => Effect.sync(() => sql.close()))
    const state: State = { file: "", text: "", baselineVersion: 0, variants: new Map(), records: new Map(), forks: new Map(), entries: [] }
    const insert = sql.prepare("INSERT INTO serve_log (at, kind, data) VALUES (?, ?, ?)")
    const log = (entries: ReadonlyArray<Entry>) => {
      const at = now()
      sql.transaction(() => {
        for (const e of entries) insert.run(at, e.kind, JSON.stringify(e))
      })()
      for (const e of entries) apply(state, e, at)
    }
    const rows = sql.prepare("SELECT at, data FROM serve_log ORDER BY position").all() as ReadonlyArray<{ at: string; data: string }>
    let ctx: Context
    if (rows.length === 0) {
      if (scenarioFile === undefined) {
        return yield* new WorkspaceError({
          reason: `${db}: not a seatplan workspace (no workspace log); create one with seatplan serve SCENARIO.yaml --db ${db}`,
          status: 400
        })
      }
      const loaded = yield* ScenarioLoader.load(scenarioFile)
      yield* Project.store(loaded).pipe(Effect.provideService(EventStore.EventStore, store))
      const baselineVersion = yield* store.version(EventStore.baseline)
      const entries: Array<Entry> = [{ kind: "Created", file: loaded.file, text: fs.readFileSync(scenarioFile, "utf8"), baselineVersion }]
      for (const v of loaded.streams.variants) {
        const stream = EventStore.planStream(v.name)
        const description = loaded.scenario.variants.find((x) => x.name === v.name)?.description ?? ""
        entries.push({
          kind: "VariantAdded",
          variant: v.name,
          name: v.name,
          description,
          stream,
          fork: { stream, parent: EventStore.baseline, version: baselineVersion }
        })
        entries.push({
          kind: "StepsRecorded",
          record: {
            kind: "scenario",
            variant: v.name,
            stream,
            before: baselineVersion,
            after: yield* store.version(stream),
            steps: v.steps,
            at: now(),
            events: [...new Set(v.events.map((e) => e.event._tag))]
          }
        })
      }
      log(entries)
      ctx = contextOf(loaded.file, state.text, loaded.scenario, loaded.rules)
    } else {
      for (const r of rows) apply(state, JSON.parse(r.data) as Entry, r.at)
      if (scenarioFile !== undefined) yield* sameScenario(db, state, scenarioFile, rows[0]?.at ?? "")
      const decoded = yield* ScenarioLoader.decode(state.text, state.file)
      ctx = { ...contextOf(state.file, state.text, decoded.scenario, decoded.rules), baseline: decoded.baseline }
    }
    return make(ctx, state, store, log)
  })

/**
 * A workspace reopened with a scenario file (`seatplan serve SCENARIO --db DB`) keeps the scenario it was
 * made from: its baseline and variants are events in the store. Another file is refused (the planner would
 * see the other scenario's schools under this one's name); the same file changed since is a warning.
 */
const sameScenario = (db: string, state: State, scenarioFile: string, createdAt: string) =>
  Effect.gen(function* () {
    const text = yield* Effect.try(() => fs.readFileSync(scenarioFile, "utf8")).pipe(Effect.orElseSucceed(() => ""))
    if (text === state.text) return
    const made = `${db} is the workspace of ${state.file}, made ${createdAt.slice(0, 16).replace("T", " ")} UTC`
    if (path.resolve(scenarioFile) !== path.resolve(state.file)) {
      return yield* new WorkspaceError({
        reason: `${made}, not of ${scenarioFile}: serve ${db} alone to reopen it, or give ${scenarioFile} another --db (a new workspace)`,
        status: 400
      })
    }
    yield* Console.error(
      `${scenarioFile}: warning: changed since ${made}; the workspace goes on from the scenario as it was then (its events are stored). To start from the file as it is now, give another --db or move ${db} away`
    )
  })

export type Workspace = ReturnType<typeof make>

const make = (ctx: Context, state: State, store: Store, log: (entries: ReadonlyArray<Entry>) => void) => {
  /** Writes are one at a time within the server: a check of the version and the append it guards go together. */
  const lock = Effect.unsafeMakeSemaphore(1)
  const serial = <A, E, R>(effect: Effect.Effect<A, E, R>) => lock.withPermits(1)(effect)

  const variant = (id: string): Effect.Effect<Variant, WorkspaceError> => {
    if (id === baselineId) {
      return Effect.succeed(baselineVariant(state))
    }
    const v = state.variants.get(id)
    return v === undefined || v.deleted
      ? Effect.fail(new WorkspaceError({ reason: `no variant ${JSON.stringify(id)} in this workspace`, status: 404 }))
      : Effect.succeed(v)
  }
  const editable = (id: string) =>
    Effect.flatMap(variant(id), (v) =>
      v.id === baselineId
        ? Effect.fail(
            new WorkspaceError({ reason: "the baseline is the recorded history and cannot be edited: fork it into a variant", status: 400 })
          )
        : Effect.succeed(v)
    )

  /** The step records of a stream up to `upTo` (its forks' parents' first), in the order they were stored. */
  const chain = (stream: string, upTo = Number.POSITIVE_INFINITY): ReadonlyArray<StepRecord> => {
    const own = (state.records.get(stream) ?? []).filter((r) => r.after <= upTo)
    const fork = state.forks.get(stream)
    return fork === undefined ? own : [...chain(fork.parent, Math.min(upTo, fork.version)), ...own]
  }
  const version = (v: Variant) => store.version(Ids.streamId(v.stream))
  /** The token of a variant's state: its stream and version (what an edit, undo or redo may name as seen). */
  const stateOf = (v: Variant, n: number) => `${v.stream}@${n}`
  const stepsOf = (v: Variant, upTo?: number): ReadonlyArray<Scenario.PlanStep> => chain(v.stream, upTo).flatMap((r) => r.steps)

  /**
   * Checks that the variant is still at the state the planner saw: `expected`, its version, and `state`, the
   * token its summary gave (`stateOf`: the stream and version). The version alone cannot tell every state
   * apart: after an undo and a new edit the variant is at the number it had before, on another stream.
   */
  const checkVersion = (v: Variant, expected: number, state?: string) =>
    Effect.flatMap(version(v), (current) => {
      if (current === expected && (state === undefined || state === stateOf(v, current))) return Effect.succeed(current)
      const records = chain(v.stream)
      // what the planner saw and what is there now share the records up to `since` (their version)
      const seen = state === undefined ? undefined : chainOfState(state)
      let since = Math.min(current, expected)
      if (seen !== undefined) {
        let common = 0
        while (common < records.length && common < seen.length && records[common] === seen[common]) common++
        since = common === 0 ? v.floor : (records[common - 1]?.after ?? v.floor)
      }
      const made = records.filter((r) => r.after > since).map((r) => `${r.steps.map(describe).join(", ")} (version ${r.after}, ${r.at})`)
      return Effect.fail(
        new EditConflict({
          variant: v.id,
          expected,
          version: current,
          changes:
            current > expected && seen === undefined
              ? made
              : [`an edit was undone (the variant went back to version ${since})`, ...made.map((m) => `then ${m}`)]
        })
      )
    })

  /** The step records a state token names (its stream's, up to its version), when the stream is known. */
  const chainOfState = (token: string): ReadonlyArray<StepRecord> | undefined => {
    const at = token.lastIndexOf("@")
    const stream = token.slice(0, at)
    const upTo = Number(token.slice(at + 1))
    return at < 0 || !Number.isInteger(upTo) || (stream !== EventStore.baseline && !state.forks.has(stream))
      ? undefined
      : chain(stream, upTo)
  }

  /**
   * The versions a variant can be looked at or forked at: where each step record of its chain (its own and
   * its ancestors') begins and ends, up to `current`. A version inside a record (between two of the events
   * one step was decided into) is no state the planner ever saw.
   */
  const boundaries = (v: Variant, current: number): ReadonlyArray<number> => {
    const at = new Set<number>([current, v.id === baselineId ? current : v.floor])
    for (const r of chain(v.stream)) {
      if (r.before <= current) at.add(r.before)
      if (r.after <= current) at.add(r.after)
    }
    return [...at].sort((a, b) => a - b)
  }

  /** Decides a whole plan in school-year order from the baseline, as loading a scenario does. */
  const decidePlan = (steps: ReadonlyArray<Scenario.PlanStep>) =>
    Scenario.variantsOf({ ...ctx.scenario, variants: [{ name: "workspace", events: steps }] }, ctx.baseline)

  const edit = (id: string, expected: number, step: Scenario.PlanStep, by?: string, expectedState?: string) =>
    serial(
      Effect.gen(function* () {
        const v = yield* editable(id)
        yield* checkVersion(v, expected, expectedState)
        const base = ctx.scenario.baseYear
        const horizon = ctx.scenario.horizon ?? 15
        if (step.year <= base || step.year > base + horizon) {
          return yield* new EditRefused({
            reason: `year: expected a year after the base year ${base} and up to ${base + horizon} (the horizon), found ${step.year}`
          })
        }
        const plan = decidePlan([...stepsOf(v), step])
        if (Either.isLeft(plan)) return yield* new EditRefused({ reason: [...new Set(plan.left.map((p) => p.message))].join("; ") })
        const problems: Array<Scenario.Problem> = []
        const commandId = `serve/${v.id}/${randomUUID()}`
        const at = now()
        const command = Scenario.planCommand(step, { id: commandId, at }, new Map(ctx.settlements), problems, [])
        if (problems.length > 0) return yield* new EditRefused({ reason: problems.map((p) => p.message).join("; ") })
        const known = yield* eventsOf(v.stream, expected)
        if (known.world === undefined) {
          // the world in year order: the part up to the base year (which no edit changes) folded once per
          // stream, the later events applied onto a copy of it
          known.history ??= World.fold(World.chronological(known.events.filter((e) => e.year <= base)))
          const world = World.builder(known.history)
          for (const e of World.chronological(known.events.filter((e) => e.year > base))) world.apply(e)
          known.world = world
        }
        const decided = Decider.decide(command, known.world.world)
        if (Either.isLeft(decided)) return yield* new EditRefused({ reason: decided.left.message })
        // what loading the exported variant would warn of this step (a place or a figure mistyped): told with
        // the answer, not stored; made before anything is stored, so that the answer is ready once it is
        const warnings = DataQuality.stepWarnings(ctx.scenario, [...stepsOf(v, expected), step]).map(
          (w) => `${ScenarioLoader.renderPath(w.path)}: ${w.message}`
        )
        const envelopes: ReadonlyArray<Event.NewEvent> = Decider.envelopes(command, decided.right)
        const appended = yield* store
          .append(Ids.streamId(v.stream), envelopes, expected)
          .pipe(Effect.catchTag("VersionConflict", () => checkVersion(v, expected, expectedState).pipe(Effect.as({ version: expected }))))
        const added = envelopes.map((e) => e.event)
        // the world stays folded in year order if nothing added is dated before what is there; else fold again
        const inOrder = added.every((e) => e.year >= known.maxYear)
        if (inOrder) for (const e of added) known.world.apply(e)
        streamEvents.set(v.stream, {
          version: appended.version,
          events: [...known.events, ...added],
          maxYear: Math.max(known.maxYear, ...added.map((e) => e.year)),
          world: inOrder ? known.world : undefined,
          // what an edit adds is dated after the base year (checked above)
          history: known.history
        })
        plans.set(`${v.stream}@${appended.version}`, plan)
        if (plans.size > 16) plans.delete(plans.keys().next().value!)
        const record: StepRecord = {
          kind: "edit",
          variant: v.id,
          stream: v.stream,
          before: expected,
          after: appended.version,
          steps: [step],
          at,
          commandId,
          ...(by === undefined ? {} : { by }),
          events: [...new Set(decided.right.map((e) => e._tag))]
        }
        log([{ kind: "StepsRecorded", record }])
        return warnings.length === 0 ? record : { ...record, warnings }
      })
    )

  /**
   * Each stream's events as last read or appended by this server, at their version: reading a variant's
   * 6,000 events back from SQLite for every edit would cost more than deciding and projecting it. A stream
   * another process moved is read again (its version differs).
   */
  interface Known {
    readonly version: number
    readonly events: ReadonlyArray<Event.Event>
    /** The latest school year of `events`. */
    readonly maxYear: number
    /** Their world, folded in year order, once an edit needed it (changed in place as edits append). */
    world: { readonly world: World.World; readonly apply: (event: Event.Event) => void } | undefined
    /**
     * The world of their events dated up to the scenario's base year (the history, the same for every
     * edit): an edit dated before the stream's last event folds only the later events onto it again.
     */
    history: World.World | undefined
  }
  const streamEvents = new Map<string, Known>()
  const eventsOf = (stream: string, version: number): Effect.Effect<Known, StorageError> => {
    const known = streamEvents.get(stream)
    return known !== undefined && known.version === version
      ? Effect.succeed(known)
      : Effect.map(store.readStream(Ids.streamId(stream)), (stored) => {
          const events = stored.map((e) => e.event)
          let maxYear = Number.NEGATIVE_INFINITY
          for (const e of events) if (e.year > maxYear) maxYear = e.year
          const read: Known = { version: stored.length, events, maxYear, world: undefined, history: undefined }
          streamEvents.set(stream, read)
          return read
        })
  }

  /** The plans the last edits decided, by stream and version: the projection after an edit reuses them. */
  const plans = new Map<string, ReturnType<typeof decidePlan>>()
  /** The variant's plan as of `version` (its steps then), decided in year order from the baseline. */
  const planAt = (v: Variant, version: number, steps: ReadonlyArray<Scenario.PlanStep>) =>
    plans.get(`${v.stream}@${version}`) ?? decidePlan(steps)

  let streams = 0
  const freshStream = (prefix: string) => {
    const taken = new Set([...state.forks.keys(), EventStore.baseline as string])
    let s: string
    do s = `${prefix}:${++streams}`
    while (taken.has(s))
    return s
  }

  /** The variant's last edit made in it (not in the variant it was forked from), if that is its last record. */
  const lastOwnEdit = (v: Variant): StepRecord | undefined => {
    const last = chain(v.stream).at(-1)
    return last !== undefined && last.kind === "edit" && last.before >= v.floor ? last : undefined
  }

  /** `asked` if it is one of the variant's versions (`boundaries`), else a 400 saying which are. */
  const versionOf = (v: Variant, current: number, asked: number, what: string) => {
    const at = boundaries(v, current)
    if (at.includes(asked)) return Effect.succeed(asked)
    const shown = at.length > 12 ? [...at.slice(0, 5), "…", ...at.slice(-5)] : at
    return Effect.fail(
      new WorkspaceError({
        reason: `${what}: expected a version of variant ${v.id} where one of its steps begins or ends (${shown.join(", ")}), found ${asked}`,
        status: 400
      })
    )
  }

  /** A variant's name must be one a planner can tell apart: not blank, no control characters, not another live variant's. */
  /** Why `name` cannot name a variant (`self`: the variant being renamed), or undefined: the first of the rules that fails. */
  const nameTrouble = (name: string, self?: string): string | undefined => {
    const holder =
      name === "baseline" ? "baseline" : [...state.variants.values()].find((v) => !v.deleted && v.id !== self && v.name === name)?.id
    const rules: ReadonlyArray<readonly [broken: boolean, trouble: string]> = [
      [name.trim() === "", "expected a name with a letter or digit, found only spaces"],
      [
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name),
        "expected text, found a broken character (a lone surrogate)"
      ],
      [/\p{Cc}/u.test(name), "expected a name on one line, found a control character (a line break, tab or NUL)"],
      [holder !== undefined, `expected a name no other variant has, found ${JSON.stringify(name)}, which variant ${holder} has`]
    ]
    return rules.find(([broken]) => broken)?.[1]
  }

  const nameFree = (name: string, self?: string) => {
    const trouble = nameTrouble(name, self)
    return trouble === undefined ? Effect.void : Effect.fail(new WorkspaceError({ reason: `name: ${trouble}`, status: 400 }))
  }

  const undo = (id: string, expected: number, expectedState?: string) =>
    serial(
      Effect.gen(function* () {
        const v = yield* editable(id)
        yield* checkVersion(v, expected, expectedState)
        const last = lastOwnEdit(v)
        if (last === undefined || last.after !== expected) {
          return yield* new WorkspaceError({
            reason: `variant ${v.id} has no edit of its own to undo (it starts at version ${v.floor}, where it was made)`,
            status: 400
          })
        }
        const stream = freshStream(`ws:${v.id}`)
        yield* store.fork(Ids.streamId(v.stream), last.before, Ids.streamId(stream))
        log([{ kind: "EditUndone", variant: v.id, fork: { stream, parent: v.stream, version: last.before }, undone: v.stream }])
        return last
      })
    )

  const redo = (id: string, expected: number, expectedState?: string) =>
    serial(
      Effect.gen(function* () {
        const v = yield* editable(id)
        yield* checkVersion(v, expected, expectedState)
        const target = v.redo.at(-1)
        if (target === undefined) return yield* new WorkspaceError({ reason: `variant ${v.id} has nothing to redo`, status: 400 })
        log([{ kind: "EditRedone", variant: v.id, stream: target }])
        return chain(target).at(-1)
      })
    )

  const fork = (id: string, at: number | undefined, name: string) =>
    serial(
      Effect.gen(function* () {
        const v = yield* variant(id)
        const current = yield* version(v)
        const cut = at ?? current
        yield* versionOf(v, current, cut, "fork")
        yield* nameFree(name)
        let n = state.variants.size
        let newId: string
        do newId = `w${++n}`
        while (state.variants.has(newId))
        const stream = freshStream(`ws:${newId}`)
        yield* store.fork(Ids.streamId(v.stream), cut, Ids.streamId(stream))
        log([
          {
            kind: "VariantAdded",
            variant: newId,
            name,
            description: "",
            stream,
            fork: { stream, parent: v.stream, version: cut },
            from: { variant: v.id, version: cut }
          }
        ])
        return state.variants.get(newId)!
      })
    )

  const rename = (id: string, name: string) =>
    serial(
      Effect.gen(function* () {
        const v = yield* editable(id)
        yield* nameFree(name, v.id)
        log([{ kind: "VariantRenamed", variant: v.id, name }])
        return v
      })
    )

  const remove = (id: string) =>
    serial(
      Effect.gen(function* () {
        const v = yield* editable(id)
        log([{ kind: "VariantDeleted", variant: v.id }])
        return v
      })
    )

  const summary = (v: Variant): Effect.Effect<VariantSummary, StorageError> =>
    Effect.map(version(v), (n) => ({
      id: v.id,
      name: v.name,
      description: v.description,
      version: n,
      state: stateOf(v, n),
      editable: v.id !== baselineId,
      canUndo: lastOwnEdit(v) !== undefined,
      canRedo: v.redo.length > 0,
      ...(v.from === undefined ? {} : { from: v.from })
    }))

  const list = Effect.suspend(() =>
    Effect.forEach([baselineVariant(state), ...[...state.variants.values()].filter((v) => !v.deleted)], summary)
  )

  /** The variant's plan as a timeline, and the workspace actions on it (forks, renames, undo, redo). */
  const history = (id: string) =>
    Effect.gen(function* () {
      const v = yield* variant(id)
      const timeline = chain(v.stream).map((r) => ({
        kind: r.kind,
        at: r.at,
        before: r.before,
        after: r.after,
        steps: r.steps,
        what: r.kind === "scenario" ? `${r.steps.length} step(s) of the scenario file` : r.steps.map(describe).join(", "),
        events: r.events,
        rules: [...new Set(r.steps.flatMap((s) => rulesOf[s.type]))],
        ...(r.commandId === undefined ? {} : { command: r.commandId }),
        ...(r.by === undefined ? {} : { by: r.by })
      }))
      const actions = state.entries
        .filter(({ entry }) => "variant" in entry && entry.variant === v.id)
        .map(({ at, entry }) => ({ at, kind: entry.kind }))
      return { variant: yield* summary(v), floor: v.floor, timeline, actions }
    })

  /**
   * The variant as a scenario file: the workspace's scenario with its `variants` replaced by this one, its
   * whole plan written out as steps (strategies expanded, ancestors included), named after the variant.
   */
  const exportYaml = (id: string, upTo?: number) =>
    Effect.gen(function* () {
      const v = yield* variant(id)
      const doc = YAML.parseDocument(ctx.text)
      const name = exportName(v)
      doc.set(
        "variants",
        doc.createNode([
          {
            name,
            description: `${v.name} (exported from seatplan serve${upTo === undefined ? "" : ` as of version ${upTo}`}, ${now()})`,
            events: stepsOf(v, upTo)
          }
        ])
      )
      return { name, yaml: doc.toString({ lineWidth: 0 }) }
    })

  return {
    ctx,
    list,
    summary,
    variant,
    version,
    versionOf,
    stepsOf,
    decidePlan,
    planAt,
    edit,
    undo,
    redo,
    fork,
    rename,
    remove,
    history,
    exportYaml
  }
}

export interface VariantSummary {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly version: number
  /** The variant's stream and version: what an edit may send as `expectedState` (`checkVersion`). */
  readonly state: string
  readonly editable: boolean
  readonly canUndo: boolean
  readonly canRedo: boolean
  readonly from?: { readonly variant: string; readonly version: number }
}

/** The name an exported variant gets: its own when it is a valid variant name, else its id. */
const exportName = (v: Variant): string =>
  /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v.name) && v.name.length <= Scenario.variantNameMaxLength ? v.name : v.id

/** A step in a few words (for timelines and conflicts). */
export const describe = (s: Scenario.PlanStep): string => {
  switch (s.type) {
    case "open":
      return `${s.year}: open ${s.school.id}`
    case "expand":
      return `${s.year}: expand ${s.school}`
    case "merge":
      return `${s.year}: merge ${s.schools.join(", ")} into ${s.into}`
    case "close":
      return `${s.year}: close ${s.school}${s.into === undefined ? "" : ` into ${s.into}`}`
    case "repurpose":
      return `${s.year}: repurpose ${s.school} as ${s.use}`
    case "convert":
      return `${s.year}: convert ${s.school} to ${s.to}`
    case "catchment":
      return `${s.year}: ${s.settlement}${s.share === undefined || s.share >= 1 ? "" : ` (${Math.round(s.share * 100)} %)`} to ${s.school} (${s.level})`
    case "boarding":
      return `${s.year}: ${s.beds} beds at ${s.school}`
    case "hire":
      return `${s.year}: hire ${s.count} at ${s.school}`
    case "retire":
      return `${s.year}: ${s.count} retire at ${s.school}`
    case "transfer":
      return `${s.year}: transfer ${s.count} from ${s.from} to ${s.to}`
    case "housing":
      return `${s.year}: ${s.dwellings} dwellings at ${s.settlement}`
    case "settlement":
      return `${s.year}: settlement ${s.settlement.id}`
    case "standard":
      return `${s.year}: standard ${s.key} = ${s.value}`
    case "form-group":
      return `${s.year}: form group ${s.group} led by ${s.lead}`
    case "join-group":
      return `${s.year}: ${s.school} joins group ${s.group}`
    case "leave-group":
      return `${s.year}: ${s.school} leaves group ${s.group}`
    case "dissolve-group":
      return `${s.year}: dissolve group ${s.group}`
    case "rotate":
      return `${s.year}: rotate teachers in group ${s.group}`
    case "exchange":
      return `${s.year}: exchange teachers between ${s.school} and ${s.partner}`
    case "invest":
      return `${s.year}: invest in ${s.school}`
  }
}

/** The domain rules (packages/core's Decider, by the error each raises) a step of each type must pass. */
const rulesOf: Readonly<Record<Scenario.PlanStep["type"], ReadonlyArray<string>>> = {
  open: ["SchoolAlreadyExists (a new id)", "SettlementNotFound (the place exists)"],
  expand: ["SchoolNotOpen", "NegativeCapacity (no facility below zero)"],
  merge: ["SchoolNotOpen (no merge into a closed school)", "ReceivingSchoolLacksLevel", "ReceivingSchoolLacksSeats (先建后撤)"],
  close: ["SchoolNotOpen", "ReceivingSchoolMissing", "ReceivingSchoolLacksLevel", "ReceivingSchoolLacksSeats (先建后撤)"],
  repurpose: ["SchoolNotClosed (only a closed building is repurposed)"],
  convert: ["SchoolNotOpen"],
  catchment: ["SettlementNotFound", "SchoolNotOpen", "LevelNotTaught (the school teaches the level)"],
  boarding: ["SchoolNotOpen"],
  hire: ["SchoolNotOpen"],
  retire: ["SchoolNotOpen", "InsufficientTeachers"],
  transfer: ["SchoolNotOpen", "InsufficientTeachers (no teacher moved who is not there)"],
  housing: ["SettlementNotFound"],
  settlement: ["a new settlement id"],
  standard: ["a known standard"],
  "form-group": ["GroupAlreadyExists", "SchoolNotOpen (no closed school in a group)", "SchoolInAnotherGroup (no member in two groups)"],
  "join-group": ["GroupNotFound", "SchoolNotOpen", "SchoolInAnotherGroup"],
  "leave-group": ["GroupNotFound", "NotAGroupMember (the lead does not leave)"],
  "dissolve-group": ["GroupNotFound"],
  rotate: ["GroupNotFound", "a group of two or more"],
  exchange: ["SchoolNotOpen (both schools)", "two different schools"],
  invest: ["SchoolNotOpen"]
}
