/**
 * `seatplan explain`: how one number was produced, in plain language (zh or en) and as JSON. It joins the
 * engine's trace (`@seatplan/sim` Provenance: settlements, cohorts, shares, grades, classes) with the
 * events that made them, each with its id and year: the school's own events, the catchment assignments
 * of the settlements that fed it, and the demography recorded for those settlements that the run used.
 */
import { type Event, Geography, School } from "@seatplan/core"
import type { Provenance } from "@seatplan/sim"

export type Lang = "zh" | "en"
export type Metric = "pupils" | "classes"

/** An event that changed the traced number, with its id and school year. */
export interface Cited {
  readonly id: string
  readonly year: number
  readonly type: Event.Event["_tag"]
  readonly why: "school" | "catchment" | "population" | "births" | "migration" | "housing" | "standard"
}

export interface Explanation {
  readonly variant: string
  readonly metric: Metric
  readonly value: number
  readonly trace: Provenance.Trace
  readonly events: ReadonlyArray<Cited>
}

const concerns = (e: Event.Event, school: string): boolean => {
  switch (e._tag) {
    case "SchoolOpened":
      return e.school.id === school
    case "SchoolsMerged":
      return e.into === school || e.absorbed.includes(school as never)
    case "SchoolClosed":
      return e.schoolId === school || e.pupilsTo === school
    case "SchoolExpanded":
    case "SchoolRepurposed":
    case "SchoolConverted":
    case "BoardingChanged":
      return e.schoolId === school
    default:
      return false
  }
}

/**
 * A stream's events indexed once by the schools and settlements they name, and its standard changes: what
 * `cite` reads for a trace instead of the whole log. A report explains every school, and walking the
 * whole log for each one was quadratic: at 20,000 settlements (7,400 schools) it was 97 s of a 151 s
 * report, 9 of every 10 events walked for nothing.
 */
export interface Citing {
  readonly events: ReadonlyArray<Event.NewEvent>
  readonly bySchool: ReadonlyMap<string, ReadonlyArray<number>>
  readonly bySettlement: ReadonlyMap<string, ReadonlyArray<number>>
  readonly standards: ReadonlyArray<number>
}

/**
 * Indexes `events` for `cite`: each event's position under every school and settlement it names in the
 * fields `cite`'s tests read (`concerns` and `why`), the standard changes apart.
 */
export const citing = (events: ReadonlyArray<Event.NewEvent>): Citing => {
  const bySchool = new Map<string, Array<number>>()
  const bySettlement = new Map<string, Array<number>>()
  const standards: Array<number> = []
  const under = (map: Map<string, Array<number>>, key: string, i: number) => {
    const list = map.get(key)
    if (list === undefined) map.set(key, [i])
    else if (list[list.length - 1] !== i) list.push(i)
  }
  for (let i = 0; i < events.length; i++) {
    const e = events[i].event
    switch (e._tag) {
      case "SchoolOpened":
        under(bySchool, e.school.id, i)
        break
      case "SchoolsMerged":
        under(bySchool, e.into, i)
        for (const a of e.absorbed) under(bySchool, a, i)
        break
      case "SchoolClosed":
        under(bySchool, e.schoolId, i)
        if (e.pupilsTo !== undefined) under(bySchool, e.pupilsTo, i)
        break
      case "SchoolExpanded":
      case "SchoolRepurposed":
      case "SchoolConverted":
      case "BoardingChanged":
        under(bySchool, e.schoolId, i)
        break
      case "CatchmentAssigned":
        under(bySchool, e.schoolId, i)
        under(bySettlement, e.settlementId, i)
        break
      case "PopulationRecorded":
      case "BirthsRecorded":
      case "HousingCompleted":
        under(bySettlement, e.settlementId, i)
        break
      case "MigrationRecorded":
        under(bySettlement, String(e.from), i)
        under(bySettlement, String(e.to), i)
        break
      case "StandardChanged":
        standards.push(i)
        break
    }
  }
  return { events, bySchool, bySettlement, standards }
}

/**
 * The events behind a trace: the school's (opened, expanded, merged, closed, converted…), the catchment
 * assignments of the level for the contributing settlements or the school, the population recorded for
 * those settlements that the run starts from (the latest up to the base year) or that replaced it later,
 * the base year's births when cohorts were born after it, recorded births, migration and housing of those
 * settlements in the projected years, and (for classes) standards changed. In the log's order. Given the
 * events, it walks them all; given their index (`citing`, made once for many traces), only the events
 * that name the school or one of the settlements (the same tests on each, so the same list).
 */
export const cite = (from: ReadonlyArray<Event.NewEvent> | Citing, trace: Provenance.Trace, metric: Metric): ReadonlyArray<Cited> => {
  const places = new Set(trace.settlements.map((s) => s.settlementId))
  const base = trace.baseYear
  const events = "bySchool" in from ? from.events : from
  // the positions to test, in the log's order: all of them, or those the index has for this trace
  let positions: ArrayLike<number> | undefined
  if ("bySchool" in from) {
    const found: Array<number> = []
    const add = (list: ReadonlyArray<number> | undefined) => {
      if (list !== undefined) for (const i of list) found.push(i)
    }
    add(from.bySchool.get(trace.schoolId))
    for (const place of places) add(from.bySettlement.get(place))
    if (metric === "classes") add(from.standards)
    const sorted = Int32Array.from(found).sort()
    let n = 0
    for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[n++] = sorted[k]
    positions = sorted.subarray(0, n)
  }
  const count = positions === undefined ? events.length : positions.length
  const at = (k: number) => events[positions === undefined ? k : positions[k]]
  const latest = new Map<string, number>()
  for (let k = 0; k < count; k++) {
    const e = at(k).event
    if (e._tag === "PopulationRecorded" && places.has(e.settlementId) && e.year <= base)
      latest.set(e.settlementId, Math.max(latest.get(e.settlementId) ?? -Infinity, e.year))
  }
  let youngest = Infinity // a loop, not Math.min(...cohorts): a province's cohorts outnumber a call's arguments
  for (const s of trace.settlements) for (const c of s.cohorts) if (c.age < youngest) youngest = c.age
  const bornAfterBase = trace.year - youngest > base
  const out: Array<Cited> = []
  const cited = (n: Event.NewEvent, why: Cited["why"]) => out.push({ id: n.id, year: n.event.year, type: n.event._tag, why })
  for (let k = 0; k < count; k++) {
    const n = at(k)
    const e = n.event
    if (e.year > trace.year) continue
    const projected = e.year > base
    if (concerns(e, trace.schoolId)) cited(n, "school")
    else if (e._tag === "CatchmentAssigned" && e.level === trace.level && (places.has(e.settlementId) || e.schoolId === trace.schoolId))
      cited(n, "catchment")
    else if (e._tag === "PopulationRecorded" && places.has(e.settlementId) && (projected || latest.get(e.settlementId) === e.year))
      cited(n, "population")
    else if (e._tag === "BirthsRecorded" && places.has(e.settlementId) && (projected || (bornAfterBase && e.year === base)))
      cited(n, "births")
    else if (e._tag === "MigrationRecorded" && projected && (places.has(String(e.from)) || places.has(String(e.to)))) cited(n, "migration")
    else if (e._tag === "HousingCompleted" && projected && places.has(e.settlementId)) cited(n, "housing")
    else if (e._tag === "StandardChanged" && metric === "classes") cited(n, "standard")
  }
  return out
}

/** An explanation of `metric` from a trace and the stream's events (or their index, `citing`, for many traces). */
export const explain = (
  variant: string,
  metric: Metric,
  trace: Provenance.Trace,
  events: ReadonlyArray<Event.NewEvent> | Citing
): Explanation => ({
  variant,
  metric,
  value: metric === "pupils" ? trace.pupils : trace.classes,
  trace,
  events: cite(events, trace, metric)
})

/** A school or settlement by name and id ("Xihe township 西河乡 (LS-XI)"), or by id when its name is not known. */
type Named = (id: string) => string

/**
 * The names of the schools and settlements the events record, by id (the latest name given), for `text`:
 * an explanation names what it counts, never by id alone.
 */
export const names = (events: ReadonlyArray<Event.NewEvent>): ReadonlyMap<string, string> => {
  const out = new Map<string, string>()
  for (const { event: e } of events) {
    if (e._tag === "SettlementRecorded") out.set(e.settlement.id, e.settlement.name)
    else if (e._tag === "SchoolOpened") out.set(e.school.id, e.school.name)
  }
  return out
}

const f1 = (x: number) => (Math.abs(x) < 0.05 ? 0 : x).toFixed(1)
const f3 = (x: number) => x.toFixed(3)
const schoolYear = (y: number) => `${y}/${String((y + 1) % 100).padStart(2, "0")}`

/**
 * A grade as planners name it: kindergarten's three years (grades −2, −1 and 0 in the model) are 小班, 中班
 * and 大班 (the explanation showed "-2 年级"), school grades 1 to 12 are 年级.
 */
const kindergartenGrades: Readonly<Record<number, { readonly zh: string; readonly en: string }>> = {
  [-2]: { zh: "小班", en: "kindergarten small class" },
  [-1]: { zh: "中班", en: "kindergarten middle class" },
  0: { zh: "大班", en: "kindergarten top class" }
}
const gradeZh = (g: number): string => kindergartenGrades[g]?.zh ?? `${g} 年级`
const gradeEn = (g: number): string => kindergartenGrades[g]?.en ?? `grade ${g}`

const ruleZh: Record<string, string> = {
  "catchment-only": "只入划片学校，不论是否满员",
  "catchment-then-nearest": "先入划片学校至学位用满，溢出学生就近安排到有空余学位的学校",
  "catchment-then-boarding": "划片学校；超出寄宿距离的学生在该校寄宿，床位不足时到有空床位的学校寄宿"
}

const words = {
  en: {
    title: (e: Explanation, named: Named) =>
      `${e.metric === "pupils" ? "Pupils" : "Classes"} of ${e.trace.level} at ${named(e.trace.schoolId)} in ${schoolYear(e.trace.year)} (${e.variant}): ${e.metric === "pupils" ? `${Math.round(e.value)} pupils (${f1(e.value)} unrounded)` : `${e.value} classes`}`,
    method: (t: Provenance.Trace) =>
      `Method: ${t.method}; projected from the base year ${t.baseYear}. Allocation rule ${t.rule.name}: ${t.rule.description}.`,
    closed: "The school is not open that year: it has no pupils.",
    rates: (t: Provenance.Trace) =>
      `Children become pupils at participation ${f3(t.participation)} × retention ${f3(t.retention)} per grade passed × (1 − repetition ${f3(t.repetition)}).`,
    step1: "1. Children of each grade's age (age = grade + 5) in the settlements whose home school this is, × the grade's rate:",
    cohort: (c: Provenance.Cohort) =>
      `${gradeEn(c.grade)}: ${f1(c.children)} aged ${c.age} × ${f3(c.rate)}${c.repeatRate > 0 ? ` + ${f1(c.older)} repeating × ${f3(c.repeatRate)}` : ""} = ${f1(c.pupils)}`,
    settlement: (s: Provenance.Contribution, named: Named) => `${named(s.settlementId)}, ${s.tier}: ${f1(s.pupils)} pupils`,
    step2: (t: Provenance.Trace) =>
      t.catchmentPupils > t.seats && t.settlements[0]?.share !== 1
        ? `2. The catchment has ${f1(t.catchmentPupils)} pupils for ${f1(t.seats)} seats: the rule's first pass takes ${f3(t.settlements[0]?.share ?? 1)} of each settlement's pupils.`
        : `2. The catchment has ${f1(t.catchmentPupils)} pupils for ${f1(t.seats)} seats: the rule's first pass takes them all.`,
    sent: (s: Provenance.Contribution, named: Named) => `${named(s.settlementId)}: ${f1(s.pupils)} × ${f3(s.share)} = ${f1(s.sent)}`,
    overflow: (x: number) =>
      `3. The rule's overflow: ${x >= 0 ? "+" : ""}${f1(x)} (pupils from other catchments, or this catchment's overflow that found no seat elsewhere; negative: pupils placed at other schools).`,
    grades: "4. By grade:",
    grade: (g: Provenance.GradeStep) =>
      g.source === "progression"
        ? `${gradeEn(g.grade)}: last year's ${gradeEn(g.grade - 1)}, ${f1(g.previous ?? 0)} × progression ratio ${f3(g.ratio ?? 1)} = ${f1(g.pupils)}`
        : g.source === "recorded"
          ? `${gradeEn(g.grade)}: ${f1(g.pupils)} as recorded in the base year`
          : `${gradeEn(g.grade)}: ${f1(g.pupils)} placed by the rule`,
    classes: (g: Provenance.GradeStep) =>
      g.pupils <= 0
        ? `${gradeEn(g.grade)}: no pupils, no class`
        : `${gradeEn(g.grade)}: ${Math.round(g.pupils)} pupils / cap ${g.cap} → ${Math.ceil(Math.round(g.pupils) / g.cap)} classes wanted; ${g.classes} formed${g.classes < Math.ceil(Math.round(g.pupils) / g.cap) ? " (not enough classrooms)" : ""}, largest ${g.maxClass}`,
    total: (e: Explanation) => `Total: ${e.metric === "pupils" ? f1(e.value) : String(e.value)}`,
    events: "Events behind it (id, year, type, why):"
  },
  zh: {
    title: (e: Explanation, named: Named) =>
      `${named(e.trace.schoolId)} ${schoolYear(e.trace.year)}学年 ${School.levelLabels[e.trace.level].zh}${e.metric === "pupils" ? "在校生" : "班数"}（${e.variant}）：${e.metric === "pupils" ? `${Math.round(e.value)} 人（未取整 ${f1(e.value)}）` : `${e.value} 个班`}`,
    method: (t: Provenance.Trace) =>
      `方法：${t.method === "cohort-component" ? "队列要素法" : "年级升级比法"}，自基年 ${t.baseYear} 起预测。分配规则 ${t.rule.name}：${ruleZh[t.rule.name] ?? t.rule.description}。`,
    closed: "该校当年未开办，无在校生。",
    rates: (t: Provenance.Trace) =>
      `适龄儿童 × 入学率 ${f3(t.participation)} × 每升一级巩固率 ${f3(t.retention)} ×（1 − 留级率 ${f3(t.repetition)}）= 学生。`,
    step1: "1. 以本校为就近学校的居民点，各年级对应年龄（年龄 = 年级 + 5）的儿童 × 该年级比率：",
    cohort: (c: Provenance.Cohort) =>
      `${gradeZh(c.grade)}：${f1(c.children)} 名 ${c.age} 岁儿童 × ${f3(c.rate)}${c.repeatRate > 0 ? ` + ${f1(c.older)} 名留级 × ${f3(c.repeatRate)}` : ""} = ${f1(c.pupils)}`,
    settlement: (s: Provenance.Contribution, named: Named) =>
      `${named(s.settlementId)}，${Geography.tierLabels[s.tier].zh}：${f1(s.pupils)} 名学生`,
    step2: (t: Provenance.Trace) =>
      t.catchmentPupils > t.seats && t.settlements[0]?.share !== 1
        ? `2. 学区共 ${f1(t.catchmentPupils)} 名学生，学位 ${f1(t.seats)}：规则第一轮按 ${f3(t.settlements[0]?.share ?? 1)} 的比例接收各居民点学生。`
        : `2. 学区共 ${f1(t.catchmentPupils)} 名学生，学位 ${f1(t.seats)}：规则第一轮全部接收。`,
    sent: (s: Provenance.Contribution, named: Named) => `${named(s.settlementId)}：${f1(s.pupils)} × ${f3(s.share)} = ${f1(s.sent)}`,
    overflow: (x: number) =>
      `3. 规则的溢出调剂：${x >= 0 ? "+" : ""}${f1(x)}（来自其他学区的溢出学生，或本学区在别处找不到学位而留下的学生；负数为分流到其他学校的学生）。`,
    grades: "4. 分年级：",
    grade: (g: Provenance.GradeStep) =>
      g.source === "progression"
        ? `${gradeZh(g.grade)}：上一年${gradeZh(g.grade - 1)} ${f1(g.previous ?? 0)} × 年级升级比 ${f3(g.ratio ?? 1)} = ${f1(g.pupils)}`
        : g.source === "recorded"
          ? `${gradeZh(g.grade)}：基年实录 ${f1(g.pupils)}`
          : `${gradeZh(g.grade)}：规则分配 ${f1(g.pupils)}`,
    classes: (g: Provenance.GradeStep) =>
      g.pupils <= 0
        ? `${gradeZh(g.grade)}：无学生，不设班`
        : `${gradeZh(g.grade)}：${Math.round(g.pupils)} 名学生 ÷ 班额上限 ${g.cap} → 需 ${Math.ceil(Math.round(g.pupils) / g.cap)} 个班；实设 ${g.classes} 个${g.classes < Math.ceil(Math.round(g.pupils) / g.cap) ? "（教室不足）" : ""}，最大班额 ${g.maxClass}`,
    total: (e: Explanation) => `合计：${e.metric === "pupils" ? f1(e.value) : String(e.value)}`,
    events: "相关事件（编号、学年、类型、原因）："
  }
} as const

/** The explanation in plain language. */
export const text = (e: Explanation, lang: Lang, names: ReadonlyMap<string, string> = new Map()): string => {
  const w = words[lang]
  const t = e.trace
  const named: Named = (id) => {
    const name = names.get(id)
    return name === undefined || name === id ? id : `${name} (${id})`
  }
  const lines: Array<string> = [w.title(e, named), w.method(t)]
  if (!t.open) lines.push(w.closed)
  if (e.metric === "pupils") {
    lines.push(w.rates(t), w.step1)
    for (const s of t.settlements) {
      lines.push(`  ${w.settlement(s, named)}`)
      for (const c of s.cohorts) lines.push(`    ${w.cohort(c)}`)
    }
    lines.push(w.step2(t))
    for (const s of t.settlements) lines.push(`  ${w.sent(s, named)}`)
    lines.push(w.overflow(t.overflow), w.grades)
    for (const g of t.grades) lines.push(`  ${w.grade(g)}`)
  } else {
    for (const g of t.grades) lines.push(`  ${w.classes(g)}`)
  }
  lines.push(w.total(e), "", w.events)
  for (const c of e.events) lines.push(`  ${c.id}  ${c.year}  ${c.type}  ${c.why}`)
  return lines.join("\n")
}
