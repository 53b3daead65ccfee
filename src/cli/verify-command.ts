import { parseArgs } from 'node:util'
import { InputError } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import { out, stderrReporter } from './output.ts'
import { loadTrustedRoot, parseReleaseRef, renderReport, verifyRequested } from '../verify/index.ts'

// `audit` reads the trusted root the same way.
export { loadTrustedRoot }

const quietReporter: Reporter = { ...stderrReporter, info: () => {}, notice: () => {} }

/** `immutable-release verify`: 0 verified, 1 not verified (or withdrawn), 2 usage or input error. */
export async function runVerifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      repo: { type: 'string' },
      tag: { type: 'string' },
      release: { type: 'string' },
      'signer-workflow': { type: 'string' },
      'trusted-root': { type: 'string' },
      'server-url': { type: 'string' },
      withdrawal: { type: 'string' },
      'withdrawal-signer-workflow': { type: 'string' },
      'allow-withdrawn': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  })
  const release = values.release ? parseReleaseRef(values.release) : undefined
  if (release && positionals.length > 0) {
    throw new InputError('--release', 'give either a folder or --release OWNER/REPO@TAG, not both.')
  }
  if (!release && positionals.length !== 1) {
    throw new InputError('dir', 'give exactly one folder of downloaded release assets.')
  }
  const repo = values.repo ?? (release ? `${release.owner}/${release.repo}` : undefined)
  if (!repo)
    throw new InputError('--repo', 'is required: the OWNER/REPO the release must come from.')
  const report = await verifyRequested({
    dir: positionals[0],
    release,
    repo,
    tag: values.tag ?? release?.tag,
    signerWorkflow: values['signer-workflow'],
    trustedRoot: await loadTrustedRoot(values['trusted-root']),
    serverUrl: values['server-url'] || process.env['GITHUB_SERVER_URL'] || undefined,
    // --withdrawal names the files; --release looks on GitHub; a folder alone is looked in.
    withdrawalPath: values.withdrawal,
    withdrawalSignerWorkflow: values['withdrawal-signer-workflow'],
    allowWithdrawn: values['allow-withdrawn'],
    apiUrl: process.env['GITHUB_API_URL'] || 'https://api.github.com',
    token: process.env['GITHUB_TOKEN'] || process.env['GH_TOKEN'] || undefined,
    reporter: quietReporter,
    releaseInput: '--release',
  })
  out(renderReport(report, values.json ? 'json' : 'text'))
  return report.verified ? 0 : 1
}
