/**
 * One evolve (issue 12): the timeline applies events through `World.evolve`, so replaying an event log
 * through the engine's timeline (the model's arrays) and through `World.fold` gives the same schools
 * (open, levels taught, facilities, teachers), catchments and standards, for decided histories and for
 * logs that never went through `decide` (unknown ids, closures into closed schools, …).
 */
import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids, School, Standards, World } from "@seatplan/core"
import { Arbitraries } from "@seatplan/core/testing"
import { FastCheck as fc } from "effect"
import { Assumptions, Compile, Dimensions, Engine, Timeline } from "../src/index.js"

const base = 2020
const horizon = 12
const census: Event.Event = {
  _tag: "PopulationRecorded",
  year: Ids.schoolYear(base),
  settlementId: Arbitraries.settlementIds[0],
  byAge: Array.from({ length: 19 }, () => 10)
}

/** The model after every event of the log, applied by the timeline year by year (no population, no allocation). */
const replayed = (log: ReadonlyArray<Event.Event>) => {
  const m = Compile.compile([census, ...log], { baseYear: base, horizon })
  for (let y = 1; y <= m.horizon; y++) Timeline.applyDue(m, y)
  return m
}

/** Where the model's state differs from the world's, one line per difference. */
const differences = (m: Compile.Model, world: World.World): ReadonlyArray<string> => {
  const out: Array<string> = []
  const same = (what: string, found: number, expected: number) => {
    if (!Object.is(found, expected)) out.push(`${what}: timeline ${found}, World ${expected}`)
  }
  m.schoolIds.forEach((id, k) => {
    const w = world.schools.get(id)
    const taught = Dimensions.levelNames.map((_, l) => m.teaches[k * Dimensions.levels + l])
    if (w === undefined) {
      same(`${id} exists`, taught.some((t) => t === 1) ? 1 : 0, 0)
      return
    }
    same(`${id} open`, m.open[k], w.status === "open" ? 1 : 0)
    Dimensions.levelNames.forEach((level, l) => same(`${id} teaches ${level}`, taught[l], School.levelsOf(w.type).includes(level) ? 1 : 0))
    same(`${id} classrooms`, m.classrooms[k], w.facilities.classrooms)
    same(`${id} seats`, m.seats[k], w.facilities.seats)
    same(`${id} beds`, m.beds[k], w.facilities.boardingBeds ?? 0)
    School.ageBands.forEach((band, b) => same(`${id} teachers ${band}`, m.teachers[k * Dimensions.bands + b], w.teachers.byAge[band]))
    same(`${id} above degree`, m.aboveDegree[k], w.teachers.aboveDegree)
    same(`${id} backbone`, m.backbone[k], w.teachers.backbone)
    same(`${id} PE and arts`, m.peArts[k], w.teachers.peArts)
    same(`${id} mental health`, m.mentalHealth[k], w.teachers.mentalHealth)
  })
  Dimensions.levelNames.forEach((level, l) =>
    m.settlementIds.forEach((sid, s) => {
      const zoned = world.catchments.get(level)?.get(sid)
      same(`catchment ${level} ${sid}`, m.catchment[l * m.settlements + s], zoned === undefined ? -1 : m.schoolIndex.get(zoned)!)
    })
  )
  Standards.keys.forEach((key, i) => same(`standard ${key}`, m.standards[i], world.standards[key]))
  return out
}

const check = (log: ReadonlyArray<Event.Event>) => {
  const diff = differences(replayed(log), World.fold(World.chronological([census, ...log])))
  assert.deepStrictEqual(diff, [])
}

describe("the timeline and World apply events through one evolve", () => {
  it("a decided history replays to the same state through the timeline and through World.fold", () => {
    fc.assert(fc.property(Arbitraries.validHistory(40), check), { numRuns: 150 })
  })

  it("so does any log, valid or not (events naming unknown or closed schools change nothing in either)", () => {
    const log = fc
      .tuple(Arbitraries.openedSchools, fc.array(Arbitraries.anyEvent, { minLength: 1, maxLength: 40 }))
      .map(([opened, events]): ReadonlyArray<Event.Event> => [...Arbitraries.regionEvents, ...opened, ...events])
    fc.assert(fc.property(log, check), { numRuns: 150 })
  })
})

/** Every typed array, number and housing arrival of two models that differ, by name. */
const unlike = (a: Compile.Model, b: Compile.Model): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const [key, x] of Object.entries(a)) {
    const y = (b as unknown as Record<string, unknown>)[key]
    if (ArrayBuffer.isView(x) && ArrayBuffer.isView(y)) {
      const p = x as Float64Array
      const q = y as Float64Array
      for (let i = 0; i < p.length; i++) if (!Object.is(p[i], q[i])) out.push(`${key}[${i}]: ${p[i]} against ${q[i]}`)
    } else if (typeof x === "number" && !Object.is(x, y)) out.push(`${key}: ${x} against ${String(y)}`)
  }
  if (JSON.stringify(a.housingArrivals) !== JSON.stringify(b.housingArrivals)) out.push("housing arrivals")
  return out
}

/**
 * A plan applied once (`Timeline.plan`) and then in runs with other assumptions and their own teachers
 * (a sweep's futures) leaves every array as applying the timeline's events in that run: after every year,
 * with the run's teachers changed between years (as ageing and attrition change them) and its unit costs
 * and housing yields its own.
 */
const planned = (log: ReadonlyArray<Event.Event>, keep: number, costs: number) => {
  const compiled = Compile.compile([census, ...log], { baseYear: base, horizon })
  const plan = Engine.plan(compiled)
  const a = Assumptions.defaults
  const assumptions = {
    ...compiled.assumptions,
    capitalPerSeat: a.capitalPerSeat * costs,
    capitalPerBed: a.capitalPerBed * costs,
    housingYield: { ...a.housingYield, primary: a.housingYield.primary * costs }
  }
  const direct = { ...Compile.fresh(compiled), assumptions }
  const run = { ...Compile.fresh(compiled), assumptions }
  for (let y = 1; y <= horizon; y++) {
    Timeline.applyDue(direct, y)
    Timeline.applyPlanned(run, plan, y)
    assert.deepStrictEqual(unlike(direct, run), [], `year ${y}`)
    for (const m of [direct, run]) {
      for (const t of [m.teachers, m.aboveDegree, m.backbone, m.peArts, m.mentalHealth]) for (let i = 0; i < t.length; i++) t[i] *= keep
    }
  }
}

describe("a plan applied once leaves each run as its own timeline would", () => {
  const factors = fc.tuple(fc.double({ min: 0.5, max: 1.5, noNaN: true }), fc.double({ min: 0.5, max: 2, noNaN: true }))
  it("for decided histories", () => {
    fc.assert(
      fc.property(Arbitraries.validHistory(40), factors, (log, [keep, costs]) => planned(log, keep, costs)),
      { numRuns: 100 }
    )
  })

  it("for any log, valid or not", () => {
    const log = fc
      .tuple(Arbitraries.openedSchools, fc.array(Arbitraries.anyEvent, { minLength: 1, maxLength: 40 }))
      .map(([opened, events]): ReadonlyArray<Event.Event> => [...Arbitraries.regionEvents, ...opened, ...events])
    fc.assert(
      fc.property(log, factors, (l, [keep, costs]) => planned(l, keep, costs)),
      { numRuns: 100 }
    )
  })
})
