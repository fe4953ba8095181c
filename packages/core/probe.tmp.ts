import { Context, Effect, Layer } from "effect"
import { EventStore, Ids, SqliteEventStore } from "./src/index.js"
import { syntheticEvents } from "../../bench/store.js"
import * as fs from "node:fs"
const filename = "/tmp/probe.sqlite"
for (const f of [filename, filename + "-wal", filename + "-shm"]) fs.rmSync(f, { force: true })
const evs = syntheticEvents(300000).map((event, i) => ({ id: Ids.eventId(`e${i}`), recordedAt: "2026-01-01T00:00:00.000Z", event }))
await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
  const store = Context.get(yield* Layer.build(SqliteEventStore.layer({ filename })), EventStore.EventStore)
  const t = performance.now()
  for (let i = 0; i < evs.length; i += 10000) yield* store.append(EventStore.baseline, evs.slice(i, i + 10000), i)
  console.log("append/s", (evs.length / ((performance.now() - t) / 1000)).toFixed(0))
})))
