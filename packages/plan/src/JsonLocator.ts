/**
 * Where a field path is in a JSON text (line and column, 1-based), without a document of the whole text:
 * what the scenario loader places a JSON file's problems and warnings with (issue 18). Parsing a generated
 * province of 100,000 settlements into a YAML document only to place its warnings took most of a minute
 * and over a gigabyte; this walks the text along the path, and remembers where the elements of the
 * arrays and the keys of the objects it crossed start, so thousands of warnings in one long list (the
 * births of every settlement) cost one scan of that list.
 *
 * The text must be valid JSON (the loader uses this only after JSON.parse accepted it). A path that goes
 * past what the text has stops at the deepest value found, as the YAML locator does.
 */

/** Line and column of the value at `path` in `text`, whose JSON value starts at offset `start`. */
export type Locator = (path: ReadonlyArray<string | number>) => { readonly line: number; readonly column: number }

export const locator = (text: string, start: number): Locator => {
  // the children of each container crossed so far, by the container's offset: an array's element offsets, an object's keys' value offsets
  const arrays = new Map<number, Array<number>>()
  const objects = new Map<number, Map<string, number>>()
  let lines: Array<number> | undefined
  const position = (offset: number) => {
    lines ??= lineStarts(text)
    let lo = 0
    let hi = lines.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (lines[mid] <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - lines[lo] + 1 }
  }
  return (path) => {
    let at = skipSpace(text, start)
    for (const key of path) {
      const c = text.charCodeAt(at)
      let next: number | undefined
      if (c === 91 /* [ */ && typeof key === "number") {
        let elements = arrays.get(at)
        if (elements === undefined) {
          elements = children(text, at).map(([, value]) => value)
          arrays.set(at, elements)
        }
        next = elements[key]
      } else if (c === 123 /* { */) {
        let keys = objects.get(at)
        if (keys === undefined) {
          keys = new Map()
          for (const [name, value] of children(text, at)) keys.set(name ?? "", value)
          objects.set(at, keys)
        }
        next = keys.get(String(key))
      }
      if (next === undefined) break
      at = next
    }
    return position(at)
  }
}

/**
 * The text of the top-level key `key` of a JSON object starting at `start` (or undefined when the object has
 * no such key), found by a scan of the text rather than a parse; "not JSON" when the text is not shaped as a
 * JSON object (a key not quoted, text after the object), for the caller to read it otherwise.
 */
export const topLevel = (text: string, start: number, key: string): string | undefined | "not JSON" => {
  if (text.charCodeAt(start) !== 123) return "not JSON"
  let found: string | undefined
  let i = skipSpace(text, start + 1)
  while (i < text.length && text.charCodeAt(i) !== 125) {
    if (text.charCodeAt(i) !== 34) return "not JSON"
    const end = stringEnd(text, i)
    const name = JSON.parse(text.slice(i, end)) as string
    i = skipSpace(text, end)
    if (text.charCodeAt(i) !== 58 /* : */) return "not JSON"
    i = skipSpace(text, i + 1)
    const after = valueEnd(text, i)
    if (name === key) found = text.slice(i, after)
    i = skipSpace(text, after)
    if (text.charCodeAt(i) === 44) i = skipSpace(text, i + 1)
    else if (text.charCodeAt(i) !== 125) return "not JSON"
  }
  return skipSpace(text, i + 1) >= text.length ? found : "not JSON"
}

const lineStarts = (text: string): Array<number> => {
  const starts = [0]
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1)
  return starts
}

const skipSpace = (text: string, i: number): number => {
  for (;;) {
    const c = text.charCodeAt(i)
    if (c === 32 || c === 10 || c === 13 || c === 9) i++
    else return i
  }
}

/** The end (exclusive) of the string whose opening quote is at `i`. */
const stringEnd = (text: string, i: number): number => {
  for (let j = i + 1; ; j++) {
    const c = text.charCodeAt(j)
    if (c === 92 /* \ */) j++
    else if (c === 34 /* " */ || Number.isNaN(c)) return j + 1
  }
}

/** The end (exclusive) of the value starting at `i`. */
const valueEnd = (text: string, i: number): number => {
  const c = text.charCodeAt(i)
  if (c === 34) return stringEnd(text, i)
  if (c !== 91 && c !== 123) {
    let j = i
    for (;;) {
      const d = text.charCodeAt(j)
      if (d === 44 || d === 93 || d === 125 || d === 32 || d === 10 || d === 13 || d === 9 || Number.isNaN(d)) return j
      j++
    }
  }
  let depth = 0
  for (let j = i; j < text.length; j++) {
    const d = text.charCodeAt(j)
    if (d === 34) j = stringEnd(text, j) - 1
    else if (d === 91 || d === 123) depth++
    else if (d === 93 || d === 125) {
      depth--
      if (depth === 0) return j + 1
    }
  }
  return text.length
}

/** The children of the array or object at `open`: [key (objects only), offset of the value]. */
const children = (text: string, open: number): Array<readonly [string | undefined, number]> => {
  const object = text.charCodeAt(open) === 123
  const found: Array<readonly [string | undefined, number]> = []
  let i = skipSpace(text, open + 1)
  const close = object ? 125 : 93
  while (i < text.length && text.charCodeAt(i) !== close) {
    let key: string | undefined
    if (object) {
      const end = stringEnd(text, i)
      key = JSON.parse(text.slice(i, end)) as string
      i = skipSpace(text, end)
      i = skipSpace(text, i + 1) // past the colon
    }
    found.push([key, i])
    i = skipSpace(text, valueEnd(text, i))
    if (text.charCodeAt(i) === 44) i = skipSpace(text, i + 1)
  }
  return found
}
