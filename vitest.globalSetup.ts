/**
 * Set-up for the whole test run, so that `pnpm test` on a fresh machine needs nothing done by hand:
 * - Debian's Chromium, which the report and page tests drive through playwright-core, is installed with
 *   apt-get when it is missing (as root; otherwise the message says what to run);
 * - Debian's gdal-bin, whose `ogrinfo` checks the GeoPackage `seatplan run` writes, likewise (the GIS test
 *   fails, never skips, without it);
 * - the `seatplan` bundle is built once before any test spawns the command, so tests run what a user runs
 *   (bin/seatplan.mjs would rebuild a stale bundle itself, but once here keeps parallel test files from all
 *   rebuilding at once).
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"

const chromium = "/usr/bin/chromium"

const ensureChromium = (): void => {
  if (fs.existsSync(chromium) || process.env.SEATPLAN_NO_BROWSER_INSTALL !== undefined) return
  if (process.getuid?.() !== 0) {
    throw new Error(`${chromium} is missing: install Debian's chromium (sudo apt-get install -y chromium) and run the tests again`)
  }
  process.stderr.write("installing Debian's chromium for the page tests (apt-get; once per machine)…\n")
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env, timeout: 900_000 })
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
    timeout: 900_000
  })
}

const ogrinfo = "/usr/bin/ogrinfo"

const ensureGdal = (): void => {
  if (fs.existsSync(ogrinfo) || process.env.SEATPLAN_NO_GDAL_INSTALL !== undefined) return
  if (process.getuid?.() !== 0) {
    throw new Error(`${ogrinfo} is missing: install Debian's gdal-bin (sudo apt-get install -y gdal-bin) and run the tests again`)
  }
  process.stderr.write("installing Debian's gdal-bin for the GeoPackage test (apt-get; once per machine)…\n")
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env, timeout: 900_000 })
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "gdal-bin"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
    timeout: 900_000
  })
}

export default async function setup(): Promise<void> {
  ensureChromium()
  ensureGdal()
  const { build } = await import("./packages/cli/scripts/build.mjs")
  await build()
}
