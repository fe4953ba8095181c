/**
 * Places and figures a planner mistyped, and names left empty, as the loader meets them.
 *
 * - A settlement or school whose lon or lat is mistyped (a digit dropped: 3.42 for 34.2; a sign lost; a
 *   village's township on the other side of the province) loaded silently: a school 3,700 km from the
 *   county took its catchment's pupils on trips of thousands of kilometres. Now a warning at the field's
 *   line (`DataQuality.locationWarnings`); the scenario still loads.
 * - A figure a digit or two too large (a grade of 5,030 pupils at a school of 1,430 seats, 1,000,000 children
 *   aged 18 in a county seat of 500 an age, 92,000 seats in 31 classrooms) loaded silently, and the base
 *   year's recorded pupils are where the projection starts. Now a warning at the field
 *   (`DataQuality.figureWarnings`), one a mistake: a school's seats a digit short are blamed once, not each
 *   grade recorded above them.
 * - A settlement, school, group or candidate site named "" loaded, and the tables and the report showed a
 *   row with no name. Now refused at the field (`PlanStep.Name`).
 */
import { assert, describe, it } from "@effect/vitest"
import { Synthetic } from "@seatplan/sim"
import { Either } from "effect"
import fc from "fast-check"
import * as fs from "node:fs"
import * as path from "node:path"
import { parse, stringify } from "yaml"
import { DataQuality, FromEvents, type Scenario, ScenarioLoader } from "../src/index.js"

const root = path.resolve(import.meta.dirname, "../../..")
const examples = ["scenarios/tiny/scenario.yaml", "scenarios/county/scenario.yaml", "scenarios/backtest/scenario.yaml"]

interface Place {
  id: string
  name: string
  lon: number
  lat: number
  parent?: string
  settlement?: string
}
interface Doc {
  settlements: Array<Place>
  schools: Array<Place & { seats: number; classrooms: number }>
  variants: Array<{ name: string; events: Array<Record<string, unknown>> }>
  population: Array<{ settlement: string; byAge: Array<number> }>
  history: {
    births: Array<{ settlement: string; year: number; births: number }>
    enrolment: Array<{ school: string; year: number; byGrade: Record<string, number> }>
  }
}

/** A synthetic region as a scenario file's text (JSON): `counties` counties of `settlements` settlements in all. */
const regionText = (seed: number, settlements: number, counties: number): string => {
  const region = Either.getOrThrow(Synthetic.generate({ seed, settlements, counties }))
  const scenario = FromEvents.scenarioOf(region.events, {
    name: "generated",
    description: "SYNTHETIC",
    baseYear: region.baseYear,
    horizon: 3
  })
  return JSON.stringify(scenario)
}

/** Regions of three shapes: one county, a few, many small ones (a province's layout). */
const regions = [
  { seed: 1, settlements: 300, counties: 1 },
  { seed: 2, settlements: 1_500, counties: 4 },
  { seed: 3, settlements: 3_000, counties: 60 }
].map((r) => ({ ...r, text: regionText(r.seed, r.settlements, r.counties) }))

/** Lets the test worker answer vitest between cases (a long synchronous property times its RPC out). */
const yieldToVitest = () => new Promise((resolve) => setImmediate(resolve))

const warningsOf = (text: string, file = "edited.json") => Either.getOrThrow(ScenarioLoader.fromText(text, file)).warnings ?? []

/**
 * Mistakes a person makes typing a coordinate in degrees. Those that take the place out of the region are
 * blamed on it alone (`alone`); a place two degrees off may still be inside a province, and is found through
 * what it belongs to: its township, or the settlement it was given.
 */
const typos: ReadonlyArray<{
  readonly name: string
  readonly field: "lon" | "lat"
  readonly alone: boolean
  readonly f: (v: number) => number
}> = [
  { name: "a digit dropped from the latitude", field: "lat", alone: true, f: (v) => v / 10 },
  { name: "a digit dropped from the longitude", field: "lon", alone: true, f: (v) => v / 10 },
  { name: "the longitude's sign lost", field: "lon", alone: true, f: (v) => -v },
  { name: "the latitude's tens mistyped", field: "lat", alone: true, f: (v) => (v >= 80 ? v - 10 : v + 10) },
  { name: "the longitude's tens mistyped", field: "lon", alone: true, f: (v) => (v >= 170 ? v - 10 : v + 10) },
  { name: "the latitude's units mistyped", field: "lat", alone: false, f: (v) => (v >= 80 ? v - 2 : v + 2) }
]

/** The id a warning blames: the "(ID) at [" its message starts with. */
const blamed = (message: string): string | undefined => /^[^[]*?\(([^()]+)\) at \[/.exec(message)?.[1]

describe("places far from the region", () => {
  it("the examples and generated regions of three shapes: no warning", () => {
    for (const f of examples) {
      const loaded = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(path.join(root, f), "utf8"), f))
      assert.deepStrictEqual(loaded.warnings, [], f)
    }
    for (const r of regions) assert.deepStrictEqual(warningsOf(r.text), [], `${r.settlements} settlements in ${r.counties} counties`)
  })

  it("a settlement or school with a mistyped coordinate: one warning, at that field, whatever the region's shape", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: regions.length - 1 }),
        fc.boolean(),
        fc.nat(),
        fc.nat({ max: typos.length - 1 }),
        async (r, school, n, t) => {
          await yieldToVitest()
          const doc = JSON.parse(regions[r].text) as Doc
          const list = school ? doc.schools : doc.settlements
          const i = n % list.length
          const place = list[i]
          const typo = typos[t]
          // a school stands at its settlement unless it has lon and lat of its own
          if (school && place.lon === undefined) {
            const home = doc.settlements.find((s) => s.id === place.settlement)!
            place.lon = home.lon
            place.lat = home.lat
          }
          place[typo.field] = +typo.f(place[typo.field]).toFixed(6)
          const warnings = warningsOf(JSON.stringify(doc))
          const at = `${school ? "schools" : "settlements"}[${i}].${typo.field}`
          const shown = `${typo.name} at ${at}: ${JSON.stringify(warnings.map((x) => `${x.path}: ${x.message}`))}`
          if (typo.alone) {
            // out of the region (or, in a province, out of its township): one warning, at the field, naming the place; what belongs to it is not blamed
            assert.strictEqual(warnings.length, 1, shown)
            assert.strictEqual(warnings[0].path, at, shown)
            assert.strictEqual(blamed(warnings[0].message), place.id, shown)
            assert.match(warnings[0].message, /km (or more )?from /)
            assert.isAbove(warnings[0].line ?? 0, 0)
            return
          }
          // two degrees off: found through what it belongs to; one warning, at the place or the one it was measured against
          const members = [
            ...doc.settlements.filter((x) => x.parent === place.id),
            ...doc.schools.filter((x) => x.settlement === place.id && x.lon !== undefined)
          ]
          const hub = school ? place.settlement : place.parent
          assert.isAtMost(warnings.length, 1, shown)
          if (warnings.length === 1) assert.include([place.id, hub, ...members.map((x) => x.id)], blamed(warnings[0].message), shown)
          // a settlement with two or more villages or schools of its own is blamed itself
          if (!school && members.length >= 2) assert.strictEqual(warnings[0]?.path, at, shown)
        }
      ),
      { numRuns: 60 }
    )
  }, 120_000)

  it("the tiny example as a person edits it: the line of the mistyped field, the names, how far and from what", () => {
    const doc = parse(fs.readFileSync(path.join(root, examples[0]), "utf8")) as Doc
    const village = doc.settlements.findIndex((s) => s.id === "LS-DONG-LIU")
    doc.settlements[village].lat = 33.3 // 34.3 typed as 33.3: 107 km south of its township
    const school = doc.schools.findIndex((s) => s.id === "ZHANG-TP")
    doc.schools[school].lat = 3.4317 // a digit dropped
    const yaml = stringify(doc, { lineWidth: 200 })
    const warnings = Either.getOrThrow(ScenarioLoader.fromText(yaml, "edited.yaml")).warnings ?? []
    const lines = yaml.split("\n")
    const byPath = new Map(warnings.map((w) => [w.path, w]))
    const moved = byPath.get(`settlements[${village}].lat`)!
    assert.match(
      moved.message,
      /^Liujia village 刘家村 \(LS-DONG-LIU\) at \[113\.67, 33\.3\] is 107 km from its township \(parent\) Dongzhuang/
    )
    assert.match(lines[moved.line! - 1], /lat: 33\.3/)
    const far = byPath.get(`schools[${school}].lat`)!
    assert.match(
      far.message,
      /^school Zhangzhuang teaching point 张庄教学点 \(ZHANG-TP\) at \[113\.\d+, 3\.4317\] is 3,4\d\d km from the region/
    )
    assert.match(lines[far.line! - 1], /lat: 3\.4317/)
    // the village's own school, left where the village really is, is not blamed for the village's typo
    assert.strictEqual(warnings.length, 2, JSON.stringify(warnings.map((w) => w.message)))
    assert.match(ScenarioLoader.warningLine("edited.yaml", far), /^edited\.yaml:\d+:\d+: schools\[\d+\]\.lat: warning: school Zhangzhuang/)
  })

  it("a township a degree off (111 km) in a county 30 km across is blamed, not its villages; a village 40 km out in the hills is not warned about", () => {
    const doc = parse(fs.readFileSync(path.join(root, examples[0]), "utf8")) as Doc
    const xi = doc.settlements.findIndex((s) => s.id === "LS-XI")
    const wang = doc.settlements.findIndex((s) => s.id === "LS-XI-WANG")
    doc.settlements[wang].lat = +(doc.settlements[wang].lat - 0.36).toFixed(4) // 40 km south of its township: remote, not wrong
    const near = warningsOf(stringify(doc), "edited.yaml")
    assert.deepStrictEqual(near, [])
    doc.settlements[xi].lat = +(doc.settlements[xi].lat + 1).toFixed(4)
    const warnings = warningsOf(stringify(doc), "edited.yaml")
    assert.strictEqual(warnings.length, 1, JSON.stringify(warnings))
    assert.match(
      warnings.find((w) => w.path === `settlements[${xi}].lat`)?.message ?? "",
      /^Xihe township 西河乡 \(LS-XI\) at \[113\.38, 35\.12\] is 10\d km or more from 3 of the 3 villages, schools and sites it has: a mistyped lon or lat/
    )
  })

  it("a school a variant opens far from the region, and a candidate site far from its settlement", () => {
    const doc = parse(fs.readFileSync(path.join(root, examples[0]), "utf8")) as Doc & { candidateSites?: Array<Partial<Place>> }
    const v = doc.variants.findIndex((x) => x.events.some((e) => e.type === "open"))
    const j = doc.variants[v].events.findIndex((e) => e.type === "open")
    const opened = doc.variants[v].events[j].school as Place
    opened.lon = -113.5
    opened.lat = 34.2
    doc.candidateSites = [{ id: "SITE-1", name: "East site 东侧地块", settlement: "LS-SEAT", lon: 114.5, lat: 34.2 }]
    const warnings = warningsOf(stringify(doc), "edited.yaml")
    const paths = warnings.map((w) => w.path)
    assert.include(paths, `variants[${v}].events[${j}].school.lon`)
    assert.include(paths, "candidateSites[0].lon")
    assert.match(
      warnings.find((w) => w.path === "candidateSites[0].lon")!.message,
      /^candidate site East site 东侧地块 \(SITE-1\) at \[114\.5, 34\.2\] is 9\d km from its settlement/
    )
  })
})

describe("figures a digit too large", () => {
  /** A typical figure: at least 2 and a tenth of the figures beside it (not a gap in the ages or years). */
  const typical = (values: ReadonlyArray<number>, i: number) =>
    values[i] >= 2 && (i === 0 || values[i] >= values[i - 1] / 10) && (i + 1 === values.length || values[i] >= values[i + 1] / 10)

  it("an age's children, a year's births or a grade's pupils typed two digits too long: one warning, at that field", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: regions.length - 1 }), fc.constantFrom("age", "births", "grade"), fc.nat(), async (r, kind, n) => {
        await yieldToVitest()
        const doc = JSON.parse(regions[r].text) as Doc
        let at: string
        if (kind === "age") {
          const entries = doc.population.flatMap((p, i) => p.byAge.flatMap((_, a) => (typical(p.byAge, a) ? [[i, a] as const] : [])))
          const [i, a] = entries[n % entries.length]
          doc.population[i].byAge[a] *= 100
          at = `population[${i}].byAge[${a}]`
        } else if (kind === "births") {
          const i = n % doc.history.births.length
          const mine = doc.history.births
            .map((b, j) => ({ ...b, j }))
            .filter((b) => b.settlement === doc.history.births[i].settlement)
            .sort((a, b) => a.year - b.year)
          const k = mine.findIndex((b) => b.j === i)
          fc.pre(
            mine.length >= 2 &&
              typical(
                mine.map((b) => b.births),
                k
              )
          )
          doc.history.births[i].births *= 100
          at = `history.births[${i}].births`
        } else {
          const seats = new Map(doc.schools.map((x) => [x.id, x.seats]))
          const entries = doc.history.enrolment.flatMap((e, i) =>
            Object.entries(e.byGrade).flatMap(([g, v]) => (v >= Math.max(2, (seats.get(e.school) ?? 0) / 50) ? [[i, g] as const] : []))
          )
          const [i, g] = entries[n % entries.length]
          doc.history.enrolment[i].byGrade[g] *= 100
          at = `history.enrolment[${i}].byGrade.${g}`
        }
        // children aged 0 are also a base-year births figure's cohort: that warning names the births' line too
        const warnings = warningsOf(JSON.stringify(doc)).filter(
          (w) => !(at.endsWith("byAge[0]") && /births recorded for the base year/.test(w.message))
        )
        assert.deepStrictEqual(
          warnings.map((w) => w.path),
          [at],
          JSON.stringify(warnings.map((w) => w.message))
        )
        assert.match(warnings[0].message, /a digit too many/)
        assert.isAbove(warnings[0].line ?? 0, 0)
      }),
      { numRuns: 30 }
    )
  }, 120_000)

  it("a new district's births growing from nothing year by year, and an age profile that falls by half: no warning", () => {
    const doc = parse(fs.readFileSync(path.join(root, examples[0]), "utf8")) as Doc
    const pop = doc.population.find((p) => p.settlement === "LS-SEAT")!
    pop.byAge = pop.byAge.map((v, a) => (a < 6 ? Math.round(v / 2) : v))
    const seat = doc.history.births.filter((b) => b.settlement === "LS-SEAT").sort((a, b) => a.year - b.year)
    seat.forEach((b, j) => {
      // nothing for six years, then a quarter, a half, three quarters and all of the base year's children aged 0
      b.births = j < seat.length - 4 ? 0 : Math.round((pop.byAge[0] * (j - seat.length + 5)) / 4)
    })
    assert.deepStrictEqual(warningsOf(stringify(doc), "edited.yaml"), [])
    // the same district with one year typed a digit too long is warned about, naming the years beside it
    seat[seat.length - 3].births = 3000
    const warnings = warningsOf(stringify(doc), "edited.yaml")
    assert.strictEqual(warnings.length, 1, JSON.stringify(warnings))
    assert.match(
      warnings[0].message,
      /^3,000 births recorded in Lanshui county seat 澜水城关 \(LS-SEAT\) in \d+, more than 5 × the years recorded beside it \(\d+: \d+, \d+: \d+\)/
    )
  })

  it("a school's seats a digit or two short: one warning at its seats, not one per grade recorded above them", () => {
    const doc = parse(fs.readFileSync(path.join(root, examples[0]), "utf8")) as Doc
    const k = doc.schools.findIndex((x) => x.id === "XI-NINE")
    doc.schools[k].seats = 15 // 1,550 typed as 15
    const warnings = warningsOf(stringify(doc), "edited.yaml")
    assert.deepStrictEqual(
      warnings.map((w) => w.path),
      [`schools[${k}].seats`]
    )
    assert.match(
      warnings[0].message,
      /^Xihe nine-year school 西河九年一贯制学校 \(XI-NINE\) has 15 seats, fewer than the pupils recorded in 27 of its 27 grade figures/
    )
  })

  it("seats for 100 and more a classroom, and seats without a classroom", () => {
    const doc = parse(fs.readFileSync(path.join(root, examples[0]), "utf8")) as Doc
    const kg = doc.schools.findIndex((x) => x.id === "SEAT-KG")
    doc.schools[kg].seats = 92_000 // 920 with two zeros too many
    const tp = doc.schools.findIndex((x) => x.id === "ZHANG-TP")
    doc.schools[tp].classrooms = 0
    const warnings = warningsOf(stringify(doc), "edited.yaml")
    const byPath = new Map(warnings.map((w) => [w.path, w.message]))
    assert.match(
      byPath.get(`schools[${kg}].seats`) ?? "",
      /has 92,000 seats in 31 classrooms, 2,968 a classroom \(more than 100\): a digit too many/
    )
    assert.match(byPath.get(`schools[${tp}].classrooms`) ?? "", /seats and no classroom: its pupils form no class/)
  })
})

describe("one plan step, as seatplan serve checks an edit", () => {
  it("a variant's school with seats for 100 and more a classroom, and an expansion adding them", () => {
    const doc = parse(fs.readFileSync(path.join(root, examples[0]), "utf8")) as Doc
    const v = doc.variants.findIndex((x) => x.events.some((e) => e.type === "open"))
    const j = doc.variants[v].events.findIndex((e) => e.type === "open")
    const opened = doc.variants[v].events[j].school as Place & { seats: number; classrooms: number }
    opened.seats = opened.classrooms * 450 // 45 a classroom, typed with a zero too many
    doc.variants[v].events.push({ type: "expand", year: 2027, school: "SEAT-KG", classrooms: 2, seats: 9_000 })
    const warnings = warningsOf(stringify(doc), "edited.yaml")
    const byPath = new Map(warnings.map((w) => [w.path, w.message]))
    assert.match(byPath.get(`variants[${v}].events[${j}].school.seats`) ?? "", /seats in \d+ classrooms, 450 a classroom \(more than 100\)/)
    assert.match(
      byPath.get(`variants[${v}].events[${doc.variants[v].events.length - 1}].seats`) ?? "",
      /^the expansion of .* \(SEAT-KG\) in 2027 adds 9,000 seats in 2 classrooms, 4,500 a classroom/
    )
  })

  it("the warnings of one step are those loading the scenario with it gives at its fields, in regions of three shapes", async () => {
    for (const r of regions) {
      const region = JSON.parse(r.text) as Doc
      const scenario = Either.getOrThrow(ScenarioLoader.fromText(r.text, "region.json")).scenario
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: region.settlements.length - 1 }),
          fc.option(fc.constantFrom(...typos.filter((t) => t.alone)), { nil: undefined }),
          fc.integer({ min: 1, max: 3 }),
          async (k, typo, scale) => {
            await yieldToVitest()
            const home = region.settlements[k]
            const school = {
              id: "EDIT-NEW",
              name: "New school 新校",
              type: "primary",
              settlement: home.id,
              lon: home.lon + 0.005,
              lat: home.lat - 0.005,
              classrooms: 12,
              seats: 12 * 45 * scale ** 3 // 45, 360 or 1,215 a classroom
            }
            if (typo !== undefined) school[typo.field] = typo.f(school[typo.field])
            const step = { type: "open", year: scenario.baseYear + 1, school }
            const mine = DataQuality.stepWarnings(scenario, [step as unknown as Scenario.PlanStep]).map(
              (w) => `${ScenarioLoader.renderPath(w.path)}: ${w.message}`
            )
            const loaded = warningsOf(JSON.stringify({ ...region, variants: [{ name: "edit", events: [step] }] }))
              .filter((w) => w.path.startsWith("variants[0].events[0]."))
              .map((w) => `${w.path.slice("variants[0].events[0].".length)}: ${w.message}`)
            // the loader cuts a message at 300 characters (…); the step's are whole
            assert.strictEqual(mine.length, loaded.length, JSON.stringify([mine, loaded]))
            mine.forEach((w, i) =>
              assert.isTrue(loaded[i].endsWith("…") ? w.startsWith(loaded[i].slice(0, -1)) : w === loaded[i], `${w}\n${loaded[i]}`)
            )
            assert.strictEqual(
              mine.some((w) => w.startsWith(`school.${typo?.field}:`)),
              typo !== undefined,
              mine.join("\n")
            )
            assert.strictEqual(
              mine.some((w) => w.startsWith("school.seats:")),
              scale > 1,
              mine.join("\n")
            )
          }
        ),
        { numRuns: 15, seed: r.seed }
      )
    }
  }, 120_000)

  it("a village a variant adds under a township and a school opened in it: each step's warnings are the loaded scenario's", async () => {
    const rendered = (ws: ReadonlyArray<DataQuality.Warning>) => ws.map((w) => `${ScenarioLoader.renderPath(w.path)}: ${w.message}`)
    for (const r of regions) {
      const region = JSON.parse(r.text) as Doc
      const townships = (region.settlements as Array<Place & { readonly tier: string }>).filter((x) => x.tier === "township")
      const scenario = Either.getOrThrow(ScenarioLoader.fromText(r.text, "region.json")).scenario
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: townships.length - 1 }),
          fc.option(fc.constantFrom(...typos), { nil: undefined }),
          fc.boolean(),
          async (k, typo, onVillage) => {
            await yieldToVitest()
            const township = townships[k]
            const village = {
              id: "EDIT-V",
              name: "New village 新村",
              tier: "village",
              lon: township.lon + 0.02,
              lat: township.lat + 0.01,
              parent: township.id
            }
            const school = {
              id: "EDIT-V-PRI",
              name: "New village primary",
              type: "primary",
              settlement: village.id,
              lon: village.lon,
              lat: village.lat,
              classrooms: 6,
              seats: 270
            }
            if (typo !== undefined) {
              const place = onVillage ? village : school
              place[typo.field] = typo.f(place[typo.field])
            }
            const steps = [
              { type: "settlement", year: scenario.baseYear + 1, settlement: village },
              { type: "open", year: scenario.baseYear + 2, school }
            ]
            // each step as the workspace checks it: with the steps before it (a later step may change whom a
            // link too long blames), against the scenario loaded with those steps
            steps.forEach((_, j) => {
              const loaded = warningsOf(JSON.stringify({ ...region, variants: [{ name: "edit", events: steps.slice(0, j + 1) }] }))
              const prefix = `variants[0].events[${j}].`
              const theirs = loaded.filter((w) => w.path.startsWith(prefix)).map((w) => `${w.path.slice(prefix.length)}: ${w.message}`)
              const mine = rendered(
                DataQuality.stepWarnings(scenario, steps.slice(0, j + 1) as unknown as ReadonlyArray<Scenario.PlanStep>)
              )
              assert.strictEqual(mine.length, theirs.length, JSON.stringify([j, mine, theirs]))
              mine.forEach((w, i) =>
                assert.isTrue(theirs[i].endsWith("…") ? w.startsWith(theirs[i].slice(0, -1)) : w === theirs[i], `${w}\n${theirs[i]}`)
              )
            })
            // a typo far out of the region is always told, at the step that typed it
            if (typo?.alone === true) {
              const j = onVillage ? 0 : 1
              const mine = rendered(
                DataQuality.stepWarnings(scenario, steps.slice(0, j + 1) as unknown as ReadonlyArray<Scenario.PlanStep>)
              )
              assert.isTrue(
                mine.some((w) => w.startsWith(`${onVillage ? "settlement" : "school"}.${typo.field}:`)),
                mine.join("\n")
              )
            }
          }
        ),
        { numRuns: 8, seed: r.seed }
      )
    }
  }, 120_000)
})

describe("names a person reads", () => {
  const refused = (edit: (doc: Doc & Record<string, unknown>) => string) => {
    const doc = parse(fs.readFileSync(path.join(root, examples[0]), "utf8")) as Doc & Record<string, unknown>
    const at = edit(doc)
    const loaded = ScenarioLoader.fromText(stringify(doc), "edited.yaml")
    assert.isTrue(Either.isLeft(loaded), at)
    const problems = Either.isLeft(loaded) ? loaded.left.problems : []
    const p = problems.find((x) => x.path === at)
    assert.isDefined(p, `${at}: ${JSON.stringify(problems.map((x) => `${x.path}: ${x.message}`))}`)
    assert.strictEqual(p!.message, "expected a name (some text, shown in the tables and the report), found an empty one")
    assert.isAbove(p!.line ?? 0, 0)
  }

  it("an empty or blank name of a settlement, a school, a school a variant opens, a group or a candidate site is refused at the field", () => {
    refused((doc) => {
      doc.settlements[3].name = ""
      return "settlements[3].name"
    })
    refused((doc) => {
      doc.schools[2].name = "   "
      return "schools[2].name"
    })
    refused((doc) => {
      const v = doc.variants.findIndex((x) => x.events.some((e) => e.type === "open"))
      const j = doc.variants[v].events.findIndex((e) => e.type === "open")
      ;(doc.variants[v].events[j].school as Place).name = ""
      return `variants[${v}].events[${j}].school.name`
    })
    refused((doc) => {
      doc.variants[0].events.push({ type: "form-group", year: 2026, group: "G1", name: " ", lead: "SEAT-PRI-1", members: ["SEAT-PRI-2"] })
      return `variants[0].events[${doc.variants[0].events.length - 1}].name`
    })
    refused((doc) => {
      doc.candidateSites = [{ id: "SITE-1", name: "", settlement: "LS-SEAT" }]
      return "candidateSites[0].name"
    })
  })
})
