/**
 * The base world with its catchment assignments folded straight into the model's typed arrays. A
 * province's recorded world is mostly assignments (400,000 of its 520,000 events: every settlement zoned
 * for each level), and folding them into the world's maps of strings, then walking those maps into the
 * model's arrays, was about a third of compiling. Only a closure or a merge reads the zones assigned before
 * it (it moves or drops a school's zones), so the assignments after the last of those are left out of the
 * world's fold and written into `catchment`, `splitSchool` and `splitShare` by settlement and school index
 * instead, with `World.evolve`'s rule: an assignment to a settlement or school not yet recorded changes
 * nothing; a share below 1 is a split; a whole assignment replaces the settlement's zone and ends its split.
 * The world's `catchments` and `splits` then hold only the earlier assignments (compiling reads no other
 * part of them: `loadBase` loads those first).
 */
import type * as Event from "@seatplan/core/Event"
import * as World from "@seatplan/core/World"
import { levelIndex, levels } from "../Dimensions.js"
import type { Model } from "../Model.js"

/** The world of a stream's recorded (structural) events, and the catchment assignments left out of it. */
export interface Base {
  /** The fold of `structural` without its catchment assignments from `from` on. */
  readonly world: World.World
  /** The recorded events, in the order folded. */
  readonly structural: ReadonlyArray<Event.Event>
  /** Where the assignments left out of `world` start: just after the last closure or merge. */
  readonly from: number
}

/** Whether `e` reads or rewrites the zones assigned before it (a school closed or merged moves or drops its zones). */
const rezones = (e: Event.Event): boolean => e._tag === "SchoolClosed" || e._tag === "SchoolsMerged"

/** Folds the recorded events into the base world, leaving out the catchment assignments that `zone` loads. */
export const base = (structural: ReadonlyArray<Event.Event>): Base => {
  let from = 0
  for (let i = structural.length - 1; i >= 0; i--) {
    if (rezones(structural[i])) {
      from = i + 1
      break
    }
  }
  const folded: Array<Event.Event> = structural.slice(0, from)
  for (let i = from; i < structural.length; i++) if (structural[i]._tag !== "CatchmentAssigned") folded.push(structural[i])
  return { world: World.fold(folded), structural, from }
}

/**
 * Writes the catchment assignments `base` left out of its world into `m` (after `loadBase`, which loaded
 * the world's), in their order, as `World.evolve` would have folded them: each applies only when its
 * settlement and its school were recorded before it (settlements and schools are never removed).
 */
export const zone = (m: Model, { structural, from }: Base): void => {
  const S = m.settlements
  // settlements and schools take their indexes in the order first recorded (the world's maps keep it), so
  // how many of each are known is a count: a record of the next one adds it, any other record repeats one
  let settlements = 0
  let schools = 0
  // a settlement's assignments for its levels usually follow each other, and its neighbours' name the same
  // school for a level: each index is looked up once per run of the same id
  let lastSettlement: string | undefined
  let s = -1
  const lastSchool: Array<string | undefined> = new Array(levels).fill(undefined)
  const lastK = new Int32Array(levels).fill(-1)
  for (let i = 0; i < structural.length; i++) {
    const e = structural[i]
    switch (e._tag) {
      case "SettlementRecorded":
        if (settlements < S && e.settlement.id === m.settlementIds[settlements]) settlements++
        break
      case "SchoolOpened":
        if (schools < m.schools && e.school.id === m.schoolIds[schools]) schools++
        break
      case "CatchmentAssigned": {
        if (i < from) break
        if (e.settlementId !== lastSettlement) {
          lastSettlement = e.settlementId
          s = m.settlementIndex.get(e.settlementId) ?? -1
        }
        const l = levelIndex(e.level)
        if (e.schoolId !== lastSchool[l]) {
          lastSchool[l] = e.schoolId
          lastK[l] = m.schoolIndex.get(e.schoolId) ?? -1
        }
        const k = lastK[l]
        if (s < 0 || k < 0 || s >= settlements || k >= schools) break
        const at = l * S + s
        if (e.share !== undefined && e.share < 1) {
          m.splitSchool[at] = k
          m.splitShare[at] = e.share
        } else {
          m.catchment[at] = k
          m.splitSchool[at] = -1
          m.splitShare[at] = 0
        }
        break
      }
      default:
        break
    }
  }
}
