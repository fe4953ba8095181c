/** @seatplan/cli: the `seatplan` command, scenario files and their loader. */
export * as Cli from "./Cli.js"
export * as Compare from "./Compare.js"
export * as FromEvents from "./FromEvents.js"
export * as Output from "./Output.js"
export * as Project from "./Project.js"
export * as Report from "./Report.js"
export * as Scenario from "./Scenario.js"
export * as ScenarioLoader from "./ScenarioLoader.js"
