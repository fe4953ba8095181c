/**
 * Bounded numbers: every number of a scenario and of an event is finite and lies in a documented range.
 * YAML reads `.nan` and `.inf` as numbers and JSON reads `1e400` as Infinity; a plain `Schema.Number`
 * lets them through, a store then writes them as `null`, and a sum over costs of 1e308 overflows to
 * Infinity. The schemas here refuse them with one message: "expected a finite number from … to …, found NaN".
 *
 * The ranges are generous (a county has thousands of pupils, not billions) so that sums stay exact
 * (far below 2^53) and finite:
 * - counts (pupils, children, births, seats, beds, classrooms, rooms, teachers, dwellings): 0 to 1e9
 * - changes of a count (an expansion's classrooms, seats, beds, rooms; negative for demolition): -1e9 to 1e9
 * - money in yuan (costs, equipment value, per-seat and per-pupil costs): 0 to 1e13
 * - areas in m²: 0 to 1e10 (changes: -1e10 to 1e10)
 * - standards' values: 0 to 1e13 (class caps, ratios, areas and yuan per pupil)
 * - shares and probabilities: 0 to 1; yearly rates of change: -1 to 10
 * - distances in km: 0 to 20000
 * - longitude -180 to 180, latitude -90 to 90; years as their own schemas say
 */
import { Schema } from "effect"

/** The largest count (pupils, seats, beds, classrooms, teachers, dwellings). */
export const maxCount = 1e9
/** The largest amount of money, in yuan. */
export const maxMoney = 1e13
/** The largest area, in m². */
export const maxArea = 1e10
/** The largest distance, in km (half the Earth's circumference). */
export const maxKm = 20_000

const show = (n: number): string =>
  Math.abs(n) >= 1e6 && Number.isInteger(Math.log10(Math.abs(n))) ? `${n < 0 ? "-" : ""}1e${Math.log10(Math.abs(n))}` : String(n)

const found = (actual: unknown): string =>
  typeof actual === "number"
    ? String(actual)
    : actual === null
      ? "null"
      : typeof actual === "string"
        ? JSON.stringify(actual)
        : typeof actual

/**
 * A finite number in [min, max] (whole when `int`), described as `what` in messages and the JSON Schema.
 * A non-number, NaN, ±Infinity or a number outside the range all fail with the same one-line message.
 */
export const bounded = (min: number, max: number, what: string, options: { readonly int?: boolean } = {}) => {
  const kind = options.int === true ? "a finite whole number" : "a finite number"
  const expected = `${kind} from ${show(min)} to ${show(max)} (${what})`
  const message = (issue: { readonly actual: unknown }) => ({
    message: `expected ${expected}, found ${found(issue.actual)}`,
    override: true
  })
  const base = Schema.Number.annotations({ message })
  const finite = base.pipe(Schema.finite({ message }))
  const whole = options.int === true ? finite.pipe(Schema.int({ message })) : finite
  return whole.pipe(Schema.between(min, max, { message })).annotations({ description: expected })
}

/** A count: 0 to 1e9, whole (pupils, seats, beds, classrooms, rooms, teachers, dwellings). */
export const Count = bounded(0, maxCount, "a count", { int: true })
/** A positive count: 1 to 1e9, whole. */
export const PositiveCount = bounded(1, maxCount, "a count", { int: true })
/** A change of a count: -1e9 to 1e9, whole (negative for demolitions). */
export const CountChange = bounded(-maxCount, maxCount, "a change of a count", { int: true })
/** A number of people that may be fractional (projected or averaged children, births, migrants): 0 to 1e9. */
export const People = bounded(0, maxCount, "a number of people")
/** Money in yuan: 0 to 1e13. */
export const Money = bounded(0, maxMoney, "yuan")
/** A change of money in yuan: -1e13 to 1e13. */
export const MoneyChange = bounded(-maxMoney, maxMoney, "a change in yuan")
/** An area in m²: 0 to 1e10. */
export const Area = bounded(0, maxArea, "m²")
/** A change of an area in m²: -1e10 to 1e10. */
export const AreaChange = bounded(-maxArea, maxArea, "a change in m²")
/** A standard's value (class caps, ratios, areas, yuan per pupil): 0 to 1e13. */
export const StandardValue = bounded(0, maxMoney, "a standard's value")
/** A share or probability: 0 to 1. */
export const Share = bounded(0, 1, "a share")
/** A yearly rate of change: -1 (all gone) to 10 (elevenfold). */
export const Rate = bounded(-1, 10, "a yearly rate of change")
/** A distance in km: 0 to 20000. */
export const Km = bounded(0, maxKm, "km")
/** Longitude in decimal degrees (WGS 84). */
export const Longitude = bounded(-180, 180, "longitude")
/** Latitude in decimal degrees (WGS 84). */
export const Latitude = bounded(-90, 90, "latitude")

/** Where a value holds a number that is not finite (NaN, ±Infinity): a field path. */
export interface NonFinite {
  readonly path: ReadonlyArray<string | number>
  readonly value: number
}

/**
 * The first non-finite number anywhere in a value (objects and arrays walked depth-first), or undefined.
 * Cheap enough for every append: a payload is a few dozen fields.
 */
export const findNonFinite = (value: unknown): NonFinite | undefined => {
  const path: Array<string | number> = []
  const found = walk(value, path)
  return found === undefined ? undefined : { path, value: found }
}

/** The non-finite number found, with `path` left pointing at it; `path` is unchanged when none is found. */
const walk = (value: unknown, path: Array<string | number>): number | undefined => {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : value
  if (typeof value !== "object" || value === null) return undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i)
      const found = walk(value[i], path)
      if (found !== undefined) return found
      path.pop()
    }
    return undefined
  }
  for (const key in value) {
    path.push(key)
    const found = walk((value as Record<string, unknown>)[key], path)
    if (found !== undefined) return found
    path.pop()
  }
  return undefined
}
