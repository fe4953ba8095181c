import { parentPort, workerData } from "node:worker_threads"
import * as MonteCarlo from "../MonteCarlo.js"

const { job, replicates, seeds } = workerData as {
  readonly job: MonteCarlo.Job
  readonly replicates: ReadonlyArray<number>
  readonly seeds: ReadonlyArray<number>
}

try {
  const model = MonteCarlo.compileJob(job)
  replicates.forEach((replicate, i) => {
    const county = MonteCarlo.replicate(model, seeds[i])
    parentPort!.postMessage({ replicate, county }, [county.buffer as ArrayBuffer])
  })
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) })
}
