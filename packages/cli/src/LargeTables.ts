/**
 * The two longest tables of a run, the population (人口, settlements × ages × years) and the standards
 * checks (达标), written on a worker thread while the command's thread writes the other tables (issue 18,
 * end to end). At a province they are 1.7 GB of CSV and each took 6-7 s of one core; the schools,
 * catchments and accounts take about as long, so with two cores writing takes about half the time.
 *
 * The worker writes what the command's thread would (`Output.populationCsv`, `Output.checksCsv` and their
 * JSON, into a temporary file renamed into place by `Output.writeChunksSync`), from the typed arrays the run
 * keeps them in, which are in memory shared with it (nothing is copied; other arrays are); the bytes are the
 * same (tested). A small run writes them in its own thread:
 * starting a worker costs about a tenth of a second (`offloadFrom`).
 */
import type { Tables } from "@seatplan/sim"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Worker } from "node:worker_threads"
import * as Output from "./Output.js"

/** A table the worker can write. */
export type Table = "population" | "standards"

/** One file to write: a table in a format, with `first` (a CSV's byte-order mark) before it. */
export interface Job {
  readonly file: string
  readonly table: Table
  readonly format: "csv" | "json"
  readonly first: string
}

/** What the jobs are written from: each variant's population figures and checks, as plain copyable values. */
export interface Data {
  readonly population: ReadonlyArray<Tables.PopulationBlock>
  readonly checks: ReadonlyArray<Output.ChecksColumns>
}

/** Rows from which a table is written on the worker thread (below, in the command's thread). */
export const offloadFrom = 1_000_000

/** The text pieces of a job, as the command's thread writes them. */
const pieces = (data: Data, job: Job): Iterable<string> => {
  if (job.table === "population") {
    const tables = data.population.map((b) => ({ block: () => b }))
    return job.format === "csv" ? Output.populationCsv(tables) : Output.populationJson(tables)
  }
  return job.format === "csv" ? Output.checksCsv(data.checks) : Output.checksJson(data.checks)
}

/** Writes one job (the worker's step; throws the file system's error). */
export const writeJob = (data: Data, job: Job): void => Output.writeChunksSync(job.file, pieces(data, job), job.first)

/** What the worker is sent: a table's files, and the figures they are written from (that table's only). */
export interface Batch {
  readonly jobs: ReadonlyArray<Job>
  readonly data: Data
}

/** A worker's messages: a job written, or the error that stopped it. */
export type Message =
  | { readonly done: string }
  | { readonly failed: { readonly file: string; readonly code: string; readonly detail: string } }

/**
 * A typed array the worker can be sent: one in shared memory as it is (the run's population and checks are:
 * the worker reads the same memory, nothing is copied), another on a buffer of its own (a view into a larger
 * buffer would copy all of it to the worker).
 */
const own = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T =>
  a.buffer instanceof SharedArrayBuffer || a.byteLength === a.buffer.byteLength ? a : (a.slice() as T)

/** The population blocks of `tables` (each variant's), each array on its own buffer. */
export const populationData = (tables: ReadonlyArray<Pick<Tables.PopulationTable, "block">>): Data => ({
  population: tables.map((t) => {
    const b = t.block()
    return { ...b, settlementIds: [...b.settlementIds], children: own(b.children) }
  }),
  checks: []
})

/** The checks' columns of `checks` (each variant's), each array on its own buffer. */
export const checksData = (checks: ReadonlyArray<Output.ChecksColumns>): Data => ({
  population: [],
  checks: checks.map((c) => ({
    length: c.length,
    since: c.since,
    columns: {
      rules: c.columns.rules.map((r) => ({ ...r })),
      strings: [...c.columns.strings],
      year: own(c.columns.year),
      rule: own(c.columns.rule),
      text: own(c.columns.text),
      numbers: own(c.columns.numbers),
      status: own(c.columns.status)
    }
  }))
})

/**
 * Where a run's long tables go: `offer` takes a table's files (one job each) to write on the worker thread,
 * from `data()` (made then), and gives true; or leaves them to the caller and gives false (a table of fewer
 * than `from` rows). `taken` says whether a table was taken (`seatplan run` offers the population before the
 * standards are checked, the other tables when writing). `wait` waits for the jobs taken (a `WriteError`
 * naming the file if one failed); `stop` ends the worker if it still runs and removes its unfinished files.
 */
export interface Writer {
  readonly offer: (jobs: ReadonlyArray<Job>, rows: number, data: () => Data) => boolean
  readonly taken: (table: Table) => boolean
  readonly wait: Effect.Effect<void, Output.WriteError>
  readonly stop: Effect.Effect<void>
}

/** Writes every table in the caller's thread. */
export const inThread: Writer = { offer: () => false, taken: () => false, wait: Effect.void, stop: Effect.void }

/** A writer whose worker starts at the first table taken. */
export const worker = (options: { readonly from?: number } = {}): Writer => {
  const from = options.from ?? offloadFrom
  const jobs: Array<Job> = []
  let thread: Worker | undefined
  let left = 0
  let outcome: { readonly error?: Output.WriteError } | undefined
  let wake: (() => void) | undefined
  const settle = (error?: Output.WriteError) => {
    if (outcome !== undefined) return
    outcome = error === undefined ? {} : { error }
    // idle now: it must not keep the command alive (stop ends it)
    thread?.unref()
    wake?.()
  }
  const start = () => {
    const w = new Worker(new URL("./internal/tableWorker.mjs", import.meta.url))
    w.on("message", (m: Message) => {
      if ("done" in m) {
        if (--left === 0) settle()
      } else settle(new Output.WriteError(m.failed))
    })
    w.on("error", (e) => settle(new Output.WriteError({ file: jobs[0]?.file ?? "", code: "a worker error", detail: e.message })))
    w.on("exit", (code) => {
      if (left > 0)
        settle(new Output.WriteError({ file: jobs[jobs.length - left]?.file ?? "", code: "a worker exit", detail: `exit code ${code}` }))
    })
    return w
  }
  return {
    offer: (batch, rows, data) => {
      if (batch.length === 0 || rows < from || outcome?.error !== undefined) return false
      // a table offered after the others were written: `wait` waits for it too
      outcome = undefined
      jobs.push(...batch)
      left += batch.length
      thread ??= start()
      // busy: it keeps the command alive until its jobs are written
      thread.ref()
      thread.postMessage({ jobs: batch, data: data() } satisfies Batch)
      return true
    },
    taken: (table) => jobs.some((j) => j.table === table),
    wait: Effect.async<void, Output.WriteError>((resume) => {
      const finish = () => resume(outcome?.error === undefined ? Effect.void : Effect.fail(outcome.error))
      if (left === 0 && outcome === undefined) return resume(Effect.void)
      if (outcome !== undefined) return finish()
      wake = finish
      return Effect.sync(() => {
        wake = undefined
      })
    }),
    stop: Effect.suspend(() => {
      const w = thread
      if (w === undefined) return Effect.void
      thread = undefined
      const unfinished = left > 0 || outcome?.error !== undefined
      // ended before its unfinished files are removed, so that it cannot write or rename one after
      return Effect.promise(() => w.terminate()).pipe(
        Effect.andThen(() => {
          if (unfinished) for (const job of jobs) removeTemporary(job.file)
        })
      )
    })
  }
}

/** Removes the temporary files `Output.writeChunksSync` of this process left beside `file` (a worker stopped mid-write). */
const removeTemporary = (file: string) => {
  const dir = path.dirname(file)
  const prefix = `.${path.basename(file)}.${process.pid}.`
  try {
    for (const name of fs.readdirSync(dir))
      if (name.startsWith(prefix) && name.endsWith(".tmp")) fs.rmSync(path.join(dir, name), { force: true })
  } catch {
    // the folder is gone or unreadable: nothing of ours to remove
  }
}
