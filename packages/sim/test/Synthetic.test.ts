import { assert, describe, it } from "@effect/vitest"
import { type Command, Decider, Event, type Geography, School, World } from "@seatplan/core"
import { Either, Schema } from "effect"
import * as Synthetic from "../src/Synthetic.js"

const small = (seed: number) => Either.getOrThrow(Synthetic.generate({ seed, settlements: 40 }))

const json = (region: Synthetic.Region) => JSON.stringify(region.events)

/** Great-circle distance in km. */
const km = (a: { readonly lon: number; readonly lat: number }, b: { readonly lon: number; readonly lat: number }) => {
  const rad = Math.PI / 180
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2
  return 2 * 6371 * Math.asin(Math.sqrt(h))
}

/** The command that records an event of the kinds the generator emits. */
const commandOf = (event: Event.Event, n: number): Command.Command => {
  const meta = { id: `synthetic/${n}`, at: `${event.year + 1}-01-15T08:00:00.000Z` }
  switch (event._tag) {
    case "SettlementRecorded":
      return { ...event, ...meta, _tag: "RecordSettlement" }
    case "PopulationRecorded":
      return { ...event, ...meta, _tag: "RecordPopulation" }
    case "BirthsRecorded":
      return { ...event, ...meta, _tag: "RecordBirths" }
    case "SchoolOpened":
      return { ...event, ...meta, _tag: "OpenSchool" }
    case "CatchmentAssigned":
      return { ...event, ...meta, _tag: "AssignCatchment" }
    case "EnrolmentRecorded":
      return { ...event, ...meta, _tag: "RecordEnrolment" }
    default:
      throw new Error(`the generator does not emit ${event._tag}`)
  }
}

/** Folds a region and checks the invariants every generated region must hold; returns the world. */
const checkRegion = (region: Synthetic.Region, historyYears = 10): World.World => {
  const { baseYear, events } = region
  assert.strictEqual(World.chronological(events), events, "events are in chronological order")
  const world = World.fold(events)
  assert.strictEqual(world.ignored, 0)
  assert.strictEqual(world.events, events.length)
  assert.strictEqual(world.settlements.size, region.settlements)
  assert.strictEqual(world.schools.size, region.schools)

  const assigned = events.filter((e) => e._tag === "CatchmentAssigned").length
  assert.strictEqual(assigned, region.settlements * School.levels.length, "one catchment per settlement and level")
  for (const level of School.levels) {
    const zone = world.catchments.get(level)!
    assert.strictEqual(zone.size, region.settlements, `every settlement is zoned for ${level}`)
    for (const id of world.settlements.keys()) {
      const school = world.schools.get(zone.get(id)!)
      assert.isDefined(school, `${id} is zoned to an existing ${level} school`)
      assert.strictEqual(school!.status, "open")
      assert.isTrue(School.teaches(school!.type, level), `${school!.id} (${school!.type}) teaches ${level}`)
    }
  }

  for (const s of world.schools.values()) {
    const { classroomsByGrade: _, ...facilities } = s.facilities
    for (const [field, value] of Object.entries(facilities)) {
      assert.isTrue(Number.isFinite(value) && value >= 0, `${s.id} ${field} = ${value}`)
    }
    assert.isTrue(s.facilities.classrooms > 0 && s.facilities.seats > 0, `${s.id} has classrooms and seats`)
    const teachers = School.teacherCount(s.teachers)
    assert.isTrue(teachers > 0, `${s.id} has teachers`)
    for (const n of Object.values(s.teachers.byAge)) assert.isTrue(Number.isInteger(n) && n >= 0)
    for (const k of ["aboveDegree", "backbone", "peArts", "mentalHealth"] as const) {
      assert.isTrue(s.teachers[k] >= 0 && s.teachers[k] <= teachers, `${s.id} ${k}`)
    }
    for (let year = baseYear - 2; year <= baseYear; year++) {
      for (const level of School.levelsOf(s.type)) {
        const [first, last] = School.gradeRange(level)
        for (let grade = first; grade <= last; grade++) {
          const record = world.enrolment.get(World.enrolmentKey(s.id, year, grade))
          assert.isDefined(record, `enrolment of ${s.id} grade ${grade} in ${year}`)
        }
      }
    }
  }

  let primaryAged = 0
  for (const id of world.settlements.keys()) {
    const population = world.population.get(id)
    assert.isDefined(population, `population of ${id}`)
    assert.strictEqual(population!.year, baseYear)
    assert.strictEqual(population!.byAge.length, 19)
    for (let age = 6; age <= 11; age++) primaryAged += population!.byAge[age]
    for (let year = baseYear - historyYears + 1; year <= baseYear; year++) {
      assert.isDefined(world.births.get(World.birthsKey(id, year)), `births of ${id} in ${year}`)
    }
  }
  let primaryPupils = 0
  for (const e of world.enrolment.values()) {
    if (e.year === baseYear && e.grade >= 1 && e.grade <= 6) primaryPupils += e.pupils
  }
  assert.strictEqual(primaryPupils, primaryAged, "every primary-aged child is enrolled in its catchment school")
  return world
}

describe("Synthetic", () => {
  it("is deterministic: the same seed gives the same events, another seed another region", () => {
    assert.strictEqual(json(small(7)), json(small(7)))
    assert.notStrictEqual(json(small(7)), json(small(8)))
    assert.strictEqual(json(Synthetic.county(3)), json(Synthetic.county(3)))
    assert.notStrictEqual(json(Synthetic.county(3)), json(Synthetic.county(4)))
  })

  it("emits valid core events", () => {
    const validate = Schema.validateSync(Event.Event)
    for (const region of [small(1), Synthetic.county(1)]) {
      for (const event of region.events) validate(event)
    }
  })

  it("a small region folds with every event accepted and the invariants held", () => {
    const region = small(1)
    assert.strictEqual(region.settlements, 40)
    assert.strictEqual(region.schools, 15)
    checkRegion(region)
  })

  it("a small region replays through the decider event by event", () => {
    const region = small(2)
    let world = World.initial
    region.events.forEach((event, n) => {
      const decided = Decider.decide(commandOf(event, n), world)
      if (Either.isLeft(decided)) assert.fail(`event ${n} (${event._tag}) refused: ${decided.left.message}`)
      assert.deepStrictEqual(decided.right, [event])
      world = World.evolve(world, event)
    })
    assert.strictEqual(world.ignored, 0)
  })

  it("a county: about 400 settlements and 150 schools, every event accepted", () => {
    const region = Synthetic.county(1)
    assert.strictEqual(region.baseYear, 2024)
    assert.strictEqual(region.settlements, 400)
    assert.strictEqual(region.schools, 150)
    const world = checkRegion(region)
    const tiers = [...world.settlements.values()].map((s) => s.tier)
    assert.isTrue(tiers.filter((t) => t === "township").length >= 10)
    assert.isTrue(tiers.filter((t) => t === "village").length >= 350)
    const types = new Set([...world.schools.values()].map((s) => s.type))
    for (const type of ["kindergarten", "primary", "teaching-point", "junior", "senior"] as const) {
      assert.isTrue(types.has(type), `has a ${type}`)
    }
  })

  it("many counties: settlements exact, schools near the target, every event accepted", () => {
    const region = Either.getOrThrow(Synthetic.generate({ seed: 5, counties: 12, settlements: 3000, schools: 900, historyYears: 4 }))
    assert.strictEqual(region.settlements, 3000)
    assert.isTrue(Math.abs(region.schools - 900) <= 45, `${region.schools} schools`)
    const world = checkRegion(region, 4)
    const seats = [...world.settlements.values()].filter((s) => s.parent === undefined)
    assert.deepStrictEqual(
      seats.map((s) => s.name),
      Array.from({ length: 12 }, (_, c) => `County ${c + 1} seat`)
    )
  })

  it("places villages 3-8 km from their township and townships 10-25 km from their county seat", () => {
    const world = World.fold(Synthetic.county(2).events)
    for (const s of world.settlements.values()) {
      assert.match(s.id, /^C1-(SEAT(-D\d+)?|T\d+(-V\d+)?)$/)
      if (s.parent === undefined) continue
      const d = km(s, world.settlements.get(s.parent)!)
      if (s.tier === "village") assert.isTrue(d >= 2.9 && d <= 8.1, `${s.id} is ${d.toFixed(1)} km from its township`)
      if (s.tier === "township") assert.isTrue(d >= 9 && d <= 31, `${s.id} is ${d.toFixed(1)} km from the seat`)
    }
    for (const school of world.schools.values()) {
      const d = km(school, world.settlements.get(school.settlementId)!)
      assert.isTrue(d < 1, `${school.id} stands in its settlement`)
    }
  })

  it("city crowded, villages empty (城挤、乡弱、村空), births falling along the national series", () => {
    const region = Synthetic.county(1)
    const world = World.fold(region.events)
    const schools = [...world.schools.values()]
    const load = (s: School.SchoolState) => World.pupilsOf(world, s.id) / s.facilities.seats
    const tier = (s: School.SchoolState) => world.settlements.get(s.settlementId)!.tier
    assert.isTrue(
      schools.some((s) => tier(s) === "county-seat" && load(s) > 1.1),
      "an overcrowded seat school"
    )
    assert.isTrue(
      schools.some((s) => tier(s) === "village" && load(s) < 0.45),
      "a nearly empty village school"
    )
    const births = (year: number) => [...world.births.values()].filter((b) => b.year === year).reduce((n, b) => n + b.births, 0)
    const ratio = births(2016) / births(2023)
    assert.isTrue(ratio > 1.6 && ratio < 2.4, `births 2016 / 2023 = ${ratio.toFixed(2)} (national 1.98)`)
    const settlements = [...world.settlements.values()]
    const mean = (tier: Geography.Tier, age: number) => {
      const rows = settlements.filter((s) => s.tier === tier)
      return rows.reduce((n, s) => n + world.population.get(s.id)!.byAge[age], 0) / rows.length
    }
    assert.isTrue(mean("county-seat", 10) > 100 && mean("village", 10) < 40)
  })

  it("a province: 100,000 settlements and 20,000 schools", () => {
    const region = Synthetic.province(1)
    assert.strictEqual(region.settlements, 100_000)
    assert.strictEqual(region.schools, 20_000)
  })

  it("refuses invalid options with a tagged InvalidOptions naming the option, never a throw", () => {
    const refused = (options: Synthetic.Options) => {
      const r = Synthetic.generate(options)
      if (Either.isRight(r)) return assert.fail(`expected InvalidOptions for ${JSON.stringify(options)}`)
      assert.instanceOf(r.left, Synthetic.InvalidOptions)
      assert.strictEqual(r.left._tag, "InvalidOptions")
      return r.left
    }
    assert.deepStrictEqual(
      [
        refused({ seed: 1, settlements: 0 }),
        refused({ seed: 1, settlements: 10, counties: 0 }),
        refused({ seed: 1, settlements: 10, baseYear: 1950 }),
        refused({ seed: Number.NaN, settlements: 10 })
      ].map((e) => e.option),
      ["settlements", "counties", "baseYear", "seed"]
    )
    assert.strictEqual(refused({ seed: 1, settlements: 0 }).message, "settlements must be a whole number from 1 to 9007199254740991, got 0")
  })
})
