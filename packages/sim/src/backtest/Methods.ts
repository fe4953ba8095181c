/** The projection methods a backtest compares, and the scopes it scores them at. */
import type * as GradeProgression from "../GradeProgression.js"

/** A projection method: the cohort-component engine, or grade progression with one ratio summary. */
export type Method = { readonly kind: "cohort-component" } | ({ readonly kind: "grade-progression" } & GradeProgression.CalibrateOptions)

/** Where an error is measured: the county, a catchment area (a township or the county seat), a school. */
export type Scope = "county" | "catchment" | "school"

export const scopes: ReadonlyArray<Scope> = ["county", "catchment", "school"]

/**
 * The methods a backtest compares by default: the cohort-component engine, and grade progression with
 * every ratio summary planners use over all recorded years, plus the mean over the last `window` years.
 */
export const defaultMethods = (window = 3): ReadonlyArray<Method> => [
  { kind: "cohort-component" },
  { kind: "grade-progression", summary: "mean" },
  { kind: "grade-progression", summary: "geometric-mean" },
  { kind: "grade-progression", summary: "median" },
  { kind: "grade-progression", summary: "last" },
  { kind: "grade-progression", summary: "recency-weighted" },
  { kind: "grade-progression", summary: "mean", window }
]

/** A method's short name: `cohort-component`, `gp-median`, `gp-mean-last3`, `gp-recency-weighted-0.8`. */
export const methodName = (m: Method): string => {
  if (m.kind === "cohort-component") return "cohort-component"
  const decay = m.summary === "recency-weighted" && m.recencyDecay !== undefined ? `-${m.recencyDecay}` : ""
  return `gp-${m.summary ?? "mean"}${decay}${m.window === undefined ? "" : `-last${m.window}`}`
}

/** Parses a method name written by `methodName`; undefined when it is not one. */
export const parseMethod = (name: string): Method | undefined => {
  if (name === "cohort-component") return { kind: "cohort-component" }
  const m = /^gp-(mean|geometric-mean|median|last|recency-weighted)(?:-([01](?:\.\d+)?))?(?:-last(\d+))?$/.exec(name)
  if (m === null) return undefined
  const summary = m[1] as GradeProgression.Summary
  if (m[2] !== undefined && summary !== "recency-weighted") return undefined
  if (m[3] !== undefined && Number(m[3]) < 1) return undefined
  return {
    kind: "grade-progression",
    summary,
    ...(m[2] === undefined ? {} : { recencyDecay: Number(m[2]) }),
    ...(m[3] === undefined ? {} : { window: Number(m[3]) })
  }
}
