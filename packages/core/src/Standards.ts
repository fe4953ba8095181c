/**
 * The numeric standards the world state carries and that `StandardChanged` events may change.
 * Every default cites the policy documents it comes from (`Sources`: issuer, title, year, clause);
 * `docs/standards.md` lists them all (`pnpm docs:standards`).
 */
import { Schema } from "effect"
import * as Sources from "./Sources.js"

/** A standard as the catalogue states it: its default, labels, unit and the documents it comes from. */
export interface StandardSource {
  readonly value: number
  readonly zh: string
  readonly en: string
  readonly unit: string
  readonly sources: ReadonlyArray<Sources.Source>
  /**
   * Set when no national figure exists: the default is a local policy (地方政策) seatplan assumes, and this
   * says why; a county sets its own under `standards:`. `source` then starts with "local policy: …".
   */
  readonly localPolicy?: string
}

/** A standard that can be set by a `StandardChanged` event, with its default and source. */
export interface StandardSpec extends StandardSource {
  /** The citations as text (`Sources.cite`): issuer《title》(number, year) clause: note. */
  readonly source: string
}

/** The catalogue of numeric standards. Keys are stable: scenario files and events name them. */
const specs = {
  "classCap.kindergarten": {
    value: 30,
    zh: "幼儿园班额上限",
    en: "kindergarten class cap (mixed-age class)",
    unit: "pupils per class",
    sources: [{ document: "kindergarten-rules-2016", clause: "art. 11", note: "小班25, 中班30, 大班35, 混合班30" }]
  },
  "classCap.primary": {
    value: 45,
    zh: "小学标准班额",
    en: "primary class cap",
    unit: "pupils per class",
    sources: [{ document: "wenling-2020", clause: "§五(一)3(3); 附件2 item 5", note: "小学、初中所有班级学生数分别不超过45人、50人" }]
  },
  "classCap.junior": {
    value: 50,
    zh: "初中标准班额",
    en: "junior middle class cap",
    unit: "pupils per class",
    sources: [{ document: "wenling-2020", clause: "§五(一)3(3); 附件2 item 5", note: "小学、初中所有班级学生数分别不超过45人、50人" }]
  },
  "classCap.senior": {
    value: 50,
    zh: "高中标准班额",
    en: "senior high class cap",
    unit: "pupils per class",
    sources: [
      { document: "leshan-2021", clause: "§二(三)3", note: "到2021年底全面消除普通高中大班额; seatplan takes 50, as for junior middle" }
    ]
  },
  "largeClass.min": {
    value: 56,
    zh: "大班额下限",
    en: "large class (大班额) lower bound",
    unit: "pupils per class",
    sources: [{ document: "state-council-2016", note: "large classes (大班额) are those of 56 or more (56-65)" }]
  },
  "superLargeClass.min": {
    value: 66,
    zh: "超大班额下限",
    en: "super-large class (超大班额) lower bound",
    unit: "pupils per class",
    sources: [{ document: "state-council-2016", note: "super-large classes (超大班额) are those of 66 or more" }]
  },
  "largeClassShare.max": {
    value: 0.05,
    zh: "大班额比例上限",
    en: "county share of large classes",
    unit: "share of classes",
    sources: [{ document: "henan-2021", clause: "许昌 §三", note: "大班额比例控制在了3.58%, 低于省定5%的标准" }]
  },
  "schoolSize.primary": {
    value: 2000,
    zh: "小学校额上限",
    en: "primary school size cap",
    unit: "pupils",
    sources: [{ document: "wenling-2020", clause: "§五(一)3(3); 附件2 item 4", note: "所有小学、初中规模不超过2000人" }]
  },
  "schoolSize.junior": {
    value: 2000,
    zh: "初中校额上限",
    en: "junior middle school size cap",
    unit: "pupils",
    sources: [{ document: "wenling-2020", clause: "§五(一)3(3); 附件2 item 4", note: "所有小学、初中规模不超过2000人" }]
  },
  "schoolSize.through": {
    value: 2500,
    zh: "九年/十二年一贯制学校义务教育段校额上限",
    en: "nine-year and twelve-year school size cap (compulsory grades)",
    unit: "pupils",
    sources: [
      {
        document: "wenling-2020",
        clause: "§五(一)3(3); 附件2 item 4",
        note: "九年一贯制学校、十二年一贯制学校义务教育阶段规模不超过2500人"
      }
    ]
  },
  "schoolSize.senior": {
    value: 5000,
    zh: "高中校额上限",
    en: "senior high school size cap (no school of 5,000+)",
    unit: "pupils",
    sources: [{ document: "leshan-2021", clause: "§二(三)3", note: "到2025年全面消除5000人以上普通高中校点" }]
  },
  "pupilsPerStaff.primary": {
    value: 19,
    zh: "小学生师比(编制)",
    en: "primary pupils per staff post",
    unit: "pupils per post",
    sources: [{ document: "staffing-2014" }, { document: "leshan-2021", clause: "§二(五)2", note: "根据学生总量动态核定教职工编制" }]
  },
  "pupilsPerStaff.junior": {
    value: 13.5,
    zh: "初中生师比(编制)",
    en: "junior middle pupils per staff post",
    unit: "pupils per post",
    sources: [{ document: "staffing-2014" }, { document: "leshan-2021", clause: "§二(五)2", note: "根据学生总量动态核定教职工编制" }]
  },
  "pupilsPerStaff.senior": {
    value: 12.5,
    zh: "高中生师比(编制)",
    en: "senior high pupils per staff post",
    unit: "pupils per post",
    sources: [{ document: "staffing-2014" }, { document: "leshan-2021", clause: "§二(五)2", note: "根据学生总量动态核定教职工编制" }]
  },
  "pupilsPerStaff.kindergarten": {
    value: 15,
    zh: "幼儿园专任教师配备",
    en: "kindergarten pupils per full-time teacher (2 teachers per full-day class of 30)",
    unit: "pupils per teacher",
    sources: [{ document: "kindergarten-staffing-2013", note: "全日制每班配备2名专任教师" }]
  },
  "distance.kindergarten": {
    value: 2,
    zh: "幼儿园服务半径(上学距离上限)",
    en: "kindergarten: the farthest a child should live from its kindergarten (service radius); kindergarten children never board",
    unit: "km",
    localPolicy:
      "no national figure for rural kindergartens; 2 km (about half an hour's walk with a parent) is seatplan's default, 幼儿园就近就便 (Leshan 2021 §二(一)1); set your county's own",
    sources: [
      { document: "leshan-2021", clause: "§二(一)1", note: "幼儿园就近就便" },
      { document: "gb-50180-2018", note: "urban residential areas: 幼儿园服务半径不宜大于300m" },
      {
        document: "state-council-2018-rural-schools",
        note: "小学1—3年级不寄宿, 就近走读; seatplan reads kindergarten children, younger still, as never boarding"
      }
    ]
  },
  "distance.primary": {
    value: 3,
    zh: "小学走读距离上限",
    en: "primary: the farthest a day pupil should live from school (farther pupils board)",
    unit: "km",
    localPolicy:
      "no national distance in km (the national rule is lower grades walk, no more than half an hour); 3 km is seatplan's default, equal to its boarding distance; set your county's own",
    sources: [
      { document: "state-council-2018-rural-schools", note: "1—3年级就近走读, 路途时间一般不超过半小时; 4—6年级以走读为主" },
      { document: "gb-50180-2018", note: "urban residential areas: 小学服务半径不宜大于500m" }
    ]
  },
  "distance.junior": {
    value: 5,
    zh: "初中走读距离上限",
    en: "junior middle: the farthest a day pupil should live from school (farther pupils board)",
    unit: "km",
    localPolicy: "no national figure; 5 km is seatplan's default, equal to its boarding distance; set your county's own",
    sources: [
      { document: "state-council-2012-layout", note: "初中学生根据实际可以走读或寄宿" },
      { document: "gb-50180-2018", note: "urban residential areas: 初中服务半径不宜大于1000m" }
    ]
  },
  "distance.senior": {
    value: 8,
    zh: "高中走读距离上限",
    en: "senior high: the farthest a day pupil should live from school (farther pupils board)",
    unit: "km",
    localPolicy:
      "no national figure; 8 km is seatplan's default, equal to its boarding distance (高中向县城集中: most rural pupils board); set your county's own",
    sources: [{ document: "leshan-2021", clause: "§二(一)1", note: "高中向县城集中、资源向寄宿制学校集中" }]
  },
  "smallSchool.fundingFloor": {
    value: 100,
    zh: "不足100人学校按100人核定公用经费",
    en: "schools under 100 pupils are funded as if they had 100",
    unit: "pupils",
    sources: [{ document: "wenling-2020", clause: "§五(一)3(1); 附件2 item 6", note: "不足100名学生的校区按100名学生核定公用经费" }]
  },
  "quality.aboveDegreePer100.primary": {
    value: 4.2,
    zh: "小学每百名学生拥有高于规定学历教师数",
    en: "primary: teachers above the required degree per 100 pupils",
    unit: "teachers per 100 pupils",
    sources: [
      { document: "wenling-2020", clause: "§五(一)2(3); 附件2 item 1" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.backbonePer100.primary": {
    value: 1.0,
    zh: "小学每百名学生拥有县级及以上骨干教师数",
    en: "primary: county-level or higher backbone teachers per 100 pupils",
    unit: "teachers per 100 pupils",
    sources: [
      { document: "wenling-2020", clause: "§五(一)2(3)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.peArtsPer100.primary": {
    value: 0.9,
    zh: "小学每百名学生拥有体育、艺术专任教师数",
    en: "primary: PE and arts teachers per 100 pupils",
    unit: "teachers per 100 pupils",
    sources: [
      { document: "wenling-2020", clause: "§五(一)2(1)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.floorAreaPerPupil.primary": {
    value: 4.5,
    zh: "小学生均教学及辅助用房面积",
    en: "primary: teaching and auxiliary floor area per pupil",
    unit: "m² per pupil",
    sources: [
      { document: "wenling-2020", clause: "§五(一)3(2)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.sportsAreaPerPupil.primary": {
    value: 7.5,
    zh: "小学生均体育运动场馆面积",
    en: "primary: sports ground area per pupil",
    unit: "m² per pupil",
    sources: [
      { document: "wenling-2020", clause: "§五(一)3(2)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.equipmentPerPupil.primary": {
    value: 2000,
    zh: "小学生均教学仪器设备值",
    en: "primary: teaching equipment value per pupil",
    unit: "yuan per pupil",
    sources: [
      { document: "wenling-2020", clause: "§五(一)3(2)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.multimediaPer100.primary": {
    value: 2.3,
    zh: "小学每百名学生拥有网络多媒体教室数",
    en: "primary: networked multimedia classrooms per 100 pupils",
    unit: "rooms per 100 pupils",
    sources: [
      { document: "wenling-2020", clause: "§五(一)3(2)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.aboveDegreePer100.junior": {
    value: 5.3,
    zh: "初中每百名学生拥有高于规定学历教师数",
    en: "junior: teachers above the required degree per 100 pupils",
    unit: "teachers per 100 pupils",
    sources: [
      { document: "wenling-2020", clause: "§五(一)2(3); 附件2 item 1" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.backbonePer100.junior": {
    value: 1.0,
    zh: "初中每百名学生拥有县级及以上骨干教师数",
    en: "junior: county-level or higher backbone teachers per 100 pupils",
    unit: "teachers per 100 pupils",
    sources: [
      { document: "wenling-2020", clause: "§五(一)2(3)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.peArtsPer100.junior": {
    value: 0.9,
    zh: "初中每百名学生拥有体育、艺术专任教师数",
    en: "junior: PE and arts teachers per 100 pupils",
    unit: "teachers per 100 pupils",
    sources: [
      { document: "wenling-2020", clause: "§五(一)2(1)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.floorAreaPerPupil.junior": {
    value: 5.8,
    zh: "初中生均教学及辅助用房面积",
    en: "junior: teaching and auxiliary floor area per pupil",
    unit: "m² per pupil",
    sources: [
      { document: "wenling-2020", clause: "§五(一)3(2)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.sportsAreaPerPupil.junior": {
    value: 10.2,
    zh: "初中生均体育运动场馆面积",
    en: "junior: sports ground area per pupil",
    unit: "m² per pupil",
    sources: [
      { document: "wenling-2020", clause: "§五(一)3(2)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.equipmentPerPupil.junior": {
    value: 2500,
    zh: "初中生均教学仪器设备值",
    en: "junior: teaching equipment value per pupil",
    unit: "yuan per pupil",
    sources: [
      { document: "wenling-2020", clause: "§五(一)3(2)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "quality.multimediaPer100.junior": {
    value: 2.4,
    zh: "初中每百名学生拥有网络多媒体教室数",
    en: "junior: networked multimedia classrooms per 100 pupils",
    unit: "rooms per 100 pupils",
    sources: [
      { document: "wenling-2020", clause: "§五(一)3(2)" },
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)" }
    ]
  },
  "books.perPupil.primary": {
    value: 25,
    zh: "小学生均图书藏书量",
    en: "primary: library books per pupil",
    unit: "volumes per pupil",
    sources: [
      { document: "moe-2018-library", clause: "附件 藏书量", note: "小学生均25册" },
      { document: "moe-2012-balance", note: "生均图书册数, one of the basic-balance indicators" }
    ]
  },
  "books.perPupil.junior": {
    value: 35,
    zh: "初中生均图书藏书量",
    en: "junior: library books per pupil",
    unit: "volumes per pupil",
    localPolicy:
      "35 volumes a junior pupil is a local assumption, not a cited figure: the regulation's appendix table (藏书量 by school type) is not in the seeds and the press report at hand gives only the primary row (25); no seed states a books figure; set your county's own (standards: { books.perPupil.junior: N }) from its copy of the regulation",
    sources: [
      {
        document: "moe-2018-library",
        clause: "附件 藏书量",
        note: "sets the books per pupil by school type; its junior row is not confirmed here"
      },
      { document: "moe-2012-balance", note: "生均图书册数, one of the basic-balance indicators" }
    ]
  },
  "quality.floorShare": {
    value: 0.85,
    zh: "未达标指标不低于标准的85%",
    en: "the indicators a school misses must still reach this share of the standard (at least 6 of 7 met)",
    unit: "share of the standard",
    sources: [
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)", note: "每所学校至少6项指标达到要求, 余项不能低于要求的85%" }
    ]
  },
  "differenceCoefficient.primary": {
    value: 0.5,
    zh: "小学校际差异系数上限(优质均衡)",
    en: "primary inter-school difference coefficient limit (high-quality balance)",
    unit: "coefficient of variation",
    sources: [
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)", note: "小学校际差异系数≤0.50" },
      { document: "wenling-2020", clause: "§二" }
    ]
  },
  "differenceCoefficient.junior": {
    value: 0.45,
    zh: "初中校际差异系数上限(优质均衡)",
    en: "junior inter-school difference coefficient limit (high-quality balance)",
    unit: "coefficient of variation",
    sources: [
      { document: "moe-2017-balance", clause: "资源配置 (resource allocation)", note: "初中校际差异系数≤0.45" },
      { document: "wenling-2020", clause: "§二" }
    ]
  },
  "differenceCoefficient.basic.primary": {
    value: 0.65,
    zh: "小学校际差异系数上限(基本均衡)",
    en: "primary inter-school difference coefficient limit (basic balance, the older level)",
    unit: "coefficient of variation",
    sources: [{ document: "moe-2012-balance", note: "小学综合差异系数≤0.65 (基本均衡, superseded by 优质均衡 0.50)" }]
  },
  "differenceCoefficient.basic.junior": {
    value: 0.55,
    zh: "初中校际差异系数上限(基本均衡)",
    en: "junior inter-school difference coefficient limit (basic balance, the older level)",
    unit: "coefficient of variation",
    sources: [{ document: "moe-2012-balance", note: "初中综合差异系数≤0.55 (基本均衡, superseded by 优质均衡 0.45)" }]
  },
  "rotation.share": {
    value: 0.1,
    zh: "每年教师交流轮岗比例",
    en: "share of teachers rotating (交流轮岗) each year",
    unit: "share of teachers",
    sources: [{ document: "wenling-2020", clause: "§五(一)2(2)", note: "每年交流轮岗教师的比例不低于符合交流条件教师总数的10%" }]
  },
  "rotation.backboneShare": {
    value: 0.2,
    zh: "交流轮岗教师中骨干教师比例",
    en: "share of backbone teachers among those rotating",
    unit: "share of rotated teachers",
    sources: [{ document: "wenling-2020", clause: "§五(一)2(2)", note: "骨干教师不低于交流轮岗教师总数的20%" }]
  },
  "rooms.classesPerMusicAndArtRoom": {
    value: 12,
    zh: "每12个班配备音乐、美术专用教室各1间",
    en: "classes per music room and per art room",
    unit: "classes per room",
    sources: [{ document: "wenling-2020", clause: "§五(一)3(2); 附件2 item 3", note: "每12个班级配备音乐、美术专用教室各1间以上" }]
  },
  "mentalHealth.pupilsPerTeacher": {
    value: 1000,
    zh: "每1000名学生配备1名心理健康教师",
    en: "pupils per mental-health teacher",
    unit: "pupils per teacher",
    sources: [{ document: "leshan-2021", clause: "§二(二)4", note: "按照1000:1的生师比配备心理健康教师" }]
  },
  "mentalHealth.urbanFrom": {
    value: 1000,
    zh: "城镇学校1000人以上配备心理健康教师",
    en: "urban schools of this many pupils or more need mental-health teachers",
    unit: "pupils",
    sources: [{ document: "leshan-2021", clause: "§二(二)4", note: "在校学生人数在1000人及以上的城、镇学校" }]
  },
  "mentalHealth.ruralFrom": {
    value: 1200,
    zh: "农村学校1200人以上配备心理健康教师",
    en: "rural schools of this many pupils or more need mental-health teachers",
    unit: "pupils",
    sources: [{ document: "leshan-2021", clause: "§二(二)4", note: "在校学生人数在1200人及以上的农村学校" }]
  }
} as const satisfies Record<string, StandardSource>

/** The catalogue of numeric standards, each with its citations as text. */
export const catalogue: { readonly [K in keyof typeof specs]: StandardSpec } = Object.fromEntries(
  Object.entries(specs).map(([key, spec]): [string, StandardSpec] => [
    key,
    {
      ...spec,
      source: `${"localPolicy" in spec ? `local policy (no national figure): ${spec.localPolicy}; ` : ""}${Sources.cite(...spec.sources)}`
    }
  ])
) as Record<keyof typeof specs, StandardSpec>

/** The key of a numeric standard, e.g. `classCap.primary`. */
export type StandardKey = keyof typeof specs

export const keys = Object.keys(catalogue) as ReadonlyArray<StandardKey>

export const StandardKey = Schema.Literal(...(keys as [StandardKey, ...Array<StandardKey>])).annotations({
  description: "the key of a numeric standard, e.g. classCap.primary"
})

/** The values of every standard in force. */
export type Standards = { readonly [K in StandardKey]: number }

/** The national defaults. */
export const defaults: Standards = Object.fromEntries(keys.map((k) => [k, catalogue[k].value])) as Standards
