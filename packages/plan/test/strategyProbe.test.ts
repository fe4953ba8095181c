/**
 * A strategy's probe (the plan so far plus the steps it tries, decided against the world) that decide
 * refuses fails the strategy with one problem at the strategy, never an exception out of toStreams.
 */
import { assert, describe, it } from "@effect/vitest"
import { Synthetic } from "@seatplan/sim"
import { Either } from "effect"
import { FromEvents, Scenario } from "../src/index.js"

describe("a strategy whose probe decide refuses", () => {
  it("is reported as the strategy's problem: 'could not run: a step it probed was refused: …'", () => {
    const g = Either.getOrThrow(Synthetic.generate({ seed: 3, settlements: 60 }))
    const base = g.baseYear
    const scenarioOf = (events: ReadonlyArray<Scenario.PlanStep>) =>
      ({
        ...FromEvents.scenarioOf(g.events, { name: "probe test (synthetic)", description: "synthetic", baseYear: base, horizon: 10 }),
        variants: [{ name: "plan", events, strategies: [{ strategy: "primary-toward-townships", year: base + 2, maxPupils: 10_000 }] }]
      }) as Scenario.ScenarioFile
    // the schools the strategy closes village primaries into
    const planned = Either.getOrThrow(Scenario.toStreams(scenarioOf([])))
    const receivers = [...new Set(planned.variants[0].steps.flatMap((s) => (s.type === "close" && s.into !== undefined ? [s.into] : [])))]
    assert.isAbove(receivers.length, 0)
    // the plan so far expands them hugely, but only late: the strategy sees the seats (the world after the
    // whole plan so far) and probes its closures without expanding first, which decide refuses in base + 3
    const late: ReadonlyArray<Scenario.PlanStep> = receivers.map((school) => ({
      type: "expand",
      year: base + 9,
      school,
      classrooms: 200,
      seats: 9000
    }))
    const streams = Scenario.toStreams(scenarioOf(late))
    assert.isTrue(Either.isLeft(streams))
    const problems = Either.isLeft(streams) ? streams.left : []
    const probe = problems.filter((p) => /strategy could not run/.test(p.message))
    assert.strictEqual(probe.length, 1, JSON.stringify(problems.slice(0, 3)))
    assert.deepStrictEqual(probe[0].path, ["variants", 0, "strategies", 0])
    assert.match(probe[0].message, /^the primary-toward-townships strategy could not run: a step it probed was refused: .+/)
  })
})
