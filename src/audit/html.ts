// `--html FILE`: the evidence pack for auditors and DPOs as one self-contained page: inline
// CSS, no script, no external request, printable to PDF. Everything from GitHub or a record
// goes through escapeHtml.
import type { AuditReport, AuditedRelease, Finding, FindingKind } from './types.ts'
import { summaryLine } from './report.ts'

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** What each finding means and what to do about it, for a reader who is not an engineer. */
const EXPLANATIONS: Record<FindingKind, { means: string; todo: string }> = {
  'unsigned-release': {
    means:
      'A release without a signed manifest sits inside the signed history: it was made by another tool or by hand.',
    todo: 'Find out who published it and why; re-release it through the workflow or delete it and record the decision.',
  },
  'verification-failed': {
    means:
      'The release does not verify: its files, signatures, signer or change record are not what the workflow released.',
    todo: 'Treat its assets as untrusted; compare with the transparency log and investigate how they changed.',
  },
  'broken-link': {
    means:
      'The release names a predecessor whose manifest or change record is not the one it was chained to: the predecessor changed afterwards.',
    todo: 'Establish which version of the predecessor is genuine; a changed record is evidence of tampering.',
  },
  'missing-predecessor': {
    means: 'The predecessor this release names no longer exists: it was deleted.',
    todo: 'Find out who deleted it and when (organisation audit log); recover its record from the transparency log.',
  },
  fork: {
    means:
      'Two releases name the same predecessor: they were made concurrently, so the history has two branches.',
    todo: 'Confirm both were intended; serialise release runs (a concurrency group) so the chain stays linear.',
  },
  orphan: {
    means: 'A signed release does not link to the signed release before it.',
    todo: 'Check whether a release was made from another repository or the chain was restarted, and record why.',
  },
  'tag-moved': {
    means:
      'The tag no longer points at the commit the signed provenance names: the code behind the tag changed.',
    todo: 'Restore the tag to the signed commit; enable immutable releases so tags cannot move.',
  },
  'withdrawal-invalid': {
    means:
      'A withdrawal does not verify: it may be forged or damaged, so the release is not known to be withdrawn.',
    todo: 'Withdraw the release again through the withdraw action if it must not be used.',
  },
  'withdrawal-unverified': {
    means: 'A withdrawal is present but could not be checked.',
    todo: 'Verify the withdrawal by hand before relying on it.',
  },
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1rem;margin:.2rem 0}
code,.digest{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
.meta td:first-child{width:12rem;color:#57606a}
.finding{border-left:4px solid #cf222e;background:#fff5f5;padding:.5rem .8rem;margin:.6rem 0}
.finding .kind{font-weight:600;color:#cf222e}
.ok{color:#1a7f37}.bad{color:#cf222e}.warn{color:#9a6700}
.timeline{list-style:none;padding:0}
.timeline li{margin:0}
.release{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .8rem}
.release.verified{border-left:6px solid #1a7f37}.release.not-verified{border-left:6px solid #cf222e}
.release.unsigned{border-left:6px solid #8c959f;background:#f6f8fa}.release.withdrawn{border-left:6px solid #9a6700;background:#fff8c5}
.link{margin-left:1.5rem;padding:.3rem 0 .3rem 1rem;border-left:3px solid #1a7f37;font-size:.9em}
.link.broken{border-left:3px dashed #cf222e;color:#cf222e}
.status{font-weight:600;text-transform:uppercase;font-size:.8em;letter-spacing:.04em}
section.detail{break-inside:avoid;page-break-inside:avoid}
@media print{body{margin:0;max-width:none}.release,.finding{break-inside:avoid}a{color:inherit}}
`

function row(label: string, value: string | undefined): string {
  return value ? `<tr><td>${escapeHtml(label)}</td><td>${value}</td></tr>` : ''
}

function findingHtml(f: Finding): string {
  const e = EXPLANATIONS[f.kind]
  return `<div class="finding"><div><span class="kind">${escapeHtml(f.kind)}</span> · release <code>${escapeHtml(f.release)}</code></div>
<p>${escapeHtml(f.message)}</p><p><b>What it means:</b> ${escapeHtml(e.means)}<br><b>What to do:</b> ${escapeHtml(e.todo)}</p></div>`
}

const CHAIN_KINDS: readonly FindingKind[] = ['broken-link', 'missing-predecessor', 'fork', 'orphan']

/** The connector drawn above a release: its link to the release before it, or what is wrong. */
function linkHtml(r: AuditedRelease, findings: readonly Finding[]): string {
  const problems = findings.filter((f) => f.release === r.tag && CHAIN_KINDS.includes(f.kind))
  if (problems.length > 0) {
    return `<li class="link broken">✗ ${problems.map((f) => `${escapeHtml(f.kind)}: ${escapeHtml(f.message)}`).join('<br>')}</li>`
  }
  if (!r.record) return `<li class="link" style="border-left-color:#8c959f">· no verified link</li>`
  const previous = r.record.chain.previous
  return `<li class="link">${previous ? `✓ links to <code>${escapeHtml(previous.tag)}</code>` : '○ first release of the chain'}</li>`
}

function timelineHtml(report: AuditReport): string {
  const items = report.releases.map((r, i) => {
    const link = i === 0 && !r.record?.chain.previous ? '' : linkHtml(r, report.findings)
    const record = r.record
    return `${link}<li class="release ${escapeHtml(r.status)}"><span class="status">${escapeHtml(r.status)}</span> <b>${escapeHtml(r.tag)}</b> · ${escapeHtml(r.date ?? 'date unknown')}${record?.change ? ` · ${escapeHtml(record.change.id)}: ${escapeHtml(record.change.title)}` : ''}</li>`
  })
  return `<ol class="timeline">${items.join('\n')}</ol>`
}

function listOf(
  values: readonly unknown[] | undefined,
  as: (v: never) => string,
): string | undefined {
  return values && values.length > 0
    ? values.map((v) => escapeHtml(as(v as never))).join(', ')
    : undefined
}

function deltasHtml(pd: Record<string, unknown>): string {
  const lines: string[] = []
  for (const [field, value] of Object.entries(pd)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue
    const delta = value as { added?: unknown[]; removed?: unknown[] }
    if (!Array.isArray(delta.added) && !Array.isArray(delta.removed)) continue
    const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))
    const added = listOf(delta.added, show)
    const removed = listOf(delta.removed, show)
    lines.push(
      `<li>${escapeHtml(field)}: ${added ? `added ${added}` : ''}${added && removed ? '; ' : ''}${removed ? `removed ${removed}` : ''}</li>`,
    )
  }
  return lines.length > 0 ? `<ul>${lines.join('')}</ul>` : ''
}

function recordRows(r: AuditedRelease): string {
  const record = r.record
  if (!record) {
    return row(
      'change record',
      r.manifestSha256 ? '<span class="bad">not shown: it does not verify</span>' : undefined,
    )
  }
  const change = record.change
  const pd = record.personalData as Record<string, unknown> & { impact: string }
  const approvals = (change?.approvals ?? [])
    .map(
      (a) =>
        `${escapeHtml(a.role)}: ${escapeHtml(a.decision)} by <code>${escapeHtml(a.approver ?? '(omitted)')}</code>`,
    )
    .join('<br>')
  const dpia = (pd['dpia'] as { reference?: string } | undefined)?.reference
  return [
    row('change', change ? `${escapeHtml(change.id)}: ${escapeHtml(change.title)}` : undefined),
    row('summary', change?.summary ? escapeHtml(change.summary) : undefined),
    row('reason', change ? escapeHtml(change.reason) : undefined),
    row(
      'type / risk',
      change
        ? `${escapeHtml(change.type)} / ${escapeHtml(change.risk ?? 'not stated')}`
        : undefined,
    ),
    row('approvals (pseudonyms)', approvals || undefined),
    row('personal-data impact', escapeHtml(pd.impact)),
    row('personal-data deltas', deltasHtml(pd) || undefined),
    row('DPIA reference', dpia ? escapeHtml(dpia) : undefined),
    row('previous release', escapeHtml(record.chain.previous?.tag ?? '(none: first in the chain)')),
  ].join('')
}

function withdrawalRows(r: AuditedRelease): string {
  const w = r.withdrawal
  if (!w) return ''
  return [
    row('withdrawn at', escapeHtml(w.withdrawnAt)),
    row('withdrawal reason', `${escapeHtml(w.reason)}: ${escapeHtml(w.summary)}`),
    row('replacement', w.replacement ? `<code>${escapeHtml(w.replacement.tag)}</code>` : undefined),
    row(
      'Art. 33 deadline',
      w.breach
        ? `${escapeHtml(w.breach.notificationDeadline)} (aware ${escapeHtml(w.breach.awareAt)}, notifiable: ${escapeHtml(w.breach.notifiable)})`
        : undefined,
    ),
  ].join('')
}

function releaseDetail(r: AuditedRelease): string {
  const failed = r.checks.filter((c) => !c.ok)
  return `<section class="detail"><h3>${escapeHtml(r.tag)} <span class="status ${r.status === 'verified' ? 'ok' : r.status === 'withdrawn' ? 'warn' : 'bad'}">${escapeHtml(r.status)}</span></h3>
<table class="meta">${[
    row('published', escapeHtml(r.date ?? 'unknown')),
    row(
      'manifest digest',
      r.manifestSha256
        ? `<span class="digest">sha256:${escapeHtml(r.manifestSha256)}</span>`
        : 'none (unsigned)',
    ),
    row(
      'signer workflow',
      r.signerWorkflow ? `<code>${escapeHtml(r.signerWorkflow)}</code>` : undefined,
    ),
    row('commit', r.commit ? `<code>${escapeHtml(r.commit)}</code>` : undefined),
    row(
      'failed checks',
      failed.length > 0
        ? failed
            .map((c) => `${escapeHtml(c.title)}: ${c.details.map(escapeHtml).join('; ')}`)
            .join('<br>')
        : undefined,
    ),
    recordRows(r),
    withdrawalRows(r),
  ].join('')}</table></section>`
}

/** The whole page. */
export function renderAuditHtml(report: AuditReport): string {
  const findings =
    report.findings.length === 0
      ? '<p class="ok">No findings: every release verifies and the chain is intact.</p>'
      : report.findings.map(findingHtml).join('\n')
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Release audit: ${escapeHtml(report.repository)}</title>
<style>${CSS}</style></head>
<body>
<h1>Release audit: ${escapeHtml(report.repository)}</h1>
<table class="meta">
${row('audited at', escapeHtml(report.auditedAt))}
${row('read from', report.source === 'github' ? 'the GitHub API' : 'a folder of downloaded releases')}
${row('trusted root', `${escapeHtml(report.trustedRoot.source)} <span class="digest">sha256:${escapeHtml(report.trustedRoot.sha256)}</span>`)}
${row('result', `<b id="summary">${escapeHtml(summaryLine(report))}</b>`)}
</table>
${report.notes.map((n) => `<p class="warn">${escapeHtml(n)}</p>`).join('\n')}
<h2>Findings (${report.findings.length})</h2>
${findings}
<h2>Timeline and chain (${report.releases.length} releases, oldest first)</h2>
${timelineHtml(report)}
<h2>Releases</h2>
${report.releases.map(releaseDetail).join('\n')}
</body></html>
`
}
