/**
 * Seeded synthetic siting instances (the benchmark's counties): demand points clustered around a few
 * towns in a square county (side growing with the square root of the points, 60 km for 1,000), villages of
 * 5-150 pupils and towns of several hundred, and candidate sites at demand points (the first half of them
 * existing schools). Distances are straight lines in km. The caller supplies the uniform draws (tests and
 * the benchmark pass `@seatplan/sim`'s seeded `Rng`, so optimize itself depends on no seatplan package):
 * the same sequence of draws gives the same instance.
 */
import { fromArrays, type Instance } from "./Problem.js"

export interface Options {
  readonly points: number
  readonly sites: number
  /** The next uniform draw in [0, 1) of a seeded generator, e.g. `() => Rng.nextFloat(rng)`. */
  readonly uniform: () => number
  /** Seats per site (default Infinity: uncapacitated). */
  readonly capacity?: number
}

export const county = (o: Options): Instance => {
  const u = o.uniform
  const side = 60 * Math.sqrt(o.points / 1000)
  const towns = Math.max(3, Math.round(o.points / 60))
  const tx = Float64Array.from({ length: towns }, () => u() * side)
  const ty = Float64Array.from({ length: towns }, () => u() * side)
  const x = new Float64Array(o.points)
  const y = new Float64Array(o.points)
  const weight = new Float64Array(o.points)
  for (let i = 0; i < o.points; i++) {
    if (i < towns) {
      x[i] = tx[i]
      y[i] = ty[i]
      weight[i] = Math.round(200 + u() * 600)
      continue
    }
    const t = Math.floor(u() * towns)
    const r = side * 0.12 * Math.sqrt(-2 * Math.log(1 - u() * 0.999))
    const a = u() * 2 * Math.PI
    x[i] = Math.min(side, Math.max(0, tx[t] + r * Math.cos(a)))
    y[i] = Math.min(side, Math.max(0, ty[t] + r * Math.sin(a)))
    weight[i] = Math.round(5 + 145 * u() * u())
  }
  const at = new Int32Array(o.sites)
  const used = new Uint8Array(o.points)
  for (let j = 0; j < o.sites; j++) {
    let i = Math.floor(u() * o.points)
    while (used[i] === 1 && o.sites <= o.points) i = (i + 1) % o.points
    used[i] = 1
    at[j] = i
  }
  const km = new Float64Array(o.points * o.sites)
  for (let i = 0; i < o.points; i++) {
    for (let j = 0; j < o.sites; j++) km[i * o.sites + j] = Math.hypot(x[i] - x[at[j]], y[i] - y[at[j]])
  }
  return fromArrays({
    weight,
    km,
    sites: o.sites,
    ...(o.capacity === undefined ? {} : { capacity: new Float64Array(o.sites).fill(o.capacity) })
  })
}
