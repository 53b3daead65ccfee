import type { SerializedBundle } from '@sigstore/bundle'
import type { GitHubClient } from './client.ts'
import { apiBaseUrl } from './client.ts'
import { statusOf, toGitHubError } from './errors.ts'

/** Where an attestation went: stored with its id, or the instance does not take it. */
export type AttestationOutcome =
  | { outcome: 'stored'; id: number }
  /** Missing permission, or no attestations API (GHES, some plans); `answer` is e.g. `HTTP 403`. */
  | { outcome: 'unavailable'; answer: string }

/** The URL bundles of `owner/repo` are posted to, for error reports. */
export function attestationsUrl(client: GitHubClient, owner: string, repo: string): string {
  return `${apiBaseUrl(client)}/repos/${owner}/${repo}/attestations`
}

/**
 * `POST /repos/{owner}/{repo}/attestations`. A 403 or 404 means the workflow or the instance
 * cannot store attestations ('unavailable'); any other failure throws (a GitHubError for an
 * HTTP answer).
 */
export async function storeAttestationBundle(
  client: GitHubClient,
  request: { owner: string; repo: string; bundle: SerializedBundle },
): Promise<AttestationOutcome> {
  let data: unknown
  try {
    ;({ data } = await client.request('POST /repos/{owner}/{repo}/attestations', {
      owner: request.owner,
      repo: request.repo,
      bundle: request.bundle as unknown as Record<string, unknown>,
    }))
  } catch (error) {
    const status = statusOf(error)
    if (status === 403 || status === 404)
      return { outcome: 'unavailable', answer: `HTTP ${status}` }
    throw toGitHubError(error, `POST /repos/${request.owner}/${request.repo}/attestations`)
  }
  const id = (data as { id?: unknown } | null)?.id
  if (typeof id !== 'number') throw new Error('the response has no attestation id')
  return { outcome: 'stored', id }
}
