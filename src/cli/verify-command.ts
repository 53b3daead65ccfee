import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { getTrustedRoot } from '@sigstore/tuf'
import { InputError, errorMessage } from '../util/errors.ts'
import { createGitHubClient, isAccessDenied } from '../github/index.ts'
import type { Reporter } from '../util/reporter.ts'
import { stderrReporter } from './output.ts'
import {
  downloadReleaseAssets,
  parseReleaseRef,
  renderReport,
  verifyReleaseDirectory,
} from '../verify/index.ts'

const quietReporter: Reporter = { ...stderrReporter, info: () => {}, notice: () => {} }

// `+json;version=0.1` (sigstore-js, cosign) and `.v0.2+json` (newer clients).
const TRUSTED_ROOT_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.trustedroot(\.v[0-9.]+)?\+json/

async function loadTrustedRoot(path: string | undefined): Promise<unknown> {
  if (path) {
    let root: unknown
    try {
      root = JSON.parse(await readFile(resolve(path), 'utf8'))
    } catch (error) {
      throw new InputError('--trusted-root', `cannot read '${path}': ${errorMessage(error)}`)
    }
    // protobuf-specs reads any JSON as an empty root; a wrong file would then look like a
    // release that does not verify rather than the usage error it is.
    const fields = (root ?? {}) as { mediaType?: unknown; certificateAuthorities?: unknown }
    if (typeof fields.mediaType !== 'string' || !TRUSTED_ROOT_MEDIA_TYPE.test(fields.mediaType)) {
      throw new InputError(
        '--trusted-root',
        `'${path}' is not a Sigstore trusted root (a trusted_root.json whose mediaType is application/vnd.dev.sigstore.trustedroot+json).`,
      )
    }
    if (
      !Array.isArray(fields.certificateAuthorities) ||
      fields.certificateAuthorities.length === 0
    ) {
      throw new InputError(
        '--trusted-root',
        `'${path}' lists no certificate authority, so no signing certificate could verify.`,
      )
    }
    return root
  }
  // The public-good root through TUF, cached under ~/.sigstore by @sigstore/tuf.
  return TrustedRoot.toJSON(await getTrustedRoot())
}

/** `immutable-release verify`: 0 verified, 1 not verified, 2 usage or input error. */
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
  const tag = values.tag ?? release?.tag
  const token = process.env['GITHUB_TOKEN'] || process.env['GH_TOKEN'] || undefined
  const trustedRoot = await loadTrustedRoot(values['trusted-root'])

  let dir = positionals[0] ? resolve(positionals[0]) : ''
  let downloaded: string | undefined
  try {
    if (release) {
      downloaded = await mkdtemp(join(tmpdir(), 'immutable-release-verify-'))
      dir = downloaded
      const client = createGitHubClient({
        token: token ?? '',
        apiUrl: process.env['GITHUB_API_URL'] || 'https://api.github.com',
        reporter: quietReporter,
      })
      try {
        await downloadReleaseAssets(client, release, dir, token)
      } catch (error) {
        // Anonymous access reads public releases only; anything else needs a token.
        if (!token && isAccessDenied(error)) {
          throw new InputError(
            '--release',
            `GitHub answered ${error.status} without a token: for a private repository set GITHUB_TOKEN or GH_TOKEN (for example GH_TOKEN=$(gh auth token)), or download the assets yourself and give the folder.`,
          )
        }
        throw error
      }
    }
    const report = await verifyReleaseDirectory({
      dir,
      repo,
      tag,
      signerWorkflow: values['signer-workflow'],
      trustedRoot,
      serverUrl: values['server-url'] || process.env['GITHUB_SERVER_URL'] || undefined,
    })
    process.stdout.write(renderReport(report, values.json ? 'json' : 'text'))
    return report.verified ? 0 : 1
  } finally {
    if (downloaded) await rm(downloaded, { recursive: true, force: true })
  }
}
