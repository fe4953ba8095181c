/**
 * The capacitated fixed charge's search (issue 19): a Lagrangian heuristic over a single-sourcing
 * allocation kept up to date move by move.
 *
 * The search before priced every trial choice of open sites by a whole capacitated allocation
 * (`Problem.allocateCapacitated`: a regret-ordered greedy and up to 50 passes of shifts, 15-50 ms at
 * 5,000 × 400); a node --cpu-prof of a 30 s call there spent 67 % of its time in it and made a few
 * dozen moves. Here a move is priced on the allocation at hand, touching only the points it concerns:
 *
 * - add j: j takes the points it saves most on per pupil (`kmCost` × pupils × the distance saved) while
 *   its seats last (with its expansion seats too, at the expansion's cost, when it has them);
 * - drop r: r's pupils are re-homed by regret (the points whose second-cheapest site with room costs most
 *   more than their cheapest go first) into the other open sites' spare seats;
 * - swap r → j (j among the 12 closed sites nearest r): j fills first (a point of r judged against its
 *   nearest other open site), then the rest of r's pupils are re-homed.
 *
 * Each priced move is a feasible allocation, so its cost change is exact; the best move of a sweep over
 * every add, drop and swap is made, followed by single shifts of points to cheaper sites with room,
 * until no move improves. Variable neighbourhood search then shakes (k random adds, drops or swaps,
 * k = 1 … 4) and descends again, keeping what improves, until its patience runs out.
 *
 * Starts: the capacity-aware relaxation (`Bound.capacitatedFacilityRelaxed`: per-site knapsacks and
 * the seats every solution needs) runs once at its starting multipliers; its sites, seated and descended,
 * give the first solution, whose cost then aims the relaxation's steps (a share of the time); the site
 * sets the relaxation opened at its last improvements are seated (sites added where single sourcing
 * leaves pupils out), descended and shaken in turn, the cheapest first; its best value is the answer's bound.
 */
import * as Bound from "./Bound.js"
import * as Clock from "./Clock.js"
import { allocateCapacitated, type Instance, objectiveFigure, objectiveText, Status } from "./Problem.js"

/** The progress message of an improved incumbent, in yuan (`Problem.objectiveText`). */
const incumbentMessage = (incumbent: number, bound: number): string =>
  `capacitated fixed charge: incumbent ${objectiveText("fixed-charge", incumbent)}, bound ${objectiveFigure("fixed-charge", bound)}`

/** The search's answer: the open sites, their allocation (none when no choice was seated) and the relaxation's bound. */
export interface Charged {
  readonly open: Uint8Array
  readonly assign: Int32Array | undefined
  readonly value: number
  readonly swaps: number
  readonly stopped: boolean
  readonly bound: number
}

export interface Options {
  /** ms since the epoch: the search stops by then with the best found. */
  readonly deadline: number
  readonly random: () => number
  /** Shakes without improvement before the search from a start ends. */
  readonly patience: number
  /** Share of the time left, after the first solution, that the relaxation (the bound) may take. */
  readonly boundShare: number
  /** Starts searched in turn at most. */
  readonly restarts: number
  /** Each site's nearest other sites (swaps and shakes move a site to one of them). */
  readonly neighbours: ReadonlyArray<ReadonlyArray<number>>
  readonly onProgress?: (m: string) => void
}

/**
 * Share above the current solution within which the last phase's shakes move on (skewed variable
 * neighbourhood search; the best is kept apart). At 5,000 × 400, 60 s: townships 852.3 and 851.9 M
 * against 853.3-855.8 M without, mountain 290.6 M against 291.5-292.0 M, the seat 1,049-1,057 M
 * against 1,051-1,058 M (runs differ: the search stops by the clock); 0.002 moved on too often (townships 857.7 M).
 */
const finalSkew = 0.0005

/** The capacitated fixed charge's Lagrangian heuristic (above). */
export const search = (inst: Instance, kmCost: number, o: Options): Charged => {
  const s = local(inst, kmCost, o.neighbours)
  let swaps = 0
  const best = { open: new Uint8Array(inst.sites), assign: new Int32Array(inst.points), value: Infinity }
  const keep = () => {
    if (s.value >= best.value - 1e-9 * Math.max(1, Math.abs(best.value))) return false
    best.open.set(s.open)
    best.assign.set(s.assign)
    best.value = s.value
    return true
  }
  const answer = (stopped: boolean, bound: number): Charged => ({
    open: best.open,
    assign: best.value < Infinity ? best.assign : undefined,
    value: best.value,
    swaps,
    stopped,
    bound
  })
  const first = Bound.capacitatedFacilityRelaxed(inst, kmCost, { upper: Infinity, iterations: 1 })
  const floor = Math.min(first.bound, Bound.nearestBound(inst, kmCost))
  if (!s.seat(first.open.some((v) => v === 1) ? first.open : everySite(inst))) {
    // no choice the repair reaches seats everybody: every allowed site open is the last resort
    if (!s.seat(everySite(inst))) return answer(false, floor)
  }
  // the first descent has half the time at most, so that a short limit still leaves the bound some
  // (at 5,000 × 400 it takes 2-4 s: with a 3 s limit the answer's bound was the nearest-site one, 84 % below
  // the answer, now 32 %; with a 10 s limit 9.6-10.5 % became 12.6 %, the relaxation then aiming at a poorer solution)
  const d0 = s.descend(Math.min(o.deadline, Date.now() + 0.5 * (o.deadline - Date.now())))
  swaps += d0.moves
  keep()
  o.onProgress?.(`capacitated fixed charge: ${objectiveText("fixed-charge", s.value)} from the relaxation's first sites`)
  const relaxation = Bound.capacitatedFacilityRelaxed(inst, kmCost, {
    upper: best.value,
    iterations: 3000,
    deadline: Math.min(o.deadline, Date.now() + (d0.stopped ? 0.5 : o.boundShare) * (o.deadline - Date.now()))
  })
  const bound = Math.min(best.value, Math.max(floor, relaxation.bound))
  o.onProgress?.(incumbentMessage(best.value, bound))
  if (d0.stopped) {
    // the first descent, on to the deadline
    const d = s.descend(o.deadline)
    swaps += d.moves
    keep()
    if (d.stopped) return answer(true, bound)
  }
  // the relaxation's site sets, seated, cheapest first (and the first solution's when none is cheaper)
  const starts: Array<{ readonly open: Uint8Array; readonly value: number }> = []
  for (const relaxed of relaxation.candidates ?? [relaxation.open]) {
    if (Clock.now() > o.deadline) return answer(true, bound)
    if (!relaxed.some((v) => v === 1) || !s.seat(relaxed)) continue
    if (!starts.some((x) => sameSites(x.open, s.open))) starts.push({ open: s.open.slice(), value: s.value })
  }
  starts.push({ open: best.open.slice(), value: best.value })
  starts.sort((a, b) => a.value - b.value)
  const improvedBest = () => {
    if (!keep()) return false
    o.onProgress?.(incumbentMessage(best.value, bound))
    return true
  }
  const shaken = new Set<string>()
  for (const start of starts.slice(0, o.restarts)) {
    const key = Array.from(start.open).join("")
    if (shaken.has(key)) continue
    shaken.add(key)
    if (!s.seat(start.open)) continue
    const d = s.descend(o.deadline)
    swaps += d.moves
    if (keep()) o.onProgress?.(incumbentMessage(best.value, bound))
    if (d.stopped) return answer(true, bound)
    const v = vns(s, { ...o, patience: Math.ceil(o.patience / 2) }, improvedBest)
    swaps += v.moves
    o.onProgress?.(`capacitated fixed charge: ${v.shakes} shakes from a start, incumbent ${objectiveText("fixed-charge", best.value)}`)
    if (v.stopped) return answer(true, bound)
  }
  // then from the best, shaken harder (up to 8 moves), for 20 × the patience (at 5,000 × 400, seat, the
  // starts with half the patience each and this phase reached 1.0509 G in 60 s, the starts with the whole
  // 1.0533 G without reaching this phase, a 300 s run 1.0545 G)
  if (best.value < Infinity) {
    s.adopt(best.open, best.assign)
    const v = vns(s, { ...o, patience: 20 * o.patience }, improvedBest, 8, finalSkew)
    swaps += v.moves
    o.onProgress?.(`capacitated fixed charge: ${v.shakes} shakes from the best, incumbent ${objectiveText("fixed-charge", best.value)}`)
    if (v.stopped) return answer(true, bound)
  }
  return answer(false, bound)
}

/**
 * Variable neighbourhood search from the state's local optimum: k random moves (k = 1 … `most`, back to 1
 * after an improvement), a descent, kept when better or, with `skew`, less than that share worse
 * (`improved` is then called: true when it is the best yet), else the state put back; until `patience`
 * shakes in a row bring no best yet, or the deadline.
 */
const vns = (
  s: Local,
  o: Options,
  improved: () => boolean,
  most = 4,
  skew = 0
): { readonly moves: number; readonly shakes: number; readonly stopped: boolean } => {
  let moves = 0
  let shakes = 0
  let k = 1
  let value = s.value
  const saved = s.save()
  for (let idle = 0; idle < o.patience; ) {
    if (Clock.now() > o.deadline) return { moves, shakes, stopped: true }
    shakes++
    const moved = s.shake(k, o.random)
    const d = s.descend(o.deadline, moved)
    moves += d.moves
    const better = s.value < value - 1e-9 * Math.max(1, Math.abs(value))
    if (better || (skew > 0 && s.value < value * (1 + skew) && Math.abs(s.value - value) > 1e-9 * Math.max(1, Math.abs(value)))) {
      value = s.value
      saved.take()
      if (improved()) (k = 1), (idle = 0)
      else idle++
    } else {
      saved.restore()
      k = k >= most ? 1 : k + 1
      idle++
    }
    if (d.stopped) return { moves, shakes, stopped: true }
  }
  return { moves, shakes, stopped: false }
}

const sameSites = (a: Uint8Array, b: Uint8Array): boolean => {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false
  return true
}

const everySite = (inst: Instance): Uint8Array => Uint8Array.from(inst.status, (v) => (v === Status.forbidden ? 0 : 1))

/** A choice of open sites with its allocation, and the moves on it (`local`). */
interface Local {
  readonly open: Uint8Array
  readonly assign: Int32Array
  readonly value: number
  /** Takes `open` (copied) with a fresh capacitated allocation, sites added while pupils are left out; false when none fits. */
  readonly seat: (open: Uint8Array) => boolean
  /** Descent over adds, drops and swaps, with shifts after each move; around the sites `look` names only, when given. */
  readonly descend: (deadline: number, look?: ReadonlyArray<number>) => { readonly moves: number; readonly stopped: boolean }
  /** k random feasible moves, improving or not: the sites they opened or closed. */
  readonly shake: (k: number, random: () => number) => ReadonlyArray<number>
  /** Takes `open` and its feasible allocation `assign` (both copied). */
  readonly adopt: (open: Uint8Array, assign: Int32Array) => void
  /** A copy of the state to go back to (`restore`), renewed by `take`. */
  readonly save: () => { readonly take: () => void; readonly restore: () => void }
}

/** The allocation and its moves, priced incrementally (see the module's comment). */
export const local = (inst: Instance, kmCost: number, neighbours: ReadonlyArray<ReadonlyArray<number>>): Local => {
  const n = inst.points
  const m = inst.sites
  const w = inst.weight
  const fixedCost = inst.fixedCost
  const cap = inst.capacity
  // each site's column of point costs (kmCost × pupils × km), contiguous: a move reads one or two columns
  const c = new Float64Array(n * m)
  for (let i = 0; i < n; i++) {
    const row = i * m
    const wi = kmCost * w[i]
    for (let j = 0; j < m; j++) c[j * n + i] = wi * inst.km[row + j]
  }
  const room = (j: number) => cap[j] + inst.expandSeats[j]
  const extra = (j: number, l: number) => (l > cap[j] + 1e-9 ? inst.expandCost[j] : 0)
  const open = new Uint8Array(m)
  const assign = new Int32Array(n)
  const load = new Float64Array(m)
  /** Each point's cost at its site. */
  const cur = new Float64Array(n)
  let value = 0
  const openList = new Int32Array(m)
  let q = 0
  const listOpen = () => {
    q = 0
    for (let j = 0; j < m; j++) if (open[j] === 1) openList[q++] = j
  }
  const total = () => {
    let v = 0
    for (let i = 0; i < n; i++) v += cur[i]
    for (let t = 0; t < q; t++) v += fixedCost[openList[t]] + extra(openList[t], load[openList[t]])
    return v
  }
  const expanded = new Uint8Array(m)
  const seat = (chosen: Uint8Array): boolean => {
    open.set(chosen)
    for (let j = 0; j < m; j++)
      if (inst.status[j] === Status.forbidden) open[j] = 0
      else if (inst.status[j] === Status.fixed) open[j] = 1
    for (let guard = 0; guard <= m; guard++) {
      const left = allocateCapacitated(inst, open, kmCost, assign, expanded)
      if (left <= 1e-9) break
      // the heaviest point left out: the closed allowed site nearest it with seats for it opens
      let heaviest = -1
      for (let i = 0; i < n; i++) if (assign[i] < 0 && (heaviest < 0 || w[i] > w[heaviest])) heaviest = i
      let add = -1
      for (let j = 0; j < m; j++) {
        if (open[j] === 1 || inst.status[j] === Status.forbidden || room(j) < w[heaviest] - 1e-9) continue
        if (add < 0 || c[j * n + heaviest] < c[add * n + heaviest]) add = j
      }
      if (add < 0) return false
      open[add] = 1
    }
    if (assign.some((j) => j < 0)) return false
    settle()
    return true
  }
  /** Loads, costs and the objective from `open` and `assign`. */
  const settle = () => {
    stale = true
    load.fill(0)
    for (let i = 0; i < n; i++) {
      load[assign[i]] += w[i]
      cur[i] = c[assign[i] * n + i]
    }
    listOpen()
    value = total()
  }
  const adopt = (chosen: Uint8Array, allocation: Int32Array) => {
    open.set(chosen)
    assign.set(allocation)
    settle()
  }

  // == a move's trial: the points it moves (`moved`, `movedTo`), the load changes (`dl` over `touched`)
  const dl = new Float64Array(m)
  const mark = new Uint8Array(m)
  const touched = new Int32Array(m)
  let nt = 0
  const movedPoint = new Int32Array(n)
  const movedTo = new Int32Array(n)
  let nc = 0
  const stamp = new Int32Array(n)
  let tick = 0
  const cand = new Int32Array(n)
  const key = new Float64Array(n)
  const members = new Int32Array(n)
  const alt = new Float64Array(n)
  /** Each point's nearest and second-nearest open sites (−1: none), renewed when `stale` (after a change of the open sites). */
  const first = new Int32Array(n)
  const second = new Int32Array(n)
  let stale = true
  const firstCost = new Float64Array(n)
  const secondCost = new Float64Array(n)
  /** Site x enters point i's nearest two when nearer. */
  const offer = (i: number, x: number, v: number) => {
    if (v < firstCost[i]) {
      second[i] = first[i]
      secondCost[i] = firstCost[i]
      first[i] = x
      firstCost[i] = v
    } else if (v < secondCost[i]) (second[i] = x), (secondCost[i] = v)
  }
  const nearestTwo = () => {
    first.fill(-1)
    second.fill(-1)
    firstCost.fill(Infinity)
    secondCost.fill(Infinity)
    for (let t = 0; t < q; t++) {
      const x = openList[t]
      for (let i = 0, col = x * n; i < n; i++) offer(i, x, c[col + i])
    }
    stale = false
  }
  /** The nearest two after closing r (−1: none) and opening j (−1: none), the open list already renewed. */
  const renewNearest = (r: number, j: number) => {
    if (stale) return
    if (r >= 0) {
      for (let i = 0; i < n; i++) {
        if (first[i] !== r && second[i] !== r) continue
        first[i] = -1
        second[i] = -1
        firstCost[i] = Infinity
        secondCost[i] = Infinity
        for (let t = 0; t < q; t++) offer(i, openList[t], c[openList[t] * n + i])
      }
    }
    if (j >= 0) for (let i = 0, col = j * n; i < n; i++) offer(i, j, c[col + i])
  }
  const touch = (j: number) => {
    if (mark[j] === 0) (mark[j] = 1), (touched[nt++] = j)
  }
  const clear = () => {
    for (let t = 0; t < nt; t++) (dl[touched[t]] = 0), (mark[touched[t]] = 0)
    nt = 0
    nc = 0
    tick++
  }
  /** Moves point i to b in the trial; its distance cost change. */
  const shift = (i: number, b: number): number => {
    const a = assign[i]
    touch(a)
    touch(b)
    dl[a] -= w[i]
    dl[b] += w[i]
    movedPoint[nc] = i
    movedTo[nc++] = b
    stamp[i] = tick
    return c[b * n + i] - cur[i]
  }
  /**
   * Prices closing r (−1: none) and opening j (−1: none), j filled up to its seats (`expand`: and its
   * expansion seats): the change of the objective, Infinity when r's pupils find no seats.
   */
  const trial = (r: number, j: number, expand: boolean): number => {
    clear()
    let dist = 0
    if (r >= 0) touch(r)
    if (j >= 0) touch(j)
    let nm = 0
    if (r >= 0) {
      if (stale) nearestTwo()
      for (let i = 0; i < n; i++) {
        if (assign[i] !== r) continue
        members[nm++] = i
        alt[i] = first[i] !== r ? firstCost[i] : secondCost[i]
      }
    }
    if (j >= 0) {
      const col = j * n
      let k = 0
      for (let i = 0; i < n; i++) {
        const saved = (assign[i] === r ? alt[i] : cur[i]) - c[col + i]
        if (saved > 0 && w[i] > 0) {
          cand[k++] = i
          key[i] = saved / w[i]
        }
      }
      const limit = expand ? room(j) : cap[j]
      let wanted = 0
      for (let t = 0; t < k; t++) wanted += w[cand[t]]
      // by saving per pupil only when they do not all fit
      if (wanted > limit + 1e-9) sortByKey(cand, key, k)
      let used = 0
      for (let t = 0; t < k; t++) {
        const i = cand[t]
        if (used + w[i] > limit + 1e-9) continue
        used += w[i]
        dist += shift(i, j)
      }
    }
    // r's pupils not taken by j: by regret into the open sites' spare seats (j's too)
    let nr = 0
    for (let t = 0; t < nm; t++) if (stamp[members[t]] !== tick) cand[nr++] = members[t]
    if (nr > 0) {
      const spare = (b: number) => room(b) - load[b] - dl[b]
      for (let t = 0; t < nr; t++) {
        const i = cand[t]
        let b1 = Infinity
        let b2 = Infinity
        for (let u = 0; u <= q; u++) {
          const b = u < q ? openList[u] : j
          if (b < 0 || b === r || spare(b) < w[i] - 1e-9) continue
          const v = c[b * n + i]
          if (v < b1) (b2 = b1), (b1 = v)
          else if (v < b2) b2 = v
        }
        key[i] = b2 === Infinity ? (b1 === Infinity ? Infinity : 1e300) : b2 - b1
      }
      sortByKey(cand, key, nr)
      for (let t = 0; t < nr; t++) {
        const i = cand[t]
        let best = -1
        let bv = Infinity
        for (let u = 0; u <= q; u++) {
          const b = u < q ? openList[u] : j
          if (b < 0 || b === r || spare(b) < w[i] - 1e-9) continue
          const l = load[b] + dl[b]
          const v = c[b * n + i] + extra(b, l + w[i]) - extra(b, l)
          if (v < bv) (bv = v), (best = b)
        }
        if (best < 0) return Infinity
        dist += shift(i, best)
      }
    }
    let delta = dist
    for (let t = 0; t < nt; t++) {
      const b = touched[t]
      const before = open[b] === 1 ? fixedCost[b] + extra(b, load[b]) : 0
      const after = b === r ? 0 : b === j || open[b] === 1 ? fixedCost[b] + extra(b, load[b] + dl[b]) : 0
      delta += after - before
    }
    return delta
  }
  /** Makes the trial just priced (closing r, opening j) with its change `delta`. */
  const apply = (r: number, j: number, delta: number) => {
    for (let t = 0; t < nc; t++) {
      const i = movedPoint[t]
      const b = movedTo[t]
      load[assign[i]] -= w[i]
      load[b] += w[i]
      assign[i] = b
      cur[i] = c[b * n + i]
    }
    if (r >= 0) (open[r] = 0), (load[r] = 0)
    if (j >= 0) open[j] = 1
    listOpen()
    renewNearest(r, j)
    value += delta
  }
  /**
   * Single shifts of a point to a cheaper open site with room, while any saves (20 passes at most).
   * After a move (`after`), the first pass offers each point only the sites with new room (the one
   * opened, those that lost pupils to it), and the points the move shifted every open site; each later
   * pass the sites that lost pupils in the pass before.
   */
  const lost = new Uint8Array(m)
  const shifts = (after?: { readonly r: number; readonly j: number }) => {
    let targets: Array<number> = []
    if (after === undefined) for (let t = 0; t < q; t++) targets.push(openList[t])
    else {
      for (let t = 0; t < nt; t++) {
        const b = touched[t]
        if (b !== after.r && open[b] === 1 && (b === after.j || dl[b] < 0)) targets.push(b)
      }
      for (let t = 0; t < nc; t++) shiftPoint(movedPoint[t], openList, q)
    }
    for (let pass = 0; targets.length > 0 && pass < 20; pass++) {
      lost.fill(0)
      const next: Array<number> = []
      const list = Int32Array.from(targets)
      for (let i = 0; i < n; i++) {
        const a = shiftPoint(i, list, list.length)
        if (a >= 0 && lost[a] === 0) (lost[a] = 1), next.push(a)
      }
      targets = next
    }
  }
  /** Shifts point i to the cheapest of `sites[0 … count)` with room when that saves; the site it left, or −1. */
  const shiftPoint = (i: number, sites: Int32Array, count: number): number => {
    const a = assign[i]
    const wi = w[i]
    if (wi <= 0) return -1
    const base = cur[i] + extra(a, load[a]) - extra(a, load[a] - wi)
    let best = -1
    let bd = -1e-9 * Math.max(1, cur[i])
    for (let t = 0; t < count; t++) {
      const b = sites[t]
      if (b === a || load[b] + wi > room(b) + 1e-9) continue
      const d = c[b * n + i] + extra(b, load[b] + wi) - extra(b, load[b]) - base
      if (d < bd) (bd = d), (best = b)
    }
    if (best < 0) return -1
    load[a] -= wi
    load[best] += wi
    assign[i] = best
    cur[i] = c[best * n + i]
    value += bd
    return a
  }
  const closable = (r: number) => inst.status[r] === Status.free && q > 1
  const openable = (j: number) => open[j] === 0 && inst.status[j] === Status.free
  /** The cheaper of j's fills (to its seats, or with its expansion seats). */
  const priceOpen = (r: number, j: number): { readonly delta: number; readonly expand: boolean } => {
    const plain = trial(r, j, false)
    if (inst.expandSeats[j] <= 0) return { delta: plain, expand: false }
    const wide = trial(r, j, true)
    return wide < plain ? { delta: wide, expand: true } : { delta: plain, expand: false }
  }
  /** The sites whose neighbour lists hold j (a swap r → j has j among r's neighbours). */
  const nearOf: Array<Array<number>> = Array.from({ length: m }, () => [])
  for (let r = 0; r < m; r++) for (const j of neighbours[r]) nearOf[j].push(r)
  /**
   * The best move among those `consider` is shown: adds and drops of the sites `look` names (every site
   * when undefined), swaps of an open site for a closed neighbour where either is named.
   */
  let bestR = -1
  let bestJ = -1
  let bestExpand = false
  let bd = 0
  const consider = (r: number, j: number) => {
    const p = j >= 0 ? priceOpen(r, j) : { delta: trial(r, -1, false), expand: false }
    if (p.delta < bd) (bd = p.delta), (bestR = r), (bestJ = j), (bestExpand = p.expand)
  }
  /** The moves concerning site x (closed: its add and the swaps into it; open: its drop and its swaps out). */
  const movesOf = (x: number) => {
    if (openable(x)) {
      consider(-1, x)
      for (const r of nearOf[x]) if (open[r] === 1 && closable(r)) consider(r, x)
    } else if (open[x] === 1 && closable(x)) {
      consider(x, -1)
      for (const j of neighbours[x]) if (openable(j)) consider(x, j)
    }
  }
  const queued = new Uint8Array(m)
  const queue: Array<number> = []
  const push = (x: number) => {
    if (queued[x] === 0) (queued[x] = 1), queue.push(x)
  }
  /**
   * Descent: without `look`, the best move of a sweep over every add, drop and swap, repeated while one
   * improves; with it (after a shake: the sites it moved), the sites in a queue, each site's best move
   * made when it improves and the sites near the move queued again (don't-look bits), until the queue
   * empties. Shifts after each move.
   */
  const descend = (deadline: number, look?: ReadonlyArray<number>) => {
    let moves = 0
    const make = () => {
      const delta = trial(bestR, bestJ, bestExpand)
      apply(bestR, bestJ, delta)
      shifts({ r: bestR, j: bestJ })
      moves++
    }
    if (look !== undefined) {
      queue.length = 0
      queued.fill(0)
      for (const x of look) push(x)
      for (let h = 0; h < queue.length; h++) {
        if (Clock.now() > deadline) return { moves, stopped: true }
        const x = queue[h]
        queued[x] = 0
        bestR = -1
        bestJ = -1
        bd = -1e-9 * Math.max(1, Math.abs(value))
        movesOf(x)
        if (bestR < 0 && bestJ < 0) continue
        const r = bestR
        const j = bestJ
        make()
        for (const y of [r, j]) {
          if (y < 0) continue
          push(y)
          for (const z of neighbours[y]) push(z)
          for (const z of nearOf[y]) push(z)
        }
      }
      value = total()
      return { moves, stopped: false }
    }
    for (;;) {
      if (Clock.now() > deadline) return { moves, stopped: true }
      bestR = -1
      bestJ = -1
      bd = -1e-9 * Math.max(1, Math.abs(value))
      for (let x = 0; x < m; x++) {
        if ((x & 15) === 0 && Clock.now() > deadline) return { moves, stopped: true }
        if (openable(x)) consider(-1, x)
        else if (open[x] === 1 && closable(x)) {
          consider(x, -1)
          for (const j of neighbours[x]) if (openable(j)) consider(x, j)
        }
      }
      if (bestR < 0 && bestJ < 0) break
      make()
    }
    value = total()
    return { moves, stopped: false }
  }
  /** k random feasible moves (a swap of an open site for a closed neighbour half the time, else an add near one or a drop); the sites moved. */
  const shake = (k: number, random: () => number): Array<number> => {
    const moved: Array<number> = []
    for (let s = 0; s < k; s++) {
      const pick = random()
      const r = q > 0 ? openList[Math.floor(random() * q)] : -1
      let j = -1
      const near = r >= 0 ? neighbours[r] : []
      for (let tries = 0; tries < 4 && j < 0 && near.length > 0; tries++) {
        const x = near[Math.floor(random() * near.length)]
        if (openable(x)) j = x
      }
      const closing = r >= 0 && closable(r) ? r : -1
      const [out, into] = pick < 0.5 ? [closing, j] : pick < 0.75 ? [-1, j] : [closing, -1]
      if (out < 0 && into < 0) continue
      if (pick < 0.5 && (out < 0 || into < 0)) continue
      const delta = trial(out, into, false)
      if (!Number.isFinite(delta)) continue
      apply(out, into, delta)
      if (out >= 0) moved.push(out)
      if (into >= 0) moved.push(into)
    }
    shifts()
    return moved
  }
  const save = () => {
    if (stale) nearestTwo()
    const o = open.slice()
    const a = assign.slice()
    const l = load.slice()
    const u = cur.slice()
    const f1 = first.slice()
    const f2 = second.slice()
    const d1 = firstCost.slice()
    const d2 = secondCost.slice()
    let v = value
    return {
      take: () => {
        if (stale) nearestTwo()
        o.set(open)
        a.set(assign)
        l.set(load)
        u.set(cur)
        f1.set(first)
        f2.set(second)
        d1.set(firstCost)
        d2.set(secondCost)
        v = value
      },
      restore: () => {
        open.set(o)
        assign.set(a)
        load.set(l)
        cur.set(u)
        first.set(f1)
        second.set(f2)
        firstCost.set(d1)
        secondCost.set(d2)
        stale = false
        value = v
        listOpen()
      }
    }
  }
  return {
    open,
    assign,
    get value() {
      return value
    },
    seat,
    adopt,
    descend,
    shake,
    save
  }
}

/**
 * Sorts `idx[0 … count)` by `key[idx]` descending, ties by index ascending (a quicksort over the typed
 * array: `TypedArray.sort` with a comparator took a fifth of the search's time).
 */
const sortByKey = (idx: Int32Array, key: Float64Array, count: number): void => {
  const before = (a: number, b: number) => key[a] > key[b] || (key[a] === key[b] && a < b)
  const stack: Array<number> = [0, count - 1]
  while (stack.length > 0) {
    const hi = stack.pop() as number
    const lo = stack.pop() as number
    if (hi - lo < 16) {
      for (let x = lo + 1; x <= hi; x++) {
        const v = idx[x]
        let y = x - 1
        while (y >= lo && before(v, idx[y])) (idx[y + 1] = idx[y]), y--
        idx[y + 1] = v
      }
      continue
    }
    const pivot = idx[(lo + hi) >>> 1]
    let a = lo
    let b = hi
    while (a <= b) {
      while (before(idx[a], pivot)) a++
      while (before(pivot, idx[b])) b--
      if (a <= b) {
        const t = idx[a]
        idx[a] = idx[b]
        idx[b] = t
        a++
        b--
      }
    }
    if (lo < b) stack.push(lo, b)
    if (a < hi) stack.push(a, hi)
  }
}
