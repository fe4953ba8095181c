/**
 * A large run's population and standards tables are written on a worker thread beside the other tables
 * (LargeTables), the population from before the standards are checked when `seatplan run` offers it then
 * (RunFiles.offerPopulation): the files are the same bytes as written in the command's thread, every step is counted,
 * and a table the worker cannot write is a WriteError naming its file, with no temporary file left.
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore } from "@seatplan/core"
import { Project, ScenarioLoader } from "@seatplan/plan"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Worker } from "node:worker_threads"
import * as LargeTables from "../src/LargeTables.js"
import * as Files from "../src/RunFiles.js"
import { root, temp } from "./seatplan.js"

const files = (dir: string) =>
  Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((name) => [name, fs.readFileSync(path.join(dir, name))])
  )

describe("the long tables written on a worker thread (issue 18, end to end)", () => {
  it.effect("give the same files, byte for byte, as the command's thread writes, and count every step", () =>
    Effect.gen(function* () {
      const loaded = yield* ScenarioLoader.load(path.join(root, "scenarios/county/scenario.yaml"))
      yield* Project.store(loaded)
      const results = yield* Project.run(loaded, { variants: [] })
      // with and without the years' filter (--years 2030-2035): the worker gets the filtered blocks
      const from = results.map((r) => ({ ...r, population: r.population.from(2030), checks: r.checks.from(2030) }))
      // the worker is handed the run's own memory, shared, not a copy (a province's is 700 MB)
      for (const r of from) {
        const sent = LargeTables.populationData([r.population]).population[0].children
        assert.strictEqual(sent.buffer, r.population.block().children.buffer)
        assert.instanceOf(sent.buffer, SharedArrayBuffer)
        const columns = LargeTables.checksData([r.checks]).checks[0].columns
        assert.strictEqual(columns.numbers.buffer, r.checks.columns.numbers.buffer)
        assert.instanceOf(columns.status.buffer, SharedArrayBuffer)
      }
      for (const run of [results, from]) {
        const write = (workerRows: number) =>
          Effect.gen(function* () {
            const dir = temp("seatplan-large-tables-")
            const steps: Array<readonly [number, number]> = []
            const wrote = yield* Files.write(
              new Set<Files.Kind>(["csv", "json"]),
              {
                dir,
                loaded,
                results: run,
                bom: "\uFEFF",
                language: "en",
                jsonAnySize: true,
                onFile: (done, total) => steps.push([done, total]),
                report: () => Effect.die("no report")
              },
              { ...Files.limits, workerRows }
            )
            return { dir, wrote, steps }
          })
        const inThread = yield* write(Number.POSITIVE_INFINITY)
        const inWorker = yield* write(0)
        // as `seatplan run` does: the population offered to its writer before writing (while the checks are made)
        const early = yield* Effect.scoped(
          Effect.gen(function* () {
            const writer = yield* Effect.acquireRelease(
              Effect.sync(() => Files.longTables({ ...Files.limits, workerRows: 0 })),
              (w) => w.stop
            )
            const dir = temp("seatplan-large-tables-early-")
            const where = { dir, bom: "\uFEFF", jsonAnySize: true }
            const kinds = new Set<Files.Kind>(["csv", "json"])
            assert.isTrue(
              Files.offerPopulation(
                kinds,
                where,
                run.map((r) => r.population),
                writer,
                { ...Files.limits, workerRows: 0 }
              )
            )
            assert.isTrue(writer.taken("population"))
            assert.isFalse(writer.taken("standards"))
            const steps: Array<readonly [number, number]> = []
            const wrote = yield* Files.write(
              kinds,
              {
                ...where,
                writer,
                loaded,
                results: run,
                language: "en",
                onFile: (done, total) => steps.push([done, total]),
                report: () => Effect.die("no report")
              },
              { ...Files.limits, workerRows: 0 }
            )
            return { dir, wrote, steps }
          })
        )
        for (const other of [inWorker, early]) {
          assert.deepStrictEqual(other.wrote, inThread.wrote)
          const a = files(inThread.dir)
          const b = files(other.dir)
          assert.deepStrictEqual(Object.keys(b), Object.keys(a))
          for (const name of Object.keys(a)) assert.isTrue(a[name].equals(b[name]), `${name} differs`)
          assert.isAbove(a["population.csv"].length, 1000)
          assert.isAbove(a["standards.json"].length, 1000)
          // every step counted once, the last when everything is written
          const total = inThread.steps[0][1]
          assert.deepStrictEqual(
            other.steps.map(([done]) => done),
            Array.from({ length: total + 1 }, (_, i) => i)
          )
        }
      }
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it("the bundled worker (dist/internal/tableWorker.mjs, what the command starts) writes a job as the sources do", async () => {
    const bundled = path.join(root, "packages/cli/dist/internal/tableWorker.mjs")
    assert.isTrue(fs.existsSync(bundled), "built by scripts/build.mjs with the command")
    const dir = temp("seatplan-large-tables-bundle-")
    const data: LargeTables.Data = {
      population: [
        {
          variant: "baseline",
          firstYear: 2030,
          years: 1,
          perGroup: 2,
          settlementIds: ["S1" as never],
          children: Float64Array.of(1.4, 2.6)
        }
      ],
      checks: []
    }
    const job: LargeTables.Job = { file: path.join(dir, "population.csv"), table: "population", format: "csv", first: "\uFEFF" }
    const worker = new Worker(bundled)
    try {
      const message = await new Promise<LargeTables.Message>((resolve, reject) => {
        worker.once("message", resolve)
        worker.once("error", reject)
        worker.postMessage({ jobs: [job], data } satisfies LargeTables.Batch)
      })
      assert.deepStrictEqual(message, { done: job.file })
    } finally {
      await worker.terminate()
    }
    const inThread = path.join(dir, "in-thread.csv")
    LargeTables.writeJob(data, { ...job, file: inThread })
    assert.strictEqual(fs.readFileSync(job.file, "utf8"), fs.readFileSync(inThread, "utf8"))
    assert.strictEqual(
      fs.readFileSync(inThread, "utf8"),
      "\uFEFFvariant,year,settlement_id,age,children\nbaseline,2030,S1,0,1\nbaseline,2030,S1,1,3\n"
    )
  })

  it.effect("a table the worker cannot write fails naming its file, and leaves no temporary file", () =>
    Effect.gen(function* () {
      const loaded = yield* ScenarioLoader.load(path.join(root, "scenarios/tiny/scenario.yaml"))
      yield* Project.store(loaded)
      const results = yield* Project.run(loaded, { variants: [] })
      const dir = temp("seatplan-large-tables-fail-")
      // a folder where the standards' CSV goes: the worker's rename into place fails
      fs.mkdirSync(path.join(dir, "standards.csv", "inside"), { recursive: true })
      const failed = yield* Effect.either(
        Files.write(
          Either.getOrThrow(Files.chosen("csv")),
          { dir, loaded, results, bom: "", language: "en", report: () => Effect.die("no report") },
          { ...Files.limits, workerRows: 0 }
        )
      )
      assert.isTrue(Either.isLeft(failed))
      if (Either.isLeft(failed)) {
        assert.strictEqual(failed.left._tag, "WriteError")
        assert.include(failed.left.message, path.join(dir, "standards.csv"))
      }
      assert.deepStrictEqual(
        fs.readdirSync(dir).filter((n) => n.endsWith(".tmp")),
        []
      )
      // the population, written before it, is in place
      assert.isTrue(fs.existsSync(path.join(dir, "population.csv")))
    }).pipe(Effect.provide(EventStore.layerMemory))
  )
})
