/**
 * Siting optimiser benchmarks: seeded synthetic counties (`@seatplan/optimize` Synthetic) at 200 × 40
 * (p = 5), 1,000 × 100 (p = 10), 2,000 × 200 (p = 20) and 5,000 × 400 (p = 30), p-median, solved exactly
 * (HiGHS, time limit 120 s; `--quick`: 20 s and the two smaller only) and by the heuristics (greedy +
 * fast interchange + Lagrangian bound). Goals (issue 6): the heuristic within 1 % of the exact optimum
 * wherever the exact solver finishes, and ≥ 10× faster than it on the two largest.
 */
import { Exact, Heuristic, Synthetic } from "@seatplan/optimize"
import type { Figure } from "./store.js"

const sizes = [[200, 40, 5], [1000, 100, 10], [2000, 200, 20], [5000, 400, 30]] as const

export const run = async (quick: boolean): Promise<ReadonlyArray<Figure>> => {
  const highs = await Exact.load()
  const figures: Array<Figure> = []
  const limit = quick ? 20 : 120
  for (const [n, m, p] of quick ? sizes.slice(0, 2) : sizes) {
    const inst = Synthetic.county({ points: n, sites: m, seed: 1 })
    const problem = { kind: "p-median", p } as const
    const h = Heuristic.solve(inst, problem, { timeLimit: limit })
    let exact: Exact.Result | undefined
    let failure: string | undefined
    const start = Date.now()
    try {
      exact = Exact.solve(highs, inst, problem, { timeLimit: limit })
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e)
    }
    const exactSeconds = exact?.seconds ?? (Date.now() - start) / 1000
    const optimal = exact?.status === "optimal" ? exact.solution?.objective : undefined
    const vsExact = optimal === undefined ? undefined : h.solution.objective / optimal - 1
    const label = `${n.toLocaleString("en")} × ${m} p=${p}`
    figures.push({
      name: `p-median ${label}: exact (HiGHS)`,
      events: n * m,
      seconds: exactSeconds,
      perSecond: (n * m) / exactSeconds,
      note: failure !== undefined
        ? `failed: ${failure}`
        : `${exact!.status}; objective ${fmt(exact!.solution?.objective)}, bound ${fmt(exact!.bound)}, gap ${pct(exact!.gap)}`
    })
    figures.push({
      name: `p-median ${label}: heuristic`,
      events: n * m,
      seconds: h.seconds,
      perSecond: (n * m) / h.seconds,
      note: `objective ${fmt(h.solution.objective)}, Lagrangian bound ${fmt(h.bound)}, gap ${pct(h.gap)}` +
        (vsExact === undefined ? "; exact did not finish" : `; vs exact optimum +${(100 * vsExact).toFixed(3)} % (goal ≤ 1 %: ${vsExact <= 0.01 ? "met" : "NOT met"})`) +
        `; ${(exactSeconds / h.seconds).toFixed(1)}× faster than exact${exact?.status === "optimal" ? "" : " (at its time limit)"}`
    })
  }
  return figures
}

const fmt = (x: number | undefined) => (x === undefined ? "–" : x.toLocaleString("en", { maximumFractionDigits: 1 }))
const pct = (x: number | undefined) => (x === undefined ? "–" : `${(100 * x).toFixed(3)} %`)
