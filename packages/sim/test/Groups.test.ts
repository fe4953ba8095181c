import { assert, describe, it } from "@effect/vitest"
import * as Ids from "@seatplan/core/Ids"
import { FastCheck as fc } from "effect"
import { Groups, type Tables } from "../src/index.js"

/** A school row with only what sharing reads; the rest is never looked at. */
const row = (id: string, level: string, needed: number, assigned: number): Tables.SchoolRow =>
  ({
    variant: "v",
    year: 2025,
    school_id: Ids.schoolId(id),
    level,
    open: true,
    pupils: needed * 19 + 1,
    teachers_needed: needed,
    teachers_assigned: assigned,
    teachers_shared: 0,
    teachers_available: assigned
  }) as Tables.SchoolRow

const schoolsArb = fc.array(
  fc.record({
    needed: fc.double({ min: 0, max: 80, noNaN: true }),
    assigned: fc.double({ min: 0, max: 80, noNaN: true }),
    level: fc.constantFrom("primary", "junior")
  }),
  { minLength: 1, maxLength: 8 }
)

describe("Groups.share: a group's teachers pooled per level", () => {
  it.prop(
    "nothing is created or lost; shortages are covered as far as the surplus goes; schools outside the group unchanged",
    [schoolsArb, fc.integer({ min: 0, max: 8 })],
    ([specs, inGroup]) => {
      const rows = specs.map((s, i) => row(`S${i}`, s.level, s.needed, s.assigned))
      const members = rows.slice(0, Math.max(1, Math.min(inGroup, rows.length))).map((r) => r.school_id)
      const group = { id: Ids.groupId("G"), name: "G", form: "group" as const, lead: members[0], members, formedIn: 2025 }
      const out = Groups.share(rows, [{ year: 2025, group, eligible: 0, rotated: 0, backboneRotated: 0 }], "v")
      for (const level of ["primary", "junior"]) {
        const idx = rows.map((r, i) => (r.level === level && members.includes(r.school_id) ? i : -1)).filter((i) => i >= 0)
        if (idx.length === 0) continue
        const shared = idx.reduce((n, i) => n + out.schools[i].teachers_shared, 0)
        assert.approximately(shared, 0, 1e-6, "Σ shared is 0: teachers move, none appear")
        const surplus = idx.reduce((n, i) => n + Math.max(0, rows[i].teachers_assigned - rows[i].teachers_needed), 0)
        const shortage = idx.reduce((n, i) => n + Math.max(0, rows[i].teachers_needed - rows[i].teachers_assigned), 0)
        const g = out.groups.find((x) => x.level === level)!
        assert.approximately(g.group_teachers_short, Math.max(0, shortage - surplus), 1e-6)
        for (const i of idx) {
          const r = out.schools[i]
          assert.approximately(r.teachers_available, r.teachers_assigned + r.teachers_shared, 1e-9)
          // a giver never falls below its need; a receiver never above it
          if (rows[i].teachers_assigned >= rows[i].teachers_needed) assert.isAtLeast(r.teachers_available, r.teachers_needed - 1e-6)
          else assert.isAtMost(r.teachers_available, r.teachers_needed + 1e-6)
        }
      }
      rows.forEach((r, i) => {
        if (!members.includes(r.school_id)) assert.strictEqual(out.schools[i], r)
      })
      return true
    }
  )

  it("without groups the rows are returned as they are", () => {
    const rows = [row("A", "primary", 10, 5)]
    assert.strictEqual(Groups.share(rows, [], "v").schools, rows)
    assert.deepStrictEqual(Groups.byYear([], 2024, 2030), [])
  })
})
