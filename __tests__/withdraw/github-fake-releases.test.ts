// The GitHub fake's model of releases after publishing (issue 12): on an immutable release the
// title, notes, prerelease flag and make_latest stay editable, the tag and assets do not;
// `GET releases/latest`; `make_latest: legacy` by semantic version vs explicit true/false; a
// PATCH without make_latest leaves "latest" alone. Exercised through the action's own store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createReleaseStore } from '../../src/github/index.ts'
import type { GitHubClient } from '../../src/github/index.ts'
import type { ReleaseStore } from '../../src/release/index.ts'
import { createFakeClient, startGitHubFake } from '../support/github-fake/index.ts'
import type { GitHubFake } from '../support/github-fake/index.ts'

let fake: GitHubFake
let client: GitHubClient
let store: ReleaseStore
let sha: string

beforeEach(async () => {
  fake = await startGitHubFake({ validateResponses: true, repository: { immutableReleases: true } })
  client = createFakeClient(fake, { retries: 0 })
  store = createReleaseStore(client, fake.owner, fake.repo)
  sha = fake.addCommit({
    message: 'one',
    author: { name: 'Bot', email: 'bot@example.com', date: '2026-01-01T00:00:00Z' },
  })
  fake.setRef('refs/heads/main', sha)
})

afterEach(async () => {
  expect(fake.violations).toEqual([])
  await fake.close()
})

async function publish(tag: string, makeLatest: 'true' | 'false' | 'legacy' = 'true') {
  const { data } = await client.rest.repos.createRelease({
    owner: fake.owner,
    repo: fake.repo,
    tag_name: tag,
    target_commitish: sha,
    name: tag,
    body: 'notes',
    make_latest: makeLatest,
  })
  return data
}

describe('releases after publishing', () => {
  it('lets title, notes and make_latest change on an immutable release, but not its tag', async () => {
    const one = await publish('v1.0.0')
    const two = await publish('v1.1.0')
    expect(two.immutable).toBe(true)
    expect(await store.latestReleaseTag()).toBe('v1.1.0')
    // Editing the title and notes does not move latest.
    await store.editRelease(one.id, { name: '[WITHDRAWN] v1.0.0', body: 'banner' })
    expect(await store.latestReleaseTag()).toBe('v1.1.0')
    const listed = (await store.listReleases()).find((r) => r.id === one.id)
    expect(listed).toMatchObject({ name: '[WITHDRAWN] v1.0.0', body: 'banner', draft: false })
    await store.editRelease(one.id, { makeLatest: 'true' })
    expect(await store.latestReleaseTag()).toBe('v1.0.0')
    await store.editRelease(one.id, { makeLatest: 'false' })
    expect(await store.latestReleaseTag()).toBeUndefined()
    await expect(
      client.rest.repos.updateRelease({
        owner: fake.owner,
        repo: fake.repo,
        release_id: one.id,
        tag_name: 'v9.9.9',
      }),
    ).rejects.toMatchObject({ status: 422 })
    const prerelease = await client.rest.repos.updateRelease({
      owner: fake.owner,
      repo: fake.repo,
      release_id: two.id,
      prerelease: true,
    })
    expect(prerelease.data.prerelease).toBe(true)
  })

  it('refuses asset changes on an immutable release', async () => {
    const one = await publish('v1.0.0')
    await expect(
      client.rest.repos.uploadReleaseAsset({
        owner: fake.owner,
        repo: fake.repo,
        release_id: one.id,
        url: one.upload_url,
        name: 'late.txt',
        data: 'late',
        headers: { 'content-type': 'text/plain', 'content-length': 4 },
      }),
    ).rejects.toMatchObject({ status: 422 })
  })

  it('make_latest legacy picks the highest semantic version, explicit true the release itself', async () => {
    await publish('v1.10.0')
    await publish('v1.9.0', 'legacy')
    expect(await store.latestReleaseTag()).toBe('v1.10.0')
    await publish('v1.8.0', 'true')
    expect(await store.latestReleaseTag()).toBe('v1.8.0')
    await publish('v2.0.0', 'false')
    expect(await store.latestReleaseTag()).toBe('v1.8.0')
  })
})
