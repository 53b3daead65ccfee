import type { PushedTag } from '../util/types.ts'

/**
 * The decisions of the release flow, as pure functions of what GitHub reported. Keeping them
 * apart from the API calls lets each rule be tested on its own.
 */

export interface RunIdentity {
  /** GITHUB_RUN_ID. */
  id: string
  /** GITHUB_RUN_ATTEMPT (1 for the first attempt). */
  attempt: number
}

const TAG_MARKER = /immutable-release run (\S+) attempt (\d+)/
const BODY_MARKER = /<!-- immutable-release: run_id=([^,\s]+), run_attempt=(\d+) -->/

/** The line an annotated tag object's message carries so a later attempt can recognise its claim. */
export function tagClaimMessage(tag: string, run: RunIdentity): string {
  return `Release ${tag}\n\nimmutable-release run ${run.id} attempt ${run.attempt}\n`
}

/** The HTML comment a draft's body carries (invisible on the release page). */
export function releaseBodyMarker(run: RunIdentity): string {
  return `<!-- immutable-release: run_id=${run.id}, run_attempt=${run.attempt} -->`
}

export function parseTagClaim(message: string | null | undefined): RunIdentity | undefined {
  const match = TAG_MARKER.exec(message ?? '')
  return match ? { id: match[1] as string, attempt: Number(match[2]) } : undefined
}

export function parseReleaseMarker(body: string | null | undefined): RunIdentity | undefined {
  const match = BODY_MARKER.exec(body ?? '')
  return match ? { id: match[1] as string, attempt: Number(match[2]) } : undefined
}

/**
 * Only an earlier attempt of the same workflow run may be resumed: the same attempt running
 * twice (or anyone else) must not share a claim.
 */
export function isResumableBy(owner: RunIdentity | undefined, run: RunIdentity): boolean {
  return owner !== undefined && owner.id === run.id && owner.attempt < run.attempt
}

export interface ExistingTag {
  /** `commit` for a lightweight tag, `tag` for an annotated tag object. */
  objectType: string
  objectSha: string
  /**
   * Present when the ref points at an annotated tag object that was read: its message, the
   * commit it resolves to (peeled through nested tag objects) and its tagger date.
   */
  tagObject?: { message: string; targetSha: string; taggerDate?: string }
}

/**
 * Where a run that adopts a pushed tag claims the release: a ref in a namespace of the
 * project's own, which GitHub creates at most once (a second POST git/refs answers 422) and
 * which no tag ruleset, release or checkout looks at.
 */
export const RELEASE_CLAIM_REF_PREFIX = 'refs/immutable-release/claims/'

export function releaseClaimRef(tag: string): string {
  return `${RELEASE_CLAIM_REF_PREFIX}${tag}`
}

/** The run was started by pushing the release's tag; `runSha` is its GITHUB_SHA. */
export interface PushedTagRun {
  runSha: string
}

export interface ExistingRelease {
  id: number
  draft: boolean
  htmlUrl: string
  tagName: string
  body: string | null
}

/**
 * Whether this run wrote the draft: its marker names this run, at this attempt or an earlier
 * one (which this run resumes). Only the run holding the claim creates drafts, so these are
 * its own to keep or remove.
 */
export function isDraftOfRun(release: ExistingRelease, run: RunIdentity): boolean {
  const writer = parseReleaseMarker(release.body)
  return (
    release.draft && writer !== undefined && writer.id === run.id && writer.attempt <= run.attempt
  )
}

/** The drafts of `tag` this run wrote, oldest (lowest id) first. */
export function draftsOfRun(
  tag: string,
  run: RunIdentity,
  releases: readonly ExistingRelease[],
): ExistingRelease[] {
  return releases
    .filter((r) => r.tagName === tag && isDraftOfRun(r, run))
    .sort((a, b) => a.id - b.id)
}

export type UncertainCreateDecision =
  /** The create took effect although its answer was lost: finish this draft. */
  | { action: 'adopt'; draft: ExistingRelease }
  /** No draft of this run exists, and the failure was transient: creating again is safe. */
  | { action: 'create-again' }
  | { action: 'give-up' }

/**
 * After a create whose failure may hide a draft (`mayExist`): GitHub lets drafts share a tag,
 * so creating again blindly would leave a second draft. Adopt the oldest draft this attempt
 * wrote (its marker is exact); only when there is none may a transient failure be repeated.
 */
export function afterUncertainCreate(input: {
  tag: string
  run: RunIdentity
  releases: readonly ExistingRelease[]
  /** The store says the failure was transient (a lost or cut-off answer, a server error). */
  repeatable: boolean
}): UncertainCreateDecision {
  const { tag, run } = input
  const mine = draftsOfRun(tag, run, input.releases).filter((r) => {
    const writer = parseReleaseMarker(r.body)
    return writer?.attempt === run.attempt
  })
  if (mine[0]) return { action: 'adopt', draft: mine[0] }
  return input.repeatable ? { action: 'create-again' } : { action: 'give-up' }
}

/**
 * The drafts of this run other than `keepId` (the draft it finishes; undefined when it has
 * none): what a lost answer and a repeated create left. Published releases are never listed.
 */
export function extraDraftsOfRun(
  tag: string,
  run: RunIdentity,
  releases: readonly ExistingRelease[],
  keepId: number | undefined,
): ExistingRelease[] {
  return draftsOfRun(tag, run, releases).filter((r) => r.id !== keepId)
}

export type StartDecision =
  | { action: 'claim' }
  | {
      action: 'resume'
      /** The tag object an earlier attempt claimed; undefined when the tag must be claimed again. */
      claimedObjectSha: string | undefined
      draft: ExistingRelease | undefined
    }
  | {
      /** Release the pushed tag as it is: claim the release, never the tag. */
      action: 'adopt'
      pushedTag: ExistingTag
      /** The release claim an earlier attempt of this run made; undefined: claim it now. */
      claimedObjectSha: string | undefined
      draft: ExistingRelease | undefined
    }
  | { action: 'refuse'; reason: string; input?: 'target-commitish' }

const NEVER_REPLACES =
  'This action never moves or replaces a tag or a release: choose a new tag (for example the next version).'

/**
 * Why a release already using `tag` stops this run: a published one, or a draft that is not
 * an earlier attempt's of this run. Undefined when none is in the way.
 */
export function releaseInTheWay(
  tag: string,
  run: RunIdentity,
  releases: readonly ExistingRelease[],
): string | undefined {
  const ofTag = releases.filter((r) => r.tagName === tag)
  const published = ofTag.find((r) => !r.draft)
  if (published) {
    return `a published release already uses tag "${tag}": ${published.htmlUrl}. ${NEVER_REPLACES}`
  }
  const foreignDraft = ofTag.find((r) => !isResumableBy(parseReleaseMarker(r.body), run))
  if (foreignDraft) {
    return `a draft release already uses tag "${tag}" (${foreignDraft.htmlUrl}); it was not created by an earlier attempt of this workflow run. ${NEVER_REPLACES} If that draft is abandoned, delete it first.`
  }
  return undefined
}

/** Whether this run may create the release for `tag`, resume its own, or must stop. */
export function decideStart(input: {
  tag: string
  commitSha: string
  run: RunIdentity
  existingTag: ExistingTag | undefined
  releases: ExistingRelease[]
  /** Set when the run was started by pushing `tag`: adopt it instead of claiming it. */
  pushed?: PushedTagRun
  /** The release claim ref (`releaseClaimRef(tag)`), when one exists. */
  releaseClaim?: ExistingTag
}): StartDecision {
  const { tag, run, existingTag } = input
  const releases = input.releases.filter((r) => r.tagName === tag)
  const taken = releaseInTheWay(tag, run, releases)
  if (taken) return { action: 'refuse', reason: taken }
  const ownDraft = releases[0]
  if (input.pushed) {
    return decideAdopt({ ...input, pushed: input.pushed, ownDraft })
  }
  if (!existingTag) {
    return ownDraft
      ? { action: 'resume', claimedObjectSha: undefined, draft: ownDraft }
      : { action: 'claim' }
  }
  const claim = existingTag.tagObject ? parseTagClaim(existingTag.tagObject.message) : undefined
  const pointsAt = existingTag.tagObject?.targetSha ?? existingTag.objectSha
  // A lightweight claim (servers without annotated tags) is recognised by its draft alone: a
  // run writes its draft only after its claim succeeded.
  if (existingTag.objectType === 'commit' && ownDraft && pointsAt === input.commitSha) {
    return { action: 'resume', claimedObjectSha: existingTag.objectSha, draft: ownDraft }
  }
  if (existingTag.objectType !== 'tag' || !isResumableBy(claim, run)) {
    return {
      action: 'refuse',
      reason: `tag "${tag}" already exists (commit ${pointsAt}). ${NEVER_REPLACES}`,
    }
  }
  if (pointsAt !== input.commitSha) {
    return {
      action: 'refuse',
      reason: `tag "${tag}" was claimed by attempt ${claim?.attempt} of this run at commit ${pointsAt}, but target-commitish now resolves to ${input.commitSha}. ${NEVER_REPLACES}`,
    }
  }
  return { action: 'resume', claimedObjectSha: existingTag.objectSha, draft: ownDraft }
}

const ADOPTS_ONLY =
  'A pushed tag is released only where it was pushed, and this action never moves, deletes or re-creates a tag.'

/** How the provenance and the change record name an adopted pushed tag (no tagger identity). */
export function pushedTagOf(tag: ExistingTag): PushedTag {
  const taggerDate = tag.tagObject?.taggerDate
  return {
    objectType: tag.objectType === 'tag' ? 'tag' : 'commit',
    objectSha: tag.objectSha,
    ...(tag.objectType === 'tag' && taggerDate ? { taggerDate } : {}),
  }
}

/** The commit a tag resolves to: its (peeled) tag object's target, or the commit itself. */
export function tagCommit(tag: ExistingTag): string {
  return tag.tagObject?.targetSha ?? tag.objectSha
}

/**
 * For a run started by pushing `tag`, after the published-release and foreign-draft checks:
 * adopt the tag when it still resolves to the run's commit and no other run holds the
 * release claim; resume this run's own claim and draft on a re-run attempt.
 */
function decideAdopt(input: {
  tag: string
  commitSha: string
  run: RunIdentity
  existingTag: ExistingTag | undefined
  pushed: PushedTagRun
  releaseClaim?: ExistingTag
  ownDraft: ExistingRelease | undefined
}): StartDecision {
  const { tag, run, existingTag, pushed, releaseClaim, ownDraft } = input
  if (!existingTag) {
    return {
      action: 'refuse',
      reason: `tag "${tag}" started this run but no longer exists (it was deleted after the push). Push it again to release it; this action does not re-create a pushed tag.`,
    }
  }
  // A tag this action created for another run (its claim, pushed with a token that starts
  // workflows) is that run's to release, whatever the push started.
  const creator = existingTag.tagObject ? parseTagClaim(existingTag.tagObject.message) : undefined
  if (creator && !isResumableBy(creator, run)) {
    return {
      action: 'refuse',
      reason: `tag "${tag}" was created by immutable-release for run ${creator.id} attempt ${creator.attempt}, which releases it; this run must not release it a second time. ${ADOPTS_ONLY}`,
    }
  }
  const pointsAt = tagCommit(existingTag)
  if (pointsAt !== pushed.runSha) {
    return {
      action: 'refuse',
      reason: `tag "${tag}" points at commit ${pointsAt}, but this run was started for commit ${pushed.runSha} (GITHUB_SHA): the tag was moved after the push. ${ADOPTS_ONLY}`,
    }
  }
  if (input.commitSha !== pushed.runSha) {
    return {
      action: 'refuse',
      input: 'target-commitish',
      reason: `resolves to ${input.commitSha}, but the pushed tag "${tag}" points at ${pointsAt}. Leave target-commitish unset to release the pushed tag. ${ADOPTS_ONLY}`,
    }
  }
  if (!releaseClaim) {
    return { action: 'adopt', pushedTag: existingTag, claimedObjectSha: undefined, draft: ownDraft }
  }
  const owner = releaseClaim.tagObject ? parseTagClaim(releaseClaim.tagObject.message) : undefined
  // A lightweight claim (servers without annotated tags) is recognised by this run's draft.
  const ours =
    isResumableBy(owner, run) || (releaseClaim.objectType === 'commit' && ownDraft !== undefined)
  if (ours) {
    return {
      action: 'adopt',
      pushedTag: existingTag,
      claimedObjectSha: releaseClaim.objectSha,
      draft: ownDraft,
    }
  }
  const by = owner ? `run ${owner.id} attempt ${owner.attempt}` : 'another run'
  return {
    action: 'refuse',
    reason: `${by} is already releasing tag "${tag}" (it holds ${releaseClaimRef(tag)}). Only one run may release a tag; nothing was written by this run. If that run was cancelled and left the claim behind, delete the ref ${releaseClaimRef(tag).slice('refs/'.length)} and re-run.`,
  }
}

export interface ExpectedAsset {
  name: string
  sha256: string
  size: number
}

export interface ReportedAsset {
  id: number
  name: string
  size: number
  state: string
  /** `sha256:<hex>`, or null where GitHub does not compute digests (older GHES). */
  digest: string | null
}

/**
 * Why an asset GitHub reports is not a good copy of `want`, or undefined when it is: fully
 * uploaded, the right size, and the right digest where GitHub computes one.
 */
export function storedAssetProblem(asset: ReportedAsset, want: ExpectedAsset): string | undefined {
  if (asset.state !== 'uploaded') return `an interrupted upload (state ${asset.state})`
  if (asset.size !== want.size) return `size ${asset.size}, expected ${want.size}`
  if (asset.digest !== null && asset.digest !== `sha256:${want.sha256}`) {
    return `digest ${asset.digest}, expected sha256:${want.sha256}`
  }
  return undefined
}

/** Whether the digest GitHub computed for a fresh upload contradicts the file's SHA-256. */
export function uploadDigestProblem(
  uploaded: ReportedAsset,
  want: ExpectedAsset,
): string | undefined {
  if (uploaded.digest === null || uploaded.digest === `sha256:${want.sha256}`) return undefined
  return `GitHub stored "${want.name}" with digest ${uploaded.digest}, expected sha256:${want.sha256}`
}

export interface AssetPlan<T extends ExpectedAsset = ExpectedAsset> {
  /** Assets already on the draft with the right size and digest. */
  keep: ReportedAsset[]
  /** Assets to delete first: foreign, interrupted, or with the wrong content. */
  remove: { asset: ReportedAsset; reason: string }[]
  upload: T[]
}

/** What to do with a (possibly resumed) draft's assets to reach exactly the expected set. */
export function planAssets<T extends ExpectedAsset>(
  expected: T[],
  existing: ReportedAsset[],
): AssetPlan<T> {
  const byName = new Map(expected.map((a) => [a.name, a]))
  const plan: AssetPlan<T> = { keep: [], remove: [], upload: [] }
  const kept = new Set<string>()
  for (const asset of existing) {
    const want = byName.get(asset.name)
    let reason: string | undefined
    if (!want) reason = 'not part of this release'
    else if (kept.has(asset.name)) reason = 'a duplicate'
    else reason = storedAssetProblem(asset, want)
    if (reason) plan.remove.push({ asset, reason })
    else {
      plan.keep.push(asset)
      kept.add(asset.name)
    }
  }
  plan.upload = expected.filter((a) => !kept.has(a.name))
  return plan
}

export interface AssetCheck {
  problems: string[]
  /** Assets GitHub gave no digest for: their bytes must be downloaded and hashed. */
  toHash: { asset: ReportedAsset; expected: ExpectedAsset }[]
}

/** Whether the release holds exactly the expected assets with the expected content. */
export function checkAssets(expected: ExpectedAsset[], actual: ReportedAsset[]): AssetCheck {
  const result: AssetCheck = { problems: [], toHash: [] }
  const seen = new Set<string>()
  const byName = new Map(expected.map((a) => [a.name, a]))
  for (const asset of actual) {
    const want = byName.get(asset.name)
    if (!want) {
      result.problems.push(`unexpected asset "${asset.name}"`)
      continue
    }
    if (seen.has(asset.name)) {
      result.problems.push(`asset "${asset.name}" appears twice`)
      continue
    }
    seen.add(asset.name)
    if (asset.state !== 'uploaded') {
      result.problems.push(`asset "${asset.name}" is not fully uploaded (state ${asset.state})`)
    } else if (asset.size !== want.size) {
      result.problems.push(`asset "${asset.name}" has ${asset.size} bytes, expected ${want.size}`)
    } else if (asset.digest === null) {
      result.toHash.push({ asset, expected: want })
    } else if (asset.digest !== `sha256:${want.sha256}`) {
      result.problems.push(
        `asset "${asset.name}" has digest ${asset.digest}, expected sha256:${want.sha256}`,
      )
    }
  }
  for (const want of expected) {
    if (!seen.has(want.name)) result.problems.push(`asset "${want.name}" is missing`)
  }
  return result
}

/** What a rollback does with the draft this run created, given how it reads now. */
export function draftRollback(
  release: { draft: boolean } | undefined,
): 'delete' | 'keep-published' | 'gone' {
  if (!release) return 'gone'
  // The publish took effect although its answer was lost: never delete a published release.
  return release.draft ? 'delete' : 'keep-published'
}

/** What a rollback does with the tag this run claimed, given where it points now. */
export function tagRollback(input: {
  claimedObjectSha: string
  target: string | undefined
  publishedReleaseUsesTag: boolean
}): 'delete' | 'in-use' | 'not-ours' {
  if (input.target !== input.claimedObjectSha) return 'not-ours'
  return input.publishedReleaseUsesTag ? 'in-use' : 'delete'
}

/** What a rollback does with the release claim ref this run made, given where it points now. */
export function releaseClaimRollback(input: {
  claimedObjectSha: string
  target: string | undefined
}): 'delete' | 'not-ours' {
  return input.target === input.claimedObjectSha ? 'delete' : 'not-ours'
}

/**
 * The sentence a failed release ends with: what was cleaned up, or what was not. A run that
 * adopted a pushed tag removed its release claim and left the tag as it was.
 */
export function cleanupSummary(leftBehind: string[], adoptedTag?: string): string {
  if (leftBehind.length > 0) return `Could not clean up: ${leftBehind.join('; ')}.`
  return adoptedTag === undefined
    ? 'Nothing was left behind: the draft, its assets and the tag were removed.'
    : `Nothing was left behind: the draft, its assets and the release claim were removed; the pushed tag ${adoptedTag} is as it was.`
}
