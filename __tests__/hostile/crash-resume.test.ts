// Issue 8, item 2: the runner dies (SIGKILL) at each step of the release flow, then the same
// workflow run is re-run (the next attempt). The re-run completes the release (one published,
// verifiable release) or, when the first attempt had already published, refuses and leaves it
// as it is; a partial release is never published, and a different run never takes over the
// claim, the draft or its assets.
import { describe, expect, it } from 'vitest'
import type { ActionRunResult } from '../support/action-runner.ts'
import type { GitHubFake } from '../support/github-fake/index.ts'
import { errorsOf, limited, startProcessWorld, waitFor } from './support-process.ts'
import type { ProcessWorld } from './support-process.ts'
import { judgeRun, releaseProblems, visibleState } from './support-world.ts'

const TAG = 'v2.0.0'
const INPUTS = { tag: TAG, 'subject-path': 'dist/*' }
/** Longer than any test: the request hangs until the process is killed. */
const HANG = { delayMs: 120_000 }
const UPLOAD = '/repos/{owner}/{repo}/releases/{release_id}/assets'

type Step = 'after claim' | 'during draft' | 'mid-upload' | 'before publish' | 'after publish'

interface CrashCase {
  step: Step
  /** Makes the flow hang (or be slow) at the chosen point. */
  arm(fake: GitHubFake): void
  /** True once the run has reached the point to die at. */
  reached(fake: GitHubFake): boolean
  /** What the crash must have left: never a published partial release. */
  left(fake: GitHubFake): void
  extra?: Record<string, Buffer>
}

const seen = (fake: GitHubFake, method: string, route: string): boolean =>
  fake.requests.some((r) => r.method === method && r.route === route)
const releasesOf = (fake: GitHubFake) => [...fake.state.releases.values()]

const cases: CrashCase[] = [
  {
    step: 'after claim',
    arm: (fake) =>
      fake.injectFault({
        method: 'POST',
        route: 'POST /repos/{owner}/{repo}/releases',
        fault: HANG,
      }),
    reached: (fake) => seen(fake, 'POST', '/repos/{owner}/{repo}/releases'),
    left: (fake) => {
      expect(visibleState(fake).tagRefs).toEqual([`refs/tags/${TAG}`])
      expect(releasesOf(fake)).toHaveLength(0)
    },
  },
  {
    step: 'during draft',
    // The draft exists, its first upload hangs before any byte is stored.
    arm: (fake) => fake.injectFault({ method: 'POST', route: `POST ${UPLOAD}`, fault: HANG }),
    reached: (fake) => seen(fake, 'POST', UPLOAD),
    left: (fake) => {
      expect(releasesOf(fake).map((r) => r.release.draft)).toEqual([true])
    },
  },
  {
    step: 'mid-upload',
    // A large asset is killed while its bytes arrive: the draft keeps a half-uploaded asset.
    extra: { 'widget-large.bin': Buffer.alloc(32 * 1024 * 1024, 0x33) },
    arm: () => {},
    reached: (fake) =>
      [...fake.state.assets.values()].some(
        (a) => a.asset.name === 'widget-large.bin' && a.asset.state === 'open',
      ),
    left: (fake) => {
      expect(releasesOf(fake).map((r) => r.release.draft)).toEqual([true])
    },
  },
  {
    step: 'before publish',
    arm: (fake) =>
      fake.injectFault({
        method: 'PATCH',
        route: 'PATCH /repos/{owner}/{repo}/releases/{release_id}',
        fault: HANG,
      }),
    reached: (fake) => seen(fake, 'PATCH', '/repos/{owner}/{repo}/releases/{release_id}'),
    left: (fake) => {
      const [draft] = releasesOf(fake)
      expect(draft?.release.draft).toBe(true)
      expect(fake.assetsOf(draft!.release.id).every((a) => a.state === 'uploaded')).toBe(true)
    },
  },
  {
    step: 'after publish',
    arm: (fake) =>
      fake.injectFault({
        method: 'GET',
        route: 'GET /repos/{owner}/{repo}/immutable-releases',
        fault: HANG,
      }),
    reached: (fake) => seen(fake, 'GET', '/repos/{owner}/{repo}/immutable-releases'),
    left: (fake) => {
      expect(releasesOf(fake).map((r) => r.release.draft)).toEqual([false])
    },
  },
]

/** Starts the action, kills it (SIGKILL) once `reached`, and returns the dead run's result. */
async function crash(pw: ProcessWorld, c: CrashCase): Promise<ActionRunResult> {
  const { world } = pw
  c.arm(world.github)
  const killer = new AbortController()
  const running = world.run(INPUTS, { runId: '3001', runAttempt: '1', killSignal: killer.signal })
  let exited = false
  void running.finally(() => (exited = true))
  await waitFor(`the ${c.step} point`, () => exited || c.reached(world.github), 60_000)
  killer.abort()
  const result = await running
  expect(result.signal).toBe('SIGKILL')
  return result
}

/** Everything visible about a tag's claim and draft, to show nobody touched them. */
function snapshot(fake: GitHubFake): string {
  return JSON.stringify({
    refs: [...fake.state.refs.entries()].sort(),
    releases: releasesOf(fake).map((r) => ({ ...r.release, updated_at: undefined })),
    assets: [...fake.state.assets.values()].map((a) => ({ ...a.asset, download_count: 0 })),
  })
}

describe('SIGKILL at each step, then the next attempt of the same run', () => {
  it('completes the release, or leaves a published one as it is', async () => {
    const outcomes = await limited(
      2,
      cases.map((c) => async () => {
        const pw = await startProcessWorld(c.extra)
        try {
          await crash(pw, c)
          const fake = pw.world.github
          c.left(fake)
          // Whatever the crash left, nothing partial is published.
          for (const r of releasesOf(fake).filter((r) => !r.release.draft)) {
            expect(await releaseProblems(pw, fake, TAG)).toEqual([])
            expect(r.release.tag_name).toBe(TAG)
          }
          const leftPartialUpload = [...fake.state.assets.values()].some(
            (a) => a.asset.state !== 'uploaded',
          )
          const before = snapshot(fake)

          const rerun = await pw.world.run(INPUTS, { runId: '3001', runAttempt: '2' })
          const verdict = await judgeRun(pw, fake, TAG, {
            exitCode: rerun.exitCode,
            errors: errorsOf(rerun),
          })
          const untouched = snapshot(fake) === before
          const intact = (await releaseProblems(pw, fake, TAG)).length === 0
          return { step: c.step, rerun, verdict, leftPartialUpload, untouched, intact }
        } finally {
          await pw.close()
        }
      }),
    )
    for (const { step, rerun, verdict, leftPartialUpload, untouched, intact } of outcomes) {
      if (step === 'mid-upload')
        expect({ step, leftPartialUpload }).toEqual({ step, leftPartialUpload: true })
      if (step === 'after publish') {
        // The release is complete; the re-run signs anew, so it cannot pass for the first
        // attempt's files and must not touch them: it refuses, naming the published release.
        expect({ step, exitCode: rerun.exitCode }).toEqual({ step, exitCode: 1 })
        expect(errorsOf(rerun).join('\n')).toMatch(/published release already uses tag "v2\.0\.0"/)
        expect(verdict.problems.some((p) => /although a release was published/.test(p))).toBe(true)
        expect({ step, untouched, intact }).toEqual({ step, untouched: true, intact: true })
      } else {
        expect({ step, exitCode: rerun.exitCode, verdict }).toEqual({
          step,
          exitCode: 0,
          verdict: { outcome: 'published', problems: [] },
        })
        expect(rerun.stdout).toContain('Resuming the release of v2.0.0')
      }
    }
  }, 150_000)
})

describe('a different run after a crash', () => {
  it("is refused and leaves the crashed run's claim, draft and assets intact; its own re-run then completes", async () => {
    const pw = await startProcessWorld()
    try {
      const fake = pw.world.github
      await crash(
        pw,
        cases.find((c) => c.step === 'before publish')!,
      )
      const before = snapshot(fake)
      const writes = () => fake.requests.filter((r) => r.method !== 'GET').length
      const writesBefore = writes()

      // A new run (first attempt), and a re-run of some other run (attempt 2): neither may steal.
      const [other, otherRerun] = await limited(2, [
        () => pw.world.run(INPUTS, { runId: '4004', runAttempt: '1' }),
        () => pw.world.run(INPUTS, { runId: '4005', runAttempt: '2' }),
      ])
      for (const result of [other!, otherRerun!]) {
        expect(result.exitCode).toBe(1)
        expect(errorsOf(result).join('\n')).toMatch(/tag "v2\.0\.0"/)
        expect(errorsOf(result).join('\n')).not.toMatch(/failed at the/)
      }
      expect(snapshot(fake)).toBe(before)
      expect(writes()).toBe(writesBefore)

      const resumed = await pw.world.run(INPUTS, { runId: '3001', runAttempt: '2' })
      expect(
        await judgeRun(pw, fake, TAG, { exitCode: resumed.exitCode, errors: errorsOf(resumed) }),
      ).toEqual({ outcome: 'published', problems: [] })
    } finally {
      await pw.close()
    }
  }, 90_000)
})
