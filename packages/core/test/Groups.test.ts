import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { type Command, Decider, type Event, Ids, School, World } from "../src/index.js"
import { Arbitraries, DeciderSpec, Fixtures } from "../src/testing/index.js"

const at = "2026-02-01T00:00:00.000Z"
const y = Ids.schoolYear
const S = Ids.schoolId
const G = Ids.groupId
const town = Ids.settlementId("TOWN")

const school = (id: string): School.School => ({
  id: S(id),
  name: id,
  type: "primary",
  settlementId: town,
  lon: 113.2,
  lat: 34.1,
  ownership: "public",
  facilities: Fixtures.facilities({ classrooms: 12, seats: 600 }),
  teachers: { ...School.noTeachers, byAge: { ...School.noTeachers.byAge, "40-49": 20 } }
})

const history: ReadonlyArray<Event.Event> = [
  { _tag: "SettlementRecorded", year: y(2024), settlement: { id: town, name: "Town", tier: "township", lon: 113.2, lat: 34.1 } },
  ...["A", "B", "C", "D"].map((id): Event.Event => ({ _tag: "SchoolOpened", year: y(2024), school: school(id) })),
  { _tag: "SchoolClosed", year: y(2025), schoolId: S("D") }
]

const form = (groupId: string, lead: string, members: ReadonlyArray<string>, year = 2026): Command.Command => ({
  _tag: "FormGroup",
  id: `form-${groupId}`,
  at,
  year: y(year),
  groupId: G(groupId),
  name: `group ${groupId}`,
  form: "group",
  lead: S(lead),
  members: members.map(S)
})
const formed = (groupId: string, lead: string, members: ReadonlyArray<string>, year = 2026): Event.Event => {
  const { _tag, id, at: _at, ...rest } = form(groupId, lead, members, year) as Command.CommandOf<"FormGroup">
  return { ...rest, _tag: "GroupFormed" }
}
const join = (groupId: string, schoolId: string): Command.Command => ({
  _tag: "JoinGroup",
  id: "join",
  at,
  year: y(2027),
  groupId: G(groupId),
  schoolId: S(schoolId)
})
const leave = (groupId: string, schoolId: string): Command.Command => ({
  _tag: "LeaveGroup",
  id: "leave",
  at,
  year: y(2027),
  groupId: G(groupId),
  schoolId: S(schoolId)
})

describe("school groups (集团化办学): the domain rules", () => {
  it("a group forms with a lead and members; the world lists the lead first", () => {
    DeciderSpec.given(history)
      .when(form("G1", "A", ["B"]))
      .then([formed("G1", "A", ["B"])])
    const w = World.fold([...history, formed("G1", "A", ["B"])])
    assert.deepStrictEqual(w.groups.get(G("G1"))?.members, [S("A"), S("B")])
    assert.strictEqual(World.groupOf(w, S("B"))?.id, G("G1"))
  })

  it("no member in two groups: forming or joining a second group is refused, naming the first", () => {
    const given = [...history, formed("G1", "A", ["B"])]
    const e = DeciderSpec.given(given)
      .when(form("G2", "C", ["B"], 2027))
      .thenFails("SchoolInAnotherGroup")
    assert.include(e.message, "already a member of group G1")
    DeciderSpec.given(given).when(join("G1", "B")).thenFails("InvalidCommand")
    DeciderSpec.given([...given, formed("G2", "C", [])])
      .when(join("G2", "A"))
      .thenFails("SchoolInAnotherGroup")
  })

  it("no closed school in a group; a group needs a member beside its lead; ids are unique", () => {
    const e = DeciderSpec.given(history)
      .when(form("G1", "A", ["D"]))
      .thenFails("SchoolNotOpen")
    assert.include(e.message, "school D is closed")
    DeciderSpec.given(history)
      .when(form("G1", "A", []))
      .thenFails("InvalidCommand")
    DeciderSpec.given(history)
      .when(form("G1", "A", ["A"]))
      .thenFails("InvalidCommand")
    DeciderSpec.given([...history, formed("G1", "A", ["B"])])
      .when(form("G1", "C", ["D"], 2027))
      .thenFails("GroupAlreadyExists")
    DeciderSpec.given(history).when(join("G9", "A")).thenFails("GroupNotFound")
  })

  it("members leave, the lead does not; a dissolved group is gone", () => {
    const given = [...history, formed("G1", "A", ["B", "C"])]
    DeciderSpec.given(given)
      .when(leave("G1", "B"))
      .then([{ _tag: "GroupLeft", year: y(2027), groupId: G("G1"), schoolId: S("B") }])
    assert.include(DeciderSpec.given(given).when(leave("G1", "A")).thenFails("NotAGroupMember").message, "it leads the group")
    const dissolved: Event.Event = { _tag: "GroupDissolved", year: y(2027), groupId: G("G1") }
    DeciderSpec.given([...given, dissolved])
      .when(leave("G1", "B"))
      .thenFails("GroupNotFound")
  })

  it("a school that closes leaves its group; a closed lead passes the lead to the receiving member", () => {
    const given = [
      ...history,
      formed("G1", "A", ["B", "C"]),
      { _tag: "SchoolClosed", year: y(2027), schoolId: S("A"), pupilsTo: S("C") } as Event.Event
    ]
    const g = World.fold(given).groups.get(G("G1"))
    assert.strictEqual(g?.lead, S("C"))
    assert.deepStrictEqual(g?.members, [S("C"), S("B")])
  })

  it.prop(
    "in any history the decider accepts, no school is in two groups and every member is open",
    [Arbitraries.validHistory(60)],
    ([events]) => {
      // every prefix: the rule holds at every point, not only at the end
      let world = World.initial
      for (const e of events) {
        world = World.evolve(world, e)
        const seen = new Set<string>()
        for (const g of world.groups.values()) {
          assert.strictEqual(g.members[0], g.lead)
          for (const m of g.members) {
            assert.isFalse(seen.has(m), `${m} in two groups`)
            seen.add(m)
            assert.strictEqual(world.schools.get(m)?.status, "open", `${m} in group ${g.id} is not open`)
          }
        }
      }
      return true
    }
  )

  it("rotation (交流轮岗): ⌈10 %⌉ of each member's teachers aged 30-54 go to the next member, backbone among them where there are any", () => {
    const given = [...history, formed("G1", "A", ["B", "C"])]
    const rotate: Command.Command = {
      _tag: "RotateTeachers",
      id: "rot",
      at,
      year: y(2027),
      groupId: G("G1"),
      share: 0.1,
      backboneShare: 0.2
    }
    const moved = (from: string, to: string): Event.Event => ({
      _tag: "TeachersTransferred",
      year: y(2027),
      from: S(from),
      to: S(to),
      count: 2,
      ageBand: "40-49",
      rotation: true,
      aboveDegree: 0,
      backbone: 0,
      peArts: 0,
      mentalHealth: 0
    })
    // each school: 20 teachers aged 40-49, none backbone: ⌈2⌉ each, A → B → C → A
    DeciderSpec.given(given)
      .when(rotate)
      .then([moved("A", "B"), moved("B", "C"), moved("C", "A")])
    const alone = [
      ...history,
      formed("G2", "A", ["B"]),
      { _tag: "GroupLeft", year: y(2026), groupId: G("G2"), schoolId: S("B") } as Event.Event
    ]
    DeciderSpec.given(alone)
      .when({ ...rotate, groupId: G("G2") } as Command.Command)
      .thenFails("InvalidCommand")
  })

  it("exchange (县域内交流): two schools outside any group each send the larger of their ⌈10 %⌉, both meeting it, by hand", () => {
    const far = Ids.settlementId("FAR")
    const junior = (id: string, settlementId: Ids.SettlementId, byAge: Partial<School.School["teachers"]["byAge"]>, backbone: number) => ({
      ...school(id),
      type: "junior" as const,
      settlementId,
      teachers: { ...School.noTeachers, byAge: { ...School.noTeachers.byAge, ...byAge }, backbone }
    })
    // the lone junior of TOWN: 82 eligible (40 aged 30-39, 42 aged 40-49; 6 under 30 are not eligible), 6 backbone;
    // the junior of FAR: 20 eligible (aged 40-49), no backbone teacher
    const given: ReadonlyArray<Event.Event> = [
      history[0],
      { _tag: "SettlementRecorded", year: y(2024), settlement: { id: far, name: "Far", tier: "township", lon: 113.4, lat: 34.2 } },
      { _tag: "SchoolOpened", year: y(2024), school: junior("J1", town, { "under-30": 6, "30-39": 40, "40-49": 42 }, 6) },
      { _tag: "SchoolOpened", year: y(2024), school: junior("J2", far, { "40-49": 20 }, 0) }
    ]
    const exchange: Command.Command = {
      _tag: "ExchangeTeachers",
      id: "ex",
      at,
      year: y(2027),
      schoolId: S("J1"),
      partnerId: S("J2"),
      share: 0.1,
      backboneShare: 0.2
    }
    const moved = (from: string, to: string, ageBand: "30-39" | "40-49", count: number, backbone: number): Event.Event => ({
      _tag: "TeachersTransferred",
      year: y(2027),
      from: S(from),
      to: S(to),
      count,
      ageBand,
      rotation: true,
      aboveDegree: 0,
      backbone,
      peArts: 0,
      mentalHealth: 0
    })
    // J1 needs ⌈8.2⌉ = 9 (11 %), J2 ⌈2⌉ = 2: each sends 9, so J2 rotates 9 of 20 (45 %) and neither's headcount
    // changes; of J1's 9, ⌈1.8⌉ = 2 are backbone (22 %); J2 has none to send
    DeciderSpec.given(given)
      .when(exchange)
      .then([moved("J1", "J2", "30-39", 9, 2), moved("J2", "J1", "40-49", 9, 0)])
    // a school does not exchange with itself, nor with a closed school
    DeciderSpec.given(given)
      .when({ ...exchange, partnerId: S("J1") } as Command.Command)
      .thenFails("InvalidCommand")
    DeciderSpec.given([...given, { _tag: "SchoolClosed", year: y(2026), schoolId: S("J2") }])
      .when(exchange)
      .thenFails("SchoolNotOpen")
  })

  it.prop(
    "an exchange: each school rotates at least ⌈share × its eligible⌉ (all of them if fewer), the same count each way where both have it, and the teachers are only moved",
    [
      fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 4, maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 4, maxLength: 4 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true })
    ],
    ([a, b, share, backboneShare]) => {
      const far = Ids.settlementId("FAR")
      const opened = (id: string, settlementId: Ids.SettlementId, n: ReadonlyArray<number>): Event.Event => ({
        _tag: "SchoolOpened",
        year: y(2024),
        school: {
          ...school(id),
          settlementId,
          teachers: {
            ...School.noTeachers,
            byAge: { ...School.noTeachers.byAge, "under-30": n[0], "30-39": n[1], "40-49": n[2], "50-54": n[3] },
            backbone: Math.min(n[0] + n[1] + n[2] + n[3], n[1])
          }
        }
      })
      const before = World.fold([
        history[0],
        { _tag: "SettlementRecorded", year: y(2024), settlement: { id: far, name: "Far", tier: "township", lon: 113.4, lat: 34.2 } },
        opened("X", town, a),
        opened("Y", far, b)
      ])
      const command: Command.Command = {
        _tag: "ExchangeTeachers",
        id: "ex",
        at,
        year: y(2027),
        schoolId: S("X"),
        partnerId: S("Y"),
        share,
        backboneShare
      }
      const events = Either.getOrThrow(Decider.decide(command, before))
      const sent = (from: string) =>
        events.reduce((n, e) => n + (e._tag === "TeachersTransferred" && e.from === from && e.rotation ? e.count : 0), 0)
      const eligible = (n: ReadonlyArray<number>) => n[1] + n[2] + n[3]
      const need = (e: number) => Math.min(e, Math.ceil(e * share - 1e-9))
      for (const [id, n] of [
        ["X", a],
        ["Y", b]
      ] as const)
        assert.isAtLeast(sent(id), need(eligible(n)), id)
      if (eligible(a) >= Math.max(need(eligible(a)), need(eligible(b))) && eligible(b) >= Math.max(need(eligible(a)), need(eligible(b))))
        assert.strictEqual(sent("X"), sent("Y"))
      const after = events.reduce(World.evolve, before)
      const total = (w: World.World) =>
        [...w.schools.values()].reduce((n, s) => n + Object.values(s.teachers.byAge).reduce((m, v) => m + v, 0), 0)
      assert.strictEqual(total(after), total(before), "no teacher made or lost")
      return true
    }
  )

  it("decide never throws on group commands about unknown schools", () => {
    const r = Decider.decide(form("G1", "NOPE", ["A"]), World.fold(history))
    assert.isTrue(Either.isLeft(r))
  })
})
