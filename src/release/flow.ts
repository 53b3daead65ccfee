import { InputError, errorMessage } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import { claimTag, readStart } from './claim.ts'
import { cleanupSummary } from './decisions.ts'
import { createDraft, publishDraft, resumeDraft } from './draft.ts'
import { ReleaseFailedError, type ReleaseStep } from './errors.ts'
import { validateRequest, type PublishedRelease, type ReleaseRequest } from './request.ts'
import { rollBack, type CreatedByRun } from './rollback.ts'
import type { ReleaseStore } from './store.ts'
import { uploadAssets, verifyAssets } from './upload.ts'

/**
 * Creates the release for a new tag and never touches an existing one: claim the tag
 * atomically, draft, upload, check every digest, publish. A failure after the claim removes
 * everything this run created.
 */
export async function publishRelease(
  store: ReleaseStore,
  request: ReleaseRequest,
  reporter: Reporter,
): Promise<PublishedRelease> {
  await validateRequest(request)
  const { tag } = request
  const { commitSha, decision } = await readStart(store, request)
  if (decision.action === 'refuse') throw new InputError('tag', decision.reason)
  const claim = await claimTag(store, request, { commitSha, decision }, reporter)
  const created: CreatedByRun = { tagObjectSha: claim.tagObjectSha, draftId: undefined }
  let step: ReleaseStep = 'draft'
  try {
    const draft = claim.resumedDraft
      ? await resumeDraft(store, claim.resumedDraft)
      : await createDraft(store, request, commitSha)
    created.draftId = draft.id
    step = 'upload'
    await uploadAssets(store, draft, request, reporter)
    step = 'check'
    const uploadedAssets = await verifyAssets(store, draft.id, request.assets)
    step = 'publish'
    const published = await publishDraft(store, draft.id, {
      makeLatest: request.makeLatest,
      prerelease: request.prerelease,
    })
    const immutable = published.immutable === true || (await settingSaysImmutable(store, reporter))
    if (!immutable) {
      reporter.warning(
        `Release ${tag} is published but not immutable: the repository setting is off, so only this action's ` +
          'refusal protects the tag. Turn it on in Settings → General → Releases → "Enable release immutability".',
      )
    }
    return { id: published.id, url: published.htmlUrl, tag, commitSha, uploadedAssets, immutable }
  } catch (error) {
    const leftBehind = await rollBack(store, tag, created, reporter)
    const what = store.describeFailure(`the ${step} step`, error)
    throw new ReleaseFailedError(
      step,
      `Release ${tag} failed at the ${step} step: ${what.message}. ${cleanupSummary(leftBehind)}`,
      leftBehind,
      { cause: error },
    )
  }
}

async function settingSaysImmutable(store: ReleaseStore, reporter: Reporter): Promise<boolean> {
  try {
    return (await store.immutableReleasesEnabled()) === true
  } catch (error) {
    reporter.warning(`Could not read the immutable-releases setting: ${errorMessage(error)}`)
    return false
  }
}
