/**
 * Distributed Monte Carlo: the synthetic county (400 settlements, 150 schools, 15 years) with 1, 2 and 4
 * `seatplan worker` processes against one PostgreSQL on this machine (a throwaway cluster, or
 * SEATPLAN_BENCH_PG_URL): replicates per second from queueing the jobs to the aggregated bands, beside the
 * same replicates in one thread in this process, and the scaling efficiency (throughput with k workers ÷
 * k × throughput with one). Workers are started and connected before the clock starts. This machine has
 * few cores shared with other work: past the free cores more workers cannot help, which is what the
 * efficiency column shows.
 */
import { Cluster } from "@seatplan/core/testing"
import { Compile, MonteCarlo, Synthetic } from "@seatplan/sim"
import { Effect } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import * as os from "node:os"
import * as path from "node:path"
import * as Distributed from "@seatplan/cli/Distributed"
import type { Figure } from "./store.js"

const root = path.resolve(import.meta.dirname, "..")
const bin = path.join(root, "packages/cli/bin/seatplan.mjs")

const startWorker = (url: string) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [bin, "worker", "--store", url], { cwd: root, stdio: ["ignore", "ignore", "pipe"] })
    let log = ""
    child.stderr?.on("data", (d: Buffer) => {
      log += d.toString()
      if (log.includes("taking jobs")) resolve(child)
    })
    child.on("close", (code) => reject(new Error(`worker exited ${code}: ${log}`)))
  })

const stop = (workers: ReadonlyArray<ChildProcess>) =>
  Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null) return resolve()
          w.once("close", () => resolve())
          w.kill("SIGTERM")
        })
    )
  )

export const run = async (quick: boolean): Promise<ReadonlyArray<Figure>> => {
  const replicates = quick ? 16 : 96
  const model = Compile.compile(Synthetic.county(1).events, { horizon: 15 })
  const own = process.env.SEATPLAN_BENCH_PG_URL === undefined ? await Cluster.start() : undefined
  const url = process.env.SEATPLAN_BENCH_PG_URL ?? own?.url ?? ""
  const figures: Array<Figure> = []
  try {
    let started = performance.now()
    await Effect.runPromise(MonteCarlo.run({ model, replicates, seed: 1, workers: 0 }))
    const local = (performance.now() - started) / 1000
    figures.push({
      name: "workers: Monte Carlo, one thread (reference)",
      events: replicates,
      seconds: local,
      perSecond: replicates / local,
      note: "synthetic county, 15 years; replicates"
    })
    let one = 0
    for (const k of [1, 2, 4]) {
      const store = `${url}${url.includes("?") ? "&" : "?"}schema=bench_${Date.now().toString(36)}_w${k}`
      const workers: Array<ChildProcess> = []
      try {
        for (let i = 0; i < k; i++) workers.push(await startWorker(store))
        started = performance.now()
        await Effect.runPromise(Distributed.monteCarlo({ url: store, jobSize: 2 })({ model, replicates, seed: 1, variant: "county" }))
      } finally {
        await stop(workers)
      }
      const seconds = (performance.now() - started) / 1000
      const perSecond = replicates / seconds
      if (k === 1) one = perSecond
      figures.push({
        name: `workers: Monte Carlo, ${k} worker process${k === 1 ? "" : "es"}`,
        events: replicates,
        seconds,
        perSecond,
        note: `scaling efficiency ${((perSecond / one / k) * 100).toFixed(0)} %; ${(perSecond / (replicates / local)).toFixed(2)}× one thread; ${replicates / 2} jobs of 2 replicates; ${os.availableParallelism()} cores`
      })
    }
  } finally {
    own?.stop()
  }
  return figures
}
