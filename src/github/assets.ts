import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import type { GitHubClient } from './client.ts'
import { GitHubError, toGitHubError } from './errors.ts'

export interface AssetRef {
  owner: string
  repo: string
  assetId: number
  /**
   * The size GitHub lists for the asset. When given, a download of any other length is an
   * error: without a `content-length` a cut-off body would otherwise read as a shorter file.
   */
  size?: number
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

const ASSET_ROUTE = 'GET /repos/{owner}/{repo}/releases/assets/{asset_id}'

/** The status of a download whose body ended early or broke off: the storage failed us. */
const INCOMPLETE_STATUS = 502

type Fetch = typeof globalThis.fetch

/**
 * The client's own fetch (proxy, timeout), wrapped to keep the Response it answers with.
 * Octokit hands back the body stream alone, and its retry and throttling plugins resolve the
 * request a timer turn later (Bottleneck frees its slot with a `setTimeout(0)` first). undici
 * cancels the body of a Response that is garbage-collected while nothing reads it, and a
 * cancelled body reads as a clean, empty end: under load a download came back as a 200 with
 * no bytes. Holding the Response until the last byte is read closes that gap.
 */
function holdingFetch(client: GitHubClient): {
  fetch: Fetch
  response: () => Response | undefined
} {
  const base = (client.request.endpoint.DEFAULTS.request?.fetch as Fetch | undefined) ?? fetch
  let held: Response | undefined
  return {
    fetch: async (input, init) => (held = await base(input, init)),
    response: () => held,
  }
}

/** `content-length` when it counts the bytes the body yields (no content coding), else undefined. */
function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding')
  if (encoding && encoding.toLowerCase() !== 'identity') return undefined
  const length = response.headers.get('content-length')
  return length !== null && /^\d+$/.test(length) ? Number(length) : undefined
}

interface DownloadLimits {
  /** The asset's name, for errors. */
  name: string
  /** Refuse (AssetTooLargeError) past this many bytes. */
  maxBytes?: number
}

/**
 * Every byte of a release asset as GitHub serves it, streamed: the API answers with a
 * redirect to the storage, which the client follows (dropping the token on the way to another
 * host), so memory stays flat whatever the asset's size. Works without a token for public
 * repositories. Ends only once the byte count matches `content-length` and the listed size;
 * a body that is cut off, breaks off or is longer fails as a GitHubError, as does an HTTP error.
 */
async function* assetChunks(
  client: GitHubClient,
  { owner, repo, assetId, size }: AssetRef,
  { name, maxBytes }: DownloadLimits,
): AsyncGenerator<Uint8Array, void, undefined> {
  const described = `GET /repos/${owner}/${repo}/releases/assets/${assetId}`
  const incomplete = (message: string, cause?: unknown): GitHubError =>
    new GitHubError(
      {
        status: INCOMPLETE_STATUS,
        request: described,
        githubMessage: message,
        validationCodes: [],
      },
      message,
      cause === undefined ? undefined : { cause },
    )
  const holding = holdingFetch(client)
  try {
    await client.request(ASSET_ROUTE, {
      owner,
      repo,
      asset_id: assetId,
      headers: { accept: 'application/octet-stream' },
      request: { parseSuccessResponseBody: false, fetch: holding.fetch },
    })
  } catch (error) {
    throw toGitHubError(error, described)
  }
  const response = holding.response()
  if (!response) throw incomplete(`downloading ${name}: no response arrived`)
  const declared = declaredLength(response)
  const expected = size ?? declared
  if (maxBytes !== undefined && (expected ?? 0) > maxBytes) {
    await response.body?.cancel()
    throw new AssetTooLargeError(name, maxBytes)
  }
  let received = 0
  try {
    for await (const chunk of response.body ?? []) {
      received += chunk.byteLength
      if (maxBytes !== undefined && received > maxBytes)
        throw new AssetTooLargeError(name, maxBytes)
      yield chunk
    }
  } catch (error) {
    if (error instanceof AssetTooLargeError) throw error
    throw incomplete(`downloading ${name} broke off after ${received} bytes`, error)
  }
  for (const [count, what] of [
    [declared, 'content-length'],
    [size, 'listed size'],
  ] as const) {
    if (count !== undefined && received !== count) {
      throw incomplete(`downloading ${name}: ${received} bytes arrived, its ${what} is ${count}`)
    }
  }
}

const assetName = (asset: AssetRef): string => `release asset ${asset.assetId}`

/** SHA-256 (lower-case hex) and size of a release asset's bytes, streamed. */
export async function downloadAndHashAsset(
  client: GitHubClient,
  asset: AssetRef,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of assetChunks(client, asset, { name: assetName(asset) })) {
    hash.update(chunk)
    size += chunk.byteLength
  }
  return { sha256: hash.digest('hex'), size }
}

/** Streams a release asset's bytes into the file at `path`; on failure no file is left there. */
export async function downloadAssetToFile(
  client: GitHubClient,
  asset: AssetRef,
  path: string,
): Promise<void> {
  try {
    await pipeline(assetChunks(client, asset, { name: assetName(asset) }), createWriteStream(path))
  } catch (error) {
    await rm(path, { force: true })
    throw error
  }
}

/**
 * The bytes of a small release asset (a manifest, a bundle, a record) in memory, refused
 * (AssetTooLargeError) past `maxBytes` before a byte is read when its listed size says so.
 */
export async function downloadAssetBytes(
  client: GitHubClient,
  {
    owner,
    repo,
    asset,
  }: { owner: string; repo: string; asset: { id: number; name: string; size: number } },
  maxBytes: number,
): Promise<Buffer> {
  if (asset.size > maxBytes) throw new AssetTooLargeError(asset.name, maxBytes)
  const ref = { owner, repo, assetId: asset.id, size: asset.size }
  const chunks: Buffer[] = []
  for await (const chunk of assetChunks(client, ref, { name: asset.name, maxBytes })) {
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks)
}
