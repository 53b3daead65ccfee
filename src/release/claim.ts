/** The reads before any write, and the atomic claim that decides between concurrent runs. */
import { COMMIT_SHA } from '../util/digest.ts'
import { InputError } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import {
  decideStart,
  tagClaimMessage,
  type ExistingRelease,
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
 * existing tag or release is refused. Reading early is safe: the atomic claim, not this
 * check, decides between concurrent runs.
 */
export async function checkTagAvailable(
  store: ReleaseStore,
  tag: string,
  resume?: { run: RunIdentity; commitSha: string },
): Promise<ObservedTag> {
  validateTagName(tag)
  let observed: ObservedTag
  try {
    observed = await store.readTag(tag)
  } catch (error) {
    throw store.describeFailure(`reading tag "${tag}" and its releases`, error)
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

/** The commit the release is for and whether this run may claim, resume or must stop. */
export async function readStart(
  store: ReleaseStore,
  request: ReleaseRequest,
): Promise<{ commitSha: string; decision: StartDecision }> {
  const { tag, run } = request
  try {
    const [sha, observed] = await Promise.all([
      // A full commit SHA (the run's own, by default) needs no lookup; creating the ref at it
      // fails by itself if the commit does not exist.
      COMMIT_SHA.test(request.targetCommitish)
        ? request.targetCommitish.toLowerCase()
        : store.resolveCommit(request.targetCommitish),
      request.observed ?? store.readTag(tag),
    ])
    if (!sha) throw notACommit(store, request.targetCommitish)
    return { commitSha: sha, decision: decideStart({ tag, commitSha: sha, run, ...observed }) }
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
