import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { verify as sigstoreVerify } from 'sigstore'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildProvenanceStatement, signStatement } from '../../src/sign/index.ts'
import type { SerializedBundle } from '../../src/sign/index.ts'
import {
  GITHUB_ACTIONS_ISSUER,
  startSigstoreStack,
  workflowIdentityURI,
} from '../support/sigstore-stack.ts'
import type { SigstoreStack } from '../support/sigstore-stack.ts'
import { serveTufRepository } from '../support/sigstore-tuf.ts'
import type { TufRepositoryServer } from '../support/sigstore-tuf.ts'
import { manifest, runContext } from './fixtures.ts'

// The `sigstore` package is the reference client: it loads the trusted root only through TUF.
let stack: SigstoreStack
let tuf: TufRepositoryServer
let cacheRoot: string
beforeAll(async () => {
  stack = await startSigstoreStack()
  tuf = await serveTufRepository(stack.trustedRoot)
  cacheRoot = await mkdtemp(path.join(tmpdir(), 'sigstore-tuf-cache-'))
})
afterAll(async () => {
  await Promise.all([
    stack?.close(),
    tuf?.close(),
    cacheRoot && rm(cacheRoot, { recursive: true, force: true }),
  ])
})

const statement = buildProvenanceStatement({ manifest, context: runContext(), tag: 'v1.2.3' })

async function sign(witness: { rekor: boolean; tsa: boolean }): Promise<SerializedBundle> {
  return signStatement(statement, {
    endpoints: {
      mode: 'custom',
      fulcioURL: stack.fulcioURL,
      ...(witness.rekor ? { rekorURL: stack.rekorURL } : {}),
      ...(witness.tsa ? { tsaURL: stack.tsaURL } : {}),
    },
    // Taken from the OIDC endpoint the way a runner hands it out.
    getIdentityToken: async () => {
      const response = await fetch(`${stack.oidcRequestURL}&audience=sigstore`, {
        headers: { authorization: `Bearer ${stack.oidcRequestToken}` },
      })
      return ((await response.json()) as { value: string }).value
    },
    retry: { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 20 },
  })
}

let cacheCount = 0
function tufOptions() {
  cacheCount += 1
  return {
    tufMirrorURL: tuf.url,
    tufRootPath: tuf.rootPath,
    tufCachePath: path.join(cacheRoot, String(cacheCount)),
    certificateIssuer: GITHUB_ACTIONS_ISSUER,
    certificateIdentityURI: `^${workflowIdentityURI(stack.claims).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
    // Legacy Fulcio OIDs hold raw strings, which is what this option compares.
    certificateOIDs: { '1.3.6.1.4.1.57264.1.5': 'octo-org/octo-repo' },
  }
}

describe('the bundle is accepted by the sigstore package’s verify()', () => {
  it('Rekor and TSA', async () => {
    const bundle = await sign({ rekor: true, tsa: true })
    const signer = await sigstoreVerify(bundle, tufOptions())
    expect(signer.identity?.subjectAlternativeName).toBe(workflowIdentityURI(stack.claims))
    expect(tuf.requests).toContain('/targets/trusted_root.json')
  })

  it('TSA only, with the transparency-log threshold at zero', async () => {
    const bundle = await sign({ rekor: false, tsa: true })
    await expect(sigstoreVerify(bundle, tufOptions())).rejects.toMatchObject({ code: 'TLOG_ERROR' })
    await expect(
      sigstoreVerify(bundle, { ...tufOptions(), tlogThreshold: 0 }),
    ).resolves.toBeDefined()
  })

  it('rejects a different repository in the legacy OID and a tampered payload', async () => {
    const bundle = await sign({ rekor: true, tsa: false })
    await expect(
      sigstoreVerify(bundle, {
        ...tufOptions(),
        certificateOIDs: { '1.3.6.1.4.1.57264.1.5': 'mallory/fork' },
      }),
    ).rejects.toMatchObject({ code: 'UNTRUSTED_SIGNER_ERROR' })
    const tampered = structuredClone(bundle)
    tampered.dsseEnvelope!.payload = Buffer.from('{"_type":"forged"}').toString('base64')
    await expect(sigstoreVerify(tampered, tufOptions())).rejects.toMatchObject({
      code: 'TLOG_BODY_ERROR',
    })
  })
})
