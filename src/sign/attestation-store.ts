import type { SerializedBundle } from '@sigstore/bundle'
import { attestationsUrl, serviceErrorFor, storeAttestationBundle } from '../github/index.ts'
import type { GitHubClient } from '../github/index.ts'
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
  const { owner, repo } = request
  let stored
  try {
    stored = await storeAttestationBundle(client, request)
  } catch (error) {
    throw serviceErrorFor('storing the attestation', error, attestationsUrl(client, owner, repo))
  }
  if (stored.outcome === 'stored') return stored.id
  reporter.warning(
    `The attestation was not stored in ${owner}/${repo} (${stored.answer}): the workflow needs ` +
      "`permissions: attestations: write`, and GitHub Enterprise Server or the repository's plan may not offer " +
      'artifact attestations. The signed bundle is still published with the release.',
  )
  return undefined
}
