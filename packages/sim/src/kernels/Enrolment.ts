/**
 * Enrolment demand by home settlement and grade: the children of each grade's age times the level's
 * participation, times retention compounded over the grades already passed inside the level, with a
 * share repeating the grade (pupils a year older). Children of a level's ages not enrolled are counted
 * as out of school, so every child of enrolment age is in exactly one place.
 */
import { ageOfGradeIndex, ages, endGrade, firstGrade, grades, levelNames, levelOfGradeIndex, levels } from "../Dimensions.js"
import type { Model } from "../Model.js"
import * as Rng from "../Rng.js"

/** Per grade index: participation × retention^(grades passed in the level) × (1 - repetition), and the repetition share. */
export interface Rates {
  readonly stay: Float64Array
  readonly repeat: Float64Array
}

/** Compiles the participation, retention and repetition assumptions into per-grade factors. */
export const rates = (m: Pick<Model, "assumptions">): Rates => {
  const a = m.assumptions
  const stay = new Float64Array(grades)
  const repeat = new Float64Array(grades)
  for (let g = 0; g < grades; g++) {
    const l = levelNames[levelOfGradeIndex[g]]
    const passed = g - firstGrade[levelOfGradeIndex[g]]
    const base = a.participation[l] * Math.pow(a.retention[l], passed)
    stay[g] = base * (1 - a.repetition[l])
    repeat[g] = base * a.repetition[l]
  }
  return { stay, repeat }
}

/**
 * Fills `m.demand` (settlement × grade), `m.levelDemand` (level × settlement) and `m.outOfSchool` (settlement ×
 * level) from the population, and tallies the year's pupils by catchment (`m.zone`) and the county's sums
 * (`m.tally`, all but the unplaced), in the one pass over settlements that knows each settlement's pupils of
 * a level. Stochastic runs draw each settlement's pupils of a level as one binomial count out of the level's
 * children and share it over the grades like the expectation.
 */
export const enrol = (m: Model, r: Rates, rng?: Rng.Rng): void => {
  const pop = m.pop
  const demand = m.demand
  const levelDemand = m.levelDemand
  const outOfSchool = m.outOfSchool
  const stay = r.stay
  const repeat = r.repeat
  const S = m.settlements
  const tally = m.tally
  m.zone.fill(0)
  tally.fill(0)
  for (let s = 0; s < S; s++) {
    const base = s * ages
    const row = s * grades
    for (let l = 0; l < levels; l++) {
      let children = 0
      let enrolled = 0
      // the county's children of the level's ages, added settlement by settlement, age by age
      let county = tally[3 * levels + l]
      for (let g = firstGrade[l]; g < endGrade[l]; g++) {
        const a = ageOfGradeIndex[g]
        const older = a + 1 < ages ? pop[base + a + 1] : 0
        const pupils = pop[base + a] * stay[g] + older * repeat[g]
        demand[row + g] = pupils
        children += pop[base + a]
        county += pop[base + a]
        enrolled += pupils
      }
      tally[3 * levels + l] = county
      // the level's pupils, `demand` summed over its grades in order (`AllocationRule.demandOf`)
      let total = enrolled
      if (rng !== undefined && enrolled > 0 && children > 0) {
        const drawn = Rng.binomial(rng, children, Math.min(1, enrolled / children))
        const scale = drawn / enrolled
        total = 0
        for (let g = firstGrade[l]; g < endGrade[l]; g++) {
          demand[row + g] *= scale
          total += demand[row + g]
        }
        enrolled = drawn
      }
      levelDemand[l * S + s] = total
      const out = Math.max(0, children - enrolled)
      outOfSchool[s * levels + l] = out
      tally[2 * levels + l] += out
      zoneOf(m, s, l, total)
    }
  }
}

/**
 * Adds settlement `s`'s `pupils` of level `l` to its catchment's (学区) residents and settlements, or to the
 * county's unzoned pupils. A split catchment's second school counts the whole pupils the allocation sends
 * there (`AllocationRule.splitShare`), and the settlement is in both catchments.
 */
const zoneOf = (m: Model, s: number, l: number, pupils: number): void => {
  const S = m.settlements
  const zone = m.zone
  const k = m.catchment[l * S + s]
  if (k < 0) {
    m.tally[l] += pupils
    return
  }
  const second = m.splitSchool[l * S + s]
  const moved =
    second >= 0 && second !== k && m.open[second] === 1 && m.teaches[second * levels + l] === 1 && pupils > 0
      ? Math.min(pupils, Math.round(pupils * m.splitShare[l * S + s]))
      : 0
  zone[(k * levels + l) * 2] += pupils - moved
  zone[(k * levels + l) * 2 + 1] += 1
  if (moved > 0) {
    zone[(second * levels + l) * 2] += moved
    zone[(second * levels + l) * 2 + 1] += 1
  }
}
