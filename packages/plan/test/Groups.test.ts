/**
 * School groups end to end (issue 20): the hand-checkable case of two primary schools, one short of
 * teachers and one with a surplus. Formed into a group, the surplus covers the shortage and the staffing
 * rule passes at both, at no cost; rotating 10 % of the eligible teachers each year meets the group's
 * rotation rules (counted by default) and the county's rotation share.
 */
import { assert, describe, it } from "@effect/vitest"
import { EventStore } from "@seatplan/core"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Compare, Project, ScenarioLoader } from "../src/index.js"

const file = path.join(import.meta.dirname, "fixtures/groups/scenario.yaml")
const loaded = Either.getOrThrow(ScenarioLoader.fromText(fs.readFileSync(file, "utf8"), file))

const runAll = Effect.gen(function* () {
  yield* Project.store(loaded)
  return yield* Project.run(loaded, { variants: [] })
}).pipe(Effect.provide(EventStore.layerMemory))

const failing = (r: Project.VariantResult, rule: string, school = "") => [
  ...new Set(r.checks.filter((c) => c.rule === rule && !c.pass && (school === "" || c.school_id === school)).map((c) => c.year))
]

describe("school groups share teachers and rotate them", () => {
  it.effect(
    "one school short, one with a surplus: in a group the surplus covers the shortage, at no cost",
    () =>
      Effect.gen(function* () {
        const [baseline, group, rotate] = yield* runAll
        const row = (r: Project.VariantResult, year: number, id: string) =>
          r.schools.find((s) => s.year === year && s.school_id === id && s.level === "primary")!
        // by hand: SHORT has 12 teachers for about 365 pupils in 2025, needing 365 ÷ 19 = 19.2; SURPLUS has 30 for 18.5
        const short = row(group, 2025, "SHORT")
        const surplus = row(group, 2025, "SURPLUS")
        assert.approximately(short.teachers_needed, short.pupils / 19, 1e-9)
        assert.approximately(short.teachers_assigned, 12, 1e-9)
        assert.approximately(surplus.teachers_assigned, 30, 1e-9)
        assert.approximately(short.teachers_shared, short.teachers_needed - 12, 1e-9)
        assert.approximately(surplus.teachers_shared, -(short.teachers_needed - 12), 1e-9)
        assert.approximately(short.teachers_available, short.teachers_needed, 1e-9)
        // alone (the baseline, and 2024 before the group forms) SHORT fails staffing; in the group never again
        assert.deepStrictEqual(failing(baseline, "staffing", "SHORT"), [2024, 2025, 2026, 2027, 2028])
        assert.deepStrictEqual(failing(group, "staffing"), [2024])
        assert.strictEqual(row(baseline, 2025, "SHORT").teachers_shared, 0)
        // at no cost: every year's capital and recurrent cost is the baseline's
        for (const year of [2024, 2025, 2026, 2027, 2028]) {
          const cost = (r: Project.VariantResult) =>
            r.county.filter((c) => c.year === year).reduce((n, c) => n + c.capital_cost + c.recurrent_cost, 0)
          assert.strictEqual(cost(group), cost(baseline), String(year))
        }
        // the group's row: the group is a scope of its own
        const g = group.groups.find((x) => x.year === 2025 && x.level === "primary")!
        assert.strictEqual(g.group_id, "G1")
        assert.strictEqual(g.lead_school_id, "SHORT")
        assert.strictEqual(g.group_members, 2)
        assert.approximately(g.group_teachers_assigned, 42, 1e-9)
        assert.approximately(g.group_teachers_shared, short.teachers_needed - 12, 1e-9)
        assert.strictEqual(g.group_teachers_short, 0)
        assert.deepStrictEqual(baseline.groups, [])
        // a group without rotation fails the group's rotation rules, which count; rotating 10 % meets them
        assert.deepStrictEqual(failing(group, "rotation.group"), [2025, 2026, 2027, 2028])
        assert.isTrue(group.checks.some((c) => c.rule === "rotation.group" && c.counts && c.scope === "group"))
        assert.deepStrictEqual(failing(rotate, "rotation.group"), [])
        assert.deepStrictEqual(failing(rotate, "rotation.backbone.group"), [])
        assert.deepStrictEqual(failing(rotate, "staffing"), [2024])
        // 42 teachers aged 30-54: SHORT rotates ⌈1.2⌉ = 2, SURPLUS ⌈3⌉ = 3, of whom ⌈0.4⌉ and ⌈0.6⌉ are backbone
        const r = rotate.groups.find((x) => x.year === 2025 && x.level === "primary")!
        assert.strictEqual(r.eligible_teachers, 42)
        assert.strictEqual(r.teachers_rotated, 5)
        assert.strictEqual(r.group_backbone_rotation_share, 2 / 5)
        // and the county's rotation share (over all compulsory teachers) is met too from 2025
        assert.deepStrictEqual(failing(rotate, "rotation.share"), [2024])
      }),
    120_000
  )

  it.effect(
    "a facility investment at the unit costs shows in the indicators, the county's capital cost and the ledger",
    () =>
      Effect.gen(function* () {
        const results = yield* runAll
        const [baseline, invest] = [results[0], results.find((r) => r.variant === "invest")!]
        const row = (r: Project.VariantResult, year: number) =>
          r.schools.find((s) => s.year === year && s.school_id === "SHORT" && s.level === "primary")!
        // by hand: 800,000 + 9 × 60,000 + (96 × 3,000 + 60,000) + (90 × 3,000 + 60,000) = 2,018,000 yuan
        const capital = (r: Project.VariantResult, year: number) =>
          r.county.filter((c) => c.year === year).reduce((n, c) => n + c.capital_cost, 0)
        assert.strictEqual(capital(invest, 2025) - capital(baseline, 2025), 2_018_000)
        const after = row(invest, 2025)
        assert.approximately(after.equipment_per_pupil - row(baseline, 2025).equipment_per_pupil, 800_000 / after.pupils, 1e-6)
        assert.approximately(after.multimedia_per_100 - row(baseline, 2025).multimedia_per_100, (9 / after.pupils) * 100, 1e-9)
        assert.strictEqual(after.music_rooms - row(baseline, 2025).music_rooms, 1)
        const ledger = Compare.ledger([baseline, invest]).filter((l) => l.variant === "invest")
        assert.deepStrictEqual(
          ledger.map((l) => [l.year, l.tasks, l.invested, l.expanded, l.investment]),
          [[2025, 1, 1, 0, 2_018_000]]
        )
      }),
    120_000
  )

  it("group steps the domain rules refuse are located problems, never crashes", () => {
    const text = fs
      .readFileSync(file, "utf8")
      .replace("- { type: rotate, year: 2026, group: G1 }", "- { type: join-group, year: 2026, group: G1, school: SURPLUS }")
      .replace("- { type: rotate, year: 2027, group: G1 }", "- { type: leave-group, year: 2027, group: G1, school: SHORT }")
      .replace("- { type: rotate, year: 2028, group: G1 }", "- { type: rotate, year: 2028, group: G9 }")
    const result = ScenarioLoader.fromText(text, "groups.yaml")
    assert.isTrue(Either.isLeft(result))
    const message = Either.isLeft(result) ? result.left.message : ""
    assert.match(message, /groups\.yaml:\d+:\d+: variants\[1\]\.events\[1\]: JoinGroup: SURPLUS is already a member of group G1/)
    assert.match(
      message,
      /groups\.yaml:\d+:\d+: variants\[1\]\.events\[2\]\.school: school SHORT cannot leave group G1: it leads the group/
    )
    assert.match(message, /groups\.yaml:\d+:\d+: variants\[1\]\.events\[3\]\.group: school group G9 does not exist in 2028/)
  })
})
