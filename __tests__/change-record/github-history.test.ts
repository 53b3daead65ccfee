import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { coAuthors } from '../../src/change-record/github-history.ts'
import { commitRange, findPreviousRelease } from '../../src/change-record/index.ts'
import { ServiceError } from '../../src/util/errors.ts'
import type { GitHubClient } from '../../src/github/index.ts'
import { createFakeClient, startGitHubFake, type GitHubFake } from '../support/github-fake/index.ts'

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

let fake: GitHubFake
let client: GitHubClient
let repoRef: { owner: string; repo: string }

beforeEach(async () => {
  fake = await startGitHubFake({ validateResponses: true })
  client = createFakeClient(fake, { retries: 1 })
  repoRef = { owner: fake.owner, repo: fake.repo }
})
afterEach(async () => {
  expect(fake.violations).toEqual([])
  await fake.close()
})

function commit(
  message: string,
  parent: string | undefined,
  author: { name: string; email: string },
): string {
  return fake.addCommit({
    message,
    author: { ...author, date: '2025-06-01T10:00:00Z' },
    parents: parent ? [parent] : [],
  })
}

async function publish(
  tag: string,
  target: string,
  assets: Record<string, string>,
  options: { draft?: boolean } = {},
): Promise<number> {
  const { data: release } = await client.rest.repos.createRelease({
    ...repoRef,
    tag_name: tag,
    target_commitish: target,
    draft: true,
  })
  for (const [name, content] of Object.entries(assets)) {
    await client.rest.repos.uploadReleaseAsset({
      ...repoRef,
      release_id: release.id,
      url: release.upload_url,
      name,
      data: content,
      headers: { 'content-type': 'application/json' },
    })
  }
  if (!options.draft) {
    await client.rest.repos.updateRelease({ ...repoRef, release_id: release.id, draft: false })
  }
  return release.id
}

describe('findPreviousRelease', () => {
  it('links to the newest published release with a manifest, hashing the downloaded assets', async () => {
    const root = commit('init', undefined, { name: 'Jane Doe', email: 'jane@corp.example' })
    const manifestV1 = '{"subjects":["a"]}'
    const manifestV2 = '{"subjects":["a","b"]}'
    const recordV2 = '{"nonce":"00"}'
    await publish('v1.0.0', root, { 'release-manifest.json': manifestV1 })
    await publish('v1.1.0', root, {
      'release-manifest.json': manifestV2,
      'change-record.json': recordV2,
    })
    await publish('v1.1.1-notes-only', root, { 'NOTES.md': '# notes' })
    await publish('v1.2.0-draft', root, { 'release-manifest.json': '{}' }, { draft: true })

    const previous = await findPreviousRelease(client, { ...repoRef, tag: 'v1.2.0' })
    expect(previous).toMatchObject({
      tag: 'v1.1.0',
      manifestDigest: sha256(manifestV2),
      changeRecordDigest: sha256(recordV2),
    })
    expect(previous?.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/)

    // A re-run for v1.1.0 itself links to the release before it; v1.0.0 has no change record.
    const beforeV11 = await findPreviousRelease(client, { ...repoRef, tag: 'v1.1.0' })
    expect(beforeV11).toEqual({
      tag: 'v1.0.0',
      releaseId: expect.any(Number),
      publishedAt: expect.any(String),
      manifestDigest: sha256(manifestV1),
    })
  })

  it('finds nothing in a repository without releases', async () => {
    expect(await findPreviousRelease(client, { ...repoRef, tag: 'v1.0.0' })).toBeUndefined()
  })

  it("takes GitHub's digest of the stored manifest without downloading it", async () => {
    const root = commit('init', undefined, { name: 'Jane Doe', email: 'jane@corp.example' })
    const manifest = '{"subjects":[]}'
    await publish('v1.0.0', root, { 'release-manifest.json': manifest })
    const before = fake.requests.length
    const previous = await findPreviousRelease(client, { ...repoRef, tag: 'v2.0.0' })
    expect(previous?.manifestDigest).toBe(createHash('sha256').update(manifest).digest('hex'))
    const downloads = fake.requests
      .slice(before)
      .filter((r) => r.route === '/repos/{owner}/{repo}/releases/assets/{asset_id}')
    expect(downloads).toEqual([])
  })

  it('downloads and hashes the manifest where GitHub reports no digest, refusing one cut short', async () => {
    const root = commit('init', undefined, { name: 'Jane Doe', email: 'jane@corp.example' })
    const manifest = JSON.stringify({ pad: 'x'.repeat(4096) })
    await publish('v1.0.0', root, { 'release-manifest.json': manifest })
    for (const stored of fake.state.assets.values()) stored.asset.digest = null
    const previous = await findPreviousRelease(client, { ...repoRef, tag: 'v2.0.0' })
    expect(previous?.manifestDigest).toBe(createHash('sha256').update(manifest).digest('hex'))

    fake.injectFault({
      method: 'GET',
      route: 'GET /repos/{owner}/{repo}/releases/assets/{asset_id}',
      fault: 'truncate',
    })
    const error = await findPreviousRelease(client, { ...repoRef, tag: 'v2.0.0' }).catch((e) => e)
    expect(error).toBeInstanceOf(ServiceError)
    expect((error as Error).message).toMatch(
      /GitHub \(http:\/\/127\.0\.0\.1:\d+\/repos\/.*\/releases\): /,
    )
  })

  it('reports an unreachable repository as a GitHub service error', async () => {
    const error = await findPreviousRelease(client, {
      owner: 'nobody',
      repo: 'nothing',
      tag: 'v1',
    }).catch((e) => e)
    expect(error).toBeInstanceOf(ServiceError)
    expect((error as ServiceError).service).toBe('GitHub')
    expect((error as Error).message).toMatch(/HTTP 404/)
  })
})

describe('commitRange', () => {
  it('counts the commits since the previous release and collects authors and co-authors', async () => {
    const jane = { name: 'Jane Doe', email: 'jane@corp.example' }
    const omar = { name: 'Omar Haddad', email: '1234+ohaddad@users.noreply.github.com' }
    const root = commit('init', undefined, jane)
    await publish('v1.0.0', root, { 'release-manifest.json': '{}' })
    const second = commit('feat: export', root, omar)
    const third = commit(
      'fix: retry\n\nCo-authored-by: Li Wei <li.wei@corp.example>\nco-authored-by: Jane Doe <jane@corp.example>',
      second,
      jane,
    )
    const range = await commitRange(client, { ...repoRef, base: 'v1.0.0', head: third })
    expect(range).toEqual({
      from: root,
      to: third,
      count: 2,
      authors: [omar, jane, { name: 'Li Wei', email: 'li.wei@corp.example' }],
      authorsComplete: true,
      status: 'ahead',
    })
  })

  it('reports an unknown base as a GitHub service error', async () => {
    const root = commit('init', undefined, { name: 'Jane Doe', email: 'jane@corp.example' })
    const error = await commitRange(client, { ...repoRef, base: 'v0.0.0', head: root }).catch(
      (e) => e,
    )
    expect(error).toBeInstanceOf(ServiceError)
    expect((error as ServiceError).url).toContain(`/compare/v0.0.0...${root}`)
  })
})

describe('coAuthors', () => {
  it('reads Co-authored-by trailers', () => {
    expect(
      coAuthors(
        'x\n\nCo-authored-by: A B <a@b.example>\nCo-Authored-By:C <c@d.example>\nnot: x <y@z>',
      ),
    ).toEqual([
      { name: 'A B', email: 'a@b.example' },
      { name: 'C', email: 'c@d.example' },
    ])
  })
})
