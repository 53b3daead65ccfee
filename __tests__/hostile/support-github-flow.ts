// The GitHub half of the action's run, for files that are already built and signed: the same
// capability calls in the same order as src/action/run.ts makes them once signing is done
// (tag check, previous release, publish, attestation). The fault matrix replays it hundreds of
// times without paying for Sigstore each time; a test checks that its request sequence is the
// real action's.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  CHANGE_RECORD_BUNDLE_FILE,
  CHANGE_RECORD_FILE,
  commitRange,
  findPreviousRelease,
} from '../../src/change-record/index.ts'
import { MANIFEST_FILE, SHA256SUMS_FILE } from '../../src/manifest/index.ts'
import { checkTagAvailable, publishRelease } from '../../src/release/index.ts'
import type { RunIdentity } from '../../src/release/index.ts'
import type { ReleaseAssetFile } from '../../src/release/request.ts'
import { storeAttestationAfterRelease } from '../../src/action/run.ts'
import { PROVENANCE_BUNDLE_FILE } from '../../src/sign/index.ts'
import type { SerializedBundle } from '../../src/sign/index.ts'
import { hashBytes } from '../../src/util/digest.ts'
import { errorMessage } from '../../src/util/errors.ts'
import { createReleaseStore } from '../../src/github/index.ts'
import type { GitHubClient } from '../../src/github/index.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import { ARTIFACTS } from './support-world.ts'

/** What one run of the action produced before it wrote anything to GitHub. */
export interface SignedRelease {
  assets: ReleaseAssetFile[]
  provenanceBundle: SerializedBundle
  /** Local SHA-256 of every asset by name: what a download must match. */
  digests: Map<string, string>
}

/** Collects the files a finished run left in its temporary folder (from the action's outputs). */
export async function signedReleaseFromOutputs(
  workspace: string,
  outputs: Record<string, string>,
): Promise<SignedRelease> {
  const assets: ReleaseAssetFile[] = []
  const add = async (name: string, path: string, contentType: string): Promise<void> => {
    const bytes = await readFile(path)
    assets.push({ name, path, sha256: hashBytes(bytes), size: bytes.length, contentType })
  }
  for (const name of Object.keys(ARTIFACTS))
    await add(name, join(workspace, 'dist', name), 'application/octet-stream')
  const manifestPath = outputs['manifest-path'] as string
  await add(MANIFEST_FILE, manifestPath, 'application/json')
  await add(SHA256SUMS_FILE, join(manifestPath, '..', SHA256SUMS_FILE), 'text/plain')
  await add(PROVENANCE_BUNDLE_FILE, outputs['provenance-bundle-path'] as string, 'application/json')
  await add(CHANGE_RECORD_FILE, outputs['change-record-path'] as string, 'application/json')
  await add(
    CHANGE_RECORD_BUNDLE_FILE,
    outputs['change-record-bundle-path'] as string,
    'application/json',
  )
  const provenanceBundle = JSON.parse(
    await readFile(outputs['provenance-bundle-path'] as string, 'utf8'),
  ) as SerializedBundle
  return {
    assets,
    provenanceBundle,
    digests: new Map(assets.map((a) => [a.name, a.sha256])),
  }
}

export interface FlowResult {
  exitCode: 0 | 1
  errors: string[]
  reporter: RecordingReporter
}

/** run.ts's GitHub calls after signing, with its failure handling (the message is the error). */
export async function publishSignedRelease(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  signed: SignedRelease,
  options: { tag: string; commit: string; run: RunIdentity },
): Promise<FlowResult> {
  const reporter = new RecordingReporter()
  try {
    // As run.ts: one read of the tag, refused early, handed to publishRelease.
    const store = createReleaseStore(client, repository.owner, repository.repo)
    const observed = await checkTagAvailable(store, options.tag, {
      run: options.run,
      commitSha: options.commit,
    })
    const previous = await findPreviousRelease(client, { ...repository, tag: options.tag })
    if (previous) {
      await commitRange(client, { ...repository, base: previous.tag, head: options.commit })
    }
    await publishRelease(
      store,
      {
        tag: options.tag,
        targetCommitish: options.commit,
        name: options.tag,
        body: 'Hostile-conditions release.',
        prerelease: false,
        makeLatest: 'true',
        assets: signed.assets,
        run: options.run,
        observed,
        // The production attempts, with the pause scaled from seconds to milliseconds.
        uploadRetry: { attempts: 3, delayMs: 5 },
      },
      reporter,
    )
    await storeAttestationAfterRelease(client, repository, signed.provenanceBundle, reporter)
    return { exitCode: 0, errors: [], reporter }
  } catch (error) {
    return { exitCode: 1, errors: [errorMessage(error)], reporter }
  }
}
