/**
 * Settlements and their hierarchy: county seat (县城) → township seat (乡镇) → village (村).
 */
import { Schema } from "effect"
import { SettlementId } from "./Ids.js"
import * as Numbers from "./Numbers.js"

/** Settlement tier: `county-seat` (县城 / 城区街道), `township` (乡镇 / 镇区), `village` (村 / 教学点). */
export const Tier = Schema.Literal("county-seat", "township", "village")
export type Tier = typeof Tier.Type

export const tiers: ReadonlyArray<Tier> = ["county-seat", "township", "village"]

/** Longitude in decimal degrees (WGS 84). */
export const Longitude = Numbers.Longitude
/** Latitude in decimal degrees (WGS 84). */
export const Latitude = Numbers.Latitude

/** A place where children live: it has a tier, a location and (for villages) a parent township. */
export const Settlement = Schema.Struct({
  id: SettlementId,
  name: Schema.String,
  tier: Tier,
  lon: Longitude,
  lat: Latitude,
  /** The township (or county seat) a village belongs to. */
  parent: Schema.optional(SettlementId)
})
export type Settlement = typeof Settlement.Type
