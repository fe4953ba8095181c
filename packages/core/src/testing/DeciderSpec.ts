/**
 * Given/when/then specifications for the decider (Emmett's `DeciderSpecification`), free of any test
 * runner so other packages and researchers can reuse them:
 *
 * ```ts
 * DeciderSpec.given(events).when(command).then(expectedEvents)
 * DeciderSpec.given(events).when(command).thenFails("ReceivingSchoolLacksSeats")
 * ```
 * Each `then…` throws an `Error` describing the difference when the expectation does not hold.
 */
import { Either } from "effect"
import type * as Command from "../Command.js"
import * as Decider from "../Decider.js"
import type { DomainError } from "../DomainError.js"
import type * as Event from "../Event.js"
import * as World from "../World.js"

export interface When {
  /** Asserts the command yields exactly these events. */
  readonly then: (expected: ReadonlyArray<Event.Event>) => void
  /** Asserts the command is refused with this error tag; returns the error for further checks. */
  readonly thenFails: (tag: DomainError["_tag"]) => DomainError
  /** The raw decision. */
  readonly result: Either.Either<ReadonlyArray<Event.Event>, DomainError>
}

export const given = (history: ReadonlyArray<Event.Event>) => ({
  when: (command: Command.Command): When => {
    const world = World.asOf(history, command.year)
    const result = Decider.decide(command, world)
    return {
      result,
      // biome-ignore lint/suspicious/noThenProperty: the given/when/then spec reads as prose; the object is never awaited
      then: (expected) => {
        if (Either.isLeft(result)) {
          throw new Error(`expected events, got ${result.left._tag}: ${result.left.message}`)
        }
        const same = result.right.length === expected.length && result.right.every((e, i) => canonical(e) === canonical(expected[i]))
        if (!same) {
          throw new Error(`expected ${canonical(expected)}\n     got ${canonical(result.right)}`)
        }
      },
      thenFails: (tag) => {
        if (Either.isRight(result)) throw new Error(`expected ${tag}, got events ${JSON.stringify(result.right)}`)
        if (result.left._tag !== tag) throw new Error(`expected ${tag}, got ${result.left._tag}: ${result.left.message}`)
        return result.left
      }
    }
  }
})

/** JSON with object keys sorted, so two values compare equal whatever order their fields were written in. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v
  )
