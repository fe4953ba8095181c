import { Args, Command, Options } from "@effect/cli"
import { EventStore, School } from "@seatplan/core"
import { Provenance } from "@seatplan/sim"
import { Console, Effect, Option } from "effect"
import * as Report from "../Report.js"
import { Explain, Project, ScenarioLoader } from "@seatplan/plan"
import { described } from "../Options.js"
import * as Stopping from "../Stopping.js"

const scenario = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("a scenario file (YAML or JSON)"))
const variant = Options.text("variant").pipe(Options.withDescription("the variant (default baseline)"), Options.withDefault("baseline"))
const year = Options.integer("year").pipe(Options.withDescription("the school year"))
const school = Options.text("school").pipe(Options.withDescription("the school id"), Options.optional)
const level = Options.choice("level", School.levels).pipe(Options.withDescription("the level"), Options.optional)
const all = Options.boolean("all").pipe(Options.withDescription("every school and level of the year (for a report: use --format json)"))
const metric = Options.choice("metric", ["pupils", "classes"]).pipe(
  Options.withDescription("the figure to explain"),
  Options.withDefault("pupils" as const)
)
const lang = Options.choice("lang", ["zh", "en"]).pipe(
  Options.withDescription("the language (default Chinese for a scenario named in Chinese)"),
  Options.optional
)
const format = Options.choice("format", ["text", "json"]).pipe(Options.withDefault("text" as const))

/**
 * `seatplan explain SCENARIO --variant V --year Y --school S --level L [--metric pupils|classes]`: how
 * that figure was produced: the settlements and cohorts that fed it, the rule and its parameters, the
 * arithmetic, and the events behind it with their ids and years. `--all` explains every school and level
 * of the year from one run (JSON for a report where clicking a school's figure shows its provenance).
 */
export const explain = Command.make("explain", { scenario, variant, year, school, level, all, metric, lang, format }, (o) =>
  Effect.gen(function* () {
    const loaded = yield* Stopping.atOnce(ScenarioLoader.load(o.scenario))
    const s = loaded.scenario
    const fail = (reason: string) => new Project.RunError({ reason: `${loaded.file}: ${reason}` })
    const plan = loaded.streams.variants.find((v) => v.name === o.variant)
    if (o.variant !== "baseline" && plan === undefined) {
      const known = ["baseline", ...loaded.streams.variants.map((v) => v.name)].join(", ")
      return yield* fail(`--variant: expected one of ${known}, found ${JSON.stringify(o.variant)}`)
    }
    // the events as the store keeps them and the one compiled model, as `seatplan run` traces them
    const { events, model } = yield* Effect.gen(function* () {
      yield* Project.store(loaded)
      return yield* Project.compiled(loaded, o.variant)
    }).pipe(Effect.provide(EventStore.layerMemory))
    const language = Option.getOrElse(o.lang, () => Report.defaultLang(s.name))
    const option = (reason: string) => fail(reason.replace(/^(year|school|level): /, "--$1: "))
    if (o.all) {
      const traced = Provenance.traceAll(model, o.year)
      if (traced._tag === "Left") return yield* option(traced.left.message)
      const citing = Explain.citing(events)
      const explained = traced.right.map((t) => Explain.explain(o.variant, o.metric, t, citing))
      const names = Explain.names(events)
      return yield* Console.log(
        o.format === "json" ? JSON.stringify(explained) : explained.map((e) => Explain.text(e, language, names)).join("\n\n")
      )
    }
    if (Option.isNone(o.school) || Option.isNone(o.level)) {
      return yield* fail(
        `expected --school and --level (or --all for every school), found ${Option.isNone(o.school) ? "no --school" : "no --level"}`
      )
    }
    const traced = Provenance.trace(model, { year: o.year, schoolId: o.school.value, level: o.level.value })
    if (traced._tag === "Left") return yield* option(traced.left.message)
    const explained = Explain.explain(o.variant, o.metric, traced.right, events)
    yield* Console.log(o.format === "json" ? JSON.stringify(explained) : Explain.text(explained, language, Explain.names(events)))
  })
).pipe(
  Command.withDescription(
    described("Explain how a school's figure was produced: settlements, events, rule and arithmetic (zh/en)", [
      "seatplan explain scenarios/tiny/scenario.yaml --variant township --year 2028 --school DONG-PRI --level primary"
    ])
  )
)
