/**
 * Writes a generated region's scenario file while its events are generated, in memory bounded by the
 * longest section's write buffer rather than by the file (issue 18: a million settlements make about 19
 * million events and a file of over a gigabyte). Each section (settlements, schools, the catchments of
 * each level, the base-year population, births, enrolment) is spooled to a temporary file beside the
 * output as its events arrive, in whatever order they come; at the end the header and the sections are
 * joined into the output, which appears whole (renamed into place) or not at all.
 *
 * The file is JSON, one item (a settlement, a school, a catchment, a year's births…) per line; a file not
 * named `.json` starts with a YAML comment saying the region is synthetic. JSON is YAML (1.2), so it is a
 * valid YAML scenario, and the loader reads JSON with JSON.parse, tens of times faster than the YAML
 * parser and in a fraction of its memory (a region of 100,000 settlements is about 120 MB of text). What
 * the file says is what `FromEvents.scenarioOf` makes of the events: the same scenario as before.
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
  /** A comment line (`# …`) opening a file not named `.json` (JSON has no comments). */
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
  const yaml = !/\.json$/i.test(file)
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
    s.buffer += (s.count === 0 ? "\n" : ",\n") + line
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
  const splits = new Map<string, { readonly school: string; readonly share: number }>()
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
          // a split (share below 1) does not rezone the settlement: it is the base's `splits` (few: kept in memory)
          if (e.share !== undefined && e.share < 1) splits.set(`${e.level}|${e.settlementId}`, { school: e.schoolId, share: e.share })
          else {
            splits.delete(`${e.level}|${e.settlementId}`)
            add(`catchments.${e.level}`, `${JSON.stringify(e.settlementId)}: ${JSON.stringify(e.schoolId)}`)
          }
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
      fs.writeSync(out, (yaml ? `${header.comment}\n` : "") + head(header))
      const list = (name: SectionName, key: string) => {
        const s = sections.get(name)
        fs.writeSync(out, `${JSON.stringify(key)}:[`)
        if (s !== undefined) copy(s.file, out)
        fs.writeSync(out, "\n],")
      }
      list("settlements", "settlements")
      list("population", "population")
      list("schools", "schools")
      fs.writeSync(out, `"catchments":{`)
      School.levels.forEach((level, l) => {
        const s = sections.get(`catchments.${level}`)
        fs.writeSync(out, `${l === 0 ? "" : ","}${JSON.stringify(level)}:{`)
        if (s !== undefined) copy(s.file, out)
        fs.writeSync(out, "\n}")
      })
      fs.writeSync(out, "}")
      if (splits.size > 0) {
        const byLevel: Record<string, Record<string, { readonly school: string; readonly share: number }>> = {}
        for (const [key, split] of splits) {
          const bar = key.indexOf("|")
          ;(byLevel[key.slice(0, bar)] ??= {})[key.slice(bar + 1)] = split
        }
        fs.writeSync(out, `,"splits":${JSON.stringify(byLevel)}`)
      }
      fs.writeSync(out, `,"history":{`)
      list("births", "births")
      list("enrolment", "enrolment")
      fs.writeSync(out, `"migration":[]},"variants":[]}\n`)
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

const head = (h: Header): string =>
  `{"name":${JSON.stringify(h.name)},"synthetic":true,"description":${JSON.stringify(h.description)},"baseYear":${h.baseYear},"horizon":${h.horizon},\n`

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
