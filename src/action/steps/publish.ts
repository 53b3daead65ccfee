import {
  CHANGE_RECORD_BUNDLE_FILE,
  CHANGE_RECORD_FILE,
  renderChangeRecordMarkdown,
} from '../../change-record/index.ts'
import type { GitHubClient } from '../../github/index.ts'
import { MANIFEST_FILE, SHA256SUMS_FILE } from '../../manifest/index.ts'
import { assembleReleaseBody, publishRelease, releaseAssetFiles } from '../../release/index.ts'
import { PROVENANCE_BUNDLE_FILE, storeAttestation } from '../../sign/index.ts'
import type { SerializedBundle } from '../../sign/index.ts'
import { errorMessage } from '../../util/errors.ts'
import type { Reporter } from '../../util/reporter.ts'
import type { Published, Signed } from './types.ts'

/**
 * Stores the provenance through the attestations API, after the release is published. The
 * release already carries the bundle as an asset, so a failure here must not turn a complete
 * release into a failed job (which a re-run could not repair): it is a warning.
 */
export async function storeAttestationAfterRelease(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  bundle: SerializedBundle,
  reporter: Reporter,
): Promise<void> {
  try {
    await storeAttestation(client, { ...repository, bundle }, reporter)
  } catch (error) {
    reporter.warning(
      `The release is published, but storing its provenance in the attestations API failed: ${errorMessage(error)}. The bundle is the release asset ${PROVENANCE_BUNDLE_FILE}; 'gh attestation verify --bundle' can use it.`,
    )
  }
}

/** Step 4: the release with every asset, then (when asked) the attestation. */
export async function publish(step: Signed): Promise<Published> {
  const { inputs, record, recordSha256 } = step
  const assets = await releaseAssetFiles(step.built.subjects, [
    { name: MANIFEST_FILE, path: step.manifestPath, format: 'json' },
    { name: SHA256SUMS_FILE, path: step.sha256sumsPath, format: 'text' },
    { name: PROVENANCE_BUNDLE_FILE, path: step.provenanceBundlePath, format: 'json' },
    { name: CHANGE_RECORD_FILE, path: step.changeRecordPath, format: 'json' },
    { name: CHANGE_RECORD_BUNDLE_FILE, path: step.changeRecordBundlePath, format: 'json' },
  ])
  const body = assembleReleaseBody(step.notes, renderChangeRecordMarkdown(record, { recordSha256 }))
  const published = await publishRelease(
    step.store,
    {
      tag: inputs.tag,
      targetCommitish: step.commit,
      name: inputs.name || inputs.tag,
      body,
      prerelease: inputs.prerelease,
      makeLatest: inputs.makeLatest,
      assets,
      run: step.run,
      observed: step.observed,
      pushed: step.pushed,
    },
    step.reporter,
  )
  step.setOutput('release-id', String(published.id))
  step.setOutput('release-url', published.url)
  if (inputs.pushToAttestations) {
    const repository = { owner: step.owner, repo: step.repo }
    await storeAttestationAfterRelease(
      step.client,
      repository,
      step.provenanceBundle,
      step.reporter,
    )
  }
  return { ...step, published }
}
