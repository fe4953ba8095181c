/**
 * docs/standards.md is generated from the sources, the standards catalogue and the national rule set, and
 * every standard and rule names its source as the policy documents name themselves (no repository file).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Sources from "@seatplan/core/Sources"
import * as Standards from "@seatplan/core/Standards"
import * as fs from "node:fs"
import * as path from "node:path"
import { Compliance, StandardsDoc } from "../src/index.js"

const file = path.resolve(import.meta.dirname, "../../../docs/standards.md")

describe("docs/standards.md", () => {
  it("is what `pnpm docs:standards` writes (run it after changing a standard, a rule or a source)", () => {
    assert.isTrue(fs.existsSync(file), "docs/standards.md is missing: run pnpm docs:standards")
    assert.strictEqual(fs.readFileSync(file, "utf8"), StandardsDoc.markdown(), "docs/standards.md is stale: run pnpm docs:standards")
  })

  it("lists every document, standard and rule", () => {
    const text = StandardsDoc.markdown()
    for (const id of Sources.ids) assert.include(text, `| \`${id}\` |`)
    for (const key of Standards.keys) assert.include(text, `| \`${key}\` | ${Standards.catalogue[key].value} |`)
    for (const rule of Compliance.national) assert.include(text, `| \`${rule.id}\` | ${rule.zh} |`)
  })
})

describe("sources", () => {
  const repositoryFiles = /DOMAIN\.md|seed \d|shared\//

  it("every standard cites at least one document, by issuer and title", () => {
    for (const key of Standards.keys) {
      const s = Standards.catalogue[key]
      assert.isAbove(s.sources.length, 0, key)
      assert.notMatch(s.source, repositoryFiles, key)
      for (const c of s.sources) assert.include(s.source, Sources.name(c.document), key)
    }
  })

  it("every national rule cites a document by issuer and title, not a file of the repository", () => {
    for (const rule of Compliance.national) {
      assert.notMatch(rule.source, repositoryFiles, rule.id)
      assert.isTrue(
        Sources.ids.some((id) => rule.source.includes(Sources.name(id))),
        `${rule.id}: ${rule.source}`
      )
    }
  })

  it("a citation reads issuer《title》(number, year) clause: note", () => {
    assert.strictEqual(
      Sources.cite({ document: "moe-2017-balance", clause: "资源配置", note: "0.50" }, { document: "wenling-2020" }),
      "教育部《县域义务教育优质均衡发展督导评估办法》(教督〔2017〕6号, 2017) 资源配置: 0.50; 温岭市人民政府办公室《温岭市创建全国义务教育优质均衡发展市实施方案》(2020)"
    )
  })
})
