// What `audit` reads from GitHub: every release with its assets (one paginated list), the
// commit each tag points at (one paginated list), and the small assets it checks, in memory.
import type { GitHubClient } from './client.ts'
import { GitHubError, toGitHubError } from './errors.ts'
import { iteratePages } from './paginate.ts'

export interface ListedAsset {
  id: number
  name: string
  size: number
  /** `sha256:<hex>` as GitHub computed it; null on servers that do not report digests. */
  digest: string | null
}

export interface ListedRelease {
  id: number
  tag: string
  draft: boolean
  prerelease: boolean
  createdAt: string
  publishedAt: string | null
  assets: ListedAsset[]
}

interface ApiRelease {
  id: number
  tag_name: string
  draft: boolean
  prerelease: boolean
  created_at: string
  published_at: string | null
  assets?: { id: number; name: string; size: number; digest?: string | null }[]
}

/**
 * Every release of the repository as GitHub lists them (newest first), drafts included when
 * the token may see them, each kept to the fields an audit reads so 500 releases stay small.
 */
export async function listReleasesWithAssets(
  client: GitHubClient,
  { owner, repo }: { owner: string; repo: string },
): Promise<ListedRelease[]> {
  const route = 'GET /repos/{owner}/{repo}/releases'
  const releases: ListedRelease[] = []
  for await (const page of iteratePages<ApiRelease>(client, route, { owner, repo }, route)) {
    for (const r of page) {
      releases.push({
        id: r.id,
        tag: r.tag_name,
        draft: r.draft,
        prerelease: r.prerelease,
        createdAt: r.created_at,
        publishedAt: r.published_at,
        assets: (r.assets ?? []).map((a) => ({
          id: a.id,
          name: a.name,
          size: a.size,
          digest: a.digest ?? null,
        })),
      })
    }
  }
  return releases
}

/**
 * The commit each tag points at (`GET /repos/{owner}/{repo}/tags`, which peels annotated tags
 * to their commit), so a moved tag costs no request per release.
 */
export async function listTagCommits(
  client: GitHubClient,
  { owner, repo }: { owner: string; repo: string },
): Promise<Map<string, string>> {
  const route = 'GET /repos/{owner}/{repo}/tags'
  const commits = new Map<string, string>()
  for await (const page of iteratePages<{ name: string; commit: { sha: string } }>(
    client,
    route,
    { owner, repo },
    route,
  )) {
    for (const tag of page) commits.set(tag.name, tag.commit.sha)
  }
  return commits
}

/** An asset larger than the reader's limit: refused, not read. */
export class AssetTooLargeError extends Error {
  readonly assetName: string
  readonly maxBytes: number
  constructor(assetName: string, maxBytes: number) {
    super(`${assetName} is larger than ${maxBytes} bytes; it was not read`)
    this.name = 'AssetTooLargeError'
    this.assetName = assetName
    this.maxBytes = maxBytes
  }
}

/**
 * The bytes of a small release asset (a manifest, a bundle, a record), refused past `maxBytes`.
 * The API answers with a redirect to the storage; the redirect is taken here rather than by
 * the client, and the bytes read with the storage's Response held until they are all in:
 * undici cancels the body of a Response that is garbage-collected, and Octokit hands back the
 * body alone, so under load a followed download read as a 200 with no bytes (seen about once
 * in 40 downloads while the audit verified signatures). No token goes to the storage host.
 * HTTP errors become GitHubErrors.
 */
export async function downloadAssetBytes(
  client: GitHubClient,
  { owner, repo, asset }: { owner: string; repo: string; asset: ListedAsset },
  maxBytes: number,
): Promise<Buffer> {
  if (asset.size > maxBytes) throw new AssetTooLargeError(asset.name, maxBytes)
  const described = `GET /repos/${owner}/${repo}/releases/assets/${asset.id}`
  let response: { status: number; headers: Record<string, unknown>; data: unknown }
  try {
    response = await client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
      owner,
      repo,
      asset_id: asset.id,
      headers: { accept: 'application/octet-stream' },
      request: { parseSuccessResponseBody: false, redirect: 'manual' },
    })
  } catch (error) {
    throw toGitHubError(error, described)
  }
  const location = response.headers['location']
  if (response.status >= 300 && response.status < 400 && typeof location === 'string') {
    await (response.data as ReadableStream | null)?.cancel()
    return readStored(location, asset, maxBytes)
  }
  // Served without a redirect (some GitHub-compatible servers): the body as the client gave it.
  const bytes = await readBody(response.data as AsyncIterable<Uint8Array> | null, asset, maxBytes)
  if (bytes.length !== asset.size) {
    throw new GitHubError(
      { status: response.status, request: described, githubMessage: '', validationCodes: [] },
      `${asset.name}: ${bytes.length} of ${asset.size} bytes arrived`,
    )
  }
  return bytes
}

async function readBody(
  body: AsyncIterable<Uint8Array> | null,
  asset: ListedAsset,
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body ?? []) {
    size += chunk.byteLength
    if (size > maxBytes) throw new AssetTooLargeError(asset.name, maxBytes)
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks)
}

/** Reads the storage URL GitHub redirected to, within `maxBytes`, and checks the listed size. */
async function readStored(location: string, asset: ListedAsset, maxBytes: number): Promise<Buffer> {
  const request = `GET ${new URL(location).origin}${new URL(location).pathname}`
  const failed = (status: number, message: string): GitHubError =>
    new GitHubError({ status, request, githubMessage: message, validationCodes: [] }, message)
  let stored: Response
  try {
    stored = await fetch(location, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) })
  } catch (error) {
    throw failed(500, `downloading ${asset.name} failed: ${(error as Error).message}`)
  }
  if (!stored.ok) {
    await stored.body?.cancel()
    throw failed(stored.status, `downloading ${asset.name} failed: HTTP ${stored.status}`)
  }
  const declared = Number(stored.headers.get('content-length') ?? NaN)
  if (declared > maxBytes) {
    await stored.body?.cancel()
    throw new AssetTooLargeError(asset.name, maxBytes)
  }
  const bytes = Buffer.from(await stored.arrayBuffer())
  if (bytes.length > maxBytes) throw new AssetTooLargeError(asset.name, maxBytes)
  if (bytes.length !== asset.size) {
    throw failed(500, `${asset.name}: ${bytes.length} of ${asset.size} bytes arrived`)
  }
  return bytes
}

/** How long one small asset may take to arrive from the storage. */
const DOWNLOAD_TIMEOUT_MS = 60_000
