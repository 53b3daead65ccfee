import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sharedValidator, type ResponseViolation } from './openapi-validator.ts'
import type {
  FakeCommit,
  FakeCommitInput,
  FakeRepository,
  FakeState,
  FakeTagObject,
  GitRef,
  GitTag,
  Release,
  ReleaseAsset,
  SimpleUser,
  StoredAsset,
  StoredRelease,
} from './state.ts'

export type FaultAction =
  | {
      status: 500 | 502 | 503 | 429 | 403
      headers?: Record<string, string>
      body?: unknown
      afterEffect?: boolean
    }
  | { reset: true; afterEffect?: boolean }
  | { truncate: true; afterEffect?: boolean }
  | { delayMs: number }

export interface FaultPlan {
  method: string
  /** `'POST /repos/{owner}/{repo}/git/refs'` (OpenAPI template) or a RegExp tested on `METHOD /path`. */
  route: string | RegExp
  /** 1 = the first matching request. */
  ordinal?: number
  /** `'reset'` destroys the socket, `'truncate'` sends half a body then destroys it. */
  fault: FaultAction | 'reset' | 'truncate'
}

export interface RecordedRequest {
  method: string
  path: string
  /** OpenAPI template the request matched, e.g. `/repos/{owner}/{repo}/releases`. */
  route: string | undefined
  status: number
  faulted: boolean
}

export interface GitHubFakeOptions {
  token?: string
  owner?: string
  repo?: string
  /** Check every response against GitHub's OpenAPI description (recorded in `violations`). */
  validateResponses?: boolean
  /** `'null'` answers `digest: null` like older GitHub Enterprise Server versions. */
  assetDigests?: 'sha256' | 'null'
  /** How `POST /attestations` answers: stored (default), or refused. */
  attestations?: 'store' | 403 | 404
  /** `false`: no git tags API (`POST /git/tags` answers 404), as on some compatible servers. */
  annotatedTags?: boolean
  repository?: Partial<
    Pick<FakeRepository, 'visibility' | 'ownerType' | 'immutableReleases' | 'enforcedByOwner'>
  >
}

export interface GitHubFake {
  /** REST API base URL (pass as the client's `baseUrl`). */
  readonly url: string
  readonly token: string
  readonly owner: string
  readonly repo: string
  readonly state: FakeState
  readonly requests: RecordedRequest[]
  readonly violations: ResponseViolation[]
  /** Seeds a commit; returns its SHA. */
  addCommit(commit: FakeCommitInput): string
  /** Points `refs/heads/<name>` (or any full ref name) at a commit. */
  setRef(ref: string, sha: string): void
  setRepository(
    settings: Partial<
      Pick<FakeRepository, 'visibility' | 'ownerType' | 'immutableReleases' | 'enforcedByOwner'>
    >,
  ): void
  injectFault(plan: FaultPlan): void
  /** Future uploads with this asset name are stored with their last byte flipped. */
  corruptUploadsOf(name: string): void
  /** Asset records (with bytes) of a release, in upload order. */
  assetsOf(releaseId: number): ReleaseAsset[]
  close(): Promise<void>
}

interface Route {
  method: string
  template: string
  pattern: RegExp
  handler: (ctx: RequestContext) => Promise<Reply> | Reply
  /** Uploads stream their body themselves and manage the lock. */
  streaming?: boolean
}

interface RequestContext {
  req: IncomingMessage
  url: URL
  params: string[]
  body: unknown
}

interface Reply {
  status: number
  json?: unknown
  headers?: Record<string, string>
  /** A file streamed as the body (asset downloads). */
  file?: { path: string; contentType: string; size: number }
}

const DOCS = 'https://docs.github.com/rest'

class HttpError extends Error {
  readonly status: number
  readonly payload: Record<string, unknown>
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message)
    this.status = status
    this.payload = { message, documentation_url: DOCS, status: String(status), ...extra }
  }
}

function notFound(): HttpError {
  return new HttpError(404, 'Not Found')
}

function validationFailed(
  errors: Record<string, unknown>[],
  message = 'Validation Failed',
): HttpError {
  return new HttpError(422, message, { errors })
}

/** Serialises state changes so concurrent requests see each other's effects, as on GitHub. */
class Mutex {
  private tail: Promise<void> = Promise.resolve()
  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task)
    this.tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }
}

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function normaliseFault(fault: FaultPlan['fault']): FaultAction {
  if (fault === 'reset') return { reset: true }
  if (fault === 'truncate') return { truncate: true }
  return fault
}

export async function startGitHubFake(options: GitHubFakeOptions = {}): Promise<GitHubFake> {
  const token = options.token ?? `ghs_fake_${randomBytes(12).toString('hex')}`
  const owner = options.owner ?? 'octo-org'
  const repo = options.repo ?? 'widget'
  const storage = await mkdtemp(path.join(tmpdir(), 'github-fake-'))
  const validator = options.validateResponses ? sharedValidator() : undefined
  const digestMode = options.assetDigests ?? 'sha256'
  const attestationMode = options.attestations ?? 'store'
  const lock = new Mutex()
  const corrupted = new Set<string>()
  const faults: { plan: FaultPlan; seen: number; done: boolean }[] = []
  const requests: RecordedRequest[] = []
  const violations: ResponseViolation[] = []
  const sockets = new Set<Socket>()
  let nextId = 1000
  const newId = (): number => nextId++

  const state: FakeState = {
    repository: {
      owner,
      name: repo,
      id: 424242,
      visibility: 'public',
      ownerType: 'Organization',
      immutableReleases: false,
      enforcedByOwner: false,
      defaultBranch: 'main',
      ...options.repository,
    },
    commits: new Map(),
    refs: new Map(),
    tagObjects: new Map(),
    releases: new Map(),
    assets: new Map(),
    attestations: [],
    burnedTagNames: new Set(),
    latestReleaseId: undefined,
  }

  const server: Server = createServer()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const apiUrl = origin
  const repoApi = (): string => `${apiUrl}/repos/${owner}/${repo}`
  const htmlRepo = (): string => `${origin}/html/${owner}/${repo}`

  // ---- representations -------------------------------------------------------------------

  function user(login: string, type: 'User' | 'Organization' | 'Bot' = 'User'): SimpleUser {
    const slug = encodeURIComponent(login)
    const url = `${apiUrl}/users/${slug}`
    return {
      login,
      id: 1,
      node_id: 'MDQ6VXNlcjE=',
      avatar_url: `${origin}/avatars/${slug}`,
      gravatar_id: '',
      url,
      html_url: `${origin}/html/${slug}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type,
      site_admin: false,
    }
  }
  const actor = (): SimpleUser => user('github-actions[bot]', 'Bot')

  function repositoryJson(): Record<string, unknown> {
    const r = state.repository
    const url = repoApi()
    const templated = (suffix: string): string => `${url}/${suffix}`
    const now = nowIso()
    return {
      id: r.id,
      node_id: 'R_kgDOfake',
      name: r.name,
      full_name: `${r.owner}/${r.name}`,
      owner: user(r.owner, r.ownerType),
      private: r.visibility !== 'public',
      visibility: r.visibility,
      html_url: htmlRepo(),
      description: null,
      fork: false,
      url,
      archive_url: templated('{archive_format}{/ref}'),
      assignees_url: templated('assignees{/user}'),
      blobs_url: templated('git/blobs{/sha}'),
      branches_url: templated('branches{/branch}'),
      collaborators_url: templated('collaborators{/collaborator}'),
      comments_url: templated('comments{/number}'),
      commits_url: templated('commits{/sha}'),
      compare_url: templated('compare/{base}...{head}'),
      contents_url: templated('contents/{+path}'),
      contributors_url: templated('contributors'),
      deployments_url: templated('deployments'),
      downloads_url: templated('downloads'),
      events_url: templated('events'),
      forks_url: templated('forks'),
      git_commits_url: templated('git/commits{/sha}'),
      git_refs_url: templated('git/refs{/sha}'),
      git_tags_url: templated('git/tags{/sha}'),
      git_url: `git://127.0.0.1/${r.owner}/${r.name}.git`,
      hooks_url: templated('hooks'),
      issue_comment_url: templated('issues/comments{/number}'),
      issue_events_url: templated('issues/events{/number}'),
      issues_url: templated('issues{/number}'),
      keys_url: templated('keys{/key_id}'),
      labels_url: templated('labels{/name}'),
      languages_url: templated('languages'),
      merges_url: templated('merges'),
      milestones_url: templated('milestones{/number}'),
      notifications_url: templated('notifications{?since,all,participating}'),
      pulls_url: templated('pulls{/number}'),
      releases_url: templated('releases{/id}'),
      stargazers_url: templated('stargazers'),
      statuses_url: templated('statuses/{sha}'),
      subscribers_url: templated('subscribers'),
      subscription_url: templated('subscription'),
      tags_url: templated('tags'),
      teams_url: templated('teams'),
      trees_url: templated('git/trees{/sha}'),
      clone_url: `${htmlRepo()}.git`,
      ssh_url: `git@127.0.0.1:${r.owner}/${r.name}.git`,
      svn_url: htmlRepo(),
      mirror_url: null,
      homepage: null,
      language: 'TypeScript',
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers: 0,
      watchers_count: 0,
      size: 1,
      default_branch: r.defaultBranch,
      open_issues: 0,
      open_issues_count: 0,
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_discussions: false,
      has_downloads: true,
      archived: false,
      disabled: false,
      license: null,
      pushed_at: now,
      created_at: '2024-01-01T00:00:00Z',
      updated_at: now,
      network_count: 0,
      subscribers_count: 0,
    }
  }

  function commitJson(commit: FakeCommit): Record<string, unknown> {
    const url = `${repoApi()}/commits/${commit.sha}`
    const gitUser = { ...commit.author }
    return {
      url,
      sha: commit.sha,
      node_id: `C_${commit.sha.slice(0, 12)}`,
      html_url: `${htmlRepo()}/commit/${commit.sha}`,
      comments_url: `${url}/comments`,
      commit: {
        url: `${repoApi()}/git/commits/${commit.sha}`,
        author: gitUser,
        committer: gitUser,
        message: commit.message,
        comment_count: 0,
        tree: {
          sha: sha1(`tree ${commit.sha}`),
          url: `${repoApi()}/git/trees/${sha1(`tree ${commit.sha}`)}`,
        },
        verification: {
          verified: false,
          reason: 'unsigned',
          payload: null,
          signature: null,
          verified_at: null,
        },
      },
      author: null,
      committer: null,
      parents: commit.parents.map((sha) => ({
        sha,
        url: `${repoApi()}/commits/${sha}`,
        html_url: `${htmlRepo()}/commit/${sha}`,
      })),
    }
  }

  function refJson(ref: string, sha: string): GitRef {
    const type = state.tagObjects.has(sha) ? 'tag' : 'commit'
    return {
      ref,
      node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
      url: `${repoApi()}/git/${ref}`,
      object: { type, sha, url: `${repoApi()}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}` },
    }
  }

  function tagJson(tag: FakeTagObject): GitTag {
    return {
      node_id: `TAG_${tag.sha.slice(0, 12)}`,
      sha: tag.sha,
      tag: tag.tag,
      message: tag.message,
      url: `${repoApi()}/git/tags/${tag.sha}`,
      tagger: tag.tagger,
      object: {
        sha: tag.object.sha,
        type: tag.object.type,
        url: `${repoApi()}/git/${tag.object.type === 'tag' ? 'tags' : 'commits'}/${tag.object.sha}`,
      },
      verification: {
        verified: false,
        reason: 'unsigned',
        payload: null,
        signature: null,
        verified_at: null,
      },
    }
  }

  function downloadPath(stored: StoredRelease, name: string): string {
    const segment = stored.release.draft ? `untagged-${stored.untaggedId}` : stored.release.tag_name
    return `/download/${owner}/${repo}/releases/download/${encodeURIComponent(segment)}/${encodeURIComponent(name)}`
  }

  function releaseJson(stored: StoredRelease): Release {
    const r = stored.release
    const html = r.draft
      ? `${htmlRepo()}/releases/tag/untagged-${stored.untaggedId}`
      : `${htmlRepo()}/releases/tag/${encodeURIComponent(r.tag_name)}`
    const assets = assetsOfRelease(r.id).map((a) => assetJson(a))
    return {
      ...r,
      html_url: html,
      tarball_url: r.draft ? null : `${repoApi()}/tarball/${encodeURIComponent(r.tag_name)}`,
      zipball_url: r.draft ? null : `${repoApi()}/zipball/${encodeURIComponent(r.tag_name)}`,
      immutable: stored.immutable,
      assets,
    }
  }

  function assetJson(stored: StoredAsset): ReleaseAsset {
    const release = state.releases.get(stored.releaseId)
    const a = stored.asset
    return {
      ...a,
      browser_download_url: release
        ? `${origin}${downloadPath(release, a.name)}`
        : a.browser_download_url,
      digest: digestMode === 'null' ? null : a.digest,
    }
  }

  function assetsOfRelease(releaseId: number): StoredAsset[] {
    return [...state.assets.values()].filter((a) => a.releaseId === releaseId)
  }

  // ---- git helpers -------------------------------------------------------------------------

  function sha1(text: string): string {
    return createHash('sha1').update(text).digest('hex')
  }

  function peel(sha: string): string | undefined {
    let current = sha
    for (let depth = 0; depth < 10; depth++) {
      const tag = state.tagObjects.get(current)
      if (!tag) return state.commits.has(current) ? current : undefined
      current = tag.object.sha
    }
    return undefined
  }

  /** Resolves what `GET /commits/{ref}` accepts: a SHA (or prefix), branch, tag or full ref. */
  function resolveCommitish(ref: string): FakeCommit | undefined {
    const candidates = [ref, `refs/${ref}`, `refs/heads/${ref}`, `refs/tags/${ref}`]
    for (const name of candidates) {
      const target = state.refs.get(name)
      if (target) {
        const sha = peel(target)
        if (sha) return state.commits.get(sha)
      }
    }
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      const matches = [...state.commits.keys()].filter((sha) => sha.startsWith(ref))
      if (matches.length === 1) return state.commits.get(matches[0] as string)
    }
    return undefined
  }

  function ancestors(sha: string): Set<string> {
    const seen = new Set<string>()
    const stack = [sha]
    while (stack.length > 0) {
      const current = stack.pop() as string
      if (seen.has(current)) continue
      seen.add(current)
      for (const parent of state.commits.get(current)?.parents ?? []) stack.push(parent)
    }
    return seen
  }

  /** The published immutable release using a tag, if any: its tag may not move or go. */
  function immutableReleaseForTag(tag: string): StoredRelease | undefined {
    return [...state.releases.values()].find(
      (r) => r.immutable && !r.release.draft && r.release.tag_name === tag,
    )
  }

  function isProtectedTagRef(ref: string): boolean {
    if (!ref.startsWith('refs/tags/')) return false
    const tag = ref.slice('refs/tags/'.length)
    return immutableReleaseForTag(tag) !== undefined || state.burnedTagNames.has(tag)
  }

  // ---- pagination --------------------------------------------------------------------------

  function paginate<T>(items: T[], url: URL): Reply {
    const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100)
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1)
    const last = Math.max(Math.ceil(items.length / perPage), 1)
    const slice = items.slice((page - 1) * perPage, page * perPage)
    const link = (n: number, rel: string): string => {
      const next = new URL(url.pathname + url.search, apiUrl)
      next.searchParams.set('per_page', String(perPage))
      next.searchParams.set('page', String(n))
      return `<${next.toString()}>; rel="${rel}"`
    }
    const links: string[] = []
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'))
    return { status: 200, json: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} }
  }

  // ---- handlers ----------------------------------------------------------------------------

  function requireRepo(params: string[]): void {
    if (params[0] !== owner || params[1] !== repo) throw notFound()
  }

  function bodyObject(body: unknown): Record<string, unknown> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'Problems parsing JSON')
    }
    return body as Record<string, unknown>
  }

  function findRelease(id: string | undefined): StoredRelease {
    const release = state.releases.get(Number(id))
    if (!release) throw notFound()
    return release
  }

  function setLatest(stored: StoredRelease, makeLatest: unknown): void {
    const r = stored.release
    if (r.draft) return
    if (makeLatest === 'false') {
      if (state.latestReleaseId === r.id) state.latestReleaseId = undefined
      return
    }
    if (makeLatest === 'legacy') {
      const published = [...state.releases.values()]
        .filter((s) => !s.release.draft && !s.release.prerelease)
        .sort((a, b) => String(a.release.created_at).localeCompare(String(b.release.created_at)))
      state.latestReleaseId = published.at(-1)?.release.id
      return
    }
    if (!r.prerelease) state.latestReleaseId = r.id
  }

  /** Creates the tag of a release being published, as GitHub does when the tag is missing. */
  function ensureTagForPublish(stored: StoredRelease): void {
    const ref = `refs/tags/${stored.release.tag_name}`
    if (state.refs.has(ref)) return
    if (state.burnedTagNames.has(stored.release.tag_name)) {
      throw validationFailed([
        {
          resource: 'Release',
          code: 'custom',
          field: 'tag_name',
          message: 'tag_name was used by an immutable release',
        },
      ])
    }
    const commit = resolveCommitish(stored.release.target_commitish)
    if (!commit) {
      throw validationFailed([{ resource: 'Release', code: 'invalid', field: 'target_commitish' }])
    }
    state.refs.set(ref, commit.sha)
  }

  const routes: Route[] = []
  const route = (
    method: string,
    template: string,
    handler: Route['handler'],
    streaming = false,
  ): void => {
    const source = template
      .replace(/\{(ref|tag|subject_digest)\}/g, '(.+)')
      .replace(/\{basehead\}/g, '([^/]+?)\\.\\.\\.([^/]+)')
      .replace(/\{[a-z_]+\}/g, '([^/]+)')
    routes.push({ method, template, pattern: new RegExp(`^${source}$`), handler, streaming })
  }

  route('GET', '/repos/{owner}/{repo}', ({ params }) => {
    requireRepo(params)
    return { status: 200, json: repositoryJson() }
  })

  route('GET', '/repos/{owner}/{repo}/immutable-releases', ({ params }) => {
    requireRepo(params)
    if (!state.repository.immutableReleases) throw notFound()
    return {
      status: 200,
      json: { enabled: true, enforced_by_owner: state.repository.enforcedByOwner },
    }
  })

  route('GET', '/repos/{owner}/{repo}/commits/{ref}', ({ params }) => {
    requireRepo(params)
    const ref = params[2] as string
    const commit = resolveCommitish(ref)
    if (!commit) throw new HttpError(422, `No commit found for SHA: ${ref}`)
    return { status: 200, json: commitJson(commit) }
  })

  route('GET', '/repos/{owner}/{repo}/compare/{basehead}', ({ params }) => {
    requireRepo(params)
    const base = resolveCommitish(params[2] as string)
    const head = resolveCommitish(params[3] as string)
    if (!base || !head) throw notFound()
    const baseAncestors = ancestors(base.sha)
    const headAncestors = ancestors(head.sha)
    const ahead = [...headAncestors].filter((sha) => !baseAncestors.has(sha))
    const behind = [...baseAncestors].filter((sha) => !headAncestors.has(sha))
    // Oldest first, as GitHub lists them: order by author date, then by ancestry depth.
    const commits = ahead
      .map((sha) => state.commits.get(sha) as FakeCommit)
      .sort((a, b) => ancestors(a.sha).size - ancestors(b.sha).size)
    const mergeBase =
      [...headAncestors]
        .filter((sha) => baseAncestors.has(sha))
        .map((sha) => state.commits.get(sha) as FakeCommit)
        .sort((a, b) => ancestors(b.sha).size - ancestors(a.sha).size)[0] ?? base
    const status =
      ahead.length === 0 && behind.length === 0
        ? 'identical'
        : behind.length === 0
          ? 'ahead'
          : ahead.length === 0
            ? 'behind'
            : 'diverged'
    const basehead = `${params[2]}...${params[3]}`
    return {
      status: 200,
      json: {
        url: `${repoApi()}/compare/${basehead}`,
        html_url: `${htmlRepo()}/compare/${basehead}`,
        permalink_url: `${htmlRepo()}/compare/${base.sha}...${head.sha}`,
        diff_url: `${htmlRepo()}/compare/${basehead}.diff`,
        patch_url: `${htmlRepo()}/compare/${basehead}.patch`,
        base_commit: commitJson(base),
        merge_base_commit: commitJson(mergeBase),
        status,
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits: commits.map(commitJson),
        files: [],
      },
    }
  })

  route('GET', '/repos/{owner}/{repo}/git/ref/{ref}', ({ params }) => {
    requireRepo(params)
    const ref = `refs/${params[2]}`
    const sha = state.refs.get(ref)
    if (!sha) throw notFound()
    return { status: 200, json: refJson(ref, sha) }
  })

  route('GET', '/repos/{owner}/{repo}/git/matching-refs/{ref}', ({ params, url }) => {
    requireRepo(params)
    const prefix = `refs/${params[2]}`
    const matching = [...state.refs.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, sha]) => refJson(name, sha))
    return paginate(matching, url)
  })

  route('POST', '/repos/{owner}/{repo}/git/refs', ({ params, body }) => {
    requireRepo(params)
    const { ref, sha } = bodyObject(body)
    if (typeof ref !== 'string' || typeof sha !== 'string') {
      throw validationFailed(
        [
          {
            resource: 'Reference',
            code: 'missing_field',
            field: typeof ref === 'string' ? 'sha' : 'ref',
          },
        ],
        'Invalid request.',
      )
    }
    if (!/^refs\/[^/]+\/.+/.test(ref))
      throw new HttpError(
        422,
        'Reference name must contain at least three slash-separated components.',
      )
    if (state.refs.has(ref)) throw new HttpError(422, 'Reference already exists')
    if (isProtectedTagRef(ref))
      throw new HttpError(422, 'Cannot create ref due to creations being restricted.')
    if (!state.commits.has(sha) && !state.tagObjects.has(sha))
      throw new HttpError(422, 'Object does not exist')
    state.refs.set(ref, sha)
    return {
      status: 201,
      json: refJson(ref, sha),
      headers: { location: `${repoApi()}/git/${ref}` },
    }
  })

  route('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', ({ params, body }) => {
    requireRepo(params)
    const ref = `refs/${params[2]}`
    const { sha, force } = bodyObject(body)
    if (!state.refs.has(ref)) throw new HttpError(422, 'Reference does not exist')
    if (typeof sha !== 'string' || (!state.commits.has(sha) && !state.tagObjects.has(sha))) {
      throw new HttpError(422, 'Object does not exist')
    }
    if (isProtectedTagRef(ref))
      throw new HttpError(422, 'Cannot update ref due to updates being restricted.')
    const current = state.refs.get(ref) as string
    if (
      force !== true &&
      ref.startsWith('refs/heads/') &&
      !ancestors(peel(sha) ?? sha).has(peel(current) ?? current)
    ) {
      throw new HttpError(422, 'Update is not a fast forward')
    }
    state.refs.set(ref, sha)
    return { status: 200, json: refJson(ref, sha) }
  })

  route('DELETE', '/repos/{owner}/{repo}/git/refs/{ref}', ({ params }) => {
    requireRepo(params)
    const ref = `refs/${params[2]}`
    if (!state.refs.has(ref)) throw new HttpError(422, 'Reference does not exist')
    if (isProtectedTagRef(ref))
      throw new HttpError(422, 'Cannot delete ref due to deletions being restricted.')
    state.refs.delete(ref)
    return { status: 204 }
  })

  route('POST', '/repos/{owner}/{repo}/git/tags', ({ params, body }) => {
    requireRepo(params)
    if (options.annotatedTags === false) throw notFound()
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
    if (!state.commits.has(object) && !state.tagObjects.has(object))
      throw new HttpError(422, 'Object does not exist')
    const tagger = (input.tagger as FakeTagObject['tagger'] | undefined) ?? {
      name: 'github-actions[bot]',
      email: '41898282+github-actions[bot]@users.noreply.github.com',
      date: nowIso(),
    }
    const text = `object ${object}\ntype ${type}\ntag ${tag}\ntagger ${tagger.name} <${tagger.email}> ${tagger.date}\n\n${message}`
    const sha = sha1(`tag ${text.length}\0${text}`)
    const stored: FakeTagObject = { sha, tag, message, object: { sha: object, type }, tagger }
    state.tagObjects.set(sha, stored)
    return { status: 201, json: tagJson(stored) }
  })

  route('GET', '/repos/{owner}/{repo}/git/tags/{tag_sha}', ({ params }) => {
    requireRepo(params)
    const tag = state.tagObjects.get(params[2] as string)
    if (!tag) throw notFound()
    return { status: 200, json: tagJson(tag) }
  })

  route('GET', '/repos/{owner}/{repo}/releases', ({ params, url }) => {
    requireRepo(params)
    // Newest first, drafts included (the token has push access).
    const all = [...state.releases.values()]
      .sort((a, b) => b.release.id - a.release.id)
      .map(releaseJson)
    return paginate(all, url)
  })

  route('POST', '/repos/{owner}/{repo}/releases', ({ params, body }) => {
    requireRepo(params)
    const input = bodyObject(body)
    const tag = input.tag_name
    if (typeof tag !== 'string' || tag === '') {
      throw validationFailed([{ resource: 'Release', code: 'missing_field', field: 'tag_name' }])
    }
    if (state.burnedTagNames.has(tag) || immutableReleaseForTag(tag)) {
      throw validationFailed([
        {
          resource: 'Release',
          code: 'custom',
          field: 'tag_name',
          message: 'tag_name was used by an immutable release',
        },
      ])
    }
    if ([...state.releases.values()].some((r) => r.release.tag_name === tag)) {
      throw validationFailed([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }])
    }
    const target =
      typeof input.target_commitish === 'string'
        ? input.target_commitish
        : state.repository.defaultBranch
    const draft = input.draft === true
    const id = newId()
    const now = nowIso()
    const stored: StoredRelease = {
      untaggedId: randomBytes(10).toString('hex'),
      immutable: false,
      release: {
        id,
        node_id: `RE_${id}`,
        url: `${repoApi()}/releases/${id}`,
        html_url: '',
        assets_url: `${repoApi()}/releases/${id}/assets`,
        upload_url: `${origin}/uploads/repos/${owner}/${repo}/releases/${id}/assets{?name,label}`,
        tarball_url: null,
        zipball_url: null,
        tag_name: tag,
        target_commitish: target,
        name: typeof input.name === 'string' ? input.name : null,
        body: typeof input.body === 'string' ? input.body : null,
        draft: true,
        prerelease: input.prerelease === true,
        created_at: now,
        updated_at: now,
        published_at: null,
        author: actor(),
      },
    }
    if (!draft) {
      ensureTagForPublish(stored)
      stored.release.draft = false
      stored.release.published_at = now
      stored.immutable = state.repository.immutableReleases
    }
    state.releases.set(id, stored)
    setLatest(stored, input.make_latest)
    return { status: 201, json: releaseJson(stored), headers: { location: stored.release.url } }
  })

  route('GET', '/repos/{owner}/{repo}/releases/latest', ({ params }) => {
    requireRepo(params)
    const latest =
      state.latestReleaseId === undefined ? undefined : state.releases.get(state.latestReleaseId)
    if (!latest) throw notFound()
    return { status: 200, json: releaseJson(latest) }
  })

  route('GET', '/repos/{owner}/{repo}/releases/tags/{tag}', ({ params }) => {
    requireRepo(params)
    const tag = params[2]
    const stored = [...state.releases.values()].find(
      (r) => !r.release.draft && r.release.tag_name === tag,
    )
    if (!stored) throw notFound()
    return { status: 200, json: releaseJson(stored) }
  })

  route('GET', '/repos/{owner}/{repo}/releases/{release_id}', ({ params }) => {
    requireRepo(params)
    return { status: 200, json: releaseJson(findRelease(params[2])) }
  })

  route('PATCH', '/repos/{owner}/{repo}/releases/{release_id}', ({ params, body }) => {
    requireRepo(params)
    const stored = findRelease(params[2])
    const input = bodyObject(body)
    const r = stored.release
    if (stored.immutable) {
      const changesLocked =
        (input.tag_name !== undefined && input.tag_name !== r.tag_name) ||
        (input.target_commitish !== undefined && input.target_commitish !== r.target_commitish) ||
        input.draft === true
      if (changesLocked) {
        throw validationFailed([
          {
            resource: 'Release',
            code: 'custom',
            field: 'tag_name',
            message: 'Cannot modify an immutable release.',
          },
        ])
      }
    }
    if (typeof input.tag_name === 'string' && input.tag_name !== r.tag_name) {
      if (
        [...state.releases.values()].some(
          (s) => s !== stored && s.release.tag_name === input.tag_name,
        )
      ) {
        throw validationFailed([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }])
      }
      r.tag_name = input.tag_name
    }
    if (typeof input.target_commitish === 'string') r.target_commitish = input.target_commitish
    if (typeof input.name === 'string') r.name = input.name
    if (typeof input.body === 'string') r.body = input.body
    if (typeof input.prerelease === 'boolean') r.prerelease = input.prerelease
    if (input.draft === false && r.draft) {
      ensureTagForPublish(stored)
      r.draft = false
      r.published_at = nowIso()
      stored.immutable = state.repository.immutableReleases
    }
    r.updated_at = nowIso()
    setLatest(stored, input.make_latest)
    return { status: 200, json: releaseJson(stored) }
  })

  route('DELETE', '/repos/{owner}/{repo}/releases/{release_id}', ({ params }) => {
    requireRepo(params)
    const stored = findRelease(params[2])
    // Deleting an immutable release is allowed, but its tag name can never be used again.
    if (stored.immutable) state.burnedTagNames.add(stored.release.tag_name)
    for (const asset of assetsOfRelease(stored.release.id)) state.assets.delete(asset.asset.id)
    state.releases.delete(stored.release.id)
    if (state.latestReleaseId === stored.release.id) state.latestReleaseId = undefined
    return { status: 204 }
  })

  route('GET', '/repos/{owner}/{repo}/releases/{release_id}/assets', ({ params, url }) => {
    requireRepo(params)
    const stored = findRelease(params[2])
    return paginate(assetsOfRelease(stored.release.id).map(assetJson), url)
  })

  route('GET', '/repos/{owner}/{repo}/releases/assets/{asset_id}', ({ params, req }) => {
    requireRepo(params)
    const stored = state.assets.get(Number(params[2]))
    if (!stored) throw notFound()
    if ((req.headers.accept ?? '').includes('application/octet-stream')) {
      const release = state.releases.get(stored.releaseId) as StoredRelease
      // GitHub redirects binary downloads to its storage; the fake serves the same bytes itself.
      return {
        status: 302,
        headers: {
          location: `${origin}${downloadPath(release, stored.asset.name)}?token=${token}`,
        },
      }
    }
    return { status: 200, json: assetJson(stored) }
  })

  route('DELETE', '/repos/{owner}/{repo}/releases/assets/{asset_id}', ({ params }) => {
    requireRepo(params)
    const stored = state.assets.get(Number(params[2]))
    if (!stored) throw notFound()
    const release = state.releases.get(stored.releaseId)
    if (release?.immutable)
      throw new HttpError(422, 'Cannot delete assets of an immutable release.')
    state.assets.delete(stored.asset.id)
    return { status: 204 }
  })

  route('POST', '/repos/{owner}/{repo}/attestations', ({ params, body }) => {
    requireRepo(params)
    if (attestationMode === 403) throw new HttpError(403, 'Resource not accessible by integration')
    if (attestationMode === 404) throw notFound()
    const { bundle } = bodyObject(body)
    if (bundle === null || typeof bundle !== 'object') {
      throw validationFailed([{ resource: 'Attestation', code: 'missing_field', field: 'bundle' }])
    }
    const b = bundle as Record<string, unknown>
    const envelope = b.dsseEnvelope as { payload?: unknown } | undefined
    if (typeof b.mediaType !== 'string' || typeof envelope?.payload !== 'string') {
      throw validationFailed([{ resource: 'Attestation', code: 'invalid', field: 'bundle' }])
    }
    let subjectDigests: string[]
    try {
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
        subject?: { digest?: Record<string, string> }[]
      }
      subjectDigests = (statement.subject ?? []).flatMap((s) =>
        Object.entries(s.digest ?? {}).map(([alg, hex]) => `${alg}:${hex}`),
      )
    } catch {
      throw validationFailed([{ resource: 'Attestation', code: 'invalid', field: 'bundle' }])
    }
    const id = newId()
    state.attestations.push({ id, bundle: b, subjectDigests })
    return { status: 201, json: { id } }
  })

  route('GET', '/repos/{owner}/{repo}/attestations/{subject_digest}', ({ params }) => {
    requireRepo(params)
    const digest = params[2] as string
    const found = state.attestations.filter((a) => a.subjectDigests.includes(digest))
    if (found.length === 0) throw notFound()
    return {
      status: 200,
      json: {
        attestations: found.map((a) => ({
          bundle: a.bundle,
          repository_id: state.repository.id,
          bundle_url: `${repoApi()}/attestations/${a.id}/bundle`,
        })),
      },
    }
  })

  // Uploads go to the release's upload_url; the body is streamed to disk while it is hashed.
  route(
    'POST',
    '/uploads/repos/{owner}/{repo}/releases/{release_id}/assets',
    async ({ params, url, req }) => {
      const name = url.searchParams.get('name')
      const label = url.searchParams.get('label')
      const prepared = await lock.run(() => {
        requireRepo(params)
        const release = findRelease(params[2])
        if (!name)
          throw validationFailed([
            { resource: 'ReleaseAsset', code: 'missing_field', field: 'name' },
          ])
        if (release.immutable)
          throw new HttpError(422, 'Cannot upload assets to an immutable release.')
        if (assetsOfRelease(release.release.id).some((a) => a.asset.name === name)) {
          throw validationFailed([
            { resource: 'ReleaseAsset', code: 'already_exists', field: 'name' },
          ])
        }
        const id = newId()
        const now = nowIso()
        // Like GitHub, the asset exists (state "open") while its bytes arrive; an interrupted
        // upload leaves it behind and the name stays taken until it is deleted.
        const stored: StoredAsset = {
          releaseId: release.release.id,
          file: path.join(storage, `asset-${id}`),
          asset: {
            id,
            node_id: `RA_${id}`,
            url: `${repoApi()}/releases/assets/${id}`,
            browser_download_url: '',
            name,
            label: label ?? '',
            state: 'open',
            content_type: req.headers['content-type'] ?? 'application/octet-stream',
            size: 0,
            digest: null,
            download_count: 0,
            created_at: now,
            updated_at: now,
            uploader: actor(),
          },
        }
        state.assets.set(id, stored)
        return stored
      })
      const hash = createHash('sha256')
      let size = 0
      const corrupt = corrupted.has(prepared.asset.name)
      let lastChunk: Buffer | undefined
      const out = createWriteStream(prepared.file)
      const complete = await new Promise<boolean>((resolve) => {
        let aborted = false
        req.on('data', (chunk: Buffer) => {
          size += chunk.length
          // Hold back one chunk so a corrupted upload can flip the very last byte.
          if (lastChunk) {
            hash.update(lastChunk)
            out.write(lastChunk)
          }
          lastChunk = chunk
        })
        req.on('aborted', () => {
          aborted = true
        })
        req.on('error', () => {
          aborted = true
        })
        req.on('close', () => {
          if (lastChunk) {
            if (corrupt && !aborted) {
              lastChunk = Buffer.from(lastChunk)
              lastChunk[lastChunk.length - 1] =
                ((lastChunk[lastChunk.length - 1] as number) ^ 0xff) & 0xff
            }
            hash.update(lastChunk)
            out.write(lastChunk)
          }
          out.end(() => resolve(!aborted && req.complete))
        })
      })
      const declared = Number(req.headers['content-length'] ?? NaN)
      return lock.run(() => {
        if (!state.assets.has(prepared.asset.id)) throw notFound()
        prepared.asset.size = size
        prepared.asset.updated_at = nowIso()
        if (!complete || (Number.isFinite(declared) && declared !== size)) {
          return { status: 400, json: { message: 'Upload incomplete', documentation_url: DOCS } }
        }
        prepared.asset.state = 'uploaded'
        prepared.asset.digest = `sha256:${hash.digest('hex')}`
        return { status: 201, json: assetJson(prepared) }
      })
    },
    true,
  )

  // browser_download_url and the redirect target of binary asset downloads.
  const downloadPattern = new RegExp(
    `^/download/${owner}/${repo}/releases/download/([^/]+)/([^/]+)$`,
  )

  // ---- the request pipeline ----------------------------------------------------------------

  function authorised(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? ''
    const match = /^(?:token|bearer)\s+(.+)$/i.exec(header)
    return match?.[1] === token
  }

  function takeFault(
    method: string,
    template: string | undefined,
    pathname: string,
  ): FaultAction | undefined {
    let chosen: FaultAction | undefined
    for (const entry of faults) {
      if (entry.done || entry.plan.method.toUpperCase() !== method) continue
      const { route: wanted } = entry.plan
      const matches =
        typeof wanted === 'string'
          ? template !== undefined &&
            (wanted === `${method} ${template}` ||
              wanted === template ||
              wanted === `${method} ${template.replace(/^\/uploads/, '')}`)
          : wanted.test(`${method} ${pathname}`)
      if (!matches) continue
      // Every plan counts every matching request, so ordinals of several plans line up.
      entry.seen++
      if (!chosen && entry.seen === (entry.plan.ordinal ?? 1)) {
        entry.done = true
        chosen = normaliseFault(entry.plan.fault)
      }
    }
    return chosen
  }

  async function readJsonBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    if (text === '') return undefined
    try {
      return JSON.parse(text)
    } catch {
      throw new HttpError(400, 'Problems parsing JSON')
    }
  }

  function send(
    res: ServerResponse,
    reply: Reply,
    record: RecordedRequest,
    method: string,
    template: string | undefined,
  ): void {
    record.status = reply.status
    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      ...reply.headers,
    }
    if (reply.file) {
      res.writeHead(reply.status, {
        ...headers,
        'content-type': reply.file.contentType,
        'content-length': String(reply.file.size),
      })
      createReadStream(reply.file.path).pipe(res)
      return
    }
    if (reply.json === undefined) {
      res.writeHead(reply.status, headers)
      res.end()
      if (validator && template && reply.status < 300 && reply.status !== 204) {
        const message = validator.check(
          method,
          template.replace(/^\/uploads/, ''),
          reply.status,
          undefined,
        )
        if (message) violations.push({ method, route: template, status: reply.status, message })
      }
      return
    }
    if (validator && template) {
      const message = validator.check(
        method,
        template.replace(/^\/uploads/, ''),
        reply.status,
        reply.json,
      )
      if (message) violations.push({ method, route: template, status: reply.status, message })
    }
    const text = JSON.stringify(reply.json)
    res.writeHead(reply.status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    })
    res.end(text)
  }

  function sendFault(res: ServerResponse, fault: FaultAction, record: RecordedRequest): void {
    record.faulted = true
    if ('reset' in fault) {
      record.status = 0
      res.socket?.destroy()
      return
    }
    if ('truncate' in fault) {
      record.status = 200
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': '4096',
      })
      res.write('{"id": 1, "truncat')
      setTimeout(() => res.socket?.destroy(), 5)
      return
    }
    if ('status' in fault) {
      record.status = fault.status
      const defaults: Record<number, unknown> = {
        403: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: DOCS,
        },
        429: { message: 'Too Many Requests', documentation_url: DOCS },
      }
      const payload = fault.body ?? defaults[fault.status] ?? { message: 'Server Error' }
      const text = JSON.stringify(payload)
      res.writeHead(fault.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
        ...(fault.status === 403 || fault.status === 429 ? { 'retry-after': '1' } : {}),
        ...fault.headers,
      })
      res.end(text)
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', origin)
    // Octokit encodes slashes inside {ref} as %2F; match on decoded segments.
    const pathname = url.pathname
      .split('/')
      .map((segment) => {
        try {
          return decodeURIComponent(segment)
        } catch {
          return segment
        }
      })
      .join('/')
    const record: RecordedRequest = {
      method,
      path: pathname,
      route: undefined,
      status: 0,
      faulted: false,
    }
    requests.push(record)

    const download = method === 'GET' ? downloadPattern.exec(url.pathname) : null
    if (download) {
      const reply = await lock.run(() => serveDownload(download, url, req))
      send(res, reply, record, method, undefined)
      return
    }

    let matched: { route: Route; params: string[] } | undefined
    for (const candidate of routes) {
      if (candidate.method !== method) continue
      const m = candidate.pattern.exec(pathname)
      if (m) {
        matched = { route: candidate, params: m.slice(1) }
        break
      }
    }
    record.route = matched?.route.template.replace(/^\/uploads/, '')
    if (!authorised(req)) {
      req.resume()
      send(
        res,
        {
          status: 401,
          json: { message: 'Bad credentials', documentation_url: DOCS, status: '401' },
        },
        record,
        method,
        matched?.route.template,
      )
      return
    }
    if (!matched) {
      req.resume()
      send(
        res,
        { status: 404, json: { message: 'Not Found', documentation_url: DOCS, status: '404' } },
        record,
        method,
        undefined,
      )
      return
    }
    const fault = takeFault(method, matched.route.template, pathname)
    if (fault && 'delayMs' in fault) await delay(fault.delayMs)
    else if (fault && !fault.afterEffect) {
      // The request did nothing: GitHub failed before acting on it.
      req.resume()
      sendFault(res, fault, record)
      return
    }
    let reply: Reply
    try {
      if (matched.route.streaming) {
        reply = await matched.route.handler({ req, url, params: matched.params, body: undefined })
      } else {
        const body =
          method === 'GET' || method === 'DELETE'
            ? (req.resume(), undefined)
            : await readJsonBody(req)
        const { route: current, params } = matched
        reply = await lock.run(() => current.handler({ req, url, params, body }))
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      req.resume()
      reply = { status: error.status, json: error.payload }
    }
    if (fault && !('delayMs' in fault)) {
      // The state changed, but the client never hears about it.
      sendFault(res, fault, record)
      return
    }
    send(res, reply, record, method, matched.route.template)
  }

  async function serveDownload(
    match: RegExpExecArray,
    url: URL,
    req: IncomingMessage,
  ): Promise<Reply> {
    const segment = decodeURIComponent(match[1] as string)
    const name = decodeURIComponent(match[2] as string)
    const release = [...state.releases.values()].find((r) =>
      r.release.draft ? `untagged-${r.untaggedId}` === segment : r.release.tag_name === segment,
    )
    // Draft assets are private: they need the token (as a header or the redirect's query).
    if (
      !release ||
      (release.release.draft && !authorised(req) && url.searchParams.get('token') !== token)
    ) {
      return { status: 404, json: { message: 'Not Found', documentation_url: DOCS } }
    }
    const asset = assetsOfRelease(release.release.id).find((a) => a.asset.name === name)
    if (!asset || asset.asset.state !== 'uploaded')
      return { status: 404, json: { message: 'Not Found', documentation_url: DOCS } }
    asset.asset.download_count++
    const { size } = await stat(asset.file)
    return { status: 200, file: { path: asset.file, contentType: asset.asset.content_type, size } }
  }

  server.on('request', (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ message: `fake error: ${String(error)}` }))
      } else {
        res.destroy()
      }
    })
  })

  return {
    url: apiUrl,
    token,
    owner,
    repo,
    state,
    requests,
    violations,
    addCommit(input) {
      const sha =
        input.sha ??
        sha1(
          `commit\0${(input.parents ?? []).join(',')}\0${input.author.name}\0${input.author.date}\0${input.message}\0${randomUUID()}`,
        )
      if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`addCommit: ${sha} is not a 40-hex SHA`)
      state.commits.set(sha, {
        sha,
        message: input.message,
        author: { ...input.author },
        parents: [...(input.parents ?? [])],
      })
      return sha
    },
    setRef(ref, sha) {
      state.refs.set(ref.startsWith('refs/') ? ref : `refs/heads/${ref}`, sha)
    },
    setRepository(settings) {
      Object.assign(state.repository, settings)
    },
    injectFault(plan) {
      faults.push({ plan, seen: 0, done: false })
    },
    corruptUploadsOf(name) {
      corrupted.add(name)
    },
    assetsOf(releaseId) {
      return assetsOfRelease(releaseId).map(assetJson)
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(storage, { recursive: true, force: true })
    },
  }
}
