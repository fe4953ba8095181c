/**
 * Debian's headless Chromium (`/usr/bin/chromium`), driven by playwright-core, started as this machine
 * needs it: as root without a sandbox, and without the background networking a closed network refuses.
 * The one launch the command (`--pdf`) and the page tests share.
 */
import { type Browser, chromium } from "playwright-core"

export const executablePath = process.env.SEATPLAN_CHROMIUM ?? "/usr/bin/chromium"

export const launch = (): Promise<Browser> =>
  chromium.launch({
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
