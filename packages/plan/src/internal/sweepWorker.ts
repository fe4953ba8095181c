import { MonteCarlo } from "@seatplan/sim"
import { parentPort, workerData } from "node:worker_threads"
import * as Sweep from "../Sweep.js"

// The worker runs its range of futures on every variant's model it was sent: it never compiles.
const { shipped, counted, draw, from, to } = workerData as Sweep.WorkerData

try {
  shipped.forEach((s, variant) => {
    const model = MonteCarlo.unship(s)
    Sweep.runRange(model, draw, from, to, undefined, counted[variant]).forEach((values, i) => {
      const message: Sweep.WorkerMessage = { variant, future: from + i, values }
      parentPort!.postMessage(message, [
        values.figures.buffer as ArrayBuffer,
        values.schools.buffer as ArrayBuffer,
        values.holds.buffer as ArrayBuffer
      ])
    })
  })
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies Sweep.WorkerMessage)
}
