/**
 * The scenario file (方案文件): a region, its schools and history, the assumptions, and plan variants,
 * in YAML or JSON, as an Effect Schema (`seatplan schema` prints it as JSON Schema); the defaults a decoded
 * file is completed with, and the options it is projected with.
 */
import { School, Standards } from "@seatplan/core"
import * as Numbers from "@seatplan/core/Numbers"
import { AllocationRule, Assumptions, type Compile, Compliance } from "@seatplan/sim"
import { Schema } from "effect"
import { Amount, Count, Id, Name, PlanStep, SchoolSpec, SettlementSpec, Tier, Year } from "./PlanStep.js"
import * as Futures from "./Futures.js"
import * as Strategies from "./Strategies.js"
const AgeRange = Schema.Struct({ min: Schema.Int.pipe(Schema.between(0, 18)), max: Schema.Int.pipe(Schema.between(0, 18)) })

/** A base split catchment: the second school and the share (above 0, below 1) of the settlement's pupils zoned to it. */
const Split = Schema.Struct({
  school: Id,
  share: Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThan(1)).annotations({
    description:
      "a share above 0 and below 1: of the settlement's pupils of the level, those zoned to this school (whole pupils, rounded); the rest stay with its catchment school"
  })
})

/** The path of a JavaScript (or, under tsx, TypeScript) module: it ends in .mjs, .cjs, .js, .mts or .ts. */
export const isRuleModule = (allocation: string): boolean => /\.(mjs|cjs|js|mts|ts)$/.test(allocation)

/** A shipped allocation rule by name, or a module exporting one as default (`./my-rule.mjs`). */
export const Allocation = Schema.Union(
  Schema.Literal(...(AllocationRule.all.map((r) => r.name) as [string, ...Array<string>])),
  Schema.String.pipe(Schema.pattern(/\.(mjs|cjs|js|mts|ts)$/)).annotations({
    description: "a module path relative to the scenario, exporting an AllocationRule as default (./my-rule.mjs)"
  })
).annotations({
  description:
    "a shipped allocation rule (catchment-only, catchment-then-nearest, catchment-then-boarding) or a module path ending in .mjs, .js, .cjs, .mts or .ts"
})

/** Compliance loaded from modules, by the absolute path a loaded scenario's `allocation` names (`registerRule`). */
const ruleModules = new Map<string, AllocationRule.AllocationRule>()

/** Makes a rule loaded from a module known under its absolute path (what `ScenarioLoader.load` sets `allocation` to). */
export const registerRule = (absolutePath: string, rule: AllocationRule.AllocationRule): void => {
  ruleModules.set(absolutePath, rule)
}

/** Whether a rule module was loaded (`registerRule`) under this absolute path. */
export const isRuleLoaded = (absolutePath: string): boolean => ruleModules.has(absolutePath)

/**
 * The allocation rule a scenario names: a shipped rule, or one `ScenarioLoader.load` loaded from a module.
 * A module not loaded (a scenario read with `fromText`, which does not import) gives a rule that throws
 * when it allocates, saying so.
 */
export const allocationRule = (s: { readonly allocation?: string | undefined }): AllocationRule.AllocationRule => {
  const name = s.allocation ?? AllocationRule.catchmentThenNearest.name
  return (
    AllocationRule.byName(name) ??
    ruleModules.get(name) ?? {
      name,
      description: "an allocation rule module not loaded",
      allocate: () => {
        throw new Error(`the allocation rule module ${name} was not loaded: read the scenario with ScenarioLoader.load, which imports it`)
      }
    }
  )
}

export const History = Schema.Struct({
  births: Schema.optional(Schema.Array(Schema.Struct({ settlement: Id, year: Year, births: Amount }))),
  enrolment: Schema.optional(
    Schema.Array(
      Schema.Struct({
        school: Id,
        year: Year,
        /** Pupils by grade: -2..0 kindergarten, 1-6 primary, 7-9 junior, 10-12 senior. */
        byGrade: Schema.Record({ key: Schema.String, value: Count })
      })
    )
  ),
  migration: Schema.optional(
    Schema.Array(
      Schema.Struct({
        year: Year,
        from: Id,
        to: Id,
        ages: AgeRange,
        count: Amount,
        migrant: Schema.optional(Schema.Boolean)
      })
    )
  ),
  /** Children by single year of age 0-18 recorded in earlier years (a backtest starts from them). */
  population: Schema.optional(
    Schema.Array(
      Schema.Struct({
        settlement: Id,
        year: Year,
        byAge: Schema.Array(Amount).pipe(Schema.maxItems(19))
      })
    )
  )
})

/** The longest variant name: its stream is `plan/<name>`, and a stream name has at most 200 characters. */
export const variantNameMaxLength = 195

export const Variant = Schema.Struct({
  name: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._-]*$/), Schema.maxLength(variantNameMaxLength)).annotations({
    description: `a variant name: letters, digits, . _ -, at most ${variantNameMaxLength} characters`
  }),
  description: Schema.optional(Schema.String),
  /** Another variant whose steps come first. */
  extends: Schema.optional(Schema.String),
  events: Schema.optionalWith(Schema.Array(PlanStep), { default: () => [] }),
  /**
   * Layout strategies (布局策略) that write more steps, applied in order after `events`, each seeing the
   * world and projection the steps before it made (see the Strategies module).
   */
  strategies: Schema.optional(Schema.Array(Strategies.Spec))
})
export type Variant = typeof Variant.Type

/** A place where a new school could be built, for `seatplan optimize` to weigh (候选校址). */
export const CandidateSite = Schema.Struct({
  id: Id,
  name: Schema.optional(Name),
  /** The settlement it stands in (its location unless lon/lat are given). */
  settlement: Schema.optional(Id),
  lon: Schema.optional(Numbers.Longitude),
  lat: Schema.optional(Numbers.Latitude),
  /** The levels a school here could teach (default all). */
  levels: Schema.optional(Schema.Array(School.Level)),
  /** Seats of a school built here (default: the optimiser's `--new-seats`). */
  seats: Schema.optional(Numbers.PositiveCount)
})
export type CandidateSite = typeof CandidateSite.Type

/** A position of a boundary: [longitude, latitude] (WGS 84), an altitude after them is allowed and ignored. */
const BoundaryPosition = Schema.Tuple([Numbers.Longitude, Numbers.Latitude], Schema.Number)
/** A closed ring: at least 4 positions, the last the same as the first (GeoJSON's linear ring). */
const BoundaryRing = Schema.Array(BoundaryPosition).pipe(
  Schema.minItems(4, { message: () => "a ring needs at least 4 positions (a triangle and its first position again)" }),
  Schema.filter((ring) => {
    const a = ring[0]
    const b = ring[ring.length - 1]
    return a === undefined || b === undefined || (a[0] === b[0] && a[1] === b[1])
      ? true
      : `a ring must end where it starts (GeoJSON closes rings): it starts at [${a[0]}, ${a[1]}] and ends at [${b[0]}, ${b[1]}]`
  })
)
/** A township's boundary (乡镇边界) as GeoJSON geometry in longitude and latitude: a Polygon or a MultiPolygon. */
export const Boundary = Schema.Union(
  Schema.Struct({ type: Schema.Literal("Polygon"), coordinates: Schema.Array(BoundaryRing).pipe(Schema.minItems(1)) }),
  Schema.Struct({
    type: Schema.Literal("MultiPolygon"),
    coordinates: Schema.Array(Schema.Array(BoundaryRing).pipe(Schema.minItems(1))).pipe(Schema.minItems(1))
  })
)
export type Boundary = typeof Boundary.Type

export const ScenarioFile = Schema.Struct({
  name: Schema.String,
  /** Say so when the data are invented. */
  synthetic: Schema.optional(Schema.Boolean),
  description: Schema.optional(Schema.String),
  /** The year the projection starts from: population by age is as of this year. */
  baseYear: Year,
  /** Years projected after the base year (default 15). */
  horizon: Schema.optional(Schema.Int.pipe(Schema.between(1, 30))),
  settlements: Schema.optionalWith(Schema.Array(SettlementSpec), { default: () => [] }),
  /**
   * A GeoJSON file beside the scenario (path relative to it) whose features are settlements: properties
   * `id`, `name`, `tier`, optional `parent`; a Point is the location, a polygon's centroid otherwise.
   */
  settlementsFile: Schema.optional(Schema.String),
  /**
   * Township boundaries (乡镇边界) for the report's maps: a township seat's id (or the county seat's) → its
   * area as a GeoJSON Polygon or MultiPolygon in longitude and latitude; or the path (relative to the
   * scenario) of a GeoJSON FeatureCollection whose features carry the seat's `id` in their properties. A
   * township without one is drawn with the area derived from its settlements (the map says which). Polygons
   * of township seats and the county seat in `settlementsFile` are read as their boundaries too.
   */
  boundaries: Schema.optional(Schema.Union(Schema.String, Schema.Record({ key: Schema.String, value: Boundary }))),
  /** Children by single year of age 0-18 in each settlement in the base year. */
  population: Schema.optionalWith(Schema.Array(Schema.Struct({ settlement: Id, byAge: Schema.Array(Amount).pipe(Schema.maxItems(19)) })), {
    default: () => []
  }),
  /**
   * Children of a tier in the base year when not known per settlement: `children` in all the tier's
   * settlements without a `population` entry, shared equally, by the age `profile` (19 shares, ages 0-18).
   */
  populationByTier: Schema.optional(
    Schema.Array(
      Schema.Struct({
        tier: Tier,
        children: Amount,
        profile: Schema.Array(Amount).pipe(Schema.itemsCount(19))
      })
    )
  ),
  schools: Schema.Array(SchoolSpec),
  /** Per level, settlement id → school id (学区 / 招生划片). */
  catchments: Schema.Struct({
    kindergarten: Schema.optional(Schema.Record({ key: Schema.String, value: Id })),
    primary: Schema.optional(Schema.Record({ key: Schema.String, value: Id })),
    junior: Schema.optional(Schema.Record({ key: Schema.String, value: Id })),
    senior: Schema.optional(Schema.Record({ key: Schema.String, value: Id }))
  }),
  /**
   * Split catchments in the base (学区划分): per level, settlement id → a second school and the share of the
   * settlement's pupils of the level zoned to it; the rest stay with the school `catchments` zones it to (so the
   * settlement must be in `catchments` for the level, zoned to another school). A plan's `catchment` step with
   * `share` makes the same; this holds one recorded before the base year (an event log's base keeps it).
   */
  splits: Schema.optional(
    Schema.Struct({
      kindergarten: Schema.optional(Schema.Record({ key: Schema.String, value: Split })),
      primary: Schema.optional(Schema.Record({ key: Schema.String, value: Split })),
      junior: Schema.optional(Schema.Record({ key: Schema.String, value: Split })),
      senior: Schema.optional(Schema.Record({ key: Schema.String, value: Split }))
    })
  ),
  history: Schema.optional(History),
  /** Overrides of the simulation's assumptions (any subset; see @seatplan/sim Assumptions). */
  assumptions: Schema.optional(Schema.partial(Assumptions.Assumptions)),
  /**
   * Assumptions the bureau is unsure of (不确定假设), for `seatplan sweep`: key → a range or distribution
   * ({ low, central, high }, triangular, uniform, or normal with bounds). The central value must be the one
   * the assumptions give: `seatplan run` projects the central future and never reads this.
   */
  uncertainty: Schema.optional(Futures.Uncertainty),
  /** Named futures (命名情景): sets of values of uncertain assumptions ("births fall faster"). */
  futures: Schema.optional(Schema.Array(Futures.NamedFuture)),
  /** Standards that differ from the national ones (provinces differ): key → value, in force from the start. */
  standards: Schema.optional(Schema.partial(Schema.Record({ key: Standards.StandardKey, value: Numbers.StandardValue }))),
  /**
   * Changes to the national rule set (达标规则): a known rule id with the fields to change (threshold,
   * direction, levels, counts…), or a new rule with every field. `seatplan standards` lists the rules.
   */
  rules: Schema.optional(Schema.Array(Compliance.RulePatch)),
  /** Candidate sites for new schools, which `seatplan optimize` weighs beside the existing schools. */
  candidateSites: Schema.optional(Schema.Array(CandidateSite)),
  /**
   * The allocation rule: a shipped rule's name, or the path of a module (relative to the scenario file)
   * whose default export is an AllocationRule, loaded by `ScenarioLoader.load`.
   */
  allocation: Schema.optional(Allocation),
  method: Schema.optional(Schema.Literal("cohort-component", "grade-progression")),
  variants: Schema.optionalWith(Schema.Array(Variant), { default: () => [] })
})
export type ScenarioFile = typeof ScenarioFile.Type

/** How a scenario is projected: its base year, horizon, assumptions over the defaults, allocation rule and method. */
export const compileOptions = (s: ScenarioFile): Compile.Options & { readonly baseYear: number; readonly horizon: number } => ({
  baseYear: s.baseYear,
  horizon: s.horizon ?? 15,
  assumptions: {
    ...Assumptions.defaults,
    ...Object.fromEntries(Object.entries(s.assumptions ?? {}).filter(([, v]) => v !== undefined))
  } as Assumptions.Assumptions,
  rule: allocationRule(s),
  method: { kind: s.method ?? "cohort-component" }
})

/**
 * Completes a decoded scenario: settlements from its GeoJSON (already read and turned into settlement
 * specs by the loader), and population from the tier totals for settlements without their own.
 */
export const complete = (s: ScenarioFile, fromFile: ReadonlyArray<typeof SettlementSpec.Type>): ScenarioFile => {
  const settlements = [...s.settlements, ...fromFile]
  const known = new Set(s.population.map((p) => p.settlement))
  const population = [...s.population]
  for (const t of s.populationByTier ?? []) {
    const members = settlements.filter((x) => x.tier === t.tier && !known.has(x.id))
    const shares = t.profile.reduce((a, b) => a + b, 0)
    if (members.length === 0 || shares <= 0) continue
    const each = t.children / members.length
    for (const m of members) population.push({ settlement: m.id, byAge: t.profile.map((p) => (each * p) / shares) })
  }
  return { ...s, settlements, population }
}
