// The audit report for a person (text, one line a release) and for a program (`--json`, with
// the stable status and finding ids documented in docs/verifying.md).
import { logLine } from '../util/log-text.ts'
import type { AuditReport, AuditedRelease } from './types.ts'

/** The JSON shape of one release: its verdict and the record's key facts, no raw bytes. */
function releaseJson(r: AuditedRelease): Record<string, unknown> {
  const record = r.record
  return {
    tag: r.tag,
    date: r.date ?? null,
    prerelease: r.prerelease,
    status: r.status,
    manifestDigest: r.manifestSha256 ? `sha256:${r.manifestSha256}` : null,
    changeRecordDigest: r.changeRecordSha256 ? `sha256:${r.changeRecordSha256}` : null,
    commit: r.commit ?? null,
    signerWorkflow: r.signerWorkflow ?? null,
    changeId: record?.change?.id ?? null,
    personalDataImpact: record?.personalData.impact ?? null,
    previous: record ? (record.chain.previous?.tag ?? null) : null,
    checks: r.checks.map((c) => ({ id: c.id, ok: c.ok, details: c.details })),
    withdrawal: r.withdrawal
      ? {
          withdrawnAt: r.withdrawal.withdrawnAt,
          reason: r.withdrawal.reason,
          summary: r.withdrawal.summary,
          replacement: r.withdrawal.replacement?.tag ?? null,
          notificationDeadline: r.withdrawal.breach?.notificationDeadline ?? null,
        }
      : null,
  }
}

/**
 * `--json`: JSON escapes the C0 controls itself; NEL and the Unicode line and paragraph
 * separators it leaves raw, and a reader splitting on them could see a new line.
 */
export function renderAuditJson(report: AuditReport): string {
  const json = JSON.stringify(
    {
      repository: report.repository,
      auditedAt: report.auditedAt,
      source: report.source,
      trustedRoot: report.trustedRoot,
      summary: report.summary,
      findings: report.findings,
      notes: report.notes,
      releases: report.releases.map(releaseJson),
    },
    null,
    2,
  ).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return `${json}\n`
}

/** `N releases: X verified, Y withdrawn, Z unsigned, F findings`. */
export function summaryLine(report: AuditReport): string {
  const s = report.summary
  const notVerified = s.notVerified > 0 ? `, ${s.notVerified} not verified` : ''
  return `${s.releases} releases: ${s.verified} verified, ${s.withdrawn} withdrawn, ${s.unsigned} unsigned${notVerified}, ${s.findings} findings`
}

function releaseLine(r: AuditedRelease): string {
  const cells = [
    r.tag,
    r.date ?? '-',
    r.status,
    r.manifestSha256 ? `sha256:${r.manifestSha256.slice(0, 12)}` : '-',
    r.record?.change?.id ?? '-',
    r.record ? `personal data: ${r.record.personalData.impact}` : '-',
  ]
  return cells.join('  ')
}

/**
 * One line a release (tag, date, status, manifest digest prefix, change id, personal-data
 * impact), then the findings, then the summary. Tags, ids and messages come from GitHub and
 * the records, so every line goes out through logLine.
 */
export function renderAuditText(report: AuditReport): string {
  const out: string[] = [
    `Audit of ${report.repository} (${report.source === 'github' ? 'GitHub API' : 'folder'}), ${report.auditedAt}`,
    `Trusted root: ${report.trustedRoot.source} (sha256:${report.trustedRoot.sha256.slice(0, 12)})`,
    '',
  ]
  for (const r of report.releases) out.push(releaseLine(r))
  out.push('')
  if (report.findings.length === 0) out.push('No findings.')
  else {
    out.push('Findings:')
    for (const f of report.findings) out.push(`  [${f.kind}] ${f.message}`)
  }
  for (const note of report.notes) out.push(`Note: ${note}`)
  out.push('', summaryLine(report))
  return `${out.map(logLine).join('\n')}\n`
}
