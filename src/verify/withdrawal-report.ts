// The withdrawal part of the report, in words. Only a verified withdrawal's text is shown (it
// was signed by the repository's workflow), and then without control characters.
import { plainText } from '../util/log-text.ts'
import type { VerificationReport, WithdrawalReport, WithdrawalSummary } from './types.ts'

function row(label: string, value: string | undefined): string[] {
  return value ? [`  ${label.padEnd(22)} ${value}`] : []
}

/** The summary with every signed-but-free text field made plain. */
export function plainWithdrawal(report: WithdrawalReport): WithdrawalReport {
  const w = report.withdrawal
  if (!w) return report
  const plain: WithdrawalSummary = {
    ...w,
    reason: plainText(w.reason),
    summary: plainText(w.summary),
    withdrawnAt: plainText(w.withdrawnAt),
    ...(w.incidentReference ? { incidentReference: plainText(w.incidentReference) } : {}),
    ...(w.replacement
      ? { replacement: { ...w.replacement, tag: plainText(w.replacement.tag) } }
      : {}),
  }
  return { ...report, withdrawal: plain }
}

/** The "Withdrawal" section of the text report. */
export function withdrawalLines(report: WithdrawalReport): string[] {
  const out = ['', 'Withdrawal']
  const w = report.withdrawal
  if (report.status === 'withdrawn' && w) {
    out.push(`  WITHDRAWN on ${w.withdrawnAt}`)
    out.push(...row('reason', w.reason))
    out.push(...row('summary', w.summary))
    out.push(...row('incident reference', w.incidentReference))
    out.push(
      ...row(
        'replacement',
        w.replacement
          ? `${w.replacement.tag}${w.replacement.manifestDigest ? ` (${w.replacement.manifestDigest})` : ''}`
          : '(none named)',
      ),
    )
    out.push(...row('withdrawal digest', w.digest))
    out.push(...row('found in', w.source))
    out.push(...row('signed by', w.signer))
  } else if (report.status === 'not-checked') {
    out.push(`  not checked: ${report.note ?? ''}`)
  } else {
    out.push(`  not withdrawn: no verified withdrawal in ${report.looked.join(', ')}`)
  }
  for (const bad of report.invalid) {
    out.push(`  - ignored: a withdrawal in ${bad.source} does not verify: ${bad.problem}`)
  }
  for (const place of report.unreachable) out.push(`  - not reachable: ${place}`)
  return out
}

/** The last line of the report. */
export function verdictLine(report: VerificationReport, failedChecks: number): string {
  const w = report.withdrawal
  const withdrawn = w?.status === 'withdrawn' ? w.withdrawal : undefined
  if (failedChecks > 0) return `NOT VERIFIED: ${failedChecks} check(s) failed.`
  if (withdrawn && !w?.allowed) {
    const instead = withdrawn.replacement ? `; use ${withdrawn.replacement.tag} instead` : ''
    return `WITHDRAWN: ${report.tag ?? 'this release'} was withdrawn on ${withdrawn.withdrawnAt} (${withdrawn.reason})${instead}. The assets verify, but it must not be used (--allow-withdrawn accepts it).`
  }
  if (withdrawn) {
    return `VERIFIED, but WITHDRAWN on ${withdrawn.withdrawnAt} (${withdrawn.reason}): accepted with --allow-withdrawn.`
  }
  return 'VERIFIED: these are exactly the assets that workflow released.'
}
