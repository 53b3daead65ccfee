/**
 * The GitHub implementation of the release flow's ReleaseStore: the REST calls, and the one
 * place that turns their status codes and validation codes into the flow's outcomes.
 */
import { ReleaseConflictError, ReleaseFailedError } from '../release/index.ts'
import type {
  ClaimOutcome,
  DraftInput,
  DraftOutcome,
  DraftRelease,
  ObservedTag,
  PublishOutcome,
  ReleaseStore,
  ReleaseView,
  UploadFile,
  UploadOutcome,
  ExistingRelease,
  ExistingTag,
  ReportedAsset,
} from '../release/index.ts'
import { InputError, errorMessage } from '../util/errors.ts'
import type { MakeLatest } from '../util/types.ts'
import { downloadAndHashAsset } from './assets.ts'
import { FileBody } from './body.ts'
import type { GitHubClient } from './client.ts'
import { expectObject, gitHubServiceError, isGitHubError, statusOf } from './errors.ts'
import { listAllPages } from './paginate.ts'
import { reread, retry } from './retry.ts'

/** GitHub's 422 `errors[].code` values (e.g. `already_exists`) of a failed request. */
function validationCodes(error: unknown): string[] {
  if (isGitHubError(error)) return error.validationCodes
  if (statusOf(error) !== 422) return []
  const data = (error as { response?: { data?: { errors?: { code?: string }[] } } }).response?.data
  return (data?.errors ?? []).map((e) => e.code ?? '')
}

/** Whether the request got an HTTP answer (as opposed to a cut-off or lost one). */
const answered = (error: unknown): boolean => statusOf(error) !== undefined

function isRetryableUploadFailure(error: unknown): boolean {
  const status = statusOf(error)
  if (status === undefined) return true
  return status >= 500 || status === 429 || status === 403 || status === 408
}

interface ReleaseData {
  id: number
  html_url: string
  upload_url: string
  draft: boolean
  immutable?: boolean
  tag_name: string
}

function toView(data: ReleaseData): ReleaseView {
  return {
    id: data.id,
    htmlUrl: data.html_url,
    uploadUrl: data.upload_url,
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

/** Creating a ref again after a cut-off answer: at most three tries (a repeat only answers 422). */
const REPEAT_CUT_OFF = 3

class GitHubReleaseStore implements ReleaseStore {
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

  /** A read that answers undefined for a 404 (and the statuses in `missing`). */
  private async readOrMissing<T>(
    what: string,
    read: () => Promise<{ data: T }>,
    missing: number[] = [404],
  ): Promise<T | undefined> {
    try {
      return await reread(async () => expectObject((await read()).data, what))
    } catch (error) {
      if (missing.includes(statusOf(error) ?? 0)) return undefined
      throw error
    }
  }

  async resolveCommit(ref: string): Promise<string | undefined> {
    const data = await this.readOrMissing(
      'GET commit',
      () => this.client.rest.repos.getCommit({ ...this.repoParams, ref }),
      [404, 422],
    )
    return data?.sha
  }

  readTag(tag: string): Promise<ObservedTag> {
    return Promise.all([this.getTag(tag), this.releasesWithTag(tag)]).then(
      ([existingTag, releases]) => ({ existingTag, releases }),
    )
  }

  /** The tag ref and, for an annotated tag, the tag object it points at. */
  private async getTag(tag: string): Promise<ExistingTag | undefined> {
    const ref = await this.readOrMissing('GET tag ref', () =>
      this.client.rest.git.getRef({ ...this.repoParams, ref: `tags/${tag}` }),
    )
    if (!ref) return undefined
    const existing: ExistingTag = { objectType: ref.object.type, objectSha: ref.object.sha }
    if (ref.object.type === 'tag') {
      const sha = ref.object.sha
      const data = await reread(async () =>
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
    const all = await listAllPages<ReleaseData & { body?: string | null }>(
      this.client,
      'GET /repos/{owner}/{repo}/releases',
      this.repoParams,
      'GET /repos/{owner}/{repo}/releases',
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

  async claimTag(tag: string, commitSha: string, message: string): Promise<ClaimOutcome> {
    let objectSha: string
    try {
      // Creating a tag object changes nothing anyone sees (only a ref makes it reachable), so
      // an answer that arrived cut off is simply asked for again.
      objectSha = await reread(async () => {
        const { data } = await this.client.rest.git.createTag({
          ...this.repoParams,
          tag,
          message,
          object: commitSha,
          type: 'commit',
        })
        return expectObject(data, 'POST git/tags').sha
      })
    } catch (error) {
      const status = statusOf(error)
      if (status === 422) {
        return {
          outcome: 'refused',
          detail: `GitHub refused a tag at ${commitSha}: ${errorMessage(error)}`,
        }
      }
      // A server without the git tags API (some GitHub-compatible hosts).
      if (status !== 404 && status !== 501) {
        throw this.describeFailure(`creating the tag object for "${tag}"`, error)
      }
      const outcome = await this.createTagRef(tag, commitSha, commitSha)
      return { ...outcome, lightweight: { reason: `HTTP ${status}` } }
    }
    return this.createTagRef(tag, objectSha, commitSha)
  }

  /**
   * POST /git/refs: the one atomic step that decides which run owns the tag. A cut-off answer
   * does not say whether the ref was written: the tag's target then does.
   */
  private createTagRef(tag: string, objectSha: string, commitSha: string): Promise<ClaimOutcome> {
    const claimed: ClaimOutcome = { outcome: 'claimed', objectSha }
    let repeatable = false
    return retry(
      async (attempt) => {
        repeatable = false
        try {
          const { data } = await this.client.rest.git.createRef({
            ...this.repoParams,
            ref: `refs/tags/${tag}`,
            sha: objectSha,
          })
          expectObject(data, 'POST git/refs')
          return claimed
        } catch (error) {
          const target = await this.tagTarget(tag).catch(() => undefined)
          if (statusOf(error) === 422) {
            if (target === objectSha && objectSha !== commitSha) return claimed
            if (target === undefined && !/already exists/i.test(errorMessage(error))) {
              // Not a race: GitHub refused the ref itself ("Object does not exist").
              const detail = `GitHub refused to create tag "${tag}" at ${commitSha}: ${errorMessage(error)}`
              return { outcome: 'refused', detail }
            }
            return { outcome: 'taken', detail: errorMessage(error) }
          }
          // An error after the ref was written (a lost response) still makes the tag ours.
          if (target === objectSha) return claimed
          // A cut-off answer (which the retry plugin never sees) to a create that did not take
          // effect: asking again is safe, since a create of an existing ref only answers 422.
          if (answered(error) || attempt >= REPEAT_CUT_OFF) {
            throw this.describeFailure(`creating tag "${tag}"`, error)
          }
          repeatable = true
          throw error
        }
      },
      { attempts: REPEAT_CUT_OFF, delayMs: 0, retryable: () => repeatable },
    )
  }

  async tagTarget(tag: string): Promise<string | undefined> {
    const ref = await this.readOrMissing('GET tag ref', () =>
      this.client.rest.git.getRef({ ...this.repoParams, ref: `tags/${tag}` }),
    )
    return ref?.object.sha
  }

  async removeTag(tag: string): Promise<void> {
    await this.client.rest.git.deleteRef({ ...this.repoParams, ref: `tags/${tag}` })
  }

  async createDraft(input: DraftInput): Promise<DraftOutcome> {
    try {
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
      const draft: DraftRelease = {
        id: data.id,
        htmlUrl: data.html_url,
        uploadUrl: data.upload_url,
        assets: data.assets.map(toAsset),
      }
      return { outcome: 'created', draft }
    } catch (error) {
      const status = statusOf(error)
      const mayExist =
        status === undefined || status >= 500 || validationCodes(error).includes('already_exists')
      return { outcome: 'failed', error, mayExist, repeatable: !answered(error) }
    }
  }

  getRelease(id: number): Promise<ReleaseView | undefined> {
    return this.readOrMissing('GET release', () =>
      this.client.rest.repos.getRelease({ ...this.repoParams, release_id: id }),
    ).then((data) => data && toView(data))
  }

  async listAssets(releaseId: number): Promise<ReportedAsset[]> {
    const assets = await listAllPages<Parameters<typeof toAsset>[0]>(
      this.client,
      'GET /repos/{owner}/{repo}/releases/{release_id}/assets',
      { ...this.repoParams, release_id: releaseId },
      `GET release ${releaseId} assets`,
    )
    return assets.map(toAsset)
  }

  /**
   * Streams one file to the release's own `upload_url` (GitHub Enterprise Server and the test
   * fake serve uploads elsewhere than uploads.github.com). Octokit's retry plugin is off for this
   * request: the flow retries after removing any partial asset an interrupted upload left.
   */
  async upload(draft: DraftRelease, asset: UploadFile): Promise<UploadOutcome> {
    try {
      const { data } = await this.client.rest.repos.uploadReleaseAsset({
        ...this.repoParams,
        release_id: 0,
        url: draft.uploadUrl,
        name: asset.name,
        ...(asset.label ? { label: asset.label } : {}),
        // Octokit types the body as a string and hands it to the client's fetch as it is; that
        // fetch (client.ts) opens the file as a stream for each attempt.
        data: new FileBody(asset.path) as unknown as string,
        headers: { 'content-type': asset.contentType, 'content-length': asset.size },
        request: { retries: 0 },
      })
      return { outcome: 'uploaded', asset: toAsset(expectObject(data, `upload of ${asset.name}`)) }
    } catch (error) {
      if (validationCodes(error).includes('already_exists')) return { outcome: 'duplicate', error }
      return { outcome: 'failed', retryable: isRetryableUploadFailure(error), error }
    }
  }

  async deleteAsset(assetId: number): Promise<void> {
    await this.client.rest.repos.deleteReleaseAsset({ ...this.repoParams, asset_id: assetId })
  }

  /** SHA-256 of an asset's bytes, streamed from GitHub without holding the file in memory. */
  hashAsset(assetId: number): Promise<{ sha256: string; size: number }> {
    return downloadAndHashAsset(this.client, { ...this.repoParams, assetId })
  }

  async publish(
    releaseId: number,
    options: { makeLatest: MakeLatest; prerelease: boolean },
  ): Promise<PublishOutcome> {
    try {
      const { data } = await this.client.rest.repos.updateRelease({
        ...this.repoParams,
        release_id: releaseId,
        draft: false,
        prerelease: options.prerelease,
        make_latest: options.makeLatest,
      })
      return { outcome: 'published', release: toView(expectObject(data, 'PATCH release')) }
    } catch (error) {
      return { outcome: 'failed', error, repeatable: !answered(error) }
    }
  }

  async removeDraft(releaseId: number): Promise<void> {
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
      if (statusOf(error) === 404) return false
      if (statusOf(error) === 403) return undefined
      throw error
    }
  }

  describeFailure(what: string, error: unknown): Error {
    if (
      error instanceof InputError ||
      error instanceof ReleaseConflictError ||
      error instanceof ReleaseFailedError
    ) {
      return error
    }
    const resource = `repos/${this.owner}/${this.repo}`
    return gitHubServiceError({ service: 'GitHub API', resource, what }, error)
  }
}

/** The release flow's store for one GitHub repository. */
export function createReleaseStore(
  client: GitHubClient,
  owner: string,
  repo: string,
): ReleaseStore {
  return new GitHubReleaseStore(client, owner, repo)
}
