import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { InputError } from '../util/errors.ts'
import type { GitHubClient } from '../util/github-client.ts'

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
 * Downloads every asset of a published release into `dir`, streaming each to disk. Asset names
 * come from the API; a name that is not a plain file name is refused rather than written.
 */
export async function downloadReleaseAssets(
  client: GitHubClient,
  ref: ReleaseRef,
  dir: string,
  token: string | undefined,
): Promise<string[]> {
  const { data: release } = await client.rest.repos.getReleaseByTag({
    owner: ref.owner,
    repo: ref.repo,
    tag: ref.tag,
  })
  const assets = await client.paginate(client.rest.repos.listReleaseAssets, {
    owner: ref.owner,
    repo: ref.repo,
    release_id: release.id,
    per_page: 100,
  })
  await mkdir(dir, { recursive: true })
  const names: string[] = []
  for (const asset of assets) {
    if (!/^[^/\\]+$/.test(asset.name) || asset.name === '.' || asset.name === '..') {
      throw new Error(`the release has an asset with an unsafe name: ${JSON.stringify(asset.name)}`)
    }
    // The asset API redirects to storage; fetch follows it and drops the token on the way.
    const response = await fetch(asset.url, {
      headers: {
        accept: 'application/octet-stream',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    })
    if (!response.ok || !response.body) {
      throw new Error(`downloading ${asset.name} failed: HTTP ${response.status}`)
    }
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      createWriteStream(join(dir, asset.name)),
    )
    names.push(asset.name)
  }
  return names
}
