import * as fc from "fast-check"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { Compliance, type Completeness, Tables } from "@seatplan/sim"
import * as Output from "../src/Output.js"

const rowsOf = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => ({
    variant: "baseline",
    year: 2024 + (i % 16),
    settlement_id: `S${(i * seed) % 997}`,
    age: i % 19,
    children: (i * 7.3) / (seed + 1)
  }))

describe("tables written in pieces (a province's population table is longer than a string can be)", () => {
  it("a figure's CSV text is String(Math.round(v * 1e6) / 1e6), character for character, for every double", () => {
    const formula = (v: number) => String(Math.round(v * 1e6) / 1e6)
    const figures = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.double({ min: -1e10, max: 1e10, noNaN: true }),
      fc.double({ min: -2, max: 2, noNaN: true }),
      fc.integer({ min: -2e15, max: 2e15 }).map((n) => n / 1e6),
      fc.constantFrom(0, -0, 5e-7, -5e-7, 4.9999999e-7, 999_999_999.999_999_5, 1e9, -1e9, 1e15, -1e15, 2 ** 53, 0.1 + 0.2)
    )
    fc.assert(
      fc.property(figures, (v) => {
        expect(Output.numberText(v)).toBe(formula(v))
      }),
      { numRuns: 20_000 }
    )
  })

  it("the CSV and JSON pieces, joined, are the whole table's CSV and JSON", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 120 }), (n, seed, size) => {
        const rows = rowsOf(n, seed)
        expect([...Output.csvChunks(rows, size)].join("")).toBe(Output.csv(rows))
        // JSON pieces are cut by characters: from one per row (size 1) to the whole table in one
        expect([...Output.jsonChunks(rows, size * 40)].join("")).toBe(JSON.stringify(rows))
      }),
      { numRuns: 200 }
    )
  })

  it("pieces that end only where a key changes, rounded one by one, are the whole table rounded (a level's schools add up within their year)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 })), { maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 1000 }),
        (years, size, seed) => {
          // rows year by year of two variants, a year's schools × levels together (as `Tables.schools` gives them)
          // now and then a row whose keys are in another order, or that lacks one (not a year's first: the
          // header is a piece's first row's, and a piece starts with a year)
          const shuffled = (row: Record<string, unknown>, i: number): object => {
            if (i === 0 || (i + seed) % 3 !== 1) return row
            const { pupils, seats, classes, ...rest } = row
            return (i + seed) % 2 === 0 ? { ...rest, seats, pupils, classes } : { ...rest, pupils, seats }
          }
          const rows = ["baseline", "plan"].flatMap((variant) =>
            years.flatMap(([schools, levels], y) =>
              Array.from({ length: schools * levels }, (_, i) =>
                shuffled(
                  {
                    variant,
                    year: 2024 + y,
                    school_id: `K${Math.floor(i / levels)}`,
                    level: ["primary", "junior", "senior", "kindergarten"][i % levels],
                    pupils: ((i + 1) * seed * 7.31) % 97.5,
                    seats: ((i + 3) * seed * 3.7) % 120.25,
                    // a figure some rows lack: its group is not rounded
                    classes: (i + seed) % 11 === 0 ? undefined : ((i + 5) * seed * 1.9) % 17.5,
                    school_name: ["=A", 'b,"c"', "d"][i % 3],
                    // now and then a nested figure: its piece is written as `csvChunks` writes it
                    note: seed % 5 === 0 && i === 0 ? { share: (seed % 13) / 3, tag: "x" } : undefined
                  },
                  i
                )
              )
            )
          )
          const key = (row: object) => `${(row as { variant: string }).variant}|${(row as { year: number }).year}`
          const pieces = [...Output.pieces(rows, size, key)]
          expect(pieces.flat()).toEqual(rows)
          for (const [i, piece] of pieces.entries()) {
            if (i < pieces.length - 1) expect(piece.length).toBeGreaterThanOrEqual(size)
            if (i > 0) expect(key(piece[0])).not.toBe(key(pieces[i - 1][pieces[i - 1].length - 1]))
          }
          expect([...Output.csvChunks(rows, size, (piece) => Output.whole("schools", piece), key)].join("")).toBe(
            Output.csv(Output.whole("schools", rows))
          )
          // written without copying a row, the whole figures kept in columns; text pieces of a few characters to many rows
          expect([...Output.wholeCsvChunks("schools", rows, size, key, (seed % 7) * 40 + 1)].join("")).toBe(
            Output.csv(Output.whole("schools", rows))
          )
          // without a key, pieces of exactly `size` rows, each rounded on its own, as `csvChunks` cuts them
          for (const cut of [size, size + 1])
            expect([...Output.wholeCsvChunks("schools", rows, cut, undefined, 97)].join("")).toBe(
              [...Output.csvChunks(rows, cut, (piece) => Output.whole("schools", piece))].join("")
            )
        }
      ),
      { numRuns: 150 }
    )
  })

  it("the population written from its typed arrays is its rows' CSV (each settlement's ages rounded together) and JSON", () => {
    const text = fc.oneof(fc.constantFrom("S1", "=S2", "a,b", 'q"uote', "村-3"), fc.string({ maxLength: 4 }))
    const table = fc.record({
      variant: fc.constantFrom("baseline", "plan/a", "+x"),
      ids: fc.uniqueArray(text, { minLength: 0, maxLength: 5 }),
      years: fc.integer({ min: 0, max: 3 }),
      ages: fc.integer({ min: 1, max: 5 }),
      values: fc.array(fc.oneof(fc.double({ min: 0, max: 500, noNaN: true }), fc.integer({ min: 0, max: 40 }), fc.constant(-0)), {
        minLength: 1,
        maxLength: 60
      })
    })
    fc.assert(
      // size: characters a piece, about
      fc.property(fc.array(table, { maxLength: 3 }), fc.integer({ min: 1, max: 500 }), (specs, size) => {
        const tables = specs.map(({ variant, ids, years, ages, values }): Tables.PopulationTable => {
          const children = Float64Array.from({ length: years * ids.length * ages }, (_, i) => values[i % values.length])
          return Tables.populationOf({ variant, firstYear: 2024, years, perGroup: ages, settlementIds: ids as never, children })
        })
        const rows = tables.flatMap((t) => [...t])
        expect([...Output.populationCsv(tables, size)].join("")).toBe(Output.csv(Output.whole("population", rows)))
        expect([...Output.populationJson(tables, size)].join("")).toBe(JSON.stringify(rows))
        // a table from a later year is the rows of those years, its groups the same rows by settlement
        for (const t of tables) {
          const later = t.from(2025)
          expect([...later]).toEqual([...t].filter((r) => r.year >= 2025))
          expect([...later.groups()].flatMap((g) => [...g.children])).toEqual([...later].map((r) => r.children))
        }
      }),
      { numRuns: 200 }
    )
  })

  it("the checks written from their columns are the CSV and JSON of the checks as objects", () => {
    const text = fc.constantFrom("baseline", "=plan", 'a,"b"', "+x", "村-3", "p\nq", "")
    const figure = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.integer({ min: -5, max: 50 }),
      fc.constantFrom(-0, Number.NaN, 1 / 3, 2.0000005)
    )
    const rule = fc.record({
      id: fc.constantFrom("classCap", "=r", "rooms,art", "staffing"),
      scope: fc.constantFrom("school" as const, "county" as const),
      levels: fc.subarray(["primary", "junior"] as const, { minLength: 1 }),
      column: fc.constantFrom("pupils", "music_rooms", "teachers_assigned", "quality_pass"),
      threshold: fc.oneof(figure, fc.constantFrom({ column: "seats" }, { column: "teachers_assigned" })),
      direction: fc.constantFrom("at-most" as const, "below" as const, "at-least" as const, "above" as const),
      counts: fc.boolean()
    })
    const row = fc.record({
      variant: text,
      year: fc.integer({ min: 2024, max: 2027 }),
      school_id: fc.constantFrom("K1", "=K2", "K,3"),
      level: fc.constantFrom("primary", "junior", "senior"),
      open: fc.boolean(),
      pupils: figure,
      children: figure,
      seats: figure,
      music_rooms: figure,
      teachers_assigned: figure,
      quality_pass: figure
    })
    const lacks = fc.array(
      fc.tuple(
        fc.constantFrom("K1", "=K2", "K,3"),
        fc.subarray(["musicRooms", "teachers", "books", "floorArea", "sportsArea", "teachers.backbone"] as const)
      ),
      { maxLength: 3 }
    )
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(rule, { minLength: 1, maxLength: 4 }), fc.array(row, { maxLength: 30 }), lacks), {
          maxLength: 3
        }),
        fc.integer({ min: 2023, max: 2028 }),
        // characters a piece, about
        fc.integer({ min: 1, max: 2000 }),
        (variants, from, size) => {
          const parts = variants.map(([rules, rows, missing]) =>
            Compliance.table(
              rules.map((r) => ({ ...r, zh: "", en: "", unit: "", source: "" })),
              rows as unknown as ReadonlyArray<Tables.SchoolRow>,
              rows as unknown as ReadonlyArray<Tables.CountyRow>,
              () => ({}) as never,
              new Map(missing.map(([id, fields]) => [id, new Set<Completeness.Field>(fields)]))
            ).from(from)
          )
          const checks = parts.flatMap((p) => [...p])
          expect([...Output.checksCsv(parts, size)].join("")).toBe(Output.csv(checks))
          expect([...Output.checksJson(parts, size)].join("")).toBe(JSON.stringify(checks))
        }
      ),
      { numRuns: 300 }
    )
  })

  it("writeChunksSync writes the pieces into place, and leaves nothing when a piece fails", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seatplan-chunks-"))
    try {
      const file = path.join(dir, "t.csv")
      Output.writeChunksSync(file, ["a,b\n", "1,2\n"])
      expect(fs.readFileSync(file, "utf8")).toBe("a,b\n1,2\n")
      function* failing() {
        yield "x"
        throw new Error("disk full")
      }
      expect(() => Output.writeChunksSync(path.join(dir, "u.csv"), failing())).toThrow("disk full")
      expect(fs.readdirSync(dir)).toEqual(["t.csv"])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
