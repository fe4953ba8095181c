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
    else
      assert.isAtMost(
        [...classes].reduce((a, b) => a + b, 0),
        Math.max(rooms, pupils.filter((p) => p > 0).length)
      )
  })

  it.prop(
    "adding classrooms never puts more pupils in large classes, nor makes the largest class larger",
    [school, fc.integer({ min: 1, max: 10 })],
    ([{ cap, pupils, rooms }, more]) => {
      const before = largeOf(pupils, rooms, cap)
      const after = largeOf(pupils, rooms + more, cap)
      assert.isAtMost(after.max, before.max)
      assert.isAtMost(after.large, before.large)
      assert.isAtMost(after.superLarge, before.superLarge)
    }
  )

  it("adding classrooms can raise the count of large classes: one class of 112 becomes two of 56", () => {
    const one = largeOf([112], 1, 45)
    const two = largeOf([112], 2, 45)
    assert.deepStrictEqual([one.classes[0], Classes.sizesIn(112, 1, 56, 65), Classes.sizesIn(112, 1, 66, Infinity)], [1, 0, 1])
    assert.deepStrictEqual([two.classes[0], Classes.sizesIn(112, 2, 56, 65), Classes.sizesIn(112, 2, 66, Infinity)], [2, 2, 0])
    assert.isBelow(two.superLarge, one.superLarge)
  })
})

/** The class formation as it was before the search was bounded (rooms handed out one at a time): the reference. */
const reference = (pupils: Float64Array, classes: Float64Array, caps: Float64Array, rooms: number): void => {
  const count = pupils.length
  let wanted = 0
  let withPupils = 0
  let largest = 1
  for (let i = 0; i < count; i++) {
    const p = Math.round(pupils[i])
    const n = p > 0 ? Math.ceil(p / caps[i]) : 0
    classes[i] = n
    wanted += n
    if (n > 0) withPupils++
    if (p > largest) largest = p
  }
  if (wanted <= rooms) return
  if (rooms <= withPupils) {
    for (let i = 0; i < count; i++) classes[i] = Math.round(pupils[i]) > 0 ? 1 : 0
    return
  }
  let low = 1
  let high = largest
  while (low < high) {
    const size = Math.floor((low + high) / 2)
    let n = 0
    for (let i = 0; i < count; i++) if (Math.round(pupils[i]) > 0) n += Math.ceil(Math.round(pupils[i]) / Math.max(size, caps[i]))
    if (n <= rooms) high = size
    else low = size + 1
  }
  let used = 0
  for (let i = 0; i < count; i++) {
    const p = Math.round(pupils[i])
    classes[i] = p > 0 ? Math.ceil(p / Math.max(low, caps[i])) : 0
    used += classes[i]
  }
  for (; used < rooms; used++) {
    let best = -1
    let bestSize = 0
    for (let i = 0; i < count; i++) {
      const p = Math.round(pupils[i])
      const n = classes[i]
      if (n === 0 || n >= Math.ceil(p / caps[i])) continue
      const size = Math.ceil(p / n)
      if (size > bestSize) {
        bestSize = size
        best = i
      }
    }
    if (best < 0) break
    classes[best]++
  }
}

describe("class formation with absurd inputs (issue 11: a population of 1e308 made `run` loop forever)", () => {
  const grades = fc.array(fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.double({ min: 0, max: 5000, noNaN: true })), {
    minLength: 1,
    maxLength: 15
  })

  it.prop(
    "for ordinary schools the bounded search forms exactly the classes of the one-room-at-a-time reference",
    [grades, fc.integer({ min: 0, max: 200 }), fc.constantFrom(1, 25, 30, 45, 45.5, 50, 66)],
    ([pupils, rooms, cap]) => {
      const p = Float64Array.from(pupils)
      const caps = new Float64Array(pupils.length).fill(cap)
      const got = new Float64Array(pupils.length)
      const want = new Float64Array(pupils.length)
      Classes.form(p, got, 0, pupils.length, caps, rooms)
      reference(p, want, caps, rooms)
      assert.deepStrictEqual([...got], [...want])
    }
  )

  const huge = fc.oneof(
    fc.constantFrom(Infinity, -Infinity, NaN, 1e308, Number.MAX_VALUE, 2 ** 53, 2 ** 53 + 2, 1e12, 1e9),
    fc.double({ min: 0, max: 1e308, noNaN: true }),
    fc.integer({ min: 0, max: 5000 })
  )

  it.prop(
    "with infinite, NaN or 1e308 pupils and up to 1e15 rooms the search ends within 40 steps and every class count is finite",
    [
      fc.array(huge, { minLength: 1, maxLength: 15 }),
      fc.oneof(fc.integer({ min: 0, max: 400 }), fc.double({ min: 0, max: 1e15, noNaN: true }), fc.constantFrom(Infinity, NaN)),
      fc.constantFrom(1, 30, 45, 50)
    ],
    ([pupils, rooms, cap]) => {
      const classes = new Float64Array(pupils.length)
      const steps = Classes.form(Float64Array.from(pupils), classes, 0, pupils.length, new Float64Array(pupils.length).fill(cap), rooms)
      assert.isAtMost(steps, 40)
      const kept = pupils.map(Classes.pupilsOf)
      kept.forEach((p, i) => {
        assert.isTrue(Number.isFinite(classes[i]), `grade ${i}: ${classes[i]} classes`)
        assert.strictEqual(classes[i] > 0, p > 0)
        assert.isAtMost(classes[i], Math.max(1, Math.ceil(p / cap)))
      })
    }
  )

  it("1e308 and Infinity pupils in two rooms: one class per grade, the most pupils read as 1e12", () => {
    const classes = new Float64Array(2)
    Classes.form(Float64Array.of(1e308, Infinity), classes, 0, 2, Float64Array.of(45, 45), 2)
    assert.deepStrictEqual([...classes], [1, 1])
    const more = new Float64Array(2)
    const steps = Classes.form(Float64Array.of(1e308, Infinity), more, 0, 2, Float64Array.of(45, 45), 1000)
    assert.deepStrictEqual([...more], [500, 500])
    assert.isAtMost(steps, 40)
    assert.strictEqual(Classes.pupilsOf(NaN), 0)
    assert.strictEqual(Classes.pupilsOf(1e308), Classes.maxPupils)
  })
})
