/**
 * Event store and fold benchmarks: SQLite append throughput (batches of 1, 100 and 10,000 events),
 * read-all throughput, and fold throughput into the world state. Figures, not tests.
 */
import Database from "better-sqlite3"
import { Context, Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { type Event, EventStore, Ids, SqliteEventStore, World } from "@seatplan/core"

export interface Figure {
  readonly name: string
  readonly events: number
  readonly seconds: number
  readonly perSecond: number
  /** A throughput goal (per second, higher is better). */
  readonly goal?: number
  /** A time goal (seconds, lower is better). */
  readonly goalSeconds?: number
  /** A ratio to a reference measured in the same run (e.g. engine ÷ reference kernel), and its goal (lower is better). */
  readonly ratio?: number
  readonly goalRatio?: number
  readonly note?: string
}

const at = "2026-01-01T00:00:00.000Z"
const settlements = 200
const schools = 60

/** A realistic mix: mostly demographic and enrolment records, some school and teacher events. */
const syntheticEvents = (n: number): ReadonlyArray<Event.Event> => {
  const out: Array<Event.Event> = []
  for (let s = 0; s < settlements && out.length < n; s++) {
    out.push({
      _tag: "SettlementRecorded",
      year: Ids.schoolYear(2015),
      settlement: {
        id: Ids.settlementId(`S${s}`),
        name: `S${s}`,
        tier: s === 0 ? "county-seat" : s < 15 ? "township" : "village",
        lon: 113 + s / 1000,
        lat: 34
      }
    })
  }
  for (let k = 0; k < schools && out.length < n; k++) {
    out.push({
      _tag: "SchoolOpened",
      year: Ids.schoolYear(2015),
      school: {
        id: Ids.schoolId(`K${k}`),
        name: `K${k}`,
        type: k % 3 === 0 ? "junior" : "primary",
        settlementId: Ids.settlementId(`S${k}`),
        lon: 113,
        lat: 34,
        ownership: "public",
        facilities: {
          classrooms: 18,
          seats: 810,
          boardingBeds: 0,
          floorArea: 3600,
          sportsArea: 6000,
          equipmentValue: 1.6e6,
          multimediaRooms: 18,
          musicRooms: 1,
          artRooms: 1,
          books: 0
        },
        teachers: {
          byAge: { "under-30": 5, "30-39": 10, "40-49": 10, "50-54": 5, "55+": 3 },
          aboveDegree: 20,
          backbone: 4,
          peArts: 4,
          mentalHealth: 0
        }
      }
    })
  }
  for (let i = 0; out.length < n; i++) {
    const year = Ids.schoolYear(2015 + (i % 10))
    switch (i % 8) {
      case 0:
      case 1:
      case 2:
        out.push({ _tag: "EnrolmentRecorded", year, schoolId: Ids.schoolId(`K${i % schools}`), grade: 1 + (i % 6), pupils: 40 + (i % 90) })
        break
      case 3:
      case 4:
        out.push({ _tag: "BirthsRecorded", year, settlementId: Ids.settlementId(`S${i % settlements}`), births: 10 + (i % 40) })
        break
      case 5:
        out.push({
          _tag: "MigrationRecorded",
          year,
          from: Ids.settlementId(`S${i % settlements}`),
          to: Ids.settlementId("S0"),
          ages: { min: 6, max: 11 },
          count: 3,
          migrant: false
        })
        break
      case 6:
        out.push({
          _tag: "TeachersHired",
          year,
          schoolId: Ids.schoolId(`K${i % schools}`),
          count: 1,
          ageBand: "under-30",
          aboveDegree: 1,
          backbone: 0,
          peArts: 0,
          mentalHealth: 0
        })
        break
      default:
        out.push({
          _tag: "PopulationRecorded",
          year,
          settlementId: Ids.settlementId(`S${i % settlements}`),
          byAge: Array.from({ length: 19 }, (_, a) => 20 + a)
        })
    }
  }
  return out
}

const envelopes = (events: ReadonlyArray<Event.Event>, prefix: string): ReadonlyArray<Event.NewEvent> =>
  events.map((event, i) => ({ id: Ids.eventId(`${prefix}${i}`), recordedAt: at, event }))

const time = async (f: () => Promise<unknown> | unknown): Promise<number> => {
  const start = process.hrtime.bigint()
  await f()
  return Number(process.hrtime.bigint() - start) / 1e9
}

/** Runs the store benchmarks in a temporary directory; `scale` shrinks them for a smoke run. */
export const run = async (scale = 1): Promise<ReadonlyArray<Figure>> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-bench-"))
  const figures: Array<Figure> = []
  try {
    for (const [batch, total, goal] of [
      [1, 2_000, undefined],
      [100, 50_000, undefined],
      [10_000, 200_000, 100_000]
    ] as const) {
      const n = Math.max(batch, Math.round(total * scale))
      const filename = path.join(dir, `append-${batch}.sqlite`)
      const events = envelopes(syntheticEvents(n), "e")
      const seconds = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename })), EventStore.EventStore)
            return yield* Effect.promise(() =>
              time(() =>
                Effect.runPromise(
                  Effect.gen(function* () {
                    for (let i = 0; i < events.length; i += batch) {
                      yield* store.append(EventStore.baseline, events.slice(i, i + batch), i)
                    }
                  })
                )
              )
            )
          })
        )
      )
      figures.push({
        name: `SQLite append, batches of ${batch.toLocaleString("en")}`,
        events: n,
        seconds,
        perSecond: n / seconds,
        ...(goal === undefined ? {} : { goal })
      })
    }
    const readFile = path.join(dir, "append-10000.sqlite")
    const read = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename: readFile })), EventStore.EventStore)
          yield* store.readAll({ limit: 10_000 })
          let events: ReadonlyArray<Event.StoredEvent> = []
          const seconds = yield* Effect.promise(() => time(() => Effect.runPromise(Effect.map(store.readAll(), (all) => (events = all)))))
          return { seconds, events }
        })
      )
    )
    figures.push({
      name: "SQLite read all (decoded, upcast)",
      events: read.events.length,
      seconds: read.seconds,
      perSecond: read.events.length / read.seconds,
      goal: 500_000
    })
    const raw = new Database(readFile, { readonly: true })
    const page = raw
      .prepare("SELECT position, stream_seq, version, v, data FROM events WHERE position >= ? ORDER BY position LIMIT 10000")
      .raw(true)
    let rawRows = 0
    const rawSeconds = await time(() => {
      for (let next = 1; ; ) {
        const rows = page.all(next) as Array<[number]>
        rawRows += rows.length
        if (rows.length < 10_000) break
        next = rows[rows.length - 1][0] + 1
      }
    })
    raw.close()
    figures.push({
      name: "  ceiling: the driver alone (rows, no JSON)",
      events: rawRows,
      seconds: rawSeconds,
      perSecond: rawRows / rawSeconds
    })
    const payloads = read.events.map((e) => e.event)
    World.fold(payloads)
    const foldSeconds = await time(() => {
      for (let r = 0; r < 5; r++) World.fold(payloads)
    })
    figures.push({
      name: "fold into the world state",
      events: payloads.length * 5,
      seconds: foldSeconds,
      perSecond: (payloads.length * 5) / foldSeconds,
      goal: 2_000_000
    })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return figures
}
