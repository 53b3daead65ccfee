// Issue 8, item 3: concurrent runs. 2, 4 and 8 runs release one new tag at once, and runs for
// different tags overlap: exactly one release per tag, the losers fail cleanly, and nothing is
// orphaned (no extra refs, drafts or assets; the losers' tag objects are not reachable from any
// ref). The release flow runs in this process (many runs at once, on files the action built and
// signed); two real action processes race as well.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/action/run.ts'
import { createFakeClient } from '../support/github-fake/index.ts'
import type { GitHubFake } from '../support/github-fake/index.ts'
import { publishSignedRelease, signedReleaseFromOutputs } from './support-github-flow.ts'
import type { FlowResult, SignedRelease } from './support-github-flow.ts'
import { runInProcess } from './support-inprocess.ts'
import { errorsOf, startProcessWorld } from './support-process.ts'
import { EXPECTED_ASSETS, judgeRun, releaseProblems, startHostileWorld } from './support-world.ts'
import type { HostileWorld } from './support-world.ts'

let world: HostileWorld
let signed: SignedRelease

beforeAll(async () => {
  world = await startHostileWorld()
  const fake = await world.newGitHub()
  const result = await runInProcess(run, await world.runnerEnv(fake, { inputs: { tag: 'v1.0.0' } }))
  expect(result.errors).toEqual([])
  signed = await signedReleaseFromOutputs(world.workspace, result.outputs)
})
afterAll(() => world?.close())

/** A losing run's error: another run claimed or released the tag first. */
const LOST_RACE = /created by another run|already exists|already uses tag/

function race(fake: GitHubFake, runs: { tag: string; runId: string }[]): Promise<FlowResult[]> {
  // Every claim is held briefly at the fake, so all runs' POST git/refs meet there together.
  for (let i = 1; i <= runs.length; i++) {
    fake.injectFault({
      method: 'POST',
      route: 'POST /repos/{owner}/{repo}/git/refs',
      ordinal: i,
      fault: { delayMs: 40 },
    })
  }
  return Promise.all(
    runs.map(({ tag, runId }) =>
      publishSignedRelease(createFakeClient(fake), { owner: fake.owner, repo: fake.repo }, signed, {
        tag,
        commit: world.judge.commitSha,
        run: { id: runId, attempt: 1 },
      }),
    ),
  )
}

/** Exactly one published release per tag with exactly its assets, and nothing else at all. */
async function expectOneReleasePerTag(fake: GitHubFake, tags: string[]): Promise<void> {
  expect([...fake.state.refs.keys()].filter((r) => r.startsWith('refs/tags/')).sort()).toEqual(
    tags.map((t) => `refs/tags/${t}`).sort(),
  )
  const releases = [...fake.state.releases.values()]
  expect(releases.map((r) => [r.release.tag_name, r.release.draft]).sort()).toEqual(
    tags.map((t) => [t, false]).sort(),
  )
  expect(fake.state.assets.size).toBe(tags.length * EXPECTED_ASSETS.length)
  for (const tag of tags) {
    expect({ tag, problems: await releaseProblems(world, fake, tag, signed.digests) }).toEqual({
      tag,
      problems: [],
    })
    // The tag is the winner's annotated claim.
    const claim = fake.state.tagObjects.get(fake.state.refs.get(`refs/tags/${tag}`) as string)
    expect(claim?.message).toMatch(/immutable-release run \S+ attempt 1/)
  }
}

describe('concurrent runs for one new tag', () => {
  for (const n of [2, 4, 8]) {
    it(`${n} runs: one publishes, ${n - 1} fail cleanly, nothing is orphaned`, async () => {
      const fake = await world.newGitHub()
      const results = await race(
        fake,
        Array.from({ length: n }, (_, i) => ({ tag: 'v1.0.0', runId: `${5000 + i}` })),
      )
      const winners = results.filter((r) => r.exitCode === 0)
      const losers = results.filter((r) => r.exitCode !== 0)
      expect(winners).toHaveLength(1)
      expect(losers).toHaveLength(n - 1)
      for (const loser of losers) expect(loser.errors.join('\n')).toMatch(LOST_RACE)
      await expectOneReleasePerTag(fake, ['v1.0.0'])
      // The losers' claims are tag objects no ref points at: invisible, like any unreachable object.
      const reachable = new Set(fake.state.refs.values())
      const dangling = [...fake.state.tagObjects.keys()].filter((sha) => !reachable.has(sha))
      const lostTheClaim = losers.filter((l) => /created by another run/.test(l.errors.join()))
      expect(dangling).toHaveLength(lostTheClaim.length)
      // The claims met at the fake: the atomic ref creation, not the reads, decided.
      if (n === 8) expect(lostTheClaim.length).toBeGreaterThan(0)
      expect(fake.violations).toEqual([])
    })
  }
})

describe('concurrent runs for different tags', () => {
  it('3 tags raced by 3 runs each at once: exactly one release per tag', async () => {
    const fake = await world.newGitHub()
    const tags = ['v1.0.0', 'v1.1.0', 'v2.0.0']
    const runs = tags.flatMap((tag, t) =>
      [0, 1, 2].map((i) => ({ tag, runId: `${6000 + t * 10 + i}` })),
    )
    const results = await race(fake, runs)
    for (const tag of tags) {
      const ofTag = results.filter((_, i) => runs[i]!.tag === tag)
      expect({ tag, winners: ofTag.filter((r) => r.exitCode === 0).length }).toEqual({
        tag,
        winners: 1,
      })
      for (const loser of ofTag.filter((r) => r.exitCode !== 0)) {
        expect(loser.errors.join('\n')).toMatch(LOST_RACE)
      }
    }
    await expectOneReleasePerTag(fake, tags)
    expect(fake.violations).toEqual([])
  })
})

describe('two action processes for one tag', () => {
  it('one publishes a verifiable release, the other fails cleanly and leaves nothing', async () => {
    const pw = await startProcessWorld()
    try {
      const fake = pw.world.github
      fake.injectFault({
        method: 'POST',
        route: 'POST /repos/{owner}/{repo}/git/refs',
        ordinal: 1,
        fault: { delayMs: 300 },
      })
      const results = await Promise.all(
        ['7001', '7002'].map((runId) =>
          pw.world.run({ tag: 'v3.0.0', 'subject-path': 'dist/*' }, { runId }),
        ),
      )
      const codes = results.map((r) => r.exitCode).sort()
      expect(codes).toEqual([0, 1])
      const loser = results.find((r) => r.exitCode === 1)!
      expect(errorsOf(loser).join('\n')).toMatch(LOST_RACE)
      const winner = results.find((r) => r.exitCode === 0)!
      expect(await judgeRun(pw, fake, 'v3.0.0', { exitCode: 0, errors: errorsOf(winner) })).toEqual(
        { outcome: 'published', problems: [] },
      )
      expect(fake.state.releases.size).toBe(1)
    } finally {
      await pw.close()
    }
  }, 60_000)
})
