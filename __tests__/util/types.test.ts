import { describe, expect, it } from 'vitest'
import { MAKE_LATEST_VALUES } from '../../src/util/types.ts'

describe('MAKE_LATEST_VALUES', () => {
  it("lists GitHub's make_latest settings and cannot be changed", () => {
    expect(MAKE_LATEST_VALUES).toEqual(['true', 'false', 'legacy'])
    expect(Object.isFrozen(MAKE_LATEST_VALUES)).toBe(true)
  })
})
