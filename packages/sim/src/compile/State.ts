/**
 * The model's buffers: the fixed parts the earlier compile steps produced, and every per-school,
 * per-settlement and per-year buffer the yearly loop writes, allocated empty here so the loop allocates
 * nothing.
 */
import type * as Event from "@seatplan/core/Event"
import * as Standards from "@seatplan/core/Standards"
import type * as Assumptions from "../Assumptions.js"
import { bands, grades, levels } from "../Dimensions.js"
import type { Model } from "../Model.js"
import type { AllocationRule } from "../allocation/AllocationRule.js"
import type { Indexes } from "./Indexes.js"
import type { Population } from "./Population.js"

export interface Fixed {
  readonly baseYear: number
  readonly horizon: number
  readonly assumptions: Assumptions.Assumptions
  readonly rule: AllocationRule
  readonly method: Model["method"]
  readonly indexes: Indexes
  readonly population: Population
  readonly migrationTarget: ReadonlyArray<Int32Array>
  readonly timeline: Array<ReadonlyArray<Event.Event>>
}

/** A model with empty plant, teachers and catchments (the base world is loaded into it afterwards). */
export const allocate = ({
  baseYear,
  horizon,
  assumptions,
  rule,
  method,
  indexes,
  population,
  migrationTarget,
  timeline
}: Fixed): Model => {
  const {
    settlementIds,
    schoolIds,
    schoolNames,
    settlementIndex,
    schoolIndex,
    tier,
    settlementLon,
    settlementLat,
    schoolLon,
    schoolLat,
    schoolSettlement
  } = indexes
  const { pop, baseBirths, women, womenGrowth, survival } = population
  const S = settlementIds.length
  const K = schoolIds.length
  return {
    baseYear,
    horizon,
    assumptions,
    rule,
    method,
    settlementIds,
    settlements: S,
    tier,
    settlementLon,
    settlementLat,
    pop,
    baseBirths,
    recordedBirths: new Float64Array(S).fill(NaN),
    women,
    womenGrowth,
    survival,
    migrationTarget,
    schoolIds,
    schoolNames,
    schools: K,
    schoolSettlement,
    schoolLon,
    schoolLat,
    open: new Uint8Array(K),
    teaches: new Uint8Array(K * levels),
    classrooms: new Float64Array(K),
    gradeRooms: new Float64Array(K * grades),
    hasGradeRooms: new Uint8Array(K),
    seats: new Float64Array(K),
    beds: new Float64Array(K),
    floorArea: new Float64Array(K),
    sportsArea: new Float64Array(K),
    equipmentValue: new Float64Array(K),
    multimediaRooms: new Float64Array(K),
    musicRooms: new Float64Array(K),
    artRooms: new Float64Array(K),
    books: new Float64Array(K),
    teachers: new Float64Array(K * bands),
    aboveDegree: new Float64Array(K),
    backbone: new Float64Array(K),
    peArts: new Float64Array(K),
    mentalHealth: new Float64Array(K),
    capital: new Float64Array(K),
    seatsBuilt: new Float64Array(K),
    catchment: new Int32Array(levels * S).fill(-1),
    splitSchool: new Int32Array(levels * S).fill(-1),
    splitShare: new Float64Array(levels * S),
    candidates: { school: new Int32Array(0), km: new Float64Array(0), count: new Uint8Array(0), width: 0 },
    classCap: new Float64Array(levels),
    pupilsPerStaff: new Float64Array(levels),
    largeClassMin: 56,
    superLargeClassMin: 66,
    standards: new Float64Array(Standards.keys.length),
    schoolSizeCap: new Float64Array(4),
    fundingFloor: 100,
    demand: new Float64Array(S * grades),
    levelDemand: new Float64Array(levels * S),
    outOfSchool: new Float64Array(S * levels),
    enrolled: new Float64Array(K * grades),
    pupilKm: new Float64Array(K * levels),
    maxKm: new Float64Array(K * levels),
    boarders: new Float64Array(K * levels),
    beyond: new Float64Array(K * levels),
    unplaced: new Float64Array(S * levels),
    classes: new Float64Array(K * grades),
    maxClass: new Float64Array(K * grades),
    largeClasses: new Float64Array(K * grades),
    superLargeClasses: new Float64Array(K * grades),
    withinCap: new Float64Array(K * grades),
    teachersNeeded: new Float64Array(K * levels),
    teachersAssigned: new Float64Array(K * levels),
    zone: new Float64Array(K * levels * 2),
    tally: new Float64Array(4 * levels),
    flows: new Float64Array(7),
    scratchK: new Float64Array(2 * K),
    scratchS: new Float64Array(2 * S),
    timeline,
    progression: new Float64Array(K * grades).fill(NaN),
    recordedEnrolment: new Float64Array(K * grades).fill(NaN),
    previousEnrolled: new Float64Array(K * grades),
    warnings: [],
    housingArrivals: [],
    schoolIndex,
    settlementIndex
  }
}
