import { randomBytes } from 'node:crypto'
import type { FakeContext } from './context.ts'
import { resolveCommitish } from './git.ts'
import {
  bodyObject,
  notFound,
  nowIso,
  paginate,
  tagNameBurned,
  tagNameTaken,
  validationFailed,
} from './http.ts'
import { actor, releaseJson } from './representations.ts'
import type { Router } from './router.ts'
import {
  assetsOfRelease,
  immutableReleaseForTag,
  type FakeState,
  type StoredRelease,
} from './state.ts'

export function findRelease(state: FakeState, id: string | undefined): StoredRelease {
  const release = state.releases.get(Number(id))
  if (!release) throw notFound()
  return release
}

function tagNameInUse(state: FakeState, tag: unknown, except?: StoredRelease): boolean {
  return [...state.releases.values()].some((s) => s !== except && s.release.tag_name === tag)
}

/**
 * GitHub lets any number of drafts share a tag name (ncipollo/release-action#8): only a
 * published release holds its tag, so creating or publishing a second one is refused.
 */
function publishedWithTag(state: FakeState, tag: unknown, except?: StoredRelease): boolean {
  return [...state.releases.values()].some(
    (s) => s !== except && !s.release.draft && s.release.tag_name === tag,
  )
}

/** `v1.2.3` → [1, 2, 3] (pre-releases and other tags: undefined), for `make_latest: legacy`. */
function semverCore(tag: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:\+[0-9A-Za-z.-]+)?$/.exec(tag)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined
}

/**
 * `make_latest: legacy`: GitHub's older rule, by semantic version and creation date. Modelled
 * as: the highest semantic version among published non-prereleases; releases whose tag is no
 * version count by creation date after every version.
 */
function legacyLatest(state: FakeState): StoredRelease | undefined {
  const published = [...state.releases.values()].filter(
    (s) => !s.release.draft && !s.release.prerelease,
  )
  const byVersion = (a: StoredRelease, b: StoredRelease): number => {
    const va = semverCore(a.release.tag_name)
    const vb = semverCore(b.release.tag_name)
    if (va && vb) {
      for (let i = 0; i < 3; i++) if (va[i] !== vb[i]) return (va[i] as number) - (vb[i] as number)
    } else if (va || vb) {
      return va ? 1 : -1
    }
    return String(a.release.created_at).localeCompare(String(b.release.created_at))
  }
  return published.sort(byVersion).at(-1)
}

/**
 * Applies `make_latest` to a published release. Creating or publishing a release defaults to
 * `true`; a PATCH of an already published release without `make_latest` leaves the latest
 * flag alone (editing a title must not move "latest"). Drafts and prereleases never become
 * latest; `true` on one release unmarks the previous latest.
 */
function setLatest(
  state: FakeState,
  stored: StoredRelease,
  makeLatest: unknown,
  defaultTrue = true,
): void {
  const r = stored.release
  if (r.draft) return
  if (makeLatest === undefined && !defaultTrue) return
  if (makeLatest === 'false') {
    if (state.latestReleaseId === r.id) state.latestReleaseId = undefined
    return
  }
  if (makeLatest === 'legacy') {
    state.latestReleaseId = legacyLatest(state)?.release.id
    return
  }
  if (!r.prerelease) state.latestReleaseId = r.id
  else if (state.latestReleaseId === r.id) state.latestReleaseId = undefined
}

/**
 * Publishes a draft: creates its tag when missing (as GitHub does, at `target_commitish`) and,
 * while the repository's setting is on, makes the release immutable.
 */
function publish(state: FakeState, stored: StoredRelease, at: string): void {
  if (publishedWithTag(state, stored.release.tag_name, stored)) throw tagNameTaken()
  const ref = `refs/tags/${stored.release.tag_name}`
  if (!state.refs.has(ref)) {
    if (state.burnedTagNames.has(stored.release.tag_name)) throw tagNameBurned()
    const commit = resolveCommitish(state, stored.release.target_commitish)
    if (!commit) {
      throw validationFailed([{ resource: 'Release', code: 'invalid', field: 'target_commitish' }])
    }
    state.refs.set(ref, commit.sha)
  }
  stored.release.draft = false
  stored.release.published_at = at
  stored.immutable = state.repository.immutableReleases
}

function newDraft(fake: FakeContext, input: Record<string, unknown>, tag: string): StoredRelease {
  const id = fake.newId()
  const now = nowIso()
  return {
    untaggedId: randomBytes(10).toString('hex'),
    immutable: false,
    release: {
      id,
      node_id: `RE_${id}`,
      url: `${fake.repoApi}/releases/${id}`,
      html_url: '',
      assets_url: `${fake.repoApi}/releases/${id}/assets`,
      upload_url: `${fake.origin}/uploads/repos/${fake.owner}/${fake.repo}/releases/${id}/assets{?name,label}`,
      tarball_url: null,
      zipball_url: null,
      tag_name: tag,
      target_commitish:
        typeof input.target_commitish === 'string'
          ? input.target_commitish
          : fake.state.repository.defaultBranch,
      name: typeof input.name === 'string' ? input.name : null,
      body: typeof input.body === 'string' ? input.body : null,
      draft: true,
      prerelease: input.prerelease === true,
      created_at: now,
      updated_at: now,
      published_at: null,
      author: actor(fake),
    },
  }
}

function createRelease(fake: FakeContext, body: unknown): StoredRelease {
  const { state } = fake
  const input = bodyObject(body)
  const tag = input.tag_name
  if (typeof tag !== 'string' || tag === '') {
    throw validationFailed([{ resource: 'Release', code: 'missing_field', field: 'tag_name' }])
  }
  if (state.burnedTagNames.has(tag) || immutableReleaseForTag(state, tag)) throw tagNameBurned()
  if (publishedWithTag(state, tag)) throw tagNameTaken()
  const stored = newDraft(fake, input, tag)
  if (input.draft !== true) publish(state, stored, stored.release.created_at)
  state.releases.set(stored.release.id, stored)
  setLatest(state, stored, input.make_latest)
  return stored
}

/**
 * What an immutable release refuses: a new tag or target, or going back to draft. Title, notes,
 * the prerelease flag and make_latest stay editable (github/docs#45730); assets are refused by
 * the asset routes.
 */
function changesLockedFields(stored: StoredRelease, input: Record<string, unknown>): boolean {
  const r = stored.release
  return (
    (input.tag_name !== undefined && input.tag_name !== r.tag_name) ||
    (input.target_commitish !== undefined && input.target_commitish !== r.target_commitish) ||
    input.draft === true
  )
}

function updateRelease(state: FakeState, stored: StoredRelease, body: unknown): void {
  const input = bodyObject(body)
  const r = stored.release
  if (stored.immutable && changesLockedFields(stored, input)) {
    throw validationFailed([
      {
        resource: 'Release',
        code: 'custom',
        field: 'tag_name',
        message: 'Cannot modify an immutable release.',
      },
    ])
  }
  if (typeof input.tag_name === 'string' && input.tag_name !== r.tag_name) {
    if (tagNameInUse(state, input.tag_name, stored)) throw tagNameTaken()
    r.tag_name = input.tag_name
  }
  if (typeof input.target_commitish === 'string') r.target_commitish = input.target_commitish
  if (typeof input.name === 'string') r.name = input.name
  if (typeof input.body === 'string') r.body = input.body
  if (typeof input.prerelease === 'boolean') r.prerelease = input.prerelease
  const publishes = input.draft === false && r.draft
  if (publishes) publish(state, stored, nowIso())
  r.updated_at = nowIso()
  setLatest(state, stored, input.make_latest, publishes)
  // A release that became a prerelease is no longer latest.
  if (r.prerelease && state.latestReleaseId === r.id) state.latestReleaseId = undefined
}

function deleteRelease(state: FakeState, stored: StoredRelease): void {
  // Deleting an immutable release is allowed, but its tag name can never be used again.
  if (stored.immutable) state.burnedTagNames.add(stored.release.tag_name)
  for (const asset of assetsOfRelease(state, stored.release.id)) state.assets.delete(asset.asset.id)
  state.releases.delete(stored.release.id)
  if (state.latestReleaseId === stored.release.id) state.latestReleaseId = undefined
}

export function releaseRoutes(router: Router, fake: FakeContext): void {
  const { state } = fake
  const view = (stored: StoredRelease): ReturnType<typeof releaseJson> => releaseJson(fake, stored)
  router.add('GET', '/repos/{owner}/{repo}/releases', ({ url }) => {
    // Newest first, drafts included (the token has push access).
    const all = [...state.releases.values()].sort((a, b) => b.release.id - a.release.id)
    return paginate(all.map(view), url, fake.origin)
  })
  router.add('POST', '/repos/{owner}/{repo}/releases', ({ body }) => {
    const stored = createRelease(fake, body)
    return { status: 201, json: view(stored), headers: { location: stored.release.url } }
  })
  router.add('GET', '/repos/{owner}/{repo}/releases/latest', () => {
    const latest =
      state.latestReleaseId === undefined ? undefined : state.releases.get(state.latestReleaseId)
    if (!latest) throw notFound()
    return { status: 200, json: view(latest) }
  })
  router.add('GET', '/repos/{owner}/{repo}/releases/tags/{tag}', ({ params }) => {
    const tag = params[2]
    const stored = [...state.releases.values()].find(
      (r) => !r.release.draft && r.release.tag_name === tag,
    )
    if (!stored) throw notFound()
    return { status: 200, json: view(stored) }
  })
  router.add('GET', '/repos/{owner}/{repo}/releases/{release_id}', ({ params }) => ({
    status: 200,
    json: view(findRelease(state, params[2])),
  }))
  router.add('PATCH', '/repos/{owner}/{repo}/releases/{release_id}', ({ params, body }) => {
    const stored = findRelease(state, params[2])
    updateRelease(state, stored, body)
    return { status: 200, json: view(stored) }
  })
  router.add('DELETE', '/repos/{owner}/{repo}/releases/{release_id}', ({ params }) => {
    deleteRelease(state, findRelease(state, params[2]))
    return { status: 204 }
  })
}
