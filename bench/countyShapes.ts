/**
 * Seeded county-shaped siting instances (issue 19), independent of `@seatplan/optimize`'s own
 * `Synthetic.county` (which the solvers were tuned on): a county of 60 × 45 km whose demand points are
 * settlements weighted by their children, in one of three shapes —
 *
 * - `seat`: one dominant county seat (县城, a dense cluster of neighbourhoods holding about 40 % of the
 *   children) with a few townships (乡镇) and villages around them;
 * - `townships`: many townships of similar size (12-20), villages clustered around each;
 * - `mountain`: sparse mountain villages (山区村) strung along valleys, a few small market towns.
 *
 * Candidate sites are mostly at the seat's and the townships' centres (jittered a few hundred metres)
 * and near villages (within 500 m of one). Capacities are 1.15-1.6 × an equal share (children / p) per
 * site, never below the largest settlement (single sourcing must stay possible). Distances are
 * straight lines in metres, so objectives are child-metres and the MCLP radius is in metres.
 */
import { Problem } from "@seatplan/optimize"
import { Rng } from "@seatplan/sim"

const shapes = ["seat", "townships", "mountain"] as const
export type Shape = (typeof shapes)[number]

export interface Options {
  readonly shape: Shape
  readonly points: number
  readonly sites: number
  /** p of the problems the capacities are sized for (equal share = children / p). */
  readonly p: number
  readonly seed: number
}

const W = 60_000
const H = 45_000

export const generate = (o: Options): Problem.Instance => {
  const rng = Rng.make(o.seed * 7919 + shapes.indexOf(o.shape))
  const u = () => Rng.nextFloat(rng)
  const normal = () => Rng.normal(rng)
  const clamp = (v: number, hi: number) => Math.min(hi, Math.max(0, v))
  // centres: the seat (index 0 when there is one) and the townships, with a spread (m) and a share of points
  type Centre = { readonly x: number; readonly y: number; readonly spread: number; readonly share: number; readonly children: number }
  const centres: Array<Centre> = []
  const townships = o.shape === "seat" ? 6 : o.shape === "townships" ? 12 + Math.floor(u() * 9) : 4
  if (o.shape === "seat") centres.push({ x: W * (0.4 + 0.2 * u()), y: H * (0.4 + 0.2 * u()), spread: 1800, share: 0.4, children: 90 })
  for (let t = 0; t < townships; t++) {
    centres.push({
      x: W * (0.08 + 0.84 * u()),
      y: H * (0.08 + 0.84 * u()),
      spread: o.shape === "mountain" ? 700 : 1100,
      share: o.shape === "seat" ? 0.25 / townships : o.shape === "townships" ? 0.6 / townships : 0.15 / townships,
      children: o.shape === "mountain" ? 35 : 55
    })
  }
  // mountain valleys: villages along a few random segments
  const valleys = Array.from({ length: 5 }, () => ({ x0: u() * W, y0: u() * H, x1: u() * W, y1: u() * H }))
  const x = new Float64Array(o.points)
  const y = new Float64Array(o.points)
  const weight = new Float64Array(o.points)
  const kindOf = new Uint8Array(o.points) // 0 village, 1 centre neighbourhood
  const counts = centres.map((c) => Math.max(1, Math.round(c.share * o.points)))
  let i = 0
  centres.forEach((c, k) => {
    for (let q = 0; q < counts[k] && i < o.points; q++, i++) {
      x[i] = clamp(c.x + c.spread * normal(), W)
      y[i] = clamp(c.y + c.spread * normal(), H)
      weight[i] = Math.max(5, Math.round(c.children * (0.4 + 1.2 * u())))
      kindOf[i] = 1
    }
  })
  for (; i < o.points; i++) {
    if (o.shape === "mountain") {
      const v = valleys[Math.floor(u() * valleys.length)]
      const t = u()
      x[i] = clamp(v.x0 + t * (v.x1 - v.x0) + 1500 * normal(), W)
      y[i] = clamp(v.y0 + t * (v.y1 - v.y0) + 1500 * normal(), H)
      weight[i] = Math.max(1, Math.round(3 + 30 * u() * u()))
    } else {
      // villages: around a centre (farther than its neighbourhoods) or anywhere
      const c = centres[Math.floor(u() * centres.length)]
      const near = u() < 0.6
      x[i] = near ? clamp(c.x + 5000 * normal(), W) : u() * W
      y[i] = near ? clamp(c.y + 5000 * normal(), H) : u() * H
      weight[i] = Math.max(2, Math.round(5 + 60 * u() * u()))
    }
  }
  // candidates: about half at centres (jittered 300 m), the rest within 500 m of a village
  const sx = new Float64Array(o.sites)
  const sy = new Float64Array(o.sites)
  const atCentres = Math.round(o.sites * (o.shape === "mountain" ? 0.3 : 0.55))
  for (let j = 0; j < o.sites; j++) {
    if (j < atCentres) {
      // the seat gets sites in proportion to its share
      const c = centres[j < atCentres * centres[0].share ? 0 : Math.floor(u() * centres.length)]
      sx[j] = clamp(c.x + c.spread * 0.8 * normal(), W)
      sy[j] = clamp(c.y + c.spread * 0.8 * normal(), H)
    } else {
      let v = Math.floor(u() * o.points)
      for (let tries = 0; tries < 20 && kindOf[v] === 1; tries++) v = Math.floor(u() * o.points)
      const a = u() * 2 * Math.PI
      const r = 500 * Math.sqrt(u())
      sx[j] = clamp(x[v] + r * Math.cos(a), W)
      sy[j] = clamp(y[v] + r * Math.sin(a), H)
    }
  }
  const km = new Float64Array(o.points * o.sites)
  for (let q = 0; q < o.points; q++)
    for (let j = 0; j < o.sites; j++) km[q * o.sites + j] = Math.round(Math.hypot(x[q] - sx[j], y[q] - sy[j]))
  let total = 0
  let largest = 0
  for (let q = 0; q < o.points; q++) (total += weight[q]), (largest = Math.max(largest, weight[q]))
  const share = total / o.p
  const capacity = Float64Array.from({ length: o.sites }, () => Math.max(largest, Math.round(share * (1.15 + 0.45 * u()))))
  // the fixed charge of a site (for the fixed-charge problem, in the objective's unit: pupil-metres), about
  // the travel its seats save when it opens, ±30 %: an invented scale, so that the optimum opens some
  // tens of sites as a p-median of this size would
  const span = Math.sqrt((W * H) / o.p)
  const fixedCost = Float64Array.from(capacity, (c) => Math.round(0.25 * span * c * (0.7 + 0.6 * u())))
  return Problem.fromArrays({ weight, km, sites: o.sites, capacity, fixedCost })
}
