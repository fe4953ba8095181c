/**
 * Unit costs of capacity, defined once: what an opening, an expansion or a boarding change costs when its
 * event gives no cost (the engine's capital figures, and the plan layer's accounts and ledger, both use it).
 */
import type { Assumptions } from "./Assumptions.js"

/**
 * Capital cost in yuan of building `seats` seats in `classrooms` classrooms and `beds` boarding beds: the
 * larger of seats × the per-seat and classrooms × the per-classroom cost (teaching space), plus beds × the
 * per-bed cost (a dormitory is a building of its own).
 */
export const capital = (
  a: Pick<Assumptions, "capitalPerSeat" | "capitalPerClassroom" | "capitalPerBed">,
  seats: number,
  classrooms: number,
  beds: number
): number => Math.max(seats * a.capitalPerSeat, classrooms * a.capitalPerClassroom) + beds * a.capitalPerBed

/**
 * Unit costs of the facility investments a plan makes (`invest` steps), in yuan. None is a national figure:
 * each is a local assumption, set to the order of magnitude of county procurement, for a bureau to replace
 * with its own prices (a step's own `cost` overrides them).
 * - equipmentValue: 1 yuan per yuan of teaching equipment value (the indicator is the equipment's value).
 * - multimediaRooms: 60,000 yuan to equip an ordinary classroom as a networked multimedia classroom
 *   (interactive display, computer, network, sound; local assumption).
 * - musicRooms, artRooms: a room of at least 96 m² (music) or 90 m² (art) (Wenling 2020 §五(一)3(2), seed 002)
 *   built at 3,000 yuan/m² (the building cost per m² the per-bed cost assumes) and fitted out for 60,000
 *   yuan: 348,000 and 330,000 yuan (local assumption).
 * - sportsArea: 300 yuan per m² of sports ground (a synthetic-surface field and track; local assumption).
 * - floorArea: 3,000 yuan per m² of teaching and auxiliary floor area (local assumption, as above).
 * - books: 30 yuan a volume (a children's or reference book at a library supplier's discount; local
 *   assumption). The yearly renewal the 2018 library regulations ask for (a new book per pupil a year) is
 *   recurrent spending, not priced here.
 */
export const facilityUnitCosts = {
  equipmentValue: 1,
  multimediaRooms: 60_000,
  musicRooms: 96 * 3_000 + 60_000,
  artRooms: 90 * 3_000 + 60_000,
  sportsArea: 300,
  floorArea: 3_000,
  books: 30
} as const

type Investment = { readonly [K in keyof typeof facilityUnitCosts]?: number | undefined }

/** Capital cost in yuan of a facility investment at the unit costs (`facilityUnitCosts`). */
export const investment = (i: Investment): number => {
  let cost = 0
  for (const [k, unit] of Object.entries(facilityUnitCosts)) cost += (i[k as keyof Investment] ?? 0) * unit
  return cost
}

/**
 * A teacher's yearly cost in yuan (salary, allowances and the employer's social insurance): 100,000, a local
 * assumption (the Teachers Law art. 25 holds teachers' average pay at least that of local civil servants;
 * the figure varies by county). What hiring adds each year a recruit serves; sharing inside a group costs
 * nothing beyond the teachers already paid (a local assumption: travel between members is not priced).
 */
export const teacherYear = 100_000
