import type { SerializedBundle } from '@sigstore/bundle'
import { bundleToJSON } from '@sigstore/bundle'
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness } from '@sigstore/sign'
import type { Witness } from '@sigstore/sign'
import { canonicalJson } from '../util/canonical-json.ts'
import { InputError, ServiceError, errorMessage } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import { silentReporter } from '../util/reporter.ts'
import { IN_TOTO_STATEMENT_V1 } from '../util/release-files.ts'
import type { InTotoStatement } from '../util/types.ts'
import { BUNDLE_MEDIA_TYPE, IN_TOTO_PAYLOAD_TYPE } from './constants.ts'
import type { SigstoreEndpoints } from './endpoints.ts'

export interface RetryPolicy {
  /** Retries after the first attempt, per request. */
  retries: number
  /** Wait before the first retry; doubles each time up to `maxTimeoutMs`. */
  minTimeoutMs: number
  maxTimeoutMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, minTimeoutMs: 1_000, maxTimeoutMs: 8_000 }
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000

export interface SignStatementOptions {
  endpoints: SigstoreEndpoints
  /** An OIDC token whose audience is `sigstore`. Never logged. */
  getIdentityToken: () => Promise<string>
  reporter?: Reporter
  retry?: RetryPolicy
  /** Milliseconds before one request is abandoned (and retried). */
  timeoutMs?: number
}

export type { SerializedBundle }

/**
 * Signs an in-toto statement keyless: Fulcio certifies an ephemeral key for the workflow's
 * OIDC identity, the DSSE envelope is logged in Rekor and/or timestamped by a TSA, and the
 * result is a Sigstore bundle v0.3. Services that stay unreachable after bounded retries
 * raise a ServiceError naming the service and its URL.
 */
export async function signStatement(
  statement: InTotoStatement,
  options: SignStatementOptions,
): Promise<SerializedBundle> {
  const { endpoints } = options
  checkSignable(statement, endpoints)
  const reporter = options.reporter ?? silentReporter
  // Remembered only to scrub it from any message a service or library echoes back.
  const issuedTokens: string[] = []
  const builder = bundleBuilder(options, issuedTokens)

  reporter.info(
    `Signing with Sigstore (${endpoints.mode}): Fulcio ${endpoints.fulcioURL}` +
      (endpoints.rekorURL ? `, Rekor ${endpoints.rekorURL}` : '') +
      (endpoints.tsaURL ? `, timestamp authority ${endpoints.tsaURL}` : ''),
  )
  const stopRetryLog = reportRetries(reporter, issuedTokens)
  try {
    const bundle = await builder.create({
      data: canonicalJson(statement),
      type: IN_TOTO_PAYLOAD_TYPE,
    })
    const json = bundleToJSON(bundle)
    if (json.mediaType !== BUNDLE_MEDIA_TYPE) {
      throw new Error(
        `@sigstore/sign produced a ${json.mediaType} bundle, expected ${BUNDLE_MEDIA_TYPE}`,
      )
    }
    return json
  } catch (error) {
    throw describeSigningError(error, endpoints, issuedTokens)
  } finally {
    stopRetryLog()
  }
}

/** Refuses what cannot be signed: not an in-toto v1 statement, or no service to witness it. */
function checkSignable(statement: InTotoStatement, endpoints: SigstoreEndpoints): void {
  if (
    statement._type !== IN_TOTO_STATEMENT_V1 ||
    !Array.isArray(statement.subject) ||
    statement.subject.length === 0
  ) {
    throw new Error(`only ${IN_TOTO_STATEMENT_V1} statements with at least one subject are signed`)
  }
  if (!endpoints.rekorURL && !endpoints.tsaURL) {
    throw new InputError(
      'sigstore',
      'signing needs a transparency log or a timestamp authority to witness the signature',
    )
  }
}

/**
 * A DSSE bundle builder over Fulcio and the configured witnesses, each request bounded by the
 * retry policy and timeout; every identity token handed out is added to `issuedTokens`.
 */
function bundleBuilder(options: SignStatementOptions, issuedTokens: string[]): DSSEBundleBuilder {
  const { endpoints } = options
  const retry = options.retry ?? DEFAULT_RETRY
  const fetchOptions = {
    retry: {
      retries: retry.retries,
      minTimeout: retry.minTimeoutMs,
      maxTimeout: retry.maxTimeoutMs,
      factor: 2,
    },
    timeout: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  }
  const identityProvider = {
    getToken: async (): Promise<string> => {
      const token = await options.getIdentityToken()
      issuedTokens.push(token)
      return token
    },
  }
  const witnesses: Witness[] = []
  if (endpoints.rekorURL) {
    // fetchOnConflict: a retried upload whose first reply was lost meets 409; the entry is then read back.
    witnesses.push(
      new RekorWitness({
        rekorBaseURL: endpoints.rekorURL,
        entryType: 'dsse',
        fetchOnConflict: true,
        ...fetchOptions,
      }),
    )
  }
  if (endpoints.tsaURL) {
    witnesses.push(new TSAWitness({ tsaBaseURL: endpoints.tsaURL, ...fetchOptions }))
  }
  return new DSSEBundleBuilder({
    signer: new FulcioSigner({
      fulcioBaseURL: endpoints.fulcioURL,
      identityProvider,
      ...fetchOptions,
    }),
    witnesses,
  })
}

interface SigstoreInternalError {
  name: 'InternalError'
  code: string
  message: string
  cause?: unknown
}

function isInternalError(error: unknown): error is SigstoreInternalError {
  return (
    error instanceof Error &&
    error.name === 'InternalError' &&
    typeof (error as { code?: unknown }).code === 'string'
  )
}

const TOKEN_LIKE = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g

export function scrubTokens(message: string, tokens: readonly string[]): string {
  let scrubbed = message
  for (const token of tokens) if (token) scrubbed = scrubbed.split(token).join('***')
  return scrubbed.replace(TOKEN_LIKE, '***')
}

/** Why a request failed, without the library's stack of wrappers. */
function causeDetail(cause: unknown): string {
  if (cause && typeof cause === 'object') {
    const status = (cause as { statusCode?: unknown }).statusCode
    if (typeof status === 'number')
      return `HTTP ${errorMessage(cause).replace(/^\(\d+\)\s*/, `${status} `)}`
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'FETCH_ERROR') return `${code}: ${errorMessage(cause)}`
  }
  return errorMessage(cause)
}

function statusOf(cause: unknown): number | undefined {
  const status = (cause as { statusCode?: unknown } | undefined)?.statusCode
  return typeof status === 'number' ? status : undefined
}

/**
 * Turns what sigstore-js throws into an error that names the failing service and its URL.
 * The token may appear in library messages (IDENTITY_TOKEN_PARSE_ERROR quotes it), so
 * messages are rebuilt and scrubbed and the library's error is not kept as a cause.
 */
function describeSigningError(
  error: unknown,
  endpoints: SigstoreEndpoints,
  tokens: readonly string[],
): Error {
  if (error instanceof InputError || error instanceof ServiceError) return error
  if (!isInternalError(error))
    return new Error(scrubTokens(`Sigstore signing failed: ${errorMessage(error)}`, tokens))
  const detail = scrubTokens(causeDetail(error.cause ?? error), tokens)
  const status = statusOf(error.cause)
  switch (error.code) {
    case 'CA_CREATE_SIGNING_CERTIFICATE_ERROR': {
      const hint =
        status === 401 || status === 403
          ? '; Fulcio rejected the identity token: the workflow needs `permissions: id-token: write` and the token audience `sigstore`'
          : ''
      return new ServiceError(
        'Fulcio',
        endpoints.fulcioURL,
        `could not get a signing certificate (${detail})${hint}`,
      )
    }
    case 'TLOG_CREATE_ENTRY_ERROR':
      return new ServiceError(
        'Rekor',
        endpoints.rekorURL ?? '',
        `could not log the signature (${detail})`,
      )
    case 'TLOG_FETCH_ENTRY_ERROR':
      return new ServiceError(
        'Rekor',
        endpoints.rekorURL ?? '',
        `the entry exists but could not be read back (${detail})`,
      )
    case 'TSA_CREATE_TIMESTAMP_ERROR':
      return new ServiceError(
        'timestamp authority',
        endpoints.tsaURL ?? '',
        `could not timestamp the signature (${detail})`,
      )
    case 'IDENTITY_TOKEN_READ_ERROR': {
      const cause = error.cause
      if (cause instanceof InputError || cause instanceof ServiceError) return cause
      return new Error(
        `Could not get an OIDC identity token for Sigstore (${detail}); the workflow needs \`permissions: id-token: write\``,
      )
    }
    case 'IDENTITY_TOKEN_PARSE_ERROR':
      return new Error('The OIDC identity token is not a JWT with a `sub` or `email` claim')
    default:
      return new Error(
        scrubTokens(
          `Sigstore signing failed (${error.code}): ${error.message} (${detail})`,
          tokens,
        ),
      )
  }
}

/**
 * sigstore-js reports each failed attempt through proc-log (`process.emit('log', 'http', …)`);
 * passing them on shows retries as they happen instead of a silent wait.
 */
function reportRetries(reporter: Reporter, tokens: readonly string[]): () => void {
  const listener = (level: unknown, ...args: unknown[]): void => {
    if (level !== 'http' || args[0] !== 'fetch') return
    reporter.info(scrubTokens(`Sigstore: ${args.slice(1).map(String).join(' ')}`, tokens))
  }
  const emitter = process as unknown as NodeJS.EventEmitter
  emitter.on('log', listener)
  return () => emitter.off('log', listener)
}
