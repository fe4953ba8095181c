/** Small builders for tests: the fields a test does not care about, at zero. */
import type { Facilities } from "../School.js"

/** A school's plant with only classrooms and seats given; everything else zero unless named. */
export const facilities = (f: Partial<Facilities> & Pick<Facilities, "classrooms" | "seats">): Facilities => ({
  boardingBeds: 0,
  floorArea: 0,
  sportsArea: 0,
  equipmentValue: 0,
  multimediaRooms: 0,
  musicRooms: 0,
  artRooms: 0,
  books: 0,
  ...f
})

/** The increments of an expansion that changes nothing: spread it, then name what changes. */
export const noExpansion = {
  classrooms: 0,
  seats: 0,
  boardingBeds: 0,
  floorArea: 0,
  sportsArea: 0,
  equipmentValue: 0,
  multimediaRooms: 0,
  musicRooms: 0,
  artRooms: 0,
  books: 0
} as const
