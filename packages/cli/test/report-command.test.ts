/**
 * `seatplan report` (issue 14): the report alone, from run's own path; township boundaries from the
 * scenario's polygons (and located errors when they are wrong); background tiles only when given: a local
 * MBTiles file embedded (the page stays offline, and the tiles' pixels appear under the map in Chromium),
 * a URL template allowed by the page's Content-Security-Policy for that host only.
 */
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { FastCheck as fc } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as zlib from "node:zlib"
import type { Browser, Page } from "playwright-core"
import { tileId } from "../src/report/Pmtiles.js"
import { cover, idealZoom, maxTiles } from "../src/report/Tiles.js"
import { launch } from "./browser.js"
import { root, seatplan, temp } from "./seatplan.js"

const tiny = fs.readFileSync(path.join(root, "scenarios/tiny/scenario.yaml"), "utf8")
const shots = path.join(root, "out", "report-pages")

/** The report's data block, as the page reads it. */
const reportData = (html: string) => JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!)

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (b: Buffer) => {
  let c = 0xffffffff
  for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
/** A 256×256 PNG of one colour (RGB). */
const png = ([r, g, b]: readonly [number, number, number]): Buffer => {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4)
    head.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, "latin1"), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([head, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(256, 0)
  ihdr.writeUInt32BE(256, 4)
  ihdr.writeUInt8(8, 8) // bit depth
  ihdr.writeUInt8(2, 9) // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(256 * 3).fill(Buffer.from([r, g, b]))])
  const raw = Buffer.concat(Array.from({ length: 256 }, () => row))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0))
  ])
}
const magenta = [255, 0, 255] as const

/** An MBTiles file of magenta tiles over the tiny county at zooms 9-11 (rows in TMS order, as the spec has them). */
const mbtiles = (file: string) => {
  const db = new Database(file)
  db.exec(
    "CREATE TABLE metadata (name text, value text); CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)"
  )
  db.prepare("INSERT INTO metadata VALUES ('format', 'png'), ('name', 'test')").run()
  const insert = db.prepare("INSERT INTO tiles VALUES (?, ?, ?, ?)")
  // the tiny county's settlements span 113.3-113.7 E, 34.1-34.35 N; the maps add a margin
  const bounds = [112.7, 33.7, 114.3, 34.7] as const
  const tile = png(magenta)
  for (const z of [9, 10, 11]) for (const [tz, x, y] of cover(bounds, z)) insert.run(tz, x, 2 ** tz - 1 - y, tile)
  db.close()
}

/** A PMTiles (version 3) archive of the same magenta tiles: header, an uncompressed root directory, one tile every entry points at. */
const pmtiles = (file: string) => {
  const bounds = [112.7, 33.7, 114.3, 34.7] as const
  const ids = [9, 10, 11].flatMap((z) => cover(bounds, z).map(([tz, x, y]) => tileId(tz, x, y))).sort((a, b) => a - b)
  const tile = png(magenta)
  const bytes: Array<number> = []
  const varint = (v: number) => {
    let x = v
    while (x >= 0x80) {
      bytes.push((x % 0x80) | 0x80)
      x = Math.floor(x / 0x80)
    }
    bytes.push(x)
  }
  varint(ids.length)
  ids.forEach((id, i) => varint(i === 0 ? id : id - ids[i - 1]!))
  for (const _ of ids) varint(1) // run lengths
  for (const _ of ids) varint(tile.length)
  for (const _ of ids) varint(1) // offset 0 + 1: every entry is the one tile
  const dir = Buffer.from(bytes)
  const h = Buffer.alloc(127)
  h.write("PMTiles", 0, "latin1")
  h.writeUInt8(3, 7)
  h.writeBigUInt64LE(127n, 8)
  h.writeBigUInt64LE(BigInt(dir.length), 16)
  h.writeBigUInt64LE(BigInt(127 + dir.length), 24) // no metadata
  h.writeBigUInt64LE(BigInt(127 + dir.length), 40) // no leaf directories
  h.writeBigUInt64LE(BigInt(127 + dir.length), 56)
  h.writeBigUInt64LE(BigInt(tile.length), 64)
  h.writeBigUInt64LE(BigInt(ids.length), 72)
  h.writeBigUInt64LE(BigInt(ids.length), 80)
  h.writeBigUInt64LE(1n, 88)
  h.writeUInt8(0, 96)
  h.writeUInt8(1, 97) // internal compression: none
  h.writeUInt8(1, 98) // tile compression: none
  h.writeUInt8(2, 99) // PNG
  h.writeUInt8(9, 100)
  h.writeUInt8(11, 101)
  fs.writeFileSync(file, Buffer.concat([h, dir, tile]))
}

/** The share of the map canvas' pixels that are magenta (the tiles, unmixed). */
const magentaShare = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector(".chart.map canvas") as HTMLCanvasElement
    const ctx = canvas.getContext("2d", { willReadFrequently: true })!
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
    let n = 0
    for (let i = 0; i < data.length; i += 4) if (data[i]! > 240 && data[i + 1]! < 20 && data[i + 2]! > 240) n++
    return n / (data.length / 4)
  })

/** The share of magenta pixels in a screenshot (a canvas that drew another host's tiles cannot be read back). */
const magentaInShot = async (browser: Browser, shot: Buffer) => {
  const page = await browser.newPage()
  try {
    return await page.evaluate(
      async (src) => {
        const img = new Image()
        img.src = src
        await img.decode()
        const canvas = document.createElement("canvas")
        canvas.width = img.width
        canvas.height = img.height
        const ctx = canvas.getContext("2d", { willReadFrequently: true })!
        ctx.drawImage(img, 0, 0)
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
        let n = 0
        for (let i = 0; i < data.length; i += 4) if (data[i]! > 240 && data[i + 1]! < 20 && data[i + 2]! > 240) n++
        return n / (data.length / 4)
      },
      `data:image/png;base64,${shot.toString("base64")}`
    )
  } finally {
    await page.close()
  }
}

const drawn = (page: Page) => page.waitForFunction(() => document.body.dataset.charts === "drawn", undefined, { timeout: 60_000 })

describe("seatplan report", () => {
  it("writes report.html and nothing else of run's files; --help shows examples", async () => {
    const dir = temp()
    try {
      const ran = await seatplan(["report", "scenarios/tiny/scenario.yaml", "--out", dir, "--quiet", "--lang", "en"])
      assert.strictEqual(ran.status, 0, ran.stderr)
      assert.deepStrictEqual(fs.readdirSync(dir), ["report.html"])
      assert.include(ran.stdout, path.join(dir, "report.html"))
      const html = fs.readFileSync(path.join(dir, "report.html"), "utf8")
      assert.match(html, /<h2>Summary \(2039\)<\/h2>/)
      const data = reportData(html)
      assert.strictEqual(data.background, undefined)
      for (const m of data.maps) assert.strictEqual(m.boundaries, "derived")
      assert.include(html, "No basemap (offline)")
      assert.include(html, "img-src data: blob:; font-src")
      // --pdf: the same page printed beside it, still nothing else
      const printed = await seatplan(["report", "scenarios/tiny/scenario.yaml", "--out", dir, "--quiet", "--lang", "zh", "--pdf"])
      assert.strictEqual(printed.status, 0, printed.stderr)
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["report.html", "report.pdf"])
      assert.strictEqual(fs.readFileSync(path.join(dir, "report.pdf")).subarray(0, 5).toString("latin1"), "%PDF-")
      const help = await seatplan(["report", "--help"])
      assert.strictEqual(help.status, 0)
      assert.include(help.stdout, "$ seatplan report")
      assert.include(help.stdout, "EXAMPLES")
      assert.include(help.stdout, "seatplan report scenarios/county/scenario.yaml --lang zh --pdf --paper a3")
      assert.include(help.stdout, "--tiles")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it("draws a township with the scenario's boundary and says so; the others stay derived", async () => {
    const dir = temp()
    try {
      const box = [
        [113.55, 34.22],
        [113.72, 34.22],
        [113.72, 34.36],
        [113.55, 34.36],
        [113.55, 34.22]
      ]
      const file = path.join(dir, "scenario.yaml")
      fs.writeFileSync(file, `${tiny}\nboundaries:\n  LS-DONG: ${JSON.stringify({ type: "Polygon", coordinates: [box] })}\n`)
      const ran = await seatplan(["report", file, "--out", path.join(dir, "out"), "--quiet", "--lang", "en"])
      assert.strictEqual(ran.status, 0, ran.stderr)
      const html = fs.readFileSync(path.join(dir, "out", "report.html"), "utf8")
      const data = reportData(html)
      const map = data.maps[0]
      assert.strictEqual(map.boundaries, "mixed")
      assert.include(html, "Some township boundaries are the scenario&#39;s own")
      const dong = map.townships.find((t: { name: string }) => t.name.startsWith("Dongzhuang"))
      // the given box, projected: four corners (and the first again), 0.17° × 0.14° ≈ 15.7 × 15.5 km
      assert.lengthOf(dong.rings, 1)
      assert.lengthOf(dong.rings[0], 5)
      const xs = dong.rings[0].map((p: [number, number]) => p[0])
      const ys = dong.rings[0].map((p: [number, number]) => p[1])
      assert.approximately(Math.max(...xs) - Math.min(...xs), 0.17 * 111.32 * Math.cos((map.origin[1] * Math.PI) / 180), 0.02)
      assert.approximately(Math.max(...ys) - Math.min(...ys), 0.14 * 110.574, 0.02)
      // every township given: the page says the boundaries are the scenario's
      const all = `${tiny}\nboundaries:\n${["LS-DONG", "LS-XI", "LS-SEAT"]
        .map((id, i) => {
          const [lon, lat] = [
            [113.62, 34.26],
            [113.38, 34.12],
            [113.5, 34.2]
          ][i]!
          const ring = [
            [lon - 0.05, lat - 0.05],
            [lon + 0.05, lat - 0.05],
            [lon + 0.05, lat + 0.05],
            [lon - 0.05, lat + 0.05],
            [lon - 0.05, lat - 0.05]
          ]
          return `  ${id}: ${JSON.stringify({ type: "MultiPolygon", coordinates: [[ring]] })}`
        })
        .join("\n")}\n`
      fs.writeFileSync(file, all)
      const again = await seatplan(["report", file, "--out", path.join(dir, "out"), "--quiet", "--lang", "zh"])
      assert.strictEqual(again.status, 0, again.stderr)
      const zh = fs.readFileSync(path.join(dir, "out", "report.html"), "utf8")
      assert.strictEqual(reportData(zh).maps[0].boundaries, "scenario")
      assert.include(zh, "乡镇界线取自情景文件给出的边界")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)

  it("wrong boundaries are located problems (file:line:col, field path, expected and found), exit 1", async () => {
    const dir = temp()
    try {
      const file = path.join(dir, "scenario.yaml")
      fs.writeFileSync(
        file,
        `${tiny}\nboundaries:\n  LS-DONG-LIU: {type: Polygon, coordinates: [[[113.6, 34.2], [113.7, 34.2], [113.7, 34.3], [113.6, 34.2]]]}\n  LS-XI: {type: Polygon, coordinates: [[[113.3, 34.0], [113.5, 34.0], [113.5, 34.2], [113.3, 34.2]]]}\n  LS-SEAT: {type: Polygon, coordinates: [[[200, 34.0], [113.5, 34.0], [113.5, 34.2], [200, 34.0]]]}\n`
      )
      const lines = tiny.split("\n").length
      const ran = await seatplan(["validate", file])
      assert.strictEqual(ran.status, 1, ran.stdout)
      assert.match(
        ran.stderr,
        new RegExp(`scenario\\.yaml:${lines + 3}:\\d+: boundaries\\.LS-XI\\.coordinates\\[0\\]: .*a ring must end where it starts`)
      )
      assert.match(ran.stderr, /boundaries\.LS-SEAT\.coordinates\[0\]\[0\]\[0\]: .*longitude/)
      // the structure first: the village key is reported once the geometry is valid
      fs.writeFileSync(
        file,
        `${tiny}\nboundaries:\n  LS-DONG-LIU: {type: Polygon, coordinates: [[[113.6, 34.2], [113.7, 34.2], [113.7, 34.3], [113.6, 34.2]]]}\n`
      )
      const village = await seatplan(["validate", file])
      assert.strictEqual(village.status, 1)
      assert.match(
        village.stderr,
        new RegExp(
          `scenario\\.yaml:${lines + 2}:\\d+: boundaries\\.LS-DONG-LIU: .*expected the id of a settlement of tier township or county-seat, found "LS-DONG-LIU" \\(a village\\)`
        )
      )
      // a seat outside its own boundary is a warning, not an error
      fs.writeFileSync(
        file,
        `${tiny}\nboundaries:\n  LS-XI: {type: Polygon, coordinates: [[[113.6, 34.2], [113.7, 34.2], [113.7, 34.3], [113.6, 34.2]]]}\n`
      )
      const outside = await seatplan(["validate", file])
      assert.strictEqual(outside.status, 0, outside.stderr)
      assert.match(outside.stderr, /boundaries\.LS-XI: .*lies outside its own boundary/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it("--tiles FILE.mbtiles: the tiles are embedded, nothing is fetched, and their pixels appear under the map", async () => {
    const dir = temp()
    const browser = await launch()
    try {
      const tiles = path.join(dir, "basemap.mbtiles")
      mbtiles(tiles)
      const ran = await seatplan([
        "report",
        "scenarios/tiny/scenario.yaml",
        "--out",
        path.join(dir, "out"),
        "--quiet",
        "--lang",
        "en",
        "--tiles",
        tiles
      ])
      assert.strictEqual(ran.status, 0, ran.stderr)
      const file = path.join(dir, "out", "report.html")
      const html = fs.readFileSync(file, "utf8")
      const data = reportData(html)
      assert.isAbove(data.background.tiles.length, 0)
      for (const t of data.background.tiles) assert.match(t[4], /^data:image\/png;base64,/)
      assert.include(html, "Basemap: the local tile file basemap.mbtiles")
      assert.include(html, "img-src data: blob:; font-src", "embedded tiles need no other image source")
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
      const requests: Array<string> = []
      const errors: Array<string> = []
      page.on("request", (r) => {
        if (r.url() !== `file://${file}`) requests.push(r.url())
      })
      page.on("pageerror", (e) => errors.push(String(e)))
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text())
      })
      await page.goto(`file://${file}`)
      await drawn(page)
      await page.waitForTimeout(300)
      const share = await magentaShare(page)
      assert.isAbove(share, 0.02, "the tiles' magenta shows under the map (outside the areas, unmixed)")
      assert.deepStrictEqual(requests, [])
      assert.deepStrictEqual(errors, [])
      fs.mkdirSync(shots, { recursive: true })
      await page
        .locator(".chart.map")
        .first()
        .screenshot({ path: path.join(shots, "report-map-mbtiles.png") })
      // the default report has no background: no magenta
      const plain = await seatplan(["report", "scenarios/tiny/scenario.yaml", "--out", path.join(dir, "plain"), "--quiet", "--lang", "en"])
      assert.strictEqual(plain.status, 0, plain.stderr)
      await page.goto(`file://${path.join(dir, "plain", "report.html")}`)
      await drawn(page)
      assert.strictEqual(await magentaShare(page), 0)
      // the same tiles from a PMTiles archive
      const archive = path.join(dir, "basemap.pmtiles")
      pmtiles(archive)
      const pm = await seatplan([
        "report",
        "scenarios/tiny/scenario.yaml",
        "--out",
        path.join(dir, "pm"),
        "--quiet",
        "--lang",
        "en",
        "--tiles",
        archive
      ])
      assert.strictEqual(pm.status, 0, pm.stderr)
      const pmHtml = fs.readFileSync(path.join(dir, "pm", "report.html"), "utf8")
      assert.include(pmHtml, "Basemap: the local tile file basemap.pmtiles")
      assert.deepStrictEqual(
        reportData(pmHtml).background.tiles.map((t: ReadonlyArray<unknown>) => t.slice(0, 4)),
        data.background.tiles.map((t: ReadonlyArray<unknown>) => t.slice(0, 4)),
        "the same tiles as from the MBTiles file"
      )
      await page.goto(`file://${path.join(dir, "pm", "report.html")}`)
      await drawn(page)
      await page.waitForTimeout(300)
      assert.isAbove(await magentaShare(page), 0.02)
      await page.close()
      // not a tile file: one line naming the option and what was found, exit 1
      fs.writeFileSync(path.join(dir, "not.mbtiles"), "")
      const bad = await seatplan([
        "report",
        "scenarios/tiny/scenario.yaml",
        "--out",
        path.join(dir, "bad"),
        "--quiet",
        "--tiles",
        path.join(dir, "not.mbtiles")
      ])
      assert.strictEqual(bad.status, 1)
      assert.match(bad.stderr, /--tiles: .*not\.mbtiles: expected an MBTiles file/)
    } finally {
      await browser.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)

  it("--tiles URL_TEMPLATE: the CSP allows images from that host only, and the page draws the tiles it loads", async () => {
    const dir = temp()
    const browser = await launch()
    try {
      const ran = await seatplan([
        "report",
        "scenarios/tiny/scenario.yaml",
        "--out",
        dir,
        "--quiet",
        "--lang",
        "zh",
        "--tiles",
        "https://tiles.example.org/{z}/{x}/{y}.png"
      ])
      assert.strictEqual(ran.status, 0, ran.stderr)
      const file = path.join(dir, "report.html")
      const html = fs.readFileSync(file, "utf8")
      assert.include(html, "img-src data: blob: https://tiles.example.org; font-src")
      assert.include(html, "底图：在线瓦片 https://tiles.example.org/{z}/{x}/{y}.png")
      const data = reportData(html)
      for (const t of data.background.tiles) assert.match(t[4], /^https:\/\/tiles\.example\.org\/\d+\/\d+\/\d+\.png$/)
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
      const requests: Array<string> = []
      page.on("request", (r) => {
        if (r.url() !== `file://${file}`) requests.push(r.url())
      })
      await page.route("https://tiles.example.org/**", (route) =>
        route.fulfill({ status: 200, contentType: "image/png", body: png(magenta) })
      )
      await page.goto(`file://${file}`)
      await drawn(page)
      await page.waitForTimeout(300)
      const shot = await page
        .locator(".chart.map")
        .first()
        .screenshot({ path: path.join(shots, "report-map-url-tiles.png") })
      assert.isAbove(await magentaInShot(browser, shot), 0.02)
      assert.isAbove(requests.length, 0)
      for (const r of requests) assert.match(r, /^https:\/\/tiles\.example\.org\//, "only the tile host is asked")
      await page.close()
      const bad = await seatplan([
        "report",
        "scenarios/tiny/scenario.yaml",
        "--out",
        dir,
        "--quiet",
        "--tiles",
        "https://tiles.example.org/{z}/{x}.png"
      ])
      assert.strictEqual(bad.status, 1)
      assert.match(bad.stderr, /--tiles: the tile URL template .* lacks \{y\}/)
    } finally {
      await browser.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)

  it("PMTiles tile ids: zoom 1 in the specification's order, and each zoom's tiles numbered 0..4^z-1 after the lower zooms, once each", () => {
    assert.deepStrictEqual(
      [
        [0, 0, 0],
        [1, 0, 0],
        [1, 0, 1],
        [1, 1, 1],
        [1, 1, 0]
      ].map(([z, x, y]) => tileId(z!, x!, y!)),
      [0, 1, 2, 3, 4]
    )
    for (const z of [2, 3, 5]) {
      const n = 2 ** z
      const ids = new Set<number>()
      for (let x = 0; x < n; x++) for (let y = 0; y < n; y++) ids.add(tileId(z, x, y))
      const first = (4 ** z - 1) / 3
      assert.strictEqual(ids.size, n * n)
      assert.strictEqual(Math.min(...ids), first)
      assert.strictEqual(Math.max(...ids), first + n * n - 1)
    }
  })

  it("the tile cover: every point of the extent lies in one of its tiles, and the chosen zoom needs at most maxTiles", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 70, max: 130, noNaN: true }),
        fc.double({ min: 15, max: 50, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, s, dw, dh, u, v) => {
          const bounds = [w, s, w + dw, s + dh] as const
          const z = idealZoom(bounds)
          const tiles = cover(bounds, z)
          assert.isAtMost(tiles.length, maxTiles)
          const lon = w + u * dw
          const lat = s + v * dh
          const n = 2 ** z
          const inside = tiles.some(([, x, y]) => {
            const west = (x / n) * 360 - 180
            const east = ((x + 1) / n) * 360 - 180
            const north = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI
            const south = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + 1)) / n))) * 180) / Math.PI
            return lon >= west && lon <= east && lat >= south && lat <= north
          })
          assert.isTrue(inside, `${lon},${lat} at zoom ${z}`)
        }
      ),
      { numRuns: 300 }
    )
  })
})
