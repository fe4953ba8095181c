/**
 * Writing results: CSV (nested objects flattened), aligned text tables, and GeoJSON of settlements and
 * schools with a year's figures as properties.
 */
import { Columns, Compliance, type Tables, Whole } from "@seatplan/sim"
import { Data, Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"

/** A file or folder seatplan was asked to write cannot be written. */
export class WriteError extends Data.TaggedError("WriteError")<{ readonly file: string; readonly code: string; readonly detail: string }> {
  override get message() {
    return `cannot write ${this.file}: expected a place seatplan can write to, found ${this.code} (${this.detail})`
  }
}

/**
 * Writes a file, creating its folder; fails with a `WriteError` naming the file. Never writes through a
 * link: the text goes to a new file beside the target (created exclusively, so an existing link there is
 * not followed) and is then renamed over the target, which replaces a link with the file instead of
 * writing into what it points to.
 */
export const write = (file: string, data: string | Uint8Array): Effect.Effect<void, WriteError> =>
  Effect.try({ try: () => writeSync(file, data), catch: failed(file) })

/** `write` of text made in pieces (`writeChunksSync`). */
export const writeChunks = (file: string, chunks: Iterable<string>): Effect.Effect<void, WriteError> =>
  Effect.try({ try: () => writeChunksSync(file, chunks), catch: failed(file) })

const failed = (file: string) => (e: unknown) =>
  new WriteError({ file, code: (e as NodeJS.ErrnoException).code ?? "an error", detail: e instanceof Error ? e.message : String(e) })

/** `write` for code that is already inside a `try`: throws the file system's error. */
export const writeSync = (file: string, data: string | Uint8Array): void => {
  const dir = path.dirname(path.resolve(file))
  ensureDir(dir)
  const target = fs.lstatSync(file, { throwIfNoEntry: false })
  if (target?.isDirectory() === true) throw Object.assign(new Error(`${file} is a folder`), { code: "EISDIR" })
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`)
  try {
    fs.writeFileSync(temp, data, { flag: "wx" })
    fs.renameSync(temp, file)
  } catch (e) {
    fs.rmSync(temp, { force: true })
    throw e
  }
}

/**
 * `writeSync` for text made in pieces (a table of millions of rows is longer than the longest string
 * JavaScript can hold): `first` (a CSV's byte order mark) and the pieces are written one after another to a
 * temporary file renamed into place.
 */
export const writeChunksSync = (file: string, chunks: Iterable<string>, first = ""): void => {
  const dir = path.dirname(path.resolve(file))
  ensureDir(dir)
  const target = fs.lstatSync(file, { throwIfNoEntry: false })
  if (target?.isDirectory() === true) throw Object.assign(new Error(`${file} is a folder`), { code: "EISDIR" })
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`)
  const fd = fs.openSync(temp, "wx")
  try {
    try {
      if (first !== "") fs.writeSync(fd, first)
      for (const chunk of chunks) fs.writeSync(fd, chunk)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temp, file)
  } catch (e) {
    fs.rmSync(temp, { force: true })
    throw e
  }
}

/** Rows per piece when a table is written in pieces. */
const rowsPerChunk = 100_000

/**
 * A table's rows in pieces of `size` rows taken as they are iterated, so that a table read from a typed array
 * as it is written (a province's population) is never whole in memory. Give a `size` that is a multiple of
 * the rows that add up to one total when the pieces are rounded (`whole`) one by one, or a `key` the rows that
 * add up to one total share (consecutive rows): a piece then ends only where the key changes, at `size` rows or more.
 */
export function* pieces<T>(rows: Iterable<T>, size = rowsPerChunk, key?: (row: T) => string): Generator<ReadonlyArray<T>> {
  if (key !== undefined) {
    // a piece ends only where the key changes, once it has `size` rows
    let piece: Array<T> = []
    let last: string | undefined
    for (const row of rows) {
      const k = key(row)
      if (piece.length >= size && k !== last) {
        yield piece
        piece = []
      }
      piece.push(row)
      last = k
    }
    if (piece.length > 0) yield piece
    return
  }
  if (Array.isArray(rows)) {
    for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size)
    return
  }
  let piece: Array<T> = []
  for (const row of rows) {
    piece.push(row)
    if (piece.length === size) {
      yield piece
      piece = []
    }
  }
  if (piece.length > 0) yield piece
}

/**
 * A table's CSV in pieces of `size` rows (the header once, from the first row), as `csv` writes it whole;
 * `each` turns a piece into the rows written (e.g. `whole` rounding), and `key` keeps the rows that share it
 * in one piece (`pieces`).
 */
export function* csvChunks(
  rows: Iterable<object>,
  size = rowsPerChunk,
  each: (piece: ReadonlyArray<object>) => ReadonlyArray<object> = (piece) => piece,
  /** Pieces end only where this changes (`pieces`). */
  key?: (row: object) => string
): Generator<string> {
  let first = true
  for (const piece of pieces(rows, size, key)) {
    const text = csv(each(piece))
    yield first ? text : text.slice(text.indexOf("\n") + 1)
    first = false
  }
}

/**
 * A registry table's CSV rounded to whole figures (`whole`), in pieces: what `csvChunks(rows, size, (piece)
 * => whole(name, piece), key)` writes, without keeping a row. Each piece of `size` rows or more (ending only
 * where `key` changes) is rounded as `whole` rounds it, the whole figures kept in a column each, and its text
 * yielded about `chars` characters at a time. A row's cells are read as it comes, into arrays reused from
 * piece to piece (its numbers into a typed array), and the row is let go: a province's schools are made as
 * they are read (`Tables.SchoolTable`), and a piece of 30,000 of them kept until it was written outlived the
 * young generation and was copied by the collector. A piece with a record figure (`flatten`) is written as
 * `csvChunks` writes it, from rows made again of its cells.
 */
export function* wholeCsvChunks(
  name: Columns.Table,
  rows: Iterable<object>,
  size = rowsPerChunk,
  key?: (row: object) => string,
  chars = textChars
): Generator<string> {
  const counted = Columns.of(name).filter(Columns.shownWhole)
  const groupOf = groups[name]
  let first = true
  // the piece in hand: its header (its first row's keys), its rows' cells (rows × header; a number in
  // `numbers`, another value in `others`, `isNumber` saying which) and each row's rounding group
  let header: ReadonlyArray<string> = []
  let width = 0
  let n = 0
  let flat = true
  let numbers = new Float64Array(0)
  let isNumber = new Uint8Array(0)
  const others: Array<unknown> = []
  const groupKeys: Array<string> = []
  const cellAt = (at: number): unknown => (isNumber[at] === 1 ? numbers[at] : others[at])
  const put = (at: number, v: unknown) => {
    if (typeof v === "number") {
      numbers[at] = v
      isNumber[at] = 1
    } else {
      others[at] = v
      isNumber[at] = 0
      if (isRecord(v)) flat = false
    }
  }
  const read = (row: object) => {
    if (n === 0) {
      header = Object.keys(row)
      width = header.length
    }
    const at = n * width
    if (numbers.length < at + width) {
      const grown = Math.max(at + width, numbers.length * 2)
      const nextNumbers = new Float64Array(grown)
      nextNumbers.set(numbers.subarray(0, at))
      const nextIs = new Uint8Array(grown)
      nextIs.set(isNumber.subarray(0, at))
      numbers = nextNumbers
      isNumber = nextIs
      others.length = grown
    }
    const r = row as Readonly<Record<string, unknown>>
    // a row with the header's keys in its order (every row, as the tables make them) by `Object.values`,
    // another by name: a lookup by a name that changes at every read was most of a province's schools.csv
    const keys = Object.keys(r)
    let same = keys.length === width
    for (let h = 0; h < width && same; h++) same = keys[h] === header[h]
    if (same) {
      const values = Object.values(r)
      for (let h = 0; h < width; h++) put(at + h, values[h])
    } else {
      if (nested(r)) flat = false
      for (let h = 0; h < width; h++) put(at + h, r[header[h]])
    }
    groupKeys[n] = groupOf(r)
    n++
  }
  function* piece(): Generator<string> {
    // a record figure or a nested one: the rows, made again of their cells, flattened and rounded by `whole`
    if (!flat) {
      const rowsOfPiece = Array.from({ length: n }, (_, j) => Object.fromEntries(header.map((h, i) => [h, cellAt(j * width + i)])))
      const text = csv(whole(name, rowsOfPiece))
      yield first ? text : text.slice(text.indexOf("\n") + 1)
      first = false
      return
    }
    // each counted column's place in the header (-1: not written, so not rounded)
    const column = counted.map((c) => header.indexOf(c.id))
    // each counted column's whole figures, where its group's figures are all numbers (`Whole.table`)
    const rounded = counted.map(() => new Float64Array(n))
    const isRounded = counted.map(() => new Uint8Array(n))
    const members = new Map<string, Array<number>>()
    for (let j = 0; j < n; j++) {
      const g = groupKeys[j]
      const m = members.get(g)
      if (m === undefined) members.set(g, [j])
      else m.push(j)
    }
    // a group's figures and their whole numbers in two arrays reused for every group and column
    let largest = 0
    for (const m of members.values()) largest = Math.max(largest, m.length)
    const values = new Float64Array(largest)
    const wholes = new Float64Array(largest)
    for (const m of members.values()) {
      for (let c = 0; c < counted.length; c++) {
        const h = column[c]
        if (h < 0) continue
        let allNumbers = true
        for (let k = 0; k < m.length && allNumbers; k++) {
          const at = m[k] * width + h
          if (isNumber[at] === 1) values[k] = numbers[at]
          else allNumbers = false
        }
        if (!allNumbers) continue
        Whole.largestRemainderInto(values, 0, m.length, wholes)
        for (let k = 0; k < m.length; k++) {
          rounded[c][m[k]] = wholes[k]
          isRounded[c][m[k]] = 1
        }
      }
    }
    // a difference or sum of its row's figures (teacher_gap, teachers_available): that of their whole values (Column.wholeFrom)
    for (let c = 0; c < counted.length; c++) {
      const from = Columns.wholeFromIn(counted[c], name)
      if (from === undefined || column[c] < 0) continue
      const a = counted.findIndex((x) => x.id === from.of)
      const b = counted.findIndex((x) => x.id === Columns.operand(from))
      if (a < 0 || b < 0) continue
      for (let j = 0; j < n; j++) {
        if (isRounded[c][j] !== 1 || isRounded[a][j] !== 1 || isRounded[b][j] !== 1) continue
        rounded[c][j] = Columns.combined(from, rounded[a][j], rounded[b][j])
      }
    }
    // each header column's counted column, or -1
    const countedAt = header.map((h) => counted.findIndex((c) => c.id === h))
    let text = first ? `${header.join(",")}\n` : ""
    first = false
    // a row's cells, joined into one flat string (concatenated, each cell was a string more to collect)
    const cells = new Array<string>(width)
    for (let j = 0; j < n; j++) {
      const at = j * width
      for (let h = 0; h < width; h++) {
        const c = countedAt[h]
        cells[h] = cell(c >= 0 && isRounded[c][j] === 1 ? rounded[c][j] : cellAt(at + h))
      }
      text += `${cells.join(",")}\n`
      if (text.length >= chars) {
        yield text
        text = ""
      }
    }
    if (text !== "") yield text
  }
  // a piece ends at `size` rows, or with a `key`, at the first row after them whose key differs (`pieces`)
  let last: string | undefined
  for (const row of rows) {
    const k = key?.(row)
    if (n > 0 && (key === undefined ? n === size : n >= size && k !== last)) {
      yield* piece()
      n = 0
      flat = true
    }
    last = k
    read(row)
  }
  if (n > 0) yield* piece()
}

/**
 * A table's JSON (an array of its rows) in pieces of about `chars` characters, as `JSON.stringify(rows)`
 * writes it whole (an array's JSON is its elements' JSON joined by commas). Pieces of rows stringified
 * together were tens of megabytes at a province (20,000 school rows of 58 figures) and each was copied
 * again to drop its brackets; pieces this size die young (`textChars`).
 */
export function* jsonChunks(rows: Iterable<object>, chars = textChars): Generator<string> {
  let text = "["
  let first = true
  for (const row of rows) {
    text += first ? JSON.stringify(row) : `,${JSON.stringify(row)}`
    first = false
    if (text.length >= chars) {
      yield text
      text = ""
    }
  }
  yield `${text}]`
}

/** The file in an output folder naming the scenario file it was written for (so that no two share it). */
export const ownerFile = ".seatplan-scenario"

/** The scenario file an output folder was written for, if it says. */
const ownerOf = (dir: string): string | undefined => {
  try {
    return fs.readFileSync(path.join(dir, ownerFile), "utf8").trim()
  } catch {
    return undefined
  }
}

/**
 * The default output folder for a scenario file: `out/<its folder's name>` (`scenarios/county/scenario.yaml`
 * → `out/county`), or `out/<folder>-<file name>` for a file not called `scenario` (`plans/north.yaml` →
 * `out/plans-north`), made safe so that it is always a folder of its own inside `out/`. A folder already
 * written for another scenario file (its `.seatplan-scenario` names that file) is never reused: `-2`, `-3`…
 * is appended until a free or own folder is found. `claim` records the owner once the folder is written.
 */
export const defaultDir = (scenarioFile: string, suffix = ""): string => {
  const absolute = path.resolve(scenarioFile)
  const safe = (text: string) =>
    text
      .replace(/[^\p{L}\p{N}_.-]+/gu, "-")
      .replace(/^[.-]+/, "")
      .slice(0, 100)
  const stem = safe(path.basename(absolute).replace(/\.[^.]*$/, ""))
  const folder = safe(path.basename(path.dirname(absolute)))
  const name = folder === "" ? stem : stem === "" || stem === "scenario" || stem === folder ? folder : `${folder}-${stem}`
  const base = path.join("out", `${name === "" ? "scenario" : name}${suffix}`)
  for (let n = 1; n < 1000; n++) {
    const dir = n === 1 ? base : `${base}-${n}`
    const stat = fs.statSync(dir, { throwIfNoEntry: false })
    if (stat === undefined) return dir
    if (!stat.isDirectory()) continue
    const owner = ownerOf(dir)
    if (owner === absolute || (owner === undefined && isEmpty(dir))) return dir
  }
  return `${base}-${process.pid}`
}

const isEmpty = (dir: string): boolean => {
  try {
    return fs.readdirSync(dir).length === 0
  } catch {
    return false
  }
}

/** Records in an output folder which scenario file it was written for (see `defaultDir`). */
export const claim = (dir: string, scenarioFile: string): Effect.Effect<void, WriteError> =>
  write(path.join(dir, ownerFile), `${path.resolve(scenarioFile)}\n`)

/**
 * Creates a folder and its missing parents, one level at a time: Node 20's `mkdirSync(…, { recursive })`
 * spins forever where a parent refuses new entries with ENOENT (under /proc); this fails with the error.
 */
/**
 * The output folder made if missing and checked writable before a long computation: `sweep` and `backtest`
 * computed for minutes, then found `--out` was a file.
 */
export const writableDir = (dir: string): Effect.Effect<void, WriteError> =>
  Effect.try({
    try: () => {
      ensureDir(dir)
      if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is a file`), { code: "ENOTDIR" })
      fs.accessSync(dir, fs.constants.W_OK)
    },
    catch: failed(dir)
  })

export const ensureDir = (dir: string): void => {
  const missing: Array<string> = []
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing.unshift(d)
    if (path.dirname(d) === d) break
  }
  for (const d of missing) fs.mkdirSync(d)
}

/**
 * Rows as CSV: a header of the first row's keys; nested objects become `<prefix>_<inner>` columns, the
 * prefix the registry's `csvPrefix` for a record column (`dc_` for `difference_coefficients`), else the key.
 * For the tidy tables this is `Columns.csvHeader` (test/registryHeaders.test.ts).
 */
export const csv = (rows: ReadonlyArray<object>): string => {
  if (rows.length === 0) return ""
  // a row with no record column is its own flat row (a province's 600,000 school rows are not copied)
  const flat = rows.map((r) => (nested(r) ? flatten(r) : (r as Readonly<Record<string, unknown>>)))
  const header = Object.keys(flat[0])
  return [header.join(","), ...flat.map((r) => header.map((h) => cell(r[h])).join(","))].join("\n") + "\n"
}

/** Whether a row has a record column (`flatten` makes its keys columns). */
const nested = (row: object): boolean => {
  const r = row as Readonly<Record<string, unknown>>
  // a loop over the keys, not `Object.values` (an array a row)
  for (const k in r) {
    if (!Object.hasOwn(r, k)) continue
    if (isRecord(r[k])) return true
  }
  return false
}

/** Whether a figure is a record (an object, not an array): its keys are columns of their own. */
const isRecord = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v)

/** The texts of the whole numbers below 16,384, made once: most figures of a province's population and schools tables. */
const smallWholes: ReadonlyArray<string> = Array.from({ length: 16_384 }, (_, i) => String(i))

/** A CSV cell: a number to 6 decimals, text neutralised (`neutralise`) and quoted where it must be. */
const zeros = ["", "0", "00", "000", "0000", "00000"]

/**
 * A figure's text in CSV: rounded to 6 decimals, `String(Math.round(v * 1e6) / 1e6)` to the character, built
 * from the rounded integer's digits where that is exact (|v| below 1e9, where a double's spacing is under
 * half a millionth, so the 6-decimal text is the number's shortest): V8's shortest-text conversion of a
 * double was the largest part of writing a province's tables (36 M figures in the schools' CSV alone);
 * this is 3 × quicker. Equal to the formula for every double (property in `outputChunks.test.ts`).
 */
export const numberText = (v: number): string => {
  if (v >= 0 && v < smallWholes.length && v === Math.floor(v)) return smallWholes[v]
  const r = Math.round(v * 1e6)
  if (r > -1e15 && r < 1e15) {
    if (r === 0) return "0"
    const negative = r < 0
    const a = negative ? -r : r
    const whole = Math.floor(a / 1e6)
    let fraction = a - whole * 1e6
    const sign = negative ? "-" : ""
    if (fraction === 0) return negative ? `-${whole}` : whole < smallWholes.length ? smallWholes[whole] : `${whole}`
    let digits = 6
    while (fraction % 10 === 0) {
      fraction /= 10
      digits--
    }
    const text = `${fraction}`
    return `${sign}${whole}.${zeros[digits - text.length]}${text}`
  }
  return String(r / 1e6)
}

const cell = (v: unknown): string => {
  // a number's text has no comma, quote or line break to quote
  if (typeof v === "number") return numberText(v)
  const text = v === undefined ? "" : neutralise(String(v))
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * Characters of text a piece, about: a piece is a string of concatenations, alive until it is written, and
 * a longer one outlives the young generation (Node's default). Measured at load 6-7, 912,000 checks' JSON
 * in pieces of 1,000 rows (210,000 characters) took 2.0 s of CPU, of 500 rows 0.3-0.5 s, of 20,000 rows 6.3
 * s; 4 M population rows' JSON 4.4 s in pieces of 20,000 rows, 2.0 s in pieces of 1,000 (70,000 characters).
 */
const textChars = 65_536

/**
 * The population tables' CSV (`bom` first), in pieces of about `size` characters, as `csvChunks` of their rows
 * rounded piece by piece (`whole`) writes it, without making the rows: each settlement's children by age
 * are rounded together by largest remainder (`Whole.largestRemainder`, as `whole` does) and written as text.
 */
export function* populationCsv(tables: ReadonlyArray<Pick<Tables.PopulationTable, "block">>, size = textChars): Generator<string> {
  let text = ""
  let header = false
  for (const table of tables) {
    // read in place (`block`): a province's 2 M settlement-years, each rounded into one scratch array
    const { variant, firstYear, years, perGroup, settlementIds, children } = table.block()
    const whole = new Float64Array(perGroup)
    const ageText = Array.from({ length: perGroup }, (_, a) => cell(a))
    const variantText = cell(variant)
    for (let y = 0; y < years; y++) {
      const yearText = cell(firstYear + y)
      for (let s = 0; s < settlementIds.length; s++) {
        if (!header) text = "variant,year,settlement_id,age,children\n"
        header = true
        const head = `${variantText},${yearText},${cell(settlementIds[s])},`
        // along the ages (`Columns` children: cumulative), so that a level's ages add up to within 1 of their exact sum
        Whole.cumulativeInto(children, (y * settlementIds.length + s) * perGroup, perGroup, whole)
        for (let a = 0; a < perGroup; a++) text += `${head}${ageText[a]},${cell(whole[a])}\n`
        if (text.length >= size) {
          yield text
          text = ""
        }
      }
    }
  }
  if (text !== "") yield text
}

/** The population tables' JSON in pieces of about `size` characters: `JSON.stringify` of their rows, without making them. */
export function* populationJson(tables: ReadonlyArray<Pick<Tables.PopulationTable, "block">>, size = textChars): Generator<string> {
  let text = "["
  let first = true
  for (const table of tables) {
    const { variant, firstYear, years, perGroup, settlementIds, children } = table.block()
    const variantText = JSON.stringify(variant)
    for (let y = 0; y < years; y++) {
      const yearText = JSON.stringify(firstYear + y)
      for (let s = 0; s < settlementIds.length; s++) {
        const head = `{"variant":${variantText},"year":${yearText},"settlement_id":${JSON.stringify(settlementIds[s])},"age":`
        const at = (y * settlementIds.length + s) * perGroup
        for (let a = 0; a < perGroup; a++) {
          const c = children[at + a]
          // JSON's text of a number is its shortest text (null when not finite)
          text += `${first ? "" : ","}${head}${a},"children":${Number.isFinite(c) ? String(c) : "null"}}`
          first = false
        }
        if (text.length >= size) {
          yield text
          text = ""
        }
      }
    }
  }
  yield `${text}]`
}

/** A check's keys, in the order a `Compliance.Check` has them: the standards table's header. */
const checkKeys: ReadonlyArray<keyof Compliance.Check> = [
  "variant",
  "year",
  "rule",
  "scope",
  "level",
  "school_id",
  "value",
  "threshold",
  "margin",
  "pass",
  "status",
  "missing",
  "counts"
]

/** What the checks' writers read of a variant's checks (`Compliance.Checks`): their columns, count and first year. */
export type ChecksColumns = Pick<Compliance.Checks, "length" | "columns" | "since">

/** A check's text (`Compliance.CheckColumns`) made once for all of a variant's checks, by `quote`. */
const checkTexts = (c: Compliance.CheckColumns, quote: (v: string | boolean) => string) => ({
  strings: c.strings.map(quote),
  rules: c.rules.map((r) => ({ id: quote(r.id), scope: quote(r.scope), counts: quote(r.counts), direction: r.direction })),
  statuses: Compliance.statuses.map(quote),
  passes: Compliance.statuses.map((s) => quote(s === "pass"))
})

/**
 * A run's checks (its variants' `Compliance.Checks`) as CSV in pieces of about `size` characters, made from their
 * columns: what `csv` writes for the checks as objects, without making one (a province has 8.5 M).
 */
export function* checksCsv(parts: ReadonlyArray<ChecksColumns>, size = textChars): Generator<string> {
  if (!parts.some((p) => p.length > 0)) return
  let text = `${checkKeys.join(",")}\n`
  for (const part of parts) {
    const c = part.columns
    const { strings, rules, statuses, passes } = checkTexts(c, cell)
    for (let i = 0; i < c.year.length; i++) {
      if (c.year[i] < part.since) continue
      const rule = rules[c.rule[i]]
      const value = c.numbers[i * 2]
      const threshold = c.numbers[i * 2 + 1]
      const m = Compliance.margin(rule.direction, value, threshold)
      const st = c.status[i]
      const t = i * 4
      text += `${strings[c.text[t]]},${cell(c.year[i])},${rule.id},${rule.scope},${strings[c.text[t + 1]]},${strings[c.text[t + 2]]},${cell(value)},${cell(threshold)},${cell(m)},${passes[st]},${statuses[st]},${strings[c.text[t + 3]]},${rule.counts}\n`
      if (text.length >= size) {
        yield text
        text = ""
      }
    }
  }
  if (text !== "") yield text
}

/** A number's JSON text: its shortest text, null when not finite (as `JSON.stringify` writes it). */
const jsonNumber = (v: number): string => (Number.isFinite(v) ? String(v) : "null")

/**
 * A run's checks as JSON (an array of their rows) in pieces of about `size` characters, made from their columns:
 * what `jsonChunks` writes for the checks as objects, without making one.
 */
export function* checksJson(parts: ReadonlyArray<ChecksColumns>, size = textChars): Generator<string> {
  let text = "["
  let first = true
  for (const part of parts) {
    const c = part.columns
    const { strings, rules, statuses, passes } = checkTexts(c, (v) => JSON.stringify(v))
    for (let i = 0; i < c.year.length; i++) {
      if (c.year[i] < part.since) continue
      const rule = rules[c.rule[i]]
      const value = c.numbers[i * 2]
      const threshold = c.numbers[i * 2 + 1]
      const m = Compliance.margin(rule.direction, value, threshold)
      const st = c.status[i]
      const t = i * 4
      text += `${first ? "" : ","}{"variant":${strings[c.text[t]]},"year":${jsonNumber(c.year[i])},"rule":${rule.id},"scope":${rule.scope},"level":${strings[c.text[t + 1]]},"school_id":${strings[c.text[t + 2]]},"value":${jsonNumber(value)},"threshold":${jsonNumber(threshold)},"margin":${jsonNumber(m)},"pass":${passes[st]},"status":${statuses[st]},"missing":${strings[c.text[t + 3]]},"counts":${rule.counts}}`
      first = false
      if (text.length >= size) {
        yield text
        text = ""
      }
    }
  }
  yield `${text}]`
}

/** The rows whose figures add up to one total, per table: a level's schools to the county, a settlement's ages. */
const groups: Readonly<Record<Columns.Table, (row: Record<string, unknown>) => string>> = {
  // a level's schools, its county row and its catchments: one key (`Whole.schoolSums` groups by it too)
  schools: Whole.schoolKey,
  county: Whole.schoolKey,
  catchments: Whole.schoolKey,
  population: (r) => `${r.variant}|${r.year}|${r.settlement_id}`,
  seat_demand: Whole.schoolKey,
  completeness: (r) => String(r.school_id),
  groups: (r) => `${r.variant}|${r.year}|${r.group_id}|${r.level}`,
  // a sweep's rows each stand alone (no figure adds up to another row's): each is rounded on its own
  sweep: (r) => `${r.future}|${r.variant}|${r.year}|${r.level}`,
  sweep_bands: (r) => `${r.variant}|${r.year}|${r.level}|${r.figure}`,
  robustness: (r) => `${r.variant}|${r.year}|${r.standard}`,
  regret: (r) => `${r.future}|${r.variant}`,
  // a comparison's, the accounts' and the ledger's rows each stand alone; a check's figures are in its rule's unit (none counted)
  compare: (r) => `${r.variant}|${r.level}|${r.year}`,
  accounts: (r) => String(r.variant),
  ledger: (r) => `${r.variant}|${r.year}`,
  standards: (r) => `${r.variant}|${r.year}|${r.rule}|${r.scope}|${r.level}|${r.school_id}`
}

/**
 * A registry table's rows as people read them (CSV, spreadsheets): whole pupils, seats, classes and
 * teachers, rounded by largest remainder so that a level's schools still add up to the county (`Whole`).
 * Given the sums of the school rows' whole figures (`Whole.schoolSums`), a county or compared row's pupils
 * over seats, idle seats and boarders without beds are those sums. Other rows (bands, checks) are returned
 * as they are. JSON keeps the exact values.
 */
export const whole = (name: string, rows: ReadonlyArray<object>, schools?: Whole.PrintedSums): ReadonlyArray<object> =>
  (Columns.tables as ReadonlyArray<string>).includes(name)
    ? Whole.table(name as Columns.Table, rows as ReadonlyArray<Record<string, unknown>>, groups[name as Columns.Table], schools)
    : rows

/** A variant's school rows as the whole figures' sums read them: all, or a year's (`Tables.SchoolTable`). */
export type Schools = Iterable<object> & Pick<Tables.SchoolTable, "inYear">

/**
 * The sums of the variants' school rows' whole figures (`Whole.schoolSums`), for `whole` to give the county
 * and compared rows: their pupils over seats, idle seats and boarders without beds are then their schools'
 * as schools.csv prints them. `years`: only those school years (the rows of each made alone).
 */
export const schoolSums = (results: ReadonlyArray<{ readonly schools: Schools }>, years?: ReadonlySet<number>): Whole.PrintedSums =>
  Whole.schoolSums(
    (function* () {
      for (const r of results) {
        if (years === undefined) yield* r.schools
        else for (const year of [...years].sort((a, b) => a - b)) yield* r.schools.inYear(year)
      }
    })()
  )

/**
 * What `whole` gives the county rows of `results` (in `years`, or all): their schools' sums (`schoolSums`)
 * and their children as population.csv's ages add up (`Whole.populationSums`).
 */
export const countySums = (
  results: ReadonlyArray<{
    readonly schools: Schools
    readonly population: Pick<Tables.PopulationTable, "block">
  }>,
  years?: ReadonlySet<number>
): Whole.PrintedSums =>
  Whole.merged(
    schoolSums(results, years),
    Whole.populationSums(
      results.map((r) => r.population.block()),
      years
    )
  )

/**
 * Compared rows (`Compare.compare`) in whole figures, what the compare sheet, the report and `seatplan compare`
 * print: each of a row's figures that is the county's is county.csv's (whole: its pupils over seats its
 * schools', its teacher gap its whole teachers needed less assigned), and its area seats short the sum of the
 * seat-demand account's printed areas (`demand`). Rounded on their own, a row's teacher gap read −157 where
 * county.csv's reads −158.
 */
export const wholeCompared = <R extends { readonly year: number }>(
  rows: ReadonlyArray<R>,
  results: ReadonlyArray<{
    readonly schools: Schools
    readonly county: ReadonlyArray<{ readonly year: number }>
  }>,
  demand: ReadonlyArray<{ readonly year: number; readonly area_seats_short: number }> = []
): ReadonlyArray<R> => {
  // the compared years only (every rounding is within a year)
  const years = new Set(rows.map((r) => r.year))
  const county = new Map(
    whole(
      "county",
      results.flatMap((r) => r.county.filter((x) => years.has(x.year))),
      schoolSums(results, years)
    ).map((c) => [Whole.schoolKey(c), c as Readonly<Record<string, unknown>>])
  )
  const areasShort = new Map<string, number>()
  for (const d of whole(
    "seat_demand",
    demand.filter((x) => years.has(x.year))
  ) as ReadonlyArray<{ readonly area_seats_short: number }>) {
    const key = Whole.schoolKey(d)
    areasShort.set(key, (areasShort.get(key) ?? 0) + d.area_seats_short)
  }
  const counted = new Set(
    Columns.of("county")
      .filter(Columns.shownWhole)
      .map((c) => c.id)
  )
  return (whole("compare", rows) as ReadonlyArray<Record<string, unknown>>).map((r) => {
    const key = Whole.schoolKey(r)
    const c = county.get(key)
    const out: Record<string, unknown> = { ...r }
    if (c !== undefined) for (const k of Object.keys(r)) if (counted.has(k) && typeof c[k] === "number") out[k] = c[k]
    if (demand.length > 0) out.area_seats_short = areasShort.get(key) ?? 0
    return out
  }) as unknown as ReadonlyArray<R>
}

/**
 * A text cell that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a carriage
 * return) gets a leading apostrophe, as OWASP recommends against CSV injection; numbers are not text and
 * stay numbers.
 */
export const neutralise = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text)

/** The CSV prefix of each record column of the registry. */
const csvPrefixes: ReadonlyMap<string, string> = new Map(
  Columns.all.flatMap((c) => (c.type === "record" && c.csvPrefix !== undefined ? [[c.id, c.csvPrefix] as const] : []))
)

/** A row as the CSV writes it: a record column becomes `{csvPrefix}_{key}` columns. */
export const flatten = (row: object): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      for (const [kk, vv] of Object.entries(v)) out[`${csvPrefixes.get(k) ?? k}_${kk}`] = vv
    } else out[k] = v
  }
  return out
}

/** Columns a string takes in a terminal: CJK ideographs, kana, hangul and full-width forms take two. */
export const displayWidth = (text: string): number => {
  let w = 0
  for (const ch of text) {
    const c = ch.codePointAt(0)!
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6)
        ? 2
        : 1
  }
  return w
}

/** An aligned text table; the first `left` columns are left-aligned, the rest right-aligned (CJK counted double). */
export const table = (rows: ReadonlyArray<ReadonlyArray<string>>, left = 2): string => {
  const widths = rows[0].map((_, c) => rows.reduce((w, r) => Math.max(w, displayWidth(r[c])), 0)) // a loop: a log's table may have millions of rows
  const pad = (cell: string, c: number) => " ".repeat(widths[c] - displayWidth(cell))
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c < left ? cell + pad(cell, c) : pad(cell, c) + cell))
        .join("  ")
        .trimEnd()
    )
    .join("\n")
}

/** The figures a planner reads first, for the base year, the next, the middle and the last year. */
export const countySummary = (county: ReadonlyArray<Tables.CountyRow>): ReadonlyArray<Tables.CountyRow> => {
  if (county.length === 0) return []
  const years = [...new Set(county.map((r) => r.year))].sort((a, b) => a - b)
  const keep = new Set([years[0], years[1], years[Math.floor(years.length / 2)], years[years.length - 1]])
  return county.filter((r) => keep.has(r.year) && !(r.pupils === 0 && r.seats === 0))
}

/**
 * County columns' English headings from the registry (issue 12: `Columns.label`, the short label where
 * the registry has one), for printed tables; a heading the registry lacks stays where the table is built.
 */
export const countyLabels = (...ids: ReadonlyArray<string>): ReadonlyArray<string> =>
  ids.map((id) => {
    const c = Columns.get("county", id)
    return c === undefined ? id : Columns.label(c, "en")
  })

export const summaryTable = (rows: ReadonlyArray<Tables.CountyRow>): string =>
  table(
    [
      [
        ...countyLabels("variant", "year", "level"),
        "children",
        ...countyLabels("pupils", "seats", "pupils_over_seats", "idle_seats", "classes", "large_class_share", "teacher_gap"),
        "quality pass"
      ],
      ...rows.map((r) => [
        r.variant,
        String(r.year),
        r.level,
        r.children.toFixed(0),
        r.pupils.toFixed(0),
        r.seats.toFixed(0),
        r.pupils_over_seats.toFixed(0),
        r.idle_seats.toFixed(0),
        String(r.classes),
        (r.large_class_share * 100).toFixed(1),
        r.teacher_gap.toFixed(0),
        r.quality_schools > 0 ? `${r.quality_schools_passing}/${r.quality_schools}` : ""
      ])
    ],
    3
  )

/** A GeoJSON FeatureCollection of points. */
export const geojson = (
  features: ReadonlyArray<{ readonly lon: number; readonly lat: number; readonly properties: Record<string, unknown> }>
): string =>
  JSON.stringify({
    type: "FeatureCollection",
    features: features.map((f) => ({ type: "Feature", geometry: { type: "Point", coordinates: [f.lon, f.lat] }, properties: f.properties }))
  })
