/**
 * @seatplan/optimize: where to build, expand or close schools (location-allocation), exactly with HiGHS
 * for small and medium instances, with heuristics and Lagrangian bounds for large ones.
 * `import { Problem, Exact, Heuristic } from "@seatplan/optimize"`.
 */
export * as Bound from "./Bound.js"
export * as Branch from "./Branch.js"
export * as Clock from "./Clock.js"
export * as Exact from "./Exact.js"
export * as Heuristic from "./Heuristic.js"
export * as Problem from "./Problem.js"
export * as Solve from "./Solve.js"
export * as Synthetic from "./Synthetic.js"
