/**
 * The files `seatplan run` writes for spreadsheets and data tools besides the CSV and JSON: `seatplan.xlsx`
 * and the Parquet files of the large tables (`Tabular` builds them).
 */
import type { Project } from "@seatplan/plan"
import type { Columns } from "@seatplan/sim"
import { Effect } from "effect"
import * as path from "node:path"
import * as Output from "./Output.js"
import * as Tabular from "./Tabular.js"
import * as Xlsx from "./Xlsx.js"

/** The large tables written as Parquet, with the registry table that types their columns. */
export const parquetTables = ["schools", "catchments", "population", "bands"] as const

/** `seatplan.xlsx` and `{schools,catchments,population,bands}.parquet` in `dir`; the names written. */
export const workbookAndParquet = (
  dir: string,
  results: ReadonlyArray<Project.VariantResult>,
  accounts: Readonly<Record<string, ReadonlyArray<object>>>,
  compared: ReadonlyArray<object>,
  lang: "zh" | "en"
): Effect.Effect<ReadonlyArray<string>, Output.WriteError> =>
  Effect.gen(function* () {
    const tables: ReadonlyArray<readonly [string, ReadonlyArray<object>, Columns.Table | undefined]> = [
      ["summary", results.flatMap((r) => Output.countySummary(r.county)), "county"],
      ["compare", compared, undefined],
      ["accounts", accounts.accounts ?? [], undefined],
      ["accounts-ledger", accounts["accounts-ledger"] ?? [], undefined],
      ["accounts-demand", accounts["accounts-demand"] ?? [], undefined],
      ["schools", results.flatMap((r) => r.schools), "schools"],
      ["county", results.flatMap((r) => r.county), "county"],
      ["catchments", results.flatMap((r) => r.catchments), "catchments"],
      ["population", results.flatMap((r) => r.population), "population"],
      ["bands", results.flatMap((r) => r.bands), undefined],
      ["standards", results.flatMap((r) => r.checks), undefined]
    ]
    const written: Array<string> = []
    yield* Xlsx.write(
      path.join(dir, "seatplan.xlsx"),
      tables.flatMap(([name, rows, table]) => Tabular.sheets(Tabular.sheetName(name, lang), rows, lang, table))
    )
    written.push("seatplan.xlsx")
    for (const name of parquetTables) {
      const [, rows, table] = tables.find(([n]) => n === name)!
      if (rows.length === 0) continue
      const file = path.join(dir, `${name}.parquet`)
      const bytes = yield* Effect.tryPromise({
        try: () => Tabular.parquet(rows, table),
        catch: (e) => new Output.WriteError({ file, code: "an error", detail: e instanceof Error ? e.message : String(e) })
      })
      yield* Output.write(file, bytes)
      written.push(`${name}.parquet`)
    }
    return written
  })
