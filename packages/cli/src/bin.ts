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
// A signal interrupts the command: when the command does not end that way by design (serve), the exit
// code says which signal stopped it (130, 143) and stderr that its output may be incomplete.
Stopping.watch()
// a reader that stops reading (`seatplan events export | head`) closes the pipe: the next write fails with
// EPIPE, which Node raised as an unhandled error with its stack; end silently, as a Unix tool does on SIGPIPE
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(ExitCode.brokenPipe)
  throw e
})
main(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    teardown: (exit, onExit) => {
      if (Exit.isSuccess(exit) && typeof exit.value === "number") return onExit(exit.value)
      if (Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause)) {
        if (Stopping.signal.endsCleanly) return onExit(0)
        const stopped = Stopping.stoppedBySignal()
        if (stopped !== undefined) {
          process.stderr.write(`\nseatplan: ${stopped.message}\n`)
          return onExit(stopped.code)
        }
      }
      onExit(ExitCode.internal)
    }
  })
)
