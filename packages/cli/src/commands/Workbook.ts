/**
 * `seatplan import WORKBOOK.xlsx` and `seatplan export SCENARIO`: a scenario to and from the workbook a
 * bureau keeps (`@seatplan/plan`'s `Workbook`; exceljs at the edge, `Xlsx`).
 */
import { Args, Command, Options } from "@effect/cli"
import { Project, Scenario, ScenarioLoader, Workbook } from "@seatplan/plan"
import { Console, Effect, Either, Option, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { parse } from "yaml"
import { described } from "../Options.js"
import * as Output from "../Output.js"
import * as Xlsx from "../Xlsx.js"
import * as Stopping from "../Stopping.js"

const workbook = Args.text({ name: "WORKBOOK" }).pipe(Args.withDescription("an Excel workbook (.xlsx) in the template's layout"))
const out = Options.text("out").pipe(
  Options.withDescription("the scenario file to write (default: the workbook's name with .yaml)"),
  Options.optional
)
const force = Options.boolean("force").pipe(Options.withDescription("replace the output file when it exists"))

/** Refuses to replace a file unless asked to. */
const fresh = (file: string, force: boolean) =>
  !force && fs.existsSync(file)
    ? Effect.fail(new Project.RunError({ reason: `${file} exists; nothing was overwritten (--force replaces it)` }))
    : Effect.void

/**
 * `seatplan import WORKBOOK.xlsx --out scenario.yaml`: the workbook as a scenario file, validated as
 * `seatplan validate` does; every problem at once at its sheet and cell, and nothing written when there is one.
 */
export const importWorkbook = Command.make("import", { workbook, out, force }, (o) =>
  Effect.gen(function* () {
    const target = Option.getOrElse(o.out, () => o.workbook.replace(/\.xlsx$/i, "") + ".yaml")
    yield* fresh(target, o.force)
    const sheets = yield* Xlsx.read(o.workbook)
    const imported = Workbook.toScenario(sheets, o.workbook, target)
    if (Either.isLeft(imported)) return yield* imported.left
    const { scenario, yaml, loaded } = imported.right
    yield* Output.write(target, `# imported by \`seatplan import\` from ${path.basename(o.workbook)}\n${yaml}`)
    const s = scenario as { settlements: ReadonlyArray<unknown>; schools: ReadonlyArray<unknown> }
    yield* Console.log(
      `wrote ${target}: ${s.settlements.length} settlements, ${s.schools.length} schools, ${loaded.streams.variants.length} variant(s); valid`
    )
  })
).pipe(
  Command.withDescription(
    described("Turn a workbook in the template's layout into a scenario file, reporting every problem at its cell", [
      "seatplan import county.xlsx --out scenarios/county.yaml"
    ])
  )
)

const scenarioArg = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("a scenario file (YAML or JSON)"))
const xlsxOut = Options.text("out").pipe(
  Options.withDescription("the workbook to write (default: the scenario's name with .xlsx)"),
  Options.optional
)

/** `seatplan export SCENARIO --out FILE.xlsx`: a scenario as the workbook `import` reads. */
export const exportWorkbook = Command.make("export", { scenario: scenarioArg, out: xlsxOut, force }, (o) =>
  Effect.gen(function* () {
    const target = Option.getOrElse(o.out, () => o.scenario.replace(/\.(ya?ml|json)$/i, "") + ".xlsx")
    yield* fresh(target, o.force)
    yield* Stopping.atOnce(ScenarioLoader.loadBaseline(o.scenario))
    // the file as written (not completed: a settlements file and tier totals stay what they are)
    const text = fs.readFileSync(o.scenario, "utf8").replace(/^\uFEFF/, "")
    const scenario = Schema.decodeUnknownSync(Scenario.ScenarioFile)(parse(text))
    yield* Xlsx.write(target, Workbook.fromScenario(scenario))
    yield* Console.log(`wrote ${target}: ${scenario.settlements.length} settlements, ${scenario.schools.length} schools`)
  })
).pipe(
  Command.withDescription(
    described("Write a scenario as a workbook in the template's layout (seatplan import reads it back)", [
      "seatplan export scenarios/tiny/scenario.yaml --out tiny.xlsx"
    ])
  )
)

/** `seatplan init --xlsx DIR`: the template workbook, one example row per sheet. */
export const writeTemplate = (dir: string) =>
  Effect.gen(function* () {
    const target = path.join(dir, "seatplan-template.xlsx")
    if (fs.existsSync(target)) return yield* new Project.RunError({ reason: `${target} exists; nothing was overwritten` })
    yield* Xlsx.write(target, Workbook.fromScenario(Workbook.template))
    yield* Console.log(
      `wrote ${target} (a template: one example row per sheet); fill it in, then: seatplan import ${target} --out scenario.yaml`
    )
  })
