/**
 * Fuzzing the scenario loader (issue 11): hostile mutations of the example scenarios (type swaps, removed
 * and duplicated ids, non-finite and huge numbers, truncation, deep nesting, aliases, bad bytes, BOM, CRLF,
 * tabs…) loaded in-process. Every case gives a scenario or a ScenarioError whose every problem has a line
 * and column (and a field path unless it is about the whole document), one line of at most 500 characters
 * each; never a throw, a defect or an "internal error". `pnpm fuzz --runs N` runs a larger corpus.
 */
import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { arbitraryCase, mutations, run, sources } from "./fuzz/mutations.js"

describe("fuzzing the scenario loader", () => {
  it("2,000 mutated scenarios: every failure is a located ScenarioError, never an internal error", async () => {
    const seen = new Set<string>()
    let accepted = 0
    let n = 0
    await fc.assert(
      fc.asyncProperty(arbitraryCase(), async (c) => {
        // let the worker answer vitest between cases (a long synchronous test times its RPC out)
        if (++n % 20 === 0) await new Promise((resolve) => setImmediate(resolve))
        const outcome = run(c)
        seen.add(c.mutation.split(" + ")[0])
        if (outcome.accepted) accepted++
        if (outcome.faults.length > 0) throw new Error(`${c.source}, ${c.mutation}: ${outcome.faults.slice(0, 3).join("; ")}`)
      }),
      { numRuns: 2_000 }
    )
    // the corpus reaches every kind of mutation, and some cases stay valid (the fuzz is not all noise)
    assert.strictEqual(seen.size, mutations.length)
    assert.isAbove(accepted, 0)
  }, 240_000)

  it("each mutation once on the tiny example, a few on the county and backtest ones", async () => {
    const bigOnes = new Set(["value swap", "tab indentation", "removed id line", "bad bytes", "deep nesting"])
    for (const source of Object.keys(sources) as Array<keyof typeof sources>) {
      for (const m of mutations) {
        if (!source.startsWith("tiny") && !bigOnes.has(m.name)) continue
        await new Promise((resolve) => setImmediate(resolve))
        const applied = m.apply(sources[source], [7919, 104_729, 31])
        const outcome = run({ source, mutation: m.name, bytes: typeof applied === "string" ? Buffer.from(applied) : applied })
        assert.deepStrictEqual(outcome.faults, [], `${source}, ${m.name}`)
      }
    }
  }, 240_000)
})
