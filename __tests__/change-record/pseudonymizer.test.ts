import { createHmac } from 'node:crypto'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { Pseudonymizer, pseudonymizerForAction } from '../../src/change-record/index.ts'
import { InputError } from '../../src/util/errors.ts'
import { KEY_A, KEY_B } from './helpers.ts'

const PSEUDONYM = /^ps:k1:[0-9a-f]{32}$/
const REPOSITORY_ID = '123456'

describe('Pseudonymizer', () => {
  it('is stable for one key, key id and domain, and equals the documented HMAC construction', () => {
    const a = Pseudonymizer.fromKey(KEY_A, { domain: REPOSITORY_ID })
    const again = Pseudonymizer.fromKey(`  ${KEY_A}\n`, { domain: REPOSITORY_ID, keyId: 'k1' })
    const pseudonym = a.pseudonym('github-user', 'Octocat')
    expect(pseudonym).toMatch(PSEUDONYM)
    expect(again.pseudonym('github-user', 'octocat')).toBe(pseudonym)
    expect(a.pseudonym('github-user', '@OCTOCAT')).toBe(pseudonym)

    // HMAC input: label, domain, key id, identifier type, identifier, joined by NUL.
    const mac = createHmac('sha256', KEY_A)
      .update('immutable-release pseudonym v2\u0000123456\u0000k1\u0000github-user\u0000octocat')
      .digest('hex')
    expect(pseudonym).toBe(`ps:k1:${mac.slice(0, 32)}`)
    expect(a.keyId).toBe('k1')
    expect(a.domain).toBe(REPOSITORY_ID)
  })

  it('gives one person unrelated pseudonyms in two repositories (domains)', () => {
    const inFirst = Pseudonymizer.fromKey(KEY_A, { domain: '123456' })
    const inSecond = Pseudonymizer.fromKey(KEY_A, { domain: '654321' })
    for (const [type, id] of [
      ['github-user', 'octocat'],
      ['email', 'jane@example.org'],
      ['approver', 'emp-004211'],
    ] as const) {
      expect(inFirst.pseudonym(type, id)).not.toBe(inSecond.pseudonym(type, id))
    }
    // An organisation that names one domain for its repositories gets linkable pseudonyms.
    const orgA = Pseudonymizer.fromKey(KEY_A, { domain: 'example-org' })
    const orgB = Pseudonymizer.fromKey(KEY_A, { domain: 'example-org' })
    expect(orgA.approver('@octocat')).toBe(orgB.approver('@octocat'))
  })

  it('binds the key id into the MAC: the same key under two ids gives other pseudonyms', () => {
    const h1 = Pseudonymizer.fromKey(KEY_A, { domain: REPOSITORY_ID, keyId: '2026-h1' })
    const h2 = Pseudonymizer.fromKey(KEY_A, { domain: REPOSITORY_ID, keyId: '2026-h2' })
    const [, , macH1] = h1.pseudonym('github-user', 'octocat').split(':')
    const [, , macH2] = h2.pseudonym('github-user', 'octocat').split(':')
    expect(macH1).not.toBe(macH2)
  })

  it('differs across keys and across identifier types', () => {
    const a = Pseudonymizer.fromKey(KEY_A, { domain: REPOSITORY_ID })
    const b = Pseudonymizer.fromKey(KEY_B, { domain: REPOSITORY_ID })
    const underA = a.pseudonym('approver', 'EMP-004211')
    const underB = b.pseudonym('approver', 'EMP-004211')
    expect(underA.split(':')[2]).not.toBe(underB.split(':')[2])
    expect(a.pseudonym('github-user', 'emp-004211')).not.toBe(underA)
    expect(a.pseudonym('email', 'emp-004211')).not.toBe(underA)
  })

  it('maps approvers by kind: @login and github:login are the same GitHub account', () => {
    const p = Pseudonymizer.fromKey(KEY_A, { domain: REPOSITORY_ID })
    const account = p.pseudonym('github-user', 'octo-reviewer')
    expect(p.approver('@octo-reviewer')).toBe(account)
    expect(p.approver('github:Octo-Reviewer')).toBe(account)
    expect(p.approver('Cab.Chair@Example.com')).toBe(p.pseudonym('email', 'cab.chair@example.com'))
    expect(p.approver('  EMP   004211 ')).toBe(p.pseudonym('approver', 'emp 004211'))
    expect(p.approver('octo-reviewer')).not.toBe(account)
  })

  it('takes a named key period and domain, and refuses malformed ones naming the input', () => {
    const p = Pseudonymizer.fromKey(KEY_A, { keyId: '2025-h1', domain: REPOSITORY_ID })
    expect(p.keyId).toBe('2025-h1')
    expect(p.pseudonym('github-user', 'octocat')).toMatch(/^ps:2025-h1:[0-9a-f]{32}$/)
    expect(() => Pseudonymizer.fromKey(KEY_A, { keyId: 'Key Period 1' })).toThrow(
      /Input 'pseudonymization-key-id'.*key id/,
    )
    expect(() => Pseudonymizer.fromKey(KEY_A, { domain: 'two words' })).toThrow(
      /Input 'pseudonymization-domain'/,
    )
  })

  it('takes the repository id as the action domain unless one is named', () => {
    const settings = { key: KEY_A, keyId: '', domain: '', repositoryId: '123456' }
    expect(pseudonymizerForAction({ ...settings, key: '' })).toBeUndefined()
    expect(pseudonymizerForAction(settings)?.domain).toBe('123456')
    expect(pseudonymizerForAction(settings)?.keyId).toBe('k1')
    expect(pseudonymizerForAction({ ...settings, domain: 'example-org' })?.domain).toBe(
      'example-org',
    )
    expect(() => pseudonymizerForAction({ ...settings, repositoryId: undefined })).toThrow(
      /Input 'pseudonymization-domain'/,
    )
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
    expect(JSON.stringify(p)).toBe(JSON.stringify({ keyId: p.keyId, domain: p.domain }))
    expect(JSON.stringify(Object.entries(p))).not.toContain(KEY_A.slice(0, 12))
  })
})
