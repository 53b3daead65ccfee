import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createFakeClient,
  OpenApiResponseValidator,
  startGitHubFake,
  type GitHubFake,
} from './index.ts'
import type { GitHubClient } from '../../../src/github/index.ts'

let fake: GitHubFake
let client: GitHubClient
let head: string
let base: string

beforeEach(async () => {
  fake = await startGitHubFake({ validateResponses: true })
  client = createFakeClient(fake, { retries: 0 })
  base = fake.addCommit({
    message: 'one',
    author: { name: 'Ada', email: 'ada@example.com', date: '2025-01-01T00:00:00Z' },
    parents: [],
  })
  const mid = fake.addCommit({
    message: 'two',
    author: { name: 'Bob', email: 'bob@example.com', date: '2025-01-02T00:00:00Z' },
    parents: [base],
  })
  head = fake.addCommit({
    message: 'three',
    author: { name: 'Cy', email: 'cy@example.com', date: '2025-01-03T00:00:00Z' },
    parents: [mid],
  })
  fake.setRef('refs/heads/main', head)
})

afterEach(async () => {
  expect(fake.violations).toEqual([])
  await fake.close()
})

const repo = (): { owner: string; repo: string } => ({ owner: fake.owner, repo: fake.repo })

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    const response = (await promise) as { status: number }
    return response.status
  } catch (error) {
    return (error as { status: number }).status
  }
}

describe('GitHub fake', () => {
  it('requires the token', async () => {
    const response = await fetch(`${fake.url}/repos/${fake.owner}/${fake.repo}`, {
      headers: { authorization: 'token wrong' },
    })
    expect(response.status).toBe(401)
    const bearer = await fetch(`${fake.url}/repos/${fake.owner}/${fake.repo}`, {
      headers: { authorization: `Bearer ${fake.token}` },
    })
    expect(bearer.status).toBe(200)
  })

  it('serves the repository and the immutable-releases setting (404 when off)', async () => {
    fake.setRepository({ visibility: 'private', ownerType: 'User' })
    const { data } = await client.rest.repos.get(repo())
    expect(data).toMatchObject({
      private: true,
      visibility: 'private',
      owner: { login: fake.owner, type: 'User' },
    })
    expect(
      await status(client.request('GET /repos/{owner}/{repo}/immutable-releases', repo())),
    ).toBe(404)
    fake.setRepository({ immutableReleases: true, enforcedByOwner: true })
    const setting = await client.request('GET /repos/{owner}/{repo}/immutable-releases', repo())
    expect(setting.data).toEqual({ enabled: true, enforced_by_owner: true })
  })

  it('resolves commits and compares ranges', async () => {
    expect((await client.rest.repos.getCommit({ ...repo(), ref: 'main' })).data.sha).toBe(head)
    expect((await client.rest.repos.getCommit({ ...repo(), ref: head.slice(0, 7) })).data.sha).toBe(
      head,
    )
    expect(await status(client.rest.repos.getCommit({ ...repo(), ref: 'nope' }))).toBe(422)
    const { data } = await client.rest.repos.compareCommitsWithBasehead({
      ...repo(),
      basehead: `${base}...main`,
    })
    expect(data.status).toBe('ahead')
    expect(data.total_commits).toBe(2)
    expect(data.commits.map((c) => c.commit.author?.name)).toEqual(['Bob', 'Cy'])
  })

  it('creates, reads (with %2F), lists, moves and deletes refs; annotated tags peel', async () => {
    const { data: tag } = await client.rest.git.createTag({
      ...repo(),
      tag: 'v1',
      message: 'hello',
      object: head,
      type: 'commit',
    })
    expect(
      (await client.rest.git.createRef({ ...repo(), ref: 'refs/tags/v1', sha: tag.sha })).status,
    ).toBe(201)
    expect(fake.requests.at(-1)?.path).toBe(`/repos/${fake.owner}/${fake.repo}/git/refs`)
    const { data: ref } = await client.rest.git.getRef({ ...repo(), ref: 'tags/v1' })
    expect(ref.object).toMatchObject({ type: 'tag', sha: tag.sha })
    expect((await client.rest.git.getTag({ ...repo(), tag_sha: tag.sha })).data.object.sha).toBe(
      head,
    )
    expect((await client.rest.repos.getCommit({ ...repo(), ref: 'v1' })).data.sha).toBe(head)
    const matching = await client.rest.git.listMatchingRefs({ ...repo(), ref: 'tags/v' })
    expect(matching.data.map((r) => r.ref)).toEqual(['refs/tags/v1'])
    expect(
      await status(client.rest.git.createRef({ ...repo(), ref: 'refs/tags/v1', sha: head })),
    ).toBe(422)
    expect(
      (await client.rest.git.updateRef({ ...repo(), ref: 'tags/v1', sha: base, force: true })).data
        .object.sha,
    ).toBe(base)
    expect(await status(client.rest.git.deleteRef({ ...repo(), ref: 'tags/v1' }))).toBe(204)
    expect(await status(client.rest.git.getRef({ ...repo(), ref: 'tags/v1' }))).toBe(404)
  })

  it('lets exactly one of many concurrent POST /git/refs for a tag win', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        status(client.rest.git.createRef({ ...repo(), ref: 'refs/tags/race', sha: head })),
      ),
    )
    expect(results.filter((s) => s === 201)).toHaveLength(1)
    expect(results.filter((s) => s === 422)).toHaveLength(9)
  })

  it('paginates releases with a Link header and includes drafts only in the list', async () => {
    for (let i = 0; i < 5; i++)
      await client.rest.repos.createRelease({ ...repo(), tag_name: `v${i}`, draft: i === 0 })
    const page = await client.rest.repos.listReleases({ ...repo(), per_page: 2 })
    expect(page.data).toHaveLength(2)
    expect(page.headers.link).toMatch(/page=2>; rel="next"/)
    const all = await client.paginate(client.rest.repos.listReleases, { ...repo(), per_page: 2 })
    expect(all.map((r) => r.tag_name).sort()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4'])
    expect(await status(client.rest.repos.getReleaseByTag({ ...repo(), tag: 'v0' }))).toBe(404)
    expect((await client.rest.repos.getReleaseByTag({ ...repo(), tag: 'v1' })).data.tag_name).toBe(
      'v1',
    )
    expect((await client.rest.repos.getLatestRelease(repo())).data.tag_name).toBe('v4')
    // Publishing created the tags of the published releases from target_commitish.
    expect(fake.state.refs.has('refs/tags/v1')).toBe(true)
    expect(fake.state.refs.has('refs/tags/v0')).toBe(false)
    const error = await client.rest.repos
      .createRelease({ ...repo(), tag_name: 'v1' })
      .catch((e: unknown) => e)
    expect((error as { response: { data: unknown } }).response.data).toMatchObject({
      errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
    })
  })

  it('enforces immutable releases: no new assets, no tag moves, the tag name burned after deletion', async () => {
    fake.setRepository({ immutableReleases: true })
    const { data: draft } = await client.rest.repos.createRelease({
      ...repo(),
      tag_name: 'v9',
      target_commitish: head,
      draft: true,
    })
    const upload = (name: string) =>
      client.rest.repos.uploadReleaseAsset({
        ...repo(),
        release_id: draft.id,
        url: draft.upload_url,
        name,
        data: 'hello' as string,
        headers: { 'content-type': 'text/plain' },
      })
    const { data: asset } = await upload('a.txt')
    expect(asset).toMatchObject({
      state: 'uploaded',
      size: 5,
      digest: 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    })
    expect(draft.upload_url).toBe(
      `${fake.url}/uploads/repos/${fake.owner}/${fake.repo}/releases/${draft.id}/assets{?name,label}`,
    )
    expect(await status(upload('a.txt'))).toBe(422)
    const bytes = await client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
      ...repo(),
      asset_id: asset.id,
      headers: { accept: 'application/octet-stream' },
    })
    expect(Buffer.from(bytes.data as unknown as ArrayBuffer).toString()).toBe('hello')

    const { data: published } = await client.rest.repos.updateRelease({
      ...repo(),
      release_id: draft.id,
      draft: false,
    })
    expect(published).toMatchObject({ draft: false, immutable: true })
    expect(published.published_at).not.toBeNull()
    expect(fake.state.refs.get('refs/tags/v9')).toBe(head)
    expect(await status(upload('b.txt'))).toBe(422)
    expect(
      await status(client.rest.repos.deleteReleaseAsset({ ...repo(), asset_id: asset.id })),
    ).toBe(422)
    expect(await status(client.rest.git.deleteRef({ ...repo(), ref: 'tags/v9' }))).toBe(422)
    expect(
      await status(
        client.rest.git.updateRef({ ...repo(), ref: 'tags/v9', sha: base, force: true }),
      ),
    ).toBe(422)
    // Title and notes stay editable.
    expect(
      (await client.rest.repos.updateRelease({ ...repo(), release_id: draft.id, name: 'Nine' }))
        .data.name,
    ).toBe('Nine')
    expect(await status(client.rest.repos.deleteRelease({ ...repo(), release_id: draft.id }))).toBe(
      204,
    )
    const error = await client.rest.repos
      .createRelease({ ...repo(), tag_name: 'v9' })
      .catch((e: unknown) => e)
    expect((error as { response: { data: unknown } }).response.data).toMatchObject({
      errors: [
        { code: 'custom', field: 'tag_name', message: 'tag_name was used by an immutable release' },
      ],
    })
  })

  it('stores attestations and finds them by subject digest', async () => {
    const digest = 'ab'.repeat(32)
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'x', digest: { sha256: digest } }],
    }
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: {},
      dsseEnvelope: {
        payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
        payloadType: 'application/vnd.in-toto+json',
        signatures: [],
      },
    }
    const created = await client.request('POST /repos/{owner}/{repo}/attestations', {
      ...repo(),
      bundle,
    })
    expect(created.status).toBe(201)
    const found = await client.request('GET /repos/{owner}/{repo}/attestations/{subject_digest}', {
      ...repo(),
      subject_digest: `sha256:${digest}`,
    })
    expect(found.data.attestations).toHaveLength(1)
    expect(found.data.attestations?.[0]?.bundle).toEqual(bundle)
  })

  it('answers 403 to attestations when told to', async () => {
    await fake.close()
    fake = await startGitHubFake({ validateResponses: true, attestations: 403 })
    client = createFakeClient(fake, { retries: 0 })
    expect(
      await status(
        client.request('POST /repos/{owner}/{repo}/attestations', {
          ...repo(),
          bundle: { mediaType: 'x' },
        }),
      ),
    ).toBe(403)
  })

  it('applies faults by ordinal without changing state, and afterEffect faults after it', async () => {
    fake.injectFault({
      method: 'POST',
      route: 'POST /repos/{owner}/{repo}/git/refs',
      ordinal: 2,
      fault: { status: 500 },
    })
    fake.injectFault({
      method: 'POST',
      route: /git\/refs$/,
      ordinal: 3,
      fault: { status: 502, afterEffect: true },
    })
    fake.injectFault({ method: 'GET', route: 'GET /repos/{owner}/{repo}', fault: 'reset' })
    fake.injectFault({
      method: 'GET',
      route: 'GET /repos/{owner}/{repo}',
      ordinal: 2,
      fault: 'truncate',
    })
    expect(
      await status(client.rest.git.createRef({ ...repo(), ref: 'refs/heads/a', sha: head })),
    ).toBe(201)
    expect(
      await status(client.rest.git.createRef({ ...repo(), ref: 'refs/heads/b', sha: head })),
    ).toBe(500)
    expect(fake.state.refs.has('refs/heads/b')).toBe(false)
    expect(
      await status(client.rest.git.createRef({ ...repo(), ref: 'refs/heads/c', sha: head })),
    ).toBe(502)
    expect(fake.state.refs.has('refs/heads/c')).toBe(true)
    await expect(client.rest.repos.get(repo())).rejects.toThrow()
    // Octokit swallows a cut-off JSON body and hands back an empty string.
    expect((await client.rest.repos.get(repo())).data).toBe('')
    expect((await client.rest.repos.get(repo())).status).toBe(200)
    expect(fake.requests.filter((r) => r.faulted)).toHaveLength(4)
  })
})

describe('OpenAPI response validator', () => {
  const validator = new OpenApiResponseValidator()

  it('records the spec version it was extracted from', () => {
    expect(validator.specVersion).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('rejects responses GitHub would never send', () => {
    expect(
      validator.check('POST', '/repos/{owner}/{repo}/git/refs', 201, { ref: 'refs/tags/v1' }),
    ).toMatch(/must have required property 'node_id'/)
    expect(
      validator.check('POST', '/repos/{owner}/{repo}/git/refs', 422, { message: 'x' }),
    ).toMatch(/documentation_url/)
    expect(
      validator.check('GET', '/repos/{owner}/{repo}/releases/{release_id}/assets', 200, [
        { id: 'one' },
      ]),
    ).toBeDefined()
    expect(validator.check('GET', '/repos/{owner}/{repo}/nope', 200, {})).toMatch(
      /not in the OpenAPI subset/,
    )
    expect(
      validator.check('DELETE', '/repos/{owner}/{repo}/git/refs/{ref}', 204, undefined),
    ).toBeUndefined()
  })
})
