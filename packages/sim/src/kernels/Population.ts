/**
 * Cohort-component population of children per settlement and single year of age: ageing with survival,
 * births, migration between tiers and across the county border, and pupils brought by new housing.
 * Each kernel writes `m.pop` in place (ageing walks each settlement's ages upward carrying the age below,
 * so no second buffer is needed: 15 MB a province run no longer has to allocate and first touch); none allocates.
 */
import * as Geography from "@seatplan/core/Geography"
import { ages, endGrade, firstGrade, ageOfGradeIndex } from "../Dimensions.js"
import { Flow, type Model } from "../Model.js"
import * as Rng from "../Rng.js"

/** Ages every settlement's children by one year, in place; 18-year-olds leave the model and age 0 is left empty for `bear`. */
export const age = (m: Model): void => {
  const pop = m.pop
  const survival = m.survival
  let died = 0
  let agedOut = 0
  const S = m.settlements
  for (let s = 0, base = 0; s < S; s++, base += ages) {
    const last = pop[base + ages - 1]
    // the children of age a − 1 last year, before the cell is overwritten with this year's age a
    let younger = pop[base]
    pop[base] = 0
    for (let a = 1; a < ages; a++) {
      const here = pop[base + a]
      const alive = younger * survival[a - 1]
      died += younger - alive
      pop[base + a] = alive
      younger = here
    }
    agedOut += last
  }
  m.flows[Flow.died] += died
  m.flows[Flow.agedOut] += agedOut
}

/**
 * Births of the year into age 0: the recorded births where there are some; else, by the assumptions,
 * the base year's births × the birth index (`index`), or the women of childbearing age (growing or
 * shrinking by tier) × the general fertility rate (`fertility`). Stochastic runs draw a Poisson count.
 *
 * @param index - the birth index of the year relative to the base year
 * @param fertility - births per 1,000 women this year; `yearIndex` years after the base year
 */
export const bear = (m: Model, index: number, fertility: number, yearIndex: number, rng: Rng.Rng | undefined): void => {
  const byFertility = m.assumptions.births === "fertility"
  let born = 0
  for (let s = 0; s < m.settlements; s++) {
    const recorded = m.recordedBirths[s]
    const expected = !Number.isNaN(recorded)
      ? recorded
      : byFertility
        ? (m.women[s] * Math.pow(m.womenGrowth[s], yearIndex) * fertility) / 1000
        : m.baseBirths[s] * index
    const births = rng === undefined ? expected : Rng.poisson(rng, expected)
    m.pop[s * ages] = births
    born += births
  }
  m.flows[Flow.born] += born
}

/**
 * Moves children between tiers (village → township seat → county seat) and out of the county, by the
 * assumptions' yearly rates. Stochastic runs draw one binomial count of movers per settlement and rule
 * and split it over the ages in proportion to the children of each age (the split is its expectation).
 */
export const migrate = (m: Model, rng: Rng.Rng | undefined): void => {
  const rules = m.assumptions.migration
  const pop = m.pop
  const S = m.settlements
  // the children who left, added in the same order as into m.flows one by one (the same sum to the bit)
  let out = m.flows[Flow.outOfCounty]
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]
    const target = m.migrationTarget[r]
    const min = rule.ages.min
    const max = rule.ages.max
    for (let s = 0; s < S; s++) {
      const to = target[s]
      if (to === -2) continue
      const base = s * ages
      let share = rule.rate
      if (rng !== undefined) {
        let children = 0
        for (let a = min; a <= max; a++) children += pop[base + a]
        if (children <= 0) continue
        share = Rng.binomial(rng, children, rule.rate) / children
      }
      for (let a = min; a <= max; a++) {
        const here = pop[base + a]
        if (here <= 0) continue
        const moved = here * share
        pop[base + a] = here - moved
        if (to >= 0) pop[to * ages + a] += moved
        else out += moved
      }
    }
  }
  m.flows[Flow.outOfCounty] = out
}

/**
 * Children arriving from outside the county (migrant children, 随迁子女), spread over the settlements of a
 * tier by their children of those ages; and pupils of completed housing estates arriving this year,
 * spread evenly over the ages of their level.
 */
export const arrive = (m: Model, yearIndex: number): void => {
  const pop = m.pop
  for (const inflow of m.assumptions.inflows) {
    const tier = Geography.tierIndex(inflow.to)
    let weight = 0
    for (let s = 0; s < m.settlements; s++) {
      if (m.tier[s] !== tier) continue
      for (let a = inflow.ages.min; a <= inflow.ages.max; a++) weight += pop[s * ages + a]
    }
    if (weight <= 0) continue
    for (let s = 0; s < m.settlements; s++) {
      if (m.tier[s] !== tier) continue
      for (let a = inflow.ages.min; a <= inflow.ages.max; a++) {
        pop[s * ages + a] += (inflow.count * pop[s * ages + a]) / weight
      }
    }
    m.flows[Flow.intoCounty] += inflow.count
  }
  for (const arrival of m.housingArrivals) {
    if (arrival.year !== yearIndex) continue
    const first = ageOfGradeIndex[firstGrade[arrival.level]]
    const last = ageOfGradeIndex[endGrade[arrival.level] - 1]
    const each = arrival.pupils / (last - first + 1)
    for (let a = first; a <= last; a++) pop[arrival.settlement * ages + a] += each
    m.flows[Flow.intoCounty] += arrival.pupils
  }
}
