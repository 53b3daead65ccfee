import type { VerificationReport } from './types.ts'

function line(label: string, value: string | undefined): string[] {
  return value ? [`  ${label.padEnd(22)} ${value}`] : []
}

/** The report as a reviewer reads it in a terminal: one row per check, then the change record. */
export function renderReport(report: VerificationReport): string {
  const out: string[] = []
  out.push(`Release ${report.repository}${report.tag ? `@${report.tag}` : ''}`)
  if (report.manifestDigest) out.push(`Manifest ${report.manifestDigest}`)
  out.push('')
  for (const c of report.checks) {
    out.push(`${c.ok ? '✓' : '✗'} ${c.title}`)
    for (const detail of c.details) out.push(`    ${c.ok ? '' : '- '}${detail}`)
  }
  const record = report.changeRecord
  if (record) {
    out.push('', 'Change record')
    out.push(
      ...line('change', [record.changeId, record.title].filter(Boolean).join(': ') || undefined),
    )
    out.push(...line('reason', record.reason))
    out.push(...line('personal-data impact', record.personalDataImpact))
    out.push(...line('DPIA reference', record.dpiaReference))
    for (const a of record.approvals) {
      out.push(
        ...line(
          'approval',
          `${a.role ?? '?'}: ${a.decision ?? '?'} by ${a.approver ?? '(omitted)'}`,
        ),
      )
    }
    out.push(...line('previous release', record.previousRelease ?? '(none: first in the chain)'))
    out.push(...line('record digest', record.digest))
  }
  const failed = report.checks.filter((c) => !c.ok).length
  out.push(
    '',
    report.verified
      ? 'VERIFIED: these are exactly the assets that workflow released.'
      : `NOT VERIFIED: ${failed} check(s) failed.`,
  )
  return `${out.join('\n')}\n`
}
