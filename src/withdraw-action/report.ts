/** Step 7: the outputs, one notice, and the job summary. */
import * as core from '@actions/core'
import { witnessDescription } from '../action/summary.ts'
import { markdownText as text, withdrawalTagFor } from '../withdrawal/index.ts'
import type { Finished } from './types.ts'

function summaryLines(step: Finished): string[] {
  const { record } = step
  const lines = [
    `## Withdrawn: ${text(record.withdrawn.tag)}`,
    '',
    `- Reason: ${record.reason}`,
    `- Summary: ${text(record.summary)}`,
    `- Withdrawal release: ${step.withdrawalUrl} (\`${withdrawalTagFor(record.withdrawn.tag)}\`)`,
    `- \`withdrawal.json\`: \`${step.recordDigest}\``,
  ]
  if (step.bundle) lines.push(`- Sigstore: ${witnessDescription(step.bundle)}`)
  if (record.incidentReference) lines.push(`- Incident: ${text(record.incidentReference)}`)
  if (record.replacement) lines.push(`- Replacement: ${text(record.replacement.tag)}`)
  lines.push(`- Latest release now: ${step.latestTag ? text(step.latestTag) : '(none)'}`)
  if (record.breach) {
    const b = record.breach
    lines.push(
      '',
      '### GDPR Art. 33 / Art. 34',
      '',
      `- Aware since: ${b.awareAt}`,
      `- **Notify the supervisory authority by ${b.notificationDeadline}** (72 hours), unless the breach is unlikely to result in a risk (then record why). Notifiable: ${b.notifiable}.`,
      `- Data subjects informed (Art. 34): ${b.dataSubjectsInformed}`,
    )
    if (b.authorityNotifiedAt) lines.push(`- Authority notified: ${b.authorityNotifiedAt}`)
    lines.push('', 'See docs/incident-response.md for what to hand the authority.')
  }
  if (step.resumed)
    lines.push('', 'Resumed the withdrawal an earlier attempt of this run published.')
  return lines
}

export async function report(step: Finished): Promise<void> {
  const { record } = step
  step.setOutput('latest-tag', step.latestTag ?? '')
  const deadline = record.breach
    ? `; Art. 33 notification deadline ${record.breach.notificationDeadline}`
    : ''
  step.reporter.notice(
    `Withdrew ${record.withdrawn.tag} (${record.reason}): ${step.withdrawalUrl}, withdrawal.json ${step.recordDigest}; latest is ${step.latestTag ?? '(none)'}${deadline}`,
    { title: 'immutable-release' },
  )
  if (!process.env['GITHUB_STEP_SUMMARY']) return
  await core.summary.addRaw(summaryLines(step).join('\n'), true).write()
}
