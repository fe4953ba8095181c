/**
 * Golden outputs (Turf's test/in → test/out): the bundled scenarios' county tables, deterministic and
 * seeded, rounded to 3 decimals, against committed files. `REGEN=1 pnpm test` rewrites them after an
 * intended change; review the diff like code.
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore } from "@seatplan/core"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Project, ScenarioLoader } from "../src/index.js"

const root = path.resolve(import.meta.dirname, "../../..")
const cases = [
  { name: "tiny", file: "scenarios/tiny/scenario.yaml", seed: undefined },
  { name: "tiny-seed-42", file: "scenarios/tiny/scenario.yaml", seed: 42 },
  { name: "county", file: "scenarios/county/scenario.yaml", seed: undefined }
] as const

const round = (value: unknown): unknown =>
  typeof value === "number"
    ? Math.round(value * 1000) / 1000
    : Array.isArray(value)
    ? value.map(round)
    : typeof value === "object" && value !== null
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]))
    : value

describe("golden county tables of the bundled scenarios", () => {
  for (const c of cases) {
    it.effect(c.name, () =>
      Effect.gen(function*() {
        const file = path.join(root, c.file)
        const loaded = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(file, "utf8"), c.file))
        yield* Project.store(loaded)
        const results = yield* Project.run(loaded, { variants: [], ...(c.seed === undefined ? {} : { seed: c.seed }) })
        const county = round(results.flatMap((r) => r.county))
        const out = path.join(import.meta.dirname, "golden", `${c.name}.json`)
        if (process.env.REGEN !== undefined) fs.writeFileSync(out, JSON.stringify(county, null, 1) + "\n")
        assert.isTrue(fs.existsSync(out), `${out} is missing: run REGEN=1 pnpm test to write it`)
        assert.deepStrictEqual(county, JSON.parse(fs.readFileSync(out, "utf8")))
      }).pipe(Effect.provide(EventStore.layerMemory)), 120_000)
  }
})
