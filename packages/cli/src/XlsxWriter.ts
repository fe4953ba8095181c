/**
 * Writes .xlsx (Office Open XML spreadsheet) bytes directly: the sheet XML as text, zipped with Node's
 * zlib. exceljs wrote the county example's `seatplan.xlsx` (about 3.5 million cells) in over 8 minutes and
 * 3 GB on this machine; this writes it in seconds. It writes what seatplan's workbooks use and nothing
 * else: shared strings, numbers, yes/no, dates, bold frozen header rows, column widths and number formats.
 * exceljs still reads workbooks (`Xlsx.read`) and the tests read these back with it.
 *
 * Each text is stored once in the shared-strings part and cells refer to it by number (ids, names, levels
 * and variants repeat down every table), and each part is deflated a few megabytes at a time as it is
 * made: the sheets' XML is never whole in memory, only the compressed workbook is.
 */
import * as zlib from "node:zlib"

export type Cell = string | number | boolean | Date | null

export interface SheetSpec {
  readonly name: string
  readonly rows: ReadonlyArray<ReadonlyArray<Cell>>
  /** Header rows, bold and frozen at the top. */
  readonly headerRows: number
  /** Number formats by 0-based column. */
  readonly numFmt: ReadonlyMap<number, string>
  /** Widths in characters by 0-based column. */
  readonly widths: ReadonlyMap<number, number>
}

/** Whether a string needs escaping or cleaning at all (most cells do not: the fast path). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finds the control characters XML 1.0 cannot hold, on purpose
const special = /[&<>"\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/

/** Characters XML 1.0 cannot hold: control characters, lone surrogates, U+FFFE/F. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matches the control characters XML 1.0 cannot hold, on purpose
const invalid = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

const xmlText = (text: string): string =>
  !special.test(text)
    ? text
    : text
        .replace(invalid, "")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        // a parser reads a bare carriage return as a line feed: written as a reference, it stays what it was
        .replace(/\r/g, "&#13;")

const letters = (index: number): string => {
  let s = ""
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

/** Excel's limit on the text of a cell. */
const maxText = 32_767
const excelEpoch = Date.UTC(1899, 11, 30)

/** Style indexes: 0 default, 1 bold (headers), 2 a date, then one per number format in `formats`. */
const styles = (formats: ReadonlyArray<string>): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  (formats.length === 0
    ? ""
    : `<numFmts count="${formats.length}">${formats.map((f, i) => `<numFmt numFmtId="${164 + i}" formatCode="${xmlText(f)}"/>`).join("")}</numFmts>`) +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  `<cellXfs count="${3 + formats.length}">` +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  formats.map((_, i) => `<xf numFmtId="${164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`).join("") +
  "</cellXfs>" +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  "</styleSheet>"

/** A zip archive (PKZIP 2.0 deflate, no ZIP64: every part well under 4 GB) whose parts are deflated piece by piece as they are made. */
class Zip {
  private readonly chunks: Array<Buffer> = []
  private readonly central: Array<Buffer> = []
  private offset = 0
  private count = 0
  private static readonly date = (20 << 9) | (1 << 5) | 1 // 2000-01-01: fixed, so the same tables give the same bytes

  private push(b: Buffer): void {
    this.chunks.push(b)
    this.offset += b.length
  }

  /** A part written in pieces (`add`), then `end`: its header is filled in when its size and checksum are known. */
  part(name: string): { readonly add: (text: string) => void; readonly end: () => void } {
    const nameBytes = Buffer.from(name, "utf8")
    const start = this.offset
    const local = Buffer.alloc(30)
    this.push(local)
    this.push(nameBytes)
    let crc = 0
    let size = 0
    let packed = 0
    let pending: Array<Buffer> = []
    let pendingBytes = 0
    // pieces deflated apart, all but the last ending on a byte boundary (a sync flush): together one deflate stream
    const deflate = (last: boolean) => {
      const data = pending.length === 1 ? pending[0] : Buffer.concat(pending)
      pending = []
      pendingBytes = 0
      crc = zlib.crc32(data, crc)
      size += data.length
      const out = zlib.deflateRawSync(data, { level: 3, finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH })
      packed += out.length
      this.push(out)
    }
    return {
      add: (text) => {
        const data = Buffer.from(text, "utf8")
        pending.push(data)
        pendingBytes += data.length
        if (pendingBytes >= 1 << 22) deflate(false)
      },
      end: () => {
        deflate(true)
        const header = (b: Buffer, at: number) => {
          b.writeUInt16LE(20, at)
          b.writeUInt16LE(0x0800, at + 2) // names in UTF-8
          b.writeUInt16LE(8, at + 4) // deflate
          b.writeUInt16LE(0, at + 6)
          b.writeUInt16LE(Zip.date, at + 8)
          b.writeUInt32LE(crc, at + 10)
          b.writeUInt32LE(packed, at + 14)
          b.writeUInt32LE(size, at + 18)
          b.writeUInt16LE(nameBytes.length, at + 22)
        }
        local.writeUInt32LE(0x04034b50, 0)
        header(local, 4)
        const entry = Buffer.alloc(46)
        entry.writeUInt32LE(0x02014b50, 0)
        entry.writeUInt16LE(20, 4)
        header(entry, 6)
        entry.writeUInt32LE(start, 42)
        this.central.push(entry, nameBytes)
        this.count++
      }
    }
  }

  file(name: string, text: string): void {
    const p = this.part(name)
    p.add(text)
    p.end()
  }

  bytes(): Uint8Array {
    const size = this.central.reduce((n, b) => n + b.length, 0)
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06054b50, 0)
    end.writeUInt16LE(this.count, 8)
    end.writeUInt16LE(this.count, 10)
    end.writeUInt32LE(size, 12)
    end.writeUInt32LE(this.offset, 16)
    return new Uint8Array(Buffer.concat([...this.chunks, ...this.central, end]))
  }
}

/** The workbook's texts, each once: a cell holds its index. */
class SharedStrings {
  private readonly index = new Map<string, number>()
  private readonly texts: Array<string> = []
  /** References to shared strings, for the part's `count`. */
  count = 0

  of(v: string): number {
    this.count++
    const text = v.length > maxText ? v.slice(0, maxText) : v
    let i = this.index.get(text)
    if (i === undefined) {
      i = this.texts.push(text) - 1
      this.index.set(text, i)
    }
    return i
  }

  write(part: { readonly add: (text: string) => void; readonly end: () => void }): void {
    part.add(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${this.count}" uniqueCount="${this.texts.length}">`
    )
    for (let i = 0; i < this.texts.length; i += 4096)
      part.add(
        this.texts
          .slice(i, i + 4096)
          .map((t) => `<si><t xml:space="preserve">${xmlText(t)}</t></si>`)
          .join("")
      )
    part.add("</sst>")
    part.end()
  }
}

const sheetXml = (
  s: SheetSpec,
  styleOf: (fmt: string) => number,
  strings: SharedStrings,
  part: { readonly add: (text: string) => void; readonly end: () => void }
): void => {
  const width = s.rows.reduce((w, r) => Math.max(w, r.length), 0)
  const columnStyle = Array.from({ length: width }, (_, c) => {
    const f = s.numFmt.get(c)
    return f === undefined ? 0 : styleOf(f)
  })
  const parts: Array<string> = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
    s.headerRows > 0
      ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${s.headerRows}" topLeftCell="A${s.headerRows + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>`
      : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
  ]
  const flush = () => {
    part.add(parts.join(""))
    parts.length = 0
  }
  if (width > 0) {
    parts.push("<cols>")
    for (let c = 0; c < width; c++) {
      const w = s.widths.get(c) ?? 10
      parts.push(
        `<col min="${c + 1}" max="${c + 1}" width="${w}" customWidth="1"${columnStyle[c] > 0 ? ` style="${columnStyle[c]}"` : ""}/>`
      )
    }
    parts.push("</cols>")
  }
  parts.push("<sheetData>")
  const refs = Array.from({ length: width }, (_, c) => letters(c))
  // what every cell of a column opens with but its row number: `<c r="B`, then the style of a number
  const numberStyle = columnStyle.map((st) => (st > 0 ? `" s="${st}"><v>` : `"><v>`))
  s.rows.forEach((row, r) => {
    const n = r + 1
    const header = r < s.headerRows
    let line = `<row r="${n}">`
    for (let c = 0; c < row.length; c++) {
      const v = row[c]
      if (v === null || v === undefined) continue
      if (typeof v === "number") {
        if (!Number.isFinite(v)) continue
        line += `<c r="${refs[c]}${n}${header ? `" s="1"><v>` : numberStyle[c]}${v}</v></c>`
      } else if (typeof v === "boolean") line += `<c r="${refs[c]}${n}" t="b"${header ? ' s="1"' : ""}><v>${v ? 1 : 0}</v></c>`
      else if (v instanceof Date) line += `<c r="${refs[c]}${n}" s="2"><v>${(v.getTime() - excelEpoch) / 86_400_000}</v></c>`
      else line += `<c r="${refs[c]}${n}" t="s"${header ? ' s="1"' : ""}><v>${strings.of(v)}</v></c>`
    }
    parts.push(`${line}</row>`)
    // handed on a few thousand rows at a time: one string of a whole large sheet keeps the collector busy
    if (parts.length >= 4096) flush()
  })
  parts.push("</sheetData></worksheet>")
  flush()
  part.end()
}

/** The workbook's bytes. */
export const xlsx = (sheets: ReadonlyArray<SheetSpec>): Uint8Array => {
  const formats: Array<string> = []
  const styleOf = (f: string) => {
    let i = formats.indexOf(f)
    if (i < 0) i = formats.push(f) - 1
    return 3 + i
  }
  const ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
  // the styles first (every number format of every sheet), so the parts go in the usual order: content types first
  for (const s of sheets) for (const f of s.numFmt.values()) styleOf(f)
  const zip = new Zip()
  for (const [name, text] of [
    [
      "[Content_Types].xml",
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
        sheets
          .map(
            (_, i) =>
              `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
          )
          .join("") +
        "</Types>"
    ],
    [
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships ${ns}><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
    ],
    [
      "xl/workbook.xml",
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets>' +
        sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
        "</sheets></workbook>"
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships ${ns}>` +
        sheets
          .map(
            (_, i) =>
              `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`
          )
          .join("") +
        `<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
        `<Relationship Id="rId${sheets.length + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
    ],
    ["xl/styles.xml", styles(formats)]
  ] as const)
    zip.file(name, text)
  const strings = new SharedStrings()
  sheets.forEach((s, i) => sheetXml(s, styleOf, strings, zip.part(`xl/worksheets/sheet${i + 1}.xml`)))
  strings.write(zip.part("xl/sharedStrings.xml"))
  return zip.bytes()
}
