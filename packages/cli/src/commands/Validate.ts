import { Args, Command } from "@effect/cli"
import { Console, Effect } from "effect"
import { ScenarioLoader } from "@seatplan/plan"
import { Completeness } from "@seatplan/sim"
import { described } from "../Options.js"
import * as Stopping from "../Stopping.js"

const scenario = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("a scenario file (YAML or JSON)"))

/**
 * `seatplan validate SCENARIO`: every problem at once, or "valid" with a one-line census and a one-line
 * data-completeness summary; warnings (births against age 0) on stderr, located like problems.
 */
export const validate = Command.make("validate", { scenario }, ({ scenario }) =>
  Effect.gen(function* () {
    const loaded = yield* Stopping.atOnce(ScenarioLoader.load(scenario))
    const s = loaded.scenario
    const events = loaded.streams.baseline.length + loaded.streams.variants.reduce((n, v) => n + v.events.length, 0)
    yield* Console.log(
      `valid: ${scenario}: ${s.name}${s.synthetic === true ? " (synthetic data)" : ""}; base year ${s.baseYear}, ` +
        `horizon ${s.horizon ?? 15} years; ${s.settlements.length} settlements, ${s.schools.length} schools, ` +
        `${s.variants.length} variant(s)${s.variants.length > 0 ? ` (${s.variants.map((v) => v.name).join(", ")})` : ""}; ${events} events`
    )
    yield* Console.log(Completeness.summary(loaded.completeness ?? [], loaded.missing ?? new Map()))
    for (const w of loaded.warnings ?? []) yield* Console.error(ScenarioLoader.warningLine(scenario, w))
  })
).pipe(
  Command.withDescription(
    described("Check a scenario file and report every problem with its line and field", ["seatplan validate scenarios/tiny/scenario.yaml"])
  )
)
