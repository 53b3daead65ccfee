// Issue 12, races and faults: concurrent withdrawals of one tag elect exactly one; a fault at
// each write step leaves the withdrawal complete, or nothing visible, or (after the withdrawal
// is published) an error that a re-run of the same workflow run completes by resuming.
import { describe, expect, it } from 'vitest'
import type { FaultPlan } from '../support/github-fake/index.ts'
import { BANNER_MARKER } from '../../src/withdrawal/index.ts'
import { SLOW_MACHINE_TIMEOUT_MS, expectSucceeded, transcript } from '../action/helpers.ts'
import { latestTag, releaseOfTag, useWithdrawWorld } from './support.ts'

const w = useWithdrawWorld()

const INPUTS = { tag: 'v1.2.0', reason: 'defect', summary: 'Crashes on start-up.' }

/** Tags, releases and assets: what anyone looking at the repository sees. */
function visible(): unknown {
  const { state } = w.world.github
  return JSON.parse(
    JSON.stringify({
      tags: [...state.refs].filter(([ref]) => ref.startsWith('refs/tags/')),
      releases: [...state.releases.values()].map((r) => r.release),
      assets: [...state.assets.values()].map(({ asset: { download_count: _n, ...a } }) => a),
      latest: state.latestReleaseId,
    }),
  )
}

function expectComplete(): void {
  const withdrawals = [...w.world.github.state.releases.values()].filter((r) =>
    r.release.tag_name.startsWith('withdrawn/'),
  )
  expect(withdrawals).toHaveLength(1)
  const withdrawal = withdrawals[0] as (typeof withdrawals)[number]
  expect(withdrawal.release.tag_name).toBe('withdrawn/v1.2.0')
  expect(withdrawal.release.draft).toBe(false)
  expect(
    w.world.github
      .assetsOf(withdrawal.release.id)
      .map((a) => a.name)
      .sort(),
  ).toEqual(['withdrawal.json', 'withdrawal.sigstore.json'])
  const marked = releaseOfTag(w.world, 'v1.2.0').release
  expect(marked.name).toBe('[WITHDRAWN] v1.2.0')
  expect(marked.body?.split(BANNER_MARKER)).toHaveLength(2)
  expect(latestTag(w.world)).toBe('v1.1.0')
}

/** GitHub refusing a write outright (a token without the permission): never retried. */
const REFUSED = {
  status: 403,
  body: { message: 'Resource not accessible by integration' },
} as const

/**
 * Each write of a withdrawal, in order, and what a refusal there leaves: nothing visible (the
 * release flow's rollback), the withdrawal complete (an upload is retried; the attestation is
 * a warning), or the withdrawal published with the marking left to a re-run.
 */
const WRITE_STEPS: {
  step: string
  plan: Omit<FaultPlan, 'fault'>
  outcome: 'nothing' | 'complete' | 'published'
}[] = [
  {
    step: 'tag object',
    outcome: 'nothing',
    plan: { method: 'POST', route: '/repos/{owner}/{repo}/git/tags' },
  },
  {
    step: 'tag claim',
    outcome: 'nothing',
    plan: { method: 'POST', route: '/repos/{owner}/{repo}/git/refs' },
  },
  {
    step: 'draft',
    outcome: 'nothing',
    plan: { method: 'POST', route: '/repos/{owner}/{repo}/releases' },
  },
  { step: 'upload', outcome: 'complete', plan: { method: 'POST', route: /^POST \/uploads\// } },
  {
    step: 'publish',
    outcome: 'nothing',
    plan: { method: 'PATCH', route: '/repos/{owner}/{repo}/releases/{release_id}' },
  },
  {
    step: 'attestation',
    outcome: 'complete',
    plan: { method: 'POST', route: '/repos/{owner}/{repo}/attestations' },
  },
  {
    step: 'marking',
    outcome: 'published',
    plan: { method: 'PATCH', route: '/repos/{owner}/{repo}/releases/{release_id}', ordinal: 2 },
  },
  {
    step: 'latest',
    outcome: 'published',
    plan: { method: 'PATCH', route: '/repos/{owner}/{repo}/releases/{release_id}', ordinal: 3 },
  },
]

describe('a fault at each write step', () => {
  for (const { step, plan, outcome } of WRITE_STEPS) {
    it(
      `${step}: complete, or nothing visible, or completed by a re-run`,
      { timeout: SLOW_MACHINE_TIMEOUT_MS },
      async () => {
        const before = visible()
        const from = w.world.github.requests.length
        w.world.github.injectFault({ ...plan, fault: REFUSED })
        const first = await w.withdraw(INPUTS, { runId: '5001', runAttempt: '1' })
        expect(
          w.world.github.requests.slice(from).some((r) => r.faulted),
          transcript(first),
        ).toBe(true)
        if (first.exitCode === 0) {
          expect(outcome, transcript(first)).toBe('complete')
          if (step === 'attestation') {
            expect(first.annotations.map((a) => a.message).join('\n')).toMatch(
              /attestation[\s\S]*not stored|attestations API failed/,
            )
          }
          expectComplete()
          return
        }
        const error = first.annotations.find((a) => a.level === 'error')?.message ?? ''
        const published = [...w.world.github.state.releases.values()].some(
          (r) => r.release.tag_name === 'withdrawn/v1.2.0' && !r.release.draft,
        )
        expect(published ? 'published' : 'nothing', transcript(first)).toBe(outcome)
        if (published) {
          expect(error).toMatch(/is published .* but .* failed.*Re-run this workflow run/)
        } else {
          expect(visible()).toEqual(before)
        }
        const second = await w.withdraw(INPUTS, { runId: '5001', runAttempt: '2' })
        expectSucceeded(second)
        expectComplete()
      },
    )
  }

  it(
    'a lost answer to the marking PATCH (it took effect): completed without a second banner',
    { timeout: SLOW_MACHINE_TIMEOUT_MS },
    async () => {
      w.world.github.injectFault({
        method: 'PATCH',
        route: '/repos/{owner}/{repo}/releases/{release_id}',
        ordinal: 2,
        fault: { reset: true, afterEffect: true },
      })
      const first = await w.withdraw(INPUTS, { runId: '5002' })
      if (first.exitCode !== 0) {
        expectSucceeded(await w.withdraw(INPUTS, { runId: '5002', runAttempt: '2' }))
      }
      expectComplete()
    },
  )
})

describe('resume', () => {
  it(
    'a re-run after the withdrawal was published signs nothing again and finishes',
    { timeout: SLOW_MACHINE_TIMEOUT_MS },
    async () => {
      w.world.github.injectFault({
        method: 'PATCH',
        route: '/repos/{owner}/{repo}/releases/{release_id}',
        ordinal: 2,
        fault: REFUSED,
      })
      const first = await w.withdraw(INPUTS, { runId: '5003' })
      expect(first.exitCode, transcript(first)).toBe(1)
      expect(first.outputs['withdrawal-url']).toMatch(/withdrawn%2Fv1\.2\.0/)
      const digest = first.outputs['withdrawal-digest']
      const fulcio = w.world.sigstore.requests.fulcio
      const second = await w.withdraw(INPUTS, { runId: '5003', runAttempt: '2' })
      expectSucceeded(second)
      expect(second.stdout).toMatch(/Resuming/)
      expect(second.outputs['withdrawal-digest']).toBe(digest)
      expect(w.world.sigstore.requests.fulcio).toBe(fulcio)
      expectComplete()
      // A third run of the same workflow run is harmless; another run is refused.
      expectSucceeded(await w.withdraw(INPUTS, { runId: '5003', runAttempt: '3' }))
      expectComplete()
    },
  )
})

describe('concurrent withdrawals', () => {
  it(
    '8 runs withdrawing one tag: exactly one withdrawal, the others refused',
    { timeout: SLOW_MACHINE_TIMEOUT_MS },
    async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => w.withdraw(INPUTS, { runId: String(6000 + i) })),
      )
      const winners = results.filter((r) => r.exitCode === 0)
      expect(winners, results.map(transcript).join('\n')).toHaveLength(1)
      for (const loser of results.filter((r) => r.exitCode !== 0)) {
        expect(loser.exitCode).toBe(1)
        expect(loser.annotations.find((a) => a.level === 'error')?.message).toMatch(
          /already withdrawn|was created by another run|already uses tag|already exists/,
        )
      }
      expectComplete()
      expect(w.world.github.violations).toEqual([])
    },
  )
})
