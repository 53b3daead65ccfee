// The release flow against the in-memory store: every branch of claim → draft → upload →
// check → publish and its rollback, with faults injected call by call (no HTTP).
import { afterEach, describe, expect, it } from 'vitest'
import {
  ReleaseConflictError,
  ReleaseFailedError,
  checkTagAvailable,
  publishRelease,
  resolveCommit,
} from '../../src/release/index.ts'
import { InputError } from '../../src/util/errors.ts'
import {
  MemoryReleaseStore,
  withFaults,
  type Fault,
  type MemoryStoreOptions,
} from '../support/memory-release-store.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import {
  CRASH_AFTER_STEP,
  FAILURE_AFTER_STEP,
  makeAssets,
  releaseRequest,
  type Workspace,
} from './fixtures.ts'

const HEAD = 'c0ffee'.padEnd(40, '0')
const TAG = 'v1.0.0'

let ws: Workspace | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

async function setUp(
  assetCount = 2,
  options: MemoryStoreOptions = {},
): Promise<{ store: MemoryReleaseStore; ws: Workspace }> {
  ws = await makeAssets(assetCount)
  const store = new MemoryReleaseStore({ commits: [HEAD], branches: { main: HEAD }, ...options })
  return { store, ws }
}

function leftovers(store: MemoryReleaseStore): { releases: number; assets: number; tag: boolean } {
  return { releases: store.releases.size, assets: store.assets.size, tag: store.refs.has(TAG) }
}

const failed = (error: Error, repeatable = false) => ({ outcome: 'failed', error, repeatable })

describe('publishRelease over a ReleaseStore', () => {
  it('claims an annotated tag, drafts, uploads, checks and publishes', async () => {
    const { store, ws } = await setUp(3, { immutableReleases: true })
    const reporter = new RecordingReporter()
    const result = await publishRelease(store, releaseRequest(ws), reporter)
    expect(result).toMatchObject({ tag: TAG, commitSha: HEAD, immutable: true })
    expect(reporter.warnings).toEqual([])
    const objectSha = store.refs.get(TAG) as string
    expect(store.tagObjects.get(objectSha)).toEqual({
      message: 'Release v1.0.0\n\nimmutable-release run 7001 attempt 1\n',
      targetSha: HEAD,
    })
    expect(store.releases.get(result.id)).toMatchObject({ draft: false, makeLatest: 'true' })
    expect(result.uploadedAssets.map((a) => a.digest).sort()).toEqual(
      ws.assets.map((a) => `sha256:${a.sha256}`).sort(),
    )
    expect(store.writes()).toEqual([
      'claimTag',
      'createDraft',
      'upload',
      'upload',
      'upload',
      'publish',
    ])
  })

  it('warns when the release is not immutable, and hashes assets that carry no digest', async () => {
    const { store, ws } = await setUp(2, { immutableReleases: false, assetDigests: false })
    const reporter = new RecordingReporter()
    const result = await publishRelease(store, releaseRequest(ws), reporter)
    expect(result.immutable).toBe(false)
    expect(reporter.warnings).toHaveLength(1)
    expect(reporter.warnings[0]).toContain('Enable release immutability')
    expect(store.calls.filter((c) => c === 'hashAsset')).toHaveLength(2)
  })

  it('claims with a lightweight tag where the server has no annotated tags', async () => {
    const { store, ws } = await setUp(1, { annotatedTags: false })
    const reporter = new RecordingReporter()
    await publishRelease(store, releaseRequest(ws), reporter)
    expect(store.refs.get(TAG)).toBe(HEAD)
    expect(reporter.messages.map((m) => m.message)).toContain(
      'This server cannot create annotated tags (HTTP 404); claiming v1.0.0 with a lightweight tag.',
    )
  })
})

describe('publishRelease: refusals write nothing', () => {
  it('an invalid tag name, before any call', async () => {
    const { store, ws } = await setUp()
    await expect(
      publishRelease(store, releaseRequest(ws, { tag: 'v1..0' }), new RecordingReporter()),
    ).rejects.toThrow(/Input 'tag'.*"\.\."/)
    expect(store.calls).toEqual([])
  })

  it('an existing tag, a foreign draft and a published release', async () => {
    const { store, ws } = await setUp()
    store.refs.set(TAG, HEAD)
    await expect(
      publishRelease(store, releaseRequest(ws), new RecordingReporter()),
    ).rejects.toThrow(`tag "v1.0.0" already exists (commit ${HEAD})`)
    store.refs.delete(TAG)
    await store.createDraft({ tag: TAG, commitSha: HEAD, name: TAG, body: '', prerelease: false })
    await expect(checkTagAvailable(store, TAG)).rejects.toThrow(/a draft release already uses tag/)
    const [draft] = store.releases.values()
    if (draft) draft.draft = false
    await expect(
      publishRelease(store, releaseRequest(ws), new RecordingReporter()),
    ).rejects.toThrow(/a published release already uses tag "v1\.0\.0"/)
    expect(store.writes()).toEqual(['createDraft'])
  })

  it('an unknown target-commitish, naming the input', async () => {
    const { store, ws } = await setUp()
    await expect(resolveCommit(store, 'no-such-branch')).rejects.toThrow(InputError)
    await expect(
      publishRelease(
        store,
        releaseRequest(ws, { targetCommitish: 'no-such-branch' }),
        new RecordingReporter(),
      ),
    ).rejects.toThrow(/Input 'target-commitish'.*no-such-branch.*octo-org\/widget/)
    expect(store.writes()).toEqual([])
  })

  it('a claim the host refuses names target-commitish', async () => {
    const { store, ws } = await setUp()
    const missing = 'f'.repeat(40)
    await expect(
      publishRelease(
        store,
        releaseRequest(ws, { targetCommitish: missing }),
        new RecordingReporter(),
      ),
    ).rejects.toThrow(
      /Input 'target-commitish': GitHub refused a tag at f{40}.*Check that the commit exists/,
    )
    expect(leftovers(store)).toEqual({ releases: 0, assets: 0, tag: false })
  })

  it('a tag another run claimed after our check is a conflict, and nothing is removed', async () => {
    const { store, ws } = await setUp()
    const observed = await checkTagAvailable(store, TAG)
    store.refs.set(TAG, 'other'.padEnd(40, '0'))
    const attempt = publishRelease(store, releaseRequest(ws, { observed }), new RecordingReporter())
    await expect(attempt).rejects.toThrow(ReleaseConflictError)
    await expect(attempt).rejects.toThrow(/created by another run.*never moves or replaces a tag/)
    expect(store.refs.get(TAG)).toBe('other'.padEnd(40, '0'))
    expect(store.writes().filter((w) => w !== 'claimTag')).toEqual([])
  })
})

describe('publishRelease: a failure after the claim removes what the run created', () => {
  for (const { after, failingStep, faults } of FAILURE_AFTER_STEP) {
    it(`a failure right after the ${after} step`, async () => {
      const { store, ws } = await setUp()
      const error = (await publishRelease(
        withFaults(store, faults),
        releaseRequest(ws),
        new RecordingReporter(),
      ).catch((e: unknown) => e)) as ReleaseFailedError
      expect(error).toBeInstanceOf(ReleaseFailedError)
      expect(error.step).toBe(failingStep)
      if (after === 'publish') {
        expect(error.leftBehind).toEqual([
          `release https://github.example/octo-org/widget/releases/tag/${TAG} was published and is left as it is`,
          `tag ${TAG}`,
        ])
        expect(leftovers(store)).toEqual({ releases: 1, assets: 2, tag: true })
        return
      }
      expect(error.message).toMatch(
        new RegExp(`failed at the ${failingStep} step: .*injected.*Nothing was left behind`),
      )
      expect(leftovers(store)).toEqual({ releases: 0, assets: 0, tag: false })
    })
  }

  it('an upload that keeps failing is given up after its attempts', async () => {
    const { store, ws } = await setUp(1)
    const faults: Fault[] = [
      {
        method: 'upload',
        times: 'always',
        answer: { outcome: 'failed', retryable: true, error: new Error('Server Error') },
      },
    ]
    const error = (await publishRelease(
      withFaults(store, faults),
      releaseRequest(ws),
      new RecordingReporter(),
    ).catch((e: unknown) => e)) as ReleaseFailedError
    expect(error.message).toMatch(
      /failed at the upload step.*after 3 attempt\(s\): Server Error.*Nothing was left behind/,
    )
    expect(leftovers(store)).toEqual({ releases: 0, assets: 0, tag: false })
  })

  it('an upload refused for good is not retried', async () => {
    const { store, ws } = await setUp(1)
    const faults: Fault[] = [
      {
        method: 'upload',
        answer: { outcome: 'failed', retryable: false, error: new Error('Bad') },
      },
    ]
    const faulty = withFaults(store, faults)
    await expect(
      publishRelease(faulty, releaseRequest(ws), new RecordingReporter()),
    ).rejects.toThrow(/after 1 attempt\(s\): Bad/)
    expect(faulty.fired).toEqual(['upload#1'])
  })

  it('bytes stored wrong are retried, then the release is given up', async () => {
    const { store, ws } = await setUp(2)
    store.corruptUploads.add(ws.assets[1]!.name)
    const error = (await publishRelease(store, releaseRequest(ws), new RecordingReporter()).catch(
      (e: unknown) => e,
    )) as ReleaseFailedError
    expect(error.message).toContain(`expected sha256:${ws.assets[1]!.sha256}`)
    expect(error.leftBehind).toEqual([])
    expect(store.calls.filter((c) => c === 'upload')).toHaveLength(4)
    expect(leftovers(store)).toEqual({ releases: 0, assets: 0, tag: false })
  })

  it('wrong bytes without a digest are found by hashing the stored asset', async () => {
    const { store, ws } = await setUp(2, { assetDigests: false })
    store.corruptUploads.add(ws.assets[0]!.name)
    const error = (await publishRelease(store, releaseRequest(ws), new RecordingReporter()).catch(
      (e: unknown) => e,
    )) as ReleaseFailedError
    expect(error.step).toBe('check')
    expect(error.message).toMatch(/as downloaded has sha256 [0-9a-f]{64}.*Nothing was left behind/)
  })

  it('says what it could not remove', async () => {
    const { store, ws } = await setUp(1)
    const faults: Fault[] = [{ method: 'publish' }, { method: 'removeTag', times: 'always' }]
    const error = (await publishRelease(
      withFaults(store, faults),
      releaseRequest(ws),
      new RecordingReporter(),
    ).catch((e: unknown) => e)) as ReleaseFailedError
    expect(error.leftBehind).toEqual([`tag ${TAG} (injected fault in removeTag (call 1))`])
    expect(error.message).toMatch(/Could not clean up: tag v1\.0\.0 \(injected/)
    expect(leftovers(store)).toEqual({ releases: 0, assets: 0, tag: true })
  })
})

describe('publishRelease: lost answers to writes that took effect', () => {
  it('adopts the draft a create with a lost answer made', async () => {
    const { store, ws } = await setUp(1)
    const faults: Fault[] = [
      {
        method: 'createDraft',
        kind: 'lose-answer',
        answer: {
          outcome: 'failed',
          error: new Error('cut off'),
          mayExist: true,
          repeatable: true,
        },
      },
    ]
    const result = await publishRelease(
      withFaults(store, faults),
      releaseRequest(ws),
      new RecordingReporter(),
    )
    expect(store.releases.size).toBe(1)
    expect(store.releases.get(result.id)?.draft).toBe(false)
  })

  it('creates the draft again after a cut-off answer to a create that did not happen', async () => {
    const { store, ws } = await setUp(1)
    const faults: Fault[] = [
      {
        method: 'createDraft',
        answer: {
          outcome: 'failed',
          error: new Error('cut off'),
          mayExist: true,
          repeatable: true,
        },
      },
    ]
    const faulty = withFaults(store, faults)
    await publishRelease(faulty, releaseRequest(ws), new RecordingReporter())
    // The first create never reached the store; the second did.
    expect(faulty.fired).toEqual(['createDraft#1'])
    expect(store.calls.filter((c) => c === 'createDraft')).toHaveLength(1)
    expect(store.releases.size).toBe(1)
  })

  it('replaces a partial upload, and keeps a good one an unconfirmed upload stored', async () => {
    const { store, ws } = await setUp(2)
    const faults: Fault[] = [
      {
        method: 'upload',
        kind: 'lose-answer',
        answer: { outcome: 'failed', retryable: true, error: new Error('reset') },
      },
      {
        method: 'upload',
        from: 2,
        kind: 'lose-answer',
        answer: { outcome: 'duplicate', error: new Error('already_exists') },
      },
    ]
    const reporter = new RecordingReporter()
    const result = await publishRelease(
      withFaults(store, faults),
      releaseRequest(ws, { uploadConcurrency: 1 }),
      reporter,
    )
    expect(result.uploadedAssets).toHaveLength(2)
    expect(store.calls.filter((c) => c === 'deleteAsset')).toHaveLength(1)
    expect(reporter.messages.map((m) => m.message)).toContain(
      `Upload of ${ws.assets[0]!.name} failed (reset); retrying (attempt 2)`,
    )
  })

  it('counts a publish whose answer was lost but which took effect', async () => {
    const { store, ws } = await setUp(1)
    const faults: Fault[] = [
      { method: 'publish', kind: 'lose-answer', answer: failed(new Error('cut off'), true) },
    ]
    const result = await publishRelease(
      withFaults(store, faults),
      releaseRequest(ws),
      new RecordingReporter(),
    )
    expect(store.releases.get(result.id)?.draft).toBe(false)
    expect(store.calls.filter((c) => c === 'publish')).toHaveLength(1)
  })

  it('publishes again after a cut-off answer to a publish that did not happen', async () => {
    const { store, ws } = await setUp(1)
    const faults: Fault[] = [{ method: 'publish', answer: failed(new Error('cut off'), true) }]
    const faulty = withFaults(store, faults)
    const result = await publishRelease(faulty, releaseRequest(ws), new RecordingReporter())
    expect(faulty.fired).toEqual(['publish#1'])
    expect(store.calls.filter((c) => c === 'publish')).toHaveLength(1)
    expect(store.releases.get(result.id)?.draft).toBe(false)
  })
})

describe('publishRelease: a re-run of the same workflow run resumes', () => {
  for (const step of ['claim', 'draft', 'upload'] as const) {
    it(`after a crash right after the ${step} step`, async () => {
      const { store, ws } = await setUp(2)
      void publishRelease(
        withFaults(store, CRASH_AFTER_STEP[step]),
        releaseRequest(ws),
        new RecordingReporter(),
      )
      await expect.poll(() => store.refs.has(TAG)).toBe(true)
      if (step !== 'claim') await expect.poll(() => store.releases.size).toBe(1)
      if (step === 'upload') await expect.poll(() => store.assets.size).toBe(2)
      const claimed = store.refs.get(TAG)
      // The same attempt again, or another run, may not take it over.
      await expect(
        publishRelease(store, releaseRequest(ws), new RecordingReporter()),
      ).rejects.toThrow(InputError)
      await expect(
        publishRelease(
          store,
          releaseRequest(ws, { run: { id: '8000', attempt: 2 } }),
          new RecordingReporter(),
        ),
      ).rejects.toThrow(InputError)

      const before = store.writes().length
      const reporter = new RecordingReporter()
      const result = await publishRelease(
        store,
        releaseRequest(ws, { run: { id: '7001', attempt: 2 } }),
        reporter,
      )
      expect(reporter.messages[0]?.message).toMatch(
        /^Resuming the release of v1\.0\.0 left by an earlier attempt of run 7001/,
      )
      expect(store.refs.get(TAG)).toBe(claimed)
      expect(store.releases.size).toBe(1)
      expect(store.releases.get(result.id)?.draft).toBe(false)
      const resumedWrites = store.writes().slice(before)
      if (step === 'upload') expect(resumedWrites).toEqual(['publish'])
      if (step === 'claim')
        expect(resumedWrites).toEqual(['createDraft', 'upload', 'upload', 'publish'])
    })
  }

  it('a lightweight claim without its draft is nobody this run can prove: refused', async () => {
    const { store, ws } = await setUp(1, { annotatedTags: false })
    void publishRelease(
      withFaults(store, CRASH_AFTER_STEP.claim),
      releaseRequest(ws),
      new RecordingReporter(),
    )
    await expect.poll(() => store.refs.has(TAG)).toBe(true)
    await expect(
      publishRelease(
        store,
        releaseRequest(ws, { run: { id: '7001', attempt: 2 } }),
        new RecordingReporter(),
      ),
    ).rejects.toThrow(/tag "v1.0.0" already exists/)
  })
})
