import { Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import { Comply, ScenarioLoader, type Strategies } from "@seatplan/plan"
import { Console, Effect, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Output from "../Output.js"
import * as Stopping from "../Stopping.js"
import { checked, described, scenario, variantName } from "../Options.js"
import { withVariant } from "./Optimize.js"

const by = Options.integer("by").pipe(Options.withDescription("the school year from which every counted rule should hold (全部达标)"))
const budget = Options.float("budget").pipe(
  Options.withDescription("capital budget per year, yuan, for building, expanding and facility investments"),
  Options.mapEffect((b) =>
    Number.isFinite(b) && b >= 0 && b <= 1e13
      ? Effect.succeed(b)
      : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--budget: expected yuan from 0 to 1e13, found ${b}`)))
  )
)
const from = Options.integer("from").pipe(
  Options.withDescription("the first year the plan acts in (default the year after the base year)"),
  Options.optional
)
const hireQuota = Options.integer("hire-quota").pipe(
  Options.withDescription("recruits per year at most (teacher supply; default no limit)"),
  checked("hire-quota", "0 or more recruits a year", (n) => n >= 0),
  Options.optional
)
const variant = Options.text("variant").pipe(
  Options.withDescription("the variant whose plan comes first, e.g. a layout (default baseline: the status quo)"),
  Options.withDefault("baseline")
)
const noGroups = Options.boolean("no-groups").pipe(
  Options.withDescription(
    "form no school groups and no exchanges (no teachers shared or rotated: the county-wide rotation rules then fail unless the scenario does not count them)"
  )
)
const name = variantName("the written variant's name (default comply-BY)")
const out = Options.text("out").pipe(
  Options.withDescription("write the scenario with the plan as a new variant (explicit steps extending --variant) to this file"),
  Options.optional
)
const format = Options.choice("format", ["text", "json"]).pipe(
  Options.withDescription("how to print the report"),
  Options.withDefault("text" as const)
)

const wan = (yuan: number) => `${Math.round(yuan / 10_000).toLocaleString("en-US")} 万元`

/** The capital the needs take, and what the plan pays of it when the budget does not reach (the cost counts what is paid). */
const capitalText = (r: Strategies.ComplyByReport): string => {
  const paid = Object.values(r.capitalByYear).reduce((a, b) => a + b, 0)
  return Math.abs(paid - r.capital) < 0.5
    ? `capital ${wan(r.capital)}`
    : `capital needed ${wan(r.capital)}, of which the plan pays ${wan(paid)}`
}

/** The report as a person reads it: the year reached, what binds and why, the plan and its cost by year. */
export const text = (r: Strategies.ComplyByReport, kinds: Readonly<Record<string, number>>): string => {
  const years = [...new Set([...Object.keys(r.capitalByYear), ...Object.keys(r.salariesByYear)])].sort()
  const rows = years.map((y) => [y, wan(r.capitalByYear[y] ?? 0), wan(r.salariesByYear[y] ?? 0)])
  return [
    `全部达标 by ${r.targetYear}: ${r.reachedYear === r.targetYear ? "reached" : r.reachedYear === null ? "not reachable within the horizon" : `not reachable; earliest ${r.reachedYear}`}`,
    `binding: ${r.binding.length === 0 ? "none" : r.binding.join(", ")}`,
    `why: ${r.why}`,
    `plan: ${
      Object.entries(kinds)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, n]) => `${n} ${k}`)
        .join(", ") || "no steps"
    }`,
    // not reached: the plan written does not comply, and the bound is the least a plan that does would cost
    r.reachedYear === null
      ? `${capitalText(r)}, recruits ${r.hires.toLocaleString("en-US")}; a plan that reaches it costs at least ${wan(r.bound)} over the horizon`
      : `${capitalText(r)}, recruits ${r.hires.toLocaleString("en-US")}; cost over the horizon ${wan(r.cost)} (bound ${wan(r.bound)})`,
    ...(r.unaddressed.length > 0 ? [`still failing from ${r.plannedYear} on: ${r.unaddressed.join(", ")}`] : []),
    ...(rows.length > 0 ? ["", Output.table([["year", "capital", "recruits' pay"], ...rows])] : [])
  ].join("\n")
}

/**
 * `seatplan comply SCENARIO --by Y --budget B`: the least-cost plan for 全部达标 by Y under a yearly budget
 * (the comply-by strategy on top of --variant's plan), its report, and with --out the scenario with the plan
 * as a variant. Exit 3 (infeasible, Errors.ts) when Y cannot be reached, after printing the report.
 */
export const comply = Command.make("comply", { scenario, by, budget, from, hireQuota, variant, noGroups, name, out, format }, (o) =>
  Effect.gen(function* () {
    const decoded = yield* Stopping.atOnce(ScenarioLoader.loadBaseline(o.scenario))
    const s = decoded.scenario
    const request: Comply.Request = {
      variant: o.variant,
      year: Option.getOrElse(o.from, () => s.baseYear + 1),
      targetYear: o.by,
      budget: o.budget,
      hireQuota: Option.getOrUndefined(o.hireQuota),
      groups: !o.noGroups
    }
    // the search holds the thread (minutes on a large region): Ctrl-C ends it at once rather than when it is done
    process.stderr.write(`searching for the least-cost plan for 全部达标 by ${o.by} (Ctrl-C stops it)\n`)
    const outcome = yield* Stopping.stoppableAtOnce(() => Comply.plan(decoded, request))
    const r = outcome.report
    yield* Console.log(o.format === "json" ? JSON.stringify({ ...r, steps: outcome.kinds }, null, 2) : text(r, outcome.kinds))
    if (Option.isSome(o.out)) {
      const variantName = Option.getOrElse(o.name, () => `comply-${o.by}`)
      if (s.variants.some((v) => v.name === variantName)) {
        return yield* new ScenarioLoader.ScenarioError({
          file: decoded.file,
          problems: [{ path: "variants", message: `the scenario already has a variant ${variantName}; give --name` }]
        })
      }
      yield* Comply.check(decoded, request, variantName, outcome.steps)
      const description = `全部达标 by ${o.by} (reached: ${r.reachedYear ?? "no"}), written by seatplan comply with ${o.budget} yuan a year${
        request.hireQuota === undefined ? "" : ` and ${request.hireQuota} recruits a year`
      }: ${r.why}`
      const written = withVariant(fs.readFileSync(o.scenario, "utf8"), variantName, description, outcome.steps, o.variant)
      yield* Output.write(o.out.value, written)
      if (path.resolve(path.dirname(o.out.value)) !== path.resolve(path.dirname(o.scenario)) && s.settlementsFile !== undefined)
        yield* Console.error(`warning: ${o.out.value} names ${s.settlementsFile} relative to itself; copy it beside the file`)
      yield* Console.error(
        `wrote ${o.out.value} (variant ${variantName}); evaluate it: seatplan run ${o.out.value} --variant ${variantName}`
      )
    }
    if (r.reachedYear !== r.targetYear) {
      return yield* new Comply.TargetUnreachable({
        reason: `${decoded.file}: 全部达标 cannot be reached by ${r.targetYear}${r.reachedYear === null ? " within the horizon" : `; the earliest year is ${r.reachedYear}`}: ${r.why}`
      })
    }
  })
).pipe(
  Command.withDescription(
    described(
      "The least-cost plan that meets every counted standard (全部达标) by a year under a yearly budget: school groups, sharing, rotation, new schools, expansions, recruits, facility investments and books on top of a variant's plan (a heuristic with a bound); what binds (budget, teacher supply, land) and, when the year is out of reach, the earliest year and why",
      [
        "seatplan comply scenarios/county/scenario.yaml --variant layout --by 2030 --budget 50000000 --hire-quota 300",
        "seatplan comply scenarios/county/scenario.yaml --variant layout --by 2030 --budget 50000000 --out county-comply.yaml",
        "seatplan comply scenarios/tiny/scenario.yaml --by 2027 --budget 2000000 --format json"
      ]
    )
  )
)
