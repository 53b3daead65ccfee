// The world the withdraw tests run in: the release world (loopback Sigstore stack and GitHub
// fake with immutable releases on) holding releases made by the release action's real entry,
// and a snapshot of that state, so each test starts from the same three releases without
// paying for them again.
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { WITHDRAW_ENTRY_SOURCE } from '../support/action-runner.ts'
import type { ActionRunOptions, ActionRunResult } from '../support/action-runner.ts'
import type { FakeState } from '../support/github-fake/state.ts'
import { startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import {
  PSEUDONYMIZATION_KEY,
  SLOW_MACHINE_TIMEOUT_MS,
  expectSucceeded,
  writeArtifacts,
} from '../action/helpers.ts'

export { PSEUDONYMIZATION_KEY }

/** Created in this order, so "newest by date" (v1.0.1) and "newest by semver" (v1.1.0) differ. */
export const RELEASE_TAGS = ['v1.1.0', 'v1.0.1', 'v1.2.0'] as const

export interface WithdrawWorld {
  world: ReleaseWorld
  /** Puts the fake back to the three releases (and nothing else). */
  reset(): void
  /** Runs the withdraw entry (src/withdraw-action/main.ts) in a runner-like process. */
  withdraw(
    inputs: Record<string, string>,
    options?: Partial<Omit<ActionRunOptions, 'inputs'>>,
  ): Promise<ActionRunResult>
  close(): Promise<void>
}

type Snapshot = Omit<FakeState, 'repository'>

function snapshot(state: FakeState): Snapshot {
  const { repository: _repository, ...rest } = state
  return structuredClone(rest)
}

function restore(state: FakeState, saved: Snapshot): void {
  const copy = structuredClone(saved)
  for (const key of [
    'commits',
    'refs',
    'tagObjects',
    'releases',
    'assets',
    'burnedTagNames',
  ] as const) {
    const target = state[key] as Map<unknown, unknown> | Set<unknown>
    target.clear()
    const source = copy[key] as Map<unknown, unknown> | Set<unknown>
    if (target instanceof Map) {
      for (const [k, v] of source as Map<unknown, unknown>) target.set(k, v)
    } else {
      for (const v of source as Set<unknown>) target.add(v)
    }
  }
  state.attestations.splice(0, state.attestations.length, ...copy.attestations)
  state.latestReleaseId = copy.latestReleaseId
}

/** The release world with RELEASE_TAGS published by the release action, each as its own run. */
export async function startWithdrawWorld(): Promise<WithdrawWorld> {
  const world = await startReleaseWorld({ github: { repository: { immutableReleases: true } } })
  await writeArtifacts(world)
  let runId = 100
  for (const tag of RELEASE_TAGS) {
    const result = await world.run(
      { tag, 'subject-path': 'dist/*', 'pseudonymization-key': PSEUDONYMIZATION_KEY },
      { runId: String(++runId) },
    )
    expectSucceeded(result)
  }
  const saved = snapshot(world.github.state)
  return {
    world,
    reset: () => restore(world.github.state, saved),
    withdraw: (inputs, options = {}) =>
      world.run(inputs, { entry: WITHDRAW_ENTRY_SOURCE, runId: '9001', ...options }),
    close: () => world.close(),
  }
}

/** The stored release using `tag` (fails when there is none). */
export function releaseOfTag(world: ReleaseWorld, tag: string) {
  const stored = [...world.github.state.releases.values()].find((r) => r.release.tag_name === tag)
  expect(stored, `a release of ${tag}`).toBeDefined()
  return stored as NonNullable<typeof stored>
}

/** The tag of the release the fake marks latest. */
export function latestTag(world: ReleaseWorld): string | undefined {
  const id = world.github.state.latestReleaseId
  return id === undefined ? undefined : world.github.state.releases.get(id)?.release.tag_name
}

/** What GitHub holds, as comparable JSON. */
export function repositoryState(world: ReleaseWorld): unknown {
  const { state } = world.github
  return JSON.parse(
    JSON.stringify({
      refs: [...state.refs],
      tagObjects: [...state.tagObjects.keys()],
      releases: [...state.releases.values()],
      // Downloads count up when the withdrawal reads a release: not a change of content.
      assets: [...state.assets.values()].map(({ asset: { download_count: _n, ...rest } }) => rest),
      attestations: state.attestations.length,
      latest: state.latestReleaseId,
    }),
  )
}

/**
 * The withdraw world for one test file: started once before its tests, reset to the three
 * releases before each, closed after all. Its members may be used only inside tests and hooks.
 */
export function useWithdrawWorld(): WithdrawWorld {
  let started: WithdrawWorld | undefined
  beforeAll(async () => {
    started = await startWithdrawWorld()
  }, SLOW_MACHINE_TIMEOUT_MS)
  afterAll(async () => started?.close())
  beforeEach(() => started?.reset())
  const current = (): WithdrawWorld => {
    if (!started) throw new Error('the withdraw world is not started: use it inside a test')
    return started
  }
  return {
    get world() {
      return current().world
    },
    reset: () => current().reset(),
    withdraw: (inputs, options) => current().withdraw(inputs, options),
    close: () => current().close(),
  }
}
