import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    globalSetup: ["./vitest.globalSetup.ts"],
    projects: ["packages/*/vitest.config.ts", "test/vitest.config.ts"]
  }
})
