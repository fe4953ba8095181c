/**
 * A reader of PMTiles version 3 archives (the Protomaps single-file tile format), enough to take raster
 * tiles out of a local file for the report's background: the 127-byte header, directories (varint-coded,
 * uncompressed, gzip or brotli: node:zlib) with leaf directories, tile ids along the Hilbert curve of
 * each zoom, and tiles stored uncompressed or gzipped. Read with positioned reads of the file, never
 * whole. An Error says what is wrong with the file.
 */
import * as fs from "node:fs"
import * as zlib from "node:zlib"

export interface Header {
  readonly rootOffset: number
  readonly rootLength: number
  readonly leafOffset: number
  readonly tileDataOffset: number
  readonly internalCompression: number
  readonly tileCompression: number
  /** 1 MVT (vector), 2 PNG, 3 JPEG, 4 WebP, 5 AVIF. */
  readonly tileType: number
  readonly minZoom: number
  readonly maxZoom: number
}

interface Entry {
  readonly tileId: number
  readonly offset: number
  readonly length: number
  readonly runLength: number
}

/** The tile id of z/x/y: the tiles of the lower zooms, then the position along zoom z's Hilbert curve. */
export const tileId = (z: number, x: number, y: number): number => {
  let acc = 0
  for (let t = 0; t < z; t++) acc += 4 ** t
  let tx = x
  let ty = y
  let d = 0
  for (let s = 2 ** (z - 1); s >= 1; s /= 2) {
    const rx = (tx & s) > 0 ? 1 : 0
    const ry = (ty & s) > 0 ? 1 : 0
    d += s * s * ((3 * rx) ^ ry)
    if (ry === 0) {
      if (rx === 1) {
        tx = s - 1 - (tx % s) + (tx - (tx % s))
        ty = s - 1 - (ty % s) + (ty - (ty % s))
      }
      const t = tx
      tx = ty
      ty = t
    }
  }
  return acc + d
}

const u64 = (b: Buffer, at: number) => Number(b.readBigUInt64LE(at))

export const header = (b: Buffer): Header => {
  if (b.length < 127 || b.subarray(0, 7).toString("latin1") !== "PMTiles")
    throw new Error("expected a PMTiles archive, found no PMTiles header")
  if (b[7] !== 3) throw new Error(`expected PMTiles version 3, found version ${b[7]}`)
  return {
    rootOffset: u64(b, 8),
    rootLength: u64(b, 16),
    leafOffset: u64(b, 40),
    tileDataOffset: u64(b, 56),
    internalCompression: b[97]!,
    tileCompression: b[98]!,
    tileType: b[99]!,
    minZoom: b[100]!,
    maxZoom: b[101]!
  }
}

const decompress = (b: Buffer, compression: number, what: string): Buffer => {
  if (compression === 0 || compression === 1) return b
  if (compression === 2) return zlib.gunzipSync(b)
  if (compression === 3) return zlib.brotliDecompressSync(b)
  throw new Error(`${what} is compressed with a method this reader does not know (${compression === 4 ? "zstd" : compression})`)
}

/** A directory's entries (PMTiles 3: count, then delta tile ids, run lengths, lengths, offsets, as varints). */
export const directory = (b: Buffer): ReadonlyArray<Entry> => {
  let at = 0
  const varint = (): number => {
    let value = 0
    let shift = 1
    for (;;) {
      if (at >= b.length) throw new Error("a directory ends in the middle of a number")
      const byte = b[at++]!
      value += (byte & 0x7f) * shift
      if (byte < 0x80) return value
      shift *= 128
    }
  }
  const n = varint()
  const ids: Array<number> = []
  let last = 0
  for (let i = 0; i < n; i++) ids.push((last += varint()))
  const runs = ids.map(() => varint())
  const lengths = ids.map(() => varint())
  const offsets: Array<number> = []
  for (let i = 0; i < n; i++) {
    const v = varint()
    offsets.push(v === 0 && i > 0 ? offsets[i - 1]! + lengths[i - 1]! : v - 1)
  }
  return ids.map((tileId, i) => ({ tileId, offset: offsets[i]!, length: lengths[i]!, runLength: runs[i]! }))
}

/** An open archive: its header and `tile(z, x, y)` (undefined where it has none). Close it after use. */
export const open = (file: string) => {
  const fd = fs.openSync(file, "r")
  const read = (offset: number, length: number): Buffer => {
    const b = Buffer.alloc(length)
    const n = fs.readSync(fd, b, 0, length, offset)
    if (n < length) throw new Error(`the archive ends before byte ${offset + length}`)
    return b
  }
  try {
    const h = header(read(0, 127))
    const root = directory(decompress(read(h.rootOffset, h.rootLength), h.internalCompression, "the root directory"))
    const tile = (z: number, x: number, y: number): Buffer | undefined => {
      const id = tileId(z, x, y)
      let entries = root
      for (let depth = 0; depth < 4; depth++) {
        let lo = 0
        let hi = entries.length - 1
        let found: Entry | undefined
        while (lo <= hi) {
          const mid = (lo + hi) >> 1
          if (entries[mid]!.tileId <= id) {
            found = entries[mid]
            lo = mid + 1
          } else hi = mid - 1
        }
        if (found === undefined) return undefined
        if (found.runLength === 0) {
          entries = directory(decompress(read(h.leafOffset + found.offset, found.length), h.internalCompression, "a leaf directory"))
          continue
        }
        if (id >= found.tileId + found.runLength) return undefined
        return decompress(read(h.tileDataOffset + found.offset, found.length), h.tileCompression, `tile ${z}/${x}/${y}`)
      }
      return undefined
    }
    return { header: h, tile, close: () => fs.closeSync(fd) }
  } catch (e) {
    fs.closeSync(fd)
    throw e
  }
}
