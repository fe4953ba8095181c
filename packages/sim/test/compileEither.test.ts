/** Compiling fails as a value: a CompileError in an Either, never a throw, for each reason it can fail. */
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { Compile, Synthetic } from "../src/index.js"

describe("Compile.compileEither", () => {
  const region = Synthetic.county(3)

  it("no population by age: a Left naming what is missing", () => {
    const r = Compile.compileEither([], { horizon: 1 })
    assert.isTrue(Either.isLeft(r) && r.left._tag === "CompileError" && /PopulationRecorded/.test(r.left.message))
  })

  it("grade progression without any enrolment history: a Left, where the cohort-component method compiles", () => {
    const events = region.events.filter((e) => e._tag !== "EnrolmentRecorded")
    const gp = Compile.compileEither(events, { horizon: 2, method: { kind: "grade-progression" } })
    assert.isTrue(Either.isLeft(gp) && gp.left._tag === "CompileError" && /grade progression/.test(gp.left.message))
    assert.isTrue(Either.isRight(Compile.compileEither(events, { horizon: 2 })))
  })
})
