import { parentPort, workerData } from "node:worker_threads"
import type * as Assumptions from "../Assumptions.js"
import * as MonteCarlo from "../MonteCarlo.js"

// The worker runs replicates of the model it was sent: it never compiles (one compile per variant per run).
const { shipped, replicates, seeds, assumptions } = workerData as {
  readonly shipped: MonteCarlo.Shipped
  readonly replicates: ReadonlyArray<number>
  readonly seeds: ReadonlyArray<number>
  readonly assumptions: ReadonlyArray<Assumptions.Assumptions> | undefined
}

try {
  const model = MonteCarlo.unship(shipped)
  replicates.forEach((replicate, i) => {
    const county = MonteCarlo.replicate(model, seeds[i], assumptions?.[i])
    parentPort!.postMessage({ replicate, county }, [county.buffer as ArrayBuffer])
  })
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) })
}
