import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  downloadAssetToFile,
  findReleaseByTag,
  isGitHubError,
  listAllPages,
} from '../github/index.ts'
import type { GitHubClient } from '../github/index.ts'
import { InputError } from '../util/errors.ts'

export interface ReleaseRef {
  owner: string
  repo: string
  tag: string
}

/** Parses `OWNER/REPO@TAG`. */
export function parseReleaseRef(value: string): ReleaseRef {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)@(.+)$/.exec(value)
  if (!match) throw new InputError('--release', `expected OWNER/REPO@TAG, got '${value}'.`)
  return { owner: match[1] as string, repo: match[2] as string, tag: match[3] as string }
}

/**
 * Downloads every asset of a published release into `dir`, streaming each to disk through the
 * client (with the client's token, or none for a public repository). Asset names come from the
 * API; a name that is not a plain file name is refused rather than written. `token` is unused:
 * the client carries it.
 */
export async function downloadReleaseAssets(
  client: GitHubClient,
  ref: ReleaseRef,
  dir: string,
  _token?: string,
): Promise<string[]> {
  const { owner, repo, tag } = ref
  const release = await findReleaseByTag(client, { owner, repo, tag })
  const assets = await listAllPages<{ id: number; name: string; size: number }>(
    client,
    'GET /repos/{owner}/{repo}/releases/{release_id}/assets',
    { owner, repo, release_id: release.id },
    'GET release assets',
  )
  await mkdir(dir, { recursive: true })
  const names: string[] = []
  for (const asset of assets) {
    if (!/^[^/\\]+$/.test(asset.name) || asset.name === '.' || asset.name === '..') {
      throw new Error(`the release has an asset with an unsafe name: ${JSON.stringify(asset.name)}`)
    }
    try {
      await downloadAssetToFile(
        client,
        { owner, repo, assetId: asset.id, size: asset.size },
        join(dir, asset.name),
      )
    } catch (error) {
      if (!isGitHubError(error)) throw error
      throw new Error(`downloading ${asset.name} failed: HTTP ${error.status}`, { cause: error })
    }
    names.push(asset.name)
  }
  return names
}
