import { InputError, errorMessage } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import { claimPushedTagRelease, claimTag, dropReleaseClaim, readStart } from './claim.ts'
import { cleanupSummary, releaseClaimRef, type ExistingRelease } from './decisions.ts'
import type { StartDecision } from './decisions.ts'
import {
  createDraft,
  publishDraft,
  removeExtraDrafts,
  resumeDraft,
  type DraftTrace,
} from './draft.ts'
import { ReleaseFailedError, type ReleaseStep } from './errors.ts'
import { validateRequest, type PublishedRelease, type ReleaseRequest } from './request.ts'
import { rollBack, type CreatedByRun } from './rollback.ts'
import type { ReleaseStore } from './store.ts'
import { uploadAssets, verifyAssets } from './upload.ts'

/**
 * The atomic step: claim the tag, or (for a pushed tag) claim its release and leave the tag
 * alone. Returns what the rollback may remove and the draft an earlier attempt left.
 */
async function claimStep(
  store: ReleaseStore,
  request: ReleaseRequest,
  start: { commitSha: string; decision: StartDecision & { action: 'claim' | 'resume' | 'adopt' } },
  reporter: Reporter,
): Promise<{ created: CreatedByRun; resumedDraft: ExistingRelease | undefined }> {
  const { commitSha, decision } = start
  if (decision.action === 'adopt') {
    const claim = await claimPushedTagRelease(store, request, { commitSha, decision }, reporter)
    const created = {
      tagObjectSha: undefined,
      draftId: undefined,
      releaseClaimSha: claim.releaseClaimSha,
    }
    return { created, resumedDraft: claim.resumedDraft }
  }
  const claim = await claimTag(store, request, { commitSha, decision }, reporter)
  return {
    created: { tagObjectSha: claim.tagObjectSha, draftId: undefined },
    resumedDraft: claim.resumedDraft,
  }
}

/**
 * Creates the release for a new tag (or a tag this very run was started by pushing) and never
 * touches an existing release: claim atomically, draft, upload, check every digest, publish.
 * A failure after the claim removes everything this run created.
 */
export async function publishRelease(
  store: ReleaseStore,
  request: ReleaseRequest,
  reporter: Reporter,
): Promise<PublishedRelease> {
  await validateRequest(request)
  const { tag } = request
  const { commitSha, decision } = await readStart(store, request)
  if (decision.action === 'refuse') throw new InputError(decision.input ?? 'tag', decision.reason)
  const { created, resumedDraft } = await claimStep(
    store,
    request,
    { commitSha, decision },
    reporter,
  )
  let step: ReleaseStep = 'draft'
  const drafting: DraftTrace = { uncertain: false }
  try {
    const draft = resumedDraft
      ? await resumeDraft(store, resumedDraft)
      : await createDraft(store, request, commitSha, drafting)
    created.draftId = draft.id
    step = 'upload'
    await uploadAssets(store, draft, request, reporter)
    step = 'check'
    const uploadedAssets = await verifyAssets(store, draft.id, request.assets)
    if (drafting.uncertain) await refuseExtraDrafts(store, request, draft.id, reporter)
    step = 'publish'
    const published = await publishDraft(store, draft.id, {
      makeLatest: request.makeLatest,
      prerelease: request.prerelease,
    })
    await releaseTheClaim(store, tag, created, reporter)
    const immutable = published.immutable === true || (await settingSaysImmutable(store, reporter))
    if (!immutable) {
      reporter.warning(
        `Release ${tag} is published but not immutable: the repository setting is off, so only this action's ` +
          'refusal protects the tag. Turn it on in Settings → General → Releases → "Enable release immutability".',
      )
    }
    return { id: published.id, url: published.htmlUrl, tag, commitSha, uploadedAssets, immutable }
  } catch (error) {
    // A create whose answer was lost may have left drafts besides the one rolled back.
    const extrasLeft = drafting.uncertain
      ? await removeExtraDrafts(store, request, created.draftId, reporter)
      : []
    const leftBehind = [...extrasLeft, ...(await rollBack(store, tag, created, reporter))]
    const what = store.describeFailure(`the ${step} step`, error)
    const adopted = created.releaseClaimSha !== undefined ? tag : undefined
    throw new ReleaseFailedError(
      step,
      `Release ${tag} failed at the ${step} step: ${what.message}. ${cleanupSummary(leftBehind, adopted)}`,
      leftBehind,
      { cause: error },
    )
  }
}

/**
 * Before publishing after a lost answer to a create: no other draft of this run may stay
 * beside the release (GitHub lets drafts share a tag). One that cannot be removed fails the
 * run, whose rollback tries again and names what is left.
 */
async function refuseExtraDrafts(
  store: ReleaseStore,
  request: ReleaseRequest,
  keepId: number,
  reporter: Reporter,
): Promise<void> {
  const left = await removeExtraDrafts(store, request, keepId, reporter)
  if (left.length > 0) throw new Error(`could not remove extra drafts: ${left.join('; ')}`)
}

/**
 * Once published, the release itself keeps the tag from a second release; the claim ref has
 * done its work. One left behind (a failed delete) blocks nothing a published release does not.
 */
async function releaseTheClaim(
  store: ReleaseStore,
  tag: string,
  created: CreatedByRun,
  reporter: Reporter,
): Promise<void> {
  if (created.releaseClaimSha === undefined) return
  if (await dropReleaseClaim(store, tag, created.releaseClaimSha)) return
  reporter.warning(
    `Release ${tag} is published, but its claim ref ${releaseClaimRef(tag)} could not be removed; delete it by hand (it no longer guards anything).`,
  )
}

async function settingSaysImmutable(store: ReleaseStore, reporter: Reporter): Promise<boolean> {
  try {
    return (await store.immutableReleasesEnabled()) === true
  } catch (error) {
    reporter.warning(`Could not read the immutable-releases setting: ${errorMessage(error)}`)
    return false
  }
}
