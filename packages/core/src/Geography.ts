/**
 * Settlements and their hierarchy: county seat (县城) → township seat (乡镇) → village (村).
 */
import { Schema } from "effect"
import { SettlementId } from "./Ids.js"
import * as Numbers from "./Numbers.js"

const tierNames = ["county-seat", "township", "village"] as const

/**
 * Settlement tier: `county-seat` (县城 / 城区街道), `township` (乡镇 / 镇区), `village` (村 / 教学点). The one
 * list of tiers: schemas, the dense model's tier codes and labels all come from it.
 */
export const Tier = Schema.Literal(...tierNames)
export type Tier = typeof Tier.Type

/** The tiers, from the county seat down; a tier's index here is its code in the dense model. */
export const tiers: ReadonlyArray<Tier> = tierNames

/** A tier's code: its index in `tiers` (0 county seat, 1 township, 2 village). */
export const tierIndex = (tier: Tier): number => tierNames.indexOf(tier)

/** A tier's labels, in Chinese and English. */
export const tierLabels: Readonly<Record<Tier, { readonly zh: string; readonly en: string }>> = {
  "county-seat": { zh: "县城", en: "county seat" },
  township: { zh: "乡镇", en: "township" },
  village: { zh: "村", en: "village" }
}

/** A schema of one value per tier, `{ "county-seat": …, township: …, village: … }`. */
export const perTier = <S extends Schema.Schema.All>(value: S): Schema.Struct<{ readonly [K in Tier]: S }> =>
  Schema.Struct(Object.fromEntries(tierNames.map((t) => [t, value])) as { readonly [K in Tier]: S })

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

/**
 * The township area (乡镇) a settlement belongs to, by its seat's id: a township seat is its own; any
 * other place walks up its parents to the first township seat, or to a place without a parent (the county
 * seat: a county-seat district, 城区街道, and a village under it are the county seat's area). A parent
 * not found, or a cycle, stops the walk where it is. The one rule of the report's map and the GIS layers.
 */
export const townshipOf = (
  lookup: (id: string) => { readonly tier: Tier; readonly parent?: string | undefined } | undefined,
  id: string
): string => {
  let at = id
  let current = lookup(id)
  const seen = new Set<string>()
  while (current !== undefined && current.tier !== "township" && current.parent !== undefined && !seen.has(at)) {
    seen.add(at)
    const parent = lookup(current.parent)
    if (parent === undefined) break
    at = current.parent
    current = parent
  }
  return at
}
