import { type Event, Jsonl } from "@seatplan/core"
import { Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"

/** The events of a stream of the bundled synthetic example (Lanshui County), fork prefix included. */
export const tiny = (stream: "baseline" | "plan/township"): ReadonlyArray<Event.Event> => {
  const file = path.join(import.meta.dirname, "../../../scenarios/tiny/events.jsonl")
  const entries = Either.getOrThrow(Jsonl.decode(fs.readFileSync(file, "utf8"), file))
  const out: Array<Event.Event> = []
  for (const e of entries) {
    if (e._tag === "Event" && (e.stored.stream === stream || e.stored.stream === "baseline")) out.push(e.stored.event)
  }
  return out
}
