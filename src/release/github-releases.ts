import { createReadStream } from 'node:fs'
import type { GitHubClient } from '../util/github-client.ts'
import { hashReleaseAsset } from '../util/release-asset.ts'
import type { ExistingRelease, ExistingTag, ReportedAsset } from './decisions.ts'

/** What an Octokit RequestError carries that the flow looks at. */
export interface ApiFailure {
  status: number
  message: string
  response?: { data?: unknown }
}

export function isApiFailure(error: unknown): error is ApiFailure {
  return error instanceof Error && typeof (error as Partial<ApiFailure>).status === 'number'
}

/** GitHub's 422 `errors[].code` values (e.g. `already_exists`) of a failed request. */
export function validationCodes(error: unknown): string[] {
  if (!isApiFailure(error) || error.status !== 422) return []
  const data = error.response?.data as { errors?: { code?: string }[] } | undefined
  return (data?.errors ?? []).map((e) => e.code ?? '')
}

/**
 * A file as a request body that can be read more than once: each iteration opens the file
 * again, so a retried request sends the whole file, and it is never held in memory.
 */
export class FileBody implements AsyncIterable<Uint8Array> {
  readonly path: string
  constructor(path: string) {
    this.path = path
  }
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return createReadStream(this.path)[Symbol.asyncIterator]()
  }
}

/** A response whose body was cut off: Octokit then hands back an empty string as the data. */
export class IncompleteResponseError extends Error {
  constructor(what: string) {
    super(`GitHub's answer to ${what} was cut off`)
    this.name = 'IncompleteResponseError'
  }
}

function expectObject<T>(data: T, what: string): T {
  if (data === null || typeof data !== 'object') throw new IncompleteResponseError(what)
  return data
}

/** Repeats a read whose answer arrived incomplete (the retry plugin only sees HTTP errors). */
async function reread<T>(what: string, read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read()
    } catch (error) {
      if (!(error instanceof IncompleteResponseError) || attempt >= 3) throw error
    }
  }
}

export interface DraftRelease {
  id: number
  htmlUrl: string
  uploadUrl: string
  assets: ReportedAsset[]
}

export interface PublishedView {
  id: number
  htmlUrl: string
  draft: boolean
  immutable: boolean | undefined
  tagName: string
}

/** The fields of a release the flow reads after writing it. */
function toView(data: {
  id: number
  html_url: string
  draft: boolean
  immutable?: boolean
  tag_name: string
}): PublishedView {
  return {
    id: data.id,
    htmlUrl: data.html_url,
    draft: data.draft,
    immutable: data.immutable,
    tagName: data.tag_name,
  }
}

function toAsset(a: {
  id: number
  name: string
  size: number
  state: string
  digest?: string | null
}): ReportedAsset {
  return { id: a.id, name: a.name, size: a.size, state: a.state, digest: a.digest ?? null }
}

/** The GitHub REST calls the release flow makes, for one repository. */
export class ReleaseApi {
  private readonly client: GitHubClient
  readonly owner: string
  readonly repo: string

  constructor(client: GitHubClient, owner: string, repo: string) {
    this.client = client
    this.owner = owner
    this.repo = repo
  }

  private get repoParams(): { owner: string; repo: string } {
    return { owner: this.owner, repo: this.repo }
  }

  /**
   * Reads every page of a list. Pages are fetched one by one and each must be a JSON array:
   * Octokit's paginate turns a cut-off page into an empty one, which would hide a draft or asset.
   */
  private async listPages<T, P extends object>(
    what: string,
    extra: P,
    fetchPage: (
      params: { owner: string; repo: string; per_page: number; page: number } & P,
    ) => Promise<{ data: T[] }>,
  ): Promise<T[]> {
    const perPage = 100
    const items: T[] = []
    for (let page = 1; ; page++) {
      const data = await reread(what, async () => {
        const { data } = await fetchPage({ ...this.repoParams, ...extra, per_page: perPage, page })
        if (!Array.isArray(data)) throw new IncompleteResponseError(what)
        return data
      })
      items.push(...data)
      if (data.length < perPage) return items
    }
  }

  async resolveCommit(ref: string): Promise<string | undefined> {
    try {
      const data = await reread('GET commit', async () =>
        expectObject(
          (await this.client.rest.repos.getCommit({ ...this.repoParams, ref })).data,
          'GET commit',
        ),
      )
      return data.sha
    } catch (error) {
      if (isApiFailure(error) && (error.status === 404 || error.status === 422)) return undefined
      throw error
    }
  }

  /** The tag ref and, for an annotated tag, the tag object it points at. */
  async getTag(tag: string): Promise<ExistingTag | undefined> {
    let ref
    try {
      ref = await reread('GET tag ref', async () =>
        expectObject(
          (await this.client.rest.git.getRef({ ...this.repoParams, ref: `tags/${tag}` })).data,
          'GET tag ref',
        ),
      )
    } catch (error) {
      if (isApiFailure(error) && error.status === 404) return undefined
      throw error
    }
    const existing: ExistingTag = { objectType: ref.object.type, objectSha: ref.object.sha }
    if (ref.object.type === 'tag') {
      const sha = ref.object.sha
      const data = await reread('GET tag object', async () =>
        expectObject(
          (await this.client.rest.git.getTag({ ...this.repoParams, tag_sha: sha })).data,
          'GET tag object',
        ),
      )
      existing.tagObject = { message: data.message, targetSha: data.object.sha }
    }
    return existing
  }

  /** Every release using `tag`, drafts included (`GET /releases/tags/{tag}` hides drafts). */
  async releasesWithTag(tag: string): Promise<ExistingRelease[]> {
    const all = await this.listPages('GET /repos/{owner}/{repo}/releases', {}, (r) =>
      this.client.rest.repos.listReleases(r),
    )
    return all
      .filter((r) => r.tag_name === tag)
      .map((r) => ({
        id: r.id,
        draft: r.draft,
        htmlUrl: r.html_url,
        tagName: r.tag_name,
        body: r.body ?? null,
      }))
  }

  /**
   * Creating a tag object changes nothing anyone sees (only a ref makes it reachable), so an
   * answer that arrived cut off is simply asked for again.
   */
  async createTagObject(tag: string, commitSha: string, message: string): Promise<string> {
    return reread('POST git/tags', async () => {
      const { data } = await this.client.rest.git.createTag({
        ...this.repoParams,
        tag,
        message,
        object: commitSha,
        type: 'commit',
      })
      return expectObject(data, 'POST git/tags').sha
    })
  }

  /**
   * POST /git/refs: the one atomic step that decides which run owns the tag. A cut-off answer
   * throws (IncompleteResponseError): it does not say whether the ref was written.
   */
  async createTagRef(tag: string, objectSha: string): Promise<void> {
    const { data } = await this.client.rest.git.createRef({
      ...this.repoParams,
      ref: `refs/tags/${tag}`,
      sha: objectSha,
    })
    expectObject(data, 'POST git/refs')
  }

  /** The object a tag ref points at now, or undefined when there is no such tag. */
  async tagTarget(tag: string): Promise<string | undefined> {
    try {
      const data = await reread('GET tag ref', async () =>
        expectObject(
          (await this.client.rest.git.getRef({ ...this.repoParams, ref: `tags/${tag}` })).data,
          'GET tag ref',
        ),
      )
      return data.object.sha
    } catch (error) {
      if (isApiFailure(error) && error.status === 404) return undefined
      throw error
    }
  }

  async deleteTagRef(tag: string): Promise<void> {
    await this.client.rest.git.deleteRef({ ...this.repoParams, ref: `tags/${tag}` })
  }

  async createDraft(input: {
    tag: string
    commitSha: string
    name: string
    body: string
    prerelease: boolean
  }): Promise<DraftRelease> {
    const { data } = await this.client.rest.repos.createRelease({
      ...this.repoParams,
      tag_name: input.tag,
      target_commitish: input.commitSha,
      name: input.name,
      body: input.body,
      draft: true,
      prerelease: input.prerelease,
    })
    expectObject(data, 'POST releases')
    return {
      id: data.id,
      htmlUrl: data.html_url,
      uploadUrl: data.upload_url,
      assets: data.assets.map(toAsset),
    }
  }

  async getRelease(id: number): Promise<(PublishedView & { uploadUrl: string }) | undefined> {
    try {
      const data = await reread('GET release', async () =>
        expectObject(
          (await this.client.rest.repos.getRelease({ ...this.repoParams, release_id: id })).data,
          'GET release',
        ),
      )
      return { ...toView(data), uploadUrl: data.upload_url }
    } catch (error) {
      if (isApiFailure(error) && error.status === 404) return undefined
      throw error
    }
  }

  async listAssets(releaseId: number): Promise<ReportedAsset[]> {
    const assets = await this.listPages(
      `GET release ${releaseId} assets`,
      { release_id: releaseId },
      (r) => this.client.rest.repos.listReleaseAssets({ ...r, release_id: releaseId }),
    )
    return assets.map(toAsset)
  }

  /**
   * Streams one file to the release's own `upload_url` (GitHub Enterprise Server and the test
   * fake serve uploads elsewhere than uploads.github.com). Octokit's retry plugin is off for this
   * request: the caller retries after removing any partial asset an interrupted upload left.
   */
  async uploadAsset(
    uploadUrl: string,
    asset: { name: string; path: string; size: number; contentType: string; label?: string },
  ): Promise<ReportedAsset> {
    const { data } = await this.client.rest.repos.uploadReleaseAsset({
      ...this.repoParams,
      release_id: 0,
      url: uploadUrl,
      name: asset.name,
      ...(asset.label ? { label: asset.label } : {}),
      // Octokit types the body as a string; undici streams any async iterable (duplex: 'half').
      data: new FileBody(asset.path) as unknown as string,
      headers: { 'content-type': asset.contentType, 'content-length': asset.size },
      request: { retries: 0 },
    })
    return toAsset(expectObject(data, `upload of ${asset.name}`))
  }

  async deleteAsset(assetId: number): Promise<void> {
    await this.client.rest.repos.deleteReleaseAsset({ ...this.repoParams, asset_id: assetId })
  }

  /** SHA-256 of an asset's bytes, streamed from GitHub without holding the file in memory. */
  hashAsset(assetId: number): Promise<{ sha256: string; size: number }> {
    return hashReleaseAsset(this.client, this.repoParams, assetId)
  }

  async publish(
    releaseId: number,
    options: { makeLatest: 'true' | 'false' | 'legacy'; prerelease: boolean },
  ): Promise<PublishedView> {
    const { data } = await this.client.rest.repos.updateRelease({
      ...this.repoParams,
      release_id: releaseId,
      draft: false,
      prerelease: options.prerelease,
      make_latest: options.makeLatest,
    })
    expectObject(data, 'PATCH release')
    return toView(data)
  }

  async deleteRelease(releaseId: number): Promise<void> {
    await this.client.rest.repos.deleteRelease({ ...this.repoParams, release_id: releaseId })
  }

  /**
   * The repository's immutable-releases setting: GitHub answers 404 when it is off. Reading it
   * needs admin read access, which a workflow token may lack: then the answer is unknown.
   */
  async immutableReleasesEnabled(): Promise<boolean | undefined> {
    try {
      const { data } = await this.client.request(
        'GET /repos/{owner}/{repo}/immutable-releases',
        this.repoParams,
      )
      return (data as { enabled?: boolean }).enabled === true
    } catch (error) {
      if (isApiFailure(error) && error.status === 404) return false
      if (isApiFailure(error) && error.status === 403) return undefined
      throw error
    }
  }
}
