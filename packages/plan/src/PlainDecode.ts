/**
 * Decoding plain data without the parser's bookkeeping. Effect Schema's decoder builds an `Either`, an
 * output object and an issue list for every value it meets: for a province's scenario (a million birth
 * records, 100,000 settlements and population rows, 37,000 schools) that was 20 s of a 48 s `validate`,
 * and most of its garbage. Most of the scenario's schema is plain data whose decoding is the identity
 * (structs, records, arrays, literals, strings, numbers, booleans and refinements of them): there a value
 * either decodes to an equal value or fails. `check` compiles such a schema's AST into a predicate that
 * accepts exactly what decoding accepts (refinements call the schema's own filters, so every range and
 * pattern is defined once, in the schema); anything else (transformations, declarations, defaults,
 * recursion) it declines, and `sections` leaves those to the schema.
 *
 * The predicate is a fast path, never a second judge: a value it refuses is decoded by the schema, whose
 * messages name what is wrong, and a required key that is missing is refused (the decoder would add it as
 * `undefined` where the type allows, so the output would not be the input). Tested against the decoder
 * (`packages/plan/test/plainDecode.test.ts`): for random and mutated values, accepted means decoded to an
 * equal value, and a scenario decodes the same either way.
 */
import { Either, Option, type ParseResult, Predicate, Schema, SchemaAST as AST } from "effect"

/** A predicate equivalent to decoding a plain schema: true exactly when decoding succeeds (with the input as output). */
export type Check = (u: unknown) => boolean

/** What stands for a property left out while the schema decodes the rest. */
const absent: unique symbol = Symbol("absent")

const anything: Check = () => true
const nothing: Check = () => false

/**
 * Compiles `ast` into a `Check` under the parse `options` (excess properties matter: `onExcessProperty:
 * "error"` refuses keys the struct does not name), or `undefined` where decoding is not the identity or the
 * shape is not one handled here.
 */
export const check = (ast: AST.AST, options: AST.ParseOptions): Check | undefined => {
  // annotations that change how the decoder runs: left to it
  if (Option.isSome(AST.getParseOptionsAnnotation(ast)) || Option.isSome(AST.getDecodingFallbackAnnotation(ast))) return undefined
  switch (ast._tag) {
    case "Literal": {
      const literal = ast.literal
      return (u) => u === literal
    }
    case "UndefinedKeyword":
      return (u) => u === undefined
    case "NeverKeyword":
      return nothing
    case "UnknownKeyword":
    case "AnyKeyword":
    case "VoidKeyword":
      return anything
    case "StringKeyword":
      return Predicate.isString
    case "NumberKeyword":
      return Predicate.isNumber
    case "BooleanKeyword":
      return Predicate.isBoolean
    case "Enums": {
      const values = ast.enums.map(([, value]) => value)
      return (u) => values.some((v) => v === u)
    }
    case "Refinement": {
      const from = check(ast.from, options)
      if (from === undefined) return undefined
      const filter = ast.filter
      const self = ast
      return (u) => from(u) && Option.isNone(filter(u, options, self))
    }
    case "Union": {
      const members: Array<Check> = []
      for (const member of ast.types) {
        const c = check(member, options)
        if (c === undefined) return undefined
        members.push(c)
      }
      return (u) => {
        for (let i = 0; i < members.length; i++) if (members[i](u)) return true
        return false
      }
    }
    case "TupleType":
      return tuple(ast, options)
    case "TypeLiteral":
      return struct(ast, options)
    default:
      // Declaration, Transformation, Suspend, TemplateLiteral, symbols, bigints, object: left to the decoder
      return undefined
  }
}

/** Arrays (`Schema.Array`: one rest element) and fixed tuples with at most one rest element after them. */
const tuple = (ast: AST.TupleType, options: AST.ParseOptions): Check | undefined => {
  if (ast.rest.length > 1) return undefined
  const elements: Array<Check> = []
  for (const e of ast.elements) {
    const c = check(e.type, options)
    if (c === undefined) return undefined
    elements.push(c)
  }
  const optional = ast.elements.map((e) => e.isOptional)
  const required = optional.filter((o) => !o).length
  const rest = ast.rest.length === 1 ? check(ast.rest[0].type, options) : undefined
  if (ast.rest.length === 1 && rest === undefined) return undefined
  const n = elements.length
  return (u) => {
    if (!Array.isArray(u)) return false
    const len = u.length
    if (len < required) return false
    if (rest === undefined && len > n) return false
    for (let i = 0; i < n && i < len; i++) if (!elements[i](u[i])) return false
    if (rest !== undefined) for (let i = n; i < len; i++) if (!rest(u[i])) return false
    return true
  }
}

/** Structs and records: each named property (a missing required one refused), each key an index signature takes. */
const struct = (ast: AST.TypeLiteral, options: AST.ParseOptions): Check | undefined => {
  if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) return Predicate.isNotNullable
  const names: Array<string> = []
  const types: Array<Check> = []
  const optional: Array<boolean> = []
  for (const ps of ast.propertySignatures) {
    if (typeof ps.name !== "string") return undefined
    const c = check(ps.type, options)
    if (c === undefined) return undefined
    names.push(ps.name)
    types.push(c)
    optional.push(ps.isOptional)
  }
  const keys: Array<Check> = []
  const values: Array<Check> = []
  for (const is of ast.indexSignatures) {
    // string keys only (a JSON or YAML object has no others); symbol and template keys left to the decoder
    let parameter: AST.AST = is.parameter
    while (AST.isRefinement(parameter)) parameter = parameter.from
    if (!AST.isStringKeyword(parameter)) return undefined
    const k = check(is.parameter, options)
    const v = check(is.type, options)
    if (k === undefined || v === undefined) return undefined
    keys.push(k)
    values.push(v)
  }
  const named = new Set(names)
  const excessIsError = options.onExcessProperty === "error"
  const n = names.length
  const m = keys.length
  return (u) => {
    if (typeof u !== "object" || u === null || Array.isArray(u)) return false
    const o = u as Record<string, unknown>
    for (let i = 0; i < n; i++) {
      const name = names[i]
      if (!Object.hasOwn(o, name)) {
        if (optional[i]) continue
        return false
      }
      if (!types[i](o[name])) return false
    }
    if (m === 0 && !excessIsError) return true
    for (const key of Object.keys(o)) {
      // an own "__proto__" (JSON.parse makes one): the decoder's output sets the prototype with it rather than
      // keeping it, so its output is not the input; left to the decoder
      if (key === "__proto__") return false
      let expected = named.has(key)
      for (let j = 0; j < m; j++) {
        if (!keys[j](key)) continue
        expected = true
        if (!values[j](o[key])) return false
      }
      if (!expected && excessIsError) return false
    }
    return true
  }
}

/**
 * A decoder for a struct schema (or a struct with defaults, a transformation of one) that checks the
 * top-level properties `check` can compile with their predicates and decodes only the rest with the
 * schema: the values it accepts are kept as they are (decoding them would give equal values). A property
 * the predicate refuses, or any failure, is decoded by the schema as a whole, so its messages are the
 * schema's. `options` are the parse options of `Schema.decodeUnknownEither`.
 */
export const sections = <A, I>(
  schema: Schema.Schema<A, I, never>,
  options: AST.ParseOptions
): ((raw: unknown) => Either.Either<A, ParseResult.ParseError>) => {
  const whole = Schema.decodeUnknownEither(schema, options)
  const ast = schema.ast
  // a struct, or a struct whose properties are transformed one by one (defaults, renames)
  if (AST.isTransformation(ast) && !AST.isTypeLiteralTransformation(ast.transformation)) return whole
  const transformations =
    AST.isTransformation(ast) && AST.isTypeLiteralTransformation(ast.transformation)
      ? ast.transformation.propertySignatureTransformations
      : []
  // a renamed key is left to the schema; a property transformed under its own name (a default for a missing
  // key: `optionalWith`) may be kept where its transformation gives back the very value it is given
  const renamed = new Set<PropertyKey>(transformations.filter((t) => t.from !== t.to).flatMap((t) => [t.from, t.to]))
  const inPlace = new Map(transformations.filter((t) => t.from === t.to).map((t) => [t.from, t] as const))
  const literal = AST.isTransformation(ast) ? ast.from : ast
  if (!AST.isTypeLiteral(literal)) return whole
  const fast: Array<{
    readonly name: string
    readonly check: Check
    readonly placeholder: unknown
    readonly transformation: AST.PropertySignatureTransformation | undefined
  }> = []
  for (const ps of literal.propertySignatures) {
    if (typeof ps.name !== "string" || renamed.has(ps.name)) continue
    const c = check(ps.type, options)
    if (c === undefined) continue
    const transformation = inPlace.get(ps.name)
    // what stands in for an accepted value while the schema decodes the rest: nothing where the property is
    // optional, else (untransformed) an empty array or struct where that is itself valid
    const placeholder = ps.isOptional || transformation !== undefined ? absent : c([]) ? [] : c({}) ? {} : absent
    if (placeholder === absent && !ps.isOptional) continue
    fast.push({ name: ps.name, check: c, placeholder, transformation })
  }
  if (fast.length === 0) return whole
  const to = AST.isTransformation(ast) ? ast.to : ast
  const order = AST.isTypeLiteral(to) ? to.propertySignatures.flatMap((ps) => (typeof ps.name === "string" ? [ps.name] : [])) : []
  // a transformed property's value is kept only where it is given back unchanged (not null nor undefined,
  // which a default replaces): a province's settlements and population have defaults, and went through the
  // schema value by value (5 s)
  const unchanged = (t: AST.PropertySignatureTransformation | undefined, value: unknown): boolean => {
    if (t === undefined) return true
    if (value === undefined || value === null) return false
    const out = t.decode(Option.some(value))
    return Option.isSome(out) && out.value === value
  }
  return (raw) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return whole(raw)
    const input = raw as Record<string, unknown>
    const reduced: Record<string, unknown> = { ...input }
    const kept: Array<readonly [string, unknown]> = []
    for (const f of fast) {
      if (!Object.hasOwn(input, f.name) || !f.check(input[f.name]) || !unchanged(f.transformation, input[f.name])) continue
      kept.push([f.name, input[f.name]])
      if (f.placeholder === absent) delete reduced[f.name]
      else reduced[f.name] = f.placeholder
    }
    if (kept.length === 0) return whole(raw)
    const decoded = whole(reduced)
    // a failure elsewhere: the whole value through the schema, so that every message and its order are the schema's
    if (Either.isLeft(decoded)) return whole(raw)
    const out = decoded.right as Record<string, unknown>
    for (const [name, value] of kept) out[name] = value
    // in the schema's order of keys, as its decoder gives them (a kept key left out of `reduced` came last)
    const ordered: Record<string, unknown> = {}
    for (const name of order) if (Object.hasOwn(out, name)) ordered[name] = out[name]
    for (const name of Object.keys(out)) if (!Object.hasOwn(ordered, name)) ordered[name] = out[name]
    return Either.right(ordered as A)
  }
}
