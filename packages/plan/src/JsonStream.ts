/**
 * A JSON reader over bytes read piece by piece (issue 18): a scenario of a million settlements is a file of
 * over a gigabyte, longer than a JavaScript string can be (`buffer.constants.MAX_STRING_LENGTH`, 512 M
 * characters), so `JSON.parse` of its text is impossible. This reader makes the same value as `JSON.parse`
 * would (property-tested against it) from a window of the bytes that moves along the file, so the text is
 * never whole in memory, and says where a syntax error is: line, column (in characters, as an editor
 * counts them) and the field path of the value it was reading (`settlements[12].lon`).
 *
 * A hand-written reader rather than a library (stream-json and the like give tokens or values but not the
 * line and column of an error, which the loader reports for every problem). It is a plain state machine
 * with an explicit stack, so nesting depth costs no call stack.
 *
 * Besides what JSON.parse does, it refuses a key repeated within one object (JSON.parse keeps the last
 * silently; the YAML loader refuses it too), reads past comment lines (`# …`) before the value (as YAML
 * reads a generated `.yaml` file), and can note where given field paths are (`wanted`), which the loader
 * uses to place a schema problem at its line and column without the text.
 */
import { isUtf8 } from "node:buffer"
import * as fs from "node:fs"

/** A syntax error (or a repeated key, or bytes that are not UTF-8) and where it is. */
export class JsonStreamError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    /** The field path of the value being read (`settlements[12].lon`), "" at the top. */
    readonly path: ReadonlyArray<string | number>,
    /** Offset in bytes from the start of the input. */
    readonly offset: number
  ) {
    super(`${reason} at line ${line}, column ${column}`)
  }
}

/** A place in the input: 1-based line and column (characters). */
export interface Position {
  readonly line: number
  readonly column: number
}

export interface Options {
  /** Bytes read at a time (default 16 MiB; tests use a few to cross every boundary). */
  readonly chunk?: number
  /** Called after each read with the bytes read so far. */
  readonly onRead?: (bytes: number) => void
  /** Field paths whose values' positions to note (`Result.positions`, keyed by `pathKey`). */
  readonly wanted?: Iterable<ReadonlyArray<string | number>>
  /** Read past lines starting with `#` before the value (YAML comments; default true). */
  readonly comments?: boolean
}

export interface Result {
  readonly value: unknown
  /** Where each wanted path's value starts (only those found). */
  readonly positions: ReadonlyMap<string, Position>
}

/** The key of a field path in `Result.positions`. */
export const pathKey = (path: ReadonlyArray<string | number>): string => JSON.stringify(path)

/** A source of bytes: fills `into` from `at`, at most `length` bytes; 0 at the end. */
export type Source = (into: Uint8Array, at: number, length: number) => number

/** Reads a file's JSON value (a byte-order mark is skipped). */
export const readFile = (file: string, options: Options = {}): Result => {
  const fd = fs.openSync(file, "r")
  try {
    return read((into, at, length) => fs.readSync(fd, into, at, length, null), options)
  } finally {
    fs.closeSync(fd)
  }
}

/** Reads the JSON value of bytes held in memory (in pieces of `options.chunk`, as a file would be). */
export const readBytes = (bytes: Uint8Array, options: Options = {}): Result => {
  let offset = 0
  return read((into, at, length) => {
    const n = Math.min(length, bytes.length - offset)
    into.set(bytes.subarray(offset, offset + n), at)
    offset += n
    return n
  }, options)
}

interface Trie {
  readonly children: Map<string | number, Trie>
  wanted: boolean
}

interface Frame {
  readonly object: Record<string, unknown> | undefined
  readonly array: Array<unknown> | undefined
  key: string
  index: number
  /** The wanted paths below this container, if any. */
  readonly trie: Trie | undefined
}

const Q = 34 // "
const BACKSLASH = 92
const U = 117 // u
/** The characters an escape may name besides u: " \\ / b f n r t. */
const escapes = new Set([34, 92, 47, 98, 102, 110, 114, 116])

/** Reads the one JSON value of a source of bytes. Throws `JsonStreamError` where the input is not JSON. */
export const read = (source: Source, options: Options = {}): Result => {
  const chunk = Math.max(1, options.chunk ?? 1 << 24)
  let buf = Buffer.allocUnsafe(Math.max(chunk, 64))
  let end = 0 // bytes held
  let pos = 0 // next byte to read in buf
  let base = 0 // offset in the input of buf[0]
  let eof = false
  let total = 0
  let line = 1
  let lineStart = 0 // offset in the input of the current line's first byte
  const positions = new Map<string, Position>()
  const root: Trie = { children: new Map(), wanted: false }
  for (const p of options.wanted ?? []) {
    let t = root
    for (const k of p) {
      let c = t.children.get(k)
      if (c === undefined) {
        c = { children: new Map(), wanted: false }
        t.children.set(k, c)
      }
      t = c
    }
    t.wanted = true
  }
  const frames: Array<Frame> = []

  /**
   * Reads more bytes, keeping those from pos on (moved to the front: pos becomes 0, so a caller holding an
   * index keeps it as an offset from pos); false at the end of the input.
   */
  const more = (): boolean => {
    if (eof) return false
    if (pos > 0) {
      buf.copy(buf, 0, pos, end)
      base += pos
      end -= pos
      pos = 0
    }
    if (buf.length - end < chunk) {
      const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, end + chunk))
      buf.copy(bigger, 0, 0, end)
      buf = bigger
    }
    const n = source(buf, end, Math.min(chunk, buf.length - end))
    if (n <= 0) {
      eof = true
      return false
    }
    end += n
    total += n
    options.onRead?.(total)
    return true
  }

  const path = (): Array<string | number> => frames.map((f) => (f.array !== undefined ? f.index : f.key))

  /** The position of buf[i]: line, and column in characters. */
  const where = (i: number): Position => {
    const at = base + i
    if (lineStart >= base) return { line, column: buf.toString("utf8", lineStart - base, i).length + 1 }
    return { line, column: at - lineStart + 1 }
  }

  const fail = (reason: string, i = pos): never => {
    const p = where(i)
    throw new JsonStreamError(reason, p.line, p.column, path(), base + i)
  }

  const found = (i: number): string =>
    i >= end
      ? "the end of the input"
      : buf[i] < 0x20 || buf[i] >= 0x7f
        ? `byte 0x${buf[i].toString(16)}`
        : JSON.stringify(String.fromCharCode(buf[i]))

  /** Skips whitespace; gives the next byte, or -1 at the end of the input. */
  const skip = (): number => {
    for (;;) {
      if (pos >= end && !more()) return -1
      const c = buf[pos]
      if (c === 32 || c === 9 || c === 13) pos++
      else if (c === 10) {
        pos++
        line++
        lineStart = base + pos
      } else return c
    }
  }

  /** Makes sure `n` bytes from pos are held (fewer only at the end of the input). */
  const hold = (n: number) => {
    while (end - pos < n && more()) {}
  }

  /** Whether a byte is a hex digit. */
  const isHex = (b: number): boolean => (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)

  const readString = (): string => {
    // pos is at the opening quote
    let i = pos + 1
    let escaped = false
    let high = false
    for (;;) {
      if (i >= end) {
        const offset = i - pos
        if (!more()) fail("a string not closed before the end of the input", end)
        i = pos + offset
        continue
      }
      const c = buf[i]
      if (c === Q) break
      if (c === BACKSLASH) {
        // the escape is checked here, where JSON.parse checks it: a bad one is reported before what follows
        const length = buf[i + 1] === U ? 6 : 2
        if (i + length > end) {
          const offset = i - pos
          if (!more()) {
            // the input ends inside a \u escape: a character there that is no hex digit is the error, as
            // JSON.parse reports it (`" \u"` was "not closed" a column after JSON.parse's bad escape)
            const at = pos + offset
            if (buf[at + 1] === U) for (let k = 2; at + k < end; k++) if (!isHex(buf[at + k])) fail("a bad escape in a string", at + k)
            fail("a string not closed before the end of the input", end)
          }
          i = pos + offset
          continue
        }
        const e = buf[i + 1]
        if (e === U) {
          for (let k = 2; k < 6; k++) if (!isHex(buf[i + k])) fail("a bad escape in a string", i + k)
        } else if (!escapes.has(e)) fail("a bad escape in a string", i + 1)
        escaped = true
        i += length
        continue
      }
      if (c < 0x20) fail("a control character in a string (write it as an escape such as \\n)", i)
      if (c >= 0x80) high = true
      i++
    }
    const start = pos
    pos = i + 1
    if (high && !isUtf8(buf.subarray(start + 1, i))) fail("bytes that are not UTF-8 in a string; save the file as UTF-8", start)
    if (!escaped) return buf.toString(high ? "utf8" : "latin1", start + 1, i)
    const raw = buf.toString("utf8", start, i + 1)
    try {
      return JSON.parse(raw) as string
    } catch (e) {
      const at = /position (\d+)/.exec((e as Error).message)
      // the position JSON.parse gives is in characters of the string: back to bytes
      const offset = at === null ? 0 : Buffer.byteLength(raw.slice(0, Number(at[1])))
      return fail("a bad escape in a string", start + offset)
    }
  }

  const digits = (i: number): number => {
    for (;;) {
      if (i >= end) {
        const offset = i - pos
        if (!more()) return end
        i = pos + offset
        continue
      }
      const c = buf[i]
      if (c < 48 || c > 57) return i
      i++
    }
  }
  const byteAt = (i: number): { readonly c: number; readonly i: number } => {
    while (i >= end) {
      const offset = i - pos
      if (!more()) return { c: -1, i: end }
      i = pos + offset
    }
    return { c: buf[i], i }
  }

  const readNumber = (): number => {
    let i = pos
    let simple = true
    let b = byteAt(i)
    if (b.c === 45 /* - */) {
      i = b.i + 1
      b = byteAt(i)
    }
    i = b.i
    if (b.c === 48 /* 0 */) i++
    else if (b.c >= 49 && b.c <= 57) i = digits(i + 1)
    else fail(b.c < 0 ? "a number not finished before the end of the input" : `no digit after the minus sign, found ${found(i)}`, i)
    b = byteAt(i)
    i = b.i
    if (b.c === 46 /* . */) {
      simple = false
      b = byteAt(i + 1)
      if (b.c < 48 || b.c > 57) fail(`no digit after the decimal point, found ${found(b.i)}`, b.i)
      i = digits(b.i)
      b = byteAt(i)
      i = b.i
    }
    if (b.c === 101 || b.c === 69 /* e E */) {
      simple = false
      b = byteAt(i + 1)
      if (b.c === 43 || b.c === 45) b = byteAt(b.i + 1)
      if (b.c < 48 || b.c > 57) fail(`no digit in the exponent, found ${found(b.i)}`, b.i)
      i = digits(b.i)
    }
    const start = pos
    pos = i
    if (simple && i - start <= 15) {
      let n = 0
      let k = start
      const negative = buf[k] === 45
      if (negative) k++
      for (; k < i; k++) n = n * 10 + (buf[k] - 48)
      return negative ? -n : n
    }
    return Number(buf.toString("latin1", start, i))
  }

  const literal = (text: string, value: boolean | null): boolean | null => {
    hold(text.length)
    for (let k = 0; k < text.length; k++) {
      if (pos + k >= end || buf[pos + k] !== text.charCodeAt(k)) fail(`not a JSON value: found ${found(pos + k)}`, pos + k)
    }
    pos += text.length
    return value
  }

  const note = (trie: Trie | undefined) => {
    if (trie?.wanted === true) positions.set(pathKey(path()), where(pos))
  }

  /** After `{` or `,` in an object: the next key and its colon; the frame's key becomes it. */
  const key = (f: Frame) => {
    const c = skip()
    if (c !== Q) fail(c < 0 ? "the input ends inside an object" : `expected a key in double quotes, found ${found(pos)}`)
    const at = pos
    const k = readString()
    if (Object.hasOwn(f.object!, k)) {
      f.key = k
      fail(`the key ${JSON.stringify(k.length > 60 ? `${k.slice(0, 60)}…` : k)} twice in one object`, at)
    }
    f.key = k
    const colon = skip()
    if (colon !== 58 /* : */) fail(colon < 0 ? "the input ends inside an object" : `expected ':' after a key, found ${found(pos)}`)
    pos++
  }

  const childTrie = (f: Frame): Trie | undefined => f.trie?.children.get(f.array !== undefined ? f.index : f.key)

  // a byte-order mark, leading comment lines (YAML), then the value
  hold(3)
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf && end >= 3) {
    pos = 3
    lineStart = 3
  }
  if (options.comments !== false) {
    while (skip() === 35 /* # */) {
      while ((pos < end || more()) && buf[pos] !== 10) pos++
    }
  }

  let value: unknown
  let trie: Trie | undefined = root
  outer: for (;;) {
    const c = skip()
    note(trie)
    if (c === 123 /* { */) {
      pos++
      const object: Record<string, unknown> = {}
      if (skip() === 125) {
        pos++
        value = object
      } else {
        const f: Frame = { object, array: undefined, key: "", index: 0, trie }
        frames.push(f)
        key(f)
        trie = childTrie(f)
        continue
      }
    } else if (c === 91 /* [ */) {
      pos++
      const array: Array<unknown> = []
      if (skip() === 93) {
        pos++
        value = array
      } else {
        const f: Frame = { object: undefined, array, key: "", index: 0, trie }
        frames.push(f)
        trie = childTrie(f)
        continue
      }
    } else if (c === Q) value = readString()
    else if (c === 45 || (c >= 48 && c <= 57)) value = readNumber()
    else if (c === 116) value = literal("true", true)
    else if (c === 102) value = literal("false", false)
    else if (c === 110) value = literal("null", null)
    else fail(c < 0 ? "the input ends where a value was expected" : `expected a value, found ${found(pos)}`)
    // a value is read: into its container, and on to the next
    for (;;) {
      const f = frames[frames.length - 1]
      if (f === undefined) {
        const after = skip()
        if (after >= 0) fail(`more after the value: found ${found(pos)}`)
        return { value, positions }
      }
      const next = skip()
      if (f.array !== undefined) {
        f.array.push(value)
        if (next === 44 /* , */) {
          pos++
          f.index++
          trie = childTrie(f)
          continue outer
        }
        if (next === 93) {
          pos++
          frames.pop()
          value = f.array
          continue
        }
        fail(next < 0 ? "the input ends inside a list" : `expected ',' or ']' after a list item, found ${found(pos)}`)
      } else {
        const o = f.object!
        if (f.key === "__proto__") Object.defineProperty(o, f.key, { value, writable: true, enumerable: true, configurable: true })
        else o[f.key] = value
        if (next === 44) {
          pos++
          key(f)
          trie = childTrie(f)
          continue outer
        }
        if (next === 125) {
          pos++
          frames.pop()
          value = o
          continue
        }
        fail(next < 0 ? "the input ends inside an object" : `expected ',' or '}' after a value, found ${found(pos)}`)
      }
    }
  }
}
