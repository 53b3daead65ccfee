import { describe, expect, it } from 'vitest'
import type { VerifiedBundle } from '../../src/sign/index.ts'
import type { Manifest } from '../../src/manifest/index.ts'
import { checkSignerIdentity, workflowPattern } from '../../src/verify/checks/identity.ts'
import { VERIFY_CHECKS } from '../../src/verify/checks/index.ts'
import { sha256SumsProblems } from '../../src/verify/checks/sha256sums.ts'
import { ALL_CHECKS } from './support.ts'

function verified(signer: VerifiedBundle['signer']): VerifiedBundle {
  return {
    signer,
    payloadType: 'application/vnd.in-toto+json',
    statement: {},
    tlogEntries: 1,
    rfc3161Timestamps: 0,
  }
}

const signer = {
  issuer: 'https://token.actions.githubusercontent.com',
  sourceRepositoryURI: 'https://github.com/Octo-Org/Octo-Repo',
  buildSignerURI:
    'https://github.com/Octo-Org/Octo-Repo/.github/workflows/release.yml@refs/heads/main',
}

describe('checkSignerIdentity', () => {
  it('compares repositories without regard to case, as GitHub names them', () => {
    expect(
      checkSignerIdentity(
        verified(signer),
        { repositoryURI: 'https://github.com/octo-org/octo-repo' },
        'b',
      ),
    ).toEqual([])
  })

  it('names another repository, another issuer and a workflow that does not match', () => {
    const problems = checkSignerIdentity(
      verified({ ...signer, issuer: 'https://accounts.example' }),
      {
        repositoryURI: 'https://github.com/octo-org/other',
        signerWorkflow: 'octo-org/octo-repo/.github/workflows/publish.yml',
      },
      'bundle',
    )
    expect(problems).toHaveLength(3)
    expect(problems.join('\n')).toMatch(/issuer is https:\/\/accounts.example/)
    expect(problems.join('\n')).toMatch(/expected https:\/\/github.com\/octo-org\/other/)
    expect(problems.join('\n')).toMatch(/does not match --signer-workflow/)
  })
})

describe('workflowPattern', () => {
  it('matches a workflow path with or without the server and ref, and * as a wildcard', () => {
    const uri = 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1'
    expect(workflowPattern('o/r/.github/workflows/release.yml').test(uri)).toBe(true)
    expect(workflowPattern('o/r/.github/workflows/*.yml').test(uri)).toBe(true)
    expect(workflowPattern('o/r/.github/workflows/other.yml').test(uri)).toBe(false)
    expect(workflowPattern('o/r/.github/workflows/release.yml@refs/tags/v1').test(uri)).toBe(true)
    expect(workflowPattern('o/r/.github/workflows/release.yml@refs/heads/main').test(uri)).toBe(
      false,
    )
  })
})

describe('VERIFY_CHECKS', () => {
  it('runs every check once, in the order the report lists them', () => {
    expect(VERIFY_CHECKS.map((check) => check.id)).toEqual(ALL_CHECKS)
  })
})

describe('sha256SumsProblems', () => {
  const a = 'a'.repeat(64)
  const manifest = {
    subjects: [
      { name: 'one', digest: { sha256: a } },
      { name: 'two', digest: { sha256: 'b'.repeat(64) } },
    ],
  } as unknown as Manifest

  it('accepts exactly the text the release writes for the manifest', () => {
    expect(sha256SumsProblems(manifest, `${a}  one\n${'b'.repeat(64)}  two\n`)).toEqual([])
  })

  // Issue 18's verify fuzzer: a SHA256SUMS of repeated lines, each agreeing, was VERIFIED. The
  // signed manifest fixes every byte of the file, so any other text was not released.
  it.each([
    ['a line repeated', `${a}  one\n${a}  one\n${'b'.repeat(64)}  two\n`, 2],
    [
      'an earlier listing overridden',
      `${'c'.repeat(64)}  one\n${a}  one\n${'b'.repeat(64)}  two\n`,
      1,
    ],
    ['CRLF line ends', `${a}  one\r\n${'b'.repeat(64)}  two\r\n`, 1],
    ['binary-mode lines', `${a} *one\n${'b'.repeat(64)} *two\n`, 1],
    ['the lines reordered', `${'b'.repeat(64)}  two\n${a}  one\n`, 1],
    ['no final line end', `${a}  one\n${'b'.repeat(64)}  two`, 3],
  ])('refuses agreeing lines in another text: %s', (_, text, line) => {
    expect(sha256SumsProblems(manifest, text)).toEqual([
      `SHA256SUMS is not the file the release wrote for this manifest (it differs at line ${line})`,
    ])
  })

  // A U+2028 in a name is part of the name (issue 18, finding 8), not a malformed line.
  it('names each malformed line: upper case, another length, escaped names', () => {
    const text = [
      `${a.toUpperCase()}  one`,
      `${'a'.repeat(128)}  one`,
      `\\${a}  one`,
      `${a}  one\u2028`,
      `${a}  one`,
      `${'b'.repeat(64)}  two`,
      `${a}  three`,
    ].join('\n')
    expect(sha256SumsProblems(manifest, text)).toEqual([
      'SHA256SUMS line 1 is malformed',
      'SHA256SUMS line 2 is malformed',
      'SHA256SUMS line 3 is malformed',
      'SHA256SUMS lists one\u2028, which the manifest does not',
      'SHA256SUMS lists three, which the manifest does not',
    ])
  })
})
