import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect, Exit } from "effect"
import { main } from "./Cli.js"
import { ExitCode } from "./Errors.js"

// main settles every error into a message and an exit code (Errors.ts); runMain handles signals and exits.
main(process.argv).pipe(
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) && typeof exit.value === "number" ? exit.value : ExitCode.internal)
  })
)
