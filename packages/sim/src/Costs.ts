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
