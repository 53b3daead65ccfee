// A draft create whose answer was lost, against the in-memory store (which, like GitHub,
// lets any number of drafts share a tag): the flow must find the draft it made by its run
// marker before creating another, and leave no second draft of its own behind, whether it
// publishes or rolls back.
import { afterEach, describe, expect, it } from 'vitest'
import { ReleaseFailedError, publishRelease } from '../../src/release/index.ts'
import { releaseBodyMarker } from '../../src/release/decisions.ts'
import { MemoryReleaseStore, withFaults, type Fault } from '../support/memory-release-store.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import { makeAssets, releaseRequest, type Workspace } from './fixtures.ts'

const HEAD = 'c0ffee'.padEnd(40, '0')
const TAG = 'v1.0.0'

let ws: Workspace | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

async function setUp(): Promise<{ store: MemoryReleaseStore; ws: Workspace }> {
  ws = await makeAssets(2)
  return { store: new MemoryReleaseStore({ commits: [HEAD], branches: { main: HEAD } }), ws }
}

/** The create took effect, then its answer was lost (a 503 after the server acted, a reset). */
const lostCreate: Fault = {
  method: 'createDraft',
  kind: 'lose-answer',
  answer: { outcome: 'failed', error: new Error('HTTP 503'), mayExist: true, repeatable: true },
}

function releasesOf(store: MemoryReleaseStore): { draft: boolean; marker: boolean }[] {
  return [...store.releases.values()]
    .filter((r) => r.tagName === TAG)
    .map((r) => ({ draft: r.draft, marker: r.body.includes('immutable-release: run_id=') }))
}

describe('a draft create whose answer was lost', () => {
  it('adopts the draft it made instead of creating a second one', async () => {
    const { store, ws } = await setUp()
    const faulty = withFaults(store, [lostCreate])
    const result = await publishRelease(faulty, releaseRequest(ws), new RecordingReporter())
    expect(store.calls.filter((c) => c === 'createDraft')).toHaveLength(1)
    expect(releasesOf(store)).toEqual([{ draft: false, marker: true }])
    expect(store.releases.get(result.id)?.draft).toBe(false)
  })

  it('removes the second draft when the lookup lagged behind the lost create', async () => {
    const { store, ws } = await setUp()
    // The listing right after the lost create does not show the draft yet.
    const faulty = withFaults(store, [lostCreate, { method: 'releasesWithTag', answer: [] }])
    const reporter = new RecordingReporter()
    const result = await publishRelease(faulty, releaseRequest(ws), reporter)
    expect(store.calls.filter((c) => c === 'createDraft')).toHaveLength(2)
    expect(releasesOf(store)).toEqual([{ draft: false, marker: true }])
    expect(store.releases.get(result.id)?.draft).toBe(false)
    expect(reporter.messages.map((m) => m.message)).toContainEqual(
      expect.stringMatching(/^Deleted extra draft release .*untagged-/),
    )
    // The extra went before the publish: the release was never visible beside a second draft.
    const writes = store.writes()
    expect(writes.indexOf('removeDraft')).toBeLessThan(writes.indexOf('publish'))
  })

  it('leaves nothing when the lookup after the lost create fails', async () => {
    const { store, ws } = await setUp()
    const faulty = withFaults(store, [lostCreate, { method: 'releasesWithTag' }])
    const error = (await publishRelease(faulty, releaseRequest(ws), new RecordingReporter()).catch(
      (e: unknown) => e,
    )) as ReleaseFailedError
    expect(error).toBeInstanceOf(ReleaseFailedError)
    expect(error.step).toBe('draft')
    expect(error.leftBehind).toEqual([])
    expect(releasesOf(store)).toEqual([])
    expect(store.refs.has(TAG)).toBe(false)
  })

  it('fails, then cleans up, when an extra draft cannot be removed before publishing', async () => {
    const { store, ws } = await setUp()
    const faulty = withFaults(store, [
      lostCreate,
      { method: 'releasesWithTag', answer: [] },
      { method: 'removeDraft' },
    ])
    const error = (await publishRelease(faulty, releaseRequest(ws), new RecordingReporter()).catch(
      (e: unknown) => e,
    )) as ReleaseFailedError
    expect(error).toBeInstanceOf(ReleaseFailedError)
    expect(error.step).toBe('check')
    expect(error.message).toMatch(/could not remove extra drafts: draft release .*injected fault/)
    // The rollback removed the extra and the run's own draft, then the tag.
    expect(error.leftBehind).toEqual([])
    expect(releasesOf(store)).toEqual([])
    expect(store.refs.has(TAG)).toBe(false)
  })

  it("gives up after a final failure, removing its orphan but not another run's draft", async () => {
    ws = await makeAssets(2)
    const store = new StoreWithLateForeignDraft({ commits: [HEAD], branches: { main: HEAD } })
    const finalFailure = { outcome: 'failed', error: new Error('HTTP 500'), mayExist: true }
    const faulty = withFaults(store, [
      { ...lostCreate, answer: { ...finalFailure, repeatable: false } },
      { method: 'releasesWithTag', answer: [] },
    ])
    const error = (await publishRelease(faulty, releaseRequest(ws), new RecordingReporter()).catch(
      (e: unknown) => e,
    )) as ReleaseFailedError
    expect(error).toBeInstanceOf(ReleaseFailedError)
    expect(error.step).toBe('draft')
    expect(error.leftBehind).toEqual([])
    expect(store.calls.filter((c) => c === 'createDraft')).toHaveLength(1)
    expect([...store.releases.keys()]).toEqual([FOREIGN_ID])
    expect(store.refs.has(TAG)).toBe(false)
  })
})

const FOREIGN_ID = 900

/** A draft of another run appears on the tag once this run has claimed it (by hand, say). */
class StoreWithLateForeignDraft extends MemoryReleaseStore {
  override async claimTag(
    ...args: Parameters<MemoryReleaseStore['claimTag']>
  ): ReturnType<MemoryReleaseStore['claimTag']> {
    const outcome = await super.claimTag(...args)
    this.releases.set(FOREIGN_ID, {
      id: FOREIGN_ID,
      tagName: TAG,
      targetCommitish: HEAD,
      name: TAG,
      body: releaseBodyMarker({ id: '9999', attempt: 1 }),
      draft: true,
      prerelease: false,
      immutable: false,
    })
    return outcome
  }
}
