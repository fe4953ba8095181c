import { Command, Options } from "@effect/cli"
import { Console, Effect, JSONSchema, Option } from "effect"
import * as Output from "../Output.js"
import { Scenario } from "@seatplan/plan"
import { described } from "../Options.js"

const out = Options.text("out").pipe(Options.withDescription("write the schema to this file instead of printing it"), Options.optional)

/** The JSON Schema of scenario files, generated from the same Schema the loader decodes with. */
export const jsonSchema = (): string => JSON.stringify(JSONSchema.make(Scenario.ScenarioFile), null, 2)

/** `seatplan schema [--out FILE]`: a JSON Schema so editors validate and autocomplete scenario files. */
export const schema = Command.make("schema", { out }, ({ out }) =>
  Option.match(out, {
    onNone: () => Console.log(jsonSchema()),
    onSome: (file) =>
      Output.write(file, jsonSchema() + "\n").pipe(Effect.zipRight(Console.log(`wrote the scenario JSON Schema to ${file}`)))
  })
).pipe(
  Command.withDescription(
    described("Print the JSON Schema of scenario files (for editors)", ["seatplan schema --out scenarios/seatplan.schema.json"])
  )
)
