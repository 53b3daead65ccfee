/** Bringing the draft's assets to exactly the expected set, and checking what GitHub stored. */
import { mapLimit } from '../util/concurrency.ts'
import { errorMessage } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import {
  checkAssets,
  planAssets,
  storedAssetProblem,
  uploadDigestProblem,
  type ReportedAsset,
} from './decisions.ts'
import type { ReleaseAssetFile, ReleaseRequest } from './request.ts'
import type { DraftRelease, ReleaseStore, UploadOutcome } from './store.ts'
import { retry } from '../util/retry.ts'

type UploadPolicy = { attempts: number; delayMs: number }

/** Removes what does not belong on the draft, then uploads what is missing, in parallel. */
export async function uploadAssets(
  store: ReleaseStore,
  draft: DraftRelease,
  request: ReleaseRequest,
  reporter: Reporter,
): Promise<void> {
  const plan = planAssets(request.assets, draft.assets)
  for (const { asset, reason } of plan.remove) {
    reporter.info(`Removing asset ${asset.name} from the draft: ${reason}`)
    await store.deleteAsset(asset.id)
  }
  const policy = request.uploadRetry ?? { attempts: 3, delayMs: 1000 }
  // The first failure stops new uploads, but those in flight are waited for before it is
  // thrown, so that the rollback never races an upload still writing to the draft.
  let failure: { error: unknown } | undefined
  await mapLimit(plan.upload, request.uploadConcurrency ?? 4, async (asset) => {
    if (failure) return
    try {
      await uploadWithRetries(store, draft, asset, policy, reporter)
    } catch (error) {
      failure ??= { error }
    }
  })
  if (failure) throw failure.error
}

/** A failed upload as the retry decides on it; undefined when the asset is stored right. */
function uploadFailure(
  result: UploadOutcome,
  asset: ReleaseAssetFile,
): { error: unknown; retryable: boolean; duplicate: boolean } | undefined {
  if (result.outcome === 'duplicate')
    return { error: result.error, retryable: true, duplicate: true }
  if (result.outcome === 'failed') {
    return { error: result.error, retryable: result.retryable, duplicate: false }
  }
  const problem = uploadDigestProblem(result.asset, asset)
  return problem ? { error: new Error(problem), retryable: true, duplicate: false } : undefined
}

async function uploadWithRetries(
  store: ReleaseStore,
  draft: DraftRelease,
  asset: ReleaseAssetFile,
  policy: UploadPolicy,
  reporter: Reporter,
): Promise<void> {
  let retryable = false
  await retry(
    async (attempt) => {
      retryable = false
      const failure = uploadFailure(await store.upload(draft, asset), asset)
      if (!failure) return
      // An interrupted (or unconfirmed) upload may have left an asset with this name behind.
      const leftover = (await store.listAssets(draft.id)).filter((a) => a.name === asset.name)
      if (failure.duplicate && leftover.some((a) => storedAssetProblem(a, asset) === undefined)) {
        return
      }
      if (!failure.retryable || attempt >= policy.attempts) {
        throw new Error(
          `uploading "${asset.name}" failed after ${attempt} attempt(s): ${errorMessage(failure.error)}`,
          { cause: failure.error },
        )
      }
      for (const partial of leftover) await store.deleteAsset(partial.id)
      reporter.info(
        `Upload of ${asset.name} failed (${errorMessage(failure.error)}); retrying (attempt ${attempt + 1})`,
      )
      retryable = true
      throw failure.error
    },
    { ...policy, retryable: () => retryable },
  )
}

/** Checks every asset's size and digest; returns the assets with their verified digests. */
export async function verifyAssets(
  store: ReleaseStore,
  releaseId: number,
  expected: ReleaseAssetFile[],
): Promise<{ id: number; name: string; digest: string }[]> {
  const actual = await store.listAssets(releaseId)
  const check = checkAssets(expected, actual)
  const digests = new Map<number, string>()
  for (const a of actual) if (a.digest) digests.set(a.id, a.digest)
  // GitHub Enterprise Server versions without digests: download and hash the stored bytes.
  for (const { asset, expected: want } of check.toHash) {
    const { sha256, size } = await store.hashAsset(asset.id)
    if (sha256 !== want.sha256 || size !== want.size) {
      check.problems.push(
        `asset "${asset.name}" as downloaded has sha256 ${sha256} (${size} bytes), expected ${want.sha256}`,
      )
    } else {
      digests.set(asset.id, `sha256:${sha256}`)
    }
  }
  if (check.problems.length > 0)
    throw new Error(`the uploaded assets do not match: ${check.problems.join('; ')}`)
  return actual.map((a: ReportedAsset) => ({
    id: a.id,
    name: a.name,
    digest: digests.get(a.id) as string,
  }))
}
