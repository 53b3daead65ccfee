import { createHmac } from 'node:crypto'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { Pseudonymizer } from '../../src/change-record/index.ts'
import { InputError } from '../../src/util/errors.ts'
import { KEY_A, KEY_B } from './helpers.ts'

const PSEUDONYM = /^ps:[0-9a-f]{8}:[0-9a-f]{32}$/

describe('Pseudonymizer', () => {
  it('is stable for one key and domain, and equals the documented HMAC construction', () => {
    const a = Pseudonymizer.fromKey(KEY_A)
    const again = Pseudonymizer.fromKey(`  ${KEY_A}\n`)
    const pseudonym = a.pseudonym('github-user', 'Octocat')
    expect(pseudonym).toMatch(PSEUDONYM)
    expect(again.pseudonym('github-user', 'octocat')).toBe(pseudonym)
    expect(a.pseudonym('github-user', '@OCTOCAT')).toBe(pseudonym)

    const keyId = createHmac('sha256', KEY_A).update('immutable-release key-id').digest('hex')
    const mac = createHmac('sha256', KEY_A).update('github-user:octocat').digest('hex')
    expect(pseudonym).toBe(`ps:${keyId.slice(0, 8)}:${mac.slice(0, 32)}`)
    expect(a.keyId).toBe(keyId.slice(0, 8))
  })

  it('differs across keys and across domains', () => {
    const a = Pseudonymizer.fromKey(KEY_A)
    const b = Pseudonymizer.fromKey(KEY_B)
    expect(a.keyId).not.toBe(b.keyId)
    const underA = a.pseudonym('approver', 'EMP-004211')
    const underB = b.pseudonym('approver', 'EMP-004211')
    expect(underA.split(':')[2]).not.toBe(underB.split(':')[2])
    expect(a.pseudonym('github-user', 'emp-004211')).not.toBe(underA)
    expect(a.pseudonym('email', 'emp-004211')).not.toBe(underA)
  })

  it('maps approvers by kind, so a GitHub approver matches the account that triggers a run', () => {
    const p = Pseudonymizer.fromKey(KEY_A)
    const account = p.pseudonym('github-user', 'octo-reviewer')
    expect(p.approver('@octo-reviewer')).toBe(account)
    expect(p.approver('github:Octo-Reviewer')).toBe(account)
    expect(p.approver('Cab.Chair@Example.com')).toBe(p.pseudonym('email', 'cab.chair@example.com'))
    expect(p.approver('  EMP   004211 ')).toBe(p.pseudonym('approver', 'emp 004211'))
    expect(p.approver('octo-reviewer')).not.toBe(account)
  })

  it('takes a named key period', () => {
    const p = Pseudonymizer.fromKey(KEY_A, { keyId: '2025-h1' })
    expect(p.keyId).toBe('2025-h1')
    expect(p.pseudonym('github-user', 'octocat')).toMatch(/^ps:2025-h1:[0-9a-f]{32}$/)
    expect(() => Pseudonymizer.fromKey(KEY_A, { keyId: 'Key Period 1' })).toThrow(/key id/)
  })

  it('refuses short or placeholder keys without printing them', () => {
    const short = 'correct-horse-battery-staple'
    const error = (() => {
      try {
        Pseudonymizer.fromKey(short)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('pseudonymization-key')
    expect((error as Error).message).toMatch(/at least 32 random bytes/)
    expect((error as Error).message).not.toContain(short)
    expect(() => Pseudonymizer.fromKey('ab'.repeat(40))).toThrow(/repeats a handful of characters/)
  })

  it('never exposes the key through inspection or JSON', () => {
    const p = Pseudonymizer.fromKey(KEY_A)
    expect(inspect(p, { showHidden: true, depth: 5 })).not.toContain(KEY_A)
    expect(JSON.stringify(p)).toBe(JSON.stringify({ keyId: p.keyId }))
    expect(JSON.stringify(Object.entries(p))).not.toContain(KEY_A.slice(0, 12))
  })
})
