/**
 * Loads the base world into a freshly allocated model: each school's facilities and teachers (closed
 * schools marked shut), the catchments, and the standards in force.
 */
import type * as World from "@seatplan/core/World"
import { levelIndex } from "../Dimensions.js"
import type { Model } from "../Model.js"
import * as Timeline from "../Timeline.js"

export const loadBase = (m: Model, base: World.World): void => {
  const S = m.settlements
  base.schools.forEach((school, id) => {
    const k = m.schoolIndex.get(id)!
    Timeline.load(m, k, school)
    if (school.status !== "open") m.open[k] = 0
  })
  for (const [level, zone] of base.catchments) {
    for (const [settlement, school] of zone) {
      const s = m.settlementIndex.get(settlement)
      const k = m.schoolIndex.get(school)
      if (s !== undefined && k !== undefined) m.catchment[levelIndex(level) * S + s] = k
    }
  }
  for (const [level, zone] of base.splits) {
    for (const [settlement, split] of zone) {
      const s = m.settlementIndex.get(settlement)
      const k = m.schoolIndex.get(split.schoolId)
      if (s === undefined || k === undefined) continue
      m.splitSchool[levelIndex(level) * S + s] = k
      m.splitShare[levelIndex(level) * S + s] = split.share
    }
  }
  Timeline.setStandards(m, base.standards)
}
