/** Removing what a failed run created, and nothing else. */
import { errorMessage } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import { draftRollback, tagRollback } from './decisions.ts'
import type { ReleaseStore } from './store.ts'

/** What this run wrote so far: the rollback removes exactly these. */
export interface CreatedByRun {
  tagObjectSha: string | undefined
  draftId: number | undefined
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
  return leftBehind
}
