import { describe, expect, it } from 'vitest'
import {
  afterUncertainCreate,
  checkAssets,
  decideStart,
  extraDraftsOfRun,
  isDraftOfRun,
  parseReleaseMarker,
  parseTagClaim,
  planAssets,
} from '../../src/release/decisions.ts'
import {
  cleanupSummary,
  draftRollback,
  releaseBodyMarker,
  storedAssetProblem,
  tagClaimMessage,
  tagRollback,
  uploadDigestProblem,
} from '../../src/release/decisions.ts'

const run = { id: '42', attempt: 2 }
const commit = 'a'.repeat(40)
const hex = (c: string): string => c.repeat(64)

describe('run markers', () => {
  it('round-trip through tag messages and release bodies', () => {
    expect(parseTagClaim(tagClaimMessage('v1', run))).toEqual(run)
    expect(parseReleaseMarker(`notes\n\n${releaseBodyMarker(run)}`)).toEqual(run)
    expect(parseTagClaim('Release v1')).toBeUndefined()
    expect(parseReleaseMarker(null)).toBeUndefined()
  })
})

describe('decideStart', () => {
  const ownClaim = {
    objectType: 'tag',
    objectSha: 'b'.repeat(40),
    tagObject: { message: tagClaimMessage('v1', { id: '42', attempt: 1 }), targetSha: commit },
  }
  const draft = (body: string | null) => ({
    id: 1,
    draft: true,
    htmlUrl: 'https://h/r/1',
    tagName: 'v1',
    body,
  })

  it('claims a free tag', () => {
    expect(
      decideStart({ tag: 'v1', commitSha: commit, run, existingTag: undefined, releases: [] }),
    ).toEqual({ action: 'claim' })
  })

  it('ignores releases of other tags', () => {
    const other = { ...draft(null), tagName: 'v0' }
    expect(
      decideStart({ tag: 'v1', commitSha: commit, run, existingTag: undefined, releases: [other] })
        .action,
    ).toBe('claim')
  })

  it('refuses a published release even for the same run', () => {
    const published = { ...draft(releaseBodyMarker({ id: '42', attempt: 1 })), draft: false }
    const d = decideStart({
      tag: 'v1',
      commitSha: commit,
      run,
      existingTag: ownClaim,
      releases: [published],
    })
    expect(d).toMatchObject({
      action: 'refuse',
      reason: expect.stringMatching(/published release .*https:\/\/h\/r\/1/),
    })
  })

  it('refuses a lightweight tag and a foreign annotated tag, naming the commit', () => {
    for (const existingTag of [
      { objectType: 'commit', objectSha: commit },
      {
        ...ownClaim,
        tagObject: { message: tagClaimMessage('v1', { id: '7', attempt: 1 }), targetSha: commit },
      },
    ]) {
      const d = decideStart({ tag: 'v1', commitSha: commit, run, existingTag, releases: [] })
      expect(d).toMatchObject({
        action: 'refuse',
        reason: expect.stringContaining(`already exists (commit ${commit})`),
      })
    }
  })

  it('refuses its own claim from the same or a later attempt (only earlier attempts resume)', () => {
    for (const attempt of [2, 3]) {
      const existingTag = {
        ...ownClaim,
        tagObject: { message: tagClaimMessage('v1', { id: '42', attempt }), targetSha: commit },
      }
      expect(
        decideStart({ tag: 'v1', commitSha: commit, run, existingTag, releases: [] }).action,
      ).toBe('refuse')
    }
  })

  it('resumes its own claim, with or without its own draft', () => {
    expect(
      decideStart({ tag: 'v1', commitSha: commit, run, existingTag: ownClaim, releases: [] }),
    ).toEqual({
      action: 'resume',
      claimedObjectSha: ownClaim.objectSha,
      draft: undefined,
    })
    const own = draft(releaseBodyMarker({ id: '42', attempt: 1 }))
    expect(
      decideStart({ tag: 'v1', commitSha: commit, run, existingTag: ownClaim, releases: [own] }),
    ).toMatchObject({ action: 'resume', draft: own })
    // Its draft survived but the tag is gone: claim again, then resume the draft.
    expect(
      decideStart({ tag: 'v1', commitSha: commit, run, existingTag: undefined, releases: [own] }),
    ).toEqual({
      action: 'resume',
      claimedObjectSha: undefined,
      draft: own,
    })
  })

  it('refuses its own claim when target-commitish now names another commit', () => {
    const d = decideStart({
      tag: 'v1',
      commitSha: 'c'.repeat(40),
      run,
      existingTag: ownClaim,
      releases: [],
    })
    expect(d).toMatchObject({
      action: 'refuse',
      reason: expect.stringContaining('now resolves to'),
    })
  })

  it('refuses a foreign draft', () => {
    for (const body of [null, 'no marker', releaseBodyMarker({ id: '9', attempt: 1 })]) {
      const d = decideStart({
        tag: 'v1',
        commitSha: commit,
        run,
        existingTag: undefined,
        releases: [draft(body)],
      })
      expect(d).toMatchObject({
        action: 'refuse',
        reason: expect.stringContaining('draft release already uses tag "v1" (https://h/r/1)'),
      })
    }
  })
})

describe('planAssets and checkAssets', () => {
  const expected = [
    { name: 'a', sha256: hex('1'), size: 10 },
    { name: 'b', sha256: hex('2'), size: 20 },
    { name: 'c', sha256: hex('3'), size: 30 },
  ]
  const reported = (
    name: string,
    over: Partial<{ size: number; state: string; digest: string | null }> = {},
  ) => {
    const want = expected.find((e) => e.name === name)
    return {
      id: name.charCodeAt(0),
      name,
      size: want?.size ?? 1,
      state: 'uploaded',
      digest: `sha256:${want?.sha256 ?? hex('f')}`,
      ...over,
    }
  }

  it('keeps good assets, removes wrong, interrupted and foreign ones, uploads the rest', () => {
    const plan = planAssets(expected, [
      reported('a'),
      reported('b', { state: 'open' }),
      reported('z'),
      reported('c', { digest: `sha256:${hex('9')}` }),
    ])
    expect(plan.keep.map((a) => a.name)).toEqual(['a'])
    expect(plan.remove.map((r) => [r.asset.name, r.reason])).toEqual([
      ['b', 'an interrupted upload (state open)'],
      ['z', 'not part of this release'],
      ['c', `digest sha256:${hex('9')}, expected sha256:${hex('3')}`],
    ])
    expect(plan.upload.map((a) => a.name)).toEqual(['b', 'c'])
    expect(planAssets(expected, [reported('a', { size: 11 })]).remove[0]?.reason).toBe(
      'size 11, expected 10',
    )
    // Without digests an asset of the right size is kept; the check hashes it.
    expect(planAssets(expected, [reported('a', { digest: null })]).keep).toHaveLength(1)
  })

  it('reports missing, unexpected, duplicate, partial and mismatched assets', () => {
    const check = checkAssets(expected, [
      reported('a', { digest: `sha256:${hex('0')}` }),
      reported('a'),
      reported('b', { state: 'open' }),
      reported('z'),
    ])
    expect(check.problems).toEqual([
      `asset "a" has digest sha256:${hex('0')}, expected sha256:${hex('1')}`,
      'asset "a" appears twice',
      'asset "b" is not fully uploaded (state open)',
      'unexpected asset "z"',
      'asset "c" is missing',
    ])
    const exact = checkAssets(expected, [
      reported('a'),
      reported('b'),
      reported('c', { digest: null }),
    ])
    expect(exact.problems).toEqual([])
    expect(exact.toHash.map((h) => h.asset.name)).toEqual(['c'])
    expect(
      checkAssets(expected, [reported('a', { size: 9 }), reported('b'), reported('c')]).problems,
    ).toEqual(['asset "a" has 9 bytes, expected 10'])
  })
})

describe('the good-asset rule', () => {
  const want = { name: 'a.tgz', sha256: hex('a'), size: 10 }
  const stored = { id: 1, name: 'a.tgz', size: 10, state: 'uploaded', digest: `sha256:${hex('a')}` }
  it.each([
    ['a complete copy', stored, undefined],
    ['a copy without a digest (older GHES)', { ...stored, digest: null }, undefined],
    [
      'an interrupted upload',
      { ...stored, state: 'starter' },
      'an interrupted upload (state starter)',
    ],
    ['the wrong size', { ...stored, size: 9 }, 'size 9, expected 10'],
    [
      'the wrong digest',
      { ...stored, digest: `sha256:${hex('b')}` },
      `digest sha256:${hex('b')}, expected sha256:${hex('a')}`,
    ],
  ])('%s', (_, asset, problem) => {
    expect(storedAssetProblem(asset, want)).toBe(problem)
  })

  it('judges a fresh upload by its digest only', () => {
    expect(uploadDigestProblem({ ...stored, digest: null }, want)).toBeUndefined()
    expect(uploadDigestProblem(stored, want)).toBeUndefined()
    expect(uploadDigestProblem({ ...stored, digest: `sha256:${hex('b')}` }, want)).toBe(
      `GitHub stored "a.tgz" with digest sha256:${hex('b')}, expected sha256:${hex('a')}`,
    )
  })
})

describe('rollback decisions', () => {
  it.each([
    ['a draft is deleted', { draft: true }, 'delete'],
    ['a published release is never deleted', { draft: false }, 'keep-published'],
    ['a draft already gone needs nothing', undefined, 'gone'],
  ] as const)('%s', (_, release, action) => {
    expect(draftRollback(release)).toBe(action)
  })

  const claimed = 'c'.repeat(40)
  it.each([
    ['our claim, unused: deleted', claimed, false, 'delete'],
    ['our claim, but a published release uses it: kept', claimed, true, 'in-use'],
    ['moved to another object: not ours', 'd'.repeat(40), false, 'not-ours'],
    ['already gone: not ours', undefined, false, 'not-ours'],
  ] as const)('%s', (_, target, publishedReleaseUsesTag, action) => {
    expect(tagRollback({ claimedObjectSha: claimed, target, publishedReleaseUsesTag })).toBe(action)
  })

  it('summarises what was left behind', () => {
    expect(cleanupSummary([])).toBe(
      'Nothing was left behind: the draft, its assets and the tag were removed.',
    )
    expect(cleanupSummary(['tag v1', 'draft release 3 (boom)'])).toBe(
      'Could not clean up: tag v1; draft release 3 (boom).',
    )
  })
})

describe('drafts after a create whose answer was lost', () => {
  // run is 42 attempt 2; drafts of tag v1 unless the row says otherwise.
  const rel = (id: number, body: string | null, draft = true, tagName = 'v1') => ({
    id,
    draft,
    htmlUrl: `https://github.example/r/${id}`,
    tagName,
    body,
  })
  const mine = `notes\n\n${releaseBodyMarker(run)}`
  const earlier = releaseBodyMarker({ id: '42', attempt: 1 })
  const later = releaseBodyMarker({ id: '42', attempt: 3 })
  const foreign = releaseBodyMarker({ id: '99', attempt: 2 })

  it.each([
    ['no release: a transient failure is repeated', [], true, { action: 'create-again' }],
    ['no release: a final failure gives up', [], false, { action: 'give-up' }],
    ['this attempt made one', [rel(5, mine)], true, { action: 'adopt', draft: rel(5, mine) }],
    [
      'two of this attempt: the oldest is adopted',
      [rel(9, mine), rel(5, mine)],
      false,
      { action: 'adopt', draft: rel(5, mine) },
    ],
    ['an earlier attempt is not this create', [rel(5, earlier)], true, { action: 'create-again' }],
    ['another run', [rel(5, foreign)], true, { action: 'create-again' }],
    ['no marker', [rel(5, null)], true, { action: 'create-again' }],
    ['a published one is no draft', [rel(5, mine, false)], true, { action: 'create-again' }],
    ['another tag', [rel(5, mine, true, 'v2')], true, { action: 'create-again' }],
  ])('afterUncertainCreate: %s', (_name, releases, repeatable, expected) => {
    expect(afterUncertainCreate({ tag: 'v1', run, releases, repeatable })).toEqual(expected)
  })

  it.each([
    ['the kept draft alone', [rel(5, mine)], 5, []],
    ['a second draft of this attempt', [rel(5, mine), rel(6, mine)], 6, [5]],
    ['an earlier attempt of this run', [rel(4, earlier), rel(6, mine)], 6, [4]],
    [
      'without a kept draft (rollback): every draft of this run',
      [rel(6, mine), rel(4, earlier)],
      undefined,
      [4, 6],
    ],
    ['never a published release', [rel(5, mine, false), rel(6, mine)], 6, []],
    [
      'never another run, a later attempt or an unmarked draft',
      [rel(3, foreign), rel(4, later), rel(5, null), rel(6, mine)],
      6,
      [],
    ],
    ['never another tag', [rel(5, mine, true, 'v2'), rel(6, mine)], 6, []],
  ])('extraDraftsOfRun: %s', (_name, releases, keepId, expectedIds) => {
    expect(extraDraftsOfRun('v1', run, releases, keepId).map((r) => r.id)).toEqual(expectedIds)
  })

  it.each([
    ['this attempt', mine, true],
    ['an earlier attempt', earlier, true],
    ['a later attempt', later, false],
    ['another run', foreign, false],
    ['no marker', null, false],
  ])('isDraftOfRun: %s', (_name, body, expected) => {
    expect(isDraftOfRun(rel(1, body), run)).toBe(expected)
    expect(isDraftOfRun(rel(1, body, false), run)).toBe(false)
  })
})
