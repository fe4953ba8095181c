/**
 * `seatplan report SCENARIO`: the report alone. It is `run`'s own path (Run.prepare, Run.project,
 * Run.writeReport, Run.printPdf) writing only `report.html` (and with `--pdf` `report.pdf`): the event
 * store is kept in memory, and no table, workbook or map file is written.
 */
import { Command } from "@effect/cli"
import { ScenarioLoader } from "@seatplan/plan"
import { Console, Effect } from "effect"
import * as path from "node:path"
import { described } from "../Options.js"
import { printPdf, prepare, project, reportOptions, writeReport } from "./Run.js"

export const report = Command.make("report", reportOptions, (o) =>
  Effect.gen(function* () {
    const { loaded, language, dir, db } = yield* prepare(o, undefined)
    const results = yield* project(o, loaded, db)
    yield* writeReport(o, loaded, results, dir, language)
    const written = [path.join(dir, "report.html")]
    if (o.pdf) {
      yield* printPdf(dir, o.paper)
      written.push(path.join(dir, "report.pdf"))
    }
    for (const w of loaded.warnings ?? []) yield* Console.error(ScenarioLoader.warningLine(o.scenario, w))
    yield* Console.log(`wrote ${written.join(" and ")}`)
  })
).pipe(
  Command.withDescription(
    described(
      "Write report.html (and with --pdf report.pdf): the one-page summary, the variants compared, the maps and the standards, without the tables `run` writes",
      [
        "seatplan report scenarios/tiny/scenario.yaml",
        "seatplan report scenarios/county/scenario.yaml --lang zh --pdf --paper a3",
        "seatplan report scenarios/county/scenario.yaml --variant layout --lang en --out out/county-report",
        "seatplan report scenarios/county/scenario.yaml --tiles basemap/county.mbtiles   # tiles embedded: still one offline file",
        "seatplan report scenarios/county/scenario.yaml --tiles 'https://tiles.example.org/{z}/{x}/{y}.png'   # the page loads them from that host"
      ]
    )
  )
)
