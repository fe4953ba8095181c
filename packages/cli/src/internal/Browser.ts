/**
 * Debian's headless Chromium (`/usr/bin/chromium`), driven by playwright-core, started as this machine
 * needs it: as root without a sandbox, and without the background networking a closed network refuses.
 * The one launch the command (`--pdf`) and the page tests share.
 */
import type { Browser } from "playwright-core"

export const executablePath = process.env.SEATPLAN_CHROMIUM ?? "/usr/bin/chromium"

/** Starts the browser (playwright-core is loaded only here, so no command pays for it at start). */
export const launch = async (): Promise<Browser> => {
  const { chromium } = await import("playwright-core")
  return chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  })
}
