import { Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { described, scenario, store, variant, years } from "../Options.js"
import * as Store from "../Store.js"
import * as Output from "../Output.js"
import * as Stopping from "../Stopping.js"
import { Bands, Compare, Project, ScenarioLoader } from "@seatplan/plan"

const year = Options.integer("year").pipe(Options.withDescription("the school year to compare (default the last)"), Options.optional)
const format = Options.choice("format", ["table", "json", "csv"]).pipe(Options.withDefault("table" as const))
const bands = Options.text("bands").pipe(
  Options.withDescription("a backtest-bands.json (seatplan backtest): show pupils with their empirical bands"),
  Options.optional
)

/** `seatplan compare SCENARIO`: variants side by side on the deciding figures, deltas against the baseline, the six accounts. */
export const compare = Command.make("compare", { scenario, variant, year, years, format, bands, store }, (o) =>
  Effect.gen(function* () {
    const loaded = yield* Stopping.atOnce(ScenarioLoader.load(o.scenario))
    const names = o.variant
    // --store: the scenario's streams go into that store (again: idempotent); else a temporary SQLite file
    const dir = Option.isSome(o.store) ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-compare-"))
    const results = yield* Effect.gen(function* () {
      yield* Project.store(loaded)
      return yield* Project.run(loaded, { variants: names })
    }).pipe(
      Effect.provide(Store.layer(dir === undefined ? Option.getOrElse(o.store, () => "") : path.join(dir, "events.sqlite"))),
      Effect.ensuring(Effect.sync(() => dir !== undefined && fs.rmSync(dir, { recursive: true, force: true })))
    )
    const last = Math.max(...results[0].county.map((r) => r.year))
    // the compared year: --year, else the end of --years, else the last
    const y = Option.getOrElse(o.year, () => Option.match(o.years, { onNone: () => last, onSome: ([, to]) => to }))
    const first = Math.min(...results[0].county.map((r) => r.year))
    const range = Option.getOrElse(o.years, () => [y, y] as const)
    // --years checked first: without --year, the year compared is its end, and a range past the horizon was reported as --year's
    if (Option.isSome(o.years) && (range[0] < first || range[1] > last)) {
      return yield* new Project.RunError({ reason: `--years: expected years from ${first} to ${last}, found ${range[0]}..${range[1]}` })
    }
    if (y < first || y > last) {
      return yield* new Project.RunError({ reason: `--year: expected a year from ${first} to ${last}, found ${y}` })
    }
    const demand = Compare.seatDemand(results, loaded.scenario)
    const compared = Compare.compare(results, y, demand)
    const rangeYears = Array.from({ length: range[1] - range[0] + 1 }, (_, i) => range[0] + i)
    const peaks = Option.isSome(o.years) ? Compare.peaks(results, rangeYears, demand) : []
    const costs = Compare.costs(results, ...(Option.isSome(o.years) ? range : ([first, last] as const)))
    const moves = Compare.moves(results)
    const plans = Compare.plans(loaded.streams)
    const accounts = Compare.accounts(results, plans, y, demand)
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
        JSON.stringify({
          ...compared,
          ...(Option.isSome(o.years) ? { peaks } : {}),
          costs,
          moves,
          accounts,
          ledger,
          compliance,
          ...(banded === undefined ? {} : { bands: banded })
        })
      )
    }
    // people read the CSV and the table: whole figures, as the run's compare sheet has them
    const shown = Output.wholeCompared(compared.rows, results, demand)
    if (o.format === "csv") return yield* Console.log(Output.csv(shown).trimEnd())
    yield* Console.log(`== ${loaded.scenario.name}: variants in ${y}/${String((y + 1) % 100).padStart(2, "0")}\n`)
    yield* Console.log(
      Output.table([
        Compare.compareHeader("en"),
        ...shown.flatMap((r) => {
          const base = shown.find((b) => b.variant === results[0].variant && b.level === r.level)
          return r.variant === results[0].variant ? [Compare.cells(r)] : [Compare.cells(r), Compare.deltaCells(r, base, "  Δ vs baseline:")]
        })
      ])
    )
    // the peaks printed are those of the compared rows as printed (whole), the JSON's of the exact ones
    const printedPeaks = Option.isSome(o.years)
      ? Compare.peaks(results, rangeYears, demand, (rows) => Output.wholeCompared(rows, results, demand))
      : []
    if (printedPeaks.length > 0) {
      yield* Console.log(`\npeaks over ${range[0]}..${range[1]}: each figure's largest value (its year)`)
      const keys = [...new Set(printedPeaks.map((p) => `${p.variant}|${p.level}`))]
      yield* Console.log(
        Output.table([
          ["variant", "level", ...Compare.peakFigures.map((f) => Compare.compareHeader("en")[Compare.compareColumn(f)])],
          ...keys.map((key) => {
            const [variant, level] = key.split("|")
            return [
              variant,
              level,
              ...Compare.peakFigures.map((f) => {
                const p = printedPeaks.find((x) => x.variant === variant && x.level === level && x.figure === f)!
                return `${p.peak.toFixed(f === "max_distance_km" ? 1 : 0)} (${p.year})`
              })
            ]
          })
        ])
      )
    }
    const [from, to] = [costs[0]?.from ?? first, costs[0]?.to ?? last]
    yield* Console.log(`\ncost over ${from}..${to} (10k yuan; transport and boarding subsidies at the assumptions' unit costs):`)
    yield* Console.log(
      Output.table(
        [
          ["variant", "capital", "recurrent", "school transport", "boarding subsidies", "total", "Δ total vs baseline"],
          ...costs.map((c) => [
            c.variant,
            ...[c.capital, c.recurrent, c.transport, c.boarding_subsidy, c.total].map((v) => (v / 1e4).toFixed(0)),
            c.variant === costs[0].variant ? "" : ((c.total - costs[0].total) / 1e4).toFixed(0)
          ])
        ],
        1
      )
    )
    if (moves.length > 0) {
      yield* Console.log("\nschools closed and opened, by name: where the pupils go and how far")
      yield* Console.log(
        Output.table(
          [
            ["variant", "year", "change", "school", "pupils", "to", "km to it", "its mean trip (km)", "by bus (min)", "seats"],
            ...moves.map((m) => [
              m.variant,
              String(m.year),
              m.change,
              `${m.school} (${m.school_id})`,
              m.pupils.toFixed(0),
              m.into === "" ? "" : `${m.into} (${m.into_id})`,
              m.change === "closed" ? m.km_to_receiver.toFixed(1) : "",
              m.change === "closed" ? m.receiver_mean_km.toFixed(1) : "",
              m.change === "closed" ? m.receiver_mean_bus_min.toFixed(0) : "",
              m.change === "opened" ? m.seats.toFixed(0) : ""
            ])
          ],
          4
        )
      )
    }
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
    // summed over the school rows as schools.csv prints them (the JSON above sums the exact rows)
    const printed = Compare.accounts(results, plans, y, demand, undefined, true)
    yield* Console.log(Output.table([Compare.accountHeader, ...printed.map(Compare.accountCells)], 1))
    if (ledger.length > 0) {
      yield* Console.log("\nledger (台账): each plan's tasks by year and their share")
      yield* Console.log(Output.table([Compare.ledgerHeader, ...ledger.map(Compare.ledgerCells)], 1))
    }
  })
).pipe(
  Command.withDescription(
    described("Compare plan variants with the baseline: the figures that decide, standards (全部达标), the six accounts and the ledger", [
      "seatplan compare scenarios/county/scenario.yaml --year 2028",
      "seatplan compare scenarios/county/scenario.yaml --years 2026..2035",
      "seatplan compare scenarios/county/scenario.yaml --variant layout --variant phased --format json"
    ])
  )
)
