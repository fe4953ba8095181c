/** Test helpers for seatplan's core, free of any test runner: decider specs and fast-check arbitraries. */
export * as Arbitraries from "./Arbitraries.js"
export * as DeciderSpec from "./DeciderSpec.js"
export * as Fixtures from "./Fixtures.js"
export * as Postgres from "./Postgres.js"
export * as Cluster from "./Cluster.js"
