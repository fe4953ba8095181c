/**
 * Distributed Monte Carlo against the tests' real PostgreSQL: `run --replicates N --store postgres://…
 * --distributed` with `seatplan worker` processes gives bands bit-identical to the local run with one
 * worker and with three; a worker SIGKILLed mid-job has its job retried by another, with no replicate lost
 * or stored twice; a worker SIGTERMed mid-job finishes it first and exits 0; a PostgreSQL restart mid-run,
 * and the run resumes and finishes with the same bits. With
 * `--calibration` each replicate draws a future too, the workers draw the same ones, and the calibrated bands
 * (county, catchment areas, schools) are the local run's, bit for bit.
 */
import { assert, describe, it } from "@effect/vitest"
import { Postgres } from "@seatplan/core/testing"
import { Effect } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { root, seatplan, temp } from "./seatplan.js"

const scenario = "scenarios/tiny/scenario.yaml"
const replicates = "24"
const bin = path.join(root, "packages/cli/bin/seatplan.mjs")

interface Worker {
  readonly child: ChildProcess
  readonly log: () => string
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** A `seatplan worker` process; `throttle` slows it (ms after each replicate), so a test can catch it mid-job. */
const startWorker = (url: string, throttle = 0): Worker => {
  const child = spawn(process.execPath, [bin, "worker", "--store", url, "--throttle", String(throttle)], { cwd: root })
  let log = ""
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()))
  child.stdout?.on("data", () => {})
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal }))
  )
  return { child, log: () => log, exited }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const waitFor = async (what: string, ok: () => boolean, ms = 600_000, log: () => string = () => "") => {
  const started = Date.now()
  while (!ok()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}: ${log()}`)
    await sleep(50)
  }
}

/** Stops workers (SIGTERM: they finish the job in hand) when the test's scope closes. */
const stopAll = (workers: ReadonlyArray<Worker>) =>
  Effect.addFinalizer(() =>
    Effect.promise(async () => {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGTERM")
      await Promise.race([Promise.all(workers.map((w) => w.exited)), sleep(20_000)])
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL")
    })
  )

/** The run every test compares (its seed and replicates), written to `out`. */
const localArgs = (out: string) => [
  "run",
  scenario,
  "--seed",
  "7",
  "--replicates",
  replicates,
  "--lang",
  "en",
  "--format",
  "json",
  "--out",
  out
]

/** The same run on the store's workers. */
const runArgs = (out: string, url: string, extra: ReadonlyArray<string> = []) => [
  ...localArgs(out),
  "--store",
  url,
  "--distributed",
  ...extra
]

/** The results table: rows per variant and whether any replicate is there twice. */
const results = (url: string) =>
  Postgres.query<{ variant: string; n: number; distinct_n: number; workers: number }>(
    url,
    `SELECT variant, count(*)::int AS n, count(DISTINCT replicate)::int AS distinct_n, count(DISTINCT worker)::int AS workers
     FROM ${/schema=([a-z_0-9]+)/.exec(url)?.[1] ?? "public"}.seatplan_results GROUP BY variant ORDER BY variant`
  )

/** The run started by a test: its store (a fresh database's schema) and a temporary directory removed with the scope. */
const fresh = (schema: string) =>
  Effect.gen(function* () {
    const db = yield* Postgres.freshDatabase
    const dir = temp()
    yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
    return { url: `${db}?schema=${schema}`, dir }
  })

/** Replicates a worker's log says it stored so far. */
const storedIn = (log: string) => (log.match(/replicate \d+ stored/g) ?? []).length

/**
 * A distributed run caught mid-job: one throttled worker, the run started with `jobArgs`, and the worker
 * past two replicates of its first job.
 */
const midJob = (schema: string, throttle: number, jobArgs: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const { url, dir } = yield* fresh(schema)
    const worker = startWorker(url, throttle)
    yield* stopAll([worker])
    const running = seatplan(runArgs(path.join(dir, "distributed"), url, jobArgs))
    yield* Effect.promise(() => waitFor("the first worker mid-job", () => storedIn(worker.log()) >= 2, 600_000, worker.log))
    return { url, dir, worker, running }
  })

/** The job a worker's log says it started first: its id and what it ran (`monte-carlo <variant> <from>..<to>`). */
const firstJob = (log: string) => {
  const started = /job (\S+) \((monte-carlo \w+ \d+\.\.\d+), retry 0\): started/.exec(log)
  assert.isNotNull(started, log)
  const [, job = "", what = ""] = started ?? []
  return { job, what }
}

/** Every variant's replicates are in the results table once each. */
const allStoredOnce = (url: string) =>
  Effect.gen(function* () {
    const rows = yield* results(url)
    for (const r of rows) assert.deepStrictEqual([r.n, r.distinct_n], [24, 24], r.variant)
  })

/** The same run in this process, without the store (its seed and replicates), written to `dir`/local. */
const localRun = (dir: string) =>
  Effect.gen(function* () {
    const local = yield* Effect.promise(() => seatplan(localArgs(path.join(dir, "local"))))
    assert.strictEqual(local.status, 0, local.stderr)
    return local
  })

/** The distributed run's bands are the local run's (the same seed, in this process's directory `dir`), bit for bit. */
const sameAsLocal = (dir: string) =>
  Effect.gen(function* () {
    yield* localRun(dir)
    assert.strictEqual(
      fs.readFileSync(path.join(dir, "distributed", "bands.json"), "utf8"),
      fs.readFileSync(path.join(dir, "local", "bands.json"), "utf8")
    )
  })

describe("distributed Monte Carlo (run --distributed, seatplan worker)", () => {
  it.scoped(
    "run --replicates --calibration: the workers draw the replicates' futures, the calibrated bands are the local run's",
    () =>
      Effect.gen(function* () {
        const db = yield* Postgres.freshDatabase
        const dir = temp()
        yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
        const file = path.join(dir, "scenario.yaml")
        fs.writeFileSync(
          file,
          fs.readFileSync(path.join(root, scenario), "utf8").replace(/^horizon: 15$/m, "horizon: 5") +
            ["uncertainty:", "  birthTrend: { low: -0.08, central: 0, high: 0.04 }", ""].join("\n")
        )
        const calibration = path.join(dir, "calibration.json")
        fs.writeFileSync(
          calibration,
          JSON.stringify({
            base: "futures and noise",
            coverage: 0.9,
            replicates: 10,
            quantiles: ["county", "catchment", "school"].map((scope) => ({
              method: "cohort-component",
              level: "primary",
              scope,
              horizon: 1,
              n: 9,
              q: 0.15
            }))
          })
        )
        const args = (out: string) => [
          "run",
          file,
          "--seed",
          "3",
          "--replicates",
          "8",
          "--files",
          "json",
          "--quiet",
          "--calibration",
          calibration,
          "--out",
          out
        ]
        const local = yield* Effect.promise(() => seatplan(args(path.join(dir, "local"))))
        assert.strictEqual(local.status, 0, local.stderr)
        const url = `${db}?schema=calibrated`
        const workers = [startWorker(url)]
        yield* stopAll(workers)
        const ran = yield* Effect.promise(() =>
          seatplan([...args(path.join(dir, "far")), "--store", url, "--distributed", "--job-size", "3"])
        )
        assert.strictEqual(ran.status, 0, ran.stderr)
        const read = (d: string) => fs.readFileSync(path.join(dir, d, "calibrated-bands.json"), "utf8")
        const bands = JSON.parse(read("local")) as ReadonlyArray<{ scope: string; q?: number }>
        assert.deepStrictEqual([...new Set(bands.filter((b) => b.q !== undefined).map((b) => b.scope))].sort(), [
          "catchment",
          "county",
          "school"
        ])
        assert.strictEqual(read("far"), read("local"))
        assert.strictEqual(
          fs.readFileSync(path.join(dir, "far", "bands.json"), "utf8"),
          fs.readFileSync(path.join(dir, "local", "bands.json"), "utf8")
        )
      }),
    600_000
  )

  it.scoped(
    "bands are bit-identical to the local run's with one worker and with three",
    () =>
      Effect.gen(function* () {
        const db = yield* Postgres.freshDatabase
        const dir = temp()
        yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
        const local = yield* localRun(dir)
        const expected = fs.readFileSync(path.join(dir, "local", "bands.json"), "utf8")
        for (const count of [1, 3]) {
          const url = `${db}?schema=w${count}`
          const workers = Array.from({ length: count }, () => startWorker(url))
          yield* stopAll(workers)
          const ran = yield* Effect.promise(() => seatplan(runArgs(path.join(dir, `w${count}`), url, ["--job-size", "2"])))
          assert.strictEqual(ran.status, 0, ran.stderr)
          assert.match(
            ran.stderr,
            new RegExp(`distributed Monte Carlo \\(township\\): ${replicates}/${replicates} replicates, from \\d worker\\(s\\)`)
          )
          assert.strictEqual(fs.readFileSync(path.join(dir, `w${count}`, "bands.json"), "utf8"), expected, `${count} worker(s)`)
          assert.strictEqual(ran.stdout, local.stdout)
          const rows = yield* results(url)
          assert.deepStrictEqual(
            rows.map((r) => [r.variant, r.n, r.distinct_n]),
            [
              ["baseline", 24, 24],
              ["township", 24, 24]
            ]
          )
          if (count === 3) assert.isAbove(Math.max(...rows.map((r) => r.workers)), 1, "the jobs were shared between workers")
        }
      }),
    900_000
  )

  it.scoped(
    "a worker SIGKILLed mid-job: its job is retried by another worker, no replicate lost or stored twice, the same bits",
    () =>
      Effect.gen(function* () {
        const { url, dir, worker: doomed, running } = yield* midJob("killed", 400, ["--job-size", "6", "--job-timeout", "3"])
        doomed.child.kill("SIGKILL")
        const killed = yield* Effect.promise(() => doomed.exited)
        assert.strictEqual(killed.signal, "SIGKILL")
        const { job, what } = firstJob(doomed.log())
        const rescuer = startWorker(url)
        yield* stopAll([rescuer])
        const ran = yield* Effect.promise(() => running)
        assert.strictEqual(ran.status, 0, ran.stderr)
        // the killed job came back (retry ≥ 1) and the rescuer skipped what the killed worker had stored
        assert.include(rescuer.log(), `job ${job} (${what}, retry 1): started`)
        yield* allStoredOnce(url)
        yield* sameAsLocal(dir)
      }),
    900_000
  )

  it.scoped(
    "a worker SIGTERMed mid-job finishes the job in hand, stores all of it and exits 0; nothing of it is retried",
    () =>
      Effect.gen(function* () {
        const { url, worker: first, running } = yield* midJob("termed", 300, ["--job-size", "6", "--job-timeout", "60"])
        first.child.kill("SIGTERM")
        const ended = yield* Effect.promise(() => first.exited)
        assert.deepStrictEqual(ended, { code: 0, signal: null }, first.log())
        assert.match(first.log(), /seatplan worker: stored \d+ replicates; stopped/)
        const { job, what } = firstJob(first.log())
        // every replicate of the job in hand was stored before it stopped
        const [from = 0, to = 0] = (/(\d+)\.\.(\d+)/.exec(what) ?? []).slice(1).map(Number)
        assert.isAtLeast(storedIn(first.log()), to - from + 1, first.log())
        const second = startWorker(url)
        yield* stopAll([second])
        const ran = yield* Effect.promise(() => running)
        assert.strictEqual(ran.status, 0, ran.stderr)
        assert.notInclude(second.log(), `job ${job} (`, "the finished job is not taken again")
        yield* allStoredOnce(url)
      }),
    900_000
  )

  it.scoped(
    "PostgreSQL restarted mid-run: the run and its workers resume and finish with the same bits",
    () =>
      Effect.gen(function* () {
        const { url, dir } = yield* fresh("restart")
        const workers = [startWorker(url, 100), startWorker(url, 100)]
        yield* stopAll(workers)
        const running = seatplan(runArgs(path.join(dir, "distributed"), url, ["--job-size", "2", "--job-timeout", "5"]))
        yield* Effect.promise(() => waitFor("progress", () => workers.reduce((n, w) => n + storedIn(w.log()), 0) >= 4))
        Postgres.pgCtl("restart", "-m", "fast")
        const ran = yield* Effect.promise(() => running)
        assert.strictEqual(ran.status, 0, ran.stderr)
        yield* allStoredOnce(url)
        yield* sameAsLocal(dir)
      }),
    900_000
  )
})
