import { CHANGE_RECORD_FILE } from '../util/release-files.ts'
import { logLine, plainText } from '../util/log-text.ts'
import type { ChangeRecordSummary, VerificationReport } from './types.ts'
import { plainWithdrawal, verdictLine, withdrawalLines } from './withdrawal-report.ts'

function line(label: string, value: string | undefined): string[] {
  return value ? [`  ${label.padEnd(22)} ${value}`] : []
}

/**
 * The report as the CLI prints it: the change record's text is shown only when the
 * change-record check passed (signed by the expected workflow over exactly these bytes), and
 * then without control characters. Anyone can write an unsigned record, and its text would
 * otherwise read as vouched for, or steer the terminal and the runner (`::add-mask::`).
 */
function presentableReport(report: VerificationReport): VerificationReport {
  const { changeRecord, withdrawal, ...rest } = report
  const trusted = report.checks.some((c) => c.id === 'change-record' && c.ok)
  const shown: VerificationReport =
    trusted && changeRecord ? { ...rest, changeRecord: plainSummary(changeRecord) } : rest
  return withdrawal ? { ...shown, withdrawal: plainWithdrawal(withdrawal) } : shown
}

function plainSummary(summary: ChangeRecordSummary): ChangeRecordSummary {
  const plain = (text: string | undefined) => (text === undefined ? undefined : plainText(text))
  return {
    changeId: plain(summary.changeId),
    title: plain(summary.title),
    reason: plain(summary.reason),
    personalDataImpact: plain(summary.personalDataImpact),
    approvals: summary.approvals.map((a) => ({
      role: plain(a.role),
      decision: plain(a.decision),
      approver: plain(a.approver),
    })),
    dpiaReference: plain(summary.dpiaReference),
    previousRelease: plain(summary.previousRelease),
    digest: summary.digest,
  }
}

/**
 * `--json`: JSON escapes CR, LF and the other C0 controls itself; NEL and the Unicode line and
 * paragraph separators it leaves raw, and a reader splitting on them could see a new line.
 */
function renderJson(report: VerificationReport): string {
  const json = JSON.stringify(report, null, 2).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return `${json}\n`
}

/** The report as the CLI prints it, for a person (`text`) or for a program (`json`). */
export function renderReport(report: VerificationReport, format: 'text' | 'json' = 'text'): string {
  return format === 'json'
    ? renderJson(presentableReport(report))
    : renderText(presentableReport(report), recordWithheld(report))
}

/** The folder holds a change record whose check failed: the library reports none of its text. */
function recordWithheld(report: VerificationReport): boolean {
  const check = report.checks.find((c) => c.id === 'change-record')
  return (
    check !== undefined &&
    !check.ok &&
    !check.details.some((detail) => detail === `${CHANGE_RECORD_FILE} is missing`)
  )
}

/**
 * One line of the human report, never a workflow command. Only a command's data is decoded
 * by the runner, so `%` stays `%` here (logLine writes it `%25`, exact for command data); the
 * `%XX` of a line break or control character is then the only escape a reader meets.
 */
function reportLine(text: string): string {
  return logLine(text).replace(/%25/g, '%')
}

/**
 * One row per check, then the change record when its check passed. Details quote the folder
 * (names, tags, schema messages), so every line goes out through logLine: one line each,
 * never a workflow command.
 */
function renderText(report: VerificationReport, folderHasRecord: boolean): string {
  const out: string[] = []
  out.push(`Release ${report.repository}${report.tag ? `@${report.tag}` : ''}`)
  if (report.manifestDigest) out.push(`Manifest ${report.manifestDigest}`)
  out.push('')
  for (const c of report.checks) {
    out.push(`${c.ok ? '✓' : '✗'} ${c.title}`)
    for (const detail of c.details) out.push(`    ${c.ok ? '' : '- '}${detail}`)
  }
  const record = report.changeRecord
  if (folderHasRecord && !record) {
    out.push('', 'Change record', '  not shown: its check failed, so nothing vouches for its text')
  }
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
  if (report.withdrawal) out.push(...withdrawalLines(report.withdrawal))
  const failed = report.checks.filter((c) => !c.ok).length
  out.push('', verdictLine(report, failed))
  return `${out.map(reportLine).join('\n')}\n`
}
