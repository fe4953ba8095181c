/** Compiling fails as a value: a CompileError in an Either, never a throw, for each reason it can fail. */
import { assert, describe, it } from "@effect/vitest"
import { Ids, World } from "@seatplan/core"
import { Either, FastCheck as fc } from "effect"
import { Compile, Engine, Results, Synthetic } from "../src/index.js"

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

  it("events out of year order compile as their chronological order does (the one-pass split falls back to sorting)", () => {
    const events = region.events
    const later = events.find((e) => e._tag === "CatchmentAssigned")!
    const bits = (es: ReadonlyArray<(typeof events)[number]>) => {
      const cube = Engine.run(Compile.compile(es, { horizon: 2 }), { population: false })
      return Buffer.from(Results.schoolFigures(cube).buffer).toString("base64") + Buffer.from(cube.county.buffer).toString("base64")
    }
    fc.assert(
      fc.property(fc.nat(events.length - 1), fc.nat(events.length - 1), fc.boolean(), (from, to, farFuture) => {
        // one event moved elsewhere (usually out of order), and perhaps an event far past the horizon before it
        const moved = [...events]
        const [e] = moved.splice(from, 1)
        moved.splice(to, 0, e)
        if (farFuture) moved.splice(to, 0, { ...later, year: Ids.schoolYear(2100) })
        assert.strictEqual(bits(moved), bits(World.chronological(moved)))
      }),
      { numRuns: 8 }
    )
  })
})
