/**
 * @seatplan/plan: scenario files and their loader, plan variants turned into commands and events, layout
 * strategies, the siting bridge to @seatplan/optimize, the accounts, compare and ledger, explain and bands.
 */
export * as Bands from "./Bands.js"
export * as Calibration from "./Calibration.js"
export * as Compare from "./Compare.js"
export * as Comply from "./Comply.js"
export * as DataQuality from "./DataQuality.js"
export * as Explain from "./Explain.js"
export * as FromEvents from "./FromEvents.js"
export * as Futures from "./Futures.js"
export * as Geometry from "./Geometry.js"
export * as JsonStream from "./JsonStream.js"
export * as Project from "./Project.js"
export * as Robustness from "./Robustness.js"
export * as Scenario from "./Scenario.js"
export * as ScenarioLoader from "./ScenarioLoader.js"
export * as Siting from "./Siting.js"
export * as Strategies from "./Strategies.js"
export * as Sweep from "./Sweep.js"
export * as Workbook from "./Workbook.js"
export * as Boundaries from "./Boundaries.js"
