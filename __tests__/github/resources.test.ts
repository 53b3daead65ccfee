import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  downloadAndHashAsset,
  readRepositoryFacts,
  writeIntervalFor,
} from '../../src/github/index.ts'
import { GitHubError } from '../../src/github/errors.ts'
import { json, startLoopback } from './loopback.ts'
import type { Loopback } from './loopback.ts'

const ASSET_BYTES = 'the bytes of an asset\n'.repeat(1000)

let server: Loopback
beforeAll(async () => {
  server = await startLoopback((_request, url) => {
    if (url.pathname === '/repos/o/r/releases/assets/7') return { status: 200, body: ASSET_BYTES }
    if (url.pathname === '/repos/o/r') {
      return json({ private: true, visibility: 'internal', owner: { type: 'Organization' } })
    }
    if (url.pathname === '/repos/o/legacy') return json({ private: false, owner: { type: 'User' } })
    return json({ message: 'Not Found' }, 404)
  })
})
afterAll(async () => {
  await server.close()
})

describe('writeIntervalFor', () => {
  it('paces writes a second apart on GitHub.com only', () => {
    expect(writeIntervalFor('https://api.github.com')).toBe(1000)
    expect(writeIntervalFor('https://api.github.com/')).toBe(1000)
    expect(writeIntervalFor('https://ghes.example/api/v3')).toBe(0)
    expect(writeIntervalFor(server.url)).toBe(0)
  })
})

describe('downloadAndHashAsset', () => {
  it('hashes the bytes as served', async () => {
    const result = await downloadAndHashAsset(server.client(), {
      owner: 'o',
      repo: 'r',
      assetId: 7,
    })
    expect(result).toEqual({
      sha256: createHash('sha256').update(ASSET_BYTES).digest('hex'),
      size: Buffer.byteLength(ASSET_BYTES),
    })
  })

  it('reports a missing asset as a GitHubError', async () => {
    const error = await downloadAndHashAsset(server.client(), {
      owner: 'o',
      repo: 'r',
      assetId: 8,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubError)
    expect((error as GitHubError).request).toBe('GET /repos/o/r/releases/assets/8')
  })
})

describe('readRepositoryFacts', () => {
  it('reads visibility and owner type', async () => {
    expect(await readRepositoryFacts(server.client(), 'o', 'r')).toEqual({
      visibility: 'internal',
      ownerType: 'Organization',
    })
  })

  it('derives visibility from `private` where GitHub does not say it', async () => {
    expect(await readRepositoryFacts(server.client(), 'o', 'legacy')).toEqual({
      visibility: 'public',
      ownerType: 'User',
    })
  })

  it('is undefined when the repository cannot be read, telling why', async () => {
    const reasons: unknown[] = []
    const facts = await readRepositoryFacts(server.client(), 'o', 'hidden', (e) => reasons.push(e))
    expect(facts).toBeUndefined()
    expect(reasons).toHaveLength(1)
    expect((reasons[0] as GitHubError).status).toBe(404)
  })
})
