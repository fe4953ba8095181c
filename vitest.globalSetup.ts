/**
 * Set-up for the whole test run, so that `pnpm test` on a fresh machine needs nothing done by hand:
 * - Debian's Chromium, which the report and page tests drive through playwright-core, and poppler-utils,
 *   whose pdftoppm, pdfinfo and pdftotext check the report's PDF, are installed with
 *   apt-get when it is missing (as root; otherwise the message says what to run);
 * - Debian's gdal-bin, whose `ogrinfo` checks the GeoPackage `seatplan run` writes, likewise (the GIS test
 *   fails, never skips, without it);
 * - a throwaway PostgreSQL (packages/core/src/testing/Cluster.ts: Debian's postgresql installed when missing, a new cluster on a
 *   free port, stopped in the teardown) for the PostgreSQL store and worker tests, its URL in `SEATPLAN_TEST_PG_URL`;
 * - the `seatplan` bundle is built once before any test spawns the command, so tests run what a user runs
 *   (bin/seatplan.mjs would rebuild a stale bundle itself, but once here keeps parallel test files from all
 *   rebuilding at once).
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { Cluster as Postgres } from "./packages/core/src/testing/index.js"

const chromium = "/usr/bin/chromium"

/** Installs a Debian package when `file` is missing (as root; otherwise the message says what to run). */
const ensure = (file: string, pkg: string, what: string): void => {
  if (fs.existsSync(file) || process.env.SEATPLAN_NO_BROWSER_INSTALL !== undefined) return
  if (process.getuid?.() !== 0) {
    throw new Error(`${file} is missing: install Debian's ${pkg} (sudo apt-get install -y ${pkg}) and run the tests again`)
  }
  process.stderr.write(`installing Debian's ${pkg} for ${what} (apt-get; once per machine)…\n`)
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env, timeout: 900_000 })
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", pkg], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
    timeout: 900_000
  })
}

const ensureChromium = (): void => {
  ensure(chromium, "chromium", "the page tests")
  // pdftoppm, pdfinfo and pdftotext check the report's PDF (report-pdf.test.ts)
  ensure("/usr/bin/pdftoppm", "poppler-utils", "the PDF test")
}

const ensureGdal = (): void => {
  // ogrinfo checks the GeoPackage `seatplan run` writes (gis.test.ts)
  ensure("/usr/bin/ogrinfo", "gdal-bin", "the GeoPackage test")
}

export default async function setup(): Promise<() => void> {
  ensureChromium()
  ensureGdal()
  const { build } = await import("./packages/cli/scripts/build.mjs")
  await build()
  // SEATPLAN_TEST_PG_URL set by the caller: a PostgreSQL of its own (one that must not be stopped here)
  if (process.env.SEATPLAN_TEST_PG_URL !== undefined) return () => {}
  const cluster = await Postgres.start()
  process.env.SEATPLAN_TEST_PG_URL = cluster.url
  process.env.SEATPLAN_TEST_PG_CTL = JSON.stringify(cluster.pgCtl)
  return () => cluster.stop()
}
