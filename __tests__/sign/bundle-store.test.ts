import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  PROVENANCE_BUNDLE_FILE,
  buildProvenanceStatement,
  signStatement,
  storeAttestation,
  verifyBundle,
  writeBundle,
} from '../../src/sign/index.ts'
import type { SerializedBundle } from '../../src/sign/index.ts'
import { ServiceError } from '../../src/util/errors.ts'
import { createGitHubClient } from '../../src/github/index.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import { startSigstoreStack } from '../support/sigstore-stack.ts'
import type { SigstoreStack } from '../support/sigstore-stack.ts'
import { manifest, runContext } from './fixtures.ts'

let stack: SigstoreStack
let bundle: SerializedBundle
let dir: string
beforeAll(async () => {
  stack = await startSigstoreStack({ services: { rekor: true, tsa: false } })
  bundle = await signStatement(
    buildProvenanceStatement({ manifest, context: runContext(), tag: 'v1.2.3' }),
    {
      endpoints: { mode: 'custom', fulcioURL: stack.fulcioURL, rekorURL: stack.rekorURL },
      getIdentityToken: async () => stack.issueToken(),
    },
  )
  dir = await mkdtemp(path.join(tmpdir(), 'sign-bundle-'))
})
afterAll(async () => {
  await stack?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('writeBundle', () => {
  it('writes a bundle that reads back and still verifies, leaving no temporary file', async () => {
    const file = path.join(dir, PROVENANCE_BUNDLE_FILE)
    expect(await writeBundle(bundle, file)).toBe(file)
    const read = JSON.parse(await readFile(file, 'utf8')) as SerializedBundle
    expect(read).toEqual(bundle)
    expect(
      verifyBundle(read, { trustedRoot: stack.trustedRoot, identity: {}, requireTlog: true })
        .tlogEntries,
    ).toBe(1)
    expect(await readdir(dir)).toEqual([PROVENANCE_BUNDLE_FILE])
  })

  it('into a missing folder fails and writes nothing', async () => {
    await expect(writeBundle(bundle, path.join(dir, 'missing', 'b.json'))).rejects.toThrow(/ENOENT/)
    expect(await readdir(dir)).not.toContain('missing')
  })
})

interface FakeRequest {
  method?: string
  url?: string
  authorization?: string
  body: unknown
}

describe('storeAttestation against a loopback GitHub API', () => {
  let server: Server
  let apiUrl: string
  let status = 201
  let received: FakeRequest[] = []
  beforeAll(async () => {
    server = createServer(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      received.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'),
      })
      const body =
        status === 201
          ? { id: 4711 }
          : {
              message: status === 403 ? 'Resource not accessible by integration' : 'Not Found',
              status: String(status),
            }
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterEach(() => {
    received = []
    status = 201
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const client = (reporter = new RecordingReporter()) =>
    createGitHubClient({ token: 'ghs_test_token', apiUrl, reporter, retries: 0 })

  it('posts the bundle and returns the attestation id', async () => {
    const reporter = new RecordingReporter()
    const id = await storeAttestation(
      client(),
      { owner: 'octo-org', repo: 'octo-repo', bundle },
      reporter,
    )
    expect(id).toBe(4711)
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({
      method: 'POST',
      url: '/repos/octo-org/octo-repo/attestations',
      authorization: 'token ghs_test_token',
    })
    expect(received[0]!.body).toEqual({ bundle })
    expect(reporter.warnings).toEqual([])
  })

  it.each([403, 404])(
    'HTTP %i is a warning naming attestations: write, not a failure',
    async (code) => {
      status = code
      const reporter = new RecordingReporter()
      const id = await storeAttestation(
        client(),
        { owner: 'octo-org', repo: 'octo-repo', bundle },
        reporter,
      )
      expect(id).toBeUndefined()
      expect(reporter.warnings).toHaveLength(1)
      expect(reporter.warnings[0]).toContain('attestations: write')
      expect(reporter.warnings[0]).toContain('GitHub Enterprise Server')
      expect(reporter.warnings[0]).toContain(`HTTP ${code}`)
    },
  )

  it.each([422])(
    'HTTP %i throws a ServiceError naming the API and URL, without the token',
    async (code) => {
      status = code
      const reporter = new RecordingReporter()
      const error = await storeAttestation(
        client(),
        { owner: 'octo-org', repo: 'octo-repo', bundle },
        reporter,
      ).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ServiceError)
      expect((error as ServiceError).url).toBe(`${apiUrl}/repos/octo-org/octo-repo/attestations`)
      expect((error as Error).message).not.toContain('ghs_test_token')
      expect(reporter.warnings).toEqual([])
    },
  )
})
