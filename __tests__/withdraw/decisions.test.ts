// Table tests of the withdrawal's pure parts: semver order, which release becomes latest, the
// start decision, the marking, the request checks, the record and its schema.
import { describe, expect, it } from 'vitest'
import { Pseudonymizer } from '../../src/change-record/index.ts'
import type { ListedRelease } from '../../src/release/index.ts'
import { releaseBodyMarker, parseReleaseMarker } from '../../src/release/decisions.ts'
import {
  BANNER_MARKER,
  buildWithdrawalRecord,
  buildWithdrawalStatement,
  compareSemver,
  decideLatest,
  decideWithdrawalStart,
  guardWithdrawalRecord,
  markedNotes,
  notificationDeadline,
  parseDetectedAt,
  parseSemver,
  releaseProblem,
  resolveWithdrawalRequest,
  validateWithdrawalInput,
  validateWithdrawalRecord,
  withdrawalBanner,
  withdrawnTitle,
} from '../../src/withdrawal/index.ts'
import type { WithdrawalInputs } from '../../src/withdrawal/index.ts'

const OWN_ASSETS = ['release-manifest.json', 'release-manifest.sigstore.json'].map((name, i) => ({
  id: i + 1,
  name,
  size: 1,
  state: 'uploaded',
  digest: null,
}))

function release(tag: string, extra: Partial<ListedRelease> = {}): ListedRelease {
  return {
    id: Math.floor(Math.random() * 1e9),
    tagName: tag,
    name: tag,
    body: '',
    draft: false,
    prerelease: false,
    htmlUrl: `https://github.example/o/r/releases/tag/${encodeURIComponent(tag)}`,
    createdAt: '2026-01-01T00:00:00Z',
    immutable: true,
    assets: OWN_ASSETS,
    ...extra,
  }
}

describe('semantic versions', () => {
  it.each([
    ['v1.0.0', 'v1.0.1', -1],
    ['v1.10.0', 'v1.9.9', 1],
    ['1.2.3', 'v1.2.3', 0],
    ['v2.0.0-rc.1', 'v2.0.0', -1],
    ['v2.0.0-rc.2', 'v2.0.0-rc.10', -1],
    ['v2.0.0-alpha', 'v2.0.0-1', 1],
    ['v1.0.0+build.5', 'v1.0.0', 0],
  ])('%s vs %s → %d', (a, b, sign) => {
    const pa = parseSemver(a)
    const pb = parseSemver(b)
    expect(pa && pb).toBeTruthy()
    expect(Math.sign(compareSemver(pa!, pb!))).toBe(sign)
  })

  it.each(['latest', 'v1', '1.2', 'v01.2.3', 'release-2026'])('%s is no version', (tag) => {
    expect(parseSemver(tag)).toBeUndefined()
  })
})

describe('which release becomes latest', () => {
  const releases = [
    release('v1.1.0', { createdAt: '2026-01-01T00:00:00Z' }),
    release('v1.0.1', { createdAt: '2026-02-01T00:00:00Z' }),
    release('v1.2.0', { createdAt: '2026-03-01T00:00:00Z' }),
    release('v1.3.0-rc.1', { prerelease: true }),
    release('v1.2.5', { draft: true }),
    release('v1.2.4', { assets: [] }),
    release('v1.2.3'),
    release('withdrawn/v1.2.3', { prerelease: true }),
    release('v1.2.2', { name: '[WITHDRAWN] v1.2.2' }),
    release('nightly'),
  ]
  it.each([
    {
      what: 'the withdrawn release was not latest',
      latestTag: 'v1.1.0',
      replacementTag: undefined,
      want: { action: 'keep', latest: 'v1.1.0' },
    },
    {
      what: 'no release was latest',
      latestTag: undefined,
      replacementTag: 'v1.1.0',
      want: { action: 'keep', latest: undefined },
    },
    {
      what: 'the replacement wins',
      latestTag: 'v1.2.0',
      replacementTag: 'v1.0.1',
      want: { action: 'set', tag: 'v1.0.1' },
    },
    {
      // Not v1.3.0-rc.1 (prerelease), v1.2.5 (draft), v1.2.4 (foreign), v1.2.3 (withdrawn),
      // v1.2.2 (marked), nightly (no version), v1.0.1 (newer by date only).
      what: 'else the newest good release by semver',
      latestTag: 'v1.2.0',
      replacementTag: undefined,
      want: { action: 'set', tag: 'v1.1.0' },
    },
  ])('$what', ({ latestTag, replacementTag, want }) => {
    expect(decideLatest({ withdrawnTag: 'v1.2.0', latestTag, replacementTag, releases })).toEqual(
      want,
    )
  })

  it('unsets latest when no good release is left', () => {
    expect(
      decideLatest({
        withdrawnTag: 'v1.0.0',
        latestTag: 'v1.0.0',
        replacementTag: undefined,
        releases: [release('v1.0.0'), release('v0.9.0', { assets: [] })],
      }),
    ).toEqual({ action: 'unset' })
  })
})

describe('start decision', () => {
  const run = { id: '77', attempt: 2 }
  it.each([
    { what: 'nothing yet', releases: [], want: 'withdraw' },
    {
      what: "a draft (the release flow decides: its own attempt's or foreign)",
      releases: [release('withdrawn/v1', { draft: true, body: releaseBodyMarker(run) })],
      want: 'withdraw',
    },
    {
      what: 'published by an earlier attempt of this run',
      releases: [release('withdrawn/v1', { body: releaseBodyMarker({ id: '77', attempt: 1 }) })],
      want: 'resume',
    },
    {
      what: 'published by another run',
      releases: [release('withdrawn/v1', { body: releaseBodyMarker({ id: '12', attempt: 1 }) })],
      want: 'refuse',
    },
  ])('$what → $want', ({ releases, want }) => {
    expect(decideWithdrawalStart('v1', releases, run, parseReleaseMarker).action).toBe(want)
  })
})

describe('release problems', () => {
  const withdrawn = new Set(['v0.9.0'])
  it.each([
    { r: undefined, input: 'tag', want: /no release uses tag v1/ },
    { r: release('v1', { draft: true }), input: 'tag', want: /is a draft/ },
    { r: release('v1', { assets: [] }), input: 'tag', want: /not made by immutable-release/ },
    { r: release('v1'), input: 'tag', want: undefined },
    { r: release('v0.9.0'), input: 'replacement-tag', want: /itself withdrawn/ },
  ] as const)('$input $want', ({ r, input, want }) => {
    const tag = r?.tagName ?? 'v1'
    const problem = releaseProblem(r, tag, input, withdrawn)
    if (want) expect(problem).toMatch(want)
    else expect(problem).toBeUndefined()
  })
})

describe('marking', () => {
  it.each([
    [null, 'v1', '[WITHDRAWN] v1'],
    ['Widget 1.0', 'v1', '[WITHDRAWN] Widget 1.0'],
    ['[WITHDRAWN] Widget 1.0', 'v1', '[WITHDRAWN] Widget 1.0'],
  ])('title %s → %s', (name, tag, want) => {
    expect(withdrawnTitle(name, tag)).toBe(want)
  })

  it('puts the banner on top once, escaping the summary', () => {
    const record = recordFor({ ...INPUTS, summary: 'Bad <img src=x> `rm` [link](http://x)' })
    const banner = withdrawalBanner(record, {
      withdrawalUrl: 'https://x/releases/tag/withdrawn%2Fv1.2.0',
      withdrawalDigest: `sha256:${'c'.repeat(64)}`,
    })
    expect(banner.startsWith(BANNER_MARKER)).toBe(true)
    expect(banner).toContain('withdrawn on 2026-12-01')
    expect(banner).toContain('Bad \\<img src=x\\> \\`rm\\` \\[link\\](http://x)')
    const once = markedNotes('Original notes', banner)
    expect(once).toBe(`${banner}\n\nOriginal notes`)
    expect(markedNotes(once, banner)).toBe(once)
    expect(markedNotes(null, banner)).toBe(banner)
  })
})

const NOW = new Date('2026-12-01T10:00:00Z')
const INPUTS: WithdrawalInputs = {
  tag: 'v1.2.0',
  reason: 'personal-data-breach',
  summary: 'Debug log in the bundle.',
  incidentReference: 'INC-2207',
  detectedAt: '2026-12-01T09:10:00+01:00',
  replacementTag: '',
}
const DIGEST = { sha256: 'a'.repeat(64) }

function recordFor(inputs: WithdrawalInputs, file?: unknown, pseudonymizer?: Pseudonymizer) {
  return buildWithdrawalRecord({
    request: resolveWithdrawalRequest(inputs, file, NOW),
    repository: 'octo-org/octo-repo',
    withdrawn: { tag: inputs.tag || 'v1.2.0', manifestDigest: DIGEST },
    run: {
      url: 'https://github.com/o/r/actions/runs/1/attempts/1',
      workflowRef: 'w',
      commit: 'b'.repeat(40),
    },
    now: NOW,
    ...(pseudonymizer ? { pseudonymizer } : {}),
  })
}

describe('the request and the record', () => {
  it('computes the Art. 33 deadline: awareAt + 72 hours, in UTC', () => {
    const record = recordFor(INPUTS)
    expect(record.breach).toEqual({
      awareAt: '2026-12-01T08:10:00Z',
      notificationDeadline: '2026-12-04T08:10:00Z',
      notifiable: 'pending',
      dataSubjectsInformed: 'pending',
    })
    expect(notificationDeadline('2026-02-26T23:30:00Z')).toBe('2026-03-01T23:30:00Z')
    expect(validateWithdrawalRecord(record)).toEqual([])
    expect(record.withdrawnAt).toBe('2026-12-01T10:00:00Z')
  })

  it('has no breach block for other reasons, and refuses one from a file', () => {
    expect(recordFor({ ...INPUTS, reason: 'defect' }).breach).toBeUndefined()
    expect(validateWithdrawalInput({ reason: 'defect', summary: 'x', breach: {} })).toEqual([
      { path: '/breach', message: 'breach is only for reason personal-data-breach' },
    ])
  })

  it.each([
    ['', NOW.toISOString().replace('.000Z', 'Z')],
    ['2026-12-01T08:10:00Z', '2026-12-01T08:10:00Z'],
    ['2026-12-01T08:10:00.750+02:00', '2026-12-01T06:10:00Z'],
  ])('detected-at %j → %s', (value, want) => {
    expect(parseDetectedAt(value, NOW, 'detected-at')).toBe(want)
  })

  it.each([
    '2026-12-01',
    '2026-12-01T08:10:00',
    'now',
    '2026-13-01T00:00:00Z',
    '2026-12-02T10:00:00Z',
  ])('detected-at %j is refused', (value) => {
    expect(() => parseDetectedAt(value, NOW, 'detected-at')).toThrow(/Input 'detected-at'/)
  })

  it.each([
    [{ reason: 'yank' }, /Input 'reason'/],
    [{ reason: '' }, /Input 'reason': is required/],
    [{ summary: '  ' }, /Input 'summary'/],
    [{ tag: '' }, /Input 'tag'/],
    [{ replacementTag: 'v1.2.0' }, /Input 'replacement-tag'/],
    [{ tag: 'withdrawn/v1' }, /cannot be withdrawn/],
  ])('refuses %j', (change, message) => {
    expect(() => resolveWithdrawalRequest({ ...INPUTS, ...change }, undefined, NOW)).toThrow(
      message,
    )
  })

  it('takes the whole request from a file, pseudonymising approvers with the change-record rules', () => {
    const key = Pseudonymizer.fromKey('withdrawal-test-key-0123456789abcdefghij')
    const file = {
      reason: 'personal-data-breach',
      summary: 'Debug log in the bundle.',
      breach: { notifiable: 'required', dataSubjectsInformed: 'not-required' },
      approvals: [{ role: 'DPO', decision: 'approved', approver: '@octocat' }],
    }
    const empty = { ...INPUTS, reason: '', summary: '', incidentReference: '', detectedAt: '' }
    const record = recordFor(empty, file, key)
    expect(record.approvals).toEqual([
      { role: 'DPO', decision: 'approved', approver: key.approver('@octocat') },
    ])
    expect(record.breach?.notifiable).toBe('required')
    expect(validateWithdrawalRecord(record)).toEqual([])
    // Without a key the approver is left out.
    expect(recordFor(empty, file).approvals).toEqual([{ role: 'DPO', decision: 'approved' }])
    expect(() => resolveWithdrawalRequest({ ...INPUTS }, file, NOW)).toThrow(/cannot be combined/)
  })

  it('guards every written string and names its input', () => {
    const inputs = { ...INPUTS, incidentReference: 'INC for jane.doe@example.com' }
    const request = resolveWithdrawalRequest(inputs, undefined, NOW)
    expect(() => guardWithdrawalRecord(recordFor(inputs), request)).toThrow(
      /Input 'incident-reference'.*e-mail address/,
    )
    const file = {
      reason: 'legal',
      summary: 'Court order.',
      approvals: [{ role: 'Counsel', decision: 'approved', conditions: 'call +44 20 7946 0958' }],
    }
    const empty = { ...INPUTS, reason: '', summary: '', incidentReference: '', detectedAt: '' }
    expect(() =>
      guardWithdrawalRecord(recordFor(empty, file), resolveWithdrawalRequest(empty, file, NOW)),
    ).toThrow(/Input 'withdrawal-record'.*\/approvals\/0\/conditions: phone number/)
    expect(() =>
      guardWithdrawalRecord(recordFor(INPUTS), resolveWithdrawalRequest(INPUTS, undefined, NOW)),
    ).not.toThrow()
  })

  it('signs the manifest and every artifact as subjects', () => {
    const record = recordFor(INPUTS)
    const statement = buildWithdrawalStatement(record, [
      { name: 'app.tgz', digest: { sha256: 'd'.repeat(64) } },
    ])
    expect(statement.subject).toEqual([
      { name: 'release-manifest.json', digest: DIGEST },
      { name: 'app.tgz', digest: { sha256: 'd'.repeat(64) } },
    ])
    expect(statement.predicateType).toBe('https://immutable-release.dev/withdrawal/v1')
    expect(statement.predicate).toBe(record)
  })
})
