import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  checkTagAvailable,
  publishRelease,
  ReleaseConflictError,
  ReleaseFailedError,
} from '../../src/release/index.ts'
import { InputError } from '../../src/util/errors.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import { createFakeClient, startGitHubFake, type GitHubFake } from '../support/github-fake/index.ts'
import { withFaults } from '../support/memory-release-store.ts'
import {
  CRASH_AFTER_STEP,
  FAILURE_AFTER_STEP,
  fakeStore,
  leftovers,
  makeAssets,
  releaseRequest,
  seedHistory,
  type Workspace,
} from './fixtures.ts'

const UPLOAD = 'POST /repos/{owner}/{repo}/releases/{release_id}/assets'

let fake: GitHubFake
let ws: Workspace
let head: string

async function setUp(
  options: Parameters<typeof startGitHubFake>[0] = {},
  assetCount = 3,
): Promise<void> {
  fake = await startGitHubFake({ validateResponses: true, ...options })
  head = seedHistory(fake)
  ws = await makeAssets(assetCount)
}

afterEach(async () => {
  // Every response the fake sent matched GitHub's OpenAPI description.
  expect(fake.violations).toEqual([])
  await fake.close()
  await ws.cleanup()
})

function writes(): string[] {
  return fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)
}

async function downloadSha256(url: string): Promise<string> {
  const response = await fetch(url, { headers: { authorization: `token ${fake.token}` } })
  expect(response.status).toBe(200)
  return createHash('sha256')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex')
}

describe('publishRelease: happy path', () => {
  for (const count of [1, 10]) {
    it(`publishes ${count} verified asset(s) with at most N + 12 requests`, async () => {
      await setUp({ repository: { immutableReleases: true } }, count)
      const reporter = new RecordingReporter()
      const result = await publishRelease(fakeStore(fake), releaseRequest(ws), reporter)

      expect(fake.requests.length).toBeLessThanOrEqual(count + 12)
      expect(result.immutable).toBe(true)
      expect(result.commitSha).toBe(head)
      expect(reporter.warnings).toEqual([])
      const stored = fake.state.releases.get(result.id)
      expect(stored?.release.draft).toBe(false)
      expect(stored?.immutable).toBe(true)
      expect(stored?.release.tag_name).toBe('v1.0.0')
      expect(result.url).toMatch(/\/releases\/tag\/v1\.0\.0$/)
      expect(fake.state.latestReleaseId).toBe(result.id)

      // The tag is an annotated tag object at the resolved commit, carrying the run marker.
      const tagObjectSha = fake.state.refs.get('refs/tags/v1.0.0') as string
      const tagObject = fake.state.tagObjects.get(tagObjectSha)
      expect(tagObject?.object.sha).toBe(head)
      expect(tagObject?.message).toContain('immutable-release run 7001 attempt 1')

      // Exactly the expected assets, each with GitHub's digest equal to the file's SHA-256 and
      // the bytes served back matching.
      const assets = fake.assetsOf(result.id)
      expect(assets.map((a) => a.name).sort()).toEqual(ws.assets.map((a) => a.name).sort())
      for (const expected of ws.assets) {
        const asset = assets.find((a) => a.name === expected.name)
        expect(asset?.digest).toBe(`sha256:${expected.sha256}`)
        expect(asset?.state).toBe('uploaded')
        expect(await downloadSha256(asset?.browser_download_url as string)).toBe(expected.sha256)
      }
      expect(result.uploadedAssets.map((a) => a.digest).sort()).toEqual(
        ws.assets.map((a) => `sha256:${a.sha256}`).sort(),
      )
      // Uploads went to the release's own upload_url on the fake, never uploads.github.com.
      expect(
        fake.requests.filter(
          (r) =>
            r.route === '/repos/{owner}/{repo}/releases/{release_id}/assets' && r.method === 'POST',
        ),
      ).toHaveLength(count)
    })
  }

  it('warns how to turn on immutable releases when the repository setting is off', async () => {
    await setUp({ repository: { immutableReleases: false } }, 1)
    const reporter = new RecordingReporter()
    const result = await publishRelease(
      fakeStore(fake),
      releaseRequest(ws, { makeLatest: 'false', prerelease: true }),
      reporter,
    )
    expect(result.immutable).toBe(false)
    expect(reporter.warnings).toHaveLength(1)
    expect(reporter.warnings[0]).toContain('Enable release immutability')
    expect(fake.state.releases.get(result.id)?.release.prerelease).toBe(true)
    expect(fake.state.latestReleaseId).toBeUndefined()
  })

  it('downloads and hashes assets when GitHub reports no digest (older GHES)', async () => {
    await setUp({ assetDigests: 'null' }, 3)
    const result = await publishRelease(
      fakeStore(fake),
      releaseRequest(ws),
      new RecordingReporter(),
    )
    const downloads = fake.requests.filter(
      (r) => r.method === 'GET' && r.path.includes('/releases/download/'),
    )
    expect(downloads).toHaveLength(3)
    expect(result.uploadedAssets.map((a) => a.digest).sort()).toEqual(
      ws.assets.map((a) => `sha256:${a.sha256}`).sort(),
    )
  })
})

describe('publishRelease: refusals write nothing', () => {
  it('refuses an invalid tag name before any request', async () => {
    await setUp()
    const attempt = publishRelease(
      fakeStore(fake),
      releaseRequest(ws, { tag: 'v1..0' }),
      new RecordingReporter(),
    )
    await expect(attempt).rejects.toThrow(InputError)
    await expect(attempt).rejects.toThrow(/Input 'tag'.*"\.\."/)
    expect(fake.requests).toEqual([])
  })

  it('refuses an existing tag, naming its commit', async () => {
    await setUp()
    fake.setRef('refs/tags/v1.0.0', head)
    const attempt = publishRelease(fakeStore(fake), releaseRequest(ws), new RecordingReporter())
    await expect(attempt).rejects.toThrow(
      new RegExp(`tag "v1.0.0" already exists \\(commit ${head}\\).*never moves or replaces`),
    )
    expect(writes()).toEqual([])
    expect(fake.state.releases.size).toBe(0)
  })

  it("refuses a tag claimed by another run's annotated tag", async () => {
    await setUp()
    const other = await publishRelease(
      fakeStore(fake),
      releaseRequest(ws, { run: { id: '1', attempt: 1 } }),
      new RecordingReporter(),
    )
    const before = fake.requests.length
    const attempt = publishRelease(
      fakeStore(fake),
      releaseRequest(ws, { run: { id: '1', attempt: 2 } }),
      new RecordingReporter(),
    )
    // Even the same run may not touch its own published release.
    await expect(attempt).rejects.toThrow(/published release already uses tag "v1\.0\.0"/)
    expect(fake.requests.slice(before).every((r) => r.method === 'GET')).toBe(true)
    expect(fake.state.releases.get(other.id)?.release.draft).toBe(false)
  })

  it('refuses a tag an existing draft uses, naming the draft', async () => {
    await setUp()
    const client = createFakeClient(fake)
    const { data: draft } = await client.rest.repos.createRelease({
      owner: fake.owner,
      repo: fake.repo,
      tag_name: 'v1.0.0',
      draft: true,
    })
    const before = fake.requests.length
    const attempt = publishRelease(fakeStore(fake), releaseRequest(ws), new RecordingReporter())
    await expect(attempt).rejects.toThrow(InputError)
    await expect(attempt).rejects.toThrow(draft.html_url)
    expect(fake.requests.slice(before).every((r) => r.method === 'GET')).toBe(true)
    expect(fake.state.refs.has('refs/tags/v1.0.0')).toBe(false)
  })

  it('still sees a draft when the releases list arrives cut off once', async () => {
    await setUp()
    const client = createFakeClient(fake)
    await client.rest.repos.createRelease({
      owner: fake.owner,
      repo: fake.repo,
      tag_name: 'v1.0.0',
      draft: true,
    })
    fake.injectFault({
      method: 'GET',
      route: 'GET /repos/{owner}/{repo}/releases',
      fault: 'truncate',
    })
    await expect(
      publishRelease(fakeStore(fake), releaseRequest(ws), new RecordingReporter()),
    ).rejects.toThrow(/draft release already uses tag/)
    expect(fake.requests.filter((r) => r.faulted)).toHaveLength(1)
    expect(writes()).toEqual(['POST /repos/octo-org/widget/releases'])
  })

  it('finds a draft on a later page of releases', async () => {
    await setUp()
    const client = createFakeClient(fake)
    await client.rest.repos.createRelease({
      owner: fake.owner,
      repo: fake.repo,
      tag_name: 'v1.0.0',
      draft: true,
    })
    for (let i = 0; i < 101; i++) {
      fake.state.releases.set(90000 + i, {
        ...structuredClone([...fake.state.releases.values()][0]!),
        release: {
          ...structuredClone([...fake.state.releases.values()][0]!.release),
          id: 90000 + i,
          tag_name: `old-${i}`,
        },
      })
    }
    await expect(
      publishRelease(fakeStore(fake), releaseRequest(ws), new RecordingReporter()),
    ).rejects.toThrow(/draft release already uses tag/)
    expect(
      fake.requests.filter(
        (r) => r.route === '/repos/{owner}/{repo}/releases' && r.method === 'GET',
      ),
    ).toHaveLength(2)
  })

  it('refuses a published release on the tag and checkTagAvailable says the same without writing', async () => {
    await setUp()
    const store = fakeStore(fake)
    await expect(checkTagAvailable(store, 'v1.0.0')).resolves.toEqual({
      existingTag: undefined,
      releases: [],
    })
    const first = await publishRelease(fakeStore(fake), releaseRequest(ws), new RecordingReporter())
    const before = fake.requests.length
    await expect(checkTagAvailable(store, 'v1.0.0')).rejects.toThrow(first.url)
    await expect(
      publishRelease(
        store,
        releaseRequest(ws, { run: { id: '999', attempt: 1 } }),
        new RecordingReporter(),
      ),
    ).rejects.toThrow(/published release already uses tag "v1\.0\.0"/)
    expect(fake.requests.slice(before).every((r) => r.method === 'GET')).toBe(true)
  })

  it('refuses an unknown target-commitish naming the input', async () => {
    await setUp()
    await expect(
      publishRelease(
        fakeStore(fake),
        releaseRequest(ws, { targetCommitish: 'no-such-branch' }),
        new RecordingReporter(),
      ),
    ).rejects.toThrow(/Input 'target-commitish'.*no-such-branch/)
    expect(writes()).toEqual([])
  })
})

describe('publishRelease: concurrency', () => {
  it('lets exactly one of 8 concurrent runs create the release', async () => {
    await setUp({}, 2)
    // Hold every claim back so all eight runs have checked the tag before any of them claims it.
    for (let ordinal = 1; ordinal <= 8; ordinal++) {
      fake.injectFault({
        method: 'POST',
        route: 'POST /repos/{owner}/{repo}/git/tags',
        ordinal,
        fault: { delayMs: 150 },
      })
    }
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        publishRelease(
          fakeStore(fake),
          releaseRequest(ws, { run: { id: `run-${i}`, attempt: 1 } }),
          new RecordingReporter(),
        ),
      ),
    )
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(7)
    for (const failure of lost) {
      expect(failure.reason).toBeInstanceOf(ReleaseConflictError)
      expect(String(failure.reason.message)).toMatch(
        /created by another run.*never moves or replaces a tag/,
      )
    }
    expect(fake.state.releases.size).toBe(1)
    const release = [...fake.state.releases.values()][0]
    expect(release?.release.draft).toBe(false)
    expect(fake.state.assets.size).toBe(2)
    expect([...fake.state.refs.keys()].filter((r) => r.startsWith('refs/tags/'))).toEqual([
      'refs/tags/v1.0.0',
    ])
  })
})

describe('publishRelease: failures after the claim leave nothing behind', () => {
  beforeEach(() => undefined)

  it('upload keeps failing', async () => {
    await setUp({}, 1)
    for (let ordinal = 1; ordinal <= 3; ordinal++) {
      fake.injectFault({ method: 'POST', route: UPLOAD, ordinal, fault: { status: 500 } })
    }
    const attempt = publishRelease(fakeStore(fake), releaseRequest(ws), new RecordingReporter())
    await expect(attempt).rejects.toThrow(ReleaseFailedError)
    await expect(attempt).rejects.toThrow(
      /failed at the upload step.*after 3 attempt.*Nothing was left behind/,
    )
    expect(leftovers(fake, 'v1.0.0')).toEqual({ releases: 0, assets: 0, tag: false })
  })

  it('the stored bytes are corrupted (GitHub digest differs), retried then given up', async () => {
    await setUp({}, 2)
    fake.corruptUploadsOf(ws.assets[1]!.name)
    const error = await publishRelease(
      fakeStore(fake),
      releaseRequest(ws),
      new RecordingReporter(),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReleaseFailedError)
    expect((error as ReleaseFailedError).message).toContain(
      `expected sha256:${ws.assets[1]!.sha256}`,
    )
    expect((error as ReleaseFailedError).leftBehind).toEqual([])
    expect(leftovers(fake, 'v1.0.0')).toEqual({ releases: 0, assets: 0, tag: false })
  })

  it('the digest check finds corrupted bytes by hashing the download (no digests)', async () => {
    await setUp({ assetDigests: 'null' }, 2)
    fake.corruptUploadsOf(ws.assets[0]!.name)
    const error = await publishRelease(
      fakeStore(fake),
      releaseRequest(ws),
      new RecordingReporter(),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReleaseFailedError)
    expect((error as ReleaseFailedError).step).toBe('check')
    expect((error as ReleaseFailedError).message).toMatch(
      /as downloaded has sha256 [0-9a-f]{64}.*Nothing was left behind/,
    )
    expect(leftovers(fake, 'v1.0.0')).toEqual({ releases: 0, assets: 0, tag: false })
  })

  it('publish keeps failing', async () => {
    await setUp({}, 2)
    for (let ordinal = 1; ordinal <= 4; ordinal++) {
      fake.injectFault({
        method: 'PATCH',
        route: 'PATCH /repos/{owner}/{repo}/releases/{release_id}',
        ordinal,
        fault: { status: 502 },
      })
    }
    const error = await publishRelease(
      fakeStore(fake),
      releaseRequest(ws),
      new RecordingReporter(),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReleaseFailedError)
    expect((error as ReleaseFailedError).step).toBe('publish')
    expect(leftovers(fake, 'v1.0.0')).toEqual({ releases: 0, assets: 0, tag: false })
    // The tag object is dangling (invisible as a tag); no ref points at it.
    expect([...fake.state.refs.keys()]).toEqual(['refs/heads/main'])
  })

  for (const { after, failingStep, faults } of FAILURE_AFTER_STEP) {
    it(`a failure right after the ${after} step`, async () => {
      await setUp({ repository: { immutableReleases: false } }, 2)
      const attempt = publishRelease(
        withFaults(fakeStore(fake), faults),
        releaseRequest(ws),
        new RecordingReporter(),
      )
      if (after === 'publish') {
        // Once published, a release is never deleted: the error says it was left as it is.
        const error = (await attempt.catch((e: unknown) => e)) as ReleaseFailedError
        expect(error.leftBehind.join()).toMatch(/was published and is left as it is/)
        expect(leftovers(fake, 'v1.0.0')).toMatchObject({ releases: 1, tag: true })
        return
      }
      await expect(attempt).rejects.toThrow(
        new RegExp(`failed at the ${failingStep} step: .*injected.*Nothing was left behind`),
      )
      expect(leftovers(fake, 'v1.0.0')).toEqual({ releases: 0, assets: 0, tag: false })
    })
  }
})

describe('publishRelease: transient faults are retried', () => {
  it('502s, a secondary rate limit, a 429, lost responses and resets all end in one good release', async () => {
    await setUp({ repository: { immutableReleases: true } }, 3)
    const reporter = new RecordingReporter()
    fake.injectFault({
      method: 'GET',
      route: 'GET /repos/{owner}/{repo}/commits/{ref}',
      fault: { status: 502 },
    })
    fake.injectFault({
      method: 'POST',
      route: 'POST /repos/{owner}/{repo}/git/refs',
      fault: { status: 502, afterEffect: true },
    })
    fake.injectFault({
      method: 'POST',
      route: 'POST /repos/{owner}/{repo}/releases',
      fault: { status: 403 },
    })
    fake.injectFault({ method: 'POST', route: UPLOAD, ordinal: 1, fault: { status: 429 } })
    fake.injectFault({
      method: 'POST',
      route: UPLOAD,
      ordinal: 2,
      fault: { reset: true, afterEffect: true },
    })
    fake.injectFault({
      method: 'GET',
      route: 'GET /repos/{owner}/{repo}/releases/{release_id}/assets',
      fault: 'truncate',
    })
    fake.injectFault({
      method: 'PATCH',
      route: 'PATCH /repos/{owner}/{repo}/releases/{release_id}',
      fault: { status: 503, afterEffect: true },
    })
    const result = await publishRelease(fakeStore(fake, { reporter }), releaseRequest(ws), reporter)
    expect(result.immutable).toBe(true)
    expect(fake.requests.filter((r) => r.faulted)).toHaveLength(7)
    expect(reporter.warnings.some((w) => w.includes('secondary rate limit'))).toBe(true)
    expect(fake.state.releases.size).toBe(1)
    const assets = fake.assetsOf(result.id)
    expect(assets).toHaveLength(3)
    for (const expected of ws.assets) {
      expect(assets.find((a) => a.name === expected.name)?.digest).toBe(`sha256:${expected.sha256}`)
    }
  })
})

describe('publishRelease: a re-run of the same workflow run resumes', () => {
  it('finishes its own draft left by a crashed earlier attempt, re-uploading nothing that is good', async () => {
    await setUp({}, 3)
    // Attempt 1 "crashes" (never continues) after uploading: its draft, assets and tag remain.
    void publishRelease(
      withFaults(fakeStore(fake), CRASH_AFTER_STEP.upload),
      releaseRequest(ws),
      new RecordingReporter(),
    )
    await expect.poll(() => fake.state.assets.size).toBe(3)
    await expect
      .poll(
        () =>
          fake.requests.filter(
            (r) =>
              r.route?.endsWith('/releases/{release_id}/assets') &&
              r.method === 'POST' &&
              r.status === 201,
          ).length,
      )
      .toBe(3)
    // A different run may not take it over.
    await expect(
      publishRelease(
        fakeStore(fake),
        releaseRequest(ws, { run: { id: '8000', attempt: 2 } }),
        new RecordingReporter(),
      ),
    ).rejects.toThrow(/draft release already uses tag/)

    const before = fake.requests.length
    const reporter = new RecordingReporter()
    const result = await publishRelease(
      fakeStore(fake),
      releaseRequest(ws, { run: { id: '7001', attempt: 2 } }),
      reporter,
    )
    const after = fake.requests.slice(before)
    expect(after.filter((r) => r.method === 'POST')).toEqual([])
    expect(
      reporter.messages.some((m) => m.message.includes('Resuming the release of v1.0.0')),
    ).toBe(true)
    expect(fake.state.releases.size).toBe(1)
    expect(fake.state.releases.get(result.id)?.release.draft).toBe(false)
    expect(
      fake
        .assetsOf(result.id)
        .map((a) => a.digest)
        .sort(),
    ).toEqual(ws.assets.map((a) => `sha256:${a.sha256}`).sort())
  })

  it('creates the draft for its own claimed tag when the earlier attempt crashed after claiming', async () => {
    await setUp({}, 1)
    void publishRelease(
      withFaults(fakeStore(fake), CRASH_AFTER_STEP.claim),
      releaseRequest(ws),
      new RecordingReporter(),
    )
    await expect.poll(() => fake.state.refs.has('refs/tags/v1.0.0')).toBe(true)
    const claimed = fake.state.refs.get('refs/tags/v1.0.0')
    // The same attempt number is not a re-run: it is refused.
    await expect(
      publishRelease(fakeStore(fake), releaseRequest(ws), new RecordingReporter()),
    ).rejects.toThrow(/tag "v1.0.0" already exists/)
    const result = await publishRelease(
      fakeStore(fake),
      releaseRequest(ws, { run: { id: '7001', attempt: 3 } }),
      new RecordingReporter(),
    )
    expect(fake.state.refs.get('refs/tags/v1.0.0')).toBe(claimed)
    expect(fake.state.releases.get(result.id)?.release.body).toContain('run_id=7001, run_attempt=3')
  })
})

describe('publishRelease: servers without annotated tags', () => {
  it('claims with a lightweight tag at the commit and still publishes', async () => {
    await setUp({ annotatedTags: false }, 2)
    const reporter = new RecordingReporter()
    const result = await publishRelease(fakeStore(fake), releaseRequest(ws), reporter)
    expect(fake.state.refs.get('refs/tags/v1.0.0')).toBe(head)
    expect(fake.state.releases.get(result.id)?.release.draft).toBe(false)
    expect(reporter.messages.map((m) => m.message).join('\n')).toMatch(/lightweight tag/)
  })

  it('lets exactly one of 4 concurrent runs win, and the losers leave nothing', async () => {
    await setUp({ annotatedTags: false }, 1)
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        publishRelease(
          fakeStore(fake),
          releaseRequest(ws, { run: { id: `run-${i}`, attempt: 1 } }),
          new RecordingReporter(),
        ),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ReleaseConflictError)
    }
    expect(fake.state.releases.size).toBe(1)
    expect(fake.state.assets.size).toBe(1)
  })

  it('resumes its own draft on a lightweight tag, and refuses a lightweight tag without one', async () => {
    await setUp({ annotatedTags: false }, 1)
    void publishRelease(
      withFaults(fakeStore(fake), CRASH_AFTER_STEP.draft),
      releaseRequest(ws),
      new RecordingReporter(),
    )
    await expect.poll(() => fake.state.releases.size).toBe(1)
    const result = await publishRelease(
      fakeStore(fake),
      releaseRequest(ws, { run: { id: '7001', attempt: 2 } }),
      new RecordingReporter(),
    )
    expect(fake.state.refs.get('refs/tags/v1.0.0')).toBe(head)
    expect(fake.state.releases.get(result.id)?.release.draft).toBe(false)

    // A bare lightweight tag is nobody's claim this run can prove: refused, untouched.
    fake.setRef('refs/tags/v2.0.0', head)
    await expect(
      publishRelease(
        fakeStore(fake),
        releaseRequest(ws, { tag: 'v2.0.0', run: { id: '7001', attempt: 3 } }),
        new RecordingReporter(),
      ),
    ).rejects.toThrow(/tag "v2.0.0" already exists/)
    expect(fake.state.refs.get('refs/tags/v2.0.0')).toBe(head)
  })

  it.each([true, false])(
    'names target-commitish when GitHub refuses a tag for a commit it does not have (annotated tags: %s)',
    async (annotatedTags) => {
      await setUp({ annotatedTags }, 1)
      const missing = 'f'.repeat(40)
      await expect(
        publishRelease(
          fakeStore(fake),
          releaseRequest(ws, { targetCommitish: missing }),
          new RecordingReporter(),
        ),
      ).rejects.toThrow(/target-commitish/)
      expect([...fake.state.refs.keys()].filter((r) => r.startsWith('refs/tags/'))).toEqual([])
      expect(fake.state.releases.size).toBe(0)
    },
  )
})
