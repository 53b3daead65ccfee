/** The draft a release is built in, and the publish that makes it visible. */
import type { MakeLatest } from '../util/types.ts'
import { releaseBodyMarker, type ExistingRelease } from './decisions.ts'
import type { ReleaseRequest } from './request.ts'
import type { DraftRelease, ReleaseStore, ReleaseView } from './store.ts'
import { retry } from '../util/retry.ts'

/** Asking again after a lost answer: at most three tries, at once (nothing was refused). */
const REPEAT_LOST_ANSWER = { attempts: 3, delayMs: 0 }

/** Creates this run's draft, adopting one a create with a lost answer made. */
export async function createDraft(
  store: ReleaseStore,
  request: ReleaseRequest,
  commitSha: string,
): Promise<DraftRelease> {
  const marker = releaseBodyMarker(request.run)
  const body = request.body ? `${request.body}\n\n${marker}` : marker
  let repeatable = false
  return retry(
    async () => {
      repeatable = false
      const result = await store.createDraft({
        tag: request.tag,
        commitSha,
        name: request.name ?? request.tag,
        body,
        prerelease: request.prerelease,
      })
      if (result.outcome === 'created') return result.draft
      if (!result.mayExist) throw result.error
      // A lost answer (or a retried create whose first try succeeded and now answers
      // already_exists) may hide a draft we created: adopt it so it is not orphaned.
      const mine = (await store.releasesWithTag(request.tag)).find(
        (r) => r.draft && (r.body ?? '').includes(marker),
      )
      if (mine) return resumeDraft(store, mine)
      // A cut-off answer to a create that did not take effect: create it again.
      repeatable = result.repeatable
      throw result.error
    },
    { ...REPEAT_LOST_ANSWER, retryable: () => repeatable },
  )
}

/** Reads back a draft an earlier attempt (or a lost answer) left, with its assets. */
export async function resumeDraft(
  store: ReleaseStore,
  existing: ExistingRelease,
): Promise<DraftRelease> {
  const release = await store.getRelease(existing.id)
  if (!release || !release.draft)
    throw new Error(`draft ${existing.htmlUrl} is gone or was published meanwhile`)
  return {
    id: release.id,
    htmlUrl: release.htmlUrl,
    uploadUrl: release.uploadUrl,
    assets: await store.listAssets(release.id),
  }
}

/** Publishes the draft; a publish whose answer was lost but which took effect counts. */
export async function publishDraft(
  store: ReleaseStore,
  releaseId: number,
  options: { makeLatest: MakeLatest; prerelease: boolean },
): Promise<ReleaseView> {
  let repeatable = false
  const published = await retry(
    async () => {
      repeatable = false
      const result = await store.publish(releaseId, options)
      if (result.outcome === 'published') return result.release
      const now = await store.getRelease(releaseId).catch(() => undefined)
      if (now && !now.draft) return now
      // A cut-off answer to a publish that did not happen: publishing a draft again is harmless.
      repeatable = result.repeatable && now !== undefined
      throw result.error
    },
    { ...REPEAT_LOST_ANSWER, retryable: () => repeatable },
  )
  if (published.draft) {
    throw new Error('GitHub still reports the release as a draft after publishing it')
  }
  return published
}
