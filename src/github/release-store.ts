/**
 * The GitHub implementation of the release flow's ReleaseStore: the REST calls, and the one
 * place that turns their status codes and validation codes into the flow's outcomes.
 */
import { ReleaseConflictError, ReleaseFailedError, releaseClaimRef } from '../release/index.ts'
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
  ReportedAsset,
} from '../release/index.ts'
import { InputError, errorMessage } from '../util/errors.ts'
import type { MakeLatest } from '../util/types.ts'
import { downloadAndHashAsset } from './assets.ts'
import { downloadAssetToFile } from './assets.ts'
import type { ListedRelease, ReleaseEdit } from '../release/index.ts'
import { FileBody } from './body.ts'
import type { GitHubClient } from './client.ts'
import { expectObject, gitHubServiceError, isGitHubError, statusOf } from './errors.ts'
import { listAllPages } from './paginate.ts'
import { reread, retry } from './retry.ts'
import { readRefWithTagObject } from './tags.ts'

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

  readTag(tag: string, options: { releaseClaim?: boolean } = {}): Promise<ObservedTag> {
    const claimRef = releaseClaimRef(tag).slice('refs/'.length)
    return Promise.all([
      readRefWithTagObject(this.client, this.repoParams, `tags/${tag}`),
      this.releasesWithTag(tag),
      options.releaseClaim
        ? readRefWithTagObject(this.client, this.repoParams, claimRef)
        : undefined,
    ]).then(([existingTag, releases, releaseClaim]) => ({
      existingTag,
      releases,
      ...(releaseClaim ? { releaseClaim } : {}),
    }))
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

  claimTag(tag: string, commitSha: string, message: string): Promise<ClaimOutcome> {
    return this.claimRef(`refs/tags/${tag}`, { tag, commitSha, message })
  }

  claimRelease(tag: string, commitSha: string, message: string): Promise<ClaimOutcome> {
    return this.claimRef(releaseClaimRef(tag), { tag, commitSha, message })
  }

  /**
   * Creates `ref` at a new annotated tag object for `commitSha` (or, on a server without the
   * git tags API, at the commit itself): the tag of a release, or its release claim.
   */
  private async claimRef(
    ref: string,
    claim: { tag: string; commitSha: string; message: string },
  ): Promise<ClaimOutcome> {
    const { tag, commitSha, message } = claim
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
      const outcome = await this.createRef(ref, commitSha, commitSha)
      return { ...outcome, lightweight: { reason: `HTTP ${status}` } }
    }
    return this.createRef(ref, objectSha, commitSha)
  }

  /**
   * POST /git/refs: the one atomic step that decides which run owns the tag (or the release
   * claim). A cut-off answer does not say whether the ref was written: the ref's target then does.
   */
  private createRef(ref: string, objectSha: string, commitSha: string): Promise<ClaimOutcome> {
    const claimed: ClaimOutcome = { outcome: 'claimed', objectSha }
    const name = ref.startsWith('refs/tags/')
      ? `tag "${ref.slice('refs/tags/'.length)}"`
      : `the release claim ${ref}`
    let repeatable = false
    return retry(
      async (attempt) => {
        repeatable = false
        try {
          const { data } = await this.client.rest.git.createRef({
            ...this.repoParams,
            ref,
            sha: objectSha,
          })
          expectObject(data, 'POST git/refs')
          return claimed
        } catch (error) {
          const target = await this.refTarget(ref.slice('refs/'.length)).catch(() => undefined)
          if (statusOf(error) === 422) {
            if (target === objectSha && objectSha !== commitSha) return claimed
            if (target === undefined && !/already exists/i.test(errorMessage(error))) {
              // Not a race: GitHub refused the ref itself ("Object does not exist").
              const detail = `GitHub refused to create ${name} at ${commitSha}: ${errorMessage(error)}`
              return { outcome: 'refused', detail }
            }
            return { outcome: 'taken', detail: errorMessage(error) }
          }
          // An error after the ref was written (a lost response) still makes the ref ours.
          if (target === objectSha) return claimed
          // A cut-off answer (which the retry plugin never sees) to a create that did not take
          // effect: asking again is safe, since a create of an existing ref only answers 422.
          if (answered(error) || attempt >= REPEAT_CUT_OFF) {
            throw this.describeFailure(`creating ${name}`, error)
          }
          repeatable = true
          throw error
        }
      },
      { attempts: REPEAT_CUT_OFF, delayMs: 0, retryable: () => repeatable },
    )
  }

  /** The object `ref` (`tags/v1`) points at, or undefined when there is no such ref. */
  private async refTarget(ref: string): Promise<string | undefined> {
    const found = await this.readOrMissing('GET ref', () =>
      this.client.rest.git.getRef({ ...this.repoParams, ref }),
    )
    return found?.object.sha
  }

  tagTarget(tag: string): Promise<string | undefined> {
    return this.refTarget(`tags/${tag}`)
  }

  releaseClaimTarget(tag: string): Promise<string | undefined> {
    return this.refTarget(releaseClaimRef(tag).slice('refs/'.length))
  }

  async removeReleaseClaim(tag: string): Promise<void> {
    const ref = releaseClaimRef(tag).slice('refs/'.length)
    await this.client.rest.git.deleteRef({ ...this.repoParams, ref })
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
        // GitHub lets drafts share a tag, so the retry plugin repeating a create whose answer
        // was lost would make a second draft. The flow repeats it only after looking for the
        // draft by its run marker.
        request: { retries: 0 },
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
      const status = statusOf(error) ?? 0
      // No answer, a cut-off one, a timeout or a server error: the create may have taken
      // effect, and is worth repeating once no draft of the run turns up.
      const unknown = !answered(error) || status >= 500 || status === 408
      const mayExist = unknown || validationCodes(error).includes('already_exists')
      // A rate limit refused the create: repeating it later is safe without looking first.
      return { outcome: 'failed', error, mayExist, repeatable: unknown || status === 429 }
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

  async listReleases(): Promise<ListedRelease[]> {
    const all = await listAllPages<ListedReleaseData>(
      this.client,
      'GET /repos/{owner}/{repo}/releases',
      this.repoParams,
      'GET /repos/{owner}/{repo}/releases',
    )
    return all.map((r) => ({
      id: r.id,
      tagName: r.tag_name,
      name: r.name ?? null,
      body: r.body ?? null,
      draft: r.draft,
      prerelease: r.prerelease,
      htmlUrl: r.html_url,
      createdAt: r.created_at,
      immutable: r.immutable,
      assets: (r.assets ?? []).map(toAsset),
    }))
  }

  /** `GET releases/latest`: 404 when no release is marked latest. */
  async latestReleaseTag(): Promise<string | undefined> {
    const data = await this.readOrMissing('GET latest release', () =>
      this.client.rest.repos.getLatestRelease(this.repoParams),
    )
    return data?.tag_name
  }

  async editRelease(releaseId: number, edit: ReleaseEdit): Promise<void> {
    // Only the fields given are sent: a PATCH without make_latest leaves the latest flag alone.
    const { data } = await this.client.rest.repos.updateRelease({
      ...this.repoParams,
      release_id: releaseId,
      ...(edit.name !== undefined ? { name: edit.name } : {}),
      ...(edit.body !== undefined ? { body: edit.body } : {}),
      ...(edit.makeLatest !== undefined ? { make_latest: edit.makeLatest } : {}),
    })
    expectObject(data, 'PATCH release')
  }

  downloadAsset(assetId: number, path: string): Promise<void> {
    return downloadAssetToFile(this.client, { ...this.repoParams, assetId }, path)
  }
}

interface ListedReleaseData extends ReleaseData {
  name?: string | null
  body?: string | null
  prerelease: boolean
  created_at: string
  assets?: Parameters<typeof toAsset>[0][]
}

/** The release flow's store for one GitHub repository. */
export function createReleaseStore(
  client: GitHubClient,
  owner: string,
  repo: string,
): ReleaseStore {
  return new GitHubReleaseStore(client, owner, repo)
}
