/**
 * Builds the `seatplan` bundle once before any test spawns the command, so that tests run what a user runs
 * (bin/seatplan.mjs would rebuild a stale bundle itself, but once here keeps parallel test files from all
 * rebuilding at once).
 */
export default async function setup(): Promise<void> {
  // @ts-expect-error: a plain ES module without types
  const { build } = await import("./packages/cli/scripts/build.mjs")
  await build()
}
