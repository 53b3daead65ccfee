// What the verify action does once its inputs parse: verify, then the words and files it hands
// back. No runner calls here: main.ts writes them out.
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Reporter } from '../util/reporter.ts'
import { loadTrustedRoot, renderReport, verifyRequested } from '../verify/index.ts'
import type { VerificationReport } from '../verify/index.ts'
import type { VerifyActionInputs } from './inputs.ts'

export interface VerifyActionOutcome {
  report: VerificationReport
  /** The report as `immutable-release verify` prints it. */
  text: string
  /** Where the JSON report was written (the `report-path` output). */
  reportPath: string
  /** The job summary (Markdown). */
  summary: string
}

const REPORT_FILE = 'immutable-release-verify-report.json'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function headline(report: VerificationReport): string {
  const name = `${report.repository}${report.tag ? `@${report.tag}` : ''}`
  if (report.verified) return `✅ Verified: ${name}`
  if (report.withdrawal?.status === 'withdrawn' && report.checks.every((c) => c.ok)) {
    return `⛔ Withdrawn: ${name}`
  }
  return `❌ Not verified: ${name}`
}

/** Verifies the release or folder the inputs name. */
export async function verifyForAction(
  inputs: VerifyActionInputs,
  env: NodeJS.ProcessEnv,
  reporter: Reporter,
): Promise<VerifyActionOutcome> {
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd()
  const report = await verifyRequested({
    dir: inputs.path ? resolve(workspace, inputs.path) : undefined,
    release: inputs.release,
    repo: inputs.repo,
    tag: inputs.tag,
    signerWorkflow: inputs.signerWorkflow,
    trustedRoot: await loadTrustedRoot(
      inputs.trustedRoot ? resolve(workspace, inputs.trustedRoot) : undefined,
      'trusted-root',
    ),
    serverUrl: env['GITHUB_SERVER_URL'] || undefined,
    withdrawalSignerWorkflow: inputs.withdrawalSignerWorkflow,
    allowWithdrawn: inputs.allowWithdrawn,
    apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
    token: inputs.token,
    reporter,
    releaseInput: 'release',
  })
  const reportPath = join(env['RUNNER_TEMP'] || tmpdir(), REPORT_FILE)
  await writeFile(reportPath, renderReport(report, 'json'))
  const text = renderReport(report, 'text')
  const summary = `## ${escapeHtml(headline(report))}\n\n<pre>${escapeHtml(text)}</pre>\n`
  return { report, text, reportPath, summary }
}
