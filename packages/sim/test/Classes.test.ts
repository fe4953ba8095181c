import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { Classes } from "../src/index.js"

const formOne = (pupils: number, rooms: number, cap = 45) => {
  const classes = new Float64Array(1)
  Classes.form(Float64Array.of(pupils), classes, 0, 1, Float64Array.of(cap), rooms)
  const c = classes[0]
  const small = Math.floor(pupils / c)
  const sizes = Array.from({ length: c }, (_, i) => (i < pupils - small * c ? small + 1 : small))
  return {
    classes: c,
    sizes,
    large: Classes.sizesIn(pupils, c, 56, 65),
    superLarge: Classes.sizesIn(pupils, c, 66, Infinity)
  }
}

describe("class formation (班额), hand-computed with cap 45", () => {
  it("100 pupils in 3 rooms: classes of 34, 33, 33", () => {
    assert.deepStrictEqual(formOne(100, 3), { classes: 3, sizes: [34, 33, 33], large: 0, superLarge: 0 })
  })
  it("100 pupils in 2 rooms: two classes of 50, no large class", () => {
    assert.deepStrictEqual(formOne(100, 2), { classes: 2, sizes: [50, 50], large: 0, superLarge: 0 })
  })
  it("120 pupils in 2 rooms: two classes of 60, two large classes (大班额)", () => {
    assert.deepStrictEqual(formOne(120, 2), { classes: 2, sizes: [60, 60], large: 2, superLarge: 0 })
  })
  it("140 pupils in 2 rooms: two classes of 70, two super-large classes (超大班额)", () => {
    assert.deepStrictEqual(formOne(140, 2), { classes: 2, sizes: [70, 70], large: 0, superLarge: 2 })
  })
  it("grades share a school's rooms so the largest class is as small as it can be", () => {
    const classes = new Float64Array(3)
    Classes.form(Float64Array.of(120, 100, 40), classes, 0, 3, Float64Array.of(45, 45, 45), 5)
    assert.deepStrictEqual([...classes], [2, 2, 1])
    Classes.form(Float64Array.of(120, 100, 40), classes, 0, 3, Float64Array.of(45, 45, 45), 6)
    assert.deepStrictEqual([...classes], [3, 2, 1])
    Classes.form(Float64Array.of(120, 100, 40), classes, 0, 3, Float64Array.of(45, 45, 45), 20)
    assert.deepStrictEqual([...classes], [3, 3, 1])
  })
  it("with fewer rooms than grades every grade still has one class", () => {
    const classes = new Float64Array(3)
    Classes.form(Float64Array.of(30, 0, 20), classes, 0, 3, Float64Array.of(45, 45, 45), 1)
    assert.deepStrictEqual([...classes], [1, 0, 1])
  })
})

const school = fc.record({
  pupils: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 6 }),
  rooms: fc.integer({ min: 0, max: 40 }),
  cap: fc.constantFrom(30, 45, 50)
})

const largeOf = (pupils: ReadonlyArray<number>, rooms: number, cap: number) => {
  const classes = new Float64Array(pupils.length)
  Classes.form(Float64Array.from(pupils), classes, 0, pupils.length, new Float64Array(pupils.length).fill(cap), rooms)
  let large = 0
  let superLarge = 0
  let max = 0
  pupils.forEach((p, i) => {
    large += Classes.pupilsIn(p, classes[i], 56, Infinity)
    superLarge += Classes.pupilsIn(p, classes[i], 66, Infinity)
    if (classes[i] > 0) max = Math.max(max, Math.ceil(p / classes[i]))
  })
  return { classes, large, superLarge, max }
}

describe("class formation properties", () => {
  it.prop("every pupil is in a class, no class is over the cap while rooms last", [school], ([{ cap, pupils, rooms }]) => {
    const { classes } = largeOf(pupils, rooms, cap)
    const wanted = pupils.reduce((n, p) => n + Math.ceil(p / cap), 0)
    pupils.forEach((p, i) => {
      assert.strictEqual(classes[i] > 0, p > 0)
      assert.isAtMost(classes[i], Math.max(1, Math.ceil(p / cap)))
    })
    if (wanted <= rooms) pupils.forEach((p, i) => assert.strictEqual(classes[i], Math.ceil(p / cap)))
    else assert.isAtMost([...classes].reduce((a, b) => a + b, 0), Math.max(rooms, pupils.filter((p) => p > 0).length))
  })

  it.prop("adding classrooms never puts more pupils in large classes, nor makes the largest class larger", [
    school,
    fc.integer({ min: 1, max: 10 })
  ], ([{ cap, pupils, rooms }, more]) => {
    const before = largeOf(pupils, rooms, cap)
    const after = largeOf(pupils, rooms + more, cap)
    assert.isAtMost(after.max, before.max)
    assert.isAtMost(after.large, before.large)
    assert.isAtMost(after.superLarge, before.superLarge)
  })

  it("adding classrooms can raise the count of large classes: one class of 112 becomes two of 56", () => {
    const one = largeOf([112], 1, 45)
    const two = largeOf([112], 2, 45)
    assert.deepStrictEqual([one.classes[0], Classes.sizesIn(112, 1, 56, 65), Classes.sizesIn(112, 1, 66, Infinity)], [1, 0, 1])
    assert.deepStrictEqual([two.classes[0], Classes.sizesIn(112, 2, 56, 65), Classes.sizesIn(112, 2, 66, Infinity)], [2, 2, 0])
    assert.isBelow(two.superLarge, one.superLarge)
  })
})
