import type { FakeContext } from './context.ts'
import { isFastForward, sha1 } from './git.ts'
import { bodyObject, HttpError, notFound, nowIso, paginate, validationFailed } from './http.ts'
import { unsignedVerification } from './representations.ts'
import type { Router } from './router.ts'
import { isProtectedTagRef, type FakeTagObject, type GitRef, type GitTag } from './state.ts'

/** API URL of a git object: annotated tags live under `git/tags`, everything else `git/commits`. */
function objectUrl(fake: FakeContext, type: string, sha: string): string {
  return `${fake.repoApi}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}`
}

function refJson(fake: FakeContext, ref: string, sha: string): GitRef {
  const type = fake.state.tagObjects.has(sha) ? 'tag' : 'commit'
  return {
    ref,
    node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
    url: `${fake.repoApi}/git/${ref}`,
    object: { type, sha, url: objectUrl(fake, type, sha) },
  }
}

function tagJson(fake: FakeContext, tag: FakeTagObject): GitTag {
  return {
    node_id: `TAG_${tag.sha.slice(0, 12)}`,
    sha: tag.sha,
    tag: tag.tag,
    message: tag.message,
    url: `${fake.repoApi}/git/tags/${tag.sha}`,
    tagger: tag.tagger,
    object: {
      sha: tag.object.sha,
      type: tag.object.type,
      url: objectUrl(fake, tag.object.type, tag.object.sha),
    },
    verification: unsignedVerification(),
  }
}

function isGitObject(fake: FakeContext, sha: unknown): sha is string {
  return typeof sha === 'string' && (fake.state.commits.has(sha) || fake.state.tagObjects.has(sha))
}

function createRef(fake: FakeContext, body: unknown): GitRef {
  const { ref, sha } = bodyObject(body)
  if (typeof ref !== 'string' || typeof sha !== 'string') {
    const field = typeof ref === 'string' ? 'sha' : 'ref'
    throw validationFailed(
      [{ resource: 'Reference', code: 'missing_field', field }],
      'Invalid request.',
    )
  }
  if (!/^refs\/[^/]+\/.+/.test(ref))
    throw new HttpError(
      422,
      'Reference name must contain at least three slash-separated components.',
    )
  if (fake.state.refs.has(ref)) throw new HttpError(422, 'Reference already exists')
  if (isProtectedTagRef(fake.state, ref))
    throw new HttpError(422, 'Cannot create ref due to creations being restricted.')
  if (!isGitObject(fake, sha)) throw new HttpError(422, 'Object does not exist')
  fake.state.refs.set(ref, sha)
  return refJson(fake, ref, sha)
}

function updateRef(fake: FakeContext, ref: string, body: unknown): GitRef {
  const { state } = fake
  const { sha, force } = bodyObject(body)
  if (!state.refs.has(ref)) throw new HttpError(422, 'Reference does not exist')
  if (!isGitObject(fake, sha)) throw new HttpError(422, 'Object does not exist')
  if (isProtectedTagRef(state, ref))
    throw new HttpError(422, 'Cannot update ref due to updates being restricted.')
  const current = state.refs.get(ref) as string
  if (force !== true && ref.startsWith('refs/heads/') && !isFastForward(state, current, sha)) {
    throw new HttpError(422, 'Update is not a fast forward')
  }
  state.refs.set(ref, sha)
  return refJson(fake, ref, sha)
}

function createTagObject(fake: FakeContext, body: unknown): GitTag {
  if (fake.options.annotatedTags === false) throw notFound()
  const input = bodyObject(body)
  const { tag, message, object, type } = input
  if (
    typeof tag !== 'string' ||
    typeof message !== 'string' ||
    typeof object !== 'string' ||
    typeof type !== 'string'
  ) {
    throw validationFailed([{ resource: 'Tag', code: 'missing_field' }], 'Invalid request.')
  }
  if (!isGitObject(fake, object)) throw new HttpError(422, 'Object does not exist')
  const tagger = (input.tagger as FakeTagObject['tagger'] | undefined) ?? {
    name: 'github-actions[bot]',
    email: '41898282+github-actions[bot]@users.noreply.github.com',
    date: nowIso(),
  }
  // The SHA git itself would give this tag object.
  const text = `object ${object}\ntype ${type}\ntag ${tag}\ntagger ${tagger.name} <${tagger.email}> ${tagger.date}\n\n${message}`
  const sha = sha1(`tag ${text.length}\0${text}`)
  const stored: FakeTagObject = { sha, tag, message, object: { sha: object, type }, tagger }
  fake.state.tagObjects.set(sha, stored)
  return tagJson(fake, stored)
}

/** Git references (`refs/...`) and annotated tag objects. */
export function refRoutes(router: Router, fake: FakeContext): void {
  const { state } = fake
  router.add('GET', '/repos/{owner}/{repo}/git/ref/{ref}', ({ params }) => {
    const ref = `refs/${params[2]}`
    const sha = state.refs.get(ref)
    if (!sha) throw notFound()
    return { status: 200, json: refJson(fake, ref, sha) }
  })
  router.add('GET', '/repos/{owner}/{repo}/git/matching-refs/{ref}', ({ params, url }) => {
    const prefix = `refs/${params[2]}`
    const matching = [...state.refs.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, sha]) => refJson(fake, name, sha))
    return paginate(matching, url, fake.origin)
  })
  router.add('POST', '/repos/{owner}/{repo}/git/refs', ({ body }) => {
    const created = createRef(fake, body)
    return {
      status: 201,
      json: created,
      headers: { location: `${fake.repoApi}/git/${created.ref}` },
    }
  })
  router.add('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', ({ params, body }) => ({
    status: 200,
    json: updateRef(fake, `refs/${params[2]}`, body),
  }))
  router.add('DELETE', '/repos/{owner}/{repo}/git/refs/{ref}', ({ params }) => {
    const ref = `refs/${params[2]}`
    if (!state.refs.has(ref)) throw new HttpError(422, 'Reference does not exist')
    if (isProtectedTagRef(state, ref))
      throw new HttpError(422, 'Cannot delete ref due to deletions being restricted.')
    state.refs.delete(ref)
    return { status: 204 }
  })
  router.add('POST', '/repos/{owner}/{repo}/git/tags', ({ body }) => ({
    status: 201,
    json: createTagObject(fake, body),
  }))
  router.add('GET', '/repos/{owner}/{repo}/git/tags/{tag_sha}', ({ params }) => {
    const tag = state.tagObjects.get(params[2] as string)
    if (!tag) throw notFound()
    return { status: 200, json: tagJson(fake, tag) }
  })
  // The repository's tags (`GET /tags`), each peeled to the commit it names, by name.
  router.add('GET', '/repos/{owner}/{repo}/tags', ({ url }) => {
    const tags = [...state.refs.entries()]
      .filter(([name]) => name.startsWith('refs/tags/'))
      .sort(([a], [b]) => b.localeCompare(a))
      .map(([ref, sha]) => {
        const name = ref.slice('refs/tags/'.length)
        let commit = sha
        for (let depth = 0; depth < 10 && state.tagObjects.has(commit); depth++) {
          commit = (state.tagObjects.get(commit) as FakeTagObject).object.sha
        }
        return {
          name,
          commit: { sha: commit, url: `${fake.repoApi}/commits/${commit}` },
          zipball_url: `${fake.repoApi}/zipball/${encodeURIComponent(name)}`,
          tarball_url: `${fake.repoApi}/tarball/${encodeURIComponent(name)}`,
          node_id: `TAG_${Buffer.from(ref).toString('base64url')}`,
        }
      })
    return paginate(tags, url, fake.origin)
  })
}
