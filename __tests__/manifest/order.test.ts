import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareNames } from '../../src/manifest/order.ts'

describe('compareNames', () => {
  it('orders like the UTF-8 bytes of the names', () => {
    const name = fc.string({ unit: 'grapheme', maxLength: 12 })
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(Math.sign(compareNames(a, b))).toBe(
          Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
        )
      }),
      { numRuns: 2000 },
    )
  })

  it('puts characters beyond U+FFFF after U+E000–U+FFFF, as UTF-8 does', () => {
    expect(compareNames('\u{1F600}', '\uFFFD')).toBeGreaterThan(0)
    expect(compareNames('a-b', 'a/b')).toBeLessThan(0)
    expect(compareNames('ab', 'a')).toBeGreaterThan(0)
    expect(compareNames('same', 'same')).toBe(0)
  })
})
