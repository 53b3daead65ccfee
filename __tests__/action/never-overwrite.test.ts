// Issue 4 through the action's real entry: a release is published once, an existing tag,
// draft or release is never touched, concurrent runs elect exactly one winner, and a failure
// after the tag is claimed leaves nothing behind (or, when the job itself dies, a state the
// re-run attempt resumes).
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ActionRunResult } from '../support/action-runner.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import {
  REPOSITORY,
  downloadAssets,
  expectFailed,
  expectNoSigstoreRequest,
  expectNoWriteRequest,
  expectRepositoryUntouched,
  expectSucceeded,
  inWorld,
  onlyRelease,
  sha256,
  tagRefs,
  transcript,
  writeArtifacts,
  SLOW_MACHINE_TIMEOUT_MS,
} from './helpers.ts'

const INPUTS = { tag: 'v1.0.0', 'subject-path': 'dist/*' }
const NEVER_REPLACES = /never moves or replaces a tag/
const RELEASE_ROUTE = '/repos/{owner}/{repo}/releases/{release_id}'

/** What GitHub holds, as comparable JSON (assets' download counters change on download). */
function snapshot(world: ReleaseWorld): unknown {
  const { state } = world.github
  return JSON.parse(
    JSON.stringify({
      refs: [...state.refs],
      tagObjects: [...state.tagObjects.keys()],
      releases: [...state.releases.values()],
      assets: [...state.assets.values()].map((a) => a.asset),
      attestations: state.attestations.length,
    }),
  )
}

function writesSince(world: ReleaseWorld, from: number) {
  return world.github.requests.slice(from).filter((r) => r.method !== 'GET')
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** The release holds exactly the artifacts and the action's own files, with these bytes. */
async function expectExactAssets(
  world: ReleaseWorld,
  releaseId: number,
  artifacts: Map<string, Buffer>,
  result: ActionRunResult,
): Promise<void> {
  const outputs = result.outputs
  const ownFiles: Record<string, string> = {
    'release-manifest.json': outputs['manifest-path'] as string,
    'release-manifest.sigstore.json': outputs['provenance-bundle-path'] as string,
    'change-record.json': outputs['change-record-path'] as string,
    'change-record.sigstore.json': outputs['change-record-bundle-path'] as string,
    SHA256SUMS: join(dirname(outputs['manifest-path'] as string), 'SHA256SUMS'),
  }
  const expected = new Map(artifacts)
  for (const [name, path] of Object.entries(ownFiles)) expected.set(name, await readFile(path))

  const listed = world.github.assetsOf(releaseId)
  expect(listed.map((a) => a.name).sort()).toEqual([...expected.keys()].sort())
  for (const asset of listed) {
    expect(asset.state).toBe('uploaded')
    expect(asset.digest).toBe(`sha256:${sha256(expected.get(asset.name) as Buffer)}`)
  }
  const downloaded = await downloadAssets(world, releaseId)
  for (const [name, bytes] of expected) expect(downloaded.get(name), name).toEqual(bytes)
  // Every asset in the fake belongs to this release: nothing orphaned elsewhere.
  expect(world.github.state.assets.size).toBe(expected.size)
}

describe.concurrent(
  'a release is published once and never replaced',
  { timeout: SLOW_MACHINE_TIMEOUT_MS },
  () => {
    it('publishes, reports and summarises a release; the same tag is then refused untouched', () =>
      inWorld(async (world) => {
        const artifacts = await writeArtifacts(world)
        // Notes written by an earlier step outside the workspace, given by absolute path.
        const notes = join(dirname(world.workspace), 'notes.md')
        await writeFile(notes, 'Widget 1.0: CSV export.\n')
        const result = await world.run({ ...INPUTS, 'body-path': notes })
        expectSucceeded(result)

        const release = onlyRelease(world)
        expect(release.draft).toBe(false)
        expect(release.tag_name).toBe('v1.0.0')
        expect(release.body).toContain('Widget 1.0: CSV export.')
        expect(result.outputs['release-id']).toBe(String(release.id))
        const view = (await (
          await fetch(`${world.github.url}/repos/${REPOSITORY}/releases/${release.id}`, {
            headers: { authorization: `token ${world.github.token}` },
          })
        ).json()) as { html_url: string }
        expect(result.outputs['release-url']).toBe(view.html_url)
        expect(view.html_url).toMatch(/\/releases\/tag\/v1\.0\.0$/)
        await expectExactAssets(world, release.id, artifacts, result)
        const manifest = await readFile(result.outputs['manifest-path'] as string)
        expect(result.outputs['manifest-digest']).toBe(`sha256:${sha256(manifest)}`)
        const sums = await readFile(
          join(dirname(result.outputs['manifest-path'] as string), 'SHA256SUMS'),
          'utf8',
        )
        for (const [name, bytes] of artifacts) expect(sums).toContain(`${sha256(bytes)}  ${name}`)

        // The tag is an annotated tag object on the released commit.
        expect(tagRefs(world)).toEqual(['refs/tags/v1.0.0'])
        const tagObject = world.github.state.tagObjects.get(
          world.github.state.refs.get('refs/tags/v1.0.0') as string,
        )
        expect(tagObject?.object.sha).toBe(world.sha)

        // Job summary: the link, one table row per artifact with its digest, the witness.
        expect(result.summary).toContain(`Published: ${result.outputs['release-url']}`)
        for (const [name, bytes] of artifacts) {
          expect(result.summary).toMatch(
            new RegExp(`<tr><td>${name}</td><td>[^<]+</td><td>sha256:${sha256(bytes)}</td></tr>`),
          )
        }
        expect(result.summary).toMatch(
          /^Sigstore: Rekor log index \d+, 1 RFC 3161 timestamp\(s\)$/m,
        )
        expect(world.github.violations).toEqual([])

        // Another run for the same tag: refused, and GitHub is exactly as it was.
        const before = snapshot(world)
        const requestsBefore = world.github.requests.length
        const again = await world.run(INPUTS, { runId: '1002' })
        const message = expectFailed(again)
        expect(message).toContain('a published release already uses tag "v1.0.0"')
        expect(message).toMatch(NEVER_REPLACES)
        expect(snapshot(world)).toEqual(before)
        expect(writesSince(world, requestsBefore)).toEqual([])
      }))

    it('refuses an existing tag and another run’s draft, changing nothing', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        world.github.setRef('refs/tags/v1.0.0', world.sha)
        const response = await fetch(`${world.github.url}/repos/${REPOSITORY}/releases`, {
          method: 'POST',
          headers: { authorization: `token ${world.github.token}` },
          body: JSON.stringify({
            tag_name: 'v2.0.0',
            draft: true,
            body: 'Prepared by hand\n\n<!-- immutable-release: run_id=555, run_attempt=1 -->',
          }),
        })
        expect(response.status).toBe(201)
        const before = snapshot(world)
        const requestsBefore = world.github.requests.length

        const [onTag, onDraft] = await Promise.all([
          world.run(INPUTS),
          world.run({ ...INPUTS, tag: 'v2.0.0' }, { runId: '1002' }),
        ])
        const tagMessage = expectFailed(onTag)
        expect(tagMessage).toMatch(/^Input 'tag': tag "v1\.0\.0" already exists/)
        expect(tagMessage).toMatch(NEVER_REPLACES)
        const draftMessage = expectFailed(onDraft)
        expect(draftMessage).toMatch(/^Input 'tag': a draft release already uses tag "v2\.0\.0"/)
        expect(draftMessage).toMatch(NEVER_REPLACES)

        expect(snapshot(world)).toEqual(before)
        expect(writesSince(world, requestsBefore)).toEqual([])
        expectNoSigstoreRequest(world)
        expect(world.github.violations).toEqual([])
      }))

    it('refuses invalid tag names, naming the tag input', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        const tags = ['v1..0', '-x', 'a.lock']
        const results = await Promise.all(tags.map((tag) => world.run({ ...INPUTS, tag })))
        results.forEach((result, i) => {
          expect(expectFailed(result)).toContain(
            `Input 'tag': "${tags[i]}" is not a valid git tag name`,
          )
        })
        expectNoWriteRequest(world)
        expectNoSigstoreRequest(world)
      }))

    it('lets exactly one of 8 concurrent runs for one new tag publish', () =>
      inWorld(async (world) => {
        const artifacts = await writeArtifacts(world)
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => world.run(INPUTS, { runId: String(3001 + i) })),
        )
        const winners = results.filter((r) => r.exitCode === 0)
        expect(winners, results.map(transcript).join('\n\n')).toHaveLength(1)
        for (const loser of results.filter((r) => r.exitCode !== 0)) {
          expect(expectFailed(loser)).toMatch(NEVER_REPLACES)
        }
        const winner = winners[0] as ActionRunResult
        const release = onlyRelease(world)
        expect(release.draft).toBe(false)
        expect(winner.outputs['release-id']).toBe(String(release.id))
        expect(tagRefs(world)).toEqual(['refs/tags/v1.0.0'])
        await expectExactAssets(world, release.id, artifacts, winner)
        expect(world.github.violations).toEqual([])
      }))

    describe.concurrent('a failure after the claim leaves nothing behind', () => {
      const cases: { step: string; inject: (world: ReleaseWorld) => void; says: RegExp }[] = [
        {
          step: 'upload',
          inject: (world) => {
            for (let ordinal = 1; ordinal <= 40; ordinal++) {
              world.github.injectFault({
                method: 'POST',
                route: /^POST \/uploads\//,
                ordinal,
                fault: { status: 500 },
              })
            }
          },
          says: /failed at the upload step: .*uploading ".+" failed after 3 attempt/,
        },
        {
          step: 'digest check',
          inject: (world) => world.github.corruptUploadsOf('notes.txt'),
          says: /GitHub stored "notes\.txt" with digest sha256:[0-9a-f]{64}, expected sha256:/,
        },
        {
          step: 'publish',
          inject: (world) =>
            world.github.injectFault({
              method: 'PATCH',
              route: `PATCH ${RELEASE_ROUTE}`,
              fault: {
                status: 403,
                body: {
                  message: 'Resource not accessible by integration',
                  documentation_url: 'https://docs.github.com/rest',
                },
              },
            }),
          says: /failed at the publish step/,
        },
      ]
      for (const { step, inject, says } of cases) {
        it(`at the ${step}`, () =>
          inWorld(async (world) => {
            await writeArtifacts(world)
            inject(world)
            const result = await world.run(INPUTS)
            const message = expectFailed(result)
            expect(message).toMatch(says)
            expect(message).toContain('Nothing was left behind')
            // The claim and the draft did happen, and were undone.
            expect(writesSince(world, 0).map((r) => r.route)).toEqual(
              expect.arrayContaining([
                '/repos/{owner}/{repo}/git/refs',
                '/repos/{owner}/{repo}/releases',
              ]),
            )
            expectRepositoryUntouched(world)
            expect(result.outputs['release-id']).toBeUndefined()
          }))
      }
    })

    it('resumes its own draft in a re-run attempt after the job was killed mid-release', () =>
      inWorld(async (world) => {
        const artifacts = await writeArtifacts(world)
        // The publish request hangs; the job is killed while waiting for it, as a cancelled or
        // crashed runner would be. (The fake only acts on the request long after this test.)
        world.github.injectFault({
          method: 'PATCH',
          route: `PATCH ${RELEASE_ROUTE}`,
          fault: { delayMs: 600_000 },
        })
        const kill = new AbortController()
        const first = world.run(INPUTS, { runId: '4242', killSignal: kill.signal })
        await waitFor(
          () =>
            world.github.requests.some((r) => r.method === 'PATCH' && r.route === RELEASE_ROUTE),
          'the publish request',
        )
        kill.abort()
        const killed = await first
        expect(killed.signal, transcript(killed)).toBe('SIGKILL')
        const draft = onlyRelease(world)
        expect(draft.draft).toBe(true)
        expect(tagRefs(world)).toEqual(['refs/tags/v1.0.0'])
        const claimedTag = world.github.state.refs.get('refs/tags/v1.0.0')

        // A re-run attempt of another run must not take the claim over ...
        const stranger = await world.run(INPUTS, { runId: '9999', runAttempt: '2' })
        expect(expectFailed(stranger)).toMatch(NEVER_REPLACES)
        expect(onlyRelease(world).draft).toBe(true)
        expect(world.github.state.refs.get('refs/tags/v1.0.0')).toBe(claimedTag)

        // ... but the re-run attempt of the same run resumes it.
        const second = await world.run(INPUTS, { runId: '4242', runAttempt: '2' })
        expectSucceeded(second)
        expect(second.stdout).toContain('Resuming the release of v1.0.0')
        const release = onlyRelease(world)
        expect(release.id).toBe(draft.id)
        expect(release.draft).toBe(false)
        expect(second.outputs['release-id']).toBe(String(release.id))
        expect(world.github.state.refs.get('refs/tags/v1.0.0')).toBe(claimedTag)
        expect(tagRefs(world)).toEqual(['refs/tags/v1.0.0'])
        await expectExactAssets(world, release.id, artifacts, second)
        expect(world.github.violations).toEqual([])

        // A further attempt finds the release published: refused before signing, nothing changed.
        const before = snapshot(world)
        const requestsBefore = world.github.requests.length
        world.sigstore.resetCounts()
        const third = await world.run(INPUTS, { runId: '4242', runAttempt: '3' })
        expect(expectFailed(third)).toMatch(
          /^Input 'tag': a published release already uses tag "v1\.0\.0".*never moves or replaces a tag/,
        )
        expectNoSigstoreRequest(world)
        expect(snapshot(world)).toEqual(before)
        expect(writesSince(world, requestsBefore)).toEqual([])
        expect(world.github.violations).toEqual([])
      }))

    it('dry-run builds and checks everything but writes and signs nothing', () =>
      inWorld(async (world) => {
        const artifacts = await writeArtifacts(world)
        // A legal file name that is also HTML: the summary's table must show it, not render it.
        await world.write('dist/tool_v2<beta>&co.bin', 'beta\n')
        const result = await world.run({ ...INPUTS, 'dry-run': 'true' })
        expectSucceeded(result)
        const manifest = await readFile(result.outputs['manifest-path'] as string)
        expect(result.outputs['manifest-digest']).toBe(`sha256:${sha256(manifest)}`)
        expect(result.outputs['release-id']).toBeUndefined()
        expect(result.outputs['provenance-bundle-path']).toBeUndefined()
        expect(result.summary).toContain('Dry run for v1.0.0')
        for (const [name, bytes] of artifacts) {
          expect(result.summary).toContain(`<td>${name}</td>`)
          expect(result.summary).toContain(`sha256:${sha256(bytes)}`)
        }
        expect(result.summary).toContain(
          `<tr><td>tool_v2&lt;beta&gt;&amp;co.bin</td><td>5 B</td><td>sha256:${sha256('beta\n')}</td></tr>`,
        )
        expect(result.summary).not.toContain('<beta>')
        expectNoWriteRequest(world)
        expectNoSigstoreRequest(world)
      }))
  },
)
