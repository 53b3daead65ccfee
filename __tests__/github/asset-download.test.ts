import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AssetTooLargeError,
  downloadAndHashAsset,
  downloadAssetBytes,
  downloadAssetToFile,
} from '../../src/github/index.ts'
import { GitHubError } from '../../src/github/errors.ts'
import { startAssetServers } from './asset-servers.ts'
import type { AssetServers, StoredAsset } from './asset-servers.ts'

const CHILD = resolve(import.meta.dirname, 'asset-download-child.ts')
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

describe('a followed asset download under garbage collection', () => {
  it('delivers every byte while a collection runs every millisecond', async () => {
    const size = 1024 * 1024
    const downloads = 3
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', CHILD, String(size), String(downloads)],
      { maxBuffer: 1024 * 1024 },
    )
    const results = JSON.parse(stdout) as { via: string; size: number; sha256: string }[]
    expect(results).toHaveLength(2 * downloads)
    const expected = { size, sha256: sha256(Buffer.alloc(size, 0x5a)) }
    for (const via of ['hash', 'file']) {
      expect(results.filter((r) => r.via === via)).toEqual(
        Array.from({ length: downloads }, () => ({ via, ...expected })),
      )
    }
  }, 60_000)
})

const BYTES = Buffer.from('release asset bytes\n'.repeat(20_000))
const SERVED: Record<number, StoredAsset> = {
  1: { bytes: BYTES },
  // Chunked and ending cleanly after half the bytes: only the listed size shows they are short.
  2: { bytes: BYTES.subarray(0, BYTES.length / 2), contentLength: null },
  // Declares every byte, then the connection drops halfway.
  3: { bytes: BYTES, cutAfter: BYTES.length / 2 },
  // Declares more bytes than an in-memory reader allows.
  4: { bytes: BYTES },
  // 400 KB arriving steadily over about a second: longer than a short request timeout.
  5: { bytes: BYTES, chunkDelayMs: 150 },
}

let servers: AssetServers
let dir: string
beforeAll(async () => {
  servers = await startAssetServers((id) => SERVED[id] ?? { bytes: Buffer.alloc(0) })
  dir = await mkdtemp(join(tmpdir(), 'asset-download-test-'))
})
afterAll(async () => {
  await servers.close()
  await rm(dir, { recursive: true, force: true })
})

const ref = (assetId: number, size?: number) => ({
  owner: 'o',
  repo: 'r',
  assetId,
  ...(size === undefined ? {} : { size }),
})

describe('downloadAndHashAsset', () => {
  it('follows the redirect to the storage without sending the token there', async () => {
    const before = servers.storageHeaders.length
    const result = await downloadAndHashAsset(servers.client(), ref(1, BYTES.length))
    expect(result).toEqual({ sha256: sha256(BYTES), size: BYTES.length })
    expect(servers.storageHeaders.length).toBe(before + 1)
    expect(servers.storageHeaders.at(-1)?.authorization).toBeUndefined()
  })

  it('is not cut off by the request timeout while the body keeps arriving', async () => {
    // The timeout bounds the wait for an answer; a large asset's body may take minutes, and a
    // stalled one is bounded by undici's own idle limit between chunks.
    const result = await downloadAndHashAsset(
      servers.client({ requestTimeoutMs: 500 }),
      ref(5, BYTES.length),
    )
    expect(result).toEqual({ sha256: sha256(BYTES), size: BYTES.length })
  })

  it('fails on a body shorter than the listed size instead of hashing fewer bytes', async () => {
    const error = await downloadAndHashAsset(servers.client(), ref(2, BYTES.length)).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(GitHubError)
    expect((error as GitHubError).request).toBe('GET /repos/o/r/releases/assets/2')
    expect((error as Error).message).toBe(
      `downloading release asset 2: ${BYTES.length / 2} bytes arrived, its listed size is ${BYTES.length}`,
    )
  })

  it('fails as a GitHubError when the storage drops the connection mid-body', async () => {
    const error = await downloadAndHashAsset(servers.client(), ref(3)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubError)
    expect((error as GitHubError).status).toBe(502)
    expect((error as Error).message).toMatch(
      /^downloading release asset 3 broke off after \d+ bytes$/,
    )
  })
})

describe('downloadAssetToFile', () => {
  it('writes every byte', async () => {
    const path = join(dir, 'whole')
    await downloadAssetToFile(servers.client(), ref(1, BYTES.length), path)
    const { readFile } = await import('node:fs/promises')
    expect(sha256(await readFile(path))).toBe(sha256(BYTES))
  })

  it('leaves no file behind when the body is short', async () => {
    const path = join(dir, 'short')
    const error = await downloadAssetToFile(servers.client(), ref(2, BYTES.length), path).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(GitHubError)
    expect(existsSync(path)).toBe(false)
  })
})

describe('downloadAssetBytes', () => {
  const listed = (id: number, size: number) => ({
    owner: 'o',
    repo: 'r',
    asset: { id, name: `a${id}`, size },
  })

  it('reads a small asset whole', async () => {
    const bytes = await downloadAssetBytes(servers.client(), listed(1, BYTES.length), BYTES.length)
    expect(bytes.equals(BYTES)).toBe(true)
  })

  it('refuses an asset whose content-length passes the limit, even when listed as small', async () => {
    const error = await downloadAssetBytes(servers.client(), listed(4, 10), 1000).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(AssetTooLargeError)
  })

  it('fails on fewer bytes than listed', async () => {
    const error = await downloadAssetBytes(
      servers.client(),
      listed(2, BYTES.length),
      BYTES.length,
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubError)
  })
})
