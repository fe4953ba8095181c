/**
 * Empirical bands from a backtest (`backtest-bands.json`, written by `seatplan backtest`) put around the
 * county pupils of a projection, for `compare --bands`.
 */
import { School } from "@seatplan/core"
import { Backtest } from "@seatplan/sim"
import { Effect, Either, Schema } from "effect"
import * as fs from "node:fs"
import type * as Compare from "./Compare.js"
import { RunError } from "./Project.js"

const Band = Schema.Struct({
  method: Schema.String,
  level: School.Level,
  scope: Schema.Literal("county", "catchment", "school"),
  horizon: Schema.Int,
  lower: Schema.Number,
  upper: Schema.Number,
  n: Schema.Int
})
const Bands = Schema.Array(Band)
export type Bands = typeof Bands.Type

/** Reads and checks a `backtest-bands.json`; a bad file fails naming the file, what was expected and found. */
export const read = (file: string): Effect.Effect<Bands, RunError> =>
  readChecked(file, Bands, "--bands", "backtest-bands.json", "backtest bands")

/**
 * Reads a JSON file `seatplan backtest` wrote and checks it against `schema`; a bad file fails naming the
 * option, the file, what was expected and what was found.
 */
export const readChecked = <A, I>(
  file: string,
  schema: Schema.Schema<A, I>,
  option: string,
  name: string,
  what: string
): Effect.Effect<A, RunError> =>
  Effect.gen(function* () {
    const text = yield* Effect.try({
      try: () => fs.readFileSync(file, "utf8"),
      catch: () => new RunError({ reason: `${option}: cannot read ${file}: expected the ${name} that seatplan backtest writes` })
    })
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => new RunError({ reason: `${file}: expected JSON (${name}), found text that does not parse` })
    })
    const decoded = Schema.decodeUnknownEither(schema)(json)
    if (Either.isLeft(decoded))
      return yield* new RunError({ reason: `${file}: expected ${what}: ${decoded.left.message.split("\n").slice(0, 4).join(" ")}` })
    return decoded.right
  })

/** A variant's county pupils of a level in a year with the empirical band for the actual. */
export interface BandedPupils {
  readonly variant: string
  readonly level: string
  readonly year: number
  readonly pupils: number
  readonly lower: number | undefined
  readonly upper: number | undefined
  /** The method and years ahead whose past errors give the band. */
  readonly method: string
  readonly horizon: number
}

/**
 * The county pupils of compared rows with the band of `method` for the level and the years ahead of the
 * base year (none for the base year, or beyond the backtest's horizon).
 */
export const county = (rows: ReadonlyArray<Compare.Row>, bands: Bands, method: string, baseYear: number): ReadonlyArray<BandedPupils> =>
  rows.map((r) => {
    const horizon = r.year - baseYear
    const band = bands.find((b) => b.method === method && b.scope === "county" && b.level === r.level && b.horizon === horizon)
    const interval = band === undefined ? undefined : Backtest.applyBand(r.pupils, band)
    return {
      variant: r.variant,
      level: r.level,
      year: r.year,
      pupils: r.pupils,
      lower: interval?.[0],
      upper: interval?.[1],
      method,
      horizon
    }
  })
