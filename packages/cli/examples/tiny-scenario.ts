/**
 * Writes `scenarios/tiny/scenario.yaml`: Lanshui County (澜水县, SYNTHETIC) as a scenario file, from the
 * same commands as its event log (packages/core/examples/lanshui.ts), with its plan as a variant.
 * Run: `pnpm tsx packages/cli/examples/tiny-scenario.ts [OUT]`.
 */
import type { Command } from "@seatplan/core"
import * as fs from "node:fs"
import * as path from "node:path"
import { stringify } from "yaml"
import { baseYear, baselineCommands, planCommands, reset } from "../../core/examples/lanshui.js"
import type * as Scenario from "../src/Scenario.js"

const of = <T extends Command.CommandTag>(list: ReadonlyArray<Command.Command>, tag: T) =>
  list.filter((c): c is Command.CommandOf<T> => c._tag === tag)

reset()
const base = baselineCommands()
const plan = planCommands()

const schoolSpec = (s: Command.CommandOf<"OpenSchool">["school"]): Scenario.SchoolSpec => ({
  id: s.id,
  name: s.name,
  type: s.type,
  settlement: s.settlementId,
  lon: s.lon,
  lat: s.lat,
  classrooms: s.facilities.classrooms,
  seats: s.facilities.seats,
  boardingBeds: s.facilities.boardingBeds,
  floorArea: s.facilities.floorArea,
  sportsArea: s.facilities.sportsArea,
  equipmentValue: s.facilities.equipmentValue,
  multimediaRooms: s.facilities.multimediaRooms,
  musicRooms: s.facilities.musicRooms,
  artRooms: s.facilities.artRooms,
  teachers: {
    total: Object.values(s.teachers.byAge).reduce((a, b) => a + b, 0),
    byAge: s.teachers.byAge,
    aboveDegree: s.teachers.aboveDegree,
    backbone: s.teachers.backbone,
    peArts: s.teachers.peArts,
    mentalHealth: s.teachers.mentalHealth
  }
})

const enrolment = new Map<string, { school: string; year: number; byGrade: Record<string, number> }>()
for (const e of of(base, "RecordEnrolment")) {
  const key = `${e.schoolId}@${e.year}`
  const row = enrolment.get(key) ?? { school: e.schoolId, year: e.year, byGrade: {} }
  row.byGrade[String(e.grade)] = e.pupils
  enrolment.set(key, row)
}

const step = (c: Command.Command): Scenario.PlanStep => {
  switch (c._tag) {
    case "ExpandSchool":
      return {
        type: "expand",
        year: c.year,
        school: c.schoolId,
        classrooms: c.classrooms,
        seats: c.seats,
        boardingBeds: c.boardingBeds,
        floorArea: c.floorArea,
        sportsArea: c.sportsArea,
        equipmentValue: c.equipmentValue,
        multimediaRooms: c.multimediaRooms,
        musicRooms: c.musicRooms,
        ...(c.cost === undefined ? {} : { cost: c.cost })
      }
    case "CloseSchool":
      return { type: "close", year: c.year, school: c.schoolId, ...(c.pupilsTo === undefined ? {} : { into: c.pupilsTo }) }
    case "RepurposeSchool":
      return { type: "repurpose", year: c.year, school: c.schoolId, use: c.use }
    case "RecordSettlement":
      return { type: "settlement", year: c.year, settlement: { ...c.settlement } }
    case "CompleteHousing":
      return { type: "housing", year: c.year, settlement: c.settlementId, estate: c.estate, dwellings: c.dwellings, kind: c.type }
    case "OpenSchool":
      return { type: "open", year: c.year, school: schoolSpec(c.school) }
    case "AssignCatchment":
      return { type: "catchment", year: c.year, level: c.level, settlement: c.settlementId, school: c.schoolId }
    case "HireTeachers":
      return { type: "hire", year: c.year, school: c.schoolId, count: c.count, ageBand: c.ageBand, aboveDegree: c.aboveDegree, peArts: c.peArts, mentalHealth: c.mentalHealth }
    default:
      throw new Error(`no scenario step for ${c._tag}`)
  }
}

const catchments: Record<string, Record<string, string>> = {}
for (const c of of(base, "AssignCatchment")) (catchments[c.level] ??= {})[c.settlementId] = c.schoolId

const scenario = {
  name: "Lanshui County 澜水县 (synthetic)",
  synthetic: true,
  description: "SYNTHETIC example: an invented county seat, two townships and four villages; births follow the national series scaled down.",
  baseYear,
  horizon: 15,
  settlements: of(base, "RecordSettlement").map((c) => ({ ...c.settlement })),
  population: of(base, "RecordPopulation").map((c) => ({ settlement: c.settlementId, byAge: c.byAge })),
  schools: of(base, "OpenSchool").map((c) => schoolSpec(c.school)),
  catchments,
  history: {
    births: of(base, "RecordBirths").map((c) => ({ settlement: c.settlementId, year: c.year, births: c.births })),
    enrolment: [...enrolment.values()],
    migration: of(base, "RecordMigration").map((c) => ({ year: c.year, from: c.from, to: c.to, ages: c.ages, count: c.count, migrant: c.migrant }))
  },
  allocation: "catchment-then-nearest",
  variants: [
    {
      name: "township",
      description: "Primary toward the township (小学向乡镇集中): expand Dongzhuang central primary first, then close the Zhangzhuang teaching point into it (先建后撤) and reopen the building as a kindergarten; a new county-seat primary for a new estate.",
      events: plan.map(step)
    }
  ]
}

const out = process.argv[2] ?? path.join(import.meta.dirname, "../../../scenarios/tiny/scenario.yaml")
const header = [
  "# SYNTHETIC example data: Lanshui County (澜水县) is invented; no place, school or figure in this file is real.",
  "# Generated by packages/cli/examples/tiny-scenario.ts from the same data as events.jsonl.",
  "# yaml-language-server: $schema=../seatplan.schema.json",
  ""
].join("\n")
fs.writeFileSync(out, header + stringify(scenario, { lineWidth: 160, flowCollectionPadding: false, aliasDuplicateObjects: false }))
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`)
