import type { SerializedBundle } from '@sigstore/bundle'
import { ServiceError, errorMessage } from '../util/errors.ts'
import type { GitHubClient } from '../util/github-client.ts'
import type { Reporter } from '../util/reporter.ts'

export interface StoreAttestationRequest {
  owner: string
  repo: string
  bundle: SerializedBundle
}

/**
 * Stores the bundle with GitHub's attestations API, so `gh attestation verify` finds it.
 * Missing permission or an instance without the API (GHES, some plans) is a warning, not a
 * failure: the bundle is still published with the release. Returns the attestation id.
 */
export async function storeAttestation(
  client: GitHubClient,
  request: StoreAttestationRequest,
  reporter: Reporter,
): Promise<number | undefined> {
  const route = 'POST /repos/{owner}/{repo}/attestations'
  try {
    const response = await client.request(route, {
      owner: request.owner,
      repo: request.repo,
      bundle: request.bundle as unknown as Record<string, unknown>,
    })
    const id = (response.data as { id?: unknown }).id
    if (typeof id !== 'number') throw new Error('the response has no attestation id')
    return id
  } catch (error) {
    const status = (error as { status?: unknown }).status
    if (status === 403 || status === 404) {
      reporter.warning(
        `The attestation was not stored in ${request.owner}/${request.repo} (HTTP ${status}): the workflow needs ` +
          "`permissions: attestations: write`, and GitHub Enterprise Server or the repository's plan may not offer " +
          'artifact attestations. The signed bundle is still published with the release.',
      )
      return undefined
    }
    const url = `${client.request.endpoint.DEFAULTS.baseUrl}/repos/${request.owner}/${request.repo}/attestations`
    throw new ServiceError(
      'GitHub attestations API',
      url,
      `could not store the attestation: ${errorMessage(error)}`,
    )
  }
}
