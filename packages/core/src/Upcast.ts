/**
 * Event schema versions and upcasting. Every stored event records the version of its payload schema
 * (`v`); reading an older version runs the upcasters in order until the payload has the current shape,
 * so logs written by older seatplan versions still load. Payloads are never rewritten on disk.
 */
import type { EventTag } from "./Event.js"

/** Turns the encoded payload of version `from` into the encoded payload of version `from + 1`. */
export interface Upcaster {
  readonly tag: EventTag
  readonly from: number
  readonly up: (payload: Record<string, unknown>) => Record<string, unknown>
}

/**
 * The upcasters seatplan ships, one per version step:
 * - `MigrationRecorded` v1 recorded a single age (`age: 7`); v2 records an inclusive range
 *   (`ages: { min: 7, max: 7 }`).
 */
export const upcasters: ReadonlyArray<Upcaster> = [
  {
    tag: "MigrationRecorded",
    from: 1,
    up: ({ age, ...rest }) => ({ ...rest, ages: { min: age, max: age } })
  }
]

/** The current schema version of an event tag (1 unless an upcaster has raised it). */
export const currentVersion = (tag: string): number => versions.get(tag) ?? 1

/** Upcasts an encoded payload written at version `v` to the current version; unknown steps are left as is. */
export const upcast = (tag: string, v: number, payload: Record<string, unknown>): Record<string, unknown> => {
  const current = currentVersion(tag)
  let out = payload
  for (let version = v; version < current; version++) {
    const step = steps.get(`${tag}@${version}`)
    if (step !== undefined) out = step.up(out)
  }
  return out
}

const versions = new Map<string, number>()
const steps = new Map<string, Upcaster>()
for (const u of upcasters) {
  steps.set(`${u.tag}@${u.from}`, u)
  versions.set(u.tag, Math.max(versions.get(u.tag) ?? 1, u.from + 1))
}
