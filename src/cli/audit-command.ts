// `immutable-release audit`: every release of a repository through the API, or a folder of
// downloaded releases offline; the report on stdout, the evidence pack in files.
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createGitHubClient, isAccessDenied } from '../github/index.ts'
import { auditFolder, auditGitHub, renderAuditJson, renderAuditText } from '../audit/index.ts'
import type { AuditOptions, AuditReport } from '../audit/index.ts'
import { canonicalJson } from '../util/canonical-json.ts'
import { hashBytes } from '../util/digest.ts'
import { InputError } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import { err, out, stderrReporter } from './output.ts'
import { loadTrustedRoot } from './verify-command.ts'

const quietReporter: Reporter = { ...stderrReporter, info: () => {}, notice: () => {} }

/** Where the trusted root came from, and the digest of its canonical JSON, for the report. */
function describeTrustedRoot(
  path: string | undefined,
  root: unknown,
): { source: string; sha256: string } {
  const sha256 = hashBytes(canonicalJson(root))
  return { source: path ?? 'Sigstore public-good instance (TUF)', sha256 }
}

/** Checked / total on stderr, only when it is a terminal (never in piped or --json output). */
function progressReporter(): AuditOptions['onProgress'] {
  if (!process.stderr.isTTY) return undefined
  return (done, total) => {
    err(`\rchecked ${done}/${total} releases`)
    if (done === total) err('\n')
  }
}

/** `--register FILE`: `.csv` or `.json` by its extension. */
function registerFormat(path: string): 'csv' | 'json' {
  if (/\.csv$/i.test(path)) return 'csv'
  if (/\.json$/i.test(path)) return 'json'
  throw new InputError('--register', `'${path}' must end in .csv or .json (the format to write).`)
}

async function writeEvidence(
  report: AuditReport,
  files: { html?: string; register?: string },
): Promise<void> {
  const evidence = await import('../audit/index.ts')
  if (files.html) await writeFile(resolve(files.html), evidence.renderAuditHtml(report))
  if (files.register) {
    const format = registerFormat(files.register)
    const rows = evidence.buildRegister(report.releases)
    const text =
      format === 'csv' ? evidence.renderRegisterCsv(rows) : evidence.renderRegisterJson(rows)
    await writeFile(resolve(files.register), text)
  }
}

/** `immutable-release audit`: 0 no findings, 1 findings, 2 usage or input error. */
export async function runAuditCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      repo: { type: 'string' },
      'signer-workflow': { type: 'string' },
      'trusted-root': { type: 'string' },
      'server-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      register: { type: 'string' },
      since: { type: 'string' },
      download: { type: 'boolean', default: false },
    },
  })
  if (!values.repo) {
    throw new InputError('--repo', 'is required: the OWNER/REPO whose releases are audited.')
  }
  if (positionals.length > 1) {
    throw new InputError('dir', 'give at most one folder (one sub-folder per release tag).')
  }
  if (values.register) registerFormat(values.register)
  const trustedRoot = await loadTrustedRoot(values['trusted-root'])
  const options: AuditOptions = {
    repo: values.repo,
    trustedRoot,
    trustedRootSource: describeTrustedRoot(values['trusted-root'], trustedRoot),
    signerWorkflow: values['signer-workflow'],
    serverUrl: values['server-url'] || process.env['GITHUB_SERVER_URL'] || undefined,
    since: values.since,
    download: values.download,
    onProgress: values.json ? undefined : progressReporter(),
  }
  const report = positionals[0]
    ? await auditFolder(resolve(positionals[0]), options)
    : await auditThroughApi(options)
  await writeEvidence(report, { html: values.html, register: values.register })
  out(values.json ? renderAuditJson(report) : renderAuditText(report))
  return report.findings.length === 0 ? 0 : 1
}

async function auditThroughApi(options: AuditOptions): Promise<AuditReport> {
  const token = process.env['GITHUB_TOKEN'] || process.env['GH_TOKEN'] || undefined
  const client = createGitHubClient({
    token: token ?? '',
    apiUrl: process.env['GITHUB_API_URL'] || 'https://api.github.com',
    reporter: quietReporter,
  })
  try {
    return await auditGitHub(client, options)
  } catch (error) {
    if (!token && isAccessDenied(error)) {
      throw new InputError(
        '--repo',
        `GitHub answered ${error.status} without a token: for a private repository set GITHUB_TOKEN or GH_TOKEN (for example GH_TOKEN=$(gh auth token)).`,
      )
    }
    throw error
  }
}
