// Issue 16: what a run started by a tag push refuses, through the action's real entry. Each
// case names what exists, writes nothing to GitHub (not even an unreachable object) and asks
// Sigstore for nothing: the tag at another commit, another run's draft, a published release,
// a tag input naming another tag than the pushed one, and a target-commitish elsewhere.
import { describe, expect, it } from 'vitest'
import type { ReleaseWorld } from '../support/release-world.ts'
import {
  REPOSITORY,
  SLOW_MACHINE_TIMEOUT_MS,
  expectFailed,
  expectNoSigstoreRequest,
  inWorld,
  writeArtifacts,
} from '../action/helpers.ts'
import { TAG, expectTagUntouched, pushTagTo, pushedTagEnv, watchRef } from './support.ts'

const INPUTS = { 'subject-path': 'dist/*' }

/** A second commit on main, after the one the run was started for. */
function addLaterCommit(world: ReleaseWorld): string {
  return world.github.addCommit({
    message: 'Build 1.1',
    parents: [world.sha],
    author: {
      name: 'Release Bot',
      email: 'bot@users.noreply.example',
      date: '2026-01-03T00:00:00Z',
    },
  })
}

/** A release created through the API before the run, as another run or a person would. */
async function createRelease(world: ReleaseWorld, draft: boolean, body: string): Promise<void> {
  const response = await fetch(`${world.github.url}/repos/${REPOSITORY}/releases`, {
    method: 'POST',
    headers: { authorization: `token ${world.github.token}` },
    body: JSON.stringify({ tag_name: TAG, draft, body }),
  })
  expect(response.status).toBe(201)
}

function snapshot(world: ReleaseWorld): string {
  const { state } = world.github
  return JSON.stringify({
    refs: [...state.refs],
    tagObjects: [...state.tagObjects.keys()],
    releases: [...state.releases.values()],
    assets: [...state.assets.keys()],
    attestations: state.attestations.length,
  })
}

interface Case {
  name: string
  arrange(
    world: ReleaseWorld,
  ): Promise<{ inputs?: Record<string, string>; env?: Record<string, string> }>
  says: RegExp
}

const CASES: Case[] = [
  {
    name: 'the pushed tag points at another commit than the run’s',
    async arrange(world) {
      pushTagTo(world, 'annotated', addLaterCommit(world))
      return {}
    },
    says: new RegExp(
      `^Input 'tag': tag "v1\\.0\\.0" points at commit [0-9a-f]{40}, but this run was started for commit [0-9a-f]{40} \\(GITHUB_SHA\\).*never moves, deletes or re-creates a tag`,
    ),
  },
  {
    name: 'another run’s draft uses the tag',
    async arrange(world) {
      pushTagTo(world, 'lightweight')
      await createRelease(world, true, 'x\n\n<!-- immutable-release: run_id=555, run_attempt=1 -->')
      return {}
    },
    says: /^Input 'tag': a draft release already uses tag "v1\.0\.0" \(.+\); it was not created by an earlier attempt of this workflow run/,
  },
  {
    name: 'a published release uses the tag',
    async arrange(world) {
      pushTagTo(world, 'annotated')
      await createRelease(world, false, 'Released by hand')
      return {}
    },
    says: /^Input 'tag': a published release already uses tag "v1\.0\.0": http\S+\/releases\/tag\/v1\.0\.0/,
  },
  {
    name: 'the tag input names another tag than the pushed one',
    async arrange(world) {
      pushTagTo(world, 'lightweight')
      return { inputs: { tag: 'v2.0.0' } }
    },
    says: /^Input 'tag': is "v2\.0\.0", but this run was started by pushing tag "v1\.0\.0"\. Leave the tag input unset/,
  },
  {
    name: 'target-commitish names another commit than the pushed tag’s',
    async arrange(world) {
      pushTagTo(world, 'lightweight')
      return { inputs: { 'target-commitish': addLaterCommit(world) } }
    },
    says: /^Input 'target-commitish': resolves to [0-9a-f]{40}, but the pushed tag "v1\.0\.0" points at [0-9a-f]{40}\. Leave target-commitish unset/,
  },
  {
    name: 'the pushed tag was deleted before the run read it',
    async arrange() {
      return {}
    },
    says: /^Input 'tag': tag "v1\.0\.0" started this run but no longer exists/,
  },
]

describe.concurrent(
  'a tag-push run refuses, writing nothing',
  { timeout: SLOW_MACHINE_TIMEOUT_MS },
  () => {
    for (const { name, arrange, says } of CASES) {
      it(`when ${name}`, () =>
        inWorld(async (world) => {
          await writeArtifacts(world)
          const { inputs = {} } = await arrange(world)
          const objectSha = world.github.state.refs.get(`refs/tags/${TAG}`)
          const watched = watchRef(world, `refs/tags/${TAG}`)
          const before = snapshot(world)
          const requestsBefore = world.github.requests.length

          const result = await world.run({ ...INPUTS, ...inputs }, { extraEnv: pushedTagEnv() })
          expect(expectFailed(result)).toMatch(says)

          expect(snapshot(world)).toBe(before)
          const writes = world.github.requests
            .slice(requestsBefore)
            .filter((r) => r.method !== 'GET')
          expect(writes).toEqual([])
          expectNoSigstoreRequest(world)
          if (objectSha !== undefined) expectTagUntouched(world, watched, objectSha)
          expect(world.github.violations).toEqual([])
        }))
    }
  },
)
