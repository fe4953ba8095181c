/**
 * `pnpm bench`: runs every benchmark, prints a table and writes `bench/results/<date>-<sha>[-<group>].json`
 * (`-<group>` with `--only`, so that two groups run on one commit keep their own files; a file already
 * there gets `-2`, `-3`… rather than being overwritten).
 * `pnpm bench --quick` runs a tenth of the work (a smoke run). Speed goals live here, never in unit tests.
 * `--only=NAME` runs one group (startup, store, engine, province, generate, optimize, serve, counties,
 * files, sweep, workers, proof, comply). `proof` (issue 19's exact p-median at 5,000 × 400) runs only when named.
 * `--large` runs the county-shaped siting instances (counties.ts) up to 5,000 × 400 as well, and generates
 * 1,000,000 settlements (generate.ts).
 */
import { execSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Comply from "./comply.js"
import * as Counties from "./counties.js"
import * as Engine from "./engine.js"
import * as Files from "./files.js"
import * as Generate from "./generate.js"
import * as Optimize from "./optimize.js"
import * as Proof from "./proof.js"
import * as Province from "./province.js"
import * as Serve from "./serve.js"
import * as Startup from "./startup.js"
import * as Store from "./store.js"
import * as SweepBench from "./sweep.js"
import * as Workers from "./workers.js"

const quick = process.argv.includes("--quick")
const large = process.argv.includes("--large")
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7)
/** `--seeds=3,5,7`: the proof group's generator seeds (default 19). */
const seeds = (process.argv.find((a) => a.startsWith("--seeds="))?.slice(8) ?? "19").split(",").map(Number)
const figures = [
  ...(only === undefined || only === "startup" ? Startup.run() : []),
  ...(only === undefined || only === "store" ? await Store.run(quick ? 0.1 : 1) : []),
  ...(only === undefined || only === "engine" ? await Engine.run(quick) : []),
  ...(only === undefined || only === "province" ? await Province.run(quick) : []),
  ...(only === undefined || only === "generate" ? await Generate.run(quick, large) : []),
  ...(only === undefined || only === "optimize" ? await Optimize.run(quick) : []),
  ...(only === undefined || only === "serve" ? await Serve.run(quick) : []),
  ...(only === undefined || only === "counties" ? await Counties.run(quick, large) : []),
  ...(only === undefined || only === "comply" ? await Comply.run(quick) : []),
  ...(only === undefined || only === "files" ? await Files.run(quick) : []),
  ...(only === undefined || only === "sweep" ? await SweepBench.run(quick) : []),
  ...(only === undefined || only === "workers" ? await Workers.run(quick) : []),
  ...(only === "proof" ? await Proof.run(quick, seeds) : [])
]

const goalOf = (f: Store.Figure) =>
  f.goalRatio !== undefined
    ? `≤ ${f.goalRatio} ×`
    : f.goal !== undefined
      ? `≥ ${f.goal.toLocaleString("en")}/s`
      : f.goalSeconds !== undefined
        ? `≤ ${Number(f.goalSeconds.toPrecision(3))} s`
        : ""
const metOf = (f: Store.Figure) =>
  f.goalRatio !== undefined
    ? (f.ratio ?? Infinity) <= f.goalRatio
      ? "yes"
      : "NO"
    : f.goal !== undefined
      ? f.perSecond >= f.goal
        ? "yes"
        : "NO"
      : f.goalSeconds !== undefined
        ? f.seconds <= f.goalSeconds
          ? "yes"
          : "NO"
        : ""
const rows = figures.map((f) => ({
  benchmark: f.name,
  items: f.events.toLocaleString("en"),
  seconds: f.seconds.toFixed(4),
  "per second": Math.round(f.perSecond).toLocaleString("en"),
  goal: goalOf(f),
  met: metOf(f),
  note: f.note ?? ""
}))
const widths = Object.keys(rows[0]).map((k) => Math.max(k.length, ...rows.map((r) => String(r[k as keyof typeof r]).length)))
const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")
process.stdout.write(
  [line(Object.keys(rows[0])), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(Object.values(r)))].join("\n") + "\n"
)

const sha = (() => {
  try {
    return execSync("git rev-parse --short HEAD", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim()
  } catch {
    return "nogit"
  }
})()
const out = (() => {
  const stem = `${new Date().toISOString().slice(0, 10)}-${sha}${only === undefined ? "" : `-${only}`}${quick ? "-quick" : ""}`
  const file = (n: number) => path.join(import.meta.dirname, "results", `${stem}${n === 1 ? "" : `-${n}`}.json`)
  let n = 1
  while (fs.existsSync(file(n))) n++
  return file(n)
})()
fs.mkdirSync(path.dirname(out), { recursive: true })
fs.writeFileSync(
  out,
  JSON.stringify(
    { date: new Date().toISOString(), sha, quick, node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, figures },
    null,
    2
  ) + "\n"
)
process.stdout.write(`written ${path.relative(process.cwd(), out)}\n`)
