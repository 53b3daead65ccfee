// The GitHub side of issue 16 over real HTTP against the loopback fake: pushed tags read and
// peeled as GitHub answers them (GET git/ref, GET git/tags/{sha}, nested tag objects), and the
// release claim ref that GitHub creates at most once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ReleaseStore } from '../../src/release/index.ts'
import { startGitHubFake, type GitHubFake } from '../support/github-fake/index.ts'
import { pushTag } from '../support/github-fake/git.ts'
import { fakeStore, seedHistory } from '../release/fixtures.ts'

const TAGGER = {
  name: 'Erika Mustermann',
  email: 'erika@example.org',
  date: '2026-01-02T03:04:05Z',
}

let fake: GitHubFake
let store: ReleaseStore
let head: string
beforeEach(async () => {
  fake = await startGitHubFake({ validateResponses: true })
  head = seedHistory(fake)
  store = fakeStore(fake)
})
afterEach(() => fake.close())

describe('reading a pushed tag', () => {
  it('reads a lightweight tag as the commit itself', async () => {
    pushTag(fake.state, { name: 'v1', commitSha: head })
    const { existingTag } = await store.readTag('v1', { releaseClaim: true })
    expect(existingTag).toEqual({ objectType: 'commit', objectSha: head })
  })

  it('reads an annotated tag object with its date, and peels a tag of a tag to the commit', async () => {
    const inner = pushTag(fake.state, {
      name: 'v1-inner',
      commitSha: head,
      annotated: { message: 'inner\n', tagger: { ...TAGGER, date: '2025-12-31T00:00:00Z' } },
    })
    const outer = pushTag(fake.state, {
      name: 'v1',
      commitSha: head,
      annotated: { message: 'Widget 1\n', tagger: TAGGER, targetTagSha: inner },
    })
    const { existingTag } = await store.readTag('v1')
    expect(existingTag).toEqual({
      objectType: 'tag',
      objectSha: outer,
      tagObject: { message: 'Widget 1\n', targetSha: head, taggerDate: TAGGER.date },
    })
    // Two tag objects were read, as GitHub serves them (the responses match its description).
    const tagReads = fake.requests.filter(
      (r) => r.route === '/repos/{owner}/{repo}/git/tags/{tag_sha}',
    )
    expect(tagReads.map((r) => r.status)).toEqual([200, 200])
    expect(fake.violations).toEqual([])
  })

  it('reads the release claim only when asked', async () => {
    pushTag(fake.state, { name: 'v1', commitSha: head })
    await store.claimRelease('v1', head, 'Release v1\n\nimmutable-release run 5 attempt 1\n')
    expect((await store.readTag('v1')).releaseClaim).toBeUndefined()
    const { releaseClaim } = await store.readTag('v1', { releaseClaim: true })
    expect(releaseClaim?.tagObject?.message).toMatch(/immutable-release run 5 attempt 1/)
  })
})

describe('the release claim ref', () => {
  it('is created once at a tag object of its own; a second claim is taken; it can be removed', async () => {
    const tagSha = pushTag(fake.state, { name: 'v1', commitSha: head })
    const first = await store.claimRelease(
      'v1',
      head,
      'Release v1\n\nimmutable-release run 5 attempt 1\n',
    )
    expect(first).toMatchObject({ outcome: 'claimed' })
    const claimSha = (first as { objectSha: string }).objectSha
    expect(fake.state.refs.get('refs/immutable-release/claims/v1')).toBe(claimSha)
    expect(fake.state.tagObjects.get(claimSha)?.object.sha).toBe(head)
    expect(await store.releaseClaimTarget('v1')).toBe(claimSha)

    const second = await store.claimRelease(
      'v1',
      head,
      'Release v1\n\nimmutable-release run 6 attempt 1\n',
    )
    expect(second).toEqual({
      outcome: 'taken',
      detail: expect.stringMatching(/Reference already exists/),
    })

    await store.removeReleaseClaim('v1')
    expect(await store.releaseClaimTarget('v1')).toBeUndefined()
    // The tag was read and never written.
    expect(fake.state.refs.get('refs/tags/v1')).toBe(tagSha)
    expect(fake.violations).toEqual([])
  })

  it('falls back to a lightweight claim where the server has no git tags API', async () => {
    const bare = await startGitHubFake({ annotatedTags: false })
    try {
      const sha = seedHistory(bare)
      const claim = await fakeStore(bare).claimRelease('v1', sha, 'm')
      expect(claim).toEqual({
        outcome: 'claimed',
        objectSha: sha,
        lightweight: { reason: 'HTTP 404' },
      })
      expect(bare.state.refs.get('refs/immutable-release/claims/v1')).toBe(sha)
    } finally {
      await bare.close()
    }
  })
})
