/**
 * What the report says a failing check lacks: a counted figure (teachers, pupils, rooms) is short or over by
 * whole ones, a ratio by its fraction ("差 0.59 人" of teachers read as part of a person).
 */
import { Compliance } from "@seatplan/sim"
import { describe, expect, it } from "vitest"
import * as Summary from "../src/report/Summary.js"

const rules = Compliance.national

describe("a failing check's margin in the report", () => {
  it("is whole for counted figures, rounded up to what it takes to pass", () => {
    // teachers available 11.41 against 12 needed: one teacher to find
    expect(Summary.failingText(rules, "staffing", -0.59, "zh")).toMatch(/：差 1 人$/)
    expect(Summary.failingText(rules, "staffing", -0.59, "en")).toMatch(/: short by 1 \S+$/)
    expect(Summary.failingText(rules, "staffing", -3, "zh")).toMatch(/：差 3 人$/)
    // over a school size cap by 2 pupils (exactly, or 1.2 of a mean)
    expect(Summary.failingText(rules, "schoolSize", -2, "zh")).toMatch(/：超出 2 人$/)
    expect(Summary.failingText(rules, "schoolSize", -1.2, "zh")).toMatch(/：超出 2 人$/)
  })

  it("keeps the fraction of a ratio", () => {
    expect(Summary.failingText(rules, "classCap", -0.59, "zh")).toMatch(/：超出 0\.59 人\/班$/)
    expect(Summary.failingText(rules, "books", -1.5, "zh")).toMatch(/：差 1\.5 册\/生$/)
  })
})
