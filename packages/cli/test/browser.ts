/**
 * Debian's headless Chromium for the page tests: the same launch as the command's `--pdf`
 * (src/internal/Browser), so tests and command start it one way.
 */
export { executablePath, launch } from "../src/internal/Browser.js"
