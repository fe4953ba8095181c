import { assert, describe, it } from "@effect/vitest"
import { type Event, Ids, School } from "@seatplan/core"
import { Fixtures } from "@seatplan/core/testing"
import { Either, FastCheck as fc } from "effect"
import * as GP from "../src/GradeProgression.js"
import { Compile, Dimensions, Engine } from "../src/index.js"

type Rec = GP.EnrolmentRecord

/** Records of one school from a table year -> grade -> pupils. */
const table = (schoolId: string, rows: Readonly<Record<number, Readonly<Record<number, number>>>>): Array<Rec> =>
  Object.entries(rows).flatMap(([year, grades]) =>
    Object.entries(grades).map(([grade, pupils]) => ({ schoolId, year: Number(year), grade: Number(grade), pupils }))
  )

const right = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrowWith(e, (err) => new Error(JSON.stringify(err)))
const left = <A, E>(e: Either.Either<A, E>): E =>
  Either.match(e, {
    onLeft: (err) => err,
    onRight: (a) => {
      throw new Error(`expected a failure, got ${JSON.stringify(a)}`)
    }
  })

const close = (actual: number | undefined, expected: number, tolerance = 1e-12): void => {
  assert.isDefined(actual)
  assert.closeTo(actual!, expected, tolerance * Math.max(1, Math.abs(expected)))
}

/**
 * The hand-computed example: one primary school P1, grades 1-3, school years 2019-2022.
 *
 *            2019  2020  2021  2022
 *   grade 1   100   120    80   100
 *   grade 2    80    90   120    96
 *   grade 3    50    80    99   108
 *
 * Ratios into grade 2 (grade 1 the year before): 2020 90/100 = 0.9, 2021 120/120 = 1.0, 2022 96/80 = 1.2
 * Ratios into grade 3 (grade 2 the year before): 2020 80/80 = 1.0,  2021 99/90 = 1.1,   2022 108/120 = 0.9
 *
 *                              grade 2                                  grade 3
 *   mean                       3.1/3 = 1.0333…                          3.0/3 = 1
 *   geometric mean             (0.9·1.0·1.2)^(1/3) = 1.08^(1/3)         (1.0·1.1·0.9)^(1/3) = 0.99^(1/3)
 *                              = 1.025985568006018                      = 0.996655493412596
 *   median                     1.0                                      1.0
 *   last (2022)                1.2                                      0.9
 *   recency, decay 0.5         (1·1.2 + .5·1.0 + .25·0.9)/1.75          (1·0.9 + .5·1.1 + .25·1.0)/1.75
 *   (weights 2022:1,2021:.5,    = 1.925/1.75 = 1.1                       = 1.7/1.75 = 0.971428571428571
 *    2020:.25)
 *   recency, decay 0.8         (1.2 + .8·1.0 + .64·0.9)/2.44            (0.9 + .8·1.1 + .64·1.0)/2.44
 *                              = 2.576/2.44 = 1.055737704918033         = 2.42/2.44 = 0.991803278688525
 *   window 2 (2021, 2022):
 *     mean                     (1.0 + 1.2)/2 = 1.1                      (1.1 + 0.9)/2 = 1.0
 *     geometric mean           sqrt(1.2) = 1.095445115010332            sqrt(0.99) = 0.994987437106620
 *     median (even count)      (1.0 + 1.2)/2 = 1.1                      (0.9 + 1.1)/2 = 1.0
 *     last                     1.2                                      0.9
 *     recency, decay 0.5       (1.2 + .5·1.0)/1.5 = 1.133333333333333   (0.9 + .5·1.1)/1.5 = 0.966666666666667
 */
const P1 = table("P1", {
  2019: { 1: 100, 2: 80, 3: 50 },
  2020: { 1: 120, 2: 90, 3: 80 },
  2021: { 1: 80, 2: 120, 3: 99 },
  2022: { 1: 100, 2: 96, 3: 108 }
})

const ratio = (history: ReadonlyArray<Rec>, options: GP.CalibrateOptions, schoolId: string, grade: number) =>
  GP.ratioOf(right(GP.calibrate(history, options)), schoolId, grade)

describe("calibrate: the hand-computed example", () => {
  it("observes one transition per year into grades 2 and 3, none into the entry grade 1, and warns of nothing", () => {
    const c = right(GP.calibrate(P1))
    assert.deepStrictEqual(
      c.ratios.map((r) => [r.schoolId, r.grade, r.kind, r.observations, r.years]),
      [
        ["P1", 2, "progression", 3, [2020, 2021, 2022]],
        ["P1", 3, "progression", 3, [2020, 2021, 2022]]
      ]
    )
    assert.deepStrictEqual(c.warnings, [])
    assert.strictEqual(c.summary, "mean")
    assert.isUndefined(GP.ratioOf(c, "P1", 1))
    assert.isUndefined(GP.ratioOf(c, "P9", 2))
  })

  it("mean (the default)", () => {
    assert.strictEqual(ratio(P1, {}, "P1", 2), (90 / 100 + 120 / 120 + 96 / 80) / 3)
    assert.strictEqual(ratio(P1, {}, "P1", 3), (80 / 80 + 99 / 90 + 108 / 120) / 3)
    close(ratio(P1, { summary: "mean" }, "P1", 2), 31 / 30)
    close(ratio(P1, { summary: "mean" }, "P1", 3), 1)
  })

  it("geometric mean", () => {
    close(ratio(P1, { summary: "geometric-mean" }, "P1", 2), Math.cbrt((90 / 100) * (120 / 120) * (96 / 80)))
    close(ratio(P1, { summary: "geometric-mean" }, "P1", 2), 1.025985568006018)
    close(ratio(P1, { summary: "geometric-mean" }, "P1", 3), Math.cbrt(0.99))
    close(ratio(P1, { summary: "geometric-mean" }, "P1", 3), 0.996655493412596)
  })

  it("median, odd and even counts", () => {
    assert.strictEqual(ratio(P1, { summary: "median" }, "P1", 2), 1)
    assert.strictEqual(ratio(P1, { summary: "median" }, "P1", 3), 1)
    assert.strictEqual(ratio(P1, { summary: "median", window: 2 }, "P1", 2), (120 / 120 + 96 / 80) / 2)
    close(ratio(P1, { summary: "median", window: 2 }, "P1", 2), 1.1)
    assert.strictEqual(ratio(P1, { summary: "median", window: 2 }, "P1", 3), (108 / 120 + 99 / 90) / 2)
    close(ratio(P1, { summary: "median", window: 2 }, "P1", 3), 1)
  })

  it("last: the latest year's transition", () => {
    assert.strictEqual(ratio(P1, { summary: "last" }, "P1", 2), 96 / 80)
    assert.strictEqual(ratio(P1, { summary: "last" }, "P1", 3), 108 / 120)
    assert.strictEqual(ratio(P1, { summary: "last" }, "P1", 2), 1.2)
    assert.strictEqual(ratio(P1, { summary: "last" }, "P1", 3), 0.9)
  })

  it("recency-weighted with the default decay 0.5 and with 0.8", () => {
    const r = (d: number, r2020: number, r2021: number, r2022: number) =>
      (d ** 0 * r2022 + d ** 1 * r2021 + d ** 2 * r2020) / (d ** 0 + d ** 1 + d ** 2)
    const rw = { summary: "recency-weighted" } as const
    close(ratio(P1, rw, "P1", 2), r(0.5, 0.9, 1.0, 1.2))
    close(ratio(P1, rw, "P1", 2), 1.925 / 1.75)
    close(ratio(P1, rw, "P1", 2), 1.1)
    close(ratio(P1, rw, "P1", 3), 1.7 / 1.75)
    close(ratio(P1, rw, "P1", 3), 0.971428571428571)
    close(ratio(P1, { ...rw, recencyDecay: 0.8 }, "P1", 2), 2.576 / 2.44)
    close(ratio(P1, { ...rw, recencyDecay: 0.8 }, "P1", 2), 1.055737704918033)
    close(ratio(P1, { ...rw, recencyDecay: 0.8 }, "P1", 3), 2.42 / 2.44)
    close(ratio(P1, { ...rw, recencyDecay: 0.8 }, "P1", 3), 0.991803278688525)
    // decay 1 is the mean, decay 0 is the last year
    close(ratio(P1, { ...rw, recencyDecay: 1 }, "P1", 2), (0.9 + 1.0 + 1.2) / 3)
    assert.strictEqual(ratio(P1, { ...rw, recencyDecay: 0 }, "P1", 2), 1.2)
  })

  it("window: only the latest N transitions of each school and grade", () => {
    const w2 = right(GP.calibrate(P1, { window: 2 }))
    assert.deepStrictEqual(
      w2.ratios.map((r) => [r.grade, r.observations, r.years]),
      [
        [2, 2, [2021, 2022]],
        [3, 2, [2021, 2022]]
      ]
    )
    close(GP.ratioOf(w2, "P1", 2), (120 / 120 + 96 / 80) / 2)
    close(GP.ratioOf(w2, "P1", 2), 1.1)
    close(GP.ratioOf(w2, "P1", 3), 1.0)
    close(ratio(P1, { window: 2, summary: "geometric-mean" }, "P1", 2), Math.sqrt(1.2))
    close(ratio(P1, { window: 2, summary: "geometric-mean" }, "P1", 3), 0.99498743710662)
    close(ratio(P1, { window: 2, summary: "recency-weighted" }, "P1", 2), (1.2 + 0.5 * 1.0) / 1.5)
    close(ratio(P1, { window: 2, summary: "recency-weighted" }, "P1", 3), 0.966666666666667)
    assert.strictEqual(ratio(P1, { window: 1 }, "P1", 2), 1.2)
    assert.strictEqual(ratio(P1, { window: 1, summary: "geometric-mean" }, "P1", 3), 0.9)
    // a window wider than the history uses everything
    assert.strictEqual(ratio(P1, { window: 10 }, "P1", 2), ratio(P1, {}, "P1", 2))
  })
})

describe("calibrate: gaps, zeros and errors", () => {
  /**
   * School M, 2020 not recorded:
   *            2018  2019  (2020)  2021  2022
   *   grade 1    50    60            70    80
   *   grade 2    40    45            55    77
   *   grade 3    30    40            50    66
   * Grade 2: 2019 45/50 = 0.9, 2022 77/70 = 1.1 (2021 would need 2020: not bridged)
   * Grade 3: 2019 40/40 = 1.0, 2022 66/55 = 1.2
   * Recency-weighted (decay 0.5), 2019 is 3 years before 2022: (1.1 + 0.125·0.9)/1.125 = 1.2125/1.125 = 1.0777…
   */
  const M = table("M", {
    2018: { 1: 50, 2: 40, 3: 30 },
    2019: { 1: 60, 2: 45, 3: 40 },
    2021: { 1: 70, 2: 55, 3: 50 },
    2022: { 1: 80, 2: 77, 3: 66 }
  })

  it("a history with a missing year warns once, and the gap is not bridged", () => {
    const c = right(GP.calibrate([...M, ...P1]))
    const missing = c.warnings.filter((w) => w._tag === "MissingYear")
    assert.strictEqual(missing.length, 1)
    assert.strictEqual(c.warnings.length, 1)
    const [w] = missing
    assert.deepStrictEqual([w!._tag, w!.schoolId, w!.year], ["MissingYear", "M", 2020])
    assert.match(w!.message, /school M in 2020/)
    assert.deepStrictEqual(
      c.ratios.filter((r) => r.schoolId === "M").map((r) => [r.grade, r.years]),
      [
        [2, [2019, 2022]],
        [3, [2019, 2022]]
      ]
    )
    close(GP.ratioOf(c, "M", 2), (45 / 50 + 77 / 70) / 2)
    close(GP.ratioOf(c, "M", 3), (1.0 + 1.2) / 2)
    close(ratio(M, { summary: "recency-weighted" }, "M", 2), 1.2125 / 1.125)
    close(ratio(M, { summary: "recency-weighted" }, "M", 2), 1.0777777777777777)
  })

  it("a zero feeder grade is warned about and skipped: no NaN, no Infinity", () => {
    // Z: grade 1 had 0 pupils in 2019, so grade 2 in 2020 has no ratio; 2021: 12/12 = 1.
    // Z2: grade 1 always 0, so grade 2 never has a ratio.
    const history = [
      ...table("Z", { 2019: { 1: 0, 2: 10 }, 2020: { 1: 12, 2: 5 }, 2021: { 1: 15, 2: 12 } }),
      ...table("Z2", { 2019: { 1: 0, 2: 0 }, 2020: { 1: 0, 2: 0 } })
    ]
    for (const summary of GP.summaries) {
      const c = right(GP.calibrate(history, { summary }))
      assert.deepStrictEqual(
        c.warnings.map((w) => (w._tag === "ZeroFeeder" ? [w._tag, w.schoolId, w.grade, w.year] : [w._tag])),
        [
          ["ZeroFeeder", "Z", 2, 2020],
          ["ZeroFeeder", "Z2", 2, 2020]
        ]
      )
      assert.match(c.warnings[0]!.message, /no pupils in grade 1 in 2019/)
      assert.strictEqual(GP.ratioOf(c, "Z", 2), 1)
      assert.isUndefined(GP.ratioOf(c, "Z2", 2))
      for (const r of c.ratios) assert.isTrue(Number.isFinite(r.ratio))
    }
  })

  it("a grade that empties has ratio 0, also as a geometric mean", () => {
    const history = table("E", { 2019: { 1: 10, 2: 5 }, 2020: { 1: 8, 2: 0 }, 2021: { 1: 9, 2: 4 } })
    assert.strictEqual(ratio(history, { summary: "geometric-mean" }, "E", 2), 0)
    assert.strictEqual(ratio(history, { summary: "mean" }, "E", 2), (0 / 10 + 4 / 8) / 2)
  })

  it("no two consecutive years is an error naming the school(s)", () => {
    const one = left(GP.calibrate(table("X", { 2018: { 1: 10 }, 2020: { 1: 10 } })))
    assert.strictEqual(one._tag, "NoConsecutiveYears")
    assert.strictEqual(one.message, "no two consecutive years of enrolment for school X: cannot compute grade progression ratios")
    const two = left(GP.calibrate([...P1, ...table("B", { 2019: { 1: 5 } }), ...table("A", { 2017: { 2: 5 }, 2019: { 3: 5 } })]))
    assert.deepStrictEqual(two._tag === "NoConsecutiveYears" ? two.schoolIds : [], ["A", "B"])
    assert.strictEqual(two.message, "no two consecutive years of enrolment for school A, school B: cannot compute grade progression ratios")
  })

  it("bad records, bad options and an empty history are errors, not exceptions", () => {
    assert.strictEqual(left(GP.calibrate([]))._tag, "NoHistory")
    const bad = left(GP.calibrate([...P1, { schoolId: "P1", year: 2023, grade: 1, pupils: -1 }]))
    assert.strictEqual(bad._tag, "InvalidRecord")
    assert.match(bad.message, /record 12/)
    assert.strictEqual(left(GP.calibrate(P1, { window: 0 }))._tag, "InvalidOptions")
    assert.strictEqual(left(GP.calibrate(P1, { window: 1.5 }))._tag, "InvalidOptions")
    assert.strictEqual(left(GP.calibrate(P1, { recencyDecay: 1.5 }))._tag, "InvalidOptions")
  })

  it("the errors are tagged errors (Data.TaggedError: yieldable in Effect.gen, with a message), the warnings tagged values", () => {
    const none = left(GP.calibrate([]))
    assert.instanceOf(none, GP.NoHistory)
    assert.instanceOf(none, Error)
    assert.strictEqual(none.message, "no enrolment history: cannot compute grade progression ratios")
    assert.instanceOf(left(GP.calibrate(P1, { window: 0 })), GP.InvalidOptions)
    assert.instanceOf(left(GP.calibrate([...P1, { schoolId: "P1", year: 2023, grade: 1, pupils: -1 }])), GP.InvalidRecord)
    const warnings = right(GP.calibrate(P1.filter((r) => r.year !== 2021))).warnings
    assert.isAbove(warnings.length, 0)
    for (const w of warnings) {
      assert.include(["MissingYear", "ZeroFeeder"], w._tag)
      assert.isTrue(w instanceof GP.MissingYear || w instanceof GP.ZeroFeeder)
    }
  })
})

describe("calibrate: levels and transitions", () => {
  it("computes the 6 → 7 transition only at a school that teaches both grades", () => {
    const history = [
      // N, a nine-year school: grade 6 = 44/40 = 1.1 (progression), grade 7 = 55/50 = 1.1 (transition)
      ...table("N", { 2020: { 5: 40, 6: 50, 7: 60 }, 2021: { 5: 42, 6: 44, 7: 55 } }),
      // P, a primary school, and J, a junior school: no ratio into grade 7 anywhere
      ...table("P", { 2020: { 5: 40, 6: 50 }, 2021: { 5: 42, 6: 44 } }),
      ...table("J", { 2020: { 7: 60, 8: 58 }, 2021: { 7: 70, 8: 57 } })
    ]
    const c = right(GP.calibrate(history))
    assert.deepStrictEqual(
      c.ratios.map((r) => [r.schoolId, r.grade, r.kind]),
      [
        ["J", 8, "progression"],
        ["N", 6, "progression"],
        ["N", 7, "transition"],
        ["P", 6, "progression"]
      ]
    )
    close(GP.ratioOf(c, "N", 7), 1.1)
    close(GP.ratioOf(c, "J", 8), 57 / 60)
    assert.isUndefined(GP.ratioOf(c, "J", 7))
  })

  it("knows the entry grades of the levels", () => {
    assert.deepStrictEqual([-2, -1, 0, 1, 6, 7, 9, 10, 12].map(GP.isEntryGrade), [
      true,
      false,
      false,
      true,
      false,
      true,
      false,
      true,
      false
    ])
  })
})

// ---- properties ------------------------------------------------------------------------------------------------

interface Generated {
  readonly grades: ReadonlyArray<number>
  readonly ratios: ReadonlyMap<number, number>
  readonly firstYear: number
  /** years[t] = grade -> pupils */
  readonly years: ReadonlyArray<ReadonlyMap<number, number>>
}

/** A one-level school whose grades progress with constant ratios; every count is positive. */
const constantRatioHistory = (minYears: number) =>
  fc
    .record({
      level: fc.constantFrom(...School.levels),
      ratios: fc.array(fc.integer({ min: 500, max: 1500 }), { minLength: 5, maxLength: 5 }),
      first: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 6, maxLength: 6 }),
      entries: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: minYears - 1, maxLength: 12 }),
      firstYear: fc.integer({ min: 1990, max: 2040 })
    })
    .map(({ entries, first, firstYear, level, ratios }): Generated => {
      const [lo, hi] = School.gradeRange(level)
      const grades = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)
      const r = new Map(grades.slice(1).map((g, i) => [g, ratios[i]! / 1000]))
      const years: Array<Map<number, number>> = [new Map(grades.map((g, i) => [g, first[i]!]))]
      for (const n of entries) {
        const prev = years[years.length - 1]!
        years.push(new Map(grades.map((g) => [g, g === lo ? n : prev.get(g - 1)! * r.get(g)!])))
      }
      return { grades, ratios: r, firstYear, years }
    })

const toHistory = (g: Generated, schoolId: string, upTo = g.years.length): Array<Rec> =>
  g.years.slice(0, upTo).flatMap((m, t) => [...m].map(([grade, pupils]) => ({ schoolId, year: g.firstYear + t, grade, pupils })))

const relClose = (actual: number | undefined, expected: number): boolean =>
  actual !== undefined && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected))

describe("properties", () => {
  it.prop(
    "with constant ratios, every summary and window recovers each ratio",
    [constantRatioHistory(2), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 6 })],
    ([g, recencyDecay, window]) => {
      const history = toHistory(g, "S")
      for (const summary of GP.summaries) {
        for (const options of [
          { summary, recencyDecay },
          { summary, recencyDecay, window }
        ]) {
          const c = right(GP.calibrate(history, options))
          assert.deepStrictEqual(c.warnings, [])
          assert.deepStrictEqual(
            c.ratios.map((r) => r.grade),
            [...g.ratios.keys()]
          )
          for (const r of c.ratios) {
            assert.isTrue(relClose(r.ratio, g.ratios.get(r.grade)!), `${summary} grade ${r.grade}: ${r.ratio}`)
            assert.strictEqual(r.observations, Math.min(g.years.length - 1, options.window ?? Infinity))
          }
        }
      }
    }
  )

  const messy = fc.array(
    fc.record({
      schoolId: fc.constantFrom("a", "b", "c"),
      year: fc.integer({ min: 2015, max: 2022 }),
      grade: fc.integer({ min: -2, max: 12 }),
      pupils: fc.integer({ min: 0, max: 3 })
    }),
    { minLength: 1, maxLength: 80 }
  )

  it.prop(
    "any history gives finite ratios, one MissingYear per school and gap, or names the schools it cannot use",
    [messy, fc.constantFrom(...GP.summaries)],
    ([history, summary]) => {
      const result = GP.calibrate(history, { summary })
      if (Either.isLeft(result)) {
        const error = result.left
        assert.strictEqual(error._tag, "NoConsecutiveYears")
        for (const id of error._tag === "NoConsecutiveYears" ? error.schoolIds : []) {
          const years = new Set(history.filter((r) => r.schoolId === id).map((r) => r.year))
          assert.isFalse([...years].some((y) => years.has(y - 1)))
          assert.include(error.message, `school ${id}`)
        }
        return
      }
      const c = result.right
      for (const r of c.ratios) assert.isTrue(Number.isFinite(r.ratio) && r.ratio >= 0)
      for (const id of new Set(history.map((r) => r.schoolId))) {
        const years = new Set(history.filter((r) => r.schoolId === id).map((r) => r.year))
        const lo = Math.min(...years)
        const hi = Math.max(...years)
        const gaps = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).filter((y) => !years.has(y))
        assert.deepStrictEqual(
          c.warnings.flatMap((w) => (w._tag === "MissingYear" && w.schoolId === id ? [w.year] : [])),
          gaps
        )
      }
    }
  )
})

describe("projection: the engine's grade-progression method (the one public path)", () => {
  // The hand-computed example run through Compile + Engine: base year 2022 as recorded, then grade g next
  // year is grade g − 1 this year times P1's calibrated ratio, exactly (entry grade 1 comes from the population model).
  const T = Ids.settlementId("T")
  const events = (history: ReadonlyArray<Rec>, level: School.Level, baseYear: number): ReadonlyArray<Event.Event> => [
    { _tag: "SettlementRecorded", year: Ids.schoolYear(baseYear), settlement: { id: T, name: "T", tier: "township", lon: 113, lat: 34 } },
    {
      _tag: "SchoolOpened",
      year: Ids.schoolYear(baseYear),
      school: {
        id: Ids.schoolId(history[0]!.schoolId),
        name: "school",
        type: level,
        settlementId: T,
        lon: 113,
        lat: 34,
        ownership: "public",
        facilities: Fixtures.facilities({ classrooms: 200, seats: 100_000 }),
        teachers: School.noTeachers
      }
    },
    { _tag: "CatchmentAssigned", year: Ids.schoolYear(baseYear), level, settlementId: T, schoolId: Ids.schoolId(history[0]!.schoolId) },
    { _tag: "PopulationRecorded", year: Ids.schoolYear(baseYear), settlementId: T, byAge: Array.from({ length: 19 }, () => 100) },
    ...history.map(
      (r): Event.Event => ({
        _tag: "EnrolmentRecorded",
        year: Ids.schoolYear(r.year),
        schoolId: Ids.schoolId(r.schoolId),
        grade: r.grade,
        pupils: r.pupils
      })
    )
  ]

  /** The engine's pupils of the one school by year index and grade. */
  const projected = (history: ReadonlyArray<Rec>, level: School.Level, baseYear: number, options: GP.CalibrateOptions, horizon: number) => {
    const m = Compile.compile(events(history, level, baseYear), { horizon, method: { kind: "grade-progression", ...options } })
    const years: Array<(grade: number) => number> = []
    Engine.run(m, {
      population: false,
      onYear: () => {
        const enrolled = m.enrolled.slice(0, Dimensions.grades)
        years.push((grade) => enrolled[grade + 2]!)
      }
    })
    return years
  }

  it("with the mean ratios: the base year as recorded, then exactly the products (no rounding)", () => {
    const c = right(GP.calibrate(P1))
    const r2 = GP.ratioOf(c, "P1", 2)!
    const r3 = GP.ratioOf(c, "P1", 3)!
    const years = projected(P1, "primary", 2022, {}, 3)
    assert.deepStrictEqual([1, 2, 3].map(years[0]!), [100, 96, 108])
    assert.strictEqual(years[1]!(2), 100 * r2)
    assert.strictEqual(years[1]!(3), 96 * r3)
    assert.strictEqual(years[2]!(3), 100 * r2 * r3)
    assert.strictEqual(years[3]!(3), years[1]!(1) * r2 * r3)
    close(years[1]!(2), 103.33333333333333)
  })

  it("with the last ratios (grade 2: 1.2, grade 3: 0.9)", () => {
    const years = projected(P1, "primary", 2022, { summary: "last" }, 2)
    close(years[1]!(2), 120)
    close(years[1]!(3), 86.4)
    close(years[2]!(3), 108)
  })

  it.prop(
    "one year ahead, calibrated ratios reproduce the constant-ratio history in every grade the school's own pupils feed",
    [constantRatioHistory(3), fc.constantFrom(...GP.summaries), fc.integer({ min: 2, max: 12 })],
    ([g, summary, split]) => {
      const calibrated = Math.min(split, g.years.length - 1)
      const level = School.levels.find((l) => School.gradeRange(l)[0] === g.grades[0])!
      const base = g.firstYear + calibrated - 1
      const years = projected(toHistory(g, "S", calibrated), level, base, { summary }, 1)
      for (const grade of g.grades.slice(1)) {
        const expected = g.years[calibrated]!.get(grade)!
        assert.isTrue(relClose(years[1]!(grade), expected), `grade ${grade}: ${years[1]!(grade)} ≠ ${expected}`)
      }
    }
  )
})
