import { parentPort, workerData } from "node:worker_threads"
import * as LargeTables from "../LargeTables.js"

// `seatplan run`'s long tables (LargeTables), written in a worker thread while the command's thread writes
// the others: each job posted is written in turn from the data given at the start.
const data = workerData as LargeTables.Data
const post = (message: LargeTables.Message) => parentPort!.postMessage(message)

parentPort!.on("message", (job: LargeTables.Job) => {
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
  }
})
