import { describe, expect, it } from 'vitest'
import {
  COMMIT_SHA,
  GIT_OBJECT_ID,
  SHA256_HEX,
  hashBytes,
  isSha256Hex,
} from '../../src/util/digest.ts'

describe('digest vocabulary', () => {
  it('hashes bytes and strings alike, as lower-case hex', () => {
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    expect(hashBytes('')).toBe(empty)
    expect(hashBytes(Buffer.alloc(0))).toBe(empty)
    expect(hashBytes('abc')).toBe(hashBytes(Buffer.from('abc', 'utf8')))
    expect(hashBytes('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })

  it('accepts only 64 lower-case hex digits as a SHA-256', () => {
    expect(isSha256Hex('a'.repeat(64))).toBe(true)
    expect(isSha256Hex('A'.repeat(64))).toBe(false)
    expect(isSha256Hex('a'.repeat(63))).toBe(false)
    expect(isSha256Hex('a'.repeat(65))).toBe(false)
    expect(isSha256Hex(`sha256:${'a'.repeat(64)}`)).toBe(false)
    expect(isSha256Hex(`${'a'.repeat(64)}\n`)).toBe(false)
    expect(isSha256Hex(undefined)).toBe(false)
    expect(SHA256_HEX.test('0123456789abcdef'.repeat(4))).toBe(true)
  })

  it('accepts a full commit id in either case, nothing shorter or longer', () => {
    expect(COMMIT_SHA.test('a'.repeat(40))).toBe(true)
    expect(COMMIT_SHA.test('ABCDEF0123'.repeat(4))).toBe(true)
    expect(COMMIT_SHA.test('a'.repeat(39))).toBe(false)
    expect(COMMIT_SHA.test('a'.repeat(41))).toBe(false)
    expect(COMMIT_SHA.test('g'.repeat(40))).toBe(false)
  })
})

describe('GIT_OBJECT_ID', () => {
  it('accepts lower-case SHA-1 and SHA-256 object ids only', () => {
    expect(GIT_OBJECT_ID.test('a'.repeat(40))).toBe(true)
    expect(GIT_OBJECT_ID.test('b'.repeat(64))).toBe(true)
    expect(GIT_OBJECT_ID.test('A'.repeat(40))).toBe(false)
    expect(GIT_OBJECT_ID.test('a'.repeat(50))).toBe(false)
  })
})
