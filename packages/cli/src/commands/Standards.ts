import { Args, Command, Options } from "@effect/cli"
import { Standards } from "@seatplan/core"
import { Compliance } from "@seatplan/sim"
import { Console, Effect, Option } from "effect"
import * as Output from "../Output.js"
import { ScenarioLoader } from "@seatplan/plan"
import { described } from "../Options.js"
import * as Stopping from "../Stopping.js"

const scenario = Args.text({ name: "SCENARIO" }).pipe(
  Args.withDescription("a scenario file: list the rules and standards in force for it (default the national set)"),
  Args.optional
)
const format = Options.choice("format", ["table", "json", "csv"]).pipe(Options.withDefault("table" as const))

/** A threshold as the table shows it: a number, `classCap.{level}` = 45 / 50 …, or a column's name. */
const thresholdText = (rule: Compliance.Rule, values: Standards.Standards): string => {
  const t = rule.threshold
  if (typeof t === "number") return String(t)
  if ("column" in t) return `[${t.column}]`
  const keys = [...new Set(rule.levels.map((l) => t.standard.replace("{level}", l)))]
  return `${t.standard} = ${keys.map((k) => values[k as Standards.StandardKey]).join(" / ")}`
}

const sign = { "at-most": "≤", below: "<", "at-least": "≥", above: ">" } as const

/** `seatplan standards [SCENARIO]`: the rule set (达标规则) and the standards in force, with their sources. */
export const standards = Command.make("standards", { scenario, format }, (o) =>
  Effect.gen(function* () {
    const loaded = Option.isSome(o.scenario) ? yield* Stopping.atOnce(ScenarioLoader.loadBaseline(o.scenario.value)) : undefined
    const rules = loaded?.rules ?? Compliance.national
    const values = {
      ...Standards.defaults,
      ...Object.fromEntries(Object.entries(loaded?.scenario.standards ?? {}).filter(([, v]) => v !== undefined))
    } as Standards.Standards
    const standardRows = Standards.keys.map((key) => ({
      key,
      value: values[key],
      national: Standards.defaults[key],
      unit: Standards.catalogue[key].unit,
      zh: Standards.catalogue[key].zh,
      en: Standards.catalogue[key].en,
      source: Standards.catalogue[key].source
    }))
    if (o.format === "json") return yield* Console.log(JSON.stringify({ rules, standards: standardRows }, null, 1))
    if (o.format === "csv") {
      return yield* Console.log(
        Output.csv(rules.map((r) => ({ ...r, levels: r.levels.join(" "), threshold: thresholdText(r, values) }))).trimEnd()
      )
    }
    yield* Console.log(
      `rules (达标规则)${loaded === undefined ? ", national set" : ` in force for ${loaded.file}`}: a rule checks a column of the schools or county table`
    )
    yield* Console.log(
      Output.table(
        [
          ["id", "zh", "scope", "levels", "check", "counts", "source"],
          ...rules.map((r) => [
            r.id,
            r.zh,
            r.scope,
            r.levels.join(" "),
            `${r.column} ${sign[r.direction]} ${thresholdText(r, values)}`,
            r.counts ? "yes" : "no",
            r.source
          ])
        ],
        7
      )
    )
    yield* Console.log("\nstandards (标准) in force: change them with `standards:` in a scenario or a `standard` plan step")
    yield* Console.log(
      Output.table(
        [
          ["key", "value", "national", "unit", "zh"],
          ...standardRows.map((s) => [s.key, String(s.value), s.value === s.national ? "" : String(s.national), s.unit, s.zh])
        ],
        1
      )
    )
  })
).pipe(
  Command.withDescription(
    described("List the rule set (达标规则) and the standards in force, national or for a scenario, with sources", [
      "seatplan standards",
      "seatplan standards scenarios/county/scenario.yaml --format json"
    ])
  )
)
