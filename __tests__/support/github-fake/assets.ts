import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import path from 'node:path'
import type { FakeContext } from './context.ts'
import {
  DOCS,
  HttpError,
  notFound,
  nowIso,
  paginate,
  validationFailed,
  type Reply,
} from './http.ts'
import { findRelease } from './releases.ts'
import { actor, assetJson, downloadPath } from './representations.ts'
import type { Router } from './router.ts'
import { assetsOfRelease, type StoredAsset, type StoredRelease } from './state.ts'

/**
 * The name GitHub stores for an uploaded asset. GitHub documents only that it "renames asset
 * filenames that have special characters, non-alphanumeric characters, and leading or trailing
 * periods" (REST docs, "Upload a release asset"); what users report it doing: a space, `~`, `:`,
 * `(`, `)`, `%` or `!` becomes a period, a run of them (with the periods beside it) one period,
 * accented Latin letters lose the accent (`é` → `e`), other non-ASCII characters go the same way
 * as special ones, and leading and trailing periods are dropped. Letters, digits and
 * `. - _ + @` stay.
 */
export function gitHubAssetName(requested: string): string {
  return requested
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/\.*[^A-Za-z0-9._+@-]+\.*/g, '.')
    .replace(/^\.+|\.+$/g, '')
}

/** Checks an upload may start and records its asset, as GitHub does before the bytes arrive. */
function openUpload(
  fake: FakeContext,
  params: string[],
  url: URL,
  req: IncomingMessage,
): StoredAsset {
  const requested = url.searchParams.get('name')
  const label = url.searchParams.get('label')
  const release = findRelease(fake.state, params[2])
  // The renamed name is the one stored, listed and compared with the release's other assets.
  const name = requested ? gitHubAssetName(requested) : ''
  if (!name)
    throw validationFailed([{ resource: 'ReleaseAsset', code: 'missing_field', field: 'name' }])
  if (release.immutable) throw new HttpError(422, 'Cannot upload assets to an immutable release.')
  if (assetsOfRelease(fake.state, release.release.id).some((a) => a.asset.name === name)) {
    throw validationFailed([{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }])
  }
  const id = fake.newId()
  const now = nowIso()
  // Like GitHub, the asset exists (state "open") while its bytes arrive; an interrupted
  // upload leaves it behind and the name stays taken until it is deleted.
  const stored: StoredAsset = {
    releaseId: release.release.id,
    file: path.join(fake.storage, `asset-${id}`),
    asset: {
      id,
      node_id: `RA_${id}`,
      url: `${fake.repoApi}/releases/assets/${id}`,
      browser_download_url: '',
      name,
      label: label ?? '',
      state: 'open',
      content_type: req.headers['content-type'] ?? 'application/octet-stream',
      size: 0,
      digest: null,
      download_count: 0,
      created_at: now,
      updated_at: now,
      uploader: actor(fake),
    },
  }
  fake.state.assets.set(id, stored)
  return stored
}

interface ReceivedBytes {
  size: number
  sha256Hex: string
  /** The client sent the whole body and did not abort. */
  complete: boolean
}

/** Streams the request body to `file` while hashing it; `corrupt` flips the very last byte. */
function receiveBytes(
  req: IncomingMessage,
  file: string,
  corrupt: boolean,
): Promise<ReceivedBytes> {
  const hash = createHash('sha256')
  const out = createWriteStream(file)
  // Reads pause while the file lags behind, as a server's socket would: loopback delivers
  // faster than a disk writes, and the queued chunks grew this process by GBs per upload.
  out.on('drain', () => req.resume())
  const write = (chunk: Buffer): void => {
    hash.update(chunk)
    if (!out.write(chunk)) req.pause()
  }
  let size = 0
  let aborted = false
  // Held back one chunk so a corrupted upload can flip the very last byte.
  let lastChunk: Buffer | undefined
  return new Promise((resolve) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (lastChunk) write(lastChunk)
      lastChunk = chunk
    })
    req.on('aborted', () => {
      aborted = true
    })
    req.on('error', () => {
      aborted = true
    })
    req.on('close', () => {
      if (lastChunk) {
        if (corrupt && !aborted) {
          lastChunk = Buffer.from(lastChunk)
          lastChunk[lastChunk.length - 1] =
            ((lastChunk[lastChunk.length - 1] as number) ^ 0xff) & 0xff
        }
        write(lastChunk)
      }
      out.end(() =>
        resolve({ size, sha256Hex: hash.digest('hex'), complete: !aborted && req.complete }),
      )
    })
  })
}

/** Settles an upload: the asset becomes "uploaded" only when every declared byte arrived. */
function closeUpload(
  fake: FakeContext,
  stored: StoredAsset,
  received: ReceivedBytes,
  declaredLength: number,
): Reply {
  if (!fake.state.assets.has(stored.asset.id)) throw notFound()
  stored.asset.size = received.size
  stored.asset.updated_at = nowIso()
  if (!received.complete || (Number.isFinite(declaredLength) && declaredLength !== received.size)) {
    return { status: 400, json: { message: 'Upload incomplete', documentation_url: DOCS } }
  }
  stored.asset.state = 'uploaded'
  stored.asset.digest = `sha256:${received.sha256Hex}`
  return { status: 201, json: assetJson(fake, stored) }
}

function findAsset(fake: FakeContext, id: string | undefined): StoredAsset {
  const stored = fake.state.assets.get(Number(id))
  if (!stored) throw notFound()
  return stored
}

/** Release assets: listing, metadata, binary download (a redirect), deletion and uploads. */
export function assetRoutes(router: Router, fake: FakeContext): void {
  const { state } = fake
  router.add('GET', '/repos/{owner}/{repo}/releases/{release_id}/assets', ({ params, url }) => {
    const stored = findRelease(state, params[2])
    const assets = assetsOfRelease(state, stored.release.id).map((a) => assetJson(fake, a))
    return paginate(assets, url, fake.origin)
  })
  router.add('GET', '/repos/{owner}/{repo}/releases/assets/{asset_id}', ({ params, req }) => {
    const stored = findAsset(fake, params[2])
    if ((req.headers.accept ?? '').includes('application/octet-stream')) {
      const release = state.releases.get(stored.releaseId) as StoredRelease
      // GitHub redirects binary downloads to its storage; the fake serves the same bytes itself.
      const location = `${fake.origin}${downloadPath(fake, release, stored.asset.name)}?token=${fake.token}`
      return { status: 302, headers: { location } }
    }
    return { status: 200, json: assetJson(fake, stored) }
  })
  router.add('DELETE', '/repos/{owner}/{repo}/releases/assets/{asset_id}', ({ params }) => {
    const stored = findAsset(fake, params[2])
    if (state.releases.get(stored.releaseId)?.immutable)
      throw new HttpError(422, 'Cannot delete assets of an immutable release.')
    state.assets.delete(stored.asset.id)
    return { status: 204 }
  })
  // Uploads go to the release's upload_url; the body is streamed to disk while it is hashed.
  router.add(
    'POST',
    '/uploads/repos/{owner}/{repo}/releases/{release_id}/assets',
    async ({ params, url, req }) => {
      const stored = await fake.lock.run(() => openUpload(fake, params, url, req))
      const corrupt = fake.corruptedUploads.has(stored.asset.name)
      const received = await receiveBytes(req, stored.file, corrupt)
      const declaredLength = Number(req.headers['content-length'] ?? NaN)
      return fake.lock.run(() => closeUpload(fake, stored, received, declaredLength))
    },
    { streaming: true },
  )
}

export interface AssetDownloads {
  /** Matches `browser_download_url`s and the redirect target of binary asset downloads. */
  pattern: RegExp
  serve(match: RegExpExecArray, url: URL, req: IncomingMessage): Promise<Reply>
}

export function assetDownloads(
  fake: FakeContext,
  authorised: (req: IncomingMessage) => boolean,
): AssetDownloads {
  const notFoundReply = (): Reply => ({
    status: 404,
    json: { message: 'Not Found', documentation_url: DOCS },
  })
  const serve = async (match: RegExpExecArray, url: URL, req: IncomingMessage): Promise<Reply> => {
    const segment = decodeURIComponent(match[1] as string)
    const name = decodeURIComponent(match[2] as string)
    const release = [...fake.state.releases.values()].find((r) =>
      r.release.draft ? `untagged-${r.untaggedId}` === segment : r.release.tag_name === segment,
    )
    // Draft assets are private: they need the token (as a header or the redirect's query).
    const tokenGiven = authorised(req) || url.searchParams.get('token') === fake.token
    if (!release || (release.release.draft && !tokenGiven)) return notFoundReply()
    const asset = assetsOfRelease(fake.state, release.release.id).find((a) => a.asset.name === name)
    if (!asset || asset.asset.state !== 'uploaded') return notFoundReply()
    asset.asset.download_count++
    const { size } = await stat(asset.file)
    return { status: 200, file: { path: asset.file, contentType: asset.asset.content_type, size } }
  }
  return {
    pattern: new RegExp(`^/download/${fake.owner}/${fake.repo}/releases/download/([^/]+)/([^/]+)$`),
    serve,
  }
}
