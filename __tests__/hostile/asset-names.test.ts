// Issue 18, finding 8: GitHub renames an uploaded asset whose name holds special characters
// (a space becomes a period), so a release of `My App.exe` claimed its tag, uploaded, failed the
// post-upload check (the release listed `My.App.exe`) and rolled back. Such names are refused
// while building, before the tag is claimed, naming each one and why. The GitHub fake renames
// as GitHub does, so the old behaviour shows here as a claimed tag and a rollback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { namesGitHubWouldRename } from '../../src/release/asset-files.ts'
import { gitHubAssetName } from '../support/github-fake/assets.ts'
import { createFakeClient } from '../support/github-fake/index.ts'
import { startReleaseWorld, type ReleaseWorld } from '../support/release-world.ts'

/** Renamings reported by people who uploaded such names (see the fake's `gitHubAssetName`). */
const OBSERVED: readonly [string, string][] = [
  ['My App 1.0.0 Setup.exe', 'My.App.1.0.0.Setup.exe'],
  ['tobwen-1.1.0-1~buster_amd64.deb', 'tobwen-1.1.0-1.buster_amd64.deb'],
  ['pkg-1:2.0-x86_64.pkg.tar.zst', 'pkg-1.2.0-x86_64.pkg.tar.zst'],
  ['app (portable).zip', 'app.portable.zip'],
  ['fake.      file.txt', 'fake.file.txt'],
  ['erick%%%%%!!!zhao.txt', 'erick.zhao.txt'],
  ['茶话室-0.1.2-mac-arm64.dmg', '-0.1.2-mac-arm64.dmg'],
  ['café.txt', 'cafe.txt'],
  ['.hidden', 'hidden'],
  ['trailing.', 'trailing'],
  ['line\u2028sep.bin', 'line.sep.bin'],
]

/** Names GitHub keeps as they are. */
const KEPT = [
  'widget-linux-amd64',
  'app_1.2.3+build.7.tar.gz',
  'user@host.txt',
  'SHA256SUMS',
  'release-manifest.sigstore.json',
  'a..b',
]

describe('the GitHub fake names assets as GitHub does', () => {
  it.each(OBSERVED)('%j is stored as %j', (given, stored) => {
    expect(gitHubAssetName(given)).toBe(stored)
  })

  it.each(KEPT)('%j is kept', (name) => {
    expect(gitHubAssetName(name)).toBe(name)
  })

  it('the release rule refuses exactly the names the fake renames', () => {
    const names = [...OBSERVED.map(([given]) => given), ...KEPT, 'a b', 'x#y', 'ok']
    expect(namesGitHubWouldRename(names)).toEqual(
      names.filter((name) => gitHubAssetName(name) !== name),
    )
  })
})

describe('a name GitHub would rename is refused before the tag is claimed', () => {
  let world: ReleaseWorld
  beforeAll(async () => {
    world = await startReleaseWorld()
  }, 60_000)
  afterAll(async () => {
    await world?.close()
  })

  it('uploading through the API stores the renamed name', async () => {
    const client = createFakeClient(world.github)
    const { owner, repo } = world.github
    const release = await client.rest.repos.createRelease({
      owner,
      repo,
      tag_name: 'v0.0.1',
      draft: true,
    })
    // To the release's own upload_url, as the action uploads (never to uploads.github.com).
    const uploadUrl = new URL(release.data.upload_url.replace(/\{.*\}$/, ''))
    uploadUrl.searchParams.set('name', 'My App.exe')
    const response = await fetch(uploadUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${world.github.token}`,
        'content-type': 'application/octet-stream',
      },
      body: 'bytes',
    })
    expect(response.status).toBe(201)
    const uploaded = { data: (await response.json()) as { name: string } }
    expect(uploaded.data.name).toBe('My.App.exe')
    await client.rest.repos.deleteRelease({ owner, repo, release_id: release.data.id })
  })

  it('names each renamed file and why, claims nothing and uploads nothing', async () => {
    await world.write('names/My App.exe', 'app')
    await world.write('names/notes (final).txt', 'notes')
    await world.write('names/ok.bin', 'ok')
    const before = world.github.requests.length
    const result = await world.run({ tag: 'v9.0.0', 'subject-path': 'names/*' })
    expect(result.exitCode).toBe(1)
    const error = result.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? ''
    expect(error).toMatch(/Input 'subject-path'/)
    expect(error).toMatch(/'names\/My App\.exe'/)
    expect(error).toMatch(/'names\/notes \(final\)\.txt'/)
    expect(error).not.toMatch(/ok\.bin/)
    expect(error).toMatch(/GitHub renames/)
    expect(error).toMatch(/rename the file/)
    const writes = world.github.requests
      .slice(before)
      .filter((request) => request.method !== 'GET')
      .map((request) => `${request.method} ${request.route ?? request.path}`)
    expect(writes).toEqual([])
    expect(world.github.state.releases.size).toBe(0)
  }, 60_000)

  it('a dry run warns of the names the release would refuse, and still builds', async () => {
    await world.write('dry/My App.exe', 'app')
    const result = await world.run({ tag: 'v9.0.1', 'subject-path': 'dry/*', 'dry-run': 'true' })
    expect(result.exitCode).toBe(0)
    const warnings = result.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
    expect(warnings.filter((warning) => /GitHub renames/.test(warning))).toEqual([
      expect.stringMatching(/^Input 'subject-path': .*'dry\/My App\.exe'/),
    ])
  }, 60_000)
})
