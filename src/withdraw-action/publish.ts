/**
 * Steps 2 to 4: build and guard the record, sign it, and publish it as the release
 * `withdrawn/<tag>` through the same never-overwrite flow as every release.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { publishRelease, releaseAssetFiles } from '../release/index.ts'
import { signStatement, storeAttestation, writeBundle } from '../sign/index.ts'
import type { SerializedBundle } from '../sign/index.ts'
import { errorMessage } from '../util/errors.ts'
import { runUrl } from '../util/run-context.ts'
import {
  WITHDRAWAL_BUNDLE_FILE,
  WITHDRAWAL_FILE,
  buildWithdrawalRecord,
  buildWithdrawalStatement,
  guardWithdrawalRecord,
  markdownText,
  serializeWithdrawalRecord,
  withdrawalTagFor,
} from '../withdrawal/index.ts'
import type { WithdrawalRecord } from '../withdrawal/index.ts'
import type { Checked, Withdrawn } from './types.ts'

/** The record, guarded, written as withdrawal.json. Nothing is signed or written to GitHub yet. */
async function buildRecord(
  step: Checked,
): Promise<{ record: WithdrawalRecord; recordPath: string; recordDigest: string }> {
  const { context, withdrawn, replacement } = step
  const record = buildWithdrawalRecord({
    request: step.request,
    repository: context.repository,
    withdrawn: {
      tag: withdrawn.release.tagName,
      manifestDigest: withdrawn.manifestDigest,
      ...(withdrawn.changeRecordDigest ? { changeRecordDigest: withdrawn.changeRecordDigest } : {}),
    },
    ...(replacement
      ? {
          replacement: {
            tag: replacement.release.tagName,
            manifestDigest: replacement.manifestDigest,
          },
        }
      : {}),
    run: { url: runUrl(context), workflowRef: context.workflowRef, commit: context.sha },
    now: step.now,
    ...(step.pseudonymizer ? { pseudonymizer: step.pseudonymizer } : {}),
  })
  guardWithdrawalRecord(record, step.request)
  const { bytes, sha256 } = serializeWithdrawalRecord(record)
  const recordPath = join(context.tempDir, WITHDRAWAL_FILE)
  await writeFile(recordPath, bytes)
  return { record, recordPath, recordDigest: `sha256:${sha256}` }
}

/** The withdrawal release's own notes: what it withdraws and why (the record has the rest). */
function withdrawalNotes(record: WithdrawalRecord, recordDigest: string): string {
  const lines = [
    `Withdrawal of ${markdownText(record.withdrawn.tag)} (${record.reason}), signed and permanent.`,
    '',
    markdownText(record.summary),
    '',
    `- Withdrawn: ${markdownText(record.withdrawn.tag)}, release-manifest.json sha256:${record.withdrawn.manifestDigest.sha256}`,
  ]
  if (record.replacement) lines.push(`- Replacement: ${markdownText(record.replacement.tag)}`)
  if (record.breach) {
    lines.push(`- GDPR Art. 33 notification deadline: ${record.breach.notificationDeadline}`)
  }
  lines.push(`- ${WITHDRAWAL_FILE}: ${recordDigest}`)
  return lines.join('\n')
}

async function storeWithdrawalAttestation(step: Checked, bundle: SerializedBundle): Promise<void> {
  try {
    await storeAttestation(
      step.client,
      { owner: step.owner, repo: step.repo, bundle },
      step.reporter,
    )
  } catch (error) {
    step.reporter.warning(
      `The withdrawal is published, but storing it in the attestations API failed: ${errorMessage(error)}. The bundle is the asset ${WITHDRAWAL_BUNDLE_FILE} of the withdrawal release.`,
    )
  }
}

/** Build → guard → sign → publish `withdrawn/<tag>` (prerelease, never latest) → attestation. */
export async function publishWithdrawal(step: Checked): Promise<Withdrawn> {
  const { context, reporter } = step
  const { record, recordPath, recordDigest } = await buildRecord(step)
  const identityToken = await step.identity.getToken()
  const bundle = await signStatement(buildWithdrawalStatement(record, step.withdrawn.artifacts), {
    endpoints: step.endpoints,
    getIdentityToken: async () => identityToken,
    reporter,
  })
  const bundlePath = join(context.tempDir, WITHDRAWAL_BUNDLE_FILE)
  await writeBundle(bundle, bundlePath)
  const tag = withdrawalTagFor(record.withdrawn.tag)
  const published = await publishRelease(
    step.store,
    {
      tag,
      targetCommitish: context.sha,
      name: `Withdrawal of ${record.withdrawn.tag}`,
      body: withdrawalNotes(record, recordDigest),
      prerelease: true,
      makeLatest: 'false',
      assets: await releaseAssetFiles(
        [],
        [
          { name: WITHDRAWAL_FILE, path: recordPath, format: 'json' },
          { name: WITHDRAWAL_BUNDLE_FILE, path: bundlePath, format: 'json' },
        ],
      ),
      run: step.run,
    },
    reporter,
  )
  reporter.info(`Published the withdrawal ${tag}: ${published.url}`)
  await storeWithdrawalAttestation(step, bundle)
  return {
    ...step,
    target: step.withdrawn.release,
    replacementRelease: step.replacement?.release,
    record,
    recordDigest,
    recordPath,
    bundlePath,
    bundle,
    withdrawalUrl: published.url,
    resumed: false,
  }
}
