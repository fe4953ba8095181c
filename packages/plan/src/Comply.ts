/**
 * `seatplan comply`'s plan side: the `comply-by` strategy run on its own on top of a variant's plan (or the
 * baseline), its report, and the variant that keeps the plan it writes (explicit steps that extend the
 * variant it started from, so a scenario replays it without running the strategy again).
 */
import { Data, Either } from "effect"
import type { PlanStep } from "./PlanStep.js"
import * as Scenario from "./Scenario.js"
import * as ScenarioLoader from "./ScenarioLoader.js"
import * as Strategies from "./Strategies.js"

/** 全部达标 cannot be reached by the year asked for (the report says the earliest year, if any, and why). */
export class TargetUnreachable extends Data.TaggedError("TargetUnreachable")<{ readonly reason: string }> {
  override get message() {
    return this.reason
  }
}

export interface Request {
  /** The variant whose plan comes first (`baseline`: none). */
  readonly variant: string
  readonly year: number
  readonly targetYear: number
  readonly budget: number
  readonly hireQuota?: number | undefined
  readonly groups?: boolean | undefined
}

export interface Outcome {
  readonly report: Strategies.ComplyByReport
  /** The steps the strategy writes (on top of the variant's plan). */
  readonly steps: ReadonlyArray<PlanStep>
  /** How many steps of each kind. */
  readonly kinds: Readonly<Record<string, number>>
}

/**
 * The comply-by strategy on top of `request.variant`'s plan: the steps it writes and its report. A variant the
 * scenario does not have, or a plan the domain rules refuse, is a `ScenarioError` located in the file.
 */
export const plan = (decoded: ScenarioLoader.Decoded, request: Request): Either.Either<Outcome, ScenarioLoader.ScenarioError> => {
  const fail = (message: string, path = "variants") =>
    Either.left(new ScenarioLoader.ScenarioError({ file: decoded.file, problems: [{ path, message }] }))
  const first = decoded.scenario.baseYear + 1
  const last = decoded.scenario.baseYear + (decoded.scenario.horizon ?? 15)
  // the years are options, not the file's: refused before the search, and not located in the file
  if (!Number.isInteger(request.year) || request.year < first || request.year > last)
    return fail(
      `--from: expected a school year from ${first} (after the base year) to ${last} (the horizon's last), found ${request.year}`,
      ""
    )
  if (!Number.isInteger(request.targetYear) || request.targetYear < request.year || request.targetYear > last)
    return fail(
      `--by: expected a school year from ${request.year} (the first year the plan acts in) to ${last} (the horizon's last), found ${request.targetYear}`,
      ""
    )
  let base: ReadonlyArray<PlanStep> = []
  if (request.variant !== "baseline") {
    const chain = ScenarioLoader.variantChain(decoded.scenario.variants, request.variant)
    if (chain.length === 0) {
      const known = ["baseline", ...decoded.scenario.variants.map((v) => v.name)].join(", ")
      return fail(`--variant: expected one of ${known}, found ${JSON.stringify(request.variant)}`)
    }
    const expanded = ScenarioLoader.expand({ ...decoded, scenario: { ...decoded.scenario, variants: chain } })
    if (Either.isLeft(expanded)) return Either.left(expanded.left)
    base = expanded.right.streams.variants.find((v) => v.name === request.variant)?.steps ?? []
  }
  const ctx = Scenario.contextOf(decoded.scenario, decoded.baseline, base)
  const { steps, report } = Strategies.complyByPlan(ctx, {
    year: request.year,
    targetYear: request.targetYear,
    budget: request.budget,
    ...(request.hireQuota === undefined ? {} : { hireQuota: request.hireQuota }),
    ...(request.groups === undefined ? {} : { groups: request.groups })
  })
  const kinds: Record<string, number> = {}
  for (const s of steps) kinds[s.type] = (kinds[s.type] ?? 0) + 1
  return Either.right({ report, steps, kinds })
}

/**
 * The written plan decided against the world (every step through the domain rules, 先建后撤 included): the
 * variant `name` extending `request.variant`, with `steps` as its events. Problems are the decider's refusals.
 */
export const check = (
  decoded: ScenarioLoader.Decoded,
  request: Request,
  name: string,
  steps: ReadonlyArray<PlanStep>
): Either.Either<void, ScenarioLoader.ScenarioError> => {
  const chain = request.variant === "baseline" ? [] : ScenarioLoader.variantChain(decoded.scenario.variants, request.variant)
  const variant = { name, events: steps, ...(request.variant === "baseline" ? {} : { extends: request.variant }) }
  return Either.map(
    ScenarioLoader.expand({ ...decoded, scenario: { ...decoded.scenario, variants: [...chain, variant] } }),
    () => undefined
  )
}
