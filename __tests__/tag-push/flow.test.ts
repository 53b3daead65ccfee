// The release flow adopting a pushed tag, against the in-memory store: the claim that decides,
// the re-check after it, the rollback that keeps the tag, and the resume of a re-run.
import { afterEach, describe, expect, it } from 'vitest'
import {
  ReleaseConflictError,
  ReleaseFailedError,
  publishRelease,
} from '../../src/release/index.ts'
import { MemoryReleaseStore, withFaults } from '../support/memory-release-store.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import { makeAssets, releaseRequest, type Workspace } from '../release/fixtures.ts'

const HEAD = 'c0ffee'.padEnd(40, '0')
const TAG = 'v1.0.0'

let ws: Workspace | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

/** A store whose tag was pushed at HEAD (lightweight), and a request of the pushing run. */
async function pushed(runId = '7001', attempt = 1) {
  ws = await makeAssets(2)
  const store = new MemoryReleaseStore({ commits: [HEAD], branches: { main: HEAD } })
  store.refs.set(TAG, HEAD)
  const request = releaseRequest(ws, {
    targetCommitish: HEAD,
    run: { id: runId, attempt },
    pushed: { runSha: HEAD },
  })
  return { store, request }
}

describe('publishRelease for a pushed tag', () => {
  it('claims the release, never the tag, and removes the claim after publishing', async () => {
    const { store, request } = await pushed()
    const published = await publishRelease(store, request, new RecordingReporter())
    expect(published.tag).toBe(TAG)
    expect(store.refs.get(TAG)).toBe(HEAD)
    expect(store.releaseClaims.size).toBe(0)
    expect(store.writes()).not.toContain('claimTag')
    expect(store.writes()).not.toContain('removeTag')
    expect(store.writes()[0]).toBe('claimRelease')
    expect(store.writes().at(-1)).toBe('removeReleaseClaim')
  })

  it('refuses after winning the claim when another run published meanwhile, and drops its claim', async () => {
    const { store, request } = await pushed()
    // What this run read before signing: no release yet.
    const observed = await store.readTag(TAG)
    const other = await publishRelease(
      store,
      { ...request, run: { id: '9001', attempt: 1 } },
      new RecordingReporter(),
    )
    const error = await publishRelease(
      store,
      { ...request, observed },
      new RecordingReporter(),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReleaseConflictError)
    expect((error as Error).message).toMatch(
      /^Another run released tag "v1\.0\.0" while this one was preparing: a published release already uses tag/,
    )
    expect(store.releaseClaims.size).toBe(0)
    expect([...store.releases.keys()]).toEqual([other.id])
    expect(store.writes().filter((w) => w === 'createDraft')).toHaveLength(1)
  })

  it('loses to a claim that is there first, writing nothing', async () => {
    const { store, request } = await pushed()
    const observed = await store.readTag(TAG)
    await store.claimRelease(TAG, HEAD, 'Release v1.0.0\n\nimmutable-release run 9001 attempt 1\n')
    const before = store.writes().length
    const error = await publishRelease(
      store,
      { ...request, observed },
      new RecordingReporter(),
    ).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/^Another run is releasing the pushed tag "v1\.0\.0"/)
    expect(store.writes().slice(before)).toEqual(['claimRelease'])
    expect(store.releases.size).toBe(0)
  })

  it('rolls back its draft and claim after a failed publish, keeping the pushed tag', async () => {
    const { store, request } = await pushed()
    const faulty = withFaults(store, [{ method: 'publish', times: 'always' }])
    const error = await publishRelease(faulty, request, new RecordingReporter()).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ReleaseFailedError)
    expect((error as Error).message).toMatch(/the pushed tag v1\.0\.0 is as it was\.$/)
    expect(store.refs.get(TAG)).toBe(HEAD)
    expect(store.releases.size).toBe(0)
    expect(store.assets.size).toBe(0)
    expect(store.releaseClaims.size).toBe(0)
    expect(store.calls).not.toContain('removeTag')
  })

  it('a re-run attempt resumes the claim and draft a crashed attempt left', async () => {
    const { store, request } = await pushed('7001', 1)
    const crashing = withFaults(store, [{ method: 'publish', kind: 'hang' }])
    void publishRelease(crashing, request, new RecordingReporter())
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(store.releaseClaims.size).toBe(1)
    const [draft] = [...store.releases.values()]
    const reporter = new RecordingReporter()
    const resumed = await publishRelease(
      store,
      { ...request, run: { id: '7001', attempt: 2 } },
      reporter,
    )
    expect(resumed.id).toBe(draft?.id)
    expect(reporter.messages.map((m) => m.message).join('\n')).toMatch(
      /Resuming the release of the pushed tag v1\.0\.0/,
    )
    expect(store.releaseClaims.size).toBe(0)
    expect(store.refs.get(TAG)).toBe(HEAD)
  })
})
