import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CIContextProvider } from '@sigstore/sign'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GITHUB_ACTIONS_ISSUER, startSigstoreStack } from '../support/sigstore-stack.ts'
import type { SigstoreStack } from '../support/sigstore-stack.ts'

// The test stack is shared by the action's end-to-end tests and the demo: its own behaviour is tested here.
let stack: SigstoreStack
beforeAll(async () => {
  stack = await startSigstoreStack({ claims: { repository_visibility: 'private' } })
})
afterAll(() => stack?.close())

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}

async function postSigningCert(token: string): Promise<Response> {
  return fetch(`${stack.fulcioURL}/api/v2/signingCert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      credentials: { oidcIdentityToken: token },
      publicKeyRequest: {
        publicKey: { algorithm: 'ECDSA', content: 'unused' },
        proofOfPossession: '',
      },
    }),
  })
}

describe('the OIDC token endpoint', () => {
  it('issues a GitHub-Actions-shaped token for the right bearer, with the requested audience', async () => {
    const response = await fetch(`${stack.oidcRequestURL}&audience=sigstore`, {
      headers: { authorization: `Bearer ${stack.oidcRequestToken}` },
    })
    expect(response.status).toBe(200)
    const { value } = (await response.json()) as { value: string }
    const claims = claimsOf(value)
    expect(claims).toMatchObject({
      iss: GITHUB_ACTIONS_ISSUER,
      aud: 'sigstore',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      repository_visibility: 'private',
      job_workflow_ref: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
      runner_environment: 'github-hosted',
    })
    expect(claims['exp']).toBeGreaterThan(Date.now() / 1000)
    // Nothing test-only leaks into what clients see.
    expect(Object.keys(claims).some((k) => k.includes('test'))).toBe(false)
  })

  it('rejects a wrong or missing bearer with 401', async () => {
    for (const headers of [{ authorization: 'Bearer wrong' }, {}] as Record<string, string>[]) {
      const response = await fetch(`${stack.oidcRequestURL}&audience=sigstore`, { headers })
      expect(response.status).toBe(401)
    }
  })

  it('is what sigstore-js’s CIContextProvider reads on a runner', async () => {
    const saved = {
      url: process.env['ACTIONS_ID_TOKEN_REQUEST_URL'],
      token: process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'],
    }
    process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] = stack.oidcRequestURL
    process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = stack.oidcRequestToken
    try {
      stack.setClaims({ job_workflow_ref: 'octo-org/shared/.github/workflows/r.yml@refs/tags/v2' })
      const token = await new CIContextProvider('sigstore').getToken()
      expect(claimsOf(token)['job_workflow_ref']).toBe(
        'octo-org/shared/.github/workflows/r.yml@refs/tags/v2',
      )
    } finally {
      stack.setClaims({
        job_workflow_ref: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
      })
      for (const [name, value] of [
        ['ACTIONS_ID_TOKEN_REQUEST_URL', saved.url],
        ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', saved.token],
      ] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })
})

describe('Fulcio checks the token like the real one', () => {
  it('rejects an expired token, a wrong audience and a token from another issuer key with 401', async () => {
    const now = Math.floor(Date.now() / 1000)
    const other = await startSigstoreStack()
    try {
      for (const token of [
        stack.issueToken({ exp: now - 10 }),
        stack.issueToken({ aud: 'other' }),
        other.issueToken(),
      ]) {
        expect((await postSigningCert(token)).status).toBe(401)
      }
    } finally {
      await other.close()
    }
  })
})

describe('Rekor reads', () => {
  it('answers 404 for an unknown entry', async () => {
    const response = await fetch(`${stack.rekorURL}/api/v1/log/entries/${'0'.repeat(64)}`)
    expect(response.status).toBe(404)
  })
})

describe('trust material and options', () => {
  it('writes a trusted root that protobuf-specs parses, holding every key', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stack-root-'))
    try {
      const file = await stack.writeTrustedRoot(dir)
      const root = TrustedRoot.fromJSON(JSON.parse(await readFile(file, 'utf8')))
      expect(root.tlogs).toHaveLength(1)
      expect(root.tlogs[0]!.baseUrl).toBe(stack.rekorURL)
      expect(root.ctlogs).toHaveLength(1)
      expect(root.certificateAuthorities).toHaveLength(1)
      expect(root.timestampAuthorities[0]!.certChain!.certificates).toHaveLength(2)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('leaves a disabled service out of the trusted root and answers 404 for it', async () => {
    const tsaOnly = await startSigstoreStack({ services: { rekor: false } })
    try {
      expect(tsaOnly.trustedRoot['tlogs']).toEqual([])
      const response = await fetch(`${tsaOnly.rekorURL}/api/v1/log/entries`, {
        method: 'POST',
        body: '{}',
      })
      expect(response.status).toBe(404)
      expect(tsaOnly.requests.rekor).toBe(1)
    } finally {
      await tsaOnly.close()
    }
  })
})
