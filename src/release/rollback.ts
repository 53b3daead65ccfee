/** Removing what a failed run created, and nothing else. */
import { errorMessage } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import { dropReleaseClaim } from './claim.ts'
import { draftRollback, releaseClaimRef, tagRollback } from './decisions.ts'
import type { ReleaseStore } from './store.ts'

/** What this run wrote so far: the rollback removes exactly these. */
export interface CreatedByRun {
  /** The tag this run claimed; undefined when it adopted a pushed tag (never removed). */
  tagObjectSha: string | undefined
  draftId: number | undefined
  /** The release claim of a pushed tag, when this run holds it. */
  releaseClaimSha?: string
}

/** Deletes the run's draft; says whether a published release (or an unknown one) keeps the tag. */
async function rollBackDraft(
  store: ReleaseStore,
  draftId: number,
  leftBehind: string[],
  reporter: Reporter,
): Promise<{ tagInUse: boolean }> {
  try {
    const release = await store.getRelease(draftId)
    const action = draftRollback(release)
    if (release && action === 'keep-published') {
      leftBehind.push(`release ${release.htmlUrl} was published and is left as it is`)
      return { tagInUse: true }
    }
    if (release && action === 'delete') {
      await store.removeDraft(release.id)
      reporter.info(`Deleted draft release ${release.htmlUrl}`)
    }
    return { tagInUse: false }
  } catch (error) {
    leftBehind.push(`draft release ${draftId} (${errorMessage(error)})`)
    return { tagInUse: true }
  }
}

async function rollBackTag(
  store: ReleaseStore,
  tag: string,
  claimedObjectSha: string,
  leftBehind: string[],
  reporter: Reporter,
): Promise<void> {
  try {
    const target = await store.tagTarget(tag)
    const publishedReleaseUsesTag = (await store.releasesWithTag(tag)).some((r) => !r.draft)
    const action = tagRollback({ claimedObjectSha, target, publishedReleaseUsesTag })
    if (action === 'delete') {
      await store.removeTag(tag)
      reporter.info(`Deleted tag ${tag}`)
    } else if (action === 'in-use') {
      leftBehind.push(`tag ${tag} (a published release uses it)`)
    }
  } catch (error) {
    leftBehind.push(`tag ${tag} (${errorMessage(error)})`)
  }
}

/** Removes what this run created; returns what it could not remove (nothing is guessed). */
export async function rollBack(
  store: ReleaseStore,
  tag: string,
  created: CreatedByRun,
  reporter: Reporter,
): Promise<string[]> {
  const leftBehind: string[] = []
  const { tagInUse } =
    created.draftId === undefined
      ? { tagInUse: false }
      : await rollBackDraft(store, created.draftId, leftBehind, reporter)
  if (created.tagObjectSha !== undefined && !tagInUse) {
    await rollBackTag(store, tag, created.tagObjectSha, leftBehind, reporter)
  } else if (created.tagObjectSha !== undefined) {
    leftBehind.push(`tag ${tag}`)
  }
  // The pushed tag stays exactly as it was; only this run's claim on its release goes.
  if (created.releaseClaimSha !== undefined) {
    if (await dropReleaseClaim(store, tag, created.releaseClaimSha)) {
      reporter.info(`Removed the release claim ${releaseClaimRef(tag)}`)
    } else {
      const ours = created.releaseClaimSha
      const now = await store.releaseClaimTarget(tag).catch(() => ours)
      if (now === ours) leftBehind.push(`the release claim ${releaseClaimRef(tag)}`)
    }
  }
  return leftBehind
}
