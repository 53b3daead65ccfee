import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildProvenanceStatement, signStatement, verifyBundle } from '../../src/sign/index.ts'
import type { SigstoreEndpoints } from '../../src/sign/index.ts'
import { ServiceError } from '../../src/util/errors.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import { startSigstoreStack } from '../support/sigstore-stack.ts'
import type { SigstoreStack } from '../support/sigstore-stack.ts'
import { manifest, runContext } from './fixtures.ts'

const FAST_RETRY = { retries: 2, minTimeoutMs: 10, maxTimeoutMs: 20 }
const statement = buildProvenanceStatement({ manifest, context: runContext(), tag: 'v1.2.3' })

let stack: SigstoreStack
beforeAll(async () => {
  stack = await startSigstoreStack()
})
afterAll(() => stack?.close())
beforeEach(() => stack.resetCounts())

function both(): SigstoreEndpoints {
  return {
    mode: 'custom',
    fulcioURL: stack.fulcioURL,
    rekorURL: stack.rekorURL,
    tsaURL: stack.tsaURL,
  }
}

async function closedPortURL(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

async function signingError(
  endpoints: SigstoreEndpoints,
  getIdentityToken = async () => stack.issueToken(),
) {
  try {
    await signStatement(statement, {
      endpoints,
      getIdentityToken,
      retry: FAST_RETRY,
      timeoutMs: 2_000,
    })
  } catch (error) {
    return error as Error
  }
  throw new Error('signing was expected to fail')
}

describe('signStatement when a service fails', () => {
  it('an unreachable Fulcio fails in bounded time with a ServiceError naming Fulcio and its URL', async () => {
    const fulcioURL = await closedPortURL()
    const started = Date.now()
    const error = await signingError({ ...both(), fulcioURL })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(error).toBeInstanceOf(ServiceError)
    expect((error as ServiceError).service).toBe('Fulcio')
    expect((error as ServiceError).url).toBe(fulcioURL)
    expect(error.message).toContain(fulcioURL)
    expect(error.message).toMatch(/ECONNREFUSED/)
    // Nothing was witnessed: the signing never got that far.
    expect(stack.requests.rekor + stack.requests.tsa).toBe(0)
  })

  it('a Rekor that keeps answering 503 is retried a bounded number of times, then named', async () => {
    stack.failNext('rekor', { status: 503, count: 100 })
    try {
      const error = await signingError(both())
      expect(error).toBeInstanceOf(ServiceError)
      expect((error as ServiceError).service).toBe('Rekor')
      expect((error as ServiceError).url).toBe(stack.rekorURL)
      expect(error.message).toContain('HTTP 503')
      expect(stack.requests.rekor).toBe(1 + FAST_RETRY.retries)
    } finally {
      stack.failNext('rekor', { count: 0 })
    }
  })

  it('a timestamp authority whose connections drop is named with its URL', async () => {
    stack.setDown('tsa', true)
    try {
      const error = await signingError(both())
      expect(error).toBeInstanceOf(ServiceError)
      expect((error as ServiceError).service).toBe('timestamp authority')
      expect((error as ServiceError).url).toBe(stack.tsaURL)
    } finally {
      stack.setDown('tsa', false)
    }
  })

  it('recovers from transient 5xx answers of every service and reports the retries', async () => {
    stack.failNext('fulcio', { status: 502 })
    stack.failNext('rekor', { status: 500 })
    stack.failNext('tsa', { status: 503 })
    const reporter = new RecordingReporter()
    const bundle = await signStatement(statement, {
      endpoints: both(),
      getIdentityToken: async () => stack.issueToken(),
      retry: FAST_RETRY,
      reporter,
    })
    expect(stack.requests).toMatchObject({ fulcio: 2, rekor: 2, tsa: 2 })
    expect(
      verifyBundle(bundle, { trustedRoot: stack.trustedRoot, identity: {}, requireTlog: true })
        .tlogEntries,
    ).toBe(1)
    const retries = reporter.messages.filter((m) => /attempt \d+ failed with 5\d\d/.test(m.message))
    expect(retries).toHaveLength(3)
  })

  it('when Rekor logged the entry but the reply was lost, the retry meets 409 and reads the entry back', async () => {
    stack.failNext('rekor', { status: 502, afterHandling: true })
    const bundle = await signStatement(statement, {
      endpoints: { mode: 'custom', fulcioURL: stack.fulcioURL, rekorURL: stack.rekorURL },
      getIdentityToken: async () => stack.issueToken(),
      retry: FAST_RETRY,
    })
    // POST (logged, reply lost) + POST (409 with Location) + GET of the existing entry.
    expect(stack.requests.rekor).toBe(3)
    const verified = verifyBundle(bundle, {
      trustedRoot: stack.trustedRoot,
      identity: {},
      requireTlog: true,
    })
    expect(verified.tlogEntries).toBe(1)
  })

  it('a Rekor 409 whose entry cannot be read back is a ServiceError naming Rekor', async () => {
    // Every reply lost: the first POST logs, the retry meets 409, the GET reply is lost too.
    stack.failNext('rekor', { status: 503, count: 100, afterHandling: true })
    try {
      const error = await signingError({
        mode: 'custom',
        fulcioURL: stack.fulcioURL,
        rekorURL: stack.rekorURL,
      })
      expect(error).toBeInstanceOf(ServiceError)
      expect((error as ServiceError).service).toBe('Rekor')
    } finally {
      stack.failNext('rekor', { count: 0 })
    }
  })
})

describe('the OIDC token never appears in errors or logs', () => {
  it('a token Fulcio rejects', async () => {
    // Well-formed, but not signed by the stack's issuer: Fulcio answers 401.
    const good = stack.issueToken()
    const [header, payload] = good.split('.')
    const forged = `${header}.${payload}.${Buffer.from('forged-signature').toString('base64url')}`
    const reporter = new RecordingReporter()
    let error: Error | undefined
    try {
      await signStatement(statement, {
        endpoints: both(),
        getIdentityToken: async () => forged,
        retry: FAST_RETRY,
        reporter,
      })
    } catch (e) {
      error = e as Error
    }
    expect(error).toBeInstanceOf(ServiceError)
    expect(error?.message).toMatch(/HTTP 401.*id-token: write/)
    for (const text of [
      error?.message ?? '',
      String(error?.stack),
      ...reporter.messages.map((m) => m.message),
    ]) {
      expect(text).not.toContain(forged)
      expect(text).not.toContain(payload)
    }
  })

  it('a token that is not a JWT (sigstore-js quotes it in its own error)', async () => {
    const secret = 'not-a-jwt-but-secret-value-1234567890'
    const error = await signingError(both(), async () => secret)
    expect(error.message).toMatch(/not a JWT/)
    expect(error.message).not.toContain(secret)
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(secret)
  })

  it('a failing token provider is reported with the permission to grant', async () => {
    const error = await signingError(both(), async () => {
      throw new Error('ACTIONS_ID_TOKEN_REQUEST_URL is not set')
    })
    expect(error.message).toMatch(/ACTIONS_ID_TOKEN_REQUEST_URL is not set.*id-token: write/)
    expect(stack.requests.fulcio).toBe(0)
  })
})
