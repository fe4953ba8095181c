/**
 * A real `seatplan serve` server for the tests: a workspace in a fresh SQLite file, created from a scenario
 * and served on an ephemeral port of 127.0.0.1, stopped by `close`.
 */
import { EventStore, SqliteEventStore } from "@seatplan/core"
import { Effect, Exit, Layer, type Schema, Scope } from "effect"
import * as path from "node:path"
import * as Api from "../../src/serve/Api.js"
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

/** An answer of the API as the tests read it: `body` is the success decoded with the answer's Schema, `problem` the server's refusal. */
export interface Answered<A> {
  readonly status: number
  readonly headers: Headers
  readonly answer: Api.Answer<A>
  /** The decoded success (a test reading it on a refusal fails with the server's message). */
  readonly body: A
  /** The server's problem (a test reading it on a success fails). */
  readonly problem: Api.Problem
}

/**
 * A JSON request to the server (as the page makes them: same origin, JSON), its answer decoded with the
 * API's Schema `schema` (Api.ts, as the page decodes it) or as the server's problem.
 */
export const api = async <A, I>(
  schema: Schema.Schema<A, I>,
  base: string,
  method: string,
  path_: string,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<Answered<A>> => {
  const response = await fetch(`${base}${path_}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
  })
  const answer = Api.decode(schema, response.status, await response.text())
  return {
    status: response.status,
    headers: response.headers,
    answer,
    get body() {
      if (!answer.ok) throw new Error(`${method} ${path_}: expected a success, found ${answer.status} ${JSON.stringify(answer.problem)}`)
      return answer.body
    },
    get problem() {
      if (answer.ok) throw new Error(`${method} ${path_}: expected a refusal, found ${answer.status}`)
      return answer.problem
    }
  }
}
