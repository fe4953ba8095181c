/**
 * `seatplan serve`: an edit to the county example (263 settlements, 96 schools), sent over HTTP as the
 * page sends it, until its answer — the variant re-projected (incrementally: the plan compiled onto the
 * baseline compiled once, the run resumed from the edit's year) and the page's figures beside the
 * baseline — is read. Each edit is new (the projection cache never hits). As the page does, each edit
 * names the figures it holds (`since`) and is answered with what changed (a patch), which is applied to
 * them. Goal: 150 ms at the 95th percentile. The server's Server-Timing header gives the stages (the edit
 * decided and stored, the projection, the figures, the patch).
 *
 * The machine is shared and its load varies from one minute to the next, so each edit is followed by a
 * bare projection of the county's baseline (compile, run, tables: what `seatplan run` does per variant)
 * in the same process, and the edit's time is also given as a multiple of that projection's, wall and CPU.
 */
import { EventStore, SqliteEventStore } from "@seatplan/core"
import * as Api from "@seatplan/cli/serve/Api"
import * as Server from "@seatplan/cli/serve/Server"
import * as Workspace from "@seatplan/cli/serve/Workspace"
import { Scenario } from "@seatplan/plan"
import { Compile, Engine, Tables } from "@seatplan/sim"
import { Effect, Exit, Layer, Scope } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { Figure } from "./store.js"

const county = path.join(import.meta.dirname, "../scenarios/county/scenario.yaml")

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]

export const run = async (quick: boolean): Promise<ReadonlyArray<Figure>> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-bench-serve-"))
  const db = path.join(dir, "workspace.sqlite")
  const scope = Effect.runSync(Scope.make())
  try {
    const context = await Effect.runPromise(Layer.buildWithScope(SqliteEventStore.layer({ filename: db }), scope))
    const { started, workspace } = await Effect.runPromise(
      Effect.gen(function* () {
        const workspace = yield* Workspace.open(db, yield* EventStore.EventStore, county)
        const started = yield* Server.start(workspace, { port: 0, host: "127.0.0.1", shared: false, lang: "en" })
        return { started, workspace }
      }).pipe(Effect.provide(context), Scope.extend(scope))
    )
    const options = Scenario.compileOptions(workspace.ctx.scenario)
    const baseEvents = workspace.ctx.baseline.events.map((e) => e.event)
    /** A bare projection of the county from scratch (the baseline compiled whole, run and tabled, as `seatplan run` does): wall and CPU ms. */
    const bare = () => {
      const t0 = performance.now()
      const cpu0 = process.cpuUsage()
      const model = Compile.compile(baseEvents, options)
      const cube = Engine.run(model)
      Tables.schools(model, cube, "baseline")
      Tables.county(model, cube, "baseline")
      const cpu = process.cpuUsage(cpu0)
      return [performance.now() - t0, (cpu.user + cpu.system) / 1000] as const
    }
    /** Bytes of each edit's answer (a patch against the figures held), and the server's stages (Server-Timing). */
    const answered: Array<number> = []
    const stages = new Map<string, Array<number>>()
    const post = async (p: string, body: unknown) => {
      const r = await fetch(`${started.base}${p}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body)
      })
      const text = await r.text()
      answered.push(Buffer.byteLength(text))
      for (const m of (r.headers.get("server-timing") ?? "").matchAll(/([a-z]+);dur=([0-9.]+)/g))
        stages.set(m[1], [...(stages.get(m[1]) ?? []), Number(m[2])])
      return JSON.parse(text) as { id: string; version: number; key: string; patch?: Api.FiguresPatch; figures?: Api.Figures }
    }
    const { id } = await post("/api/variants/baseline/fork", { name: "bench" })
    const first = await fetch(`${started.base}/api/variants/${id}?year=2028`)
    const whole = await first.text()
    let held = JSON.parse(whole) as Api.View
    let version = held.version
    const schools = ["C1-T4-PRI", "C1-T1-PRI", "C1-T2-PRI", "C1-T3-PRI", "C1-SEAT-PRI-1"]
    const edits = quick ? 10 : 60
    const times: Array<number> = []
    /** CPU time of this process (server and client) per edit: what the edit costs, whatever else the machine runs. */
    const cpuTimes: Array<number> = []
    const bareTimes: Array<number> = []
    const bareCpu: Array<number> = []
    for (let i = 0; i < edits + 2; i++) {
      const t0 = performance.now()
      const cpu0 = process.cpuUsage()
      const answer = await post(`/api/variants/${id}/edits?year=2028&since=${encodeURIComponent(held.key)}`, {
        expectedVersion: version,
        step: { type: "hire", year: 2026 + (i % 5), school: schools[i % schools.length], count: 1 + (i % 3) }
      })
      if (answer.patch === undefined) throw new Error(`bench: edit ${i} was not answered with a patch`)
      held = { ...held, key: answer.key, version: answer.version, figures: Api.apply(held.figures, answer.patch) }
      const ms = performance.now() - t0
      const cpu = process.cpuUsage(cpu0)
      if (answer.version !== version + 1) throw new Error(`bench: edit ${i} was not accepted: ${JSON.stringify(answer).slice(0, 300)}`)
      version = answer.version
      if (i >= 2) {
        // the first two warm the JIT and the baseline's projection
        times.push(ms)
        cpuTimes.push((cpu.user + cpu.system) / 1000)
        const [wall, cpuMs] = bare()
        bareTimes.push(wall)
        bareCpu.push(cpuMs)
      }
    }
    const sorted = [...times].sort((a, b) => a - b)
    const p95 = percentile(sorted, 95)
    const cpuSorted = [...cpuTimes].sort((a, b) => a - b)
    const cpu95 = percentile(cpuSorted, 95)
    const bareSorted = [...bareTimes].sort((a, b) => a - b)
    const bareCpuSorted = [...bareCpu].sort((a, b) => a - b)
    const ratio = (x: number, y: number) => (x / y).toFixed(1)
    const p50 = (xs: ReadonlyArray<number>) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50
      )
    const stageNote = [...stages]
      .map(([name, xs]) => {
        const kept = xs.slice(-times.length)
        return `${name} ${p50(kept).toFixed(0)}/${percentile(
          [...kept].sort((a, b) => a - b),
          95
        ).toFixed(0)}`
      })
      .join(", ")
    const patchBytes = answered.slice(-times.length)
    return [
      {
        name: "serve: edit → figures, county (p95)",
        events: times.length,
        seconds: p95 / 1000,
        perSecond: 1000 / p95,
        goalSeconds: 0.15,
        note: `p50 ${percentile(sorted, 50).toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms over ${times.length} edits; server stages p50/p95 ms: ${stageNote}; answer a patch of ${(p50(patchBytes) / 1024).toFixed(1)} KiB p50 (whole figures ${(Buffer.byteLength(whole) / 1024).toFixed(0)} KiB); load ${os.loadavg()[0].toFixed(1)}`
      },
      {
        name: "serve: edit → figures, county, CPU time (p95)",
        events: cpuTimes.length,
        seconds: cpu95 / 1000,
        perSecond: 1000 / cpu95,
        goalSeconds: 0.15,
        note: `p50 ${percentile(cpuSorted, 50).toFixed(0)} ms of CPU per edit (server and client, one process)`
      },
      {
        name: "serve: a bare projection of the county, same run (p95)",
        events: bareTimes.length,
        seconds: percentile(bareSorted, 95) / 1000,
        perSecond: 1000 / percentile(bareSorted, 95),
        note: `CPU p95 ${percentile(bareCpuSorted, 95).toFixed(0)} ms, p50 ${percentile(bareCpuSorted, 50).toFixed(0)} ms; an edit costs ${ratio(p95, percentile(bareSorted, 95))}× (wall p95) and ${ratio(cpu95, percentile(bareCpuSorted, 95))}× (CPU p95), ${ratio(percentile(cpuSorted, 50), percentile(bareCpuSorted, 50))}× (CPU p50) a bare projection`
      }
    ]
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
