/**
 * Synthetic regions for benchmarks and property tests: a seeded generator of the baseline event log of one
 * county or of many (a province), at any size.
 *
 * SYNTHETIC DATA: every place, school, name and figure generated here is invented. Only the shape of the
 * births follows a real series: national live births (NBS communiqués, `Assumptions.nationalBirths`), normalised to
 * the 2016 peak and scaled to each settlement.
 *
 * A region is `counties` counties laid out on a grid about 60 km apart. Each county has:
 * - a county seat (县城) of one to six urban districts (街道): `County 1 seat` (id `C1-SEAT`), and, in
 *   bigger counties, `County 1 seat district 2` (`C1-SEAT-D2`), … of tier `county-seat`, 1.5-3 km from the
 *   seat and with the seat as parent. Several districts let the seat have several zoned primaries;
 * - townships (乡镇) `Township 1-3` (`C1-T3`), 10-25 km from the seat, parent the county seat;
 * - villages (村) `Village 1-3-7` (`C1-T3-V7`), 3-8 km from their township seat, parent the township.
 *
 * Schools (ids `C1-SEAT-PRI-2`, `C1-T3-PRI`, `C1-T3-V7-TP`, …): in the seat one kindergarten and one primary
 * per district, a junior middle school per two districts and as many senior highs as the county's senior
 * cohort needs (about 2,800 pupils each); in every township a central kindergarten and either a central
 * primary and a junior middle school or (one township in five) a nine-year school; the rest of the school
 * target goes to villages: village primaries (bigger villages), teaching points (教学点, small remote villages)
 * and village kindergartens (bigger villages). Some seat kindergartens are private-inclusive (普惠).
 *
 * Catchments: every settlement is zoned to exactly one open school per level: its own school where it has
 * one, otherwise the nearest school of that level in its township (teaching points serve only their own
 * village, every grade 1-6 of it, a simplification); junior middle to the township's school; senior high:
 * seat districts to the nearest senior high, townships (with their villages) split among the senior highs in
 * contiguous sectors of about equal size (片区). Enrolment (3 years up to the base year) is the catchment's
 * children of each grade's age (`grade + 5`) times a participation rate (kindergarten 0.92, primary 1, junior
 * 0.98, senior 0.6: the rest go to vocational school), so it is consistent with population and catchments;
 * classes are the grade's pupils over the cap (30 / 45 / 50 / 50), at most the grade's share of classrooms.
 *
 * Sizes reproduce "城挤乡弱村空" (乐山市《新时代深化改革推进基础教育高质量发展实施方案》, 2021, §二(一)1; docs/domain.md): county-seat schools get 0.7-1.05 seats per pupil (many
 * run large classes), township schools 0.95-1.35, village schools 1.4-2.6 with a floor (built for bigger
 * cohorts, now nearly empty); villages lose children to the seat as they grow, and their births fall faster.
 *
 * Events are built directly (not through `decide`), in chronological order: settlements, schools and
 * catchments dated the first recorded year, then per year births, enrolment (last 3 years) and the
 * base-year population. Ids are built from a fixed grammar of letters, digits and dashes, checked against
 * the core's id pattern with a regular expression and cast to the brand: validating 100,000s of ids through
 * Effect Schema would cost about 2 µs each.
 *
 * Randomness comes only from the run's generator (`Rng`, sfc32) seeded from `seed`, so the same options
 * give an identical event array.
 */
import type * as Event from "@seatplan/core/Event"
import type * as Geography from "@seatplan/core/Geography"
import * as Ids from "@seatplan/core/Ids"
import * as School from "@seatplan/core/School"
import { Data, Either } from "effect"
import * as Rng from "./Rng.js"

export interface Options {
  /** Seed of the generator; reduced to a 32-bit unsigned integer (`seed >>> 0`). */
  readonly seed: number
  /** Counties in the region; default 1. */
  readonly counties?: number
  /**
   * Settlements across all counties. Exact when at least 2 per county (each county gets an equal share,
   * the first counties one more); a county always has at least a seat and one township.
   */
  readonly settlements: number
  /**
   * Approximate target of schools across all counties; default `round(settlements * 0.37)`. Exact unless a
   * county's required schools (seat schools, one of each level per township) exceed its share, or its
   * villages are too few to hold the rest (at most one primary and one kindergarten each).
   */
  readonly schools?: number
  /** The base year (school year of the population census and the last recorded enrolment); default 2024. */
  readonly baseYear?: number
  /** Years of births recorded per settlement, ending with the base year (2015-2024 by default); default 10. */
  readonly historyYears?: number
}

export interface Region {
  /** The baseline event log, in chronological order (so `World.fold` equals `World.asOf` the base year). */
  readonly events: ReadonlyArray<Event.Event>
  readonly baseYear: number
  /** Settlements generated. */
  readonly settlements: number
  /** Schools generated. */
  readonly schools: number
}

/** An option of a synthetic generator out of range: `option` names it, `message` says what was expected and found. */
export class InvalidOptions extends Data.TaggedError("InvalidOptions")<{ readonly option: string; readonly message: string }> {}

/**
 * Generates a synthetic region (see the module documentation), or fails with `InvalidOptions` naming the
 * first option out of range.
 */
export const generate = (options: Options): Either.Either<Region, InvalidOptions> => {
  const invalid = validate(options)
  return invalid === undefined ? Either.right(region(options)) : Either.left(invalid)
}

/** The first option out of range, if any. */
const validate = (options: Options): InvalidOptions | undefined => {
  const counties = options.counties ?? 1
  const baseYear = options.baseYear ?? 2024
  const historyYears = options.historyYears ?? 10
  const target = options.schools ?? Math.round(options.settlements * defaultSchoolsPerSettlement)
  const firstYear = Math.min(baseYear - enrolmentYears + 1, baseYear - historyYears + 1)
  const invalid =
    wholeNumber("counties", counties, 1) ??
    wholeNumber("settlements", options.settlements, 1) ??
    wholeNumber("schools", target, 0) ??
    wholeNumber("historyYears", historyYears, 0) ??
    (Number.isFinite(options.seed)
      ? undefined
      : new InvalidOptions({ option: "seed", message: `seed must be a finite number, got ${options.seed}` })) ??
    wholeNumber("baseYear", baseYear, Ids.firstSchoolYear + baseYear - firstYear, Ids.lastSchoolYear)
  return invalid
}

/** The region of options known to be valid (`generate` checks them first). */
const region = (options: Options): Region => {
  const built = build(options)
  return { ...built, events: [...built.events] }
}

/**
 * `generate`, with the events produced one at a time as they are iterated (the same events in the same
 * order) instead of held in one array: a region of a million settlements has about 19 million events,
 * more than fit in memory at once, while the generator's own state (places, schools, births) is a few
 * hundred bytes per settlement. Iterate `events` once.
 */
export const generateStream = (
  options: Options
): Either.Either<Omit<Region, "events"> & { readonly events: Iterable<Event.Event> }, InvalidOptions> => {
  const invalid = validate(options)
  return invalid === undefined ? Either.right(build(options)) : Either.left(invalid)
}

/** The generator's state for valid options, and its events as a lazy sequence. */
const build = (options: Options): Omit<Region, "events"> & { readonly events: Iterable<Event.Event> } => {
  const counties = options.counties ?? 1
  const baseYear = options.baseYear ?? 2024
  const historyYears = options.historyYears ?? 10
  const target = options.schools ?? Math.round(options.settlements * defaultSchoolsPerSettlement)
  const firstBirths = baseYear - historyYears + 1
  const firstYear = Math.min(baseYear - enrolmentYears + 1, firstBirths)

  const birthsFrom = Math.min(baseYear - 19, firstBirths)
  const span = baseYear - birthsFrom + 1
  const shapes = (kind: Kind) =>
    Float64Array.from({ length: span }, (_, i) => {
      const year = birthsFrom + i
      return birthShape(year) * (1 + birthTrend[kind]) ** (year - 2016)
    })
  const g: Build = {
    rng: makeRng(options.seed),
    baseYear,
    birthsFrom,
    span,
    births: new Float64Array(0),
    birthShapes: { seat: shapes("seat"), township: shapes("township"), village: shapes("village") },
    places: [],
    sites: []
  }
  const perCounty = (total: number, c: number) => Math.floor(total / counties) + (c < total % counties ? 1 : 0)
  const sizes = Array.from({ length: counties }, (_, c) => Math.max(2, perCounty(options.settlements, c)))
  g.births = new Float64Array(sizes.reduce((n, s) => n + s, 0) * g.span)
  const columns = Math.ceil(Math.sqrt(counties))
  for (let c = 0; c < counties; c++) {
    const lat = originLat + (Math.floor(c / columns) * countySpacingKm) / kmPerDegree
    const lon = originLon + ((c % columns) * countySpacingKm) / (kmPerDegree * Math.cos((lat * Math.PI) / 180))
    makeCounty(g, c + 1, sizes[c], perCounty(target, c), lon, lat)
  }
  return { events: buildEvents(g, firstYear, firstBirths), baseYear, settlements: g.places.length, schools: g.sites.length }
}

/** A county of about 400 settlements and 150 schools. */
export const county = (seed: number): Region => region({ seed, settlements: 400, schools: 150 })

/** A province of 250 counties: 100,000 settlements and about 20,000 schools. */
export const province = (seed: number): Region => region({ seed, counties: 250, settlements: 100_000, schools: 20_000 })

// ---------------------------------------------------------------- parameters

const defaultSchoolsPerSettlement = 0.37
const enrolmentYears = 3
const originLon = 111
const originLat = 32
const countySpacingKm = 60
const kmPerDegree = 111.32

/** National live births, millions (NBS), 2010-2024; earlier years repeat 2010 and later years 2024. */
const nationalBirths: ReadonlyArray<number> = [
  15.92, 16.04, 16.35, 16.4, 16.87, 16.55, 17.86, 17.23, 15.23, 14.65, 12.02, 10.62, 9.56, 9.02, 9.54
]
const birthShape = (year: number): number =>
  nationalBirths[Math.min(nationalBirths.length - 1, Math.max(0, year - 2010))] / nationalBirths[6]

type Kind = "seat" | "township" | "village"

/** Per level, in `School.levels` order: kindergarten, primary, junior, senior. */
const KG = 0
const PRI = 1
const JUN = 2
const SEN = 3
const participation = [0.92, 1, 0.98, 0.6]
const classCap = [30, 45, 50, 50]
const pupilsPerTeacher = [15, 19, 13.5, 12.5]
const floorPerSeat = [5, 4.5, 5.8, 7]
const sportsPerSeat = [3, 7.5, 10.2, 11]
const equipmentPerSeat = [1000, 2000, 2500, 3500]
/** Library books per seat by level, before the school's equipment quality (primary and junior at the standards books.perPupil). */
const booksPerSeat = [10, 25, 35, 40]
const grades: ReadonlyArray<ReadonlyArray<number>> = School.levels.map((level) => {
  const [first, last] = School.gradeRange(level)
  return Array.from({ length: last - first + 1 }, (_, i) => first + i)
})
const levelIndexes: Record<School.SchoolType, ReadonlyArray<number>> = {
  kindergarten: [KG],
  primary: [PRI],
  junior: [JUN],
  senior: [SEN],
  "nine-year": [PRI, JUN],
  "twelve-year": [PRI, JUN, SEN],
  "complete-secondary": [JUN, SEN],
  "teaching-point": [PRI]
}

/** Births in 2016 (the national peak) per settlement, and the yearly trend of births. */
const peakBirths: Record<Kind, readonly [number, number]> = { seat: [150, 400], township: [40, 180], village: [3, 30] }
const birthTrend: Record<Kind, number> = { seat: 0.01, township: 0, village: -0.02 }
/** Migration by age: children of age `a` are `births × max(0.3, 1 + drift × a)` (villages empty toward towns). */
const drift: Record<Kind, readonly [number, number]> = {
  seat: [0.01, 0.025],
  township: [0, 0.01],
  village: [-0.04, -0.02]
}
/** Seats per base-year pupil (城挤、乡弱、村空). */
const room: Record<Kind, readonly [number, number]> = { seat: [0.7, 1.05], township: [0.95, 1.35], village: [1.4, 2.6] }
/** Teachers as a share of the staffing standard (pupils / ratio). */
const staffing: Record<Kind, readonly [number, number]> = {
  seat: [0.8, 0.95],
  township: [0.95, 1.15],
  village: [1.1, 1.6]
}
/** Facility quality per seat, relative to the standards: [floor, sports, equipment, multimedia per classroom]. */
const quality: Record<Kind, ReadonlyArray<readonly [number, number]>> = {
  seat: [
    [0.8, 1.05],
    [0.5, 0.85],
    [0.9, 1.3],
    [0.9, 1]
  ],
  township: [
    [0.9, 1.2],
    [0.8, 1.2],
    [0.7, 1.1],
    [0.7, 0.95]
  ],
  village: [
    [1, 1.6],
    [0.9, 1.8],
    [0.4, 0.9],
    [0.2, 0.8]
  ]
}
/** Boarding beds as a share of base-year pupils, per level. */
const boarding: Record<Kind, ReadonlyArray<number>> = {
  seat: [0, 0, 0.1, 0.5],
  township: [0, 0.15, 0.5, 0.5],
  village: [0, 0, 0, 0]
}
/** Teacher age shares (under-30, 30-39, 40-49, 50-54, 55+): village teachers are older. */
const ageShares: Record<Kind, ReadonlyArray<number>> = {
  seat: [0.2, 0.3, 0.3, 0.12, 0.08],
  township: [0.15, 0.25, 0.3, 0.18, 0.12],
  village: [0.1, 0.15, 0.25, 0.25, 0.25]
}
/** Shares of teachers above the required degree, backbone, PE and arts. */
const categoryShares: Record<Kind, ReadonlyArray<readonly [number, number]>> = {
  seat: [
    [0.6, 0.8],
    [0.06, 0.1],
    [0.08, 0.11]
  ],
  township: [
    [0.4, 0.6],
    [0.03, 0.06],
    [0.06, 0.09]
  ],
  village: [
    [0.2, 0.45],
    [0, 0.03],
    [0.02, 0.06]
  ]
}
const seniorPupilsPerSchool = 2800
const nineYearShare = 0.2
const teachingPointShare = 0.4
const villagePrimaryShare = 0.65
const privateKindergartenShare = 0.4

// ---------------------------------------------------------------- model

interface Place {
  /** Row in the births table. */
  readonly index: number
  readonly id: Ids.SettlementId
  readonly name: string
  readonly tier: Geography.Tier
  readonly kind: Kind
  readonly lon: number
  readonly lat: number
  readonly parent: Ids.SettlementId | undefined
  readonly drift: number
  /** Births in 2016, the national peak, before trend and noise. */
  readonly peak: number
  /** The school each level is zoned to, in level order (filled once the county's schools exist). */
  readonly zone: Array<Site>
}

interface Site {
  readonly id: Ids.SchoolId
  readonly name: string
  readonly type: School.SchoolType
  readonly place: Place
  readonly lon: number
  readonly lat: number
  readonly ownership: School.School["ownership"]
  /** Settlements zoned to the school, per level (index as in `School.levels`). */
  readonly served: ReadonlyArray<Array<Place>>
  /** Classrooms per level, set when the school is sized. */
  readonly rooms: Array<number>
  school?: School.School
}

/** The generator's working state: the random stream, the births table, the places and schools so far. */
interface Build {
  readonly rng: () => number
  readonly baseYear: number
  /** First year of the births table. */
  readonly birthsFrom: number
  /** Years in the births table per settlement. */
  readonly span: number
  births: Float64Array
  /** Per kind and year of the births table: the national shape times the kind's trend. */
  readonly birthShapes: Record<Kind, Float64Array>
  readonly places: Array<Place>
  readonly sites: Array<Site>
}

interface Township {
  readonly place: Place
  readonly villages: ReadonlyArray<Place>
  readonly kindergartens: Array<Site>
  /** Schools a village without its own primary may be zoned to (teaching points excluded). */
  readonly primaries: Array<Site>
  readonly junior: Site
}

// ---------------------------------------------------------------- county

const makeCounty = (g: Build, c: number, count: number, target: number, lon0: number, lat0: number): void => {
  const { rng } = g
  const firstSite = g.sites.length
  const districts = Math.min(count - 1, clamp(Math.round(count / 130), 1, 6))
  const townshipCount = Math.max(1, Math.round((count - districts) / 26))
  const villageCount = count - districts - townshipCount
  const cos = Math.cos((lat0 * Math.PI) / 180)
  const centre = { lon: lon0 + jitterKm(rng, 5) / (kmPerDegree * cos), lat: lat0 + jitterKm(rng, 5) / kmPerDegree }
  const at = (lon: number, lat: number, km: number, angle: number) => ({
    lon: lon + (km * Math.cos(angle)) / (kmPerDegree * cos),
    lat: lat + (km * Math.sin(angle)) / kmPerDegree
  })

  const seatId = settlementId(`C${c}-SEAT`)
  const seat: Array<Place> = []
  for (let d = 1; d <= districts; d++) {
    const p = d === 1 ? centre : at(centre.lon, centre.lat, uniform(rng, 1.5, 3), (2 * Math.PI * d) / (districts - 1))
    seat.push(
      d === 1
        ? addPlace(g, "seat", seatId, `County ${c} seat`, p, undefined)
        : addPlace(g, "seat", settlementId(`C${c}-SEAT-D${d}`), `County ${c} seat district ${d}`, p, seatId)
    )
  }

  const weights = Array.from({ length: townshipCount }, () => uniform(rng, 0.6, 1.4))
  const total = weights.reduce((n, w) => n + w, 0)
  const perTownship = weights.map((w) => Math.floor((villageCount * w) / total))
  let rest = villageCount - perTownship.reduce((n, v) => n + v, 0)
  for (let t = 0; rest > 0; t = (t + 1) % townshipCount, rest--) perTownship[t]++
  const turn = rng() * 2 * Math.PI
  const townshipPlaces: Array<{ readonly place: Place; readonly villages: ReadonlyArray<Place> }> = []
  for (let t = 1; t <= townshipCount; t++) {
    const angle = turn + (2 * Math.PI * (t - 1 + uniform(rng, -0.3, 0.3))) / townshipCount
    const p = at(centre.lon, centre.lat, uniform(rng, 10, 25), angle)
    const id = settlementId(`C${c}-T${t}`)
    const place = addPlace(g, "township", id, `Township ${c}-${t}`, p, seatId)
    const villages: Array<Place> = []
    for (let v = 1; v <= perTownship[t - 1]; v++) {
      const q = at(p.lon, p.lat, Math.sqrt(uniform(rng, 9, 64)), rng() * 2 * Math.PI)
      villages.push(addPlace(g, "village", settlementId(`C${c}-T${t}-V${v}`), `Village ${c}-${t}-${v}`, q, id))
    }
    townshipPlaces.push({ place, villages })
  }

  // county seat schools
  const seatKgs = seat.map((p, d) => {
    const ownership = d > 0 && rng() < privateKindergartenShare ? "private-inclusive" : "public"
    const name = `County ${c} seat kindergarten No. ${d + 1}`
    return addSite(g, `C${c}-SEAT-KG-${d + 1}`, name, "kindergarten", p, ownership)
  })
  const seatPrimaries = seat.map((p, d) => addSite(g, `C${c}-SEAT-PRI-${d + 1}`, `County ${c} seat primary No. ${d + 1}`, "primary", p))
  const seatJuniors = Array.from({ length: Math.ceil(districts / 2) }, (_, j) =>
    addSite(g, `C${c}-SEAT-JUN-${j + 1}`, `County ${c} seat junior middle No. ${j + 1}`, "junior", seat[2 * j])
  )
  let seniorCohort = 0
  for (const p of [...seat, ...townshipPlaces.flatMap((t) => [t.place, ...t.villages])]) {
    for (let age = 15; age <= 17; age++) seniorCohort += children(g, p, g.baseYear, age)
  }
  const seniorCount = Math.max(1, Math.round((seniorCohort * participation[SEN]) / seniorPupilsPerSchool))
  const seniors = Array.from({ length: seniorCount }, (_, k) =>
    addSite(g, `C${c}-SEAT-SEN-${k + 1}`, `County ${c} senior high No. ${k + 1}`, "senior", seat[k % districts])
  )

  // township schools: a central kindergarten, and a central primary and junior middle or a nine-year school
  const townships = townshipPlaces.map(({ place, villages }): Township => {
    const kindergarten = addSite(g, `${place.id}-KG`, `${place.name} central kindergarten`, "kindergarten", place)
    if (rng() < nineYearShare) {
      const nine = addSite(g, `${place.id}-NINE`, `${place.name} nine-year school`, "nine-year", place)
      return { place, villages, kindergartens: [kindergarten], primaries: [nine], junior: nine }
    }
    const primary = addSite(g, `${place.id}-PRI`, `${place.name} central primary`, "primary", place)
    const junior = addSite(g, `${place.id}-JUN`, `${place.name} junior middle`, "junior", place)
    return { place, villages, kindergartens: [kindergarten], primaries: [primary], junior }
  })

  // village schools: the rest of the county's target
  const required = g.sites.length - firstSite
  const optional = Math.max(0, target - required)
  let primaries = Math.min(villageCount, Math.round(optional * villagePrimaryShare))
  const kindergartens = Math.min(villageCount, optional - primaries)
  primaries = Math.min(villageCount, optional - kindergartens)
  const villages = townships.flatMap((t) => t.villages.map((place) => ({ place, township: t })))
  const ownPrimary = new Map<Place, Site>()
  const ownKindergarten = new Map<Place, Site>()
  const teachingPoints = Math.round(primaries * teachingPointShare)
  const big = (v: { readonly place: Place }) => v.place.peak * uniform(rng, 0.4, 1.6)
  for (const { place, township } of topBy(villages, primaries - teachingPoints, big)) {
    const site = addSite(g, `${place.id}-PRI`, `${place.name} primary`, "primary", place)
    ownPrimary.set(place, site)
    township.primaries.push(site)
  }
  const withoutSchool = villages.filter((v) => !ownPrimary.has(v.place))
  const remote = (v: { readonly place: Place; readonly township: Township }) =>
    (Math.sqrt(distance2(v.place, v.township.place)) * uniform(rng, 0.5, 1.5)) / (v.place.peak + 10)
  for (const { place } of topBy(withoutSchool, teachingPoints, remote)) {
    ownPrimary.set(place, addSite(g, `${place.id}-TP`, `${place.name} teaching point`, "teaching-point", place))
  }
  for (const { place, township } of topBy(villages, kindergartens, big)) {
    const site = addSite(g, `${place.id}-KG`, `${place.name} kindergarten`, "kindergarten", place)
    ownKindergarten.set(place, site)
    township.kindergartens.push(site)
  }

  // catchments
  const seniorOf = (t: number) => seniors[Math.floor((t * seniors.length) / townships.length)]
  seat.forEach((p, d) => {
    zone(p, KG, seatKgs[d])
    zone(p, PRI, seatPrimaries[d])
    zone(p, JUN, nearest(seatJuniors, p))
    zone(p, SEN, nearest(seniors, p))
  })
  townships.forEach((t, i) => {
    zone(t.place, KG, t.kindergartens[0])
    zone(t.place, PRI, t.primaries[0])
    zone(t.place, JUN, t.junior)
    zone(t.place, SEN, seniorOf(i))
    for (const v of t.villages) {
      zone(v, KG, ownKindergarten.get(v) ?? nearest(t.kindergartens, v))
      zone(v, PRI, ownPrimary.get(v) ?? nearest(t.primaries, v))
      zone(v, JUN, t.junior)
      zone(v, SEN, seniorOf(i))
    }
  })
  for (let i = firstSite; i < g.sites.length; i++) sizeSchool(g, g.sites[i])
}

const tierOf: Record<Kind, Geography.Tier> = { seat: "county-seat", township: "township", village: "village" }

/** Adds a place and its births, one object literal of a fixed shape (spreads here made V8 slow objects). */
const addPlace = (
  g: Build,
  kind: Kind,
  id: Ids.SettlementId,
  name: string,
  at: { readonly lon: number; readonly lat: number },
  parent: Ids.SettlementId | undefined
): Place => {
  const { rng } = g
  const [lo, hi] = peakBirths[kind]
  const peak = lo + (hi - lo) * rng() ** 1.5
  const [driftLo, driftHi] = drift[kind]
  const place: Place = {
    index: g.places.length,
    id,
    name,
    tier: tierOf[kind],
    kind,
    lon: at.lon,
    lat: at.lat,
    parent,
    drift: uniform(rng, driftLo, driftHi),
    peak,
    zone: []
  }
  const row = place.index * g.span
  const shape = g.birthShapes[kind]
  for (let i = 0; i < g.span; i++) {
    g.births[row + i] = Math.round(peak * shape[i] * uniform(rng, 0.92, 1.08))
  }
  g.places.push(place)
  return place
}

const addSite = (
  g: Build,
  id: string,
  name: string,
  type: School.SchoolType,
  place: Place,
  ownership: School.School["ownership"] = "public"
): Site => {
  const site: Site = {
    id: schoolId(id),
    name,
    type,
    place,
    lon: place.lon + jitterKm(g.rng, 0.4) / (kmPerDegree * Math.cos((place.lat * Math.PI) / 180)),
    lat: place.lat + jitterKm(g.rng, 0.4) / kmPerDegree,
    ownership,
    served: [[], [], [], []],
    rooms: [0, 0, 0, 0]
  }
  g.sites.push(site)
  return site
}

const zone = (p: Place, level: number, site: Site): void => {
  p.zone[level] = site
  site.served[level].push(p)
}

/** The site nearest to a place (equirectangular distance, good enough inside a county). */
const nearest = (sites: ReadonlyArray<Site>, p: Place): Site => {
  let best = sites[0]
  let bestDistance = Infinity
  for (const s of sites) {
    const distance = distance2(s, p)
    if (distance < bestDistance) {
      best = s
      bestDistance = distance
    }
  }
  return best
}

/** Squared equirectangular distance in degrees of latitude (for comparisons inside a county). */
const distance2 = (a: { readonly lon: number; readonly lat: number }, b: { readonly lon: number; readonly lat: number }): number => {
  const dx = (a.lon - b.lon) * Math.cos(((a.lat + b.lat) * Math.PI) / 360)
  const dy = a.lat - b.lat
  return dx * dx + dy * dy
}

/** The `k` items of highest score (ties by place order). */
const topBy = <T extends { readonly place: Place }>(items: ReadonlyArray<T>, k: number, score: (item: T) => number): ReadonlyArray<T> =>
  items
    .map((item) => ({ item, score: score(item) }))
    .sort((a, b) => b.score - a.score || a.item.place.index - b.item.place.index)
    .slice(0, k)
    .map((x) => x.item)

// ---------------------------------------------------------------- demography

/** Children of an age living in a place in a year: their cohort's births, moved by migration. */
const children = (g: Build, p: Place, year: number, age: number): number =>
  Math.round(g.births[p.index * g.span + year - age - g.birthsFrom] * Math.max(0.3, 1 + p.drift * age))

/** Pupils of a school in a grade and year: its catchment's children of the grade's age, times participation. */
const pupils = (g: Build, s: Site, level: number, grade: number, year: number): number => {
  let n = 0
  for (const p of s.served[level]) n += children(g, p, year, grade + 5)
  return Math.round(n * participation[level])
}

// ---------------------------------------------------------------- sizing

const sizeSchool = (g: Build, s: Site): void => {
  const { rng } = g
  const kind = s.place.kind
  const villageKind = kind === "village"
  const roomFactor = s.type === "senior" ? uniform(rng, 0.9, 1.15) : uniform(rng, ...room[kind])
  let classrooms = 0
  let seats = 0
  let beds = 0
  let floorArea = 0
  let sportsArea = 0
  let equipmentValue = 0
  let books = 0
  let need = 0
  let enrolled = 0
  const [floorQ, sportsQ, equipmentQ, mediaQ] = quality[kind].map((r) => uniform(rng, ...r))
  for (const level of levelIndexes[s.type]) {
    const gradeCount = grades[level].length
    let n = 0
    for (const grade of grades[level]) n += pupils(g, s, level, grade, g.baseYear)
    const minimum = !villageKind ? gradeCount * 10 : s.type === "teaching-point" ? 40 : level === KG ? 60 : 120
    const levelSeats = Math.max(minimum, roundTo(n * roomFactor, 5))
    const minRooms = s.type === "teaching-point" ? 2 : gradeCount
    const rooms = Math.max(minRooms, Math.ceil(levelSeats / classCap[level]))
    s.rooms[level] = rooms
    classrooms += rooms
    seats += levelSeats
    beds += roundTo(n * boarding[kind][level], 10)
    floorArea += levelSeats * floorPerSeat[level] * floorQ
    sportsArea += levelSeats * sportsPerSeat[level] * sportsQ
    equipmentValue += levelSeats * equipmentPerSeat[level] * equipmentQ
    books += levelSeats * booksPerSeat[level] * equipmentQ
    need += n / pupilsPerTeacher[level]
    enrolled += n
  }
  const minTeachers = s.type === "teaching-point" ? 1 : villageKind ? Math.min(6, classrooms) : classrooms
  const teachers = Math.max(minTeachers, Math.round(need * uniform(rng, ...staffing[kind])))
  const specialRooms = (): number =>
    s.type === "teaching-point" ? 0 : villageKind ? (rng() < 0.5 ? 1 : 0) : Math.max(1, Math.floor(classrooms / 12))
  const shares = categoryShares[kind].map((r) => uniform(rng, ...r))
  const mentalHealth = enrolled >= (kind === "seat" ? 1000 : 1200) ? Math.floor(enrolled / 1000) : 0
  s.school = {
    id: s.id,
    name: s.name,
    type: s.type,
    settlementId: s.place.id,
    lon: s.lon,
    lat: s.lat,
    ownership: s.ownership,
    facilities: {
      classrooms,
      seats,
      boardingBeds: beds,
      floorArea: Math.round(floorArea),
      sportsArea: Math.round(sportsArea),
      equipmentValue: roundTo(equipmentValue, 1000),
      multimediaRooms: Math.round(classrooms * mediaQ),
      musicRooms: specialRooms(),
      artRooms: specialRooms(),
      books: roundTo(books, 100)
    },
    teachers: {
      byAge: ageBands(rng, teachers, ageShares[kind]),
      aboveDegree: Math.round(teachers * shares[0]),
      backbone: Math.round(teachers * shares[1]),
      peArts: Math.round(teachers * shares[2]),
      mentalHealth: Math.min(teachers, mentalHealth)
    }
  }
}

/** Splits teachers into age bands: the kind's shares, each jittered by ±30 %, then rounded cumulatively. */
const ageBands = (rng: () => number, total: number, shares: ReadonlyArray<number>): School.TeacherPool["byAge"] => {
  const w = shares.map((s) => s * uniform(rng, 0.7, 1.3))
  const sum = w.reduce((n, x) => n + x, 0)
  const counts: Array<number> = []
  let acc = 0
  let previous = 0
  for (let i = 0; i < w.length; i++) {
    acc += w[i]
    const upTo = i === w.length - 1 ? total : Math.round((total * acc) / sum)
    counts.push(upTo - previous)
    previous = upTo
  }
  return { "under-30": counts[0], "30-39": counts[1], "40-49": counts[2], "50-54": counts[3], "55+": counts[4] }
}

// ---------------------------------------------------------------- events

function* buildEvents(g: Build, firstYear: number, firstBirths: number): Generator<Event.Event> {
  const first = Ids.schoolYear(firstYear)
  for (const p of g.places) {
    const settlement: Geography.Settlement =
      p.parent === undefined
        ? { id: p.id, name: p.name, tier: p.tier, lon: p.lon, lat: p.lat }
        : { id: p.id, name: p.name, tier: p.tier, lon: p.lon, lat: p.lat, parent: p.parent }
    yield { _tag: "SettlementRecorded", year: first, settlement }
  }
  for (const s of g.sites) yield { _tag: "SchoolOpened", year: first, school: s.school! }
  for (const p of g.places) {
    for (let level = 0; level < School.levels.length; level++) {
      yield {
        _tag: "CatchmentAssigned",
        year: first,
        level: School.levels[level],
        settlementId: p.id,
        schoolId: p.zone[level].id
      }
    }
  }
  for (let y = firstYear; y <= g.baseYear; y++) {
    const year = Ids.schoolYear(y)
    if (y >= firstBirths) {
      const column = y - g.birthsFrom
      for (const p of g.places) {
        yield { _tag: "BirthsRecorded", year, settlementId: p.id, births: g.births[p.index * g.span + column] }
      }
    }
    if (y > g.baseYear - enrolmentYears) {
      for (const s of g.sites) {
        for (const level of levelIndexes[s.type]) {
          const perGrade = Math.max(1, Math.floor(s.rooms[level] / grades[level].length))
          for (const grade of grades[level]) {
            const n = pupils(g, s, level, grade, y)
            const classes = n === 0 ? 0 : Math.min(Math.ceil(n / classCap[level]), perGrade)
            yield { _tag: "EnrolmentRecorded", year, schoolId: s.id, grade, pupils: n, classes }
          }
        }
      }
    }
    if (y === g.baseYear) {
      for (const p of g.places) {
        const byAge: Array<number> = []
        for (let age = 0; age <= 18; age++) byAge.push(children(g, p, y, age))
        yield { _tag: "PopulationRecorded", year, settlementId: p.id, byAge }
      }
    }
  }
}

// ---------------------------------------------------------------- helpers

const idPattern = /^\S(.*\S)?$/

/** A generated id, checked against the core's id pattern (no spaces at the ends, at most 200 characters). */
const checkedId = (id: string): string => {
  if (id.length > 200 || !idPattern.test(id)) throw new RangeError(`generated an invalid id: ${JSON.stringify(id)}`)
  return id
}
const settlementId = (id: string): Ids.SettlementId => checkedId(id) as Ids.SettlementId
const schoolId = (id: string): Ids.SchoolId => checkedId(id) as Ids.SchoolId

const wholeNumber = (name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): InvalidOptions | undefined =>
  !Number.isInteger(value) || value < min || value > max
    ? new InvalidOptions({ option: name, message: `${name} must be a whole number from ${min} to ${max}, got ${value}` })
    : undefined

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x))
const roundTo = (x: number, step: number): number => Math.round(x / step) * step
const uniform = (rng: () => number, lo: number, hi: number): number => lo + (hi - lo) * rng()
const jitterKm = (rng: () => number, km: number): number => (rng() * 2 - 1) * km

/** The run's generator (`Rng`: sfc32 seeded through splitmix32, warmed up), as floats in [0, 1). */
const makeRng = (seed: number): (() => number) => {
  const state = Rng.make(seed)
  return () => Rng.nextFloat(state)
}
