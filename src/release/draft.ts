/** The draft a release is built in, and the publish that makes it visible. */
import type { MakeLatest } from '../util/types.ts'
import { errorMessage } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import {
  afterUncertainCreate,
  extraDraftsOfRun,
  releaseBodyMarker,
  type ExistingRelease,
} from './decisions.ts'
import type { ReleaseRequest } from './request.ts'
import type { DraftRelease, ReleaseStore, ReleaseView } from './store.ts'
import { retry } from '../util/retry.ts'

/** Asking again after a lost answer: at most three tries, at once (nothing was refused). */
const REPEAT_LOST_ANSWER = { attempts: 3, delayMs: 0 }

/**
 * Creating a draft again after a transient failure: four tries in all, as the client's retry
 * plugin would (it is off for this request, since it would repeat a create whose answer was
 * lost without looking first), with linear pauses of 1 s, 2 s, 3 s.
 */
const CREATE_AGAIN = { attempts: 4, delayMs: 1000 }

/** What the draft step saw: set once a create failed in a way that may hide a draft. */
export interface DraftTrace {
  uncertain: boolean
}

/**
 * Creates this run's draft. After a create whose failure may hide a draft (a lost answer),
 * it first looks for the draft by this run's marker and adopts it; only when there is none
 * does it create again. `trace.uncertain` tells the flow to sweep extra drafts at the end.
 */
export async function createDraft(
  store: ReleaseStore,
  request: ReleaseRequest,
  commitSha: string,
  trace: DraftTrace,
): Promise<DraftRelease> {
  const marker = releaseBodyMarker(request.run)
  const body = request.body ? `${request.body}\n\n${marker}` : marker
  let again = false
  return retry(
    async () => {
      again = false
      const result = await store.createDraft({
        tag: request.tag,
        commitSha,
        name: request.name ?? request.tag,
        body,
        prerelease: request.prerelease,
      })
      if (result.outcome === 'created') return result.draft
      if (!result.mayExist) {
        // Refused outright (a rate limit is repeatable): no draft can hide behind it.
        again = result.repeatable
        throw result.error
      }
      trace.uncertain = true
      const next = afterUncertainCreate({
        tag: request.tag,
        run: request.run,
        releases: await store.releasesWithTag(request.tag),
        repeatable: result.repeatable,
      })
      if (next.action === 'adopt') return resumeDraft(store, next.draft)
      again = next.action === 'create-again'
      throw result.error
    },
    { ...CREATE_AGAIN, retryable: () => again },
  )
}

/**
 * Deletes the drafts of this run other than `keepId`, which a lost answer and a repeated
 * create may have left (a listing that lagged behind the create, a retry of the transport).
 * Returns what it could not delete; it never touches a published release or another run's.
 */
export async function removeExtraDrafts(
  store: ReleaseStore,
  request: ReleaseRequest,
  keepId: number | undefined,
  reporter: Reporter,
): Promise<string[]> {
  let extras: ExistingRelease[]
  try {
    extras = extraDraftsOfRun(
      request.tag,
      request.run,
      await store.releasesWithTag(request.tag),
      keepId,
    )
  } catch (error) {
    return [
      `any extra draft of this run for ${request.tag} (listing failed: ${errorMessage(error)})`,
    ]
  }
  const failed: string[] = []
  for (const extra of extras) {
    try {
      await store.removeDraft(extra.id)
      reporter.info(`Deleted extra draft release ${extra.htmlUrl} (a repeated create made it)`)
    } catch (error) {
      failed.push(`draft release ${extra.htmlUrl} (${errorMessage(error)})`)
    }
  }
  return failed
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
