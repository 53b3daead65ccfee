// What the tag-push tests share: the environment of a run started by `git push origin <tag>`,
// a pushed tag (lightweight or annotated) in the fake, a watch on the tag ref that sees every
// write to it, and verification of the published release from its downloaded assets.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { verifyReleaseDirectory } from '../../src/verify/index.ts'
import type { VerificationReport } from '../../src/verify/types.ts'
import { pushTag } from '../support/github-fake/git.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import { REPOSITORY, downloadAssets } from '../action/helpers.ts'

export const TAG = 'v1.0.0'
export const CLAIM_REF = `refs/immutable-release/claims/${TAG}`

/** The person who tagged: personal data that must reach nothing the action writes. */
export const TAGGER = {
  name: 'Erika Mustermann',
  email: 'erika.mustermann@example.org',
  date: '2026-01-02T03:04:05Z',
}

/** The runner's variables for a workflow `on: push: tags` started by pushing `tag`. */
export function pushedTagEnv(tag: string = TAG): Record<string, string> {
  return {
    GITHUB_REF: `refs/tags/${tag}`,
    GITHUB_REF_NAME: tag,
    GITHUB_REF_TYPE: 'tag',
    GITHUB_EVENT_NAME: 'push',
  }
}

/** Pushes `tag` at `commitSha`, lightweight or annotated; returns the object its ref names. */
export function pushTagTo(
  world: ReleaseWorld,
  kind: 'lightweight' | 'annotated',
  commitSha: string = world.sha,
  tag: string = TAG,
): string {
  return pushTag(world.github.state, {
    name: tag,
    commitSha,
    ...(kind === 'annotated' ? { annotated: { message: `Widget ${tag}\n`, tagger: TAGGER } } : {}),
  })
}

/** Every change any code makes to `ref` in the fake from now on (a set or a delete). */
export function watchRef(world: ReleaseWorld, ref: string): string[] {
  const refs = world.github.state.refs
  const events: string[] = []
  const set = refs.set.bind(refs)
  const del = refs.delete.bind(refs)
  refs.set = (name, sha) => {
    if (name === ref) events.push(`set ${sha}`)
    return set(name, sha)
  }
  refs.delete = (name) => {
    if (name === ref) events.push('delete')
    return del(name)
  }
  return events
}

/**
 * The pushed tag was never written: no request PATCHed or DELETEd its ref, no write of any
 * kind reached it (a re-creation needs a delete and a create), and it points where it did.
 */
export function expectTagUntouched(
  world: ReleaseWorld,
  watched: string[],
  objectSha: string,
  tag: string = TAG,
): void {
  const refPath = new RegExp(`/git/refs/tags/${tag.replace(/\./g, '\\.')}$`)
  const tagWrites = world.github.requests.filter(
    (r) =>
      (r.method === 'PATCH' || r.method === 'DELETE') && refPath.test(decodeURIComponent(r.path)),
  )
  expect(tagWrites).toEqual([])
  expect(watched).toEqual([])
  expect(world.github.state.refs.get(`refs/tags/${tag}`)).toBe(objectSha)
}

/** Downloads the release's assets and runs `verify` on them, offline, as a reviewer would. */
export async function verifyPublished(
  world: ReleaseWorld,
  releaseId: number,
  tag: string = TAG,
): Promise<{ report: VerificationReport; assets: Map<string, Buffer> }> {
  const assets = await downloadAssets(world, releaseId)
  const dir = await mkdtemp(join(tmpdir(), 'tag-push-verify-'))
  try {
    for (const [name, bytes] of assets) await writeFile(join(dir, name), bytes)
    const report = await verifyReleaseDirectory({
      dir,
      repo: REPOSITORY,
      tag,
      trustedRoot: world.sigstore.trustedRoot,
    })
    return { report, assets }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The provenance statement inside the release's bundle (its DSSE payload, decoded). */
export function provenanceOf(assets: Map<string, Buffer>): {
  predicate: { buildDefinition: { internalParameters: { release: Record<string, unknown> } } }
} {
  const bundle = JSON.parse(
    (assets.get('release-manifest.sigstore.json') as Buffer).toString(),
  ) as {
    dsseEnvelope: { payload: string }
  }
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'))
}
