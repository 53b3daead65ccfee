// One verification as the CLI and the verify action ask for it: a folder, or a published
// release downloaded through the API; withdrawals looked for where they can be.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createGitHubClient, isAccessDenied, isNotFound } from '../github/index.ts'
import { InputError } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
import { downloadReleaseAssets } from './download.ts'
import type { ReleaseRef } from './download.ts'
import { gitHubTagLookup } from './checks/tag-commit.ts'
import type { TagLookup, VerificationReport, WithdrawalSource } from './types.ts'
import { verifyReleaseDirectory } from './verify-release.ts'
import { folderWithdrawalSource, gitHubWithdrawalSource } from './withdrawals.ts'

export interface VerifyRequest {
  /** A folder of downloaded assets; or give `release`. */
  dir?: string
  release?: ReleaseRef
  /** `OWNER/REPO` the release must come from. */
  repo: string
  tag?: string
  signerWorkflow?: string
  trustedRoot: unknown
  serverUrl?: string
  /** A folder holding withdrawal.json and withdrawal.sigstore.json (or withdrawal.json itself). */
  withdrawalPath?: string
  withdrawalSignerWorkflow?: string
  allowWithdrawn?: boolean
  /** For `release`: the API and the token (none for a public repository). */
  apiUrl: string
  token?: string
  reporter: Reporter
  /** The flag or input that named the release, for error messages. */
  releaseInput: string
}

/** Downloads the release (when asked) and verifies it; withdrawals found on GitHub count. */
export async function verifyRequested(request: VerifyRequest): Promise<VerificationReport> {
  const { release } = request
  let withdrawals: WithdrawalSource | undefined = request.withdrawalPath
    ? folderWithdrawalSource(resolve(request.withdrawalPath), true)
    : undefined
  let downloaded: string | undefined
  let tagLookup: TagLookup | undefined
  try {
    let dir = request.dir ? resolve(request.dir) : ''
    if (release) {
      downloaded = await mkdtemp(join(tmpdir(), 'immutable-release-verify-'))
      dir = downloaded
      const client = createGitHubClient({
        token: request.token ?? '',
        apiUrl: request.apiUrl,
        reporter: request.reporter,
      })
      await download(request, release, client, dir)
      withdrawals ??= gitHubWithdrawalSource(client, { owner: release.owner, repo: release.repo })
      tagLookup = gitHubTagLookup(client, { owner: release.owner, repo: release.repo })
    }
    return await verifyReleaseDirectory({
      dir,
      repo: request.repo,
      tag: request.tag,
      signerWorkflow: request.signerWorkflow,
      trustedRoot: request.trustedRoot,
      serverUrl: request.serverUrl,
      withdrawals,
      tagLookup,
      withdrawalSignerWorkflow: request.withdrawalSignerWorkflow,
      allowWithdrawn: request.allowWithdrawn,
    })
  } finally {
    if (downloaded) await rm(downloaded, { recursive: true, force: true })
  }
}

async function download(
  request: VerifyRequest,
  release: ReleaseRef,
  client: ReturnType<typeof createGitHubClient>,
  dir: string,
): Promise<void> {
  try {
    await downloadReleaseAssets(client, release, dir, request.token)
  } catch (error) {
    // Anonymous access reads public releases only; anything else needs a token.
    if (!request.token && isAccessDenied(error)) {
      throw new InputError(
        request.releaseInput,
        `GitHub answered ${error.status} without a token: for a private repository set GITHUB_TOKEN or GH_TOKEN (for example GH_TOKEN=$(gh auth token)), or download the assets yourself and give the folder.`,
      )
    }
    if (isNotFound(error)) {
      throw new Error(
        `${release.owner}/${release.repo} has no published release ${release.tag} (GitHub answered 404 Not Found).`,
        { cause: error },
      )
    }
    throw error
  }
}
