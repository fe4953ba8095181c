/**
 * The layering of the workspace (checked in CI by `pnpm lint:deps`): dependencies point one way,
 * core ← sim ← plan ← cli, optimize stands alone, and no module imports itself through a cycle.
 */
const layer = (name, forbidden) => ({
  name: `${name}-layer`,
  comment: `@seatplan/${name} must not depend on ${forbidden.join(", ")} (core ← sim ← plan ← cli; optimize stands alone)`,
  severity: "error",
  from: { path: `^packages/${name}/(src|examples)/` },
  to: { path: `^packages/(${forbidden.join("|")})/` }
})

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "a cycle between modules: one concept depends on another that depends back on it",
      severity: "error",
      from: { path: "^packages/" },
      to: { circular: true }
    },
    layer("core", ["sim", "plan", "cli", "optimize"]),
    layer("sim", ["plan", "cli", "optimize"]),
    layer("plan", ["cli"]),
    layer("optimize", ["core", "sim", "plan", "cli"]),
    {
      name: "src-not-tests",
      comment: "source never imports tests, benchmarks or examples",
      severity: "error",
      from: { path: "^packages/[^/]+/src/" },
      to: { path: "(^packages/[^/]+/(test|examples)/)|(^bench/)" }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(node_modules|dist|\\.tsbuildinfo)" },
    tsConfig: { fileName: "tsconfig.base.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "default"], extensions: [".ts", ".mjs", ".js"] }
  }
}
