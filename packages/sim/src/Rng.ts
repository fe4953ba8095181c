/**
 * The one seeded random generator of a run (sfc32: 128 bits of state in a `Uint32Array`), with the
 * Poisson and binomial draws the stochastic mode needs. The same seed gives the same sequence on every
 * machine: only 32-bit integer arithmetic and `Math.log`/`Math.sqrt`/`Math.exp`.
 */

/** Generator state: four 32-bit words. */
export type Rng = Uint32Array

/** A generator seeded from one integer (SplitMix32 spreads the seed over the state), warmed up. */
export const make = (seed: number): Rng => {
  const state = new Uint32Array(4)
  let x = seed >>> 0
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0
    let z = x
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    state[i] = (z ^ (z >>> 16)) >>> 0
  }
  for (let i = 0; i < 12; i++) nextUint32(state)
  return state
}

/** Derives an independent seed from a seed and a stream number (replicates, variants). */
export const derive = (seed: number, stream: number): number => {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul((stream + 1) >>> 0, 0x85ebca77)) >>> 0
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d) >>> 0
  z = Math.imul(z ^ (z >>> 12), 0x297a2d39) >>> 0
  return (z ^ (z >>> 15)) >>> 0
}

/** The next 32-bit unsigned integer. */
export const nextUint32 = (s: Rng): number => {
  const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0
  s[3] = (s[3] + 1) >>> 0
  s[0] = s[1] ^ (s[1] >>> 9)
  s[1] = (s[2] + (s[2] << 3)) >>> 0
  s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0
  s[2] = (s[2] + t) >>> 0
  return t
}

/** A uniform float in [0, 1). */
export const nextFloat = (s: Rng): number => nextUint32(s) / 4294967296

/** A standard normal draw (Box-Muller, one of the pair). */
export const normal = (s: Rng): number => {
  let u = nextFloat(s)
  while (u === 0) u = nextFloat(s)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * nextFloat(s))
}

/**
 * A Poisson draw with mean `mean`: exact (multiplication method) up to 30, normal approximation with a
 * continuity correction above (error well under the uncertainty of any birth projection).
 */
export const poisson = (s: Rng, mean: number): number => {
  if (!(mean > 0)) return 0
  if (mean < 30) {
    const limit = Math.exp(-mean)
    let k = 0
    let p = nextFloat(s)
    while (p > limit) {
      k++
      p *= nextFloat(s)
    }
    return k
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(s)))
}

/**
 * A binomial draw of `n` trials (rounded to whole children) with probability `p`: exact by inversion
 * when n·min(p, 1−p) is small, normal approximation otherwise; never below 0 nor above n.
 */
export const binomial = (s: Rng, n: number, p: number): number => {
  const trials = Math.round(n)
  if (trials <= 0 || p <= 0) return 0
  if (p >= 1) return trials
  if (p > 0.5) return trials - binomial(s, trials, 1 - p)
  const mean = trials * p
  if (mean < 20) {
    const q = 1 - p
    let prob = Math.pow(q, trials)
    let cumulative = prob
    const u = nextFloat(s)
    let k = 0
    while (u > cumulative && k < trials) {
      prob *= ((trials - k) / (k + 1)) * (p / q)
      cumulative += prob
      k++
    }
    return k
  }
  const draw = Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(s))
  return Math.min(trials, Math.max(0, draw))
}
