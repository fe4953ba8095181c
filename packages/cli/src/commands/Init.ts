import { Args, Command, Options } from "@effect/cli"
import { Console, Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Output from "../Output.js"
import { jsonSchema } from "./Schema.js"
import { Project } from "@seatplan/plan"
import { described } from "../Options.js"
import { writeTemplate } from "./Workbook.js"

const dir = Args.text({ name: "DIR" }).pipe(Args.withDescription("a new or empty folder"))
const xlsx = Options.boolean("xlsx").pipe(
  Options.withDescription("write the Excel template (seatplan-template.xlsx: one sheet per record, one example row each) instead")
)

/** The bundled example, found from this module upward (the sources and the built bundle sit at different depths). */
const example = (() => {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "scenarios", "tiny", "scenario.yaml")
    if (fs.existsSync(file) || path.dirname(dir) === dir) return file
  }
})()

/** `seatplan init DIR`: a working example scenario (synthetic) and the JSON Schema, to start from. */
export const init = Command.make("init", { dir, xlsx }, ({ dir, xlsx }) =>
  Effect.gen(function* () {
    if (xlsx) return yield* writeTemplate(dir)
    const target = path.join(dir, "scenario.yaml")
    if (fs.existsSync(target)) return yield* new Project.RunError({ reason: `${target} exists; nothing was overwritten` })
    const text = fs.readFileSync(example, "utf8").replace("$schema=../seatplan.schema.json", "$schema=./seatplan.schema.json")
    yield* Output.write(target, text)
    yield* Output.write(path.join(dir, "seatplan.schema.json"), jsonSchema() + "\n")
    yield* Console.log(`wrote ${target} (a synthetic example county) and seatplan.schema.json; try: seatplan run ${target}`)
  })
).pipe(
  Command.withDescription(
    described("Write a working example scenario to start from, or the Excel template", [
      "seatplan init my-county",
      "seatplan init --xlsx my-county"
    ])
  )
)
