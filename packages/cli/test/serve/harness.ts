/**
 * A real `seatplan serve` server for the tests: a workspace in a fresh SQLite file, created from a scenario
 * and served on an ephemeral port of 127.0.0.1, stopped by `close`.
 */
import { EventStore, SqliteEventStore } from "@seatplan/core"
import { Effect, Exit, Layer, Scope } from "effect"
import * as path from "node:path"
import * as Server from "../../src/serve/Server.js"
import * as Workspace from "../../src/serve/Workspace.js"
import { root, temp } from "../seatplan.js"

export interface Running {
  readonly base: string
  readonly url: string
  readonly token: string
  readonly db: string
  readonly close: () => Promise<void>
}

export const county = path.join(root, "scenarios/county/scenario.yaml")
export const tiny = path.join(root, "scenarios/tiny/scenario.yaml")

/** Serves `scenario` (or reopens `db`) until `close`. `shared` requires the token, as `--host` does. */
export const serve = async (options: {
  readonly scenario?: string
  readonly db?: string
  readonly shared?: boolean
  readonly lang?: "zh" | "en"
}): Promise<Running> => {
  const db = options.db ?? path.join(temp("seatplan-serve-"), "workspace.sqlite")
  const scope = Effect.runSync(Scope.make())
  try {
    const context = await Effect.runPromise(Layer.buildWithScope(SqliteEventStore.layer({ filename: db }), scope))
    const started = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const workspace = yield* Workspace.open(db, store, options.scenario)
        return yield* Server.start(workspace, { port: 0, host: "127.0.0.1", shared: options.shared ?? false, lang: options.lang ?? "en" })
      }).pipe(Effect.provide(context), Scope.extend(scope))
    )
    return { ...started, db, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
  } catch (e) {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    throw e
  }
}

/** A JSON request to the server (as the page makes them: same origin, JSON). */
export const api = async (
  base: string,
  method: string,
  path_: string,
  body?: unknown,
  headers: Record<string, string> = {}
  // biome-ignore lint/suspicious/noExplicitAny: the answers are JSON of several shapes; each test reads the fields it asserts
): Promise<{ readonly status: number; readonly body: any; readonly headers: Headers }> => {
  const response = await fetch(`${base}${path_}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  return { status: response.status, body: parsed, headers: response.headers }
}
