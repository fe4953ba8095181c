import { Command, Options } from "@effect/cli"
import { SqliteEventStore } from "@seatplan/core"
import { Console, Effect, Option } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { described, scenario, variant } from "../Options.js"
import * as Output from "../Output.js"
import { Bands, Compare, Project, ScenarioLoader } from "@seatplan/plan"

const year = Options.integer("year").pipe(Options.withDescription("the school year to compare (default the last)"), Options.optional)
const format = Options.choice("format", ["table", "json", "csv"]).pipe(Options.withDefault("table" as const))
const bands = Options.text("bands").pipe(
  Options.withDescription("a backtest-bands.json (seatplan backtest): show pupils with their empirical bands"),
  Options.optional
)

/** `seatplan compare SCENARIO`: variants side by side on the deciding figures, deltas against the baseline, the six accounts. */
export const compare = Command.make("compare", { scenario, variant, year, format, bands }, (o) =>
  Effect.gen(function* () {
    const loaded = yield* ScenarioLoader.load(o.scenario)
    const names = o.variant
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-compare-"))
    const results = yield* Effect.gen(function* () {
      yield* Project.store(loaded)
      return yield* Project.run(loaded, { variants: names })
    }).pipe(
      Effect.provide(SqliteEventStore.layer({ filename: path.join(dir, "events.sqlite") })),
      Effect.ensuring(Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
    )
    const last = Math.max(...results[0].county.map((r) => r.year))
    const y = Option.getOrElse(o.year, () => last)
    const first = Math.min(...results[0].county.map((r) => r.year))
    if (y < first || y > last) {
      return yield* new Project.RunError({ reason: `--year: expected a year from ${first} to ${last}, found ${y}` })
    }
    const compared = Compare.compare(results, y, Compare.seatDemand(results, loaded.scenario))
    const plans = Compare.plans(loaded.streams)
    const accounts = Compare.accounts(results, plans, y)
    const ledger = Compare.ledger(results, plans)
    const compliance = results.map((r) => r.compliance)
    const banded = Option.isSome(o.bands)
      ? Bands.county(
          compared.rows,
          yield* Bands.read(o.bands.value),
          loaded.scenario.method ?? "cohort-component",
          loaded.scenario.baseYear
        )
      : undefined
    if (o.format === "json") {
      return yield* Console.log(
        JSON.stringify({ ...compared, accounts, ledger, compliance, ...(banded === undefined ? {} : { bands: banded }) })
      )
    }
    if (o.format === "csv") return yield* Console.log(Output.csv(compared.rows).trimEnd())
    yield* Console.log(`== ${loaded.scenario.name}: variants in ${y}/${String((y + 1) % 100).padStart(2, "0")}\n`)
    yield* Console.log(Output.table([Compare.compareHeader("en"), ...compared.rows.map((r) => Compare.cells(r))]))
    yield* Console.log("\nstandards (达标): the year from which every counted rule passes everywhere, in every later year")
    yield* Console.log(Output.table([Compare.complianceHeader, ...compliance.map((c) => Compare.complianceCells(c, last))], 1))
    yield* Console.log("\nthe year from which each rule holds everywhere (— fails in the last year), and the years it fails in:")
    yield* Console.log(Output.table([["rule", "", ...results.map((r) => r.variant)], ...Compare.ruleYears(results, loaded.rules)], 2))
    if (banded !== undefined) {
      yield* Console.log(
        `\npupils with the empirical band of past errors (${banded[0]?.method ?? ""}, ${y - loaded.scenario.baseYear} years ahead):`
      )
      yield* Console.log(
        Output.table([
          [...Output.countyLabels("variant", "level", "pupils"), "low", "high"],
          ...banded.map((b) => [
            b.variant,
            b.level,
            b.pupils.toFixed(0),
            b.lower === undefined ? "" : b.lower.toFixed(0),
            b.upper === undefined ? "" : b.upper.toFixed(0)
          ])
        ])
      )
    }
    yield* Console.log("\nsix accounts (六笔账):")
    yield* Console.log(Output.table([Compare.accountHeader, ...accounts.map(Compare.accountCells)], 1))
    if (ledger.length > 0) {
      yield* Console.log("\nledger (台账): each plan's tasks by year and their share")
      yield* Console.log(Output.table([Compare.ledgerHeader, ...ledger.map(Compare.ledgerCells)], 1))
    }
  })
).pipe(
  Command.withDescription(
    described("Compare plan variants with the baseline: the figures that decide, standards (全部达标), the six accounts and the ledger", [
      "seatplan compare scenarios/county/scenario.yaml --year 2028",
      "seatplan compare scenarios/county/scenario.yaml --variant layout --variant phased --format json"
    ])
  )
)
