import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildProvenanceStatement, signStatement, verifyBundle } from '../../src/sign/index.ts'
import { BUNDLE_MEDIA_TYPE } from '../../src/sign/constants.ts'
import { BundleVerificationError } from '../../src/sign/verify-bundle.ts'
import { FULCIO_OID } from '../../src/sign/fulcio-oids.ts'
import type { SerializedBundle, SigstoreEndpoints } from '../../src/sign/index.ts'
import {
  startSigstoreStack,
  workflowIdentityURI,
  GITHUB_ACTIONS_ISSUER,
} from '../support/sigstore-stack.ts'
import type { SigstoreStack } from '../support/sigstore-stack.ts'
import { manifest, runContext } from './fixtures.ts'

const FAST_RETRY = { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 20 }

let stack: SigstoreStack
let otherStack: SigstoreStack

beforeAll(async () => {
  ;[stack, otherStack] = await Promise.all([startSigstoreStack(), startSigstoreStack()])
})
afterAll(async () => {
  await Promise.all([stack?.close(), otherStack?.close()])
})

const statement = buildProvenanceStatement({ manifest, context: runContext(), tag: 'v1.2.3' })

function endpoints(which: 'rekor' | 'tsa' | 'both'): SigstoreEndpoints {
  return {
    mode: 'custom',
    fulcioURL: stack.fulcioURL,
    ...(which !== 'tsa' ? { rekorURL: stack.rekorURL } : {}),
    ...(which !== 'rekor' ? { tsaURL: stack.tsaURL } : {}),
  }
}

function sign(which: 'rekor' | 'tsa' | 'both'): Promise<SerializedBundle> {
  return signStatement(statement, {
    endpoints: endpoints(which),
    getIdentityToken: async () => stack.issueToken(),
    retry: FAST_RETRY,
    timeoutMs: 5_000,
  })
}

const identity = () => ({
  subjectAlternativeName: workflowIdentityURI(stack.claims),
  issuer: GITHUB_ACTIONS_ISSUER,
  buildSignerURI: workflowIdentityURI(stack.claims),
  sourceRepositoryURI: 'https://github.com/octo-org/octo-repo',
})

describe('signStatement against the loopback Sigstore stack', () => {
  it.each([
    ['rekor', 1, 0],
    ['tsa', 0, 1],
    ['both', 1, 1],
  ] as const)(
    'signs with %s and the bundle verifies with @sigstore/verify',
    async (which, tlogs, timestamps) => {
      const bundle = await sign(which)
      expect(bundle.mediaType).toBe(BUNDLE_MEDIA_TYPE)
      expect(bundle.verificationMaterial.tlogEntries ?? []).toHaveLength(tlogs)
      expect(
        bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? [],
      ).toHaveLength(timestamps)

      const verified = verifyBundle(bundle, {
        trustedRoot: stack.trustedRoot,
        identity: identity(),
        requireTlog: which !== 'tsa',
      })
      expect(verified.statement).toEqual(statement)
      expect(verified.signer).toMatchObject({
        subjectAlternativeName:
          'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
        issuer: GITHUB_ACTIONS_ISSUER,
        buildSignerURI:
          'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
        sourceRepositoryURI: 'https://github.com/octo-org/octo-repo',
        sourceRepositoryDigest: stack.claims.sha,
        sourceRepositoryRef: 'refs/heads/main',
        runInvocationURI:
          'https://github.com/octo-org/octo-repo/actions/runs/4242424242/attempts/1',
      })
      expect(verified.tlogEntries).toBe(tlogs)
      expect(verified.rfc3161Timestamps).toBe(timestamps)
    },
  )

  it('TSA timestamps verify every time (the stack’s whole-second clock)', async () => {
    // The uncorrected mock fails about one timestamp in ten with "invalid time".
    for (let i = 0; i < 15; i++) {
      const bundle = await sign('tsa')
      expect(
        verifyBundle(bundle, { trustedRoot: stack.trustedRoot, identity: identity() })
          .rfc3161Timestamps,
      ).toBe(1)
    }
  })

  it('a TSA-only bundle fails when a transparency-log entry is required', async () => {
    const bundle = await sign('tsa')
    expect(() =>
      verifyBundle(bundle, {
        trustedRoot: stack.trustedRoot,
        identity: identity(),
        requireTlog: true,
      }),
    ).toThrow(expect.objectContaining({ code: 'TLOG_ERROR' }))
  })

  it('a tampered payload fails verification (Rekor and TSA bundles)', async () => {
    for (const which of ['rekor', 'tsa'] as const) {
      const bundle = await sign(which)
      const tampered = structuredClone(bundle)
      const payload = JSON.parse(
        Buffer.from(tampered.dsseEnvelope!.payload, 'base64').toString('utf8'),
      )
      payload.subject[0].digest.sha256 = 'f'.repeat(64)
      tampered.dsseEnvelope!.payload = Buffer.from(JSON.stringify(payload)).toString('base64')
      let caught: unknown
      try {
        verifyBundle(tampered, { trustedRoot: stack.trustedRoot, identity: identity() })
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(BundleVerificationError)
      expect((caught as BundleVerificationError).code).toBe(
        which === 'rekor' ? 'TLOG_BODY_ERROR' : 'SIGNATURE_ERROR',
      )
    }
  })

  it('signed by another repository’s workflow fails the identity policy', async () => {
    const otherWorkflow = 'mallory/fork/.github/workflows/release.yml@refs/heads/main'
    const bundle = await signStatement(statement, {
      endpoints: endpoints('both'),
      getIdentityToken: async () =>
        stack.issueToken({
          repository: 'mallory/fork',
          repository_owner: 'mallory',
          job_workflow_ref: otherWorkflow,
          workflow_ref: otherWorkflow,
        }),
      retry: FAST_RETRY,
    })
    // The signature itself is valid: only the identity is wrong.
    const verified = verifyBundle(bundle, { trustedRoot: stack.trustedRoot, identity: {} })
    expect(verified.signer.buildSignerURI).toBe(`https://github.com/${otherWorkflow}`)

    for (const policy of [
      { subjectAlternativeName: workflowIdentityURI(stack.claims) },
      { buildSignerURI: workflowIdentityURI(stack.claims) },
      { sourceRepositoryURI: 'https://github.com/octo-org/octo-repo' },
      { issuer: 'https://accounts.example.com' },
      // A prefix of the real SAN must not pass as an exact string.
      { subjectAlternativeName: 'https://github.com/mallory/fork' },
    ]) {
      expect(() =>
        verifyBundle(bundle, { trustedRoot: stack.trustedRoot, identity: policy }),
      ).toThrow(expect.objectContaining({ code: 'UNTRUSTED_SIGNER_ERROR' }))
    }
  })

  it('a bundle from another Sigstore instance fails against this trusted root', async () => {
    const signElsewhere = (withTsa: boolean) =>
      signStatement(statement, {
        endpoints: {
          mode: 'custom',
          fulcioURL: otherStack.fulcioURL,
          rekorURL: otherStack.rekorURL,
          ...(withTsa ? { tsaURL: otherStack.tsaURL } : {}),
        },
        getIdentityToken: async () => otherStack.issueToken(),
        retry: FAST_RETRY,
      })
    const rekorOnly = await signElsewhere(false)
    expect(
      verifyBundle(rekorOnly, { trustedRoot: otherStack.trustedRoot, identity: identity() }).signer
        .issuer,
    ).toBe(GITHUB_ACTIONS_ISSUER)
    // Same identity, same names, different CA key: the chain does not lead to this root.
    expect(() =>
      verifyBundle(rekorOnly, { trustedRoot: stack.trustedRoot, identity: identity() }),
    ).toThrow(expect.objectContaining({ code: 'CERTIFICATE_ERROR' }))
    // With a foreign TSA the timestamp is rejected before the certificate is looked at.
    const withTimestamp = await signElsewhere(true)
    expect(() =>
      verifyBundle(withTimestamp, { trustedRoot: stack.trustedRoot, identity: identity() }),
    ).toThrow(expect.objectContaining({ code: 'TIMESTAMP_ERROR' }))
  })

  it('exposes the Fulcio OIDs it checks', () => {
    expect(FULCIO_OID.buildSignerURI).toBe('1.3.6.1.4.1.57264.1.9')
    expect(FULCIO_OID.runInvocationURI).toBe('1.3.6.1.4.1.57264.1.21')
  })
})
