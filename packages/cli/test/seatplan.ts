/**
 * The real `seatplan` command as a child process, for the CLI tests. Spawned asynchronously: a worker
 * blocked in spawnSync would starve vitest's RPC.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

/** The repository root: commands run from it, as the README's do. */
export const root = path.resolve(import.meta.dirname, "../../..")

export interface Ran {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `seatplan ARGS…` (with `env` added to the environment) and resolves with its exit status and output. */
export const seatplan = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}): Promise<Ran> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ["packages/cli/bin/seatplan.mjs", ...args], { cwd: root, env: { ...process.env, ...env } })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

/** A fresh temporary folder. */
export const temp = (prefix = "seatplan-cli-"): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix))

/**
 * A simple CSV file that seatplan wrote (no quoted cells: ids, numbers, yes/no), byte-order mark dropped, as
 * records by its header: what a planner's spreadsheet reads.
 */
export const csvRecords = (file: string): Array<Record<string, string>> => {
  const [header, ...lines] = fs
    .readFileSync(file, "utf8")
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\n")
    .map((l) => l.split(","))
  return lines.map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])))
}
