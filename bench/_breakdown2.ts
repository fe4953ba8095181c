import { EventStore, SqliteEventStore } from "@seatplan/core"
import * as Workspace from "@seatplan/cli/serve/Workspace"
import * as Figures from "@seatplan/cli/serve/Figures"
import { Compare, Scenario } from "@seatplan/plan"
import { Compile, Engine, Groups, Places, Tables } from "@seatplan/sim"
import { Effect, Either, Layer, Scope } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
const county = path.join(import.meta.dirname, "../scenarios/county/scenario.yaml")
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bd-"))
const db = path.join(dir, "w.sqlite")
const scope = Effect.runSync(Scope.make())
const context = await Effect.runPromise(Layer.buildWithScope(SqliteEventStore.layer({ filename: db }), scope))
const ws = await Effect.runPromise(Effect.gen(function* () { return yield* Workspace.open(db, yield* EventStore.EventStore, county) }).pipe(Effect.provide(context), Scope.extend(scope)))
const ctx = ws.ctx
const run = <A, E>(e: Effect.Effect<A, E, any>) => Effect.runPromise(e.pipe(Effect.provide(context)) as Effect.Effect<A, E, never>)
const v0 = await run(ws.fork("baseline", undefined, "b"))
let version = await run(ws.version(v0))
const baseline = Figures.project(ctx, "baseline", ws.decidePlan([]), [])
const prefix = Compile.prefix(ctx.baseline.events.map((e) => e.event), Scenario.compileOptions(ctx.scenario))
let kept: Figures.Kept | undefined
const schools = ["C1-T4-PRI", "C1-T1-PRI", "C1-T2-PRI", "C1-T3-PRI", "C1-SEAT-PRI-1"]
const T: Record<string, number[]> = {}; (globalThis as any).__T = T
let a = 0
const t = (k: string) => { const n = performance.now(); (T[k] ??= []).push(n - a); a = n }
for (let i = 0; i < 40; i++) {
  const step = { type: "hire", year: 2026 + (i % 5), school: schools[i % schools.length], count: 1 + (i % 3) } as any
  const v = await run(ws.variant(v0.id))
  a = performance.now()
  const rec = await run(ws.edit(v0.id, version, step)); t("edit")
  version = rec.after
  const steps = ws.stepsOf(v)
  const plan = ws.planAt(v, version, steps)
  const planned = Either.getOrThrow(plan)[0]?.events ?? []
  const stored = [...ctx.baseline.events, ...planned]; t("p.stored")
  const model = Either.getOrThrow(Compile.extendEither(prefix, planned.map((e) => e.event))); t("p.extend")
  const r = Engine.resume(model, kept?.run); t("p.resume")
  const rows = Tables.schools(model, r.cube, "b", kept === undefined || r.resumedFrom === 0 ? undefined : { model: kept.run.model, rows: kept.schools, years: r.resumedFrom }); t("p.tables.schools")
  const by = Groups.byYear(stored.map((e) => e.event), model.baseYear, model.baseYear + r.cube.years - 1); t("p.groups.byYear")
  const g = Groups.share(rows, by, "b"); t("p.groups.share")
  Places.of(r.states[r.states.length - 1]); t("p.places")
  Tables.county(model, r.cube, "b"); t("p.tables.county")
  kept = { run: r, schools: rows }
  const p = Figures.project(ctx, v.id, plan, steps, undefined)
  a = performance.now()
  const f = Figures.figures(ctx, baseline, p, 2028); t("figures")
  JSON.stringify(f); t("stringify");
  (T.resumedFrom ??= []).push(r.resumedFrom)
}
for (const [k, xs] of Object.entries(T)) { const s = xs.slice(3).sort((a, b) => a - b); console.log(k.padEnd(30), "p50", s[Math.floor(s.length / 2)].toFixed(1), "p95", s[Math.ceil(0.95 * s.length) - 1].toFixed(1)) }
