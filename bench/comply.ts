/**
 * `pnpm bench --only=comply` (issue 20): `comply-by` with money enough (1e10 yuan a year, no recruiting quota)
 * on generated counties it was not developed on (`Synthetic.generate`, seeds 1-16, three sizes: 40, 60 and 90
 * settlements with about 0.4 schools a settlement, drawn at a fifth of the generator's extent so that homes
 * are within the distance standards comply-by builds no site for), for targets two and four years after the
 * base year. Per county and target: the year the plan holds from (every counted rule to the horizon's end),
 * how many years after the target, and what the report says binds. The figures: the share of (county,
 * target) pairs reached by the target, reached late, and never reached (land binding or not), and the time a
 * plan takes. With money enough the budget and the supply never bind, so a late year is the strategy's own
 * shortfall (its rounds leave a rule failing) or land.
 */
import { FromEvents, Scenario, Strategies } from "@seatplan/plan"
import { Either } from "effect"
import type { Figure } from "./store.js"

interface Row {
  readonly seed: number
  readonly settlements: number
  readonly target: number
  readonly reached: number | null
  readonly binding: string
  readonly seconds: number
}

const county = (seed: number, settlements: number) => {
  const g = Either.getOrThrow(FromEvents.compactCounty(seed, settlements, Math.round(settlements * 0.42)))
  return { baseYear: g.baseYear, ctx: Scenario.contextOf(g.scenario, Scenario.baselineOf(g.scenario)) }
}

const rows = (quick: boolean): ReadonlyArray<Row> => {
  const out: Array<Row> = []
  const seeds = quick ? [1, 2, 3, 4] : Array.from({ length: 16 }, (_, i) => i + 1)
  for (const seed of seeds) {
    const settlements = [40, 60, 90][seed % 3]
    const { baseYear, ctx } = county(seed, settlements)
    for (const target of [baseYear + 2, baseYear + 4]) {
      const started = performance.now()
      const { report } = Strategies.complyByPlan(ctx, { year: baseYear + 1, targetYear: target, budget: 1e10 })
      out.push({
        seed,
        settlements,
        target,
        reached: report.reachedYear,
        binding: report.binding.join("+"),
        seconds: (performance.now() - started) / 1000
      })
    }
  }
  return out
}

export const run = async (quick: boolean): Promise<ReadonlyArray<Figure>> => {
  const all = rows(quick)
  for (const r of all)
    process.stderr.write(
      `comply seed ${r.seed} (${r.settlements} settlements) target ${r.target}: ${r.reached === null ? "never" : r.reached <= r.target ? `by the target${r.reached < r.target ? ` (holds from ${r.reached})` : ""}` : `${r.reached} (+${r.reached - r.target})`}${r.binding === "" ? "" : `, binds: ${r.binding}`}, ${r.seconds.toFixed(1)} s\n`
    )
  const onTime = all.filter((r) => r.reached !== null && r.reached <= r.target).length
  const late = all.filter((r) => r.reached !== null && r.reached > r.target)
  const never = all.filter((r) => r.reached === null)
  const seconds = all.reduce((n, r) => n + r.seconds, 0)
  return [
    {
      name: "comply-by on generated counties, money enough (plans)",
      events: all.length,
      seconds,
      perSecond: all.length / seconds,
      note: `${onTime} of ${all.length} reach their target; ${late.length} late (by ${late.map((r) => (r.reached ?? 0) - r.target).join(", ") || "-"} years); ${never.length} never (${never.filter((r) => r.binding.includes("land")).length} with land binding)`
    }
  ]
}
