import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createReleaseStore } from '../../src/github/release-store.ts'
import type { Reporter } from '../../src/util/reporter.ts'
import { createFakeClient, type GitHubFake } from '../support/github-fake/index.ts'
import type { ReleaseStore } from '../../src/release/index.ts'
import type { ReleaseAssetFile, ReleaseRequest } from '../../src/release/request.ts'
import type { ReleaseStep } from '../../src/release/errors.ts'
import type { Fault } from '../support/memory-release-store.ts'

export interface Workspace {
  dir: string
  assets: ReleaseAssetFile[]
  cleanup(): Promise<void>
}

/** Writes `count` asset files of varied sizes into a fresh temporary folder. */
export async function makeAssets(
  count: number,
  sizeOf = (i: number) => 1000 + i * 7919,
): Promise<Workspace> {
  const dir = await mkdtemp(path.join(tmpdir(), 'release-assets-'))
  const assets: ReleaseAssetFile[] = []
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.alloc(sizeOf(i))
    for (let j = 0; j < bytes.length; j++) bytes[j] = (j * 31 + i * 17) & 0xff
    const name = `widget-${i}.tar.gz`
    const file = path.join(dir, name)
    await writeFile(file, bytes)
    assets.push({
      name,
      path: file,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      contentType: 'application/gzip',
    })
  }
  return { dir, assets, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Seeds two commits on `main`; returns the head SHA. */
export function seedHistory(fake: GitHubFake): string {
  const first = fake.addCommit({
    message: 'Initial commit',
    author: { name: 'Ada', email: 'ada@example.com', date: '2025-01-01T00:00:00Z' },
    parents: [],
  })
  const head = fake.addCommit({
    message: 'Add widget',
    author: { name: 'Grace', email: 'grace@example.com', date: '2025-01-02T00:00:00Z' },
    parents: [first],
  })
  fake.setRef('refs/heads/main', head)
  return head
}

/** The GitHub release store of the fake's repository, over a fresh client. */
export function fakeStore(fake: GitHubFake, options: { reporter?: Reporter } = {}): ReleaseStore {
  return createReleaseStore(createFakeClient(fake, options), fake.owner, fake.repo)
}

export function releaseRequest(
  ws: Workspace,
  overrides: Partial<ReleaseRequest> = {},
): ReleaseRequest {
  return {
    tag: 'v1.0.0',
    targetCommitish: 'main',
    name: 'Widget 1.0.0',
    body: 'First release.',
    prerelease: false,
    makeLatest: 'true',
    assets: ws.assets,
    run: { id: '7001', attempt: 1 },
    uploadRetry: { attempts: 3, delayMs: 5 },
    ...overrides,
  }
}

/** What a failed release may leave on the fake: nothing at all, when the flow cleaned up. */
export function leftovers(
  fake: GitHubFake,
  tag: string,
): { releases: number; assets: number; tag: boolean } {
  return {
    releases: [...fake.state.releases.values()].filter((r) => r.release.tag_name === tag).length,
    assets: fake.state.assets.size,
    tag: fake.state.refs.has(`refs/tags/${tag}`),
  }
}

/**
 * Failures right after each step of the flow, as the first call of the next step failing
 * (after `publish`: the publish took effect, its answer was lost and reading it back failed).
 */
export const FAILURE_AFTER_STEP: {
  after: ReleaseStep
  failingStep: ReleaseStep
  faults: Fault[]
}[] = [
  { after: 'claim', failingStep: 'draft', faults: [{ method: 'createDraft' }] },
  { after: 'draft', failingStep: 'upload', faults: [{ method: 'upload', times: 'always' }] },
  { after: 'upload', failingStep: 'check', faults: [{ method: 'listAssets' }] },
  { after: 'check', failingStep: 'publish', faults: [{ method: 'publish' }] },
  {
    after: 'publish',
    failingStep: 'publish',
    faults: [
      {
        method: 'publish',
        kind: 'lose-answer',
        answer: { outcome: 'failed', error: new Error('injected: answer lost'), repeatable: false },
      },
      { method: 'getRelease' },
    ],
  },
]

/** A runner that dies right after a step: the first call of the next step never answers. */
export const CRASH_AFTER_STEP: Record<'claim' | 'draft' | 'upload', Fault[]> = {
  claim: [{ method: 'createDraft', kind: 'hang' }],
  draft: [{ method: 'upload', kind: 'hang', times: 'always' }],
  upload: [{ method: 'listAssets', kind: 'hang' }],
}
