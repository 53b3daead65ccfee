import { stat } from 'node:fs/promises'
import { InputError, ServiceError, errorMessage } from '../util/errors.ts'
import type { GitHubClient } from '../util/github-client.ts'
import type { Reporter } from '../util/reporter.ts'
import {
  checkAssets,
  decideStart,
  planAssets,
  releaseBodyMarker,
  tagClaimMessage,
  type ExistingRelease,
  type ExistingTag,
  type ReportedAsset,
  type RunIdentity,
} from './decisions.ts'
import {
  ReleaseApi,
  isApiFailure,
  validationCodes,
  type DraftRelease,
  type PublishedView,
} from './github-releases.ts'
import { validateTagName } from './tag-name.ts'

export interface ReleaseAssetFile {
  /** The asset's name on the release. */
  name: string
  /** Local file to upload. */
  path: string
  /** Lower-case hex SHA-256 of the file. */
  sha256: string
  size: number
  contentType: string
  label?: string
}

export type ReleaseStep = 'claim' | 'draft' | 'upload' | 'check' | 'publish'

export interface ReleaseRequest {
  owner: string
  repo: string
  tag: string
  /** Branch, tag or SHA the new tag is created at (resolved to a commit first). */
  targetCommitish: string
  name?: string
  body?: string
  prerelease: boolean
  makeLatest: 'true' | 'false' | 'legacy'
  assets: ReleaseAssetFile[]
  run: RunIdentity
  /** Parallel uploads (default 4). */
  uploadConcurrency?: number
  /** Attempts per asset upload and the pause between them (default 3 attempts, 1000 ms). */
  uploadRetry?: { attempts: number; delayMs: number }
  hooks?: { afterStep?(step: ReleaseStep): void | Promise<void> }
  /** The tag and its releases as `checkTagAvailable` read them for this run: not read again. */
  observed?: ObservedTag
}

export interface PublishedRelease {
  id: number
  /** The release page. */
  url: string
  tag: string
  commitSha: string
  uploadedAssets: { id: number; name: string; digest: string }[]
  /** Whether GitHub made the release immutable (the repository setting was on). */
  immutable: boolean
}

/** Another run created the tag between our check and our claim; nothing was written. */
export class ReleaseConflictError extends Error {
  readonly tag: string
  constructor(tag: string, message: string) {
    super(message)
    this.name = 'ReleaseConflictError'
    this.tag = tag
  }
}

/** The release failed after the tag was claimed; says what was cleaned up and what was not. */
export class ReleaseFailedError extends Error {
  readonly step: ReleaseStep
  /** What could not be removed (empty when nothing was left behind). */
  readonly leftBehind: string[]
  constructor(step: ReleaseStep, message: string, leftBehind: string[], options?: ErrorOptions) {
    super(message, options)
    this.name = 'ReleaseFailedError'
    this.step = step
    this.leftBehind = leftBehind
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/

async function validateRequest(request: ReleaseRequest): Promise<void> {
  validateTagName(request.tag)
  if (!request.targetCommitish.trim()) {
    throw new InputError('target-commitish', 'is empty; give a branch, tag or commit SHA.')
  }
  const names = new Set<string>()
  for (const asset of request.assets) {
    if (!asset.name || asset.name.includes('/')) {
      throw new InputError(
        'assets',
        `"${asset.name}" is not a usable asset name (it must be non-empty and contain no "/").`,
      )
    }
    if (names.has(asset.name)) {
      throw new InputError(
        'assets',
        `two assets are named "${asset.name}"; asset names must be unique.`,
      )
    }
    names.add(asset.name)
    if (!SHA256_HEX.test(asset.sha256)) {
      throw new InputError(
        'assets',
        `the sha256 of "${asset.name}" must be 64 lower-case hex digits.`,
      )
    }
    let size: number
    try {
      size = (await stat(asset.path)).size
    } catch {
      throw new InputError('assets', `cannot read "${asset.path}" for asset "${asset.name}".`)
    }
    if (size !== asset.size) {
      throw new InputError(
        'assets',
        `"${asset.path}" has ${size} bytes but the manifest says ${asset.size}; it changed after it was hashed.`,
      )
    }
  }
  if (!['true', 'false', 'legacy'].includes(request.makeLatest)) {
    throw new InputError(
      'make-latest',
      `must be 'true', 'false' or 'legacy', not '${String(request.makeLatest)}'.`,
    )
  }
}

/** Resolves a branch, tag or SHA to the commit SHA it names, or throws naming the input. */
export async function resolveCommit(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  commitish: string,
): Promise<string> {
  const sha = await new ReleaseApi(client, repository.owner, repository.repo).resolveCommit(
    commitish,
  )
  if (!sha) {
    throw new InputError(
      'target-commitish',
      `"${commitish}" is not a branch, tag or commit of ${repository.owner}/${repository.repo}.`,
    )
  }
  return sha
}

/**
 * Refuses (InputError on `tag`) when the tag exists or any release, drafts included, uses it.
 * Writes nothing: usable as a dry run.
 */
/** What GitHub said about a tag and the releases using it, read before any write. */
export interface ObservedTag {
  existingTag: ExistingTag | undefined
  releases: ExistingRelease[]
}

/**
 * Refuses an existing tag or release, writing nothing, and returns what it read so that
 * `publishRelease` need not read it again. Given the run and its commit, an earlier attempt
 * of the same run may have left a claim or a draft to resume; without them (a dry run) any
 * existing tag or release is refused. Reading early is safe: the atomic claim, not this
 * check, decides between concurrent runs.
 */
export async function checkTagAvailable(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  tag: string,
  resume?: { run: RunIdentity; commitSha: string },
): Promise<ObservedTag> {
  validateTagName(tag)
  const api = new ReleaseApi(client, repository.owner, repository.repo)
  let observed: ObservedTag
  try {
    const [existingTag, releases] = await Promise.all([api.getTag(tag), api.releasesWithTag(tag)])
    observed = { existingTag, releases }
  } catch (error) {
    // Unwrapped, Octokit's message is only the status text ("Server Error").
    throw wrapApiError(api, `reading tag "${tag}" and its releases`, error)
  }
  const decision = decideStart({
    tag,
    commitSha: resume?.commitSha ?? '',
    run: resume?.run ?? { id: '', attempt: 0 },
    ...observed,
  })
  if (decision.action === 'refuse') throw new InputError('tag', decision.reason)
  return observed
}

function wrapApiError(api: ReleaseApi, what: string, error: unknown): Error {
  if (
    error instanceof InputError ||
    error instanceof ReleaseConflictError ||
    error instanceof ReleaseFailedError
  ) {
    return error
  }
  const status = isApiFailure(error) ? ` (HTTP ${error.status})` : ''
  return new ServiceError(
    'GitHub API',
    `repos/${api.owner}/${api.repo}`,
    `${what} failed${status}: ${errorMessage(error)}`,
    {
      cause: error,
    },
  )
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure stops new work. */
async function forEachLimited<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  let failed: unknown
  let hasFailed = false
  const worker = async (): Promise<void> => {
    while (!hasFailed && next < items.length) {
      const item = items[next++] as T
      try {
        await task(item)
      } catch (error) {
        if (!hasFailed) {
          hasFailed = true
          failed = error
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  if (hasFailed) throw failed
}

const FULL_SHA = /^[0-9a-f]{40}$/i

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Creates the release for a new tag and never touches an existing one: claim the tag
 * atomically, draft, upload, check every digest, publish. A failure after the claim removes
 * everything this run created.
 */
export async function publishRelease(
  client: GitHubClient,
  request: ReleaseRequest,
  reporter: Reporter,
): Promise<PublishedRelease> {
  await validateRequest(request)
  const api = new ReleaseApi(client, request.owner, request.repo)
  const { tag, run } = request

  // ---- decide (reads only) ----
  let commitSha: string
  let decision
  try {
    const [sha, existingTag, releases] = await Promise.all([
      // A full commit SHA (the run's own, by default) needs no lookup; creating the ref at it
      // fails by itself if the commit does not exist.
      FULL_SHA.test(request.targetCommitish)
        ? request.targetCommitish.toLowerCase()
        : api.resolveCommit(request.targetCommitish),
      request.observed ? request.observed.existingTag : api.getTag(tag),
      request.observed ? request.observed.releases : api.releasesWithTag(tag),
    ])
    if (!sha) {
      throw new InputError(
        'target-commitish',
        `"${request.targetCommitish}" is not a branch, tag or commit of ${request.owner}/${request.repo}.`,
      )
    }
    commitSha = sha
    decision = decideStart({ tag, commitSha, run, existingTag, releases })
  } catch (error) {
    throw wrapApiError(api, `reading tag "${tag}" and its releases`, error)
  }
  if (decision.action === 'refuse') throw new InputError('tag', decision.reason)

  // ---- claim: the only decision point between concurrent runs ----
  const created = {
    tagObjectSha: undefined as string | undefined,
    draftId: undefined as number | undefined,
  }
  let resumedDraft: ExistingRelease | undefined
  let ownsTag = false
  if (decision.action === 'resume') {
    resumedDraft = decision.draft
    created.tagObjectSha = decision.claimedObjectSha
    ownsTag = decision.claimedObjectSha !== undefined
    reporter.info(
      `Resuming the release of ${tag} left by an earlier attempt of run ${run.id}` +
        (resumedDraft ? ` (draft ${resumedDraft.htmlUrl})` : ' (tag claimed, no draft yet)'),
    )
  }
  if (!ownsTag) {
    let tagObjectSha: string
    try {
      tagObjectSha = await api.createTagObject(tag, commitSha, tagClaimMessage(tag, run))
    } catch (error) {
      // A server without the git tags API (some GitHub-compatible hosts): claim with a
      // lightweight tag at the commit. A later attempt then recognises its claim only by its
      // draft, so a crash between the claim and the draft leaves a tag it must refuse.
      if (isApiFailure(error) && error.status === 422) {
        throw new InputError(
          'target-commitish',
          `GitHub refused a tag at ${commitSha}: ${errorMessage(error)}. Check that the commit exists in ${request.owner}/${request.repo}.`,
        )
      }
      if (!(isApiFailure(error) && (error.status === 404 || error.status === 501))) {
        throw wrapApiError(api, `creating the tag object for "${tag}"`, error)
      }
      reporter.info(
        `This server cannot create annotated tags (HTTP ${error.status}); claiming ${tag} with a lightweight tag.`,
      )
      tagObjectSha = commitSha
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await api.createTagRef(tag, tagObjectSha)
        break
      } catch (error) {
        if (isApiFailure(error) && error.status === 422) {
          const target = await api.tagTarget(tag).catch(() => undefined)
          if (target === tagObjectSha && tagObjectSha !== commitSha) break
          if (target === undefined && !/already exists/i.test(errorMessage(error))) {
            // Not a race: GitHub refused the ref itself ("Object does not exist").
            throw new InputError(
              'target-commitish',
              `GitHub refused to create tag "${tag}" at ${commitSha}: ${errorMessage(error)}. Check that the commit exists in ${request.owner}/${request.repo}.`,
            )
          }
          throw new ReleaseConflictError(
            tag,
            `Tag "${tag}" was created by another run while this one was preparing (GitHub: ${errorMessage(error)}). ` +
              'This action never moves or replaces a tag; nothing was written by this run.',
          )
        }
        // An error after the ref was written (a lost response) still makes the tag ours.
        const target = await api.tagTarget(tag).catch(() => undefined)
        if (target === tagObjectSha) break
        // A cut-off answer (which the retry plugin never sees) to a create that did not take
        // effect: asking again is safe, since a create of an existing ref only answers 422.
        if (isApiFailure(error) || attempt >= 3) {
          throw wrapApiError(api, `creating tag "${tag}"`, error)
        }
      }
    }
    created.tagObjectSha = tagObjectSha
    reporter.info(`Claimed tag ${tag} at ${commitSha}`)
  }

  let step: ReleaseStep = 'claim'
  try {
    await request.hooks?.afterStep?.('claim')

    // ---- draft ----
    step = 'draft'
    const draft = resumedDraft
      ? await resumeDraft(api, resumedDraft)
      : await createDraft(api, request, commitSha)
    created.draftId = draft.id
    await request.hooks?.afterStep?.('draft')

    // ---- upload ----
    step = 'upload'
    const plan = planAssets(request.assets, draft.assets)
    for (const { asset, reason } of plan.remove) {
      reporter.info(`Removing asset ${asset.name} from the draft: ${reason}`)
      await api.deleteAsset(asset.id)
    }
    const retry = request.uploadRetry ?? { attempts: 3, delayMs: 1000 }
    await forEachLimited(plan.upload, request.uploadConcurrency ?? 4, (asset) =>
      uploadWithRetries(api, draft, asset, retry, reporter),
    )
    await request.hooks?.afterStep?.('upload')

    // ---- check ----
    step = 'check'
    const uploaded = await verifyAssets(api, draft.id, request.assets)
    await request.hooks?.afterStep?.('check')

    // ---- publish ----
    step = 'publish'
    const published = await publishDraft(api, draft.id, {
      makeLatest: request.makeLatest,
      prerelease: request.prerelease,
    })
    if (published.draft)
      throw new Error('GitHub still reports the release as a draft after publishing it')
    await request.hooks?.afterStep?.('publish')

    const immutable = published.immutable === true || (await settingSaysImmutable(api, reporter))
    if (!immutable) {
      reporter.warning(
        `Release ${tag} is published but not immutable: the repository setting is off, so only this action's ` +
          'refusal protects the tag. Turn it on in Settings → General → Releases → "Enable release immutability".',
      )
    }
    return {
      id: published.id,
      url: published.htmlUrl,
      tag,
      commitSha,
      uploadedAssets: uploaded,
      immutable,
    }
  } catch (error) {
    const leftBehind = await rollBack(api, tag, created, reporter)
    const what = wrapApiError(api, `the ${step} step`, error)
    const cleanup =
      leftBehind.length === 0
        ? 'Nothing was left behind: the draft, its assets and the tag were removed.'
        : `Could not clean up: ${leftBehind.join('; ')}.`
    throw new ReleaseFailedError(
      step,
      `Release ${tag} failed at the ${step} step: ${what.message}. ${cleanup}`,
      leftBehind,
      {
        cause: error,
      },
    )
  }
}

async function publishDraft(
  api: ReleaseApi,
  releaseId: number,
  options: { makeLatest: 'true' | 'false' | 'legacy'; prerelease: boolean },
): Promise<PublishedView> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.publish(releaseId, options)
    } catch (error) {
      // The publish may have taken effect although its answer was lost.
      const now = await api.getRelease(releaseId).catch(() => undefined)
      if (now && !now.draft) return now
      // A cut-off answer to a publish that did not happen: publishing a draft again is harmless.
      if (isApiFailure(error) || !now || attempt >= 3) throw error
    }
  }
}

async function settingSaysImmutable(api: ReleaseApi, reporter: Reporter): Promise<boolean> {
  try {
    return (await api.immutableReleasesEnabled()) === true
  } catch (error) {
    reporter.warning(`Could not read the immutable-releases setting: ${errorMessage(error)}`)
    return false
  }
}

async function createDraft(
  api: ReleaseApi,
  request: ReleaseRequest,
  commitSha: string,
): Promise<DraftRelease> {
  const marker = releaseBodyMarker(request.run)
  const body = request.body ? `${request.body}\n\n${marker}` : marker
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.createDraft({
        tag: request.tag,
        commitSha,
        name: request.name ?? request.tag,
        body,
        prerelease: request.prerelease,
      })
    } catch (error) {
      // A lost answer (or a retried create whose first try succeeded and now answers
      // already_exists) may hide a draft we created: adopt it so it is not orphaned.
      const retryable =
        !isApiFailure(error) ||
        error.status >= 500 ||
        validationCodes(error).includes('already_exists')
      if (!retryable) throw error
      const mine = (await api.releasesWithTag(request.tag)).find(
        (r) => r.draft && (r.body ?? '').includes(marker),
      )
      if (mine) return resumeDraft(api, mine)
      // A cut-off answer to a create that did not take effect: create it again.
      if (isApiFailure(error) || attempt >= 3) throw error
    }
  }
}

async function resumeDraft(api: ReleaseApi, existing: ExistingRelease): Promise<DraftRelease> {
  const release = await api.getRelease(existing.id)
  if (!release || !release.draft)
    throw new Error(`draft ${existing.htmlUrl} is gone or was published meanwhile`)
  return {
    id: release.id,
    htmlUrl: release.htmlUrl,
    uploadUrl: release.uploadUrl,
    assets: await api.listAssets(release.id),
  }
}

function isRetryableUploadFailure(error: unknown): boolean {
  if (!isApiFailure(error)) return true
  return error.status >= 500 || error.status === 429 || error.status === 403 || error.status === 408
}

async function uploadWithRetries(
  api: ReleaseApi,
  draft: DraftRelease,
  asset: ReleaseAssetFile,
  retry: { attempts: number; delayMs: number },
  reporter: Reporter,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const uploaded = await api.uploadAsset(draft.uploadUrl, asset)
      if (uploaded.digest !== null && uploaded.digest !== `sha256:${asset.sha256}`) {
        throw new Error(
          `GitHub stored "${asset.name}" with digest ${uploaded.digest}, expected sha256:${asset.sha256}`,
        )
      }
      return
    } catch (error) {
      const duplicate = validationCodes(error).includes('already_exists')
      const retryable = duplicate || isRetryableUploadFailure(error)
      // An interrupted (or unconfirmed) upload may have left an asset with this name behind.
      const leftover = (await api.listAssets(draft.id)).filter((a) => a.name === asset.name)
      if (duplicate) {
        const good = leftover.find(
          (a) =>
            a.state === 'uploaded' &&
            a.size === asset.size &&
            (a.digest === null || a.digest === `sha256:${asset.sha256}`),
        )
        if (good) return
      }
      if (!retryable || attempt >= retry.attempts) {
        throw new Error(
          `uploading "${asset.name}" failed after ${attempt} attempt(s): ${errorMessage(error)}`,
          {
            cause: error,
          },
        )
      }
      for (const partial of leftover) await api.deleteAsset(partial.id)
      reporter.info(
        `Upload of ${asset.name} failed (${errorMessage(error)}); retrying (attempt ${attempt + 1})`,
      )
      await delay(retry.delayMs * attempt)
    }
  }
}

async function verifyAssets(
  api: ReleaseApi,
  releaseId: number,
  expected: ReleaseAssetFile[],
): Promise<{ id: number; name: string; digest: string }[]> {
  const actual = await api.listAssets(releaseId)
  const check = checkAssets(expected, actual)
  const digests = new Map<number, string>()
  for (const a of actual) if (a.digest) digests.set(a.id, a.digest)
  // GitHub Enterprise Server versions without digests: download and hash the stored bytes.
  for (const { asset, expected: want } of check.toHash) {
    const { sha256, size } = await api.hashAsset(asset.id)
    if (sha256 !== want.sha256 || size !== want.size) {
      check.problems.push(
        `asset "${asset.name}" as downloaded has sha256 ${sha256} (${size} bytes), expected ${want.sha256}`,
      )
    } else {
      digests.set(asset.id, `sha256:${sha256}`)
    }
  }
  if (check.problems.length > 0)
    throw new Error(`the uploaded assets do not match: ${check.problems.join('; ')}`)
  return actual.map((a: ReportedAsset) => ({
    id: a.id,
    name: a.name,
    digest: digests.get(a.id) as string,
  }))
}

/** Removes what this run created; returns what it could not remove (nothing is guessed). */
async function rollBack(
  api: ReleaseApi,
  tag: string,
  created: { tagObjectSha: string | undefined; draftId: number | undefined },
  reporter: Reporter,
): Promise<string[]> {
  const leftBehind: string[] = []
  let publishedUsesTag = false
  if (created.draftId !== undefined) {
    try {
      const release = await api.getRelease(created.draftId)
      if (release && !release.draft) {
        // The publish took effect although its answer was lost: never delete a published release.
        publishedUsesTag = true
        leftBehind.push(`release ${release.htmlUrl} was published and is left as it is`)
      } else if (release) {
        await api.deleteRelease(release.id)
        reporter.info(`Deleted draft release ${release.htmlUrl}`)
      }
    } catch (error) {
      leftBehind.push(`draft release ${created.draftId} (${errorMessage(error)})`)
      publishedUsesTag = true
    }
  }
  if (created.tagObjectSha !== undefined && !publishedUsesTag) {
    try {
      const target = await api.tagTarget(tag)
      const publishedElsewhere = (await api.releasesWithTag(tag)).some((r) => !r.draft)
      if (target === created.tagObjectSha && !publishedElsewhere) {
        await api.deleteTagRef(tag)
        reporter.info(`Deleted tag ${tag}`)
      } else if (target === created.tagObjectSha) {
        leftBehind.push(`tag ${tag} (a published release uses it)`)
      }
    } catch (error) {
      leftBehind.push(`tag ${tag} (${errorMessage(error)})`)
    }
  } else if (created.tagObjectSha !== undefined) {
    leftBehind.push(`tag ${tag}`)
  }
  return leftBehind
}
