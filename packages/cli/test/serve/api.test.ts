/**
 * `seatplan serve`'s API against a real server (ephemeral port, SQLite workspace) on the county example:
 * edits decided by the domain rules (a refusal stores nothing), optimistic concurrency, undo/redo, forks,
 * history, views as of a version, export reproduced by `seatplan run`, and the guards on every request.
 */
import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, vi } from "vitest"
import { csvRecords, seatplan, temp } from "../seatplan.js"
import * as Api from "../../src/serve/Api.js"
import { api, county, type Running, serve, tiny } from "./harness.js"

const village = "C1-T4-V4-PRI"
const township = "C1-T4-PRI"
const close = { type: "close", year: 2026, school: village, into: township }
const expand = { type: "expand", year: 2025, school: township, classrooms: 6, seats: 270 }

let server: Running
let variant: string
let version: number

beforeAll(async () => {
  server = await serve({ scenario: county })
  const forked = await api(Api.Created, server.base, "POST", "/api/variants/baseline/fork", { name: "api" })
  variant = forked.body.id
  version = (await api(Api.View, server.base, "GET", `/api/variants/${variant}`)).body.version
}, 240_000)
afterAll(async () => {
  await server?.close()
})

const view = (year = 2028, asOf?: number) =>
  api(Api.View, server.base, "GET", `/api/variants/${variant}?year=${year}${asOf === undefined ? "" : `&version=${asOf}`}`)
const edit = (step: unknown, expectedVersion = version) =>
  api(Api.Changed, server.base, "POST", `/api/variants/${variant}/edits?year=2028`, { expectedVersion, step })
const primary = (body: { figures: { compare: ReadonlyArray<Record<string, unknown>> } }, who: string) =>
  body.figures.compare.find((r) => r.level === "primary" && r.variant === who)!

describe("seatplan serve: the workspace API", () => {
  it("lists the baseline and the scenario's variants, and serves the page with a Content-Security-Policy", async () => {
    const list = await api(Api.VariantList, server.base, "GET", "/api/variants")
    assert.strictEqual(list.status, 200)
    assert.deepStrictEqual(list.body.map((v: { id: string }) => v.id).slice(0, 4), ["baseline", "status-quo", "layout", "phased"])
    assert.isFalse(list.body[0].editable)
    const page = await fetch(`${server.base}/`)
    assert.strictEqual(page.status, 200)
    const csp = page.headers.get("content-security-policy") ?? ""
    assert.include(csp, "default-src 'none'")
    assert.include(csp, "script-src 'self'")
    assert.include(csp, "connect-src 'self'")
    assert.strictEqual(page.headers.get("x-content-type-options"), "nosniff")
    const script = await fetch(`${server.base}/app.js`)
    assert.strictEqual(script.status, 200)
    assert.include(script.headers.get("content-security-policy") ?? "", "default-src 'none'")
  })

  it("refuses a closure whose receiver lacks the seats (先建后撤) with the rule's message, and stores nothing", async () => {
    const before = await view()
    const refused = await edit(close)
    assert.strictEqual(refused.status, 422)
    assert.include(refused.problem.message, "先建后撤")
    assert.include(refused.problem.message, township)
    assert.strictEqual((await view()).body.version, before.body.version)
  })

  it("accepts the expansion, then the closure; the figures follow each edit", async () => {
    const base = (await view()).body
    const expanded = await edit(expand)
    assert.strictEqual(expanded.status, 200, JSON.stringify(expanded.answer))
    assert.strictEqual(expanded.body.version, version + 1)
    assert.strictEqual(primary(expanded.body, variant).seats, (primary(base, variant).seats as number) + 270)
    assert.strictEqual(primary(expanded.body, "baseline").seats, primary(base, "baseline").seats)
    version = expanded.body.version
    const closed = await edit(close)
    assert.strictEqual(closed.status, 200, JSON.stringify(closed.answer))
    version = closed.body.version
    const school = closed.body.figures.map.schools.find((s) => s.id === village)
    assert.isFalse(school?.open)
    assert.strictEqual(closed.body.figures.accounts[1].schools_closed_or_merged, 1)
    assert.strictEqual(closed.body.figures.accounts[1].seats_added, 270)
    // every settlement zoned to the closed school moved to another
    for (const s of closed.body.figures.map.settlements) assert.notStrictEqual(s.catchment.primary, village)
  })

  it("answers a page holding figures (`since`) with a patch: applied to them, it gives the whole view", async () => {
    const forked = await api(Api.Created, server.base, "POST", "/api/variants/baseline/fork", { name: "patched" })
    const id = forked.body.id
    const first = (await api(Api.View, server.base, "GET", `/api/variants/${id}?year=2028`)).body
    let held = first
    for (const [i, step] of [expand, { type: "hire", year: 2027, school: township, count: 2 }, close].entries()) {
      const changed = await api(Api.ChangedOrPatch, server.base, "POST", `/api/variants/${id}/edits?year=2028&since=${held.key}`, {
        expectedVersion: held.version,
        step
      })
      const body = changed.body
      assert.isTrue("patch" in body, `edit ${i} is answered with a patch`)
      assert.include(changed.headers.get("server-timing") ?? "", "project;dur=")
      if (!("patch" in body)) return
      assert.strictEqual(body.patch.base, held.key)
      const whole = (await api(Api.View, server.base, "GET", `/api/variants/${id}?year=2028`)).body
      assert.strictEqual(body.key, whole.key)
      assert.deepStrictEqual(Api.apply(held.figures, body.patch), whole.figures, `edit ${i}`)
      // a patch sends what changed: the closure's and the hire's figures are a fraction of the whole
      assert.isBelow(JSON.stringify(body.patch).length, JSON.stringify(whole.figures).length)
      held = whole
    }
    // another year of the same variant, and a key the server does not know (the whole view then)
    const other = (await api(Api.ViewOrPatch, server.base, "GET", `/api/variants/${id}?year=2033&since=${held.key}`)).body
    assert.isTrue("patch" in other)
    if ("patch" in other)
      assert.deepStrictEqual(
        Api.apply(held.figures, other.patch),
        (await api(Api.View, server.base, "GET", `/api/variants/${id}?year=2033`)).body.figures
      )
    const unknown = (await api(Api.ViewOrPatch, server.base, "GET", `/api/variants/${id}?year=2033&since=nothing`)).body
    assert.isTrue("figures" in unknown)
  })

  it("answers a stale version with a conflict naming what changed, and stores nothing", async () => {
    const stale = await edit({ type: "hire", year: 2026, school: township, count: 2 }, version - 1)
    assert.strictEqual(stale.status, 409)
    assert.strictEqual(stale.problem.version, version)
    assert.include((stale.problem.changes ?? []).join(" "), `close ${village} into ${township}`)
    assert.strictEqual((await view()).body.version, version)
  })

  it("undoes and redoes as a pointer: the version goes back and forth, and a new edit clears redo", async () => {
    const undone = await api(Api.Changed, server.base, "POST", `/api/variants/${variant}/undo`, { expectedVersion: version })
    assert.strictEqual(undone.status, 200, JSON.stringify(undone.answer))
    assert.strictEqual(undone.body.version, version - 1)
    assert.isTrue(undone.body.figures.map.schools.find((s) => s.id === village)!.open)
    assert.isTrue(undone.body.variant.canRedo)
    const redone = await api(Api.Changed, server.base, "POST", `/api/variants/${variant}/redo`, { expectedVersion: version - 1 })
    assert.strictEqual(redone.status, 200)
    assert.strictEqual(redone.body.version, version)
    assert.isFalse(redone.body.figures.map.schools.find((s) => s.id === village)!.open)
    // undo again, edit: redo is gone
    await api(Api.Changed, server.base, "POST", `/api/variants/${variant}/undo`, { expectedVersion: version })
    const hired = await edit({ type: "hire", year: 2026, school: township, count: 2 }, version - 1)
    assert.strictEqual(hired.status, 200)
    assert.isFalse(hired.body.variant.canRedo)
    const redo = await api(Api.Changed, server.base, "POST", `/api/variants/${variant}/redo`, { expectedVersion: hired.body.version })
    assert.strictEqual(redo.status, 400)
    // put the closure back for the tests below
    const again = await edit(close, hired.body.version)
    assert.strictEqual(again.status, 200)
    version = again.body.version
  })

  it("keeps the plan as a timeline, views it as of any version, and forks there", async () => {
    const history = await api(Api.History, server.base, "GET", `/api/variants/${variant}/history`)
    assert.strictEqual(history.status, 200)
    const timeline = history.body.timeline as ReadonlyArray<{ after: number; what: string; rules: ReadonlyArray<string> }>
    assert.deepStrictEqual(
      timeline.map((r) => r.what),
      [`2025: expand ${township}`, `2026: hire 2 at ${township}`, `2026: close ${village} into ${township}`]
    )
    assert.isTrue(timeline[2].rules.some((r) => r.includes("先建后撤")))
    assert.deepStrictEqual(
      history.body.actions.map((a: { kind: string }) => a.kind),
      ["VariantAdded", "EditUndone", "EditRedone", "EditUndone"]
    )
    const asOf = await view(2028, timeline[0].after)
    assert.strictEqual(asOf.status, 200)
    assert.isTrue(asOf.body.figures.map.schools.find((s) => s.id === village)!.open)
    const forked = await api(Api.Created, server.base, "POST", `/api/variants/${variant}/fork`, {
      name: "from the expansion",
      version: timeline[0].after
    })
    assert.strictEqual(forked.status, 201)
    const child = await api(Api.View, server.base, "GET", `/api/variants/${forked.body.id}?year=2028`)
    assert.strictEqual(child.body.version, timeline[0].after)
    assert.deepStrictEqual(
      child.body.figures.compare,
      asOf.body.figures.compare.map((r) => (r.variant === variant ? { ...r, variant: forked.body.id } : r))
    )
    // rename and delete are recorded; a deleted variant is gone
    assert.strictEqual(
      (await api(Api.Created, server.base, "POST", `/api/variants/${forked.body.id}/rename`, { name: "renamed" })).status,
      200
    )
    assert.strictEqual((await api(Api.Deleted, server.base, "DELETE", `/api/variants/${forked.body.id}`)).status, 200)
    assert.strictEqual((await api(Api.View, server.base, "GET", `/api/variants/${forked.body.id}`)).status, 404)
    const list = await api(Api.VariantList, server.base, "GET", "/api/variants")
    assert.notInclude(
      list.body.map((v: { id: string }) => v.id),
      forked.body.id
    )
  })

  it("exports the variant as a scenario file whose `seatplan run` gives the page's figures", async () => {
    const exported = await fetch(`${server.base}/api/variants/${variant}/export`)
    assert.strictEqual(exported.status, 200)
    const dir = temp("seatplan-serve-export-")
    const file = path.join(dir, "exported.yaml")
    fs.writeFileSync(file, await exported.text())
    const ran = await seatplan(["run", file, "--out", path.join(dir, "out"), "--quiet", "--format", "json"])
    assert.strictEqual(ran.status, 0, ran.stderr)
    const rows = JSON.parse(fs.readFileSync(path.join(dir, "out", "county.json"), "utf8")) as ReadonlyArray<Record<string, unknown>>
    // the counted figures as county.csv prints them (whole), the distances exact as county.json has them
    const printed = csvRecords(path.join(dir, "out", "county.csv"))
    for (const year of [2026, 2028, 2039]) {
      const page = (await view(year)).body.figures.compare as ReadonlyArray<Record<string, unknown>>
      for (const mine of page.filter((r) => r.variant === variant)) {
        const theirs = rows.find((r) => r.variant === "api" && r.year === year && r.level === mine.level)!
        const csv = printed.find((r) => r.variant === "api" && r.year === String(year) && r.level === mine.level)!
        for (const k of [
          "pupils",
          "seats",
          "pupils_over_seats",
          "idle_seats",
          "large_classes",
          "super_large_classes",
          "teacher_gap",
          "boarders"
        ])
          assert.strictEqual(mine[k], Number(csv[k]), `${year} ${String(mine.level)} ${k}`)
        assert.strictEqual(mine.mean_distance_km, theirs.mean_distance_km, `${year} ${String(mine.level)} mean_distance_km`)
      }
    }
    // the accounts the page shows in the last year are accounts.csv's (sums of the school rows as printed)
    const theirs = csvRecords(path.join(dir, "out", "accounts.csv")).find((r) => r.variant === "api")!
    const last = Math.max(...rows.map((r) => r.year as number))
    const mine = ((await view(last)).body.figures.accounts as ReadonlyArray<Record<string, unknown>>)[1]
    for (const k of ["schools_closed_or_merged", "seats_added", "pupils_integrated", "seats_reused", "new_school_teachers_needed"])
      assert.strictEqual(mine[k], Number(theirs[k]), `accounts ${k} in ${last}`)
  }, 240_000)

  it("hands out seatplan run's report.html and workbook for the variant, built by run itself on the exported file", async () => {
    const report = await fetch(`${server.base}/api/variants/${variant}/out?file=report.html`)
    assert.strictEqual(report.status, 200, await report.clone().text())
    assert.match(report.headers.get("content-type") ?? "", /^text\/html/)
    assert.isNotNull(report.headers.get("content-security-policy"))
    const html = await report.text()
    assert.match(html, /^<!doctype html>/i)
    assert.include(html, "api") // the variant, under its exported name
    const workbook = await fetch(`${server.base}/api/variants/${variant}/out?file=seatplan.xlsx`)
    assert.strictEqual(workbook.status, 200)
    assert.include(workbook.headers.get("content-disposition") ?? "", ".seatplan.xlsx")
    const bytes = new Uint8Array(await workbook.arrayBuffer())
    assert.deepStrictEqual([...bytes.subarray(0, 2)], [0x50, 0x4b]) // a zip: the OOXML package
    const bad = await api(Api.View, server.base, "GET", `/api/variants/${variant}/out?file=..%2Fevents.sqlite`)
    assert.strictEqual(bad.status, 400)
    assert.include(bad.problem.message, "report.html, report.pdf, seatplan.xlsx")
    // a version that is no version of the variant is refused, as the view refuses it (they took it for the latest)
    for (const asked of ["abc", "-1", "", "999999", "1.5"]) {
      for (const what of ["export", "out?file=report.html"]) {
        const sep = what.includes("?") ? "&" : "?"
        const r = await api(Api.View, server.base, "GET", `/api/variants/${variant}/${what}${sep}version=${encodeURIComponent(asked)}`)
        assert.strictEqual(r.status, 400, `${what} version=${asked}`)
        assert.include(r.problem.message, `version: expected a version of`)
        assert.include(r.problem.message, variant)
      }
    }
    // a path that is not percent-encoding is a bad request, not an internal error
    const malformed = await api(Api.View, server.base, "GET", "/api/variants/%E0%A4%A")
    assert.strictEqual(malformed.status, 400)
    assert.include(malformed.problem.message, "variant: expected a variant id (percent-encoded)")
  }, 240_000)

  it("takes every kind of edit the map offers through the rules: open, catchment, transfer, merge, convert, repurpose", async () => {
    const forked = await api(Api.Created, server.base, "POST", "/api/variants/baseline/fork", { name: "kinds" })
    const id = forked.body.id
    let at = (await api(Api.View, server.base, "GET", `/api/variants/${id}`)).body.version
    const step = async (s: unknown, status = 200) => {
      const r = await api(Api.Changed, server.base, "POST", `/api/variants/${id}/edits?year=2030`, { expectedVersion: at, step: s })
      assert.strictEqual(r.status, status, `${JSON.stringify(s)}: ${JSON.stringify(r.answer).slice(0, 400)}`)
      if (r.answer.ok) at = r.answer.body.version
      return r.answer.ok ? r.answer.body : undefined
    }
    const school = { id: "C1-T4-V4-NEW", name: "New village primary", type: "primary", settlement: "C1-T4-V4", classrooms: 12, seats: 540 }
    const opened = await step({ type: "open", year: 2026, school })
    assert.isTrue(opened?.figures.map.schools.find((s) => s.id === school.id)?.open)
    assert.isUndefined(opened?.result?.warnings, "a school opened as typed is not warned about")
    await step({ type: "open", year: 2026, school }, 422) // the id is taken now
    const moved = await step({ type: "catchment", year: 2027, level: "primary", settlement: "C1-T4-V4", school: school.id })
    assert.strictEqual(moved?.figures.map.settlements.find((s) => s.id === "C1-T4-V4")?.catchment.primary, school.id)
    await step({ type: "transfer", year: 2027, from: township, to: school.id, count: 3 })
    await step({ type: "transfer", year: 2027, from: school.id, to: township, count: 500 }, 422) // no teacher moved who is not there
    await step({ type: "merge", year: 2028, schools: [village], into: school.id })
    await step({ type: "merge", year: 2029, schools: [school.id], into: village }, 422) // no merge into a closed school
    await step({ type: "repurpose", year: 2029, school: village, use: "kindergarten" })
    await step({ type: "convert", year: 2030, school: school.id, to: "nine-year" })
    await step({ type: "boarding", year: 2030, school: school.id, beds: 60 })
    const history = await api(Api.History, server.base, "GET", `/api/variants/${id}/history`)
    assert.strictEqual(history.body.timeline.length, 7)
  }, 120_000)

  it("accepts an edit that looks mistyped (a school's latitude, its seats) and says what to check, as loading the exported scenario does", async () => {
    const forked = await api(Api.Created, server.base, "POST", "/api/variants/baseline/fork", { name: "typos" })
    const id = forked.body.id
    const at = (await api(Api.View, server.base, "GET", `/api/variants/${id}`)).body.version
    // C1-T4-V4 lies at [110.948…, 32.0…]; the latitude typed a digit short puts the school 3,200 km south
    const school = {
      id: "C1-T4-V4-TYPO",
      name: "Typed village primary",
      type: "primary",
      settlement: "C1-T4-V4",
      lon: 110.948,
      lat: 3.2,
      classrooms: 12,
      seats: 54000
    }
    const r = await api(Api.Changed, server.base, "POST", `/api/variants/${id}/edits?year=2030`, {
      expectedVersion: at,
      step: { type: "open", year: 2026, school }
    })
    assert.strictEqual(r.status, 200, JSON.stringify(r.answer).slice(0, 400))
    const warnings = r.body.result?.warnings ?? []
    assert.strictEqual(warnings.length, 2, warnings.join("\n"))
    assert.match(
      warnings.find((w) => w.startsWith("school.lat:")) ?? "",
      /Typed village primary \(C1-T4-V4-TYPO\) at \[110\.948, 3\.2\] is [\d,]+ km from the region/
    )
    assert.match(warnings.find((w) => w.startsWith("school.seats:")) ?? "", /54,000 seats in 12 classrooms, 4,500 a classroom/)
    // accepted as typed: the school is on the map where it was typed (3,200 km south: no settlement has it among its nearest, so it has no pupils)
    assert.strictEqual(r.body.figures.map.schools.find((s) => s.id === school.id)?.lat, 3.2)
    // the exported variant, loaded by `seatplan validate`, gets the same two warnings at the step's fields
    const exported = await fetch(`${server.base}/api/variants/${id}/export`)
    assert.strictEqual(exported.status, 200)
    const file = path.join(temp("serve-typos"), "typos.yaml")
    fs.writeFileSync(file, await exported.text())
    const validated = await seatplan(["validate", file])
    assert.strictEqual(validated.status, 0, validated.stderr)
    for (const w of warnings) {
      const colon = w.indexOf(": ")
      // the same words (validate cuts a message at 300 characters)
      assert.include(validated.stderr, `.${w.slice(0, colon)}: warning: ${w.slice(colon + 2, colon + 200)}`)
    }
  }, 120_000)

  it("refuses bodies that are not the scenario's Schemas, too large, not JSON, from another origin or for another host", async () => {
    const bad = await edit({ type: "close", year: 2026, school: 7 })
    assert.strictEqual(bad.status, 400)
    assert.match(bad.problem.message, /step/)
    assert.strictEqual((await api(Api.Changed, server.base, "POST", `/api/variants/${variant}/edits`, "{not json")).status, 400)
    const big = await api(Api.Created, server.base, "POST", `/api/variants/${variant}/rename`, { name: "x".repeat(70_000) })
    assert.strictEqual(big.status, 413)
    // sent in chunks (no Content-Length), the same body gets the same answer: the connection was reset with none
    const chunked = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      import("node:http").then((http) => {
        const url = new URL(server.base)
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: "POST",
            path: `/api/variants/${variant}/rename`,
            headers: { "content-type": "application/json", host: url.host }
          },
          (res) => {
            let text = ""
            res.on("data", (d: Buffer) => (text += d.toString()))
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }))
          }
        )
        req.on("error", reject)
        const body = JSON.stringify({ name: "x".repeat(70_000) })
        for (let i = 0; i < body.length; i += 8192) req.write(body.slice(i, i + 8192))
        req.end()
      })
    })
    assert.strictEqual(chunked.status, 413, chunked.text)
    assert.include(chunked.text, "at most 65536 are accepted")
    const form = await fetch(`${server.base}/api/variants/${variant}/rename`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=x"
    })
    assert.strictEqual(form.status, 415)
    const cross = await api(
      Api.Created,
      server.base,
      "POST",
      `/api/variants/${variant}/rename`,
      { name: "x" },
      { origin: "http://evil.example" }
    )
    assert.strictEqual(cross.status, 403)
    const rebound = await new Promise<number>((resolve, reject) => {
      // fetch will not send another Host header: node:http will
      import("node:http").then((http) => {
        const url = new URL(server.base)
        const req = http.request(
          { host: url.hostname, port: url.port, path: "/api/variants", headers: { host: "evil.example" } },
          (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          }
        )
        req.on("error", reject)
        req.end()
      })
    })
    assert.strictEqual(rebound, 421)
    assert.strictEqual(
      (await api(Api.Changed, server.base, "POST", "/api/variants/baseline/edits", { expectedVersion: 0, step: expand })).status,
      400
    )
    assert.strictEqual((await api(Api.View, server.base, "GET", "/api/variants/nope")).status, 404)
  })

  it("never answers an edit body with an internal error, whatever it holds (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (body) => {
        const r = await api(Api.Changed, server.base, "POST", `/api/variants/${variant}/edits`, JSON.stringify(body ?? null))
        return [400, 409, 422].includes(r.status)
      }),
      { numRuns: 60 }
    )
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          type: fc.constantFrom("close", "merge", "expand", "hire", "transfer", "convert"),
          year: fc.integer({ min: 2000, max: 2050 }),
          school: fc.string()
        }),
        async (step) => {
          const r = await edit(step)
          return [400, 409, 422].includes(r.status)
        }
      ),
      { numRuns: 40 }
    )
  })

  it("keeps names as they were given (hostile ones too): the API returns them as data (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 60 }), async (name) => {
        const r = await api(Api.Created, server.base, "POST", `/api/variants/${variant}/rename`, { name })
        const list = await api(Api.VariantList, server.base, "GET", "/api/variants")
        const mine = list.body.find((v) => v.id === variant)?.name
        // a blank name, or another variant's, is refused and the name stays
        const taken = name === "baseline" || list.body.some((v) => v.id !== variant && v.name === name)
        return name.trim() === "" || taken ? r.status === 400 && mine !== name : r.status === 200 && mine === name
      }),
      { numRuns: 25 }
    )
    await api(Api.Created, server.base, "POST", `/api/variants/${variant}/rename`, { name: "api" })
  })

  it("refuses a name that is blank, on two lines, broken or another variant's; a long one is exported under the id", async () => {
    for (const [name, says] of [
      ["   ", "only spaces"],
      ["two\nlines", "control character"],
      ["\u0000", "control character"],
      ["broken \ud800", "lone surrogate"],
      ["baseline", "no other variant has"],
      ["layout", "no other variant has"]
    ] as const) {
      const r = await api(Api.Created, server.base, "POST", "/api/variants/baseline/fork", { name })
      assert.strictEqual(r.status, 400, JSON.stringify(name))
      assert.include(r.problem.message, says)
    }
    const long = await api(Api.Created, server.base, "POST", "/api/variants/baseline/fork", { name: "x".repeat(200) })
    assert.strictEqual(long.status, 201)
    const exported = await fetch(`${server.base}/api/variants/${long.body.id}/export`)
    assert.include(exported.headers.get("content-disposition") ?? "", `"${long.body.id}.scenario.yaml"`)
    const dir = temp("seatplan-serve-long-")
    const file = path.join(dir, "long.yaml")
    fs.writeFileSync(file, await exported.text())
    const validated = await seatplan(["validate", file])
    assert.strictEqual(validated.status, 0, validated.stderr)
    // a scenario file naming a variant longer than a stream name allows is refused where it is written
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`- name: ${long.body.id}`, `- name: ${"y".repeat(196)}`))
    const refused = await seatplan(["validate", file])
    assert.strictEqual(refused.status, 1, refused.stderr)
    assert.include(refused.stderr, "at most 195 characters")
  }, 120_000)

  it("refuses an edit made on a state an undo replaced (expectedState), and undo stops where the variant began", async () => {
    const forked = await api(Api.Created, server.base, "POST", "/api/variants/baseline/fork", { name: "two planners" })
    const id = forked.body.id
    const start = (await api(Api.View, server.base, "GET", `/api/variants/${id}?year=2028`)).body.variant
    assert.isFalse(start.canUndo, "a fresh fork has no edit of its own to undo")
    const send = (what: string, seen: Api.VariantSummary, step?: unknown) =>
      api(Api.Changed, server.base, "POST", `/api/variants/${id}/${what}?year=2028`, {
        expectedVersion: seen.version,
        expectedState: seen.state,
        ...(step === undefined ? {} : { step })
      })
    const hired = await send("edits", start, { type: "hire", year: 2030, school: township, count: 1 })
    assert.strictEqual(hired.status, 200, JSON.stringify(hired.answer))
    const seenByB = hired.body.variant
    // planner A undoes the hire and retires five instead: the variant is at the same version number again
    const undone = await send("undo", seenByB)
    assert.strictEqual(undone.status, 200)
    const retired = await send("edits", undone.body.variant, { type: "retire", year: 2031, school: township, count: 5 })
    assert.strictEqual(retired.status, 200)
    assert.strictEqual(retired.body.version, seenByB.version)
    assert.notStrictEqual(retired.body.variant.state, seenByB.state)
    // planner B's edit, made on the hire A undid, is refused, naming what happened
    const stale = await send("edits", seenByB, { type: "hire", year: 2032, school: township, count: 2 })
    assert.strictEqual(stale.status, 409)
    assert.include((stale.problem.changes ?? []).join(" "), "undone")
    assert.include((stale.problem.changes ?? []).join(" "), `retire at ${township}`)
    // undo twice: the retire goes, then nothing of the variant's own is left to undo (the baseline's is not its)
    const back = await send("undo", retired.body.variant)
    assert.strictEqual(back.status, 200)
    assert.isFalse(back.body.variant.canUndo)
    const below = await send("undo", back.body.variant)
    assert.strictEqual(below.status, 400)
    assert.include(below.problem.message, "no edit of its own to undo")
    // a fork of a variant begins where it was made: its parent's edits are not undone from it
    const child = await api(Api.Created, server.base, "POST", `/api/variants/${variant}/fork`, { name: "child of api" })
    const childView = (await api(Api.View, server.base, "GET", `/api/variants/${child.body.id}?year=2028`)).body.variant
    assert.isFalse(childView.canUndo)
    assert.strictEqual(
      (await api(Api.Changed, server.base, "POST", `/api/variants/${child.body.id}/undo`, { expectedVersion: childView.version })).status,
      400
    )
  }, 120_000)

  it("takes only versions where a step begins or ends: not one inside a step's events, for a view, an export or a fork", async () => {
    const history = (await api(Api.History, server.base, "GET", "/api/variants/layout/history")).body
    const record = history.timeline.find((r: { after: number; before: number }) => r.after - r.before > 1)!
    const inside = record.before + 1
    for (const what of ["", "/export"]) {
      const r = await api(Api.View, server.base, "GET", `/api/variants/layout${what}?version=${inside}`)
      assert.strictEqual(r.status, 400, `${what} ${inside}`)
      assert.include(r.problem.message, "where one of its steps begins or ends")
    }
    const fork = await api(Api.Created, server.base, "POST", "/api/variants/layout/fork", { name: "inside", version: inside })
    assert.strictEqual(fork.status, 400)
    assert.strictEqual((await api(Api.View, server.base, "GET", `/api/variants/layout?version=${record.after}`)).status, 200)
    // a fork may be made where its parent's steps end, below its own start (the page offers them)
    const child = await api(Api.Created, server.base, "POST", `/api/variants/${variant}/fork`, { name: "late child" })
    const timeline = (await api(Api.History, server.base, "GET", `/api/variants/${variant}/history`)).body.timeline
    const early = timeline[0].after
    const grandchild = await api(Api.Created, server.base, "POST", `/api/variants/${child.body.id}/fork`, {
      name: "from an early step",
      version: early
    })
    assert.strictEqual(grandchild.status, 201, JSON.stringify(grandchild.answer))
    assert.strictEqual((await api(Api.View, server.base, "GET", `/api/variants/${grandchild.body.id}`)).body.version, early)
    // a year that is no school year of the scenario is refused, not silently replaced
    for (const year of ["abc", "1e9", "2030.5", "1999"]) {
      const r = await api(Api.View, server.base, "GET", `/api/variants/layout?year=${year}`)
      assert.strictEqual(r.status, 400, year)
      assert.include(r.problem.message, "year: expected a school year from")
    }
  }, 120_000)

  it("answers HEAD as GET, a method an action does not take with 405 and the methods it takes, an unknown action with 404", async () => {
    const head = await fetch(`${server.base}/api/variants/${variant}/history`, { method: "HEAD" })
    assert.strictEqual(head.status, 200)
    assert.strictEqual(await head.text(), "")
    const wrong = await fetch(`${server.base}/api/variants/${variant}/undo`)
    assert.strictEqual(wrong.status, 405)
    assert.strictEqual(wrong.headers.get("allow"), "POST")
    assert.include((await wrong.json()).message, "takes POST")
    const put = await fetch(`${server.base}/api/variants/${variant}`, { method: "PUT" })
    assert.strictEqual(put.status, 405)
    assert.strictEqual(put.headers.get("allow"), "GET, DELETE, HEAD")
    const unknown = await fetch(`${server.base}/api/variants/${variant}/frobnicate`)
    assert.strictEqual(unknown.status, 404)
    assert.include((await unknown.json()).message, "the actions are history, export, out, edits, undo, redo, fork, rename, delete")
  })

  it("refuses a body nested deeper than a plan step can be with a 400, not an internal error", async () => {
    const deep = `{"name":${"[".repeat(3000)}${"]".repeat(3000)}}`
    const r = await api(Api.Created, server.base, "POST", "/api/variants/baseline/fork", deep)
    assert.strictEqual(r.status, 400)
    assert.include(r.problem.message, "levels of nesting")
  })
})

describe("seatplan serve: a workspace reopened and a shared one", () => {
  it("reopens a workspace file with its variants, versions and history", async () => {
    const first = await serve({ scenario: tiny })
    const fork = await api(Api.Created, first.base, "POST", "/api/variants/township/fork", { name: "kept" })
    const v0 = (await api(Api.View, first.base, "GET", `/api/variants/${fork.body.id}`)).body.version
    const hired = await api(Api.Changed, first.base, "POST", `/api/variants/${fork.body.id}/edits`, {
      expectedVersion: v0,
      step: { type: "hire", year: 2027, school: "DONG-PRI", count: 3 }
    })
    assert.strictEqual(hired.status, 200, JSON.stringify(hired.answer))
    const before = await api(Api.History, first.base, "GET", `/api/variants/${fork.body.id}/history`)
    await first.close()
    const again = await serve({ db: first.db })
    try {
      const after = await api(Api.History, again.base, "GET", `/api/variants/${fork.body.id}/history`)
      assert.deepStrictEqual(after.body, before.body)
      assert.strictEqual(after.body.variant.version, v0 + 1)
    } finally {
      await again.close()
    }
  }, 120_000)

  it("refuses to reopen a workspace with another scenario, and warns when its own scenario file changed", async () => {
    const first = await serve({ scenario: tiny })
    await first.close()
    const other = await serve({ scenario: county, db: first.db }).then(
      () => "served",
      (e: unknown) => String(e)
    )
    assert.include(other, `is the workspace of ${tiny}`)
    assert.include(other, `serve ${first.db} alone to reopen it`)
    const again = await serve({ scenario: tiny, db: first.db })
    await again.close()
    // the same file, changed: reopened as it was, with a warning
    const dir = temp("seatplan-serve-changed-")
    const file = path.join(dir, "scenario.yaml")
    fs.writeFileSync(file, fs.readFileSync(tiny, "utf8"))
    const made = await serve({ scenario: file })
    await made.close()
    fs.appendFileSync(file, "\n# edited\n")
    const said: Array<string> = []
    const spy = vi.spyOn(console, "error").mockImplementation((...m: Array<unknown>) => void said.push(m.join(" ")))
    try {
      const reopened = await serve({ scenario: file, db: made.db })
      await reopened.close()
    } finally {
      spy.mockRestore()
    }
    assert.isTrue(
      said.some((m) => m.includes(`${file}: warning: changed since`)),
      said.join("\n")
    )
  }, 120_000)

  it("when shared, refuses requests without the token, and takes it as a header or as the cookie the printed address sets", async () => {
    const shared = await serve({ scenario: tiny, shared: true })
    try {
      assert.strictEqual((await api(Api.VariantList, shared.base, "GET", "/api/variants")).status, 401)
      assert.strictEqual((await fetch(`${shared.base}/`)).status, 401)
      assert.strictEqual(
        (await api(Api.VariantList, shared.base, "GET", "/api/variants", undefined, { "x-seatplan-token": "0".repeat(64) })).status,
        401
      )
      assert.strictEqual(
        (await api(Api.VariantList, shared.base, "GET", "/api/variants", undefined, { "x-seatplan-token": shared.token })).status,
        200
      )
      const opened = await fetch(shared.url, { redirect: "manual" })
      assert.strictEqual(opened.status, 303)
      const cookie = (opened.headers.get("set-cookie") ?? "").split(";")[0]
      assert.include(opened.headers.get("set-cookie") ?? "", "HttpOnly")
      assert.strictEqual((await api(Api.VariantList, shared.base, "GET", "/api/variants", undefined, { cookie })).status, 200)
    } finally {
      await shared.close()
    }
  }, 120_000)
})
