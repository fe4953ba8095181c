/**
 * Issue 11 item 5: before stores refused NaN, the SQLite store wrote it as null, and from then on
 * `events export` of that store died with an internal error. A store written so is still exported up to
 * the bad event, which is then named (position, stream, id, type, field) in a typed failure, not a crash.
 */
import { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Cause, Context, Effect, Exit, Layer } from "effect"
import * as path from "node:path"
import { EventStore, Ids, Jsonl, SqliteEventStore } from "../src/index.js"

describe("a store holding an event written with NaN (as null) by an older seatplan", () => {
  it.scoped("events export fails with a typed error naming the event and the field, not an internal error", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const filename = path.join(dir, "old.sqlite")
      const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename })), EventStore.EventStore)
      yield* store.append(
        Ids.streamId("baseline"),
        [
          {
            id: Ids.eventId("b1"),
            recordedAt: "2026-01-01T00:00:00.000Z",
            event: { _tag: "BirthsRecorded", year: Ids.schoolYear(2024), settlementId: Ids.settlementId("S0"), births: 10 }
          }
        ],
        0
      )
      const db = new Database(filename)
      db.prepare("UPDATE streams SET version = 2 WHERE stream = 'baseline'").run()
      db.prepare("INSERT INTO events (stream_seq, version, id, type, year, v, data) VALUES (1, 2, 'x1', 'SchoolExpanded', 2025, 1, ?)").run(
        JSON.stringify({
          id: "x1",
          recordedAt: "2026-01-01T00:00:00.000Z",
          event: {
            _tag: "SchoolExpanded",
            year: 2025,
            schoolId: "A",
            classrooms: 0,
            seats: 0,
            boardingBeds: 0,
            floorArea: NaN,
            sportsArea: 0,
            equipmentValue: 0,
            multimediaRooms: 0,
            musicRooms: 0,
            artRooms: 0
          }
        })
      )
      db.close()
      const out = path.join(dir, "log.jsonl")
      const exit = yield* Effect.exit(Jsonl.exportTo(out).pipe(Effect.provideService(EventStore.EventStore, store)))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        assert.isFalse(Cause.isDie(exit.cause), "a typed failure, not a defect")
        const error = Cause.squash(exit.cause) as Error
        assert.include(error.message, "event at position 2 (baseline version 2, x1, SchoolExpanded)")
        assert.include(error.message, "floorArea")
      }
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})
