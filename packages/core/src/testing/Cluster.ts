/**
 * A throwaway PostgreSQL for the tests (the PostgreSQL event store, `--store postgres://…`, the workers):
 * a new cluster in a temporary folder on a free port, started by the global set-up and stopped (and its
 * folder removed) in its teardown. Its URL reaches every test, and every process a test starts, as
 * `SEATPLAN_TEST_PG_URL`; `SEATPLAN_TEST_PG_CTL` lets a test restart the server (`pg_ctl` with its data
 * folder). The binaries come from PATH or Debian's /usr/lib/postgresql/<version>/bin; when there are none,
 * Debian's postgresql is installed with apt-get (as root; otherwise the message says what to run), with no
 * cluster of its own. PostgreSQL refuses to run as root, so as root the cluster belongs to `nobody`.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"

/** The folder holding initdb, pg_ctl and postgres, or undefined. */
const binaries = (): string | undefined => {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir !== "" && fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl"))) return dir
  }
  const debian = "/usr/lib/postgresql"
  if (!fs.existsSync(debian)) return undefined
  const versions = fs
    .readdirSync(debian)
    .filter((v) => fs.existsSync(path.join(debian, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a))
  return versions.length === 0 ? undefined : path.join(debian, versions[0], "bin")
}

const install = (): void => {
  if (process.getuid?.() !== 0) {
    throw new Error(
      "PostgreSQL is missing (initdb, pg_ctl): install Debian's postgresql (sudo apt-get install -y postgresql) and run the tests again"
    )
  }
  process.stderr.write("installing Debian's postgresql for the PostgreSQL store tests (apt-get; once per machine)…\n")
  // the package would create and start a cluster of its own on port 5432: the tests make their own
  fs.mkdirSync("/etc/postgresql-common", { recursive: true })
  const conf = "/etc/postgresql-common/createcluster.conf"
  if (!fs.existsSync(conf)) fs.writeFileSync(conf, "create_main_cluster = false\n")
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env, timeout: 900_000 })
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
    timeout: 900_000
  })
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

export interface Cluster {
  readonly url: string
  /** `pg_ctl -D <data>` as the cluster's owner: `[command, ...args]` to which `start`/`stop`/`restart` … are added. */
  readonly pgCtl: ReadonlyArray<string>
  readonly stop: () => void
}

/** Creates and starts a cluster; the caller stops it. */
export const start = async (): Promise<Cluster> => {
  let bin = binaries()
  if (bin === undefined) {
    install()
    bin = binaries()
    if (bin === undefined) throw new Error("apt-get installed postgresql but initdb and pg_ctl are still missing")
  }
  const root = process.getuid?.() === 0
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-pg-"))
  if (root) {
    const { gid, uid } = {
      uid: Number(execFileSync("id", ["-u", "nobody"]).toString()),
      gid: Number(execFileSync("id", ["-g", "nobody"]).toString())
    }
    fs.chownSync(dir, uid, gid)
  }
  const as = (command: string, args: ReadonlyArray<string>) =>
    root ? ["runuser", "-u", "nobody", "--", path.join(bin, command), ...args] : [path.join(bin, command), ...args]
  const run = (argv: ReadonlyArray<string>, timeout = 120_000) =>
    execFileSync(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"], timeout, cwd: dir })
  const data = path.join(dir, "data")
  try {
    run(as("initdb", ["-D", data, "-U", "seatplan", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]))
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true })
    throw new Error(`initdb failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`)
  }
  const port = await freePort()
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c max_connections=200",
    "-c shared_buffers=32MB"
  ].join(" ")
  const pgCtl = as("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-o", options, "-w", "-t", "60"])
  try {
    run([...pgCtl, "start"])
  } catch (e) {
    const log = fs.existsSync(path.join(dir, "server.log")) ? fs.readFileSync(path.join(dir, "server.log"), "utf8") : ""
    fs.rmSync(dir, { recursive: true, force: true })
    throw new Error(`PostgreSQL did not start: ${String((e as { stderr?: Buffer }).stderr ?? e)}\n${log}`)
  }
  return {
    url: `postgres://seatplan@127.0.0.1:${port}/postgres`,
    pgCtl,
    stop: () => {
      try {
        run([...pgCtl, "stop", "-m", "fast"])
      } catch {
        try {
          run([...pgCtl, "stop", "-m", "immediate"])
        } catch {
          // already stopped
        }
      }
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
