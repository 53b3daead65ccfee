import { createHash } from 'node:crypto'
import type { GitHubClient } from './github-client.ts'

/**
 * SHA-256 and size of a release asset's bytes as GitHub serves them, streamed (the API answers
 * with a redirect to the storage, which the client follows) so memory stays flat whatever the
 * asset's size.
 */
export async function hashReleaseAsset(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  assetId: number,
): Promise<{ sha256: string; size: number }> {
  const response = await client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
    ...repository,
    asset_id: assetId,
    headers: { accept: 'application/octet-stream' },
    request: { parseSuccessResponseBody: false },
  })
  const body = response.data as unknown as AsyncIterable<Uint8Array> | null
  const hash = createHash('sha256')
  let size = 0
  if (body) {
    for await (const chunk of body) {
      hash.update(chunk)
      size += chunk.byteLength
    }
  }
  return { sha256: hash.digest('hex'), size }
}
