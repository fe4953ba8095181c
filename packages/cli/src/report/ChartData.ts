/**
 * The data each variant's charts draw, computed from its results (handed to the page script as `DATA`);
 * the map's are in report/MapData. Pupils, seats and teachers are whole numbers of people and seats.
 */
import { School } from "@seatplan/core"
import type { Project } from "@seatplan/plan"
import { type Lang, words } from "./Labels.js"

export const chartData = (r: Project.VariantResult, lang: Lang) => {
  const t = words[lang]
  const years = [...new Set(r.county.map((c) => c.year))].sort((a, b) => a - b)
  const byLevel = (level: string, f: (c: Project.VariantResult["county"][number]) => number) =>
    years.map((y) => f(r.county.find((c) => c.year === y && c.level === level)!))
  const levels = School.levels
  return {
    years,
    demand: levels.map((l) => ({ name: `${t[l]} ${t.pupils}`, data: byLevel(l, (c) => Math.round(c.pupils)) })),
    supply: levels.map((l) => ({ name: `${t[l]} ${t.seats}`, data: byLevel(l, (c) => Math.round(c.seats)) })),
    withinCap: years.map((y) =>
      r.county.filter((c) => c.year === y && c.level !== "kindergarten").reduce((n, c) => n + c.classes_within_cap, 0)
    ),
    overCap: years.map((y) =>
      r.county.filter((c) => c.year === y && c.level !== "kindergarten").reduce((n, c) => n + c.classes_over_cap, 0)
    ),
    large: years.map((y) => r.county.filter((c) => c.year === y && c.level !== "kindergarten").reduce((n, c) => n + c.large_classes, 0)),
    superLarge: years.map((y) =>
      r.county.filter((c) => c.year === y && c.level !== "kindergarten").reduce((n, c) => n + c.super_large_classes, 0)
    ),
    needed: years.map((y) => Math.round(r.county.filter((c) => c.year === y).reduce((n, c) => n + c.teachers_needed, 0))),
    assigned: years.map((y) => Math.round(r.county.filter((c) => c.year === y).reduce((n, c) => n + c.teachers_assigned, 0)))
  }
}
