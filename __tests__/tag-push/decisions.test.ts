// The pure rules of releasing a pushed tag (issue 16): when a run adopts the tag, resumes its
// own claim, or refuses; what stands in the way; what a rollback may remove; what is recorded.
import { describe, expect, it } from 'vitest'
import {
  cleanupSummary,
  decideStart,
  pushedTagOf,
  releaseBodyMarker,
  releaseClaimRef,
  releaseClaimRollback,
  releaseInTheWay,
  tagClaimMessage,
  type ExistingRelease,
  type ExistingTag,
} from '../../src/release/decisions.ts'

const run = { id: '42', attempt: 2 }
const commit = 'a'.repeat(40)
const other = 'b'.repeat(40)
const lightweight: ExistingTag = { objectType: 'commit', objectSha: commit }
const annotated: ExistingTag = {
  objectType: 'tag',
  objectSha: 'c'.repeat(40),
  tagObject: { message: 'Widget 1.0\n', targetSha: commit, taggerDate: '2026-01-02T03:04:05Z' },
}
const claimBy = (id: string, attempt: number): ExistingTag => ({
  objectType: 'tag',
  objectSha: 'd'.repeat(40),
  tagObject: { message: tagClaimMessage('v1', { id, attempt }), targetSha: commit },
})
const draft = (marker: { id: string; attempt: number } | undefined): ExistingRelease => ({
  id: 7,
  draft: true,
  htmlUrl: 'https://h/r/7',
  tagName: 'v1',
  body: marker ? `notes\n\n${releaseBodyMarker(marker)}` : 'by hand',
})

function decide(input: {
  existingTag?: ExistingTag
  releases?: ExistingRelease[]
  releaseClaim?: ExistingTag
  commitSha?: string
  runSha?: string
}) {
  return decideStart({
    tag: 'v1',
    commitSha: input.commitSha ?? commit,
    run,
    existingTag: input.existingTag,
    releases: input.releases ?? [],
    pushed: { runSha: input.runSha ?? commit },
    ...(input.releaseClaim ? { releaseClaim: input.releaseClaim } : {}),
  })
}

describe('decideStart for a run started by pushing the tag', () => {
  it('adopts a lightweight or annotated tag at the run’s commit, claiming the release', () => {
    for (const existingTag of [lightweight, annotated]) {
      expect(decide({ existingTag })).toEqual({
        action: 'adopt',
        pushedTag: existingTag,
        claimedObjectSha: undefined,
        draft: undefined,
      })
    }
  })

  it('resumes the claim and the draft of an earlier attempt of the same run', () => {
    const claim = claimBy('42', 1)
    const own = draft({ id: '42', attempt: 1 })
    expect(decide({ existingTag: annotated, releaseClaim: claim, releases: [own] })).toEqual({
      action: 'adopt',
      pushedTag: annotated,
      claimedObjectSha: claim.objectSha,
      draft: own,
    })
    // A lightweight claim (no git tags API) is this run's only when its draft is there.
    const bare: ExistingTag = { objectType: 'commit', objectSha: commit }
    expect(decide({ existingTag: lightweight, releaseClaim: bare, releases: [own] })).toMatchObject(
      { action: 'adopt', claimedObjectSha: commit },
    )
    expect(decide({ existingTag: lightweight, releaseClaim: bare }).action).toBe('refuse')
  })

  const refusals: [string, Parameters<typeof decide>[0], RegExp, string?][] = [
    [
      'a tag moved to another commit',
      { existingTag: { ...annotated, tagObject: { message: '', targetSha: other } } },
      /tag "v1" points at commit b{40}, but this run was started for commit a{40} \(GITHUB_SHA\)/,
    ],
    [
      'a target-commitish elsewhere',
      { existingTag: lightweight, commitSha: other },
      /^resolves to b{40}, but the pushed tag "v1" points at a{40}/,
      'target-commitish',
    ],
    ['a deleted tag', {}, /started this run but no longer exists/],
    [
      'another run’s claim',
      { existingTag: annotated, releaseClaim: claimBy('7', 1) },
      /^run 7 attempt 1 is already releasing tag "v1" \(it holds refs\/immutable-release\/claims\/v1\)/,
    ],
    [
      'the same attempt’s claim (the same run twice)',
      { existingTag: annotated, releaseClaim: claimBy('42', 2) },
      /^run 42 attempt 2 is already releasing/,
    ],
    [
      'a tag this action created for another run (a claim that started a push workflow)',
      { existingTag: { ...claimBy('9', 1), objectSha: 'f'.repeat(40) } },
      /^tag "v1" was created by immutable-release for run 9 attempt 1, which releases it/,
    ],
    [
      'another run’s draft',
      { existingTag: annotated, releases: [draft({ id: '7', attempt: 1 })] },
      /^a draft release already uses tag "v1"/,
    ],
    [
      'a hand-made draft',
      { existingTag: lightweight, releases: [draft(undefined)] },
      /^a draft release already uses tag "v1"/,
    ],
    [
      'a published release, even this run’s',
      { existingTag: annotated, releases: [{ ...draft({ id: '42', attempt: 1 }), draft: false }] },
      /^a published release already uses tag "v1": https:\/\/h\/r\/7/,
    ],
  ]
  for (const [name, input, reason, field] of refusals) {
    it(`refuses ${name}`, () => {
      const decision = decide(input)
      expect(decision).toMatchObject({ action: 'refuse', reason: expect.stringMatching(reason) })
      expect((decision as { input?: string }).input).toBe(field)
    })
  }

  it('without a push, an existing tag is refused as before', () => {
    const decision = decideStart({
      tag: 'v1',
      commitSha: commit,
      run,
      existingTag: annotated,
      releases: [],
    })
    expect(decision).toMatchObject({
      action: 'refuse',
      reason: expect.stringMatching(/already exists/),
    })
  })
})

describe('the rest of the pushed-tag rules', () => {
  it('releaseInTheWay names published releases and foreign drafts of the tag only', () => {
    expect(releaseInTheWay('v1', run, [])).toBeUndefined()
    expect(releaseInTheWay('v1', run, [draft({ id: '42', attempt: 1 })])).toBeUndefined()
    expect(releaseInTheWay('v1', run, [{ ...draft(undefined), tagName: 'v0' }])).toBeUndefined()
    expect(releaseInTheWay('v1', run, [draft(undefined)])).toMatch(/a draft release already/)
  })

  it('a rollback removes the release claim only while it is this run’s', () => {
    const mine = 'e'.repeat(40)
    expect(releaseClaimRollback({ claimedObjectSha: mine, target: mine })).toBe('delete')
    expect(releaseClaimRollback({ claimedObjectSha: mine, target: other })).toBe('not-ours')
    expect(releaseClaimRollback({ claimedObjectSha: mine, target: undefined })).toBe('not-ours')
  })

  it('records the tag object and its date, never the tagger', () => {
    expect(pushedTagOf(annotated)).toEqual({
      objectType: 'tag',
      objectSha: annotated.objectSha,
      taggerDate: '2026-01-02T03:04:05Z',
    })
    expect(pushedTagOf(lightweight)).toEqual({ objectType: 'commit', objectSha: commit })
  })

  it('names the claim ref in the project’s namespace and says the pushed tag stayed', () => {
    expect(releaseClaimRef('withdrawn/v1.4.0')).toBe(
      'refs/immutable-release/claims/withdrawn/v1.4.0',
    )
    expect(cleanupSummary([], 'v1')).toBe(
      'Nothing was left behind: the draft, its assets and the release claim were removed; the pushed tag v1 is as it was.',
    )
    expect(cleanupSummary([])).toMatch(/and the tag were removed/)
  })
})
