// Issue 12, "Bad input and faults": every refusal names the input, writes nothing to GitHub
// and signs nothing. Each case runs the withdraw entry as a runner would.
import { describe, expect, it } from 'vitest'
import { SLOW_MACHINE_TIMEOUT_MS, expectFailed, expectSucceeded } from '../action/helpers.ts'
import { repositoryState, useWithdrawWorld } from './support.ts'

const w = useWithdrawWorld()

const GOOD = { tag: 'v1.2.0', reason: 'defect', summary: 'Crashes on start-up.' }

/** Creates a release straight through the API (not by the action): a draft or a foreign one. */
async function createRelease(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${w.world.github.url}/repos/octo-org/octo-repo/releases`, {
    method: 'POST',
    headers: { authorization: `token ${w.world.github.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ target_commitish: w.world.sha, ...body }),
  })
  expect(response.status).toBe(201)
}

/** Runs the withdrawal and checks it was refused naming `input`, with nothing written or signed. */
async function expectRefused(
  inputs: Record<string, string>,
  input: string,
  message: RegExp,
  options: { runId?: string } = {},
): Promise<void> {
  const before = repositoryState(w.world)
  const writesBefore = w.world.github.requests.filter((r) => r.method !== 'GET').length
  const fulcioBefore = w.world.sigstore.requests.fulcio
  const error = expectFailed(await w.withdraw(inputs, options))
  expect(error).toContain(`Input '${input}'`)
  expect(error).toMatch(message)
  expect(repositoryState(w.world)).toEqual(before)
  expect(w.world.github.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore)
  expect(w.world.sigstore.requests.fulcio).toBe(fulcioBefore)
}

describe('refusals before any write', () => {
  const timeout = SLOW_MACHINE_TIMEOUT_MS

  it('an unknown tag', { timeout }, async () => {
    await expectRefused({ ...GOOD, tag: 'v9.9.9' }, 'tag', /no release uses tag v9\.9\.9/)
  })

  it('a draft', { timeout }, async () => {
    await createRelease({ tag_name: 'v2.0.0', draft: true })
    await expectRefused({ ...GOOD, tag: 'v2.0.0' }, 'tag', /is a draft/)
  })

  it('a release not made by this action', { timeout }, async () => {
    await createRelease({ tag_name: 'v0.9.0', name: 'hand-made' })
    await expectRefused({ ...GOOD, tag: 'v0.9.0' }, 'tag', /not made by immutable-release/)
  })

  it('an invalid detected-at', { timeout }, async () => {
    await expectRefused({ ...GOOD, 'detected-at': 'yesterday' }, 'detected-at', /RFC 3339/)
    await expectRefused(
      { ...GOOD, 'detected-at': '2999-01-01T00:00:00Z' },
      'detected-at',
      /in the future/,
    )
  })

  it('a reason outside the list', { timeout }, async () => {
    await expectRefused({ ...GOOD, reason: 'oops' }, 'reason', /personal-data-breach, security/)
  })

  it('a replacement that is unpublished, unknown or foreign', { timeout }, async () => {
    await createRelease({ tag_name: 'v2.0.0', draft: true })
    await expectRefused({ ...GOOD, 'replacement-tag': 'v2.0.0' }, 'replacement-tag', /is a draft/)
    await expectRefused({ ...GOOD, 'replacement-tag': 'v3.0.0' }, 'replacement-tag', /no release/)
  })

  it('a replacement that is itself withdrawn', { timeout }, async () => {
    expectSucceeded(await w.withdraw({ ...GOOD, tag: 'v1.0.1' }, { runId: '7001' }))
    await expectRefused(
      { ...GOOD, 'replacement-tag': 'v1.0.1' },
      'replacement-tag',
      /itself withdrawn/,
    )
  })

  it(
    'a tag withdrawn already (by another run), with a link to the withdrawal',
    { timeout },
    async () => {
      expectSucceeded(await w.withdraw(GOOD, { runId: '7002' }))
      await expectRefused(GOOD, 'tag', /already withdrawn: .*withdrawn%2Fv1\.2\.0/, {
        runId: '7003',
      })
    },
  )

  it('a withdrawal release as the tag', { timeout }, async () => {
    await expectRefused({ ...GOOD, tag: 'withdrawn/v1.2.0' }, 'tag', /cannot be withdrawn/)
  })

  it('personal data in the summary, masked in the message', { timeout }, async () => {
    const summary = 'Reported by jane.doe@example.com, call +44 20 7946 0958.'
    await expectRefused({ ...GOOD, summary }, 'summary', /e-mail address.*phone number/)
    const error = expectFailed(await w.withdraw({ ...GOOD, summary }))
    expect(error).not.toContain('jane.doe@example.com')
    expect(error).not.toContain('7946 0958')
  })

  it(
    'a withdrawal record file with unknown fields, or given with the inputs',
    { timeout },
    async () => {
      await w.world.write(
        '.github/withdrawal.yml',
        'reason: defect\nsummary: Crashes.\nseverity: high\nwithdrawnAt: 2026-01-01T00:00:00Z\n',
      )
      await expectRefused(
        { tag: 'v1.2.0', 'withdrawal-record': '.github/withdrawal.yml' },
        'withdrawal-record',
        /\/severity: is not a known field.*\/withdrawnAt: is filled in by the action/,
      )
      await w.world.write('.github/good.yml', 'reason: defect\nsummary: Crashes.\n')
      await expectRefused(
        { ...GOOD, 'withdrawal-record': '.github/good.yml' },
        'withdrawal-record',
        /cannot be combined with reason, summary/,
      )
    },
  )

  it('a breach record whose Art. 33 assessment lacks the justification', { timeout }, async () => {
    await w.world.write(
      '.github/breach.yml',
      [
        'reason: personal-data-breach',
        'summary: Debug log in the bundle.',
        'breach:',
        '  notifiable: not-required',
      ].join('\n'),
    )
    await expectRefused(
      { tag: 'v1.2.0', 'withdrawal-record': '.github/breach.yml' },
      'withdrawal-record',
      /justification/,
    )
  })
})
