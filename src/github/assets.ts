import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import type { GitHubClient } from './client.ts'
import { toGitHubError } from './errors.ts'

export interface AssetRef {
  owner: string
  repo: string
  assetId: number
}

const ASSET_ROUTE = 'GET /repos/{owner}/{repo}/releases/assets/{asset_id}'

/**
 * The bytes of a release asset as GitHub serves them, as a stream: the API answers with a
 * redirect to the storage, which the client follows (dropping the token on the way to another
 * host), so memory stays flat whatever the asset's size. Works without a token for public
 * repositories. An HTTP error is a GitHubError.
 */
async function openAsset(
  client: GitHubClient,
  { owner, repo, assetId }: AssetRef,
): Promise<AsyncIterable<Uint8Array>> {
  try {
    const response = await client.request(ASSET_ROUTE, {
      owner,
      repo,
      asset_id: assetId,
      headers: { accept: 'application/octet-stream' },
      request: { parseSuccessResponseBody: false },
    })
    const body = response.data as unknown as AsyncIterable<Uint8Array> | null
    return body ?? (async function* () {})()
  } catch (error) {
    throw toGitHubError(error, `GET /repos/${owner}/${repo}/releases/assets/${assetId}`)
  }
}

/** SHA-256 (lower-case hex) and size of a release asset's bytes, streamed. */
export async function downloadAndHashAsset(
  client: GitHubClient,
  asset: AssetRef,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of await openAsset(client, asset)) {
    hash.update(chunk)
    size += chunk.byteLength
  }
  return { sha256: hash.digest('hex'), size }
}

/** Streams a release asset's bytes into the file at `path`. */
export async function downloadAssetToFile(
  client: GitHubClient,
  asset: AssetRef,
  path: string,
): Promise<void> {
  await pipeline(await openAsset(client, asset), createWriteStream(path))
}
