/**
 * End to end at province scale (issue 18): `seatplan generate --settlements 100000 --counties 250` then
 * `seatplan run` on the file, each as its own process, timed (wall and CPU) with its peak resident memory
 * from `/usr/bin/time -v` (Debian's `time` package; without it the memory is not measured). Goals: the
 * two together in at most 60 s and 4 GB. `--large` also generates 1,000,000 settlements (bounded memory:
 * the events are streamed into the file). `--quick` runs 10,000 settlements.
 *
 * The run writes everything it writes by default: the tables, while a province's report, workbook and maps
 * are skipped with the reason (RunFiles.limits). The population table (settlements × ages × years) is
 * written from the run's typed arrays in pieces, never whole in memory; the log is stored on a worker thread
 * while the run compiles each variant from the same events (`StoreThread`, `Project.decidedReadings`), and
 * nothing is written before it is stored. Each figure's note has the load average when it ended (the machine
 * is shared: wall times depend on it, CPU times less).
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { Figure } from "./store.js"

const root = path.resolve(import.meta.dirname, "..")
const bin = path.join(root, "packages/cli/bin/seatplan.mjs")
const timeBin = "/usr/bin/time"

interface Measured {
  readonly wall: number
  readonly cpu: number
  /** Peak resident set size, MB (undefined without /usr/bin/time). */
  readonly peakMb: number | undefined
  readonly status: number | null
  readonly stderr: string
}

/** Runs `seatplan ARGS` in `cwd` and measures it. */
const seatplan = (args: ReadonlyArray<string>, cwd: string): Measured => {
  const node = [process.execPath, "--max-semi-space-size=128", bin, ...args]
  const timed = fs.existsSync(timeBin)
  const start = process.hrtime.bigint()
  const r = spawnSync(timed ? timeBin : node[0], timed ? ["-v", ...node] : node.slice(1), { cwd, encoding: "utf8", maxBuffer: 1 << 28 })
  const wall = Number(process.hrtime.bigint() - start) / 1e9
  const field = (name: string) => {
    const m = new RegExp(`${name}: ([0-9.]+)`).exec(r.stderr)
    return m === null ? undefined : Number(m[1])
  }
  const user = field("User time \\(seconds\\)")
  const system = field("System time \\(seconds\\)")
  const rss = field("Maximum resident set size \\(kbytes\\)")
  return {
    wall,
    cpu: user === undefined || system === undefined ? Number.NaN : user + system,
    peakMb: rss === undefined ? undefined : Math.round(rss / 1024),
    status: r.status,
    stderr: r.stderr
  }
}

/** The 1-minute load average now. */
const load = () => os.loadavg()[0].toFixed(1)

const figure = (name: string, items: number, m: Measured, goalSeconds?: number): Figure => ({
  name,
  events: items,
  seconds: m.wall,
  perSecond: items / m.wall,
  ...(goalSeconds === undefined ? {} : { goalSeconds }),
  note: `${m.status === 0 ? "" : `FAILED (exit ${m.status}) `}CPU ${m.cpu.toFixed(1)} s; peak ${m.peakMb === undefined ? "not measured" : `${m.peakMb.toLocaleString("en")} MB`}; load ${load()}`
})

export const run = async (quick: boolean, large: boolean): Promise<ReadonlyArray<Figure>> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-generate-"))
  const settlements = quick ? 10_000 : 100_000
  const counties = quick ? 25 : 250
  const figures: Array<Figure> = []
  try {
    const file = "region.yaml"
    const gen = seatplan(["generate", "--settlements", String(settlements), "--counties", String(counties), "--out", file], dir)
    figures.push(figure(`generate ${settlements.toLocaleString("en")} settlements (${counties} counties)`, settlements, gen))
    const ran = seatplan(["run", file, "--out", "out", "--quiet"], dir)
    figures.push(figure(`run it: validate, store beside the projection, write every file`, settlements, ran))
    const total: Measured = {
      wall: gen.wall + ran.wall,
      cpu: gen.cpu + ran.cpu,
      peakMb: gen.peakMb === undefined || ran.peakMb === undefined ? undefined : Math.max(gen.peakMb, ran.peakMb),
      status: gen.status === 0 && ran.status === 0 ? 0 : 1,
      stderr: ""
    }
    figures.push({
      ...figure("  generate + run", settlements, total, quick ? undefined : 60),
      note: `${figure("", 0, total).note}${total.peakMb !== undefined && total.peakMb > 4096 ? " (over the 4 GB goal)" : ", goal ≤ 4,096 MB"}`
    })
    if (ran.status !== 0) process.stderr.write(ran.stderr.slice(-2000))
    if (large) {
      const big = seatplan(["generate", "--settlements", "1000000", "--counties", "2500", "--out", "big.yaml"], dir)
      figures.push(figure("generate 1,000,000 settlements (2,500 counties)", 1_000_000, big))
      fs.rmSync(path.join(dir, "big.yaml"), { force: true })
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return figures
}
