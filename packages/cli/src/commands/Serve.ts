import { Args, Command, Options } from "@effect/cli"
import { EventStore } from "@seatplan/core"
import { Console, Effect, Option } from "effect"
import * as path from "node:path"
import { checked, described, store as storeOption } from "../Options.js"
import * as Store from "../Store.js"
import * as Output from "../Output.js"
import * as Stopping from "../Stopping.js"
import { Project } from "@seatplan/plan"

const target = Args.text({ name: "SCENARIO_OR_STORE" }).pipe(
  Args.withDescription("a scenario file (YAML or JSON), loaded into a new workspace; or a workspace (.sqlite) to open")
)
const port = Options.integer("port").pipe(
  Options.withDescription("the port to listen on (0: any free port)"),
  checked("port", "a port from 0 to 65535 (0: any free port)", (n) => n >= 0 && n <= 65535),
  Options.withDefault(8080)
)
const host = Options.text("host").pipe(
  Options.withDescription(
    "the address to listen on (default 127.0.0.1, this machine only); any other address shares the workspace and requires the access token printed at start"
  ),
  Options.withDefault("127.0.0.1")
)
const db = Options.text("db").pipe(
  Options.withDescription(
    "the workspace file to create for a scenario (default out/<the scenario's folder name>/workspace.sqlite); reopened when it exists"
  ),
  Options.optional
)
const lang = Options.choice("lang", ["zh", "en"]).pipe(
  Options.withDescription("the page's language (default zh)"),
  Options.withDefault("zh" as const)
)

/** Why the server could not listen, in the planner's words (a port in use was an internal error with no message). */
const cannotListen = (host: string, port: number, cause: unknown): string => {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  const where = `--port ${port}: cannot listen on ${host}:${port}`
  return code === "EADDRINUSE"
    ? `${where}: another program listens there; choose another port, or --port 0 for any free one`
    : code === "EACCES"
      ? `${where}: not allowed (ports below 1024 need privileges); choose a port from 1024 to 65535`
      : code === "EADDRNOTAVAIL"
        ? `${where}: this machine has no such address (--host)`
        : `${where}: ${cause instanceof Error ? cause.message : String(cause)}`
}

/**
 * `seatplan serve SCENARIO_OR_STORE`: the planning workspace in the browser. A scenario is loaded into a
 * workspace (a SQLite event store plus the workspace log); a workspace file is opened as it is.
 */
export const serve = Command.make("serve", { target, port, host, db, lang, store: storeOption }, (o) =>
  Effect.gen(function* () {
    // loaded when serve runs: the HTTP server is not parsed into every other command's start
    const [Server, Workspace] = yield* Effect.promise(() => Promise.all([import("../serve/Server.js"), import("../serve/Workspace.js")]))
    const store = Workspace.isStore(o.target)
    const file = store ? o.target : Option.getOrElse(o.db, () => path.join(Output.defaultDir(o.target), "workspace.sqlite"))
    if (!store) Output.ensureDir(path.dirname(file))
    const shared = Server.sharedOn(o.host)
    yield* Effect.scoped(
      Effect.gen(function* () {
        // the scope's last finalizer: the server is closed by then, and the store closes after the scope
        yield* Effect.addFinalizer(() => Console.log("seatplan serve: server stopped"))
        const events = yield* EventStore.EventStore
        const workspace = yield* Workspace.open(file, events, store ? undefined : o.target)
        const started = yield* Server.start(workspace, { port: o.port, host: o.host, shared, lang: o.lang }).pipe(
          Effect.catchTag("ServeError", (e) => Effect.fail(new Project.RunError({ reason: cannotListen(o.host, o.port, e.cause) })))
        )
        yield* Console.log(`seatplan serve: workspace ${file}${Option.isSome(o.store) ? `, events in ${Store.name(o.store.value)}` : ""}`)
        yield* Console.log(`open ${started.url}`)
        if (shared) yield* Console.log(`access token (header x-seatplan-token): ${started.token}`)
        yield* Console.log("Ctrl-C stops the server")
        // Ctrl-C or SIGTERM interrupts this: the scope closes the server, then the store; the exit is 0
        Stopping.signal.endsCleanly = true
        return yield* Effect.never
      })
      // --store: the events in that store (PostgreSQL, shared), the workspace's own log in the workspace file
    ).pipe(Effect.provide(Store.layer(Option.getOrElse(o.store, () => file))))
  })
).pipe(
  Command.withDescription(
    described("The planning workspace in the browser: edit plan variants as events and see the figures change", [
      "seatplan serve scenarios/county/scenario.yaml",
      "seatplan serve out/county/workspace.sqlite --port 8090 --lang en",
      "seatplan serve scenarios/county/scenario.yaml --store postgres://planner@db.bureau/seatplan?schema=county_a",
      "seatplan serve scenarios/county/scenario.yaml --host 0.0.0.0   # shared: prints an access token"
    ])
  )
)
