/** Issue 13 item 9: whole numbers for people, rounded so that the parts add up to their totals. */
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { Columns, Compile, Engine, Tables, Whole } from "../src/index.js"
import { tiny } from "./fixtures.js"

/** A run of the tiny example's stream, its schools', county's and catchments' rows made whole as the CSV writes them. */
const wholeRun = (stream: "baseline" | "plan/township", horizon: number) => {
  const m = Compile.compile(tiny(stream), { horizon })
  const cube = Engine.run(m)
  const group = (r: { variant: string; year: number; level: string }) => `${r.variant}|${r.year}|${r.level}`
  const schools = Tables.schools(m, cube, "v")
  return {
    schools: Whole.table("schools", schools, group),
    // the county's pupils over seats, idle seats and boarders without beds: its schools' whole ones (as run writes county.csv)
    county: Whole.table("county", Tables.county(m, cube, "v"), group, Whole.schoolSums(schools)),
    catchments: Whole.table("catchments", Tables.catchments(m, cube, "v"), group)
  }
}

describe("largest-remainder rounding", () => {
  it("gives whole numbers within 1 of each value that add up to the rounded sum (or the total asked for)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 60 }),
        fc.integer({ min: -3, max: 3 }),
        (values, shift) => {
          const rounded = Whole.largestRemainder(values)
          expect(rounded.every(Number.isInteger)).toBe(true)
          expect(rounded.reduce((a, b) => a + b, 0) + 0).toBe(Math.round(values.reduce((a, b) => a + b, 0)) + 0)
          rounded.forEach((r, i) => expect(Math.abs(r - values[i])).toBeLessThan(1 + 1e-9))
          if (values.length > 0) {
            const total = Math.round(values.reduce((a, b) => a + b, 0)) + shift
            expect(Whole.largestRemainder(values, total).reduce((a, b) => a + b, 0) + 0).toBe(total + 0)
          }
        }
      )
    )
  })

  it("gives, to the bit, what going round the values sorted by remainder (largest first, ties the earlier) gives", () => {
    // the order by a comparator, as the rounding was first written
    const byOrder = (values: ReadonlyArray<number>, total?: number): Array<number> => {
      const n = values.length
      if (n === 0) return []
      const floors = values.map((v) => Math.floor(v))
      let left = (total ?? Math.round(values.reduce((a, b) => a + b, 0))) - floors.reduce((a, b) => a + b, 0) + 0
      if (left === 0) return floors
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[b] - floors[b] - (values[a] - floors[a]) || a - b)
      const out = [...floors]
      for (let j = 0; left > 0; j = (j + 1) % n, left--) out[order[j]]++
      for (let j = n - 1; left < 0; j = (j - 1 + n) % n, left++) out[order[j]]--
      return out
    }
    // few distinct remainders (many ties), signed zeros, and totals far from the sum (units going round more than once)
    const value = fc.oneof(
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.integer({ min: -20, max: 20 }).map((i) => i / 4),
      fc.constantFrom(0, -0, 0.5, 1e-300, 2.9999999999999996)
    )
    fc.assert(
      fc.property(fc.array(value, { maxLength: 80 }), fc.option(fc.integer({ min: -300, max: 300 })), (values, shift) => {
        const total = shift === null ? undefined : Math.round(values.reduce((a, b) => a + b, 0)) + shift
        const mine = Whole.largestRemainder(values, total)
        const theirs = byOrder(values, total)
        expect(mine.length).toBe(theirs.length)
        mine.forEach((v, i) => expect(Object.is(v, theirs[i]), `${i}: ${v} vs ${theirs[i]}`).toBe(true))
        // in place, as the population writer calls it: the values amid others, into a used array
        const amid = Float64Array.from([7.5, ...values, -3.25])
        const into = new Float64Array(values.length + 2).fill(0.5)
        Whole.largestRemainderInto(amid, 1, values.length, into, total)
        theirs.forEach((v, i) => expect(Object.is(into[i], v), `in place ${i}: ${into[i]} vs ${v}`).toBe(true))
      }),
      { numRuns: 2000 }
    )
  })

  it("cumulative rounding (a settlement's ages): adds up to the rounded sum, each within 1, and so is every run of consecutive values", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 1, maxLength: 19 }), (values) => {
        const whole = Whole.cumulative(values)
        const exact = values.reduce((n, v) => n + v, 0)
        expect(whole.reduce((n, v) => n + v, 0)).toBe(Math.round(exact))
        for (let i = 0; i < values.length; i++) {
          expect(Number.isInteger(whole[i]) && whole[i] >= 0).toBe(true)
          let runWhole = 0
          let runExact = 0
          for (let j = i; j < values.length; j++) {
            runWhole += whole[j]
            runExact += values[j]
            expect(Math.abs(runWhole - runExact)).toBeLessThanOrEqual(1 + 1e-6 * Math.max(1, runExact))
          }
        }
      })
    )
    // a village's ages as the county example projects them (to the thousandth): by largest remainder its primary
    // ages (6-11) add up to 41 for 42.03 exact, more than 1 off, and villages of one profile are off alike (a
    // county's primary-age children read 290 short); along the ages they add up to 42
    const village = [
      4.778, 4.752, 4.775, 4.776, 4.776, 6.686, 5.732, 7.642, 8.598, 7.642, 5.732, 6.687, 6.687, 5.732, 4.777, 4.874, 4.874, 3.899, 3.999
    ]
    const primary = (w: ReadonlyArray<number>) => w.slice(6, 12).reduce((n, v) => n + v, 0)
    expect(primary(Whole.largestRemainder(village))).toBe(41)
    expect(primary(Whole.cumulative(village))).toBe(42)
    expect(primary(village)).toBeCloseTo(42.033, 3)
  })

  it("the example the issue saw: three schools of 1,727.778 seats add up to 5,183 not 5,184", () => {
    expect(Whole.largestRemainder([1727.778, 1727.778, 1727.777])).toEqual([1728, 1728, 1727])
  })

  it("makes a level's schools add up to the county's whole figure in every counted column", () => {
    const { schools, county } = wholeRun("plan/township", 6)
    const summed = Columns.of("county").filter((c) => Columns.counted(c) && c.county === "sum")
    expect(summed.map((c) => c.id)).toContain("pupils")
    for (const c of county) {
      const mine = schools.filter((s) => s.year === c.year && s.level === c.level)
      for (const col of summed) {
        const total = mine.reduce((n, s) => n + (s as unknown as Record<string, number>)[col.id], 0)
        expect(total, `${c.year} ${c.level} ${col.id}`).toBe((c as unknown as Record<string, number>)[col.id])
        expect(Number.isInteger(total)).toBe(true)
      }
    }
  })

  it("a regret (pupil-years, yuan) is the difference of the whole figures printed beside it, not that difference rounded on its own", () => {
    // the sweep's regret rows (Robustness.regret): each variant's pupil-years over seats less the least of its future
    const row = fc.record({ over: fc.double({ min: 0, max: 1e6, noNaN: true }), cost: fc.double({ min: 0, max: 1e9, noNaN: true }) })
    fc.assert(
      fc.property(fc.array(fc.array(row, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (futures) => {
        const rows = futures.flatMap((variants, f) => {
          const least = Math.min(...variants.map((v) => v.over))
          const cheapest = Math.min(...variants.map((v) => v.cost))
          return variants.map((v, i) => ({
            future: f,
            future_name: `f${f}`,
            variant: `v${i}`,
            horizon_cost: v.cost,
            pupil_years_over_seats: v.over,
            cost_regret: v.cost - cheapest,
            pupils_regret: v.over - least
          }))
        })
        const whole = Whole.table("regret", rows, (r) => `${r.future}|${r.variant}`)
        for (const r of whole) {
          const same = whole.filter((o) => o.future === r.future)
          const least = Math.min(...same.map((o) => o.pupil_years_over_seats))
          const cheapest = Math.min(...same.map((o) => o.horizon_cost))
          for (const v of [r.pupils_regret, r.cost_regret, r.horizon_cost]) expect(Number.isInteger(v)).toBe(true)
          expect(r.pupils_regret).toBe(r.pupil_years_over_seats - least)
          expect(r.cost_regret).toBe(r.horizon_cost - cheapest)
          expect(r.pupils_regret).toBeGreaterThanOrEqual(0)
        }
      })
    )
    // the example seen in a county sweep: 8,087.55 and 7,904.15 pupil-years printed 8,088 and 7,904, the regret 183
    const seen = Whole.table(
      "regret",
      [
        { future: 0, variant: "layout", pupil_years_over_seats: 8087.553, pupils_regret: 183.406 },
        { future: 0, variant: "phased", pupil_years_over_seats: 7904.147, pupils_regret: 0 }
      ],
      (r) => `${r.future}|${r.variant}`
    )
    expect(seen.map((r) => r.pupils_regret)).toEqual([184, 0])
  })

  it("shows yuan whole too, a level's schools still adding up to the county's whole figure", () => {
    const { schools, county } = wholeRun("plan/township", 6)
    const yuan = Columns.of("county").filter((c) => c.unit === Columns.units.yuan && c.type === "number" && c.county === "sum")
    expect(yuan.length).toBeGreaterThan(0)
    for (const c of county) {
      const mine = schools.filter((s) => s.year === c.year && s.level === c.level)
      for (const col of yuan) {
        const figure = (c as unknown as Record<string, number>)[col.id]
        expect(Number.isInteger(figure), `${col.id} ${figure}`).toBe(true)
        if (Columns.get("schools", col.id) === undefined) continue
        const total = mine.reduce((n, s) => n + (s as unknown as Record<string, number>)[col.id], 0)
        expect(total, `${c.year} ${c.level} ${col.id}`).toBe(figure)
      }
    }
  })

  it("a row's seats short is the shortfall of the whole seat demand and seats printed beside it", () => {
    const area = fc.record({ demand: fc.double({ min: 0, max: 5e4, noNaN: true }), seats: fc.integer({ min: 0, max: 5e4 }) })
    fc.assert(
      fc.property(fc.array(area, { minLength: 1, maxLength: 12 }), (areas) => {
        const rows = areas.map((a, i) => ({
          variant: "v",
          year: 2030,
          level: "primary",
          area: `A${i}`,
          area_name: `area ${i}`,
          seat_demand: a.demand,
          seats: a.seats,
          area_seats_short: Math.max(0, a.demand - a.seats)
        }))
        const whole = Whole.table("seat_demand", rows, (r) => `${r.variant}|${r.year}|${r.level}`)
        for (const r of whole) expect(r.area_seats_short).toBe(Math.max(0, r.seat_demand - r.seats))
      })
    )
    // the bundled example's county seat in 2026: 1,528.6 junior pupils' seats needed, 1,430 there
    const [seen] = Whole.table(
      "seat_demand",
      [{ variant: "v", year: 2026, level: "junior", area: "S", area_name: "S", seat_demand: 1528.6, seats: 1430, area_seats_short: 98.6 }],
      (r) => r.area
    )
    expect([seen.seat_demand, seen.seats, seen.area_seats_short]).toEqual([1529, 1430, 99])
  })

  it("a school's pupils over seats, idle seats and boarders without beds are of the whole figures on its row, and the county's are its schools'", () => {
    for (const plan of ["baseline", "plan/township"] as const) {
      const { schools, county } = wholeRun(plan, 8)
      for (const r of schools) {
        expect(r.pupils_over_seats, `${r.school_id} ${r.year} ${r.level}`).toBe(Math.max(0, r.pupils - r.seats))
        expect(r.idle_seats, `${r.school_id} ${r.year} ${r.level}`).toBe(Math.max(0, r.seats - r.pupils))
        expect(r.boarding_bed_gap, `${r.school_id} ${r.year} ${r.level}`).toBe(Math.max(0, r.boarders - r.beds))
      }
      for (const c of county) {
        const mine = schools.filter((s) => s.year === c.year && s.level === c.level)
        for (const k of ["pupils_over_seats", "idle_seats", "boarding_bed_gap"] as const)
          expect(c[k], `${c.year} ${c.level} ${k}`).toBe(mine.reduce((n, s) => n + s[k], 0))
      }
    }
  })

  it("schoolSums gives, for any schools, the sums of the whole school rows' differences in each variant, year and level", () => {
    // fractional pupils, seats, boarders and beds (a nine-year school's level share of seats is fractional)
    const school = fc.record({
      level: fc.constantFrom("primary", "junior"),
      pupils: fc.double({ min: 0, max: 3000, noNaN: true }),
      seats: fc.double({ min: 0, max: 3000, noNaN: true }),
      boarders: fc.double({ min: 0, max: 500, noNaN: true }),
      beds: fc.double({ min: 0, max: 500, noNaN: true })
    })
    fc.assert(
      fc.property(fc.array(school, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 3 }), (list, years) => {
        const rows = Array.from({ length: years }, (_, y) =>
          list.map((s, i) => ({
            variant: "v",
            year: 2025 + y,
            school_id: `S${i}`,
            ...s,
            pupils_over_seats: Math.max(0, s.pupils - s.seats),
            idle_seats: Math.max(0, s.seats - s.pupils),
            boarding_bed_gap: Math.max(0, s.boarders - s.beds)
          }))
        ).flat()
        const shown = Whole.table("schools", rows, Whole.schoolKey)
        const sums = Whole.schoolSums(rows)
        for (const r of shown) expect(r.pupils_over_seats).toBe(Math.max(0, r.pupils - r.seats))
        for (const [key, sum] of sums) {
          const mine = shown.filter((r) => Whole.schoolKey(r) === key)
          for (const k of ["pupils_over_seats", "idle_seats", "boarding_bed_gap"] as const)
            expect(sum[k]).toBe(mine.reduce((n, r) => n + r[k], 0))
        }
        // and a county row given them shows them
        const county = [...sums.keys()].map((key) => {
          const [variant, year, level] = key.split("|")
          return { variant, year: Number(year), level, pupils_over_seats: 0.4, idle_seats: 0.4, boarding_bed_gap: 0.4 }
        })
        for (const c of Whole.table("county", county, Whole.schoolKey, sums))
          expect(c.pupils_over_seats).toBe(sums.get(Whole.schoolKey(c))!.pupils_over_seats)
      })
    )
  })

  it("a school group's row adds up its members' rows as schools.csv prints them; a school's teachers available are its whole assigned and shared", () => {
    // fractional teachers (shared between members by their surplus and shortage), some schools in one of two groups
    const school = fc.record({
      level: fc.constantFrom("primary", "junior"),
      group_id: fc.constantFrom("", "", "G1", "G2"),
      pupils: fc.double({ min: 0, max: 3000, noNaN: true }),
      teachers_needed: fc.double({ min: 0, max: 150, noNaN: true }),
      teachers_assigned: fc.double({ min: 0, max: 150, noNaN: true })
    })
    // three schools whose teachers available, rounded on their own, read 1, 0, 0 beside assigned 0, 0, 1 and shared 0, 0, 0
    const three = [0.3, 0.3, 0.4].map((assigned, i) => {
      const shared = [0.3, -0.3, 0][i]
      return {
        variant: "v",
        year: 2025,
        level: "primary",
        school_id: `S${i}`,
        teachers_assigned: assigned,
        teachers_shared: shared,
        teachers_available: assigned + shared
      }
    })
    expect(
      Whole.table("schools", three, Whole.schoolKey).map((r) => [r.teachers_assigned, r.teachers_shared, r.teachers_available])
    ).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [1, 0, 1]
    ])
    fc.assert(
      fc.property(fc.array(school, { minLength: 1, maxLength: 30 }), (list) => {
        // the sharing Groups.share gives: within a group and level, surplus and shortage matched
        const rows = list.map((s, i) => ({ variant: "v", year: 2025, school_id: `S${i}`, ...s, teachers_shared: 0, teachers_available: 0 }))
        const groupRows: Array<Record<string, unknown>> = []
        for (const g of ["G1", "G2"])
          for (const level of ["primary", "junior"]) {
            const members = rows.filter((r) => r.group_id === g && r.level === level)
            if (members.length === 0) continue
            const surplus = members.reduce((n, r) => n + Math.max(0, r.teachers_assigned - r.teachers_needed), 0)
            const shortage = members.reduce((n, r) => n + Math.max(0, r.teachers_needed - r.teachers_assigned), 0)
            const moved = Math.min(surplus, shortage)
            for (const r of members) {
              const gap = r.teachers_needed - r.teachers_assigned
              r.teachers_shared = gap > 0 ? (shortage > 0 ? gap * (moved / shortage) : 0) : surplus > 0 ? gap * (moved / surplus) : 0
            }
            groupRows.push({
              variant: "v",
              year: 2025,
              level,
              group_id: g,
              group_members: members.length,
              group_pupils: 0.5,
              group_teachers_needed: 0.5,
              group_teachers_assigned: 0.5,
              group_teachers_shared: moved,
              group_teachers_short: 0.5
            })
          }
        for (const r of rows) r.teachers_available = r.teachers_assigned + r.teachers_shared
        const shown = Whole.table("schools", rows, Whole.schoolKey)
        for (const r of shown) expect(r.teachers_available).toBe(r.teachers_assigned + r.teachers_shared)
        // outside a group nothing is shared, in whole teachers too
        for (const r of shown) if (r.group_id === "") expect(r.teachers_shared).toBe(0)
        for (const g of Whole.table("groups", groupRows, Whole.groupKey, Whole.groupSums(rows))) {
          const mine = shown.filter((r) => r.group_id === g.group_id && r.level === g.level)
          const sum = (f: (r: (typeof shown)[number]) => number) => mine.reduce((n, r) => n + f(r), 0)
          expect(g.group_pupils).toBe(sum((r) => r.pupils))
          expect(g.group_teachers_needed).toBe(sum((r) => r.teachers_needed))
          expect(g.group_teachers_assigned).toBe(sum((r) => r.teachers_assigned))
          expect(g.group_teachers_shared).toBe(sum((r) => Math.max(0, r.teachers_shared)))
          expect(g.group_teachers_short).toBe(sum((r) => Math.max(0, r.teachers_needed - r.teachers_available)))
        }
      })
    )
  })

  it("a teacher gap is the whole teachers needed less the whole teachers assigned, on every school and county row; a catchment's shortfalls likewise", () => {
    for (const plan of ["baseline", "plan/township"] as const) {
      const { schools, county, catchments } = wholeRun(plan, 8)
      for (const r of [...schools, ...county]) expect(r.teacher_gap, `${r.year} ${r.level}`).toBe(r.teachers_needed - r.teachers_assigned)
      // a catchment's seats short and idle seats, of the whole residents and seats on its row
      for (const r of catchments) {
        expect(r.catchment_seats_short).toBe(Math.max(0, r.resident_pupils - r.seats))
        expect(r.catchment_idle_seats).toBe(Math.max(0, r.seats - r.resident_pupils))
      }
      // and so the schools' gaps add up to the county's
      for (const c of county) {
        const mine = schools.filter((s) => s.year === c.year && s.level === c.level)
        expect(mine.reduce((n, s) => n + s.teacher_gap, 0)).toBe(c.teacher_gap)
      }
    }
  })
})
