import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isInside } from '../../src/util/path.ts'

const root = path.resolve('/work/root')

describe('isInside', () => {
  it('accepts the parent itself and anything below it', () => {
    expect(isInside(root, root)).toBe(true)
    expect(isInside(root, path.join(root, 'a'))).toBe(true)
    expect(isInside(root, path.join(root, 'a', 'b', '..', 'c'))).toBe(true)
    expect(isInside(root, path.join(root, '..cache'))).toBe(true)
  })

  it('refuses the parent of the root, siblings and paths that climb out', () => {
    expect(isInside(root, path.dirname(root))).toBe(false)
    expect(isInside(root, `${root}-sibling`)).toBe(false)
    expect(isInside(root, path.join(root, '..', 'other'))).toBe(false)
    expect(isInside(root, path.resolve('/elsewhere'))).toBe(false)
  })
})
