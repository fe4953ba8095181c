/**
 * The answers of `seatplan serve`'s JSON API, defined once as Schemas: the server's handlers are typed by
 * them (what a handler returns must be one), and the page's script (client/main.ts) and the tests decode
 * every answer with them before reading it. Request bodies are the scenario file's own Schemas (Server.ts).
 *
 * This module is bundled into the page: it imports `effect` only.
 */
import { Schema } from "effect"

const Version = Schema.Int.pipe(Schema.nonNegative())

/** A variant in the list, and the variant of a view. */
export const VariantSummary = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  description: Schema.String,
  version: Version,
  /** The variant's state (its stream and version): sent back as `expectedState`, an edit on a state an undo replaced is refused. */
  state: Schema.String,
  editable: Schema.Boolean,
  canUndo: Schema.Boolean,
  canRedo: Schema.Boolean,
  from: Schema.optional(Schema.Struct({ variant: Schema.String, version: Version }))
})
export type VariantSummary = typeof VariantSummary.Type

export const VariantList = Schema.Array(VariantSummary)

/** An answer that is not a success: `error` names the kind, `message` says what happened in words. */
export const Problem = Schema.Struct({
  error: Schema.String,
  message: Schema.String,
  /** A conflict: the variant's version now, the one the edit was made on, and the edits in between. */
  version: Schema.optional(Version),
  expected: Schema.optional(Version),
  changes: Schema.optional(Schema.Array(Schema.String))
})
export type Problem = typeof Problem.Type

/** GET /api/scenario: the scenario's name, years, schools and settlements (what never changes). */
export const ScenarioInfo = Schema.Struct({
  name: Schema.String,
  synthetic: Schema.Boolean,
  baseYear: Schema.Int,
  lastYear: Schema.Int,
  schools: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String, type: Schema.String, settlement: Schema.String })),
  settlements: Schema.Array(
    Schema.Struct({ id: Schema.String, name: Schema.String, tier: Schema.String, lon: Schema.Number, lat: Schema.Number })
  )
})
export type ScenarioInfo = typeof ScenarioInfo.Type

const Level = Schema.Struct({
  level: Schema.String,
  pupils: Schema.Number,
  seats: Schema.Number,
  mean_class_size: Schema.Number,
  max_class_size: Schema.Number,
  teachers_needed: Schema.Number,
  teacher_gap: Schema.Number,
  mean_distance_km: Schema.Number
})

/** A school on the map in the year shown. */
const MapSchool = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  lon: Schema.Number,
  lat: Schema.Number,
  open: Schema.Boolean,
  pupils: Schema.Number,
  seats: Schema.Number,
  utilisation: Schema.Number,
  levels: Schema.Array(Level)
})

/**
 * A settlement on the map: its catchment school per level in the year shown. Where it is and what it is
 * called is in /api/scenario for the scenario's settlements (sent once, not with every edit); a settlement
 * a plan added carries them here.
 */
export const MapSettlement = Schema.Struct({
  id: Schema.String,
  catchment: Schema.Record({ key: Schema.String, value: Schema.NullOr(Schema.String) }),
  name: Schema.optional(Schema.String),
  tier: Schema.optional(Schema.String),
  lon: Schema.optional(Schema.Number),
  lat: Schema.optional(Schema.Number)
})
export type MapSettlement = typeof MapSettlement.Type

const CountyFigures = Schema.Struct({
  year: Schema.Int,
  level: Schema.String,
  pupils: Schema.Number,
  seats: Schema.Number,
  large_classes: Schema.Number,
  super_large_classes: Schema.Number,
  teacher_gap: Schema.Number,
  mean_distance_km: Schema.Number,
  capital_cost: Schema.Number
})

/** A row of the comparison with the baseline (`Compare.compare`): figures by name, the variant and level as text. */
const CompareRow = Schema.Record({ key: Schema.String, value: Schema.Union(Schema.Number, Schema.String) })

/** The six accounts of a variant (`Compare.accounts`). */
const Accounts = Schema.Struct({
  variant: Schema.String,
  /** Not in the workspace's figures (its runs keep no population table); `run` and `compare` have it. */
  seat_demand: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Number })),
  schools_opened: Schema.Number,
  schools_expanded: Schema.Number,
  schools_closed_or_merged: Schema.Number,
  schools_repurposed: Schema.Number,
  seats_added: Schema.Number,
  classrooms_added: Schema.Number,
  boarding_beds_added: Schema.Number,
  pupils_integrated: Schema.Number,
  seats_reused: Schema.Number,
  investment_by_year: Schema.Record({ key: Schema.String, value: Schema.Number }),
  new_school_teachers_needed: Schema.Number,
  senior_running_cost: Schema.Number
})

const StandardFigures = Schema.Struct({
  id: Schema.String,
  zh: Schema.String,
  en: Schema.String,
  unit: Schema.String,
  counts: Schema.Boolean,
  checked: Schema.Number,
  failing: Schema.Number,
  baselineFailing: Schema.Number
})

/** The page's figures for a variant beside the baseline in one year (`Figures.figures`). */
export const Figures = Schema.Struct({
  year: Schema.Int,
  years: Schema.Array(Schema.Int),
  map: Schema.Struct({ schools: Schema.Array(MapSchool), settlements: Schema.Array(MapSettlement) }),
  county: Schema.Struct({ variant: Schema.Array(CountyFigures), baseline: Schema.Array(CountyFigures) }),
  compare: Schema.Array(CompareRow),
  standards: Schema.Array(StandardFigures),
  accounts: Schema.Array(Accounts)
})
export type Figures = typeof Figures.Type

/**
 * GET /api/variants/:id — the variant as of `version`, its figures, and the server's milliseconds spent on
 * them. `key` names these figures (the variant's stream, version and year): a page holding them sends it
 * back as `since` and is answered with a `Patched` (only what changed) instead.
 */
export const View = Schema.Struct({ variant: VariantSummary, version: Version, key: Schema.String, figures: Figures, ms: Schema.Number })
export type View = typeof View.Type

// == patches: the figures as what changed since figures the page holds

/**
 * What changed in a list of entries keyed by `key`: the entries added or changed (whole), the keys gone,
 * and the keys' new order when it is not the old order with the new keys at the end.
 */
const KeyedPatch = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.Struct({ set: Schema.Array(item), remove: Schema.Array(Schema.String), order: Schema.optional(Schema.Array(Schema.String)) })
interface KeyedPatch<A> {
  readonly set: ReadonlyArray<A>
  readonly remove: ReadonlyArray<string>
  readonly order?: ReadonlyArray<string> | undefined
}

/** Figures as what changed since the figures named `base` (`View.key`): a part left out did not change. */
export const FiguresPatch = Schema.Struct({
  base: Schema.String,
  year: Schema.Int,
  years: Schema.Array(Schema.Int),
  schools: Schema.optional(KeyedPatch(MapSchool)),
  settlements: Schema.optional(KeyedPatch(MapSettlement)),
  countyVariant: Schema.optional(KeyedPatch(CountyFigures)),
  countyBaseline: Schema.optional(KeyedPatch(CountyFigures)),
  compare: Schema.optional(Schema.Array(CompareRow)),
  standards: Schema.optional(KeyedPatch(StandardFigures)),
  accounts: Schema.optional(Schema.Array(Accounts))
})
export type FiguresPatch = typeof FiguresPatch.Type

const countyKey = (r: { readonly year: number; readonly level: string }) => `${r.year}/${r.level}`
const byId = (r: { readonly id: string }) => r.id

/**
 * Each entry's JSON, made once: the figures a patch is made against were the newer figures of the patch
 * before, so half of every comparison is already written.
 */
const written = new WeakMap<object, string>()
const jsonOf = (a: unknown): string => {
  if (typeof a !== "object" || a === null) return JSON.stringify(a)
  let text = written.get(a)
  if (text === undefined) written.set(a, (text = JSON.stringify(a)))
  return text
}

const diffKeyed = <A>(before: ReadonlyArray<A>, after: ReadonlyArray<A>, key: (a: A) => string): KeyedPatch<A> | undefined => {
  if (before === after) return undefined
  const old = new Map<string, string>()
  for (const a of before) old.set(key(a), jsonOf(a))
  const set: Array<A> = []
  const keys: Array<string> = []
  for (const a of after) {
    const k = key(a)
    keys.push(k)
    if (old.get(k) !== jsonOf(a)) set.push(a)
  }
  const kept = new Set(keys)
  const remove = [...old.keys()].filter((k) => !kept.has(k))
  // the order applying gives: the old order without the removed, then the added in the new order
  const implied = [...[...old.keys()].filter((k) => kept.has(k)), ...keys.filter((k) => !old.has(k))]
  const reordered = implied.some((k, i) => k !== keys[i])
  if (set.length === 0 && remove.length === 0 && !reordered) return undefined
  return { set, remove, ...(reordered ? { order: keys } : {}) }
}

const applyKeyed = <A>(before: ReadonlyArray<A>, patch: KeyedPatch<A> | undefined, key: (a: A) => string): ReadonlyArray<A> => {
  if (patch === undefined) return before
  const gone = new Set(patch.remove)
  const entries = new Map<string, A>()
  for (const a of before) if (!gone.has(key(a))) entries.set(key(a), a)
  for (const a of patch.set) entries.set(key(a), a)
  return patch.order === undefined ? [...entries.values()] : patch.order.map((k) => entries.get(k)!)
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** What changed from the figures `before` (named `base`) to `after`. */
export const diff = (base: string, before: Figures, after: Figures): FiguresPatch => {
  const parts = {
    schools: diffKeyed(before.map.schools, after.map.schools, byId),
    settlements: diffKeyed(before.map.settlements, after.map.settlements, byId),
    countyVariant: diffKeyed(before.county.variant, after.county.variant, countyKey),
    countyBaseline: diffKeyed(before.county.baseline, after.county.baseline, countyKey),
    compare: same(before.compare, after.compare) ? undefined : after.compare,
    standards: diffKeyed(before.standards, after.standards, byId),
    accounts: same(before.accounts, after.accounts) ? undefined : after.accounts
  }
  const patch: Record<string, unknown> = { base, year: after.year, years: after.years }
  for (const [k, v] of Object.entries(parts)) if (v !== undefined) patch[k] = v
  return patch as FiguresPatch
}

/** The figures a patch describes, from the figures it was made against (unchanged parts are shared, not copied). */
export const apply = (before: Figures, patch: FiguresPatch): Figures => ({
  year: patch.year,
  years: patch.years,
  map: {
    schools: applyKeyed(before.map.schools, patch.schools, byId),
    settlements: applyKeyed(before.map.settlements, patch.settlements, byId)
  },
  county: {
    variant: applyKeyed(before.county.variant, patch.countyVariant, countyKey),
    baseline: applyKeyed(before.county.baseline, patch.countyBaseline, countyKey)
  },
  compare: patch.compare ?? before.compare,
  standards: applyKeyed(before.standards, patch.standards, byId),
  accounts: patch.accounts ?? before.accounts
})

/** An answer to a page that sent `since`: the figures as a patch against the ones it holds. */
export const PatchedView = Schema.Struct({
  variant: VariantSummary,
  version: Version,
  key: Schema.String,
  patch: FiguresPatch,
  ms: Schema.Number
})
export type PatchedView = typeof PatchedView.Type

/** What an edit, undo or redo did: the steps stored (or restored), between which versions. */
const StepRecord = Schema.Struct({
  kind: Schema.Literal("scenario", "edit"),
  variant: Schema.String,
  before: Version,
  after: Version,
  at: Schema.String,
  events: Schema.Array(Schema.String),
  by: Schema.optional(Schema.String),
  /**
   * An accepted edit's warnings (`field: message`), as loading the exported scenario gives them: a school
   * opened far from its settlement or the region (a mistyped lon or lat), seats a digit too many a classroom.
   */
  warnings: Schema.optional(Schema.Array(Schema.String))
})

/** POST edits, undo, redo: what was done (none: a redo of nothing the log knows) and the variant's view after it. */
export const Changed = Schema.extend(View, Schema.Struct({ result: Schema.optional(StepRecord) }))
export type Changed = typeof Changed.Type

/** POST edits, undo, redo with `since` naming figures the server still knows: the view as a patch. */
export const PatchedChange = Schema.extend(PatchedView, Schema.Struct({ result: Schema.optional(StepRecord) }))
export type PatchedChange = typeof PatchedChange.Type

/** A view or a change as the page asks for them (with `since`): whole, or as a patch when the server could make one. */
export const ViewOrPatch = Schema.Union(View, PatchedView)
export const ChangedOrPatch = Schema.Union(Changed, PatchedChange)

/** POST fork (201), rename, delete. */
export const Created = Schema.Struct({ id: Schema.String })
export const Deleted = Schema.Struct({ id: Schema.String, deleted: Schema.Literal(true) })

/** GET /api/variants/:id/history: the variant's plan as a timeline, and the workspace's actions on it. */
export const History = Schema.Struct({
  variant: VariantSummary,
  floor: Version,
  timeline: Schema.Array(
    Schema.Struct({
      kind: Schema.Literal("scenario", "edit"),
      at: Schema.String,
      before: Version,
      after: Version,
      what: Schema.String,
      events: Schema.Array(Schema.String),
      rules: Schema.Array(Schema.String),
      command: Schema.optional(Schema.String),
      by: Schema.optional(Schema.String),
      /** The plan steps, as the scenario file writes them (read by whoever needs them: the page shows `what`). */
      steps: Schema.Array(Schema.Unknown)
    })
  ),
  actions: Schema.Array(Schema.Struct({ at: Schema.String, kind: Schema.String }))
})
export type History = typeof History.Type

/** An answer decoded: a success of the expected Schema, or the server's problem (or the bytes, when neither). */
export type Answer<A> =
  | { readonly ok: true; readonly status: number; readonly body: A }
  | { readonly ok: false; readonly status: number; readonly problem: Problem }

/**
 * Decodes a response's JSON text with `schema` when its status is a success (2xx), else as a `Problem`.
 * An answer that is neither is a problem too (`error: "undecodable"`, the decoder's message): a server
 * and page out of step say so rather than render half a page.
 */
export const decode = <A, I>(schema: Schema.Schema<A, I>, status: number, text: string): Answer<A> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ok: false, status, problem: { error: "undecodable", message: `${status}: ${text.slice(0, 300)}` } }
  }
  if (status >= 200 && status < 300) {
    const decoded = Schema.decodeUnknownEither(schema)(json)
    return decoded._tag === "Right"
      ? { ok: true, status, body: decoded.right }
      : { ok: false, status, problem: { error: "undecodable", message: decoded.left.message } }
  }
  const problem = Schema.decodeUnknownEither(Problem)(json)
  return {
    ok: false,
    status,
    problem: problem._tag === "Right" ? problem.right : { error: "undecodable", message: `${status}: ${text.slice(0, 300)}` }
  }
}
