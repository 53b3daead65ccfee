/**
 * A complete Sigstore deployment on one loopback HTTP server: Fulcio, Rekor, a timestamp
 * authority and a GitHub-Actions-style OIDC token endpoint, with fresh keys on every start.
 *
 * Built from @sigstore/mock's building blocks (imported from its dist files: the package index
 * loads nock, which breaks the fetch stack sigstore-js uses). Two behaviours of the mock are
 * corrected so that what it returns verifies with @sigstore/verify exactly like real Sigstore:
 * Rekor stores a normalised body for dsse entries, and the TSA clock runs in whole seconds.
 */
import {
  createHash,
  generateKeyPairSync,
  randomUUID,
  sign as cryptoSign,
  verify as cryptoVerify,
} from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fulcioHandler, initializeCA, initializeCTLog } from '@sigstore/mock/dist/fulcio/index.js'
import { initializeTLog, rekorHandler } from '@sigstore/mock/dist/rekor/index.js'
import { initializeTSA, tsaHandler } from '@sigstore/mock/dist/timestamp/index.js'
import { TrustedRoot } from '@sigstore/protobuf-specs'

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com'

/** The claims GitHub Actions puts in an OIDC token (the subset Fulcio turns into extensions). */
export interface GitHubActionsClaims {
  iss: string
  aud: string
  sub: string
  repository: string
  repository_owner: string
  repository_id: string
  repository_owner_id: string
  repository_visibility: string
  ref: string
  ref_type: string
  sha: string
  workflow: string
  workflow_ref: string
  workflow_sha: string
  job_workflow_ref: string
  job_workflow_sha: string
  run_id: string
  run_number: string
  run_attempt: string
  event_name: string
  runner_environment: string
  [claim: string]: unknown
}

export type SigstoreService = 'fulcio' | 'rekor' | 'tsa' | 'oidc'

export interface FaultOptions {
  /** HTTP status to answer with; `'reset'` destroys the connection instead. Default 503. */
  status?: number | 'reset'
  /** How many requests fail. Default 1. */
  count?: number
  /**
   * Handle the request first, then fail the reply (a lost response): Rekor has logged the
   * entry, so the client's retry meets 409 "entry already exists".
   */
  afterHandling?: boolean
}

export interface SigstoreStackOptions {
  /** Which witnesses run. Both default to true; a disabled one answers 404 and is left out of the trusted root. */
  services?: { rekor?: boolean; tsa?: boolean }
  /** Overrides of the default claims of every token this stack issues. */
  claims?: Partial<GitHubActionsClaims>
}

export interface SigstoreStack {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  readonly fulcioURL: string
  readonly rekorURL: string
  readonly tsaURL: string
  /** Like ACTIONS_ID_TOKEN_REQUEST_URL: already holds a query string. */
  readonly oidcRequestURL: string
  /** Like ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly oidcRequestToken: string
  /** protobuf-specs TrustedRoot JSON for this stack's keys. */
  readonly trustedRoot: TrustedRootJSON
  /** Requests received per service since the start (or the last `resetCounts`). */
  readonly requests: Record<SigstoreService, number>
  /** The claims the next token will carry. */
  readonly claims: GitHubActionsClaims
  /** Every token the OIDC endpoint handed out, oldest first (secret-leak tests look for them). */
  readonly issuedTokens: readonly string[]
  /** Writes `trusted_root.json` into `dir` and returns its path. */
  writeTrustedRoot(dir: string): Promise<string>
  /** Changes the default claims of later tokens. */
  setClaims(claims: Partial<GitHubActionsClaims>): void
  /** A signed token with the current claims plus `overrides` (what the OIDC endpoint returns). */
  issueToken(overrides?: Partial<GitHubActionsClaims>): string
  /** Makes the next request(s) to `service` fail. */
  failNext(service: SigstoreService, fault?: FaultOptions): void
  /** While down, every request to `service` has its connection destroyed. */
  setDown(service: SigstoreService, down: boolean): void
  resetCounts(): void
  close(): Promise<void>
}

export type TrustedRootJSON = Record<string, unknown> & { mediaType: string }

// The mock Fulcio copies one claim verbatim into the URI SAN; real Fulcio derives
// `https://github.com/<job_workflow_ref>` itself. The stack adds this claim server-side only,
// so tokens seen by clients keep GitHub's real shape.
const SAN_CLAIM = 'immutable_release_test_san'
const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1'
const P256 = 'PKIX_ECDSA_P256_SHA_256'
const TOKEN_LIFETIME_S = 300

export function defaultClaims(): GitHubActionsClaims {
  const repository = 'octo-org/octo-repo'
  const workflowRef = `${repository}/.github/workflows/release.yml@refs/heads/main`
  const sha = 'a'.repeat(40)
  return {
    iss: GITHUB_ACTIONS_ISSUER,
    aud: 'sigstore',
    sub: `repo:${repository}:ref:refs/heads/main`,
    repository,
    repository_owner: 'octo-org',
    repository_id: '123456789',
    repository_owner_id: '987654321',
    repository_visibility: 'public',
    ref: 'refs/heads/main',
    ref_type: 'branch',
    sha,
    workflow: 'Release',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: workflowRef,
    job_workflow_sha: sha,
    run_id: '4242424242',
    run_number: '17',
    run_attempt: '1',
    event_name: 'push',
    runner_environment: 'github-hosted',
  }
}

/** The SAN real Fulcio puts in a certificate for a GitHub Actions token. */
export function workflowIdentityURI(claims: Pick<GitHubActionsClaims, 'job_workflow_ref'>): string {
  return `https://github.com/${claims.job_workflow_ref}`
}

function p256(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
}

function spki(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' })
}

function der(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength)
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url')
}

function signJWT(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
  const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }))
  const payload = base64url(JSON.stringify(claims))
  const signature = cryptoSign('sha256', Buffer.from(`${header}.${payload}`), {
    key,
    dsaEncoding: 'ieee-p1363',
  })
  return `${header}.${payload}.${base64url(signature)}`
}

function decodeJWTPayload(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1]
  if (!payload) return undefined
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}

function verifyJWT(token: string, key: KeyObject): boolean {
  const [header, payload, signature] = token.split('.')
  if (!header || !payload || !signature) return false
  return cryptoVerify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  )
}

/**
 * Real Rekor stores a dsse entry as hashes plus signatures, not the submitted envelope; the
 * verifier compares the bundle with that normalised body.
 */
export function normaliseRekorEntry(proposed: Record<string, unknown>): Record<string, unknown> {
  if (proposed['kind'] !== 'dsse') return proposed
  const spec = proposed['spec'] as
    { proposedContent?: { envelope?: string; verifiers?: string[] } } | undefined
  const envelopeJSON = spec?.proposedContent?.envelope
  const verifiers = spec?.proposedContent?.verifiers
  if (typeof envelopeJSON !== 'string' || !Array.isArray(verifiers) || verifiers.length === 0) {
    throw new Error('dsse entry needs spec.proposedContent.envelope and verifiers')
  }
  const envelope = JSON.parse(envelopeJSON) as {
    payload: string
    signatures: { sig: string }[]
  }
  const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex')
  return {
    apiVersion: proposed['apiVersion'] ?? '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(envelopeJSON) },
      payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelope.payload, 'base64')) },
      signatures: envelope.signatures.map((s, i) => ({
        signature: s.sig,
        verifier: verifiers[Math.min(i, verifiers.length - 1)],
      })),
    },
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function send(
  response: ServerResponse,
  statusCode: number,
  body: string | ArrayBufferView,
  headers: Record<string, string> = {},
): void {
  const bytes =
    typeof body === 'string'
      ? Buffer.from(body)
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  response.writeHead(statusCode, { 'content-length': String(bytes.length), ...headers })
  response.end(bytes)
}

function sendJSON(
  response: ServerResponse,
  statusCode: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  send(response, statusCode, JSON.stringify(value), {
    'content-type': 'application/json',
    ...headers,
  })
}

interface Route {
  service: SigstoreService
  /** Path below the service prefix. */
  rest: string
}

const PREFIXES: Record<string, SigstoreService> = {
  '/fulcio': 'fulcio',
  '/rekor': 'rekor',
  '/tsa': 'tsa',
  '/oidc': 'oidc',
}

function route(pathname: string): Route | undefined {
  for (const [prefix, service] of Object.entries(PREFIXES)) {
    if (pathname === prefix || pathname.startsWith(`${prefix}/`)) {
      const rest = pathname.slice(prefix.length) || '/'
      // The TSA URL names the endpoint itself (as timestamp.githubapp.com's does not, and
      // sigstore.dev's does); both spellings reach it.
      return { service, rest: service === 'tsa' && rest === '/' ? '/api/v1/timestamp' : rest }
    }
  }
  if (pathname === '/api/v2/signingCert') return { service: 'fulcio', rest: pathname }
  if (pathname.startsWith('/api/v1/log/entries')) return { service: 'rekor', rest: pathname }
  if (pathname === '/api/v1/timestamp') return { service: 'tsa', rest: pathname }
  return undefined
}

export async function startSigstoreStack(
  options: SigstoreStackOptions = {},
): Promise<SigstoreStack> {
  const rekorEnabled = options.services?.rekor ?? true
  const tsaEnabled = options.services?.tsa ?? true
  let claims: GitHubActionsClaims = { ...defaultClaims(), ...options.claims }
  const oidcKeys = p256()
  const oidcKeyId = randomUUID()
  const oidcRequestToken = `request-${randomUUID()}`
  const requests: Record<SigstoreService, number> = { fulcio: 0, rekor: 0, tsa: 0, oidc: 0 }
  const faults = new Map<SigstoreService, Required<FaultOptions>>()
  const down = new Set<SigstoreService>()
  const issuedTokens: string[] = []

  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  const fulcioURL = `${url}/fulcio`
  const rekorURL = `${url}/rekor`
  const tsaURL = `${url}/tsa/api/v1/timestamp`

  const ctlogKeys = p256()
  const caKeys = p256()
  const tlogKeys = p256()
  const tsaKeys = p256()
  const ctlog = await initializeCTLog(ctlogKeys)
  const ca = await initializeCA(caKeys, ctlog)
  const fulcio = fulcioHandler(ca, { strict: true, subjectClaim: SAN_CLAIM })
  const tlog = await initializeTLog(rekorURL, tlogKeys)
  const rekor = rekorHandler(tlog, { strict: true })
  const tsa = await initializeTSA(tsaKeys)
  // The mock TSA writes 0-3 fractional-second digits; @sigstore/core accepts exactly 3.
  ;(tsa as unknown as { getCurrentTime: () => Date }).getCurrentTime = () =>
    new Date(Math.floor(Date.now() / 1000) * 1000)
  const timestamp = tsaHandler(tsa, { strict: true })

  // Rekor's log, keyed by the canonical body so that a repeated entry meets 409 as on real Rekor.
  const rekorEntries = new Map<string, { uuid: string; entry: unknown }>()
  const rekorByUUID = new Map<string, unknown>()

  const issueToken = (overrides: Partial<GitHubActionsClaims> = {}): string => {
    const now = Math.floor(Date.now() / 1000)
    return signJWT(
      {
        jti: randomUUID(),
        nbf: now - 5,
        iat: now,
        exp: now + TOKEN_LIFETIME_S,
        ...claims,
        ...overrides,
      },
      oidcKeys.privateKey,
      oidcKeyId,
    )
  }

  async function handleFulcio(
    request: IncomingMessage,
    rest: string,
    response: ServerResponse,
  ): Promise<void> {
    if (request.method !== 'POST' || rest !== '/api/v2/signingCert')
      return sendJSON(response, 404, { message: 'not found' })
    const body = JSON.parse(await readBody(request)) as {
      credentials?: { oidcIdentityToken?: string }
    }
    const token = body.credentials?.oidcIdentityToken ?? ''
    const tokenClaims = decodeJWTPayload(token)
    // Real Fulcio checks the token's signature, issuer, audience and expiry.
    if (
      !tokenClaims ||
      !verifyJWT(token, oidcKeys.publicKey) ||
      tokenClaims['aud'] !== 'sigstore' ||
      typeof tokenClaims['exp'] !== 'number' ||
      tokenClaims['exp'] < Date.now() / 1000
    ) {
      return sendJSON(response, 401, {
        code: 16,
        message: 'There was an error processing the identity token',
      })
    }
    const jobWorkflowRef = tokenClaims['job_workflow_ref']
    if (typeof jobWorkflowRef !== 'string') {
      return sendJSON(response, 400, { code: 3, message: 'token has no job_workflow_ref claim' })
    }
    const [header, , signature] = token.split('.')
    const augmented = `${header}.${base64url(JSON.stringify({ ...tokenClaims, [SAN_CLAIM]: workflowIdentityURI({ job_workflow_ref: jobWorkflowRef }) }))}.${signature}`
    body.credentials = { ...body.credentials, oidcIdentityToken: augmented }
    const result = await fulcio.fn(JSON.stringify(body))
    send(
      response,
      result.statusCode,
      result.response,
      result.contentType ? { 'content-type': result.contentType } : {},
    )
  }

  async function handleRekor(
    request: IncomingMessage,
    rest: string,
    response: ServerResponse,
  ): Promise<void> {
    if (request.method === 'GET' && rest.startsWith('/api/v1/log/entries/')) {
      const uuid = rest.slice('/api/v1/log/entries/'.length)
      const entry = rekorByUUID.get(uuid)
      return entry
        ? sendJSON(response, 200, entry)
        : sendJSON(response, 404, { code: 404, message: 'entry not found' })
    }
    if (request.method !== 'POST' || rest !== '/api/v1/log/entries')
      return sendJSON(response, 404, { message: 'not found' })
    let normalised: Record<string, unknown>
    try {
      normalised = normaliseRekorEntry(
        JSON.parse(await readBody(request)) as Record<string, unknown>,
      )
    } catch (error) {
      return sendJSON(response, 400, { code: 400, message: (error as Error).message })
    }
    const key = createHash('sha256').update(JSON.stringify(normalised)).digest('hex')
    const existing = rekorEntries.get(key)
    if (existing) {
      return sendJSON(
        response,
        409,
        {
          code: 409,
          message: `An equivalent entry already exists in the transparency log with UUID ${existing.uuid}`,
        },
        { location: `/api/v1/log/entries/${existing.uuid}` },
      )
    }
    const result = await rekor.fn(JSON.stringify(normalised))
    if (result.statusCode === 201) {
      const entry = JSON.parse(String(result.response)) as Record<string, unknown>
      const uuid = Object.keys(entry)[0] as string
      rekorEntries.set(key, { uuid, entry })
      rekorByUUID.set(uuid, entry)
      return sendJSON(response, 201, entry, { location: `/api/v1/log/entries/${uuid}`, etag: uuid })
    }
    send(response, result.statusCode, result.response)
  }

  async function handleTSA(
    request: IncomingMessage,
    rest: string,
    response: ServerResponse,
  ): Promise<void> {
    if (request.method !== 'POST' || rest !== '/api/v1/timestamp')
      return sendJSON(response, 404, { message: 'not found' })
    const result = await timestamp.fn(await readBody(request))
    send(
      response,
      result.statusCode,
      result.response,
      result.contentType ? { 'content-type': result.contentType } : {},
    )
  }

  function handleOIDC(request: IncomingMessage, requestURL: URL, response: ServerResponse): void {
    if (request.method !== 'GET' || requestURL.pathname !== '/oidc/token')
      return sendJSON(response, 404, { message: 'not found' })
    if (request.headers.authorization !== `Bearer ${oidcRequestToken}`) {
      return sendJSON(response, 401, { message: 'Bad credentials' })
    }
    const audience = requestURL.searchParams.get('audience')
    const token = issueToken(audience ? { aud: audience } : {})
    issuedTokens.push(token)
    sendJSON(response, 200, { value: token })
  }

  const serviceEnabled = (service: SigstoreService): boolean =>
    (service !== 'rekor' || rekorEnabled) && (service !== 'tsa' || tsaEnabled)

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const requestURL = new URL(request.url ?? '/', url)
    const target = route(requestURL.pathname)
    if (!target) return sendJSON(response, 404, { message: 'not found' })
    const { service } = target
    requests[service] += 1
    if (down.has(service)) {
      request.socket.destroy()
      return
    }
    if (!serviceEnabled(service))
      return sendJSON(response, 404, { message: `${service} is not running` })
    const fault = faults.get(service)
    if (fault) {
      fault.count -= 1
      if (fault.count <= 0) faults.delete(service)
    }
    const fail = (): void => {
      if (!fault) return
      if (fault.status === 'reset') request.socket.destroy()
      else sendJSON(response, fault.status, { code: fault.status, message: 'injected fault' })
    }
    if (fault && !fault.afterHandling) {
      // Drain the body so the client sees the reply rather than a broken pipe.
      request.resume()
      request.on('end', fail)
      return
    }
    // A lost reply: let the service act, then swallow its answer.
    const reply = fault ? new DiscardingResponse(fail) : response
    const handled =
      service === 'fulcio'
        ? handleFulcio(request, target.rest, reply as ServerResponse)
        : service === 'rekor'
          ? handleRekor(request, target.rest, reply as ServerResponse)
          : service === 'tsa'
            ? handleTSA(request, target.rest, reply as ServerResponse)
            : Promise.resolve(handleOIDC(request, requestURL, reply as ServerResponse))
    handled.catch((error: unknown) => {
      if (!response.headersSent) sendJSON(response, 500, { message: (error as Error).message })
    })
  })

  const validFrom = new Date(Date.now() - 60_000).toISOString()
  const trustedRoot: TrustedRootJSON = {
    mediaType: TRUSTED_ROOT_MEDIA_TYPE,
    tlogs: rekorEnabled
      ? [
          {
            baseUrl: rekorURL,
            hashAlgorithm: 'SHA2_256',
            publicKey: {
              rawBytes: spki(tlogKeys.publicKey).toString('base64'),
              keyDetails: P256,
              validFor: { start: validFrom },
            },
            logId: {
              keyId: createHash('sha256').update(spki(tlogKeys.publicKey)).digest('base64'),
            },
          },
        ]
      : [],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: fulcioURL,
        certChain: { certificates: [{ rawBytes: der(ca.rootCertificate).toString('base64') }] },
        validFor: { start: validFrom },
      },
    ],
    ctlogs: [
      {
        baseUrl: `${url}/ctlog`,
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: spki(ctlogKeys.publicKey).toString('base64'),
          keyDetails: P256,
          validFor: { start: validFrom },
        },
        logId: { keyId: createHash('sha256').update(spki(ctlogKeys.publicKey)).digest('base64') },
      },
    ],
    timestampAuthorities: tsaEnabled
      ? [
          {
            subject: { organization: 'sigstore.mock', commonName: 'tsa' },
            uri: tsaURL,
            // The mock's replies carry no certificates: the chain comes from here, leaf first.
            certChain: {
              certificates: [
                { rawBytes: der(tsa.intCertificate).toString('base64') },
                { rawBytes: der(tsa.rootCertificate).toString('base64') },
              ],
            },
            validFor: { start: validFrom },
          },
        ]
      : [],
  }
  // Fail at start, not in a test, if the JSON does not match the protobuf-specs schema.
  TrustedRoot.fromJSON(trustedRoot)

  return {
    url,
    fulcioURL,
    rekorURL,
    tsaURL,
    oidcRequestURL: `${url}/oidc/token?api-version=2.0`,
    oidcRequestToken,
    trustedRoot,
    requests,
    get claims() {
      return { ...claims }
    },
    issuedTokens,
    async writeTrustedRoot(dir: string): Promise<string> {
      await mkdir(dir, { recursive: true })
      const file = path.join(dir, 'trusted_root.json')
      await writeFile(file, JSON.stringify(trustedRoot, null, 2))
      return file
    },
    setClaims(partial: Partial<GitHubActionsClaims>): void {
      claims = { ...claims, ...partial }
    },
    issueToken,
    failNext(service: SigstoreService, fault: FaultOptions = {}): void {
      faults.set(service, {
        status: fault.status ?? 503,
        count: fault.count ?? 1,
        afterHandling: fault.afterHandling ?? false,
      })
    },
    setDown(service: SigstoreService, isDown: boolean): void {
      if (isDown) down.add(service)
      else down.delete(service)
    },
    resetCounts(): void {
      for (const service of Object.keys(requests) as SigstoreService[]) requests[service] = 0
    },
    close(): Promise<void> {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
    },
  }
}

/**
 * Stands in for a ServerResponse when a reply is to be lost: the handler writes into it, and
 * the real connection gets the injected fault instead.
 */
class DiscardingResponse {
  headersSent = false
  readonly #onEnd: () => void
  constructor(onEnd: () => void) {
    this.#onEnd = onEnd
  }
  writeHead(): this {
    this.headersSent = true
    return this
  }
  end(): this {
    this.#onEnd()
    return this
  }
}
