// Shared checks of the end-to-end tests: what the GitHub fake holds after a run, the release's
// assets downloaded through the API, and the identity every bundle must carry.
import { createHash } from 'node:crypto'
import { expect } from 'vitest'
import type { ActionRunResult } from '../support/action-runner.ts'
import { REPOSITORY, WORKFLOW_REF, startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld, ReleaseWorldOptions } from '../support/release-world.ts'
import { SAMPLE_CHANGE_RECORD_YAML } from '../support/sample-change-record.ts'
import { GITHUB_ACTIONS_ISSUER } from '../support/sigstore-stack.ts'
import type { IdentityPolicy } from '../../src/sign/verify-bundle.ts'

export { REPOSITORY, WORKFLOW_REF }

/**
 * Each test spawns the action one to ten times (about 2 s of CPU per release). Alone they take
 * seconds; the generous limit is for a machine shared with the rest of the suite.
 */
export const SLOW_MACHINE_TIMEOUT_MS = 180_000

/** The assets the action adds to every release next to the artifacts. */
export const OWN_ASSETS = [
  'release-manifest.json',
  'release-manifest.sigstore.json',
  'change-record.json',
  'change-record.sigstore.json',
  'SHA256SUMS',
] as const

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Starts a world, runs `body`, and always closes the world. */
export async function inWorld<T>(
  body: (world: ReleaseWorld) => Promise<T>,
  options: ReleaseWorldOptions = {},
): Promise<T> {
  const world = await startReleaseWorld(options)
  try {
    return await body(world)
  } finally {
    await world.close()
  }
}

/** The identity real Fulcio certifies for this world's release workflow. */
export function workflowIdentity(): IdentityPolicy {
  return {
    subjectAlternativeName: `https://github.com/${WORKFLOW_REF}`,
    issuer: GITHUB_ACTIONS_ISSUER,
    buildSignerURI: `https://github.com/${WORKFLOW_REF}`,
  }
}

/** Everything the run printed and wrote, for failure messages of assertions. */
export function transcript(result: ActionRunResult): string {
  return `exit ${result.exitCode} (${result.signal ?? 'no signal'})\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
}

/** The `::error::` annotation `core.setFailed` printed (exactly one for a failed run). */
export function failureOf(result: ActionRunResult): string {
  const errors = result.annotations.filter((a) => a.level === 'error')
  expect(errors, transcript(result)).toHaveLength(1)
  return (errors[0] as { message: string }).message
}

export function expectFailed(result: ActionRunResult): string {
  expect(result.exitCode, transcript(result)).toBe(1)
  return failureOf(result)
}

export function expectSucceeded(result: ActionRunResult): void {
  expect(result.exitCode, transcript(result)).toBe(0)
  expect(
    result.annotations.filter((a) => a.level === 'error'),
    transcript(result),
  ).toEqual([])
}

/** The repository holds exactly what the world seeded: no tag, release, asset or attestation. */
export function expectRepositoryUntouched(world: ReleaseWorld): void {
  const { state } = world.github
  expect([...state.refs.keys()]).toEqual(['refs/heads/main'])
  expect(state.releases.size).toBe(0)
  expect(state.assets.size).toBe(0)
  expect(state.attestations).toEqual([])
  expect(world.github.violations).toEqual([])
}

/** Untouched, and not even attempted: the run sent GitHub no write request at all. */
export function expectNoWriteRequest(world: ReleaseWorld): void {
  expectRepositoryUntouched(world)
  expect(world.github.requests.filter((r) => r.method !== 'GET')).toEqual([])
  expect(world.github.state.tagObjects.size).toBe(0)
}

export function expectNoSigstoreRequest(world: ReleaseWorld): void {
  expect(world.sigstore.requests).toEqual({ fulcio: 0, rekor: 0, tsa: 0, oidc: 0 })
}

export function tagRefs(world: ReleaseWorld): string[] {
  return [...world.github.state.refs.keys()].filter((ref) => ref.startsWith('refs/tags/'))
}

/** Downloads an asset's bytes through the REST API, as a client of GitHub would. */
export async function downloadAsset(world: ReleaseWorld, assetId: number): Promise<Buffer> {
  const response = await fetch(
    `${world.github.url}/repos/${REPOSITORY}/releases/assets/${assetId}`,
    {
      headers: {
        authorization: `token ${world.github.token}`,
        accept: 'application/octet-stream',
      },
    },
  )
  expect(response.status).toBe(200)
  return Buffer.from(await response.arrayBuffer())
}

/** Every asset of a release, by name, downloaded. */
export async function downloadAssets(
  world: ReleaseWorld,
  releaseId: number,
): Promise<Map<string, Buffer>> {
  const assets = world.github.assetsOf(releaseId)
  const files = new Map<string, Buffer>()
  for (const asset of assets) files.set(asset.name, await downloadAsset(world, asset.id))
  return files
}

/** The one release in the fake (fails when there is not exactly one). */
export function onlyRelease(world: ReleaseWorld): {
  id: number
  tag_name: string
  draft: boolean
  body: string | null | undefined
  target_commitish: string
} {
  const releases = [...world.github.state.releases.values()]
  expect(releases).toHaveLength(1)
  return (releases[0] as { release: ReturnType<typeof onlyRelease> }).release
}

/** Seeds two small artifacts in the workspace; returns their names and bytes. */
export async function writeArtifacts(world: ReleaseWorld): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>([
    ['widget-linux-amd64', Buffer.alloc(70 * 1024, 7)],
    ['notes.txt', Buffer.from('Widget 1.0\n')],
  ])
  for (const [name, bytes] of files) await world.write(`dist/${name}`, bytes)
  return files
}

/** A valid change record whose approver is a seeded identifier. */
export const CHANGE_RECORD_YAML = SAMPLE_CHANGE_RECORD_YAML

export const PSEUDONYMIZATION_KEY = 'e2e-pseudonymization-key-0123456789abcdef'
