/** The rows a backtest produces: one per forecast scored (ErrorRow), and the metrics per group (SummaryRow). */
import type * as School from "@seatplan/core/School"
import type { Cell } from "./Records.js"
import type { Scope } from "./Methods.js"

export interface ErrorRow extends Cell {
  readonly method: string
  readonly origin: number
  readonly error_pct: number
  readonly abs_error_pct: number
  /** The empirical band for the actual, from the other origins' errors (leave-one-origin-out). */
  readonly empirical_lower: number | undefined
  readonly empirical_upper: number | undefined
  readonly in_empirical: boolean | undefined
  /** The Monte Carlo band (replicates of the stochastic engine) for the actual, when replicates were run. */
  readonly mc_lower: number | undefined
  readonly mc_upper: number | undefined
  readonly in_mc: boolean | undefined
}

/** The published metrics per method, level, scope and horizon. Shares are 0..1, errors in percent. */
export interface SummaryRow {
  readonly method: string
  readonly level: School.Level
  readonly scope: Scope
  readonly horizon: number
  /** Forecasts scored. */
  readonly n: number
  readonly mean_error_pct: number
  readonly mape: number
  readonly median_ape: number
  readonly max_ape: number
  readonly within_2: number
  readonly within_5: number
  /** How often the actual fell inside the empirical band, over `empirical_n` rows that had one (undefined: none had). */
  readonly empirical_coverage: number | undefined
  readonly empirical_n: number
  readonly mc_coverage: number | undefined
  readonly mc_n: number
}
