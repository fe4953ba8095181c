import { parentPort } from "node:worker_threads"
import * as LargeTables from "../LargeTables.js"

// `seatplan run`'s long tables (LargeTables), written in a worker thread while the command's thread writes
// the others: each table posted (its files and the figures they are written from) is written in turn.
const post = (message: LargeTables.Message) => parentPort!.postMessage(message)

parentPort!.on("message", ({ data, jobs }: LargeTables.Batch) => {
  for (const job of jobs) {
    try {
      LargeTables.writeJob(data, job)
      post({ done: job.file })
    } catch (e) {
      post({
        failed: {
          file: job.file,
          code: (e as NodeJS.ErrnoException).code ?? "an error",
          detail: e instanceof Error ? e.message : String(e)
        }
      })
      return
    }
  }
})
