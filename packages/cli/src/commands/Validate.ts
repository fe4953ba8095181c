import { Args, Command } from "@effect/cli"
import { Console, Effect } from "effect"
import { ScenarioLoader } from "@seatplan/plan"
import { described } from "../Options.js"

const scenario = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("a scenario file (YAML or JSON)"))

/** `seatplan validate SCENARIO`: every problem at once, or "valid" with a one-line census. */
export const validate = Command.make("validate", { scenario }, ({ scenario }) =>
  Effect.gen(function* () {
    const loaded = yield* ScenarioLoader.load(scenario)
    const s = loaded.scenario
    const events = loaded.streams.baseline.length + loaded.streams.variants.reduce((n, v) => n + v.events.length, 0)
    yield* Console.log(
      `valid: ${scenario}: ${s.name}${s.synthetic === true ? " (synthetic data)" : ""}; base year ${s.baseYear}, ` +
        `horizon ${s.horizon ?? 15} years; ${s.settlements.length} settlements, ${s.schools.length} schools, ` +
        `${s.variants.length} variant(s)${s.variants.length > 0 ? ` (${s.variants.map((v) => v.name).join(", ")})` : ""}; ${events} events`
    )
  })
).pipe(
  Command.withDescription(
    described("Check a scenario file and report every problem with its line and field", ["seatplan validate scenarios/tiny/scenario.yaml"])
  )
)
