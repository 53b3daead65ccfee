import { describe, expect, it } from 'vitest'
import type { VerifiedBundle } from '../../src/sign/index.ts'
import { checkSignerIdentity, workflowPattern } from '../../src/verify/checks.ts'

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
