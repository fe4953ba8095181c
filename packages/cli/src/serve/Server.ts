/**
 * The HTTP server of `seatplan serve`: @effect/platform's server on Node (NodeHttpServer), serving the
 * workspace page, its script and a JSON API over the workspace.
 *
 * Safety, on every request: on this machine only, the Host header must name this server (a page on another
 * site cannot reach it through DNS rebinding); when shared beyond this machine (`--host`), the access token printed at start
 * must come as the `x-seatplan-token` header or the `seatplan_token` cookie (set by opening the printed
 * address once); writes must be JSON from this origin (`Origin`, when the browser sends it, is this
 * server; `Content-Type: application/json`, which a cross-site form cannot send without a preflight this
 * server never grants); bodies are at most `maxBodyBytes` and are decoded with the scenario file's own
 * Schemas (a plan step is a `PlanStep`). Every response carries a Content-Security-Policy that lets only
 * the page's own script (from this server) run and connect to this server alone.
 */
import type * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Scenario } from "@seatplan/plan"
import { Effect, Either, ParseResult, Schema, Stream } from "effect"
import { randomBytes, timingSafeEqual } from "node:crypto"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Api from "./Api.js"
import * as Figures from "./Figures.js"
import * as Page from "./Page.js"
import * as Font from "../report/Font.js"
import { labels } from "./PageLabels.js"
import * as Workspace from "./Workspace.js"

/** The largest request body accepted (a plan step is a few hundred bytes; an `open` with a school well under 4 KiB). */
export const maxBodyBytes = 64 * 1024

export interface Options {
  readonly port: number
  /** The address to listen on: 127.0.0.1 unless shared. */
  readonly host: string
  /** Requests need the token (set when the server listens beyond this machine). */
  readonly shared: boolean
  /** The token (tests pass their own; otherwise 32 random bytes). */
  readonly token?: string
  readonly lang: "zh" | "en"
}

const loopback = (host: string) => host === "127.0.0.1" || host === "localhost" || host === "::1"

/** Whether listening on `host` shares the workspace beyond this machine (then a token is required). */
export const sharedOn = (host: string): boolean => !loopback(host)

/** The response headers every answer carries. */
export const securityHeaders: Readonly<Record<string, string>> = {
  "content-security-policy": [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin"
}

const json = (status: number, body: unknown) => HttpServerResponse.unsafeJson(body, { status, headers: securityHeaders })
/** A JSON answer of the API: its body must be of the answer's Schema (Api.ts), which the page decodes it with. */
const answer = <A, I>(_schema: Schema.Schema<A, I>, status: number, body: A) => json(status, body)
/** A body of the API's Schema `schema` (typed by it), for an answer with its own headers. */
const answerOf = <A, I>(_schema: Schema.Schema<A, I>, body: A): A => body
const problem = (status: number, error: string, message: string, extra: Omit<Api.Problem, "error" | "message"> = {}) =>
  answer(Api.Problem, status, { error, message, ...extra })

/** What answers one action of a variant with one method (see `actions` in the router). */
type Handler = () => Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, HttpServerRequest.HttpServerRequest>

/** Where the page's script was bundled (scripts/build.mjs): beside the command's bundle, or in dist/ when running from source. */
const clientBundle = (): string | undefined =>
  [new URL("./serve/app.js", import.meta.url), new URL("../../dist/serve/app.js", import.meta.url)]
    .map((u) => fileURLToPath(u))
    .find((f) => fs.existsSync(f))

// == out: report.html, report.pdf and the workbook

/** The files of `seatplan run` the workspace hands out for a variant, with their media types. */
const outFiles: Readonly<Record<string, string>> = {
  "report.html": "text/html; charset=utf-8",
  "report.pdf": "application/pdf",
  "seatplan.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

/** The command itself (bin/seatplan.mjs): beside the bundle's folder, or two folders up from this source. */
const command = (): string | undefined =>
  [new URL("../bin/seatplan.mjs", import.meta.url), new URL("../../bin/seatplan.mjs", import.meta.url)]
    .map((u) => fileURLToPath(u))
    .find((f) => fs.existsSync(f))

/**
 * One of `seatplan run`'s files for an exported variant: the command runs on the exported scenario file
 * in a temporary folder (its report, PDF and workbook builders, nothing rebuilt here), so what is handed
 * out is exactly what `seatplan run` gives for that file.
 */
const runOut = (yaml: string, file: string, lang: "zh" | "en") =>
  Effect.tryPromise({
    try: async () => {
      const bin = command()
      if (bin === undefined) throw new Error("the seatplan command (bin/seatplan.mjs) is not found beside the server")
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-serve-out-"))
      try {
        fs.writeFileSync(path.join(dir, "variant.yaml"), yaml)
        const args = [
          bin,
          "run",
          path.join(dir, "variant.yaml"),
          "--out",
          path.join(dir, "out"),
          "--quiet",
          "--format",
          "json",
          "--lang",
          lang
        ]
        const ran = await new Promise<{ code: number | null; err: string }>((resolve) => {
          const child = spawn(process.execPath, file === "report.pdf" ? [...args, "--pdf"] : args, { stdio: ["ignore", "ignore", "pipe"] })
          let err = ""
          child.stderr.on("data", (d: Buffer) => (err += d.toString()))
          child.on("close", (code) => resolve({ code, err }))
        })
        if (ran.code !== 0) throw new Error(`seatplan run on the exported variant ended with ${ran.code}: ${ran.err.trim()}`)
        return new Uint8Array(fs.readFileSync(path.join(dir, "out", file)))
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    },
    catch: (e) => new Error(e instanceof Error ? e.message : String(e))
  })

// == request bodies: the scenario file's Schemas

const Version = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))
const Name = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))
/** The state the planner saw (`VariantSummary.state`): with it, an edit made on a state an undo replaced is refused. */
const State = Schema.String.pipe(Schema.maxLength(300))
export const EditBody = Schema.Struct({
  expectedVersion: Version,
  expectedState: Schema.optional(State),
  step: Scenario.PlanStep,
  by: Schema.optional(Name)
})
export const VersionBody = Schema.Struct({ expectedVersion: Version, expectedState: Schema.optional(State) })
export const ForkBody = Schema.Struct({ name: Name, version: Schema.optional(Version) })
export const RenameBody = Schema.Struct({ name: Name })

class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

/** The deepest a request body may nest: a plan step nests four levels; a deeper body is refused before decoding (whose messages print values recursively). */
const maxBodyDepth = 32

/** The path of the first value nested deeper than `max` levels in parsed JSON (walked without recursion), if any. */
const depthOver = (value: unknown, max: number): string | undefined => {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: "body", depth: 0 }]
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!
    if (typeof v !== "object" || v === null) continue
    if (depth >= max) return path
    for (const [k, child] of Object.entries(v))
      stack.push({ value: child, path: Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`, depth: depth + 1 })
  }
  return undefined
}

const body = <A, I>(schema: Schema.Schema<A, I>) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const length = Number(request.headers["content-length"] ?? "0")
    if (length > maxBodyBytes)
      return yield* Effect.fail(new BadRequest(413, `the body is ${length} bytes: at most ${maxBodyBytes} are accepted`))
    // read whole, counted: a chunked body (no Content-Length) over the limit is answered with a 413 and the
    // rest discarded (the platform's body limit reset the connection with no answer)
    // (up to 16 × the limit: a client sending more is cut off)
    const chunks = yield* Stream.runFoldWhile(
      request.stream,
      { bytes: 0, parts: [] as Array<Uint8Array> },
      (acc) => acc.bytes <= 16 * maxBodyBytes,
      (acc, chunk) => {
        acc.bytes += chunk.length
        if (acc.bytes <= maxBodyBytes) acc.parts.push(chunk)
        return acc
      }
    ).pipe(Effect.mapError(() => new BadRequest(400, "the body could not be read")))
    if (chunks.bytes > maxBodyBytes)
      return yield* Effect.fail(new BadRequest(413, `the body is ${chunks.bytes} bytes: at most ${maxBodyBytes} are accepted`))
    const text = Buffer.concat(chunks.parts).toString("utf8")
    const parsed = Either.try(() => JSON.parse(text) as unknown)
    if (Either.isLeft(parsed))
      return yield* Effect.fail(new BadRequest(400, `body: expected JSON, found ${(parsed.left as Error).message}`))
    const deep = depthOver(parsed.right, maxBodyDepth)
    if (deep !== undefined)
      return yield* Effect.fail(new BadRequest(400, `${deep}: expected at most ${maxBodyDepth} levels of nesting, found more`))
    const decoded = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })(parsed.right)
    if (Either.isLeft(decoded)) {
      const issues = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
      return yield* Effect.fail(
        new BadRequest(400, issues.map((i) => `${i.path.length === 0 ? "body" : i.path.map(String).join(".")}: ${i.message}`).join("; "))
      )
    }
    return decoded.right
  })

const errorResponse = (e: unknown) => {
  if (e instanceof BadRequest) return problem(e.status, "bad-request", e.message)
  if (e instanceof Workspace.WorkspaceError) return problem(e.status, e.status === 404 ? "not-found" : "bad-request", e.message)
  if (e instanceof Workspace.EditRefused) return problem(422, "refused", e.message)
  if (e instanceof Workspace.EditConflict)
    return problem(409, "conflict", e.message, { version: e.version, expected: e.expected, changes: e.changes })
  const tag = typeof e === "object" && e !== null && "_tag" in e ? String((e as { _tag: unknown })._tag) : ""
  if (tag === "StoreBusy") return problem(503, "busy", (e as Error).message)
  if (tag === "VersionConflict" || tag === "DuplicateEventIds") return problem(409, "conflict", (e as Error).message)
  return problem(500, "internal", `internal error: ${e instanceof Error ? e.message : String(e)} (a bug in seatplan, please report it)`)
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The server's request handler over a workspace. */
export const app = (
  workspace: Workspace.Workspace,
  options: Options & { readonly token: string; readonly hosts: () => ReadonlySet<string> }
) => {
  const cached = Figures.cache()
  const ctx = workspace.ctx
  const lastYear = ctx.scenario.baseYear + (ctx.scenario.horizon ?? 15)
  /**
   * Each variant's last run with its state after every year (a few variants): the next edit's projection
   * runs only the years from the edit's on. Kept apart from the projections' cache (a run's states weigh
   * a few megabytes).
   */
  const runs = new Map<string, Figures.Kept>()
  const projectionOf = (v: Workspace.Variant, version: number, current: number) =>
    cached(`${v.stream}@${version}`, () => {
      const steps = workspace.stepsOf(v, version === current ? undefined : version)
      // the variant's last run is given up to the projection, which reuses its states' memory
      const previous = runs.get(v.id)
      runs.delete(v.id)
      const { kept, resumedFrom: _, ...projection } = Figures.project(ctx, v.id, workspace.planAt(v, version, steps), steps, previous)
      runs.set(v.id, kept)
      if (runs.size > 4) runs.delete(runs.keys().next().value!)
      return projection
    })
  const baselineProjection = () => cached("baseline", () => Figures.project(ctx, "baseline", workspace.decidePlan([]), []))
  /** The URL's `year` (the base year's fifth by default), or a 400 naming the years there are. */
  const yearOf = (url: URL) => {
    const asked = url.searchParams.get("year")
    if (asked === null) return Effect.succeed(Math.min(ctx.scenario.baseYear + 4, lastYear))
    const y = /^\d{1,6}$/.test(asked) ? Number(asked) : Number.NaN
    return y >= ctx.scenario.baseYear && y <= lastYear
      ? Effect.succeed(y)
      : Effect.fail(
          new BadRequest(400, `year: expected a school year from ${ctx.scenario.baseYear} to ${lastYear}, found ${JSON.stringify(asked)}`)
        )
  }
  /** The last figures answered, by `View.key`: a page sending one back as `since` gets a patch against them. */
  const answered = new Map<string, Api.Figures>()
  const remember = (key: string, figures: Api.Figures) => {
    answered.delete(key)
    answered.set(key, figures)
    if (answered.size > 32) answered.delete(answered.keys().next().value!)
  }
  /**
   * The version the URL's `version` names, checked against the variant's (undefined when it names none: the
   * latest). The export and the output files took `version=abc`, `-1` or `999999` as the latest.
   */
  const versionIn = (id: string, url: URL) =>
    Effect.gen(function* () {
      const asked = url.searchParams.get("version")
      if (asked === null) return undefined
      const v = yield* workspace.variant(id)
      const current = yield* workspace.version(v)
      if (!/^\d{1,15}$/.test(asked))
        return yield* Effect.fail(
          new BadRequest(400, `version: expected a version of ${id} (a whole number up to ${current}), found ${JSON.stringify(asked)}`)
        )
      return yield* workspace.versionOf(v, current, Number(asked), "version")
    })
  /**
   * The variant's view as of `version` (the latest when the URL names none) in the URL's year: whole, or as
   * a patch against the figures the URL's `since` names when they are still known. `timing` says where the
   * milliseconds went (the answer's Server-Timing header).
   */
  const view = (id: string, url: URL, timing: Array<readonly [string, number]> = []) =>
    Effect.gen(function* () {
      const v = yield* workspace.variant(id)
      const current = yield* workspace.version(v)
      const version = (yield* versionIn(id, url)) ?? current
      const year = yield* yearOf(url)
      const started = performance.now()
      const projected = projectionOf(v, version, current)
      const baseline = baselineProjection()
      const projectedAt = performance.now()
      timing.push(["project", projectedAt - started])
      const key = `${v.stream}@${version}/${year}`
      const figures = Figures.figures(ctx, baseline, projected, year)
      const figuredAt = performance.now()
      timing.push(["figures", figuredAt - projectedAt])
      const since = url.searchParams.get("since")
      const before = since === null ? undefined : answered.get(since)
      remember(key, figures)
      const summary = yield* workspace.summary(v)
      if (since !== null && before !== undefined) {
        const patch = Api.diff(since, before, figures)
        timing.push(["diff", performance.now() - figuredAt])
        const patched: Api.PatchedView = { variant: summary, version, key, patch, ms: Math.round(performance.now() - started) }
        return patched
      }
      const whole: Api.View = { variant: summary, version, key, figures, ms: Math.round(performance.now() - started) }
      return whole
    })
  /** The Server-Timing header of an answer (milliseconds by stage, as the browser's devtools show them). */
  const serverTiming = (timing: ReadonlyArray<readonly [string, number]>) => ({
    ...securityHeaders,
    "server-timing": timing.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(", ")
  })

  /**
   * The page's font: Noto Sans SC cut to the page's words in both languages, the scenario's text (its
   * names) and the 3,755 most used Chinese characters (for names typed on the page), made once on first
   * request (a few seconds) and kept.
   */
  let font: Promise<Uint8Array> | undefined
  const fontOf = () => {
    font ??= Font.subset(Font.charactersOf(`${textOf(labels)}${ctx.text}${Font.commonChinese()}`)).catch((e: unknown) => {
      font = undefined // tried again on the next request
      throw e
    })
    return font
  }

  const route = (request: HttpServerRequest.HttpServerRequest, url: URL) => {
    // HEAD is answered as GET (Node sends the headers only)
    const method = request.method === "HEAD" ? "GET" : request.method
    const path = url.pathname
    if (method === "GET" && path === "/") {
      return Effect.succeed(
        HttpServerResponse.text(Page.html(options.lang, url.searchParams.get("lang")), {
          headers: { ...securityHeaders, "content-type": "text/html; charset=utf-8" }
        })
      )
    }
    if (method === "GET" && path === "/favicon.ico")
      return Effect.succeed(HttpServerResponse.empty({ status: 204, headers: securityHeaders }))
    if (method === "GET" && path === "/font.woff2") {
      return Effect.tryPromise(fontOf).pipe(
        Effect.map((bytes) =>
          HttpServerResponse.uint8Array(bytes, {
            headers: { ...securityHeaders, "content-type": "font/woff2", "cache-control": "private, max-age=3600" }
          })
        ),
        Effect.catchAll((e) => Effect.succeed(problem(500, "internal", `the page's font could not be made: ${String(e.error)}`)))
      )
    }
    if (method === "GET" && path === "/app.js") {
      const file = clientBundle()
      return Effect.succeed(
        file === undefined
          ? problem(500, "internal", "the page's script is not built: run pnpm build")
          : HttpServerResponse.raw(fs.readFileSync(file), {
              headers: { ...securityHeaders, "content-type": "text/javascript; charset=utf-8" }
            })
      )
    }
    if (method === "GET" && path === "/api/scenario") {
      return Effect.succeed(
        answer(Api.ScenarioInfo, 200, {
          name: ctx.scenario.name,
          synthetic: ctx.scenario.synthetic === true,
          baseYear: ctx.scenario.baseYear,
          lastYear,
          schools: ctx.scenario.schools.map((s) => ({ id: s.id, name: s.name, type: s.type, settlement: s.settlement })),
          settlements: ctx.scenario.settlements.map((s) => ({ id: s.id, name: s.name, tier: s.tier, lon: s.lon, lat: s.lat }))
        })
      )
    }
    if (method === "GET" && path === "/api/variants") return Effect.map(workspace.list, (l) => answer(Api.VariantList, 200, l))
    const m = /^\/api\/variants\/([^/]+)(?:\/([a-z]+))?$/.exec(path)
    if (m === null) return Effect.succeed(problem(404, "not-found", `no page ${path}`))
    let id: string
    try {
      id = decodeURIComponent(m[1])
    } catch {
      return Effect.succeed(problem(400, "bad-request", `variant: expected a variant id (percent-encoded), found ${JSON.stringify(m[1])}`))
    }
    const action = m[2]
    const latest = new URL(url)
    latest.searchParams.delete("version")
    /** The change `effect` made (an edit, undo or redo), then the variant's latest view (or its patch). */
    const after = (effect: Effect.Effect<Api.Changed["result"], unknown>) => {
      const timing: Array<readonly [string, number]> = []
      const started = performance.now()
      return Effect.flatMap(effect, (result) => {
        timing.push(["edit", performance.now() - started])
        return Effect.map(view(id, latest, timing), (v) =>
          HttpServerResponse.unsafeJson(
            "figures" in v
              ? answerOf(Api.Changed, { ...(result === undefined ? {} : { result }), ...v })
              : answerOf(Api.PatchedChange, { ...(result === undefined ? {} : { result }), ...v }),
            { status: 200, headers: serverTiming(timing) }
          )
        )
      })
    }
    // each action of a variant (`/api/variants/ID/ACTION`, "" for the variant itself) by the methods it
    // takes: the one table the answers, the 405's Allow and the 404's list of actions come from
    const remove = () => Effect.map(workspace.remove(id), (v) => answer(Api.Deleted, 200, { id: v.id, deleted: true as const }))
    const actions: Readonly<Record<string, Partial<Record<string, Handler>>>> = {
      "": {
        GET: () => {
          const timing: Array<readonly [string, number]> = []
          return Effect.map(view(id, url, timing), (v) =>
            HttpServerResponse.unsafeJson("figures" in v ? answerOf(Api.View, v) : answerOf(Api.PatchedView, v), {
              status: 200,
              headers: serverTiming(timing)
            })
          )
        },
        DELETE: remove
      },
      history: { GET: () => Effect.map(workspace.history(id), (h) => answer(Api.History, 200, h)) },
      export: {
        GET: () =>
          Effect.map(
            Effect.flatMap(versionIn(id, url), (upTo) => workspace.exportYaml(id, upTo)),
            ({ name, yaml }) =>
              HttpServerResponse.text(yaml, {
                headers: {
                  ...securityHeaders,
                  "content-type": "application/yaml; charset=utf-8",
                  "content-disposition": `attachment; filename="${name}.scenario.yaml"`
                }
              })
          )
      },
      out: {
        GET: () => {
          const file = url.searchParams.get("file") ?? ""
          const kind = outFiles[file]
          if (kind === undefined) {
            return Effect.succeed(
              problem(400, "bad-request", `file: expected one of ${Object.keys(outFiles).join(", ")}, found ${JSON.stringify(file)}`)
            )
          }
          return Effect.flatMap(
            Effect.flatMap(versionIn(id, url), (upTo) => workspace.exportYaml(id, upTo)),
            ({ name, yaml }) =>
              Effect.map(runOut(yaml, file, options.lang), (bytes) =>
                HttpServerResponse.uint8Array(bytes, {
                  headers: {
                    ...securityHeaders,
                    "content-type": kind,
                    "content-disposition": `${file === "report.html" ? "inline" : "attachment"}; filename="${name}.${file}"`
                  }
                })
              )
          )
        }
      },
      edits: {
        POST: () => Effect.flatMap(body(EditBody), (b) => after(workspace.edit(id, b.expectedVersion, b.step, b.by, b.expectedState)))
      },
      undo: { POST: () => Effect.flatMap(body(VersionBody), (b) => after(workspace.undo(id, b.expectedVersion, b.expectedState))) },
      redo: { POST: () => Effect.flatMap(body(VersionBody), (b) => after(workspace.redo(id, b.expectedVersion, b.expectedState))) },
      fork: {
        POST: () =>
          Effect.flatMap(body(ForkBody), (b) =>
            Effect.map(workspace.fork(id, b.version, b.name), (v) => answer(Api.Created, 201, { id: v.id }))
          )
      },
      rename: {
        POST: () =>
          Effect.flatMap(body(RenameBody), (b) => Effect.map(workspace.rename(id, b.name), (v) => answer(Api.Created, 200, { id: v.id })))
      },
      delete: { POST: remove }
    }
    const methods = actions[action ?? ""]
    if (methods === undefined)
      return Effect.succeed(
        problem(
          404,
          "not-found",
          `no action ${JSON.stringify(action)} on a variant; the actions are ${Object.keys(actions)
            .filter((a) => a !== "")
            .join(", ")}`
        )
      )
    const handler = methods[method]
    if (handler !== undefined) return handler()
    const allowed = Object.keys(methods)
    return Effect.succeed(
      HttpServerResponse.setHeader(
        problem(405, "method-not-allowed", `${method} ${path} is not an action of the workspace; ${path} takes ${allowed.join(", ")}`),
        "allow",
        [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : [])].join(", ")
      )
    )
  }

  return Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.url, "http://seatplan.invalid")
    const host = request.headers.host ?? ""
    // on this machine only, the Host must be this server's (DNS rebinding); shared, colleagues reach it by
    // any of the machine's names, and the token is what keeps other pages out
    if (!options.shared && !options.hosts().has(host.toLowerCase())) {
      return problem(421, "wrong-host", `this server answers for ${[...options.hosts()].join(", ")}, not ${JSON.stringify(host)}`)
    }
    if (options.shared) {
      const given = request.headers["x-seatplan-token"] ?? request.cookies.seatplan_token ?? ""
      const inUrl = url.searchParams.get("token")
      if (request.method === "GET" && url.pathname === "/" && inUrl !== null && same(inUrl, options.token)) {
        // the printed address: the token becomes a cookie, and the address bar loses it
        return HttpServerResponse.empty({
          status: 303,
          headers: {
            ...securityHeaders,
            location: "/",
            "set-cookie": `seatplan_token=${options.token}; HttpOnly; SameSite=Strict; Path=/`
          }
        })
      }
      if (!same(given, options.token)) {
        return problem(401, "unauthorised", "this workspace is shared: open the address with the token printed when seatplan serve started")
      }
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      const origin = request.headers.origin
      if (origin !== undefined && origin !== `http://${host}`) {
        return problem(403, "cross-origin", `writes are accepted from this workspace's own page only, not from ${JSON.stringify(origin)}`)
      }
      const type = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase()
      if (request.method === "POST" && type !== "application/json") {
        return problem(
          415,
          "unsupported-media-type",
          `writes are JSON: expected Content-Type application/json, found ${JSON.stringify(type)}`
        )
      }
    }
    return yield* route(request, url).pipe(Effect.catchAll((e) => Effect.succeed(errorResponse(e))))
  }).pipe(Effect.catchAllDefect((d) => Effect.succeed(errorResponse(d))))
}

/** A fresh access token: 32 random bytes, hex. */
export const newToken = () => randomBytes(32).toString("hex")

/** Starts the server on the workspace (until the scope closes); succeeds with the address to open. */
/** Every string in a value (and the source of every function, whose literals are words the page shows). */
const textOf = (value: unknown): string =>
  typeof value === "string"
    ? value
    : typeof value === "function"
      ? String(value)
      : typeof value === "object" && value !== null
        ? Object.values(value).map(textOf).join("")
        : ""

export const start = (workspace: Workspace.Workspace, options: Options) =>
  Effect.gen(function* () {
    const token = options.token ?? newToken()
    let hosts: ReadonlySet<string> = new Set()
    const server = yield* NodeHttpServer.make(() => http.createServer(), { port: options.port, host: options.host })
    const address = server.address as HttpServer.TcpAddress
    const port = address.port
    hosts = new Set([`${options.host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].map((h) => h.toLowerCase()))
    yield* server.serve(app(workspace, { ...options, token, hosts: () => hosts }))
    const base = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`
    return { base, port, token, url: options.shared ? `${base}/?token=${token}` : `${base}/` }
  })
