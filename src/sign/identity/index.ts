import { ServiceError, errorMessage } from '../../util/errors.ts'
import { retry } from '../../util/retry.ts'
import type { RetryPolicy } from '../../util/retry.ts'

/** Where a signer gets the OIDC token that Fulcio binds its certificate to (as in sigstore-js). */
export interface IdentityProvider {
  getToken(): Promise<string>
}

/** Asks the runner's token service for a token with this audience (e.g. `core.getIDToken`). */
export type RequestToken = (audience: string) => Promise<string>

/** The HTTP status @actions/core writes into its error text ("Error Code : 403"). */
function tokenServiceStatus(error: unknown): string | undefined {
  return /Error Code\s*:\s*(\d+)/.exec(errorMessage(error))?.[1]
}

/**
 * @actions/core retries only some server errors, so a transient failure (a reset, a 500, a
 * 429) is tried again; a refusal (401, 403) or a missing service (404) is not.
 */
export const OIDC_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  delayMs: 1000,
  retryable: (error) => !['401', '403', '404'].includes(tokenServiceStatus(error) ?? ''),
}

/** The failure names the token service, and the permission only when the service refused. */
function tokenServiceError(error: unknown, requestUrl: string | undefined): ServiceError {
  const url = URL.parse(requestUrl ?? '')
  // @actions/core spreads its message over several lines; one line reads better in an annotation.
  const detail = errorMessage(error).replace(/\s+/g, ' ').trim()
  const refused = /Error Code\s*:\s*(401|403)\b/.test(detail)
  return new ServiceError(
    'GitHub Actions OIDC token service',
    url ? `${url.origin}${url.pathname}` : 'ACTIONS_ID_TOKEN_REQUEST_URL',
    `could not get an identity token for Sigstore (${detail}).${
      refused ? " The job needs 'permissions: id-token: write'." : ''
    } Nothing was signed or written.`,
  )
}

export interface ActionsIdentityOptions {
  requestToken: RequestToken
  /** ACTIONS_ID_TOKEN_REQUEST_URL, to name the service in a failure. */
  requestUrl: string | undefined
  policy?: RetryPolicy
}

/** The GitHub Actions job's OIDC token for the audience Sigstore expects. */
export function actionsIdentityProvider(options: ActionsIdentityOptions): IdentityProvider {
  return {
    async getToken() {
      try {
        return await retry(
          () => options.requestToken('sigstore'),
          options.policy ?? OIDC_RETRY_POLICY,
        )
      } catch (error) {
        throw tokenServiceError(error, options.requestUrl)
      }
    },
  }
}
