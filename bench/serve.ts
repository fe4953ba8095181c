/**
 * `seatplan serve`: an edit to the county example (263 settlements, 96 schools), sent over HTTP as the
 * page sends it, until its answer — the variant re-projected (incrementally: the plan compiled onto the
 * baseline compiled once, the run resumed from the edit's year) and the page's figures beside the
 * baseline — is read. Each edit is new (the projection cache never hits). As the page does, each edit
 * names the figures it holds (`since`) and is answered with what changed (a patch), which is applied to
 * them. Goal: 150 ms at the 95th percentile. The server's Server-Timing header gives the stages (the edit
 * decided and stored, the projection, the figures, the patch).
 *
 * Then the same edits are made in Debian's headless Chromium (playwright-core) on the workspace page as a
 * planner makes them (the hire form filled, "apply" clicked), timed by the page from the click until the
 * frame showing the new figures has been painted (the page test's measure), with its parts: the answer
 * read and decoded, the drawing (map, charts, tables, form).
 *
 * The machine is shared and its load varies from one minute to the next, so each edit is followed by a
 * bare projection of the county's baseline (compile, run, tables: what `seatplan run` does per variant)
 * in the same process, and the edit's time is also given as a multiple of that projection's, wall and CPU.
 */
import { EventStore, SqliteEventStore } from "@seatplan/core"
import { chromiumPath, launchChromium } from "@seatplan/cli/Pdf"
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
    const page = await browserEdits(started.base, id, quick ? 6 : 30, schools)
    return [
      ...page,
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

/**
 * Edits made on the page in Chromium (hires, as the server-side edits): click → new figures painted, p50
 * and p95, with the parts the page records. None when Chromium is not installed (say so in the note).
 */
const browserEdits = async (
  base: string,
  variant: string,
  edits: number,
  schools: ReadonlyArray<string>
): Promise<ReadonlyArray<Figure>> => {
  if (!fs.existsSync(chromiumPath)) {
    return [
      { name: "serve page: click → painted, county (p95)", events: 0, seconds: 0, perSecond: 0, note: `no Chromium at ${chromiumPath}` }
    ]
  }
  const browser = await launchChromium()
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
    const page = await context.newPage()
    await page.goto(`${base}/?lang=en&variant=${encodeURIComponent(variant)}`)
    await page.waitForSelector("body[data-ready]", { timeout: 120_000 })
    const stages = { lastEditMs: [] as Array<number>, lastEditAnswerMs: [] as Array<number>, lastEditRenderMs: [] as Array<number> }
    const parts: Array<string> = []
    for (let i = 0; i < edits + 2; i++) {
      const drawn = Number((await page.getAttribute("body", "data-edits-drawn")) ?? 0)
      await page.selectOption("#pick-school", schools[i % schools.length])
      await page.selectOption("[data-testid=field-action]", "hire")
      await page.fill("[data-testid=field-year]", String(2026 + (i % 5)))
      await page.fill("[data-testid=field-count]", String(1 + (i % 3)))
      await page.click("[data-testid=apply]")
      await page.waitForSelector(`body[data-edits-drawn="${drawn + 1}"]`, { timeout: 120_000 })
      // the body's data-* attributes, where the page records its timings
      const data = await page.$eval("body", (body) =>
        Object.fromEntries(body.getAttributeNames().map((n: string) => [n, body.getAttribute(n)]))
      )
      if (i < 2) continue // the page's first draws warm its script
      stages.lastEditMs.push(Number(data["data-last-edit-ms"]))
      stages.lastEditAnswerMs.push(Number(data["data-last-edit-answer-ms"]))
      stages.lastEditRenderMs.push(Number(data["data-last-edit-render-ms"]))
      parts.push(data["data-last-edit-render-parts"] ?? "")
    }
    const at = (xs: ReadonlyArray<number>, p: number) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        p
      )
    const both = (xs: ReadonlyArray<number>) => `${at(xs, 50).toFixed(0)}/${at(xs, 95).toFixed(0)}`
    const part = (name: string) =>
      both(parts.map((t) => Number(new RegExp(`${name}=([0-9.]+)`).exec(t)?.[1] ?? Number.NaN)).filter((x) => !Number.isNaN(x)))
    const p95 = at(stages.lastEditMs, 95)
    return [
      {
        name: "serve page: click → painted, county (p95)",
        events: stages.lastEditMs.length,
        seconds: p95 / 1000,
        perSecond: 1000 / p95,
        goalSeconds: 0.15,
        note: `p50 ${at(stages.lastEditMs, 50).toFixed(0)} ms in Chromium over ${stages.lastEditMs.length} hires; p50/p95 ms: click → answer decoded ${both(stages.lastEditAnswerMs)}, drawn ${both(stages.lastEditRenderMs)} (map ${part("map")}, charts ${part("charts")}, tables ${part("tables")}, form ${part("form")}); load ${os.loadavg()[0].toFixed(1)}`
      }
    ]
  } finally {
    await browser.close()
  }
}
