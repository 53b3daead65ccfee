/**
 * Steps 5 and 6, after the withdrawal is published: mark the withdrawn release (title and
 * notes, which stay editable on an immutable release) and move "latest" off it. Both are
 * idempotent, so a re-run of the same workflow run completes them.
 */
import { errorMessage } from '../util/errors.ts'
import {
  decideLatest,
  isMarked,
  markedNotes,
  withdrawalBanner,
  withdrawnTitle,
} from '../withdrawal/index.ts'
import type { LatestDecision } from '../withdrawal/index.ts'
import type { Finished, Withdrawn } from './types.ts'

/** A step after the publication failed: the withdrawal stands, the rest is for a re-run. */
export class WithdrawalIncompleteError extends Error {
  constructor(step: Withdrawn, remaining: string, error: unknown) {
    super(
      `The withdrawal of ${step.record.withdrawn.tag} is published (${step.withdrawalUrl}), but ${remaining} failed: ${errorMessage(error)}. ` +
        'Re-run this workflow run (Re-run failed jobs): it resumes and finishes what remains.',
      { cause: error },
    )
    this.name = 'WithdrawalIncompleteError'
  }
}

async function markWithdrawnRelease(step: Withdrawn): Promise<void> {
  const { target, record } = step
  if (isMarked(target)) {
    step.reporter.info(`${target.tagName} is already marked as withdrawn.`)
    return
  }
  const banner = withdrawalBanner(record, {
    withdrawalUrl: step.withdrawalUrl,
    withdrawalDigest: step.recordDigest,
    ...(step.replacementRelease ? { replacementUrl: step.replacementRelease.htmlUrl } : {}),
  })
  await step.store.editRelease(target.id, {
    name: withdrawnTitle(target.name, target.tagName),
    body: markedNotes(target.body, banner),
  })
  step.reporter.info(`Marked ${target.tagName} as withdrawn: ${target.htmlUrl}`)
}

/** Applies the latest decision; returns the tag that is latest afterwards. */
async function restoreLatest(
  step: Withdrawn,
): Promise<{ latest: LatestDecision; latestTag: string | undefined }> {
  const { store, target } = step
  const latestTag = await store.latestReleaseTag()
  if (!step.inputs.restoreLatest) {
    return { latest: { action: 'keep', latest: latestTag }, latestTag }
  }
  const latest = decideLatest({
    withdrawnTag: target.tagName,
    latestTag,
    replacementTag: step.record.replacement?.tag,
    releases: step.releases,
  })
  if (latest.action === 'keep') return { latest, latestTag }
  if (latest.action === 'unset') {
    await store.editRelease(target.id, { makeLatest: 'false' })
    step.reporter.warning(
      `${target.tagName} was the latest release and no other published release of this action is left to take its place: no release is marked latest now.`,
    )
    return { latest, latestTag: undefined }
  }
  const next = step.releases.find((r) => r.tagName === latest.tag && !r.draft)
  if (!next) throw new Error(`the release ${latest.tag} is gone`)
  await store.editRelease(next.id, { makeLatest: 'true' })
  step.reporter.info(`Latest is now ${latest.tag} (was ${target.tagName}).`)
  return { latest, latestTag: latest.tag }
}

export async function finish(step: Withdrawn): Promise<Finished> {
  try {
    await markWithdrawnRelease(step)
  } catch (error) {
    throw new WithdrawalIncompleteError(
      step,
      `marking ${step.target.tagName} as withdrawn (and moving "latest")`,
      error,
    )
  }
  try {
    return { ...step, ...(await restoreLatest(step)) }
  } catch (error) {
    throw new WithdrawalIncompleteError(step, `moving "latest" off ${step.target.tagName}`, error)
  }
}
