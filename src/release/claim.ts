/** The reads before any write, and the atomic claim that decides between concurrent runs. */
import { COMMIT_SHA } from '../util/digest.ts'
import { InputError } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import {
  decideStart,
  releaseClaimRef,
  releaseClaimRollback,
  releaseInTheWay,
  tagClaimMessage,
  type ExistingRelease,
  type PushedTagRun,
  type RunIdentity,
  type StartDecision,
} from './decisions.ts'
import { ReleaseConflictError } from './errors.ts'
import type { ReleaseRequest } from './request.ts'
import type { ObservedTag, ReleaseStore } from './store.ts'
import { validateTagName } from './tag-name.ts'

function notACommit(store: ReleaseStore, commitish: string): InputError {
  return new InputError(
    'target-commitish',
    `"${commitish}" is not a branch, tag or commit of ${store.owner}/${store.repo}.`,
  )
}

/** Resolves a branch, tag or SHA to the commit SHA it names, or throws naming the input. */
export async function resolveCommit(store: ReleaseStore, commitish: string): Promise<string> {
  const sha = await store.resolveCommit(commitish)
  if (!sha) throw notACommit(store, commitish)
  return sha
}

/**
 * Refuses an existing tag or release, writing nothing, and returns what it read so that
 * `publishRelease` need not read it again. Given the run and its commit, an earlier attempt
 * of the same run may have left a claim or a draft to resume; without them (a dry run) any
 * existing tag or release is refused, except a pushed tag (`pushed`) the run would adopt.
 * Reading early is safe: the atomic claim, not this check, decides between concurrent runs.
 */
export async function checkTagAvailable(
  store: ReleaseStore,
  tag: string,
  resume?: { run: RunIdentity; commitSha: string },
  pushed?: PushedTagRun & { commitSha: string },
): Promise<ObservedTag> {
  validateTagName(tag)
  let observed: ObservedTag
  try {
    observed = await store.readTag(tag, { releaseClaim: pushed !== undefined })
  } catch (error) {
    throw store.describeFailure(`reading tag "${tag}" and its releases`, error)
  }
  const decision = decideStart({
    tag,
    commitSha: resume?.commitSha ?? pushed?.commitSha ?? '',
    run: resume?.run ?? { id: '', attempt: 0 },
    ...observed,
    ...(pushed ? { pushed: { runSha: pushed.runSha } } : {}),
  })
  if (decision.action === 'refuse') throw new InputError(decision.input ?? 'tag', decision.reason)
  return observed
}

/**
 * Refuses a `tag` input that names another tag than the one whose push started the run while
 * that one exists: which of the two to release is not for the action to guess.
 */
export async function refuseOtherTagThanPushed(
  store: ReleaseStore,
  inputTag: string,
  pushedTag: string,
): Promise<void> {
  if (inputTag === pushedTag) return
  let target: string | undefined
  try {
    target = await store.tagTarget(pushedTag)
  } catch (error) {
    throw store.describeFailure(`reading tag "${pushedTag}"`, error)
  }
  if (target === undefined) return
  throw new InputError(
    'tag',
    `is "${inputTag}", but this run was started by pushing tag "${pushedTag}". Leave the tag input unset (or set it to "${pushedTag}") to release the pushed tag, or run the release from a workflow that no tag push starts.`,
  )
}

/** The commit the release is for and whether this run may claim, resume, adopt or must stop. */
export async function readStart(
  store: ReleaseStore,
  request: ReleaseRequest,
): Promise<{ commitSha: string; decision: StartDecision }> {
  const { tag, run, pushed } = request
  try {
    const [sha, observed] = await Promise.all([
      // A full commit SHA (the run's own, by default) needs no lookup; creating the ref at it
      // fails by itself if the commit does not exist.
      COMMIT_SHA.test(request.targetCommitish)
        ? request.targetCommitish.toLowerCase()
        : store.resolveCommit(request.targetCommitish),
      request.observed ?? store.readTag(tag, { releaseClaim: pushed !== undefined }),
    ])
    if (!sha) throw notACommit(store, request.targetCommitish)
    const decision = decideStart({ tag, commitSha: sha, run, ...observed, pushed })
    return { commitSha: sha, decision }
  } catch (error) {
    throw store.describeFailure(`reading tag "${tag}" and its releases`, error)
  }
}

export interface Claim {
  /** The object the tag ref points at: this run's tag object, or the commit when lightweight. */
  tagObjectSha: string
  /** The draft an earlier attempt of this run left, to finish instead of creating one. */
  resumedDraft: ExistingRelease | undefined
}

/** Claims the tag, or takes over the claim an earlier attempt of this run made. */
export async function claimTag(
  store: ReleaseStore,
  request: ReleaseRequest,
  start: { commitSha: string; decision: StartDecision & { action: 'claim' | 'resume' } },
  reporter: Reporter,
): Promise<Claim> {
  const { tag, run } = request
  const { commitSha, decision } = start
  const resumedDraft = decision.action === 'resume' ? decision.draft : undefined
  if (decision.action === 'resume') {
    reporter.info(
      `Resuming the release of ${tag} left by an earlier attempt of run ${run.id}` +
        (resumedDraft ? ` (draft ${resumedDraft.htmlUrl})` : ' (tag claimed, no draft yet)'),
    )
    if (decision.claimedObjectSha !== undefined) {
      return { tagObjectSha: decision.claimedObjectSha, resumedDraft }
    }
  }
  const claim = await store.claimTag(tag, commitSha, tagClaimMessage(tag, run))
  // A server without the git tags API (some GitHub-compatible hosts) is claimed with a
  // lightweight tag at the commit. A later attempt then recognises its claim only by its
  // draft, so a crash between the claim and the draft leaves a tag it must refuse.
  if (claim.lightweight) {
    reporter.info(
      `This server cannot create annotated tags (${claim.lightweight.reason}); claiming ${tag} with a lightweight tag.`,
    )
  }
  if (claim.outcome === 'refused') {
    throw new InputError(
      'target-commitish',
      `${claim.detail}. Check that the commit exists in ${store.owner}/${store.repo}.`,
    )
  }
  if (claim.outcome === 'taken') {
    throw new ReleaseConflictError(
      tag,
      `Tag "${tag}" was created by another run while this one was preparing (GitHub: ${claim.detail}). ` +
        'This action never moves or replaces a tag; nothing was written by this run.',
    )
  }
  reporter.info(`Claimed tag ${tag} at ${commitSha}`)
  return { tagObjectSha: claim.objectSha, resumedDraft }
}

export interface ReleaseClaim {
  /** The tag object the release claim ref points at (the commit, when lightweight). */
  releaseClaimSha: string
  /** The draft an earlier attempt of this run left, to finish instead of creating one. */
  resumedDraft: ExistingRelease | undefined
}

/** Removes the release claim if it is still this run's; a failure leaves it (it is harmless). */
export async function dropReleaseClaim(
  store: ReleaseStore,
  tag: string,
  releaseClaimSha: string,
): Promise<boolean> {
  try {
    const target = await store.releaseClaimTarget(tag)
    if (releaseClaimRollback({ claimedObjectSha: releaseClaimSha, target }) !== 'delete') {
      return false
    }
    await store.removeReleaseClaim(tag)
    return true
  } catch {
    return false
  }
}

/**
 * Claims the release of a pushed tag, or takes over the claim an earlier attempt of this run
 * made. The tag is never written. After the claim, the releases are read again: a run whose
 * winner already published (and removed its claim) must not release the tag a second time.
 */
export async function claimPushedTagRelease(
  store: ReleaseStore,
  request: ReleaseRequest,
  start: { commitSha: string; decision: StartDecision & { action: 'adopt' } },
  reporter: Reporter,
): Promise<ReleaseClaim> {
  const { tag, run } = request
  const { commitSha, decision } = start
  const pushedAt = `${tag} (${decision.pushedTag.objectType === 'tag' ? 'annotated tag object' : 'lightweight tag at'} ${decision.pushedTag.objectSha})`
  if (decision.claimedObjectSha !== undefined) {
    reporter.info(
      `Resuming the release of the pushed tag ${pushedAt} left by an earlier attempt of run ${run.id}` +
        (decision.draft
          ? ` (draft ${decision.draft.htmlUrl})`
          : ' (release claimed, no draft yet)'),
    )
    return { resumedDraft: decision.draft, releaseClaimSha: decision.claimedObjectSha }
  }
  const claim = await store.claimRelease(tag, commitSha, tagClaimMessage(tag, run))
  if (claim.outcome === 'refused') {
    throw new InputError(
      'tag',
      `${claim.detail}. The release of the pushed tag could not be claimed in ${store.owner}/${store.repo}.`,
    )
  }
  if (claim.outcome === 'taken') {
    throw new ReleaseConflictError(
      tag,
      `Another run is releasing the pushed tag "${tag}": it claimed the release while this one was preparing (GitHub: ${claim.detail}). ` +
        'Only one run may release a tag; nothing was written by this run.',
    )
  }
  if (claim.lightweight) {
    reporter.info(
      `This server cannot create annotated tags (${claim.lightweight.reason}); the release claim ${releaseClaimRef(tag)} points at the commit.`,
    )
  }
  await refuseReleasedMeanwhile(store, request, claim.objectSha)
  reporter.info(
    `Releasing the pushed tag ${pushedAt}; claimed the release with ${releaseClaimRef(tag)}`,
  )
  return { resumedDraft: decision.draft, releaseClaimSha: claim.objectSha }
}

/** After winning the release claim: another run's release or draft means it won before. */
async function refuseReleasedMeanwhile(
  store: ReleaseStore,
  request: ReleaseRequest,
  releaseClaimSha: string,
): Promise<void> {
  const { tag, run } = request
  let releases: ExistingRelease[]
  try {
    releases = await store.releasesWithTag(tag)
  } catch (error) {
    await dropReleaseClaim(store, tag, releaseClaimSha)
    throw store.describeFailure(`reading the releases of tag "${tag}"`, error)
  }
  const inTheWay = releaseInTheWay(tag, run, releases)
  if (inTheWay === undefined) return
  await dropReleaseClaim(store, tag, releaseClaimSha)
  throw new ReleaseConflictError(
    tag,
    `Another run released tag "${tag}" while this one was preparing: ${inTheWay}`,
  )
}
