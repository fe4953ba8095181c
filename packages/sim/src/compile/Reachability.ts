/**
 * What the planned events can reach during the run, so the distance candidates computed once at compile
 * time cover every school a settlement may be sent to and every level a school may teach.
 */
import type * as Event from "@seatplan/core/Event"
import * as School from "@seatplan/core/School"
import type * as World from "@seatplan/core/World"
import { levelIndex, levels } from "../Dimensions.js"
import type { Model } from "../Model.js"

export interface Reach {
  /** Schools each settlement is zoned to later in the run, keyed `settlement * levels + level`. */
  readonly extra: Map<number, Array<number>>
  /** school × level: 1 when the school teaches the level at any point of the run. */
  readonly teachesEver: Uint8Array
}

/**
 * Every level each school may teach during the run, and the schools each settlement is zoned to later in
 * the run (keyed `settlement * levels + level`), following catchment changes, merges and closures.
 */
export const reachable = (m: Model, base: World.World, planned: ReadonlyArray<Event.Event>): Reach => {
  const S = m.settlements
  const extra = new Map<number, Array<number>>()
  const add = (s: number, l: number, k: number) => {
    const key = s * levels + l
    const list = extra.get(key)
    if (list === undefined) extra.set(key, [k])
    else if (!list.includes(k)) list.push(k)
  }
  const zone = m.catchment.slice()
  const teachesEver = m.teaches.slice()
  const markType = (k: number, type: School.SchoolType) => {
    for (const level of School.levelsOf(type)) teachesEver[k * levels + levelIndex(level)] = 1
  }
  for (const [id, school] of base.schools) markType(m.schoolIndex.get(id)!, school.type)
  const receive = (from: number | undefined, into: number | undefined) => {
    if (from === undefined || into === undefined) return
    for (let i = 0; i < zone.length; i++) {
      if (zone[i] !== from) continue
      zone[i] = into
      add(i % S, Math.floor(i / S), into)
    }
  }
  for (const e of planned) {
    switch (e._tag) {
      case "SchoolOpened":
        markType(m.schoolIndex.get(e.school.id)!, e.school.type)
        break
      case "SchoolConverted":
        markType(m.schoolIndex.get(e.schoolId)!, e.to)
        break
      case "SchoolRepurposed":
        if (e.use === "kindergarten") markType(m.schoolIndex.get(e.schoolId)!, "kindergarten")
        break
      case "CatchmentAssigned": {
        const s = m.settlementIndex.get(e.settlementId)
        const k = m.schoolIndex.get(e.schoolId)
        if (s === undefined || k === undefined) break
        // a split (share below 1) leaves the settlement zoned where it was: only its second school is added
        if (e.share === undefined || e.share >= 1) zone[levelIndex(e.level) * S + s] = k
        add(s, levelIndex(e.level), k)
        break
      }
      case "SchoolClosed":
        if (e.pupilsTo !== undefined) receive(m.schoolIndex.get(e.schoolId), m.schoolIndex.get(e.pupilsTo))
        break
      case "SchoolsMerged":
        for (const id of e.absorbed) receive(m.schoolIndex.get(id), m.schoolIndex.get(e.into))
        break
      default:
        break
    }
  }
  return { extra, teachesEver }
}
