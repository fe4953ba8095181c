/** @seatplan/cli: the `seatplan` command: its options, and rendering (terminal tables, files, report.html). */
export * as Cli from "./Cli.js"
export * as Output from "./Output.js"
export * as Report from "./Report.js"
