/**
 * Issue 12: the CSV headers of the tidy tables come from the column registry. Every header `Output.csv`
 * writes for the schools, county, catchments and population tables of a run equals `Columns.csvHeader`, so
 * a column added to a table but not to the registry (or renamed in one place only) fails here.
 */
import { describe, expect, it } from "@effect/vitest"
import { EventStore } from "@seatplan/core"
import { Compare, Project, ScenarioLoader } from "@seatplan/plan"
import { Columns } from "@seatplan/sim"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Output from "../src/Output.js"

const scenario = path.resolve(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml")
/** The tiny example forms no school group: the groups table comes from the plan package's two-school fixture. */
const grouped = path.resolve(import.meta.dirname, "../../plan/test/fixtures/groups/scenario.yaml")

describe("CSV headers from the column registry", () => {
  it.effect(
    "every table's CSV header is Columns.csvHeader(table), the comparison's and the accounts' included",
    () =>
      Effect.gen(function* () {
        const loaded = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(scenario, "utf8"), scenario))
        yield* Project.store(loaded)
        const results = yield* Project.run(loaded, { variants: [] })
        const demand = Compare.seatDemand(results, loaded.scenario)
        const withGroups = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(grouped, "utf8"), grouped))
        const groups = yield* Effect.gen(function* () {
          yield* Project.store(withGroups)
          return (yield* Project.run(withGroups, { variants: [] })).flatMap((r) => r.groups)
        }).pipe(Effect.provide(EventStore.layerMemory))
        const plans = Compare.plans(loaded.streams)
        const last = Math.max(...results[0].county.map((c) => c.year))
        const planned: Record<(typeof Columns.planTables)[number], ReadonlyArray<object>> = {
          compare: Compare.compare(results, last, demand).rows,
          accounts: Compare.accountsTable(results, plans, last, demand),
          ledger: Compare.ledger(results, plans),
          standards: results.flatMap((r) => [...r.checks])
        }
        for (const table of Columns.tables) {
          // the sweep's tables come from `seatplan sweep`: packages/cli/test/sweep.test.ts checks their headers
          if ((Columns.sweepTables as ReadonlyArray<string>).includes(table)) continue
          const rows =
            table === "seat_demand"
              ? demand
              : table === "completeness"
                ? (loaded.completeness ?? [])
                : table === "groups"
                  ? groups
                  : table in planned
                    ? planned[table as keyof typeof planned]
                    : results.flatMap((r): ReadonlyArray<object> => [...r[table as (typeof Columns.engineTables)[number]]])
          expect(rows.length, table).toBeGreaterThan(0)
          expect(Output.csv(rows).split("\n")[0].split(","), table).toEqual(Columns.csvHeader(table))
        }
      }).pipe(Effect.provide(EventStore.layerMemory)),
    120_000
  )

  it("flattens a record column under the registry's CSV prefix", () => {
    const dc = Columns.all.find((c) => c.id === "difference_coefficients")!
    const header = Output.csv([{ difference_coefficients: { a: 1, b: 2 } }]).split("\n")[0]
    expect(header).toBe(`${dc.csvPrefix}_a,${dc.csvPrefix}_b`)
  })
})
