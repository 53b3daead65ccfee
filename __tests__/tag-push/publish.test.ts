// Issue 16 through the action's real entry: a run started by pushing a tag releases that tag as
// it is. Lightweight and annotated tags at GITHUB_SHA are published and verify; the tag ref is
// never written; the provenance says the tag was pushed (object SHA, tagger date) and nothing
// the action writes names the tagger.
import { describe, expect, it } from 'vitest'
import {
  OWN_ASSETS,
  SLOW_MACHINE_TIMEOUT_MS,
  expectNoSigstoreRequest,
  expectSucceeded,
  inWorld,
  onlyRelease,
  writeArtifacts,
} from '../action/helpers.ts'
import {
  CLAIM_REF,
  TAG,
  TAGGER,
  expectTagUntouched,
  provenanceOf,
  pushTagTo,
  pushedTagEnv,
  verifyPublished,
  watchRef,
} from './support.ts'

const INPUTS = { 'subject-path': 'dist/*' }

describe.concurrent('releasing the pushed tag', { timeout: SLOW_MACHINE_TIMEOUT_MS }, () => {
  it('a dry run for the pushed tag checks it can be released, and writes and signs nothing', () =>
    inWorld(async (world) => {
      await writeArtifacts(world)
      pushTagTo(world, 'annotated')
      const result = await world.run({ ...INPUTS, 'dry-run': 'true' }, { extraEnv: pushedTagEnv() })
      expectSucceeded(result)
      expect(result.stdout).toContain(`the pushed tag ${TAG} can be released as it is`)
      expect(world.github.requests.filter((r) => r.method !== 'GET')).toEqual([])
      expect(world.github.state.releases.size).toBe(0)
      expectNoSigstoreRequest(world)
    }))

  it('claims the release with a ref at the commit where the server has no git tags API', () =>
    inWorld(
      async (world) => {
        await writeArtifacts(world)
        const objectSha = pushTagTo(world, 'lightweight')
        const watched = watchRef(world, `refs/tags/${TAG}`)
        const claims = watchRef(world, CLAIM_REF)
        const result = await world.run(INPUTS, { extraEnv: pushedTagEnv() })
        expectSucceeded(result)
        expect(result.stdout).toContain('cannot create annotated tags (HTTP 404)')
        expect(claims).toEqual([`set ${world.sha}`, 'delete'])
        expectTagUntouched(world, watched, objectSha)
        expect(onlyRelease(world).draft).toBe(false)
      },
      { github: { annotatedTags: false } },
    ))

  for (const kind of ['lightweight', 'annotated'] as const) {
    it(`publishes ${kind === 'annotated' ? 'an' : 'a'} ${kind} tag pushed at GITHUB_SHA, verifiable, the tag untouched`, () =>
      inWorld(async (world) => {
        const artifacts = await writeArtifacts(world)
        const objectSha = pushTagTo(world, kind)
        const watched = watchRef(world, `refs/tags/${TAG}`)
        const claims = watchRef(world, CLAIM_REF)

        // No tag input: it defaults to the tag that started the run.
        const result = await world.run(INPUTS, { extraEnv: pushedTagEnv() })
        expectSucceeded(result)
        const release = onlyRelease(world)
        expect(release.draft).toBe(false)
        expect(release.tag_name).toBe(TAG)
        expect(result.outputs['release-id']).toBe(String(release.id))
        expect(result.stdout).toContain(`Releasing the pushed tag ${TAG} as it is`)

        expectTagUntouched(world, watched, objectSha)
        // The release was claimed with a ref of the project's own, removed after publishing.
        expect(claims).toEqual([expect.stringMatching(/^set [0-9a-f]{40}$/), 'delete'])
        expect([...world.github.state.refs.keys()].sort()).toEqual(
          ['refs/heads/main', `refs/tags/${TAG}`].sort(),
        )
        const created = world.github.requests.filter(
          (r) => r.method === 'POST' && r.route === '/repos/{owner}/{repo}/git/refs',
        )
        expect(created.map((r) => r.status)).toEqual([201])

        const { report, assets } = await verifyPublished(world, release.id)
        expect(report.checks.filter((c) => !c.ok)).toEqual([])
        expect(report.verified).toBe(true)
        expect([...assets.keys()].sort()).toEqual([...artifacts.keys(), ...OWN_ASSETS].sort())

        // The provenance says the tag was pushed: its object, and for an annotated tag its date.
        const release_ = provenanceOf(assets).predicate.buildDefinition.internalParameters.release
        expect(release_).toEqual({
          tag: TAG,
          pushedTag:
            kind === 'annotated'
              ? { objectType: 'tag', objectSha, taggerDate: TAGGER.date }
              : { objectType: 'commit', objectSha: world.sha },
        })
        // The change record says so too, in the same words.
        const record = JSON.parse((assets.get('change-record.json') as Buffer).toString()) as {
          release: { pushedTag?: unknown }
        }
        expect(record.release.pushedTag).toEqual(release_.pushedTag)
        // The tagger is personal data: not in any asset, output or log line.
        for (const [name, bytes] of assets) {
          expect(bytes.includes(TAGGER.name), name).toBe(false)
          expect(bytes.includes(TAGGER.email), name).toBe(false)
        }
        for (const text of [result.stdout, result.stderr, result.summary, release.body ?? '']) {
          expect(text).not.toContain(TAGGER.name)
          expect(text).not.toContain(TAGGER.email)
        }
        expect(world.github.violations).toEqual([])
      }))
  }
})
