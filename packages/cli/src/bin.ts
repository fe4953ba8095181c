import { NodeContext } from "@effect/platform-node"
import { Effect } from "effect"
import { main } from "./Cli.js"

Effect.runPromise(main(process.argv).pipe(Effect.provide(NodeContext.layer))).then((code) => {
  process.exitCode = code
})
