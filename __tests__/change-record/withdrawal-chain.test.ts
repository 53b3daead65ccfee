// The next release's change record names every withdrawal since the previous release (issue
// 12): findPreviousRelease collects the `withdrawn/<tag>` releases published after it, and the
// record's chain carries them (tag, withdrawal digest) under the schema.
import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  buildChangeRecord,
  findPreviousRelease,
  validateChangeRecord,
} from '../../src/change-record/index.ts'
import type { GitHubClient } from '../../src/github/index.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import { createFakeClient, startGitHubFake, type GitHubFake } from '../support/github-fake/index.ts'
import { MANIFEST_SHA256, runContext } from './helpers.ts'

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

let fake: GitHubFake
let client: GitHubClient
let repoRef: { owner: string; repo: string }
let root: string

beforeEach(async () => {
  fake = await startGitHubFake({ validateResponses: true })
  client = createFakeClient(fake, { retries: 1 })
  repoRef = { owner: fake.owner, repo: fake.repo }
  root = fake.addCommit({
    message: 'init',
    author: { name: 'Bot', email: 'bot@example.invalid', date: '2026-01-01T00:00:00Z' },
  })
})
afterEach(async () => {
  expect(fake.violations).toEqual([])
  await fake.close()
})

async function publish(tag: string, assets: Record<string, string>): Promise<void> {
  const { data: release } = await client.rest.repos.createRelease({
    ...repoRef,
    tag_name: tag,
    target_commitish: root,
    draft: true,
    prerelease: tag.startsWith('withdrawn/'),
  })
  for (const [name, content] of Object.entries(assets)) {
    await client.rest.repos.uploadReleaseAsset({
      ...repoRef,
      release_id: release.id,
      url: release.upload_url,
      name,
      data: content,
      headers: { 'content-type': 'application/json' },
    })
  }
  await client.rest.repos.updateRelease({ ...repoRef, release_id: release.id, draft: false })
}

const withdrawalOf = (tag: string) => ({
  'withdrawal.json': `{"withdrawn":{"tag":"${tag}"}}`,
  'withdrawal.sigstore.json': '{}',
})

describe('findPreviousRelease and withdrawals', () => {
  it('names every withdrawal published since the previous release, newest first', async () => {
    await publish('v1.0.0', { 'release-manifest.json': '{"v":1}' })
    await publish('withdrawn/v0.9.0', withdrawalOf('v0.9.0'))
    await publish('v1.1.0', { 'release-manifest.json': '{"v":2}' })
    await publish('withdrawn/v1.0.0', withdrawalOf('v1.0.0'))
    await publish('withdrawn/v1.1.0', withdrawalOf('v1.1.0'))

    const previous = await findPreviousRelease(client, { ...repoRef, tag: 'v1.2.0' })
    // The withdrawal releases are no predecessors; the withdrawn v1.1.0 still is.
    expect(previous?.tag).toBe('v1.1.0')
    expect(previous?.manifestDigest).toBe(sha256('{"v":2}'))
    // withdrawn/v0.9.0 came before v1.1.0: the record of v1.1.0 named it already.
    expect(previous?.withdrawals).toEqual([
      { tag: 'v1.1.0', withdrawalDigest: sha256(withdrawalOf('v1.1.0')['withdrawal.json']) },
      { tag: 'v1.0.0', withdrawalDigest: sha256(withdrawalOf('v1.0.0')['withdrawal.json']) },
    ])
  })

  it('has no withdrawals when there were none, and ignores a withdrawn/ release without a record', async () => {
    await publish('v1.0.0', { 'release-manifest.json': '{"v":1}' })
    await publish('withdrawn/v1.0.0', { 'NOTES.md': 'nothing signed here' })
    const previous = await findPreviousRelease(client, { ...repoRef, tag: 'v1.1.0' })
    expect(previous?.tag).toBe('v1.0.0')
    expect(previous).not.toHaveProperty('withdrawals')
  })
})

describe('the chain section of the record', () => {
  const params = (withdrawals?: { tag: string; withdrawalDigest: string }[]) => ({
    run: runContext('/tmp/ws'),
    tag: 'v1.2.0',
    manifestDigest: MANIFEST_SHA256,
    previous: {
      tag: 'v1.1.0',
      manifestDigest: 'b'.repeat(64),
      ...(withdrawals ? { withdrawals } : {}),
    },
    signing: { transparencyLog: false, ownerType: 'Organization' as const },
    now: new Date('2026-12-02T00:00:00Z'),
    nonce: '00112233445566778899aabbccddeeff',
  })

  it('records each withdrawal (tag, withdrawal digest) and stays valid under the schema', () => {
    const record = buildChangeRecord(
      params([{ tag: 'v1.1.0', withdrawalDigest: `sha256:${'d'.repeat(64)}` }]),
      new RecordingReporter(),
    )
    expect(record.chain.withdrawals).toEqual([
      { tag: 'v1.1.0', withdrawalDigest: { sha256: 'd'.repeat(64) } },
    ])
    expect(validateChangeRecord(record)).toEqual([])
  })

  it('leaves the key out when there were none (the bytes of earlier records stay the same)', () => {
    const record = buildChangeRecord(params([]), new RecordingReporter())
    expect(record.chain).not.toHaveProperty('withdrawals')
    expect(validateChangeRecord(record)).toEqual([])
  })

  it('the schema refuses a malformed withdrawal entry', () => {
    const record = buildChangeRecord(params(), new RecordingReporter())
    const bad = {
      ...record,
      chain: { ...record.chain, withdrawals: [{ tag: 'v1.1.0', withdrawalDigest: 'nope' }] },
    }
    expect(validateChangeRecord(bad).map((v) => v.path)).toContain(
      '/chain/withdrawals/0/withdrawalDigest',
    )
  })
})
