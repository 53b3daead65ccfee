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
  /** Present when the ref points at an annotated tag object that was read. */
  tagObject?: { message: string; targetSha: string }
}

export interface ExistingRelease {
  id: number
  draft: boolean
  htmlUrl: string
  tagName: string
  body: string | null
}

export type StartDecision =
  | { action: 'claim' }
  | {
      action: 'resume'
      /** The tag object an earlier attempt claimed; undefined when the tag must be claimed again. */
      claimedObjectSha: string | undefined
      draft: ExistingRelease | undefined
    }
  | { action: 'refuse'; reason: string }

const NEVER_REPLACES =
  'This action never moves or replaces a tag or a release: choose a new tag (for example the next version).'

/** Whether this run may create the release for `tag`, resume its own, or must stop. */
export function decideStart(input: {
  tag: string
  commitSha: string
  run: RunIdentity
  existingTag: ExistingTag | undefined
  releases: ExistingRelease[]
}): StartDecision {
  const { tag, run, existingTag } = input
  const releases = input.releases.filter((r) => r.tagName === tag)
  const published = releases.find((r) => !r.draft)
  if (published) {
    return {
      action: 'refuse',
      reason: `a published release already uses tag "${tag}": ${published.htmlUrl}. ${NEVER_REPLACES}`,
    }
  }
  const foreignDraft = releases.find((r) => !isResumableBy(parseReleaseMarker(r.body), run))
  if (foreignDraft) {
    return {
      action: 'refuse',
      reason: `a draft release already uses tag "${tag}" (${foreignDraft.htmlUrl}); it was not created by an earlier attempt of this workflow run. ${NEVER_REPLACES} If that draft is abandoned, delete it first.`,
    }
  }
  const ownDraft = releases[0]
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

/** The sentence a failed release ends with: what was cleaned up, or what was not. */
export function cleanupSummary(leftBehind: string[]): string {
  return leftBehind.length === 0
    ? 'Nothing was left behind: the draft, its assets and the tag were removed.'
    : `Could not clean up: ${leftBehind.join('; ')}.`
}
