// The three services @effect/cli needs, from their own modules: NodeContext would also bring the child
// process and worker machinery, which no command uses and which doubles the bundle a start has to load.
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { Cause, Effect, Exit, Layer } from "effect"
import { main } from "./Cli.js"
import { ExitCode } from "./Errors.js"
import * as Stopping from "./Stopping.js"

// main settles every error into a message and an exit code (Errors.ts); runMain handles signals and exits.
main(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    teardown: (exit, onExit) =>
      onExit(
        Exit.isSuccess(exit) && typeof exit.value === "number"
          ? exit.value
          : Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause) && Stopping.signal.endsCleanly
            ? 0
            : ExitCode.internal
      )
  })
)
