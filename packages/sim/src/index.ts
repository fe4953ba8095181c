/**
 * @seatplan/sim: compile a stream's events once, then step years fast over typed arrays.
 * `import { Compile, Engine, Tables } from "@seatplan/sim"`.
 */
export * as AllocationRule from "./rules/index.js"
export * as Assumptions from "./Assumptions.js"
export * as Backtest from "./Backtest.js"
export * as Compile from "./Compile.js"
export * as Dimensions from "./Dimensions.js"
export * as Distance from "./Distance.js"
export * as Engine from "./Engine.js"
export * as GradeProgression from "./GradeProgression.js"
export * as Model from "./Model.js"
export * as MonteCarlo from "./MonteCarlo.js"
export * as Results from "./Results.js"
export * as Rng from "./Rng.js"
export * as Synthetic from "./Synthetic.js"
export * as SyntheticHistory from "./SyntheticHistory.js"
export * as Tables from "./Tables.js"
export * as Timeline from "./Timeline.js"
export * as Classes from "./kernels/Classes.js"
export * as Enrolment from "./kernels/Enrolment.js"
export * as Population from "./kernels/Population.js"
export * as Staffing from "./kernels/Staffing.js"
