// The OIDC identity provider: which failures of the runner's token service are tried again,
// and what a failure says. The token service itself is stubbed by the function the action
// passes in (core.getIDToken in production), so no request is sent.
import { describe, expect, it } from 'vitest'
import { OIDC_RETRY_POLICY, actionsIdentityProvider } from '../../src/sign/identity/index.ts'

const REQUEST_URL = 'https://token.actions.example/oidc/token?api-version=2.0'
const FAST = { ...OIDC_RETRY_POLICY, delayMs: 1 }

/** @actions/core's error text for a failed token request with this HTTP status. */
function coreError(status: number): Error {
  return new Error(
    `Failed to get ID Token. \n \n        Error Code : ${status}\n \n        Error Message: nope`,
  )
}

function scripted(answers: (string | Error)[]) {
  const audiences: string[] = []
  const requestToken = async (audience: string): Promise<string> => {
    audiences.push(audience)
    const next = answers.shift()
    if (next === undefined) throw new Error('no more answers')
    if (next instanceof Error) throw next
    return next
  }
  return { audiences, requestToken }
}

describe('actionsIdentityProvider', () => {
  it('asks for the sigstore audience and retries a transient failure', async () => {
    const service = scripted([coreError(500), new Error('socket hang up'), 'token-3'])
    const provider = actionsIdentityProvider({ ...service, requestUrl: REQUEST_URL, policy: FAST })
    await expect(provider.getToken()).resolves.toBe('token-3')
    expect(service.audiences).toEqual(['sigstore', 'sigstore', 'sigstore'])
  })

  it.each([401, 403, 404])('does not retry a %i and names the service', async (status) => {
    const service = scripted([coreError(status), 'never'])
    const provider = actionsIdentityProvider({ ...service, requestUrl: REQUEST_URL, policy: FAST })
    const error = await provider.getToken().then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(service.audiences).toHaveLength(1)
    expect(error?.message).toContain('GitHub Actions OIDC token service')
    // The query (which may carry request parameters) is not part of what is named.
    expect(error?.message).toContain('https://token.actions.example/oidc/token')
    expect(error?.message).not.toContain('api-version')
    expect(error?.message).toContain(`Error Code : ${status}`)
    const permissionHint = "The job needs 'permissions: id-token: write'."
    if (status === 404) expect(error?.message).not.toContain(permissionHint)
    else expect(error?.message).toContain(permissionHint)
  })

  it('gives up after the attempts of the policy, on one line', async () => {
    const service = scripted([coreError(500), coreError(502), coreError(503), 'late'])
    const provider = actionsIdentityProvider({ ...service, requestUrl: REQUEST_URL, policy: FAST })
    const error = await provider.getToken().catch((e: unknown) => e as Error)
    expect(service.audiences).toHaveLength(OIDC_RETRY_POLICY.attempts)
    expect((error as Error).message).toContain('Error Code : 503')
    expect((error as Error).message).not.toMatch(/\n/)
  })
})
