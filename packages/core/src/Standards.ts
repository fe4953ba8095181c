/**
 * The numeric standards the world state carries and that `StandardChanged` events may change.
 * Every default cites its source (DOMAIN.md and the seed documents in `shared/seeds/`).
 */
import { Schema } from "effect"

/** A standard that can be set by a `StandardChanged` event, with its default and source. */
export interface StandardSpec {
  readonly value: number
  readonly zh: string
  readonly en: string
  readonly unit: string
  readonly source: string
}

/** The catalogue of numeric standards. Keys are stable: scenario files and events name them. */
export const catalogue = {
  "classCap.kindergarten": {
    value: 30,
    zh: "幼儿园班额上限",
    en: "kindergarten class cap (mixed-age class)",
    unit: "pupils per class",
    source: "幼儿园工作规程 (2016) art. 11: 小班25, 中班30, 大班35, 混合班30"
  },
  "classCap.primary": {
    value: 45,
    zh: "小学标准班额",
    en: "primary class cap",
    unit: "pupils per class",
    source: "DOMAIN.md; seed 002"
  },
  "classCap.junior": {
    value: 50,
    zh: "初中标准班额",
    en: "junior middle class cap",
    unit: "pupils per class",
    source: "DOMAIN.md; seed 002"
  },
  "classCap.senior": {
    value: 50,
    zh: "高中标准班额",
    en: "senior high class cap",
    unit: "pupils per class",
    source: "DOMAIN.md (senior high large classes eliminated, seed 001); 50 as for junior"
  },
  "largeClass.min": {
    value: 56,
    zh: "大班额下限",
    en: "large class (大班额) lower bound",
    unit: "pupils per class",
    source: "DOMAIN.md, national definition: 56-65"
  },
  "superLargeClass.min": {
    value: 66,
    zh: "超大班额下限",
    en: "super-large class (超大班额) lower bound",
    unit: "pupils per class",
    source: "DOMAIN.md, national definition: 66+"
  },
  "largeClassShare.max": {
    value: 0.05,
    zh: "大班额比例上限",
    en: "county share of large classes",
    unit: "share of classes",
    source: "DOMAIN.md; Henan provincial standard, seed 004"
  },
  "schoolSize.primary": {
    value: 2000,
    zh: "小学校额上限",
    en: "primary school size cap",
    unit: "pupils",
    source: "DOMAIN.md; seed 002"
  },
  "schoolSize.junior": {
    value: 2000,
    zh: "初中校额上限",
    en: "junior middle school size cap",
    unit: "pupils",
    source: "DOMAIN.md; seed 002"
  },
  "schoolSize.through": {
    value: 2500,
    zh: "九年/十二年一贯制学校义务教育段校额上限",
    en: "nine-year and twelve-year school size cap (compulsory grades)",
    unit: "pupils",
    source: "DOMAIN.md; seed 002"
  },
  "schoolSize.senior": {
    value: 5000,
    zh: "高中校额上限",
    en: "senior high school size cap (no school of 5,000+)",
    unit: "pupils",
    source: "DOMAIN.md; seed 001"
  },
  "pupilsPerStaff.primary": {
    value: 19,
    zh: "小学生师比(编制)",
    en: "primary pupils per staff post",
    unit: "pupils per post",
    source: "DOMAIN.md; national unified urban-rural standard (2014), seed 001"
  },
  "pupilsPerStaff.junior": {
    value: 13.5,
    zh: "初中生师比(编制)",
    en: "junior middle pupils per staff post",
    unit: "pupils per post",
    source: "DOMAIN.md; national unified urban-rural standard (2014), seed 001"
  },
  "pupilsPerStaff.senior": {
    value: 12.5,
    zh: "高中生师比(编制)",
    en: "senior high pupils per staff post",
    unit: "pupils per post",
    source: "DOMAIN.md; national unified urban-rural standard (2014), seed 001"
  },
  "pupilsPerStaff.kindergarten": {
    value: 15,
    zh: "幼儿园专任教师配备",
    en: "kindergarten pupils per full-time teacher (2 teachers per full-day class of 30)",
    unit: "pupils per teacher",
    source: "幼儿园教职工配备标准(暂行) (2013): 全日制每班配备2名专任教师"
  },
  "smallSchool.fundingFloor": {
    value: 100,
    zh: "不足100人学校按100人核定公用经费",
    en: "schools under 100 pupils are funded as if they had 100",
    unit: "pupils",
    source: "DOMAIN.md; seed 002"
  }
} as const satisfies Record<string, StandardSpec>

/** The key of a numeric standard, e.g. `classCap.primary`. */
export type StandardKey = keyof typeof catalogue

export const keys = Object.keys(catalogue) as ReadonlyArray<StandardKey>

export const StandardKey = Schema.Literal(...(keys as [StandardKey, ...Array<StandardKey>])).annotations({
  description: "the key of a numeric standard, e.g. classCap.primary"
})

/** The values of every standard in force. */
export type Standards = { readonly [K in StandardKey]: number }

/** The national defaults. */
export const defaults: Standards = Object.fromEntries(keys.map((k) => [k, catalogue[k].value])) as Standards
