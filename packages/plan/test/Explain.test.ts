/**
 * `Explain.cite` from the events' index (`Explain.citing`, made once for a report's every school) cites
 * exactly what walking the whole log cites: on arbitrary logs of every event kind it tests, with ids drawn
 * from small pools so that schools and settlements share names, and on the county example's every school.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Event, EventStore } from "@seatplan/core"
import { Provenance } from "@seatplan/sim"
import { Effect, Either } from "effect"
import fc from "fast-check"
import * as fs from "node:fs"
import * as path from "node:path"
import { Explain, Project, ScenarioLoader } from "../src/index.js"

const schools = ["S1", "S2", "S3", "V1"]
const places = ["V1", "V2", "V3", "S1"]
const school = fc.constantFrom(...schools)
const place = fc.constantFrom(...places)
const year = fc.integer({ min: 2020, max: 2030 })
const level = fc.constantFrom("kindergarten", "primary", "junior", "senior")

/** An event of a kind `cite` tests, with only the fields it reads (the rest of an event is not read). */
const event: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ _tag: fc.constant("SchoolOpened"), year, school: fc.record({ id: school }) }),
  fc.record({ _tag: fc.constant("SchoolsMerged"), year, into: school, absorbed: fc.array(school, { minLength: 1, maxLength: 2 }) }),
  fc.record({ _tag: fc.constant("SchoolClosed"), year, schoolId: school, pupilsTo: fc.option(school, { nil: undefined }) }),
  fc.record({
    _tag: fc.constantFrom("SchoolExpanded", "SchoolRepurposed", "SchoolConverted", "BoardingChanged", "TeachersHired"),
    year,
    schoolId: school
  }),
  fc.record({ _tag: fc.constant("CatchmentAssigned"), year, settlementId: place, schoolId: school, level }),
  fc.record({
    _tag: fc.constantFrom("PopulationRecorded", "BirthsRecorded", "HousingCompleted", "SettlementRecorded"),
    year,
    settlementId: place
  }),
  fc.record({ _tag: fc.constant("MigrationRecorded"), year, from: place, to: place }),
  fc.record({ _tag: fc.constant("StandardChanged"), year })
)

const log = fc
  .array(event, { maxLength: 60 })
  .map((es) => es.map((e, i) => ({ id: `e${i}`, recordedAt: "2026-01-01T00:00:00.000Z", event: e }) as unknown as Event.NewEvent))

/** A trace with only what `cite` reads: the school, level, years and contributing settlements (with their cohorts' ages). */
const trace = fc
  .record({
    schoolId: school,
    level,
    baseYear: year,
    after: fc.integer({ min: 0, max: 6 }),
    settlements: fc.uniqueArray(
      fc.record({ settlementId: place, ages: fc.array(fc.integer({ min: 3, max: 17 }), { minLength: 1, maxLength: 3 }) }),
      { selector: (s) => s.settlementId, maxLength: 3 }
    )
  })
  .map(
    (t) =>
      ({
        schoolId: t.schoolId,
        level: t.level,
        baseYear: t.baseYear,
        year: t.baseYear + t.after,
        settlements: t.settlements.map((s) => ({ settlementId: s.settlementId, cohorts: s.ages.map((age) => ({ age })) }))
      }) as unknown as Provenance.Trace
  )

describe("Explain.cite from the index", () => {
  it("cites what walking the whole log cites, in the same order, for either metric", () => {
    fc.assert(
      fc.property(
        log,
        fc.array(trace, { minLength: 1, maxLength: 5 }),
        fc.constantFrom<Explain.Metric>("pupils", "classes"),
        (events, traces, metric) => {
          const index = Explain.citing(events)
          for (const t of traces) assert.deepStrictEqual(Explain.cite(index, t, metric), Explain.cite(events, t, metric))
        }
      ),
      { numRuns: 500 }
    )
  })

  it.effect(
    "on the county example: every school's explanation of every variant, two years, both metrics",
    () =>
      Effect.gen(function* () {
        const root = path.resolve(import.meta.dirname, "../../..")
        const file = "scenarios/county/scenario.yaml"
        const loaded = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(path.join(root, file), "utf8"), file))
        yield* Project.store(loaded)
        const results = yield* Project.run(loaded, { variants: [] })
        let cited = 0
        for (const r of results) {
          const index = Explain.citing(r.events)
          for (const y of [loaded.scenario.baseYear + 1, loaded.scenario.baseYear + 8]) {
            for (const t of Either.getOrThrow(Provenance.traceAll(r.model, y))) {
              for (const metric of ["pupils", "classes"] as const) {
                const walked = Explain.explain(r.variant, metric, t, r.events)
                assert.deepStrictEqual(Explain.explain(r.variant, metric, t, index), walked)
                cited += walked.events.length
              }
            }
          }
        }
        assert.isAbove(cited, 1000)
      }).pipe(Effect.provide(EventStore.layerMemory)),
    120_000
  )
})
