// Issue 16 through the action's real entry: what keeps "exactly one release" when the tag
// already exists. 8 runs for one pushed tag race and one publishes (the release claim ref, not
// the reads, decides: the losers write no draft and no asset); an upload fault after adopting
// leaves the pushed tag and nothing else; a re-run attempt resumes its own draft.
import { describe, expect, it } from 'vitest'
import type { ActionRunResult } from '../support/action-runner.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import {
  OWN_ASSETS,
  SLOW_MACHINE_TIMEOUT_MS,
  expectFailed,
  expectSucceeded,
  inWorld,
  onlyRelease,
  transcript,
  writeArtifacts,
} from '../action/helpers.ts'
import {
  CLAIM_REF,
  TAG,
  expectTagUntouched,
  pushTagTo,
  pushedTagEnv,
  verifyPublished,
  watchRef,
} from './support.ts'

const INPUTS = { 'subject-path': 'dist/*' }
const RELEASE_ROUTE = '/repos/{owner}/{repo}/releases/{release_id}'
/** A losing run's error: another run claimed, drafted or published the release first. */
const LOST_RACE =
  /Another run is releasing the pushed tag|is already releasing tag|Another run released tag|a draft release already uses tag|a published release already uses tag/

function requestsTo(world: ReleaseWorld, method: string, route: RegExp | string): number {
  return world.github.requests.filter(
    (r) =>
      r.method === method && (typeof route === 'string' ? r.route === route : route.test(r.path)),
  ).length
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Only the pushed tag and main: no release, no asset, no claim ref left. */
function expectOnlyThePushedTag(world: ReleaseWorld): void {
  const { state } = world.github
  expect([...state.refs.keys()].sort()).toEqual(['refs/heads/main', `refs/tags/${TAG}`])
  expect(state.releases.size).toBe(0)
  expect(state.assets.size).toBe(0)
}

describe.concurrent(
  'a pushed tag under races and faults',
  { timeout: SLOW_MACHINE_TIMEOUT_MS },
  () => {
    it('lets exactly one of 8 concurrent runs for one pushed tag publish; the losers write nothing', () =>
      inWorld(async (world) => {
        const artifacts = await writeArtifacts(world)
        const objectSha = pushTagTo(world, 'annotated')
        const watched = watchRef(world, `refs/tags/${TAG}`)
        // The first publish is held for 3 s, so the winner holds its claim while the others,
        // all of which found no claim and no release when they started, try to claim.
        world.github.injectFault({
          method: 'PATCH',
          route: `PATCH ${RELEASE_ROUTE}`,
          ordinal: 1,
          fault: { delayMs: 3000 },
        })
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            world.run(INPUTS, { runId: String(8001 + i), extraEnv: pushedTagEnv() }),
          ),
        )
        const winners = results.filter((r) => r.exitCode === 0)
        expect(winners, results.map(transcript).join('\n\n')).toHaveLength(1)
        const losers = results.filter((r) => r.exitCode !== 0)
        for (const loser of losers) expect(expectFailed(loser)).toMatch(LOST_RACE)
        // The claim ref decided: at least one loser was refused by GitHub's 422 on it.
        const refusedAtClaim = losers.filter((l) =>
          /Another run is releasing the pushed tag/.test(expectFailed(l)),
        )
        expect(refusedAtClaim.length, results.map(transcript).join('\n\n')).toBeGreaterThan(0)

        const release = onlyRelease(world)
        expect(release.draft).toBe(false)
        expect((winners[0] as ActionRunResult).outputs['release-id']).toBe(String(release.id))
        // Only the winner drafted and uploaded: no loser wrote a draft or an asset, even briefly.
        expect(requestsTo(world, 'POST', '/repos/{owner}/{repo}/releases')).toBe(1)
        expect(requestsTo(world, 'POST', /^\/uploads\//)).toBe(artifacts.size + OWN_ASSETS.length)
        expect(world.github.state.assets.size).toBe(artifacts.size + OWN_ASSETS.length)
        expect(world.github.state.refs.has(CLAIM_REF)).toBe(false)
        expectTagUntouched(world, watched, objectSha)
        const { report } = await verifyPublished(world, release.id)
        expect(report.verified).toBe(true)
        expect(world.github.violations).toEqual([])
      }))

    it('leaves the pushed tag and nothing else after an upload fault', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        const objectSha = pushTagTo(world, 'annotated')
        const watched = watchRef(world, `refs/tags/${TAG}`)
        for (let ordinal = 1; ordinal <= 40; ordinal++) {
          world.github.injectFault({
            method: 'POST',
            route: /^POST \/uploads\//,
            ordinal,
            fault: { status: 500 },
          })
        }
        const result = await world.run(INPUTS, { extraEnv: pushedTagEnv() })
        const message = expectFailed(result)
        expect(message).toMatch(/failed at the upload step/)
        expect(message).toContain(
          `Nothing was left behind: the draft, its assets and the release claim were removed; the pushed tag ${TAG} is as it was.`,
        )
        // The claim and the draft did happen, and were undone; the tag was never touched.
        expect(requestsTo(world, 'POST', '/repos/{owner}/{repo}/releases')).toBe(1)
        expect(requestsTo(world, 'DELETE', RELEASE_ROUTE)).toBe(1)
        expectOnlyThePushedTag(world)
        expectTagUntouched(world, watched, objectSha)
        expect(result.outputs['release-id']).toBeUndefined()
        expect(world.github.violations).toEqual([])
      }))

    it('resumes its own draft in a re-run attempt after the job was killed mid-release', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        const objectSha = pushTagTo(world, 'lightweight')
        const watched = watchRef(world, `refs/tags/${TAG}`)
        world.github.injectFault({
          method: 'PATCH',
          route: `PATCH ${RELEASE_ROUTE}`,
          fault: { delayMs: 600_000 },
        })
        const kill = new AbortController()
        const env = pushedTagEnv()
        const first = world.run(INPUTS, { runId: '4242', killSignal: kill.signal, extraEnv: env })
        await waitFor(
          () =>
            world.github.requests.some((r) => r.method === 'PATCH' && r.route === RELEASE_ROUTE),
          'the publish request',
        )
        kill.abort()
        expect((await first).signal).toBe('SIGKILL')
        const draft = onlyRelease(world)
        expect(draft.draft).toBe(true)
        const claim = world.github.state.refs.get(CLAIM_REF)
        expect(claim).toMatch(/^[0-9a-f]{40}$/)

        // Another run's attempt must not take the claim or the draft over ...
        const stranger = await world.run(INPUTS, { runId: '9999', runAttempt: '2', extraEnv: env })
        expect(expectFailed(stranger)).toMatch(/a draft release already uses tag "v1\.0\.0"/)
        expect(world.github.state.refs.get(CLAIM_REF)).toBe(claim)

        // ... but the re-run attempt of the same run resumes both.
        const second = await world.run(INPUTS, { runId: '4242', runAttempt: '2', extraEnv: env })
        expectSucceeded(second)
        expect(second.stdout).toContain(`Resuming the release of the pushed tag ${TAG}`)
        const release = onlyRelease(world)
        expect(release.id).toBe(draft.id)
        expect(release.draft).toBe(false)
        expect(world.github.state.refs.has(CLAIM_REF)).toBe(false)
        expectTagUntouched(world, watched, objectSha)
        const { report } = await verifyPublished(world, release.id)
        expect(report.verified).toBe(true)
        expect(world.github.violations).toEqual([])
      }))
  },
)
