/**
 * `--store postgres://…` on the commands that take a store, against the tests' real PostgreSQL: `run`
 * writes the same tables as with its own SQLite file, `events export | events import` moves a log from a
 * SQLite store into PostgreSQL and back with nothing changed, and `compare` reads the shared store.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { Postgres } from "@seatplan/core/testing"
import { root, seatplan, temp } from "./seatplan.js"

const bin = path.join(root, "packages/cli/bin/seatplan.mjs")

/** `seatplan events export --store FROM | seatplan events import --store TO` through a real pipe. */
const pipe = (from: string, to: string) =>
  new Promise<{ status: number | null; stderr: string; stdout: string }>((resolve) => {
    const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`
    const child = spawn(
      "bash",
      [
        "-c",
        `set -o pipefail; ${q(process.execPath)} ${q(bin)} events export --store ${q(from)} | ${q(process.execPath)} ${q(bin)} events import --store ${q(to)}`
      ],
      { cwd: root }
    )
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

describe("--store postgres://", () => {
  it.scoped(
    "run stores and projects through PostgreSQL with the same tables as through SQLite; export | import moves the log both ways",
    () =>
      Effect.gen(function* () {
        const url = yield* Postgres.freshDatabase
        const dir = temp()
        yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
        const scenario = "scenarios/tiny/scenario.yaml"
        const viaSqlite = yield* Effect.promise(() =>
          seatplan(["run", scenario, "--out", path.join(dir, "a"), "--format", "json", "--lang", "en"])
        )
        assert.strictEqual(viaSqlite.status, 0, viaSqlite.stderr)
        const viaPg = yield* Effect.promise(() =>
          seatplan(["run", scenario, "--out", path.join(dir, "b"), "--format", "json", "--lang", "en", "--store", `${url}?schema=tiny`])
        )
        assert.strictEqual(viaPg.status, 0, viaPg.stderr)
        assert.include(viaPg.stderr, "events in postgres://")
        assert.strictEqual(viaPg.stdout, viaSqlite.stdout)
        for (const table of ["county.csv", "schools.csv", "catchments.csv"]) {
          assert.strictEqual(
            fs.readFileSync(path.join(dir, "b", table), "utf8"),
            fs.readFileSync(path.join(dir, "a", table), "utf8"),
            table
          )
        }
        // running again stores nothing new (idempotent) and gives the same figures
        const again = yield* Effect.promise(() =>
          seatplan(["run", scenario, "--out", path.join(dir, "b"), "--format", "json", "--lang", "en", "--store", `${url}?schema=tiny`])
        )
        assert.strictEqual(again.stdout, viaSqlite.stdout)

        // SQLite → PostgreSQL (another schema) → a new SQLite file: the same log, line for line
        const moved = yield* Effect.promise(() => pipe(path.join(dir, "a", "events.sqlite"), `${url}?schema=moved`))
        assert.strictEqual(moved.status, 0, moved.stderr)
        assert.match(moved.stdout, /imported \d+ events and \d+ forks into postgres:\/\/.*; 0 already there/)
        const back = yield* Effect.promise(() => pipe(`${url}?schema=moved`, path.join(dir, "back.sqlite")))
        assert.strictEqual(back.status, 0, back.stderr)
        const original = yield* Effect.promise(() =>
          seatplan(["events", "export", path.join(dir, "a.jsonl"), "--db", path.join(dir, "a", "events.sqlite")])
        )
        assert.strictEqual(original.status, 0, original.stderr)
        const roundTrip = yield* Effect.promise(() =>
          seatplan(["events", "export", path.join(dir, "back.jsonl"), "--store", path.join(dir, "back.sqlite")])
        )
        assert.strictEqual(roundTrip.status, 0, roundTrip.stderr)
        assert.strictEqual(fs.readFileSync(path.join(dir, "back.jsonl"), "utf8"), fs.readFileSync(path.join(dir, "a.jsonl"), "utf8"))
        // importing again skips everything
        const twice = yield* Effect.promise(() => pipe(path.join(dir, "a", "events.sqlite"), `${url}?schema=moved`))
        assert.match(twice.stdout, /imported 0 events and 0 forks into .*; \d+ already there/)

        const listed = yield* Effect.promise(() => seatplan(["events", "list", "--store", `${url}?schema=tiny`, "--type", "SchoolOpened"]))
        assert.strictEqual(listed.status, 0, listed.stderr)
        assert.match(listed.stdout, /SchoolOpened/)

        const compared = yield* Effect.promise(() => seatplan(["compare", scenario, "--format", "json", "--store", `${url}?schema=tiny`]))
        const local = yield* Effect.promise(() => seatplan(["compare", scenario, "--format", "json"]))
        assert.strictEqual(compared.status, 0, compared.stderr)
        assert.strictEqual(compared.stdout, local.stdout)
      }),
    600_000
  )

  it("a store that cannot be reached is an input error naming the URL without its password", { timeout: 120_000 }, async () => {
    const r = await seatplan(["events", "list", "--store", "postgres://planner:secret@127.0.0.1:1/none"])
    assert.strictEqual(r.status, 1, r.stderr)
    assert.include(r.stderr, "postgres://planner:***@127.0.0.1:1/none")
    assert.notInclude(r.stderr, "secret")
    const neither = await seatplan(["events", "list"])
    assert.strictEqual(neither.status, 2)
    assert.include(neither.stderr, "--store")
  })
})
