/**
 * `pnpm fuzz --runs N [--seed S]`: a larger fuzz corpus for the scenario loader than the test suite runs.
 * Prints how many cases, how many the loader rejected and accepted, how many failed badly (internal errors:
 * a throw, an unlocated problem, a line over 500 characters), and the slowest case.
 */
import fc from "fast-check"
import { arbitraryCase, run } from "./mutations.js"

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`))
  const value = inline !== undefined ? inline.split("=")[1] : i >= 0 ? process.argv[i + 1] : undefined
  const n = value === undefined ? fallback : Number(value)
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`fuzz: --${name} expects a whole number, found ${JSON.stringify(value)}`)
    process.exit(2)
  }
  return n
}
const runs = arg("runs", 2_000)
const seed = arg("seed", Date.now() % 2 ** 31)

let rejected = 0
let accepted = 0
const internal: Array<string> = []
let slowest = { ms: 0, what: "" }
const byMutation = new Map<string, { n: number; ms: number }>()
const started = performance.now()
fc.assert(
  fc.property(arbitraryCase(), (c) => {
    const o = run(c)
    if (o.accepted) accepted++
    else rejected++
    if (o.faults.length > 0) internal.push(`${c.source}, ${c.mutation}: ${o.faults.slice(0, 2).join("; ")}`)
    if (o.ms > slowest.ms) slowest = { ms: o.ms, what: `${c.mutation} on ${c.source} (${c.bytes.length} bytes)` }
    const kind = c.mutation.split(" + ")[0]
    const m = byMutation.get(kind) ?? { n: 0, ms: 0 }
    byMutation.set(kind, { n: m.n + 1, ms: m.ms + o.ms })
    const done = rejected + accepted
    if (done % 1000 === 0)
      console.error(`… ${done} cases, ${internal.length} internal errors, ${((performance.now() - started) / 1000).toFixed(0)} s`)
  }),
  { numRuns: runs, seed }
)
const seconds = (performance.now() - started) / 1000
console.log(`cases: ${runs} (seed ${seed}, ${seconds.toFixed(1)} s)`)
console.log(`rejected: ${rejected}`)
console.log(`accepted: ${accepted}`)
console.log(`internal errors: ${internal.length}`)
console.log(`slowest case: ${slowest.ms.toFixed(0)} ms, ${slowest.what}`)
for (const line of internal.slice(0, 20)) console.log(`  ${line}`)
console.log("mean ms by mutation:")
for (const [kind, m] of [...byMutation].sort((a, b) => b[1].ms / b[1].n - a[1].ms / a[1].n))
  console.log(`  ${(m.ms / m.n).toFixed(1).padStart(7)}  ${kind} (${m.n})`)
process.exitCode = internal.length > 0 ? 1 : 0
