/**
 * Distributed work on one PostgreSQL: the command that starts a run (`run --replicates N --store
 * postgres://… --distributed`) puts jobs on a pg-boss queue in the same database, `seatplan worker --store
 * postgres://…` processes on any number of machines take them, compute with the same seeded code and write
 * each result into a table; the starting command shows progress across workers and aggregates.
 *
 * The design is generic so that issue 17's sweeps plug in: a job is `{ kind, sweep, variant, range, seed }`
 * (one kind of work on one variant over items `range[0]` … `range[1] - 1`, all drawn from `seed`); `kinds`
 * maps a kind to the function computing one item (a Monte Carlo replicate today; a sweep's future later);
 * results go to `seatplan_results` keyed by `(sweep, variant, replicate)` (the item), inserted with
 * `ON CONFLICT DO NOTHING`, so a retried job (a worker SIGKILLed mid-job, a job that outlived its timeout)
 * never counts an item twice and skips the items already stored. The compiled model travels once per
 * variant, as V8's serialisation of `MonteCarlo.ship(model)` (typed arrays bit for bit) in
 * `seatplan_sweep_models`; the sweep id is a hash of the kind, the seed and those bytes, so running the same
 * command again (after the starting command was stopped, say) finds the items already computed.
 *
 * Same seed, same bits: item r is computed from `Rng.derive(seed, r)` on a fresh copy of the same model,
 * whoever computes it, and the summary reads the items in order, as the local run does.
 */
import { EventStoreError, PostgresEventStore } from "@seatplan/core"
import { type Assumptions, Compile, MonteCarlo, Rng } from "@seatplan/sim"
import { Effect } from "effect"
import * as crypto from "node:crypto"
import * as os from "node:os"
import * as v8 from "node:v8"
import PgBoss from "pg-boss"

/** A job's payload: one kind of work on one variant over a range of items from one seed. */
export interface Job {
  readonly kind: string
  readonly sweep: string
  readonly variant: string
  /** Items `range[0]` … `range[1] - 1` (replicates, or a sweep's futures). */
  readonly range: readonly [number, number]
  readonly seed: number
}

/** What each kind of job computes for one item (with the item's own assumptions when the run drew futures): a flat array of figures. */
export const kinds: Readonly<
  Record<string, (model: Compile.Model, seed: number, item: number, assumptions?: Assumptions.Assumptions) => Float64Array>
> = {
  "monte-carlo": (model, seed, r, assumptions) => MonteCarlo.replicate(model, Rng.derive(seed, r), assumptions)
}

/**
 * What travels once per variant in `seatplan_sweep_models`: the shipped model and, when each replicate draws
 * a future (`run --replicates --calibration`), every replicate's assumptions, so a worker computes the same
 * draws as a local run.
 */
interface Payload {
  readonly shipped: MonteCarlo.Shipped
  readonly assumptions?: ReadonlyArray<Assumptions.Assumptions>
}

const tables = [
  `CREATE TABLE IF NOT EXISTS seatplan_sweep_models (
    sweep TEXT NOT NULL,
    variant TEXT NOT NULL,
    kind TEXT NOT NULL,
    model BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (sweep, variant)
  )`,
  `CREATE TABLE IF NOT EXISTS seatplan_results (
    sweep TEXT NOT NULL,
    variant TEXT NOT NULL,
    replicate INTEGER NOT NULL,
    value BYTEA NOT NULL,
    worker TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (sweep, variant, replicate)
  )`
]

/** The queue of a store: one per schema, so that two bureaus' workers on one database take only their own jobs. */
export const queueOf = (schema: string | undefined): string => `seatplan.${schema ?? "public"}`

export interface Connection {
  readonly boss: PgBoss
  readonly queue: string
  readonly sql: <R = Record<string, unknown>>(text: string, values?: ReadonlyArray<unknown>) => Promise<ReadonlyArray<R>>
  readonly name: string
}

/** Connects pg-boss (installing its schema when missing) and creates seatplan's tables and the queue. */
const connect = async (url: string, options: { readonly maintenanceIntervalSeconds: number }): Promise<Connection> => {
  const target = PostgresEventStore.connection(url)
  if (typeof target === "string") throw new Error(target)
  const boss = new PgBoss({
    connectionString: target.url,
    application_name: "seatplan",
    max: 4,
    // a job whose worker died is found expired at the next maintenance and retried
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    monitorStateIntervalSeconds: 60
  })
  // pg-boss reports connection losses here (a database restart); polling goes on and reconnects
  boss.on("error", () => {})
  await boss.start()
  const db = boss.getDb()
  const sql = async <R>(text: string, values?: ReadonlyArray<unknown>) =>
    (await db.executeSql(text, values === undefined ? [] : [...values])).rows as ReadonlyArray<R>
  const schema = target.schema === undefined ? "" : `CREATE SCHEMA IF NOT EXISTS ${target.schema}; `
  const queue = queueOf(target.schema)
  // processes starting together may deadlock creating tables and the queue's partition: PostgreSQL picks
  // one to fail (40P01) or one meets the other's row (23505); the loser tries again
  for (let attempt = 1; ; attempt++) {
    try {
      // one multi-statement text (one implicit transaction), under the lock the event store takes to create
      await db.executeSql(`${PostgresEventStore.ddlLock}; ${schema}${tables.join("; ")}`, [])
      await boss.createQueue(queue)
      break
    } catch (e) {
      const code = (e as { code?: unknown }).code
      if (attempt >= 8 || (code !== "40P01" && code !== "23505")) throw e
      await sleep(100 * attempt + Math.random() * 200)
    }
  }
  return { boss, queue, sql, name: PostgresEventStore.redact(url) }
}

const toFloats = (b: Buffer): Float64Array => {
  const copy = new Uint8Array(b.byteLength)
  copy.set(b)
  return new Float64Array(copy.buffer)
}

const toBytes = (f: Float64Array): Buffer => Buffer.from(f.buffer, f.byteOffset, f.byteLength)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface DistributedOptions {
  /** The store's URL (`postgres://…[?schema=name]`). */
  readonly url: string
  /** Items per job (default: about 64 jobs per variant, at least 1 item each). */
  readonly jobSize?: number
  /** Seconds after which a job still running is taken for dead and given to another worker (default 600). */
  readonly jobTimeoutSeconds?: number
  /** A line of progress for a person (stderr). */
  readonly report?: (line: string) => void
  /** How long the database may stay unreachable before the run gives up (default 300 s). */
  readonly unreachableSeconds?: number
}

/**
 * Runs a variant's Monte Carlo on `seatplan worker` processes: the summary `MonteCarlo.run` would give,
 * bit for bit. `onProgress` is called once for every replicate stored, by whichever worker.
 */
export const monteCarlo =
  (options: DistributedOptions) =>
  (mc: MonteCarlo.Options & { readonly variant: string }): Effect.Effect<MonteCarlo.Summary, EventStoreError.StorageError> =>
    Effect.tryPromise({
      try: () => runDistributed(options, mc),
      catch: (e) =>
        new EventStoreError.StorageError({
          operation: `distributed Monte Carlo on ${PostgresEventStore.redact(options.url)}`,
          reason: e instanceof Error ? e.message : String(e),
          cause: e
        })
    })

const runDistributed = async (options: DistributedOptions, mc: MonteCarlo.Options & { readonly variant: string }) => {
  const kind = "monte-carlo"
  const shipped = MonteCarlo.ship(mc.model)
  if (shipped instanceof Compile.CompileError) throw new Error(shipped.message)
  const payload: Payload = { shipped, ...(mc.assumptions === undefined ? {} : { assumptions: mc.assumptions }) }
  const bytes = v8.serialize(payload)
  const sweep = crypto.createHash("sha256").update(`${kind}\n${mc.seed}\n`).update(bytes).digest("hex").slice(0, 24)
  const timeout = Math.max(1, Math.round(options.jobTimeoutSeconds ?? 600))
  const report = options.report ?? (() => {})
  const c = await connect(options.url, { maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.ceil(timeout / 2))) })
  try {
    await c.sql(
      `INSERT INTO seatplan_sweep_models (sweep, variant, kind, model) VALUES ($1, $2, $3, $4) ON CONFLICT (sweep, variant) DO NOTHING`,
      [sweep, mc.variant, kind, bytes]
    )
    const n = mc.replicates
    const stored = new Set(
      (
        await c.sql<{ replicate: number }>(`SELECT replicate FROM seatplan_results WHERE sweep = $1 AND variant = $2 AND replicate < $3`, [
          sweep,
          mc.variant,
          n
        ])
      ).map((r) => r.replicate)
    )
    const size = Math.max(1, options.jobSize ?? Math.ceil(n / 64))
    const jobs: Array<PgBoss.JobInsert<Job>> = []
    for (let from = 0; from < n; from += size) {
      const to = Math.min(n, from + size)
      let missing = false
      for (let r = from; r < to && !missing; r++) missing = !stored.has(r)
      if (!missing) continue
      jobs.push({
        name: c.queue,
        data: { kind, sweep, variant: mc.variant, range: [from, to], seed: mc.seed },
        expireInSeconds: timeout,
        retryLimit: 20,
        retryDelay: 1
      })
    }
    if (jobs.length > 0) await c.boss.insert(jobs)
    report(
      `distributed Monte Carlo (${mc.variant}): ${n} replicates, ${stored.size} already stored, ${jobs.length} jobs queued on ${c.name} (queue ${c.queue}); ` +
        `start workers with: seatplan worker --store <the same URL>`
    )
    let done = 0
    const tick = (count: number) => {
      for (; done < count; done++) mc.onProgress?.(done + 1, n)
    }
    tick(stored.size)
    let lastLine = 0
    let unreachableSince: number | undefined
    for (;;) {
      try {
        const [row] = await c.sql<{ n: number; workers: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT worker)::int AS workers FROM seatplan_results WHERE sweep = $1 AND variant = $2 AND replicate < $3`,
          [sweep, mc.variant, n]
        )
        unreachableSince = undefined
        tick(row.n)
        if (Date.now() - lastLine > 2000 || row.n === n) {
          report(`distributed Monte Carlo (${mc.variant}): ${row.n}/${n} replicates, from ${row.workers} worker(s)`)
          lastLine = Date.now()
        }
        if (row.n === n) break
        const failed = await c.sql<{ output: unknown }>(
          `SELECT output FROM pgboss.job WHERE name = $1 AND state = 'failed' AND data->>'sweep' = $2 AND data->>'variant' = $3 LIMIT 1`,
          [c.queue, sweep, mc.variant]
        )
        if (failed.length > 0) throw new Error(`a job failed after all its retries: ${JSON.stringify(failed[0].output)}`)
      } catch (e) {
        if ((e as Error).message.startsWith("a job failed")) throw e
        unreachableSince ??= Date.now()
        if (Date.now() - unreachableSince > (options.unreachableSeconds ?? 300) * 1000) throw e
        if (Date.now() - lastLine > 2000) {
          report(`distributed Monte Carlo (${mc.variant}): the database is unreachable (${(e as Error).message}); waiting for it`)
          lastLine = Date.now()
        }
      }
      await sleep(250)
    }
    const rows = await c.sql<{ replicate: number; value: Buffer }>(
      `SELECT replicate, value FROM seatplan_results WHERE sweep = $1 AND variant = $2 AND replicate < $3 ORDER BY replicate`,
      [sweep, mc.variant, n]
    )
    const results = rows.map((r) => toFloats(r.value))
    return MonteCarlo.summarise(mc.model, mc, results)
  } finally {
    await c.boss.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => {})
  }
}

export interface WorkerOptions {
  readonly url: string
  /** A line of the worker's log (stderr). */
  readonly log: (line: string) => void
  /** Resolves when the worker should stop (SIGINT, SIGTERM): it finishes the job in hand first. */
  readonly stop: Promise<void>
  readonly pollingIntervalSeconds?: number
  /** Milliseconds to pause after each stored replicate (`seatplan worker --throttle`): leaves the machine to other work. */
  readonly throttleMs?: number
}

/**
 * A worker: takes jobs from the store's queue one at a time until `stop`, computes every item of the job
 * not yet stored and stores each as it is computed. Returns the number of items it stored.
 */
export const work = async (options: WorkerOptions): Promise<number> => {
  const c = await connect(options.url, { maintenanceIntervalSeconds: 30 })
  const me = `${os.hostname()}:${process.pid}`
  const models = new Map<string, { readonly model: Compile.Model; readonly assumptions?: ReadonlyArray<Assumptions.Assumptions> }>()
  let stored = 0
  const modelOf = async (sweep: string, variant: string) => {
    const key = `${sweep}\n${variant}`
    const cached = models.get(key)
    if (cached !== undefined) return cached
    const [row] = await c.sql<{ model: Buffer }>(`SELECT model FROM seatplan_sweep_models WHERE sweep = $1 AND variant = $2`, [
      sweep,
      variant
    ])
    if (row === undefined) throw new Error(`sweep ${sweep} variant ${variant}: no model stored`)
    const payload = v8.deserialize(row.model) as Payload
    const model = {
      model: MonteCarlo.unship(payload.shipped),
      ...(payload.assumptions === undefined ? {} : { assumptions: payload.assumptions })
    }
    models.set(key, model)
    return model
  }
  const handle = async (job: PgBoss.JobWithMetadata<Job>) => {
    const { kind, range, seed, sweep, variant } = job.data
    const compute = kinds[kind]
    if (compute === undefined) throw new Error(`unknown kind ${JSON.stringify(kind)}; expected one of ${Object.keys(kinds).join(", ")}`)
    options.log(`job ${job.id} (${kind} ${variant} ${range[0]}..${range[1] - 1}, retry ${job.retryCount}): started`)
    const { model, assumptions } = await modelOf(sweep, variant)
    const have = new Set(
      (
        await c.sql<{ replicate: number }>(
          `SELECT replicate FROM seatplan_results WHERE sweep = $1 AND variant = $2 AND replicate >= $3 AND replicate < $4`,
          [sweep, variant, range[0], range[1]]
        )
      ).map((r) => r.replicate)
    )
    for (let r = range[0]; r < range[1]; r++) {
      if (have.has(r)) continue
      const value = compute(model, seed, r, assumptions?.[r])
      await c.sql(
        `INSERT INTO seatplan_results (sweep, variant, replicate, value, worker) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [sweep, variant, r, toBytes(value), me]
      )
      stored++
      options.log(`job ${job.id}: replicate ${r} stored`)
      if (throttle > 0) await sleep(throttle)
    }
  }
  const throttle = options.throttleMs ?? 0
  let stopping = false
  void options.stop.then(() => {
    stopping = true
  })
  // fetch, compute, complete, and fetch again at once (pg-boss's own work loop waits a polling interval
  // after every job, which would cap a worker at two short jobs a second)
  const loop = async () => {
    const idle = (options.pollingIntervalSeconds ?? 0.5) * 1000
    while (!stopping) {
      let jobs: ReadonlyArray<PgBoss.JobWithMetadata<Job>>
      try {
        jobs = await c.boss.fetch<Job>(c.queue, { batchSize: 1, includeMetadata: true })
      } catch (e) {
        options.log(`seatplan worker ${me}: the database is unreachable (${(e as Error).message}); trying again`)
        await sleep(1000)
        continue
      }
      if (jobs.length === 0) {
        await Promise.race([sleep(idle), options.stop])
        continue
      }
      const job = jobs[0]
      try {
        await handle(job)
        await c.boss.complete(c.queue, job.id)
        options.log(`job ${job.id}: done`)
      } catch (e) {
        // a failed job is retried (by this worker or another); one whose results are stored is merely done again
        options.log(`job ${job.id}: failed: ${(e as Error).message}`)
        await c.boss.fail(c.queue, job.id, { message: (e as Error).message }).catch(() => {})
      }
    }
  }
  const running = loop()
  options.log(`seatplan worker ${me}: taking jobs from ${c.name} (queue ${c.queue})`)
  await options.stop
  options.log(`seatplan worker ${me}: stopping after the job in hand`)
  await running
  await c.boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {})
  return stored
}
