/**
 * The fixed dimensions of the dense model: single years of age 0-18, grades -2..12 (kindergarten 小班 to
 * senior grade 3) at index `grade + 2`, and the four levels.
 */
import * as School from "@seatplan/core/School"

/** Single years of age 0-18. */
export const ages = 19
/** Grades -2..12 at index `grade + 2`. */
export const grades = 15
/** kindergarten, primary, junior, senior (index order of `School.levels`). */
export const levels = 4
/** Teacher age bands (School.ageBands order). */
export const bands = 5

export const levelNames: ReadonlyArray<School.Level> = School.levels

/**
 * 1 where pupils of the level may board (寄宿), by level index: kindergarten children never board, however far
 * they live (younger than the primary grades 1-3 that national policy keeps as day pupils, 国办发〔2018〕27号;
 * docs/standards.md); they count against the kindergarten service radius (`distance.kindergarten`) instead.
 */
export const boards: Uint8Array = Uint8Array.from(School.levels, (l) => (l === "kindergarten" ? 0 : 1))

/** Level index of each grade index. */
export const levelOfGradeIndex: Int8Array = Int8Array.from({ length: grades }, (_, gi) =>
  School.levels.indexOf(School.levelOfGrade(gi - 2))
)

/** Age of the pupils of each grade index (age = grade + 5). */
export const ageOfGradeIndex: Int8Array = Int8Array.from({ length: grades }, (_, gi) => gi + 3)

/** First and one-past-last grade index of each level. */
export const firstGrade: Int8Array = Int8Array.from(School.levels, (l) => School.gradeRange(l)[0] + 2)
export const endGrade: Int8Array = Int8Array.from(School.levels, (l) => School.gradeRange(l)[1] + 3)

/** Index of a level name. */
export const levelIndex = (level: School.Level): number => School.levels.indexOf(level)

/** Distinct values numbered in the order they are first met (a dimension made as rows come). */
export interface Numbering<A> {
  /** The values, `values[n]` the one numbered n. */
  readonly values: ReadonlyArray<A>
  /** The number of `value`, given it when first met. */
  readonly of: (value: A) => number
}

/**
 * A typed array of `length` elements in memory shared with worker threads: handed to one it is not copied
 * (`seatplan run` writes a province's population and checks, 700 MB, on another thread).
 */
export const shared = <A>(Kind: { new (buffer: SharedArrayBuffer): A; readonly BYTES_PER_ELEMENT: number }, length: number): A =>
  new Kind(new SharedArrayBuffer(length * Kind.BYTES_PER_ELEMENT))

export const numbering = <A>(): Numbering<A> => {
  const values: Array<A> = []
  const numbers = new Map<A, number>()
  return {
    values,
    of: (value) => {
      let n = numbers.get(value)
      if (n === undefined) {
        n = values.length
        values.push(value)
        numbers.set(value, n)
      }
      return n
    }
  }
}
