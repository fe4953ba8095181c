import { Args, Command, Options } from "@effect/cli"
import { Console, Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Output from "../Output.js"
import { jsonSchema } from "./Schema.js"
import { Project } from "@seatplan/plan"
import { Assumptions } from "@seatplan/sim"
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

/**
 * The birth index written out with a comment (the default national series, so the projection is the
 * example's), where a new user finds what drives future births: before `allocation:` (or at the end), unless
 * the example already sets assumptions.
 */
const withBirthIndex = (text: string): string => {
  if (/^assumptions:/m.test(text)) return text
  const block = [
    "# The birth index (出生指数) drives births after the base year: a settlement's births in a later year are its",
    "# base-year births (history.births, else its children aged 0) × birthIndex[year] / birthIndex[base year]; a",
    "# year not listed repeats the last one listed. These are national live births in millions (国家统计局, the",
    "# default): put your province's or county's own series here. Births recorded for later years under",
    "# history.births (provisional figures) replace the projection for their settlement and year.",
    "assumptions:",
    "  birthIndex:",
    ...Object.entries(Assumptions.nationalBirths).map(([year, births]) => `    ${year}: ${births}`),
    ""
  ].join("\n")
  const at = text.search(/^allocation:/m)
  return at < 0 ? `${text.endsWith("\n") ? text : `${text}\n`}${block}` : `${text.slice(0, at)}${block}${text.slice(at)}`
}

/** `seatplan init DIR`: a working example scenario (synthetic) and the JSON Schema, to start from. */
export const init = Command.make("init", { dir, xlsx }, ({ dir, xlsx }) =>
  Effect.gen(function* () {
    if (xlsx) return yield* writeTemplate(dir)
    const target = path.join(dir, "scenario.yaml")
    if (fs.existsSync(target)) return yield* new Project.RunError({ reason: `${target} exists; nothing was overwritten` })
    const text = withBirthIndex(
      fs.readFileSync(example, "utf8").replace("$schema=../seatplan.schema.json", "$schema=./seatplan.schema.json")
    )
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
