import { stat } from 'node:fs/promises'
import { InputError } from '../util/errors.ts'
import { assetsCheck } from './checks/assets.ts'
import { summariseChangeRecord } from './checks/change-record-summary.ts'
import { VERIFY_CHECKS } from './checks/index.ts'
import { verdict } from './checks/verdict.ts'
import { buildVerifyContext, readManifestFile } from './context.ts'
import type { VerificationReport, VerifyReleaseOptions } from './types.ts'
import { folderWithdrawalSource, withdrawalStatus } from './withdrawals.ts'

/**
 * Verifies a folder of downloaded release assets, offline, and reports every check. It never
 * stops at the first failure: a reviewer sees all that is wrong.
 */
export async function verifyReleaseDirectory(
  options: VerifyReleaseOptions,
): Promise<VerificationReport> {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(options.repo)) {
    throw new InputError('--repo', `expected OWNER/REPO, got '${options.repo}'.`)
  }
  const dirStat = await stat(options.dir).catch(() => undefined)
  if (!dirStat?.isDirectory()) throw new InputError('dir', `'${options.dir}' is not a folder.`)

  // Keys in this order: the JSON output lists them so.
  const report: VerificationReport = {
    verified: false,
    repository: options.repo,
    tag: options.tag,
    checks: [],
  }
  const found = await readManifestFile(options.dir)
  if ('problem' in found) {
    // Without a manifest there is nothing to check the rest against.
    report.checks.push(verdict(assetsCheck, [found.problem], []))
    return report
  }
  report.manifestDigest = `sha256:${found.sha256}`
  report.tag = options.tag ?? found.manifest.source.tag

  const ctx = await buildVerifyContext(options, found)
  for (const check of VERIFY_CHECKS) report.checks.push(await check.run(ctx))
  // Anyone can write an unsigned record: its text is reported only when its check passed.
  const recordTrusted = report.checks.some((c) => c.id === 'change-record' && c.ok)
  if (recordTrusted) report.changeRecord = summariseChangeRecord(ctx)
  const allowWithdrawn = options.allowWithdrawn ?? false
  report.withdrawal = await withdrawalStatus(
    options.withdrawals ?? folderWithdrawalSource(options.dir, false),
    {
      repository: options.repo,
      tag: report.tag ?? '',
      manifestDigest: report.manifestDigest,
      trustedRoot: options.trustedRoot,
      signerWorkflow: options.withdrawalSignerWorkflow,
      serverUrl: options.serverUrl,
      allowWithdrawn,
    },
  )
  const withdrawn = report.withdrawal.status === 'withdrawn' && !allowWithdrawn
  report.verified = report.checks.every((c) => c.ok) && !withdrawn
  return report
}
