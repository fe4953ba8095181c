/**
 * Writes a generated region's scenario file while its events are generated, in memory bounded by the
 * longest section's write buffer rather than by the file (issue 18: a million settlements make about 19
 * million events and a file of over a gigabyte). Each section (settlements, schools, the catchments of
 * each level, the base-year population, births, enrolment) is spooled to a temporary file beside the
 * output as its events arrive, in whatever order they come; at the end the header and the sections are
 * joined into the output, which appears whole (renamed into place) or not at all.
 *
 * Every item is one line of JSON. A `.json` file is JSON; any other is YAML whose lists are block
 * sequences of JSON-style flow mappings (`  - {"id":"C1-SEAT",…}`), which YAML 1.2 reads as the same
 * values (JSON is YAML) and which is as readable as the block style at a glance. What the file says is
 * what `FromEvents.scenarioOf` and the YAML stringifier wrote before: the same scenario.
 */
import type { Event } from "@seatplan/core"
import { School } from "@seatplan/core"
import { FromEvents } from "@seatplan/plan"
import * as fs from "node:fs"
import * as path from "node:path"

export interface Header {
  readonly name: string
  readonly description: string
  readonly baseYear: number
  readonly horizon: number
  /** A comment line for YAML files (JSON has none). */
  readonly comment: string
}

/** Characters buffered per section before they are written out. */
const flushAt = 1 << 20

interface Section {
  readonly fd: number
  readonly file: string
  buffer: string
  count: number
}

const sectionNames = [
  "settlements",
  "population",
  "schools",
  ...School.levels.map((level) => `catchments.${level}`),
  "births",
  "enrolment"
] as const
type SectionName = (typeof sectionNames)[number]

/**
 * Writes the scenario of `events` (everything recorded up to the base year) to `file`; `onEvent` is called
 * every 100,000 events (for progress). Throws the file system's error (the output is then not written).
 */
export const write = (file: string, header: Header, events: Iterable<Event.Event>, onEvent?: (events: number) => void): void => {
  const json = /\.json$/i.test(file)
  const dir = path.dirname(path.resolve(file))
  fs.mkdirSync(dir, { recursive: true })
  const spool = fs.mkdtempSync(path.join(dir, `.${path.basename(file)}.`))
  const sections = new Map<SectionName, Section>()
  const section = (name: SectionName): Section => {
    let s = sections.get(name)
    if (s === undefined) {
      const f = path.join(spool, name)
      s = { fd: fs.openSync(f, "w"), file: f, buffer: "", count: 0 }
      sections.set(name, s)
    }
    return s
  }
  const add = (name: SectionName, line: string) => {
    const s = section(name)
    s.buffer += json ? (s.count === 0 ? "\n" : ",\n") + line : `\n${name.startsWith("catchments.") ? "    " : "  - "}${line}`
    s.count++
    if (s.buffer.length >= flushAt) {
      fs.writeSync(s.fd, s.buffer)
      s.buffer = ""
    }
  }
  // enrolment events of one school and year come together (one row of the scenario per school and year)
  let enrolment: { school: string; year: number; byGrade: Record<string, number> } | undefined
  const flushEnrolment = () => {
    if (enrolment !== undefined) add("enrolment", JSON.stringify(enrolment))
    enrolment = undefined
  }
  try {
    let n = 0
    for (const e of events) {
      if (++n % 100_000 === 0) onEvent?.(n)
      if (e.year > header.baseYear) continue
      if (e._tag !== "EnrolmentRecorded") flushEnrolment()
      switch (e._tag) {
        case "SettlementRecorded":
          add("settlements", JSON.stringify(e.settlement))
          break
        case "PopulationRecorded":
          if (e.year !== header.baseYear) throw new Error("a population recorded before the base year: not a generated region")
          add("population", JSON.stringify({ settlement: e.settlementId, byAge: e.byAge }))
          break
        case "SchoolOpened":
          add("schools", JSON.stringify(FromEvents.schoolSpec(e.school)))
          break
        case "CatchmentAssigned":
          add(`catchments.${e.level}`, `${JSON.stringify(e.settlementId)}: ${JSON.stringify(e.schoolId)}`)
          break
        case "BirthsRecorded":
          add("births", JSON.stringify({ settlement: e.settlementId, year: e.year, births: e.births }))
          break
        case "EnrolmentRecorded":
          if (enrolment !== undefined && (enrolment.school !== e.schoolId || enrolment.year !== e.year)) flushEnrolment()
          enrolment ??= { school: e.schoolId, year: e.year, byGrade: {} }
          enrolment.byGrade[String(e.grade)] = e.pupils
          break
        default:
          throw new Error(`a ${e._tag} event: not a generated region`)
      }
    }
    flushEnrolment()
    for (const s of sections.values()) {
      fs.writeSync(s.fd, s.buffer)
      s.buffer = ""
      fs.closeSync(s.fd)
    }
    const temp = path.join(spool, "scenario")
    const out = fs.openSync(temp, "w")
    try {
      fs.writeSync(out, json ? jsonHead(header) : yamlHead(header))
      const list = (name: SectionName, key: string, indent: string) => {
        const s = sections.get(name)
        if (json) fs.writeSync(out, `${JSON.stringify(key)}:[`)
        else fs.writeSync(out, `${indent}${key}:${s === undefined ? " []" : ""}`)
        if (s !== undefined) copy(s.file, out)
        fs.writeSync(out, json ? "\n]," : "\n")
      }
      list("settlements", "settlements", "")
      list("population", "population", "")
      list("schools", "schools", "")
      fs.writeSync(out, json ? `"catchments":{` : "catchments:\n")
      School.levels.forEach((level, l) => {
        const s = sections.get(`catchments.${level}`)
        if (json) {
          fs.writeSync(out, `${l === 0 ? "" : ","}${JSON.stringify(level)}:{`)
          if (s !== undefined) copy(s.file, out)
          fs.writeSync(out, "\n}")
        } else {
          fs.writeSync(out, `  ${level}:${s === undefined ? " {}" : ""}`)
          if (s !== undefined) copy(s.file, out)
          fs.writeSync(out, "\n")
        }
      })
      if (json) {
        fs.writeSync(out, `},"history":{`)
        list("births", "births", "")
        list("enrolment", "enrolment", "")
        fs.writeSync(out, `"migration":[]},"variants":[]}\n`)
      } else {
        fs.writeSync(out, "history:\n")
        list("births", "births", "  ")
        list("enrolment", "enrolment", "  ")
        fs.writeSync(out, "  migration: []\nvariants: []\n")
      }
    } finally {
      fs.closeSync(out)
    }
    fs.renameSync(temp, file)
  } finally {
    for (const s of sections.values()) {
      try {
        fs.closeSync(s.fd)
      } catch {
        // closed above
      }
    }
    fs.rmSync(spool, { recursive: true, force: true })
  }
}

const jsonHead = (h: Header): string =>
  `{"name":${JSON.stringify(h.name)},"synthetic":true,"description":${JSON.stringify(h.description)},"baseYear":${h.baseYear},"horizon":${h.horizon},\n`

const yamlHead = (h: Header): string =>
  `${h.comment}\nname: ${JSON.stringify(h.name)}\nsynthetic: true\ndescription: ${JSON.stringify(h.description)}\nbaseYear: ${h.baseYear}\nhorizon: ${h.horizon}\n`

/** Appends a spooled section to `out` (its lines are written indented and separated for their place already). */
const copy = (from: string, out: number): void => {
  const fd = fs.openSync(from, "r")
  try {
    const chunk = Buffer.allocUnsafe(flushAt * 4)
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      fs.writeSync(out, chunk, 0, n)
    }
  } finally {
    fs.closeSync(fd)
  }
}
